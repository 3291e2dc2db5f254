namespace BitCurrent.Storage.PostgreSql;

/// <summary>
/// Why a storage operation failed (61xx: PostgreSQL storage). Numbers are never reused; a golden test pins them.
/// Every <see cref="StorageException"/> carries one, and its message starts with the number.
/// </summary>
public enum StorageError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>No connection string was given (the CLI's <c>--connection</c> or <c>BITCURRENT_POSTGRES</c>).</summary>
    ConnectionStringMissing = 6101,

    /// <summary>The connection string is malformed.</summary>
    ConnectionStringInvalid = 6102,

    /// <summary>PostgreSQL could not be reached or refused the login.</summary>
    ConnectionFailed = 6103,

    /// <summary>An applied migration's checksum differs from this build's script: the script was edited after it ran.</summary>
    MigrationChecksumMismatch = 6104,

    /// <summary>The database has a migration applied that this build does not know (the database is newer than the code).</summary>
    MigrationUnknown = 6105,

    /// <summary>The <c>--to</c> version does not exist, or lies in the wrong direction.</summary>
    MigrationTargetInvalid = 6106,

    /// <summary>A migration's script failed; its transaction was rolled back.</summary>
    MigrationFailed = 6107,

    /// <summary>The schema is not at the latest migration: run <c>bitcurrent migrate up</c>.</summary>
    SchemaNotMigrated = 6108,

    /// <summary>The database already holds data: seeding is refused unless asked to reset.</summary>
    AlreadySeeded = 6109,

    /// <summary>A transfer or account names a ledger that is not in the asset registry.</summary>
    LedgerNotRegistered = 6110,

    /// <summary>A ledger timestamp exceeds 2^63 − 1 nanoseconds (it cannot be stored as bigint), or is 0 (the transfer was never applied by an engine).</summary>
    TimestampOutOfRange = 6111,

    /// <summary>A transfer id already in the database has a different body: the database belongs to another ledger.</summary>
    ProjectionConflict = 6112,

    /// <summary>The database's projection is ahead of the engine being projected (its checkpoint is later).</summary>
    ProjectionAhead = 6113,

    /// <summary>The projected accounts and transfers do not replay into a ledger (a transfer was refused).</summary>
    ReplayFailed = 6114,

    /// <summary>A row of the exchange's records cannot be read (unknown status, negative id, bad amount).</summary>
    RecordInvalid = 6115,

    /// <summary>The currencies table disagrees with the asset registry (same code or ledger, different definition).</summary>
    CurrencyConflict = 6116,

    /// <summary>A ledger flow was refused while building the demo data (a bug in the seed script).</summary>
    SeedFailed = 6117,

    /// <summary><c>pg_dump</c> or <c>pg_restore</c> was not found on PATH nor under /usr/lib/postgresql/*/bin.</summary>
    ToolNotFound = 6118,

    /// <summary><c>pg_dump</c> failed.</summary>
    BackupFailed = 6119,

    /// <summary><c>pg_restore</c> failed.</summary>
    RestoreFailed = 6120,

    /// <summary>The backup file does not exist or cannot be read.</summary>
    BackupFileNotFound = 6121,

    /// <summary>The target database is not empty: restoring is refused unless forced.</summary>
    DatabaseNotEmpty = 6122,
}

/// <summary>A storage operation failed for a reason an operator can act on; <see cref="Error"/> says which.</summary>
public sealed class StorageException : Exception
{
    /// <summary>Creates an exception; the message is prefixed with the error's number.</summary>
    public StorageException(StorageError error, string message, Exception? innerException = null)
        : base($"{(int)error} {error}: {message}", innerException)
    {
        Error = error;
    }

    /// <summary>Creates an exception with no error code (prefer the other constructor).</summary>
    public StorageException()
    {
    }

    /// <summary>Creates an exception with no error code (prefer the other constructor).</summary>
    public StorageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with no error code (prefer the other constructor).</summary>
    public StorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The numbered reason.</summary>
    public StorageError Error { get; }
}
