using BitCurrent.Custody.Internal;

namespace BitCurrent.Custody;

/// <summary>Sighash types (the low 5 bits select ALL/NONE/SINGLE; 0x80 is ANYONECANPAY).</summary>
public enum SigHashType
{
    /// <summary>Sign all inputs and outputs.</summary>
    All = 1,
    /// <summary>Sign all inputs, no outputs.</summary>
    None = 2,
    /// <summary>Sign all inputs and the output at the same index.</summary>
    Single = 3,
    /// <summary>ALL, this input only.</summary>
    AllAnyoneCanPay = 0x81,
    /// <summary>NONE, this input only.</summary>
    NoneAnyoneCanPay = 0x82,
    /// <summary>SINGLE, this input only.</summary>
    SingleAnyoneCanPay = 0x83,
}

/// <summary>Per-transaction hashes reused by every BIP-143 sighash of the same transaction (hashPrevouts, hashSequence, hashOutputs).</summary>
public sealed class PrecomputedTransactionData
{
    /// <summary>Computes the three hashes of <paramref name="tx"/>; the transaction must not change afterwards.</summary>
    public PrecomputedTransactionData(Transaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var prevouts = new ByteWriter(36 * tx.Inputs.Count);
        var sequences = new ByteWriter(4 * tx.Inputs.Count);
        foreach (var input in tx.Inputs)
        {
            prevouts.WriteBytes(input.PrevOut.TxId.Span);
            prevouts.WriteUInt32(input.PrevOut.Index);
            sequences.WriteUInt32(input.Sequence);
        }
        var outputs = new ByteWriter(64 * tx.Outputs.Count);
        foreach (var output in tx.Outputs)
        {
            output.Write(outputs);
        }
        HashPrevouts = Hashes.DoubleSha256(prevouts.WrittenSpan);
        HashSequence = Hashes.DoubleSha256(sequences.WrittenSpan);
        HashOutputs = Hashes.DoubleSha256(outputs.WrittenSpan);
    }

    internal byte[] HashPrevouts { get; }

    internal byte[] HashSequence { get; }

    internal byte[] HashOutputs { get; }
}

/// <summary>Signature hashes: the original (legacy) algorithm and BIP-143 for segwit v0.</summary>
public static class SignatureHash
{
    private const int SigHashAnyoneCanPay = 0x80;
    private const int SigHashNone = 2;
    private const int SigHashSingle = 3;

    /// <summary>Legacy SignatureHash (P2PKH, P2SH, bare scripts). Reproduces every consensus quirk: OP_CODESEPARATORs are removed from
    /// <paramref name="scriptCode"/>, and SIGHASH_SINGLE without a matching output (or an input index out of range) gives the hash "1".</summary>
    /// <param name="tx">The spending transaction.</param>
    /// <param name="inputIndex">Index of the input being signed.</param>
    /// <param name="scriptCode">The script being executed (after FindAndDelete of the signature, when the caller applies it).</param>
    /// <param name="hashType">The full 32-bit hash type as it will be appended to the signature.</param>
    /// <returns>32 bytes in internal order (the order that is signed).</returns>
    public static byte[] Legacy(Transaction tx, int inputIndex, Script scriptCode, int hashType)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(scriptCode);
        var one = new byte[32];
        one[0] = 1;
        if (inputIndex < 0 || inputIndex >= tx.Inputs.Count)
        {
            return one;
        }
        var baseType = hashType & 0x1f;
        var anyoneCanPay = (hashType & SigHashAnyoneCanPay) != 0;
        var hashSingle = baseType == SigHashSingle;
        var hashNone = baseType == SigHashNone;
        if (hashSingle && inputIndex >= tx.Outputs.Count)
        {
            return one;
        }
        var w = new ByteWriter(256 + scriptCode.Length);
        w.WriteInt32(tx.Version);
        var inputCount = anyoneCanPay ? 1 : tx.Inputs.Count;
        w.WriteCompactSize((ulong)inputCount);
        for (var n = 0; n < inputCount; n++)
        {
            var index = anyoneCanPay ? inputIndex : n;
            var input = tx.Inputs[index];
            w.WriteBytes(input.PrevOut.TxId.Span);
            w.WriteUInt32(input.PrevOut.Index);
            if (index != inputIndex)
            {
                w.WriteCompactSize(0);
            }
            else
            {
                WriteScriptCodeWithoutSeparators(w, scriptCode);
            }
            w.WriteUInt32(index != inputIndex && (hashSingle || hashNone) ? 0 : input.Sequence);
        }
        var outputCount = hashNone ? 0 : hashSingle ? inputIndex + 1 : tx.Outputs.Count;
        w.WriteCompactSize((ulong)outputCount);
        for (var n = 0; n < outputCount; n++)
        {
            if (hashSingle && n != inputIndex)
            {
                w.WriteInt64(-1);
                w.WriteCompactSize(0);
            }
            else
            {
                tx.Outputs[n].Write(w);
            }
        }
        w.WriteUInt32(tx.LockTime);
        w.WriteInt32(hashType);
        return Hashes.DoubleSha256(w.WrittenSpan);
    }

    // Bitcoin Core's CTransactionSignatureSerializer::SerializeScriptCode, including its behaviour on a truncated final push.
    private static void WriteScriptCodeWithoutSeparators(ByteWriter w, Script scriptCode)
    {
        var script = scriptCode.ToBytes();
        var separators = 0;
        var pos = 0;
        while (Script.TryReadOp(script, ref pos, out var op))
        {
            if (op.Code == (byte)Opcode.OP_CODESEPARATOR)
            {
                separators++;
            }
        }
        w.WriteCompactSize((ulong)(script.Length - separators));
        var begin = 0;
        pos = 0;
        while (Script.TryReadOp(script, ref pos, out var op))
        {
            if (op.Code == (byte)Opcode.OP_CODESEPARATOR)
            {
                w.WriteBytes(script.AsSpan(begin, pos - begin - 1));
                begin = pos;
            }
        }
        if (begin != script.Length)
        {
            w.WriteBytes(script.AsSpan(begin, Math.Min(pos, script.Length) - begin));
        }
    }

    /// <summary>BIP-143 signature hash for segwit v0 inputs.</summary>
    /// <param name="tx">The spending transaction.</param>
    /// <param name="inputIndex">Index of the input being signed.</param>
    /// <param name="scriptCode">For P2WPKH the P2PKH script of the key hash; for P2WSH the witness script from the last executed OP_CODESEPARATOR.</param>
    /// <param name="amount">Value of the output spent, in satoshis.</param>
    /// <param name="hashType">The 32-bit hash type.</param>
    /// <param name="precomputed">Optional cached hashes of <paramref name="tx"/>.</param>
    /// <returns>32 bytes in internal order.</returns>
    public static byte[] WitnessV0(Transaction tx, int inputIndex, Script scriptCode, long amount, int hashType, PrecomputedTransactionData? precomputed = null)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(scriptCode);
        if (inputIndex < 0 || inputIndex >= tx.Inputs.Count)
        {
            Throw.Transaction(CustodyError.InputIndexOutOfRange, "input index out of range");
        }
        var baseType = hashType & 0x1f;
        var anyoneCanPay = (hashType & SigHashAnyoneCanPay) != 0;
        Span<byte> zero = stackalloc byte[32];
        zero.Clear();
        precomputed ??= new PrecomputedTransactionData(tx);
        var w = new ByteWriter(160 + scriptCode.Length);
        w.WriteInt32(tx.Version);
        w.WriteBytes(anyoneCanPay ? zero : precomputed.HashPrevouts);
        w.WriteBytes(!anyoneCanPay && baseType != SigHashSingle && baseType != SigHashNone ? precomputed.HashSequence : zero);
        var input = tx.Inputs[inputIndex];
        w.WriteBytes(input.PrevOut.TxId.Span);
        w.WriteUInt32(input.PrevOut.Index);
        w.WriteVarBytes(scriptCode.Span);
        w.WriteInt64(amount);
        w.WriteUInt32(input.Sequence);
        if (baseType != SigHashSingle && baseType != SigHashNone)
        {
            w.WriteBytes(precomputed.HashOutputs);
        }
        else if (baseType == SigHashSingle && inputIndex < tx.Outputs.Count)
        {
            w.WriteBytes(Hashes.DoubleSha256(tx.Outputs[inputIndex].ToBytes()));
        }
        else
        {
            w.WriteBytes(zero);
        }
        w.WriteUInt32(tx.LockTime);
        w.WriteInt32(hashType);
        return Hashes.DoubleSha256(w.WrittenSpan);
    }
}
