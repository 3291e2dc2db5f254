namespace BitCurrent.Matching.Workloads;

/// <summary>
/// The shape of a <see cref="MarketWorkload"/>: the command mix, the user pool, the price model and the clock.
/// The defaults give the mix described on <see cref="MarketWorkload"/>.
/// </summary>
public sealed record MarketWorkloadOptions
{
    /// <summary>Percent of commands that are limit orders which may rest (GTC, post-only, iceberg, GTD).</summary>
    public int LimitPercent { get; init; } = 60;

    /// <summary>Percent of commands that are taker orders (IOC limit, market by quantity, market by quote).</summary>
    public int TakerPercent { get; init; } = 10;

    /// <summary>
    /// Percent of commands that are stop orders (half stop-market, half stop-limit), 0 by default. A stop whose price
    /// the last trade has already reached is rejected with <see cref="RejectReason.StopWouldTriggerImmediately"/>.
    /// </summary>
    public int StopPercent { get; init; }

    /// <summary>Percent of commands that cancel an order the workload placed earlier.</summary>
    public int CancelPercent { get; init; } = 25;

    /// <summary>Percent of commands that amend an order the workload placed earlier (price, or quantity down).</summary>
    public int AmendPercent { get; init; } = 5;

    /// <summary>Users are drawn uniformly from ids 1 to this number.</summary>
    public int UserCount { get; init; } = 1_000;

    /// <summary>
    /// How many open orders the workload keeps per symbol, in a fixed table that cancels and amends pick from. It
    /// bounds the book: when a symbol's table is full, the next command for that symbol cancels one of its stalest
    /// orders instead, so a symbol never has more than this many open orders (like a venue's per-book order limit).
    /// </summary>
    public int OpenOrdersPerSymbolMax { get; init; } = 4_096;

    /// <summary>The self-trade prevention mode of every order (a small <see cref="UserCount"/> makes it fire often).</summary>
    public SelfTradePrevention SelfTradePrevention { get; init; } = SelfTradePrevention.CancelNewest;

    /// <summary>The mid price every symbol starts at, in ticks; the mid walks within ±<see cref="MidBandTicks"/> of it.</summary>
    public long InitialMidPriceTicks { get; init; } = 100_000;

    /// <summary>How far the mid may wander from <see cref="InitialMidPriceTicks"/>, in ticks (it is pulled back towards it).</summary>
    public long MidBandTicks { get; init; } = 500;

    /// <summary>Resting limit prices lie 0 to this many ticks behind the mid (small distances are more likely).</summary>
    public int DepthTicks { get; init; } = 32;

    /// <summary>The first command's timestamp, in nanoseconds since the Unix epoch (default 2023-11-14T22:13:20Z).</summary>
    public long StartTimestamp { get; init; } = 1_700_000_000_000_000_000;

    /// <summary>The timestamp increases by this many nanoseconds per command; no clock is read.</summary>
    public long TimestampStepNs { get; init; } = 1_000;

    /// <summary>Throws <see cref="ArgumentException"/> when an option is out of range.</summary>
    public void Validate()
    {
        if (LimitPercent < 0 || TakerPercent < 0 || StopPercent < 0 || CancelPercent < 0 || AmendPercent < 0 ||
            LimitPercent + TakerPercent + StopPercent + CancelPercent + AmendPercent != 100)
            throw new ArgumentException("The command mix percentages must be non-negative and add up to 100.");
        if (UserCount is < 1 or > 1 << 24) throw new ArgumentException($"UserCount must be between 1 and {1 << 24}, was {UserCount}.");
        if (OpenOrdersPerSymbolMax is < 1 or > 1 << 20)
            throw new ArgumentException($"OpenOrdersPerSymbolMax must be between 1 and {1 << 20}, was {OpenOrdersPerSymbolMax}.");
        if (DepthTicks is < 1 or > 1 << 16) throw new ArgumentException($"DepthTicks must be between 1 and {1 << 16}, was {DepthTicks}.");
        if (SelfTradePrevention > SelfTradePrevention.Decrement)
            throw new ArgumentException($"SelfTradePrevention must be one of the defined modes, was {SelfTradePrevention}.");
        if (MidBandTicks < 0) throw new ArgumentException($"MidBandTicks must not be negative, was {MidBandTicks}.");
        if (InitialMidPriceTicks - MidBandTicks - (2L * DepthTicks) - 64 < 1 || InitialMidPriceTicks > MarketWorkload.PriceTicksMax / 2)
            throw new ArgumentException(
                $"InitialMidPriceTicks must leave room for the band and depth above 1 tick and be at most {MarketWorkload.PriceTicksMax / 2}.");
        if (StartTimestamp < 0) throw new ArgumentException($"StartTimestamp must not be negative, was {StartTimestamp}.");
        if (TimestampStepNs is < 1 or > 1_000_000_000_000)
            throw new ArgumentException($"TimestampStepNs must be between 1 and 10^12, was {TimestampStepNs}.");
    }
}
