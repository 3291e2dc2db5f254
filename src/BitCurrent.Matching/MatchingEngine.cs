using System.Runtime.CompilerServices;
using BitCurrent.Matching.Internal;

namespace BitCurrent.Matching;

/// <summary>
/// The matching engine: many instruments, one thread. Apply commands in sequence order with
/// <see cref="Apply{TSink}(in Command, ref TSink)"/>; every outcome is written to the caller's sink.
/// </summary>
/// <remarks>
/// <para>Deterministic: the engine never reads a clock or a random source, so the same commands give the same
/// events and the same <see cref="ComputeStateHash"/>, on any machine, after any snapshot and restore.</para>
/// <para>Allocation-free after construction: every pool is sized from <see cref="MatchingOptions"/> and a full
/// pool rejects the command (2xxx reasons). Not thread-safe: one instance belongs to one thread.</para>
/// </remarks>
public sealed partial class MatchingEngine
{
    private readonly MatchingOptions _options;
    private readonly Order[] _orders;
    private readonly int[] _freeOrders;
    private int _freeOrderCount;
    private readonly Level[] _levels;
    private int _freeLevel;
    private int _levelsInUse;
    private readonly UserSlot[] _users;
    private int _userCount;
    private readonly LongIntMap _userIndex;
    private readonly LongIntMap _orderIndex;
    private readonly PairIntMap _clientOrderIndex;
    private readonly ExpiryHeap _expiries;
    private readonly Book?[] _books;
    private readonly LongIntMap _bookIndex;
    private readonly List<Book> _bookList = [];
    private readonly int[] _triggerQueue;
    private int _triggerHead;
    private int _triggerCount;

    // Engine-wide counters (part of the state, snapshotted and hashed).
    private long _lastTimestamp;
    private long _lastSequence;
    private long _lastOrderId;
    private long _acceptSeq;
    private long _tradeId;

    // The command being applied.
    private long _sequence;
    private long _timestamp;

    /// <summary>Creates an engine with capacities from <paramref name="options"/>; allocates everything now.</summary>
    public MatchingEngine(MatchingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _orders = new Order[options.OrdersMax];
        _freeOrders = new int[options.OrdersMax];
        for (var i = 0; i < options.OrdersMax; i++) _freeOrders[i] = options.OrdersMax - 1 - i;
        _freeOrderCount = options.OrdersMax;
        // Each book side and stop side may hold LevelsPerBookMax levels, but never more levels than orders exist.
        var levelCount = (int)Math.Min((long)options.OrdersMax, 4L * options.LevelsPerBookMax * options.SymbolsMax);
        _levels = new Level[levelCount];
        for (var i = 0; i < levelCount; i++) _levels[i].NextFree = i + 1 < levelCount ? i + 1 : -1;
        _freeLevel = 0;
        _users = new UserSlot[options.UsersMax];
        _userIndex = new LongIntMap(options.UsersMax);
        _orderIndex = new LongIntMap(options.OrdersMax);
        _clientOrderIndex = new PairIntMap(options.OrdersMax);
        _expiries = new ExpiryHeap(options.OrdersMax);
        _books = new Book?[options.SymbolsMax];
        _bookIndex = new LongIntMap(options.SymbolsMax);
        _triggerQueue = new int[options.OrdersMax];
    }

    /// <summary>The capacities this engine was built with.</summary>
    public MatchingOptions Options => _options;

    /// <summary>The instruments, in the order they were added.</summary>
    public IReadOnlyList<Instrument> Instruments
    {
        get
        {
            var list = new Instrument[_bookList.Count];
            for (var i = 0; i < list.Length; i++) list[i] = _bookList[i].Instrument;
            return list;
        }
    }

    /// <summary>The timestamp of the last applied command.</summary>
    public long LastTimestamp => _lastTimestamp;

    /// <summary>The sequence number of the last applied command.</summary>
    public long LastSequence => _lastSequence;

    /// <summary>The highest accepted order id; a new order's id must be greater.</summary>
    public long LastOrderId => _lastOrderId;

    /// <summary>The id of the last trade (trade ids start at 1 and increase by one).</summary>
    public long LastTradeId => _tradeId;

    /// <summary>Open orders (resting and untriggered stops) in the whole engine.</summary>
    public int OpenOrderCount => _options.OrdersMax - _freeOrderCount;

    /// <summary>Adds an instrument. Not a hot-path call: it allocates the book's ladders.</summary>
    /// <exception cref="ArgumentException">The instrument is invalid or its symbol id is taken.</exception>
    /// <exception cref="InvalidOperationException">The engine already has <see cref="MatchingOptions.SymbolsMax"/> instruments.</exception>
    public void AddInstrument(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        instrument.Validate();
        if (_bookIndex.TryGet(instrument.SymbolId, out _))
            throw new ArgumentException($"Symbol id {instrument.SymbolId} is already used.", nameof(instrument));
        if (_bookList.Count >= _options.SymbolsMax)
            throw new InvalidOperationException($"The engine already has SymbolsMax = {_options.SymbolsMax} instruments.");
        var book = new Book(instrument, _bookList.Count, _options.LevelsPerBookMax);
        _books[book.Index] = book;
        _bookList.Add(book);
        _bookIndex.TryAdd(instrument.SymbolId, book.Index);
    }

    /// <summary>
    /// Applies one command and writes its events to <paramref name="sink"/>. GTD orders whose expiry is at or
    /// before the command's timestamp expire first (time passing is not an effect of the command, so this
    /// happens even when the command is then rejected).
    /// </summary>
    public void Apply<TSink>(in Command command, ref TSink sink) where TSink : IEventSink
    {
        _sequence = command.Sequence;
        _timestamp = command.Timestamp;
        if (command.Timestamp < _lastTimestamp)
        {
            Reject(in command, RejectReason.TimestampNotMonotonic, ref sink);
            return;
        }
        _lastTimestamp = command.Timestamp;
        _lastSequence = command.Sequence;
        if (_expiries.Count > 0 && _expiries.MinExpireAt <= command.Timestamp) ExpireDue(ref sink);

        switch (command.Kind)
        {
            case CommandKind.Place:
                Place(in command, ref sink);
                break;
            case CommandKind.Cancel:
                Cancel(in command, ref sink);
                break;
            case CommandKind.CancelByClientOrderId:
                CancelByClientOrderId(in command, ref sink);
                break;
            case CommandKind.MassCancel:
                MassCancel(in command, ref sink);
                break;
            case CommandKind.Amend:
                Amend(in command, ref sink);
                break;
            case CommandKind.Tick:
                break;
            default:
                Reject(in command, RejectReason.UnknownCommandKind, ref sink);
                break;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Queries
    // ------------------------------------------------------------------------------------------------

    /// <summary>The best bid of a symbol, if any.</summary>
    public bool TryGetBestBid(int symbolId, out PriceLevel level) => TryGetBest(symbolId, Side.Buy, out level);

    /// <summary>The best ask of a symbol, if any.</summary>
    public bool TryGetBestAsk(int symbolId, out PriceLevel level) => TryGetBest(symbolId, Side.Sell, out level);

    private bool TryGetBest(int symbolId, Side side, out PriceLevel level)
    {
        level = default;
        if (!TryGetBook(symbolId, out var book)) return false;
        var ladder = book.Resting(side);
        if (ladder.Count == 0) return false;
        ref var l = ref _levels[ladder.LevelAt(ladder.BestIndex)];
        level = new PriceLevel(l.PriceTicks, l.TotalLots, l.Count);
        return true;
    }

    /// <summary>
    /// Copies up to <c>levels.Length</c> levels of one side, best first, and returns how many were written.
    /// Pair with <see cref="GetUpdateId"/> to rebuild depth from a snapshot plus <see cref="EventKind.BookDelta"/> events.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown symbol.</exception>
    public int GetDepth(int symbolId, Side side, Span<PriceLevel> levels)
    {
        var book = RequireBook(symbolId);
        var ladder = book.Resting(side);
        var n = Math.Min(levels.Length, ladder.Count);
        for (var i = 0; i < n; i++)
        {
            ref var l = ref _levels[ladder.LevelAt(ladder.Count - 1 - i)];
            levels[i] = new PriceLevel(l.PriceTicks, l.TotalLots, l.Count);
        }
        return n;
    }

    /// <summary>The symbol's last L2 update id: the <see cref="MatchingEvent.UpdateId"/> of its latest delta.</summary>
    /// <exception cref="ArgumentException">Unknown symbol.</exception>
    public long GetUpdateId(int symbolId) => RequireBook(symbolId).UpdateId;

    /// <summary>The price of the symbol's last trade, or 0 when it has not traded.</summary>
    /// <exception cref="ArgumentException">Unknown symbol.</exception>
    public long GetLastTradePrice(int symbolId) => RequireBook(symbolId).LastTradePrice;

    /// <summary>Open orders (resting and untriggered stops) in one symbol.</summary>
    /// <exception cref="ArgumentException">Unknown symbol.</exception>
    public int GetOpenOrderCount(int symbolId) => RequireBook(symbolId).OrderCount;

    /// <summary>The state of an open order. Closed orders (filled, cancelled, expired) are not held by the engine.</summary>
    public bool TryGetOrder(long orderId, out OrderView order)
    {
        order = default;
        if (orderId <= 0 || !_orderIndex.TryGet(orderId, out var slot)) return false;
        order = View(slot);
        return true;
    }

    private OrderView View(int slot)
    {
        ref var o = ref _orders[slot];
        return new OrderView
        {
            OrderId = o.OrderId,
            UserId = o.UserId,
            ClientOrderId = o.ClientOrderId,
            SymbolId = _books[o.Book]!.SymbolId,
            Side = o.Side,
            Type = o.Type,
            TimeInForce = o.TimeInForce,
            SelfTradePrevention = o.SelfTradePrevention,
            PostOnly = o.PostOnly,
            PriceTicks = o.PriceTicks,
            StopPriceTicks = o.StopPriceTicks,
            QuantityLots = o.QuantityLots,
            FilledLots = o.FilledLots,
            VisibleLots = o.VisibleLots,
            DisplayLots = o.DisplayLots,
            ExpireAt = o.ExpireAt,
            State = o.State,
        };
    }

    private Book RequireBook(int symbolId) =>
        TryGetBook(symbolId, out var book) ? book : throw new ArgumentException($"Unknown symbol id {symbolId}.", nameof(symbolId));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryGetBook(int symbolId, out Book book)
    {
        if (symbolId > 0 && _bookIndex.TryGet(symbolId, out var index))
        {
            book = _books[index]!;
            return true;
        }
        book = null!;
        return false;
    }
}

/// <summary>One price level as seen by queries.</summary>
/// <param name="PriceTicks">The level's price.</param>
/// <param name="QuantityLots">Total visible quantity.</param>
/// <param name="OrderCount">Orders in the queue.</param>
public readonly record struct PriceLevel(long PriceTicks, long QuantityLots, int OrderCount);

/// <summary>An open order as seen by <see cref="MatchingEngine.TryGetOrder"/>.</summary>
public readonly record struct OrderView
{
    /// <summary>The order id.</summary>
    public long OrderId { get; init; }

    /// <summary>The owner.</summary>
    public long UserId { get; init; }

    /// <summary>The owner's client order id (0 = none).</summary>
    public long ClientOrderId { get; init; }

    /// <summary>The instrument.</summary>
    public int SymbolId { get; init; }

    /// <summary>Buy or sell.</summary>
    public Side Side { get; init; }

    /// <summary>The order type (stop orders keep their stop type until triggered).</summary>
    public OrderType Type { get; init; }

    /// <summary>Time in force.</summary>
    public TimeInForce TimeInForce { get; init; }

    /// <summary>Self-trade prevention mode.</summary>
    public SelfTradePrevention SelfTradePrevention { get; init; }

    /// <summary>Whether the order is post-only.</summary>
    public bool PostOnly { get; init; }

    /// <summary>Limit price in ticks (0 for stop-market).</summary>
    public long PriceTicks { get; init; }

    /// <summary>Stop price in ticks (stop orders).</summary>
    public long StopPriceTicks { get; init; }

    /// <summary>Total quantity (after amendments and self-trade decrements).</summary>
    public long QuantityLots { get; init; }

    /// <summary>Filled so far.</summary>
    public long FilledLots { get; init; }

    /// <summary>Open quantity: <see cref="QuantityLots"/> - <see cref="FilledLots"/>.</summary>
    public long RemainingLots => QuantityLots - FilledLots;

    /// <summary>Quantity shown in the book (less than remaining for icebergs).</summary>
    public long VisibleLots { get; init; }

    /// <summary>Iceberg display quantity (0 = not an iceberg).</summary>
    public long DisplayLots { get; init; }

    /// <summary>Expiry of a GTD order.</summary>
    public long ExpireAt { get; init; }

    /// <summary>New, partially filled or pending trigger.</summary>
    public OrderState State { get; init; }
}
