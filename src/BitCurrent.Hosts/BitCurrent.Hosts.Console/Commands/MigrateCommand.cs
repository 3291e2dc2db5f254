using System.CommandLine;
using System.Globalization;
using BitCurrent.Storage.PostgreSql;
using CliCommand = System.CommandLine.Command;

namespace BitCurrent.Hosts.Console.Commands;

/// <summary>
/// <c>bitcurrent migrate up [--to N] | down [--to N] | status</c>: the versioned schema of the PostgreSQL database
/// (BitCurrent.Storage.PostgreSql's embedded migrations, one transaction each, recorded in schema_migrations).
/// Exit codes: 0 done, 1 failed (checksum mismatch, unknown migration, bad target, connection), 2 no connection string;
/// <c>status</c> exits 1 when a migration's checksum differs or the database has one this build does not know.
/// </summary>
internal static class MigrateCommand
{
    /// <param name="environment">Reads an environment variable (default: the process environment; tests pass their own).</param>
    public static CliCommand Create(Func<string, string?>? environment = null)
    {
        var command = new CliCommand("migrate", "Apply, revert or list the PostgreSQL schema migrations (runbook: make migrate-up / migrate-down).");
        command.Add(Up(environment));
        command.Add(Down(environment));
        command.Add(Status(environment));
        return command;
    }

    private static Option<int?> ToOption(string description) => new("--to")
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version)) return version;
            result.AddError($"--to must be a migration version (a non-negative integer), was '{text}'.");
            return null;
        },
    };

    private static CliCommand Up(Func<string, string?>? environment)
    {
        var connection = DatabaseCli.ConnectionOption();
        var to = ToOption("Apply up to this version (default: all).");
        var command = new CliCommand("up", "Apply the pending migrations, in order, each in its own transaction.") { to, connection };
        command.SetAction((parseResult, cancellationToken) => DatabaseCli.RunAsync(parseResult, connection, environment, cancellationToken, async (storage, output, _) =>
        {
            var migrator = storage.CreateMigrator();
            var steps = await migrator.UpAsync(parseResult.GetValue(to), cancellationToken).ConfigureAwait(false);
            foreach (var step in steps) output.WriteLine(Describe("applied", step));
            var current = await migrator.GetCurrentVersionAsync(cancellationToken).ConfigureAwait(false);
            output.WriteLine(steps.Count == 0
                ? string.Create(CultureInfo.InvariantCulture, $"nothing to apply: {storage.Description} is at version {current}{Latest(migrator, current)}")
                : string.Create(CultureInfo.InvariantCulture, $"{storage.Description} is at version {current}{Latest(migrator, current)}"));
            return DatabaseCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Down(Func<string, string?>? environment)
    {
        var connection = DatabaseCli.ConnectionOption();
        var to = ToOption("Revert down to this version, which stays applied (0 reverts everything; default: only the newest).");
        var command = new CliCommand("down", "Revert the newest migration (or down to --to), newest first, each in its own transaction.") { to, connection };
        command.SetAction((parseResult, cancellationToken) => DatabaseCli.RunAsync(parseResult, connection, environment, cancellationToken, async (storage, output, _) =>
        {
            var migrator = storage.CreateMigrator();
            var steps = await migrator.DownAsync(parseResult.GetValue(to), cancellationToken).ConfigureAwait(false);
            foreach (var step in steps) output.WriteLine(Describe("reverted", step));
            var current = await migrator.GetCurrentVersionAsync(cancellationToken).ConfigureAwait(false);
            output.WriteLine(steps.Count == 0
                ? string.Create(CultureInfo.InvariantCulture, $"nothing to revert: {storage.Description} is at version {current}")
                : string.Create(CultureInfo.InvariantCulture, $"{storage.Description} is at version {current}{Latest(migrator, current)}"));
            return DatabaseCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Status(Func<string, string?>? environment)
    {
        var connection = DatabaseCli.ConnectionOption();
        var command = new CliCommand("status", "List every migration: applied (with its time), pending, checksum mismatch or unknown.") { connection };
        command.SetAction((parseResult, cancellationToken) => DatabaseCli.RunAsync(parseResult, connection, environment, cancellationToken, async (storage, output, _) =>
        {
            var migrator = storage.CreateMigrator();
            var status = await migrator.GetStatusAsync(cancellationToken).ConfigureAwait(false);
            var c = CultureInfo.InvariantCulture;
            output.WriteLine($"{"Version",-8} {"Name",-22} {"State",-18} Applied at (UTC)");
            var current = 0;
            var bad = false;
            foreach (var s in status)
            {
                var state = s.State switch
                {
                    MigrationState.Applied => "applied",
                    MigrationState.Pending => "pending",
                    MigrationState.ChecksumMismatch => "CHECKSUM MISMATCH",
                    _ => "UNKNOWN TO BUILD",
                };
                if (s.State != MigrationState.Pending) current = Math.Max(current, s.Version);
                bad |= s.State is MigrationState.ChecksumMismatch or MigrationState.Unknown;
                var at = s.AppliedAt is { } time ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", c) : "-";
                output.WriteLine(string.Create(c, $"{s.Version:D4}     {s.Name,-22} {state,-18} {at}"));
            }
            output.WriteLine(string.Create(c, $"{storage.Description} is at version {current}{Latest(migrator, current)}"));
            if (bad) output.WriteLine("a migration was changed after it ran, or the database is newer than this build: `migrate up` and `migrate down` refuse to run");
            return bad ? DatabaseCli.ExitFailed : DatabaseCli.ExitOk;
        }));
        return command;
    }

    private static string Latest(SchemaMigrator migrator, int current) =>
        current == migrator.LatestVersion ? " (latest)" : string.Create(CultureInfo.InvariantCulture, $" (latest is {migrator.LatestVersion})");

    private static string Describe(string verb, MigrationStep step) =>
        string.Create(CultureInfo.InvariantCulture, $"{verb} {step.Migration} ({step.Elapsed.TotalMilliseconds:F0} ms)");
}
