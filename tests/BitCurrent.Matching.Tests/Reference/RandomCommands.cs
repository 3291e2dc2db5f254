namespace BitCurrent.Matching.Tests.Reference;

/// <summary>
/// Seeded random command streams over every command kind, order type, time in force, self-trade mode, icebergs,
/// expiries, stops, duplicates and malformed commands. Prices stay in a narrow band and there are few users, so
/// that trades, self-trades and triggers happen often.
/// </summary>
internal sealed class RandomCommands
{
    private readonly Random _random;
    private readonly int[] _symbols;
    private readonly List<long> _recentOrderIds = [];
    private long _orderId;
    private long _sequence;
    private long _now = 1_000;

    public RandomCommands(int seed, params int[] symbols)
    {
        _random = new Random(seed);
        _symbols = symbols.Length == 0 ? [1, 2] : symbols;
    }

    public int UsersCount { get; init; } = 4;

    public Command Next()
    {
        var r = _random;
        // Time mostly moves forward, sometimes stands still, rarely goes back (which must be rejected).
        var roll = r.Next(100);
        if (roll < 1) _now -= r.Next(1, 5);
        else if (roll < 80) _now += r.Next(1, 4);
        var c = Build();
        return c.At(++_sequence, _now);
    }

    private long User() => _random.Next(1, UsersCount + 1);

    private int Symbol() => _symbols[_random.Next(_symbols.Length)];

    private long NewOrderId()
    {
        if (_random.Next(100) < 2 && _orderId > 0) return _random.NextInt64(1, _orderId + 1); // not increasing: rejected
        var id = ++_orderId;
        _recentOrderIds.Add(id);
        if (_recentOrderIds.Count > 64) _recentOrderIds.RemoveAt(0);
        return id;
    }

    private long KnownOrderId() =>
        _recentOrderIds.Count == 0 || _random.Next(20) == 0 ? _random.NextInt64(1, _orderId + 10) : _recentOrderIds[_random.Next(_recentOrderIds.Count)];

    private long Price() => _random.Next(92, 109);

    /// <summary>Buys mostly below 100 and sells mostly above, so that the book builds depth and still crosses often.</summary>
    private long Price(Side side) => side == Matching.Side.Buy ? _random.Next(91, 102) : _random.Next(99, 110);

    private long Quantity() => _random.Next(1, 13);

    private SelfTradePrevention Stp() => (SelfTradePrevention)_random.Next(0, 5);

    private long ClientId() => _random.Next(100) < 30 ? _random.Next(1, 16) : 0;

    private Command Build()
    {
        var r = _random;
        var roll = r.Next(1000);
        if (roll < 380) return Limit();
        if (roll < 460) return Command.Market(Symbol(), User(), NewOrderId(), Side(), Quantity(), ClientId(), Stp());
        if (roll < 500) return Command.MarketByQuote(Symbol(), User(), NewOrderId(), Side(), r.Next(50, 3000), ClientId(), Stp());
        if (roll < 580) return Stop();
        if (roll < 760) return Command.Cancel(r.Next(10) == 0 ? User() : 0, KnownOrderId()) with { UserId = User() };
        if (roll < 800) return Command.CancelByClientOrderId(User(), r.Next(0, 16));
        if (roll < 820) return Command.MassCancel(User(), r.Next(3) == 0 ? 0 : Symbol());
        if (roll < 940)
        {
            var price = r.Next(3) == 0 ? 0 : Price();
            var quantity = r.Next(3) == 0 ? 0 : Quantity() + r.Next(0, 6);
            return Command.Amend(User(), KnownOrderId(), price, quantity) with { SymbolId = r.Next(8) == 0 ? Symbol() : 0 };
        }
        if (roll < 960) return Command.Tick();
        return Garbage();
    }

    private Side Side() => _random.Next(2) == 0 ? Matching.Side.Buy : Matching.Side.Sell;

    private Command Limit()
    {
        var r = _random;
        var tifRoll = r.Next(100);
        var tif = tifRoll < 55 ? TimeInForce.GoodTillCancel : tifRoll < 70 ? TimeInForce.ImmediateOrCancel
            : tifRoll < 82 ? TimeInForce.FillOrKill : TimeInForce.GoodTillDate;
        var rests = tif is TimeInForce.GoodTillCancel or TimeInForce.GoodTillDate;
        var quantity = Quantity();
        var display = rests && quantity >= 2 && r.Next(8) == 0 ? r.Next(1, (int)quantity) : 0;
        var postOnly = rests && r.Next(10) == 0;
        var expireAt = tif == TimeInForce.GoodTillDate ? _now + r.Next(1, 60) : 0;
        var side = Side();
        return Command.Limit(Symbol(), User(), NewOrderId(), side, Price(side), quantity, tif, ClientId(), Stp(), postOnly, display, expireAt);
    }

    private Command Stop()
    {
        var r = _random;
        var stopLimit = r.Next(2) == 0;
        var tif = !stopLimit ? TimeInForce.GoodTillCancel : (TimeInForce)r.Next(1, 5);
        var c = Command.Stop(Symbol(), User(), NewOrderId(), Side(), Price(), Quantity(), stopLimit ? Price() : 0, tif, ClientId(), Stp());
        if (!stopLimit) c = c with { TimeInForce = 0 };
        if (tif == TimeInForce.GoodTillDate) c = c with { ExpireAt = _now + r.Next(1, 60) };
        if (stopLimit && tif == TimeInForce.GoodTillCancel && r.Next(6) == 0) c = c with { PostOnly = true };
        return c;
    }

    private Command Garbage()
    {
        var r = _random;
        var c = Limit();
        return r.Next(12) switch
        {
            0 => c with { SymbolId = 99 },
            1 => c with { UserId = 0 },
            2 => c with { OrderId = -5 },
            3 => c with { Side = (Matching.Side)7 },
            4 => c with { Type = (OrderType)9 },
            5 => c with { TimeInForce = (TimeInForce)0 },
            6 => c with { SelfTradePrevention = (SelfTradePrevention)9 },
            7 => c with { PriceTicks = 0 },
            8 => c with { QuantityLots = 0 },
            9 => c with { Kind = (CommandKind)42 },
            10 => c with { DisplayLots = c.QuantityLots },
            _ => c with { ExpireAt = 5 },
        };
    }
}
