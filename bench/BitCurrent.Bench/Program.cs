using BenchmarkDotNet.Running;
using BitCurrent.Bench;

// One executable, one harness per subcommand. To add one (e.g. `ledger`), add a file like
// MatchingHarness.cs and one case below.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: BitCurrent.Bench bdn [BenchmarkDotNet arguments] | matching [--orders N] [--seed S] [--symbols K] | micro [--batch N] [--rounds R] | custody [--seconds S] | ledger [--transfers N] [--batch B] [--inflight K]");
    return 2;
}
var rest = args[1..];
switch (args[0])
{
    case "bdn":
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(MatchingHarness).Assembly).Run(rest);
        foreach (var summary in summaries)
        {
            if (summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)) return 1;
        }
        return 0;
    case "matching":
        return MatchingHarness.Run(rest);
    case "micro":
        return MicroHarness.Run(rest);
    case "custody":
        return CustodyHarness.Run(rest);
    case "ledger":
        return LedgerHarness.Run(rest);
    default:
        Console.Error.WriteLine($"unknown harness '{args[0]}': expected bdn, matching, micro, custody or ledger");
        return 2;
}
