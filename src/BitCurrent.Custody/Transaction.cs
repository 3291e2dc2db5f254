using BitCurrent.Custody.Internal;

namespace BitCurrent.Custody;

/// <summary>A transaction id (or any double-SHA-256 hash) in internal byte order; displayed reversed, as Bitcoin does.</summary>
public readonly struct TxId : IEquatable<TxId>
{
    private readonly byte[]? _bytes;

    /// <summary>Wraps 32 bytes in internal (serialization) order.</summary>
    public TxId(ReadOnlySpan<byte> internalOrder32)
    {
        if (internalOrder32.Length != 32)
        {
            Throw.Transaction(CustodyError.TransactionMalformed, "a txid is 32 bytes");
        }
        _bytes = internalOrder32.ToArray();
    }

    /// <summary>The bytes in internal order (as serialized in outpoints).</summary>
    public ReadOnlySpan<byte> Span => _bytes ?? new byte[32];

    /// <summary>Parses the usual display form (byte-reversed hex).</summary>
    public static TxId Parse(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        Array.Reverse(bytes);
        return new TxId(bytes);
    }

    /// <summary>True for the all-zero hash (coinbase prevout).</summary>
    public bool IsZero => _bytes is null || Array.TrueForAll(_bytes, b => b == 0);

    /// <summary>Display form: byte-reversed hex.</summary>
    public override string ToString()
    {
        var copy = Span.ToArray();
        Array.Reverse(copy);
        return Convert.ToHexStringLower(copy);
    }

    /// <inheritdoc/>
    public bool Equals(TxId other) => Span.SequenceEqual(other.Span);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TxId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => BitConverter.ToInt32(Span);

    /// <summary>Equality.</summary>
    public static bool operator ==(TxId left, TxId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(TxId left, TxId right) => !left.Equals(right);
}

/// <summary>A reference to a transaction output.</summary>
/// <param name="TxId">The funding transaction.</param>
/// <param name="Index">The output index in it.</param>
public readonly record struct OutPoint(TxId TxId, uint Index)
{
    /// <summary>The coinbase prevout: zero hash, index 0xffffffff.</summary>
    public bool IsNull => TxId.IsZero && Index == uint.MaxValue;

    /// <summary>"txid:index".</summary>
    public override string ToString() => $"{TxId}:{Index}";
}

/// <summary>A transaction input. Mutable while a transaction is being built or signed.</summary>
public sealed class TxIn
{
    /// <summary>Creates an input.</summary>
    public TxIn(OutPoint prevOut, Script? scriptSig = null, uint sequence = uint.MaxValue)
    {
        PrevOut = prevOut;
        ScriptSig = scriptSig ?? Script.Empty;
        Sequence = sequence;
    }

    /// <summary>The output spent.</summary>
    public OutPoint PrevOut { get; set; }

    /// <summary>The scriptSig.</summary>
    public Script ScriptSig { get; set; }

    /// <summary>nSequence.</summary>
    public uint Sequence { get; set; }

    /// <summary>The witness stack (empty when none).</summary>
    public List<byte[]> Witness { get; set; } = [];

    internal TxIn Clone() => new(PrevOut, ScriptSig, Sequence) { Witness = Witness.ConvertAll(w => (byte[])w.Clone()) };
}

/// <summary>A transaction output: value in satoshis and the script it pays to.</summary>
public sealed class TxOut
{
    /// <summary>Creates an output.</summary>
    public TxOut(long value, Script scriptPubKey)
    {
        ArgumentNullException.ThrowIfNull(scriptPubKey);
        Value = value;
        ScriptPubKey = scriptPubKey;
    }

    /// <summary>Value in satoshis (consensus allows 0..<see cref="Money.SatoshisMax"/>).</summary>
    public long Value { get; set; }

    /// <summary>The output script.</summary>
    public Script ScriptPubKey { get; set; }

    /// <summary>Wire form: 8-byte value and var-length script.</summary>
    public byte[] ToBytes()
    {
        var w = new ByteWriter(9 + ScriptPubKey.Length);
        w.WriteInt64(Value);
        w.WriteVarBytes(ScriptPubKey.Span);
        return w.ToArray();
    }

    /// <summary>Parses the wire form (all bytes must be used).</summary>
    /// <exception cref="TransactionFormatException"><see cref="CustodyError.TransactionMalformed"/>.</exception>
    public static TxOut Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new ByteReader(bytes);
            var output = Read(ref reader);
            if (!reader.IsEmpty)
            {
                Throw.Transaction(CustodyError.TransactionMalformed, "extra data after output");
            }
            return output;
        }
        catch (Exception ex) when (ex is EndOfDataException or NonCanonicalException)
        {
            Throw.Transaction(CustodyError.TransactionMalformed, ex.Message);
            return null;
        }
    }

    internal static TxOut Read(ref ByteReader reader)
    {
        var value = reader.ReadInt64();
        return new TxOut(value, Script.Wrap(reader.ReadVarBytes()));
    }

    internal void Write(ByteWriter w)
    {
        w.WriteInt64(Value);
        w.WriteVarBytes(ScriptPubKey.Span);
    }

    internal TxOut Clone() => new(Value, ScriptPubKey);
}

/// <summary>A Bitcoin transaction with BIP-144 witness serialization.</summary>
public sealed class Transaction
{
    /// <summary>Consensus block weight limit, also the largest valid transaction weight.</summary>
    public const int WeightMax = 4_000_000;

    /// <summary>nVersion (signed, as in Bitcoin Core).</summary>
    public int Version { get; set; } = 2;

    /// <summary>Inputs.</summary>
    public List<TxIn> Inputs { get; } = [];

    /// <summary>Outputs.</summary>
    public List<TxOut> Outputs { get; } = [];

    /// <summary>nLockTime.</summary>
    public uint LockTime { get; set; }

    /// <summary>True when any input carries a witness.</summary>
    public bool HasWitness => Inputs.Exists(i => i.Witness.Count > 0);

    /// <summary>Deep copy.</summary>
    public Transaction Clone()
    {
        var tx = new Transaction { Version = Version, LockTime = LockTime };
        tx.Inputs.AddRange(Inputs.ConvertAll(i => i.Clone()));
        tx.Outputs.AddRange(Outputs.ConvertAll(o => o.Clone()));
        return tx;
    }

    /// <summary>Serializes; with <paramref name="includeWitness"/> and any witness present, uses the BIP-144 marker/flag form.</summary>
    public byte[] ToBytes(bool includeWitness = true)
    {
        var w = new ByteWriter(256);
        Write(w, includeWitness && HasWitness);
        return w.ToArray();
    }

    /// <summary>Hex of <see cref="ToBytes"/>.</summary>
    public string ToHex(bool includeWitness = true) => Convert.ToHexStringLower(ToBytes(includeWitness));

    internal void Write(ByteWriter w, bool withWitness)
    {
        w.WriteInt32(Version);
        if (withWitness)
        {
            w.WriteByte(0);
            w.WriteByte(1);
        }
        w.WriteCompactSize((ulong)Inputs.Count);
        foreach (var input in Inputs)
        {
            w.WriteBytes(input.PrevOut.TxId.Span);
            w.WriteUInt32(input.PrevOut.Index);
            w.WriteVarBytes(input.ScriptSig.Span);
            w.WriteUInt32(input.Sequence);
        }
        w.WriteCompactSize((ulong)Outputs.Count);
        foreach (var output in Outputs)
        {
            output.Write(w);
        }
        if (withWitness)
        {
            foreach (var input in Inputs)
            {
                w.WriteCompactSize((ulong)input.Witness.Count);
                foreach (var item in input.Witness)
                {
                    w.WriteVarBytes(item);
                }
            }
        }
        w.WriteUInt32(LockTime);
    }

    /// <summary>The txid: double SHA-256 of the serialization without witnesses.</summary>
    public TxId GetTxId() => new(Hashes.DoubleSha256(ToBytes(includeWitness: false)));

    /// <summary>The wtxid: double SHA-256 of the serialization with witnesses (equals the txid without witnesses).</summary>
    public TxId GetWitnessTxId() => new(Hashes.DoubleSha256(ToBytes(includeWitness: true)));

    /// <summary>Weight units: 3 × base size + total size (BIP-141).</summary>
    public int GetWeight() => (3 * ToBytes(false).Length) + ToBytes(true).Length;

    /// <summary>Virtual size: weight / 4 rounded up.</summary>
    public int GetVirtualSize() => (GetWeight() + 3) / 4;

    /// <summary>Parses hex.</summary>
    public static Transaction Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            Throw.Transaction(CustodyError.TransactionMalformed, "transaction is not hex");
            return null;
        }
        return Parse(bytes);
    }

    /// <summary>Parses a transaction (witness form allowed); every byte must be used.</summary>
    /// <exception cref="TransactionFormatException"><see cref="CustodyError.TransactionMalformed"/>.</exception>
    public static Transaction Parse(ReadOnlySpan<byte> bytes, bool allowWitness = true)
    {
        try
        {
            var reader = new ByteReader(bytes);
            var tx = Read(ref reader, allowWitness);
            if (!reader.IsEmpty)
            {
                Throw.Transaction(CustodyError.TransactionMalformed, "extra data after transaction");
            }
            return tx;
        }
        catch (Exception ex) when (ex is EndOfDataException or NonCanonicalException)
        {
            Throw.Transaction(CustodyError.TransactionMalformed, ex.Message);
            return null;
        }
    }

    internal static Transaction Read(ref ByteReader r, bool allowWitness)
    {
        var tx = new Transaction { Version = r.ReadInt32() };
        byte flags = 0;
        ReadInputs(ref r, tx);
        if (tx.Inputs.Count == 0 && allowWitness)
        {
            flags = r.ReadByte();
            if (flags != 0)
            {
                ReadInputs(ref r, tx);
                ReadOutputs(ref r, tx);
            }
        }
        else
        {
            ReadOutputs(ref r, tx);
        }
        if ((flags & 1) != 0 && allowWitness)
        {
            flags ^= 1;
            foreach (var input in tx.Inputs)
            {
                var count = r.ReadCompactSize();
                for (ulong i = 0; i < count; i++)
                {
                    input.Witness.Add(r.ReadVarBytes());
                }
            }
            if (!tx.HasWitness)
            {
                Throw.Transaction(CustodyError.TransactionMalformed, "superfluous witness record");
            }
        }
        if (flags != 0)
        {
            Throw.Transaction(CustodyError.TransactionMalformed, "unknown transaction optional data");
        }
        tx.LockTime = r.ReadUInt32();
        return tx;
    }

    private static void ReadInputs(ref ByteReader r, Transaction tx)
    {
        var count = r.ReadCompactSize();
        for (ulong i = 0; i < count; i++)
        {
            var txid = new TxId(r.ReadBytes(32));
            var index = r.ReadUInt32();
            var script = Script.Wrap(r.ReadVarBytes());
            var sequence = r.ReadUInt32();
            tx.Inputs.Add(new TxIn(new OutPoint(txid, index), script, sequence));
        }
    }

    private static void ReadOutputs(ref ByteReader r, Transaction tx)
    {
        var count = r.ReadCompactSize();
        for (ulong i = 0; i < count; i++)
        {
            tx.Outputs.Add(TxOut.Read(ref r));
        }
    }

    /// <summary>Bitcoin Core's context-free CheckTransaction: inputs and outputs present, weight within limit, every output value and
    /// their sum in range, no duplicate inputs, coinbase scriptSig 2..100 bytes, no null prevout elsewhere.</summary>
    /// <returns><see cref="CustodyError.None"/> or the first rule broken.</returns>
    public CustodyError Check()
    {
        if (Inputs.Count == 0) return CustodyError.TransactionNoInputs;
        if (Outputs.Count == 0) return CustodyError.TransactionNoOutputs;
        if (ToBytes(false).Length * 4 > WeightMax) return CustodyError.TransactionTooLarge;
        long total = 0;
        foreach (var output in Outputs)
        {
            if (!Money.IsValid(output.Value)) return CustodyError.AmountOutOfRange;
            total += output.Value;
            if (!Money.IsValid(total)) return CustodyError.AmountOutOfRange;
        }
        var seen = new HashSet<OutPoint>();
        foreach (var input in Inputs)
        {
            if (!seen.Add(input.PrevOut)) return CustodyError.TransactionDuplicateInputs;
        }
        if (Inputs.Count == 1 && Inputs[0].PrevOut.IsNull)
        {
            if (Inputs[0].ScriptSig.Length is < 2 or > 100) return CustodyError.TransactionBadPrevout;
        }
        else
        {
            foreach (var input in Inputs)
            {
                if (input.PrevOut.IsNull) return CustodyError.TransactionBadPrevout;
            }
        }
        return CustodyError.None;
    }
}
