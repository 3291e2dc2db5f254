using System.Runtime.CompilerServices;
using BitCurrent.Matching.Internal;

namespace BitCurrent.Matching;

public sealed partial class MatchingEngine
{
    /// <summary>Validates a place command in the documented order (see <see cref="RejectReason"/>), then runs it.</summary>
    private void Place<TSink>(in Command c, ref TSink sink) where TSink : IEventSink
    {
        if (!TryGetBook(c.SymbolId, out var book))
        {
            Reject(in c, RejectReason.UnknownSymbol, ref sink);
            return;
        }
        var reason = ValidatePlace(in c, book, out var canRest, out var user);
        if (reason != RejectReason.None)
        {
            Reject(in c, reason, ref sink);
            return;
        }

        // Accepted: from here on the command has effect.
        _lastOrderId = c.OrderId;
        if (user < 0) user = AddUser(c.UserId);
        var slot = AllocateOrder();
        ref var o = ref _orders[slot];
        o.OrderId = c.OrderId;
        o.UserId = c.UserId;
        o.ClientOrderId = c.ClientOrderId;
        o.Side = c.Side;
        o.Type = c.Type;
        o.TimeInForce = c.Type is OrderType.Market or OrderType.MarketByQuote or OrderType.StopMarket
            ? TimeInForce.ImmediateOrCancel
            : c.TimeInForce;
        o.SelfTradePrevention = c.SelfTradePrevention;
        o.PostOnly = c.PostOnly;
        o.PriceTicks = c.Type is OrderType.Limit or OrderType.StopLimit ? c.PriceTicks : 0;
        o.StopPriceTicks = c.Type is OrderType.StopMarket or OrderType.StopLimit ? c.StopPriceTicks : 0;
        o.QuantityLots = c.Type == OrderType.MarketByQuote ? 0 : c.QuantityLots;
        o.QuoteAmount = c.Type == OrderType.MarketByQuote ? c.QuoteAmount : 0;
        o.FilledLots = 0;
        o.DisplayLots = c.DisplayLots;
        o.VisibleLots = 0;
        o.ExpireAt = c.TimeInForce == TimeInForce.GoodTillDate ? c.ExpireAt : 0;
        o.AcceptSeq = ++_acceptSeq;
        o.Book = book.Index;
        o.User = user;
        o.Level = -1;
        o.Prev = o.Next = -1;
        o.UserPrev = o.UserNext = -1;
        o.HeapIndex = -1;
        o.Registered = false;
        EmitOrder(EventKind.Accepted, ref o, ref sink);

        if (o.IsStop)
        {
            o.State = OrderState.PendingTrigger;
            InsertIntoLevel(book.Stops(o.Side), slot, o.StopPriceTicks);
            Register(slot);
            return;
        }
        Invariant.Assert(!canRest || book.OrderCount < _options.OrdersPerBookMax);
        o.State = OrderState.Active;
        ExecuteTaker(book, slot, ref sink);
        RunTriggers(book, ref sink);
    }

    /// <summary>The checks after the symbol's (1003), in the order of <see cref="RejectReason"/>'s documentation.</summary>
    private RejectReason ValidatePlace(in Command c, Book book, out bool canRest, out int user)
    {
        canRest = false;
        user = -1;
        if (c.UserId <= 0) return RejectReason.InvalidUserId;
        if (c.OrderId <= 0) return RejectReason.InvalidOrderId;
        if (c.Side is not (Side.Buy or Side.Sell)) return RejectReason.InvalidSide;
        if (c.Type is < OrderType.Limit or > OrderType.StopLimit) return RejectReason.InvalidOrderType;

        var hasLimitPrice = c.Type is OrderType.Limit or OrderType.StopLimit;
        var isStop = c.Type is OrderType.StopMarket or OrderType.StopLimit;
        if (hasLimitPrice)
        {
            if (c.TimeInForce is < TimeInForce.GoodTillCancel or > TimeInForce.FillOrKill) return RejectReason.InvalidTimeInForce;
        }
        else if (c.TimeInForce is not (0 or TimeInForce.ImmediateOrCancel))
        {
            return RejectReason.InvalidTimeInForce;
        }
        if (c.SelfTradePrevention > SelfTradePrevention.Decrement) return RejectReason.InvalidSelfTradePrevention;
        var rests = hasLimitPrice && c.TimeInForce is TimeInForce.GoodTillCancel or TimeInForce.GoodTillDate;
        if (c.PostOnly && !rests) return RejectReason.InvalidPostOnly;
        if (hasLimitPrice && (c.PriceTicks < book.PriceTicksMin || c.PriceTicks > book.PriceTicksMax))
            return RejectReason.PriceOutOfBounds;
        if (isStop && (c.StopPriceTicks < book.PriceTicksMin || c.StopPriceTicks > book.PriceTicksMax))
            return RejectReason.StopPriceOutOfBounds;
        if (c.Type == OrderType.MarketByQuote)
        {
            if (c.QuoteAmount <= 0) return RejectReason.InvalidQuoteAmount;
        }
        else if (c.QuantityLots < book.QuantityLotsMin || c.QuantityLots > book.QuantityLotsMax)
        {
            return RejectReason.QuantityOutOfBounds;
        }
        if (c.DisplayLots != 0 && (!rests || c.DisplayLots < 0 || c.DisplayLots >= c.QuantityLots))
            return RejectReason.InvalidDisplayQuantity;
        if (c.TimeInForce == TimeInForce.GoodTillDate ? c.ExpireAt <= c.Timestamp : c.ExpireAt != 0)
            return RejectReason.InvalidExpireTime;
        if (c.Type == OrderType.MarketByQuote)
        {
            if (c.QuoteAmount < book.NotionalMin) return RejectReason.NotionalBelowMin;
        }
        else if (c.Type != OrderType.Market)
        {
            var price = hasLimitPrice ? c.PriceTicks : c.StopPriceTicks;
            if (!TryNotional(price, c.QuantityLots, book.QuoteMinorPerTickLot, out var notional)) return RejectReason.NotionalOverflow;
            if (notional < book.NotionalMin) return RejectReason.NotionalBelowMin;
        }
        if (c.OrderId <= _lastOrderId) return RejectReason.OrderIdNotIncreasing;
        if (c.ClientOrderId < 0) return RejectReason.InvalidClientOrderId;
        if (c.ClientOrderId != 0 && _clientOrderIndex.TryGet(c.UserId, c.ClientOrderId, out _)) return RejectReason.DuplicateClientOrderId;

        // Limits: checked conservatively before any effect, so that a full pool can only ever reject.
        if (_freeOrderCount == 0) return RejectReason.OrderPoolFull;
        if (!_userIndex.TryGet(c.UserId, out user) && _userCount >= _options.UsersMax) return RejectReason.UsersFull;
        canRest = rests || isStop;
        if (canRest)
        {
            if (book.OrderCount >= _options.OrdersPerBookMax) return RejectReason.BookOrdersFull;
            var ladder = isStop ? book.Stops(c.Side) : book.Resting(c.Side);
            var levelPrice = isStop ? c.StopPriceTicks : c.PriceTicks;
            if ((ladder.IsFull || _freeLevel < 0) && ladder.FindLevel(levelPrice) < 0) return RejectReason.BookLevelsFull;
        }

        // Conflicts with the book.
        if (c.PostOnly && c.Type == OrderType.Limit && Crosses(book, c.Side, c.PriceTicks)) return RejectReason.PostOnlyWouldTake;
        if (isStop && book.LastTradePrice != 0 && StopReached(c.Side, c.StopPriceTicks, book.LastTradePrice))
            return RejectReason.StopWouldTriggerImmediately;
        if (c.Type == OrderType.Limit && c.TimeInForce == TimeInForce.FillOrKill &&
            !CanFillCompletely(book, c.Side, c.UserId, c.SelfTradePrevention, c.PriceTicks, c.QuantityLots))
            return RejectReason.FillOrKillUnfillable;
        return RejectReason.None;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool StopReached(Side side, long stopPrice, long lastTradePrice) =>
        side == Side.Buy ? lastTradePrice >= stopPrice : lastTradePrice <= stopPrice;

    /// <summary>Whether an order at <paramref name="price"/> would trade on arrival.</summary>
    private bool Crosses(Book book, Side side, long price)
    {
        var opposite = book.Opposite(side);
        if (opposite.Count == 0) return false;
        var best = opposite.PriceAt(opposite.BestIndex);
        return side == Side.Buy ? price >= best : price <= best;
    }

    /// <summary>price x quantity x quote units per tick-lot, or false when it does not fit in 63 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryNotional(long priceTicks, long quantityLots, long quotePerTickLot, out long notional)
    {
        var high = Math.BigMul(priceTicks, quantityLots, out var low);
        if (high != 0 || low < 0)
        {
            notional = 0;
            return false;
        }
        high = Math.BigMul(low, quotePerTickLot, out low);
        notional = low;
        return high == 0 && low >= 0;
    }

    /// <summary>
    /// The fill-or-kill pre-check: walks the opposite side in priority order within the limit price and decides
    /// whether the whole quantity would trade, with the same self-trade prevention the execution applies.
    /// <list type="bullet">
    /// <item>Cancel-oldest: the user's own resting orders would be cancelled, so they are skipped.</item>
    /// <item>Other modes: the first own order stops the walk; on its level, iceberg reserves are not counted
    /// (a refilled slice goes behind the own order).</item>
    /// </list>
    /// It also counts the matches needed and fails beyond <see cref="MatchingOptions.MatchesPerOrderMax"/>, so
    /// that a fill-or-kill order never partially fills.
    /// </summary>
    private bool CanFillCompletely(Book book, Side side, long userId, SelfTradePrevention stp, long limitPrice, long quantity)
    {
        var opposite = book.Opposite(side);
        var needed = quantity;
        var matches = 0L;
        var matchesMax = _options.MatchesPerOrderMax;
        for (var li = opposite.Count - 1; li >= 0; li--)
        {
            var price = opposite.PriceAt(li);
            if (side == Side.Buy ? price > limitPrice : price < limitPrice) return false;
            ref var level = ref _levels[opposite.LevelAt(li)];
            var blocking = false;
            if (stp is not (SelfTradePrevention.None or SelfTradePrevention.CancelOldest))
            {
                for (var s = level.Head; s >= 0; s = _orders[s].Next)
                {
                    if (_orders[s].UserId == userId)
                    {
                        blocking = true;
                        break;
                    }
                }
            }
            for (var s = level.Head; s >= 0; s = _orders[s].Next)
            {
                ref var m = ref _orders[s];
                if (m.UserId == userId && stp != SelfTradePrevention.None)
                {
                    if (stp != SelfTradePrevention.CancelOldest) return false;
                    if (++matches > matchesMax) return false;
                    continue;
                }
                var available = blocking ? m.VisibleLots : m.RemainingLots;
                var take = Math.Min(available, needed);
                // An iceberg matches once per displayed slice.
                var slices = take <= m.VisibleLots ? 1 : 1 + ((take - m.VisibleLots + m.DisplayLots - 1) / m.DisplayLots);
                matches += slices;
                if (matches > matchesMax) return false;
                needed -= take;
                if (needed == 0) return true;
            }
            if (blocking) return false;
        }
        return false;
    }
}
