using System.CommandLine;
using System.Globalization;
using BitCurrent.Custody;
using CliCommand = System.CommandLine.Command;

namespace BitCurrent.Hosts.Console.Commands;

/// <summary>
/// <c>bitcurrent wallet ...</c>: create the cold (m-of-n P2WSH) and hot (P2WPKH) wallets, give users deposit addresses, scan and credit
/// deposits, and read the hot wallet against its threshold (exit code 3 while LowHotWalletBalance is raised).
/// </summary>
internal static class WalletCommand
{
    public static CliCommand Create()
    {
        var command = new CliCommand("wallet", "Cold and hot wallets, deposit addresses, deposits and the hot wallet threshold.");
        command.Add(CreateCold());
        command.Add(CreateHot());
        command.Add(Show());
        command.Add(DepositAddress());
        command.Add(ScanDeposits());
        command.Add(Deposits());
        command.Add(HotBalance());
        return command;
    }

    private static CliCommand CreateCold()
    {
        var data = CustodyCli.DataOption();
        var network = CustodyCli.NetworkOption();
        var threshold = new Option<int>("--threshold") { Description = "Signatures needed (m of n).", Required = true };
        var xpubs = new Option<string[]>("--xpubs")
        {
            Description = "The signers' public keys in signer order (signer 1 first): .pub files from 'keys generate', or key expressions [fp/48h/1h/0h/2h]tpub...",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new CliCommand("create-cold", "Create the cold wallet: wsh(sortedmulti(m, xpubs...)) with a BIP-380 descriptor checksum.") { data, network, threshold, xpubs };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data, network);
            var signers = parseResult.GetValue(xpubs)!.Select(x => AccountKey.Parse(File.Exists(x) ? File.ReadAllText(x) : x, store.Network)).ToList();
            var cold = new CustodyWallets(store).CreateColdWallet(parseResult.GetValue(threshold), signers);
            CustodyCli.Line(writer, "cold wallet", $"{cold.Threshold}-of-{cold.Signers.Count} P2WSH sorted multisig, {NetworkNames.Name(store.Network)}");
            for (var i = 0; i < cold.Signers.Count; i++)
            {
                CustodyCli.Line(writer, string.Create(CultureInfo.InvariantCulture, $"signer {i + 1}"), cold.Signers[i].OriginText());
            }
            CustodyCli.Line(writer, "receive descriptor", cold.ReceiveDescriptor);
            CustodyCli.Line(writer, "change descriptor", cold.ChangeDescriptor);
            CustodyCli.Line(writer, "first address", cold.Address(WalletChain.Receive, 0));
            CustodyCli.Line(writer, "stored in", Path.Combine(store.CustodyDirectory, CustodyStore.StateFileName));
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand CreateHot()
    {
        var data = CustodyCli.DataOption();
        var network = CustodyCli.NetworkOption();
        var key = new Option<string>("--key") { Description = "The hot wallet key file (keys generate --role hot); only its public part is read.", Required = true };
        var command = new CliCommand("create-hot", "Create the hot wallet (BIP-84 P2WPKH) from a hot key file's public part.") { data, network, key };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data, network);
            var file = KeyFile.Open(parseResult.GetValue(key)!);
            if (file.Role != KeyRole.Hot)
            {
                throw new KeyFileException(CustodyError.KeyFileWrongRole, "this is a signer key file; the hot wallet needs a key file made with --role hot");
            }
            var hot = new CustodyWallets(store).CreateHotWallet(file.Account, file.FilePath);
            CustodyCli.Line(writer, "hot wallet", $"P2WPKH, {NetworkNames.Name(store.Network)}");
            CustodyCli.Line(writer, "descriptor", hot.Descriptor);
            CustodyCli.Line(writer, "key file", file.FilePath);
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Show()
    {
        var data = CustodyCli.DataOption();
        var command = new CliCommand("show", "Print the wallets' descriptors and the addresses given out.") { data };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data);
            CustodyCli.Line(writer, "network", NetworkNames.Name(store.Network));
            CustodyCli.Line(writer, "cold wallet", store.ColdWallet is { } c ? $"{c.Threshold}-of-{c.Signers.Count}  {c.ReceiveDescriptor}" : "(none)");
            CustodyCli.Line(writer, "hot wallet", store.HotWallet?.Descriptor ?? "(none)");
            foreach (var a in store.DepositAddresses)
            {
                CustodyCli.Line(writer, string.Create(CultureInfo.InvariantCulture, $"user {a.UserId}"), $"{a.Address}  (0/{a.Index})");
            }
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand DepositAddress()
    {
        var data = CustodyCli.DataOption();
        var user = new Option<ulong>("--user") { Description = "The user id.", Required = true };
        var command = new CliCommand("deposit-address", "The user's deposit address (assigned on first use, then always the same).") { data, user };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data);
            var address = new CustodyWallets(store).GetDepositAddress(parseResult.GetValue(user));
            CustodyCli.Line(writer, "user", address.UserId);
            CustodyCli.Line(writer, "deposit address", address.Address);
            CustodyCli.Line(writer, "path", $"{store.HotWallet!.Account.Path}/0/{address.Index}");
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand ScanDeposits()
    {
        var data = CustodyCli.DataOption();
        var chain = new ChainOptions();
        var command = new CliCommand("scan-deposits", "Detect deposits, credit those with enough confirmations, reverse credited ones that left the chain (exit 3 on a discrepancy).") { data };
        chain.AddTo(command);
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data);
            using var handle = chain.Open(parseResult, store);
            var result = Sync.Wait(new DepositMonitor(store).ScanAsync(handle.Chain));
            CustodyCli.Line(writer, "tip height", result.TipHeight);
            CustodyCli.Line(writer, "confirmations needed", store.Policy.DepositConfirmations);
            foreach (var e in result.Events)
            {
                writer.WriteLine($"{(e.IsDiscrepancy ? "DISCREPANCY " : string.Empty)}{e.Kind}: {e.Subject}: {e.Detail}");
            }
            if (result.Events.Count == 0)
            {
                writer.WriteLine("no changes");
            }
            return result.Discrepancies.Count > 0 ? CustodyCli.ExitCondition : CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Deposits()
    {
        var data = CustodyCli.DataOption();
        var command = new CliCommand("deposits", "List the deposit records (id, user, txid:vout, amount, confirmations, status).") { data };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data);
            writer.WriteLine($"{"id",4} {"user",6} {"amount BTC",16} {"conf",5} {"status",-9} outpoint");
            foreach (var d in store.Deposits)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{d.Id,4} {d.UserId,6} {Money.FormatBitcoin(d.AmountSats),16} {d.Confirmations,5} {d.Status.ToString().ToLowerInvariant(),-9} {d.OutPoint}"));
            }
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand HotBalance()
    {
        var data = CustodyCli.DataOption();
        var chain = new ChainOptions();
        var command = new CliCommand("hot-balance", "Hot wallet balance, pending withdrawals and threshold; exit code 3 while LowHotWalletBalance is raised.") { data };
        chain.AddTo(command);
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data);
            using var handle = chain.Open(parseResult, store);
            var status = Sync.Wait(new HotWalletMonitor(store).GetStatusAsync(handle.Chain));
            CustodyCli.Line(writer, "hot balance", CustodyCli.Btc(status.BalanceSats));
            CustodyCli.Line(writer, "pending withdrawals", string.Create(CultureInfo.InvariantCulture, $"{CustodyCli.Btc(status.PendingWithdrawalsSats)} ({status.PendingWithdrawalsCount})"));
            CustodyCli.Line(writer, "24h buffer", CustodyCli.Btc(status.BufferSats));
            CustodyCli.Line(writer, "threshold", CustodyCli.Btc(status.ThresholdSats));
            CustodyCli.Line(writer, "condition", status.IsLow ? $"{HotWalletStatus.LowBalanceCondition} (short by {CustodyCli.Btc(status.ShortfallSats)})" : "normal");
            CustodyCli.Line(writer, "tip height", status.TipHeight);
            return status.IsLow ? CustodyCli.ExitCondition : CustodyCli.ExitOk;
        }));
        return command;
    }
}
