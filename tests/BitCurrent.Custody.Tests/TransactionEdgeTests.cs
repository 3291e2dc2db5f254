using System.Security.Cryptography;
using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

// Edge cases of the transaction wire format against Bitcoin Core's rules (primitives/transaction.h UnserializeTransaction,
// consensus/tx_check.cpp CheckTransaction). The transactions are assembled by hand from their fields.
public partial class TransactionEdgeTests
{
    private static readonly string PrevTxId = string.Concat(Enumerable.Repeat("11", 32));
    private const string Input = "02000000" + "0151" + "feffffff"; // after the txid: index 2, scriptSig OP_1, nSequence
    private const string InputNoScriptSig = "02000000" + "00" + "feffffff";
    private static readonly string Output = "e803000000000000" + "16" + "0014" + string.Concat(Enumerable.Repeat("22", 20)); // 1000 sat, P2WPKH
    private const string LockTime = "44332211";

    // version 1, one input, one output, nLockTime 0x11223344.
    private static readonly string LegacyHex = "01000000" + "01" + PrevTxId + Input + "01" + Output + LockTime;

    // version 2, marker 0x00 + flag 0x01, one input with a two-item witness (0xaa and the empty item).
    private static readonly string WitnessHex = "02000000" + "0001" + "01" + PrevTxId + InputNoScriptSig + "01" + Output + "02" + "01aa" + "00" + LockTime;

    private static readonly string StrippedHex = "02000000" + "01" + PrevTxId + InputNoScriptSig + "01" + Output + LockTime;

    private static CustodyError MalformedReason(string hex, out string message)
    {
        var ex = Assert.Throws<TransactionFormatException>(() => Transaction.Parse(Hex(hex)));
        message = ex.Message;
        return ex.Reason;
    }

    [Fact]
    public void A_hand_assembled_legacy_transaction_parses_field_by_field_and_round_trips()
    {
        var tx = Transaction.Parse(LegacyHex);
        Assert.Equal(1, tx.Version);
        Assert.Equal(0x11223344u, tx.LockTime);
        var input = Assert.Single(tx.Inputs);
        Assert.Equal(PrevTxId, ToHex(input.PrevOut.TxId.Span));
        Assert.Equal(2u, input.PrevOut.Index);
        Assert.Equal("51", input.ScriptSig.ToHex());
        Assert.Equal(0xfffffffeu, input.Sequence);
        Assert.Empty(input.Witness);
        var output = Assert.Single(tx.Outputs);
        Assert.Equal(1000, output.Value);
        Assert.Equal(Output[18..], output.ScriptPubKey.ToHex());
        Assert.False(tx.HasWitness);
        Assert.Equal(LegacyHex, tx.ToHex());
        Assert.Equal(LegacyHex, tx.ToHex(includeWitness: false));
    }

    [Fact]
    public void A_witness_transaction_parses_its_stacks_and_hashes_txid_without_and_wtxid_with_them()
    {
        var tx = Transaction.Parse(WitnessHex);
        Assert.Equal(2, tx.Version);
        Assert.True(tx.HasWitness);
        var witness = Assert.Single(tx.Inputs).Witness;
        Assert.Equal(2, witness.Count);
        Assert.Equal("aa", ToHex(witness[0]));
        Assert.Empty(witness[1]);
        Assert.Equal(WitnessHex, tx.ToHex());
        Assert.Equal(StrippedHex, tx.ToHex(includeWitness: false));
        Assert.Equal(ToHex(SHA256.HashData(SHA256.HashData(Hex(StrippedHex)))), ToHex(tx.GetTxId().Span));
        Assert.Equal(ToHex(SHA256.HashData(SHA256.HashData(Hex(WitnessHex)))), ToHex(tx.GetWitnessTxId().Span));
        // BIP-141: weight = 3 × stripped size + total size.
        Assert.Equal((3 * (StrippedHex.Length / 2)) + (WitnessHex.Length / 2), tx.GetWeight());
    }

    [Fact]
    public void Every_strict_prefix_of_a_valid_transaction_is_malformed_end_of_data()
    {
        foreach (var hex in new[] { LegacyHex, WitnessHex })
        {
            for (var length = 0; length < hex.Length; length += 2)
            {
                Assert.Equal(CustodyError.TransactionMalformed, MalformedReason(hex[..length], out var message));
                Assert.Contains("end of data", message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void A_byte_after_the_lock_time_is_extra_data()
    {
        Assert.Equal(CustodyError.TransactionMalformed, MalformedReason(LegacyHex + "00", out var message));
        Assert.Contains("extra data", message, StringComparison.Ordinal);
        Assert.Equal(CustodyError.TransactionMalformed, MalformedReason(WitnessHex + "00", out _));
    }

    [Fact]
    public void A_witness_flag_with_only_empty_stacks_is_a_superfluous_witness_record()
    {
        // Core: "Superfluous witness record" when the flag is set but no input has a witness item.
        var hex = "02000000" + "0001" + "01" + PrevTxId + InputNoScriptSig + "01" + Output + "00" + LockTime;
        Assert.Equal(CustodyError.TransactionMalformed, MalformedReason(hex, out var message));
        Assert.Contains("superfluous witness", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("02")] // no witness bit at all
    [InlineData("03")] // witness bit plus an unknown bit: the witness is read, the leftover bit refused
    [InlineData("80")]
    public void Flag_bits_other_than_the_witness_bit_are_unknown_optional_data(string flag)
    {
        var hex = "02000000" + "00" + flag + "01" + PrevTxId + InputNoScriptSig + "01" + Output + "01" + "01aa" + LockTime;
        Assert.Equal(CustodyError.TransactionMalformed, MalformedReason(hex, out var message));
        Assert.Contains("unknown transaction optional data", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_witness_parsing_a_zero_input_transaction_keeps_its_outputs()
    {
        // The extended format's ambiguity: with witnesses allowed, the empty input vector is read as the marker and the
        // output count 0x01 as the flag, so the bytes of the output are then read as inputs and run out.
        var hex = "01000000" + "00" + "01" + Output + LockTime;
        var tx = Transaction.Parse(Hex(hex), allowWitness: false);
        Assert.Empty(tx.Inputs);
        Assert.Equal(1000, Assert.Single(tx.Outputs).Value);
        Assert.Equal(hex, tx.ToHex());
        Assert.Equal(CustodyError.TransactionMalformed, MalformedReason(hex, out _));
        // A zero byte after the empty input vector is a zero flag: no outputs are read, and the lock time follows.
        var empty = Transaction.Parse(Hex("01000000" + "00" + "00" + LockTime));
        Assert.Empty(empty.Inputs);
        Assert.Empty(empty.Outputs);
        Assert.Equal(0x11223344u, empty.LockTime);
    }

    [Theory]
    [InlineData("fd0100")] // input count 1 in three bytes
    [InlineData("fe01000002")] // input count above MAX_SIZE
    public void A_non_canonical_or_oversized_input_count_is_malformed(string count)
    {
        Assert.Equal(CustodyError.TransactionMalformed, MalformedReason("01000000" + count + PrevTxId + Input + "01" + Output + LockTime, out var message));
        Assert.Contains("CompactSize", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parsing_hex_refuses_null_and_text_that_is_not_hex()
    {
        Assert.Equal("hex", Assert.Throws<ArgumentNullException>(() => Transaction.Parse((string)null!)).ParamName);
        var ex = Assert.Throws<TransactionFormatException>(() => Transaction.Parse(LegacyHex[..^1]));
        Assert.Equal(CustodyError.TransactionMalformed, ex.Reason);
        Assert.Contains("not hex", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Clone_keeps_version_and_lock_time_and_copies_witness_items()
    {
        var tx = Transaction.Parse(WitnessHex);
        tx.Version = -7;
        tx.LockTime = 500_000_000;
        var clone = tx.Clone();
        Assert.Equal(-7, clone.Version);
        Assert.Equal(500_000_000u, clone.LockTime);
        Assert.Equal(tx.ToHex(), clone.ToHex());
        clone.Inputs[0].Witness[0][0] = 0xbb;
        Assert.Equal(0xaa, tx.Inputs[0].Witness[0][0]);
    }

    [Fact]
    public void Tx_out_parses_its_exact_wire_form_only()
    {
        var output = TxOut.Parse(Hex(Output));
        Assert.Equal(1000, output.Value);
        Assert.Equal(Output, ToHex(output.ToBytes()));
        var extra = Assert.Throws<TransactionFormatException>(() => TxOut.Parse(Hex(Output + "00")));
        Assert.Equal(CustodyError.TransactionMalformed, extra.Reason);
        Assert.Contains("extra data", extra.Message, StringComparison.Ordinal);
        for (var length = 0; length < Output.Length; length += 2)
        {
            var cut = Assert.Throws<TransactionFormatException>(() => TxOut.Parse(Hex(Output[..length])));
            Assert.Equal(CustodyError.TransactionMalformed, cut.Reason);
            Assert.Contains("end of data", cut.Message, StringComparison.Ordinal);
        }
        // The 22-byte script length written in three bytes.
        var nonCanonical = Assert.Throws<TransactionFormatException>(() => TxOut.Parse(Hex("e803000000000000" + "fd1600" + Output[18..])));
        Assert.Equal(CustodyError.TransactionMalformed, nonCanonical.Reason);
        Assert.Contains("CompactSize", nonCanonical.Message, StringComparison.Ordinal);
        Assert.Equal("scriptPubKey", Assert.Throws<ArgumentNullException>(() => new TxOut(1, null!)).ParamName);
    }

    [Fact]
    public void Tx_id_is_32_bytes_shown_reversed()
    {
        // The genesis block's coinbase: displayed 4a5e1e4b…, serialized 3ba3edfd….
        const string display = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b";
        var txid = TxId.Parse(display);
        Assert.Equal("3ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a", ToHex(txid.Span));
        Assert.Equal(display, txid.ToString());
        Assert.False(txid.IsZero);
        foreach (var length in new[] { 0, 31, 33 })
        {
            var ex = Assert.Throws<TransactionFormatException>(() => new TxId(new byte[length]));
            Assert.Equal(CustodyError.TransactionMalformed, ex.Reason);
            Assert.Contains("32 bytes", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_default_tx_id_is_the_zero_hash()
    {
        var none = default(TxId);
        Assert.True(none.IsZero);
        Assert.Equal(new byte[32], none.Span.ToArray());
        Assert.Equal(new string('0', 64), none.ToString());
        Assert.Equal(new TxId(new byte[32]), none);
        Assert.True(new TxId(new byte[32]).IsZero);
        var lastByteSet = new byte[32];
        lastByteSet[31] = 1;
        Assert.False(new TxId(lastByteSet).IsZero);
    }

    [Fact]
    public void Only_the_zero_hash_with_index_ffffffff_is_the_null_prevout()
    {
        var zero = new TxId(new byte[32]);
        var other = new TxId(Hex(PrevTxId));
        Assert.True(new OutPoint(zero, uint.MaxValue).IsNull);
        Assert.False(new OutPoint(zero, uint.MaxValue - 1).IsNull);
        Assert.False(new OutPoint(zero, 0).IsNull);
        Assert.False(new OutPoint(other, uint.MaxValue).IsNull);
        Assert.Equal(PrevTxId + ":4294967295", new OutPoint(other, uint.MaxValue).ToString());
    }

    // Core's CheckTransaction: "bad-txns-oversize" when the size without witness × 4 exceeds MAX_BLOCK_WEIGHT (4 000 000).
    // One input (41 bytes), one output of a script of scriptLength bytes (length prefix 0xfe + 4 bytes):
    // 4 + 1 + 41 + 1 + 8 + 5 + scriptLength + 4 = 64 + scriptLength bytes.
    private static Transaction WithStrippedSize(int size)
    {
        var tx = new Transaction();
        tx.Inputs.Add(new TxIn(new OutPoint(new TxId(Hex(PrevTxId)), 0)));
        tx.Outputs.Add(new TxOut(1000, new Script(new byte[size - 64])));
        Assert.Equal(size, tx.ToBytes(includeWitness: false).Length);
        return tx;
    }

    [Fact]
    public void Check_allows_a_stripped_size_of_exactly_a_quarter_of_the_weight_limit_and_refuses_one_byte_more()
    {
        Assert.Equal(CustodyError.None, WithStrippedSize(1_000_000).Check());
        Assert.Equal(CustodyError.TransactionTooLarge, WithStrippedSize(1_000_001).Check());
        // Witness bytes do not count in this rule.
        var withWitness = WithStrippedSize(1_000_000);
        withWitness.Inputs[0].Witness.Add(new byte[1000]);
        Assert.Equal(CustodyError.None, withWitness.Check());
        Assert.Equal(CustodyError.None, Transaction.Parse(LegacyHex).Check());
    }
}
