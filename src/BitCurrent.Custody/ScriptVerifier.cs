using BitCurrent.Custody.Internal;

namespace BitCurrent.Custody;

/// <summary>Script verification flags (the subset of Bitcoin Core's that this verifier implements).</summary>
[Flags]
public enum ScriptVerifyFlags : uint
{
    /// <summary>Pre-BIP-16 rules only.</summary>
    None = 0,
    /// <summary>BIP-16 pay-to-script-hash.</summary>
    P2sh = 1u << 0,
    /// <summary>Signatures strict DER with a defined hashtype; public keys compressed or uncompressed (no hybrid).</summary>
    StrictEnc = 1u << 1,
    /// <summary>BIP-66 strict DER signatures.</summary>
    DerSig = 1u << 2,
    /// <summary>S ≤ n/2 (BIP-146).</summary>
    LowS = 1u << 3,
    /// <summary>The CHECKMULTISIG dummy element must be empty (BIP-147).</summary>
    NullDummy = 1u << 4,
    /// <summary>scriptSig must be push-only.</summary>
    SigPushOnly = 1u << 5,
    /// <summary>Pushes and numbers must be minimally encoded.</summary>
    MinimalData = 1u << 6,
    /// <summary>Exactly one stack item after evaluation (requires P2SH and WITNESS).</summary>
    CleanStack = 1u << 8,
    /// <summary>BIP-141 segregated witness.</summary>
    Witness = 1u << 11,
    /// <summary>Witness versions and lengths without rules fail instead of passing.</summary>
    DiscourageUpgradableWitnessProgram = 1u << 12,
    /// <summary>A failing CHECKSIG/CHECKMULTISIG must have only empty signatures (BIP-146).</summary>
    NullFail = 1u << 14,
    /// <summary>Segwit v0 public keys must be compressed.</summary>
    WitnessPubKeyType = 1u << 15,
    /// <summary>Legacy scripts may not use OP_CODESEPARATOR or have signatures removed by FindAndDelete.</summary>
    ConstScriptCode = 1u << 16,

    /// <summary>Consensus rules as of segwit (P2SH, DERSIG, NULLDUMMY, WITNESS) without taproot.</summary>
    Consensus = P2sh | DerSig | NullDummy | Witness,

    /// <summary>Every flag implemented here: Bitcoin Core's standardness rules for the script forms this library produces.</summary>
    Standard = P2sh | StrictEnc | DerSig | LowS | NullDummy | MinimalData | CleanStack | Witness | DiscourageUpgradableWitnessProgram
        | NullFail | WitnessPubKeyType | ConstScriptCode,
}

/// <summary>Why a script failed (numbered 52xx; values are never reused).</summary>
public enum ScriptError
{
    /// <summary>Success.</summary>
    Ok = 0,
    /// <summary>The script left false or nothing on the stack.</summary>
    EvalFalse = 5201,
    /// <summary>OP_RETURN executed.</summary>
    OpReturn = 5202,
    /// <summary>Script larger than 10 000 bytes.</summary>
    ScriptSize = 5203,
    /// <summary>A push larger than 520 bytes.</summary>
    PushSize = 5204,
    /// <summary>More than 201 non-push operations.</summary>
    OpCount = 5205,
    /// <summary>More than 1000 stack items.</summary>
    StackSize = 5206,
    /// <summary>Multisig signature count out of range.</summary>
    SigCount = 5207,
    /// <summary>Multisig key count out of range.</summary>
    PubKeyCount = 5208,
    /// <summary>OP_VERIFY failed.</summary>
    Verify = 5209,
    /// <summary>OP_EQUALVERIFY failed.</summary>
    EqualVerify = 5210,
    /// <summary>OP_CHECKMULTISIGVERIFY failed.</summary>
    CheckMultisigVerify = 5211,
    /// <summary>OP_CHECKSIGVERIFY failed.</summary>
    CheckSigVerify = 5212,
    /// <summary>A truncated push or an invalid opcode.</summary>
    BadOpcode = 5213,
    /// <summary>A disabled opcode (OP_CAT and friends).</summary>
    DisabledOpcode = 5214,
    /// <summary>An operation needed more stack items than present.</summary>
    InvalidStackOperation = 5215,
    /// <summary>A valid opcode outside this verifier's scope (branches, arithmetic, locktime, taproot...): not verified.</summary>
    UnsupportedOpcode = 5216,
    /// <summary>Undefined sighash type (STRICTENC).</summary>
    SigHashType = 5217,
    /// <summary>Non-DER signature.</summary>
    SigDer = 5218,
    /// <summary>Non-minimal push or number (MINIMALDATA).</summary>
    MinimalData = 5219,
    /// <summary>scriptSig not push-only.</summary>
    SigPushOnly = 5220,
    /// <summary>High-S signature (LOW_S).</summary>
    SigHighS = 5221,
    /// <summary>Non-empty CHECKMULTISIG dummy (NULLDUMMY).</summary>
    SigNullDummy = 5222,
    /// <summary>Public key neither compressed nor uncompressed (STRICTENC).</summary>
    PubKeyType = 5223,
    /// <summary>More than one stack item left (CLEANSTACK, or any witness script).</summary>
    CleanStack = 5224,
    /// <summary>A failing signature check with a non-empty signature (NULLFAIL).</summary>
    NullFail = 5225,
    /// <summary>Witness v0 program neither 20 nor 32 bytes.</summary>
    WitnessProgramWrongLength = 5226,
    /// <summary>P2WSH with an empty witness.</summary>
    WitnessProgramWitnessEmpty = 5227,
    /// <summary>Witness script hash or P2WPKH witness shape mismatch.</summary>
    WitnessProgramMismatch = 5228,
    /// <summary>Native witness spend with a non-empty scriptSig.</summary>
    WitnessMalleated = 5229,
    /// <summary>P2SH-wrapped witness spend whose scriptSig is not exactly the redeem script push.</summary>
    WitnessMalleatedP2sh = 5230,
    /// <summary>A witness on an input that is not a witness spend.</summary>
    WitnessUnexpected = 5231,
    /// <summary>Uncompressed key in segwit v0 (WITNESS_PUBKEYTYPE).</summary>
    WitnessPubKeyType = 5232,
    /// <summary>Upgradable witness program (DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM).</summary>
    DiscourageUpgradableWitnessProgram = 5233,
    /// <summary>OP_CODESEPARATOR in a legacy script (CONST_SCRIPTCODE).</summary>
    OpCodeSeparator = 5234,
    /// <summary>FindAndDelete removed a signature (CONST_SCRIPTCODE).</summary>
    SigFindAndDelete = 5235,
    /// <summary>The previous output (or its amount) needed to verify an input is missing.</summary>
    MissingPrevout = 5236,
    /// <summary>The transaction fails the context-free checks (see <see cref="Transaction.Check"/>).</summary>
    InvalidTransaction = 5237,
    /// <summary>A number operand longer than 4 bytes.</summary>
    ScriptNumberOverflow = 5238,
}

/// <summary>A small script interpreter for the forms this library produces and signs: P2PK, P2PKH, bare and P2SH multisig,
/// P2WPKH, P2WSH (multisig or single key) and their P2SH-wrapped forms. It implements push operations, OP_DUP, OP_HASH160,
/// OP_SHA256, OP_HASH256, OP_EQUAL(VERIFY), OP_VERIFY, OP_DROP, OP_NOP, OP_RETURN, OP_CODESEPARATOR, OP_CHECKSIG(VERIFY) and
/// OP_CHECKMULTISIG(VERIFY) with Bitcoin Core's semantics. Any other opcode yields <see cref="ScriptError.UnsupportedOpcode"/>
/// (a refusal, never a pass). Taproot (v1) spends are not verified: with no taproot flag (not in <see cref="ScriptVerifyFlags"/>)
/// they pass as Core's pre-taproot rules say, so the caller must not treat such a pass as proof.</summary>
public static class ScriptVerifier
{
    private const int ScriptSizeMax = 10_000;
    private const int PushSizeMax = 520;
    private const int OpCountMax = 201;
    private const int StackSizeMax = 1000;
    private const int MultisigKeysMax = 20;

    private enum SigVersion
    {
        Base,
        WitnessV0,
    }

    private sealed class Context(Transaction tx, int index, long amount, ScriptVerifyFlags flags, PrecomputedTransactionData? precomputed)
    {
        public Transaction Tx { get; } = tx;
        public int Index { get; } = index;
        public long Amount { get; } = amount;
        public ScriptVerifyFlags Flags { get; } = flags;
        public PrecomputedTransactionData? Precomputed { get; set; } = precomputed;
    }

    /// <summary>Verifies every input of <paramref name="tx"/> against the outputs it spends (same order as the inputs),
    /// after the context-free transaction checks.</summary>
    public static ScriptError VerifyTransaction(Transaction tx, IReadOnlyList<TxOut> spentOutputs, ScriptVerifyFlags flags = ScriptVerifyFlags.Standard)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(spentOutputs);
        if (tx.Check() != CustodyError.None)
        {
            return ScriptError.InvalidTransaction;
        }
        if (spentOutputs.Count != tx.Inputs.Count)
        {
            return ScriptError.MissingPrevout;
        }
        var precomputed = new PrecomputedTransactionData(tx);
        for (var i = 0; i < tx.Inputs.Count; i++)
        {
            var error = VerifyInput(tx, i, spentOutputs[i], flags, precomputed);
            if (error != ScriptError.Ok)
            {
                return error;
            }
        }
        return ScriptError.Ok;
    }

    /// <summary>Verifies one input (Bitcoin Core's VerifyScript) against the output it spends.</summary>
    public static ScriptError VerifyInput(Transaction tx, int inputIndex, TxOut spentOutput, ScriptVerifyFlags flags = ScriptVerifyFlags.Standard, PrecomputedTransactionData? precomputed = null)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(spentOutput);
        if (inputIndex < 0 || inputIndex >= tx.Inputs.Count)
        {
            return ScriptError.MissingPrevout;
        }
        var input = tx.Inputs[inputIndex];
        var context = new Context(tx, inputIndex, spentOutput.Value, flags, precomputed);
        var scriptSig = input.ScriptSig.ToBytes();
        var scriptPubKey = spentOutput.ScriptPubKey;
        var witness = input.Witness;

        if (Has(flags, ScriptVerifyFlags.SigPushOnly) && !input.ScriptSig.IsPushOnly())
        {
            return ScriptError.SigPushOnly;
        }
        var stack = new List<byte[]>();
        var error = Eval(stack, scriptSig, context, SigVersion.Base);
        if (error != ScriptError.Ok) return error;
        List<byte[]>? stackCopy = Has(flags, ScriptVerifyFlags.P2sh) ? new List<byte[]>(stack) : null;
        error = Eval(stack, scriptPubKey.ToBytes(), context, SigVersion.Base);
        if (error != ScriptError.Ok) return error;
        if (stack.Count == 0 || !CastToBool(stack[^1])) return ScriptError.EvalFalse;

        var hadWitness = false;
        if (Has(flags, ScriptVerifyFlags.Witness) && scriptPubKey.IsWitnessProgram(out var version, out var program))
        {
            hadWitness = true;
            if (scriptSig.Length != 0) return ScriptError.WitnessMalleated;
            error = VerifyWitnessProgram(witness, version, program.ToArray(), context, isP2sh: false);
            if (error != ScriptError.Ok) return error;
            stack.RemoveRange(1, stack.Count - 1);
        }

        if (Has(flags, ScriptVerifyFlags.P2sh) && scriptPubKey.IsP2sh())
        {
            if (!input.ScriptSig.IsPushOnly()) return ScriptError.SigPushOnly;
            stack = stackCopy!;
            if (stack.Count == 0) return ScriptError.EvalFalse;
            var redeem = stack[^1];
            stack.RemoveAt(stack.Count - 1);
            error = Eval(stack, redeem, context, SigVersion.Base);
            if (error != ScriptError.Ok) return error;
            if (stack.Count == 0 || !CastToBool(stack[^1])) return ScriptError.EvalFalse;
            var redeemScript = Script.Wrap(redeem);
            if (Has(flags, ScriptVerifyFlags.Witness) && redeemScript.IsWitnessProgram(out var v2, out var p2))
            {
                hadWitness = true;
                var expected = new ScriptBuilder().Push(redeem).ToScript();
                if (!expected.Span.SequenceEqual(scriptSig)) return ScriptError.WitnessMalleatedP2sh;
                error = VerifyWitnessProgram(witness, v2, p2.ToArray(), context, isP2sh: true);
                if (error != ScriptError.Ok) return error;
                stack.RemoveRange(1, stack.Count - 1);
            }
        }

        if (Has(flags, ScriptVerifyFlags.CleanStack) && stack.Count != 1)
        {
            return ScriptError.CleanStack;
        }
        if (Has(flags, ScriptVerifyFlags.Witness) && !hadWitness && witness.Count > 0)
        {
            return ScriptError.WitnessUnexpected;
        }
        return ScriptError.Ok;
    }

    private static bool Has(ScriptVerifyFlags flags, ScriptVerifyFlags flag) => (flags & flag) != 0;

    private static ScriptError VerifyWitnessProgram(List<byte[]> witness, int version, byte[] program, Context context, bool isP2sh)
    {
        if (version == 0)
        {
            var stack = new List<byte[]>(witness);
            byte[] script;
            if (program.Length == 32)
            {
                if (stack.Count == 0) return ScriptError.WitnessProgramWitnessEmpty;
                script = stack[^1];
                stack.RemoveAt(stack.Count - 1);
                if (!Hashes.Sha256(script).AsSpan().SequenceEqual(program)) return ScriptError.WitnessProgramMismatch;
            }
            else if (program.Length == 20)
            {
                if (stack.Count != 2) return ScriptError.WitnessProgramMismatch;
                script = Script.P2pkh(program).ToBytes();
            }
            else
            {
                return ScriptError.WitnessProgramWrongLength;
            }
            foreach (var item in stack)
            {
                if (item.Length > PushSizeMax) return ScriptError.PushSize;
            }
            var error = Eval(stack, script, context, SigVersion.WitnessV0);
            if (error != ScriptError.Ok) return error;
            if (stack.Count != 1) return ScriptError.CleanStack;
            return CastToBool(stack[^1]) ? ScriptError.Ok : ScriptError.EvalFalse;
        }
        if (version == 1 && program.Length == 32 && !isP2sh)
        {
            // Taproot: without the TAPROOT flag (not implemented here) Core treats these as anyone-can-spend.
            return ScriptError.Ok;
        }
        return Has(context.Flags, ScriptVerifyFlags.DiscourageUpgradableWitnessProgram) ? ScriptError.DiscourageUpgradableWitnessProgram : ScriptError.Ok;
    }

    internal static bool CastToBool(byte[] value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != 0)
            {
                return !(i == value.Length - 1 && value[i] == 0x80);
            }
        }
        return false;
    }

    private static bool IsDisabled(byte code) => code is 0x7e or 0x7f or 0x80 or 0x81 or 0x83 or 0x84 or 0x85 or 0x86 or 0x8d or 0x8e or 0x95 or 0x96 or 0x97 or 0x98 or 0x99;

    private static bool IsMinimalPush(ReadOnlySpan<byte> data, byte code)
    {
        if (data.Length == 0) return code == 0;
        if (data.Length == 1 && data[0] >= 1 && data[0] <= 16) return false;
        if (data.Length == 1 && data[0] == 0x81) return false;
        if (data.Length <= 75) return code == data.Length;
        if (data.Length <= 255) return code == (byte)Opcode.OP_PUSHDATA1;
        if (data.Length <= 65535) return code == (byte)Opcode.OP_PUSHDATA2;
        return true;
    }

    private static ScriptError Eval(List<byte[]> stack, byte[] script, Context context, SigVersion sigVersion)
    {
        if (script.Length > ScriptSizeMax) return ScriptError.ScriptSize;
        var flags = context.Flags;
        var requireMinimal = Has(flags, ScriptVerifyFlags.MinimalData);
        var pos = 0;
        var codeHashBegin = 0;
        var opCount = 0;
        while (pos < script.Length)
        {
            if (!Script.TryReadOp(script, ref pos, out var op)) return ScriptError.BadOpcode;
            var code = op.Code;
            if (op.Data.Length > PushSizeMax) return ScriptError.PushSize;
            if (code > (byte)Opcode.OP_16 && ++opCount > OpCountMax) return ScriptError.OpCount;
            if (IsDisabled(code)) return ScriptError.DisabledOpcode;
            if (code == (byte)Opcode.OP_CODESEPARATOR && sigVersion == SigVersion.Base && Has(flags, ScriptVerifyFlags.ConstScriptCode))
            {
                return ScriptError.OpCodeSeparator;
            }
            if (code <= (byte)Opcode.OP_PUSHDATA4)
            {
                if (requireMinimal && !IsMinimalPush(op.Data.Span, code)) return ScriptError.MinimalData;
                stack.Add(op.Data.ToArray());
            }
            else
            {
                ScriptError error;
                switch (code)
                {
                    case (byte)Opcode.OP_1NEGATE:
                    case >= (byte)Opcode.OP_1 and <= (byte)Opcode.OP_16:
                        stack.Add(ScriptNumber.Encode(code == (byte)Opcode.OP_1NEGATE ? -1 : code - 0x50));
                        break;
                    case (byte)Opcode.OP_NOP:
                        break;
                    case (byte)Opcode.OP_VERIFY:
                        if (stack.Count < 1) return ScriptError.InvalidStackOperation;
                        if (!CastToBool(stack[^1])) return ScriptError.Verify;
                        stack.RemoveAt(stack.Count - 1);
                        break;
                    case (byte)Opcode.OP_RETURN:
                        return ScriptError.OpReturn;
                    case (byte)Opcode.OP_DROP:
                        if (stack.Count < 1) return ScriptError.InvalidStackOperation;
                        stack.RemoveAt(stack.Count - 1);
                        break;
                    case (byte)Opcode.OP_DUP:
                        if (stack.Count < 1) return ScriptError.InvalidStackOperation;
                        stack.Add(stack[^1]);
                        break;
                    case (byte)Opcode.OP_EQUAL:
                    case (byte)Opcode.OP_EQUALVERIFY:
                        {
                            if (stack.Count < 2) return ScriptError.InvalidStackOperation;
                            var equal = stack[^1].AsSpan().SequenceEqual(stack[^2]);
                            stack.RemoveRange(stack.Count - 2, 2);
                            stack.Add(equal ? [1] : []);
                            if (code == (byte)Opcode.OP_EQUALVERIFY)
                            {
                                if (!equal) return ScriptError.EqualVerify;
                                stack.RemoveAt(stack.Count - 1);
                            }
                            break;
                        }
                    case (byte)Opcode.OP_SHA256:
                    case (byte)Opcode.OP_HASH160:
                    case (byte)Opcode.OP_HASH256:
                        {
                            if (stack.Count < 1) return ScriptError.InvalidStackOperation;
                            var top = stack[^1];
                            stack[^1] = code == (byte)Opcode.OP_SHA256 ? Hashes.Sha256(top)
                                : code == (byte)Opcode.OP_HASH160 ? Hashes.Hash160(top) : Hashes.DoubleSha256(top);
                            break;
                        }
                    case (byte)Opcode.OP_CODESEPARATOR:
                        codeHashBegin = pos;
                        break;
                    case (byte)Opcode.OP_CHECKSIG:
                    case (byte)Opcode.OP_CHECKSIGVERIFY:
                        error = CheckSig(stack, script, codeHashBegin, code, context, sigVersion);
                        if (error != ScriptError.Ok) return error;
                        break;
                    case (byte)Opcode.OP_CHECKMULTISIG:
                    case (byte)Opcode.OP_CHECKMULTISIGVERIFY:
                        error = CheckMultisig(stack, script, codeHashBegin, code, context, sigVersion, ref opCount);
                        if (error != ScriptError.Ok) return error;
                        break;
                    case (byte)Opcode.OP_RESERVED:
                    case > 0xb9:
                        return ScriptError.BadOpcode;
                    default:
                        return ScriptError.UnsupportedOpcode;
                }
            }
            if (stack.Count > StackSizeMax) return ScriptError.StackSize;
        }
        return ScriptError.Ok;
    }

    private static ScriptError CheckSig(List<byte[]> stack, byte[] script, int codeHashBegin, byte code, Context context, SigVersion sigVersion)
    {
        if (stack.Count < 2) return ScriptError.InvalidStackOperation;
        var signature = stack[^2];
        var pubKey = stack[^1];
        var scriptCode = script.AsSpan(codeHashBegin).ToArray();
        if (sigVersion == SigVersion.Base)
        {
            var found = FindAndDelete(ref scriptCode, signature);
            if (found > 0 && Has(context.Flags, ScriptVerifyFlags.ConstScriptCode)) return ScriptError.SigFindAndDelete;
        }
        var error = CheckSignatureEncoding(signature, context.Flags);
        if (error != ScriptError.Ok) return error;
        error = CheckPubKeyEncoding(pubKey, context.Flags, sigVersion);
        if (error != ScriptError.Ok) return error;
        var success = CheckEcdsa(signature, pubKey, scriptCode, context, sigVersion);
        if (!success && Has(context.Flags, ScriptVerifyFlags.NullFail) && signature.Length > 0) return ScriptError.NullFail;
        stack.RemoveRange(stack.Count - 2, 2);
        stack.Add(success ? [1] : []);
        if (code == (byte)Opcode.OP_CHECKSIGVERIFY)
        {
            if (!success) return ScriptError.CheckSigVerify;
            stack.RemoveAt(stack.Count - 1);
        }
        return ScriptError.Ok;
    }

    private static ScriptError CheckMultisig(List<byte[]> stack, byte[] script, int codeHashBegin, byte code, Context context, SigVersion sigVersion, ref int opCount)
    {
        var flags = context.Flags;
        var requireMinimal = Has(flags, ScriptVerifyFlags.MinimalData);
        var i = 1;
        if (stack.Count < i) return ScriptError.InvalidStackOperation;
        if (!ScriptNumber.TryDecode(stack[^i], 4, requireMinimal, out var keyCount)) return NumberError(stack[^i]);
        if (keyCount < 0 || keyCount > MultisigKeysMax) return ScriptError.PubKeyCount;
        opCount += (int)keyCount;
        if (opCount > OpCountMax) return ScriptError.OpCount;
        var keyIndex = ++i;
        var keysLeftForNullFail = (int)keyCount + 2;
        i += (int)keyCount;
        if (stack.Count < i) return ScriptError.InvalidStackOperation;
        if (!ScriptNumber.TryDecode(stack[^i], 4, requireMinimal, out var sigCount)) return NumberError(stack[^i]);
        if (sigCount < 0 || sigCount > keyCount) return ScriptError.SigCount;
        var sigIndex = ++i;
        i += (int)sigCount;
        if (stack.Count < i) return ScriptError.InvalidStackOperation;

        var scriptCode = script.AsSpan(codeHashBegin).ToArray();
        for (var k = 0; k < sigCount; k++)
        {
            if (sigVersion == SigVersion.Base)
            {
                var found = FindAndDelete(ref scriptCode, stack[^(sigIndex + k)]);
                if (found > 0 && Has(flags, ScriptVerifyFlags.ConstScriptCode)) return ScriptError.SigFindAndDelete;
            }
        }
        var success = true;
        var keysLeft = (int)keyCount;
        var sigsLeft = (int)sigCount;
        while (success && sigsLeft > 0)
        {
            var signature = stack[^sigIndex];
            var pubKey = stack[^keyIndex];
            var error = CheckSignatureEncoding(signature, flags);
            if (error != ScriptError.Ok) return error;
            error = CheckPubKeyEncoding(pubKey, flags, sigVersion);
            if (error != ScriptError.Ok) return error;
            if (CheckEcdsa(signature, pubKey, scriptCode, context, sigVersion))
            {
                sigIndex++;
                sigsLeft--;
            }
            keyIndex++;
            keysLeft--;
            if (sigsLeft > keysLeft) success = false;
        }
        while (i-- > 1)
        {
            if (!success && Has(flags, ScriptVerifyFlags.NullFail) && keysLeftForNullFail == 0 && stack[^1].Length > 0) return ScriptError.NullFail;
            if (keysLeftForNullFail > 0) keysLeftForNullFail--;
            stack.RemoveAt(stack.Count - 1);
        }
        if (stack.Count < 1) return ScriptError.InvalidStackOperation;
        if (Has(flags, ScriptVerifyFlags.NullDummy) && stack[^1].Length > 0) return ScriptError.SigNullDummy;
        stack.RemoveAt(stack.Count - 1);
        stack.Add(success ? [1] : []);
        if (code == (byte)Opcode.OP_CHECKMULTISIGVERIFY)
        {
            if (!success) return ScriptError.CheckMultisigVerify;
            stack.RemoveAt(stack.Count - 1);
        }
        return ScriptError.Ok;
    }

    private static ScriptError NumberError(byte[] item) => item.Length > 4 ? ScriptError.ScriptNumberOverflow : ScriptError.MinimalData;

    // Bitcoin Core's FindAndDelete(script, CScript() << signature).
    private static int FindAndDelete(ref byte[] script, byte[] signature)
    {
        var pattern = new ScriptBuilder().Push(signature).ToScript().ToBytes();
        var found = 0;
        var result = new List<byte>(script.Length);
        var pc = 0;
        var pc2 = 0;
        while (true)
        {
            for (var b = pc2; b < pc; b++) result.Add(script[b]);
            while (script.Length - pc >= pattern.Length && script.AsSpan(pc, pattern.Length).SequenceEqual(pattern))
            {
                pc += pattern.Length;
                found++;
            }
            pc2 = pc;
            if (!Script.TryReadOp(script, ref pc, out _)) break;
        }
        if (found > 0)
        {
            for (var b = pc2; b < script.Length; b++) result.Add(script[b]);
            script = [.. result];
        }
        return found;
    }

    private static ScriptError CheckSignatureEncoding(byte[] signature, ScriptVerifyFlags flags)
    {
        if (signature.Length == 0) return ScriptError.Ok;
        if ((flags & (ScriptVerifyFlags.DerSig | ScriptVerifyFlags.LowS | ScriptVerifyFlags.StrictEnc)) != 0 && !EcdsaSignature.IsStrictDer(signature, hasHashType: true))
        {
            return ScriptError.SigDer;
        }
        if (Has(flags, ScriptVerifyFlags.LowS))
        {
            var parsed = EcdsaSignature.ParseLaxDer(signature.AsSpan(0, signature.Length - 1));
            if (parsed is null || !parsed.IsLowS) return ScriptError.SigHighS;
        }
        if (Has(flags, ScriptVerifyFlags.StrictEnc))
        {
            var type = signature[^1] & ~0x80;
            if (type < 1 || type > 3) return ScriptError.SigHashType;
        }
        return ScriptError.Ok;
    }

    private static ScriptError CheckPubKeyEncoding(byte[] pubKey, ScriptVerifyFlags flags, SigVersion sigVersion)
    {
        if (Has(flags, ScriptVerifyFlags.StrictEnc) && !IsCompressedOrUncompressed(pubKey)) return ScriptError.PubKeyType;
        if (Has(flags, ScriptVerifyFlags.WitnessPubKeyType) && sigVersion == SigVersion.WitnessV0 && !(pubKey.Length == 33 && pubKey[0] is 2 or 3))
        {
            return ScriptError.WitnessPubKeyType;
        }
        return ScriptError.Ok;
    }

    private static bool IsCompressedOrUncompressed(byte[] key)
    {
        if (key.Length < 33) return false;
        if (key[0] == 4) return key.Length == 65;
        if (key[0] is 2 or 3) return key.Length == 33;
        return false;
    }

    private static bool CheckEcdsa(byte[] signature, byte[] pubKey, byte[] scriptCode, Context context, SigVersion sigVersion)
    {
        if (!PublicKey.TryParse(pubKey, allowHybrid: true, out var key)) return false;
        if (signature.Length == 0) return false;
        int hashType = signature[^1];
        var parsed = EcdsaSignature.ParseLaxDer(signature.AsSpan(0, signature.Length - 1));
        if (parsed is null) return false;
        byte[] hash;
        if (sigVersion == SigVersion.WitnessV0)
        {
            context.Precomputed ??= new PrecomputedTransactionData(context.Tx);
            hash = SignatureHash.WitnessV0(context.Tx, context.Index, Script.Wrap(scriptCode), context.Amount, hashType, context.Precomputed);
        }
        else
        {
            hash = SignatureHash.Legacy(context.Tx, context.Index, Script.Wrap(scriptCode), hashType);
        }
        return Internal.Secp256k1.Verify(hash, key.Point, parsed.R, parsed.S);
    }
}
