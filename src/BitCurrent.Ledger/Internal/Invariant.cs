using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace BitCurrent.Ledger.Internal;

/// <summary>
/// Assertions that stay on in Release: a broken invariant is a programmer error and going on would corrupt the
/// ledger. One predictable branch each; the message is built only on failure.
/// </summary>
internal static class Invariant
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Assert([DoesNotReturnIf(false)] bool condition, [CallerArgumentExpression(nameof(condition))] string expression = "")
    {
        if (!condition) Fail(expression);
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void Fail(string expression) =>
        throw new LedgerInvariantException($"Ledger invariant violated: {expression}");
}

/// <summary>Cold throw paths kept out of line.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void DestinationTooShort(string parameter, int bytes) =>
        throw new ArgumentException($"The destination needs at least {bytes} bytes.", parameter);

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void SourceTooShort(string parameter, int bytes) =>
        throw new ArgumentException($"The source needs at least {bytes} bytes.", parameter);

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void BatchTooLarge(int count, int max) =>
        throw new ArgumentOutOfRangeException("batch", count, $"A batch holds at most {max} items (LedgerEngineOptions.BatchItemsMax).");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void ResultsTooShort(int count, int length) =>
        throw new ArgumentException($"The results span holds {length} items but the batch has {count}.", "results");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void Failed() =>
        throw new LedgerInvariantException("The engine failed an invariant check earlier and refuses further calls: restore it from a snapshot and the journal.");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void TimestampNotIncreasing(ulong timestamp, ulong last) =>
        throw new LedgerInvariantException($"Ledger invariant violated: batch timestamp {timestamp} must be greater than the last assigned timestamp {last}.");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void TimestampOverflow(ulong timestamp, int count) =>
        throw new LedgerInvariantException($"Ledger invariant violated: batch timestamp {timestamp} + {count} items overflows 64 bits.");
}
