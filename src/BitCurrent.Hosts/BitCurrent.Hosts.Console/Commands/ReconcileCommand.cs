using System.CommandLine;
using System.Globalization;
using BitCurrent.Storage.PostgreSql;
using CliCommand = System.CommandLine.Command;

namespace BitCurrent.Hosts.Console.Commands;

/// <summary>
/// <c>bitcurrent reconcile [--json]</c>: the runbook's "Reconciliation Discrepancy" check. Rebuilds the ledger by
/// replaying the projected accounts and transfers, reads the custody wallets and the deposit and withdrawal records,
/// runs the ledger's reconciler, prints the report (or its JSON) and records the run in reconciliation_runs.
/// Exit codes: 0 balanced, 3 discrepancies found, 1 failed (connection, schema not migrated, ledger does not replay),
/// 2 no connection string.
/// </summary>
internal static class ReconcileCommand
{
    /// <param name="environment">Reads an environment variable (default: the process environment; tests pass their own).</param>
    public static CliCommand Create(Func<string, string?>? environment = null)
    {
        var connection = DatabaseCli.ConnectionOption();
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (amounts as strings of minor units) and nothing else on stdout." };
        var command = new CliCommand("reconcile", "Reconcile the ledger with the custody wallets and the deposit and withdrawal records; record the run.")
        {
            json, connection,
        };
        command.SetAction((parseResult, cancellationToken) => DatabaseCli.RunAsync(parseResult, connection, environment, cancellationToken, async (storage, output, error) =>
        {
            var run = await storage.ReconcileAsync(cancellationToken).ConfigureAwait(false);
            var replay = run.Replay;
            var c = CultureInfo.InvariantCulture;
            var hash = replay.StateHashMatches switch
            {
                true => "its state hash matches the last projection",
                false => "its state hash DIFFERS from the last projection's",
                null => "no state hash recorded to compare",
            };
            var source = string.Create(c, $"ledger rebuilt from {replay.AccountCount} accounts and {replay.TransferCount} transfers in {storage.Description} ({hash})");
            var info = parseResult.GetValue(json) ? error : output;
            if (parseResult.GetValue(json))
            {
                output.WriteLine(run.Report.ToJson());
                error.WriteLine(source);
            }
            else
            {
                output.WriteLine(source);
                run.Report.Write(output);
            }
            if (replay.AccountsDiffering > 0)
                error.WriteLine(string.Create(c, $"warning: {replay.AccountsDiffering} rows of the accounts table differ from the replayed ledger (the table is refreshed by a projection catch-up; the transfers are the record)"));
            if (replay.StateHashMatches == false)
                error.WriteLine("warning: the replayed ledger's state hash differs from the one recorded at the last projection");
            info.WriteLine(string.Create(c, $"recorded as reconciliation run {run.RunId}: {(run.Report.IsBalanced ? "balanced" : $"{run.Report.Discrepancies.Count} discrepancies")}"));
            return run.Report.IsBalanced ? DatabaseCli.ExitOk : DatabaseCli.ExitDiscrepancies;
        }));
        return command;
    }
}
