using System.Diagnostics.CodeAnalysis;

namespace BitCurrent.Custody;

/// <summary>Script opcodes used by the templates and the verifier (values are consensus constants).</summary>
#pragma warning disable CA1707 // Opcode names are Bitcoin's own.
public enum Opcode : byte
{
    /// <summary>Push an empty array (also OP_FALSE).</summary>
    OP_0 = 0x00,
    /// <summary>Next byte is a push length.</summary>
    OP_PUSHDATA1 = 0x4c,
    /// <summary>Next two bytes are a push length.</summary>
    OP_PUSHDATA2 = 0x4d,
    /// <summary>Next four bytes are a push length.</summary>
    OP_PUSHDATA4 = 0x4e,
    /// <summary>Push -1.</summary>
    OP_1NEGATE = 0x4f,
    /// <summary>Reserved (fails if executed).</summary>
    OP_RESERVED = 0x50,
    /// <summary>Push 1 (also OP_TRUE).</summary>
    OP_1 = 0x51,
    /// <summary>Push 2.</summary>
    OP_2 = 0x52,
    /// <summary>Push 3.</summary>
    OP_3 = 0x53,
    /// <summary>Push 15.</summary>
    OP_15 = 0x5f,
    /// <summary>Push 16.</summary>
    OP_16 = 0x60,
    /// <summary>No operation.</summary>
    OP_NOP = 0x61,
    /// <summary>Fail unless the top item is true (pops it).</summary>
    OP_VERIFY = 0x69,
    /// <summary>Marks an output unspendable.</summary>
    OP_RETURN = 0x6a,
    /// <summary>Remove the top item.</summary>
    OP_DROP = 0x75,
    /// <summary>Duplicate the top item.</summary>
    OP_DUP = 0x76,
    /// <summary>Push whether the top two items are byte-equal.</summary>
    OP_EQUAL = 0x87,
    /// <summary>OP_EQUAL then OP_VERIFY.</summary>
    OP_EQUALVERIFY = 0x88,
    /// <summary>SHA-256 of the top item.</summary>
    OP_SHA256 = 0xa8,
    /// <summary>HASH160 of the top item.</summary>
    OP_HASH160 = 0xa9,
    /// <summary>HASH256 of the top item.</summary>
    OP_HASH256 = 0xaa,
    /// <summary>Signatures only cover the script after the last executed separator.</summary>
    OP_CODESEPARATOR = 0xab,
    /// <summary>Check one signature.</summary>
    OP_CHECKSIG = 0xac,
    /// <summary>OP_CHECKSIG then OP_VERIFY.</summary>
    OP_CHECKSIGVERIFY = 0xad,
    /// <summary>Check m of n signatures.</summary>
    OP_CHECKMULTISIG = 0xae,
    /// <summary>OP_CHECKMULTISIG then OP_VERIFY.</summary>
    OP_CHECKMULTISIGVERIFY = 0xaf,
}
#pragma warning restore CA1707

/// <summary>The standard output forms the custody code recognises.</summary>
public enum ScriptType
{
    /// <summary>Anything else.</summary>
    NonStandard = 0,
    /// <summary>&lt;pubkey&gt; OP_CHECKSIG.</summary>
    P2pk,
    /// <summary>OP_DUP OP_HASH160 &lt;20&gt; OP_EQUALVERIFY OP_CHECKSIG.</summary>
    P2pkh,
    /// <summary>OP_HASH160 &lt;20&gt; OP_EQUAL.</summary>
    P2sh,
    /// <summary>m &lt;keys&gt; n OP_CHECKMULTISIG.</summary>
    Multisig,
    /// <summary>OP_0 &lt;20&gt;.</summary>
    P2wpkh,
    /// <summary>OP_0 &lt;32&gt;.</summary>
    P2wsh,
    /// <summary>OP_1 &lt;32&gt; (taproot; recognised, not signed or verified here).</summary>
    P2tr,
    /// <summary>Another witness version or length.</summary>
    WitnessUnknown,
    /// <summary>OP_RETURN data carrier.</summary>
    NullData,
}

/// <summary>One parsed script element: an opcode and, for pushes, the pushed bytes.</summary>
/// <param name="Code">The opcode byte.</param>
/// <param name="Data">Pushed data (empty for non-push opcodes and OP_0).</param>
public readonly record struct ScriptOp(byte Code, ReadOnlyMemory<byte> Data)
{
    /// <summary>True for opcodes ≤ OP_16 (pushes, including OP_1NEGATE and OP_RESERVED as Core counts them).</summary>
    public bool IsPush => Code <= (byte)Opcode.OP_16;
}

/// <summary>An immutable Bitcoin script with builders for the standard templates and matchers to recognise them.</summary>
public sealed class Script : IEquatable<Script>
{
    /// <summary>Largest key count in a multisig script built here (P2SH redeem scripts are limited to 520 bytes: 15 compressed keys).</summary>
    public const int MultisigKeysMax = 15;

    private readonly byte[] _bytes;

    /// <summary>Wraps a copy of raw script bytes.</summary>
    public Script(ReadOnlySpan<byte> bytes) => _bytes = bytes.ToArray();

    private Script(byte[] owned, bool _) => _bytes = owned;

    internal static Script Wrap(byte[] owned) => new(owned, true);

    /// <summary>The empty script.</summary>
    public static Script Empty { get; } = new([], true);

    /// <summary>Parses hex.</summary>
    public static Script FromHex(string hex) => new(Convert.FromHexString(hex), true);

    /// <summary>The raw bytes.</summary>
    public ReadOnlySpan<byte> Span => _bytes;

    /// <summary>Length in bytes.</summary>
    public int Length => _bytes.Length;

    /// <summary>A copy of the raw bytes.</summary>
    public byte[] ToBytes() => (byte[])_bytes.Clone();

    /// <summary>Lower-case hex.</summary>
    public string ToHex() => Convert.ToHexStringLower(_bytes);

    /// <summary>Hex of the script.</summary>
    public override string ToString() => ToHex();

    // ---------- builders ----------

    /// <summary>P2PKH output for a 20-byte key hash.</summary>
    public static Script P2pkh(ReadOnlySpan<byte> keyHash20)
    {
        RequireLength(keyHash20, 20);
        var b = new byte[25];
        b[0] = (byte)Opcode.OP_DUP;
        b[1] = (byte)Opcode.OP_HASH160;
        b[2] = 20;
        keyHash20.CopyTo(b.AsSpan(3));
        b[23] = (byte)Opcode.OP_EQUALVERIFY;
        b[24] = (byte)Opcode.OP_CHECKSIG;
        return Wrap(b);
    }

    /// <summary>P2PKH output for a public key.</summary>
    public static Script P2pkh(PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return P2pkh(key.GetHash160());
    }

    /// <summary>P2SH output for a 20-byte script hash.</summary>
    public static Script P2sh(ReadOnlySpan<byte> scriptHash20)
    {
        RequireLength(scriptHash20, 20);
        var b = new byte[23];
        b[0] = (byte)Opcode.OP_HASH160;
        b[1] = 20;
        scriptHash20.CopyTo(b.AsSpan(2));
        b[22] = (byte)Opcode.OP_EQUAL;
        return Wrap(b);
    }

    /// <summary>P2SH output paying to <paramref name="redeemScript"/> (HASH160 of it).</summary>
    public static Script P2sh(Script redeemScript)
    {
        ArgumentNullException.ThrowIfNull(redeemScript);
        return P2sh(Hashes.Hash160(redeemScript.Span));
    }

    /// <summary>P2WPKH output for a 20-byte key hash.</summary>
    public static Script P2wpkh(ReadOnlySpan<byte> keyHash20)
    {
        RequireLength(keyHash20, 20);
        return WitnessProgram(0, keyHash20);
    }

    /// <summary>P2WPKH output for a compressed public key.</summary>
    /// <exception cref="KeyFormatException"><see cref="CustodyError.InvalidPublicKey"/> when the key is uncompressed (not allowed in segwit).</exception>
    public static Script P2wpkh(PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.IsCompressed)
        {
            Throw.Key(CustodyError.InvalidPublicKey, "segwit requires compressed public keys");
        }
        return P2wpkh(key.GetHash160());
    }

    /// <summary>P2WSH output for a 32-byte script hash.</summary>
    public static Script P2wsh(ReadOnlySpan<byte> scriptSha256)
    {
        RequireLength(scriptSha256, 32);
        return WitnessProgram(0, scriptSha256);
    }

    /// <summary>P2WSH output paying to <paramref name="witnessScript"/> (SHA-256 of it).</summary>
    public static Script P2wsh(Script witnessScript)
    {
        ArgumentNullException.ThrowIfNull(witnessScript);
        return P2wsh(Hashes.Sha256(witnessScript.Span));
    }

    /// <summary>P2PK output (&lt;pubkey&gt; OP_CHECKSIG).</summary>
    public static Script P2pk(PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new ScriptBuilder().Push(key.Span).Op(Opcode.OP_CHECKSIG).ToScript();
    }

    /// <summary>Witness program output: OP_n &lt;program&gt;.</summary>
    /// <exception cref="AddressFormatException">Version above 16 or program not 2..40 bytes (v0: 20 or 32).</exception>
    public static Script WitnessProgram(int version, ReadOnlySpan<byte> program)
    {
        if (version is < 0 or > 16)
        {
            Throw.Address(CustodyError.AddressInvalidWitnessVersion, "witness version must be 0..16");
        }
        if (program.Length is < 2 or > 40 || (version == 0 && program.Length is not (20 or 32)))
        {
            Throw.Address(CustodyError.AddressInvalidWitnessProgram, "invalid witness program length");
        }
        var b = new byte[2 + program.Length];
        b[0] = version == 0 ? (byte)0 : (byte)(0x50 + version);
        b[1] = (byte)program.Length;
        program.CopyTo(b.AsSpan(2));
        return Wrap(b);
    }

    /// <summary>m-of-n CHECKMULTISIG script. With <paramref name="sortKeys"/> (the default) keys are sorted per BIP-67.</summary>
    /// <exception cref="TransactionFormatException"><see cref="CustodyError.ScriptInvalidTemplate"/> unless 1 ≤ m ≤ n ≤ 15, or with duplicate keys.</exception>
    public static Script Multisig(int required, IReadOnlyList<PublicKey> keys, bool sortKeys = true)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (required < 1 || required > keys.Count || keys.Count > MultisigKeysMax)
        {
            Throw.Transaction(CustodyError.ScriptInvalidTemplate, "multisig needs 1 <= m <= n <= 15");
        }
        var ordered = new List<PublicKey>(keys);
        if (sortKeys)
        {
            ordered.Sort();
        }
        for (var i = 0; i < ordered.Count; i++)
        {
            for (var j = i + 1; j < ordered.Count; j++)
            {
                if (ordered[i].Equals(ordered[j]))
                {
                    Throw.Transaction(CustodyError.ScriptInvalidTemplate, "duplicate key in multisig");
                }
            }
        }
        var builder = new ScriptBuilder().Number(required);
        foreach (var key in ordered)
        {
            builder.Push(key.Span);
        }
        return builder.Number(ordered.Count).Op(Opcode.OP_CHECKMULTISIG).ToScript();
    }

    /// <summary>BIP-67 order of keys (lexicographic on their encoding).</summary>
    public static List<PublicKey> SortKeys(IEnumerable<PublicKey> keys)
    {
        var list = new List<PublicKey>(keys);
        list.Sort();
        return list;
    }

    private static void RequireLength(ReadOnlySpan<byte> data, int length)
    {
        if (data.Length != length)
        {
            Throw.Transaction(CustodyError.ScriptInvalidTemplate, $"expected {length} bytes");
        }
    }

    // ---------- hashes ----------

    /// <summary>HASH160 of the script (its P2SH hash).</summary>
    public byte[] GetScriptHash() => Hashes.Hash160(_bytes);

    /// <summary>SHA-256 of the script (its P2WSH program).</summary>
    public byte[] GetWitnessScriptHash() => Hashes.Sha256(_bytes);

    // ---------- matchers ----------

    /// <summary>OP_DUP OP_HASH160 &lt;20&gt; OP_EQUALVERIFY OP_CHECKSIG.</summary>
    public bool IsP2pkh(out ReadOnlySpan<byte> keyHash)
    {
        var b = _bytes;
        if (b.Length == 25 && b[0] == 0x76 && b[1] == 0xa9 && b[2] == 20 && b[23] == 0x88 && b[24] == 0xac)
        {
            keyHash = b.AsSpan(3, 20);
            return true;
        }
        keyHash = default;
        return false;
    }

    /// <summary>OP_HASH160 &lt;20&gt; OP_EQUAL (the exact consensus pattern).</summary>
    public bool IsP2sh(out ReadOnlySpan<byte> scriptHash)
    {
        var b = _bytes;
        if (b.Length == 23 && b[0] == 0xa9 && b[1] == 20 && b[22] == 0x87)
        {
            scriptHash = b.AsSpan(2, 20);
            return true;
        }
        scriptHash = default;
        return false;
    }

    /// <summary>True for the consensus P2SH pattern.</summary>
    public bool IsP2sh() => IsP2sh(out _);

    /// <summary>A witness program: OP_0..OP_16 followed by one direct push of 2..40 bytes, nothing else.</summary>
    public bool IsWitnessProgram(out int version, out ReadOnlySpan<byte> program)
    {
        var b = _bytes;
        version = -1;
        program = default;
        if (b.Length < 4 || b.Length > 42)
        {
            return false;
        }
        if (b[0] != 0 && (b[0] < 0x51 || b[0] > 0x60))
        {
            return false;
        }
        if (b[1] + 2 != b.Length)
        {
            return false;
        }
        version = b[0] == 0 ? 0 : b[0] - 0x50;
        program = b.AsSpan(2);
        return true;
    }

    /// <summary>OP_0 &lt;20&gt;.</summary>
    public bool IsP2wpkh(out ReadOnlySpan<byte> keyHash)
    {
        if (IsWitnessProgram(out var v, out var p) && v == 0 && p.Length == 20)
        {
            keyHash = p;
            return true;
        }
        keyHash = default;
        return false;
    }

    /// <summary>OP_0 &lt;32&gt;.</summary>
    public bool IsP2wsh(out ReadOnlySpan<byte> scriptHash)
    {
        if (IsWitnessProgram(out var v, out var p) && v == 0 && p.Length == 32)
        {
            scriptHash = p;
            return true;
        }
        scriptHash = default;
        return false;
    }

    /// <summary>&lt;33 or 65-byte key&gt; OP_CHECKSIG.</summary>
    public bool IsP2pk([NotNullWhen(true)] out byte[]? key)
    {
        var b = _bytes;
        key = null;
        if ((b.Length == 35 && b[0] == 33 && b[34] == 0xac) || (b.Length == 67 && b[0] == 65 && b[66] == 0xac))
        {
            key = b.AsSpan(1, b[0]).ToArray();
            return true;
        }
        return false;
    }

    /// <summary>OP_m &lt;key&gt;×n OP_n OP_CHECKMULTISIG with 1 ≤ m ≤ n ≤ 16 and 33/65-byte key pushes (keys are not validated as points).</summary>
    public bool IsMultisig(out int required, [NotNullWhen(true)] out List<byte[]>? keys)
    {
        required = 0;
        keys = null;
        if (!TryGetOps(out var ops) || ops.Count < 4)
        {
            return false;
        }
        var last = ops[^1].Code;
        if (last != (byte)Opcode.OP_CHECKMULTISIG)
        {
            return false;
        }
        var m = SmallInteger(ops[0].Code);
        var n = SmallInteger(ops[^2].Code);
        if (m < 1 || n < 1 || m > n || ops.Count != n + 3)
        {
            return false;
        }
        var list = new List<byte[]>(n);
        for (var i = 1; i <= n; i++)
        {
            var op = ops[i];
            if (op.Code is not (33 or 65) || op.Data.Length != op.Code)
            {
                return false;
            }
            list.Add(op.Data.ToArray());
        }
        required = m;
        keys = list;
        return true;
    }

    /// <summary>Provably unspendable: starts with OP_RETURN or is longer than the 10 000-byte script limit.</summary>
    public bool IsUnspendable => (_bytes.Length > 0 && _bytes[0] == (byte)Opcode.OP_RETURN) || _bytes.Length > 10_000;

    /// <summary>Only push opcodes (≤ OP_16), as required of P2SH scriptSigs.</summary>
    public bool IsPushOnly()
    {
        if (!TryGetOps(out var ops))
        {
            return false;
        }
        foreach (var op in ops)
        {
            if (op.Code > (byte)Opcode.OP_16)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The standard form of this output script.</summary>
    public ScriptType Classify()
    {
        if (IsP2pkh(out _)) return ScriptType.P2pkh;
        if (IsP2sh(out _)) return ScriptType.P2sh;
        if (IsWitnessProgram(out var v, out var p))
        {
            if (v == 0 && p.Length == 20) return ScriptType.P2wpkh;
            if (v == 0 && p.Length == 32) return ScriptType.P2wsh;
            if (v == 1 && p.Length == 32) return ScriptType.P2tr;
            return ScriptType.WitnessUnknown;
        }
        if (IsP2pk(out _)) return ScriptType.P2pk;
        if (IsMultisig(out _, out _)) return ScriptType.Multisig;
        if (IsUnspendable) return ScriptType.NullData;
        return ScriptType.NonStandard;
    }

    /// <summary>OP_1..OP_16 → 1..16, OP_0 → 0, anything else → -1.</summary>
    public static int SmallInteger(byte code) => code == 0 ? 0 : code is >= 0x51 and <= 0x60 ? code - 0x50 : -1;

    /// <summary>Splits the script into operations; false when a push runs past the end.</summary>
    public bool TryGetOps(out List<ScriptOp> ops)
    {
        ops = new List<ScriptOp>();
        var pos = 0;
        while (pos < _bytes.Length)
        {
            if (!TryReadOp(_bytes, ref pos, out var op))
            {
                return false;
            }
            ops.Add(op);
        }
        return true;
    }

    internal static bool TryReadOp(byte[] script, ref int pos, out ScriptOp op)
    {
        op = default;
        if (pos >= script.Length)
        {
            return false;
        }
        var code = script[pos++];
        if (code > (byte)Opcode.OP_PUSHDATA4)
        {
            op = new ScriptOp(code, ReadOnlyMemory<byte>.Empty);
            return true;
        }
        long size;
        if (code < (byte)Opcode.OP_PUSHDATA1)
        {
            size = code;
        }
        else if (code == (byte)Opcode.OP_PUSHDATA1)
        {
            if (script.Length - pos < 1) return false;
            size = script[pos];
            pos += 1;
        }
        else if (code == (byte)Opcode.OP_PUSHDATA2)
        {
            if (script.Length - pos < 2) return false;
            size = script[pos] | (script[pos + 1] << 8);
            pos += 2;
        }
        else
        {
            if (script.Length - pos < 4) return false;
            size = (uint)(script[pos] | (script[pos + 1] << 8) | (script[pos + 2] << 16) | (script[pos + 3] << 24));
            pos += 4;
        }
        if (size > script.Length - pos)
        {
            return false;
        }
        op = new ScriptOp(code, script.AsMemory(pos, (int)size));
        pos += (int)size;
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(Script? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Script);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }
}

/// <summary>Builds scripts with minimal push encodings.</summary>
public sealed class ScriptBuilder
{
    private readonly List<byte> _bytes = new(64);

    /// <summary>Appends an opcode.</summary>
    public ScriptBuilder Op(Opcode opcode)
    {
        _bytes.Add((byte)opcode);
        return this;
    }

    /// <summary>Appends a raw opcode byte.</summary>
    public ScriptBuilder Op(byte opcode)
    {
        _bytes.Add(opcode);
        return this;
    }

    /// <summary>Appends a small number: OP_0, OP_1NEGATE, OP_1..OP_16, or a minimal script-number push.</summary>
    public ScriptBuilder Number(long value)
    {
        if (value == 0)
        {
            _bytes.Add(0);
        }
        else if (value == -1 || (value >= 1 && value <= 16))
        {
            _bytes.Add((byte)(value + 0x50));
        }
        else
        {
            PushRaw(Internal.ScriptNumber.Encode(value));
        }
        return this;
    }

    /// <summary>Appends a data push with the smallest push opcode for its length (BIP-62 minimal push for data; no OP_n substitution).</summary>
    public ScriptBuilder Push(ReadOnlySpan<byte> data)
    {
        PushRaw(data);
        return this;
    }

    private void PushRaw(ReadOnlySpan<byte> data)
    {
        if (data.Length < (int)Opcode.OP_PUSHDATA1)
        {
            _bytes.Add((byte)data.Length);
        }
        else if (data.Length <= 0xff)
        {
            _bytes.Add((byte)Opcode.OP_PUSHDATA1);
            _bytes.Add((byte)data.Length);
        }
        else if (data.Length <= 0xffff)
        {
            _bytes.Add((byte)Opcode.OP_PUSHDATA2);
            _bytes.Add((byte)(data.Length & 0xff));
            _bytes.Add((byte)(data.Length >> 8));
        }
        else
        {
            _bytes.Add((byte)Opcode.OP_PUSHDATA4);
            _bytes.Add((byte)(data.Length & 0xff));
            _bytes.Add((byte)((data.Length >> 8) & 0xff));
            _bytes.Add((byte)((data.Length >> 16) & 0xff));
            _bytes.Add((byte)(data.Length >> 24));
        }
        foreach (var b in data)
        {
            _bytes.Add(b);
        }
    }

    /// <summary>Appends raw bytes as they are.</summary>
    public ScriptBuilder Raw(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            _bytes.Add(b);
        }
        return this;
    }

    /// <summary>The script built so far.</summary>
    public Script ToScript() => Script.Wrap([.. _bytes]);
}
