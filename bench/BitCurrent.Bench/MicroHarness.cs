using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using BitCurrent.Bench.Benchmarks;
using BitCurrent.Matching;

namespace BitCurrent.Bench;

/// <summary>
/// <c>micro</c>: the add, cancel and match-one-level operations of the BenchmarkDotNet suites, measured as a noise
/// floor: each round times a batch of each operation, and the fastest round is kept. BenchmarkDotNet reports means,
/// which on a shared machine include time stolen by other processes; the fastest batch of many shows what the
/// engine itself costs. Same book and commands as <see cref="AddBenchmarks"/>, <see cref="CancelBenchmarks"/> and
/// <see cref="MatchBenchmarks"/>.
/// </summary>
internal static class MicroHarness
{
    public static int Run(string[] args)
    {
        var batch = 10_000;
        var rounds = 200;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--batch" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out batch) && batch is >= 1 and <= 1_000_000:
                case "--rounds" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out rounds) && rounds is >= 1 and <= 100_000:
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"micro: bad argument '{args[i]}' {value}; usage: micro [--batch 1..1000000] [--rounds 1..100000]");
                    return 2;
            }
        }

        var factory = new CommandFactory();
        var engine = BookSetup.Create(ordersMax: (4 * batch) + 4_096, levelsPerBookMax: 1_024);
        BookSetup.Seed(engine, factory);
        var adds = new Command[batch];
        var cancels = new Command[batch];
        var takers = new Command[batch];
        long bestAdd = long.MaxValue, bestCancel = long.MaxValue, bestMatch = long.MaxValue;
        var sink = default(CountingSink);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < rounds; round++)
        {
            // Add: rests at one of the 100 existing bid levels.
            for (var i = 0; i < batch; i++)
                adds[i] = factory.Limit(Side.Buy, BookSetup.BestBid - (i % BookSetup.Levels), 1 + (i % 7), 1 + (i % BookSetup.MakerUsers));
            bestAdd = Math.Min(bestAdd, Loop(engine, adds, ref sink));

            // Cancel the same orders in a scattered order (7919 is prime, so this is a permutation unless it divides the batch).
            for (var i = 0; i < batch; i++)
            {
                var k = batch % 7919 == 0 ? i : (int)(i * 7919L % batch);
                cancels[i] = factory.Cancel(adds[k].UserId, adds[k].OrderId);
            }
            bestCancel = Math.Min(bestCancel, Loop(engine, cancels, ref sink));

            // Match one level: queue makers at the best ask (not timed), then IOC takers that each fill one.
            for (var i = 0; i < batch; i++)
            {
                var maker = factory.Limit(Side.Sell, BookSetup.BestAsk, BookSetup.Quantity, 1 + (i % BookSetup.MakerUsers));
                engine.Apply(in maker, ref sink);
            }
            for (var i = 0; i < batch; i++)
                takers[i] = factory.Limit(Side.Buy, BookSetup.BestAsk, BookSetup.Quantity, BookSetup.TakerUser, TimeInForce.ImmediateOrCancel);
            bestMatch = Math.Min(bestMatch, Loop(engine, takers, ref sink));
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        engine.CheckInvariants();

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"book: {engine.OpenOrderCount} open orders between rounds, batch {batch}, {rounds} rounds, {sink.Trades} trades; allocated {allocated} B (including the command arrays refilled each round: 0 expected)"));
        Console.WriteLine(string.Create(c,
            $"micro (fastest batch): add {PerOperationNs(bestAdd, batch):F1} ns, cancel {PerOperationNs(bestCancel, batch):F1} ns, match one level {PerOperationNs(bestMatch, batch):F1} ns"));
        return 0;
    }

    private static double PerOperationNs(long ticks, int batch) => ticks * 1e9 / Stopwatch.Frequency / batch;

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long Loop(MatchingEngine engine, Command[] commands, ref CountingSink sink)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < commands.Length; i++) engine.Apply(in commands[i], ref sink);
        return Stopwatch.GetTimestamp() - start;
    }
}
