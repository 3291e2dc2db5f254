using System.CommandLine;
using System.Globalization;
using BitCurrent.Storage.PostgreSql;
using CliCommand = System.CommandLine.Command;

namespace BitCurrent.Hosts.Console.Commands;

/// <summary>
/// <c>bitcurrent db seed [--with-discrepancies] [--reset] | backup --out FILE | restore --in FILE [--force]</c>: demo data
/// through the real ledger, and pg_dump/pg_restore backups (runbook: make db-seed, db-backup, db-restore).
/// Exit codes: 0 done, 1 failed (database not migrated, already seeded, not empty, tool missing, connection), 2 no
/// connection string.
/// </summary>
internal static class DbCommand
{
    /// <param name="environment">Reads an environment variable (default: the process environment; tests pass their own).</param>
    public static CliCommand Create(Func<string, string?>? environment = null)
    {
        var command = new CliCommand("db", "Seed, back up or restore the PostgreSQL database.");
        command.Add(Seed(environment));
        command.Add(Backup(environment));
        command.Add(Restore(environment));
        return command;
    }

    private static CliCommand Seed(Func<string, string?>? environment)
    {
        var connection = DatabaseCli.ConnectionOption();
        var discrepancies = new Option<bool>("--with-discrepancies")
        {
            Description = "Also plant one of each discrepancy the runbook looks for (wallet mismatch, deposit missing from the ledger, ledger deposit without record, deposit credited twice, withdrawal out of step).",
        };
        var reset = new Option<bool>("--reset") { Description = "Empty every BitCurrent table first (otherwise a database with data is refused)." };
        var command = new CliCommand("seed", "Build a consistent demo data set through the ledger, project it, and write the matching wallets and records.")
        {
            discrepancies, reset, connection,
        };
        command.SetAction((parseResult, cancellationToken) => DatabaseCli.RunAsync(parseResult, connection, environment, cancellationToken, async (storage, output, _) =>
        {
            var options = new DemoSeedOptions { WithDiscrepancies = parseResult.GetValue(discrepancies), Reset = parseResult.GetValue(reset) };
            var summary = await storage.SeedAsync(options, cancellationToken).ConfigureAwait(false);
            var c = CultureInfo.InvariantCulture;
            output.WriteLine($"seeded {storage.Description}");
            output.WriteLine(string.Create(c, $"  users            {summary.Users}"));
            output.WriteLine(string.Create(c, $"  deposits         {summary.Deposits}"));
            output.WriteLine(string.Create(c, $"  withdrawals      {summary.Withdrawals}"));
            output.WriteLine(string.Create(c, $"  orders           {summary.Orders}"));
            output.WriteLine(string.Create(c, $"  trades           {summary.Trades}"));
            output.WriteLine(string.Create(c, $"  wallets          {summary.Wallets}"));
            output.WriteLine(string.Create(c, $"  security events  {summary.SecurityEvents}"));
            output.WriteLine(string.Create(c, $"  ledger           {summary.Projection.AccountsWritten} accounts, {summary.Projection.TransfersInserted} transfers, {summary.Projection.EntriesInserted} ledger entries (projected up to timestamp {summary.Projection.LastTimestamp})"));
            output.WriteLine($"  custody          {string.Join(", ", summary.CustodyBalances)}");
            output.WriteLine($"  state hash       {summary.StateHash}");
            if (summary.Discrepancies.Count > 0)
            {
                output.WriteLine("planted discrepancies (for drills):");
                foreach (var d in summary.Discrepancies) output.WriteLine($"  {d}");
            }
            output.WriteLine("next: bitcurrent reconcile");
            return DatabaseCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Backup(Func<string, string?>? environment)
    {
        var connection = DatabaseCli.ConnectionOption();
        var file = new Option<FileInfo>("--out") { Description = "The backup file to write (pg_dump custom format).", Required = true };
        var command = new CliCommand("backup", "Back the database up with pg_dump -Fc (progress on stderr).") { file, connection };
        command.SetAction((parseResult, cancellationToken) => DatabaseCli.RunAsync(parseResult, connection, environment, cancellationToken, async (storage, output, error) =>
        {
            var path = parseResult.GetValue(file)!.FullName;
            error.WriteLine($"backing up {storage.Description} to {path}");
            var result = await storage.BackupAsync(path, new DatabaseCli.LineProgress(error), cancellationToken).ConfigureAwait(false);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"backup written: {result.File} ({result.Bytes} bytes, {result.Elapsed.TotalSeconds:F1} s, {result.Tool})"));
            return DatabaseCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Restore(Func<string, string?>? environment)
    {
        var connection = DatabaseCli.ConnectionOption();
        var file = new Option<FileInfo>("--in") { Description = "The backup file to restore (written by `db backup`).", Required = true };
        var force = new Option<bool>("--force") { Description = "Restore into a database that is not empty: drop the backup's objects first, then recreate them." };
        var command = new CliCommand("restore", "Restore a backup with pg_restore into an empty database (progress on stderr).") { file, force, connection };
        command.SetAction((parseResult, cancellationToken) => DatabaseCli.RunAsync(parseResult, connection, environment, cancellationToken, async (storage, output, error) =>
        {
            var path = parseResult.GetValue(file)!.FullName;
            error.WriteLine($"restoring {path} into {storage.Description}");
            var result = await storage.RestoreAsync(path, parseResult.GetValue(force), new DatabaseCli.LineProgress(error), cancellationToken).ConfigureAwait(false);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"restored {result.File} ({result.Bytes} bytes, {result.Elapsed.TotalSeconds:F1} s, {result.Tool})"));
            output.WriteLine("next: bitcurrent migrate status; bitcurrent reconcile");
            return DatabaseCli.ExitOk;
        }));
        return command;
    }
}
