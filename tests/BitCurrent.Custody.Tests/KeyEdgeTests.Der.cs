using BitCurrent.Custody.Internal;
using Org.BouncyCastle.Math;
using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

/// <summary>Edges of the signature encodings: the strict DER check one rule at a time (Bitcoin Core's
/// IsValidSignatureEncoding, BIP-66), Core's lax DER parser (ecdsa_signature_parse_der_lax), the 64-byte compact form and
/// the low-S boundary.</summary>
public class KeyEdgeDerTests
{
    // Each row breaks one rule of IsValidSignatureEncoding (Core's order of checks). The signature has no hashtype byte;
    // the test also checks it with a hashtype byte appended, which must not change the answer.
    [Theory]
    [InlineData("3006020101020101", true, "r = 1, s = 1: the shortest valid signature (9 bytes with the hashtype)")]
    [InlineData("", false, "empty")]
    [InlineData("30050201010200", false, "8 bytes with the hashtype: below the minimum of 9")]
    [InlineData("3106020101020101", false, "not a SEQUENCE")]
    [InlineData("3007020101020101", false, "the SEQUENCE length is not the length of the rest")]
    [InlineData("3006020301020101", false, "R's length reaches the byte where S's length should be")]
    [InlineData("3006020401020101", false, "R's length runs past the end")]
    [InlineData("3006020101020201", false, "the lengths of R and S do not add up to the SEQUENCE")]
    [InlineData("3006030101020101", false, "R is not an INTEGER")]
    [InlineData("3006020002020101", false, "R is empty")]
    [InlineData("3006020181020101", false, "R is negative")]
    [InlineData("300702020001020101", false, "R has a 0x00 pad it does not need")]
    [InlineData("300702020080020101", true, "R = 0x80 needs its 0x00 pad")]
    [InlineData("3006020100020101", true, "R = 0 in one byte is well-formed (its range is checked elsewhere)")]
    [InlineData("3006020101030101", false, "S is not an INTEGER")]
    [InlineData("3006020201010200", false, "S is empty")]
    [InlineData("3006020101020181", false, "S is negative")]
    [InlineData("300702010102020001", false, "S has a 0x00 pad it does not need")]
    [InlineData("300702010102020080", true, "S = 0x80 needs its 0x00 pad")]
    [InlineData("3006020101020100", true, "S = 0 in one byte")]
    public void Strict_der_check_applies_each_rule_of_bitcoin_core(string hex, bool valid, string rule)
    {
        var sig = Hex(hex);
        Assert.Equal((rule, valid), (rule, EcdsaSignature.IsStrictDer(sig, hasHashType: false)));
        Assert.Equal((rule + ", with a hashtype byte", valid), (rule + ", with a hashtype byte", EcdsaSignature.IsStrictDer([.. sig, 0x01], hasHashType: true)));
    }

    [Fact]
    public void Strict_der_check_reads_the_last_byte_as_the_hashtype_only_when_told()
    {
        // The 8-byte minimum without a hashtype is only 7 bytes of signature once its last byte is taken as the hashtype.
        Assert.False(EcdsaSignature.IsStrictDer(Hex("3006020101020101"), hasHashType: true));
        Assert.True(EcdsaSignature.IsStrictDer(Hex("300602010102010101"), hasHashType: true));
        Assert.False(EcdsaSignature.IsStrictDer(Hex("300602010102010101"), hasHashType: false));
    }

    [Fact]
    public void Strict_der_check_accepts_73_bytes_with_the_hashtype_and_refuses_74()
    {
        // 33-byte R and S (0x00 pad, top bit set) make the longest valid signature: 72 bytes, 73 with the hashtype.
        var longest = Der([0x00, .. Filled(32, 0xff)], [0x00, .. Filled(32, 0xff)]);
        Assert.Equal(72, longest.Length);
        Assert.True(EcdsaSignature.IsStrictDer(longest, hasHashType: false));
        Assert.True(EcdsaSignature.IsStrictDer([.. longest, 0x01], hasHashType: true));
        // One more byte in S: well-formed in every other respect, but past Core's limit of 73.
        var tooLong = Der([0x00, .. Filled(32, 0xff)], [0x00, .. Filled(33, 0xff)]);
        Assert.Equal(73, tooLong.Length);
        Assert.False(EcdsaSignature.IsStrictDer(tooLong, hasHashType: false));
        Assert.False(EcdsaSignature.IsStrictDer([.. tooLong, 0x01], hasHashType: true));
    }

    [Fact]
    public void Strict_der_parse_also_needs_r_and_s_in_1_to_n_minus_1()
    {
        var one = EcdsaSignature.FromDer(Hex("3006020101020101"));
        Assert.Equal("0000000000000000000000000000000000000000000000000000000000000001" + "0000000000000000000000000000000000000000000000000000000000000001", ToHex(one.ToCompact()));
        // Well-formed DER whose values are out of range: r = 0, s = 0, r = n, s = n.
        Assert.False(EcdsaSignature.TryFromDer(Hex("3006020100020101"), out var parsed));
        Assert.Null(parsed);
        Assert.False(EcdsaSignature.TryFromDer(Hex("3006020101020100"), out parsed));
        Assert.Null(parsed);
        Assert.False(EcdsaSignature.TryFromDer(Der([0x00, .. Hex(KeyEdge.NHex)], [0x01]), out _));
        Assert.False(EcdsaSignature.TryFromDer(Der([0x01], [0x00, .. Hex(KeyEdge.NHex)]), out _));
        // n - 1 is the largest value allowed for both.
        Assert.True(EcdsaSignature.TryFromDer(Der([0x00, .. Hex(KeyEdge.NMinus1Hex)], [0x00, .. Hex(KeyEdge.NMinus1Hex)]), out parsed));
        Assert.Equal(KeyEdge.NMinus1Hex, ToHex(parsed.RBytes()));
        Assert.Equal(KeyEdge.NMinus1Hex, ToHex(parsed.SBytes()));
        KeyEdge.AssertThrows<SignatureFormatException>(CustodyError.SignatureInvalidDer, "strict DER", () => EcdsaSignature.FromDer(Hex("3006020100020101")));
    }

    [Fact]
    public void Strict_der_parse_refuses_what_the_strict_check_refuses()
    {
        Assert.False(EcdsaSignature.TryFromDer(Hex("300702020001020101"), out var parsed)); // needless pad on R
        Assert.Null(parsed);
        Assert.False(EcdsaSignature.TryFromDer([], out parsed));
        Assert.Null(parsed);
        KeyEdge.AssertThrows<SignatureFormatException>(CustodyError.SignatureInvalidDer, "strict DER", () => EcdsaSignature.FromDer(Hex("300702020001020101")));
        // The same bytes are readable by the lax parser.
        Assert.NotNull(EcdsaSignature.ParseLaxDer(Hex("300702020001020101")));
    }

    [Fact]
    public void Der_of_bitcoin_core_deterministic_signature_round_trips()
    {
        // key_tests.cpp: key1's signature of "Very deterministic message".
        var der = Hex(KeyEdge.CoreKey1DetSigDer);
        var signature = EcdsaSignature.FromDer(der);
        Assert.Equal("5dbbddda71772d95ce91cd2d14b592cfbc1dd0aabd6a394b6c2d377bbe59d31d", ToHex(signature.RBytes()));
        Assert.Equal("14ddda21494a4e221f0824f0b8b924c43fa43c0ad57dccdaa11f81a6bd4582f6", ToHex(signature.SBytes()));
        Assert.Equal(der, signature.ToDer());
        Assert.Equal(KeyEdge.CoreKey1DetSigDer, signature.ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(65)]
    public void Compact_signature_must_be_64_bytes(int length)
    {
        var ex = Assert.Throws<SignatureFormatException>(() => EcdsaSignature.FromCompact(new byte[length]));
        Assert.Equal(CustodyError.SignatureInvalidCompact, ex.Reason);
        Assert.Contains("64 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00", "01")]
    [InlineData("01", "00")]
    [InlineData(KeyEdge.NHex, "01")]
    [InlineData("01", KeyEdge.NHex)]
    public void Compact_signature_needs_r_and_s_in_1_to_n_minus_1(string r, string s)
    {
        var ex = Assert.Throws<SignatureFormatException>(() => EcdsaSignature.FromCompact(Compact(r, s)));
        Assert.Equal(CustodyError.SignatureInvalidCompact, ex.Reason);
        Assert.Contains("out of range", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compact_signature_with_n_minus_1_round_trips()
    {
        var compact = Compact(KeyEdge.NMinus1Hex, "01");
        var signature = EcdsaSignature.FromCompact(compact);
        Assert.Equal(compact, signature.ToCompact());
        Assert.Equal(KeyEdge.NMinus1Hex, ToHex(signature.RBytes()));
        Assert.Equal("0000000000000000000000000000000000000000000000000000000000000001", ToHex(signature.SBytes()));
    }

    [Fact]
    public void Low_s_boundary_is_half_n_inclusive_and_normalizing_mirrors_s_around_it()
    {
        // n = 2·halfN + 1, so n − (halfN + 1) = halfN.
        var atHalf = EcdsaSignature.FromCompact(Compact("05", KeyEdge.HalfNHex));
        Assert.True(atHalf.IsLowS);
        Assert.Same(atHalf, atHalf.NormalizeLowS());
        var aboveHalf = EcdsaSignature.FromCompact(Compact("05", KeyEdge.HalfNPlus1Hex));
        Assert.False(aboveHalf.IsLowS);
        var normalized = aboveHalf.NormalizeLowS();
        Assert.True(normalized.IsLowS);
        Assert.Equal(KeyEdge.HalfNHex, ToHex(normalized.SBytes()));
        Assert.Equal(aboveHalf.RBytes(), normalized.RBytes());
    }

    [Fact]
    public void Low_r_means_below_2_to_the_255()
    {
        Assert.True(EcdsaSignature.FromCompact(Compact("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "01")).IsLowR);
        Assert.False(EcdsaSignature.FromCompact(Compact("8000000000000000000000000000000000000000000000000000000000000000", "01")).IsLowR);
    }

    [Fact]
    public void Signatures_are_equal_only_when_r_and_s_both_are()
    {
        var a = EcdsaSignature.FromCompact(Compact("01", "02"));
        Assert.True(a.Equals(EcdsaSignature.FromCompact(Compact("01", "02"))));
        Assert.Equal(a.GetHashCode(), EcdsaSignature.FromCompact(Compact("01", "02")).GetHashCode());
        Assert.False(a.Equals(EcdsaSignature.FromCompact(Compact("03", "02"))));
        Assert.False(a.Equals(EcdsaSignature.FromCompact(Compact("01", "03"))));
        Assert.False(a.Equals((EcdsaSignature?)null));
        Assert.False(a.Equals((object)"3006020101020102"));
    }

    // Core's ecdsa_signature_parse_der_lax: null where Core returns 0 (unreadable structure); otherwise r,s in hex, with
    // "0,0" where Core substitutes its "correctly parsed but invalid" signature for values that overflow.
    [Theory]
    [InlineData("3006020101020101", "1,1", "strict DER")]
    [InlineData("", null, "empty")]
    [InlineData("30", null, "no SEQUENCE length")]
    [InlineData("3106020101020101", null, "not a SEQUENCE")]
    [InlineData("3000020101020101", "1,1", "the SEQUENCE length value is not checked")]
    [InlineData("308106020101020101", "1,1", "long-form SEQUENCE length: its length bytes are skipped")]
    [InlineData("308202", null, "the SEQUENCE's length bytes run past the end")]
    [InlineData("3000", null, "no R")]
    [InlineData("3006030101020101", null, "R is not an INTEGER")]
    [InlineData("300102", null, "no R length")]
    [InlineData("300402050101", null, "R is longer than the input")]
    [InlineData("300702810101020101", "1,1", "long-form R length")]
    [InlineData("30020284", null, "R's length bytes run past the end")]
    [InlineData("300a02840000000101020101", "1,1", "zero bytes leading R's long-form length are skipped")]
    [InlineData("3006028480000000", null, "R's length needs four significant bytes")]
    [InlineData("300a02050000000001020101", "1,1", "zero bytes leading R's value are skipped")]
    [InlineData("3006020181020101", "81,1", "R's sign bit is ignored: the value is unsigned")]
    [InlineData("3005020101", null, "no S")]
    [InlineData("3006020101030101", null, "S is not an INTEGER")]
    [InlineData("300502010102", null, "no S length")]
    [InlineData("3006020101020501", null, "S is longer than the input")]
    [InlineData("30050201010284", null, "S's length bytes run past the end")]
    [InlineData("3009020101028401000000", null, "S's length needs four significant bytes")]
    [InlineData("300802010102820000", "1,0", "S's long-form length is two zero bytes: s = 0")]
    [InlineData("3006020101020100", "1,0", "s = 0 as the last byte of the input")]
    [InlineData("3006020101020101ffff", "1,1", "bytes after S are ignored")]
    public void Lax_der_parser_follows_bitcoin_core(string hex, string? expected, string rule) =>
        Assert.Equal((rule, expected), (rule, Describe(EcdsaSignature.ParseLaxDer(Hex(hex)))));

    [Fact]
    public void Lax_der_parser_turns_values_of_n_or_more_into_the_invalid_zero_signature()
    {
        Assert.Equal("0,0", Describe(EcdsaSignature.ParseLaxDer(Der([0x00, .. Hex(KeyEdge.NHex)], [0x01]))));
        Assert.Equal("0,0", Describe(EcdsaSignature.ParseLaxDer(Der([0x01], [0x00, .. Hex(KeyEdge.NHex)]))));
        Assert.Equal("0,0", Describe(EcdsaSignature.ParseLaxDer(Der(Filled(32, 0xff), [0x01]))));
        Assert.Equal(KeyEdge.NMinus1Hex + ",1", Describe(EcdsaSignature.ParseLaxDer(Der([0x00, .. Hex(KeyEdge.NMinus1Hex)], [0x01]))));
        Assert.Equal("1," + KeyEdge.NMinus1Hex, Describe(EcdsaSignature.ParseLaxDer(Der([0x01], Hex(KeyEdge.NMinus1Hex)))));
        // 33 significant bytes (2^256) overflow whatever their value.
        byte[] twoTo256 = [0x01, .. new byte[32]];
        Assert.Equal("0,0", Describe(EcdsaSignature.ParseLaxDer(Der(twoTo256, [0x01]))));
        Assert.Equal("0,0", Describe(EcdsaSignature.ParseLaxDer(Der([0x01], twoTo256))));
    }

    [Fact]
    public void Lax_der_parser_reads_a_two_byte_length_of_r()
    {
        // R written as 256 bytes (length 0x82 0x01 0x00): 224 zero bytes, then n − 1. Core strips the zeros and keeps the value.
        byte[] r = [0x02, 0x82, 0x01, 0x00, .. new byte[224], .. Hex(KeyEdge.NMinus1Hex)];
        byte[] input = [0x30, 0x82, 0x01, 0x07, .. r, 0x02, 0x01, 0x01];
        Assert.Equal(KeyEdge.NMinus1Hex + ",1", Describe(EcdsaSignature.ParseLaxDer(input)));
    }

    [Fact]
    public void Curve_constants_are_those_of_sec2()
    {
        Assert.Equal(KeyEdge.NHex, Secp256k1.N.ToString(16));
        Assert.Equal(KeyEdge.HalfNHex, Secp256k1.HalfN.ToString(16));
        Assert.Equal(KeyEdge.PHex, Secp256k1.P.ToString(16));
    }

    private static string? Describe(EcdsaSignature? signature) =>
        signature is null ? null : $"{signature.R.ToString(16)},{signature.S.ToString(16)}";

    private static byte[] Der(byte[] r, byte[] s) => [0x30, (byte)(4 + r.Length + s.Length), 0x02, (byte)r.Length, .. r, 0x02, (byte)s.Length, .. s];

    private static byte[] Compact(string rHex, string sHex) =>
        [.. Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(32, new BigInteger(rHex, 16)),
         .. Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(32, new BigInteger(sHex, 16))];
}
