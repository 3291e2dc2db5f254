using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using BitCurrent.Storage.PostgreSql.Internal;
using Npgsql;

namespace BitCurrent.Storage.PostgreSql;

/// <summary>One numbered schema migration: the script that applies it and the script that reverts it.</summary>
public sealed record Migration
{
    /// <summary>Creates a migration.</summary>
    /// <param name="version">Its number, positive; migrations apply in increasing order.</param>
    /// <param name="name">A short name (<c>ledger</c>, <c>exchange_records</c>).</param>
    /// <param name="upSql">The script that applies it.</param>
    /// <param name="downSql">The script that reverts it.</param>
    /// <exception cref="ArgumentException">A value is empty or out of range.</exception>
    public Migration(int version, string name, string upSql, string downSql)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(upSql);
        ArgumentException.ThrowIfNullOrWhiteSpace(downSql);
        Version = version;
        Name = name;
        UpSql = upSql;
        DownSql = downSql;
        Checksum = ComputeChecksum(upSql);
    }

    /// <summary>The migration's number.</summary>
    public int Version { get; }

    /// <summary>Its short name.</summary>
    public string Name { get; }

    /// <summary>The script that applies it.</summary>
    public string UpSql { get; }

    /// <summary>The script that reverts it.</summary>
    public string DownSql { get; }

    /// <summary>SHA-256 (hex) of the up script with line endings normalised to LF: recorded when applied, compared after.</summary>
    public string Checksum { get; }

    /// <summary>The checksum of a script as <see cref="Checksum"/> computes it.</summary>
    public static string ComputeChecksum(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var normalised = sql.Replace("\r\n", "\n", StringComparison.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }

    /// <summary>The version as four digits and the name, e.g. <c>0002_exchange_records</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Version:D4}_{Name}");
}

/// <summary>Where a migration stands in a database.</summary>
public enum MigrationState
{
    /// <summary>Not applied.</summary>
    Pending = 1,

    /// <summary>Applied, and its script is unchanged.</summary>
    Applied = 2,

    /// <summary>Applied, but this build's script has a different checksum.</summary>
    ChecksumMismatch = 3,

    /// <summary>Applied in the database but unknown to this build.</summary>
    Unknown = 4,
}

/// <summary>One line of <see cref="SchemaMigrator.GetStatusAsync"/>.</summary>
/// <param name="Version">The migration's number.</param>
/// <param name="Name">Its name.</param>
/// <param name="State">Where it stands.</param>
/// <param name="AppliedAt">When it was applied (null when pending).</param>
/// <param name="RecordedChecksum">The checksum recorded when it was applied (null when pending).</param>
/// <param name="ExpectedChecksum">This build's checksum (null when unknown to this build).</param>
public sealed record MigrationStatus(int Version, string Name, MigrationState State, DateTimeOffset? AppliedAt,
    string? RecordedChecksum, string? ExpectedChecksum);

/// <summary>What <see cref="SchemaMigrator.UpAsync"/> or <see cref="SchemaMigrator.DownAsync"/> did to one migration.</summary>
/// <param name="Migration">The migration.</param>
/// <param name="Applied">True when it was applied, false when it was reverted.</param>
/// <param name="Elapsed">How long its transaction took.</param>
public sealed record MigrationStep(Migration Migration, bool Applied, TimeSpan Elapsed);

/// <summary>
/// Versioned schema migrations, up and down. The scripts are embedded in this assembly
/// (<c>Migrations/NNNN_name.up.sql</c> and <c>.down.sql</c>); the table <c>schema_migrations</c> records each applied
/// version with its name, the checksum of its up script and when it was applied. Each migration runs in its own
/// transaction, and a session advisory lock keeps two migrators from running at once.
/// </summary>
/// <remarks>
/// An applied migration whose script has since changed (checksum mismatch), or a database with a migration this build
/// does not know, is refused by <see cref="UpAsync"/> and <see cref="DownAsync"/> with a
/// <see cref="StorageException"/>: a schema must never silently differ from the scripts that claim to describe it.
/// </remarks>
public sealed class SchemaMigrator
{
    /// <summary>The advisory lock key taken while migrating ("BCMIGRAT" as a 64-bit integer).</summary>
    public const long AdvisoryLockKey = 0x4243_4D49_4752_4154;

    private const string ResourcePrefix = "BitCurrent.Storage.PostgreSql.Migrations.";
    private static readonly Lazy<IReadOnlyList<Migration>> Embedded = new(LoadEmbedded);

    private readonly NpgsqlDataSource _dataSource;
    private readonly Migration[] _migrations;

    /// <summary>Creates a migrator for a database.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="migrations">The migrations; null for this package's own (<see cref="Migrations"/>).</param>
    /// <exception cref="ArgumentException">Two migrations share a version.</exception>
    public SchemaMigrator(NpgsqlDataSource dataSource, IEnumerable<Migration>? migrations = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        var list = new List<Migration>(migrations ?? Embedded.Value);
        list.Sort(static (a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < list.Count; i++)
        {
            if (list[i].Version == list[i - 1].Version)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Migration {list[i].Version} appears twice."), nameof(migrations));
        }
        _migrations = [.. list];
    }

    /// <summary>This package's migrations, in version order.</summary>
    public static IReadOnlyList<Migration> Migrations => Embedded.Value;

    /// <summary>The latest version this migrator knows (0 when it has none).</summary>
    public int LatestVersion => _migrations.Length == 0 ? 0 : _migrations[^1].Version;

    /// <summary>Every known or applied migration and where it stands, in version order.</summary>
    public async Task<IReadOnlyList<MigrationStatus>> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await Db.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        var applied = await ReadAppliedAsync(connection, cancellationToken).ConfigureAwait(false);
        return Status(applied);
    }

    /// <summary>The highest applied version (0 when none).</summary>
    public async Task<int> GetCurrentVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await Db.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        var applied = await ReadAppliedAsync(connection, cancellationToken).ConfigureAwait(false);
        return applied.Count == 0 ? 0 : applied.Keys.Max();
    }

    /// <summary>
    /// Throws <see cref="StorageException"/> (<see cref="StorageError.SchemaNotMigrated"/>) unless every migration
    /// is applied with its checksum unchanged: the check commands run before they touch the tables.
    /// </summary>
    public async Task EnsureLatestAsync(CancellationToken cancellationToken = default)
    {
        var status = await GetStatusAsync(cancellationToken).ConfigureAwait(false);
        foreach (var s in status)
        {
            if (s.State == MigrationState.Applied) continue;
            var what = s.State switch
            {
                MigrationState.Pending => "is not applied",
                MigrationState.ChecksumMismatch => "was applied from a different script (checksum mismatch)",
                _ => "is applied but unknown to this build",
            };
            throw new StorageException(StorageError.SchemaNotMigrated,
                string.Create(CultureInfo.InvariantCulture, $"migration {s.Version:D4}_{s.Name} {what}; run `bitcurrent migrate status`, then `bitcurrent migrate up`"));
        }
    }

    /// <summary>Applies the pending migrations up to <paramref name="toVersion"/> (all when null), in order.</summary>
    /// <returns>The migrations applied (empty when the schema was already there).</returns>
    /// <exception cref="StorageException">Checksum mismatch, unknown applied migration, bad target, or a failed script.</exception>
    public async Task<IReadOnlyList<MigrationStep>> UpAsync(int? toVersion = null, CancellationToken cancellationToken = default)
    {
        if (toVersion is { } target && target != 0 && Find(target) is null)
            throw new StorageException(StorageError.MigrationTargetInvalid, string.Create(CultureInfo.InvariantCulture, $"there is no migration {target}; known: {KnownVersions()}"));
        await using var connection = await Db.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await LockAsync(connection, cancellationToken).ConfigureAwait(false);
        try
        {
            var applied = await ReadAppliedAsync(connection, cancellationToken, create: true).ConfigureAwait(false);
            Validate(applied);
            var current = applied.Count == 0 ? 0 : applied.Keys.Max();
            var limit = toVersion ?? LatestVersion;
            if (limit < current)
                throw new StorageException(StorageError.MigrationTargetInvalid,
                    string.Create(CultureInfo.InvariantCulture, $"the database is at version {current}, above {limit}; use `bitcurrent migrate down --to {limit}`"));
            var steps = new List<MigrationStep>();
            foreach (var migration in _migrations)
            {
                if (migration.Version > limit) break;
                if (applied.ContainsKey(migration.Version)) continue;
                steps.Add(await RunAsync(connection, migration, up: true, cancellationToken).ConfigureAwait(false));
            }
            return steps;
        }
        finally
        {
            await UnlockAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reverts applied migrations, newest first: down to <paramref name="toVersion"/> (that version stays applied;
    /// 0 reverts everything), or only the newest one when null.
    /// </summary>
    /// <returns>The migrations reverted (empty when nothing was applied).</returns>
    /// <exception cref="StorageException">Checksum mismatch, unknown applied migration, bad target, or a failed script.</exception>
    public async Task<IReadOnlyList<MigrationStep>> DownAsync(int? toVersion = null, CancellationToken cancellationToken = default)
    {
        if (toVersion is { } target && (target < 0 || (target != 0 && Find(target) is null)))
            throw new StorageException(StorageError.MigrationTargetInvalid, string.Create(CultureInfo.InvariantCulture, $"there is no migration {target}; known: 0 (empty), {KnownVersions()}"));
        await using var connection = await Db.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await LockAsync(connection, cancellationToken).ConfigureAwait(false);
        try
        {
            var applied = await ReadAppliedAsync(connection, cancellationToken, create: false).ConfigureAwait(false);
            Validate(applied);
            var current = applied.Count == 0 ? 0 : applied.Keys.Max();
            if (toVersion is { } limit && limit > current)
                throw new StorageException(StorageError.MigrationTargetInvalid,
                    string.Create(CultureInfo.InvariantCulture, $"the database is at version {current}, below {limit}; use `bitcurrent migrate up --to {limit}`"));
            var steps = new List<MigrationStep>();
            for (var i = _migrations.Length - 1; i >= 0; i--)
            {
                var migration = _migrations[i];
                if (!applied.ContainsKey(migration.Version)) continue;
                if (toVersion is { } floor ? migration.Version <= floor : steps.Count == 1) break;
                steps.Add(await RunAsync(connection, migration, up: false, cancellationToken).ConfigureAwait(false));
            }
            return steps;
        }
        finally
        {
            await UnlockAsync(connection).ConfigureAwait(false);
        }
    }

    private Migration? Find(int version) => Array.Find(_migrations, m => m.Version == version);

    private string KnownVersions() => _migrations.Length == 0 ? "none" : string.Join(", ", _migrations.Select(m => m.Version.ToString(CultureInfo.InvariantCulture)));

    private List<MigrationStatus> Status(Dictionary<int, AppliedRow> applied)
    {
        var list = new List<MigrationStatus>();
        foreach (var m in _migrations)
        {
            if (applied.TryGetValue(m.Version, out var row))
            {
                var state = string.Equals(row.Checksum, m.Checksum, StringComparison.Ordinal) ? MigrationState.Applied : MigrationState.ChecksumMismatch;
                list.Add(new MigrationStatus(m.Version, m.Name, state, row.AppliedAt, row.Checksum, m.Checksum));
            }
            else
            {
                list.Add(new MigrationStatus(m.Version, m.Name, MigrationState.Pending, null, null, m.Checksum));
            }
        }
        foreach (var (version, row) in applied)
        {
            if (Find(version) is null) list.Add(new MigrationStatus(version, row.Name, MigrationState.Unknown, row.AppliedAt, row.Checksum, null));
        }
        list.Sort(static (a, b) => a.Version.CompareTo(b.Version));
        return list;
    }

    private void Validate(Dictionary<int, AppliedRow> applied)
    {
        foreach (var s in Status(applied))
        {
            if (s.State == MigrationState.ChecksumMismatch)
            {
                throw new StorageException(StorageError.MigrationChecksumMismatch, string.Create(CultureInfo.InvariantCulture,
                    $"migration {s.Version:D4}_{s.Name} was applied with checksum {s.RecordedChecksum} but this build's script has {s.ExpectedChecksum}: the script changed after it ran. Restore the original script, or write a new migration for the change; nothing was done"));
            }
            if (s.State == MigrationState.Unknown)
            {
                throw new StorageException(StorageError.MigrationUnknown, string.Create(CultureInfo.InvariantCulture,
                    $"the database has migration {s.Version:D4}_{s.Name} applied, which this build does not know (the database is newer than this bitcurrent); nothing was done"));
            }
        }
    }

    private static async Task<MigrationStep> RunAsync(NpgsqlConnection connection, Migration migration, bool up, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Db.ExecuteAsync(connection, up ? migration.UpSql : migration.DownSql, cancellationToken, transaction).ConfigureAwait(false);
        }
        catch (PostgresException e)
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw new StorageException(StorageError.MigrationFailed,
                $"migration {migration} ({(up ? "up" : "down")}) failed and was rolled back: {e.MessageText}", e);
        }
        await using (var record = new NpgsqlCommand(up
            ? "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)"
            : "DELETE FROM schema_migrations WHERE version = $1", connection, transaction))
        {
            record.Parameters.Add(new NpgsqlParameter { Value = migration.Version });
            if (up)
            {
                record.Parameters.Add(new NpgsqlParameter { Value = migration.Name });
                record.Parameters.Add(new NpgsqlParameter { Value = migration.Checksum });
            }
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new MigrationStep(migration, up, System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// The applied migrations. Reading never creates anything (a database that was only looked at stays empty, so that
    /// a restore still accepts it); <paramref name="create"/> creates <c>schema_migrations</c> for up and down.
    /// </summary>
    private static async Task<Dictionary<int, AppliedRow>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken, bool create = false)
    {
        if (!create && !await Db.TableExistsAsync(connection, "schema_migrations", cancellationToken).ConfigureAwait(false)) return [];
        await Db.ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer     PRIMARY KEY,
                name       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken).ConfigureAwait(false);
        var applied = new Dictionary<int, AppliedRow>();
        await using var command = new NpgsqlCommand("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            applied.Add(reader.GetInt32(0), new AppliedRow(reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }
        return applied;
    }

    private static Task LockAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        Db.ExecuteAsync(connection, string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_lock({AdvisoryLockKey})"), cancellationToken);

    private static async Task UnlockAsync(NpgsqlConnection connection)
    {
        if (connection.State == System.Data.ConnectionState.Open)
            await Db.ExecuteAsync(connection, string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_unlock({AdvisoryLockKey})"), CancellationToken.None).ConfigureAwait(false);
    }

    private static IReadOnlyList<Migration> LoadEmbedded()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var ups = new SortedDictionary<int, (string Name, string Up)>();
        var downs = new Dictionary<int, string>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal)) continue;
            var file = resource[ResourcePrefix.Length..];                  // 0001_ledger.up.sql
            var up = file.EndsWith(".up.sql", StringComparison.Ordinal);
            var down = file.EndsWith(".down.sql", StringComparison.Ordinal);
            var underscore = file.IndexOf('_', StringComparison.Ordinal);
            if ((!up && !down) || underscore <= 0 ||
                !int.TryParse(file.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                throw new InvalidOperationException($"Embedded migration '{file}' is not named NNNN_name.up.sql or NNNN_name.down.sql.");
            var name = file[(underscore + 1)..file.LastIndexOf(up ? ".up.sql" : ".down.sql", StringComparison.Ordinal)];
            var text = Read(assembly, resource);
            if (up) ups.Add(version, (name, text));
            else downs.Add(version, text);
        }
        var list = new List<Migration>();
        foreach (var (version, (name, upSql)) in ups)
        {
            if (!downs.TryGetValue(version, out var downSql))
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Embedded migration {version} has no down script."));
            list.Add(new Migration(version, name, upSql, downSql));
        }
        return list;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private readonly record struct AppliedRow(string Name, string Checksum, DateTimeOffset AppliedAt);
}
