using System.Text.RegularExpressions;
using BitCurrent.Custody.Internal;
using Org.BouncyCastle.Crypto.Digests;
using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

/// <summary>The interpreter at the edges of Bitcoin Core's rules (interpreter.cpp): limits, each opcode's stack needs, CHECKMULTISIG's
/// counts and NULLFAIL clean-up, signature and key encodings, witness versions and FindAndDelete.</summary>
public partial class ScriptVerifierEdgeTests
{
    private const long Amount = 100_000;
    private const ScriptVerifyFlags None = ScriptVerifyFlags.None;
    private const ScriptVerifyFlags Standard = ScriptVerifyFlags.Standard;
    private static readonly TxId FundingId = TxId.Parse("5c0f4a9c6b1e2d3f40516273849506a7b8c9daebfc0d1e2f30415263748596a7");

    private static Transaction Spending(Script scriptSig, params byte[][] witness)
    {
        var tx = new Transaction();
        tx.Inputs.Add(new TxIn(new OutPoint(FundingId, 0), scriptSig) { Witness = [.. witness] });
        tx.Outputs.Add(new TxOut(90_000, Script.P2pkh(Filled(20, 0x11))));
        return tx;
    }

    private static ScriptError Run(Script scriptSig, Script scriptPubKey, ScriptVerifyFlags flags, params byte[][] witness)
        => ScriptVerifier.VerifyInput(Spending(scriptSig, witness), 0, new TxOut(Amount, scriptPubKey), flags);

    private static ScriptError Run(string scriptSig, string scriptPubKey, ScriptVerifyFlags flags, params byte[][] witness)
        => Run(ScriptNotation.Parse(scriptSig), ScriptNotation.Parse(scriptPubKey), flags, witness);

    private static Script Pushes(params byte[][] items)
    {
        var builder = new ScriptBuilder();
        foreach (var item in items)
        {
            builder.Push(item);
        }
        return builder.ToScript();
    }

    // A legacy signature of input 0 of Spending(...) (its scriptSig is not part of the legacy sighash).
    private static byte[] SignLegacy(PrivateKey key, Script scriptCode, int hashType = 1)
        => [.. key.Sign(SignatureHash.Legacy(Spending(Script.Empty), 0, scriptCode, hashType)).ToDer(), (byte)hashType];

    private static byte[] SignWitness(PrivateKey key, Script scriptCode, int hashType = 1)
        => [.. key.Sign(SignatureHash.WitnessV0(Spending(Script.Empty), 0, scriptCode, Amount, hashType)).ToDer(), (byte)hashType];

    // A well-formed low-S DER signature that does not verify for Spending(...).
    private static byte[] WrongSignature(PrivateKey key) => [.. key.Sign(Hashes.Sha256("not the sighash"u8)).ToDer(), 1];

    // ---------- arguments, transaction checks, input index ----------

    [Fact]
    public void Verify_refuses_null_arguments()
    {
        var tx = Spending(Script.Empty);
        var output = new TxOut(Amount, Script.FromHex("51"));
        Assert.Throws<ArgumentNullException>(() => ScriptVerifier.VerifyTransaction(null!, [output]));
        Assert.Throws<ArgumentNullException>(() => ScriptVerifier.VerifyTransaction(tx, null!));
        Assert.Throws<ArgumentNullException>(() => ScriptVerifier.VerifyInput(null!, 0, output));
        Assert.Throws<ArgumentNullException>(() => ScriptVerifier.VerifyInput(tx, 0, null!));
    }

    [Fact]
    public void Verify_transaction_runs_the_context_free_checks_and_needs_one_prevout_per_input()
    {
        var anyoneCanSpend = new TxOut(Amount, Script.FromHex("51"));
        var tx = Spending(Script.Empty);
        Assert.Equal(ScriptError.Ok, ScriptVerifier.VerifyTransaction(tx, [anyoneCanSpend]));
        Assert.Equal(ScriptError.MissingPrevout, ScriptVerifier.VerifyTransaction(tx, []));
        Assert.Equal(ScriptError.MissingPrevout, ScriptVerifier.VerifyTransaction(tx, [anyoneCanSpend, anyoneCanSpend]));
        var noOutputs = Spending(Script.Empty);
        noOutputs.Outputs.Clear();
        Assert.Equal(ScriptError.InvalidTransaction, ScriptVerifier.VerifyTransaction(noOutputs, [anyoneCanSpend]));
        var twoInputs = Spending(Script.Empty);
        twoInputs.Inputs.Add(new TxIn(new OutPoint(FundingId, 1)));
        Assert.Equal(ScriptError.EvalFalse, ScriptVerifier.VerifyTransaction(twoInputs, [anyoneCanSpend, new TxOut(Amount, Script.FromHex("00"))]));
    }

    [Fact]
    public void Verify_input_index_must_name_an_input()
    {
        var tx = Spending(Script.Empty);
        var output = new TxOut(Amount, Script.FromHex("51"));
        Assert.Equal(ScriptError.Ok, ScriptVerifier.VerifyInput(tx, 0, output));
        Assert.Equal(ScriptError.MissingPrevout, ScriptVerifier.VerifyInput(tx, -1, output));
        Assert.Equal(ScriptError.MissingPrevout, ScriptVerifier.VerifyInput(tx, 1, output));
    }

    // ---------- CastToBool ----------

    [Theory]
    [InlineData("", false)]
    [InlineData("00", false)]
    [InlineData("80", false)] // negative zero
    [InlineData("0000", false)]
    [InlineData("0080", false)]
    [InlineData("000080", false)]
    [InlineData("01", true)]
    [InlineData("ff", true)]
    [InlineData("8000", true)]
    [InlineData("8001", true)]
    [InlineData("0001", true)]
    [InlineData("0081", true)]
    [InlineData("008000", true)]
    public void Cast_to_bool_is_false_only_for_zero_and_negative_zero(string hex, bool expected)
    {
        Assert.Equal(expected, ScriptVerifier.CastToBool(Hex(hex)));
    }

    // ---------- opcodes ----------

    [Theory]
    [InlineData("CAT")]
    [InlineData("SUBSTR")]
    [InlineData("LEFT")]
    [InlineData("RIGHT")]
    [InlineData("INVERT")]
    [InlineData("AND")]
    [InlineData("OR")]
    [InlineData("XOR")]
    [InlineData("2MUL")]
    [InlineData("2DIV")]
    [InlineData("MUL")]
    [InlineData("DIV")]
    [InlineData("MOD")]
    [InlineData("LSHIFT")]
    [InlineData("RSHIFT")]
    public void Each_disabled_opcode_fails_as_disabled(string opcode)
    {
        Assert.Equal(ScriptError.DisabledOpcode, Run("", "1 1 " + opcode, None));
    }

    [Theory]
    [InlineData("1 1 TUCK", ScriptError.UnsupportedOpcode)]
    [InlineData("1 SIZE", ScriptError.UnsupportedOpcode)]
    [InlineData("1 1SUB", ScriptError.UnsupportedOpcode)]
    [InlineData("1 NEGATE", ScriptError.UnsupportedOpcode)]
    [InlineData("1 1 SUB", ScriptError.UnsupportedOpcode)]
    [InlineData("1 1 BOOLAND", ScriptError.UnsupportedOpcode)]
    [InlineData("1 IF 1 ENDIF", ScriptError.UnsupportedOpcode)]
    [InlineData("1 NOP10", ScriptError.UnsupportedOpcode)]
    [InlineData("1 RESERVED", ScriptError.BadOpcode)]
    [InlineData("1 CHECKSIGADD", ScriptError.BadOpcode)]
    [InlineData("1 0xbb", ScriptError.BadOpcode)]
    [InlineData("1 INVALIDOPCODE", ScriptError.BadOpcode)]
    [InlineData("1 0x4c", ScriptError.BadOpcode)]
    public void Opcodes_outside_the_interpreter_are_refused_and_undefined_ones_are_bad(string script, ScriptError expected)
    {
        Assert.Equal(expected, Run("", script, None));
    }

    [Theory]
    [InlineData("1 NOP", ScriptError.Ok)]
    [InlineData("1 RETURN", ScriptError.OpReturn)]
    [InlineData("VERIFY", ScriptError.InvalidStackOperation)]
    [InlineData("1 VERIFY 1", ScriptError.Ok)]
    [InlineData("1 VERIFY", ScriptError.EvalFalse)]
    [InlineData("0 VERIFY 1", ScriptError.Verify)]
    [InlineData("0x0180 VERIFY 1", ScriptError.Verify)]
    [InlineData("DROP 1", ScriptError.InvalidStackOperation)]
    [InlineData("1 DROP", ScriptError.EvalFalse)]
    [InlineData("0 DROP 1", ScriptError.Ok)]
    [InlineData("DUP", ScriptError.InvalidStackOperation)]
    [InlineData("2 DUP EQUAL", ScriptError.Ok)]
    [InlineData("EQUAL", ScriptError.InvalidStackOperation)]
    [InlineData("1 EQUAL", ScriptError.InvalidStackOperation)]
    [InlineData("1 2 EQUAL", ScriptError.EvalFalse)]
    [InlineData("0x0100 0 EQUAL", ScriptError.EvalFalse)] // bytes, not numbers
    [InlineData("1 1 EQUALVERIFY 1", ScriptError.Ok)]
    [InlineData("1 1 EQUALVERIFY", ScriptError.EvalFalse)]
    [InlineData("1 2 EQUALVERIFY 1", ScriptError.EqualVerify)]
    [InlineData("1NEGATE 0x0181 EQUAL", ScriptError.Ok)]
    [InlineData("1 0x0101 EQUAL", ScriptError.Ok)]
    [InlineData("16 0x0110 EQUAL", ScriptError.Ok)]
    [InlineData("0x4e0100000007 7 EQUAL", ScriptError.Ok)] // PUSHDATA4 is a push
    [InlineData("0x4d010007 7 EQUAL", ScriptError.Ok)]
    [InlineData("SHA256", ScriptError.InvalidStackOperation)]
    [InlineData("HASH160", ScriptError.InvalidStackOperation)]
    [InlineData("HASH256", ScriptError.InvalidStackOperation)]
    public void Stack_operations_follow_core(string script, ScriptError expected)
    {
        Assert.Equal(expected, Run("", script, None));
    }

    [Fact]
    public void Hash_opcodes_match_independent_implementations()
    {
        var data = "abc"u8.ToArray();
        var sha = System.Security.Cryptography.SHA256.HashData(data);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ToHex(sha)); // FIPS 180-2 vector
        var sha2 = System.Security.Cryptography.SHA256.HashData(sha);
        var ripemd = new RipeMD160Digest();
        ripemd.BlockUpdate(sha, 0, sha.Length);
        var hash160 = new byte[20];
        ripemd.DoFinal(hash160, 0);
        foreach (var (op, expected) in new[] { ("SHA256", sha), ("HASH256", sha2), ("HASH160", hash160) })
        {
            var script = new ScriptBuilder().Push(data).Op(ScriptNotation.Parse(op).Span[0]).Push(expected).Op(Opcode.OP_EQUAL).ToScript();
            Assert.Equal(ScriptError.Ok, Run(Script.Empty, script, Standard));
        }
        Assert.Equal(ScriptError.EvalFalse, Run(Script.Empty, new ScriptBuilder().Push(data).Op(Opcode.OP_SHA256).Push(sha2).Op(Opcode.OP_EQUAL).ToScript(), None));
        Assert.Equal(ScriptError.EvalFalse, Run(Script.Empty, new ScriptBuilder().Push(data).Op(Opcode.OP_HASH256).Push(hash160).Op(Opcode.OP_EQUAL).ToScript(), None));
    }

    // ---------- MINIMALDATA pushes (Core's CheckMinimalPush) ----------

    [GeneratedRegex(@"\{(\d+)\}")]
    private static partial Regex Filler();

    [Theory]
    [InlineData("00", true)]
    [InlineData("4c00", false)] // empty: OP_0
    [InlineData("4d0000", false)]
    [InlineData("0100", true)]
    [InlineData("0101", false)] // OP_1
    [InlineData("0110", false)] // OP_16
    [InlineData("0111", true)]
    [InlineData("0181", false)] // OP_1NEGATE
    [InlineData("0180", true)]
    [InlineData("028100", true)]
    [InlineData("020100", true)]
    [InlineData("4b{75}", true)]
    [InlineData("4c4b{75}", false)]
    [InlineData("4c4c{76}", true)]
    [InlineData("4cff{255}", true)]
    [InlineData("4d4c00{76}", false)]
    [InlineData("4dff00{255}", false)]
    [InlineData("4d0001{256}", true)]
    [InlineData("4e00010000{256}", false)]
    [InlineData("4d0802{520}", true)]
    [InlineData("4e08020000{520}", false)]
    public void Minimal_data_requires_the_smallest_push_for_each_length(string push, bool minimal)
    {
        var hex = Filler().Replace(push, m => string.Concat(Enumerable.Repeat("42", int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))));
        var script = "0x" + hex + " DROP 1";
        Assert.Equal(minimal ? ScriptError.Ok : ScriptError.MinimalData, Run("", script, ScriptVerifyFlags.MinimalData));
        Assert.Equal(ScriptError.Ok, Run("", script, None));
    }

    // ---------- limits ----------

    [Fact]
    public void Script_size_limit_is_10000_bytes_inclusive()
    {
        // 75-byte pushes (76 bytes each), then OP_1s for the remainder.
        static Script OfLength(int length)
        {
            var builder = new ScriptBuilder();
            for (var i = 0; i < length / 76; i++)
            {
                builder.Push(Filled(75, 1));
            }
            for (var i = 0; i < length % 76; i++)
            {
                builder.Op(Opcode.OP_1);
            }
            var script = builder.ToScript();
            Assert.Equal(length, script.Length);
            return script;
        }
        Assert.Equal(ScriptError.Ok, Run(Script.Empty, OfLength(10_000), None));
        Assert.Equal(ScriptError.ScriptSize, Run(Script.Empty, OfLength(10_001), None));
    }

    [Fact]
    public void Push_size_limit_is_520_bytes_inclusive()
    {
        Assert.Equal(ScriptError.Ok, Run(Script.Empty, Pushes(Filled(520, 1)), None));
        Assert.Equal(ScriptError.PushSize, Run(Script.Empty, Pushes(Filled(521, 1)), None));
        Assert.Equal(ScriptError.PushSize, Run(Pushes(Filled(521, 1)), Script.FromHex("51"), None));
    }

    [Fact]
    public void Op_count_limit_is_201_non_push_operations_and_pushes_do_not_count()
    {
        static Script Nops(int count, string before, string after) => ScriptNotation.Parse(before + string.Concat(Enumerable.Repeat(" NOP", count)) + " " + after);
        Assert.Equal(ScriptError.Ok, Run(Script.Empty, Nops(201, "0x01ab 1 1NEGATE 0 2", "16"), None));
        Assert.Equal(ScriptError.OpCount, Run(Script.Empty, Nops(202, "1", "16"), None));
        Assert.Equal(ScriptError.OpCount, Run(Script.Empty, Nops(202, "0x01ab", "0x01ab"), None));
    }

    [Fact]
    public void Checkmultisig_counts_its_keys_as_operations()
    {
        var keys = string.Concat(Enumerable.Repeat(" 0x21" + new string('2', 66), 20));
        var multisig = "0 0" + keys + " 20 CHECKMULTISIG";
        Assert.Equal(ScriptError.Ok, Run("", string.Concat(Enumerable.Repeat("NOP ", 180)) + multisig, None));
        Assert.Equal(ScriptError.OpCount, Run("", string.Concat(Enumerable.Repeat("NOP ", 181)) + multisig, None));
    }

    [Fact]
    public void Stack_size_limit_is_1000_items_inclusive()
    {
        Assert.Equal(ScriptError.Ok, Run(Script.Empty, new Script(Filled(1000, (byte)Opcode.OP_1)), None));
        Assert.Equal(ScriptError.StackSize, Run(Script.Empty, new Script(Filled(1001, (byte)Opcode.OP_1)), None));
    }

    // ---------- CHECKMULTISIG counts ----------

    [Theory]
    [InlineData("CHECKMULTISIG", ScriptError.InvalidStackOperation)]
    [InlineData("21 CHECKMULTISIG", ScriptError.PubKeyCount)]
    [InlineData("1NEGATE CHECKMULTISIG", ScriptError.PubKeyCount)]
    [InlineData("0 1 CHECKMULTISIG", ScriptError.InvalidStackOperation)]
    [InlineData("2 0x21{k} 1 CHECKMULTISIG", ScriptError.SigCount)]
    [InlineData("0 2 0x21{k} 1 CHECKMULTISIG", ScriptError.SigCount)]
    [InlineData("1NEGATE 0 CHECKMULTISIG", ScriptError.SigCount)]
    [InlineData("0 0 CHECKMULTISIG", ScriptError.InvalidStackOperation)]
    [InlineData("1 0 0 CHECKMULTISIG", ScriptError.Ok)] // the dummy is not checked without NULLDUMMY
    [InlineData("0 0 0 CHECKMULTISIG", ScriptError.Ok)] // 0-of-0 succeeds
    [InlineData("0 0 0 CHECKMULTISIGVERIFY 1", ScriptError.Ok)]
    [InlineData("0x050100000000 CHECKMULTISIG", ScriptError.ScriptNumberOverflow)]
    [InlineData("0x050100000000 0 CHECKMULTISIG", ScriptError.ScriptNumberOverflow)]
    [InlineData("0x0400000000 0x0400000000 CHECKMULTISIG", ScriptError.InvalidStackOperation)] // non-minimal zeros are zero
    public void Checkmultisig_key_and_signature_counts(string script, ScriptError expected)
    {
        Assert.Equal(expected, Run("", script.Replace("{k}", new string('2', 66), StringComparison.Ordinal), None));
    }

    [Theory]
    [InlineData("0x0401000000 CHECKMULTISIG", ScriptError.MinimalData)]
    [InlineData("0x020100 0 CHECKMULTISIG", ScriptError.MinimalData)]
    [InlineData("0x050100000000 CHECKMULTISIG", ScriptError.ScriptNumberOverflow)]
    [InlineData("0x050000000000 0 CHECKMULTISIG", ScriptError.ScriptNumberOverflow)]
    [InlineData("1 0 0 CHECKMULTISIG", ScriptError.SigNullDummy)]
    [InlineData("0 0 0 CHECKMULTISIG", ScriptError.Ok)]
    public void Checkmultisig_counts_under_minimal_data_and_null_dummy(string script, ScriptError expected)
    {
        Assert.Equal(expected, Run("", script, ScriptVerifyFlags.MinimalData | ScriptVerifyFlags.NullDummy));
    }

    [Fact]
    public void Checkmultisig_takes_up_to_20_keys()
    {
        static string Bare(int n) => "0 0" + string.Concat(Enumerable.Repeat(" 0x21" + new string('3', 66), n)) + " " + n.ToString(System.Globalization.CultureInfo.InvariantCulture) + " CHECKMULTISIG";
        Assert.Equal(ScriptError.Ok, Run("", Bare(20), None));
        Assert.Equal(ScriptError.PubKeyCount, Run("", Bare(21), None));
    }
}
