using BitCurrent.Custody.Internal;
using Org.BouncyCastle.Math;

namespace BitCurrent.Custody;

/// <summary>An ECDSA signature (r, s) on secp256k1, with strict DER (BIP-66) and 64-byte compact forms.</summary>
/// <remarks>Signatures made by <see cref="PrivateKey.Sign(ReadOnlySpan{byte}, bool)"/> are always low-S (BIP-62/BIP-146).</remarks>
public sealed class EcdsaSignature : IEquatable<EcdsaSignature>
{
    internal EcdsaSignature(BigInteger r, BigInteger s)
    {
        R = r;
        S = s;
    }

    internal BigInteger R { get; }

    internal BigInteger S { get; }

    /// <summary>True when s ≤ n/2, the only form Bitcoin's standardness (LOW_S) accepts.</summary>
    public bool IsLowS => S.CompareTo(Secp256k1.HalfN) <= 0;

    /// <summary>True when r is below 2^255, so its DER integer needs no padding byte (Core's low-R grinding aims for this).</summary>
    public bool IsLowR => !R.TestBit(255);

    /// <summary>r as 32 big-endian bytes.</summary>
    public byte[] RBytes()
    {
        var b = new byte[32];
        Secp256k1.WriteScalar(R, b);
        return b;
    }

    /// <summary>s as 32 big-endian bytes.</summary>
    public byte[] SBytes()
    {
        var b = new byte[32];
        Secp256k1.WriteScalar(S, b);
        return b;
    }

    /// <summary>The same signature with s replaced by n − s when s &gt; n/2.</summary>
    public EcdsaSignature NormalizeLowS() => IsLowS ? this : new EcdsaSignature(R, Secp256k1.N.Subtract(S));

    /// <summary>r ‖ s, 64 bytes.</summary>
    public byte[] ToCompact()
    {
        var b = new byte[64];
        Secp256k1.WriteScalar(R, b.AsSpan(0, 32));
        Secp256k1.WriteScalar(S, b.AsSpan(32, 32));
        return b;
    }

    /// <summary>Parses r ‖ s (64 bytes); r and s must be in 1..n-1.</summary>
    /// <exception cref="SignatureFormatException"><see cref="CustodyError.SignatureInvalidCompact"/>.</exception>
    public static EcdsaSignature FromCompact(ReadOnlySpan<byte> compact64)
    {
        if (compact64.Length != 64)
        {
            Throw.Signature(CustodyError.SignatureInvalidCompact, "compact signature must be 64 bytes");
        }
        var r = new BigInteger(1, compact64[..32]);
        var s = new BigInteger(1, compact64[32..]);
        if (!Secp256k1.IsValidScalar(r) || !Secp256k1.IsValidScalar(s))
        {
            Throw.Signature(CustodyError.SignatureInvalidCompact, "r or s out of range");
        }
        return new EcdsaSignature(r, s);
    }

    /// <summary>Strict DER encoding (no hashtype byte): minimal integers, 8 to 72 bytes.</summary>
    public byte[] ToDer()
    {
        var r = R.ToByteArray(); // two's complement, minimal, with a 0x00 pad when the top bit is set
        var s = S.ToByteArray();
        var der = new byte[6 + r.Length + s.Length];
        der[0] = 0x30;
        der[1] = (byte)(4 + r.Length + s.Length);
        der[2] = 0x02;
        der[3] = (byte)r.Length;
        r.CopyTo(der, 4);
        der[4 + r.Length] = 0x02;
        der[5 + r.Length] = (byte)s.Length;
        s.CopyTo(der, 6 + r.Length);
        return der;
    }

    /// <summary>Parses a strict DER signature (BIP-66 rules, no hashtype byte); r and s must be in 1..n-1. High S is accepted here
    /// (check <see cref="IsLowS"/> where policy requires it).</summary>
    /// <exception cref="SignatureFormatException"><see cref="CustodyError.SignatureInvalidDer"/>.</exception>
    public static EcdsaSignature FromDer(ReadOnlySpan<byte> der)
    {
        if (!TryFromDer(der, out var signature))
        {
            Throw.Signature(CustodyError.SignatureInvalidDer, "not a strict DER signature");
        }
        return signature;
    }

    /// <summary>Strict DER parse without throwing.</summary>
    public static bool TryFromDer(ReadOnlySpan<byte> der, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EcdsaSignature? signature)
    {
        signature = null;
        if (!IsStrictDer(der, hasHashType: false))
        {
            return false;
        }
        var lenR = der[3];
        var lenS = der[5 + lenR];
        var r = new BigInteger(1, der.Slice(4, lenR));
        var s = new BigInteger(1, der.Slice(6 + lenR, lenS));
        if (!Secp256k1.IsValidScalar(r) || !Secp256k1.IsValidScalar(s))
        {
            return false;
        }
        signature = new EcdsaSignature(r, s);
        return true;
    }

    /// <summary>BIP-66 strict DER check (Bitcoin Core's IsValidSignatureEncoding); with <paramref name="hasHashType"/> the last byte is a sighash type.</summary>
    public static bool IsStrictDer(ReadOnlySpan<byte> sig, bool hasHashType)
    {
        var extra = hasHashType ? 0 : 1; // Core's rule is written for signature + hashtype byte
        var size = sig.Length + extra;
        if (size < 9 || size > 73) return false;
        if (sig[0] != 0x30) return false;
        if (sig[1] != size - 3) return false;
        var lenR = sig[3];
        // Core's rule is 5 + lenR >= size. Without a hashtype byte the span is one byte shorter than size, so this bound is the
        // tighter one (it also keeps sig[5 + lenR] inside the span); a lenR it adds to Core's refusals would need lenS = -1 below.
        if (5 + lenR >= sig.Length) return false;
        var lenS = sig[5 + lenR];
        if (lenR + lenS + 7 != size) return false;
        if (sig[2] != 0x02) return false;
        if (lenR == 0) return false;
        if ((sig[4] & 0x80) != 0) return false;
        if (lenR > 1 && sig[4] == 0x00 && (sig[5] & 0x80) == 0) return false;
        if (sig[lenR + 4] != 0x02) return false;
        if (lenS == 0) return false;
        if ((sig[lenR + 6] & 0x80) != 0) return false;
        if (lenS > 1 && sig[lenR + 6] == 0x00 && (sig[lenR + 7] & 0x80) == 0) return false;
        return true;
    }

    /// <summary>Bitcoin Core's lax DER parser (used when DERSIG is not enforced, for historical transactions).
    /// Returns null only when the structure is unreadable; out-of-range values yield a signature that never verifies.</summary>
    internal static EcdsaSignature? ParseLaxDer(ReadOnlySpan<byte> input)
    {
        var pos = 0;
        var len = input.Length;
        if (pos == len || input[pos] != 0x30) return null;
        pos++;
        if (pos == len) return null;
        int lenbyte = input[pos++];
        if ((lenbyte & 0x80) != 0)
        {
            lenbyte -= 0x80;
            if (lenbyte > len - pos) return null;
            pos += lenbyte;
        }
        if (!ReadLaxInteger(input, ref pos, out var rpos, out var rlen)) return null;
        if (!ReadLaxInteger(input, ref pos, out var spos, out var slen)) return null;
        while (rlen > 0 && input[rpos] == 0) { rlen--; rpos++; }
        while (slen > 0 && input[spos] == 0) { slen--; spos++; }
        if (rlen > 32 || slen > 32)
        {
            return new EcdsaSignature(BigInteger.Zero, BigInteger.Zero);
        }
        var r = new BigInteger(1, input.Slice(rpos, rlen));
        var s = new BigInteger(1, input.Slice(spos, slen));
        if (r.CompareTo(Secp256k1.N) >= 0 || s.CompareTo(Secp256k1.N) >= 0)
        {
            return new EcdsaSignature(BigInteger.Zero, BigInteger.Zero);
        }
        return new EcdsaSignature(r, s);
    }

    private static bool ReadLaxInteger(ReadOnlySpan<byte> input, ref int pos, out int start, out int length)
    {
        start = 0;
        length = 0;
        var len = input.Length;
        if (pos == len || input[pos] != 0x02) return false;
        pos++;
        if (pos == len) return false;
        int lenbyte = input[pos++];
        if ((lenbyte & 0x80) != 0)
        {
            lenbyte -= 0x80;
            if (lenbyte > len - pos) return false;
            while (lenbyte > 0 && input[pos] == 0) { pos++; lenbyte--; }
            if (lenbyte >= 4) return false;
            length = 0;
            while (lenbyte > 0) { length = (length << 8) + input[pos]; pos++; lenbyte--; }
        }
        else
        {
            length = lenbyte;
        }
        if (length > len - pos) return false;
        start = pos;
        pos += length;
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(EcdsaSignature? other) => other is not null && R.Equals(other.R) && S.Equals(other.S);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as EcdsaSignature);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(R.GetHashCode(), S.GetHashCode());

    /// <summary>The DER encoding in hex.</summary>
    public override string ToString() => Convert.ToHexStringLower(ToDer());
}
