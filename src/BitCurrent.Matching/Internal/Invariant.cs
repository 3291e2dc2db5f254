using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace BitCurrent.Matching.Internal;

/// <summary>
/// Assertions that stay on in Release: a broken invariant is a programmer error, and going on would corrupt
/// the book. One predictable branch each; the message is built only on failure.
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
        throw new InvariantViolationException($"Matching invariant violated: {expression}");
}
