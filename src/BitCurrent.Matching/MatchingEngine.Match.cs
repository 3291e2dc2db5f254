using System.Runtime.CompilerServices;
using BitCurrent.Matching.Internal;

namespace BitCurrent.Matching;

public sealed partial class MatchingEngine
{
    private enum MatchEnd : byte
    {
        None,
        BookExhausted,
        Filled,
        LimitPrice,
        TakerClosed,
        MatchLimit,
    }

    // Trade price range of the taker being executed, for stop triggers.
    private long _minTradePrice;
    private long _maxTradePrice;

    /// <summary>
    /// Runs an accepted (or triggered, or re-priced) order against the book, then rests, cancels or closes it,
    /// and queues the stop orders its trades reached.
    /// </summary>
    private void ExecuteTaker<TSink>(Book book, int slot, ref TSink sink) where TSink : IEventSink
    {
        _minTradePrice = long.MaxValue;
        _maxTradePrice = long.MinValue;
        var side = _orders[slot].Side;
        var end = Match(book, slot, ref sink);
        ref var o = ref _orders[slot];
        if (end == MatchEnd.TakerClosed)
        {
            Close(slot);
        }
        else if (o.Type == OrderType.MarketByQuote)
        {
            if (o.QuoteAmount > 0) EmitClosed(EventKind.Cancelled, ref o, CancelReason.MarketRemainder, 0, ref sink);
            Close(slot);
        }
        else if (o.RemainingLots == 0)
        {
            Close(slot);
        }
        else if (end == MatchEnd.MatchLimit)
        {
            EmitClosed(EventKind.Cancelled, ref o, CancelReason.MatchLimitReached, o.RemainingLots, ref sink);
            Close(slot);
        }
        else if (o.Type == OrderType.Market)
        {
            EmitClosed(EventKind.Cancelled, ref o, CancelReason.MarketRemainder, o.RemainingLots, ref sink);
            Close(slot);
        }
        else if (o.TimeInForce is TimeInForce.ImmediateOrCancel or TimeInForce.FillOrKill)
        {
            Invariant.Assert(o.TimeInForce != TimeInForce.FillOrKill);
            EmitClosed(EventKind.Cancelled, ref o, CancelReason.ImmediateOrCancelRemainder, o.RemainingLots, ref sink);
            Close(slot);
        }
        else
        {
            Rest(book, slot, ref sink);
        }
        if (_minTradePrice <= _maxTradePrice) CollectTriggers(book, side, _minTradePrice, _maxTradePrice);
    }

    /// <summary>Puts the remainder of a limit order at the back of its price level.</summary>
    private void Rest<TSink>(Book book, int slot, ref TSink sink) where TSink : IEventSink
    {
        ref var o = ref _orders[slot];
        var ladder = book.Resting(o.Side);
        var index = ladder.Search(ladder.KeyOf(o.PriceTicks));
        var full = (!o.Registered && book.OrderCount >= _options.OrdersPerBookMax) ||
                   (index < 0 && (ladder.IsFull || _freeLevel < 0));
        if (full)
        {
            // Only a triggered stop-limit can get here: new orders are checked before they are accepted.
            EmitClosed(EventKind.Cancelled, ref o, CancelReason.BookFull, o.RemainingLots, ref sink);
            Close(slot);
            return;
        }
        o.VisibleLots = o.DisplayLots > 0 ? Math.Min(o.DisplayLots, o.RemainingLots) : o.RemainingLots;
        o.State = o.FilledLots > 0 ? OrderState.PartiallyFilled : OrderState.New;
        var level = InsertIntoLevel(ladder, index, slot, o.PriceTicks);
        if (!o.Registered) Register(slot);
        EmitDelta(book, o.Side, ref _levels[level], ref sink);
    }

    /// <summary>The matching loop: strict price-time priority, trades at the maker's price.</summary>
    private MatchEnd Match<TSink>(Book book, int slot, ref TSink sink) where TSink : IEventSink
    {
        ref var t = ref _orders[slot];
        var opposite = book.Opposite(t.Side);
        var isBuy = t.Side == Side.Buy;
        var byQuote = t.Type == OrderType.MarketByQuote;
        var hasLimit = t.Type == OrderType.Limit;
        var limit = t.PriceTicks;
        var quotePerTickLot = book.QuoteMinorPerTickLot;
        var matchesMax = _options.MatchesPerOrderMax;
        var matches = 0;

        while (opposite.Count > 0)
        {
            if (!byQuote && t.FilledLots == t.QuantityLots) return MatchEnd.Filled;
            var li = opposite.BestIndex;
            var levelSlot = opposite.LevelAt(li);
            ref var level = ref _levels[levelSlot];
            var price = level.PriceTicks;
            if (hasLimit && (isBuy ? price > limit : price < limit)) return MatchEnd.LimitPrice;
            var costPerLot = 0L;
            if (byQuote && (!TryNotional(price, 1, quotePerTickLot, out costPerLot) || t.QuoteAmount < costPerLot))
                return MatchEnd.Filled;

            var end = MatchEnd.None;
            var touched = false;
            while (level.Head >= 0)
            {
                var want = byQuote ? t.QuoteAmount / costPerLot : t.QuantityLots - t.FilledLots;
                if (want == 0)
                {
                    end = MatchEnd.Filled;
                    break;
                }
                if (matches == matchesMax)
                {
                    end = MatchEnd.MatchLimit;
                    break;
                }
                matches++;
                touched = true;
                var makerSlot = level.Head;
                ref var m = ref _orders[makerSlot];
                if (m.UserId == t.UserId && t.SelfTradePrevention != SelfTradePrevention.None)
                {
                    end = PreventSelfTrade(ref level, slot, makerSlot, want, costPerLot, ref sink);
                    if (end != MatchEnd.None) break;
                    continue;
                }

                var quantity = Math.Min(want, m.VisibleLots);
                var notional = price * quantity * quotePerTickLot; // <= the maker's validated notional
                m.VisibleLots -= quantity;
                m.FilledLots += quantity;
                m.State = OrderState.PartiallyFilled;
                level.TotalLots -= quantity;
                t.FilledLots += quantity;
                if (byQuote) t.QuoteAmount -= notional;
                book.LastTradePrice = price;
                if (price < _minTradePrice) _minTradePrice = price;
                if (price > _maxTradePrice) _maxTradePrice = price;
                EmitTrade(book, ref t, ref m, price, quantity, notional, byQuote, ref sink);
                if (m.VisibleLots == 0) ReplenishOrRemove(ref level, makerSlot);
            }

            if (touched) FinishLevel(book, opposite, li, levelSlot, ref sink);
            if (end != MatchEnd.None) return end;
        }
        return MatchEnd.BookExhausted;
    }

    /// <summary>A maker whose displayed slice is gone: refill an iceberg at the back of the queue, or remove a filled order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ReplenishOrRemove(ref Level level, int makerSlot)
    {
        ref var m = ref _orders[makerSlot];
        var hidden = m.HiddenLots;
        if (hidden > 0)
        {
            m.VisibleLots = Math.Min(m.DisplayLots, hidden);
            level.TotalLots += m.VisibleLots;
            MoveToBack(ref level, makerSlot);
        }
        else
        {
            Unlink(ref level, makerSlot);
            Close(makerSlot);
        }
    }

    /// <summary>
    /// The taker met a resting order of its own user. Returns <see cref="MatchEnd.None"/> to go on matching, or
    /// <see cref="MatchEnd.TakerClosed"/> when the taker is done (its events already written).
    /// </summary>
    private MatchEnd PreventSelfTrade<TSink>(ref Level level, int takerSlot, int makerSlot, long want, long costPerLot, ref TSink sink)
        where TSink : IEventSink
    {
        ref var t = ref _orders[takerSlot];
        ref var m = ref _orders[makerSlot];
        switch (t.SelfTradePrevention)
        {
            case SelfTradePrevention.CancelNewest:
                EmitClosed(EventKind.Cancelled, ref t, CancelReason.SelfTradePrevention, TakerRemaining(ref t), ref sink);
                return MatchEnd.TakerClosed;
            case SelfTradePrevention.CancelOldest:
                EmitClosed(EventKind.Cancelled, ref m, CancelReason.SelfTradePrevention, m.RemainingLots, ref sink);
                Unlink(ref level, makerSlot);
                Close(makerSlot);
                return MatchEnd.None;
            case SelfTradePrevention.CancelBoth:
                EmitClosed(EventKind.Cancelled, ref m, CancelReason.SelfTradePrevention, m.RemainingLots, ref sink);
                Unlink(ref level, makerSlot);
                Close(makerSlot);
                EmitClosed(EventKind.Cancelled, ref t, CancelReason.SelfTradePrevention, TakerRemaining(ref t), ref sink);
                return MatchEnd.TakerClosed;
            default:
                {
                    Invariant.Assert(t.SelfTradePrevention == SelfTradePrevention.Decrement);
                    var decrement = Math.Min(want, m.RemainingLots);
                    var fromVisible = Math.Min(decrement, m.VisibleLots);
                    m.VisibleLots -= fromVisible;
                    level.TotalLots -= fromVisible;
                    m.QuantityLots -= decrement;
                    EmitDecremented(ref m, decrement, ref sink);
                    if (m.RemainingLots == 0)
                    {
                        Unlink(ref level, makerSlot);
                        Close(makerSlot);
                    }
                    else if (m.VisibleLots == 0)
                    {
                        ReplenishOrRemove(ref level, makerSlot);
                    }
                    if (t.Type == OrderType.MarketByQuote)
                    {
                        t.QuoteAmount -= decrement * costPerLot;
                        EmitDecremented(ref t, decrement, ref sink);
                        return MatchEnd.None;
                    }
                    t.QuantityLots -= decrement;
                    EmitDecremented(ref t, decrement, ref sink);
                    return t.RemainingLots == 0 ? MatchEnd.TakerClosed : MatchEnd.None;
                }
        }
    }

    private static long TakerRemaining(ref Order t) => t.Type == OrderType.MarketByQuote ? 0 : t.RemainingLots;

    /// <summary>After matching at a level: publish its new total, and drop it when empty.</summary>
    private void FinishLevel<TSink>(Book book, Ladder ladder, int index, int levelSlot, ref TSink sink) where TSink : IEventSink
    {
        ref var level = ref _levels[levelSlot];
        EmitDelta(book, ladder.Descending ? Side.Sell : Side.Buy, ref level, ref sink);
        if (level.Count == 0)
        {
            ladder.RemoveAt(index);
            FreeLevel(levelSlot);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Stop orders
    // ------------------------------------------------------------------------------------------------

    /// <summary>
    /// Queues the stop orders reached by a taker's trades, in the order the prices were crossed: a buy taker's
    /// trades go up from its first price, so sell stops (reached at the first, lowest trade) come before the buy
    /// stops, lowest stop first; symmetrically for a sell taker.
    /// </summary>
    private void CollectTriggers(Book book, Side aggressor, long minPrice, long maxPrice)
    {
        if (aggressor == Side.Buy)
        {
            CollectStops(book.SellStops, minPrice, sellSide: true);
            CollectStops(book.BuyStops, maxPrice, sellSide: false);
        }
        else
        {
            CollectStops(book.BuyStops, maxPrice, sellSide: false);
            CollectStops(book.SellStops, minPrice, sellSide: true);
        }
    }

    private void CollectStops(Ladder stops, long tradePrice, bool sellSide)
    {
        while (stops.Count > 0)
        {
            var stopPrice = stops.PriceAt(stops.BestIndex);
            if (sellSide ? tradePrice > stopPrice : tradePrice < stopPrice) return;
            var levelSlot = stops.LevelAt(stops.BestIndex);
            ref var level = ref _levels[levelSlot];
            for (var s = level.Head; s >= 0;)
            {
                ref var o = ref _orders[s];
                var next = o.Next;
                o.Prev = o.Next = -1;
                o.Level = -1;
                var tail = _triggerHead + _triggerCount;
                if (tail >= _triggerQueue.Length) tail -= _triggerQueue.Length;
                _triggerQueue[tail] = s;
                _triggerCount++;
                s = next;
            }
            level.Head = level.Tail = -1;
            level.Count = 0;
            stops.RemoveAt(stops.BestIndex);
            FreeLevel(levelSlot);
        }
    }

    /// <summary>Runs queued stop orders, first in first out; their own trades may queue more.</summary>
    private void RunTriggers<TSink>(Book book, ref TSink sink) where TSink : IEventSink
    {
        while (_triggerCount > 0)
        {
            var slot = _triggerQueue[_triggerHead];
            if (++_triggerHead == _triggerQueue.Length) _triggerHead = 0;
            _triggerCount--;
            ref var o = ref _orders[slot];
            EmitOrder(EventKind.Triggered, ref o, ref sink);
            o.Type = o.Type == OrderType.StopMarket ? OrderType.Market : OrderType.Limit;
            o.State = OrderState.Active;
            if (o.Type == OrderType.Limit)
            {
                if (o.PostOnly && Crosses(book, o.Side, o.PriceTicks))
                {
                    EmitClosed(EventKind.Cancelled, ref o, CancelReason.PostOnlyWouldTake, o.RemainingLots, ref sink);
                    Close(slot);
                    continue;
                }
                if (o.TimeInForce == TimeInForce.FillOrKill &&
                    !CanFillCompletely(book, o.Side, o.UserId, o.SelfTradePrevention, o.PriceTicks, o.RemainingLots))
                {
                    EmitClosed(EventKind.Cancelled, ref o, CancelReason.FillOrKillUnfillable, o.RemainingLots, ref sink);
                    Close(slot);
                    continue;
                }
            }
            ExecuteTaker(book, slot, ref sink);
        }
    }
}
