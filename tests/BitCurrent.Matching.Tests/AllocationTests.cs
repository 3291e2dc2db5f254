using BitCurrent.Matching.Tests.Reference;

namespace BitCurrent.Matching.Tests;

public class AllocationTests
{
    /// <summary>
    /// Zero allocation in steady state: a million mixed commands (every command kind, order type, time in
    /// force, self-trade mode, icebergs, stops, expiries, rejects) after a warm-up, with a counting struct sink.
    /// </summary>
    [Fact]
    public void A_million_mixed_commands_allocate_nothing_after_warm_up()
    {
        var count = TestProfile.Scale(1_000_000);
        var stream = new RandomCommands(2024, 1, 2) { UsersCount = 50 };
        var commands = new Command[count];
        for (var i = 0; i < count; i++) commands[i] = stream.Next();

        var options = Harness.SmallOptions with { OrdersMax = 1 << 16, OrdersPerBookMax = 1 << 16, LevelsPerBookMax = 1 << 10 };
        // Warm-up on another engine: JIT tiers, static constructors, generic instantiations.
        Run(NewEngine(options), commands.AsSpan(0, count / 5));

        var engine = NewEngine(options);
        var sink = new CountingSink();
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (ref readonly var c in commands.AsSpan()) engine.Apply(in c, ref sink);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Under mutation testing Stryker's instrumentation records coverage and allocates itself: the byte count
        // is only meaningful in normal runs.
        if (!TestProfile.Quick) Assert.Equal(0, allocated);
        Assert.True(sink.Trades > count / 100, $"the stream must trade: {sink.Trades} trades");
        Assert.True(sink.Rejects > count / 1000, $"the stream must reject some: {sink.Rejects} rejects");
        engine.CheckInvariants();
    }

    private static MatchingEngine NewEngine(MatchingOptions options)
    {
        var engine = new MatchingEngine(options);
        foreach (var i in ReferenceComparisonTests.Instruments) engine.AddInstrument(i);
        return engine;
    }

    private static void Run(MatchingEngine engine, ReadOnlySpan<Command> commands)
    {
        var sink = new CountingSink();
        foreach (ref readonly var c in commands) engine.Apply(in c, ref sink);
    }
}
