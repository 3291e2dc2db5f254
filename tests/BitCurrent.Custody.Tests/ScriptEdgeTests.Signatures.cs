using BitCurrent.Custody.Internal;
using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

/// <summary>Signature checks, key encodings and the witness rules of the verifier, with signatures made here over the sighash
/// Bitcoin Core would compute.</summary>
public partial class ScriptVerifierEdgeTests
{
    private const ScriptVerifyFlags P2shWitness = ScriptVerifyFlags.P2sh | ScriptVerifyFlags.Witness;

    private static readonly Script EmptySignature = Script.FromHex("00");

    // ---------- CHECKSIG ----------

    [Fact]
    public void Checksig_failure_is_false_for_an_empty_signature_and_nullfail_for_any_other()
    {
        using var key = SmallKey(1);
        var p2pk = Script.P2pk(key.PublicKey);
        Assert.Equal(ScriptError.Ok, Run(Pushes(SignLegacy(key, p2pk)), p2pk, Standard));
        Assert.Equal(ScriptError.EvalFalse, Run(EmptySignature, p2pk, Standard));
        Assert.Equal(ScriptError.EvalFalse, Run(EmptySignature, p2pk, ScriptVerifyFlags.NullFail));
        Assert.Equal(ScriptError.EvalFalse, Run(EmptySignature, p2pk, None));
        Assert.Equal(ScriptError.NullFail, Run(Pushes(WrongSignature(key)), p2pk, Standard));
        Assert.Equal(ScriptError.NullFail, Run(Pushes(WrongSignature(key)), p2pk, ScriptVerifyFlags.NullFail));
        Assert.Equal(ScriptError.EvalFalse, Run(Pushes(WrongSignature(key)), p2pk, None));
        var verify = new ScriptBuilder().Push(key.PublicKey.Span).Op(Opcode.OP_CHECKSIGVERIFY).Op(Opcode.OP_1).ToScript();
        Assert.Equal(ScriptError.Ok, Run(Pushes(SignLegacy(key, verify)), verify, Standard));
        Assert.Equal(ScriptError.CheckSigVerify, Run(EmptySignature, verify, Standard));
    }

    [Fact]
    public void Checksig_with_an_undecodable_signature_or_key_is_false_without_encoding_flags()
    {
        using var key = SmallKey(1);
        var p2pk = Script.P2pk(key.PublicKey);
        Assert.Equal(ScriptError.EvalFalse, Run(Pushes([0xff, 0x01]), p2pk, None)); // not DER
        Assert.Equal(ScriptError.EvalFalse, Run(Pushes([0x30, 0x01]), p2pk, None)); // truncated DER
        Assert.Equal(ScriptError.SigDer, Run(Pushes([0x30, 0x01]), p2pk, ScriptVerifyFlags.DerSig));
        // x = 2^256 - 1 is not a field element, so this is no point.
        var notAKey = new ScriptBuilder().Push([0x02, .. Filled(32, 0xff)]).Op(Opcode.OP_CHECKSIG).ToScript();
        Assert.Equal(ScriptError.EvalFalse, Run(Pushes(SignLegacy(key, notAKey)), notAKey, None));
    }

    [Fact]
    public void High_s_signatures_are_valid_but_fail_low_s()
    {
        using var key = SmallKey(1);
        var p2pk = Script.P2pk(key.PublicKey);
        var signature = key.Sign(SignatureHash.Legacy(Spending(Script.Empty), 0, p2pk, 1));
        Assert.True(signature.IsLowS);
        var high = new EcdsaSignature(signature.R, Secp256k1.N.Subtract(signature.S));
        Assert.False(high.IsLowS);
        var scriptSig = Pushes([.. high.ToDer(), 1]);
        Assert.Equal(ScriptError.SigHighS, Run(scriptSig, p2pk, ScriptVerifyFlags.LowS));
        Assert.Equal(ScriptError.SigHighS, Run(scriptSig, p2pk, Standard));
        Assert.Equal(ScriptError.Ok, Run(scriptSig, p2pk, ScriptVerifyFlags.DerSig | ScriptVerifyFlags.StrictEnc | ScriptVerifyFlags.NullFail));
    }

    [Theory]
    [InlineData(0x00, false)]
    [InlineData(0x01, true)]
    [InlineData(0x02, true)]
    [InlineData(0x03, true)]
    [InlineData(0x04, false)]
    [InlineData(0x21, false)]
    [InlineData(0x80, false)]
    [InlineData(0x81, true)]
    [InlineData(0x83, true)]
    [InlineData(0x84, false)]
    public void Strict_encoding_allows_only_the_six_defined_sighash_types(int hashType, bool defined)
    {
        using var key = SmallKey(1);
        var p2pk = Script.P2pk(key.PublicKey);
        var scriptSig = Pushes(SignLegacy(key, p2pk, hashType));
        Assert.Equal(defined ? ScriptError.Ok : ScriptError.SigHashType, Run(scriptSig, p2pk, ScriptVerifyFlags.StrictEnc));
        Assert.Equal(ScriptError.Ok, Run(scriptSig, p2pk, ScriptVerifyFlags.DerSig | ScriptVerifyFlags.LowS | ScriptVerifyFlags.NullFail));
    }

    [Fact]
    public void Strict_encoding_takes_only_33_byte_compressed_and_65_byte_uncompressed_keys()
    {
        using var key = SmallKey(1, compressed: false);
        var uncompressed = key.PublicKey.ToBytes();
        var compressed = key.PublicKey.Compress().ToBytes();
        byte[][] refused =
        [
            [],
            compressed[..32],
            [0x05, .. compressed[1..]],
            [0x04, .. compressed[1..]],
            [0x06, .. uncompressed[1..]], // hybrid (G's y is even)
            [0x02, .. uncompressed[1..]],
            [.. compressed, 0x00],
        ];
        foreach (var bad in refused)
        {
            var script = new ScriptBuilder().Push(bad).Op(Opcode.OP_CHECKSIG).ToScript();
            Assert.Equal(ScriptError.PubKeyType, Run(EmptySignature, script, ScriptVerifyFlags.StrictEnc));
            Assert.Equal(ScriptError.EvalFalse, Run(EmptySignature, script, None));
        }
        foreach (var good in new[] { compressed, uncompressed })
        {
            var script = new ScriptBuilder().Push(good).Op(Opcode.OP_CHECKSIG).ToScript();
            Assert.Equal(ScriptError.EvalFalse, Run(EmptySignature, script, ScriptVerifyFlags.StrictEnc));
        }
    }

    [Fact]
    public void Hybrid_keys_verify_only_without_strict_encoding()
    {
        using var key = SmallKey(1, compressed: false);
        var uncompressed = key.PublicKey.ToBytes();
        Assert.Equal(0, uncompressed[64] & 1); // so the hybrid prefix is 0x06
        byte[] hybrid = [0x06, .. uncompressed[1..]];
        Assert.False(PublicKey.TryParse(hybrid, out _));
        var script = new ScriptBuilder().Push(hybrid).Op(Opcode.OP_CHECKSIG).ToScript();
        var scriptSig = Pushes(SignLegacy(key, script));
        Assert.Equal(ScriptError.Ok, Run(scriptSig, script, ScriptVerifyFlags.P2sh | ScriptVerifyFlags.DerSig | ScriptVerifyFlags.LowS | ScriptVerifyFlags.NullFail));
        Assert.Equal(ScriptError.PubKeyType, Run(scriptSig, script, ScriptVerifyFlags.StrictEnc));
        byte[] wrongParity = [0x07, .. uncompressed[1..]];
        var wrong = new ScriptBuilder().Push(wrongParity).Op(Opcode.OP_CHECKSIG).ToScript();
        Assert.Equal(ScriptError.EvalFalse, Run(Pushes(SignLegacy(key, wrong)), wrong, None));
    }

    // ---------- CHECKMULTISIG signatures and NULLFAIL clean-up ----------

    [Fact]
    public void Checkmultisig_nullfail_looks_at_signatures_only()
    {
        using var k1 = SmallKey(1);
        using var k2 = SmallKey(2);
        var oneOfTwo = Script.Multisig(1, [k1.PublicKey, k2.PublicKey], sortKeys: false);
        Assert.Equal(ScriptError.Ok, Run(Pushes([], SignLegacy(k2, oneOfTwo)), oneOfTwo, Standard));
        Assert.Equal(ScriptError.Ok, Run(Pushes([], SignLegacy(k1, oneOfTwo)), oneOfTwo, Standard));
        // Failing with an empty signature is plain false: the counts and keys popped with it are not signatures.
        Assert.Equal(ScriptError.EvalFalse, Run(Pushes([], []), oneOfTwo, ScriptVerifyFlags.NullFail | ScriptVerifyFlags.NullDummy));
        Assert.Equal(ScriptError.EvalFalse, Run(Pushes([], []), oneOfTwo, Standard));
        Assert.Equal(ScriptError.NullFail, Run(Pushes([], WrongSignature(k1)), oneOfTwo, ScriptVerifyFlags.NullFail));
        Assert.Equal(ScriptError.NullFail, Run(Pushes([], WrongSignature(k1)), oneOfTwo, Standard));
        Assert.Equal(ScriptError.EvalFalse, Run(Pushes([], WrongSignature(k1)), oneOfTwo, None));

        var twoOfTwo = Script.Multisig(2, [k1.PublicKey, k2.PublicKey], sortKeys: false);
        Assert.Equal(ScriptError.Ok, Run(Pushes([], SignLegacy(k1, twoOfTwo), SignLegacy(k2, twoOfTwo)), twoOfTwo, Standard));
        Assert.Equal(ScriptError.EvalFalse, Run(Pushes([], SignLegacy(k2, twoOfTwo), SignLegacy(k1, twoOfTwo)), twoOfTwo, ScriptVerifyFlags.NullDummy));
        // The top signature is empty and fails at once; the clean-up still finds the non-empty one beneath it.
        Assert.Equal(ScriptError.NullFail, Run(Pushes([], WrongSignature(k1), []), twoOfTwo, ScriptVerifyFlags.NullFail));
        Assert.Equal(ScriptError.EvalFalse, Run(Pushes([], WrongSignature(k1), []), twoOfTwo, None));
        Assert.Equal(ScriptError.EvalFalse, Run(Pushes([], [], []), twoOfTwo, ScriptVerifyFlags.NullFail));
    }

    // ---------- FindAndDelete ----------

    [Fact]
    public void Find_and_delete_removes_the_signature_and_keeps_a_truncated_tail()
    {
        using var key = SmallKey(1);
        var p2pk = Script.P2pk(key.PublicKey).ToBytes();
        // scriptPubKey: <key> CHECKSIG <signature> PUSHDATA1(truncated). The signature hash covers the script with the
        // signature push deleted and the bytes after the last complete op (0x4c) kept, as Core's FindAndDelete does.
        Script WithSignature(byte[] signature) => new([.. p2pk, .. Pushes(signature).Span, 0x4c]);
        var signature = SignLegacy(key, new Script([.. p2pk, 0x4c]));
        // CHECKSIG passes, then the truncated push is reached.
        Assert.Equal(ScriptError.BadOpcode, Run(Pushes(signature), WithSignature(signature), ScriptVerifyFlags.NullFail));
        Assert.Equal(ScriptError.SigFindAndDelete, Run(Pushes(signature), WithSignature(signature), ScriptVerifyFlags.NullFail | ScriptVerifyFlags.ConstScriptCode));
        // Signed over the script without the tail, the same construction fails the signature check.
        var withoutTail = SignLegacy(key, Script.P2pk(key.PublicKey));
        Assert.Equal(ScriptError.NullFail, Run(Pushes(withoutTail), WithSignature(withoutTail), ScriptVerifyFlags.NullFail));
    }

    // ---------- witness ----------

    [Fact]
    public void A_witness_on_a_spend_that_is_not_segwit_is_unexpected()
    {
        Assert.Equal(ScriptError.Ok, Run("", "1", Standard));
        Assert.Equal(ScriptError.WitnessUnexpected, Run("", "1", Standard, [0x01]));
        Assert.Equal(ScriptError.WitnessUnexpected, Run("", "1", ScriptVerifyFlags.Witness, [0x01]));
        Assert.Equal(ScriptError.Ok, Run("", "1", ScriptVerifyFlags.P2sh, [0x01])); // ignored without WITNESS
    }

    [Theory]
    [InlineData(1, 32, false, ScriptError.Ok)] // taproot: not verified here, passes as before the TAPROOT flag
    [InlineData(1, 20, false, ScriptError.DiscourageUpgradableWitnessProgram)]
    [InlineData(1, 33, false, ScriptError.DiscourageUpgradableWitnessProgram)]
    [InlineData(2, 32, false, ScriptError.DiscourageUpgradableWitnessProgram)]
    [InlineData(16, 40, false, ScriptError.DiscourageUpgradableWitnessProgram)]
    [InlineData(1, 32, true, ScriptError.DiscourageUpgradableWitnessProgram)] // P2SH-wrapped v1 is not taproot
    [InlineData(2, 32, true, ScriptError.DiscourageUpgradableWitnessProgram)]
    public void Witness_versions_above_0_pass_unless_discouraged_except_native_v1_32(int version, int length, bool wrapped, ScriptError standard)
    {
        var program = Script.WitnessProgram(version, Filled(length, 0x5a));
        var scriptPubKey = wrapped ? Script.P2sh(program) : program;
        var scriptSig = wrapped ? Pushes(program.ToBytes()) : Script.Empty;
        var witness = Filled(64, 0x01);
        Assert.Equal(standard, Run(scriptSig, scriptPubKey, Standard, witness));
        Assert.Equal(ScriptError.Ok, Run(scriptSig, scriptPubKey, Standard & ~ScriptVerifyFlags.DiscourageUpgradableWitnessProgram, witness));
        Assert.Equal(ScriptError.Ok, Run(scriptSig, scriptPubKey, P2shWitness));
    }

    [Fact]
    public void Version_0_programs_must_be_20_or_32_bytes()
    {
        var program = Script.FromHex("0019" + new string('5', 50));
        Assert.Equal(ScriptError.WitnessProgramWrongLength, Run(Script.Empty, program, P2shWitness, [0x01]));
        Assert.Equal(ScriptError.WitnessProgramWrongLength, Run(Pushes(program.ToBytes()), Script.P2sh(program), P2shWitness, [0x01]));
        Assert.Equal(ScriptError.Ok, Run(Script.Empty, program, ScriptVerifyFlags.P2sh));
    }

    [Fact]
    public void Segwit_v0_needs_compressed_keys_under_witness_pubkeytype()
    {
        using var key = SmallKey(3, compressed: false);
        var witnessScript = Script.P2pk(key.PublicKey);
        var p2wsh = Script.P2wsh(witnessScript);
        var signature = SignWitness(key, witnessScript);
        Assert.Equal(ScriptError.Ok, Run(Script.Empty, p2wsh, P2shWitness, signature, witnessScript.ToBytes()));
        Assert.Equal(ScriptError.WitnessPubKeyType, Run(Script.Empty, p2wsh, P2shWitness | ScriptVerifyFlags.WitnessPubKeyType, signature, witnessScript.ToBytes()));
        Assert.Equal(ScriptError.WitnessPubKeyType, Run(Script.Empty, p2wsh, Standard, signature, witnessScript.ToBytes()));
        // The rule is segwit's only: the same key in a legacy P2PK passes every flag.
        Assert.Equal(ScriptError.Ok, Run(Pushes(SignLegacy(key, witnessScript)), witnessScript, Standard));
        // 65 bytes behind a compressed prefix are no compressed key either.
        var odd = new ScriptBuilder().Push([0x02, .. Filled(64, 0x11)]).Op(Opcode.OP_CHECKSIG).ToScript();
        Assert.Equal(ScriptError.WitnessPubKeyType, Run(Script.Empty, Script.P2wsh(odd), P2shWitness | ScriptVerifyFlags.WitnessPubKeyType, [], odd.ToBytes()));
        Assert.Equal(ScriptError.EvalFalse, Run(Script.Empty, Script.P2wsh(odd), P2shWitness, [], odd.ToBytes()));
    }

    [Fact]
    public void Verify_input_uses_the_callers_precomputed_hashes_as_given()
    {
        using var key = SmallKey(1);
        var signature = SignWitness(key, Script.P2pkh(key.PublicKey));
        var tx = Spending(Script.Empty, signature, key.PublicKey.ToBytes());
        var spent = new TxOut(Amount, Script.P2wpkh(key.PublicKey));
        Assert.Equal(ScriptError.Ok, ScriptVerifier.VerifyInput(tx, 0, spent));
        Assert.Equal(ScriptError.Ok, ScriptVerifier.VerifyInput(tx, 0, spent, Standard, new PrecomputedTransactionData(tx)));
        // Hashes of another transaction (different outputs) are used, not recomputed: the signature no longer matches.
        var other = Spending(Script.Empty);
        other.Outputs[0].Value = 80_000;
        Assert.Equal(ScriptError.NullFail, ScriptVerifier.VerifyInput(tx, 0, spent, Standard, new PrecomputedTransactionData(other)));
    }
}
