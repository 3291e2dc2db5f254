using System.Globalization;

namespace BitCurrent.Custody;

/// <summary>An unspent output of one of our wallets.</summary>
/// <param name="OutPoint">Where it is.</param>
/// <param name="Output">Amount and script.</param>
/// <param name="Chain">Wallet chain (0 receive / deposit, 1 change / internal).</param>
/// <param name="Index">Address index on that chain.</param>
/// <param name="Confirmations">Confirmations.</param>
/// <param name="Locked">Spent by a withdrawal or rebalancing of ours that is signed or in flight (not yet confirmed).</param>
public sealed record WalletUtxo(OutPoint OutPoint, TxOut Output, uint Chain, uint Index, int Confirmations, bool Locked);

/// <summary>
/// Creates the cold and hot wallets of a data directory, gives out addresses (one deposit address per user, recorded; cold receive
/// addresses; internal addresses for change and rebalancing) and lists the wallets' unspent outputs from a chain. Only addresses
/// that were given out are scanned (there is no gap-limit search).
/// </summary>
public sealed class CustodyWallets
{
    private readonly CustodyStore _store;

    /// <summary>Works on <paramref name="store"/>.</summary>
    public CustodyWallets(CustodyStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Creates the cold wallet from the signers' account keys (signer k = <c>signers[k - 1]</c>) and stores its descriptors.</summary>
    /// <exception cref="CustodyStateException"><see cref="CustodyError.WalletAlreadyExists"/>, or the <see cref="ColdWallet"/> checks.</exception>
    public ColdWallet CreateColdWallet(int threshold, IReadOnlyList<AccountKey> signers)
    {
        if (_store.State.Cold is not null)
        {
            Throw.State(CustodyError.WalletAlreadyExists, "the cold wallet already exists in this data directory");
        }
        var wallet = new ColdWallet(threshold, signers, _store.Network);
        var now = _store.Time.GetUtcNow();
        _store.State.Cold = new Internal.ColdWalletDocument
        {
            Threshold = threshold,
            Signers = wallet.Signers.Select(s => s.ToString()).ToList(),
            ReceiveDescriptor = wallet.ReceiveDescriptor,
            ChangeDescriptor = wallet.ChangeDescriptor,
            CreatedAt = now,
        };
        _store.Commit([new CustodyEvent(now, CustodyEventKind.ColdWalletCreated, "cold wallet",
            $"{threshold}-of-{signers.Count} {wallet.ReceiveDescriptor}")]);
        return _store.ColdWallet!;
    }

    /// <summary>Creates the hot wallet from its BIP-84 account key (from the hot key file).</summary>
    /// <param name="account">The account key (m/84'/coin'/0').</param>
    /// <param name="keyFilePath">The key file's path, recorded as the default for signing (optional).</param>
    /// <exception cref="CustodyStateException"><see cref="CustodyError.WalletAlreadyExists"/>, <see cref="CustodyError.NetworkMismatch"/>.</exception>
    public HotWallet CreateHotWallet(AccountKey account, string? keyFilePath)
    {
        if (_store.State.Hot is not null)
        {
            Throw.State(CustodyError.WalletAlreadyExists, "the hot wallet already exists in this data directory");
        }
        var wallet = new HotWallet(account, _store.Network);
        var now = _store.Time.GetUtcNow();
        _store.State.Hot = new Internal.HotWalletDocument
        {
            Account = account.ToString(),
            Descriptor = wallet.Descriptor,
            KeyFile = keyFilePath is null ? null : Path.GetFullPath(keyFilePath),
            CreatedAt = now,
        };
        _store.Commit([new CustodyEvent(now, CustodyEventKind.HotWalletCreated, "hot wallet", wallet.Descriptor)]);
        return _store.HotWallet!;
    }

    /// <summary>The cold wallet.</summary>
    /// <exception cref="CustodyStateException"><see cref="CustodyError.WalletNotFound"/>.</exception>
    public ColdWallet Cold => _store.ColdWallet ?? throw new CustodyStateException(CustodyError.WalletNotFound, "no cold wallet: run 'bitcurrent wallet create-cold' first");

    /// <summary>The hot wallet.</summary>
    /// <exception cref="CustodyStateException"><see cref="CustodyError.WalletNotFound"/>.</exception>
    public HotWallet Hot => _store.HotWallet ?? throw new CustodyStateException(CustodyError.WalletNotFound, "no hot wallet: run 'bitcurrent wallet create-hot' first");

    /// <summary>The user's deposit address, assigning the next index on first use (m/84'/coin'/0'/0/i).</summary>
    public DepositAddress GetDepositAddress(ulong userId)
    {
        var hot = Hot;
        var document = _store.State.Hot!;
        var existing = document.DepositAddresses.Find(a => a.UserId == userId);
        if (existing is not null)
        {
            return existing;
        }
        var index = document.NextDepositIndex;
        var assigned = new DepositAddress(userId, index, hot.Address(WalletChain.Receive, index).ToString(), _store.Time.GetUtcNow());
        document.DepositAddresses.Add(assigned);
        document.NextDepositIndex = index + 1;
        _store.Commit([new CustodyEvent(assigned.AssignedAt, CustodyEventKind.DepositAddressAssigned,
            string.Create(CultureInfo.InvariantCulture, $"user {userId}"), $"{assigned.Address} (m/84'/…/0/{index})")]);
        return assigned;
    }

    /// <summary>Gives out the next cold receive address (to fund the cold wallet).</summary>
    public BitcoinAddress NextColdReceiveAddress()
    {
        var cold = Cold;
        var document = _store.State.Cold!;
        var address = cold.Address(WalletChain.Receive, document.NextReceiveIndex);
        document.NextReceiveIndex++;
        _store.Commit([]);
        return address;
    }

    /// <summary>Gives out (and records) the next hot internal address, to pay the hot wallet from outside (a demo's funding).</summary>
    public BitcoinAddress NextHotFundingAddress()
    {
        var (address, _) = TakeHotInternalAddress();
        _store.Commit([]);
        return address;
    }

    /// <summary>Gives out the next hot internal address (m/84'/coin'/0'/1/i); the caller commits.</summary>
    internal (BitcoinAddress Address, uint Index) TakeHotInternalAddress()
    {
        var hot = Hot;
        var document = _store.State.Hot!;
        var index = document.NextInternalIndex++;
        return (hot.Address(WalletChain.Change, index), index);
    }

    /// <summary>Gives out the next cold change address; the caller commits.</summary>
    internal (BitcoinAddress Address, uint Index) TakeColdChangeAddress()
    {
        var cold = Cold;
        var document = _store.State.Cold!;
        var index = document.NextChangeIndex++;
        return (cold.Address(WalletChain.Change, index), index);
    }

    /// <summary>Every cold script given out, with its chain and index.</summary>
    public IReadOnlyDictionary<Script, (uint Chain, uint Index)> ColdScripts()
    {
        var cold = Cold;
        var document = _store.State.Cold!;
        var result = new Dictionary<Script, (uint, uint)>();
        for (uint i = 0; i < document.NextReceiveIndex; i++) result[cold.ScriptPubKey(WalletChain.Receive, i)] = (WalletChain.Receive, i);
        for (uint i = 0; i < document.NextChangeIndex; i++) result[cold.ScriptPubKey(WalletChain.Change, i)] = (WalletChain.Change, i);
        return result;
    }

    /// <summary>Every hot script given out (deposit addresses and internal addresses), with its chain and index.</summary>
    public IReadOnlyDictionary<Script, (uint Chain, uint Index)> HotScripts()
    {
        var hot = Hot;
        var document = _store.State.Hot!;
        var result = new Dictionary<Script, (uint, uint)>();
        foreach (var a in document.DepositAddresses) result[hot.ScriptPubKey(WalletChain.Receive, a.Index)] = (WalletChain.Receive, a.Index);
        for (uint i = 0; i < document.NextInternalIndex; i++) result[hot.ScriptPubKey(WalletChain.Change, i)] = (WalletChain.Change, i);
        return result;
    }

    /// <summary>Outputs spent by our signed or in-flight transactions (withdrawals signed or broadcast; rebalancings not yet confirmed or
    /// cancelled), so they are neither counted in balances nor selected again.</summary>
    public IReadOnlySet<OutPoint> LockedOutPoints()
    {
        var locked = new HashSet<OutPoint>();
        foreach (var w in _store.State.Withdrawals)
        {
            if (w.Status is WithdrawalStatus.Signed or WithdrawalStatus.Broadcast && w.TransactionHex is not null)
            {
                foreach (var input in Transaction.Parse(w.TransactionHex).Inputs) locked.Add(input.PrevOut);
            }
        }
        foreach (var r in _store.State.Rebalances)
        {
            if (r.State is RebalanceState.AwaitingSignatures or RebalanceState.ReadyToBroadcast or RebalanceState.Broadcast)
            {
                foreach (var input in r.Inputs) locked.Add(ParseOutPoint(input.OutPoint));
            }
        }
        return locked;
    }

    /// <summary>The cold wallet's confirmed unspent outputs.</summary>
    public Task<IReadOnlyList<WalletUtxo>> GetColdUtxosAsync(IBitcoinChain chain, CancellationToken cancellationToken = default) =>
        GetUtxosAsync(chain, ColdScripts(), cancellationToken);

    /// <summary>The hot wallet's confirmed unspent outputs.</summary>
    public Task<IReadOnlyList<WalletUtxo>> GetHotUtxosAsync(IBitcoinChain chain, CancellationToken cancellationToken = default) =>
        GetUtxosAsync(chain, HotScripts(), cancellationToken);

    private async Task<IReadOnlyList<WalletUtxo>> GetUtxosAsync(IBitcoinChain chain, IReadOnlyDictionary<Script, (uint Chain, uint Index)> scripts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (chain.Network != _store.Network)
        {
            Throw.State(CustodyError.NetworkMismatch, $"the chain is {NetworkNames.Name(chain.Network)}, the data directory {NetworkNames.Name(_store.Network)}");
        }
        if (scripts.Count == 0)
        {
            return [];
        }
        var utxos = await chain.GetUtxosAsync(scripts.Keys.ToList(), cancellationToken).ConfigureAwait(false);
        var locked = LockedOutPoints();
        var result = new List<WalletUtxo>(utxos.Count);
        foreach (var u in utxos)
        {
            if (scripts.TryGetValue(u.Output.ScriptPubKey, out var where) && u.Confirmations >= 1)
            {
                result.Add(new WalletUtxo(u.OutPoint, u.Output, where.Chain, where.Index, u.Confirmations, locked.Contains(u.OutPoint)));
            }
        }
        return result;
    }

    /// <summary>Parses "txid:vout".</summary>
    internal static OutPoint ParseOutPoint(string text)
    {
        var colon = text.LastIndexOf(':');
        var voutOk = uint.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var vout);
        if (colon != 64 || !voutOk || text.AsSpan(0, 64).ContainsAnyExcept("0123456789abcdefABCDEF"))
        {
            Throw.State(CustodyError.StateFileCorrupt, $"'{text}' is not txid:vout");
        }
        return new OutPoint(TxId.Parse(text[..colon]), vout);
    }
}
