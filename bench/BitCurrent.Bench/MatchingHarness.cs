using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BitCurrent.Bench.Benchmarks;
using BitCurrent.Matching;
using BitCurrent.Matching.Workloads;
using HdrHistogram;

namespace BitCurrent.Bench;

/// <summary>
/// <c>matching</c>: throughput and per-message latency of the engine on the seeded <see cref="MarketWorkload"/>.
/// <list type="number">
/// <item>Record: run the workload closed loop on a shadow engine and keep its commands (not timed).</item>
/// <item>Warm up: replay every command on a fresh engine with the loop and sink of the measurement, so the hot
/// methods are at tier 1 with their dynamic PGO (not timed).</item>
/// <item>Timed loop: replay on a fresh engine, reading <see cref="Stopwatch.GetTimestamp"/> around each message into an
/// HdrHistogram; allocations of the whole loop are counted.</item>
/// <item>Untimed loop: replay on a fresh engine with one timestamp around the whole loop (no per-message cost).</item>
/// <item>Noise floor: <see cref="FloorReplays"/> more replays on fresh engines, timing fixed chunks of
/// <see cref="FloorChunk"/> messages and keeping each chunk's fastest time. On a machine shared with other work
/// (as here: 2 cores, other builds running) a chunk that was never preempted shows the engine's own speed, so this
/// number moves by about 1 % between runs where the plain loops move by 30 % or more.</item>
/// </list>
/// All four engines must reach the same state hash. The last line is the summary that scripts read.
/// </summary>
internal static class MatchingHarness
{
    private const long HistogramMaxNs = 10_000_000_000; // 10 s: anything slower is clamped
    private const int FloorReplays = 5;
    private const int FloorChunk = 8_192;

    public static int Run(string[] args)
    {
        long orders = 2_000_000;
        ulong seed = 42;
        var symbols = 1;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--orders" when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out orders) && orders >= 1 && orders <= Array.MaxLength:
                case "--seed" when ulong.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out seed):
                case "--symbols" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out symbols) && symbols is >= 1 and <= 64:
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"matching: bad argument '{args[i]}' {value}; usage: matching [--orders 1..{Array.MaxLength}] [--seed S] [--symbols 1..64]");
                    return 2;
            }
        }

        PrintConditions(orders, seed, symbols);

        // 1. Record the workload (closed loop on a shadow engine).
        var commands = new Command[orders];
        var workload = new MarketWorkload(seed, symbols);
        var shadow = MarketWorkload.CreateEngine(symbols, orders);
        var counts = EventCounts.Create();
        workload.Fill(commands, shadow, ref counts);
        var expectedHash = shadow.ComputeStateHash();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"workload: {orders} commands, {counts.Events} events, {counts.Count(EventKind.Trade)} trades, {counts.Count(EventKind.Rejected)} rejects, {shadow.OpenOrderCount} open orders at the end"));

        // 2. Warm up with exactly the code of the measurements.
        var warm = MarketWorkload.CreateEngine(symbols, orders);
        UntimedLoop(warm, commands, out _);
        var histogram = new LongHistogram(HistogramMaxNs, 3);
        var warmTimed = MarketWorkload.CreateEngine(symbols, orders);
        TimedLoop(warmTimed, commands, histogram, out _);
        histogram.Reset();
        var hashes = new List<string> { warm.ComputeStateHash(), warmTimed.ComputeStateHash() };
        warm = warmTimed = null;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();

        // 3. Timed loop: one timestamp pair per message.
        var timedEngine = MarketWorkload.CreateEngine(symbols, orders);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var timedTicks = TimedLoop(timedEngine, commands, histogram, out var timedSink);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        hashes.Add(timedEngine.ComputeStateHash());

        // 4. Untimed loop: throughput without the per-message timestamps.
        var untimedEngine = MarketWorkload.CreateEngine(symbols, orders);
        var untimedAllocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var untimedTicks = UntimedLoop(untimedEngine, commands, out _);
        var untimedAllocated = GC.GetAllocatedBytesForCurrentThread() - untimedAllocatedBefore;
        hashes.Add(untimedEngine.ComputeStateHash());

        // 5. Noise floor: the fastest time of each chunk over several replays.
        var floorTicks = FloorTicks(commands, symbols, orders, hashes);

        foreach (var hash in hashes)
        {
            if (hash != expectedHash)
            {
                Console.Error.WriteLine($"matching: a replay reached state hash {hash}, the recording {expectedHash}: the engine is not deterministic");
                return 1;
            }
        }

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"state hash: {expectedHash} (recording and all replays agree)");
        Console.WriteLine(string.Create(c, $"timed loop: {timedSink.Events} events, {timedSink.Trades} trades, {Seconds(timedTicks):F3} s; max {histogram.GetMaxValue()} ns, p99.99 {histogram.GetValueAtPercentile(99.99)} ns, mean {histogram.GetMean():F0} ns"));
        Console.WriteLine(string.Create(c, $"matching (noise floor, fastest of {FloorReplays} replays per {FloorChunk}-message chunk): {PerSecond(orders, floorTicks)} msg/s"));
        Console.WriteLine(string.Create(c, $"matching (untimed loop): {PerSecond(orders, untimedTicks)} msg/s, {Seconds(untimedTicks):F3} s, allocated {untimedAllocated} B"));
        Console.WriteLine(string.Create(c,
            $"matching: {PerSecond(orders, timedTicks)} msg/s, p50 {histogram.GetValueAtPercentile(50)} ns, p99 {histogram.GetValueAtPercentile(99)} ns, p99.9 {histogram.GetValueAtPercentile(99.9)} ns, allocated {allocated} B"));
        return 0;
    }

    /// <summary>Replays <see cref="FloorReplays"/> times and sums, over the chunks, each chunk's fastest time.</summary>
    private static long FloorTicks(Command[] commands, int symbols, long orders, List<string> hashes)
    {
        var best = new long[(commands.Length + FloorChunk - 1) / FloorChunk];
        Array.Fill(best, long.MaxValue);
        for (var replay = 0; replay < FloorReplays; replay++)
        {
            var engine = MarketWorkload.CreateEngine(symbols, orders);
            ChunkLoop(engine, commands, best);
            hashes.Add(engine.ComputeStateHash());
        }
        var total = 0L;
        foreach (var ticks in best) total += ticks;
        return total;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void ChunkLoop(MatchingEngine engine, Command[] commands, long[] best)
    {
        var sink = default(CountingSink);
        for (var chunk = 0; chunk < best.Length; chunk++)
        {
            var end = Math.Min(commands.Length, (chunk + 1) * FloorChunk);
            var start = Stopwatch.GetTimestamp();
            for (var i = chunk * FloorChunk; i < end; i++) engine.Apply(in commands[i], ref sink);
            var ticks = Stopwatch.GetTimestamp() - start;
            if (ticks < best[chunk]) best[chunk] = ticks;
        }
    }

    /// <summary>Applies every command with a timestamp pair around each; returns the loop's total ticks.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long TimedLoop(MatchingEngine engine, Command[] commands, LongHistogram histogram, out CountingSink sink)
    {
        sink = default;
        var frequency = Stopwatch.Frequency;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < commands.Length; i++)
        {
            var before = Stopwatch.GetTimestamp();
            engine.Apply(in commands[i], ref sink);
            var ticks = Stopwatch.GetTimestamp() - before;
            var ns = frequency == 1_000_000_000 ? ticks : ticks * 1_000_000_000 / frequency;
            histogram.RecordValue(Math.Min(ns, HistogramMaxNs));
        }
        return Stopwatch.GetTimestamp() - start;
    }

    /// <summary>Applies every command; returns the loop's total ticks.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long UntimedLoop(MatchingEngine engine, Command[] commands, out CountingSink sink)
    {
        sink = default;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < commands.Length; i++) engine.Apply(in commands[i], ref sink);
        return Stopwatch.GetTimestamp() - start;
    }

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    private static long PerSecond(long count, long ticks) => ticks > 0 ? (long)(count / Seconds(ticks)) : 0;

    private static void PrintConditions(long orders, ulong seed, int symbols)
    {
        Console.WriteLine($"machine: {CpuModel()}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.OSArchitecture}");
        Console.WriteLine($"runtime: {RuntimeInformation.FrameworkDescription}, GC {(GCSettings.IsServerGC ? "server" : "workstation")} " +
            $"({GCSettings.LatencyMode}), TieredCompilation {Setting("System.Runtime.TieredCompilation", "DOTNET_TieredCompilation")}, " +
            $"TieredPGO {Setting("System.Runtime.TieredPGO", "DOTNET_TieredPGO")}, " +
            $"{(typeof(MatchingEngine).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false) is [DebuggableAttribute { IsJITOptimizerDisabled: true }] ? "Matching built WITHOUT optimizations (Debug)" : "Matching optimized")}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run: orders {orders}, seed {seed}, symbols {symbols}, Stopwatch frequency {Stopwatch.Frequency} Hz"));
    }

    /// <summary>The effective value of a runtime switch: the environment overrides runtimeconfig.json.</summary>
    private static string Setting(string appContextName, string environmentName)
    {
        var environment = Environment.GetEnvironmentVariable(environmentName);
        if (!string.IsNullOrEmpty(environment)) return $"{(environment == "0" ? "off" : "on")} (env)";
        return AppContext.GetData(appContextName) switch
        {
            bool value => value ? "on" : "off",
            string text => text,
            _ => "default",
        };
    }

    private static string CpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal)) return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
