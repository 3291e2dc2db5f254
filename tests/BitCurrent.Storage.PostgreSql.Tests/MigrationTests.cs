namespace BitCurrent.Storage.PostgreSql.Tests;

public sealed class MigrationTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static readonly string[] Tables =
    [
        "currencies", "accounts", "transfers", "ledger_entries", "projection_checkpoints",
        "users", "wallets", "deposits", "withdrawals", "orders", "trades", "security_events", "reconciliation_runs",
        "adjustments", "adjustment_audit",
    ];

    private async Task<List<string>> UserTablesAsync() => await db.RowsAsync(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY tablename");

    [Fact]
    public async Task Up_down_up_round_trip_leaves_the_same_schema_and_status_tracks_each_step()
    {
        await db.RecreateAsync();
        var migrator = new SchemaMigrator(db.DataSource);
        var ct = TestContext.Current.CancellationToken;

        var status = await migrator.GetStatusAsync(ct);
        Assert.All(status, s => Assert.Equal(MigrationState.Pending, s.State));
        Assert.Empty(await migrator.DownAsync(cancellationToken: ct));
        Assert.Empty(await UserTablesAsync());
        // Looking creates nothing: the database is still empty enough for a restore.
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));

        var applied = await migrator.UpAsync(cancellationToken: ct);
        Assert.Equal([1, 2, 3, 4], applied.Select(s => s.Migration.Version));
        Assert.All(applied, s => Assert.True(s.Applied));
        Assert.Equal(Tables.Order(StringComparer.Ordinal), await UserTablesAsync());
        var schema = await db.RowsAsync("SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2");
        status = await migrator.GetStatusAsync(ct);
        Assert.All(status, s =>
        {
            Assert.Equal(MigrationState.Applied, s.State);
            Assert.NotNull(s.AppliedAt);
            Assert.Equal(s.ExpectedChecksum, s.RecordedChecksum);
        });
        Assert.Equal(["1|ledger", "2|exchange_records", "3|reconciliation_runs", "4|adjustments"], await db.RowsAsync("SELECT version, name FROM schema_migrations ORDER BY version"));
        Assert.Empty(await migrator.UpAsync(cancellationToken: ct));  // idempotent

        var one = await migrator.DownAsync(cancellationToken: ct);  // one step by default
        Assert.Equal([4], one.Select(s => s.Migration.Version));
        Assert.Equal(3, await migrator.GetCurrentVersionAsync(ct));
        Assert.DoesNotContain("adjustments", await UserTablesAsync());
        Assert.DoesNotContain("adjustment_audit", await UserTablesAsync());
        Assert.Contains("reconciliation_runs", await UserTablesAsync());
        Assert.Equal(MigrationState.Pending, (await migrator.GetStatusAsync(ct))[3].State);

        var all = await migrator.DownAsync(0, ct);
        Assert.Equal([3, 2, 1], all.Select(s => s.Migration.Version));
        Assert.Empty(await UserTablesAsync());
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_proc WHERE proname = 'bitcurrent_u128'"));
        Assert.Empty(await migrator.DownAsync(cancellationToken: ct));

        Assert.Equal([1, 2], (await migrator.UpAsync(2, ct)).Select(s => s.Migration.Version));
        Assert.Equal([3, 4], (await migrator.UpAsync(cancellationToken: ct)).Select(s => s.Migration.Version));
        Assert.Equal(schema, await db.RowsAsync("SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2"));
    }

    [Fact]
    public async Task Down_to_a_version_keeps_that_version()
    {
        await db.RecreateAsync();
        var migrator = new SchemaMigrator(db.DataSource);
        var ct = TestContext.Current.CancellationToken;
        await migrator.UpAsync(cancellationToken: ct);
        Assert.Equal([4, 3, 2], (await migrator.DownAsync(1, ct)).Select(s => s.Migration.Version));
        Assert.Equal(1, await migrator.GetCurrentVersionAsync(ct));
        Assert.Contains("transfers", await UserTablesAsync());
        Assert.DoesNotContain("users", await UserTablesAsync());
    }

    [Fact]
    public async Task A_changed_script_of_an_applied_migration_is_refused_and_nothing_runs()
    {
        await db.RecreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var original = SchemaMigrator.Migrations;
        await new SchemaMigrator(db.DataSource, original.Take(2)).UpAsync(cancellationToken: ct);

        // This build's 0002 differs from the one that ran (someone edited an applied migration).
        var edited = original.Select(m => m.Version == 2 ? new Migration(2, m.Name, m.UpSql + "\nCREATE TABLE sneaky (id int);", m.DownSql) : m).ToList();
        var migrator = new SchemaMigrator(db.DataSource, edited);
        var status = await migrator.GetStatusAsync(ct);
        Assert.Equal([MigrationState.Applied, MigrationState.ChecksumMismatch, MigrationState.Pending, MigrationState.Pending], status.Select(s => s.State));

        var up = await Assert.ThrowsAsync<StorageException>(() => migrator.UpAsync(cancellationToken: ct));
        Assert.Equal(StorageError.MigrationChecksumMismatch, up.Error);
        Assert.Contains("0002_exchange_records", up.Message, StringComparison.Ordinal);
        Assert.Contains(edited[1].Checksum, up.Message, StringComparison.Ordinal);
        var down = await Assert.ThrowsAsync<StorageException>(() => migrator.DownAsync(cancellationToken: ct));
        Assert.Equal(StorageError.MigrationChecksumMismatch, down.Error);
        Assert.DoesNotContain("reconciliation_runs", await UserTablesAsync());  // 0003 was not applied
        Assert.Contains("users", await UserTablesAsync());                      // 0002 was not reverted

        var latest = await Assert.ThrowsAsync<StorageException>(() => migrator.EnsureLatestAsync(ct));
        Assert.Equal(StorageError.SchemaNotMigrated, latest.Error);
    }

    [Fact]
    public async Task A_database_newer_than_the_build_is_refused()
    {
        await db.RecreateAsync();
        var ct = TestContext.Current.CancellationToken;
        await new SchemaMigrator(db.DataSource).UpAsync(cancellationToken: ct);
        var older = new SchemaMigrator(db.DataSource, SchemaMigrator.Migrations.Take(2));
        Assert.Equal(MigrationState.Unknown, (await older.GetStatusAsync(ct))[2].State);
        Assert.Equal(StorageError.MigrationUnknown, (await Assert.ThrowsAsync<StorageException>(() => older.UpAsync(cancellationToken: ct))).Error);
        Assert.Equal(StorageError.MigrationUnknown, (await Assert.ThrowsAsync<StorageException>(() => older.DownAsync(cancellationToken: ct))).Error);
    }

    [Fact]
    public async Task A_failing_migration_is_rolled_back_whole_and_not_recorded()
    {
        await db.RecreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var broken = new Migration(1, "broken", "CREATE TABLE first_half (id int); SELECT 1 / 0;", "DROP TABLE first_half;");
        var migrator = new SchemaMigrator(db.DataSource, [broken]);
        var e = await Assert.ThrowsAsync<StorageException>(() => migrator.UpAsync(cancellationToken: ct));
        Assert.Equal(StorageError.MigrationFailed, e.Error);
        Assert.Contains("division by zero", e.Message, StringComparison.Ordinal);
        Assert.Empty(await UserTablesAsync());
        Assert.Equal(0, await migrator.GetCurrentVersionAsync(ct));
    }

    [Theory]
    [InlineData(true, 9)]
    [InlineData(false, 9)]
    [InlineData(false, -1)]
    public async Task Unknown_targets_are_refused(bool up, int target)
    {
        var migrator = new SchemaMigrator(db.DataSource);
        var ct = TestContext.Current.CancellationToken;
        var e = await Assert.ThrowsAsync<StorageException>(() => up ? migrator.UpAsync(target, ct) : migrator.DownAsync(target, ct));
        Assert.Equal(StorageError.MigrationTargetInvalid, e.Error);
    }

    [Fact]
    public async Task Up_to_a_version_below_the_current_one_points_to_down()
    {
        await db.RecreateAsync();
        var migrator = new SchemaMigrator(db.DataSource);
        var ct = TestContext.Current.CancellationToken;
        await migrator.UpAsync(cancellationToken: ct);
        var e = await Assert.ThrowsAsync<StorageException>(() => migrator.UpAsync(1, ct));
        Assert.Equal(StorageError.MigrationTargetInvalid, e.Error);
        Assert.Contains("migrate down --to 1", e.Message, StringComparison.Ordinal);
    }
}
