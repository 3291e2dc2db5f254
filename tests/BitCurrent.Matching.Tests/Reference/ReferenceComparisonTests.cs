using System.Text;

namespace BitCurrent.Matching.Tests.Reference;

/// <summary>
/// The engine against the naive <see cref="ReferenceEngine"/> on seeded random streams: after every command the
/// events must be equal one by one, and so must both books, level by level and order by order. A failure
/// prints the seed and the command index, so it can be replayed exactly.
/// </summary>
public class ReferenceComparisonTests
{
    internal static Instrument[] Instruments =>
    [
        Harness.DefaultInstrument(1),
        Harness.DefaultInstrument(2) with { QuoteMinorPerTickLot = 3, NotionalMin = 450 },
    ];

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 24; seed++) data.Add(seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Engine_matches_reference_event_by_event(int seed) => Compare(seed, commands: TestProfile.Scale(2500), matchesMax: 1024);

    [Theory]
    [InlineData(101)]
    [InlineData(102)]
    [InlineData(103)]
    public void Engine_matches_reference_with_a_tight_match_limit(int seed) => Compare(seed, commands: TestProfile.Scale(2500), matchesMax: 3);

    [Fact]
    public void Engine_matches_reference_with_many_users_and_one_symbol() => Compare(7, commands: TestProfile.Scale(4000), matchesMax: 1024, users: 12, symbols: [1]);

    private static void Compare(int seed, int commands, int matchesMax, int users = 4, int[]? symbols = null)
    {
        var options = Harness.SmallOptions with { MatchesPerOrderMax = matchesMax };
        var engine = new MatchingEngine(options);
        var reference = new ReferenceEngine(matchesMax);
        foreach (var i in Instruments)
        {
            engine.AddInstrument(i);
            reference.AddInstrument(i);
        }
        var stream = new RandomCommands(seed, symbols ?? [1, 2]) { UsersCount = users };
        var events = new List<MatchingEvent>();
        var kinds = new Dictionary<EventKind, int>();
        for (var n = 0; n < commands; n++)
        {
            var command = stream.Next();
            events.Clear();
            var sink = new RecordingSink(events);
            engine.Apply(command, ref sink);
            var expected = reference.Apply(command);
            if (!expected.SequenceEqual(events)) Assert.Fail(Describe(seed, n, command, expected, events));
            foreach (var e in events) kinds[e.Kind] = kinds.GetValueOrDefault(e.Kind) + 1;
            engine.CheckInvariants();
            AssertSameBooks(seed, n, engine, reference);
        }
        // The stream must exercise every kind of event, or the comparison proves little.
        if (TestProfile.Quick) return;
        foreach (var kind in Enum.GetValues<EventKind>())
            Assert.True(kinds.GetValueOrDefault(kind) > 0, $"seed {seed}: no {kind} events in {commands} commands");
    }

    internal static void AssertSameBooks(int seed, int n, MatchingEngine engine, ReferenceEngine reference)
    {
        foreach (var instrument in Instruments)
        {
            var book = reference.Book(instrument.SymbolId);
            foreach (var side in new[] { Side.Buy, Side.Sell })
            {
                var levels = new PriceLevel[512];
                var count = engine.GetDepth(instrument.SymbolId, side, levels);
                var expected = book.Side(side).Select(l => new PriceLevel(l.PriceTicks, l.Total, l.Queue.Count)).ToArray();
                Assert.True(expected.AsSpan().SequenceEqual(levels.AsSpan(0, count)),
                    $"seed {seed}, command {n}: {side} depth differs\n expected {string.Join(", ", expected)}\n actual   {string.Join(", ", levels.Take(count))}");
            }
            Assert.Equal(book.UpdateId, engine.GetUpdateId(instrument.SymbolId));
            Assert.Equal(book.LastTradePrice, engine.GetLastTradePrice(instrument.SymbolId));
        }
        var open = reference.OpenOrders.ToList();
        Assert.Equal(open.Count, engine.OpenOrderCount);
        foreach (var o in open)
        {
            Assert.True(engine.TryGetOrder(o.OrderId, out var view), $"seed {seed}, command {n}: order {o.OrderId} missing");
            Assert.Equal((o.UserId, o.PriceTicks, o.QuantityLots, o.FilledLots, o.VisibleLots, o.Type),
                (view.UserId, view.PriceTicks, view.QuantityLots, view.FilledLots, view.VisibleLots, view.Type));
        }
    }

    private static string Describe(int seed, int n, Command command, List<MatchingEvent> expected, List<MatchingEvent> actual)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"seed {seed}, command {n}: events differ");
        sb.AppendLine($"command: {command}");
        sb.AppendLine("expected (reference):");
        foreach (var e in expected) sb.AppendLine($"  {e}");
        sb.AppendLine("actual (engine):");
        foreach (var e in actual) sb.AppendLine($"  {e}");
        return sb.ToString();
    }
}
