using BitCurrent.Custody.Internal;
using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

/// <summary>CScriptNum (Bitcoin Core script.h): little-endian sign-magnitude, the sign in the top bit of the last byte, minimal
/// when the last byte carries more than the sign unless the byte before needs its top bit.</summary>
public class ScriptNumberEdgeTests
{
    [Theory]
    [InlineData(0L, "")]
    [InlineData(1L, "01")]
    [InlineData(-1L, "81")]
    [InlineData(-2L, "82")]
    [InlineData(-5L, "85")]
    [InlineData(127L, "7f")]
    [InlineData(-127L, "ff")]
    [InlineData(128L, "8000")]
    [InlineData(-128L, "8080")]
    [InlineData(255L, "ff00")]
    [InlineData(-255L, "ff80")]
    [InlineData(256L, "0001")]
    [InlineData(-256L, "0081")]
    [InlineData(32767L, "ff7f")]
    [InlineData(32768L, "008000")]
    [InlineData(-32768L, "008080")]
    [InlineData(-197121L, "010283")]
    [InlineData(2147483647L, "ffffff7f")]
    [InlineData(-2147483647L, "ffffffff")]
    [InlineData(-2147483648L, "0000008080")]
    [InlineData(long.MaxValue, "ffffffffffffff7f")]
    [InlineData(long.MinValue + 1, "ffffffffffffffff")]
    [InlineData(long.MinValue, "000000000000008080")]
    public void Encode_is_minimal_sign_magnitude(long value, string hex)
    {
        Assert.Equal(hex, ToHex(ScriptNumber.Encode(value)));
    }

    [Theory]
    [InlineData("", 0L)]
    [InlineData("01", 1L)]
    [InlineData("81", -1L)]
    [InlineData("7f", 127L)]
    [InlineData("ff", -127L)]
    [InlineData("8000", 128L)]
    [InlineData("8080", -128L)]
    [InlineData("ff80", -255L)]
    [InlineData("0001", 256L)]
    [InlineData("0102", 513L)]
    [InlineData("0081", -256L)]
    [InlineData("010203", 197121L)]
    [InlineData("010283", -197121L)]
    [InlineData("ffffff7f", 2147483647L)]
    [InlineData("ffffffff", -2147483647L)]
    [InlineData("00000080", -0L)]
    public void Decode_reads_four_byte_numbers(string hex, long expected)
    {
        Assert.True(ScriptNumber.TryDecode(Hex(hex), 4, requireMinimal: false, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("00", 0L)]
    [InlineData("80", 0L)] // negative zero
    [InlineData("0100", 1L)]
    [InlineData("0180", -1L)]
    [InlineData("0080", 0L)]
    [InlineData("01000000", 1L)]
    [InlineData("7f00", 127L)]
    public void Non_minimal_encodings_decode_without_the_minimal_rule_and_are_refused_with_it(string hex, long lax)
    {
        Assert.True(ScriptNumber.TryDecode(Hex(hex), 4, requireMinimal: false, out var value));
        Assert.Equal(lax, value);
        Assert.False(ScriptNumber.TryDecode(Hex(hex), 4, requireMinimal: true, out value));
        Assert.Equal(0, value);
    }

    [Theory]
    [InlineData("", 0L)]
    [InlineData("8000", 128L)] // the zero byte is needed: 0x80 alone would be -0
    [InlineData("8080", -128L)]
    [InlineData("ff00", 255L)]
    [InlineData("ff80", -255L)]
    [InlineData("00008000", 8388608L)]
    public void Minimal_encodings_whose_last_byte_is_only_a_sign_are_accepted(string hex, long expected)
    {
        Assert.True(ScriptNumber.TryDecode(Hex(hex), 4, requireMinimal: true, out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Size_limit_is_inclusive()
    {
        Assert.True(ScriptNumber.TryDecode(Hex("ffffff7f"), 4, requireMinimal: true, out var four));
        Assert.Equal(int.MaxValue, four);
        Assert.False(ScriptNumber.TryDecode(Hex("ffffffff00"), 4, requireMinimal: true, out var five));
        Assert.Equal(0, five);
        Assert.False(ScriptNumber.TryDecode(Hex("0100000000"), 4, requireMinimal: false, out _));
        Assert.True(ScriptNumber.TryDecode(Hex("ffffffff00"), 5, requireMinimal: true, out var wide));
        Assert.Equal(4294967295L, wide);
        Assert.True(ScriptNumber.TryDecode(Hex("ffffffff80"), 5, requireMinimal: true, out var wideNegative));
        Assert.Equal(-4294967295L, wideNegative);
        Assert.False(ScriptNumber.TryDecode(Hex("01"), 0, requireMinimal: false, out _));
        Assert.True(ScriptNumber.TryDecode([], 0, requireMinimal: true, out var empty));
        Assert.Equal(0, empty);
    }

    [Fact]
    public void Encode_then_decode_round_trips_and_is_minimal()
    {
        long[] edges = [int.MinValue + 1, int.MaxValue, -8388609, -8388608, 8388607, 8388608, -65537, -65536, 65535, 65536, -32769, 32768];
        foreach (var v in Enumerable.Range(-1100, 2201).Select(i => (long)i).Concat(edges))
        {
            var encoded = ScriptNumber.Encode(v);
            Assert.True(ScriptNumber.TryDecode(encoded, 4, requireMinimal: true, out var decoded), $"{v}");
            Assert.Equal(v, decoded);
        }
    }
}
