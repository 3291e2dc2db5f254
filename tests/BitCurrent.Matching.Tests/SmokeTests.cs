namespace BitCurrent.Matching.Tests;

public class SmokeTests
{
    [Fact]
    public void Works() => Assert.Equal(1, Placeholder.Value);
}
