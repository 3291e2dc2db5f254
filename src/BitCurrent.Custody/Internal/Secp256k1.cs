using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;

namespace BitCurrent.Custody.Internal;

/// <summary>secp256k1 on BouncyCastle: parameters built once, G multiplied with the fixed-point comb
/// (its precomputation is cached on the G instance after the first use, about 10 KB).</summary>
internal static class Secp256k1
{
    public static readonly X9ECParameters Parameters = CustomNamedCurves.GetByName("secp256k1");
    public static readonly ECCurve Curve = Parameters.Curve;
    public static readonly ECPoint G = Parameters.G;
    public static readonly BigInteger N = Parameters.N;
    public static readonly BigInteger HalfN = N.ShiftRight(1);
    public static readonly BigInteger P = Curve.Field.Characteristic;
    public static readonly ECDomainParameters Domain = new(Curve, G, N, Parameters.H);
    private static readonly FixedPointCombMultiplier BaseMultiplier = new();

    public static ECPoint MultiplyG(BigInteger k) => BaseMultiplier.Multiply(G, k).Normalize();

    public static BigInteger ToScalar(ReadOnlySpan<byte> bigEndian) => new(1, bigEndian);

    public static bool IsValidScalar(BigInteger d) => d.SignValue > 0 && d.CompareTo(N) < 0;

    public static void WriteScalar(BigInteger value, Span<byte> destination32)
    {
        destination32.Clear();
        var bytes = value.ToByteArrayUnsigned();
        bytes.CopyTo(destination32[(32 - bytes.Length)..]);
    }

    /// <summary>Parses 0x02/0x03 (33 bytes), 0x04 (65) and the hybrid 0x06/0x07 (65) forms; null when not a point on the curve.</summary>
    public static ECPoint? TryDecodePoint(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length == 33 && (encoded[0] == 2 || encoded[0] == 3))
        {
            var x = new BigInteger(1, encoded[1..]);
            if (x.CompareTo(P) >= 0)
            {
                return null;
            }
        }
        else if (encoded.Length == 65 && (encoded[0] == 4 || encoded[0] == 6 || encoded[0] == 7))
        {
            if (encoded[0] != 4 && (encoded[64] & 1) != (encoded[0] & 1))
            {
                return null;
            }
            var x = new BigInteger(1, encoded.Slice(1, 32));
            var y = new BigInteger(1, encoded.Slice(33, 32));
            if (x.CompareTo(P) >= 0 || y.CompareTo(P) >= 0)
            {
                return null;
            }
            try
            {
                var point = Curve.ValidatePoint(x, y);
                return point.IsValid() ? point.Normalize() : null;
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
        else
        {
            return null;
        }
        try
        {
            var point = Curve.DecodePoint(encoded.ToArray());
            return point.IsValid() ? point.Normalize() : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>ECDSA with RFC 6979 nonces (optionally with Bitcoin Core's 32-byte extra entropy), low-S normalised.</summary>
    /// <returns>r, s (s ≤ n/2) and the recovery id of the signature as returned.</returns>
    public static (BigInteger R, BigInteger S, int RecoveryId) Sign(ReadOnlySpan<byte> hash32, BigInteger d, ReadOnlySpan<byte> extraEntropy)
    {
        var e = new BigInteger(1, hash32);
        var hash = hash32.ToArray();
        if (extraEntropy.IsEmpty)
        {
            var calculator = new HMacDsaKCalculator(new Sha256Digest());
            calculator.Init(N, d, hash);
            return SignWith(calculator.NextK, e, d);
        }
        var rfc = new Rfc6979(d, hash, extraEntropy);
        return SignWith(rfc.NextK, e, d);
    }

    private static (BigInteger R, BigInteger S, int RecoveryId) SignWith(Func<BigInteger> nextK, BigInteger e, BigInteger d)
    {
        while (true)
        {
            var k = nextK();
            var point = MultiplyG(k);
            var x = point.AffineXCoord.ToBigInteger();
            var r = x.Mod(N);
            if (r.SignValue == 0)
            {
                continue;
            }
            var s = Org.BouncyCastle.Utilities.BigIntegers.ModOddInverse(N, k).Multiply(e.Add(d.Multiply(r))).Mod(N);
            if (s.SignValue == 0)
            {
                continue;
            }
            var recId = (point.AffineYCoord.TestBitZero() ? 1 : 0) | (x.CompareTo(N) >= 0 ? 2 : 0);
            if (s.CompareTo(HalfN) > 0)
            {
                s = N.Subtract(s);
                recId ^= 1;
            }
            return (r, s, recId);
        }
    }

    /// <summary>ECDSA verification; accepts high and low S (the caller enforces LOW_S where required).</summary>
    public static bool Verify(ReadOnlySpan<byte> hash32, ECPoint q, BigInteger r, BigInteger s)
    {
        if (r.SignValue <= 0 || r.CompareTo(N) >= 0 || s.SignValue <= 0 || s.CompareTo(N) >= 0)
        {
            return false;
        }
        var signer = new ECDsaSigner();
        signer.Init(false, new ECPublicKeyParameters(q, Domain));
        return signer.VerifySignature(hash32.ToArray(), r, s);
    }

    /// <summary>SEC 1 §4.1.6 public key recovery; null when no key matches.</summary>
    public static ECPoint? Recover(ReadOnlySpan<byte> hash32, BigInteger r, BigInteger s, int recoveryId)
    {
        if (r.SignValue <= 0 || r.CompareTo(N) >= 0 || s.SignValue <= 0 || s.CompareTo(N) >= 0 || recoveryId is < 0 or > 3)
        {
            return null;
        }
        var x = (recoveryId & 2) != 0 ? r.Add(N) : r;
        if (x.CompareTo(P) >= 0)
        {
            return null;
        }
        var encoded = new byte[33];
        encoded[0] = (byte)((recoveryId & 1) != 0 ? 3 : 2);
        WriteScalar(x, encoded.AsSpan(1));
        var bigR = TryDecodePoint(encoded);
        if (bigR is null)
        {
            return null;
        }
        var e = new BigInteger(1, hash32);
        var rInv = Org.BouncyCastle.Utilities.BigIntegers.ModOddInverseVar(N, r);
        var u1 = N.Subtract(e).Mod(N).Multiply(rInv).Mod(N);
        var u2 = s.Multiply(rInv).Mod(N);
        var q = ECAlgorithms.SumOfTwoMultiplies(G, u1, bigR, u2).Normalize();
        return q.IsInfinity ? null : q;
    }

    /// <summary>RFC 6979 HMAC-SHA256 nonce generation with additional data appended to the seed, as libsecp256k1's
    /// nonce_function_rfc6979 does (used only for Bitcoin Core's low-R grinding; the plain case uses BouncyCastle's HMacDsaKCalculator).</summary>
    internal sealed class Rfc6979
    {
        private readonly byte[] _k = new byte[32];
        private readonly byte[] _v = new byte[32];
        private bool _retry;

        public Rfc6979(BigInteger d, byte[] hash, ReadOnlySpan<byte> extra)
        {
            var seed = new byte[64 + extra.Length];
            WriteScalar(d, seed.AsSpan(0, 32));
            var m = new BigInteger(1, hash);
            if (m.CompareTo(N) >= 0)
            {
                m = m.Subtract(N);
            }
            WriteScalar(m, seed.AsSpan(32, 32));
            extra.CopyTo(seed.AsSpan(64));
            Array.Fill(_v, (byte)1);
            Step(0, seed);
            Step(1, seed);
            Array.Clear(seed);
        }

        private void Step(byte marker, byte[] seed)
        {
            var buffer = new byte[32 + 1 + seed.Length];
            _v.CopyTo(buffer, 0);
            buffer[32] = marker;
            seed.CopyTo(buffer, 33);
            Hashes.HmacSha256(_k, buffer).CopyTo(_k, 0);
            Hashes.HmacSha256(_k, _v).CopyTo(_v, 0);
            Array.Clear(buffer);
        }

        public BigInteger NextK()
        {
            while (true)
            {
                if (_retry)
                {
                    var buffer = new byte[33];
                    _v.CopyTo(buffer, 0);
                    Hashes.HmacSha256(_k, buffer).CopyTo(_k, 0);
                    Hashes.HmacSha256(_k, _v).CopyTo(_v, 0);
                }
                _retry = true;
                Hashes.HmacSha256(_k, _v).CopyTo(_v, 0);
                var k = new BigInteger(1, _v);
                if (IsValidScalar(k))
                {
                    return k;
                }
            }
        }
    }
}
