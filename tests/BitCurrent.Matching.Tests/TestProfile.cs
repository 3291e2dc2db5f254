namespace BitCurrent.Matching.Tests;

/// <summary>
/// How much work the long tests do. Normal runs (./test.sh, CI, dotnet test) use the full sizes. Mutation testing
/// (./mutate.sh sets BITCURRENT_TEST_PROFILE=quick) reruns the suite once per mutant, so there the long streams are
/// shortened: the same tests and assertions on fewer commands. Fewer inputs can only kill fewer mutants, so a score
/// measured this way is a lower bound of the full suite's.
/// </summary>
internal static class TestProfile
{
    public static bool Quick { get; } =
        string.Equals(Environment.GetEnvironmentVariable("BITCURRENT_TEST_PROFILE"), "quick", StringComparison.OrdinalIgnoreCase);

    /// <summary><paramref name="full"/> normally; a fifth of it (at least <paramref name="minimum"/>) in the quick profile.</summary>
    public static int Scale(int full, int minimum = 1) => Quick ? Math.Max(minimum, full / 5) : full;
}
