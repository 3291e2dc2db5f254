using BitCurrent.Custody.Internal;

namespace BitCurrent.Custody;

/// <summary>Options of the PSBT signer.</summary>
public sealed record PsbtSignerOptions
{
    /// <summary>Sighash type to sign with when the input does not name one (default ALL). An input that names another type is refused.</summary>
    public SigHashType SigHashType { get; init; } = SigHashType.All;

    /// <summary>Grind nonces for low R as Bitcoin Core's wallet does (71-byte signatures, identical to Core's output). Default true.</summary>
    public bool GrindLowR { get; init; } = true;
}

/// <summary>What the signer did with one input.</summary>
public enum PsbtInputSignStatus
{
    /// <summary>At least one new partial signature was added.</summary>
    Signed = 1,
    /// <summary>None of the signer's keys appears in this input's scripts.</summary>
    NoMatchingKey,
    /// <summary>The input is already finalized.</summary>
    AlreadyFinalized,
    /// <summary>The signer's key already has a signature here.</summary>
    AlreadySigned,
    /// <summary>The redeem or witness script needed to know the signing script is not in the PSBT.</summary>
    ScriptsMissing,
    /// <summary>The input's UTXO and scripts do not agree (or its form is unsupported); see the reason. Nothing was signed.</summary>
    Refused,
}

/// <summary>The signer's outcome for one input.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Reason">For <see cref="PsbtInputSignStatus.Refused"/>, why; otherwise <see cref="CustodyError.None"/>.</param>
public readonly record struct PsbtInputSignResult(PsbtInputSignStatus Status, CustodyError Reason);

/// <summary>The form of an input's spend, resolved from its UTXO, redeem script and witness script.</summary>
internal sealed record ResolvedInput(TxOut Utxo, Script? Redeem, Script? WitnessScript, Script SigningScript, ScriptType InnerType, bool IsSegwit);

/// <summary>The BIP-174 roles beyond creation and parsing: updater, signer, combiner, finalizer and extractor.</summary>
public static class PsbtRoles
{
    // ---------------------------------------------------------------- updater

    /// <summary>Updater: fills inputs and outputs from what the caller knows. For each input, the previous transaction gives the
    /// UTXO (a witness UTXO for segwit spends, the full transaction for legacy ones); scripts whose hashes match become redeem and
    /// witness scripts; public keys used by the (inner) scripts get their BIP-32 origins. Outputs get scripts and origins likewise.</summary>
    public static void Update(Psbt psbt, IEnumerable<Transaction> previousTransactions, IEnumerable<Script> scripts, IReadOnlyDictionary<PublicKey, KeyOrigin> keyOrigins)
    {
        ArgumentNullException.ThrowIfNull(psbt);
        ArgumentNullException.ThrowIfNull(previousTransactions);
        ArgumentNullException.ThrowIfNull(scripts);
        ArgumentNullException.ThrowIfNull(keyOrigins);
        var byTxId = new Dictionary<TxId, Transaction>();
        foreach (var tx in previousTransactions) byTxId[tx.GetTxId()] = tx;
        var known = scripts.ToList();
        foreach (var input in psbt.InputList)
        {
            if (input.IsFinalized) continue;
            var utxo = input.GetUtxo();
            if (utxo is null && byTxId.TryGetValue(input.PrevOut.TxId, out var prev) && input.PrevOut.Index < prev.Outputs.Count)
            {
                utxo = prev.Outputs[(int)input.PrevOut.Index];
                if (IsSegwitSpend(utxo.ScriptPubKey, known)) input.WitnessUtxo = utxo;
                else input.NonWitnessUtxo = prev;
            }
            if (utxo is null) continue;
            var (redeem, witnessScript) = FindScripts(utxo.ScriptPubKey, known);
            if (redeem is not null && input.RedeemScript is null) input.RedeemScript = redeem;
            if (witnessScript is not null && input.WitnessScript is null) input.WitnessScript = witnessScript;
            foreach (var key in KeysOf(utxo.ScriptPubKey, redeem, witnessScript, keyOrigins.Keys))
            {
                input.AddBip32Derivation(key, keyOrigins[key]);
            }
        }
        for (var i = 0; i < psbt.OutputList.Count; i++)
        {
            var output = psbt.OutputList[i];
            var spk = psbt.UnsignedTransaction.Outputs[i].ScriptPubKey;
            var (redeem, witnessScript) = FindScripts(spk, known);
            if (redeem is not null && output.RedeemScript is null) output.RedeemScript = redeem;
            if (witnessScript is not null && output.WitnessScript is null) output.WitnessScript = witnessScript;
            foreach (var key in KeysOf(spk, redeem, witnessScript, keyOrigins.Keys))
            {
                output.AddBip32Derivation(key, keyOrigins[key]);
            }
        }
        psbt.Modified = true;
    }

    /// <summary>Updater: sets the sighash type of every input.</summary>
    public static void SetSigHashType(Psbt psbt, SigHashType type)
    {
        ArgumentNullException.ThrowIfNull(psbt);
        foreach (var input in psbt.InputList) input.SigHashType = (int)type;
    }

    private static bool IsSegwitSpend(Script spk, List<Script> known)
    {
        if (spk.IsWitnessProgram(out _, out _)) return true;
        var (redeem, _) = FindScripts(spk, known);
        return redeem is not null && redeem.IsWitnessProgram(out _, out _);
    }

    private static (Script? Redeem, Script? WitnessScript) FindScripts(Script spk, List<Script> known)
    {
        Script? redeem = null;
        var program = spk;
        if (spk.IsP2sh(out var hash))
        {
            var h = hash.ToArray();
            redeem = known.Find(s => s.GetScriptHash().AsSpan().SequenceEqual(h));
            if (redeem is null) return (null, null);
            program = redeem;
        }
        Script? witnessScript = null;
        if (program.IsP2wsh(out var wsh))
        {
            var h = wsh.ToArray();
            witnessScript = known.Find(s => s.GetWitnessScriptHash().AsSpan().SequenceEqual(h));
        }
        return (redeem, witnessScript);
    }

    private static List<PublicKey> KeysOf(Script spk, Script? redeem, Script? witnessScript, IEnumerable<PublicKey> candidates)
    {
        var inner = witnessScript ?? redeem ?? spk;
        var result = new List<PublicKey>();
        foreach (var key in candidates)
        {
            if (UsesKey(inner, key)) result.Add(key);
        }
        return result;
    }

    private static bool UsesKey(Script script, PublicKey key)
    {
        if (script.IsP2pkh(out var h) || script.IsP2wpkh(out h))
        {
            return key.GetHash160().AsSpan().SequenceEqual(h);
        }
        if (script.IsP2pk(out var pk))
        {
            return key.Span.SequenceEqual(pk);
        }
        if (script.IsMultisig(out _, out var keys))
        {
            return keys.Exists(k => key.Span.SequenceEqual(k));
        }
        return false;
    }

    // ---------------------------------------------------------------- checks shared by signer and finalizer

    /// <summary>Resolves how an input is spent and checks that its UTXO, redeem script and witness script agree.</summary>
    /// <returns><see cref="CustodyError.None"/> with <paramref name="resolved"/> set; or <see cref="CustodyError.PsbtMissingUtxo"/>,
    /// <see cref="CustodyError.PsbtScriptMismatch"/>, <see cref="CustodyError.PsbtWitnessUtxoForNonWitnessInput"/>,
    /// <see cref="CustodyError.PsbtUnsupportedScript"/> (resolved is null), or None with resolved null when scripts are missing.</returns>
    internal static CustodyError Resolve(PsbtInput input, out ResolvedInput? resolved)
    {
        resolved = null;
        var nonWitness = input.NonWitnessUtxo;
        var witnessUtxo = input.WitnessUtxo;
        TxOut? utxo = nonWitness is not null ? nonWitness.Outputs[(int)input.PrevOut.Index] : witnessUtxo;
        if (utxo is null) return CustodyError.PsbtMissingUtxo;
        var spk = utxo.ScriptPubKey;
        var redeem = input.RedeemScript;
        var witnessScript = input.WitnessScript;
        var program = spk;
        if (spk.IsP2sh(out var hash))
        {
            if (redeem is null) return CustodyError.None;
            if (!redeem.GetScriptHash().AsSpan().SequenceEqual(hash)) return CustodyError.PsbtScriptMismatch;
            program = redeem;
        }
        else if (redeem is not null)
        {
            return CustodyError.PsbtScriptMismatch;
        }
        bool segwit;
        Script signing;
        if (program.IsP2wpkh(out var keyHash))
        {
            segwit = true;
            signing = Script.P2pkh(keyHash);
            if (witnessScript is not null) return CustodyError.PsbtScriptMismatch;
        }
        else if (program.IsP2wsh(out var scriptHash))
        {
            segwit = true;
            if (witnessScript is null) return CustodyError.None;
            if (!witnessScript.GetWitnessScriptHash().AsSpan().SequenceEqual(scriptHash)) return CustodyError.PsbtScriptMismatch;
            signing = witnessScript;
        }
        else if (program.IsWitnessProgram(out _, out _))
        {
            return CustodyError.PsbtUnsupportedScript;
        }
        else
        {
            segwit = false;
            signing = program;
            if (witnessScript is not null) return CustodyError.PsbtScriptMismatch;
        }
        if (!segwit && nonWitness is null)
        {
            return CustodyError.PsbtWitnessUtxoForNonWitnessInput;
        }
        var inner = signing.Classify();
        if (signing == witnessScript || !segwit)
        {
            if (inner is not (ScriptType.P2pkh or ScriptType.P2pk or ScriptType.Multisig)) return CustodyError.PsbtUnsupportedScript;
        }
        else
        {
            inner = ScriptType.P2wpkh;
        }
        resolved = new ResolvedInput(utxo, redeem, witnessScript, signing, inner, segwit);
        return CustodyError.None;
    }

    // ---------------------------------------------------------------- signer

    /// <summary>Signer: adds partial signatures for every input whose scripts use one of <paramref name="keys"/> (P2PKH, P2WPKH,
    /// P2SH-P2WPKH, bare/P2SH/P2WSH/P2SH-P2WSH multisig, P2PK). Signatures are RFC 6979, low-S (and low-R by default, as Core).
    /// An input whose UTXO, redeem script and witness script disagree (BIP-174 signer checks) is not signed: its result is
    /// <see cref="PsbtInputSignStatus.Refused"/> with the reason.</summary>
    /// <returns>One result per input.</returns>
    /// <exception cref="PsbtRoleException"><see cref="CustodyError.PsbtMissingUtxo"/> when one of the keys belongs to an input whose
    /// UTXO (and so its amount) is unknown; <see cref="CustodyError.PsbtSighashMismatch"/> when an input asks for another sighash type.
    /// Nothing is signed when it throws.</exception>
    public static IReadOnlyList<PsbtInputSignResult> Sign(Psbt psbt, IReadOnlyList<PrivateKey> keys, PsbtSignerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(psbt);
        ArgumentNullException.ThrowIfNull(keys);
        options ??= new PsbtSignerOptions();
        var count = psbt.InputList.Count;
        var resolved = new ResolvedInput?[count];
        var results = new PsbtInputSignResult[count];
        var hashType = (int)options.SigHashType;
        if ((hashType & ~0x80) is < 1 or > 3)
        {
            Throw.PsbtRole(CustodyError.SighashTypeInvalid, $"sighash type {hashType} is not ALL, NONE or SINGLE (with or without ANYONECANPAY)");
        }
        for (var i = 0; i < count; i++)
        {
            var input = psbt.InputList[i];
            if (input.IsFinalized)
            {
                results[i] = new(PsbtInputSignStatus.AlreadyFinalized, CustodyError.None);
                continue;
            }
            var error = Resolve(input, out resolved[i]);
            if (error == CustodyError.PsbtMissingUtxo)
            {
                if (KeysByHint(input, keys).Count > 0)
                {
                    Throw.PsbtRole(error, $"input {i}: the UTXO (and so the amount) is missing; refusing to sign");
                }
                results[i] = new(PsbtInputSignStatus.NoMatchingKey, CustodyError.None);
                continue;
            }
            if (error != CustodyError.None)
            {
                results[i] = new(PsbtInputSignStatus.Refused, error);
                continue;
            }
            var r = resolved[i];
            if (r is null)
            {
                results[i] = new(KeysByHint(input, keys).Count > 0 ? PsbtInputSignStatus.ScriptsMissing : PsbtInputSignStatus.NoMatchingKey, CustodyError.None);
                continue;
            }
            if (!keys.Any(k => UsesKey(r.SigningScript, k.PublicKey)))
            {
                results[i] = new(PsbtInputSignStatus.NoMatchingKey, CustodyError.None);
                resolved[i] = null;
                continue;
            }
            if (input.SigHashType is { } declared && declared != hashType)
            {
                Throw.PsbtRole(CustodyError.PsbtSighashMismatch, $"input {i} asks for sighash type {declared}, the signer was told to use {hashType}");
            }
        }
        var tx = psbt.UnsignedTransaction;
        var precomputed = new PrecomputedTransactionData(tx);
        for (var i = 0; i < count; i++)
        {
            var r = resolved[i];
            if (r is null || results[i].Status != 0)
            {
                continue;
            }
            var input = psbt.InputList[i];
            var existing = input.PartialSignatures.Select(p => p.Key).ToList();
            var status = PsbtInputSignStatus.AlreadySigned;
            foreach (var key in keys.Where(k => UsesKey(r.SigningScript, k.PublicKey)))
            {
                if (existing.Contains(key.PublicKey)) continue;
                var sighash = r.IsSegwit
                    ? SignatureHash.WitnessV0(tx, i, r.SigningScript, r.Utxo.Value, hashType, precomputed)
                    : SignatureHash.Legacy(tx, i, r.SigningScript, hashType);
                var signature = key.Sign(sighash, options.GrindLowR);
                input.AddPartialSignature(key.PublicKey, [.. signature.ToDer(), (byte)hashType]);
                existing.Add(key.PublicKey);
                status = PsbtInputSignStatus.Signed;
            }
            if (status == PsbtInputSignStatus.Signed && r.IsSegwit && input.WitnessUtxo is null)
            {
                input.WitnessUtxo = r.Utxo;
            }
            results[i] = new(status, CustodyError.None);
        }
        psbt.Modified = true;
        return results;
    }

    private static List<PrivateKey> KeysByHint(PsbtInput input, IReadOnlyList<PrivateKey> keys)
    {
        var hinted = input.Bip32Derivations.Select(d => d.Key).ToList();
        var scripts = new[] { input.RedeemScript, input.WitnessScript }.Where(s => s is not null).ToList();
        return keys.Where(k => hinted.Contains(k.PublicKey) || scripts.Exists(s => UsesKey(s!, k.PublicKey))).ToList();
    }

    // ---------------------------------------------------------------- combiner

    /// <summary>Combiner: merges PSBTs of the same unsigned transaction; on conflicting keys the first PSBT's value is kept (as Core does).</summary>
    /// <exception cref="PsbtRoleException"><see cref="CustodyError.PsbtCombineDifferentTransactions"/>.</exception>
    public static Psbt Combine(IReadOnlyList<Psbt> psbts)
    {
        ArgumentNullException.ThrowIfNull(psbts);
        if (psbts.Count == 0) throw new ArgumentException("nothing to combine", nameof(psbts));
        var result = psbts[0].Clone();
        var txid = result.UnsignedTransaction.GetTxId();
        for (var n = 1; n < psbts.Count; n++)
        {
            var other = psbts[n];
            if (other.UnsignedTransaction.GetTxId() != txid)
            {
                Throw.PsbtRole(CustodyError.PsbtCombineDifferentTransactions, "PSBTs are for different transactions");
            }
            Merge(result.Global, other.Global);
            for (var i = 0; i < result.InputList.Count; i++) Merge(result.InputList[i].Map, other.InputList[i].Map);
            for (var i = 0; i < result.OutputList.Count; i++) Merge(result.OutputList[i].Map, other.OutputList[i].Map);
        }
        result.Modified = true;
        return result;
    }

    private static void Merge(PsbtMap into, PsbtMap from)
    {
        foreach (var e in from.Entries)
        {
            if (into.IndexOf(e.KeySpan) < 0) into.Entries.Add(e);
        }
    }

    // ---------------------------------------------------------------- finalizer

    /// <summary>Finalizer: turns partial signatures into final scriptSig/witness for every input it can (P2PKH, P2PK, P2WPKH,
    /// P2SH-P2WPKH, and m-of-n multisig bare, in P2SH, P2WSH or P2SH-P2WSH with the first m signatures in the script's key order),
    /// checks each result with <see cref="ScriptVerifier"/>, and clears the fields the final scripts replace.</summary>
    /// <returns>True when every input is finalized.</returns>
    public static bool TryFinalize(Psbt psbt)
    {
        ArgumentNullException.ThrowIfNull(psbt);
        var all = true;
        for (var i = 0; i < psbt.InputList.Count; i++)
        {
            if (FinalizeInput(psbt, i) != CustodyError.None) all = false;
        }
        return all;
    }

    /// <summary>Finalizer for all inputs.</summary>
    /// <exception cref="PsbtRoleException"><see cref="CustodyError.PsbtCannotFinalize"/> (or the input's inconsistency) for the first input that cannot be finalized.</exception>
    public static void Finalize(Psbt psbt)
    {
        ArgumentNullException.ThrowIfNull(psbt);
        for (var i = 0; i < psbt.InputList.Count; i++)
        {
            var error = FinalizeInput(psbt, i);
            if (error != CustodyError.None)
            {
                Throw.PsbtRole(error, $"input {i} cannot be finalized");
            }
        }
    }

    /// <summary>Finalizes one input; returns the reason it cannot be finalized, or None (also when already final).</summary>
    public static CustodyError FinalizeInput(Psbt psbt, int index)
    {
        ArgumentNullException.ThrowIfNull(psbt);
        if (index < 0 || index >= psbt.InputList.Count) return CustodyError.PsbtIndexOutOfRange;
        var input = psbt.InputList[index];
        if (input.IsFinalized) return CustodyError.None;
        var error = Resolve(input, out var r);
        if (error != CustodyError.None) return error;
        if (r is null) return CustodyError.PsbtCannotFinalize;
        var sigs = input.PartialSignatures;
        var stack = new List<byte[]>();
        switch (r.InnerType)
        {
            case ScriptType.P2pkh:
            case ScriptType.P2wpkh:
                {
                    r.SigningScript.IsP2pkh(out var h);
                    var hash = h.ToArray();
                    var match = sigs.FirstOrDefault(s => s.Key.GetHash160().AsSpan().SequenceEqual(hash));
                    if (match.Key is null) return CustodyError.PsbtCannotFinalize;
                    stack.Add(match.Signature);
                    stack.Add(match.Key.ToBytes());
                    break;
                }
            case ScriptType.P2pk:
                {
                    if (!r.SigningScript.IsP2pk(out var pk)) return CustodyError.PsbtUnsupportedScript;
                    var match = sigs.FirstOrDefault(s => s.Key.Span.SequenceEqual(pk));
                    if (match.Key is null) return CustodyError.PsbtCannotFinalize;
                    stack.Add(match.Signature);
                    break;
                }
            case ScriptType.Multisig:
                {
                    if (!r.SigningScript.IsMultisig(out var m, out var keys)) return CustodyError.PsbtUnsupportedScript;
                    stack.Add([]);
                    foreach (var k in keys)
                    {
                        if (stack.Count - 1 == m) break;
                        var match = sigs.FirstOrDefault(s => s.Key.Span.SequenceEqual(k));
                        if (match.Key is not null) stack.Add(match.Signature);
                    }
                    if (stack.Count - 1 < m) return CustodyError.PsbtCannotFinalize;
                    break;
                }
            default:
                return CustodyError.PsbtUnsupportedScript;
        }
        Script scriptSig;
        List<byte[]> witness;
        if (r.IsSegwit)
        {
            witness = stack;
            if (r.WitnessScript is not null) witness.Add(r.WitnessScript.ToBytes());
            scriptSig = r.Redeem is null ? Script.Empty : new ScriptBuilder().Push(r.Redeem.Span).ToScript();
        }
        else
        {
            witness = [];
            var builder = new ScriptBuilder();
            foreach (var item in stack) builder.Push(item);
            if (r.Redeem is not null) builder.Push(r.Redeem.Span);
            scriptSig = builder.ToScript();
        }
        var trial = psbt.UnsignedTransaction.Clone();
        trial.Inputs[index].ScriptSig = scriptSig;
        trial.Inputs[index].Witness = witness;
        if (ScriptVerifier.VerifyInput(trial, index, r.Utxo, ScriptVerifyFlags.Standard) != ScriptError.Ok)
        {
            return CustodyError.PsbtCannotFinalize;
        }
        var keep = input.Map.Entries.Where(e => e.Type is PsbtInput.NonWitnessUtxoType or PsbtInput.WitnessUtxoType || !IsKnownInputType(e.Type)).ToList();
        input.Map.Entries.Clear();
        input.Map.Entries.AddRange(keep);
        if (r.IsSegwit && input.WitnessUtxo is null) input.WitnessUtxo = r.Utxo;
        if (scriptSig.Length > 0) input.FinalScriptSig = scriptSig;
        if (witness.Count > 0) input.FinalScriptWitness = witness;
        psbt.Modified = true;
        return CustodyError.None;
    }

    private static bool IsKnownInputType(ulong type) => type is <= 0x08 or (>= 0x0a and <= 0x0d) or (>= 0x13 and <= 0x18) or (>= 0x1a and <= 0x1c);

    // ---------------------------------------------------------------- extractor

    /// <summary>Extractor: the network transaction from a fully finalized PSBT.</summary>
    /// <exception cref="PsbtRoleException"><see cref="CustodyError.PsbtNotFinalized"/>.</exception>
    public static Transaction Extract(Psbt psbt)
    {
        ArgumentNullException.ThrowIfNull(psbt);
        var tx = psbt.UnsignedTransaction.Clone();
        for (var i = 0; i < psbt.InputList.Count; i++)
        {
            var input = psbt.InputList[i];
            if (!input.IsFinalized)
            {
                Throw.PsbtRole(CustodyError.PsbtNotFinalized, $"input {i} is not finalized");
            }
            tx.Inputs[i].ScriptSig = input.FinalScriptSig ?? Script.Empty;
            tx.Inputs[i].Witness = input.FinalScriptWitness?.ToList() ?? [];
        }
        return tx;
    }
}
