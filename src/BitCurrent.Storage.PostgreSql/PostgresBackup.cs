using System.Diagnostics;
using System.Globalization;
using BitCurrent.Storage.PostgreSql.Internal;
using Npgsql;

namespace BitCurrent.Storage.PostgreSql;

/// <summary>The PostgreSQL client programs a backup or restore runs.</summary>
/// <param name="PgDump">Full path of <c>pg_dump</c>.</param>
/// <param name="PgRestore">Full path of <c>pg_restore</c>.</param>
public sealed record PostgresTools(string PgDump, string PgRestore);

/// <summary>What a backup or restore did.</summary>
/// <param name="File">The backup file.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Elapsed">How long the tool ran.</param>
/// <param name="Tool">The program that ran.</param>
public sealed record BackupResult(string File, long Bytes, TimeSpan Elapsed, string Tool);

/// <summary>
/// Backup and restore of a BitCurrent database with PostgreSQL's own tools: <c>pg_dump -Fc</c> (custom format:
/// compressed, restorable table by table) and <c>pg_restore</c>. The tools are looked up on PATH, then under
/// <c>/usr/lib/postgresql/*/bin</c> (newest version first); the connection string's host, port, user, password and
/// database are passed through the <c>PG*</c> environment variables, never on the command line.
/// </summary>
public static class PostgresBackup
{
    /// <summary>Finds <c>pg_dump</c> and <c>pg_restore</c>.</summary>
    /// <exception cref="StorageException"><see cref="StorageError.ToolNotFound"/>.</exception>
    public static PostgresTools FindTools()
    {
        var dump = Find("pg_dump");
        var restore = Find("pg_restore");
        if (dump is null || restore is null)
        {
            throw new StorageException(StorageError.ToolNotFound,
                $"{(dump is null ? "pg_dump" : "pg_restore")} was not found on PATH nor under /usr/lib/postgresql/*/bin; install the PostgreSQL client (Debian: apt-get install postgresql-client)");
        }
        return new PostgresTools(dump, restore);
    }

    /// <summary>Writes a custom-format backup of the connection's database to <paramref name="file"/> (replaced if it exists).</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="file">The backup file to write.</param>
    /// <param name="progress">Receives pg_dump's progress (a line per table dumped, and any warning or error), or null.</param>
    /// <param name="cancellationToken">Stops pg_dump.</param>
    /// <exception cref="StorageException"><see cref="StorageError.ToolNotFound"/>, <see cref="StorageError.BackupFailed"/>.</exception>
    public static async Task<BackupResult> BackupAsync(string connectionString, string file, IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        var tools = FindTools();
        var full = Path.GetFullPath(file);
        var directory = Path.GetDirectoryName(full);
        if (directory is not null && !Directory.Exists(directory))
            throw new StorageException(StorageError.BackupFailed, $"the directory {directory} does not exist");
        var partial = full + ".partial";
        var started = Stopwatch.GetTimestamp();
        await RunAsync(tools.PgDump, ["--format=custom", "--verbose", "--no-owner", "--file", partial], connectionString, progress,
            StorageError.BackupFailed, cancellationToken).ConfigureAwait(false);
        File.Move(partial, full, overwrite: true);  // a failed dump never leaves a file that looks complete
        return new BackupResult(full, new FileInfo(full).Length, Stopwatch.GetElapsedTime(started), tools.PgDump);
    }

    /// <summary>
    /// Restores a backup written by <see cref="BackupAsync"/> into the connection's database. A database that already
    /// has tables is refused unless <paramref name="force"/>, which drops the backup's objects before recreating them.
    /// </summary>
    /// <exception cref="StorageException">
    /// <see cref="StorageError.BackupFileNotFound"/>, <see cref="StorageError.DatabaseNotEmpty"/>,
    /// <see cref="StorageError.ToolNotFound"/>, <see cref="StorageError.RestoreFailed"/>, <see cref="StorageError.ConnectionFailed"/>.
    /// </exception>
    public static async Task<BackupResult> RestoreAsync(string connectionString, string file, bool force, IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        var full = Path.GetFullPath(file);
        if (!File.Exists(full)) throw new StorageException(StorageError.BackupFileNotFound, $"the backup file {full} does not exist");
        var tools = FindTools();
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        await using (var connection = await Db.OpenAsync(dataSource, cancellationToken).ConfigureAwait(false))
        {
            var tables = await Db.ScalarAsync<long>(connection, """
                SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
                """, cancellationToken).ConfigureAwait(false);
            if (tables > 0 && !force)
            {
                throw new StorageException(StorageError.DatabaseNotEmpty, string.Create(CultureInfo.InvariantCulture,
                    $"the database {connection.Database} is not empty ({tables} tables, views or sequences); restore into an empty database, or use --force to drop and recreate the backup's objects"));
            }
        }
        var started = Stopwatch.GetTimestamp();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // pg_restore does not read PGDATABASE for its target: name it as a conninfo holding only the database name (quoted,
        // so no name can smuggle in other parameters); host, port, user and password still come from the environment.
        var database = (builder.Database ?? builder.Username ?? "postgres").Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);
        List<string> arguments = ["--verbose", "--no-owner", "--exit-on-error", "--single-transaction", "--dbname", $"dbname='{database}'"];
        if (force) arguments.AddRange(["--clean", "--if-exists"]);
        arguments.Add(full);
        await RunAsync(tools.PgRestore, arguments, connectionString, progress, StorageError.RestoreFailed, cancellationToken).ConfigureAwait(false);
        return new BackupResult(full, new FileInfo(full).Length, Stopwatch.GetElapsedTime(started), tools.PgRestore);
    }

    /// <summary>The verbose lines worth showing: one per table dumped or restored, and every warning or error.</summary>
    private static bool IsProgress(string line) =>
        line.Contains("dumping contents of table", StringComparison.Ordinal) ||
        line.Contains("processing data for table", StringComparison.Ordinal) ||
        line.Contains("error", StringComparison.OrdinalIgnoreCase) ||
        line.Contains("warning", StringComparison.OrdinalIgnoreCase) ||
        line.Contains("fatal", StringComparison.OrdinalIgnoreCase);

    private static string? Find(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate)) return candidate;
        }
        const string Root = "/usr/lib/postgresql";
        if (!Directory.Exists(Root)) return null;
        var versions = Directory.GetDirectories(Root);
        Array.Sort(versions, static (a, b) => VersionOf(b).CompareTo(VersionOf(a)));
        foreach (var version in versions)
        {
            var candidate = Path.Combine(version, "bin", name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static int VersionOf(string directory) =>
        int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;

    private static async Task RunAsync(string tool, IReadOnlyList<string> arguments, string connectionString, IProgress<string>? progress,
        StorageError failure, CancellationToken cancellationToken)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new StorageException(StorageError.ConnectionStringInvalid, $"the connection string is malformed: {e.Message}", e);
        }
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Connection parameters through the environment: a password never appears in the process list.
        if (!string.IsNullOrEmpty(builder.Host)) start.Environment["PGHOST"] = builder.Host;
        start.Environment["PGPORT"] = builder.Port.ToString(CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(builder.Username)) start.Environment["PGUSER"] = builder.Username;
        if (!string.IsNullOrEmpty(builder.Password)) start.Environment["PGPASSWORD"] = builder.Password;
        if (!string.IsNullOrEmpty(builder.Database)) start.Environment["PGDATABASE"] = builder.Database;
        start.Environment["PGCONNECT_TIMEOUT"] = builder.Timeout.ToString(CultureInfo.InvariantCulture);
        if (builder.SslMode is SslMode.Require or SslMode.VerifyCA or SslMode.VerifyFull)
            start.Environment["PGSSLMODE"] = builder.SslMode.ToString().ToLowerInvariant().Replace("verifyca", "verify-ca", StringComparison.Ordinal).Replace("verifyfull", "verify-full", StringComparison.Ordinal);

        using var process = Process.Start(start) ?? throw new StorageException(failure, $"{tool} could not be started");
        var tail = new Queue<string>();
        var stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (IsProgress(line)) progress?.Report(line);
                lock (tail)
                {
                    tail.Enqueue(line);
                    if (tail.Count > 20) tail.Dequeue();
                }
            }
        }, cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(stderr, stdout).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
        {
            string[] lines;
            lock (tail) lines = [.. tail];
            var errors = Array.FindAll(lines, l => l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.Contains("fatal", StringComparison.OrdinalIgnoreCase));
            var detail = string.Join(" | ", errors.Length > 0 ? errors : lines.AsSpan(Math.Max(0, lines.Length - 3)).ToArray());
            throw new StorageException(failure, string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(tool)} exited with code {process.ExitCode}: {detail}"));
        }
    }
}
