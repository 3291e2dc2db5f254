namespace BitCurrent.Matching;

/// <summary>
/// Why a command was rejected. Grouped by subsystem: 1xxx validation, 2xxx limits and risk, 3xxx matching.
/// Numbers are persisted and pinned by a golden test: they are added, never changed or reused.
/// A rejected command has no effect beyond that of a <see cref="CommandKind.Tick"/>: the engine's sequence and time
/// advance (and GTD orders that are due expire), nothing else changes.
/// </summary>
public enum RejectReason : ushort
{
    /// <summary>Not rejected.</summary>
    None = 0,

    // 1xxx: the command itself is malformed. Checked in this order.

    /// <summary>The command's timestamp is earlier than the previous command's.</summary>
    TimestampNotMonotonic = 1001,

    /// <summary>The command kind is not one of <see cref="CommandKind"/>.</summary>
    UnknownCommandKind = 1002,

    /// <summary>No instrument has this symbol id.</summary>
    UnknownSymbol = 1003,

    /// <summary>The user id must be positive.</summary>
    InvalidUserId = 1004,

    /// <summary>The order id must be positive.</summary>
    InvalidOrderId = 1005,

    /// <summary>The side is not <see cref="Side.Buy"/> or <see cref="Side.Sell"/>.</summary>
    InvalidSide = 1006,

    /// <summary>The order type is not one of <see cref="OrderType"/>.</summary>
    InvalidOrderType = 1007,

    /// <summary>The time in force is unknown or not allowed for this order type.</summary>
    InvalidTimeInForce = 1008,

    /// <summary>The self-trade prevention mode is not one of <see cref="SelfTradePrevention"/>.</summary>
    InvalidSelfTradePrevention = 1009,

    /// <summary>Post-only is allowed only on limit orders that can rest (GTC or GTD).</summary>
    InvalidPostOnly = 1010,

    /// <summary>The limit price is outside the instrument's price bounds.</summary>
    PriceOutOfBounds = 1011,

    /// <summary>The stop price is outside the instrument's price bounds.</summary>
    StopPriceOutOfBounds = 1012,

    /// <summary>The quantity is outside the instrument's quantity bounds.</summary>
    QuantityOutOfBounds = 1013,

    /// <summary>The quote amount of a market-by-quote order must be positive.</summary>
    InvalidQuoteAmount = 1014,

    /// <summary>The display quantity of an iceberg must be positive and less than the quantity; icebergs must be GTC or GTD limit orders.</summary>
    InvalidDisplayQuantity = 1015,

    /// <summary>The expiry of a GTD order must be after the command's timestamp (and is only allowed on GTD).</summary>
    InvalidExpireTime = 1016,

    /// <summary>Price x quantity x quote units per tick-lot does not fit in 64 bits.</summary>
    NotionalOverflow = 1017,

    /// <summary>The order's value is below the instrument's minimum notional.</summary>
    NotionalBelowMin = 1018,

    /// <summary>Order ids must increase: this id is not greater than the last accepted one.</summary>
    OrderIdNotIncreasing = 1019,

    /// <summary>The user already has an open order with this client order id.</summary>
    DuplicateClientOrderId = 1020,

    /// <summary>The client order id must be positive for this command.</summary>
    InvalidClientOrderId = 1021,

    // 2xxx: limits. A full pool rejects; it never grows.

    /// <summary>The engine-wide order pool is full.</summary>
    OrderPoolFull = 2001,

    /// <summary>The book already holds <see cref="MatchingOptions.OrdersPerBookMax"/> orders.</summary>
    BookOrdersFull = 2002,

    /// <summary>The order would need a new price level and the book has <see cref="MatchingOptions.LevelsPerBookMax"/> of them.</summary>
    BookLevelsFull = 2003,

    /// <summary>The user is new and the engine already knows <see cref="MatchingOptions.UsersMax"/> users.</summary>
    UsersFull = 2004,

    // 3xxx: the command conflicts with the book.

    /// <summary>No open order has this id (unknown, already filled, cancelled or expired).</summary>
    OrderNotFound = 3001,

    /// <summary>The order belongs to another user.</summary>
    NotOrderOwner = 3002,

    /// <summary>A post-only order would have traded on arrival.</summary>
    PostOnlyWouldTake = 3003,

    /// <summary>A fill-or-kill order cannot be filled in full now.</summary>
    FillOrKillUnfillable = 3004,

    /// <summary>The stop price is already reached by the last trade price.</summary>
    StopWouldTriggerImmediately = 3005,

    /// <summary>The amend changes neither price nor quantity.</summary>
    AmendNoChange = 3006,

    /// <summary>The amended total quantity is not greater than the quantity already filled.</summary>
    AmendQuantityNotAboveFilled = 3007,

    /// <summary>Untriggered stop orders cannot be amended; cancel and place again.</summary>
    AmendNotAllowed = 3008,

    /// <summary>The amended post-only order would trade at its new price.</summary>
    AmendPostOnlyWouldTake = 3009,
}

/// <summary>Why an order, or the remainder of one, was cancelled. Persisted; pinned by a golden test.</summary>
public enum CancelReason : byte
{
    /// <summary>Not cancelled.</summary>
    None = 0,

    /// <summary>The user asked (cancel by order id or client order id).</summary>
    UserRequested = 1,

    /// <summary>A mass cancel (by user, or user and symbol; also cancel-on-disconnect).</summary>
    MassCancel = 2,

    /// <summary>The unfilled remainder of an immediate-or-cancel order.</summary>
    ImmediateOrCancelRemainder = 3,

    /// <summary>The unfilled remainder of a market order: the book had no more liquidity.</summary>
    MarketRemainder = 4,

    /// <summary>Self-trade prevention.</summary>
    SelfTradePrevention = 5,

    /// <summary>The order reached <see cref="MatchingOptions.MatchesPerOrderMax"/> matches; the remainder is cancelled.</summary>
    MatchLimitReached = 6,

    /// <summary>A triggered stop-limit order could not rest because a book limit was reached.</summary>
    BookFull = 7,

    /// <summary>A triggered post-only stop-limit order would have traded.</summary>
    PostOnlyWouldTake = 8,

    /// <summary>A triggered fill-or-kill stop-limit order could not be filled in full.</summary>
    FillOrKillUnfillable = 9,
}
