using System.CommandLine;
using System.Globalization;
using BitCurrent.Custody;
using CliCommand = System.CommandLine.Command;

namespace BitCurrent.Hosts.Console.Commands;

/// <summary>
/// <c>bitcurrent chain fund|mine|reorg|status</c>: drive the simulated regtest chain under DATA/chain (status also reads a real node
/// with --chain rpc).
/// </summary>
internal static class ChainCommand
{
    public static CliCommand Create()
    {
        var command = new CliCommand("chain", "The simulated regtest chain: fund addresses, mine blocks, simulate reorganisations, show the tip.");
        command.Add(Fund());
        command.Add(Mine());
        command.Add(Reorg());
        command.Add(Status());
        return command;
    }

    private static CliCommand Fund()
    {
        var data = CustodyCli.DataOption();
        var wallet = new Option<string>("--wallet") { Description = "cold (the next cold receive address), hot (a new hot internal address) or any regtest address.", Required = true };
        var amount = new Option<string>("--amount") { Description = "BTC, e.g. 10 or 0.5 (at most 8 decimals).", Required = true };
        var command = new CliCommand("fund", "Pay an address from a coinbase-like transaction, mined at once in a new block.") { data, wallet, amount };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            var satoshis = CustodyCli.ParseAmount(parseResult.GetValue(amount)!);
            using var store = CustodyCli.OpenStore(parseResult, data);
            using var chain = ChainOptions.OpenSimulated(store);
            var target = parseResult.GetValue(wallet)!;
            var wallets = new CustodyWallets(store);
            var address = target switch
            {
                "cold" => wallets.NextColdReceiveAddress(),
                "hot" => wallets.NextHotFundingAddress(),
                _ => BitcoinAddress.Parse(target, store.Network),
            };
            var txid = chain.Fund(address.ScriptPubKey, satoshis);
            CustodyCli.Line(writer, "funded", $"{address} with {CustodyCli.Btc(satoshis)}");
            CustodyCli.Line(writer, "txid", $"{txid}:0");
            CustodyCli.Line(writer, "block", string.Create(CultureInfo.InvariantCulture, $"{chain.Height} {chain.BlockHash(chain.Height)}"));
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Mine()
    {
        var data = CustodyCli.DataOption();
        var blocks = new Option<int>("--blocks") { Description = "How many blocks (1..10000); the first takes the whole mempool.", DefaultValueFactory = _ => 1 };
        var command = new CliCommand("mine", "Mine blocks on the simulated chain.") { data, blocks };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            var count = parseResult.GetValue(blocks);
            if (count is < 1 or > 10_000)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("error: --blocks must be 1..10000");
                return 1;
            }
            using var store = CustodyCli.OpenStore(parseResult, data);
            using var chain = ChainOptions.OpenSimulated(store);
            var mempool = chain.Mempool.Count;
            var hashes = chain.Mine(count);
            CustodyCli.Line(writer, "mined", string.Create(CultureInfo.InvariantCulture, $"{hashes.Count} block(s), {mempool} transaction(s) from the mempool"));
            CustodyCli.Line(writer, "tip", string.Create(CultureInfo.InvariantCulture, $"{chain.Height} {hashes[^1]}"));
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Reorg()
    {
        var data = CustodyCli.DataOption();
        var blocks = new Option<int>("--blocks") { Description = "How many blocks to disconnect from the tip.", Required = true };
        var command = new CliCommand("reorg", "Disconnect blocks from the simulated chain (their transactions return to the mempool; funding transactions vanish).") { data, blocks };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data);
            using var chain = ChainOptions.OpenSimulated(store);
            var returned = chain.Disconnect(parseResult.GetValue(blocks));
            CustodyCli.Line(writer, "disconnected", string.Create(CultureInfo.InvariantCulture, $"{parseResult.GetValue(blocks)} block(s); {returned} transaction(s) back in the mempool"));
            CustodyCli.Line(writer, "tip", string.Create(CultureInfo.InvariantCulture, $"{chain.Height} {chain.BlockHash(chain.Height)}"));
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Status()
    {
        var data = CustodyCli.DataOption();
        var chainOptions = new ChainOptions();
        var command = new CliCommand("status", "Tip height and hash, mempool size and fee estimate.") { data };
        chainOptions.AddTo(command);
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data);
            using var handle = chainOptions.Open(parseResult, store);
            var tip = Sync.Wait(handle.Chain.GetTipAsync());
            CustodyCli.Line(writer, "chain", chainOptions.IsSimulated(parseResult) ? $"simulated regtest ({Path.Combine(store.ChainDirectory, SimulatedChain.FileName)})" : $"bitcoin core ({NetworkNames.Name(store.Network)})");
            CustodyCli.Line(writer, "height", tip.Height);
            CustodyCli.Line(writer, "tip", tip.BlockHash);
            if (handle.Chain is SimulatedChain sim)
            {
                CustodyCli.Line(writer, "mempool", string.Create(CultureInfo.InvariantCulture, $"{sim.Mempool.Count} transaction(s)"));
            }
            CustodyCli.Line(writer, "fee estimate", string.Create(CultureInfo.InvariantCulture, $"{Sync.Wait(handle.Chain.EstimateFeeRateAsync(store.Policy.FeeEstimateTargetBlocks))} sat/vB"));
            return CustodyCli.ExitOk;
        }));
        return command;
    }
}
