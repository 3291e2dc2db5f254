using BitCurrent.Custody.Internal;
using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

// CompactSize as Bitcoin Core's serialize.h defines it: one byte below 253, else 0xfd + uint16, 0xfe + uint32 or
// 0xff + uint64 (little-endian). ReadCompactSize refuses an encoding longer than needed ("non-canonical
// ReadCompactSize()") and, with range_check, any value above MAX_SIZE = 0x02000000 ("size too large").
public partial class TransactionEdgeTests
{
    private static ulong ReadCompactSize(string hex, bool rangeCheck)
    {
        var bytes = Hex(hex);
        var reader = new ByteReader(bytes);
        var value = reader.ReadCompactSize(rangeCheck);
        Assert.Equal(bytes.Length, reader.Position);
        return value;
    }

    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(252UL, "fc")]
    [InlineData(253UL, "fdfd00")]
    [InlineData(254UL, "fdfe00")]
    [InlineData(0xfffeUL, "fdfeff")]
    [InlineData(0xffffUL, "fdffff")]
    [InlineData(0x10000UL, "fe00000100")]
    [InlineData(0x02000000UL, "fe00000002")]
    [InlineData(0xffffffffUL, "feffffffff")]
    [InlineData(0x100000000UL, "ff0000000001000000")]
    [InlineData(ulong.MaxValue, "ffffffffffffffffff")]
    public void Compact_size_is_written_in_its_shortest_form_at_every_width_boundary(ulong value, string hex)
    {
        var writer = new ByteWriter();
        writer.WriteCompactSize(value);
        Assert.Equal(hex, ToHex(writer.ToArray()));
        Assert.Equal(hex.Length / 2, writer.Length);
    }

    [Theory]
    [InlineData("00", 0UL)]
    [InlineData("fc", 252UL)]
    [InlineData("fdfd00", 253UL)]
    [InlineData("fdffff", 0xffffUL)]
    [InlineData("fe00000100", 0x10000UL)]
    [InlineData("fe00000002", 0x02000000UL)] // MAX_SIZE itself passes the range check
    public void Canonical_compact_sizes_up_to_max_size_read_back_with_the_range_check(string hex, ulong value)
    {
        Assert.Equal(value, ReadCompactSize(hex, rangeCheck: true));
        Assert.Equal(value, ReadCompactSize(hex, rangeCheck: false));
    }

    [Theory]
    [InlineData("fe01000002", 0x02000001UL)]
    [InlineData("feffffffff", 0xffffffffUL)]
    [InlineData("ff0000000001000000", 0x100000000UL)]
    [InlineData("ffffffffffffffffff", ulong.MaxValue)]
    public void Values_above_max_size_are_refused_by_the_range_check_only(string hex, ulong value)
    {
        Assert.Throws<NonCanonicalException>(() => ReadCompactSize(hex, rangeCheck: true));
        Assert.Equal(value, ReadCompactSize(hex, rangeCheck: false));
    }

    [Theory]
    [InlineData("fd0000")] // 0 in three bytes
    [InlineData("fdfc00")] // 252 in three bytes
    [InlineData("fe00000000")] // 0 in five bytes
    [InlineData("feffff0000")] // 0xffff in five bytes
    [InlineData("ff0000000000000000")] // 0 in nine bytes
    [InlineData("ffffffff0100000000")] // 0x01ffffff in nine bytes
    [InlineData("ffffffffff00000000")] // 0xffffffff in nine bytes
    public void Non_minimal_encodings_are_refused_with_or_without_the_range_check(string hex)
    {
        Assert.Throws<NonCanonicalException>(() => ReadCompactSize(hex, rangeCheck: true));
        Assert.Throws<NonCanonicalException>(() => ReadCompactSize(hex, rangeCheck: false));
    }

    [Theory]
    [InlineData("")]
    [InlineData("fd")]
    [InlineData("fdfd")]
    [InlineData("fe000001")]
    [InlineData("ff00000000010000")]
    public void A_compact_size_cut_short_is_end_of_data(string hex)
    {
        Assert.Throws<EndOfDataException>(() => ReadCompactSize(hex, rangeCheck: false));
    }

    [Fact]
    public void Var_bytes_read_exactly_their_length_and_refuse_a_length_past_the_end()
    {
        var reader = new ByteReader(Hex("03aabbcc00dd"));
        Assert.Equal("aabbcc", ToHex(reader.ReadVarBytes()));
        Assert.Equal(4, reader.Position);
        Assert.Empty(reader.ReadVarBytes());
        Assert.Equal(1, reader.Remaining);
        Assert.Throws<EndOfDataException>(() => new ByteReader(Hex("03aabb")).ReadVarBytes());
        Assert.Throws<NonCanonicalException>(() => new ByteReader(Hex("fd0300aabbcc")).ReadVarBytes());
    }
}
