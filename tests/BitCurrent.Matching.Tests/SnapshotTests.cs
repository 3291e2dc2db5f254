using BitCurrent.Matching.Tests.Reference;

namespace BitCurrent.Matching.Tests;

public class SnapshotTests
{
    private static MatchingEngine NewEngine()
    {
        var engine = new MatchingEngine(Harness.SmallOptions);
        foreach (var i in ReferenceComparisonTests.Instruments) engine.AddInstrument(i);
        return engine;
    }

    private static Command[] Stream(int seed, int count)
    {
        var stream = new RandomCommands(seed);
        var commands = new Command[count];
        for (var i = 0; i < count; i++) commands[i] = stream.Next();
        return commands;
    }

    private static List<MatchingEvent> Run(MatchingEngine engine, ReadOnlySpan<Command> commands)
    {
        var events = new List<MatchingEvent>();
        var sink = new RecordingSink(events);
        foreach (ref readonly var c in commands) engine.Apply(in c, ref sink);
        return events;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_same_commands_give_the_same_events_and_state_hash(int seed)
    {
        var commands = Stream(seed, 3000);
        var (a, b) = (NewEngine(), NewEngine());
        Assert.Equal(Run(a, commands), Run(b, commands));
        Assert.Equal(a.ComputeStateHash(), b.ComputeStateHash());
        Assert.NotEqual(NewEngine().ComputeStateHash(), a.ComputeStateHash());
    }

    [Theory]
    [InlineData(11, 500)]
    [InlineData(12, 1500)]
    [InlineData(13, 2999)]
    public void Replaying_after_a_restore_gives_the_same_events_and_hash_as_the_original_run(int seed, int cut)
    {
        var commands = Stream(seed, 3000);
        var original = NewEngine();
        Run(original, commands.AsSpan(0, cut));
        var bytes = new MemoryStream();
        original.WriteSnapshot(bytes);
        var restored = MatchingEngine.ReadSnapshot(new MemoryStream(bytes.ToArray()));
        Assert.Equal(original.ComputeStateHash(), restored.ComputeStateHash());

        var expected = Run(original, commands.AsSpan(cut));
        var actual = Run(restored, commands.AsSpan(cut));
        Assert.Equal(expected, actual);
        Assert.Equal(original.ComputeStateHash(), restored.ComputeStateHash());
        restored.CheckInvariants();
    }

    [Fact]
    public void A_snapshot_is_canonical_whatever_the_internal_layout()
    {
        // Restoring lays orders out in different slots; writing again must give the same bytes.
        var engine = NewEngine();
        Run(engine, Stream(21, 2000));
        var first = new MemoryStream();
        engine.WriteSnapshot(first);
        var second = new MemoryStream();
        MatchingEngine.ReadSnapshot(new MemoryStream(first.ToArray())).WriteSnapshot(second);
        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public void Corrupt_truncated_or_foreign_snapshots_are_refused_with_a_clear_error()
    {
        var engine = NewEngine();
        Run(engine, Stream(31, 500));
        var bytes = new MemoryStream();
        engine.WriteSnapshot(bytes);
        var good = bytes.ToArray();

        var flipped = (byte[])good.Clone();
        flipped[^10] ^= 0x40;
        Assert.Contains("checksum", Assert.Throws<SnapshotFormatException>(() => Read(flipped)).Message, StringComparison.Ordinal);
        Assert.Contains("truncated", Assert.Throws<SnapshotFormatException>(() => Read(good[..^1])).Message, StringComparison.Ordinal);
        Assert.Contains("truncated", Assert.Throws<SnapshotFormatException>(() => Read(good[..20])).Message, StringComparison.Ordinal);
        var magic = (byte[])good.Clone();
        magic[0] = (byte)'X';
        Assert.Contains("magic", Assert.Throws<SnapshotFormatException>(() => Read(magic)).Message, StringComparison.Ordinal);
        var version = (byte[])good.Clone();
        version[4] = 99;
        Assert.Contains("version", Assert.Throws<SnapshotFormatException>(() => Read(version)).Message, StringComparison.Ordinal);

        static MatchingEngine Read(byte[] data) => MatchingEngine.ReadSnapshot(new MemoryStream(data));
    }

    [Fact]
    public void A_snapshot_that_does_not_fit_the_given_options_is_refused()
    {
        var engine = NewEngine();
        Run(engine, Stream(41, 1000));
        Assert.True(engine.OpenOrderCount > 2, $"{engine.OpenOrderCount} open orders");
        var bytes = new MemoryStream();
        engine.WriteSnapshot(bytes);
        var tiny = Harness.SmallOptions with { OrdersMax = 2 };
        Assert.Throws<SnapshotFormatException>(() => MatchingEngine.ReadSnapshot(new MemoryStream(bytes.ToArray()), tiny));
    }
}
