namespace BitCurrent.Matching;

// Every enum in this file is persisted (journal, snapshot, events on the wire). Values are pinned by
// golden tests: add new values, never change or reuse one.

/// <summary>The side of an order.</summary>
public enum Side : byte
{
    /// <summary>Buys the base asset, pays the quote asset.</summary>
    Buy = 1,

    /// <summary>Sells the base asset, receives the quote asset.</summary>
    Sell = 2,
}

/// <summary>What an order does when it arrives.</summary>
public enum OrderType : byte
{
    /// <summary>Trades at its limit price or better; the remainder rests (GTC/GTD) or is cancelled (IOC).</summary>
    Limit = 1,

    /// <summary>Trades at any price up to <see cref="Command.QuantityLots"/>; the remainder is cancelled.</summary>
    Market = 2,

    /// <summary>
    /// Trades at any price until it has spent (buy) or received (sell) <see cref="Command.QuoteAmount"/>
    /// quote minor units; the remainder is cancelled.
    /// </summary>
    MarketByQuote = 3,

    /// <summary>Rests untriggered; becomes a <see cref="Market"/> order when the last trade price reaches the stop price.</summary>
    StopMarket = 4,

    /// <summary>Rests untriggered; becomes a <see cref="Limit"/> order when the last trade price reaches the stop price.</summary>
    StopLimit = 5,
}

/// <summary>How long a limit order stays in the book.</summary>
public enum TimeInForce : byte
{
    /// <summary>Good till cancelled.</summary>
    GoodTillCancel = 1,

    /// <summary>Good till <see cref="Command.ExpireAt"/>: expires when a command's timestamp reaches it.</summary>
    GoodTillDate = 2,

    /// <summary>Immediate or cancel: trades what it can now, the remainder is cancelled.</summary>
    ImmediateOrCancel = 3,

    /// <summary>Fill or kill: trades its whole quantity now or is rejected without any effect.</summary>
    FillOrKill = 4,
}

/// <summary>What happens when an order would trade with a resting order of the same user.</summary>
public enum SelfTradePrevention : byte
{
    /// <summary>Self-trades are allowed.</summary>
    None = 0,

    /// <summary>The incoming (newest) order's remainder is cancelled; the resting order stays.</summary>
    CancelNewest = 1,

    /// <summary>The resting (oldest) order is cancelled; the incoming order goes on matching.</summary>
    CancelOldest = 2,

    /// <summary>Both orders are cancelled.</summary>
    CancelBoth = 3,

    /// <summary>Both orders are reduced by the smaller remaining quantity, without a trade.</summary>
    Decrement = 4,
}

/// <summary>What a <see cref="Command"/> asks the engine to do.</summary>
public enum CommandKind : byte
{
    /// <summary>Place a new order.</summary>
    Place = 1,

    /// <summary>Cancel one order by <see cref="Command.OrderId"/>.</summary>
    Cancel = 2,

    /// <summary>Cancel one order by the user's <see cref="Command.ClientOrderId"/>.</summary>
    CancelByClientOrderId = 3,

    /// <summary>Cancel every open order of a user (<see cref="Command.SymbolId"/> 0) or of a user in one symbol.</summary>
    MassCancel = 4,

    /// <summary>Change the price and/or total quantity of an open order.</summary>
    Amend = 5,

    /// <summary>Advance time only: expires GTD orders whose time has come.</summary>
    Tick = 6,
}

/// <summary>The kind of a <see cref="MatchingEvent"/>.</summary>
public enum EventKind : byte
{
    /// <summary>A place command was accepted; an order id now exists.</summary>
    Accepted = 1,

    /// <summary>A command was rejected with <see cref="MatchingEvent.RejectReason"/> and had no effect.</summary>
    Rejected = 2,

    /// <summary>Two orders traded at the maker's price.</summary>
    Trade = 3,

    /// <summary>An order (or the remainder of one) was cancelled, see <see cref="MatchingEvent.CancelReason"/>.</summary>
    Cancelled = 4,

    /// <summary>A GTD order reached its expiry time.</summary>
    Expired = 5,

    /// <summary>A stop order's stop price was reached; it now acts as a market or limit order.</summary>
    Triggered = 6,

    /// <summary>An order's price or quantity was amended.</summary>
    Amended = 7,

    /// <summary>Self-trade prevention reduced an order without a trade.</summary>
    Decremented = 8,

    /// <summary>The total visible quantity at one price level changed (L2 delta).</summary>
    BookDelta = 9,
}

/// <summary>The state of an order that the engine still holds.</summary>
public enum OrderState : byte
{
    /// <summary>The slot is free (never visible through queries).</summary>
    None = 0,

    /// <summary>Resting in the book, nothing filled yet.</summary>
    New = 1,

    /// <summary>Resting in the book, partly filled.</summary>
    PartiallyFilled = 2,

    /// <summary>A stop order waiting for its trigger price.</summary>
    PendingTrigger = 3,

    /// <summary>Being processed as the incoming order of the current command.</summary>
    Active = 4,
}
