using BitCurrent.Ledger;
using Npgsql;

namespace BitCurrent.Storage.PostgreSql;

/// <summary>
/// One BitCurrent database: a connection string checked once, a pooled <see cref="NpgsqlDataSource"/>, and the
/// operations the operator CLI and the hosts run on it (migrations, projection, seed, reconciliation, backup and
/// restore). Dispose it to close the pool.
/// </summary>
public sealed class PostgresStorage : IAsyncDisposable
{
    /// <summary>The environment variable the hosts and the CLI read the connection string from.</summary>
    public const string ConnectionStringVariable = "BITCURRENT_POSTGRES";

    private PostgresStorage(string connectionString, NpgsqlDataSource dataSource, string description)
    {
        ConnectionString = connectionString;
        DataSource = dataSource;
        Description = description;
    }

    /// <summary>The connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>The pooled data source.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Host, port, database and user, for messages (never the password).</summary>
    public string Description { get; }

    /// <summary>Checks a connection string and creates the pool (nothing connects yet).</summary>
    /// <exception cref="StorageException">
    /// <see cref="StorageError.ConnectionStringMissing"/> when it is null or blank, <see cref="StorageError.ConnectionStringInvalid"/>
    /// when it cannot be parsed.
    /// </exception>
    public static PostgresStorage Open(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new StorageException(StorageError.ConnectionStringMissing,
                $"no PostgreSQL connection string: pass --connection \"Host=...;Port=5432;Username=...;Database=...\" or set {ConnectionStringVariable}");
        }
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            var description = $"database {builder.Database ?? builder.Username ?? "(default)"} on {builder.Host ?? "localhost"}:{builder.Port} as {builder.Username ?? "(default user)"}";
            return new PostgresStorage(connectionString, NpgsqlDataSource.Create(builder), description);
        }
        catch (ArgumentException e)
        {
            throw new StorageException(StorageError.ConnectionStringInvalid, $"the connection string is malformed: {e.Message}", e);
        }
    }

    /// <summary>A migrator with this package's migrations.</summary>
    public SchemaMigrator CreateMigrator() => new(DataSource);

    /// <summary>A projection of a ledger with these assets into this database.</summary>
    public LedgerProjection CreateProjection(AssetRegistry assets, LedgerProjectionOptions? options = null) => new(DataSource, assets, options);

    /// <summary>The maker-checker desk of adjusting entries kept in this database (<see cref="AdjustmentStore"/>).</summary>
    /// <param name="timeProvider">The clock that timestamps calls (default: the system clock).</param>
    public AdjustmentStore CreateAdjustments(TimeProvider? timeProvider = null) => new(DataSource, timeProvider);

    /// <summary>Seeds the demo data set (<see cref="DemoSeeder"/>).</summary>
    public Task<DemoSeedSummary> SeedAsync(DemoSeedOptions options, CancellationToken cancellationToken = default) =>
        DemoSeeder.SeedAsync(DataSource, options, cancellationToken);

    /// <summary>Reconciles and records the run (<see cref="ReconciliationRunner"/>).</summary>
    public Task<ReconciliationRun> ReconcileAsync(CancellationToken cancellationToken = default) =>
        ReconciliationRunner.RunAsync(DataSource, cancellationToken);

    /// <summary>Rebuilds the ledger from the projected tables (<see cref="LedgerReplay"/>).</summary>
    public Task<LedgerReplayResult> LoadLedgerAsync(CancellationToken cancellationToken = default) =>
        LedgerReplay.LoadAsync(DataSource, null, cancellationToken);

    /// <summary>Backs the database up with pg_dump (<see cref="PostgresBackup.BackupAsync"/>).</summary>
    public Task<BackupResult> BackupAsync(string file, IProgress<string>? progress = null, CancellationToken cancellationToken = default) =>
        PostgresBackup.BackupAsync(ConnectionString, file, progress, cancellationToken);

    /// <summary>Restores a backup with pg_restore (<see cref="PostgresBackup.RestoreAsync"/>).</summary>
    public Task<BackupResult> RestoreAsync(string file, bool force, IProgress<string>? progress = null, CancellationToken cancellationToken = default) =>
        PostgresBackup.RestoreAsync(ConnectionString, file, force, progress, cancellationToken);

    /// <summary>Closes the pool.</summary>
    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
