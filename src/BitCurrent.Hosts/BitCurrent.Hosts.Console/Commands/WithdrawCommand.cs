using System.CommandLine;
using System.Globalization;
using BitCurrent.Custody;
using CliCommand = System.CommandLine.Command;

namespace BitCurrent.Hosts.Console.Commands;

/// <summary>
/// <c>bitcurrent withdraw whitelist|request|approve|reject|list|process</c>: withdrawals through the policy (whitelist with cooling-off,
/// per-transaction and daily limits, approvals), paid by the hot wallet.
/// </summary>
internal static class WithdrawCommand
{
    public static CliCommand Create()
    {
        var command = new CliCommand("withdraw", "Withdrawals: whitelist destinations, request, approve or reject, list, and pay them from the hot wallet.");
        command.Add(Whitelist());
        command.Add(Request());
        command.Add(Approve());
        command.Add(Reject());
        command.Add(List());
        command.Add(Refresh());
        command.Add(Process());
        return command;
    }

    private static CliCommand Whitelist()
    {
        var data = CustodyCli.DataOption();
        var user = new Option<ulong>("--user") { Description = "The user id.", Required = true };
        var address = new Option<string>("--address") { Description = "The destination address.", Required = true };
        var by = CustodyCli.ByOption("Who adds it (recorded).");
        var command = new CliCommand("whitelist", "Whitelist a destination for a user; usable after the cooling-off period (policy.json).") { data, user, address, by };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data);
            var entry = new WithdrawalDesk(store).AddToWhitelist(parseResult.GetValue(user), parseResult.GetValue(address)!, parseResult.GetValue(by)!);
            CustodyCli.Line(writer, "whitelisted", $"{entry.Address} for user {entry.UserId}");
            CustodyCli.Line(writer, "usable from", CustodyCli.Time(entry.UsableFrom));
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Request()
    {
        var data = CustodyCli.DataOption();
        var user = new Option<ulong>("--user") { Description = "The user id.", Required = true };
        var address = new Option<string>("--address") { Description = "The destination address (must be whitelisted).", Required = true };
        var amount = new Option<string>("--amount") { Description = "BTC, at most 8 decimals.", Required = true };
        var by = CustodyCli.ByOption("Who requests it (an approver must be someone else).");
        var command = new CliCommand("request", "Request a withdrawal; policy refusals are recorded as rejected (exit 2).") { data, user, address, amount, by };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            var satoshis = CustodyCli.ParseAmount(parseResult.GetValue(amount)!);
            using var store = CustodyCli.OpenStore(parseResult, data);
            var record = new WithdrawalDesk(store).Request(parseResult.GetValue(user), parseResult.GetValue(address)!, satoshis, parseResult.GetValue(by)!);
            Print(writer, record);
            if (record.Status == WithdrawalStatus.Rejected)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: {(int)record.RejectReason!} {record.RejectReason}: {record.RejectDetail}");
                return CustodyCli.ExitRefused;
            }
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Approve()
    {
        var data = CustodyCli.DataOption();
        var id = new Option<ulong>("--id") { Description = "The withdrawal id.", Required = true };
        var by = CustodyCli.ByOption("The approver (not the requester, not twice).");
        var command = new CliCommand("approve", "Approve a pending withdrawal.") { data, id, by };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data);
            Print(writer, new WithdrawalDesk(store).Approve(parseResult.GetValue(id), parseResult.GetValue(by)!));
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Reject()
    {
        var data = CustodyCli.DataOption();
        var id = new Option<ulong>("--id") { Description = "The withdrawal id.", Required = true };
        var by = CustodyCli.ByOption("Who rejects it.");
        var reason = new Option<string>("--reason") { Description = "Why (recorded).", Required = true };
        var command = new CliCommand("reject", "Reject a pending or approved withdrawal.") { data, id, by, reason };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data);
            Print(writer, new WithdrawalDesk(store).Reject(parseResult.GetValue(id), parseResult.GetValue(by)!, parseResult.GetValue(reason)!));
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand List()
    {
        var data = CustodyCli.DataOption();
        var status = new Option<string?>("--status") { Description = "Only this status: pending, approved, signed, broadcast, confirmed, rejected." };
        var command = new CliCommand("list", "List withdrawals.") { data, status };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data);
            var only = parseResult.GetValue(status);
            writer.WriteLine($"{"id",4} {"user",6} {"amount BTC",16} {"status",-10} {"approvals",-9} destination / reason");
            foreach (var w in store.Withdrawals.Where(w => only is null || string.Equals(w.Status.ToString(), only, StringComparison.OrdinalIgnoreCase)))
            {
                var tail = w.Status == WithdrawalStatus.Rejected ? $"{(int)w.RejectReason!} {w.RejectReason}" : w.TxId is null ? w.Address : $"{w.Address} in {w.TxId}:{w.Vout}";
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{w.Id,4} {w.UserId,6} {Money.FormatBitcoin(w.AmountSats),16} {w.Status.ToString().ToLowerInvariant(),-10} {$"{w.Approvals.Count}/{w.ApprovalsRequired}",-9} {tail}"));
            }
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Refresh()
    {
        var data = CustodyCli.DataOption();
        var chain = new ChainOptions();
        var command = new CliCommand("refresh", "Update signed, broadcast and recently confirmed withdrawals from the chain (no key needed).") { data };
        chain.AddTo(command);
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data);
            using var handle = chain.Open(parseResult, store);
            var confirmed = Sync.Wait(new WithdrawalDesk(store).RefreshAsync(handle.Chain));
            foreach (var w in confirmed)
            {
                CustodyCli.Line(writer, "confirmed", string.Create(CultureInfo.InvariantCulture, $"withdrawal {w.Id} ({w.Confirmations} confirmation(s))"));
            }
            foreach (var w in store.Withdrawals.Where(w => w.Status is WithdrawalStatus.Signed or WithdrawalStatus.Broadcast))
            {
                CustodyCli.Line(writer, w.Status.ToString().ToLowerInvariant(), string.Create(CultureInfo.InvariantCulture,
                    $"withdrawal {w.Id} in {w.TxId}:{w.Vout} ({w.Confirmations} confirmation(s)){(w.LastError is null ? string.Empty : " last error: " + w.LastError)}"));
            }
            if (confirmed.Count == 0 && !store.Withdrawals.Any(w => w.Status is WithdrawalStatus.Signed or WithdrawalStatus.Broadcast))
            {
                writer.WriteLine("nothing in flight");
            }
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Process()
    {
        var data = CustodyCli.DataOption();
        var key = new Option<string>("--key") { Description = "The hot wallet key file (default: the one recorded by wallet create-hot)." };
        var passphraseEnv = CustodyCli.PassphraseEnvOption();
        var feeRate = new Option<long?>("--fee-rate") { Description = "Fee rate in sat/vB (default: the chain's estimate); above policy.json feeRateCapSatPerVb is refused." };
        var chain = new ChainOptions();
        var command = new CliCommand("process", "Update signed and broadcast withdrawals from the chain, then pay approved ones in one transaction signed by the hot wallet.")
        {
            data, key, passphraseEnv, feeRate,
        };
        chain.AddTo(command);
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data);
            var path = parseResult.GetValue(key) ?? store.HotKeyFile
                ?? throw new KeyFileException(CustodyError.KeyFileNotFound, "no hot wallet key file: pass --key");
            var rate = parseResult.GetValue(feeRate);
            if (rate is { } r)
            {
                FeeRates.Check(r, store.Policy);
            }
            var file = KeyFile.Open(path);
            var passphrase = CustodyCli.ReadPassphrase(parseResult, passphraseEnv, $"Passphrase for {Path.GetFileName(file.FilePath)}: ");
            ExtendedPrivateKey accountKey;
            try
            {
                accountKey = file.UnlockAccountKey(passphrase);
            }
            finally
            {
                Array.Clear(passphrase);
            }
            using (accountKey)
            {
                using var handle = chain.Open(parseResult, store);
                var result = Sync.Wait(new WithdrawalDesk(store).ProcessAsync(handle.Chain, accountKey, rate));
                foreach (var w in result.Confirmed)
                {
                    CustodyCli.Line(writer, "confirmed", string.Create(CultureInfo.InvariantCulture, $"withdrawal {w.Id} ({w.Confirmations} confirmation(s))"));
                }
                foreach (var w in result.Paid)
                {
                    CustodyCli.Line(writer, w.Status.ToString().ToLowerInvariant(), string.Create(CultureInfo.InvariantCulture, $"withdrawal {w.Id}: {CustodyCli.Btc(w.AmountSats)} to {w.Address}"));
                }
                if (result.TxId is not null)
                {
                    CustodyCli.Line(writer, "transaction", $"{result.TxId} (fee {result.FeeSats} sat)");
                }
                foreach (var w in result.Waiting)
                {
                    CustodyCli.Line(writer, "waiting for funds", string.Create(CultureInfo.InvariantCulture, $"withdrawal {w.Id}: {CustodyCli.Btc(w.AmountSats)}"));
                }
                if (result.Paid.Count == 0 && result.Confirmed.Count == 0 && result.Waiting.Count == 0)
                {
                    writer.WriteLine("nothing to do");
                }
                if (result.BroadcastError is not null)
                {
                    parseResult.InvocationConfiguration.Error.WriteLine($"error: broadcast refused: {result.BroadcastError}");
                    return CustodyCli.ExitRefused;
                }
                return result.Waiting.Count > 0 ? CustodyCli.ExitCondition : CustodyCli.ExitOk;
            }
        }));
        return command;
    }

    private static void Print(TextWriter writer, WithdrawalRecord w)
    {
        CustodyCli.Line(writer, "withdrawal", w.Id);
        CustodyCli.Line(writer, "user", w.UserId);
        CustodyCli.Line(writer, "amount", CustodyCli.Btc(w.AmountSats));
        CustodyCli.Line(writer, "destination", w.Address);
        CustodyCli.Line(writer, "status", w.Status.ToString().ToLowerInvariant());
        CustodyCli.Line(writer, "approvals", $"{w.Approvals.Count} of {w.ApprovalsRequired}{(w.Approvals.Count > 0 ? " (" + string.Join(", ", w.Approvals.Select(a => a.Approver)) + ")" : string.Empty)}");
        if (w.RejectReason is { } reason)
        {
            CustodyCli.Line(writer, "reason", $"{(int)reason} {reason}: {w.RejectDetail}");
        }
    }
}
