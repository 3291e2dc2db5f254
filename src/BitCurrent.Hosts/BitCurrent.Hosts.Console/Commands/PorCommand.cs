using System.CommandLine;
using System.Globalization;
using BitCurrent.Custody;
using CliCommand = System.CommandLine.Command;

namespace BitCurrent.Hosts.Console.Commands;

/// <summary>
/// <c>bitcurrent por prepare|sign|publish|verify</c>: proof of reserves — ownership signatures over a challenge for every custody address
/// holding coins, their balances, set against the ledger's liabilities root. <c>verify</c> exits 0 when every proof holds and reserves cover
/// liabilities, 3 when the proofs hold but reserves fall short, 2 when a proof or the report is invalid.
/// </summary>
internal static class PorCommand
{
    public static CliCommand Create()
    {
        var command = new CliCommand("por", "Proof of reserves: prepare a draft, collect ownership signatures, publish a verifiable report, verify one.");
        command.Add(Prepare());
        command.Add(Sign());
        command.Add(Publish());
        command.Add(Verify());
        return command;
    }

    private static CliCommand Prepare()
    {
        var data = CustodyCli.DataOption();
        var challenge = new Option<string>("--challenge") { Description = "The challenge every signature commits to (e.g. the auditor's nonce and the date).", Required = true };
        var liabilities = new Option<string>("--liabilities")
        {
            Description = "JSON file with the ledger's liabilities root: {\"asset\":\"BTC\",\"rootHash\":\"<64 hex>\",\"totalSats\":N}.",
            Required = true,
        };
        var chain = new ChainOptions();
        var command = new CliCommand("prepare", "Fix the custody addresses holding coins and their balances at the tip; open a draft for signatures.") { data, challenge, liabilities };
        chain.AddTo(command);
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            var root = LiabilitiesRoot.Parse(File.ReadAllText(parseResult.GetValue(liabilities)!));
            using var store = CustodyCli.OpenStore(parseResult, data);
            using var handle = chain.Open(parseResult, store);
            var draft = Sync.Wait(new ReservesDesk(store).PrepareAsync(handle.Chain, parseResult.GetValue(challenge)!, root));
            CustodyCli.Line(writer, "height", string.Create(CultureInfo.InvariantCulture, $"{draft.BlockHeight} {draft.BlockHash}"));
            foreach (var a in draft.Addresses)
            {
                CustodyCli.Line(writer, a.Wallet, $"{a.Address} {CustodyCli.Btc(a.BalanceSats)}");
            }
            CustodyCli.Line(writer, "reserves", CustodyCli.Btc(draft.Addresses.Sum(a => a.BalanceSats)));
            CustodyCli.Line(writer, "liabilities", $"{CustodyCli.Btc(root.TotalSats)} (root {root.RootHash})");
            var cold = store.ColdWallet!;
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"next: {cold.Threshold} cold signers run 'por sign --signer K --key FILE'{(draft.Addresses.Any(a => a.Wallet == "hot") ? ", and 'por sign --hot --key HOT.key'" : string.Empty)}, then 'por publish --out FILE'"));
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Sign()
    {
        var data = CustodyCli.DataOption();
        var signer = new Option<int?>("--signer") { Description = "Cold signer number (1..n)." };
        var hot = new Option<bool>("--hot") { Description = "Sign the hot wallet's addresses with the hot key file." };
        var key = new Option<string>("--key") { Description = "The key file.", Required = true };
        var passphraseEnv = CustodyCli.PassphraseEnvOption();
        var command = new CliCommand("sign", "Sign the draft's messages for your addresses (cold signer K, or the hot wallet).") { data, signer, hot, key, passphraseEnv };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            var number = parseResult.GetValue(signer);
            var isHot = parseResult.GetValue(hot);
            if ((number is null) == !isHot)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("error: give either --signer K or --hot");
                return 1;
            }
            using var store = CustodyCli.OpenStore(parseResult, data);
            using var accountKey = CustodyCli.Unlock(parseResult, key, passphraseEnv, out _);
            var desk = new ReservesDesk(store);
            var signed = isHot ? desk.SignHot(accountKey) : desk.SignCold(number!.Value, accountKey);
            CustodyCli.Line(writer, "signed", string.Create(CultureInfo.InvariantCulture, $"{signed} address(es){(signed == 0 ? " (already signed)" : string.Empty)}"));
            var draft = desk.Draft!;
            CustodyCli.Line(writer, "cold signers", draft.ColdSigners.Count == 0 ? "none" : string.Join(", ", draft.ColdSigners));
            CustodyCli.Line(writer, "hot signed", draft.HotSigned ? "yes" : "no");
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Publish()
    {
        var data = CustodyCli.DataOption();
        var output = new Option<string>("--out") { Description = "The report file to write (JSON).", Required = true };
        var command = new CliCommand("publish", "Check every proof of the draft and write the report.") { data, output };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            using var store = CustodyCli.OpenStore(parseResult, data);
            var report = new ReservesDesk(store).Publish();
            File.WriteAllText(parseResult.GetValue(output)!, report.ToJson() + "\n");
            PrintTotals(writer, report.ReservesSats, report.LiabilitiesSats);
            CustodyCli.Line(writer, "addresses", report.Addresses.Count);
            CustodyCli.Line(writer, "report hash", report.ReportHash);
            CustodyCli.Line(writer, "written", parseResult.GetValue(output));
            return report.ReservesCoverLiabilities ? CustodyCli.ExitOk : CustodyCli.ExitCondition;
        }));
        return command;
    }

    private static CliCommand Verify()
    {
        var file = new Argument<string>("report") { Description = "The report file." };
        var data = CustodyCli.DataOption();
        var offline = new Option<bool>("--offline") { Description = "Do not read balances from a chain (check signatures and sums only)." };
        var chain = new ChainOptions();
        var command = new CliCommand("verify", "Check a report's hash and every ownership proof, re-derive balances from the chain, and say whether reserves cover liabilities.")
        {
            file, data, offline,
        };
        chain.AddTo(command);
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            var report = ReservesReport.Parse(File.ReadAllText(parseResult.GetValue(file)!));
            ReservesVerification verdict;
            if (parseResult.GetValue(offline))
            {
                verdict = Sync.Wait(ReservesDesk.VerifyAsync(report, null));
            }
            else
            {
                NetworkNames.TryParse(report.Network, out var network);
                using var handle = chain.Open(parseResult, Path.Combine(Path.GetFullPath(parseResult.GetValue(data)!), "chain"), network);
                verdict = Sync.Wait(ReservesDesk.VerifyAsync(report, handle.Chain));
            }
            foreach (var (reason, detail) in verdict.Problems)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: {(int)reason} {reason}: {detail}");
            }
            CustodyCli.Line(writer, "proofs", verdict.ProofsValid ? $"valid ({report.Addresses.Count} address(es))" : "INVALID");
            CustodyCli.Line(writer, "balances", verdict.CheckedAgainstChain ? "checked against the chain" : "not checked against a chain");
            PrintTotals(writer, verdict.ReservesSats, verdict.LiabilitiesSats);
            CustodyCli.Line(writer, "verdict", !verdict.ProofsValid ? "invalid report" : verdict.Covered ? "reserves cover liabilities" : "RESERVES DO NOT COVER LIABILITIES");
            return !verdict.ProofsValid ? CustodyCli.ExitRefused : verdict.Covered ? CustodyCli.ExitOk : CustodyCli.ExitCondition;
        }));
        return command;
    }

    private static void PrintTotals(TextWriter writer, long reserves, long liabilities)
    {
        CustodyCli.Line(writer, "reserves", CustodyCli.Btc(reserves));
        CustodyCli.Line(writer, "liabilities", CustodyCli.Btc(liabilities));
        CustodyCli.Line(writer, "surplus", CustodyCli.Btc(reserves - liabilities));
    }
}
