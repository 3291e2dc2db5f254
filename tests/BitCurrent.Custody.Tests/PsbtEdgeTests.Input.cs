using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

public partial class PsbtEdgeTests
{
    /// <summary>A previous transaction with two outputs (50 000 and 60 000 sat).</summary>
    private static Transaction Previous() => new()
    {
        Version = 2,
        Inputs = { new TxIn(new OutPoint(new TxId(Filled(32, 0x33)), 7)) },
        Outputs = { new TxOut(50_000, Script.P2wpkh(Filled(20, 0x44))), new TxOut(60_000, Script.P2pkh(Filled(20, 0x55))) },
    };

    /// <summary>A PSBT whose single input spends <paramref name="spent"/>:<paramref name="index"/>, with the given input map.</summary>
    private static byte[] Spending(Transaction spent, uint index, params (byte[], byte[])[] input)
    {
        var tx = OneInOneOut();
        tx.Inputs[0].PrevOut = new OutPoint(spent.GetTxId(), index);
        return Cat(Magic, Map(UnsignedTxEntry(tx)), Map(input), Map());
    }

    private static void RejectsKeySize(string field, byte[] bytes) =>
        Assert.Contains(field, Rejects(CustodyError.PsbtInvalidKeySize, bytes).Message, StringComparison.Ordinal);

    // ---------------------------------------------------------------- UTXOs

    [Fact]
    public void Non_witness_utxo_must_be_the_spent_transaction_and_have_the_spent_output()
    {
        var prev = Previous();
        var full = prev.ToBytes(includeWitness: false);
        Assert.Equal(60_000, Accepts(Spending(prev, 1, (K(0x00), full))).Inputs[0].GetUtxo()!.Value);
        // Index 2 of a two-output transaction does not exist.
        var ex = Rejects(CustodyError.PsbtNonWitnessUtxoMismatch, Spending(prev, 2, (K(0x00), full)));
        Assert.Contains("output index", ex.Message, StringComparison.Ordinal);
        // Another transaction than the one the outpoint names.
        ex = Rejects(CustodyError.PsbtNonWitnessUtxoMismatch, Spending(Previous(), 0, (K(0x00), OneInOneOut().ToBytes(false))));
        Assert.Contains("outpoint hash", ex.Message, StringComparison.Ordinal);
        RejectsKeySize("input non-witness UTXO", Spending(prev, 1, (K(0x00, [0x00]), full)));
    }

    [Fact]
    public void Non_witness_utxo_must_be_one_whole_well_formed_transaction()
    {
        var prev = Previous();
        var full = prev.ToBytes(includeWitness: false);
        Rejects(CustodyError.PsbtValueSizeMismatch, Spending(prev, 0, (K(0x00), [.. full, 0x00])));
        Rejects(CustodyError.PsbtValueSizeMismatch, Spending(prev, 0, (K(0x00), full[..^4])));
        // A segwit marker with flag 2: Core's "Unknown transaction optional data".
        byte[] unknownFlag = [.. full[..4], 0x00, 0x02, .. full[4..]];
        var ex = Rejects(CustodyError.PsbtValueSizeMismatch, Spending(prev, 0, (K(0x00), unknownFlag)));
        Assert.Contains("embedded transaction", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Witness_utxo_must_be_one_whole_output()
    {
        var output = new TxOut(50_000, Script.P2wpkh(Filled(20, 0x44))).ToBytes();
        Assert.Equal(50_000, Accepts(WithInput((K(0x01), output))).Inputs[0].WitnessUtxo!.Value);
        var ex = Rejects(CustodyError.PsbtValueSizeMismatch, WithInput((K(0x01), output[..^1])));
        Assert.Contains("stated size", ex.Message, StringComparison.Ordinal);
        Rejects(CustodyError.PsbtValueSizeMismatch, WithInput((K(0x01), [.. output, 0x00])));
        Rejects(CustodyError.PsbtValueSizeMismatch, WithInput((K(0x01), [0x01, 0x02, 0x03])));
        RejectsKeySize("input witness UTXO", WithInput((K(0x01, [0x01]), output)));
    }

    // ---------------------------------------------------------------- partial signatures and derivations

    [Fact]
    public void Partial_signature_key_is_a_valid_public_key_of_33_or_65_bytes()
    {
        var sig = MinimalDer(0x01);
        Assert.Equal(G1Uncompressed, Accepts(WithInput((K(0x02, G1Uncompressed), sig))).Inputs[0].PartialSignatures[0].Key.ToBytes());
        Accepts(WithInput((K(0x02, G1), sig)));
        RejectsKeySize("partial signature pubkey", WithInput((K(0x02, G1[..32]), sig)));
        RejectsKeySize("partial signature pubkey", WithInput((K(0x02, [.. G1, 0x00]), sig)));
        var ex = Rejects(CustodyError.PsbtInvalidPublicKey, WithInput((K(0x02, NotAKey), sig)));
        Assert.Contains("partial signature pubkey", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData((byte)0x01, true)]
    [InlineData((byte)0x02, true)]
    [InlineData((byte)0x03, true)]
    [InlineData((byte)0x81, true)]
    [InlineData((byte)0x83, true)]
    [InlineData((byte)0x00, false)]
    [InlineData((byte)0x04, false)]
    [InlineData((byte)0x80, false)]
    [InlineData((byte)0x84, false)]
    public void Partial_signature_must_be_strict_DER_with_a_defined_sighash_type(byte hashType, bool valid)
    {
        // Core: CheckSignatureEncoding with DERSIG | STRICTENC, so the type without ANYONECANPAY is ALL, NONE or SINGLE.
        var bytes = WithInput((K(0x02, G1), MinimalDer(hashType)));
        if (valid)
        {
            Accepts(bytes);
        }
        else
        {
            Rejects(CustodyError.PsbtInvalidSignatureEncoding, bytes);
        }
    }

    [Fact]
    public void Partial_signature_that_is_empty_or_not_DER_is_refused()
    {
        var ex = Rejects(CustodyError.PsbtInvalidSignatureEncoding, WithInput((K(0x02, G1), [])));
        Assert.Contains("signature", ex.Message, StringComparison.Ordinal);
        // Nine bytes ending in SIGHASH_ALL but not a DER sequence.
        Rejects(CustodyError.PsbtInvalidSignatureEncoding, WithInput((K(0x02, G1), [0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x01])));
        Rejects(CustodyError.PsbtInvalidSignatureEncoding, WithInput((K(0x02, G1), [0x01])));
    }

    [Fact]
    public void Bip32_derivation_key_is_a_valid_public_key_and_its_origin_whole_path_steps()
    {
        byte[] origin = [0xd9, 0x0c, 0x6a, 0x4f, 0x00, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00, 0x00];
        var derivation = Assert.Single(Accepts(WithInput((K(0x06, G1), origin))).Inputs[0].Bip32Derivations);
        Assert.Equal(new KeyOrigin(0xd90c6a4f, KeyPath.Parse("m/0'/1")), derivation.Origin);
        Assert.Equal(G1, derivation.Key.ToBytes());
        Accepts(WithInput((K(0x06, G1Uncompressed), origin[..4])));
        RejectsKeySize("BIP32 keypath", WithInput((K(0x06, G1[..32]), origin)));
        Assert.Contains("BIP32 keypath", Rejects(CustodyError.PsbtInvalidPublicKey, WithInput((K(0x06, NotAKey), origin))).Message, StringComparison.Ordinal);
        Rejects(CustodyError.PsbtInvalidKeyPath, WithInput((K(0x06, G1), [])));
        Rejects(CustodyError.PsbtInvalidKeyPath, WithInput((K(0x06, G1), origin[..5])));
    }

    // ---------------------------------------------------------------- single-valued fields

    [Fact]
    public void Sighash_type_is_a_four_byte_value_under_the_type_alone()
    {
        Assert.Equal(0x83, Accepts(WithInput((K(0x03), [0x83, 0x00, 0x00, 0x00]))).Inputs[0].SigHashType);
        RejectsKeySize("input sighash type", WithInput((K(0x03, [0x00]), [0x01, 0x00, 0x00, 0x00])));
        Assert.Contains("stated size", Rejects(CustodyError.PsbtValueSizeMismatch, WithInput((K(0x03), [0x01, 0x00, 0x00]))).Message, StringComparison.Ordinal);
        Rejects(CustodyError.PsbtValueSizeMismatch, WithInput((K(0x03), [0x01, 0x00, 0x00, 0x00, 0x00])));
    }

    [Theory]
    [InlineData((byte)0x04, "input redeemScript")]
    [InlineData((byte)0x05, "input witnessScript")]
    [InlineData((byte)0x07, "input final scriptSig")]
    [InlineData((byte)0x08, "input final scriptWitness")]
    [InlineData((byte)0x13, "input taproot key signature")]
    [InlineData((byte)0x17, "input taproot internal key")]
    [InlineData((byte)0x18, "input taproot merkle root")]
    public void Input_fields_keyed_by_type_alone_refuse_key_data(byte type, string field)
    {
        RejectsKeySize(field, WithInput((K(type, [0x00]), Filled(64, 0x01))));
    }

    [Fact]
    public void Final_script_witness_must_be_one_whole_witness_stack()
    {
        var psbt = Accepts(WithInput((K(0x08), [0x02, 0x01, 0xaa, 0x00])));
        Assert.Equal(["aa", ""], psbt.Inputs[0].FinalScriptWitness!.Select(Convert.ToHexStringLower));
        Assert.True(psbt.Inputs[0].IsFinalized);
        // Two items announced, one present; one item and a trailing byte; a count not minimally encoded.
        Assert.Contains("stated size", Rejects(CustodyError.PsbtValueSizeMismatch, WithInput((K(0x08), [0x02, 0x01, 0xaa]))).Message, StringComparison.Ordinal);
        Rejects(CustodyError.PsbtValueSizeMismatch, WithInput((K(0x08), [0x01, 0x01, 0xaa, 0xff])));
        Rejects(CustodyError.PsbtValueSizeMismatch, WithInput((K(0x08), [0xfd, 0x01, 0x00, 0x00])));
    }

    // ---------------------------------------------------------------- preimages

    [Theory]
    [InlineData((byte)0x0a, 20, "hash160/ripemd160")]
    [InlineData((byte)0x0c, 20, "hash160/ripemd160")]
    [InlineData((byte)0x0b, 32, "sha256/hash256")]
    [InlineData((byte)0x0d, 32, "sha256/hash256")]
    public void Preimage_keys_carry_exactly_the_hash(byte type, int hashLength, string field)
    {
        Accepts(WithInput((K(type, Filled(hashLength, 0x5a)), [0x01, 0x02])));
        RejectsKeySize(field, WithInput((K(type, Filled(hashLength - 1, 0x5a)), [0x01])));
        RejectsKeySize(field, WithInput((K(type, Filled(hashLength + 1, 0x5a)), [0x01])));
        RejectsKeySize(field, WithInput((K(type), [0x01])));
    }

    // ---------------------------------------------------------------- taproot

    [Theory]
    [InlineData(63, false)]
    [InlineData(64, true)]
    [InlineData(65, true)]
    [InlineData(66, false)]
    public void Taproot_signatures_are_64_or_65_bytes(int length, bool valid)
    {
        var keyPath = WithInput((K(0x13), Filled(length, 0x01)));
        var scriptPath = WithInput((K(0x14, Filled(64, 0x02)), Filled(length, 0x01)));
        if (valid)
        {
            Accepts(keyPath);
            Accepts(scriptPath);
        }
        else
        {
            Assert.Contains("key path signature", Rejects(CustodyError.PsbtInvalidTaprootField, keyPath).Message, StringComparison.Ordinal);
            Assert.Contains("script path signature", Rejects(CustodyError.PsbtInvalidTaprootField, scriptPath).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Taproot_script_signature_key_is_x_only_key_and_leaf_hash()
    {
        RejectsKeySize("input taproot script signature", WithInput((K(0x14, Filled(63, 0x02)), Filled(64, 0x01))));
        RejectsKeySize("input taproot script signature", WithInput((K(0x14, Filled(65, 0x02)), Filled(64, 0x01))));
    }

    [Theory]
    [InlineData(32, false)] // key of 33 bytes: shorter than 34
    [InlineData(33, true)]  // control block of 33: leaf version and internal key
    [InlineData(34, false)]
    [InlineData(65, true)]  // one merkle step
    [InlineData(64, false)]
    public void Taproot_leaf_script_key_is_a_control_block_of_33_plus_32k_bytes(int controlBlockLength, bool valid)
    {
        var bytes = WithInput((K(0x15, Filled(controlBlockLength, 0xc0)), [0x51, 0xc0]));
        if (valid)
        {
            Accepts(bytes);
        }
        else
        {
            Assert.Contains("control block", Rejects(CustodyError.PsbtInvalidTaprootField, bytes).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Taproot_leaf_script_value_needs_at_least_the_leaf_version()
    {
        Accepts(WithInput((K(0x15, Filled(33, 0xc0)), [0xc0])));
        var ex = Rejects(CustodyError.PsbtInvalidTaprootField, WithInput((K(0x15, Filled(33, 0xc0)), [])));
        Assert.Contains("at least 1 byte", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData((byte)0x17)]
    [InlineData((byte)0x18)]
    public void Taproot_internal_key_and_merkle_root_are_32_bytes(byte type)
    {
        Accepts(WithInput((K(type), Filled(32, 0x01))));
        Assert.Contains("stated size", Rejects(CustodyError.PsbtValueSizeMismatch, WithInput((K(type), Filled(31, 0x01)))).Message, StringComparison.Ordinal);
        Rejects(CustodyError.PsbtValueSizeMismatch, WithInput((K(type), Filled(33, 0x01))));
    }

    /// <summary>A taproot derivation value: leaf hash count, the hashes, then fingerprint and path (Core's DeserializeKeyOrigin).</summary>
    public static TheoryData<string, int?> TaprootOrigins => new()
    {
        { "00" + "01020304", null },                                    // no leaf hash, fingerprint only
        { "00" + "01020304" + "0000008001000000", null },               // no leaf hash, m/0'/1
        { "00" + new string('1', 72), null },                           // no leaf hash, 36 bytes: fingerprint and 8 steps
        { "01" + new string('a', 64) + "01020304", null },              // one leaf hash
        { "02" + new string('a', 128) + "0102030405060708", null },     // two leaf hashes and one step
        { "", (int)CustodyError.PsbtInvalidTaprootField },              // no count at all
        { "fd", (int)CustodyError.PsbtInvalidTaprootField },            // count cut short
        { "fd0100", (int)CustodyError.PsbtInvalidTaprootField },        // count not minimally encoded
        { "02" + new string('a', 72), (int)CustodyError.PsbtInvalidTaprootField },  // two hashes announced, 36 bytes left
        { "fe00000010" + new string('a', 72), (int)CustodyError.PsbtInvalidTaprootField }, // 2^28 hashes announced
        { "01" + new string('a', 64), (int)CustodyError.PsbtInvalidKeyPath },       // one hash, no fingerprint
        { "00", (int)CustodyError.PsbtInvalidKeyPath },                             // nothing after the count
        { "00" + "0102030405", (int)CustodyError.PsbtInvalidKeyPath },              // 5 bytes of origin
        { "01" + new string('a', 64) + "010203", (int)CustodyError.PsbtInvalidKeyPath },
    };

    [Theory]
    [MemberData(nameof(TaprootOrigins))]
    public void Taproot_derivation_value_is_leaf_hashes_then_an_origin(string valueHex, int? error)
    {
        var value = Convert.FromHexString(valueHex);
        var input = WithInput((K(0x16, Filled(32, 0x01)), value));
        var output = WithOutput((K(0x07, Filled(32, 0x01)), value));
        if (error is null)
        {
            Accepts(input);
            Accepts(output);
            return;
        }
        var reason = (CustodyError)error.Value;
        var inputEx = Rejects(reason, input);
        var outputEx = Rejects(reason, output);
        if (reason == CustodyError.PsbtInvalidTaprootField)
        {
            Said("Input Taproot BIP32 keypath has an invalid length", inputEx);
            Said("Output Taproot BIP32 keypath has an invalid length", outputEx);
        }
        else
        {
            Assert.Contains("HD key path", inputEx.Message, StringComparison.Ordinal);
            Assert.Contains("HD key path", outputEx.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Taproot_derivation_key_is_the_type_and_an_x_only_key()
    {
        byte[] origin = [0x00, 0x01, 0x02, 0x03, 0x04];
        RejectsKeySize("input taproot BIP32 keypath", WithInput((K(0x16, Filled(31, 0x01)), origin)));
        RejectsKeySize("input taproot BIP32 keypath", WithInput((K(0x16, G1), origin)));
        RejectsKeySize("output taproot BIP32 keypath", WithOutput((K(0x07, Filled(31, 0x01)), origin)));
        RejectsKeySize("output taproot BIP32 keypath", WithOutput((K(0x07, G1), origin)));
    }

    // ---------------------------------------------------------------- MuSig2

    [Fact]
    public void Musig2_participants_key_is_a_valid_aggregate_key()
    {
        foreach (var (type, side, with) in new (byte, string, Func<(byte[], byte[])[], byte[]>)[] { (0x1a, "Input", WithInput), (0x08, "Output", WithOutput) })
        {
            Accepts(with([(K(type, G1), [.. G2, .. G3])]));
            Accepts(with([(K(type, G1), [])]));
            // 33 and 35 bytes after the type: the size is named, whatever the bytes.
            var ex = Rejects(CustodyError.PsbtInvalidMusig2Field, with([(K(type, G1[..32]), G2)]));
            Said($"{side} musig2 participants pubkeys aggregate key is not 34 bytes", ex);
            ex = Rejects(CustodyError.PsbtInvalidMusig2Field, with([(K(type, [.. G1, 0x00]), G2)]));
            Assert.Contains("not 34 bytes", ex.Message, StringComparison.Ordinal);
            ex = Rejects(CustodyError.PsbtInvalidMusig2Field, with([(K(type, NotAKey), G2)]));
            Said($"{side} musig2 aggregate pubkey is invalid", ex);
            // Uncompressed key material where a compressed key belongs.
            Rejects(CustodyError.PsbtInvalidMusig2Field, with([(K(type, [0x04, .. G1[1..]]), G2)]));
        }
    }

    [Fact]
    public void Musig2_participants_value_is_whole_valid_compressed_keys()
    {
        foreach (var (type, side, with) in new (byte, string, Func<(byte[], byte[])[], byte[]>)[] { (0x1a, "Input", WithInput), (0x08, "Output", WithOutput) })
        {
            var ex = Rejects(CustodyError.PsbtInvalidMusig2Field, with([(K(type, G1), G2[..32])]));
            Said($"{side} musig2 participants pubkeys value size is not a multiple of 33", ex);
            Rejects(CustodyError.PsbtInvalidMusig2Field, with([(K(type, G1), [.. G2, 0x00])]));
            ex = Rejects(CustodyError.PsbtInvalidMusig2Field, with([(K(type, G1), [.. G2, .. NotAKey])]));
            Said($"{side} musig2 participant pubkey is invalid", ex);
            Rejects(CustodyError.PsbtInvalidMusig2Field, with([(K(type, G1), NotAKey)]));
        }
    }

    [Theory]
    [InlineData((byte)0x1b, "pubnonce", 66)]
    [InlineData((byte)0x1c, "partial sig", 32)]
    public void Musig2_pubnonce_and_partial_signature_keys(byte type, string what, int valueLength)
    {
        var value = Filled(valueLength, 0x01);
        Accepts(WithInput((K(type, G1, G2), value)));
        Accepts(WithInput((K(type, G1, G2, Filled(32, 0x09)), value)));
        foreach (var key in new[] { K(type, G1, G2[..32]), K(type, G1, G2, [0x00]), K(type, G1, G2, Filled(33, 0x09)) })
        {
            var ex = Rejects(CustodyError.PsbtInvalidMusig2Field, WithInput((key, value)));
            Said($"input musig2 {what} key is not expected size of 67 or 99 bytes", ex);
        }
        // Participant, then aggregate: either one invalid is refused.
        foreach (var key in new[] { K(type, NotAKey, G2), K(type, G1, NotAKey), K(type, [0x04, .. G1[1..]], G2) })
        {
            var ex = Rejects(CustodyError.PsbtInvalidMusig2Field, WithInput((key, value)));
            Said($"input musig2 {what} key has an invalid public key", ex);
        }
    }

    [Fact]
    public void Musig2_pubnonce_is_66_bytes_and_partial_signature_32()
    {
        var ex = Rejects(CustodyError.PsbtInvalidMusig2Field, WithInput((K(0x1b, G1, G2), Filled(65, 0x01))));
        Assert.Contains("66 bytes", ex.Message, StringComparison.Ordinal);
        Rejects(CustodyError.PsbtInvalidMusig2Field, WithInput((K(0x1b, G1, G2), Filled(67, 0x01))));
        Rejects(CustodyError.PsbtInvalidMusig2Field, WithInput((K(0x1b, G1, G2), Filled(32, 0x01))));
        ex = Rejects(CustodyError.PsbtValueSizeMismatch, WithInput((K(0x1c, G1, G2), Filled(31, 0x01))));
        Assert.Contains("stated size", ex.Message, StringComparison.Ordinal);
        Rejects(CustodyError.PsbtValueSizeMismatch, WithInput((K(0x1c, G1, G2), Filled(66, 0x01))));
    }
}
