using System.Runtime.CompilerServices;

namespace BitCurrent.Matching.Workloads;

/// <summary>
/// A seeded, endless stream of realistic market <see cref="Command"/>s over several symbols, for simulations,
/// benchmarks and replay tests. The same seed, symbol count and options always give the same commands, on any
/// machine; nothing is read from a clock or an ambient random source.
/// </summary>
/// <remarks>
/// <para>The mix, with the default <see cref="MarketWorkloadOptions"/>:</para>
/// <list type="bullet">
/// <item>60 % limit orders that may rest: of those about 80 % GTC, 10 % post-only, 5 % icebergs and 5 % GTD (expiring
/// 1 000 to 100 000 commands later). About one in seven non-post-only limits is priced through the mid, so it trades.</item>
/// <item>10 % takers: 40 % IOC limits through the mid, 40 % market orders by quantity, 20 % market orders by quote amount.</item>
/// <item>25 % cancels of an order the workload believes open: half a random one, half the farther from the mid of two.</item>
/// <item>5 % amends of an open order: a lower quantity (keeps priority) or a new price near the mid (loses it).</item>
/// <item>No stop orders unless <see cref="MarketWorkloadOptions.StopPercent"/> asks for them.</item>
/// </list>
/// <para>Each symbol's mid price walks by one tick at a time and is pulled back towards its start, so prices stay in a
/// band. Bids rest 0 to <see cref="MarketWorkloadOptions.DepthTicks"/> ticks below the mid and asks 1 to
/// <c>DepthTicks + 1</c> above it, mostly near the touch. Users are drawn uniformly from a pool; order ids start at 1
/// and increase by one per place command; sequence numbers start at 1 and timestamps increase by
/// <see cref="MarketWorkloadOptions.TimestampStepNs"/> per command.</para>
/// <para>The workload keeps a fixed table of the orders it believes open, per symbol, that cancels and amends pick from.
/// Run it closed loop (<see cref="Step{TSink}"/>, or <see cref="Observe"/> with every event) and the table is exact: fills,
/// cancels and expiries remove orders, so cancels and amends always find their order, like a trader who reads their
/// execution reports. Run it open loop (<see cref="Next"/> or <see cref="Fill(Span{Command})"/> alone) and filled
/// orders stay in the table, so some later cancels and amends are rejected with <see cref="RejectReason.OrderNotFound"/>.
/// Either way the book is bounded: when a symbol's table holds <see cref="MarketWorkloadOptions.OpenOrdersPerSymbolMax"/>
/// orders, the next command for it cancels a stale one instead, so the engine never holds more than
/// <c>symbols × OpenOrdersPerSymbolMax</c> open orders and <see cref="CreateMatchingOptions"/> can size it.</para>
/// <para>Allocation-free after construction. Generating one command costs some tens of nanoseconds: when timing the
/// engine, record the commands first (<see cref="Fill{TSink}(Span{Command}, MatchingEngine, ref TSink)"/>) and replay them.</para>
/// </remarks>
public sealed class MarketWorkload
{
    /// <summary>The highest price of the instruments made by <see cref="CreateInstruments"/>, in ticks.</summary>
    public const long PriceTicksMax = 1_000_000_000;

    /// <summary>The highest quantity of the instruments made by <see cref="CreateInstruments"/>, in lots.</summary>
    public const long QuantityLotsMax = 1_000_000_000;

    /// <summary>The largest symbol count a workload accepts.</summary>
    public const int SymbolCountMax = 1 << 16;

    // Sub-mixes, in percent.
    private const int PostOnlyPercent = 10;
    private const int IcebergPercent = 5;
    private const int GoodTillDatePercent = 5;
    private const int CrossingPercent = 15;
    private const int ImmediateOrCancelPercent = 40;
    private const int MarketPercent = 40;
    private const int MidStepPercent = 25;

    private readonly MarketWorkloadOptions _options;
    private readonly int _symbolCount;
    private readonly int _trackedPerSymbol;
    private readonly long[] _mid;
    private readonly TrackedOrder[] _tracked; // symbol s owns [s * _trackedPerSymbol, s * _trackedPerSymbol + _trackedCount[s])
    private readonly int[] _trackedCount;
    private readonly OrderPositions _positions;
    private SeededRandom _random;
    private long _sequence;
    private long _timestamp;
    private long _orderId;

    /// <summary>Creates a workload over symbols 1 to <paramref name="symbolCount"/>; allocates its tables now.</summary>
    /// <param name="seed">Determines every command.</param>
    /// <param name="symbolCount">Symbols 1 to this number are traded (the ids of <see cref="CreateInstruments"/>).</param>
    /// <param name="options">The mix and price model; defaults when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="symbolCount"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is inconsistent.</exception>
    public MarketWorkload(ulong seed, int symbolCount, MarketWorkloadOptions? options = null)
    {
        if (symbolCount is < 1 or > SymbolCountMax)
            throw new ArgumentOutOfRangeException(nameof(symbolCount), symbolCount, $"Must be between 1 and {SymbolCountMax}.");
        options ??= new MarketWorkloadOptions();
        options.Validate();
        var trackedMax = (long)symbolCount * options.OpenOrdersPerSymbolMax;
        if (trackedMax > 1 << 28) throw new ArgumentException("Symbols × OpenOrdersPerSymbolMax must be at most 2^28.");
        _options = options;
        _symbolCount = symbolCount;
        _trackedPerSymbol = options.OpenOrdersPerSymbolMax;
        _mid = new long[symbolCount];
        Array.Fill(_mid, options.InitialMidPriceTicks);
        _tracked = new TrackedOrder[trackedMax];
        _trackedCount = new int[symbolCount];
        _positions = new OrderPositions((int)trackedMax);
        _random = new SeededRandom(seed);
        _timestamp = options.StartTimestamp - options.TimestampStepNs;
    }

    /// <summary>The options this workload was made with.</summary>
    public MarketWorkloadOptions Options => _options;

    /// <summary>The number of symbols (ids 1 to this number).</summary>
    public int SymbolCount => _symbolCount;

    /// <summary>How many commands have been generated (also the last sequence number).</summary>
    public long CommandCount => _sequence;

    /// <summary>The last order id used by a place command (0 before the first).</summary>
    public long LastOrderId => _orderId;

    /// <summary>Orders the workload believes open: placed, and not yet seen to close or asked to cancel.</summary>
    public int TrackedOrderCount => _positions.Count;

    /// <summary>The current mid price of a symbol, in ticks.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a symbol of this workload.</exception>
    public long GetMidPriceTicks(int symbolId)
    {
        if (symbolId < 1 || symbolId > _symbolCount)
            throw new ArgumentOutOfRangeException(nameof(symbolId), symbolId, $"Must be between 1 and {_symbolCount}.");
        return _mid[symbolId - 1];
    }

    /// <summary>
    /// The next command, with its sequence number and timestamp set. Its content depends on the seed, on the commands
    /// before it and on the events passed to <see cref="Observe"/> so far.
    /// </summary>
    public Command Next()
    {
        var sequence = ++_sequence;
        var timestamp = _timestamp += _options.TimestampStepNs;
        var s = _random.NextInt32(_symbolCount);
        StepMid(s);

        // The symbol holds as many orders as the workload allows: cancel a stale one (the farthest from the mid of four).
        if (_trackedCount[s] == _trackedPerSymbol) return CancelTracked(s, Stalest(s, 4), sequence, timestamp);

        var roll = _random.NextInt32(100);
        if (roll < _options.LimitPercent) return RestableLimit(s, sequence, timestamp);
        roll -= _options.LimitPercent;
        if (roll < _options.TakerPercent) return Taker(s, sequence, timestamp);
        roll -= _options.TakerPercent;
        if (roll < _options.StopPercent) return StopOrder(s, sequence, timestamp);
        roll -= _options.StopPercent;
        if (_trackedCount[s] == 0) return RestableLimit(s, sequence, timestamp);
        if (roll < _options.CancelPercent)
        {
            // Half the cancels pick any open order, half the farther from the mid of two (a stale quote).
            var index = _random.NextInt32(2) == 0 ? RandomTracked(s) : Stalest(s, 2);
            return CancelTracked(s, index, sequence, timestamp);
        }
        return Amend(s, sequence, timestamp);
    }

    /// <summary>
    /// Open loop: fills <paramref name="destination"/> with the next commands without seeing their outcome, and returns
    /// how many were written (its length). Orders that trade away stay remembered, so later cancels and amends may miss
    /// them (<see cref="RejectReason.OrderNotFound"/>). Prefer <see cref="Fill{TSink}(Span{Command}, MatchingEngine, ref TSink)"/>.
    /// </summary>
    public int Fill(Span<Command> destination)
    {
        for (var i = 0; i < destination.Length; i++) destination[i] = Next();
        return destination.Length;
    }

    /// <summary>
    /// Closed loop: generates the next command, applies it to <paramref name="engine"/> with its events going to
    /// <paramref name="sink"/> and to <see cref="Observe"/>, and returns the command. The engine must have started
    /// with this workload (<see cref="CreateEngine"/>) and been fed only by it.
    /// </summary>
    public Command Step<TSink>(MatchingEngine engine, ref TSink sink) where TSink : IEventSink
    {
        ArgumentNullException.ThrowIfNull(engine);
        var command = Next();
        var feedback = new Feedback<TSink>(this, sink);
        engine.Apply(in command, ref feedback);
        sink = feedback.Inner;
        return command;
    }

    /// <summary>
    /// Closed loop, recorded: runs <see cref="Step{TSink}"/> once per element of <paramref name="destination"/> and stores
    /// the commands there, so that they can be replayed on a fresh engine from <see cref="CreateEngine"/> (which then
    /// reaches the same events and state hash). Returns the number of commands written (the span's length).
    /// </summary>
    public int Fill<TSink>(Span<Command> destination, MatchingEngine engine, ref TSink sink) where TSink : IEventSink
    {
        for (var i = 0; i < destination.Length; i++) destination[i] = Step(engine, ref sink);
        return destination.Length;
    }

    /// <summary>
    /// Feedback: tells the workload what happened to its orders, so that it forgets filled, cancelled, expired and
    /// rejected ones and knows their filled quantity. Call it with every event of the engine, in order (as
    /// <see cref="Step{TSink}"/> does). Never allocates.
    /// </summary>
    public void Observe(in MatchingEvent matchingEvent)
    {
        switch (matchingEvent.Kind)
        {
            case EventKind.Accepted:
                if (_positions.TryGet(matchingEvent.OrderId, out var accepted)) _tracked[accepted].Accepted = true;
                break;
            case EventKind.Rejected:
                // A rejected place never opened. A rejected amend leaves its (accepted) order as it was.
                if (_positions.TryGet(matchingEvent.OrderId, out var rejected) && !_tracked[rejected].Accepted) Untrack(rejected);
                break;
            case EventKind.Trade:
                if (_positions.TryGet(matchingEvent.MakerOrderId, out var maker))
                {
                    if (matchingEvent.MakerRemainingLots == 0) Untrack(maker);
                    else _tracked[maker].FilledLots = _tracked[maker].QuantityLots - matchingEvent.MakerRemainingLots;
                }
                if (_positions.TryGet(matchingEvent.OrderId, out var taker))
                {
                    if (matchingEvent.RemainingLots == 0) Untrack(taker);
                    else _tracked[taker].FilledLots = matchingEvent.FilledLots;
                }
                break;
            case EventKind.Cancelled:
            case EventKind.Expired:
                if (_positions.TryGet(matchingEvent.OrderId, out var closed)) Untrack(closed);
                break;
            case EventKind.Decremented:
                if (_positions.TryGet(matchingEvent.OrderId, out var decremented))
                {
                    if (matchingEvent.RemainingLots == 0) Untrack(decremented);
                    else _tracked[decremented].QuantityLots -= matchingEvent.QuantityLots;
                }
                break;
            case EventKind.Amended:
                if (_positions.TryGet(matchingEvent.OrderId, out var amended))
                {
                    _tracked[amended].PriceTicks = matchingEvent.PriceTicks;
                    _tracked[amended].QuantityLots = matchingEvent.QuantityLots;
                    _tracked[amended].FilledLots = matchingEvent.FilledLots;
                }
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// The instruments for symbols 1 to <paramref name="symbolCount"/>: "S01USDT", "S02USDT", ... with one quote minor unit
    /// per tick-lot, 1 000 base minor units per lot, prices 1 to <see cref="PriceTicksMax"/> ticks, quantities 1 to
    /// <see cref="QuantityLotsMax"/> lots and a minimum notional of 1. Not a hot-path call: it allocates.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="symbolCount"/> is out of range.</exception>
    public static Instrument[] CreateInstruments(int symbolCount)
    {
        if (symbolCount is < 1 or > SymbolCountMax)
            throw new ArgumentOutOfRangeException(nameof(symbolCount), symbolCount, $"Must be between 1 and {SymbolCountMax}.");
        var instruments = new Instrument[symbolCount];
        for (var i = 0; i < symbolCount; i++)
        {
            var id = i + 1;
            var baseAsset = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"S{id:D2}");
            instruments[i] = new Instrument
            {
                SymbolId = id,
                Symbol = baseAsset + "USDT",
                BaseAsset = baseAsset,
                QuoteAsset = "USDT",
                BaseMinorPerLot = 1_000,
                QuoteMinorPerTickLot = 1,
                PriceTicksMin = 1,
                PriceTicksMax = PriceTicksMax,
                QuantityLotsMin = 1,
                QuantityLotsMax = QuantityLotsMax,
                NotionalMin = 1,
            };
        }
        return instruments;
    }

    /// <summary>
    /// Engine capacities for a run of <paramref name="orderCount"/> commands of this workload shape: open orders at most
    /// <c>min(orderCount, symbols × OpenOrdersPerSymbolMax)</c> plus the incoming one, a price level per open order
    /// in the worst case, every user of the pool, and no more symbols than needed. Memory is proportional to the
    /// open-order bound, not to <paramref name="orderCount"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range.</exception>
    public static MatchingOptions CreateMatchingOptions(int symbolCount, long orderCount, MarketWorkloadOptions? options = null)
    {
        if (symbolCount is < 1 or > SymbolCountMax)
            throw new ArgumentOutOfRangeException(nameof(symbolCount), symbolCount, $"Must be between 1 and {SymbolCountMax}.");
        ArgumentOutOfRangeException.ThrowIfLessThan(orderCount, 1);
        options ??= new MarketWorkloadOptions();
        options.Validate();
        var perSymbol = Math.Min(orderCount, options.OpenOrdersPerSymbolMax) + 64;
        var ordersMax = (int)Math.Min(1L << 28, Math.Min(orderCount, (long)symbolCount * options.OpenOrdersPerSymbolMax) + 64);
        return new MatchingOptions
        {
            SymbolsMax = symbolCount,
            OrdersMax = ordersMax,
            OrdersPerBookMax = (int)Math.Min(ordersMax, perSymbol),
            LevelsPerBookMax = (int)Math.Min(ordersMax, perSymbol),
            UsersMax = options.UserCount,
        };
    }

    /// <summary>A new engine with <see cref="CreateMatchingOptions"/> and the <see cref="CreateInstruments"/>. Allocates.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range.</exception>
    public static MatchingEngine CreateEngine(int symbolCount, long orderCount, MarketWorkloadOptions? options = null)
    {
        var engine = new MatchingEngine(CreateMatchingOptions(symbolCount, orderCount, options));
        foreach (var instrument in CreateInstruments(symbolCount)) engine.AddInstrument(instrument);
        return engine;
    }

    // ------------------------------------------------------------------------------------------------

    private void StepMid(int s)
    {
        if (_random.NextInt32(100) >= MidStepPercent) return;
        var band = _options.MidBandTicks;
        if (band == 0) return;
        // Pull towards the start: at the band's edge the walk only moves back.
        var offset = _mid[s] - _options.InitialMidPriceTicks;
        var upPercent = 50 - (int)(offset * 50 / band);
        _mid[s] += _random.NextInt32(100) < upPercent ? 1 : -1;
    }

    /// <summary>A distance from the touch, 0 to DepthTicks - 1, biased towards 0 (the minimum of two uniform draws).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long Distance()
    {
        var depth = _options.DepthTicks;
        return Math.Min(_random.NextInt32(depth), _random.NextInt32(depth));
    }

    /// <summary>A resting price: bids at mid - d, asks at mid + 1 + d.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long PassivePrice(int s, Side side) => side == Side.Buy ? _mid[s] - Distance() : _mid[s] + 1 + Distance();

    /// <summary>A price through the mid: buys at mid + 1 + c, sells at mid - c, c in 0..2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long AggressivePrice(int s, Side side)
    {
        var c = _random.NextInt32(3);
        return side == Side.Buy ? _mid[s] + 1 + c : _mid[s] - c;
    }

    /// <summary>1 to 50 lots, small sizes more likely.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long SmallQuantity() => 1 + Math.Min(_random.NextInt32(50), _random.NextInt32(50));

    private Side NextSide() => _random.NextInt32(2) == 0 ? Side.Buy : Side.Sell;

    private long NextUser() => 1 + _random.NextInt32(_options.UserCount);

    private Command RestableLimit(int s, long sequence, long timestamp)
    {
        var side = NextSide();
        var user = NextUser();
        var orderId = ++_orderId;
        var kind = _random.NextInt32(100);
        var postOnly = false;
        var iceberg = false;
        var timeInForce = TimeInForce.GoodTillCancel;
        var expireAt = 0L;
        long quantity;
        long display = 0;
        if (kind < PostOnlyPercent)
        {
            postOnly = true;
            quantity = SmallQuantity();
        }
        else if (kind < PostOnlyPercent + IcebergPercent)
        {
            iceberg = true;
            quantity = 100 + _random.NextInt32(400);
            display = 10 + _random.NextInt32(20);
        }
        else if (kind < PostOnlyPercent + IcebergPercent + GoodTillDatePercent)
        {
            timeInForce = TimeInForce.GoodTillDate;
            expireAt = timestamp + (_options.TimestampStepNs * (1_000 + _random.NextInt32(99_001)));
            quantity = SmallQuantity();
        }
        else
        {
            quantity = SmallQuantity();
        }
        var price = !postOnly && _random.NextPercent(CrossingPercent) ? AggressivePrice(s, side) : PassivePrice(s, side);
        Track(s, new TrackedOrder(orderId, user, price, quantity, side, iceberg));
        return new Command
        {
            Kind = CommandKind.Place,
            Sequence = sequence,
            Timestamp = timestamp,
            SymbolId = s + 1,
            UserId = user,
            OrderId = orderId,
            Side = side,
            Type = OrderType.Limit,
            TimeInForce = timeInForce,
            SelfTradePrevention = _options.SelfTradePrevention,
            PostOnly = postOnly,
            PriceTicks = price,
            QuantityLots = quantity,
            DisplayLots = display,
            ExpireAt = expireAt,
        };
    }

    private Command Taker(int s, long sequence, long timestamp)
    {
        var side = NextSide();
        var user = NextUser();
        var orderId = ++_orderId;
        var kind = _random.NextInt32(100);
        var command = new Command
        {
            Kind = CommandKind.Place,
            Sequence = sequence,
            Timestamp = timestamp,
            SymbolId = s + 1,
            UserId = user,
            OrderId = orderId,
            Side = side,
            SelfTradePrevention = _options.SelfTradePrevention,
        };
        if (kind < ImmediateOrCancelPercent)
        {
            return command with
            {
                Type = OrderType.Limit,
                TimeInForce = TimeInForce.ImmediateOrCancel,
                PriceTicks = AggressivePrice(s, side),
                QuantityLots = 1 + _random.NextInt32(100),
            };
        }
        if (kind < ImmediateOrCancelPercent + MarketPercent)
            return command with { Type = OrderType.Market, QuantityLots = 1 + _random.NextInt32(100) };
        // Spend or receive about the value of 1 to 100 lots at the mid (one quote minor unit per tick-lot).
        return command with { Type = OrderType.MarketByQuote, QuoteAmount = _mid[s] * (1 + _random.NextInt32(100)) };
    }

    private Command StopOrder(int s, long sequence, long timestamp)
    {
        var side = NextSide();
        var user = NextUser();
        var orderId = ++_orderId;
        // Buy stops above the mid, sell stops below: they trigger when the price moves through them.
        var distance = 2 + Distance();
        var stopPrice = side == Side.Buy ? _mid[s] + distance : _mid[s] - distance;
        var quantity = SmallQuantity();
        var stopLimit = _random.NextInt32(2) == 0;
        // A triggered stop-limit is priced a few ticks through its stop, so it usually trades and may rest.
        var limitPrice = stopLimit ? (side == Side.Buy ? stopPrice + _random.NextInt32(3) : stopPrice - _random.NextInt32(3)) : 0;
        Track(s, new TrackedOrder(orderId, user, stopLimit ? limitPrice : stopPrice, quantity, side, iceberg: false) { Stop = true });
        return new Command
        {
            Kind = CommandKind.Place,
            Sequence = sequence,
            Timestamp = timestamp,
            SymbolId = s + 1,
            UserId = user,
            OrderId = orderId,
            Side = side,
            Type = stopLimit ? OrderType.StopLimit : OrderType.StopMarket,
            TimeInForce = stopLimit ? TimeInForce.GoodTillCancel : 0,
            SelfTradePrevention = _options.SelfTradePrevention,
            PriceTicks = limitPrice,
            StopPriceTicks = stopPrice,
            QuantityLots = quantity,
        };
    }

    private Command CancelTracked(int s, int index, long sequence, long timestamp)
    {
        var order = _tracked[index];
        Untrack(index);
        return new Command
        {
            Kind = CommandKind.Cancel,
            Sequence = sequence,
            Timestamp = timestamp,
            SymbolId = s + 1,
            UserId = order.UserId,
            OrderId = order.OrderId,
        };
    }

    private Command Amend(int s, long sequence, long timestamp)
    {
        ref var order = ref _tracked[RandomTracked(s)];
        // Untriggered stops cannot be amended; the workload does not ask (it may not know whether one has triggered).
        if (order.Stop) return RestableLimit(s, sequence, timestamp);
        long newPrice = 0;
        long newQuantity = 0;
        var remaining = order.QuantityLots - order.FilledLots;
        if (!order.Iceberg && remaining > 1 && _random.NextInt32(2) == 0)
        {
            // Quantity down at the same price, still above the filled part: keeps time priority.
            newQuantity = order.FilledLots + 1 + _random.NextInt64(0, remaining - 1);
            order.QuantityLots = newQuantity;
        }
        else
        {
            // Re-quote near the current mid: loses priority.
            newPrice = PassivePrice(s, order.Side);
            if (newPrice == order.PriceTicks) newPrice += order.Side == Side.Buy ? -1 : 1;
            order.PriceTicks = newPrice;
        }
        return new Command
        {
            Kind = CommandKind.Amend,
            Sequence = sequence,
            Timestamp = timestamp,
            SymbolId = s + 1,
            UserId = order.UserId,
            OrderId = order.OrderId,
            PriceTicks = newPrice,
            QuantityLots = newQuantity,
        };
    }

    // ------------------------------------------------------------------------------------------------
    // The orders the workload believes open: per symbol a compact array (removal moves the last entry into
    // the hole), and a map from order id to array index.
    // ------------------------------------------------------------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int RandomTracked(int s) => (s * _trackedPerSymbol) + _random.NextInt32(_trackedCount[s]);

    /// <summary>Of <paramref name="draws"/> random open orders of the symbol, the index of the one farthest from the mid.</summary>
    private int Stalest(int s, int draws)
    {
        var best = RandomTracked(s);
        var bestDistance = Math.Abs(_tracked[best].PriceTicks - _mid[s]);
        for (var i = 1; i < draws; i++)
        {
            var candidate = RandomTracked(s);
            var distance = Math.Abs(_tracked[candidate].PriceTicks - _mid[s]);
            if (distance > bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private void Track(int s, TrackedOrder order)
    {
        // Next never places an order into a full symbol: it cancels one first.
        var index = (s * _trackedPerSymbol) + _trackedCount[s]++;
        _tracked[index] = order;
        _positions.Add(order.OrderId, index);
    }

    private void Untrack(int index)
    {
        var s = index / _trackedPerSymbol;
        var last = (s * _trackedPerSymbol) + --_trackedCount[s];
        _positions.Remove(_tracked[index].OrderId);
        if (index != last)
        {
            _tracked[index] = _tracked[last];
            _positions.Set(_tracked[index].OrderId, index);
        }
        _tracked[last] = default;
    }

    /// <summary>What the workload knows of an open order it placed. 48 bytes.</summary>
    private struct TrackedOrder(long orderId, long userId, long priceTicks, long quantityLots, Side side, bool iceberg)
    {
        public readonly long OrderId = orderId;
        public readonly long UserId = userId;
        public long PriceTicks = priceTicks;
        public long QuantityLots = quantityLots;
        public long FilledLots;
        public readonly Side Side = side;
        public readonly bool Iceberg = iceberg;
        public bool Accepted;
        public bool Stop;
    }

    /// <summary>Passes events on to the caller's sink and back to the workload.</summary>
    private struct Feedback<TSink>(MarketWorkload workload, TSink inner) : IEventSink where TSink : IEventSink
    {
        public TSink Inner = inner;

        public void OnEvent(in MatchingEvent matchingEvent)
        {
            Inner.OnEvent(in matchingEvent);
            workload.Observe(in matchingEvent);
        }
    }

    /// <summary>
    /// Order id to index, open addressing with linear probing and backward-shift deletion; fixed capacity, load at
    /// most one half. Order ids are positive and dense, so a Fibonacci multiply spreads them well.
    /// </summary>
    private sealed class OrderPositions
    {
        private readonly long[] _keys;
        private readonly int[] _values;
        private readonly int _mask;
        private readonly int _shift;

        public OrderPositions(int capacity)
        {
            var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(8, capacity * 2));
            _keys = new long[size];
            _values = new int[size];
            _mask = size - 1;
            _shift = 64 - System.Numerics.BitOperations.Log2((uint)size);
        }

        public int Count { get; private set; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int Home(long key) => (int)((ulong)key * 0x9E3779B97F4A7C15UL >> _shift);

        public bool TryGet(long key, out int value)
        {
            if (key > 0)
            {
                for (var i = Home(key); ; i = (i + 1) & _mask)
                {
                    var k = _keys[i];
                    if (k == key)
                    {
                        value = _values[i];
                        return true;
                    }
                    if (k == 0) break;
                }
            }
            value = -1;
            return false;
        }

        public void Add(long key, int value)
        {
            var i = Home(key);
            while (_keys[i] != 0) i = (i + 1) & _mask;
            _keys[i] = key;
            _values[i] = value;
            Count++;
        }

        public void Set(long key, int value)
        {
            var i = Home(key);
            while (_keys[i] != key) i = (i + 1) & _mask;
            _values[i] = value;
        }

        public void Remove(long key)
        {
            var i = Home(key);
            while (_keys[i] != key) i = (i + 1) & _mask;
            var hole = i;
            for (var j = (i + 1) & _mask; _keys[j] != 0; j = (j + 1) & _mask)
            {
                var home = Home(_keys[j]);
                // The entry at j may fill the hole unless its home lies cyclically in (hole, j].
                var stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
                if (stays) continue;
                _keys[hole] = _keys[j];
                _values[hole] = _values[j];
                hole = j;
            }
            _keys[hole] = 0;
            _values[hole] = 0;
            Count--;
        }
    }
}
