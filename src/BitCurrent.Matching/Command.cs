using System.Runtime.InteropServices;

namespace BitCurrent.Matching;

/// <summary>
/// One instruction to the engine. The sequencer fills <see cref="Sequence"/> and <see cref="Timestamp"/>;
/// the engine never reads a clock. Use the static factories for readable construction.
/// </summary>
/// <remarks>104 bytes; passed by <c>in</c> reference, never copied on the hot path.</remarks>
[StructLayout(LayoutKind.Auto)]
public readonly record struct Command
{
    /// <summary>What to do.</summary>
    public CommandKind Kind { get; init; }

    /// <summary>The sequence number assigned by the sequencer; copied into every event of this command.</summary>
    public long Sequence { get; init; }

    /// <summary>Nanoseconds since the Unix epoch, assigned by the sequencer; never decreases.</summary>
    public long Timestamp { get; init; }

    /// <summary>The instrument. For <see cref="CommandKind.MassCancel"/>, 0 means every symbol.</summary>
    public int SymbolId { get; init; }

    /// <summary>The user issuing the command (positive).</summary>
    public long UserId { get; init; }

    /// <summary>The order: a new id for <see cref="CommandKind.Place"/> (greater than every earlier one), the target otherwise.</summary>
    public long OrderId { get; init; }

    /// <summary>The user's own id for the order (0 = none); unique among the user's open orders.</summary>
    public long ClientOrderId { get; init; }

    /// <summary>Buy or sell.</summary>
    public Side Side { get; init; }

    /// <summary>The order type.</summary>
    public OrderType Type { get; init; }

    /// <summary>Time in force of limit and stop-limit orders.</summary>
    public TimeInForce TimeInForce { get; init; }

    /// <summary>Self-trade prevention mode of the order.</summary>
    public SelfTradePrevention SelfTradePrevention { get; init; }

    /// <summary>A post-only limit order is rejected if it would trade on arrival.</summary>
    public bool PostOnly { get; init; }

    /// <summary>Limit price in ticks (limit and stop-limit orders; the new price for an amend, 0 = unchanged).</summary>
    public long PriceTicks { get; init; }

    /// <summary>Trigger price in ticks of stop orders.</summary>
    public long StopPriceTicks { get; init; }

    /// <summary>Total quantity in lots (the new total for an amend, 0 = unchanged).</summary>
    public long QuantityLots { get; init; }

    /// <summary>Quote minor units to spend or receive, for <see cref="OrderType.MarketByQuote"/>.</summary>
    public long QuoteAmount { get; init; }

    /// <summary>Iceberg display quantity in lots (0 = not an iceberg).</summary>
    public long DisplayLots { get; init; }

    /// <summary>Expiry timestamp of a GTD order (same clock as <see cref="Timestamp"/>).</summary>
    public long ExpireAt { get; init; }

    /// <summary>A limit order (GTC unless <paramref name="timeInForce"/> says otherwise).</summary>
    public static Command Limit(int symbolId, long userId, long orderId, Side side, long priceTicks, long quantityLots,
        TimeInForce timeInForce = TimeInForce.GoodTillCancel, long clientOrderId = 0,
        SelfTradePrevention selfTradePrevention = SelfTradePrevention.CancelNewest, bool postOnly = false,
        long displayLots = 0, long expireAt = 0) => new()
        {
            Kind = CommandKind.Place,
            SymbolId = symbolId,
            UserId = userId,
            OrderId = orderId,
            Side = side,
            Type = OrderType.Limit,
            PriceTicks = priceTicks,
            QuantityLots = quantityLots,
            TimeInForce = timeInForce,
            ClientOrderId = clientOrderId,
            SelfTradePrevention = selfTradePrevention,
            PostOnly = postOnly,
            DisplayLots = displayLots,
            ExpireAt = expireAt,
        };

    /// <summary>A market order for a quantity of lots.</summary>
    public static Command Market(int symbolId, long userId, long orderId, Side side, long quantityLots,
        long clientOrderId = 0, SelfTradePrevention selfTradePrevention = SelfTradePrevention.CancelNewest) => new()
        {
            Kind = CommandKind.Place,
            SymbolId = symbolId,
            UserId = userId,
            OrderId = orderId,
            Side = side,
            Type = OrderType.Market,
            QuantityLots = quantityLots,
            ClientOrderId = clientOrderId,
            SelfTradePrevention = selfTradePrevention,
        };

    /// <summary>A market order that spends (buy) or receives (sell) a quote amount in quote minor units.</summary>
    public static Command MarketByQuote(int symbolId, long userId, long orderId, Side side, long quoteAmount,
        long clientOrderId = 0, SelfTradePrevention selfTradePrevention = SelfTradePrevention.CancelNewest) => new()
        {
            Kind = CommandKind.Place,
            SymbolId = symbolId,
            UserId = userId,
            OrderId = orderId,
            Side = side,
            Type = OrderType.MarketByQuote,
            QuoteAmount = quoteAmount,
            ClientOrderId = clientOrderId,
            SelfTradePrevention = selfTradePrevention,
        };

    /// <summary>
    /// A stop order: stop-market when <paramref name="limitPriceTicks"/> is 0 (then <paramref name="timeInForce"/> is
    /// ignored: a triggered stop-market order is immediate-or-cancel), stop-limit otherwise.
    /// </summary>
    public static Command Stop(int symbolId, long userId, long orderId, Side side, long stopPriceTicks, long quantityLots,
        long limitPriceTicks = 0, TimeInForce timeInForce = TimeInForce.GoodTillCancel, long clientOrderId = 0,
        SelfTradePrevention selfTradePrevention = SelfTradePrevention.CancelNewest) => new()
        {
            Kind = CommandKind.Place,
            SymbolId = symbolId,
            UserId = userId,
            OrderId = orderId,
            Side = side,
            Type = limitPriceTicks == 0 ? OrderType.StopMarket : OrderType.StopLimit,
            StopPriceTicks = stopPriceTicks,
            PriceTicks = limitPriceTicks,
            QuantityLots = quantityLots,
            TimeInForce = limitPriceTicks == 0 ? 0 : timeInForce,
            ClientOrderId = clientOrderId,
            SelfTradePrevention = selfTradePrevention,
        };

    /// <summary>Cancel an order by its id.</summary>
    public static Command Cancel(long userId, long orderId) =>
        new() { Kind = CommandKind.Cancel, UserId = userId, OrderId = orderId };

    /// <summary>Cancel an order by the user's client order id.</summary>
    public static Command CancelByClientOrderId(long userId, long clientOrderId) =>
        new() { Kind = CommandKind.CancelByClientOrderId, UserId = userId, ClientOrderId = clientOrderId };

    /// <summary>Cancel every open order of a user, in one symbol or (symbol 0) in all.</summary>
    public static Command MassCancel(long userId, int symbolId = 0) =>
        new() { Kind = CommandKind.MassCancel, UserId = userId, SymbolId = symbolId };

    /// <summary>Amend an order: a new price (0 = unchanged) and/or a new total quantity (0 = unchanged).</summary>
    public static Command Amend(long userId, long orderId, long newPriceTicks, long newQuantityLots) =>
        new() { Kind = CommandKind.Amend, UserId = userId, OrderId = orderId, PriceTicks = newPriceTicks, QuantityLots = newQuantityLots };

    /// <summary>Advance time only (expires GTD orders).</summary>
    public static Command Tick() => new() { Kind = CommandKind.Tick };

    /// <summary>This command with the sequencer's sequence number and timestamp.</summary>
    public Command At(long sequence, long timestamp) => this with { Sequence = sequence, Timestamp = timestamp };
}
