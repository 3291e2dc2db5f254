using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace BitCurrent.Custody;

/// <summary>How to reach a Bitcoin Core node's JSON-RPC interface.</summary>
/// <remarks>Authentication is either the node's cookie file (<c>~/.bitcoin/regtest/.cookie</c>, read on every call so a node restart is
/// picked up) or rpcuser/rpcpassword. <see cref="ToString"/> never shows the password.</remarks>
public sealed class BitcoinCoreRpcOptions
{
    /// <summary>The endpoint, for example http://127.0.0.1:18443/ (regtest), :18332 (testnet), :8332 (mainnet).</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The network the node must be on (checked against getblockchaininfo's "chain").</summary>
    public Network Network { get; init; } = Network.Regtest;

    /// <summary>Path of the node's .cookie file; used when set.</summary>
    public string? CookieFile { get; init; }

    /// <summary>rpcuser, when no cookie file is given.</summary>
    public string? User { get; init; }

    /// <summary>rpcpassword, when no cookie file is given.</summary>
    public string? Password { get; init; }

    /// <summary>Time allowed per call (scantxoutset over a large UTXO set can take minutes).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Endpoint and network only.</summary>
    public override string ToString() => $"BitcoinCoreRpcOptions({Endpoint}, {NetworkNames.Name(Network)}, auth {(CookieFile is not null ? "cookie" : User is not null ? "user/password" : "none")})";
}

/// <summary>
/// <see cref="IBitcoinChain"/> over Bitcoin Core's JSON-RPC (HTTP POST, JSON-RPC 1.0 requests as bitcoin-cli sends them):
/// getblockchaininfo (tip and chain check), scantxoutset with raw() descriptors (UTXOs of scripts, no wallet needed),
/// sendrawtransaction, getrawtransaction verbose (needs <c>-txindex</c> for confirmed transactions not in the node's wallet) with
/// getblockheader, and estimatesmartfee. Amounts are read from the JSON text exactly (no floating point).
/// </summary>
/// <remarks>Tested against a loopback HTTP server answering with Bitcoin Core's documented response shapes, not against a real node.
/// RPC errors map to numbered reasons: -25 → <see cref="CustodyError.ChainInputsMissingOrSpent"/>, -26 → <see cref="CustodyError.ChainTransactionRejected"/>
/// (or the missing/conflicting-input reason named in its message), -27 → <see cref="CustodyError.ChainAlreadyInChain"/>,
/// -5 → <see cref="CustodyError.ChainTransactionNotFound"/>, -28 (warming up) → <see cref="CustodyError.ChainUnavailable"/>,
/// others → <see cref="CustodyError.ChainRpcError"/> with <see cref="ChainException.RpcCode"/>.</remarks>
public sealed class BitcoinCoreRpcClient : IBitcoinChain, IDisposable
{
    private readonly BitcoinCoreRpcOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private long _id;

    /// <summary>Creates a client.</summary>
    /// <param name="options">Endpoint, network and credentials.</param>
    /// <param name="httpClient">A client to use (not disposed by this class); by default one is created.</param>
    public BitcoinCoreRpcClient(BitcoinCoreRpcOptions options, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient { Timeout = options.Timeout };
    }

    /// <inheritdoc/>
    public Network Network => _options.Network;

    /// <summary>Calls any RPC method and returns its "result".</summary>
    /// <exception cref="ChainException">An access failure or the node's error, with its numbered reason.</exception>
    public async Task<JsonElement> CallAsync(string method, IReadOnlyList<object?> parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(parameters);
        var id = Interlocked.Increment(ref _id).ToString(CultureInfo.InvariantCulture);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["jsonrpc"] = "1.0",
            ["id"] = id,
            ["method"] = method,
            ["params"] = parameters,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = Authorization();
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            Throw.Chain(CustodyError.ChainUnavailable, $"{method}: cannot reach {_options.Endpoint}: {e.Message}");
            return default;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Throw.Chain(CustodyError.ChainUnavailable, $"{method}: no answer from {_options.Endpoint} within {_options.Timeout}");
            return default;
        }
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                Throw.Chain(CustodyError.ChainAuthenticationFailed, $"{method}: the node refused the credentials (HTTP {(int)response.StatusCode})");
            }
            var text = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text);
            }
            catch (JsonException)
            {
                Throw.Chain(CustodyError.ChainUnavailable, $"{method}: HTTP {(int)response.StatusCode} without a JSON-RPC body");
                return default;
            }
            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    Throw.Chain(CustodyError.ChainResponseMalformed, $"{method}: the answer is not a JSON object");
                }
                if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : 0;
                    var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "(no message)";
                    Throw.Chain(MapError(code, message), $"{method}: RPC error {code}: {message}", code);
                }
                if (!root.TryGetProperty("result", out var result))
                {
                    Throw.Chain(CustodyError.ChainResponseMalformed, $"{method}: the answer has no result");
                }
                return result.Clone();
            }
        }
    }

    /// <summary>Maps a Bitcoin Core RPC error code (and its message) to a numbered reason.</summary>
    public static CustodyError MapError(int code, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return code switch
        {
            -25 => CustodyError.ChainInputsMissingOrSpent,
            -26 when message.Contains("missingorspent", StringComparison.Ordinal) || message.Contains("mempool-conflict", StringComparison.Ordinal) => CustodyError.ChainInputsMissingOrSpent,
            -26 when message.Contains("in-belowout", StringComparison.Ordinal) => CustodyError.ChainFeeNegative,
            -26 => CustodyError.ChainTransactionRejected,
            -27 => CustodyError.ChainAlreadyInChain,
            -5 => CustodyError.ChainTransactionNotFound,
            -28 => CustodyError.ChainUnavailable,
            _ => CustodyError.ChainRpcError,
        };
    }

    /// <summary>getblockchaininfo; also checks that the node is on <see cref="BitcoinCoreRpcOptions.Network"/>.</summary>
    /// <exception cref="ChainException"><see cref="CustodyError.ChainNetworkMismatch"/>.</exception>
    public async Task<ChainTip> GetTipAsync(CancellationToken cancellationToken = default)
    {
        var info = await CallAsync("getblockchaininfo", [], cancellationToken).ConfigureAwait(false);
        var chain = String(info, "chain", "getblockchaininfo");
        if (!NetworkNames.TryParse(chain, out var network) || network != _options.Network)
        {
            Throw.Chain(CustodyError.ChainNetworkMismatch, $"the node is on chain '{chain}', expected {NetworkNames.Name(_options.Network)}");
        }
        return new ChainTip(Int(info, "blocks", "getblockchaininfo"), String(info, "bestblockhash", "getblockchaininfo"));
    }

    /// <summary>scantxoutset "start" with one raw(hex) descriptor per script.</summary>
    public async Task<IReadOnlyList<ChainUtxo>> GetUtxosAsync(IReadOnlyCollection<Script> scripts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scripts);
        if (scripts.Count == 0)
        {
            return [];
        }
        var objects = scripts.Select(s => new Dictionary<string, string> { ["desc"] = $"raw({s.ToHex()})" }).ToList();
        var result = await CallAsync("scantxoutset", ["start", objects], cancellationToken).ConfigureAwait(false);
        RequireObject(result, "scantxoutset");
        if (result.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.False)
        {
            Throw.Chain(CustodyError.ChainRpcError, "scantxoutset did not complete");
        }
        var scanHeight = Int(result, "height", "scantxoutset");
        if (!result.TryGetProperty("unspents", out var unspents) || unspents.ValueKind != JsonValueKind.Array)
        {
            Throw.Chain(CustodyError.ChainResponseMalformed, "scantxoutset: no unspents array");
        }
        var list = new List<ChainUtxo>();
        foreach (var u in unspents.EnumerateArray())
        {
            var txid = ParseTxId(String(u, "txid", "scantxoutset"));
            var vout = Int(u, "vout", "scantxoutset");
            var script = ParseScript(String(u, "scriptPubKey", "scantxoutset"));
            var amount = Amount(u, "amount", "scantxoutset");
            var height = Int(u, "height", "scantxoutset");
            list.Add(new ChainUtxo(new OutPoint(txid, (uint)vout), new TxOut(amount, script), height, scanHeight - height + 1));
        }
        return list.OrderBy(u => u.OutPoint.TxId.ToString(), StringComparer.Ordinal).ThenBy(u => u.OutPoint.Index).ToList();
    }

    /// <summary>sendrawtransaction.</summary>
    public async Task<TxId> BroadcastAsync(Transaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var result = await CallAsync("sendrawtransaction", [transaction.ToHex()], cancellationToken).ConfigureAwait(false);
        if (result.ValueKind != JsonValueKind.String)
        {
            Throw.Chain(CustodyError.ChainResponseMalformed, "sendrawtransaction: the result is not a txid");
        }
        var txid = ParseTxId(result.GetString()!);
        if (txid != transaction.GetTxId())
        {
            Throw.Chain(CustodyError.ChainResponseMalformed, "sendrawtransaction: the node answered another txid");
        }
        return txid;
    }

    /// <summary>getrawtransaction txid true (and getblockheader for the height); null on RPC error -5.</summary>
    public async Task<ChainTransaction?> GetTransactionAsync(TxId txId, CancellationToken cancellationToken = default)
    {
        JsonElement result;
        try
        {
            result = await CallAsync("getrawtransaction", [txId.ToString(), true], cancellationToken).ConfigureAwait(false);
        }
        catch (ChainException e) when (e.Reason == CustodyError.ChainTransactionNotFound)
        {
            return null;
        }
        Transaction tx;
        try
        {
            tx = Transaction.Parse(String(result, "hex", "getrawtransaction"));
        }
        catch (Exception e) when (e is CustodyException or FormatException)
        {
            Throw.Chain(CustodyError.ChainResponseMalformed, "getrawtransaction: hex does not parse");
            return null;
        }
        if (tx.GetTxId() != txId)
        {
            Throw.Chain(CustodyError.ChainResponseMalformed, "getrawtransaction: the node answered another transaction");
        }
        var confirmations = result.TryGetProperty("confirmations", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : 0;
        if (confirmations <= 0 || !result.TryGetProperty("blockhash", out var hashElement) || hashElement.ValueKind != JsonValueKind.String)
        {
            return new ChainTransaction(txId, tx, 0, null, null);
        }
        var blockHash = hashElement.GetString()!;
        var header = await CallAsync("getblockheader", [blockHash, true], cancellationToken).ConfigureAwait(false);
        return new ChainTransaction(txId, tx, confirmations, Int(header, "height", "getblockheader"), blockHash);
    }

    /// <summary>estimatesmartfee; the BTC/kvB answer converted to sat/vB, rounded up.</summary>
    public async Task<long> EstimateFeeRateAsync(int targetBlocks, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetBlocks, 1);
        var result = await CallAsync("estimatesmartfee", [targetBlocks], cancellationToken).ConfigureAwait(false);
        RequireObject(result, "estimatesmartfee");
        if (!result.TryGetProperty("feerate", out _))
        {
            var errors = result.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Array
                ? string.Join("; ", e.EnumerateArray().Select(x => x.ToString()))
                : "no feerate";
            Throw.Chain(CustodyError.ChainFeeEstimateUnavailable, $"estimatesmartfee: {errors}");
        }
        var satPerKvb = Amount(result, "feerate", "estimatesmartfee");
        return Math.Max(1, (satPerKvb + 999) / 1000);
    }

    /// <summary>Disposes the HTTP client when this instance created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>The endpoint only.</summary>
    public override string ToString() => $"BitcoinCoreRpcClient({_options.Endpoint})";

    private AuthenticationHeaderValue? Authorization()
    {
        string? credentials = null;
        if (_options.CookieFile is not null)
        {
            try
            {
                credentials = File.ReadAllText(_options.CookieFile).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Throw.Chain(CustodyError.ChainAuthenticationFailed, $"cannot read the cookie file {_options.CookieFile}");
            }
        }
        else if (_options.User is not null)
        {
            credentials = $"{_options.User}:{_options.Password}";
        }
        return credentials is null ? null : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
    }

    private static void RequireObject(JsonElement e, string method)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            Throw.Chain(CustodyError.ChainResponseMalformed, $"{method}: the result is not a JSON object");
        }
    }

    private static string String(JsonElement e, string name, string method)
    {
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String)
        {
            return v.GetString()!;
        }
        Throw.Chain(CustodyError.ChainResponseMalformed, $"{method}: '{name}' is missing or not a string");
        return string.Empty;
    }

    private static int Int(JsonElement e, string name, string method)
    {
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n >= 0)
        {
            return n;
        }
        Throw.Chain(CustodyError.ChainResponseMalformed, $"{method}: '{name}' is missing or not a non-negative integer");
        return 0;
    }

    private static long Amount(JsonElement e, string name, string method)
    {
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number &&
            Money.TryParseBitcoin(v.GetRawText(), out var satoshis) == CustodyError.None)
        {
            return satoshis;
        }
        Throw.Chain(CustodyError.ChainResponseMalformed, $"{method}: '{name}' is not an amount in BTC with at most 8 decimals");
        return 0;
    }

    private static Script ParseScript(string hex)
    {
        try
        {
            return Script.FromHex(hex);
        }
        catch (FormatException)
        {
            Throw.Chain(CustodyError.ChainResponseMalformed, "a scriptPubKey is not hex");
            return Script.Empty;
        }
    }

    private static TxId ParseTxId(string hex)
    {
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
        {
            Throw.Chain(CustodyError.ChainResponseMalformed, "a txid is 64 hex digits");
        }
        return TxId.Parse(hex);
    }
}
