using BitCurrent.Matching;
using BitCurrent.Matching.Workloads;

namespace BitCurrent.Bench.Benchmarks;

/// <summary>Counts events; cheap enough not to hide the engine's cost, and keeps its work observable.</summary>
internal struct CountingSink : IEventSink
{
    public long Events;
    public long Trades;

    public void OnEvent(in MatchingEvent matchingEvent)
    {
        Events++;
        if (matchingEvent.Kind == EventKind.Trade) Trades++;
    }
}

/// <summary>Builds commands for one symbol with increasing order ids, sequence numbers and timestamps.</summary>
internal sealed class CommandFactory
{
    public const int SymbolId = 1;
    private long _sequence;
    private long _orderId;

    public long LastOrderId => _orderId;

    public Command Limit(Side side, long priceTicks, long quantityLots, long userId,
        TimeInForce timeInForce = TimeInForce.GoodTillCancel) => Stamp(new Command
        {
            Kind = CommandKind.Place,
            SymbolId = SymbolId,
            UserId = userId,
            OrderId = ++_orderId,
            Side = side,
            Type = OrderType.Limit,
            TimeInForce = timeInForce,
            SelfTradePrevention = SelfTradePrevention.CancelNewest,
            PriceTicks = priceTicks,
            QuantityLots = quantityLots,
        });

    public Command Market(Side side, long quantityLots, long userId) => Stamp(new Command
    {
        Kind = CommandKind.Place,
        SymbolId = SymbolId,
        UserId = userId,
        OrderId = ++_orderId,
        Side = side,
        Type = OrderType.Market,
        SelfTradePrevention = SelfTradePrevention.CancelNewest,
        QuantityLots = quantityLots,
    });

    public Command Cancel(long userId, long orderId) => Stamp(new Command
    {
        Kind = CommandKind.Cancel,
        SymbolId = SymbolId,
        UserId = userId,
        OrderId = orderId,
    });

    private Command Stamp(Command command)
    {
        var sequence = ++_sequence;
        return command with { Sequence = sequence, Timestamp = 1_700_000_000_000_000_000 + (sequence * 1_000) };
    }
}

/// <summary>
/// The book the micro-benchmarks start from: one symbol, bids at 99 901..100 000 and asks at 100 001..100 100 ticks,
/// <see cref="OrdersPerLevel"/> orders of <see cref="Quantity"/> lots per level from users 1..100. The benchmarks add
/// and remove their own orders around it and leave it as they found it after every iteration.
/// </summary>
internal static class BookSetup
{
    public const long BestBid = 100_000;
    public const long BestAsk = 100_001;
    public const int Levels = 100;
    public const int OrdersPerLevel = 10;
    public const long Quantity = 10;
    public const int MakerUsers = 100;

    /// <summary>A user that never rests orders, so self-trade prevention never fires.</summary>
    public const long TakerUser = 1_000;

    public static MatchingEngine Create(int ordersMax, int levelsPerBookMax)
    {
        var engine = new MatchingEngine(new MatchingOptions
        {
            SymbolsMax = 1,
            OrdersMax = ordersMax,
            OrdersPerBookMax = ordersMax,
            LevelsPerBookMax = levelsPerBookMax,
            UsersMax = 2_048,
            MatchesPerOrderMax = 1 << 16,
        });
        engine.AddInstrument(MarketWorkload.CreateInstruments(1)[0]);
        return engine;
    }

    /// <summary>Adds the standard book; <paramref name="withAsks"/> false leaves the ask side empty.</summary>
    public static void Seed(MatchingEngine engine, CommandFactory factory, bool withAsks = true)
    {
        var sink = default(CountingSink);
        for (var level = 0; level < Levels; level++)
        {
            for (var i = 0; i < OrdersPerLevel; i++)
            {
                var user = 1 + ((level * OrdersPerLevel) + i) % MakerUsers;
                var bid = factory.Limit(Side.Buy, BestBid - level, Quantity, user);
                engine.Apply(in bid, ref sink);
                if (!withAsks) continue;
                var ask = factory.Limit(Side.Sell, BestAsk + level, Quantity, user);
                engine.Apply(in ask, ref sink);
            }
        }
        if (sink.Trades != 0) throw new InvalidOperationException("The seed book must not trade.");
    }
}

/// <summary>
/// Brings the measured code to its final tier before BenchmarkDotNet starts: with one invocation per iteration
/// (needed by [IterationSetup]) its own warm-up is too short for tiered compilation and dynamic PGO to finish,
/// and the first iterations would measure tier-0 code. Runs the round, waits for the background compiler
/// (the call-counting delay is 100 ms), and runs it again.
/// </summary>
internal static class JitWarmup
{
    public static void Run(Action round, int rounds = 20)
    {
        for (var pass = 0; pass < 3; pass++)
        {
            for (var i = 0; i < rounds; i++) round();
            Thread.Sleep(250);
        }
    }
}
