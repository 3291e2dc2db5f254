using System.Security.Cryptography;
using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

// Signature hash edges, checked against preimages assembled by hand from Bitcoin Core's interpreter.cpp
// (CTransactionSignatureSerializer for legacy, SignatureHash's BIP-143 branch for segwit v0).
public partial class TransactionEdgeTests
{
    private const int SigHashAll = 1;

    private static readonly byte[] HashOne = Hex("01" + new string('0', 62));

    [Theory]
    [InlineData("51ab52", "025152")] // OP_CODESEPARATOR removed, size counts the remaining bytes
    [InlineData("51ab", "0151")] // a separator at the very end leaves nothing after it
    [InlineData("4c", "014c")] // OP_PUSHDATA1 without its length byte: the opcode is kept
    [InlineData("0201", "0202")] // push of 2 bytes with 1 present: only the opcode is written, the size still says 2
    [InlineData("51ab030102", "045103")] // the same after a separator: size 5 − 1, bytes 51 and 03
    public void Legacy_sighash_serializes_the_script_code_as_core_does_even_when_its_last_push_is_cut_short(string scriptCode, string serialized)
    {
        // Core's SerializeScriptCode writes size − separators, then the bytes up to where GetOp stopped: a push cut short
        // stops after its opcode, so its data bytes are not written.
        var preimage = "01000000" + "01" + PrevTxId + "02000000" + serialized + "feffffff" + "01" + Output + LockTime + "01000000";
        var expected = SHA256.HashData(SHA256.HashData(Hex(preimage)));
        var tx = Transaction.Parse(LegacyHex);
        Assert.Equal(ToHex(expected), ToHex(SignatureHash.Legacy(tx, 0, Script.FromHex(scriptCode), SigHashAll)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(int.MaxValue)]
    public void Legacy_sighash_of_an_input_index_outside_the_transaction_is_the_hash_one(int inputIndex)
    {
        // Core returns uint256::ONE when nIn >= vin.size().
        var tx = Transaction.Parse(LegacyHex);
        Assert.Equal(HashOne, SignatureHash.Legacy(tx, inputIndex, Script.Empty, SigHashAll));
        Assert.NotEqual(HashOne, SignatureHash.Legacy(tx, 0, Script.Empty, SigHashAll));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void Witness_v0_sighash_of_an_input_index_outside_the_transaction_is_refused(int inputIndex)
    {
        var tx = Transaction.Parse(WitnessHex);
        var ex = Assert.Throws<TransactionFormatException>(() => SignatureHash.WitnessV0(tx, inputIndex, Script.Empty, 1000, SigHashAll));
        Assert.Equal(CustodyError.InputIndexOutOfRange, ex.Reason);
        Assert.Contains("input index", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Witness_v0_sighash_uses_the_precomputed_hashes_it_is_given()
    {
        // The precomputed hashOutputs stand for the transaction as it was when they were computed.
        var tx = Transaction.Parse(WitnessHex);
        var scriptCode = Script.FromHex("76a914" + string.Concat(Enumerable.Repeat("22", 20)) + "88ac");
        var precomputed = new PrecomputedTransactionData(tx);
        var before = SignatureHash.WitnessV0(tx, 0, scriptCode, 5000, SigHashAll);
        tx.Outputs[0].Value = 2000;
        Assert.Equal(before, SignatureHash.WitnessV0(tx, 0, scriptCode, 5000, SigHashAll, precomputed));
        Assert.NotEqual(before, SignatureHash.WitnessV0(tx, 0, scriptCode, 5000, SigHashAll));
        Assert.Equal(before, SignatureHash.WitnessV0(Transaction.Parse(WitnessHex), 0, scriptCode, 5000, SigHashAll, precomputed));
    }

    [Fact]
    public void Signature_hashes_refuse_null_arguments_by_name()
    {
        var tx = Transaction.Parse(LegacyHex);
        Assert.Equal("tx", Assert.Throws<ArgumentNullException>(() => new PrecomputedTransactionData(null!)).ParamName);
        Assert.Equal("tx", Assert.Throws<ArgumentNullException>(() => SignatureHash.Legacy(null!, 0, Script.Empty, SigHashAll)).ParamName);
        Assert.Equal("scriptCode", Assert.Throws<ArgumentNullException>(() => SignatureHash.Legacy(tx, 0, null!, SigHashAll)).ParamName);
        Assert.Equal("tx", Assert.Throws<ArgumentNullException>(() => SignatureHash.WitnessV0(null!, 0, Script.Empty, 0, SigHashAll)).ParamName);
        Assert.Equal("scriptCode", Assert.Throws<ArgumentNullException>(() => SignatureHash.WitnessV0(tx, 0, null!, 0, SigHashAll)).ParamName);
    }
}
