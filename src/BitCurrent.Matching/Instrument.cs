namespace BitCurrent.Matching;

/// <summary>
/// A tradable pair. Prices are integer ticks and quantities integer lots; the two scales tie them to the
/// assets' minor units (satoshis, cents, ...):
/// one lot is <see cref="BaseMinorPerLot"/> base minor units, and one lot at a price of one tick costs
/// <see cref="QuoteMinorPerTickLot"/> quote minor units. The notional of <c>q</c> lots at <c>p</c> ticks is
/// <c>p * q * QuoteMinorPerTickLot</c> quote minor units.
/// </summary>
/// <example>
/// BTC/USDT with 0.001 BTC lots and a 0.01 USDT tick, BTC in satoshis and USDT with 8 decimals:
/// <c>BaseMinorPerLot = 100_000</c>, <c>QuoteMinorPerTickLot = 1_000</c> (0.01 x 0.001 = 0.00001 USDT).
/// </example>
public sealed record Instrument
{
    /// <summary>A positive id, unique in the engine.</summary>
    public required int SymbolId { get; init; }

    /// <summary>A display name such as "BTCUSDT".</summary>
    public required string Symbol { get; init; }

    /// <summary>The base asset's code, e.g. "BTC".</summary>
    public required string BaseAsset { get; init; }

    /// <summary>The quote asset's code, e.g. "USDT".</summary>
    public required string QuoteAsset { get; init; }

    /// <summary>Base minor units in one lot.</summary>
    public long BaseMinorPerLot { get; init; } = 1;

    /// <summary>Quote minor units that one lot costs at a price of one tick.</summary>
    public long QuoteMinorPerTickLot { get; init; } = 1;

    /// <summary>The lowest accepted limit or stop price, in ticks (at least 1).</summary>
    public long PriceTicksMin { get; init; } = 1;

    /// <summary>The highest accepted limit or stop price, in ticks.</summary>
    public long PriceTicksMax { get; init; } = long.MaxValue / 4;

    /// <summary>The smallest accepted order quantity, in lots (at least 1).</summary>
    public long QuantityLotsMin { get; init; } = 1;

    /// <summary>The largest accepted order quantity, in lots.</summary>
    public long QuantityLotsMax { get; init; } = long.MaxValue / 4;

    /// <summary>The smallest accepted notional of a limit order (and quote amount of a market-by-quote order), in quote minor units.</summary>
    public long NotionalMin { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> when the specification is inconsistent.</summary>
    public void Validate()
    {
        if (SymbolId <= 0) throw new ArgumentException($"SymbolId must be positive, was {SymbolId}.");
        if (string.IsNullOrWhiteSpace(Symbol)) throw new ArgumentException("Symbol must not be empty.");
        if (BaseMinorPerLot <= 0) throw new ArgumentException($"{Symbol}: BaseMinorPerLot must be positive.");
        if (QuoteMinorPerTickLot <= 0) throw new ArgumentException($"{Symbol}: QuoteMinorPerTickLot must be positive.");
        if (PriceTicksMin < 1 || PriceTicksMax < PriceTicksMin)
            throw new ArgumentException($"{Symbol}: price bounds must satisfy 1 <= PriceTicksMin <= PriceTicksMax.");
        if (QuantityLotsMin < 1 || QuantityLotsMax < QuantityLotsMin)
            throw new ArgumentException($"{Symbol}: quantity bounds must satisfy 1 <= QuantityLotsMin <= QuantityLotsMax.");
        if (NotionalMin < 0) throw new ArgumentException($"{Symbol}: NotionalMin must not be negative.");
    }
}
