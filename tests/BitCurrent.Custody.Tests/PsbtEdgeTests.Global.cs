using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

public partial class PsbtEdgeTests
{
    // ---------------------------------------------------------------- framing: magic, separators, lengths, duplicates

    [Fact]
    public void Data_shorter_than_the_magic_or_with_other_magic_is_refused()
    {
        Assert.Contains("magic", Rejects(CustodyError.PsbtInvalidMagic, []).Message, StringComparison.Ordinal);
        Rejects(CustodyError.PsbtInvalidMagic, Magic[..4]);
        Rejects(CustodyError.PsbtInvalidMagic, [0x70, 0x73, 0x62, 0x74, 0xfe, 0x00]);
    }

    [Fact]
    public void The_magic_alone_parses_as_far_as_the_missing_global_separator()
    {
        // Exactly the five magic bytes: the magic is right, the global map has no separator (Core: "Separator is missing at the end of the global map").
        var ex = Rejects(CustodyError.PsbtMissingSeparator, Magic);
        Assert.Contains("global map", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_map_must_end_with_a_separator()
    {
        var global = Map(UnsignedTxEntry(OneInOneOut()));
        Assert.Contains("input map", Rejects(CustodyError.PsbtMissingSeparator, Cat(Magic, global)).Message, StringComparison.Ordinal);
        var unfinishedInput = Cat(Var(K(0xf0)), Var([0x01]));
        Assert.Contains("input map", Rejects(CustodyError.PsbtMissingSeparator, Cat(Magic, global, unfinishedInput)).Message, StringComparison.Ordinal);
        Assert.Contains("output map", Rejects(CustodyError.PsbtMissingSeparator, Cat(Magic, global, Map())).Message, StringComparison.Ordinal);
        var unfinishedOutput = Cat(Var(K(0xf0)), Var([0x01]));
        Assert.Contains("output map", Rejects(CustodyError.PsbtMissingSeparator, Cat(Magic, global, Map(), unfinishedOutput)).Message, StringComparison.Ordinal);
        Accepts(Cat(Magic, global, Map(), Map()));
    }

    [Fact]
    public void Bytes_after_the_last_output_map_are_refused()
    {
        var ex = Rejects(CustodyError.PsbtExtraData, Cat(WithGlobal(), [0x00]));
        Assert.Contains("extra data", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_key_is_refused_in_each_map_by_name()
    {
        (byte[], byte[]) unknown = (K(0xf0, [0x01]), [0xaa]);
        (byte[], byte[]) again = (K(0xf0, [0x01]), [0xbb]);
        Assert.Contains("global map", Rejects(CustodyError.PsbtDuplicateKey, WithGlobal(unknown, again)).Message, StringComparison.Ordinal);
        Assert.Contains("input map", Rejects(CustodyError.PsbtDuplicateKey, WithInput(unknown, again)).Message, StringComparison.Ordinal);
        Assert.Contains("output map", Rejects(CustodyError.PsbtDuplicateKey, WithOutput(unknown, again)).Message, StringComparison.Ordinal);
        // Same type, other key data: two keys, both kept.
        var psbt = Accepts(WithInput(unknown, (K(0xf0, [0x02]), [0xbb])));
        Assert.Equal(2, psbt.Inputs[0].Entries.Count);
    }

    [Theory]
    [InlineData(5UL)]
    [InlineData(0x02000001UL)] // above Core's MAX_SIZE as well: still "runs past the end", not an oversized-length error
    public void A_key_or_value_longer_than_the_data_left_is_truncated(ulong length)
    {
        var global = Map(UnsignedTxEntry(OneInOneOut()));
        // A key of `length` bytes where only three remain.
        var ex = Rejects(CustodyError.PsbtTruncated, Cat(Magic, global, Map(), CompactSize(length), [0xf0, 0x01, 0x02]));
        Assert.Contains("past the end", ex.Message, StringComparison.Ordinal);
        // A value of `length` bytes where only one remains.
        ex = Rejects(CustodyError.PsbtTruncated, Cat(Magic, global, Map(), Var(K(0xf0)), CompactSize(length), [0x01]));
        Assert.Contains("past the end", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_length_cut_short_or_not_minimally_encoded_is_truncated()
    {
        var global = Map(UnsignedTxEntry(OneInOneOut()));
        // 0xfd announces a two-byte length; the data ends after one.
        var ex = Rejects(CustodyError.PsbtTruncated, Cat(Magic, global, Map(), [0xfd, 0x01]));
        Assert.Contains("ends early", ex.Message, StringComparison.Ordinal);
        // 0xfd 0x05 0x00 is 5 written in three bytes: Core refuses non-canonical CompactSize.
        Rejects(CustodyError.PsbtTruncated, Cat(Magic, global, Map(), [0xfd, 0x05, 0x00, 0xf0, 0x01, 0x02, 0x03, 0x04, 0x00]));
    }

    [Fact]
    public void A_key_type_cut_short_is_truncated()
    {
        // The one-byte key 0xfd starts a three-byte CompactSize type.
        var ex = Rejects(CustodyError.PsbtTruncated, WithGlobal(([0xfd], [0x01])));
        Assert.Contains("key type", ex.Message, StringComparison.Ordinal);
        Rejects(CustodyError.PsbtTruncated, WithInput(([0xfe, 0x00, 0x00], [0x01])));
    }

    [Fact]
    public void Key_types_are_read_with_Cores_range_check()
    {
        // Core reads the type with ReadCompactSize's default range check: at most MAX_SIZE = 0x02000000.
        var psbt = Accepts(WithInput(([0xfe, 0x00, 0x00, 0x00, 0x02], [0x01])));
        Assert.Equal(0x02000000UL, psbt.Inputs[0].Entries[0].Type);
        Assert.Equal(0x02000000UL, psbt.Inputs[0].OtherEntries[0].Type);
        Rejects(CustodyError.PsbtTruncated, WithInput(([0xfe, 0x01, 0x00, 0x00, 0x02], [0x01])));
        Rejects(CustodyError.PsbtTruncated, WithGlobal(([0xff, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00], [0x01])));
        // A two-byte type is an ordinary unknown key.
        Assert.Equal(0x1234UL, Accepts(WithOutput(([0xfd, 0x34, 0x12], [0x01]))).Outputs[0].Entries[0].Type);
    }

    // ---------------------------------------------------------------- global fields

    [Fact]
    public void Global_unsigned_tx_key_must_be_the_type_alone()
    {
        var bytes = Cat(Magic, Map((K(0x00, [0x00]), OneInOneOut().ToBytes(false))), Map(), Map());
        var ex = Rejects(CustodyError.PsbtInvalidKeySize, bytes);
        Assert.Contains("global unsigned tx", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Global_unsigned_tx_must_fill_its_value_exactly()
    {
        var tx = OneInOneOut().ToBytes(false);
        var ex = Rejects(CustodyError.PsbtValueSizeMismatch, Cat(Magic, Map((K(0x00), [.. tx, 0x00])), Map(), Map()));
        Assert.Contains("stated size", ex.Message, StringComparison.Ordinal);
        ex = Rejects(CustodyError.PsbtValueSizeMismatch, Cat(Magic, Map((K(0x00), tx[..^1])), Map(), Map()));
        Assert.Contains("embedded transaction", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Global_unsigned_tx_with_a_scriptSig_is_refused()
    {
        var tx = OneInOneOut();
        tx.Inputs[0].ScriptSig = new Script([0x51]);
        var ex = Rejects(CustodyError.PsbtUnsignedTransactionNotEmpty, Cat(Magic, Map(UnsignedTxEntry(tx)), Map(), Map()));
        Assert.Contains("scriptSig", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_global_map_without_the_unsigned_tx_is_refused()
    {
        var ex = Rejects(CustodyError.PsbtMissingUnsignedTransaction, Cat(Magic, Map((K(0xf0), [0x01]))));
        Assert.Contains("unsigned transaction", ex.Message, StringComparison.Ordinal);
    }

    private static byte[] XpubKey(byte[] pubkey, byte[]? chainCode = null, uint version = 0x043587CF, byte depth = 1) =>
        K(0x01, [(byte)(version >> 24), (byte)(version >> 16), (byte)(version >> 8), (byte)version, depth, 0xde, 0xad, 0xbe, 0xef, 0x80, 0x00, 0x00, 0x00],
            chainCode ?? Filled(32, 0x07), pubkey);

    [Fact]
    public void Global_xpub_key_is_the_type_and_78_bytes()
    {
        var origin = new byte[] { 0x01, 0x02, 0x03, 0x04 };
        var xpub = XpubKey(G1);
        Assert.Equal(79, xpub.Length);
        Accepts(WithGlobal((xpub, origin)));
        var ex = Rejects(CustodyError.PsbtInvalidKeySize, WithGlobal((xpub[..78], origin)));
        Assert.Contains("global xpub", ex.Message, StringComparison.Ordinal);
        Assert.Contains("79", ex.Message, StringComparison.Ordinal);
        Rejects(CustodyError.PsbtInvalidKeySize, WithGlobal(([.. xpub, 0x00], origin)));
    }

    [Fact]
    public void Global_xpub_needs_a_valid_compressed_public_key()
    {
        var origin = new byte[] { 0x01, 0x02, 0x03, 0x04 };
        var ex = Rejects(CustodyError.PsbtInvalidPublicKey, WithGlobal((XpubKey(NotAKey), origin)));
        Assert.Contains("global xpub", ex.Message, StringComparison.Ordinal);
        // The x of G with the uncompressed prefix: not a 33-byte key.
        Rejects(CustodyError.PsbtInvalidPublicKey, WithGlobal((XpubKey([0x04, .. G1[1..]]), origin)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    public void Global_xpub_origin_must_be_a_fingerprint_and_whole_path_steps(int length)
    {
        var ex = Rejects(CustodyError.PsbtInvalidKeyPath, WithGlobal((XpubKey(G1), Filled(length, 0x01))));
        Assert.Contains("HD key path", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Global_version_zero_is_accepted_and_others_are_refused()
    {
        Accepts(WithGlobal((K(0xfb), [0x00, 0x00, 0x00, 0x00])));
        var ex = Rejects(CustodyError.PsbtUnsupportedVersion, WithGlobal((K(0xfb), [0x02, 0x00, 0x00, 0x00])));
        Assert.Contains("version 2", ex.Message, StringComparison.Ordinal);
        ex = Rejects(CustodyError.PsbtUnsupportedVersion, WithGlobal((K(0xfb), [0x00, 0x00, 0x00, 0x01])));
        Assert.Contains("version 16777216", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Global_version_key_and_value_sizes_are_checked()
    {
        var ex = Rejects(CustodyError.PsbtInvalidKeySize, WithGlobal((K(0xfb, [0x00]), [0x00, 0x00, 0x00, 0x00])));
        Assert.Contains("global version", ex.Message, StringComparison.Ordinal);
        Assert.Contains("stated size", Rejects(CustodyError.PsbtValueSizeMismatch, WithGlobal((K(0xfb), [0x00, 0x00, 0x00]))).Message, StringComparison.Ordinal);
        Rejects(CustodyError.PsbtValueSizeMismatch, WithGlobal((K(0xfb), [0x00, 0x00, 0x00, 0x00, 0x00])));
    }

    // ---------------------------------------------------------------- proprietary keys, in every map

    public static TheoryData<string, bool> ProprietaryKeys => new()
    {
        { "fc", false },                       // no identifier length
        { "fc05616263", false },               // identifier of 5 bytes, 3 present
        { "fc00", false },                     // empty identifier, no subtype
        { "fc03616263", false },               // identifier, no subtype
        { "fc0361626300", true },              // identifier "abc", subtype 0
        { "fc00fd0001", true },                // subtype 256
        { "fc00fe00000002", true },            // subtype 0x02000000 (Core's MAX_SIZE)
        { "fc00fe01000002", false },           // subtype 0x02000001: above Core's range check
        { "fc00fd0500", false },               // subtype 5 not minimally encoded
        { "fc0361626301ffff", true },          // key data after the subtype
    };

    [Theory]
    [MemberData(nameof(ProprietaryKeys))]
    public void Proprietary_keys_need_an_identifier_and_a_subtype_in_every_map(string keyHex, bool valid)
    {
        var key = Convert.FromHexString(keyHex);
        foreach (var bytes in new[] { WithGlobal((key, [0x01])), WithInput((key, [0x01])), WithOutput((key, [0x01])) })
        {
            if (valid)
            {
                Accepts(bytes);
            }
            else
            {
                Assert.Contains("proprietary", Rejects(CustodyError.PsbtTruncated, bytes).Message, StringComparison.Ordinal);
            }
        }
    }
}
