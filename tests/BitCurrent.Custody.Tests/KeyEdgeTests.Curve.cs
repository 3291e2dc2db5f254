using System.Security.Cryptography;
using BitCurrent.Custody.Internal;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using static BitCurrent.Custody.Tests.VectorFiles;
using BigIntegers = Org.BouncyCastle.Utilities.BigIntegers;

namespace BitCurrent.Custody.Tests;

/// <summary>Edges of point decoding (SEC 1 forms and the hybrid 0x06/0x07 form), public keys, verification ranges, key
/// recovery (all four recovery ids) and the RFC 6979 nonce sequence; BouncyCastle used directly is the oracle.</summary>
public class KeyEdgeCurveTests
{
    [Fact]
    public void Scalar_is_written_as_32_big_endian_bytes_over_whatever_was_in_the_buffer()
    {
        var buffer = Filled(32, 0xee);
        Secp256k1.WriteScalar(BigInteger.One, buffer);
        Assert.Equal("0000000000000000000000000000000000000000000000000000000000000001", ToHex(buffer));
        Secp256k1.WriteScalar(new BigInteger(KeyEdge.NMinus1Hex, 16), buffer);
        Assert.Equal(KeyEdge.NMinus1Hex, ToHex(buffer));
    }

    // Expected: the compressed encoding of the decoded point, or null when the bytes are no point.
    [Theory]
    [InlineData("02" + KeyEdge.GxHex, "02" + KeyEdge.GxHex, "compressed G")]
    [InlineData("03" + KeyEdge.GxHex, "03" + KeyEdge.GxHex, "compressed −G")]
    [InlineData("04" + KeyEdge.GxHex + KeyEdge.GyHex, "02" + KeyEdge.GxHex, "uncompressed G")]
    [InlineData("04" + KeyEdge.GxHex + KeyEdge.NegGyHex, "03" + KeyEdge.GxHex, "uncompressed −G: 0x04 takes either parity")]
    [InlineData("06" + KeyEdge.GxHex + KeyEdge.GyHex, "02" + KeyEdge.GxHex, "hybrid 0x06 with an even y")]
    [InlineData("07" + KeyEdge.GxHex + KeyEdge.NegGyHex, "03" + KeyEdge.GxHex, "hybrid 0x07 with an odd y")]
    [InlineData("07" + KeyEdge.GxHex + KeyEdge.GyHex, null, "hybrid 0x07 with an even y")]
    [InlineData("06" + KeyEdge.GxHex + KeyEdge.NegGyHex, null, "hybrid 0x06 with an odd y")]
    [InlineData("05" + KeyEdge.GxHex + KeyEdge.NegGyHex, null, "0x05 is no encoding (odd y)")]
    [InlineData("05" + KeyEdge.GxHex + KeyEdge.GyHex, null, "0x05 is no encoding (even y)")]
    [InlineData("04" + KeyEdge.GxHex + "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b9", null, "(Gx, Gy + 1) is off the curve")]
    [InlineData("04" + KeyEdge.PHex + KeyEdge.GyHex, null, "x = p")]
    [InlineData("04" + KeyEdge.GxHex + KeyEdge.PHex, null, "y = p")]
    [InlineData("02" + KeyEdge.PHex, null, "x = p")]
    [InlineData("02ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", null, "x above p")]
    [InlineData("020000000000000000000000000000000000000000000000000000000000000005", null, "5³ + 7 has no square root mod p")]
    [InlineData("05" + KeyEdge.GxHex, null, "33 bytes with tag 0x05")]
    [InlineData("04" + KeyEdge.GxHex, null, "33 bytes with tag 0x04")]
    [InlineData("00" + KeyEdge.GxHex, null, "33 bytes with tag 0x00")]
    [InlineData("00", null, "SEC 1's encoding of the point at infinity")]
    [InlineData("", null, "empty")]
    [InlineData("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817", null, "32 bytes")]
    [InlineData("02" + KeyEdge.GxHex + "00", null, "34 bytes")]
    [InlineData("02" + KeyEdge.GxHex + KeyEdge.GyHex, null, "65 bytes with a compressed tag")]
    [InlineData("04" + KeyEdge.GxHex + "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4", null, "64 bytes")]
    [InlineData("04" + KeyEdge.GxHex + KeyEdge.GyHex + "00", null, "66 bytes")]
    public void Point_decoding_takes_sec1_and_hybrid_forms_and_nothing_else(string hex, string? expected, string rule)
    {
        var point = Secp256k1.TryDecodePoint(Hex(hex));
        Assert.Equal((rule, expected), (rule, point is null ? null : ToHex(point.GetEncoded(true))));
    }

    [Fact]
    public void Public_key_parsing_refuses_hybrid_keys_that_only_script_verification_may_accept()
    {
        var hybrid = Hex("06" + KeyEdge.GxHex + KeyEdge.GyHex);
        Assert.False(PublicKey.TryParse(hybrid, out var refused));
        Assert.Null(refused);
        KeyEdge.AssertThrows<KeyFormatException>(CustodyError.InvalidPublicKey, "secp256k1", () => PublicKey.Parse(hybrid));
        Assert.True(PublicKey.TryParse(hybrid, allowHybrid: true, out var accepted));
        Assert.Equal(ToHex(hybrid), accepted.ToHex()); // kept as given: its hash is what a script commits to
        Assert.False(accepted.IsCompressed);
        Assert.Equal("02" + KeyEdge.GxHex, accepted.Compress().ToHex());
        Assert.True(PublicKey.TryParse(Hex("07" + KeyEdge.GxHex + KeyEdge.NegGyHex), allowHybrid: true, out _));
        foreach (var allowHybrid in new[] { false, true })
        {
            Assert.False(PublicKey.TryParse([], allowHybrid, out _));
            Assert.False(PublicKey.TryParse([0x00], allowHybrid, out _));
        }
        Assert.False(PublicKey.TryParse([], out _));
    }

    [Fact]
    public void Uncompressed_keys_parse_and_convert_both_ways()
    {
        var uncompressed = PublicKey.Parse(Hex("04" + KeyEdge.GxHex + KeyEdge.NegGyHex));
        Assert.False(uncompressed.IsCompressed);
        Assert.Same(uncompressed, uncompressed.Decompress());
        var compressed = uncompressed.Compress();
        Assert.Equal("03" + KeyEdge.GxHex, compressed.ToHex());
        Assert.True(compressed.IsCompressed);
        Assert.Same(compressed, compressed.Compress());
        Assert.Equal("04" + KeyEdge.GxHex + KeyEdge.NegGyHex, compressed.Decompress().ToHex());
        Assert.Equal(uncompressed.GetFingerprint(), compressed.GetFingerprint());
    }

    [Fact]
    public void Public_key_from_hex_needs_hex()
    {
        Assert.Equal("hex", Assert.Throws<ArgumentNullException>(() => PublicKey.Parse((string)null!)).ParamName);
        KeyEdge.AssertThrows<KeyFormatException>(CustodyError.InvalidPublicKey, "not hex", () => PublicKey.Parse("02zz"));
        KeyEdge.AssertThrows<KeyFormatException>(CustodyError.InvalidPublicKey, "secp256k1", () => PublicKey.Parse("020000000000000000000000000000000000000000000000000000000000000005"));
        Assert.Equal("02" + KeyEdge.GxHex, PublicKey.Parse("02" + KeyEdge.GxHex.ToUpperInvariant()).ToHex());
    }

    [Fact]
    public void Public_key_hash_code_follows_the_bytes()
    {
        var keys = new[] { "02" + KeyEdge.GxHex, "03" + KeyEdge.GxHex, "04" + KeyEdge.GxHex + KeyEdge.GyHex }.Select(PublicKey.Parse).ToArray();
        Assert.Equal(keys[0].GetHashCode(), PublicKey.Parse("02" + KeyEdge.GxHex).GetHashCode());
        // Three different encodings: the chance that all three 32-bit hash codes coincide is 2^-64.
        Assert.True(keys.Select(k => k.GetHashCode()).Distinct().Count() > 1);
    }

    [Fact]
    public void Verify_checks_its_arguments()
    {
        var key = PublicKey.Parse("02" + KeyEdge.GxHex);
        var signature = EcdsaSignature.FromDer(Hex(KeyEdge.CoreKey1DetSigDer));
        Assert.Equal("signature", Assert.Throws<ArgumentNullException>(() => key.Verify(new byte[32], null!)).ParamName);
        KeyEdge.AssertThrows<SignatureFormatException>(CustodyError.InvalidMessageHash, "32 bytes", () => key.Verify(new byte[31], signature));
        KeyEdge.AssertThrows<SignatureFormatException>(CustodyError.InvalidMessageHash, "32 bytes", () => key.Verify(new byte[33], signature));
    }

    [Fact]
    public void Verify_accepts_r_and_s_only_in_1_to_n_minus_1_even_when_congruent()
    {
        using var privateKey = new PrivateKey(Hex(KeyEdge.CoreKey1Hex));
        var hash = KeyEdge.DoubleSha256("Very deterministic message");
        var good = EcdsaSignature.FromDer(Hex(KeyEdge.CoreKey1DetSigDer));
        var n = KeyEdge.Curve.N;
        var key = privateKey.PublicKey;
        Assert.True(key.Verify(hash, good));
        Assert.True(key.Verify(hash, new EcdsaSignature(good.R, n.Subtract(good.S)))); // high S verifies (consensus)
        Assert.False(key.Verify(hash, new EcdsaSignature(good.R.Add(n), good.S)));
        Assert.False(key.Verify(hash, new EcdsaSignature(good.R, good.S.Add(n))));
        Assert.False(key.Verify(hash, new EcdsaSignature(BigInteger.Zero, good.S)));
        Assert.False(key.Verify(hash, new EcdsaSignature(good.R, BigInteger.Zero)));
        Assert.False(key.Verify(hash, new EcdsaSignature(BigInteger.Zero, BigInteger.Zero))); // what the lax DER parser gives for overflow
    }

    [Fact]
    public void Recover_refuses_values_out_of_range_and_ids_outside_0_to_3()
    {
        var hash = Filled(32, 0x11);
        var n = KeyEdge.Curve.N;
        var two = BigInteger.Two;
        // Controls: r = 2 is the x of a point, and so is n + 2 (ids 2 and 3).
        Assert.NotNull(Secp256k1.Recover(hash, two, BigInteger.One, 0));
        Assert.NotNull(Secp256k1.Recover(hash, two, BigInteger.One, 3));
        Assert.Null(Secp256k1.Recover(hash, two, BigInteger.One, 4));
        Assert.Null(Secp256k1.Recover(hash, two, BigInteger.One, -1));
        Assert.Null(Secp256k1.Recover(hash, two, BigInteger.Zero, 0));
        Assert.Null(Secp256k1.Recover(hash, two, n, 0));
        Assert.Null(Secp256k1.Recover(hash, BigInteger.Zero, BigInteger.One, 0));
        Assert.Null(Secp256k1.Recover(hash, n, BigInteger.One, 0)); // n is the x of a point, but no valid r
        Assert.Null(Secp256k1.Recover(hash, n.Add(two), BigInteger.One, 0)); // ≡ 2 mod n and the x of a point, but no valid r
        Assert.Null(Secp256k1.Recover(hash, BigInteger.ValueOf(5), BigInteger.One, 0)); // 5 is no point's x
        Assert.Null(Secp256k1.Recover(hash, n.Subtract(BigInteger.One), BigInteger.One, 2)); // x = 2n − 1 ≥ p
    }

    [Fact]
    public void Recovery_ids_2_and_3_use_x_equal_r_plus_n()
    {
        var hash = KeyEdge.DoubleSha256("recovery ids 2 and 3");
        var r = BigInteger.Two;
        var s = new BigInteger("fedcba9876543210fedcba9876543210", 16);
        for (var id = 0; id < 4; id++)
        {
            var expected = KeyEdge.SecRecover(hash, r, s, id);
            var recovered = Secp256k1.Recover(hash, r, s, id);
            Assert.NotNull(recovered);
            Assert.Equal(ToHex(expected.GetEncoded(true)), ToHex(recovered.GetEncoded(true)));
            Assert.True(KeyEdge.BouncyCastleVerifies(expected, hash, r, s));
        }
        Assert.False(Secp256k1.Recover(hash, r, s, 2)!.Equals(Secp256k1.Recover(hash, r, s, 0)));
    }

    [Fact]
    public void Recover_gives_no_key_when_the_formula_lands_on_the_point_at_infinity()
    {
        // R = 7·G, s = 3 and e = s·7: then s·R − e·G = 0, so Q = r⁻¹·0 is the point at infinity.
        var n = KeyEdge.Curve.N;
        var bigR = KeyEdge.Curve.G.Multiply(BigInteger.ValueOf(7)).Normalize();
        var r = bigR.AffineXCoord.ToBigInteger().Mod(n);
        var s = BigInteger.Three;
        var hash = BigIntegers.AsUnsignedByteArray(32, s.Multiply(BigInteger.ValueOf(7)).Mod(n));
        var id = bigR.AffineYCoord.TestBitZero() ? 1 : 0;
        Assert.Null(Secp256k1.Recover(hash, r, s, id));
        Assert.NotNull(Secp256k1.Recover(hash, r, s, id ^ 1)); // −R gives −2·e·G / r instead
    }

    [Theory]
    [InlineData("5255683da567900bfd3e786ed8836a4e7763c221bf1ac20ece2a5171b9199e8a")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData(KeyEdge.NMinus1Hex)]
    [InlineData(KeyEdge.NHex)] // reduced to 0
    [InlineData("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142")] // n + 1, reduced to 1
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    public void Rfc6979_nonces_follow_the_rfc_including_hashes_of_n_or_more_and_retries(string hashHex)
    {
        var hash = Hex(hashHex);
        var d = new BigInteger(KeyEdge.CoreKey1Hex, 16);
        // The first nonce without extra data is BouncyCastle's HMacDsaKCalculator's.
        var calculator = new HMacDsaKCalculator(new Sha256Digest());
        calculator.Init(KeyEdge.Curve.N, d, hash);
        Assert.Equal(calculator.NextK(), new Secp256k1.Rfc6979(d, hash, []).NextK());
        // Later nonces (a signer asks again when r or s is 0) and extra data (Core's low-R counter) per RFC 6979 §3.2 h.3 and §3.6.
        byte[] counter = [1, .. new byte[31]];
        foreach (var extra in new[] { Array.Empty<byte>(), counter })
        {
            var ours = new Secp256k1.Rfc6979(d, hash, extra);
            Assert.Equal(Rfc6979Nonces(d, hash, extra).Take(3), [ours.NextK(), ours.NextK(), ours.NextK()]);
        }
    }

    /// <summary>RFC 6979 §3.2 written out with .NET's HMAC-SHA256; extra data appended to the seed as in §3.6.</summary>
    private static IEnumerable<BigInteger> Rfc6979Nonces(BigInteger d, byte[] hash, byte[] extra)
    {
        var n = KeyEdge.Curve.N;
        var h = new BigInteger(1, hash);
        if (h.CompareTo(n) >= 0)
        {
            h = h.Subtract(n); // bits2octets
        }
        byte[] seed = [.. BigIntegers.AsUnsignedByteArray(32, d), .. BigIntegers.AsUnsignedByteArray(32, h), .. extra];
        var v = Filled(32, 1);
        var k = new byte[32];
        k = Mac(k, [.. v, 0x00, .. seed]);
        v = Mac(k, v);
        k = Mac(k, [.. v, 0x01, .. seed]);
        v = Mac(k, v);
        while (true)
        {
            v = Mac(k, v);
            var candidate = new BigInteger(1, v);
            if (candidate.SignValue > 0 && candidate.CompareTo(n) < 0)
            {
                yield return candidate;
            }
            k = Mac(k, [.. v, 0x00]);
            v = Mac(k, v);
        }

        static byte[] Mac(byte[] key, byte[] data) => HMACSHA256.HashData(key, data);
    }
}
