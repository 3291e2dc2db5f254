namespace BitCurrent.Matching.Tests.Reference;

/// <summary>
/// A deliberately naive matching engine: plain lists, linear scans, no pools, no indexes. It implements the
/// same rules as <see cref="MatchingEngine"/> (README "Matching rules") in the most obvious way, so that
/// the fast engine can be compared with it event by event on random command streams.
/// Capacity limits are not modelled: comparisons run with capacities that are never reached.
/// </summary>
internal sealed class ReferenceEngine
{
    internal sealed class RefOrder
    {
        public long OrderId, UserId, ClientOrderId, PriceTicks, StopPriceTicks, QuantityLots, FilledLots, VisibleLots;
        public long DisplayLots, QuoteAmount, ExpireAt, AcceptSeq;
        public Side Side;
        public OrderType Type;
        public TimeInForce TimeInForce;
        public SelfTradePrevention Stp;
        public bool PostOnly;
        public RefBook Book = null!;
        public bool IsPendingStop;
        public long Remaining => QuantityLots - FilledLots;
        public long Hidden => QuantityLots - FilledLots - VisibleLots;
    }

    internal sealed class RefLevel
    {
        public long PriceTicks;
        public List<RefOrder> Queue = [];
        public long Total => Queue.Sum(o => o.VisibleLots);
    }

    internal sealed class RefBook
    {
        public required Instrument Instrument;
        public List<RefLevel> Bids = [];      // best (highest) first
        public List<RefLevel> Asks = [];      // best (lowest) first
        public List<RefLevel> BuyStops = [];  // lowest stop first
        public List<RefLevel> SellStops = []; // highest stop first
        public long LastTradePrice;
        public long UpdateId;
        public List<RefLevel> Side(Side s) => s == Matching.Side.Buy ? Bids : Asks;
        public List<RefLevel> Opposite(Side s) => s == Matching.Side.Buy ? Asks : Bids;
        public List<RefLevel> Stops(Side s) => s == Matching.Side.Buy ? BuyStops : SellStops;
    }

    private readonly Dictionary<int, RefBook> _books = [];
    private readonly int _matchesMax;
    private readonly List<MatchingEvent> _out = [];
    private long _lastTimestamp, _lastOrderId, _acceptSeq, _tradeId, _seq, _ts;
    private long _minTrade, _maxTrade;
    private readonly Queue<RefOrder> _triggered = new();

    public ReferenceEngine(int matchesMax = int.MaxValue) => _matchesMax = matchesMax;

    public void AddInstrument(Instrument instrument) => _books.Add(instrument.SymbolId, new RefBook { Instrument = instrument });

    public IEnumerable<RefOrder> OpenOrders =>
        _books.Values.SelectMany(b => b.Bids.Concat(b.Asks).Concat(b.BuyStops).Concat(b.SellStops)).SelectMany(l => l.Queue);

    public RefBook Book(int symbolId) => _books[symbolId];

    public List<MatchingEvent> Apply(Command c)
    {
        _out.Clear();
        _seq = c.Sequence;
        _ts = c.Timestamp;
        if (c.Timestamp < _lastTimestamp)
        {
            Reject(c, RejectReason.TimestampNotMonotonic);
            return [.. _out];
        }
        _lastTimestamp = c.Timestamp;
        foreach (var o in OpenOrders.Where(o => o.TimeInForce == TimeInForce.GoodTillDate && o.ExpireAt <= c.Timestamp)
                     .OrderBy(o => o.ExpireAt).ThenBy(o => o.AcceptSeq).ToList())
        {
            CloseOpen(o, EventKind.Expired, CancelReason.None);
        }
        switch (c.Kind)
        {
            case CommandKind.Place: Place(c); break;
            case CommandKind.Cancel: CancelById(c); break;
            case CommandKind.CancelByClientOrderId: CancelByClientId(c); break;
            case CommandKind.MassCancel: MassCancel(c); break;
            case CommandKind.Amend: Amend(c); break;
            case CommandKind.Tick: break;
            default: Reject(c, RejectReason.UnknownCommandKind); break;
        }
        return [.. _out];
    }

    // ---------------------------------------------------------------------------------------------
    private void Place(Command c)
    {
        var reason = Validate(c);
        if (reason != RejectReason.None)
        {
            Reject(c, reason);
            return;
        }
        _lastOrderId = c.OrderId;
        var book = _books[c.SymbolId];
        var isMarketish = c.Type is OrderType.Market or OrderType.MarketByQuote or OrderType.StopMarket;
        var o = new RefOrder
        {
            OrderId = c.OrderId,
            UserId = c.UserId,
            ClientOrderId = c.ClientOrderId,
            Side = c.Side,
            Type = c.Type,
            TimeInForce = isMarketish ? TimeInForce.ImmediateOrCancel : c.TimeInForce,
            Stp = c.SelfTradePrevention,
            PostOnly = c.PostOnly,
            PriceTicks = c.Type is OrderType.Limit or OrderType.StopLimit ? c.PriceTicks : 0,
            StopPriceTicks = c.Type is OrderType.StopMarket or OrderType.StopLimit ? c.StopPriceTicks : 0,
            QuantityLots = c.Type == OrderType.MarketByQuote ? 0 : c.QuantityLots,
            QuoteAmount = c.Type == OrderType.MarketByQuote ? c.QuoteAmount : 0,
            DisplayLots = c.DisplayLots,
            ExpireAt = c.TimeInForce == TimeInForce.GoodTillDate ? c.ExpireAt : 0,
            AcceptSeq = ++_acceptSeq,
            Book = book,
        };
        Emit(OrderEvent(EventKind.Accepted, o));
        if (o.Type is OrderType.StopMarket or OrderType.StopLimit)
        {
            o.IsPendingStop = true;
            Append(book.Stops(o.Side), o, o.StopPriceTicks, stopLadder: true);
            return;
        }
        Execute(book, o);
        RunTriggers(book);
    }

    private RejectReason Validate(Command c)
    {
        if (!_books.TryGetValue(c.SymbolId, out var book)) return RejectReason.UnknownSymbol;
        var i = book.Instrument;
        if (c.UserId <= 0) return RejectReason.InvalidUserId;
        if (c.OrderId <= 0) return RejectReason.InvalidOrderId;
        if (c.Side != Side.Buy && c.Side != Side.Sell) return RejectReason.InvalidSide;
        if (!Enum.IsDefined(c.Type)) return RejectReason.InvalidOrderType;
        var limitType = c.Type is OrderType.Limit or OrderType.StopLimit;
        var stopType = c.Type is OrderType.StopMarket or OrderType.StopLimit;
        if (limitType ? !Enum.IsDefined(c.TimeInForce) : !(c.TimeInForce == 0 || c.TimeInForce == TimeInForce.ImmediateOrCancel))
            return RejectReason.InvalidTimeInForce;
        if (!Enum.IsDefined(c.SelfTradePrevention)) return RejectReason.InvalidSelfTradePrevention;
        var canRest = limitType && (c.TimeInForce == TimeInForce.GoodTillCancel || c.TimeInForce == TimeInForce.GoodTillDate);
        if (c.PostOnly && !canRest) return RejectReason.InvalidPostOnly;
        if (limitType && (c.PriceTicks < i.PriceTicksMin || c.PriceTicks > i.PriceTicksMax)) return RejectReason.PriceOutOfBounds;
        if (stopType && (c.StopPriceTicks < i.PriceTicksMin || c.StopPriceTicks > i.PriceTicksMax)) return RejectReason.StopPriceOutOfBounds;
        if (c.Type == OrderType.MarketByQuote ? c.QuoteAmount <= 0 : false) return RejectReason.InvalidQuoteAmount;
        if (c.Type != OrderType.MarketByQuote && (c.QuantityLots < i.QuantityLotsMin || c.QuantityLots > i.QuantityLotsMax))
            return RejectReason.QuantityOutOfBounds;
        if (c.DisplayLots != 0 && !(canRest && c.DisplayLots > 0 && c.DisplayLots < c.QuantityLots)) return RejectReason.InvalidDisplayQuantity;
        if (c.TimeInForce == TimeInForce.GoodTillDate ? c.ExpireAt <= c.Timestamp : c.ExpireAt != 0) return RejectReason.InvalidExpireTime;
        if (c.Type == OrderType.MarketByQuote)
        {
            if (c.QuoteAmount < i.NotionalMin) return RejectReason.NotionalBelowMin;
        }
        else if (c.Type != OrderType.Market)
        {
            var notional = (Int128)(limitType ? c.PriceTicks : c.StopPriceTicks) * c.QuantityLots * i.QuoteMinorPerTickLot;
            if (notional > long.MaxValue) return RejectReason.NotionalOverflow;
            if (notional < i.NotionalMin) return RejectReason.NotionalBelowMin;
        }
        if (c.OrderId <= _lastOrderId) return RejectReason.OrderIdNotIncreasing;
        if (c.ClientOrderId < 0) return RejectReason.InvalidClientOrderId;
        if (c.ClientOrderId != 0 && OpenOrders.Any(o => o.UserId == c.UserId && o.ClientOrderId == c.ClientOrderId))
            return RejectReason.DuplicateClientOrderId;
        if (c.PostOnly && c.Type == OrderType.Limit && WouldCross(book, c.Side, c.PriceTicks)) return RejectReason.PostOnlyWouldTake;
        if (stopType && book.LastTradePrice != 0 &&
            (c.Side == Side.Buy ? book.LastTradePrice >= c.StopPriceTicks : book.LastTradePrice <= c.StopPriceTicks))
            return RejectReason.StopWouldTriggerImmediately;
        if (c.Type == OrderType.Limit && c.TimeInForce == TimeInForce.FillOrKill &&
            !FokFillable(book, c.Side, c.UserId, c.SelfTradePrevention, c.PriceTicks, c.QuantityLots))
            return RejectReason.FillOrKillUnfillable;
        return RejectReason.None;
    }

    private static bool WouldCross(RefBook book, Side side, long price)
    {
        var opp = book.Opposite(side);
        if (opp.Count == 0) return false;
        return side == Side.Buy ? price >= opp[0].PriceTicks : price <= opp[0].PriceTicks;
    }

    private bool FokFillable(RefBook book, Side side, long user, SelfTradePrevention stp, long limit, long quantity)
    {
        long needed = quantity, matches = 0;
        foreach (var level in book.Opposite(side))
        {
            if (side == Side.Buy ? level.PriceTicks > limit : level.PriceTicks < limit) return false;
            var blocking = stp is not (SelfTradePrevention.None or SelfTradePrevention.CancelOldest) && level.Queue.Any(o => o.UserId == user);
            foreach (var m in level.Queue)
            {
                if (m.UserId == user && stp != SelfTradePrevention.None)
                {
                    if (stp != SelfTradePrevention.CancelOldest) return false;
                    if (++matches > _matchesMax) return false;
                    continue;
                }
                var take = Math.Min(blocking ? m.VisibleLots : m.Remaining, needed);
                matches += take <= m.VisibleLots ? 1 : 1 + (long)Math.Ceiling((take - m.VisibleLots) / (double)m.DisplayLots);
                if (matches > _matchesMax) return false;
                needed -= take;
                if (needed == 0) return true;
            }
            if (blocking) return false;
        }
        return false;
    }

    private enum End { None, Exhausted, Filled, Limit, Closed, MatchLimit }

    private void Execute(RefBook book, RefOrder t)
    {
        _minTrade = long.MaxValue;
        _maxTrade = long.MinValue;
        var end = Match(book, t);
        if (end == End.Closed) { }
        else if (t.Type == OrderType.MarketByQuote)
        {
            if (t.QuoteAmount > 0) Emit(Closed(EventKind.Cancelled, t, CancelReason.MarketRemainder, 0));
        }
        else if (t.Remaining == 0) { }
        else if (end == End.MatchLimit) Emit(Closed(EventKind.Cancelled, t, CancelReason.MatchLimitReached, t.Remaining));
        else if (t.Type == OrderType.Market) Emit(Closed(EventKind.Cancelled, t, CancelReason.MarketRemainder, t.Remaining));
        else if (t.TimeInForce is TimeInForce.ImmediateOrCancel or TimeInForce.FillOrKill)
            Emit(Closed(EventKind.Cancelled, t, CancelReason.ImmediateOrCancelRemainder, t.Remaining));
        else
        {
            t.VisibleLots = t.DisplayLots > 0 ? Math.Min(t.DisplayLots, t.Remaining) : t.Remaining;
            var level = Append(book.Side(t.Side), t, t.PriceTicks, stopLadder: false);
            EmitDelta(book, t.Side, level);
        }
        if (_minTrade <= _maxTrade)
        {
            // Stops reached by this taker's trades, in the order the prices were crossed.
            var sells = book.SellStops.TakeWhile(l => l.PriceTicks >= _minTrade).ToList();
            var buys = book.BuyStops.TakeWhile(l => l.PriceTicks <= _maxTrade).ToList();
            var first = t.Side == Side.Buy ? sells : buys;
            var second = t.Side == Side.Buy ? buys : sells;
            foreach (var l in first.Concat(second))
            {
                foreach (var o in l.Queue) _triggered.Enqueue(o);
                book.SellStops.Remove(l);
                book.BuyStops.Remove(l);
            }
        }
    }

    private End Match(RefBook book, RefOrder t)
    {
        var opp = book.Opposite(t.Side);
        var byQuote = t.Type == OrderType.MarketByQuote;
        var q = book.Instrument.QuoteMinorPerTickLot;
        var matches = 0;
        while (opp.Count > 0)
        {
            if (!byQuote && t.Remaining == 0) return End.Filled;
            var level = opp[0];
            var price = level.PriceTicks;
            if (t.Type == OrderType.Limit && (t.Side == Side.Buy ? price > t.PriceTicks : price < t.PriceTicks)) return End.Limit;
            var cost = (Int128)price * q;
            if (byQuote && cost > t.QuoteAmount) return End.Filled;
            var end = End.None;
            var touched = false;
            while (level.Queue.Count > 0)
            {
                var want = byQuote ? (long)(t.QuoteAmount / cost) : t.Remaining;
                if (want == 0) { end = End.Filled; break; }
                if (matches == _matchesMax) { end = End.MatchLimit; break; }
                matches++;
                touched = true;
                var m = level.Queue[0];
                if (m.UserId == t.UserId && t.Stp != SelfTradePrevention.None)
                {
                    end = SelfTrade(level, t, m, want, (long)cost);
                    if (end != End.None) break;
                    continue;
                }
                var quantity = Math.Min(want, m.VisibleLots);
                m.VisibleLots -= quantity;
                m.FilledLots += quantity;
                t.FilledLots += quantity;
                var notional = price * quantity * q;
                if (byQuote) t.QuoteAmount -= notional;
                book.LastTradePrice = price;
                _minTrade = Math.Min(_minTrade, price);
                _maxTrade = Math.Max(_maxTrade, price);
                Emit(new MatchingEvent
                {
                    Kind = EventKind.Trade,
                    Sequence = _seq,
                    Timestamp = _ts,
                    SymbolId = book.Instrument.SymbolId,
                    OrderId = t.OrderId,
                    UserId = t.UserId,
                    ClientOrderId = t.ClientOrderId,
                    Side = t.Side,
                    PriceTicks = price,
                    QuantityLots = quantity,
                    FilledLots = t.FilledLots,
                    RemainingLots = byQuote ? 0 : t.Remaining,
                    QuoteAmount = notional,
                    TradeId = ++_tradeId,
                    MakerOrderId = m.OrderId,
                    MakerUserId = m.UserId,
                    MakerClientOrderId = m.ClientOrderId,
                    MakerRemainingLots = m.Remaining,
                });
                if (m.VisibleLots == 0) RefillOrRemove(level, m);
            }
            if (touched)
            {
                EmitDelta(book, t.Side == Side.Buy ? Side.Sell : Side.Buy, level);
                if (level.Queue.Count == 0) opp.Remove(level);
            }
            if (end != End.None) return end;
        }
        return End.Exhausted;
    }

    private static void RefillOrRemove(RefLevel level, RefOrder m)
    {
        level.Queue.Remove(m);
        if (m.Hidden > 0)
        {
            m.VisibleLots = Math.Min(m.DisplayLots, m.Hidden);
            level.Queue.Add(m);
        }
    }

    private End SelfTrade(RefLevel level, RefOrder t, RefOrder m, long want, long cost)
    {
        var takerRemaining = t.Type == OrderType.MarketByQuote ? 0 : t.Remaining;
        switch (t.Stp)
        {
            case SelfTradePrevention.CancelNewest:
                Emit(Closed(EventKind.Cancelled, t, CancelReason.SelfTradePrevention, takerRemaining));
                return End.Closed;
            case SelfTradePrevention.CancelOldest:
                Emit(Closed(EventKind.Cancelled, m, CancelReason.SelfTradePrevention, m.Remaining));
                level.Queue.Remove(m);
                return End.None;
            case SelfTradePrevention.CancelBoth:
                Emit(Closed(EventKind.Cancelled, m, CancelReason.SelfTradePrevention, m.Remaining));
                level.Queue.Remove(m);
                Emit(Closed(EventKind.Cancelled, t, CancelReason.SelfTradePrevention, takerRemaining));
                return End.Closed;
            default:
                var d = Math.Min(want, m.Remaining);
                var fromVisible = Math.Min(d, m.VisibleLots);
                m.VisibleLots -= fromVisible;
                m.QuantityLots -= d;
                Emit(Decremented(m, d));
                if (m.Remaining == 0) level.Queue.Remove(m);
                else if (m.VisibleLots == 0) RefillOrRemove(level, m);
                if (t.Type == OrderType.MarketByQuote)
                {
                    t.QuoteAmount -= d * cost;
                    Emit(Decremented(t, d));
                    return End.None;
                }
                t.QuantityLots -= d;
                Emit(Decremented(t, d));
                return t.Remaining == 0 ? End.Closed : End.None;
        }
    }

    private void RunTriggers(RefBook book)
    {
        while (_triggered.Count > 0)
        {
            var o = _triggered.Dequeue();
            Emit(OrderEvent(EventKind.Triggered, o));
            o.IsPendingStop = false;
            o.Type = o.Type == OrderType.StopMarket ? OrderType.Market : OrderType.Limit;
            if (o.Type == OrderType.Limit)
            {
                if (o.PostOnly && WouldCross(book, o.Side, o.PriceTicks))
                {
                    Emit(Closed(EventKind.Cancelled, o, CancelReason.PostOnlyWouldTake, o.Remaining));
                    continue;
                }
                if (o.TimeInForce == TimeInForce.FillOrKill && !FokFillable(book, o.Side, o.UserId, o.Stp, o.PriceTicks, o.Remaining))
                {
                    Emit(Closed(EventKind.Cancelled, o, CancelReason.FillOrKillUnfillable, o.Remaining));
                    continue;
                }
            }
            Execute(book, o);
        }
    }

    // ---------------------------------------------------------------------------------------------
    private RefOrder? Find(Command c, Func<RefOrder, bool> match, out RejectReason reason)
    {
        var o = OpenOrders.FirstOrDefault(match);
        if (o == null || (c.SymbolId != 0 && o.Book.Instrument.SymbolId != c.SymbolId))
        {
            reason = RejectReason.OrderNotFound;
            return null;
        }
        reason = o.UserId != c.UserId ? RejectReason.NotOrderOwner : RejectReason.None;
        return reason == RejectReason.None ? o : null;
    }

    private void CancelById(Command c)
    {
        if (c.UserId <= 0) { Reject(c, RejectReason.InvalidUserId); return; }
        if (c.OrderId <= 0) { Reject(c, RejectReason.InvalidOrderId); return; }
        var o = Find(c, o => o.OrderId == c.OrderId, out var reason);
        if (o == null) Reject(c, reason);
        else CloseOpen(o, EventKind.Cancelled, CancelReason.UserRequested);
    }

    private void CancelByClientId(Command c)
    {
        if (c.UserId <= 0) { Reject(c, RejectReason.InvalidUserId); return; }
        if (c.ClientOrderId <= 0) { Reject(c, RejectReason.InvalidClientOrderId); return; }
        var o = Find(c, o => o.UserId == c.UserId && o.ClientOrderId == c.ClientOrderId, out var reason);
        if (o == null) Reject(c, reason);
        else CloseOpen(o, EventKind.Cancelled, CancelReason.UserRequested);
    }

    private void MassCancel(Command c)
    {
        if (c.UserId <= 0) { Reject(c, RejectReason.InvalidUserId); return; }
        if (c.SymbolId != 0 && !_books.ContainsKey(c.SymbolId)) { Reject(c, RejectReason.UnknownSymbol); return; }
        foreach (var o in OpenOrders.Where(o => o.UserId == c.UserId && (c.SymbolId == 0 || o.Book.Instrument.SymbolId == c.SymbolId))
                     .OrderBy(o => o.AcceptSeq).ToList())
        {
            CloseOpen(o, EventKind.Cancelled, CancelReason.MassCancel);
        }
    }

    private void Amend(Command c)
    {
        if (c.UserId <= 0) { Reject(c, RejectReason.InvalidUserId); return; }
        if (c.OrderId <= 0) { Reject(c, RejectReason.InvalidOrderId); return; }
        var o = Find(c, o => o.OrderId == c.OrderId, out var reason);
        if (o == null) { Reject(c, reason); return; }
        if (o.IsPendingStop) { Reject(c, RejectReason.AmendNotAllowed); return; }
        var i = o.Book.Instrument;
        var price = c.PriceTicks == 0 ? o.PriceTicks : c.PriceTicks;
        var quantity = c.QuantityLots == 0 ? o.QuantityLots : c.QuantityLots;
        var notional = (Int128)price * quantity * i.QuoteMinorPerTickLot;
        reason = price < i.PriceTicksMin || price > i.PriceTicksMax ? RejectReason.PriceOutOfBounds
            : quantity < i.QuantityLotsMin || quantity > i.QuantityLotsMax ? RejectReason.QuantityOutOfBounds
            : notional > long.MaxValue ? RejectReason.NotionalOverflow
            : notional < i.NotionalMin ? RejectReason.NotionalBelowMin
            : price == o.PriceTicks && quantity == o.QuantityLots ? RejectReason.AmendNoChange
            : quantity <= o.FilledLots ? RejectReason.AmendQuantityNotAboveFilled
            : o.DisplayLots > 0 && o.DisplayLots >= quantity ? RejectReason.InvalidDisplayQuantity
            : price != o.PriceTicks && o.PostOnly && WouldCross(o.Book, o.Side, price) ? RejectReason.AmendPostOnlyWouldTake
            : RejectReason.None;
        if (reason != RejectReason.None) { Reject(c, reason); return; }
        var levels = o.Book.Side(o.Side);
        var level = levels.First(l => l.Queue.Contains(o));
        if (price == o.PriceTicks && quantity < o.QuantityLots)
        {
            var cut = o.QuantityLots - quantity;
            var fromVisible = Math.Max(0, cut - o.Hidden);
            o.QuantityLots = quantity;
            o.VisibleLots -= fromVisible;
            Emit(Amended(o, true));
            if (fromVisible > 0) EmitDelta(o.Book, o.Side, level);
            return;
        }
        level.Queue.Remove(o);
        o.VisibleLots = 0;
        EmitDelta(o.Book, o.Side, level);
        if (level.Queue.Count == 0) levels.Remove(level);
        o.PriceTicks = price;
        o.QuantityLots = quantity;
        Emit(Amended(o, false));
        Execute(o.Book, o);
        RunTriggers(o.Book);
    }

    private void CloseOpen(RefOrder o, EventKind kind, CancelReason reason)
    {
        var book = o.Book;
        var ladder = o.IsPendingStop ? book.Stops(o.Side) : book.Side(o.Side);
        var level = ladder.First(l => l.Queue.Contains(o));
        Emit(Closed(kind, o, reason, o.Remaining));
        level.Queue.Remove(o);
        if (!o.IsPendingStop) EmitDelta(book, o.Side, level);
        if (level.Queue.Count == 0) ladder.Remove(level);
    }

    // ---------------------------------------------------------------------------------------------
    private static RefLevel Append(List<RefLevel> ladder, RefOrder o, long price, bool stopLadder)
    {
        var level = ladder.FirstOrDefault(l => l.PriceTicks == price);
        if (level == null)
        {
            level = new RefLevel { PriceTicks = price };
            ladder.Add(level);
            // Priority order: bids and sell stops highest first; asks and buy stops lowest first.
            var highestFirst = ReferenceEquals(ladder, o.Book.Bids) || ReferenceEquals(ladder, o.Book.SellStops);
            ladder.Sort((a, b) => highestFirst ? b.PriceTicks.CompareTo(a.PriceTicks) : a.PriceTicks.CompareTo(b.PriceTicks));
        }
        _ = stopLadder;
        level.Queue.Add(o);
        return level;
    }

    private void Emit(MatchingEvent e) => _out.Add(e);

    private void Reject(Command c, RejectReason reason) => Emit(new MatchingEvent
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
    });

    private MatchingEvent OrderEvent(EventKind kind, RefOrder o) => new()
    {
        Kind = kind,
        Sequence = _seq,
        Timestamp = _ts,
        SymbolId = o.Book.Instrument.SymbolId,
        OrderId = o.OrderId,
        UserId = o.UserId,
        ClientOrderId = o.ClientOrderId,
        Side = o.Side,
        OrderType = o.Type,
        PriceTicks = o.PriceTicks,
        QuantityLots = o.QuantityLots,
        FilledLots = o.FilledLots,
        RemainingLots = o.Remaining,
        QuoteAmount = o.QuoteAmount,
    };

    private MatchingEvent Closed(EventKind kind, RefOrder o, CancelReason reason, long quantity) => new()
    {
        Kind = kind,
        Sequence = _seq,
        Timestamp = _ts,
        SymbolId = o.Book.Instrument.SymbolId,
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

    private MatchingEvent Decremented(RefOrder o, long quantity) => new()
    {
        Kind = EventKind.Decremented,
        Sequence = _seq,
        Timestamp = _ts,
        SymbolId = o.Book.Instrument.SymbolId,
        OrderId = o.OrderId,
        UserId = o.UserId,
        ClientOrderId = o.ClientOrderId,
        Side = o.Side,
        OrderType = o.Type,
        PriceTicks = o.PriceTicks,
        QuantityLots = quantity,
        FilledLots = o.FilledLots,
        RemainingLots = o.Type == OrderType.MarketByQuote ? 0 : o.Remaining,
        QuoteAmount = o.Type == OrderType.MarketByQuote ? o.QuoteAmount : 0,
        CancelReason = CancelReason.SelfTradePrevention,
    };

    private MatchingEvent Amended(RefOrder o, bool kept) => new()
    {
        Kind = EventKind.Amended,
        Sequence = _seq,
        Timestamp = _ts,
        SymbolId = o.Book.Instrument.SymbolId,
        OrderId = o.OrderId,
        UserId = o.UserId,
        ClientOrderId = o.ClientOrderId,
        Side = o.Side,
        OrderType = o.Type,
        PriceTicks = o.PriceTicks,
        QuantityLots = o.QuantityLots,
        FilledLots = o.FilledLots,
        RemainingLots = o.Remaining,
        PriorityKept = kept,
    };

    private void EmitDelta(RefBook book, Side side, RefLevel level) => Emit(new MatchingEvent
    {
        Kind = EventKind.BookDelta,
        Sequence = _seq,
        Timestamp = _ts,
        SymbolId = book.Instrument.SymbolId,
        Side = side,
        PriceTicks = level.PriceTicks,
        QuantityLots = level.Total,
        OrderCount = level.Queue.Count,
        UpdateId = ++book.UpdateId,
    });
}
