using System.Numerics;
using System.Runtime.CompilerServices;

namespace BitCurrent.Matching.Workloads;

/// <summary>
/// A small deterministic pseudo-random generator: xoshiro256** (Blackman and Vigna, 2018) whose 256-bit state is
/// filled from a 64-bit seed by SplitMix64. Integer arithmetic only, so the same seed gives the same sequence on
/// every machine and every .NET version (unlike <c>System.Random</c>, whose algorithm is not specified).
/// </summary>
/// <remarks>
/// A mutable struct of 32 bytes: keep it in a field (not <c>readonly</c>) or a local and call its methods on that
/// storage; a copy continues the sequence independently. About 1 ns per number; never allocates.
/// Not cryptographically secure.
/// </remarks>
public struct SeededRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Creates a generator whose sequence is fully determined by <paramref name="seed"/>.</summary>
    public SeededRandom(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
        // SplitMix64 never yields four zero words in a row, so the state is never all zero.
    }

    /// <summary>The next 64 uniformly distributed bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>
    /// A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias (Lemire's multiply-shift
    /// with rejection; the rejection branch is taken with probability below 2^-32 × <paramref name="maxExclusive"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> is not positive.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int NextInt32(int maxExclusive)
    {
        if (maxExclusive <= 0) ThrowNotPositive(nameof(maxExclusive));
        var bound = (uint)maxExclusive;
        var product = (ulong)(uint)(NextUInt64() >> 32) * bound;
        if ((uint)product < bound)
        {
            var threshold = (0u - bound) % bound;
            while ((uint)product < threshold) product = (ulong)(uint)(NextUInt64() >> 32) * bound;
        }
        return (int)(product >> 32);
    }

    /// <summary>A uniform integer in [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is empty.</exception>
    public long NextInt64(long minInclusive, long maxExclusive)
    {
        if (maxExclusive <= minInclusive) ThrowNotPositive(nameof(maxExclusive));
        var bound = (ulong)(maxExclusive - minInclusive);
        var high = Math.BigMul(NextUInt64(), bound, out var low);
        if (low < bound)
        {
            var threshold = (0UL - bound) % bound;
            while (low < threshold) high = Math.BigMul(NextUInt64(), bound, out low);
        }
        return minInclusive + (long)high;
    }

    /// <summary>True with probability <paramref name="percent"/> / 100.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool NextPercent(int percent) => NextInt32(100) < percent;

    /// <summary>One step of SplitMix64 (Steele, Lea and Flood, 2014): advances <paramref name="state"/> and returns a mixed value.</summary>
    public static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotPositive(string name) =>
        throw new ArgumentOutOfRangeException(name, "The range must not be empty.");
}
