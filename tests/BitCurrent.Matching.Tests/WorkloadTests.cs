using BitCurrent.Matching.Workloads;

namespace BitCurrent.Matching.Tests;

public class WorkloadTests
{
    [Fact]
    public void The_same_seed_gives_the_same_commands_and_another_seed_does_not()
    {
        var a = new Command[5_000];
        var b = new Command[5_000];
        var c = new Command[5_000];
        new MarketWorkload(42, 3).Fill(a);
        new MarketWorkload(42, 3).Fill(b);
        new MarketWorkload(43, 3).Fill(c);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void The_generator_is_deterministic_across_runtimes()
    {
        // xoshiro256** seeded by SplitMix64 is pure integer arithmetic: these values are fixed forever.
        var random = new SeededRandom(42);
        var first = new[] { random.NextUInt64(), random.NextUInt64(), random.NextUInt64() };
        var again = new SeededRandom(42);
        Assert.Equal(first, new[] { again.NextUInt64(), again.NextUInt64(), again.NextUInt64() });
        Assert.Equal(3, first.Distinct().Count());
        var bounded = new SeededRandom(7);
        for (var i = 0; i < 10_000; i++) Assert.InRange(bounded.NextInt64(-5, 5), -5, 4);
    }

    [Fact]
    public void Closed_loop_commands_have_the_documented_mix_and_always_find_their_orders()
    {
        var count = TestProfile.Scale(200_000);
        var engine = MarketWorkload.CreateEngine(2, count);
        var workload = new MarketWorkload(9, 2);
        var counts = new MissCheckingSink { Counts = EventCounts.Create(), ExpiredInCommand = [] };
        var commands = new Command[count];
        workload.Fill(commands, engine, ref counts);

        var kinds = commands.GroupBy(c => c.Kind).ToDictionary(g => g.Key, g => g.Count() * 100.0 / count);
        Assert.InRange(kinds[CommandKind.Place], 66, 74);   // 60 % limit + 10 % takers
        Assert.InRange(kinds[CommandKind.Cancel], 21, 29);
        Assert.InRange(kinds[CommandKind.Amend], 3, 7);
        Assert.True(commands.Zip(commands.Skip(1)).All(p => p.Second.Timestamp > p.First.Timestamp && p.Second.Sequence == p.First.Sequence + 1));
        // Closed loop: the workload reads its fills, so a cancel or amend misses only an order that expired at the
        // start of that very command (expiry runs before the command).
        Assert.Equal(0, counts.UnexplainedMisses);
        Assert.True(counts.Counts.Count(EventKind.Trade) > count / 10);
        engine.CheckInvariants();
    }

    [Fact]
    public void Replaying_recorded_commands_reaches_the_recordings_state_hash()
    {
        var recorder = MarketWorkload.CreateEngine(4, 50_000);
        var commands = new Command[50_000];
        var counts = EventCounts.Create();
        new MarketWorkload(1, 4).Fill(commands, recorder, ref counts);
        var replay = MarketWorkload.CreateEngine(4, 50_000);
        var sink = new CountingSink();
        foreach (ref readonly var command in commands.AsSpan()) replay.Apply(in command, ref sink);
        Assert.Equal(recorder.ComputeStateHash(), replay.ComputeStateHash());
        Assert.Equal(counts.Events, sink.Events);
    }

    [Fact]
    public void Bad_workload_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MarketWorkload(1, 0));
        Assert.Throws<ArgumentException>(() => new MarketWorkload(1, 1, new MarketWorkloadOptions { LimitPercent = 90, CancelPercent = 50 }));
    }

    private struct MissCheckingSink : IEventSink
    {
        public EventCounts Counts;
        public HashSet<long> ExpiredInCommand;
        public long Sequence;
        public int UnexplainedMisses;

        public void OnEvent(in MatchingEvent e)
        {
            Counts.OnEvent(in e);
            if (e.Sequence != Sequence)
            {
                Sequence = e.Sequence;
                ExpiredInCommand.Clear();
            }
            if (e.Kind == EventKind.Expired) ExpiredInCommand.Add(e.OrderId);
            if (e.Kind == EventKind.Rejected && e.RejectReason == RejectReason.OrderNotFound && !ExpiredInCommand.Contains(e.OrderId))
                UnexplainedMisses++;
        }
    }
}
