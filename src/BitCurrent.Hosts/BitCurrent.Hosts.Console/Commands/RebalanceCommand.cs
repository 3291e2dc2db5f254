using System.CommandLine;
using System.Globalization;
using BitCurrent.Custody;
using CliCommand = System.CommandLine.Command;

namespace BitCurrent.Hosts.Console.Commands;

/// <summary>
/// <c>bitcurrent rebalance initiate|sign|broadcast|monitor|export|import|list|cancel</c>: the runbook's cold-to-hot transfer, step by step
/// (initiate-rebalancing.sh, sign-rebalancing.sh, broadcast-rebalancing.sh, monitor-rebalancing.sh).
/// </summary>
internal static class RebalanceCommand
{
    public static CliCommand Create()
    {
        var command = new CliCommand("rebalance", "Cold -> hot transfers with the cold wallet's m-of-n signatures (runbook: Low Hot Wallet Balance).");
        command.Add(Initiate());
        command.Add(Sign());
        command.Add(Broadcast());
        command.Add(Monitor());
        command.Add(Export());
        command.Add(Import());
        command.Add(List());
        command.Add(Cancel());
        return command;
    }

    private static Option<string> TxIdOption() => new("--tx-id") { Description = "The rebalancing's id (its unsigned txid, or a unique prefix of 8+ hex digits).", Required = true };

    private static CliCommand Initiate()
    {
        var data = CustodyCli.DataOption();
        var from = new Option<string>("--from") { Description = "Source wallet (cold).", DefaultValueFactory = _ => "cold" };
        var to = new Option<string>("--to") { Description = "Destination wallet (hot).", DefaultValueFactory = _ => "hot" };
        var amount = new Option<string>("--amount") { Description = "BTC to move, e.g. 2.0 (at most 8 decimals).", Required = true };
        var currency = new Option<string>("--currency") { Description = "BTC.", DefaultValueFactory = _ => "BTC" };
        var feeRate = new Option<long?>("--fee-rate") { Description = "Fee rate in sat/vB (default: the chain's estimate)." };
        var by = CustodyCli.ByOption("Who initiates it (recorded).");
        var chain = new ChainOptions();
        var command = new CliCommand("initiate", "Build and store the PSBT spending the cold wallet to a new hot wallet address; prints its tx id.")
        {
            data, from, to, amount, currency, feeRate, by,
        };
        chain.AddTo(command);
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            var satoshis = CustodyCli.ParseAmount(parseResult.GetValue(amount)!);
            using var store = CustodyCli.OpenStore(parseResult, data);
            using var handle = chain.Open(parseResult, store);
            var record = Sync.Wait(new RebalanceDesk(store).InitiateAsync(handle.Chain, satoshis, parseResult.GetValue(feeRate), parseResult.GetValue(by)!,
                parseResult.GetValue(from)!, parseResult.GetValue(to)!, parseResult.GetValue(currency)!));
            CustodyCli.Line(writer, "tx id", record.Id);
            CustodyCli.Line(writer, "amount", CustodyCli.Btc(record.AmountSats));
            CustodyCli.Line(writer, "to (hot)", record.Destination);
            CustodyCli.Line(writer, "change (cold)", record.ChangeAddress is null ? "none" : $"{CustodyCli.Btc(record.ChangeSats)} to {record.ChangeAddress}");
            CustodyCli.Line(writer, "inputs", string.Join(", ", record.Inputs.Select(i => $"{i.OutPoint} ({Money.FormatBitcoin(i.AmountSats)})")));
            CustodyCli.Line(writer, "fee", string.Create(CultureInfo.InvariantCulture, $"{record.FeeSats} sat ({record.FeeRateSatPerVb} sat/vB)"));
            CustodyCli.Line(writer, "signatures", string.Create(CultureInfo.InvariantCulture, $"0 of {record.Threshold}"));
            CustodyCli.Line(writer, "state", State(record.State));
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Sign()
    {
        var data = CustodyCli.DataOption();
        var txId = TxIdOption();
        var signer = new Option<int>("--signer") { Description = "Your signer number (1..n, the order of --xpubs at wallet create-cold).", Required = true };
        var key = new Option<string>("--key") { Description = "Your signer key file.", Required = true };
        var passphraseEnv = CustodyCli.PassphraseEnvOption();
        var command = new CliCommand("sign", "Sign the stored PSBT with one signer's key file (no chain access needed).") { data, txId, signer, key, passphraseEnv };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data);
            var desk = new RebalanceDesk(store);
            var record = desk.Get(parseResult.GetValue(txId)!);
            using var accountKey = CustodyCli.Unlock(parseResult, key, passphraseEnv, out var file);
            if (file.Role != KeyRole.Signer)
            {
                throw new KeyFileException(CustodyError.KeyFileWrongRole, "this is the hot wallet's key file, not a signer's");
            }
            var outcome = desk.Sign(record.Id, parseResult.GetValue(signer), accountKey);
            CustodyCli.Line(writer, "tx id", outcome.Record.Id);
            CustodyCli.Line(writer, "pays", $"{CustodyCli.Btc(record.AmountSats)} to {record.Destination} (hot wallet){(record.ChangeAddress is null ? string.Empty : $", change {CustodyCli.Btc(record.ChangeSats)} to the cold wallet")}, fee {record.FeeSats} sat");
            CustodyCli.Line(writer, "signer", string.Create(CultureInfo.InvariantCulture,
                $"{parseResult.GetValue(signer)} ({file.MasterFingerprint:x8}) {(outcome.Added ? "signed" : "had already signed: nothing added")}"));
            CustodyCli.Line(writer, "signatures", string.Create(CultureInfo.InvariantCulture, $"{outcome.SignaturesPresent} of {outcome.SignaturesRequired}"));
            CustodyCli.Line(writer, "state", State(outcome.Record.State));
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Broadcast()
    {
        var data = CustodyCli.DataOption();
        var txId = TxIdOption();
        var chain = new ChainOptions();
        var command = new CliCommand("broadcast", "Verify every signature, refuse below the threshold, finalize, extract and broadcast.") { data, txId };
        chain.AddTo(command);
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data);
            using var handle = chain.Open(parseResult, store);
            var record = Sync.Wait(new RebalanceDesk(store).BroadcastAsync(parseResult.GetValue(txId)!, handle.Chain));
            var tx = Transaction.Parse(record.TransactionHex!);
            CustodyCli.Line(writer, "tx id", record.Id);
            CustodyCli.Line(writer, "broadcast", string.Create(CultureInfo.InvariantCulture, $"{tx.GetVirtualSize()} vB, fee {record.FeeSats} sat, {record.Signatures.Count} signer(s): {string.Join(", ", record.Signatures.Select(s => s.Signer))}"));
            CustodyCli.Line(writer, "state", State(record.State));
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Monitor()
    {
        var data = CustodyCli.DataOption();
        var txId = TxIdOption();
        var chain = new ChainOptions();
        var command = new CliCommand("monitor", "Show the rebalancing's state and confirmations (confirmed at policy.json spendConfirmations).") { data, txId };
        chain.AddTo(command);
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data);
            using var handle = chain.Open(parseResult, store);
            var record = Sync.Wait(new RebalanceDesk(store).MonitorAsync(parseResult.GetValue(txId)!, handle.Chain));
            CustodyCli.Line(writer, "tx id", record.Id);
            CustodyCli.Line(writer, "state", State(record.State));
            CustodyCli.Line(writer, "amount", $"{CustodyCli.Btc(record.AmountSats)} to {record.Destination}");
            CustodyCli.Line(writer, "signatures", string.Create(CultureInfo.InvariantCulture,
                $"{record.Signatures.Count} of {record.Threshold} ({(record.Signatures.Count == 0 ? "none" : string.Join(", ", record.Signatures.Select(s => $"signer {s.Signer}")))})"));
            CustodyCli.Line(writer, "confirmations", record.Confirmations);
            CustodyCli.Line(writer, "block", record.BlockHeight?.ToString(CultureInfo.InvariantCulture) ?? "-");
            CustodyCli.Line(writer, "broadcast at", CustodyCli.Time(record.BroadcastAt));
            CustodyCli.Line(writer, "confirmed at", CustodyCli.Time(record.ConfirmedAt));
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Export()
    {
        var data = CustodyCli.DataOption();
        var txId = TxIdOption();
        var output = new Option<string?>("--out") { Description = "Write the base64 PSBT to this file (default: standard output)." };
        var command = new CliCommand("export", "Write the PSBT (base64, BIP-174) for an outside wallet to check or sign.") { data, txId, output };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data);
            var psbt = new RebalanceDesk(store).Export(parseResult.GetValue(txId)!);
            if (parseResult.GetValue(output) is { } path)
            {
                File.WriteAllText(path, psbt + "\n");
                CustodyCli.Line(writer, "written", path);
            }
            else
            {
                writer.WriteLine(psbt);
            }
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Import()
    {
        var data = CustodyCli.DataOption();
        var txId = TxIdOption();
        var psbt = new Option<string>("--psbt") { Description = "A file with the signed PSBT (base64 or binary).", Required = true };
        var command = new CliCommand("import", "Combine a PSBT signed elsewhere, after verifying every signature in it.") { data, txId, psbt };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data);
            var bytes = File.ReadAllBytes(parseResult.GetValue(psbt)!);
            var parsed = bytes.Length >= 5 && bytes[0] == 0x70 && bytes[4] == 0xff ? Psbt.Parse(bytes) : Psbt.ParseBase64(System.Text.Encoding.ASCII.GetString(bytes).Trim());
            var outcome = new RebalanceDesk(store).Import(parseResult.GetValue(txId)!, parsed);
            CustodyCli.Line(writer, "tx id", outcome.Record.Id);
            CustodyCli.Line(writer, "imported", outcome.Added ? "new signature(s) accepted" : "nothing new");
            CustodyCli.Line(writer, "signatures", string.Create(CultureInfo.InvariantCulture, $"{outcome.SignaturesPresent} of {outcome.SignaturesRequired}"));
            CustodyCli.Line(writer, "state", State(outcome.Record.State));
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand List()
    {
        var data = CustodyCli.DataOption();
        var command = new CliCommand("list", "List rebalancings.") { data };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data);
            foreach (var r in store.Rebalances)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Id} {Money.FormatBitcoin(r.AmountSats),16} BTC {State(r.State),-20} signatures {r.Signatures.Count}/{r.Threshold} confirmations {r.Confirmations}"));
            }
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Cancel()
    {
        var data = CustodyCli.DataOption();
        var txId = TxIdOption();
        var by = CustodyCli.ByOption("Who cancels it (recorded).");
        var command = new CliCommand("cancel", "Cancel a rebalancing that was not broadcast (frees its cold outputs).") { data, txId, by };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data);
            var record = new RebalanceDesk(store).Cancel(parseResult.GetValue(txId)!, parseResult.GetValue(by)!);
            CustodyCli.Line(writer, "tx id", record.Id);
            CustodyCli.Line(writer, "state", State(record.State));
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static string State(RebalanceState state) => state switch
    {
        RebalanceState.AwaitingSignatures => "awaiting-signatures",
        RebalanceState.ReadyToBroadcast => "ready-to-broadcast",
        RebalanceState.Broadcast => "broadcast",
        RebalanceState.Confirmed => "confirmed",
        _ => "cancelled",
    };
}
