namespace BitCurrent.Storage.PostgreSql.Tests;

/// <summary>The numbers of <see cref="StorageError"/> are persisted in logs and documentation: added, never changed.</summary>
public sealed class StorageErrorGoldenTests
{
    [Fact]
    public void Every_error_keeps_its_number()
    {
        var expected = new Dictionary<StorageError, int>
        {
            [StorageError.None] = 0,
            [StorageError.ConnectionStringMissing] = 6101,
            [StorageError.ConnectionStringInvalid] = 6102,
            [StorageError.ConnectionFailed] = 6103,
            [StorageError.MigrationChecksumMismatch] = 6104,
            [StorageError.MigrationUnknown] = 6105,
            [StorageError.MigrationTargetInvalid] = 6106,
            [StorageError.MigrationFailed] = 6107,
            [StorageError.SchemaNotMigrated] = 6108,
            [StorageError.AlreadySeeded] = 6109,
            [StorageError.LedgerNotRegistered] = 6110,
            [StorageError.TimestampOutOfRange] = 6111,
            [StorageError.ProjectionConflict] = 6112,
            [StorageError.ProjectionAhead] = 6113,
            [StorageError.ReplayFailed] = 6114,
            [StorageError.RecordInvalid] = 6115,
            [StorageError.CurrencyConflict] = 6116,
            [StorageError.SeedFailed] = 6117,
            [StorageError.ToolNotFound] = 6118,
            [StorageError.BackupFailed] = 6119,
            [StorageError.RestoreFailed] = 6120,
            [StorageError.BackupFileNotFound] = 6121,
            [StorageError.DatabaseNotEmpty] = 6122,
        };
        Assert.Equal(expected.Count, Enum.GetValues<StorageError>().Length);
        foreach (var (error, number) in expected) Assert.Equal(number, (int)error);
    }

    [Fact]
    public void The_message_starts_with_the_number_and_name()
    {
        var e = new StorageException(StorageError.AlreadySeeded, "the database already holds data");
        Assert.Equal("6109 AlreadySeeded: the database already holds data", e.Message);
        Assert.Equal(StorageError.AlreadySeeded, e.Error);
    }

    [Fact]
    public void Opening_without_a_connection_string_names_both_ways_to_give_one()
    {
        var e = Assert.Throws<StorageException>(() => PostgresStorage.Open("  "));
        Assert.Equal(StorageError.ConnectionStringMissing, e.Error);
        Assert.Contains("--connection", e.Message, StringComparison.Ordinal);
        Assert.Contains("BITCURRENT_POSTGRES", e.Message, StringComparison.Ordinal);
        Assert.Equal(StorageError.ConnectionStringInvalid, Assert.Throws<StorageException>(() => PostgresStorage.Open("Host=x;NoSuchKey=1")).Error);
    }

    [Fact]
    public void The_embedded_migrations_are_numbered_from_one_without_gaps_and_have_both_scripts()
    {
        var migrations = SchemaMigrator.Migrations;
        Assert.Equal(["ledger", "exchange_records", "reconciliation_runs", "adjustments"], migrations.Select(m => m.Name));
        for (var i = 0; i < migrations.Count; i++)
        {
            Assert.Equal(i + 1, migrations[i].Version);
            Assert.Contains("CREATE", migrations[i].UpSql, StringComparison.Ordinal);
            Assert.Contains("DROP", migrations[i].DownSql, StringComparison.Ordinal);
            Assert.Equal(64, migrations[i].Checksum.Length);
        }
        Assert.Equal(Migration.ComputeChecksum("a\nb"), Migration.ComputeChecksum("a\r\nb"));
        Assert.NotEqual(Migration.ComputeChecksum("a\nb"), Migration.ComputeChecksum("a\nc"));
    }

    [Fact]
    public void Every_storage_error_is_listed_with_its_number_in_the_reference_page()
    {
        var page = ReferencePage();
        foreach (var error in Enum.GetValues<StorageError>().Where(e => e != StorageError.None))
            Assert.Contains($"| {(int)error} | `{error}` |", page, StringComparison.Ordinal);
    }

    private static string ReferencePage()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var page = Path.Combine(dir.FullName, "docs", "reference", "storage-errors.md");
            if (File.Exists(Path.Combine(dir.FullName, "BitCurrent.slnx")) && File.Exists(page)) return File.ReadAllText(page);
        }
        throw new FileNotFoundException("docs/reference/storage-errors.md was not found above the test binaries");
    }
}
