using System.Text.Json;
using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

/// <summary>tx_valid.json / tx_invalid.json restricted, by a written rule, to the script forms the verifier supports.</summary>
public class ScriptVerifierVectorTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, ScriptVerifyFlags> FlagNames = new()
    {
        ["NONE"] = ScriptVerifyFlags.None,
        ["P2SH"] = ScriptVerifyFlags.P2sh,
        ["STRICTENC"] = ScriptVerifyFlags.StrictEnc,
        ["DERSIG"] = ScriptVerifyFlags.DerSig,
        ["LOW_S"] = ScriptVerifyFlags.LowS,
        ["NULLDUMMY"] = ScriptVerifyFlags.NullDummy,
        ["SIGPUSHONLY"] = ScriptVerifyFlags.SigPushOnly,
        ["MINIMALDATA"] = ScriptVerifyFlags.MinimalData,
        ["CLEANSTACK"] = ScriptVerifyFlags.CleanStack,
        ["WITNESS"] = ScriptVerifyFlags.Witness,
        ["DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM"] = ScriptVerifyFlags.DiscourageUpgradableWitnessProgram,
        ["NULLFAIL"] = ScriptVerifyFlags.NullFail,
        ["WITNESS_PUBKEYTYPE"] = ScriptVerifyFlags.WitnessPubKeyType,
        ["CONST_SCRIPTCODE"] = ScriptVerifyFlags.ConstScriptCode,
    };

    private const ScriptVerifyFlags AllImplemented = ScriptVerifyFlags.Standard | ScriptVerifyFlags.SigPushOnly;

    // Opcodes the verifier implements and that the supported templates (and their spending scripts) are made of.
    private static bool OnlySupportedOpcodes(Script script)
    {
        if (!script.TryGetOps(out var ops)) return false;
        foreach (var op in ops)
        {
            var c = op.Code;
            var ok = c <= (byte)Opcode.OP_PUSHDATA4 || c == (byte)Opcode.OP_1NEGATE || (c >= (byte)Opcode.OP_1 && c <= (byte)Opcode.OP_16)
                || c is (byte)Opcode.OP_DUP or (byte)Opcode.OP_HASH160 or (byte)Opcode.OP_EQUAL or (byte)Opcode.OP_EQUALVERIFY
                    or (byte)Opcode.OP_CHECKSIG or (byte)Opcode.OP_CHECKSIGVERIFY or (byte)Opcode.OP_CHECKMULTISIG or (byte)Opcode.OP_CHECKMULTISIGVERIFY;
            if (!ok) return false;
        }
        return true;
    }

    private static bool IsInnerTemplate(Script s) => s.Classify() is ScriptType.P2pk or ScriptType.P2pkh or ScriptType.Multisig;

    /// <summary>THE SELECTION RULE. A test case is selected when, for every input:
    /// (1) the prevout scriptPubKey is P2PK, P2PKH, bare multisig, P2SH, P2WPKH or P2WSH (Script.Classify);
    /// (2) the scriptSig parses and uses only push opcodes, DUP, HASH160, EQUAL(VERIFY), CHECKSIG(VERIFY), CHECKMULTISIG(VERIFY);
    /// (3) for P2SH, the scriptSig is push-only and its last push (the redeem script) is P2PK, P2PKH, multisig, P2WPKH or P2WSH;
    /// (4) for P2WSH (native or wrapped), the witness is non-empty and its last item (the witness script) is P2PK, P2PKH or multisig;
    /// and (5) every verify flag named by the case is one the verifier implements (tx_valid lists excluded flags, so any are fine there).
    /// Nothing is hand-picked.</summary>
    private static bool IsSelected(Transaction tx, List<TxOut> prevouts)
    {
        for (var i = 0; i < tx.Inputs.Count; i++)
        {
            var spk = prevouts[i].ScriptPubKey;
            var type = spk.Classify();
            if (type is not (ScriptType.P2pk or ScriptType.P2pkh or ScriptType.Multisig or ScriptType.P2sh or ScriptType.P2wpkh or ScriptType.P2wsh)) return false;
            var scriptSig = tx.Inputs[i].ScriptSig;
            if (!OnlySupportedOpcodes(scriptSig)) return false;
            var witnessType = type;
            if (type == ScriptType.P2sh)
            {
                if (!scriptSig.IsPushOnly() || !scriptSig.TryGetOps(out var ops) || ops.Count == 0) return false;
                var redeem = new Script(ops[^1].Data.Span);
                var redeemType = redeem.Classify();
                if (!(IsInnerTemplate(redeem) || redeemType is ScriptType.P2wpkh or ScriptType.P2wsh)) return false;
                witnessType = redeemType;
            }
            if (witnessType == ScriptType.P2wsh)
            {
                var witness = tx.Inputs[i].Witness;
                if (witness.Count == 0 || !IsInnerTemplate(new Script(witness[^1]))) return false;
            }
        }
        return true;
    }

    private static IEnumerable<(Transaction? Tx, List<TxOut> Prevouts, string Flags, string Raw)> Cases(string file)
    {
        foreach (var entry in Load(file).EnumerateArray())
        {
            if (entry[0].ValueKind != JsonValueKind.Array)
            {
                continue; // comment
            }
            var prevoutsByOutpoint = new Dictionary<OutPoint, TxOut>();
            foreach (var p in entry[0].EnumerateArray())
            {
                var outpoint = new OutPoint(TxId.Parse(p[0].GetString()!), unchecked((uint)p[1].GetInt64()));
                var amount = p.GetArrayLength() > 3 ? p[3].GetInt64() : 0;
                prevoutsByOutpoint[outpoint] = new TxOut(amount, ScriptNotation.Parse(p[2].GetString()!));
            }
            Transaction? tx;
            try
            {
                tx = Transaction.Parse(entry[1].GetString()!);
            }
            catch (TransactionFormatException)
            {
                tx = null;
            }
            var prevouts = new List<TxOut>();
            if (tx is not null)
            {
                foreach (var input in tx.Inputs)
                {
                    prevouts.Add(prevoutsByOutpoint.TryGetValue(input.PrevOut, out var o) ? o : new TxOut(0, Script.Empty));
                }
            }
            yield return (tx, prevouts, entry[2].GetString()!, entry[1].GetString()!);
        }
    }

    private static bool TryFlags(string names, out ScriptVerifyFlags flags)
    {
        flags = ScriptVerifyFlags.None;
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!FlagNames.TryGetValue(name, out var f)) return false;
            flags |= f;
        }
        return true;
    }

    [Fact]
    public void Selected_tx_valid_cases_all_verify()
    {
        int total = 0, selected = 0;
        foreach (var (tx, prevouts, excluded, raw) in Cases("bitcoin-core/tx_valid.json"))
        {
            total++;
            Assert.NotNull(tx);
            if (!IsSelected(tx, prevouts)) continue;
            var excludedFlags = ScriptVerifyFlags.None;
            foreach (var name in excluded.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                excludedFlags |= FlagNames.GetValueOrDefault(name);
            }
            var flags = AllImplemented & ~excludedFlags;
            Assert.Equal(CustodyError.None, tx.Check());
            var result = ScriptVerifier.VerifyTransaction(tx, prevouts, flags);
            Assert.True(result == ScriptError.Ok, $"{result} for {raw} with {flags}");
            selected++;
        }
        output.WriteLine($"tx_valid.json: {selected} of {total} cases selected by the template rule; {selected}/{selected} verified");
        Assert.Equal(27, selected);
    }

    [Fact]
    public void Selected_tx_invalid_cases_are_all_rejected()
    {
        int total = 0, selected = 0, badTx = 0;
        foreach (var (tx, prevouts, flagNames, raw) in Cases("bitcoin-core/tx_invalid.json"))
        {
            total++;
            if (flagNames == "BADTX")
            {
                // Context-free checks are implemented completely: every BADTX case fails to parse or fails Check().
                Assert.True(tx is null || tx.Check() != CustodyError.None, raw);
                badTx++;
                continue;
            }
            Assert.NotNull(tx);
            if (!TryFlags(flagNames, out var flags) || !IsSelected(tx, prevouts)) continue;
            var result = ScriptVerifier.VerifyTransaction(tx, prevouts, flags);
            Assert.True(result != ScriptError.Ok, $"accepted {raw} with {flags}");
            Assert.NotEqual(ScriptError.UnsupportedOpcode, result);
            selected++;
        }
        output.WriteLine($"tx_invalid.json: {selected} of {total - badTx} script cases selected by the template rule and all rejected; {badTx}/{badTx} BADTX cases rejected by Transaction.Check");
        Assert.Equal(10, selected);
        Assert.Equal(9, badTx);
    }

    // A second, wider rule: every script that runs (scriptPubKey, scriptSig, redeem script, witness script) parses and uses only
    // opcodes the interpreter implements, whatever its shape. This pulls in the CODESEPARATOR, FindAndDelete, NOP and VERIFY cases.
    private static bool OnlyImplementedOpcodes(Script script)
    {
        if (!script.TryGetOps(out var ops)) return false;
        foreach (var op in ops)
        {
            var c = op.Code;
            var ok = c <= (byte)Opcode.OP_PUSHDATA4 || c == (byte)Opcode.OP_1NEGATE || (c >= (byte)Opcode.OP_1 && c <= (byte)Opcode.OP_16)
                || c is (byte)Opcode.OP_NOP or (byte)Opcode.OP_VERIFY or (byte)Opcode.OP_RETURN or (byte)Opcode.OP_DROP or (byte)Opcode.OP_DUP
                    or (byte)Opcode.OP_EQUAL or (byte)Opcode.OP_EQUALVERIFY or (byte)Opcode.OP_SHA256 or (byte)Opcode.OP_HASH160
                    or (byte)Opcode.OP_HASH256 or (byte)Opcode.OP_CODESEPARATOR or (byte)Opcode.OP_CHECKSIG or (byte)Opcode.OP_CHECKSIGVERIFY
                    or (byte)Opcode.OP_CHECKMULTISIG or (byte)Opcode.OP_CHECKMULTISIGVERIFY;
            if (!ok) return false;
        }
        return true;
    }

    private static bool IsSelectedWide(Transaction tx, List<TxOut> prevouts)
    {
        for (var i = 0; i < tx.Inputs.Count; i++)
        {
            var spk = prevouts[i].ScriptPubKey;
            var scriptSig = tx.Inputs[i].ScriptSig;
            if (!OnlyImplementedOpcodes(spk) || !OnlyImplementedOpcodes(scriptSig)) return false;
            var program = spk;
            if (spk.IsP2sh() && scriptSig.IsPushOnly() && scriptSig.TryGetOps(out var ops) && ops.Count > 0)
            {
                program = new Script(ops[^1].Data.Span);
                if (!OnlyImplementedOpcodes(program)) return false;
            }
            if (program.IsWitnessProgram(out var version, out var prog))
            {
                if (version != 0) return false;
                var witness = tx.Inputs[i].Witness;
                if (prog.Length == 32 && (witness.Count == 0 || !OnlyImplementedOpcodes(new Script(witness[^1])))) return false;
            }
        }
        return true;
    }

    [Fact]
    public void Wider_selection_by_implemented_opcodes_valid_and_invalid()
    {
        int validTotal = 0, validSelected = 0, invalidTotal = 0, invalidSelected = 0;
        foreach (var (tx, prevouts, excluded, raw) in Cases("bitcoin-core/tx_valid.json"))
        {
            validTotal++;
            if (!IsSelectedWide(tx!, prevouts)) continue;
            var excludedFlags = ScriptVerifyFlags.None;
            foreach (var name in excluded.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                excludedFlags |= FlagNames.GetValueOrDefault(name);
            }
            var result = ScriptVerifier.VerifyTransaction(tx!, prevouts, AllImplemented & ~excludedFlags);
            Assert.True(result == ScriptError.Ok, $"{result} for {raw}");
            validSelected++;
        }
        foreach (var (tx, prevouts, flagNames, raw) in Cases("bitcoin-core/tx_invalid.json"))
        {
            if (flagNames == "BADTX") continue;
            invalidTotal++;
            if (!TryFlags(flagNames, out var flags) || !IsSelectedWide(tx!, prevouts)) continue;
            var result = ScriptVerifier.VerifyTransaction(tx!, prevouts, flags);
            Assert.True(result != ScriptError.Ok, $"accepted {raw}");
            Assert.NotEqual(ScriptError.UnsupportedOpcode, result);
            invalidSelected++;
        }
        output.WriteLine($"wide rule: tx_valid {validSelected}/{validTotal} selected and verified; tx_invalid {invalidSelected}/{invalidTotal} selected and rejected");
        Assert.Equal((66, 36), (validSelected, invalidSelected));
    }
}
