using System.CommandLine;
using BitCurrent.Hosts.Console.Commands;

namespace BitCurrent.Storage.PostgreSql.Tests;

/// <summary>Runs the bitcurrent PostgreSQL commands in-process, as Program.cs wires them, and captures what they print.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static async Task<CliRun> RunAsync(string? connectionString, params string[] args)
    {
        Func<string, string?> environment = name => name == PostgresStorage.ConnectionStringVariable ? connectionString : null;
        var root = new RootCommand("BitCurrent")
        {
            MigrateCommand.Create(environment),
            DbCommand.Create(environment),
            ReconcileCommand.Create(environment),
            AdjustCommand.Create(environment),
        };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}--- stderr\n{Error}";
}
