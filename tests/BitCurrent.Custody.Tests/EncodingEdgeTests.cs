using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

/// <summary>Edge cases of the encodings (Base58, bech32, BIP-380 checksums): each limit, each branch, each typed error.
/// Expected strings come from the BIPs, from Bitcoin Core's documentation or from the BIP reference code (segwit_addr.py,
/// Core's test_framework/descriptors.py) run outside this repository; small ones are worked out by hand in the comments.</summary>
public partial class EncodingEdgeTests
{
    private const string Base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private const string Bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    // ---- Base58 ----

    [Theory]
    [InlineData("", "")]
    [InlineData("00", "1")]
    [InlineData("000001", "112")]
    [InlineData("39", "z")] // 57 is the last digit
    [InlineData("3a", "21")] // 58 = 1·58 + 0
    [InlineData("ff", "5Q")] // 255 = 4·58 + 23
    [InlineData("0100", "5R")] // 256 = 4·58 + 24
    public void Base58_small_values_encode_and_decode_digit_by_digit(string hex, string text)
    {
        Assert.Equal(text, Base58.Encode(Hex(hex)));
        Assert.Equal(hex, ToHex(Base58.Decode(text)));
    }

    [Fact]
    public void Every_Base58_alphabet_character_decodes_to_its_index()
    {
        Assert.Equal([0], Base58.Decode("1")); // '1' is a leading zero byte
        for (var i = 1; i < Base58Alphabet.Length; i++)
        {
            Assert.True(Base58.TryDecode(Base58Alphabet[i].ToString(), out var value), Base58Alphabet[i].ToString());
            Assert.Equal([(byte)i], value);
            Assert.Equal(Base58Alphabet[i].ToString(), Base58.Encode([(byte)i]));
        }
    }

    [Fact]
    public void Every_character_outside_the_Base58_alphabet_is_refused()
    {
        var refused = 0;
        for (var c = (char)0; c < 0x100; c++)
        {
            if (Base58Alphabet.Contains(c, StringComparison.Ordinal))
            {
                continue;
            }
            // Between two digits, so that white space is refused as well (only the outer white space is trimmed).
            Assert.False(Base58.TryDecode("2" + c + "2", out var result), $"U+{(int)c:X4}");
            Assert.Empty(result);
            refused++;
        }
        Assert.Equal(256 - 58, refused);
        Assert.False(Base58.TryDecode("0", out _)); // the four look-alikes 0, O, I, l are not in the alphabet
        Assert.False(Base58.TryDecode("O", out _));
        Assert.False(Base58.TryDecode("I", out _));
        Assert.False(Base58.TryDecode("l", out _));
        Assert.False(Base58.TryDecode("\u0100", out _));
        Assert.False(Base58.TryDecode("\uFF12", out _)); // full-width '2'
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("\t")]
    [InlineData("\n")]
    [InlineData("\v")]
    [InlineData("\f")]
    [InlineData("\r")]
    public void Base58_ignores_Bitcoin_Core_white_space_around_the_text_but_not_inside(string space)
    {
        // Bitcoin Core's IsSpace: exactly these six characters, skipped before and after the digits.
        Assert.Equal([0, 57], Base58.Decode(space + space + "1z" + space));
        Assert.False(Base58.TryDecode("1" + space + "z", out _));
    }

    [Theory]
    [InlineData("\u00A0")] // no-break space
    [InlineData("\u2003")] // em space
    [InlineData("\u0085")] // next line
    public void Base58_does_not_trim_other_unicode_white_space(string space)
    {
        Assert.False(Base58.TryDecode(space + "2", out _));
        Assert.False(Base58.TryDecode("2" + space, out _));
    }

    [Fact]
    public void Base58_refuses_null_text()
    {
        Assert.Throws<ArgumentNullException>(() => Base58.TryDecode(null!, out _));
        Assert.Throws<ArgumentNullException>(() => Base58.Decode(null!));
    }

    [Fact]
    public void Base58_decode_of_a_bad_character_throws_a_typed_error_naming_the_alphabet()
    {
        var e = Assert.Throws<EncodingFormatException>(() => Base58.Decode("2O"));
        Assert.Equal(CustodyError.Base58InvalidCharacter, e.Reason);
        Assert.Contains("alphabet", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Base58_keeps_every_leading_zero_byte_and_nothing_more()
    {
        // 0x00 0x00 0x3a 0x00: two '1's, then 58·256 = 14848 = 4·58² + 24·58 + 0 → "5R1".
        Assert.Equal("115R1", Base58.Encode(Hex("00003a00")));
        Assert.Equal("00003a00", ToHex(Base58.Decode("115R1")));
        Assert.Equal("1111", Base58.Encode(new byte[4]));
        Assert.Equal(new byte[4], Base58.Decode("1111"));
    }

    [Fact]
    public void Base58Check_of_an_empty_payload_is_the_encoded_checksum_alone()
    {
        // SHA-256d("") starts 5d f6 e0 e2.
        Assert.Equal("3QJmnh", Base58.EncodeCheck([]));
        Assert.Equal(CustodyError.None, Base58.TryDecodeCheck("3QJmnh", out var payload));
        Assert.Empty(payload);
    }

    [Theory]
    [InlineData("", CustodyError.Base58InvalidLength)] // 0 bytes
    [InlineData("111", CustodyError.Base58InvalidLength)] // 3 bytes: shorter than a checksum
    [InlineData("1111", CustodyError.Base58ChecksumMismatch)] // 4 bytes: checksum 00000000 of "" does not match 5df6e0e2
    [InlineData("3QJmnj", CustodyError.Base58ChecksumMismatch)]
    [InlineData("0", CustodyError.Base58InvalidCharacter)]
    [InlineData("3QJmn h", CustodyError.Base58InvalidCharacter)]
    public void Base58Check_reports_the_first_problem(string text, CustodyError expected)
    {
        Assert.Equal(expected, Base58.TryDecodeCheck(text, out var payload));
        Assert.Empty(payload);
        Assert.Equal(expected, Assert.Throws<EncodingFormatException>(() => Base58.DecodeCheck(text)).Reason);
    }

    [Fact]
    public void Base58Check_errors_say_whether_the_checksum_or_the_text_is_wrong()
    {
        var mismatch = Assert.Throws<EncodingFormatException>(() => Base58.DecodeCheck("3QJmnj"));
        Assert.Contains("checksum", mismatch.Message, StringComparison.Ordinal);
        var notBase58 = Assert.Throws<EncodingFormatException>(() => Base58.DecodeCheck("3QJmn0"));
        Assert.Contains("Base58Check", notBase58.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("checksum", notBase58.Message, StringComparison.Ordinal);
    }

    // ---- bech32 ----

    [Fact]
    public void Every_bech32_character_decodes_to_its_index_in_either_case()
    {
        // The 32 data values 0..31 in order, hrp "a" (checksum from the BIP-173 reference code).
        const string text = "a1qpzry9x8gf2tvdw0s3jn54khce6mua7l80ks2u";
        var expected = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var lower = Bech32.Decode(text);
        Assert.Equal(("a", Bech32Variant.Bech32), (lower.Hrp, lower.Variant));
        Assert.Equal(expected, lower.Data);
        var upper = Bech32.Decode(text.ToUpperInvariant());
        Assert.Equal("a", upper.Hrp);
        Assert.Equal(expected, upper.Data);
        Assert.Equal(text, Bech32.Encode("a", expected, Bech32Variant.Bech32));
    }

    [Fact]
    public void Every_other_printable_character_in_the_data_part_is_refused()
    {
        var refused = 0;
        for (var c = (char)33; c <= 126; c++)
        {
            if (c == '1' || Bech32Charset.Contains(char.ToLowerInvariant(c), StringComparison.Ordinal))
            {
                continue; // '1' is the separator
            }
            // Same case as the rest of the string, so that the refusal is the character's and not the mixed case.
            var text = char.IsAsciiLetterUpper(c) ? $"A1{c}QQQQQQ" : $"a1{c}qqqqqq";
            Assert.True(CustodyError.Bech32InvalidCharacter == Bech32.TryDecode(text, out var decoded), text);
            Assert.Null(decoded);
            refused++;
        }
        // 94 printable characters, minus '1', the 32 characters of the charset and the upper case of its 23 letters.
        Assert.Equal(94 - 1 - 32 - 23, refused);
    }

    [Theory]
    [InlineData("!1wctc0x", "!")] // HRP characters are 33..126
    [InlineData("~1qszm75", "~")]
    [InlineData("?1ezyfcl", "?")] // BIP-173 valid vector
    public void The_first_and_last_printable_characters_are_valid_hrp_characters(string text, string hrp)
    {
        var decoded = Bech32.Decode(text);
        Assert.Equal(hrp, decoded.Hrp);
        Assert.Empty(decoded.Data);
        Assert.Equal(text, Bech32.Encode(hrp, [], Bech32Variant.Bech32));
    }

    [Theory]
    [InlineData(" 1nwldj5")] // BIP-173 invalid vectors: HRP character out of range
    [InlineData("\u007F1axkwrx")]
    [InlineData("\u00801eym55h")]
    [InlineData("a1qqqqqq\u007F")]
    public void Characters_outside_printable_ascii_are_refused_when_decoding(string text) =>
        Assert.Equal(CustodyError.Bech32InvalidCharacter, Bech32.TryDecode(text, out _));

    [Theory]
    [InlineData(" ")]
    [InlineData("\u007F")]
    [InlineData("A")]
    [InlineData("aB")]
    [InlineData("\u00E9")]
    public void Encode_refuses_hrp_characters_outside_lower_case_printable_ascii(string hrp)
    {
        var e = Assert.Throws<EncodingFormatException>(() => Bech32.Encode(hrp, [], Bech32Variant.Bech32));
        Assert.Equal(CustodyError.Bech32InvalidCharacter, e.Reason);
        Assert.Contains("HRP", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_takes_an_hrp_of_1_to_83_characters()
    {
        // BIP-173 valid vector: an 83-character HRP and no data make exactly 90 characters.
        const string text = "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs";
        var hrp = text[..83];
        Assert.Equal(text, Bech32.Encode(hrp, [], Bech32Variant.Bech32));
        Assert.Equal(Bech32.LengthMax, text.Length);
        foreach (var bad in new[] { "", hrp + "a" })
        {
            var e = Assert.Throws<EncodingFormatException>(() => Bech32.Encode(bad, [], Bech32Variant.Bech32));
            Assert.Equal(CustodyError.Bech32InvalidHrp, e.Reason);
            Assert.Contains("83", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Encode_stops_at_90_characters()
    {
        // hrp "a" + '1' + 82 values + 6 checksum characters = 90 (checksum from the BIP-173 reference code).
        var text = Bech32.Encode("a", new byte[82], Bech32Variant.Bech32);
        Assert.Equal("a1" + new string('q', 82) + "87k0gd", text);
        Assert.Equal(new byte[82], Bech32.Decode(text).Data);
        var e = Assert.Throws<EncodingFormatException>(() => Bech32.Encode("a", new byte[83], Bech32Variant.Bech32));
        Assert.Equal(CustodyError.Bech32InvalidLength, e.Reason);
        Assert.Contains("90", e.Message, StringComparison.Ordinal);
        Assert.Equal(CustodyError.Bech32InvalidLength, Assert.Throws<EncodingFormatException>(() => Bech32.Encode("ab", new byte[82], Bech32Variant.Bech32)).Reason);
    }

    [Fact]
    public void Encode_takes_5_bit_values_only()
    {
        Assert.Equal("a1l", Bech32.Encode("a", [31], Bech32Variant.Bech32)[..3]);
        var e = Assert.Throws<EncodingFormatException>(() => Bech32.Encode("a", [31, 32], Bech32Variant.Bech32));
        Assert.Equal(CustodyError.Bech32InvalidCharacter, e.Reason);
        Assert.Contains("5-bit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bech32_refuses_null_arguments()
    {
        Assert.Throws<ArgumentNullException>(() => Bech32.Encode(null!, [], Bech32Variant.Bech32));
        Assert.Throws<ArgumentNullException>(() => Bech32.TryDecode(null!, out _));
    }

    [Theory]
    [InlineData("pzry9x0s0muk", CustodyError.Bech32MissingSeparator)] // BIP-173 invalid vectors
    [InlineData("1pzry9x0s0muk", CustodyError.Bech32InvalidHrp)]
    [InlineData("10a06t8", CustodyError.Bech32InvalidHrp)]
    [InlineData("x1b4n0q5v", CustodyError.Bech32InvalidCharacter)]
    [InlineData("li1dgmt3", CustodyError.Bech32InvalidLength)]
    [InlineData("A1G7SGD8", CustodyError.Bech32ChecksumMismatch)]
    [InlineData("a1Qqqqqq", CustodyError.Bech32MixedCase)]
    public void Bech32_decode_reports_the_reason(string text, CustodyError expected)
    {
        Assert.Equal(expected, Bech32.TryDecode(text, out _));
        var e = Assert.Throws<EncodingFormatException>(() => Bech32.Decode(text));
        Assert.Equal(expected, e.Reason);
        Assert.Contains("bech32", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConvertBits_regroups_and_checks_padding_as_the_bip_reference_does()
    {
        // 0xff = 11111111 → 11111 111(00): [31, 28]; back: 11111 11100 → 0xff with two zero padding bits.
        Assert.Equal([31, 28], Bech32.ConvertBits([0xff], 8, 5, pad: true));
        Assert.Equal([0xff], Bech32.ConvertBits([31, 28], 5, 8, pad: false));
        Assert.Null(Bech32.ConvertBits([31, 29], 5, 8, pad: false)); // padding bits 01 are not zero
        Assert.Equal([0], Bech32.ConvertBits([0, 0], 5, 8, pad: false)); // 10 bits: one byte and 2 zero bits
        Assert.Null(Bech32.ConvertBits([0], 5, 8, pad: false)); // 5 bits of padding: a whole group too many
        Assert.Null(Bech32.ConvertBits([32], 5, 8, pad: false)); // not a 5-bit value
        Assert.Null(Bech32.ConvertBits([31, 32], 5, 8, pad: true));
        Assert.Equal(Array.Empty<byte>(), Bech32.ConvertBits([], 8, 5, pad: true));
        Assert.Equal(Array.Empty<byte>(), Bech32.ConvertBits([], 5, 8, pad: false));
        // 40 bits regroup exactly both ways: 0x0102030405 = 00000 00100 00001 00000 00110 00001 00000 00101.
        Assert.Equal([0, 4, 1, 0, 6, 1, 0, 5], Bech32.ConvertBits(Hex("0102030405"), 8, 5, pad: true));
        Assert.Equal(Hex("0102030405"), Bech32.ConvertBits([0, 4, 1, 0, 6, 1, 0, 5], 5, 8, pad: false));
    }

    // ---- BIP-380 descriptor checksum ----

    [Theory]
    // Bitcoin Core doc/descriptors.md and getdescriptorinfo examples; "" from Core's test_framework/descriptors.py.
    [InlineData("", "7h0w2xvg")]
    [InlineData("pkh(02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5)", "8fhd9pwu")]
    [InlineData("sh(wpkh(02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5))", "la26f59y")]
    [InlineData("wpkh(02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9)", "8zl0zxma")]
    [InlineData("addr(bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4)", "uyjndxcw")]
    public void Descriptor_checksums_match_bitcoin_core(string descriptor, string checksum)
    {
        // Lengths 0, 71, 76, 72 and 48: both a trailing partial group of character classes and none at all.
        Assert.Equal(checksum, DescriptorChecksum.Compute(descriptor));
        Assert.Equal(descriptor + "#" + checksum, DescriptorChecksum.Append(descriptor));
        Assert.True(DescriptorChecksum.IsValid(descriptor + "#" + checksum));
    }

    [Theory]
    [InlineData("")]
    [InlineData("#")]
    [InlineData("7h0w2xvg")] // the 8 characters without '#'
    [InlineData("#7h0w2xv")]
    [InlineData("x7h0w2xvg")]
    [InlineData("#7h0w2xvq")]
    public void Descriptor_checksum_text_shorter_or_other_than_hash_plus_8_characters_is_not_valid(string text) =>
        Assert.False(DescriptorChecksum.IsValid(text));

    [Fact]
    public void The_shortest_valid_descriptor_text_is_the_checksum_of_the_empty_descriptor() =>
        Assert.True(DescriptorChecksum.IsValid("#7h0w2xvg"));

    [Fact]
    public void Descriptor_checksum_refuses_null_and_names_a_bad_character()
    {
        Assert.Throws<ArgumentNullException>(() => DescriptorChecksum.Compute(null!));
        Assert.Throws<ArgumentNullException>(() => DescriptorChecksum.IsValid(null!));
        var e = Assert.Throws<CustodyStateException>(() => DescriptorChecksum.Compute("raw(\u00E9)"));
        Assert.Equal(CustodyError.DescriptorChecksumMismatch, e.Reason);
        Assert.Contains("character", e.Message, StringComparison.Ordinal);
    }
}
