using System.CommandLine;
using System.Data.Common;
using BitCurrent.Storage.PostgreSql;

namespace BitCurrent.Hosts.Console.Commands;

/// <summary>
/// What the PostgreSQL commands (<c>migrate</c>, <c>db</c>, <c>reconcile</c>) share: the <c>--connection</c> option
/// (default: the <c>BITCURRENT_POSTGRES</c> environment variable), error handling without stack traces, and the exit
/// codes: 0 done, 1 failed (connection, PostgreSQL, refused operation), 2 no or malformed connection string,
/// 3 reconciliation found discrepancies.
/// </summary>
internal static class DatabaseCli
{
    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitConfiguration = 2;
    public const int ExitDiscrepancies = 3;

    public static Option<string?> ConnectionOption() => new("--connection")
    {
        Description = $"Npgsql connection string, e.g. \"Host=127.0.0.1;Port=5432;Username=bitcurrent;Database=bitcurrent\" (default: ${PostgresStorage.ConnectionStringVariable}).",
    };

    /// <summary>Opens the database named by --connection or the environment and runs the body; expected failures print one line.</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <param name="connection">The command's --connection option.</param>
    /// <param name="environment">Reads an environment variable (tests pass their own).</param>
    /// <param name="cancellationToken">Cancelled on Ctrl+C.</param>
    /// <param name="body">The command: storage, stdout, stderr; returns the exit code.</param>
    public static async Task<int> RunAsync(ParseResult parseResult, Option<string?> connection, Func<string, string?>? environment,
        CancellationToken cancellationToken, Func<PostgresStorage, TextWriter, TextWriter, Task<int>> body)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var connectionString = parseResult.GetValue(connection);
        if (string.IsNullOrWhiteSpace(connectionString))
            connectionString = (environment ?? Environment.GetEnvironmentVariable)(PostgresStorage.ConnectionStringVariable);
        try
        {
            await using var storage = PostgresStorage.Open(connectionString);
            return await body(storage, output, error).ConfigureAwait(false);
        }
        catch (StorageException e)
        {
            error.WriteLine($"error: {e.Message}");
            return e.Error is StorageError.ConnectionStringMissing or StorageError.ConnectionStringInvalid ? ExitConfiguration : ExitFailed;
        }
        catch (DbException e)
        {
            error.WriteLine($"error: PostgreSQL: {e.Message}");
            return ExitFailed;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("error: cancelled");
            return ExitFailed;
        }
        catch (IOException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitFailed;
        }
        catch (UnauthorizedAccessException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitFailed;
        }
    }

    /// <summary>Progress lines written as they come (IProgress without a synchronisation context hop).</summary>
    public sealed class LineProgress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (writer) writer.WriteLine(value);
        }
    }
}
