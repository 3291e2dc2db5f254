using BitCurrent.Ledger;

namespace BitCurrent.Storage.PostgreSql.Tests;

/// <summary>The bitcurrent commands run in-process against a real database: output, exit codes, no stack traces.</summary>
public sealed class CliTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static void AssertNoStackTrace(CliRun run)
    {
        Assert.DoesNotContain("   at ", run.Output + run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("migrate", "status")]
    [InlineData("migrate", "up")]
    [InlineData("migrate", "down")]
    [InlineData("db", "seed")]
    [InlineData("db", "backup", "--out", "x.dump")]
    [InlineData("db", "restore", "--in", "x.dump")]
    [InlineData("reconcile")]
    public async Task Without_a_connection_string_every_command_says_how_to_give_one_and_exits_2(params string[] args)
    {
        var run = await CliRun.RunAsync(null, args);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: 6101 ConnectionStringMissing", run.Error, StringComparison.Ordinal);
        Assert.Contains("--connection", run.Error, StringComparison.Ordinal);
        Assert.Contains("BITCURRENT_POSTGRES", run.Error, StringComparison.Ordinal);
        AssertNoStackTrace(run);
    }

    [Fact]
    public async Task A_malformed_connection_string_exits_2_and_an_unreachable_server_exits_1()
    {
        var malformed = await CliRun.RunAsync(null, "migrate", "status", "--connection", "Host=127.0.0.1;Bogus Key=3");
        Assert.Equal(2, malformed.ExitCode);
        Assert.StartsWith("error: 6102 ConnectionStringInvalid", malformed.Error, StringComparison.Ordinal);
        AssertNoStackTrace(malformed);

        var unreachable = await CliRun.RunAsync(null, "reconcile", "--connection", "Host=127.0.0.1;Port=1;Username=postgres;Database=nowhere;Timeout=5");
        Assert.Equal(1, unreachable.ExitCode);
        Assert.StartsWith("error: 6103 ConnectionFailed: cannot connect to PostgreSQL (host 127.0.0.1, port 1", unreachable.Error, StringComparison.Ordinal);
        AssertNoStackTrace(unreachable);

        // The option wins over the environment.
        var missingDatabase = await CliRun.RunAsync(db.ConnectionString, "migrate", "status", "--connection", db.AdminConnectionString.Replace("Database=postgres", "Database=no_such_db", StringComparison.Ordinal));
        Assert.Equal(1, missingDatabase.ExitCode);
        Assert.Contains("no_such_db", missingDatabase.Error, StringComparison.Ordinal);
        AssertNoStackTrace(missingDatabase);
    }

    [Fact]
    public async Task Migrate_up_down_and_status_report_each_step()
    {
        await db.RecreateAsync();
        var cs = db.ConnectionString;
        var status = await CliRun.RunAsync(cs, "migrate", "status");
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("0001     ledger                 pending", status.Output, StringComparison.Ordinal);
        Assert.Contains("is at version 0 (latest is 4)", status.Output, StringComparison.Ordinal);

        var up = await CliRun.RunAsync(cs, "migrate", "up", "--to", "2");
        Assert.Equal(0, up.ExitCode);
        Assert.Contains("applied 0001_ledger", up.Output, StringComparison.Ordinal);
        Assert.Contains("applied 0002_exchange_records", up.Output, StringComparison.Ordinal);
        Assert.Contains("is at version 2 (latest is 4)", up.Output, StringComparison.Ordinal);
        up = await CliRun.RunAsync(cs, "migrate", "up");
        Assert.Contains("applied 0003_reconciliation_runs", up.Output, StringComparison.Ordinal);
        Assert.Contains("applied 0004_adjustments", up.Output, StringComparison.Ordinal);
        Assert.Contains("is at version 4 (latest)", up.Output, StringComparison.Ordinal);
        Assert.Contains("nothing to apply", (await CliRun.RunAsync(cs, "migrate", "up")).Output, StringComparison.Ordinal);

        var down = await CliRun.RunAsync(cs, "migrate", "down");
        Assert.Equal(0, down.ExitCode);
        Assert.Contains("reverted 0004_adjustments", down.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("0003", down.Output, StringComparison.Ordinal);
        down = await CliRun.RunAsync(cs, "migrate", "down", "--to", "0");
        Assert.Contains("reverted 0003_reconciliation_runs", down.Output, StringComparison.Ordinal);
        Assert.Contains("reverted 0002_exchange_records", down.Output, StringComparison.Ordinal);
        Assert.Contains("reverted 0001_ledger", down.Output, StringComparison.Ordinal);
        Assert.Contains("is at version 0", down.Output, StringComparison.Ordinal);

        var badTarget = await CliRun.RunAsync(cs, "migrate", "up", "--to", "7");
        Assert.Equal(1, badTarget.ExitCode);
        Assert.StartsWith("error: 6106 MigrationTargetInvalid: there is no migration 7", badTarget.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, (await CliRun.RunAsync(cs, "migrate", "up", "--to", "two")).ExitCode);

        Assert.Equal(0, (await CliRun.RunAsync(cs, "migrate", "up")).ExitCode);
        await db.ExecuteAsync("UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE version = 2");
        status = await CliRun.RunAsync(cs, "migrate", "status");
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("0002     exchange_records       CHECKSUM MISMATCH", status.Output, StringComparison.Ordinal);
        var refused = await CliRun.RunAsync(cs, "migrate", "down");
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("error: 6104 MigrationChecksumMismatch: migration 0002_exchange_records", refused.Error, StringComparison.Ordinal);
        Assert.Equal(4, await db.ScalarAsync<int>("SELECT max(version) FROM schema_migrations"));
        AssertNoStackTrace(refused);
    }

    [Fact]
    public async Task Seed_then_reconcile_is_balanced_and_recorded()
    {
        await db.RecreateAsync();
        var cs = db.ConnectionString;
        var early = await CliRun.RunAsync(cs, "reconcile");
        Assert.Equal(1, early.ExitCode);
        Assert.Contains("6108 SchemaNotMigrated", early.Error, StringComparison.Ordinal);
        Assert.Contains("bitcurrent migrate up", early.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await CliRun.RunAsync(cs, "migrate", "up")).ExitCode);
        var seed = await CliRun.RunAsync(cs, "db", "seed");
        Assert.True(seed.ExitCode == 0, seed.ToString());
        Assert.Contains("  users            8", seed.Output, StringComparison.Ordinal);
        Assert.Contains("  custody          BTC 12.90000000, ETH 27.500000000000000000, GBP 169500.00", seed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("planted", seed.Output, StringComparison.Ordinal);

        var reconcile = await CliRun.RunAsync(cs, "reconcile");
        Assert.True(reconcile.ExitCode == 0, reconcile.ToString());
        Assert.Contains("its state hash matches the last projection", reconcile.Output, StringComparison.Ordinal);
        Assert.Contains(": BALANCED", reconcile.Output, StringComparison.Ordinal);
        Assert.Contains("BTC                 12.90000000            12.90000000            0.00000000", reconcile.Output, StringComparison.Ordinal);
        Assert.Contains("recorded as reconciliation run 1: balanced", reconcile.Output, StringComparison.Ordinal);
        Assert.Equal("", reconcile.Error);

        var json = await CliRun.RunAsync(cs, "reconcile", "--json");
        Assert.Equal(0, json.ExitCode);
        var report = ReconciliationReport.FromJson(json.Output);
        Assert.True(report.IsBalanced);
        Assert.Equal(["BTC", "ETH", "GBP"], report.Balances.Select(b => b.Currency));
        Assert.Contains("recorded as reconciliation run 2", json.Error, StringComparison.Ordinal);
        Assert.Equal(["1|True|0", "2|True|0"], await db.RowsAsync("SELECT id, balanced, discrepancy_count FROM reconciliation_runs ORDER BY id"));
        Assert.Equal("0", await db.ScalarAsync<string>("SELECT report -> 'balances' -> 0 ->> 'difference' FROM reconciliation_runs WHERE id = 2"));

        var again = await CliRun.RunAsync(cs, "db", "seed");
        Assert.Equal(1, again.ExitCode);
        Assert.StartsWith("error: 6109 AlreadySeeded", again.Error, StringComparison.Ordinal);
        Assert.Contains("--reset", again.Error, StringComparison.Ordinal);
        AssertNoStackTrace(again);
    }

    [Fact]
    public async Task Seed_with_discrepancies_reports_each_kind_and_exits_3()
    {
        await db.RecreateAsync();
        var cs = db.ConnectionString;
        Assert.Equal(0, (await CliRun.RunAsync(cs, "migrate", "up")).ExitCode);
        Assert.Equal(0, (await CliRun.RunAsync(cs, "db", "seed")).ExitCode);
        var seed = await CliRun.RunAsync(cs, "db", "seed", "--with-discrepancies", "--reset");
        Assert.True(seed.ExitCode == 0, seed.ToString());
        Assert.Contains("planted discrepancies (for drills):", seed.Output, StringComparison.Ordinal);

        var reconcile = await CliRun.RunAsync(cs, "reconcile");
        Assert.True(reconcile.ExitCode == 3, reconcile.ToString());
        Assert.Contains(": 6 DISCREPANCIES", reconcile.Output, StringComparison.Ordinal);
        foreach (var line in new[]
        {
            "4701  BalanceMismatch             BTC               0  14.90000000            15.15000000",
            "4701  BalanceMismatch             ETH               0",
            "4705  DepositCreditedTwice        BTC            1013",
            "4703  DepositMissingFromLedger    BTC            1901",
            "4704  LedgerDepositWithoutRecord  GBP            1902",
            "4708  WithdrawalOutOfStep         BTC            3901",
        })
        {
            Assert.Contains(line, reconcile.Output, StringComparison.Ordinal);
        }

        var json = await CliRun.RunAsync(cs, "reconcile", "--json");
        Assert.Equal(3, json.ExitCode);
        var report = ReconciliationReport.FromJson(json.Output);
        Assert.Equal(
            [DiscrepancyKind.BalanceMismatch, DiscrepancyKind.BalanceMismatch, DiscrepancyKind.DepositCreditedTwice, DiscrepancyKind.DepositMissingFromLedger,
             DiscrepancyKind.LedgerDepositWithoutRecord, DiscrepancyKind.WithdrawalOutOfStep],
            report.Discrepancies.Select(d => d.Kind));
        Assert.Equal(["1|False|6", "2|False|6"], await db.RowsAsync("SELECT id, balanced, discrepancy_count FROM reconciliation_runs ORDER BY id"));
        Assert.Equal("WithdrawalOutOfStep", await db.ScalarAsync<string>("SELECT report -> 'discrepancies' -> 5 ->> 'kind' FROM reconciliation_runs WHERE id = 2"));
    }

    [Fact]
    public async Task Backup_drop_restore_and_the_ledger_still_reconciles()
    {
        await db.RecreateAsync();
        var cs = db.ConnectionString;
        var file = Path.Combine(Path.GetTempPath(), $"{db.Name}.dump");
        try
        {
            Assert.Equal(0, (await CliRun.RunAsync(cs, "migrate", "up")).ExitCode);
            Assert.Equal(0, (await CliRun.RunAsync(cs, "db", "seed")).ExitCode);
            var before = await db.RowsAsync("SELECT currency, sum(amount) FROM ledger_entries GROUP BY currency ORDER BY currency");

            var backup = await CliRun.RunAsync(cs, "db", "backup", "--out", file);
            Assert.True(backup.ExitCode == 0, backup.ToString());
            Assert.StartsWith($"backup written: {file} (", backup.Output, StringComparison.Ordinal);
            Assert.Contains("dumping contents of table \"public.transfers\"", backup.Error, StringComparison.Ordinal);  // progress
            Assert.True(new FileInfo(file).Length > 1_000);
            Assert.False(File.Exists(file + ".partial"));

            await db.RecreateAsync();  // drop the database: it is empty now
            var restore = await CliRun.RunAsync(cs, "db", "restore", "--in", file);
            Assert.True(restore.ExitCode == 0, restore.ToString());
            Assert.Contains($"restored {file}", restore.Output, StringComparison.Ordinal);
            Assert.Equal(before, await db.RowsAsync("SELECT currency, sum(amount) FROM ledger_entries GROUP BY currency ORDER BY currency"));
            var status = await CliRun.RunAsync(cs, "migrate", "status");
            Assert.Contains("is at version 4 (latest)", status.Output, StringComparison.Ordinal);
            var reconcile = await CliRun.RunAsync(cs, "reconcile");
            Assert.True(reconcile.ExitCode == 0, reconcile.ToString());
            Assert.Contains("its state hash matches the last projection", reconcile.Output, StringComparison.Ordinal);

            var refused = await CliRun.RunAsync(cs, "db", "restore", "--in", file);
            Assert.Equal(1, refused.ExitCode);
            Assert.StartsWith("error: 6122 DatabaseNotEmpty", refused.Error.Split('\n')[1], StringComparison.Ordinal);
            Assert.Contains("--force", refused.Error, StringComparison.Ordinal);

            var forced = await CliRun.RunAsync(cs, "db", "restore", "--in", file, "--force");
            Assert.True(forced.ExitCode == 0, forced.ToString());
            Assert.Equal(0, (await CliRun.RunAsync(cs, "reconcile")).ExitCode);
            Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));

            var missing = await CliRun.RunAsync(cs, "db", "restore", "--in", file + ".nope");
            Assert.Equal(1, missing.ExitCode);
            Assert.Contains("6121 BackupFileNotFound", missing.Error, StringComparison.Ordinal);
            AssertNoStackTrace(missing);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
