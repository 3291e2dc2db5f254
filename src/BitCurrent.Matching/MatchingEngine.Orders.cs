using System.Runtime.CompilerServices;
using BitCurrent.Matching.Internal;

namespace BitCurrent.Matching;

public sealed partial class MatchingEngine
{
    // ------------------------------------------------------------------------------------------------
    // Cancel, mass cancel, amend, expiry
    // ------------------------------------------------------------------------------------------------

    private void Cancel<TSink>(in Command c, ref TSink sink) where TSink : IEventSink
    {
        if (c.UserId <= 0)
        {
            Reject(in c, RejectReason.InvalidUserId, ref sink);
            return;
        }
        if (c.OrderId <= 0)
        {
            Reject(in c, RejectReason.InvalidOrderId, ref sink);
            return;
        }
        var found = _orderIndex.TryGet(c.OrderId, out var slot);
        var reason = FindOwnOrder(in c, found ? slot : -1);
        if (reason != RejectReason.None)
        {
            Reject(in c, reason, ref sink);
            return;
        }
        CancelOpenOrder(slot, EventKind.Cancelled, CancelReason.UserRequested, ref sink);
    }

    private void CancelByClientOrderId<TSink>(in Command c, ref TSink sink) where TSink : IEventSink
    {
        if (c.UserId <= 0)
        {
            Reject(in c, RejectReason.InvalidUserId, ref sink);
            return;
        }
        if (c.ClientOrderId <= 0)
        {
            Reject(in c, RejectReason.InvalidClientOrderId, ref sink);
            return;
        }
        var found = _clientOrderIndex.TryGet(c.UserId, c.ClientOrderId, out var slot);
        var reason = FindOwnOrder(in c, found ? slot : -1);
        if (reason != RejectReason.None)
        {
            Reject(in c, reason, ref sink);
            return;
        }
        CancelOpenOrder(slot, EventKind.Cancelled, CancelReason.UserRequested, ref sink);
    }

    /// <summary>Checks that <paramref name="slot"/> is an open order of the command's user (and symbol, when given).</summary>
    private RejectReason FindOwnOrder(in Command c, int slot)
    {
        if (slot < 0) return RejectReason.OrderNotFound;
        ref var o = ref _orders[slot];
        if (c.SymbolId != 0 && _books[o.Book]!.SymbolId != c.SymbolId) return RejectReason.OrderNotFound;
        if (o.UserId != c.UserId) return RejectReason.NotOrderOwner;
        return RejectReason.None;
    }

    private void MassCancel<TSink>(in Command c, ref TSink sink) where TSink : IEventSink
    {
        if (c.UserId <= 0)
        {
            Reject(in c, RejectReason.InvalidUserId, ref sink);
            return;
        }
        var bookIndex = -1;
        if (c.SymbolId != 0)
        {
            if (!TryGetBook(c.SymbolId, out var book))
            {
                Reject(in c, RejectReason.UnknownSymbol, ref sink);
                return;
            }
            bookIndex = book.Index;
        }
        if (!_userIndex.TryGet(c.UserId, out var user)) return;
        for (var s = _users[user].Head; s >= 0;)
        {
            var next = _orders[s].UserNext;
            if (bookIndex < 0 || _orders[s].Book == bookIndex)
                CancelOpenOrder(s, EventKind.Cancelled, CancelReason.MassCancel, ref sink);
            s = next;
        }
    }

    private void ExpireDue<TSink>(ref TSink sink) where TSink : IEventSink
    {
        while (_expiries.Count > 0 && _expiries.MinExpireAt <= _timestamp)
            CancelOpenOrder(_expiries.MinSlot, EventKind.Expired, CancelReason.None, ref sink);
    }

    /// <summary>Closes a resting order or untriggered stop: event, level update and L2 delta, slot freed.</summary>
    private void CancelOpenOrder<TSink>(int slot, EventKind kind, CancelReason reason, ref TSink sink) where TSink : IEventSink
    {
        ref var o = ref _orders[slot];
        var book = _books[o.Book]!;
        var isStop = o.State == OrderState.PendingTrigger;
        var ladder = isStop ? book.Stops(o.Side) : book.Resting(o.Side);
        var levelSlot = o.Level;
        var side = o.Side;
        EmitClosed(kind, ref o, reason, o.RemainingLots, ref sink);
        ref var level = ref _levels[levelSlot];
        Unlink(ref level, slot);
        Close(slot);
        if (!isStop) EmitDelta(book, side, ref level, ref sink);
        if (level.Count == 0)
        {
            ladder.Remove(level.PriceTicks);
            FreeLevel(levelSlot);
        }
    }

    /// <summary>
    /// Amend: a lower total quantity at the same price keeps the order's place; a new price or a higher quantity
    /// sends it to the back of the queue at its (new) price, and a new price that crosses the book trades first.
    /// </summary>
    private void Amend<TSink>(in Command c, ref TSink sink) where TSink : IEventSink
    {
        var reason = ValidateAmend(in c, out var slot, out var newPrice, out var newQuantity);
        if (reason != RejectReason.None)
        {
            Reject(in c, reason, ref sink);
            return;
        }
        ref var o = ref _orders[slot];
        var book = _books[o.Book]!;
        var ladder = book.Resting(o.Side);
        ref var level = ref _levels[o.Level];
        if (newPrice == o.PriceTicks && newQuantity < o.QuantityLots)
        {
            // Reduce in place: the iceberg reserve goes first, so the displayed slice keeps its place.
            var cut = o.QuantityLots - newQuantity;
            var fromVisible = Math.Max(0, cut - o.HiddenLots);
            o.QuantityLots = newQuantity;
            o.VisibleLots -= fromVisible;
            level.TotalLots -= fromVisible;
            EmitAmended(ref o, priorityKept: true, ref sink);
            if (fromVisible > 0) EmitDelta(book, o.Side, ref level, ref sink);
            return;
        }

        // Lose priority: leave the level, then re-enter as an incoming order at the new price.
        var oldLevelSlot = o.Level;
        Unlink(ref level, slot);
        EmitDelta(book, o.Side, ref level, ref sink);
        if (level.Count == 0)
        {
            ladder.Remove(level.PriceTicks);
            FreeLevel(oldLevelSlot);
        }
        o.PriceTicks = newPrice;
        o.QuantityLots = newQuantity;
        o.State = OrderState.Active;
        EmitAmended(ref o, priorityKept: false, ref sink);
        ExecuteTaker(book, slot, ref sink);
        RunTriggers(book, ref sink);
    }

    private RejectReason ValidateAmend(in Command c, out int slot, out long newPrice, out long newQuantity)
    {
        newPrice = newQuantity = 0;
        slot = -1;
        if (c.UserId <= 0) return RejectReason.InvalidUserId;
        if (c.OrderId <= 0) return RejectReason.InvalidOrderId;
        var reason = FindOwnOrder(in c, _orderIndex.TryGet(c.OrderId, out slot) ? slot : -1);
        if (reason != RejectReason.None) return reason;
        ref var o = ref _orders[slot];
        if (o.State == OrderState.PendingTrigger) return RejectReason.AmendNotAllowed;
        var book = _books[o.Book]!;
        newPrice = c.PriceTicks == 0 ? o.PriceTicks : c.PriceTicks;
        newQuantity = c.QuantityLots == 0 ? o.QuantityLots : c.QuantityLots;
        if (newPrice < book.PriceTicksMin || newPrice > book.PriceTicksMax) return RejectReason.PriceOutOfBounds;
        if (newQuantity < book.QuantityLotsMin || newQuantity > book.QuantityLotsMax) return RejectReason.QuantityOutOfBounds;
        if (!TryNotional(newPrice, newQuantity, book.QuoteMinorPerTickLot, out var notional)) return RejectReason.NotionalOverflow;
        if (notional < book.NotionalMin) return RejectReason.NotionalBelowMin;
        if (newPrice == o.PriceTicks && newQuantity == o.QuantityLots) return RejectReason.AmendNoChange;
        if (newQuantity <= o.FilledLots) return RejectReason.AmendQuantityNotAboveFilled;
        if (o.DisplayLots > 0 && o.DisplayLots >= newQuantity) return RejectReason.InvalidDisplayQuantity;
        if (newPrice != o.PriceTicks)
        {
            if (o.PostOnly && Crosses(book, o.Side, newPrice)) return RejectReason.AmendPostOnlyWouldTake;
            var ladder = book.Resting(o.Side);
            // The order may free its old level, but a new level must be available before anything changes.
            if (ladder.FindLevel(newPrice) < 0 && (ladder.IsFull || _freeLevel < 0) && _levels[o.Level].Count > 1)
                return RejectReason.BookLevelsFull;
        }
        return RejectReason.None;
    }

    // ------------------------------------------------------------------------------------------------
    // Pools, levels and indexes
    // ------------------------------------------------------------------------------------------------

    private int AllocateOrder()
    {
        Invariant.Assert(_freeOrderCount > 0);
        return _freeOrders[--_freeOrderCount];
    }

    /// <summary>Removes an order from the indexes (if it was registered) and frees its slot.</summary>
    private void Close(int slot)
    {
        ref var o = ref _orders[slot];
        if (o.Registered) Unregister(slot);
        o = default;
        _freeOrders[_freeOrderCount++] = slot;
    }

    private int AddUser(long userId)
    {
        var user = _userCount++;
        _users[user] = new UserSlot { UserId = userId, Head = -1, Tail = -1 };
        _userIndex.TryAdd(userId, user);
        return user;
    }

    /// <summary>Makes an open order findable: order id, client order id, user list, expiry heap, book count.</summary>
    private void Register(int slot)
    {
        ref var o = ref _orders[slot];
        Invariant.Assert(!o.Registered);
        var added = _orderIndex.TryAdd(o.OrderId, slot);
        Invariant.Assert(added);
        if (o.ClientOrderId != 0)
        {
            added = _clientOrderIndex.TryAdd(o.UserId, o.ClientOrderId, slot);
            Invariant.Assert(added);
        }
        ref var u = ref _users[o.User];
        o.UserPrev = u.Tail;
        o.UserNext = -1;
        if (u.Tail >= 0) _orders[u.Tail].UserNext = slot;
        else u.Head = slot;
        u.Tail = slot;
        u.OpenOrders++;
        if (o.TimeInForce == TimeInForce.GoodTillDate) _expiries.Add(_orders, slot);
        _books[o.Book]!.OrderCount++;
        o.Registered = true;
    }

    private void Unregister(int slot)
    {
        ref var o = ref _orders[slot];
        _orderIndex.Remove(o.OrderId);
        if (o.ClientOrderId != 0) _clientOrderIndex.Remove(o.UserId, o.ClientOrderId);
        ref var u = ref _users[o.User];
        if (o.UserPrev >= 0) _orders[o.UserPrev].UserNext = o.UserNext;
        else u.Head = o.UserNext;
        if (o.UserNext >= 0) _orders[o.UserNext].UserPrev = o.UserPrev;
        else u.Tail = o.UserPrev;
        u.OpenOrders--;
        if (o.HeapIndex >= 0) _expiries.Remove(_orders, slot);
        _books[o.Book]!.OrderCount--;
        o.Registered = false;
    }

    /// <summary>Appends an order at the back of the level at <paramref name="price"/>, creating the level if needed.</summary>
    private int InsertIntoLevel(Ladder ladder, int slot, long price) =>
        InsertIntoLevel(ladder, ladder.Search(ladder.KeyOf(price)), slot, price);

    /// <summary>As above, with the ladder position <paramref name="i"/> already searched (a level index or its complement).</summary>
    private int InsertIntoLevel(Ladder ladder, int i, int slot, long price)
    {
        int levelSlot;
        if (i >= 0)
        {
            levelSlot = ladder.LevelAt(i);
        }
        else
        {
            levelSlot = _freeLevel;
            Invariant.Assert(levelSlot >= 0);
            ref var fresh = ref _levels[levelSlot];
            _freeLevel = fresh.NextFree;
            fresh = new Level { PriceTicks = price, Head = -1, Tail = -1, NextFree = -1 };
            ladder.InsertAt(~i, price, levelSlot);
            _levelsInUse++;
        }
        ref var level = ref _levels[levelSlot];
        ref var o = ref _orders[slot];
        o.Level = levelSlot;
        o.Prev = level.Tail;
        o.Next = -1;
        if (level.Tail >= 0) _orders[level.Tail].Next = slot;
        else level.Head = slot;
        level.Tail = slot;
        level.Count++;
        level.TotalLots += o.VisibleLots;
        return levelSlot;
    }

    /// <summary>Takes an order out of its level's queue and the level's total; the level stays even when empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Unlink(ref Level level, int slot)
    {
        ref var o = ref _orders[slot];
        if (o.Prev >= 0) _orders[o.Prev].Next = o.Next;
        else level.Head = o.Next;
        if (o.Next >= 0) _orders[o.Next].Prev = o.Prev;
        else level.Tail = o.Prev;
        level.Count--;
        level.TotalLots -= o.VisibleLots;
        o.VisibleLots = 0;
        o.Prev = o.Next = -1;
        o.Level = -1;
    }

    private void MoveToBack(ref Level level, int slot)
    {
        if (level.Tail == slot) return;
        ref var o = ref _orders[slot];
        if (o.Prev >= 0) _orders[o.Prev].Next = o.Next;
        else level.Head = o.Next;
        _orders[o.Next].Prev = o.Prev;
        o.Prev = level.Tail;
        o.Next = -1;
        _orders[level.Tail].Next = slot;
        level.Tail = slot;
    }

    private void FreeLevel(int levelSlot)
    {
        ref var level = ref _levels[levelSlot];
        Invariant.Assert(level.Count == 0 && level.TotalLots == 0);
        level.NextFree = _freeLevel;
        level.Head = level.Tail = -1;
        _freeLevel = levelSlot;
        _levelsInUse--;
    }

    // ------------------------------------------------------------------------------------------------
    // Events
    // ------------------------------------------------------------------------------------------------

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Reject<TSink>(in Command c, RejectReason reason, ref TSink sink) where TSink : IEventSink
    {
        var e = new MatchingEvent
        {
            Kind = EventKind.Rejected,
            Sequence = c.Sequence,
            Timestamp = c.Timestamp,
            SymbolId = c.SymbolId,
            OrderId = c.OrderId,
            UserId = c.UserId,
            ClientOrderId = c.ClientOrderId,
            Side = c.Side,
            RejectReason = reason,
        };
        sink.OnEvent(in e);
    }

    private void EmitOrder<TSink>(EventKind kind, ref Order o, ref TSink sink) where TSink : IEventSink
    {
        var e = new MatchingEvent
        {
            Kind = kind,
            Sequence = _sequence,
            Timestamp = _timestamp,
            SymbolId = _books[o.Book]!.SymbolId,
            OrderId = o.OrderId,
            UserId = o.UserId,
            ClientOrderId = o.ClientOrderId,
            Side = o.Side,
            OrderType = o.Type,
            PriceTicks = o.PriceTicks,
            QuantityLots = o.QuantityLots,
            FilledLots = o.FilledLots,
            RemainingLots = o.RemainingLots,
            QuoteAmount = o.QuoteAmount,
        };
        sink.OnEvent(in e);
    }

    private void EmitClosed<TSink>(EventKind kind, ref Order o, CancelReason reason, long quantity, ref TSink sink) where TSink : IEventSink
    {
        var e = new MatchingEvent
        {
            Kind = kind,
            Sequence = _sequence,
            Timestamp = _timestamp,
            SymbolId = _books[o.Book]!.SymbolId,
            OrderId = o.OrderId,
            UserId = o.UserId,
            ClientOrderId = o.ClientOrderId,
            Side = o.Side,
            OrderType = o.Type,
            PriceTicks = o.PriceTicks,
            QuantityLots = quantity,
            FilledLots = o.FilledLots,
            RemainingLots = 0,
            QuoteAmount = o.Type == OrderType.MarketByQuote ? o.QuoteAmount : 0,
            CancelReason = reason,
        };
        sink.OnEvent(in e);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EmitTrade<TSink>(Book book, ref Order t, ref Order m, long price, long quantity, long notional, bool byQuote, ref TSink sink)
        where TSink : IEventSink
    {
        var e = new MatchingEvent
        {
            Kind = EventKind.Trade,
            Sequence = _sequence,
            Timestamp = _timestamp,
            SymbolId = book.SymbolId,
            OrderId = t.OrderId,
            UserId = t.UserId,
            ClientOrderId = t.ClientOrderId,
            Side = t.Side,
            PriceTicks = price,
            QuantityLots = quantity,
            FilledLots = t.FilledLots,
            RemainingLots = byQuote ? 0 : t.QuantityLots - t.FilledLots,
            QuoteAmount = notional,
            TradeId = ++_tradeId,
            MakerOrderId = m.OrderId,
            MakerUserId = m.UserId,
            MakerClientOrderId = m.ClientOrderId,
            MakerRemainingLots = m.QuantityLots - m.FilledLots,
        };
        sink.OnEvent(in e);
    }

    private void EmitDecremented<TSink>(ref Order o, long quantity, ref TSink sink) where TSink : IEventSink
    {
        var e = new MatchingEvent
        {
            Kind = EventKind.Decremented,
            Sequence = _sequence,
            Timestamp = _timestamp,
            SymbolId = _books[o.Book]!.SymbolId,
            OrderId = o.OrderId,
            UserId = o.UserId,
            ClientOrderId = o.ClientOrderId,
            Side = o.Side,
            OrderType = o.Type,
            PriceTicks = o.PriceTicks,
            QuantityLots = quantity,
            FilledLots = o.FilledLots,
            RemainingLots = TakerRemaining(ref o),
            QuoteAmount = o.Type == OrderType.MarketByQuote ? o.QuoteAmount : 0,
            CancelReason = CancelReason.SelfTradePrevention,
        };
        sink.OnEvent(in e);
    }

    private void EmitAmended<TSink>(ref Order o, bool priorityKept, ref TSink sink) where TSink : IEventSink
    {
        var e = new MatchingEvent
        {
            Kind = EventKind.Amended,
            Sequence = _sequence,
            Timestamp = _timestamp,
            SymbolId = _books[o.Book]!.SymbolId,
            OrderId = o.OrderId,
            UserId = o.UserId,
            ClientOrderId = o.ClientOrderId,
            Side = o.Side,
            OrderType = o.Type,
            PriceTicks = o.PriceTicks,
            QuantityLots = o.QuantityLots,
            FilledLots = o.FilledLots,
            RemainingLots = o.RemainingLots,
            PriorityKept = priorityKept,
        };
        sink.OnEvent(in e);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EmitDelta<TSink>(Book book, Side side, ref Level level, ref TSink sink) where TSink : IEventSink
    {
        var e = new MatchingEvent
        {
            Kind = EventKind.BookDelta,
            Sequence = _sequence,
            Timestamp = _timestamp,
            SymbolId = book.SymbolId,
            Side = side,
            PriceTicks = level.PriceTicks,
            QuantityLots = level.TotalLots,
            OrderCount = level.Count,
            UpdateId = ++book.UpdateId,
        };
        sink.OnEvent(in e);
    }
}
