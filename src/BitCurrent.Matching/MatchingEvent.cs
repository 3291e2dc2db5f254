using System.Runtime.InteropServices;

namespace BitCurrent.Matching;

/// <summary>
/// One output of the engine. Which fields are set depends on <see cref="Kind"/>:
/// <list type="bullet">
/// <item><see cref="EventKind.Accepted"/>: order fields (id, user, client id, side, price, quantity).</item>
/// <item><see cref="EventKind.Rejected"/>: <see cref="RejectReason"/> and the command's ids.</item>
/// <item><see cref="EventKind.Trade"/>: taker in <see cref="OrderId"/>/<see cref="UserId"/>, maker in
/// <see cref="MakerOrderId"/>/<see cref="MakerUserId"/>, <see cref="Side"/> = aggressor side, price (maker's),
/// quantity, <see cref="QuoteAmount"/> = notional in quote minor units, remaining quantity of both.</item>
/// <item><see cref="EventKind.Cancelled"/>, <see cref="EventKind.Expired"/>: the order, the cancelled
/// quantity and <see cref="CancelReason"/>; the order is closed.</item>
/// <item><see cref="EventKind.Decremented"/>: quantity removed by self-trade prevention; closed when
/// <see cref="RemainingLots"/> is 0.</item>
/// <item><see cref="EventKind.Amended"/>: new price and total quantity, <see cref="PriorityKept"/>.</item>
/// <item><see cref="EventKind.BookDelta"/>: side, price, new total visible quantity and order count at that level,
/// and the symbol's <see cref="UpdateId"/>.</item>
/// </list>
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly record struct MatchingEvent
{
    /// <summary>What happened.</summary>
    public EventKind Kind { get; init; }

    /// <summary>The sequence number of the command that caused this event.</summary>
    public long Sequence { get; init; }

    /// <summary>The timestamp of the command that caused this event.</summary>
    public long Timestamp { get; init; }

    /// <summary>The instrument.</summary>
    public int SymbolId { get; init; }

    /// <summary>The order (the taker, for trades).</summary>
    public long OrderId { get; init; }

    /// <summary>The order's user (the taker's, for trades).</summary>
    public long UserId { get; init; }

    /// <summary>The order's client order id.</summary>
    public long ClientOrderId { get; init; }

    /// <summary>The order's side; for trades the aggressor's side; for deltas the level's side.</summary>
    public Side Side { get; init; }

    /// <summary>Price in ticks: the trade price, the level price, the order's limit price.</summary>
    public long PriceTicks { get; init; }

    /// <summary>Lots: traded, cancelled, expired, decremented; the order's total for accepted and amended; the level total for deltas.</summary>
    public long QuantityLots { get; init; }

    /// <summary>The order's filled quantity after this event.</summary>
    public long FilledLots { get; init; }

    /// <summary>The order's open quantity after this event (the taker's, for trades).</summary>
    public long RemainingLots { get; init; }

    /// <summary>For trades, the notional in quote minor units (price x quantity x quote units per tick-lot).</summary>
    public long QuoteAmount { get; init; }

    /// <summary>For trades, an engine-wide increasing trade id.</summary>
    public long TradeId { get; init; }

    /// <summary>For trades, the resting order.</summary>
    public long MakerOrderId { get; init; }

    /// <summary>For trades, the resting order's user.</summary>
    public long MakerUserId { get; init; }

    /// <summary>For trades, the resting order's client order id.</summary>
    public long MakerClientOrderId { get; init; }

    /// <summary>For trades, the resting order's open quantity after the trade (0 = filled and closed).</summary>
    public long MakerRemainingLots { get; init; }

    /// <summary>For deltas, the per-symbol update id (increases by one per delta).</summary>
    public long UpdateId { get; init; }

    /// <summary>For deltas, the number of orders at the level.</summary>
    public int OrderCount { get; init; }

    /// <summary>For rejections, why.</summary>
    public RejectReason RejectReason { get; init; }

    /// <summary>For cancellations, why.</summary>
    public CancelReason CancelReason { get; init; }

    /// <summary>For amendments, whether the order kept its place in the queue.</summary>
    public bool PriorityKept { get; init; }

    /// <summary>For accepted and triggered events, the order type.</summary>
    public OrderType OrderType { get; init; }
}

/// <summary>
/// Receives the engine's events, synchronously and in order. Implement it on a struct and pass it by
/// reference so that calls are devirtualised and inlined; the engine never boxes the sink.
/// </summary>
public interface IEventSink
{
    /// <summary>Called once per event, in order. Must not call back into the engine.</summary>
    void OnEvent(in MatchingEvent matchingEvent);
}
