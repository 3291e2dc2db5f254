using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace BitCurrent.Custody.Tests;

/// <summary>
/// The Bitcoin Core JSON-RPC client against a loopback HTTP server inside the test, answering with the response shapes of Bitcoin
/// Core's RPC documentation (getblockchaininfo, scantxoutset, sendrawtransaction, getrawtransaction verbose, getblockheader,
/// estimatesmartfee, and its JSON-RPC 1.0 error answers with HTTP 500). No real node is involved.
/// </summary>
public sealed class BitcoinCoreRpcClientTests : IAsyncDisposable
{
    private const string BestBlock = "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206";
    private const string BlockHash = "3b0f3c9ab44a5d7b7b0e3ff8ec57e0bfb3d0a2a1b4d4e1c4e2f5a6b7c8d9e0f1";
    private readonly FakeNode _node = new();

    private static readonly PrivateKey Key = new(Hashes.Sha256("rpc"u8));

    private static Transaction SampleTransaction()
    {
        var funding = new OutPoint(TxId.Parse("c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00"), 1);
        var psbt = new TransactionBuilder(Network.Regtest)
            .AddInput(funding, new TxOut(50_000_000, Script.P2wpkh(Key.PublicKey)))
            .AddOutput(Script.P2wpkh(Key.PublicKey), 49_990_000)
            .BuildPsbt();
        PsbtRoles.Sign(psbt, [Key]);
        PsbtRoles.Finalize(psbt);
        return PsbtRoles.Extract(psbt);
    }

    private BitcoinCoreRpcClient Client(string? user = "alice", string? password = "s3cret", string? cookie = null, Network network = Network.Regtest) =>
        new(new BitcoinCoreRpcOptions { Endpoint = _node.Endpoint, Network = network, User = user, Password = password, CookieFile = cookie });

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Tip_comes_from_getblockchaininfo_and_the_chain_is_checked()
    {
        _node.Answer("getblockchaininfo", 200, $$"""
            {"result":{"chain":"regtest","blocks":101,"headers":101,"bestblockhash":"{{BestBlock}}","difficulty":4.656542373906925e-10,
            "time":1700000000,"mediantime":1700000000,"verificationprogress":1,"initialblockdownload":false,
            "chainwork":"00000000000000000000000000000000000000000000000000000000000000cc","size_on_disk":30233,"pruned":false,"warnings":""},
            "error":null,"id":"1"}
            """);
        using var client = Client();
        var tip = await client.GetTipAsync(cancellationToken: Test.Ct);
        Assert.Equal(101, tip.Height);
        Assert.Equal(BestBlock, tip.BlockHash);
        var request = _node.Requests.Single();
        Assert.Equal("getblockchaininfo", request.Method);
        Assert.Equal("Basic " + Convert.ToBase64String("alice:s3cret"u8.ToArray()), request.Authorization);

        using var mainnet = Client(network: Network.Mainnet);
        var e = await Assert.ThrowsAsync<ChainException>(() => mainnet.GetTipAsync(cancellationToken: Test.Ct));
        Assert.Equal(CustodyError.ChainNetworkMismatch, e.Reason);
    }

    [Fact]
    public async Task Cookie_authentication_reads_the_cookie_file()
    {
        using var dir = new TempDirectory();
        var cookie = dir.File(".cookie");
        await File.WriteAllTextAsync(cookie, "__cookie__:0123abcd\n", cancellationToken: Test.Ct);
        _node.Answer("getblockchaininfo", 200, $$"""{"result":{"chain":"test","blocks":5,"bestblockhash":"{{BestBlock}}"},"error":null,"id":"1"}""");
        using var client = Client(user: null, password: null, cookie: cookie, network: Network.Testnet);
        await client.GetTipAsync(cancellationToken: Test.Ct);
        Assert.Equal("Basic " + Convert.ToBase64String("__cookie__:0123abcd"u8.ToArray()), _node.Requests.Single().Authorization);
    }

    [Fact]
    public async Task Utxos_come_from_scantxoutset_with_raw_descriptors_and_exact_amounts()
    {
        var script = Script.P2wpkh(Key.PublicKey);
        var txid = "3214fa09a8ebcb8d1a7d4a5d2f5c8e1b0a9f8e7d6c5b4a39281706f5e4d3c2b1";
        _node.Answer("scantxoutset", 200, $$"""
            {"result":{"success":true,"txouts":104,"height":101,"bestblock":"{{BestBlock}}",
            "unspents":[{"txid":"{{txid}}","vout":1,"scriptPubKey":"{{script.ToHex()}}","desc":"raw({{script.ToHex()}})#8mwxv2hc",
            "amount":0.12345678,"coinbase":false,"height":99,"blockhash":"{{BlockHash}}","confirmations":3}],
            "total_amount":0.12345678},"error":null,"id":"1"}
            """);
        using var client = Client();
        var utxos = await client.GetUtxosAsync([script], cancellationToken: Test.Ct);
        var utxo = Assert.Single(utxos);
        Assert.Equal(new OutPoint(TxId.Parse(txid), 1), utxo.OutPoint);
        Assert.Equal(12_345_678, utxo.Output.Value);
        Assert.Equal(script, utxo.Output.ScriptPubKey);
        Assert.Equal(99, utxo.Height);
        Assert.Equal(3, utxo.Confirmations);
        var parameters = _node.Requests.Single().Params;
        Assert.Equal("start", parameters[0].GetString());
        Assert.Equal($"raw({script.ToHex()})", parameters[1][0].GetProperty("desc").GetString());
    }

    [Fact]
    public async Task Broadcast_sends_the_hex_and_maps_core_error_codes()
    {
        var tx = SampleTransaction();
        _node.Answer("sendrawtransaction", 200, $$"""{"result":"{{tx.GetTxId()}}","error":null,"id":"1"}""");
        using var client = Client();
        Assert.Equal(tx.GetTxId(), await client.BroadcastAsync(tx, cancellationToken: Test.Ct));
        Assert.Equal(tx.ToHex(), _node.Requests.Single().Params[0].GetString());

        (int Code, string Message, CustodyError Expected)[] cases =
        [
            (-26, "mandatory-script-verify-flag-failed (Signature must be zero for failed CHECK(MULTI)SIG operation)", CustodyError.ChainTransactionRejected),
            (-26, "txn-mempool-conflict", CustodyError.ChainInputsMissingOrSpent),
            (-25, "bad-txns-inputs-missingorspent", CustodyError.ChainInputsMissingOrSpent),
            (-26, "bad-txns-in-belowout, value in (0.001) < value out (0.002)", CustodyError.ChainFeeNegative),
            (-27, "Transaction outputs already in utxo set", CustodyError.ChainAlreadyInChain),
            (-28, "Loading block index...", CustodyError.ChainUnavailable),
            (-32601, "Method not found", CustodyError.ChainRpcError),
        ];
        foreach (var (code, message, expected) in cases)
        {
            _node.Answer("sendrawtransaction", 500, JsonSerializer.Serialize(new { result = (object?)null, error = new { code, message }, id = "1" }));
            var e = await Assert.ThrowsAsync<ChainException>(() => client.BroadcastAsync(tx, cancellationToken: Test.Ct));
            Assert.Equal(expected, e.Reason);
            Assert.Equal(code, e.RpcCode);
            Assert.Contains(message, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Transactions_come_from_getrawtransaction_with_confirmations_and_block_height()
    {
        var tx = SampleTransaction();
        _node.Answer("getrawtransaction", 200, $$"""
            {"result":{"in_active_chain":true,"txid":"{{tx.GetTxId()}}","hash":"{{tx.GetWitnessTxId()}}","version":2,"size":191,"vsize":110,
            "weight":437,"locktime":0,"vin":[],"vout":[],"hex":"{{tx.ToHex()}}","blockhash":"{{BlockHash}}","confirmations":3,
            "time":1700000000,"blocktime":1700000000},"error":null,"id":"1"}
            """);
        _node.Answer("getblockheader", 200, $$"""{"result":{"hash":"{{BlockHash}}","confirmations":3,"height":99,"version":536870912},"error":null,"id":"1"}""");
        using var client = Client();
        var info = await client.GetTransactionAsync(tx.GetTxId(), cancellationToken: Test.Ct);
        Assert.NotNull(info);
        Assert.Equal(3, info.Confirmations);
        Assert.Equal(99, info.BlockHeight);
        Assert.Equal(BlockHash, info.BlockHash);
        Assert.Equal(tx.GetWitnessTxId(), info.Transaction.GetWitnessTxId());
        var request = _node.Requests.First(r => r.Method == "getrawtransaction");
        Assert.Equal(tx.GetTxId().ToString(), request.Params[0].GetString());
        Assert.True(request.Params[1].GetBoolean());

        // In the mempool: no blockhash, no confirmations.
        _node.Answer("getrawtransaction", 200, $$"""{"result":{"txid":"{{tx.GetTxId()}}","hex":"{{tx.ToHex()}}"},"error":null,"id":"1"}""");
        var pending = await client.GetTransactionAsync(tx.GetTxId(), cancellationToken: Test.Ct);
        Assert.Equal(0, pending!.Confirmations);
        Assert.Null(pending.BlockHeight);

        // Unknown: error -5 is null, not an exception.
        _node.Answer("getrawtransaction", 500, """{"result":null,"error":{"code":-5,"message":"No such mempool or blockchain transaction. Use gettransaction for wallet transactions."},"id":"1"}""");
        Assert.Null(await client.GetTransactionAsync(tx.GetTxId(), cancellationToken: Test.Ct));

        // A node answering another transaction is caught.
        _node.Answer("getrawtransaction", 200, $$"""{"result":{"hex":"{{tx.ToHex()}}"},"error":null,"id":"1"}""");
        var other = TxId.Parse(new string('1', 64));
        Assert.Equal(CustodyError.ChainResponseMalformed, (await Assert.ThrowsAsync<ChainException>(() => client.GetTransactionAsync(other, cancellationToken: Test.Ct))).Reason);
    }

    [Fact]
    public async Task Fee_estimate_converts_btc_per_kvb_to_sat_per_vbyte_rounding_up()
    {
        _node.Answer("estimatesmartfee", 200, """{"result":{"feerate":0.00012345,"blocks":6},"error":null,"id":"1"}""");
        using var client = Client();
        Assert.Equal(13, await client.EstimateFeeRateAsync(6, cancellationToken: Test.Ct));
        Assert.Equal(6, _node.Requests.Single().Params[0].GetInt32());
        _node.Answer("estimatesmartfee", 200, """{"result":{"errors":["Insufficient data or no feerate found"],"blocks":0},"error":null,"id":"1"}""");
        var e = await Assert.ThrowsAsync<ChainException>(() => client.EstimateFeeRateAsync(6, cancellationToken: Test.Ct));
        Assert.Equal(CustodyError.ChainFeeEstimateUnavailable, e.Reason);
        Assert.Contains("Insufficient data", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Access_failures_are_typed()
    {
        using var client = Client();
        _node.Answer("getblockchaininfo", 401, string.Empty);
        Assert.Equal(CustodyError.ChainAuthenticationFailed, (await Assert.ThrowsAsync<ChainException>(() => client.GetTipAsync(cancellationToken: Test.Ct))).Reason);
        _node.Answer("getblockchaininfo", 200, "<html>not json</html>");
        Assert.Equal(CustodyError.ChainUnavailable, (await Assert.ThrowsAsync<ChainException>(() => client.GetTipAsync(cancellationToken: Test.Ct))).Reason);
        _node.Answer("getblockchaininfo", 200, """{"result":{"chain":"regtest","blocks":"many"},"error":null,"id":"1"}""");
        Assert.Equal(CustodyError.ChainResponseMalformed, (await Assert.ThrowsAsync<ChainException>(() => client.GetTipAsync(cancellationToken: Test.Ct))).Reason);
        _node.Answer("scantxoutset", 200, """{"result":{"success":true,"height":5,"unspents":[{"txid":"00","vout":0,"scriptPubKey":"00","amount":1.5,"height":1}]},"error":null,"id":"1"}""");
        Assert.Equal(CustodyError.ChainResponseMalformed, (await Assert.ThrowsAsync<ChainException>(() => client.GetUtxosAsync([Script.P2wpkh(Key.PublicKey)], cancellationToken: Test.Ct))).Reason);

        using var nowhere = new BitcoinCoreRpcClient(new BitcoinCoreRpcOptions { Endpoint = new Uri($"http://127.0.0.1:{FakeNode.UnusedPort()}/") });
        Assert.Equal(CustodyError.ChainUnavailable, (await Assert.ThrowsAsync<ChainException>(() => nowhere.GetTipAsync(cancellationToken: Test.Ct))).Reason);
    }

    [Fact]
    public void Options_never_print_the_password()
    {
        var options = new BitcoinCoreRpcOptions { Endpoint = new Uri("http://127.0.0.1:18443/"), User = "alice", Password = "s3cret" };
        Assert.DoesNotContain("s3cret", options.ToString(), StringComparison.Ordinal);
        using var client = new BitcoinCoreRpcClient(options);
        Assert.DoesNotContain("s3cret", client.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A minimal HTTP/1.1 server on a loopback port: one request per connection, canned answers per RPC method.</summary>
    private sealed class FakeNode : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Dictionary<string, (int Status, string Body)> _answers = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public FakeNode()
        {
            _listener.Start();
            Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _loop = Task.Run(AcceptAsync);
        }

        public Uri Endpoint { get; }

        public List<(string Method, JsonElement Params, string? Authorization)> Requests { get; } = [];

        public void Answer(string method, int status, string body)
        {
            lock (_answers)
            {
                _answers[method] = (status, body);
            }
        }

        public static int UnusedPort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                using (client)
                {
                    await ServeAsync(client.GetStream());
                }
            }
        }

        private async Task ServeAsync(NetworkStream stream)
        {
            var buffer = new List<byte>();
            var chunk = new byte[4096];
            int headerEnd;
            while ((headerEnd = IndexOf(buffer, "\r\n\r\n"u8)) < 0)
            {
                var n = await stream.ReadAsync(chunk);
                if (n == 0)
                {
                    return;
                }
                buffer.AddRange(chunk.AsSpan(0, n));
            }
            var headers = Encoding.ASCII.GetString([.. buffer.GetRange(0, headerEnd)]).Split("\r\n");
            var length = int.Parse(headers.First(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var authorization = headers.FirstOrDefault(h => h.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase))?[14..].Trim();
            while (buffer.Count < headerEnd + 4 + length)
            {
                var n = await stream.ReadAsync(chunk);
                if (n == 0)
                {
                    return;
                }
                buffer.AddRange(chunk.AsSpan(0, n));
            }
            using var request = JsonDocument.Parse(buffer.GetRange(headerEnd + 4, length).ToArray());
            var method = request.RootElement.GetProperty("method").GetString()!;
            lock (_answers)
            {
                Requests.Add((method, request.RootElement.GetProperty("params").Clone(), authorization));
            }
            (int Status, string Body) answer;
            lock (_answers)
            {
                answer = _answers.TryGetValue(method, out var a) ? a : (500, """{"result":null,"error":{"code":-32601,"message":"Method not found"},"id":"1"}""");
            }
            var body = Encoding.UTF8.GetBytes(answer.Body);
            var head = Encoding.ASCII.GetBytes($"HTTP/1.1 {answer.Status} {(answer.Status == 200 ? "OK" : "Error")}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(head);
            await stream.WriteAsync(body);
            await stream.FlushAsync();
        }

        private static int IndexOf(List<byte> haystack, ReadOnlySpan<byte> needle)
        {
            for (var i = 0; i + needle.Length <= haystack.Count; i++)
            {
                var match = true;
                for (var j = 0; j < needle.Length && match; j++)
                {
                    match = haystack[i + j] == needle[j];
                }
                if (match)
                {
                    return i;
                }
            }
            return -1;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await _loop;
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
            }
            _stop.Dispose();
        }
    }
}
