namespace BitCurrent.Matching;

/// <summary>Temporary.</summary>
public static class Placeholder
{
    /// <summary>Temporary.</summary>
    public static int Value => 1;
}
