namespace BitCurrent.Matching.Tests;

/// <summary>A sink that records every event (tests only: it allocates).</summary>
internal struct RecordingSink(List<MatchingEvent> events) : IEventSink
{
    public readonly List<MatchingEvent> Events = events;

    public readonly void OnEvent(in MatchingEvent matchingEvent) => Events.Add(matchingEvent);
}

/// <summary>A sink that only counts: used where a test must not allocate.</summary>
internal struct CountingSink : IEventSink
{
    public long Events;
    public long Trades;
    public long Rejects;

    public void OnEvent(in MatchingEvent matchingEvent)
    {
        Events++;
        if (matchingEvent.Kind == EventKind.Trade) Trades++;
        else if (matchingEvent.Kind == EventKind.Rejected) Rejects++;
    }
}

/// <summary>An engine with one or more instruments and a helper that applies commands with increasing sequence and time.</summary>
internal sealed class Harness
{
    public const int Symbol = 1;
    private long _sequence;

    public Harness(MatchingOptions? options = null, params Instrument[] instruments)
    {
        Engine = new MatchingEngine(options ?? SmallOptions);
        if (instruments.Length == 0) instruments = [DefaultInstrument()];
        foreach (var i in instruments) Engine.AddInstrument(i);
    }

    public static MatchingOptions SmallOptions => new()
    {
        SymbolsMax = 4,
        OrdersMax = 4096,
        OrdersPerBookMax = 4096,
        LevelsPerBookMax = 512,
        UsersMax = 256,
        MatchesPerOrderMax = 1024,
    };

    public static Instrument DefaultInstrument(int symbolId = Symbol) => new()
    {
        SymbolId = symbolId,
        Symbol = $"SYM{symbolId}",
        BaseAsset = "BTC",
        QuoteAsset = "USD",
        BaseMinorPerLot = 1000,
        QuoteMinorPerTickLot = 1,
        PriceTicksMin = 1,
        PriceTicksMax = 1_000_000,
        QuantityLotsMin = 1,
        QuantityLotsMax = 1_000_000,
        NotionalMin = 0,
    };

    public MatchingEngine Engine { get; }

    /// <summary>The time the next command gets (advance it with <see cref="Now"/>).</summary>
    public long Now { get; set; } = 1_000;

    public List<MatchingEvent> Apply(Command command)
    {
        var events = new List<MatchingEvent>();
        var sink = new RecordingSink(events);
        Engine.Apply(command.At(++_sequence, Now), ref sink);
        Engine.CheckInvariants();
        return events;
    }

    private long _nextOrderId;

    public long NextOrderId() => ++_nextOrderId;

    public List<MatchingEvent> Limit(long user, Side side, long price, long quantity, TimeInForce tif = TimeInForce.GoodTillCancel,
        SelfTradePrevention stp = SelfTradePrevention.CancelNewest, bool postOnly = false, long display = 0, long expireAt = 0,
        long clientOrderId = 0) =>
        Apply(Command.Limit(Symbol, user, NextOrderId(), side, price, quantity, tif, clientOrderId, stp, postOnly, display, expireAt));

    public List<MatchingEvent> Market(long user, Side side, long quantity, SelfTradePrevention stp = SelfTradePrevention.CancelNewest) =>
        Apply(Command.Market(Symbol, user, NextOrderId(), side, quantity, selfTradePrevention: stp));

    public long LastOrderId => _nextOrderId;

    public (long Price, long Quantity)[] Depth(Side side)
    {
        var levels = new PriceLevel[1000];
        var n = Engine.GetDepth(Symbol, side, levels);
        var result = new (long, long)[n];
        for (var i = 0; i < n; i++) result[i] = (levels[i].PriceTicks, levels[i].QuantityLots);
        return result;
    }
}

internal static class EventListExtensions
{
    public static List<MatchingEvent> OfKind(this List<MatchingEvent> events, EventKind kind) => events.FindAll(e => e.Kind == kind);

    public static MatchingEvent Single(this List<MatchingEvent> events, EventKind kind)
    {
        var found = events.OfKind(kind);
        Assert.True(found.Count == 1, $"expected one {kind}, got {found.Count}: {string.Join("; ", events)}");
        return found[0];
    }

    public static RejectReason RejectReason(this List<MatchingEvent> events) => events.Single(EventKind.Rejected).RejectReason;
}
