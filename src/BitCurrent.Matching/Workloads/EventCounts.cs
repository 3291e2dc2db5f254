namespace BitCurrent.Matching.Workloads;

/// <summary>
/// An <see cref="IEventSink"/> that counts events by kind and rejections by reason, and sums traded quantity and
/// notional. Create it with <see cref="Create"/> (which allocates its two small tables), then pass it by reference
/// to <see cref="MatchingEngine.Apply{TSink}(in Command, ref TSink)"/>; counting never allocates.
/// </summary>
public struct EventCounts : IEventSink
{
    /// <summary>Reject reasons are counted individually below this value; any higher value is counted in the last slot.</summary>
    public const int RejectReasonSlots = 4096;

    private long[] _byKind;
    private long[] _byRejectReason;

    /// <summary>A counter with every count at zero.</summary>
    public static EventCounts Create() => new()
    {
        _byKind = new long[256],
        _byRejectReason = new long[RejectReasonSlots],
    };

    /// <summary>All events seen.</summary>
    public long Events { get; private set; }

    /// <summary>The sum of <see cref="MatchingEvent.QuantityLots"/> over trades.</summary>
    public long TradedLots { get; private set; }

    /// <summary>The sum of <see cref="MatchingEvent.QuoteAmount"/> over trades, in quote minor units.</summary>
    public long TradedNotional { get; private set; }

    /// <summary>The last trade id seen (0 before the first trade).</summary>
    public long LastTradeId { get; private set; }

    /// <summary>Counts one event.</summary>
    public void OnEvent(in MatchingEvent matchingEvent)
    {
        Events++;
        _byKind[(byte)matchingEvent.Kind]++;
        if (matchingEvent.Kind == EventKind.Trade)
        {
            TradedLots += matchingEvent.QuantityLots;
            TradedNotional += matchingEvent.QuoteAmount;
            LastTradeId = matchingEvent.TradeId;
        }
        else if (matchingEvent.Kind == EventKind.Rejected)
        {
            var reason = (int)matchingEvent.RejectReason;
            _byRejectReason[reason < RejectReasonSlots ? reason : RejectReasonSlots - 1]++;
        }
    }

    /// <summary>How many events of <paramref name="kind"/> were seen.</summary>
    /// <exception cref="InvalidOperationException">The counter was not made with <see cref="Create"/>.</exception>
    public readonly long Count(EventKind kind) => Tables()[(byte)kind];

    /// <summary>How many rejections had <paramref name="reason"/>.</summary>
    /// <exception cref="InvalidOperationException">The counter was not made with <see cref="Create"/>.</exception>
    public readonly long Count(RejectReason reason)
    {
        _ = Tables();
        var value = (int)reason;
        return _byRejectReason[value < RejectReasonSlots ? value : RejectReasonSlots - 1];
    }

    private readonly long[] Tables() =>
        _byKind ?? throw new InvalidOperationException("Create the counter with EventCounts.Create().");
}
