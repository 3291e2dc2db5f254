namespace BitCurrent.Matching;

/// <summary>
/// The engine's capacities. Everything is allocated once, in the constructor, from these numbers; when a
/// limit is reached the command is rejected with a 2xxx reason, the engine never grows.
/// </summary>
/// <remarks>
/// Memory, roughly: 136 bytes per order slot plus about 70 bytes of indexes and queues per slot, 32 bytes per
/// level, 12 bytes per level per ladder (four ladders per book), 48 bytes per user.
/// </remarks>
public sealed record MatchingOptions
{
    /// <summary>The largest number of instruments.</summary>
    public int SymbolsMax { get; init; } = 64;

    /// <summary>Open orders (resting and untriggered stops) in the whole engine.</summary>
    public int OrdersMax { get; init; } = 1 << 20;

    /// <summary>Open orders in one book, stops included.</summary>
    public int OrdersPerBookMax { get; init; } = 1 << 20;

    /// <summary>Price levels in one book side (and in one stop side).</summary>
    public int LevelsPerBookMax { get; init; } = 1 << 14;

    /// <summary>Distinct users the engine will ever see.</summary>
    public int UsersMax { get; init; } = 1 << 16;

    /// <summary>
    /// Resting orders one incoming order may match (trades and self-trade actions). When reached, the incoming
    /// order's remainder is cancelled with <see cref="CancelReason.MatchLimitReached"/>; a fill-or-kill order
    /// that would need more is rejected. This bounds the events of one order to about 3 x this number.
    /// </summary>
    public int MatchesPerOrderMax { get; init; } = 1 << 12;

    /// <summary>Throws <see cref="ArgumentException"/> when a capacity is out of range.</summary>
    public void Validate()
    {
        Check(SymbolsMax, 1, 1 << 16, nameof(SymbolsMax));
        Check(OrdersMax, 1, 1 << 28, nameof(OrdersMax));
        Check(OrdersPerBookMax, 1, 1 << 28, nameof(OrdersPerBookMax));
        Check(LevelsPerBookMax, 1, 1 << 24, nameof(LevelsPerBookMax));
        Check(UsersMax, 1, 1 << 26, nameof(UsersMax));
        Check(MatchesPerOrderMax, 1, 1 << 24, nameof(MatchesPerOrderMax));

        static void Check(int value, int min, int max, string name)
        {
            if (value < min || value > max)
                throw new ArgumentException($"{name} must be between {min} and {max}, was {value}.");
        }
    }
}
