namespace BitCurrent.Matching.Tests;

/// <summary>
/// Options and instruments at the edges of what is accepted: the limit itself passes, one beyond it is refused with
/// a message naming the field, so a bound that moves by one is caught.
/// </summary>
public sealed class ValidationBoundaryTests
{
    public static TheoryData<string, int, int> Capacities() => new()
    {
        { nameof(MatchingOptions.SymbolsMax), 1, 1 << 16 },
        { nameof(MatchingOptions.OrdersMax), 1, 1 << 28 },
        { nameof(MatchingOptions.OrdersPerBookMax), 1, 1 << 28 },
        { nameof(MatchingOptions.LevelsPerBookMax), 1, 1 << 24 },
        { nameof(MatchingOptions.UsersMax), 1, 1 << 26 },
        { nameof(MatchingOptions.MatchesPerOrderMax), 1, 1 << 24 },
    };

    private static MatchingOptions With(string name, int value) => name switch
    {
        nameof(MatchingOptions.SymbolsMax) => new MatchingOptions { SymbolsMax = value },
        nameof(MatchingOptions.OrdersMax) => new MatchingOptions { OrdersMax = value },
        nameof(MatchingOptions.OrdersPerBookMax) => new MatchingOptions { OrdersPerBookMax = value },
        nameof(MatchingOptions.LevelsPerBookMax) => new MatchingOptions { LevelsPerBookMax = value },
        nameof(MatchingOptions.UsersMax) => new MatchingOptions { UsersMax = value },
        nameof(MatchingOptions.MatchesPerOrderMax) => new MatchingOptions { MatchesPerOrderMax = value },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Capacities))]
    public void Each_capacity_accepts_its_bounds_and_refuses_one_beyond(string name, int min, int max)
    {
        With(name, min).Validate();
        With(name, max).Validate();
        foreach (var bad in new[] { min - 1, max + 1 })
        {
            var e = Assert.Throws<ArgumentException>(() => With(name, bad).Validate());
            Assert.Equal($"{name} must be between {min} and {max}, was {bad}.", e.Message);
        }
    }

    [Fact]
    public void Instrument_bounds_accept_their_edges_and_refuse_one_beyond()
    {
        var ok = Harness.DefaultInstrument();
        ok.Validate();
        (ok with { PriceTicksMin = 1, PriceTicksMax = 1 }).Validate();          // min == max is one valid price
        (ok with { QuantityLotsMin = 1, QuantityLotsMax = 1 }).Validate();
        (ok with { BaseMinorPerLot = 1, QuoteMinorPerTickLot = 1, NotionalMin = 0 }).Validate();

        (Instrument Instrument, string Message)[] refused =
        [
            (ok with { SymbolId = 0 }, "SymbolId must be positive, was 0."),
            (ok with { SymbolId = -1 }, "SymbolId must be positive, was -1."),
            (ok with { Symbol = " " }, "Symbol must not be empty."),
            (ok with { BaseMinorPerLot = 0 }, "SYM1: BaseMinorPerLot must be positive."),
            (ok with { QuoteMinorPerTickLot = 0 }, "SYM1: QuoteMinorPerTickLot must be positive."),
            (ok with { PriceTicksMin = 0 }, "SYM1: price bounds must satisfy 1 <= PriceTicksMin <= PriceTicksMax."),
            (ok with { PriceTicksMin = 10, PriceTicksMax = 9 }, "SYM1: price bounds must satisfy 1 <= PriceTicksMin <= PriceTicksMax."),
            (ok with { QuantityLotsMin = 0 }, "SYM1: quantity bounds must satisfy 1 <= QuantityLotsMin <= QuantityLotsMax."),
            (ok with { QuantityLotsMin = 10, QuantityLotsMax = 9 }, "SYM1: quantity bounds must satisfy 1 <= QuantityLotsMin <= QuantityLotsMax."),
            (ok with { NotionalMin = -1 }, "SYM1: NotionalMin must not be negative."),
        ];
        foreach (var (instrument, message) in refused)
            Assert.Equal(message, Assert.Throws<ArgumentException>(instrument.Validate).Message);
    }

    [Fact]
    public void An_engine_takes_exactly_SymbolsMax_instruments_and_each_symbol_id_once()
    {
        var engine = new MatchingEngine(Harness.SmallOptions with { SymbolsMax = 2 });
        engine.AddInstrument(Harness.DefaultInstrument(1));
        Assert.StartsWith("Symbol id 1 is already used.", Assert.Throws<ArgumentException>(() => engine.AddInstrument(Harness.DefaultInstrument(1))).Message, StringComparison.Ordinal);
        engine.AddInstrument(Harness.DefaultInstrument(2));
        var full = Assert.Throws<InvalidOperationException>(() => engine.AddInstrument(Harness.DefaultInstrument(3)));
        Assert.Equal("The engine already has SymbolsMax = 2 instruments.", full.Message);
        Assert.Equal(0, engine.GetOpenOrderCount(2));
    }
}
