using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BitCurrent.Custody.Internal;

namespace BitCurrent.Custody;

/// <summary>
/// The liabilities side of proof of reserves, as published from the ledger's Merkle sum tree: the root hash and the total it commits
/// to. JSON shape (the file given to <c>bitcurrent por prepare --liabilities FILE</c>):
/// <code>{ "asset": "BTC", "rootHash": "&lt;64 hex digits&gt;", "totalSats": 150000000, "asOf": "optional free text" }</code>
/// <c>totalSats</c> may be a JSON number or a string of digits.
/// </summary>
/// <param name="Asset">Always "BTC".</param>
/// <param name="RootHash">The liabilities tree's root hash, 64 lower-case hex digits.</param>
/// <param name="TotalSats">The total of user balances the root commits to, satoshis.</param>
/// <param name="AsOf">When the liabilities were taken (free text, optional).</param>
public sealed record LiabilitiesRoot(string Asset, string RootHash, long TotalSats, string? AsOf = null)
{
    /// <summary>Parses and checks the JSON shape above.</summary>
    /// <exception cref="ReservesException"><see cref="CustodyError.LiabilitiesInvalid"/> naming the bad field.</exception>
    public static LiabilitiesRoot Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            Throw.Reserves(CustodyError.LiabilitiesInvalid, $"liabilities: not JSON ({e.Message})");
            return null!;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Throw.Reserves(CustodyError.LiabilitiesInvalid, "liabilities: expected a JSON object");
            }
            var asset = root.TryGetProperty("asset", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : null;
            if (asset != "BTC")
            {
                Throw.Reserves(CustodyError.LiabilitiesInvalid, "liabilities: 'asset' must be \"BTC\"");
            }
            var hash = root.TryGetProperty("rootHash", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString()! : string.Empty;
            if (hash.Length != 64 || hash.AsSpan().ContainsAnyExcept("0123456789abcdef"))
            {
                Throw.Reserves(CustodyError.LiabilitiesInvalid, "liabilities: 'rootHash' must be 64 lower-case hex digits");
            }
            var totalText = root.TryGetProperty("totalSats", out var t) ? t.ValueKind switch
            {
                JsonValueKind.Number => t.GetRawText(),
                JsonValueKind.String => t.GetString(),
                _ => null,
            } : null;
            if (totalText is null || totalText.Length is 0 or > 19 || totalText.AsSpan().ContainsAnyExcept("0123456789") ||
                !long.TryParse(totalText, NumberStyles.None, CultureInfo.InvariantCulture, out var total) || !Money.IsValid(total))
            {
                Throw.Reserves(CustodyError.LiabilitiesInvalid, "liabilities: 'totalSats' must be an integer number of satoshis, 0..21e14");
                return null!;
            }
            var asOf = root.TryGetProperty("asOf", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
            return new LiabilitiesRoot(asset!, hash, total, asOf);
        }
    }
}

/// <summary>One address in a proof-of-reserves draft or report, with the outputs it holds and its ownership signatures.</summary>
public sealed record ReservesAddress
{
    /// <summary>The address.</summary>
    public required string Address { get; init; }

    /// <summary>"cold" (P2WSH multisig) or "hot" (P2WPKH).</summary>
    public required string Wallet { get; init; }

    /// <summary>Chain/index below the wallet account, as "0/3".</summary>
    public required string Path { get; init; }

    /// <summary>For cold addresses: the multisig witness script (hex), from which the verifier learns the keys and the threshold.</summary>
    public string? WitnessScript { get; init; }

    /// <summary>The unspent outputs at the report's height.</summary>
    public IReadOnlyList<ReservesOutput> Outputs { get; init; } = [];

    /// <summary>Sum of <see cref="Outputs"/>.</summary>
    public long BalanceSats { get; init; }

    /// <summary>The text each key signs (Bitcoin signed-message format).</summary>
    public required string Message { get; init; }

    /// <summary>Base64 compact signatures of <see cref="Message"/>: for cold addresses one per signer (at least the threshold), for hot
    /// addresses one BIP-137 P2WPKH signature.</summary>
    public IReadOnlyList<string> Signatures { get; init; } = [];
}

/// <summary>An output counted as reserves.</summary>
/// <param name="OutPoint">"txid:vout".</param>
/// <param name="AmountSats">Its value.</param>
public sealed record ReservesOutput(string OutPoint, long AmountSats);

/// <summary>An open proof-of-reserves draft: addresses and balances fixed at a block height, collecting signatures.</summary>
public sealed record ReservesDraft
{
    /// <summary>The challenge (for example an auditor's nonce and the date).</summary>
    public required string Challenge { get; init; }

    /// <summary>The liabilities to set the reserves against.</summary>
    public required LiabilitiesRoot Liabilities { get; init; }

    /// <summary>Height the balances were taken at.</summary>
    public required int BlockHeight { get; init; }

    /// <summary>Hash of that block.</summary>
    public required string BlockHash { get; init; }

    /// <summary>When the draft was made.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Every custody address holding coins.</summary>
    public IReadOnlyList<ReservesAddress> Addresses { get; init; } = [];

    /// <summary>Cold signers who have signed, by number.</summary>
    public IReadOnlyList<int> ColdSigners { get; init; } = [];

    /// <summary>True once the hot wallet key has signed.</summary>
    public bool HotSigned { get; init; }
}

/// <summary>A published proof-of-reserves report (JSON). <see cref="ReportHash"/> is SHA-256 over the report's compact JSON without it.</summary>
public sealed record ReservesReport
{
    /// <summary>"bitcurrent-proof-of-reserves".</summary>
    public string Format { get; init; } = ReservesDesk.ReportFormat;

    /// <summary>1.</summary>
    public int Version { get; init; } = 1;

    /// <summary>"mainnet", "testnet" or "regtest".</summary>
    public required string Network { get; init; }

    /// <summary>"BTC".</summary>
    public string Asset { get; init; } = "BTC";

    /// <summary>The challenge every ownership signature commits to.</summary>
    public required string Challenge { get; init; }

    /// <summary>Height the balances were taken at.</summary>
    public required int BlockHeight { get; init; }

    /// <summary>That block's hash.</summary>
    public required string BlockHash { get; init; }

    /// <summary>When the draft was made.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the report was written.</summary>
    public DateTimeOffset PublishedAt { get; init; }

    /// <summary>The liabilities root the reserves are set against.</summary>
    public required LiabilitiesRoot Liabilities { get; init; }

    /// <summary>Every custody address holding coins, with its proof.</summary>
    public IReadOnlyList<ReservesAddress> Addresses { get; init; } = [];

    /// <summary>Total reserves.</summary>
    public long ReservesSats { get; init; }

    /// <summary>Total liabilities (the root's total).</summary>
    public long LiabilitiesSats { get; init; }

    /// <summary>True when reserves ≥ liabilities.</summary>
    public bool ReservesCoverLiabilities { get; init; }

    /// <summary>SHA-256 (hex) of this report's compact JSON with this field left out.</summary>
    public string? ReportHash { get; init; }

    /// <summary>Computes the hash of the report's content (everything but <see cref="ReportHash"/>).</summary>
    public string ComputeHash()
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(this with { ReportHash = null }, CustodyJson.CompactOptions);
        return Convert.ToHexStringLower(SHA256.HashData(body));
    }

    /// <summary>The report as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, CustodyJson.Options);

    /// <summary>Parses a report.</summary>
    /// <exception cref="ReservesException"><see cref="CustodyError.ReservesReportMalformed"/>.</exception>
    public static ReservesReport Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var report = JsonSerializer.Deserialize<ReservesReport>(json, CustodyJson.Options);
            if (report is null || report.Format != ReservesDesk.ReportFormat || report.Version != 1 || report.Addresses is null)
            {
                Throw.Reserves(CustodyError.ReservesReportMalformed, "not a BitCurrent proof-of-reserves report (format/version)");
            }
            return report!;
        }
        catch (JsonException e)
        {
            Throw.Reserves(CustodyError.ReservesReportMalformed, $"the report does not parse: {e.Message}");
            return null!;
        }
    }
}

/// <summary>The verdict on a report.</summary>
/// <param name="ProofsValid">Every ownership proof and the report hash check out.</param>
/// <param name="CheckedAgainstChain">Balances were re-derived from a chain.</param>
/// <param name="ReservesSats">Reserves the proofs cover.</param>
/// <param name="LiabilitiesSats">The liabilities total.</param>
/// <param name="Problems">Each problem found, with its numbered reason.</param>
public sealed record ReservesVerification(bool ProofsValid, bool CheckedAgainstChain, long ReservesSats, long LiabilitiesSats,
    IReadOnlyList<(CustodyError Reason, string Detail)> Problems)
{
    /// <summary>Valid proofs and reserves ≥ liabilities.</summary>
    public bool Covered => ProofsValid && ReservesSats >= LiabilitiesSats;
}

/// <summary>
/// Proof of reserves in three steps, like a rebalancing: <see cref="PrepareAsync"/> fixes the custody addresses holding coins and their
/// balances at the chain's tip, with a message per address binding the challenge and the liabilities root; each cold signer
/// (<see cref="SignCold"/>, at least the threshold) and the hot wallet key (<see cref="SignHot"/>) sign those messages with the address's
/// own keys (Bitcoin signed messages; BIP-137 P2WPKH for hot addresses, key recovery for the multisig keys); <see cref="Publish"/> checks
/// everything and writes the report. <see cref="VerifyAsync"/> checks a report from the outside.
/// </summary>
public sealed class ReservesDesk
{
    /// <summary>The report's format name.</summary>
    public const string ReportFormat = "bitcurrent-proof-of-reserves";

    private readonly CustodyStore _store;
    private readonly CustodyWallets _wallets;

    /// <summary>Works on <paramref name="store"/>.</summary>
    public ReservesDesk(CustodyStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _wallets = new CustodyWallets(store);
    }

    /// <summary>The open draft, if any.</summary>
    public ReservesDraft? Draft => _store.State.ReservesDraft;

    /// <summary>The message signed for <paramref name="address"/>.</summary>
    public static string MessageFor(string challenge, LiabilitiesRoot liabilities, string address)
    {
        ArgumentNullException.ThrowIfNull(liabilities);
        return $"BitCurrent proof of reserves\nchallenge: {challenge}\nliabilities root: {liabilities.RootHash}\naddress: {address}";
    }

    /// <summary>Starts a draft (replacing an open one) from the cold and hot wallets' outputs at the tip.</summary>
    /// <exception cref="ReservesException"><see cref="CustodyError.ReservesChallengeInvalid"/>.</exception>
    public async Task<ReservesDraft> PrepareAsync(IBitcoinChain chain, string challenge, LiabilitiesRoot liabilities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(liabilities);
        if (string.IsNullOrWhiteSpace(challenge) || challenge.Length > 256 || challenge.Any(char.IsControl))
        {
            Throw.Reserves(CustodyError.ReservesChallengeInvalid, "the challenge is 1..256 printable characters");
        }
        var cold = _wallets.Cold;
        var hot = _store.HotWallet;
        var tip = await chain.GetTipAsync(cancellationToken).ConfigureAwait(false);
        var addresses = new List<ReservesAddress>();
        var coldUtxos = await _wallets.GetColdUtxosAsync(chain, cancellationToken).ConfigureAwait(false);
        foreach (var group in coldUtxos.GroupBy(u => (u.Chain, u.Index)).OrderBy(g => g.Key.Chain).ThenBy(g => g.Key.Index))
        {
            var address = cold.Address(group.Key.Chain, group.Key.Index).ToString();
            addresses.Add(Entry(address, "cold", group.Key, cold.WitnessScript(group.Key.Chain, group.Key.Index).ToHex(), group, challenge, liabilities));
        }
        if (hot is not null)
        {
            var hotUtxos = await _wallets.GetHotUtxosAsync(chain, cancellationToken).ConfigureAwait(false);
            foreach (var group in hotUtxos.GroupBy(u => (u.Chain, u.Index)).OrderBy(g => g.Key.Chain).ThenBy(g => g.Key.Index))
            {
                var address = hot.Address(group.Key.Chain, group.Key.Index).ToString();
                addresses.Add(Entry(address, "hot", group.Key, null, group, challenge, liabilities));
            }
        }
        var draft = new ReservesDraft
        {
            Challenge = challenge,
            Liabilities = liabilities,
            BlockHeight = tip.Height,
            BlockHash = tip.BlockHash,
            CreatedAt = _store.Time.GetUtcNow(),
            Addresses = addresses,
        };
        _store.State.ReservesDraft = draft;
        _store.Commit([]);
        return draft;
    }

    /// <summary>Cold signer <paramref name="signer"/> (1-based) signs every cold address of the draft with its key at that address.</summary>
    /// <returns>The number of addresses signed (0 when this signer had already signed).</returns>
    /// <exception cref="ReservesException"><see cref="CustodyError.ReservesDraftNotFound"/>.</exception>
    /// <exception cref="RebalanceException"><see cref="CustodyError.RebalanceSignerIndexOutOfRange"/>, <see cref="CustodyError.RebalanceSignerMismatch"/>.</exception>
    public int SignCold(int signer, ExtendedPrivateKey signerAccountKey)
    {
        ArgumentNullException.ThrowIfNull(signerAccountKey);
        var draft = RequireDraft();
        var cold = _wallets.Cold;
        RebalanceDesk.CheckSigner(cold, signer, signerAccountKey);
        if (draft.ColdSigners.Contains(signer))
        {
            return 0;
        }
        var signed = 0;
        var updated = new List<ReservesAddress>();
        foreach (var entry in draft.Addresses)
        {
            if (entry.Wallet != "cold")
            {
                updated.Add(entry);
                continue;
            }
            var (chain, index) = ParsePath(entry.Path);
            using var child = signerAccountKey.Derive(new KeyPath([chain, index]));
            var signature = SignedMessage.Sign(child.PrivateKey, entry.Message, MessageSignatureType.P2pkhCompressed);
            updated.Add(entry with { Signatures = [.. entry.Signatures, signature] });
            signed++;
        }
        _store.State.ReservesDraft = draft with { Addresses = updated, ColdSigners = [.. draft.ColdSigners, signer] };
        _store.Commit([]);
        return signed;
    }

    /// <summary>The hot wallet key signs every hot address of the draft (BIP-137 P2WPKH signatures).</summary>
    /// <returns>The number of addresses signed (0 when already signed).</returns>
    /// <exception cref="KeyFileException"><see cref="CustodyError.KeyFileWrongRole"/> when the key is not the hot wallet's.</exception>
    public int SignHot(ExtendedPrivateKey hotAccountKey)
    {
        ArgumentNullException.ThrowIfNull(hotAccountKey);
        var draft = RequireDraft();
        var hot = _wallets.Hot;
        if (!hotAccountKey.Neuter().Equals(hot.Account.Xpub))
        {
            Throw.KeyFile(CustodyError.KeyFileWrongRole, "this key is not the hot wallet's key");
        }
        if (draft.HotSigned)
        {
            return 0;
        }
        var signed = 0;
        var updated = new List<ReservesAddress>();
        foreach (var entry in draft.Addresses)
        {
            if (entry.Wallet != "hot")
            {
                updated.Add(entry);
                continue;
            }
            var (chain, index) = ParsePath(entry.Path);
            using var child = hotAccountKey.Derive(new KeyPath([chain, index]));
            updated.Add(entry with { Signatures = [SignedMessage.Sign(child.PrivateKey, entry.Message, MessageSignatureType.P2wpkh)] });
            signed++;
        }
        _store.State.ReservesDraft = draft with { Addresses = updated, HotSigned = true };
        _store.Commit([]);
        return signed;
    }

    /// <summary>Checks every proof of the draft and returns the report (the draft is closed).</summary>
    /// <exception cref="ReservesException"><see cref="CustodyError.ReservesDraftNotFound"/>; <see cref="CustodyError.ReservesProofInvalid"/> when an
    /// address lacks enough valid signatures.</exception>
    public ReservesReport Publish()
    {
        var draft = RequireDraft();
        var reserves = Money.Sum(draft.Addresses.Select(a => a.BalanceSats));
        var report = new ReservesReport
        {
            Network = NetworkNames.Name(_store.Network),
            Challenge = draft.Challenge,
            BlockHeight = draft.BlockHeight,
            BlockHash = draft.BlockHash,
            CreatedAt = draft.CreatedAt,
            PublishedAt = _store.Time.GetUtcNow(),
            Liabilities = draft.Liabilities,
            Addresses = draft.Addresses,
            ReservesSats = reserves,
            LiabilitiesSats = draft.Liabilities.TotalSats,
            ReservesCoverLiabilities = reserves >= draft.Liabilities.TotalSats,
        };
        foreach (var entry in report.Addresses)
        {
            var problem = CheckProof(entry, report, _store.Network);
            if (problem is { } p)
            {
                Throw.Reserves(p.Reason, p.Detail);
            }
        }
        report = report with { ReportHash = report.ComputeHash() };
        _store.State.ReservesDraft = null;
        _store.Commit([new CustodyEvent(report.PublishedAt, CustodyEventKind.ReservesPublished, $"reserves at height {report.BlockHeight}",
            $"reserves {Money.FormatBitcoin(reserves)} BTC, liabilities {Money.FormatBitcoin(report.LiabilitiesSats)} BTC, report {report.ReportHash}")]);
        return report;
    }

    /// <summary>Checks a report: its hash, every ownership proof, the sums, and — when <paramref name="chain"/> is given — that every output
    /// counted is in the chain at or below the report's height with the reported value and script (and, when the tip is still the
    /// report's block, that the addresses hold exactly the reported outputs).</summary>
    public static async Task<ReservesVerification> VerifyAsync(ReservesReport report, IBitcoinChain? chain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var problems = new List<(CustodyError, string)>();
        if (!NetworkNames.TryParse(report.Network, out var network))
        {
            problems.Add((CustodyError.ReservesReportMalformed, $"unknown network '{report.Network}'"));
            return new ReservesVerification(false, false, 0, report.LiabilitiesSats, problems);
        }
        if (report.ReportHash != report.ComputeHash())
        {
            problems.Add((CustodyError.ReservesReportHashMismatch, "the report hash does not match its content"));
        }
        if (report.Liabilities.TotalSats != report.LiabilitiesSats || report.Asset != "BTC")
        {
            problems.Add((CustodyError.ReservesReportMalformed, "liabilities total or asset inconsistent"));
        }
        long reserves = 0;
        foreach (var entry in report.Addresses)
        {
            if (CheckProof(entry, report, network) is { } p)
            {
                problems.Add(p);
                continue;
            }
            reserves += entry.BalanceSats;
        }
        if (reserves != report.ReservesSats && problems.Count == 0)
        {
            problems.Add((CustodyError.ReservesReportMalformed, "the address balances do not add up to the reserves total"));
        }
        var checkedOnChain = false;
        if (chain is not null)
        {
            checkedOnChain = true;
            await CheckAgainstChainAsync(report, network, chain, problems, cancellationToken).ConfigureAwait(false);
        }
        return new ReservesVerification(problems.Count == 0, checkedOnChain, reserves, report.LiabilitiesSats, problems);
    }

    private static async Task CheckAgainstChainAsync(ReservesReport report, Network network, IBitcoinChain chain, List<(CustodyError, string)> problems, CancellationToken cancellationToken)
    {
        if (chain.Network != network)
        {
            problems.Add((CustodyError.ChainNetworkMismatch, "the chain given is for another network"));
            return;
        }
        var tip = await chain.GetTipAsync(cancellationToken).ConfigureAwait(false);
        foreach (var entry in report.Addresses)
        {
            var script = BitcoinAddress.Parse(entry.Address, network).ScriptPubKey;
            foreach (var output in entry.Outputs)
            {
                var outPoint = CustodyWallets.ParseOutPoint(output.OutPoint);
                var tx = await chain.GetTransactionAsync(outPoint.TxId, cancellationToken).ConfigureAwait(false);
                if (tx is null || tx.BlockHeight is null || tx.BlockHeight > report.BlockHeight || outPoint.Index >= tx.Transaction.Outputs.Count ||
                    tx.Transaction.Outputs[(int)outPoint.Index].Value != output.AmountSats || !tx.Transaction.Outputs[(int)outPoint.Index].ScriptPubKey.Equals(script))
                {
                    problems.Add((CustodyError.ReservesBalanceMismatch, $"{output.OutPoint} ({entry.Address}) is not in the chain at or below height {report.BlockHeight} with the reported value"));
                }
            }
            if (tip.Height == report.BlockHeight && tip.BlockHash == report.BlockHash)
            {
                var now = await chain.GetUtxosAsync([script], cancellationToken).ConfigureAwait(false);
                var balance = now.Sum(u => u.Output.Value);
                if (balance != entry.BalanceSats)
                {
                    problems.Add((CustodyError.ReservesBalanceMismatch, $"{entry.Address} holds {Money.FormatBitcoin(balance)} BTC on chain, the report says {Money.FormatBitcoin(entry.BalanceSats)} BTC"));
                }
            }
        }
    }

    private static (CustodyError Reason, string Detail)? CheckProof(ReservesAddress entry, ReservesReport report, Network network)
    {
        if (BitcoinAddress.TryParse(entry.Address, network, out var address) != CustodyError.None || address is null)
        {
            return (CustodyError.ReservesProofInvalid, $"{entry.Address} is not a {NetworkNames.Name(network)} address");
        }
        if (entry.Message != MessageFor(report.Challenge, report.Liabilities, entry.Address))
        {
            return (CustodyError.ReservesProofInvalid, $"{entry.Address}: the signed message does not bind this challenge, liabilities root and address");
        }
        if (entry.Outputs.Any(o => o.AmountSats <= 0) || entry.Outputs.Sum(o => o.AmountSats) != entry.BalanceSats)
        {
            return (CustodyError.ReservesReportMalformed, $"{entry.Address}: outputs do not add up to the balance");
        }
        if (entry.Wallet == "hot" && address.Type == AddressType.P2wpkh)
        {
            return entry.Signatures.Count == 1 && SignedMessage.Verify(address, entry.Message, entry.Signatures[0])
                ? null
                : (CustodyError.ReservesProofInvalid, $"{entry.Address}: no valid signature by the address's key");
        }
        if (entry.Wallet == "cold" && address.Type == AddressType.P2wsh && entry.WitnessScript is not null)
        {
            Script witnessScript;
            try
            {
                witnessScript = Script.FromHex(entry.WitnessScript);
            }
            catch (FormatException)
            {
                return (CustodyError.ReservesProofInvalid, $"{entry.Address}: the witness script is not hex");
            }
            if (!Script.P2wsh(witnessScript).Equals(address.ScriptPubKey) || !witnessScript.IsMultisig(out var required, out var keys))
            {
                return (CustodyError.ReservesProofInvalid, $"{entry.Address}: the witness script is not this address's multisig script");
            }
            var signers = new HashSet<string>(StringComparer.Ordinal);
            foreach (var signature in entry.Signatures)
            {
                try
                {
                    var key = SignedMessage.RecoverPublicKey(entry.Message, signature, out _);
                    if (keys.Exists(k => key.Span.SequenceEqual(k)))
                    {
                        signers.Add(key.ToHex());
                    }
                }
                catch (SignatureFormatException)
                {
                    return (CustodyError.ReservesProofInvalid, $"{entry.Address}: a signature does not decode");
                }
            }
            return signers.Count >= required
                ? null
                : (CustodyError.ReservesProofInvalid, $"{entry.Address}: {signers.Count} of {required} required keys signed");
        }
        return (CustodyError.ReservesProofInvalid, $"{entry.Address}: not a cold P2WSH or hot P2WPKH address");
    }

    private ReservesDraft RequireDraft() => _store.State.ReservesDraft
        ?? throw new ReservesException(CustodyError.ReservesDraftNotFound, "no proof-of-reserves draft: run 'bitcurrent por prepare' first");

    private static ReservesAddress Entry(string address, string wallet, (uint Chain, uint Index) where, string? witnessScript, IEnumerable<WalletUtxo> utxos,
        string challenge, LiabilitiesRoot liabilities)
    {
        var outputs = utxos.Select(u => new ReservesOutput(u.OutPoint.ToString(), u.Output.Value)).ToList();
        return new ReservesAddress
        {
            Address = address,
            Wallet = wallet,
            Path = string.Create(CultureInfo.InvariantCulture, $"{where.Chain}/{where.Index}"),
            WitnessScript = witnessScript,
            Outputs = outputs,
            BalanceSats = Money.Sum(outputs.Select(o => o.AmountSats)),
            Message = MessageFor(challenge, liabilities, address),
        };
    }

    private static (uint Chain, uint Index) ParsePath(string path)
    {
        var parts = path.Split('/');
        if (parts.Length != 2 || !uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var chain) ||
            !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || chain > 1 || index >= KeyPath.HardenedBit)
        {
            throw new CustodyStateException(CustodyError.StateFileCorrupt, $"'{path}' is not chain/index");
        }
        return (chain, index);
    }
}
