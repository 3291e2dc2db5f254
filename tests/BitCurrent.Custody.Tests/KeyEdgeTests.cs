using System.Security.Cryptography;
using System.Text;
using BitCurrent.Custody.Internal;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using static BitCurrent.Custody.Tests.VectorFiles;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace BitCurrent.Custody.Tests;

/// <summary>Edges of private keys, WIF and signed messages, with Bitcoin Core's key_tests.cpp vectors.</summary>
public class KeyEdgeTests
{
    [Theory]
    [InlineData("01010101010101010101010101010101010101010101010101010101010101")] // 31 bytes
    [InlineData("010101010101010101010101010101010101010101010101010101010101010101")] // 33 bytes
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData(KeyEdge.NHex)]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    public void Private_key_must_be_32_bytes_in_1_to_n_minus_1(string hex) =>
        KeyEdge.AssertThrows<KeyFormatException>(CustodyError.InvalidPrivateKey, "32 bytes", () => new PrivateKey(Hex(hex)));

    [Fact]
    public void Private_keys_1_and_n_minus_1_give_g_and_minus_g()
    {
        using var one = new PrivateKey(Hex("0000000000000000000000000000000000000000000000000000000000000001"));
        Assert.Equal("02" + KeyEdge.GxHex, one.PublicKey.ToHex());
        using var last = new PrivateKey(Hex(KeyEdge.NMinus1Hex));
        Assert.Equal("03" + KeyEdge.GxHex, last.PublicKey.ToHex());
        using var uncompressed = new PrivateKey(Hex(KeyEdge.NMinus1Hex), compressed: false);
        Assert.Equal("04" + KeyEdge.GxHex + KeyEdge.NegGyHex, uncompressed.PublicKey.ToHex());
    }

    [Fact]
    public void Generate_draws_again_until_the_bytes_are_a_valid_key()
    {
        Assert.Equal("fillRandom", Assert.Throws<ArgumentNullException>(() => PrivateKey.Generate(null!)).ParamName);
        var draws = new Queue<byte[]>([new byte[32], Hex(KeyEdge.NHex), Hex("0000000000000000000000000000000000000000000000000000000000000001")]);
        using var key = PrivateKey.Generate(buffer => draws.Dequeue().CopyTo(buffer), compressed: false);
        Assert.Empty(draws);
        Assert.Equal("04" + KeyEdge.GxHex + KeyEdge.GyHex, key.PublicKey.ToHex());
        Assert.False(key.IsCompressed);
    }

    [Fact]
    public void Public_key_is_computed_once_and_to_string_shows_only_it()
    {
        using var key = new PrivateKey(Hex("0000000000000000000000000000000000000000000000000000000000000001"));
        Assert.Same(key.PublicKey, key.PublicKey);
        Assert.Equal("PrivateKey(pub 02" + KeyEdge.GxHex + ")", key.ToString());
    }

    [Fact]
    public void Disposed_key_refuses_every_use_of_the_secret()
    {
        var key = new PrivateKey(Hex(KeyEdge.CoreKey1Hex));
        key.Dispose();
        Assert.Equal("PrivateKey(disposed)", key.ToString());
        Assert.Throws<ObjectDisposedException>(() => key.CopySecretTo(new byte[32]));
        Assert.Throws<ObjectDisposedException>(() => key.ToWif(Network.Mainnet));
        Assert.Throws<ObjectDisposedException>(() => key.WithCompression(false));
        Assert.Throws<ObjectDisposedException>(() => key.Sign(new byte[32]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Sign_needs_a_32_byte_hash(int length)
    {
        using var key = new PrivateKey(Hex(KeyEdge.CoreKey1Hex));
        KeyEdge.AssertThrows<SignatureFormatException>(CustodyError.InvalidMessageHash, "32 bytes", () => key.Sign(new byte[length]));
    }

    [Theory]
    [InlineData(KeyEdge.CoreSecret1, KeyEdge.CoreKey1Hex, false)]
    [InlineData(KeyEdge.CoreSecret1C, KeyEdge.CoreKey1Hex, true)]
    [InlineData(KeyEdge.CoreSecret2, KeyEdge.CoreKey2Hex, false)]
    [InlineData(KeyEdge.CoreSecret2C, KeyEdge.CoreKey2Hex, true)]
    public void Bitcoin_core_wif_keys_decode_and_round_trip(string wif, string secret, bool compressed)
    {
        Assert.Equal(CustodyError.None, PrivateKey.TryFromWif(wif, Network.Mainnet, out var key));
        using (key)
        {
            var bytes = new byte[32];
            key!.CopySecretTo(bytes);
            Assert.Equal(secret, ToHex(bytes));
            Assert.Equal(compressed, key.IsCompressed);
            Assert.Equal(wif, key.ToWif(Network.Mainnet));
        }
        // A mainnet key on testnet (and regtest) is the wrong network, and the message names the network asked for.
        Assert.Equal(CustodyError.KeyWrongNetwork, PrivateKey.TryFromWif(wif, Network.Testnet, out var other));
        Assert.Null(other);
        KeyEdge.AssertThrows<KeyFormatException>(CustodyError.KeyWrongNetwork, "Regtest", () => PrivateKey.FromWif(wif, Network.Regtest));
    }

    [Fact]
    public void Testnet_wif_on_mainnet_is_the_wrong_network()
    {
        using var key = new PrivateKey(Hex(KeyEdge.CoreKey1Hex));
        var wif = key.ToWif(Network.Testnet);
        KeyEdge.AssertThrows<KeyFormatException>(CustodyError.KeyWrongNetwork, "Mainnet", () => PrivateKey.FromWif(wif, Network.Mainnet));
    }

    [Fact]
    public void Wif_that_is_not_base58check_is_an_encoding_error()
    {
        var badChecksum = KeyEdge.CoreSecret1[..^1] + (KeyEdge.CoreSecret1[^1] == 'j' ? 'k' : 'j');
        foreach (var (text, reason) in new[]
                 {
                     (badChecksum, CustodyError.Base58ChecksumMismatch),
                     ("5HxWvvfubhXpYYpS3tJkw6fq9jE9j18THftkZjHHfmFiWtmAbr0", CustodyError.Base58InvalidCharacter), // '0' is not Base58
                     ("1", CustodyError.Base58InvalidLength), // one byte: no room for a checksum
                 })
        {
            Assert.Equal(reason, PrivateKey.TryFromWif(text, Network.Mainnet, out var key));
            Assert.Null(key);
            KeyEdge.AssertThrows<EncodingFormatException>(reason, "WIF", () => PrivateKey.FromWif(text, Network.Mainnet));
        }
    }

    [Fact]
    public void Wif_payloads_of_the_wrong_shape_or_value_are_refused_with_their_reason()
    {
        var secret = Hex(KeyEdge.CoreKey1Hex);
        var cases = new (string Text, CustodyError Reason)[]
        {
            ("1HV9Lc3sNHZxwj4Zk6fB38tEmBryq2cBiF", CustodyError.InvalidWif), // key_tests.cpp strAddressBad: an address, 21 bytes
            (Base58.EncodeCheck([0x05, .. secret]), CustodyError.InvalidWif), // P2SH version byte: not a WIF prefix of any network
            (Base58.EncodeCheck([0x80, .. secret, 0x02]), CustodyError.InvalidWif), // 34 bytes must end in 0x01
            (Base58.EncodeCheck([0x80, .. secret[..31]]), CustodyError.InvalidWif), // 32 bytes
            (Base58.EncodeCheck([0x80, .. new byte[32]]), CustodyError.InvalidPrivateKey),
            (Base58.EncodeCheck([0x80, .. Hex(KeyEdge.NHex), 0x01]), CustodyError.InvalidPrivateKey),
        };
        foreach (var (text, reason) in cases)
        {
            Assert.Equal(reason, PrivateKey.TryFromWif(text, Network.Mainnet, out var key));
            Assert.Null(key);
            var ex = Assert.Throws<KeyFormatException>(() => PrivateKey.FromWif(text, Network.Mainnet));
            Assert.Equal(reason, ex.Reason);
            Assert.DoesNotContain("Mainnet", ex.Message, StringComparison.Ordinal);
        }
        KeyEdge.AssertThrows<KeyFormatException>(CustodyError.InvalidWif, "not a valid WIF", () => PrivateKey.FromWif(cases[1].Text, Network.Mainnet));
    }

    [Fact]
    public void Bitcoin_core_deterministic_signatures_and_compact_headers()
    {
        // key_tests.cpp: Sign and SignCompact of "Very deterministic message"; the compact header is 27 + recid (+ 4 when compressed).
        var hash = KeyEdge.DoubleSha256("Very deterministic message");
        Assert.Equal("5255683da567900bfd3e786ed8836a4e7763c221bf1ac20ece2a5171b9199e8a", ToHex(hash));
        foreach (var (wif, der, header) in new[]
                 {
                     (KeyEdge.CoreSecret1, KeyEdge.CoreKey1DetSigDer, 0x1c), (KeyEdge.CoreSecret1C, KeyEdge.CoreKey1DetSigDer, 0x20),
                     (KeyEdge.CoreSecret2, KeyEdge.CoreKey2DetSigDer, 0x1c), (KeyEdge.CoreSecret2C, KeyEdge.CoreKey2DetSigDer, 0x20),
                 })
        {
            using var key = PrivateKey.FromWif(wif, Network.Mainnet);
            Assert.Equal(der, ToHex(key.Sign(hash).ToDer()));
            var (signature, recoveryId) = key.SignRecoverable(hash);
            Assert.Equal(der, ToHex(signature.ToDer()));
            Assert.Equal(header, 27 + recoveryId + (key.IsCompressed ? 4 : 0));
            Assert.True(key.PublicKey.Point.Equals(Secp256k1.Recover(hash, signature.R, signature.S, recoveryId)));
        }
    }

    [Fact]
    public void Recovery_id_of_each_signature_is_the_parity_of_r_point_as_bouncycastle_computes_it()
    {
        // key_tests.cpp's loop: "Very secret message n: 11" for n in 0..15, with four keys. The oracle rebuilds the nonce point
        // R = s⁻¹(e·G + r·Q) with BouncyCastle; the recovery id is its y parity (r + n ≥ p, so ids 2 and 3 do not occur).
        var n = KeyEdge.Curve.N;
        var secrets = new[] { KeyEdge.CoreKey1Hex, KeyEdge.CoreKey2Hex, "0000000000000000000000000000000000000000000000000000000000000001", KeyEdge.NMinus1Hex };
        var flippedFrom = new HashSet<int>();
        for (var i = 0; i < 16; i++)
        {
            var hash = KeyEdge.DoubleSha256($"Very secret message {i}: 11");
            foreach (var secret in secrets)
            {
                using var key = new PrivateKey(Hex(secret));
                var (signature, recoveryId) = key.SignRecoverable(hash);
                Assert.True(signature.IsLowS);
                var q = KeyEdge.Curve.Curve.DecodePoint(key.PublicKey.ToBytes());
                var w = signature.S.ModInverse(n);
                var nonce = KeyEdge.Curve.G.Multiply(new BigInteger(1, hash).Multiply(w).Mod(n)).Add(q.Multiply(signature.R.Multiply(w).Mod(n))).Normalize();
                Assert.Equal(signature.R, nonce.AffineXCoord.ToBigInteger().Mod(n));
                Assert.Equal(nonce.AffineYCoord.TestBitZero() ? 1 : 0, recoveryId);
                Assert.True(key.PublicKey.Point.Equals(Secp256k1.Recover(hash, signature.R, signature.S, recoveryId)));
                Assert.False(key.PublicKey.Point.Equals(Secp256k1.Recover(hash, signature.R, signature.S, recoveryId ^ 1)));
                // Where low-S normalisation negated s, the returned point is −k·G for the RFC 6979 nonce k: note the parity it had.
                var calculator = new HMacDsaKCalculator(new Sha256Digest());
                calculator.Init(n, new BigInteger(secret, 16), hash);
                var kG = KeyEdge.Curve.G.Multiply(calculator.NextK()).Normalize();
                var parityBefore = kG.AffineYCoord.TestBitZero() ? 1 : 0;
                if (parityBefore != recoveryId)
                {
                    flippedFrom.Add(parityBefore);
                }
            }
        }
        // Both directions of the flip were exercised.
        Assert.Equal([0, 1], flippedFrom.Order());
    }

    [Fact]
    public void Message_hash_is_double_sha256_of_the_magic_and_message_as_varstrs()
    {
        foreach (var message in new[] { "", "This is just a test message", new string('x', 300) })
        {
            var body = Encoding.UTF8.GetBytes(message);
            byte[] lengthPrefix = body.Length < 0xfd ? [(byte)body.Length] : [0xfd, (byte)body.Length, (byte)(body.Length >> 8)];
            byte[] serialized = [24, .. "Bitcoin Signed Message:\n"u8, .. lengthPrefix, .. body];
            Assert.Equal(SHA256.HashData(SHA256.HashData(serialized)), SignedMessage.Hash(message));
        }
        Assert.Equal("message", Assert.Throws<ArgumentNullException>(() => SignedMessage.Hash(null!)).ParamName);
    }

    [Fact]
    public void Signed_message_arguments_must_not_be_null()
    {
        using var key = new PrivateKey(Hex(KeyEdge.CoreKey1Hex));
        var signature = SignedMessage.Sign(key, "m");
        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => SignedMessage.Sign(null!, "m")).ParamName);
        Assert.Equal("signatureBase64", Assert.Throws<ArgumentNullException>(() => SignedMessage.RecoverPublicKey("m", null!, out _)).ParamName);
        Assert.Equal("address", Assert.Throws<ArgumentNullException>(() => SignedMessage.Verify(null!, "m", signature)).ParamName);
    }

    [Fact]
    public void Signed_message_header_family_must_match_the_key_compression()
    {
        using var compressed = new PrivateKey(Hex(KeyEdge.CoreKey1Hex));
        using var uncompressed = compressed.WithCompression(false);
        foreach (var type in new[] { MessageSignatureType.P2pkhCompressed, MessageSignatureType.P2shP2wpkh, MessageSignatureType.P2wpkh })
        {
            KeyEdge.AssertThrows<KeyFormatException>(CustodyError.InvalidPublicKey, "needs a compressed key", () => SignedMessage.Sign(uncompressed, "m", type));
        }
        KeyEdge.AssertThrows<KeyFormatException>(CustodyError.InvalidPublicKey, "uncompressed header", () => SignedMessage.Sign(compressed, "m", MessageSignatureType.P2pkhUncompressed));
    }

    [Theory]
    [InlineData("not base64!", "base64")]
    [InlineData("", "27..42")] // zero bytes
    public void Malformed_compact_message_signatures_are_refused(string text, string messagePart) =>
        KeyEdge.AssertThrows<SignatureFormatException>(CustodyError.SignatureInvalidCompact, messagePart, () => SignedMessage.RecoverPublicKey("m", text, out _));

    [Theory]
    [InlineData(65, 26)]
    [InlineData(65, 43)]
    [InlineData(64, 31)]
    [InlineData(66, 31)]
    public void Compact_message_signature_needs_65_bytes_and_a_header_from_27_to_42(int length, int header)
    {
        var compact = new byte[length];
        compact[0] = (byte)header;
        compact[32] = 2; // r = 2 and s ≥ 1: a signature that recovers when length and header are right
        compact[^1] = 1;
        KeyEdge.AssertThrows<SignatureFormatException>(CustodyError.SignatureInvalidCompact, "27..42", () => SignedMessage.RecoverPublicKey("m", Convert.ToBase64String(compact), out _));
    }

    [Theory]
    [InlineData(30, MessageSignatureType.P2pkhUncompressed)]
    [InlineData(34, MessageSignatureType.P2pkhCompressed)]
    [InlineData(38, MessageSignatureType.P2shP2wpkh)]
    [InlineData(42, MessageSignatureType.P2wpkh)]
    public void Last_header_of_each_family_carries_recovery_id_3(int header, MessageSignatureType family)
    {
        // Recovery id 3 means R = (r + n, odd y). Real signatures have r + n ≥ p almost always, so r = 2 is chosen (n + 2 is the
        // x of a curve point); the key is then the one SEC 1's formula gives, and BouncyCastle's verifier accepts (r, s) for it.
        const string message = "recovery id 3";
        var r = BigInteger.Two;
        var s = new BigInteger("1234567890abcdef1234567890abcdef", 16);
        byte[] compact = [(byte)header, .. Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(32, r), .. Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(32, s)];
        var expected = KeyEdge.SecRecover(SignedMessage.Hash(message), r, s, 3);
        var recovered = SignedMessage.RecoverPublicKey(message, Convert.ToBase64String(compact), out var type);
        Assert.Equal(family, type);
        Assert.Equal(ToHex(expected.GetEncoded(family != MessageSignatureType.P2pkhUncompressed)), recovered.ToHex());
        Assert.True(KeyEdge.BouncyCastleVerifies(expected, SignedMessage.Hash(message), r, s));
    }

    [Fact]
    public void Signature_whose_r_is_no_curve_x_recovers_no_key()
    {
        // x = 5: 5³ + 7 has no square root mod p, so there is no point R.
        var compact = new byte[65];
        compact[0] = 31;
        compact[32] = 5;
        compact[64] = 1;
        var text = Convert.ToBase64String(compact);
        KeyEdge.AssertThrows<SignatureFormatException>(CustodyError.SignatureRecoveryFailed, "no public key", () => SignedMessage.RecoverPublicKey("m", text, out _));
        using var key = new PrivateKey(Hex(KeyEdge.CoreKey1Hex));
        Assert.False(SignedMessage.Verify(BitcoinAddress.FromPublicKey(key.PublicKey, AddressType.P2pkh, Network.Mainnet), "m", text));
    }
}

/// <summary>Constants and oracles shared by the KeyEdge tests.</summary>
internal static class KeyEdge
{
    // SEC 2 (secp256k1): n is the order of G, p the field prime 2^256 − 2^32 − 977.
    public const string NHex = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
    public const string NMinus1Hex = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140";
    public const string HalfNHex = "7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0"; // (n − 1) / 2
    public const string HalfNPlus1Hex = "7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a1";
    public const string PHex = "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f";
    public const string GxHex = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
    public const string GyHex = "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8"; // even
    public const string NegGyHex = "b7c52588d95c3b9aa25b0403f1eef75702e84bb7597aabe663b82f6f04ef2777"; // p − Gy (−G), odd

    // Bitcoin Core src/test/key_tests.cpp (MIT): strSecret1, 1C, 2, 2C (the secrets decoded from them) and the signatures of
    // "Very deterministic message".
    public const string CoreSecret1 = "5HxWvvfubhXpYYpS3tJkw6fq9jE9j18THftkZjHHfmFiWtmAbrj";
    public const string CoreSecret1C = "Kwr371tjA9u2rFSMZjTNun2PXXP3WPZu2afRHTcta6KxEUdm1vEw";
    public const string CoreSecret2 = "5KC4ejrDjv152FGwP386VD1i2NYc5KkfSMyv1nGy1VGDxGHqVY3";
    public const string CoreSecret2C = "L3Hq7a8FEQwJkW1M2GNKDW28546Vp5miewcCzSqUD9kCAXrJdS3g";
    public const string CoreKey1Hex = "12b004fff7f4b69ef8650e767f18f11ede158148b425660723b9f9a66e61f747";
    public const string CoreKey2Hex = "b524c28b61c9b2c49b2c7dd4c2d75887abb78768c054bd7c01af4029f6c0d117";
    public const string CoreKey1DetSigDer = "304402205dbbddda71772d95ce91cd2d14b592cfbc1dd0aabd6a394b6c2d377bbe59d31d022014ddda21494a4e221f0824f0b8b924c43fa43c0ad57dccdaa11f81a6bd4582f6";
    public const string CoreKey2DetSigDer = "3044022052d8a32079c11e79db95af63bb9600c5b04f21a9ca33dc129c2bfa8ac9dc1cd5022061d8ae5e0f6c1a16bde3719c64c2fd70e404b6428ab9a69566962e8771b5944d";

    /// <summary>BouncyCastle's own secp256k1, independent of the library's static parameters.</summary>
    public static readonly X9ECParameters Curve = CustomNamedCurves.GetByName("secp256k1");

    public static byte[] DoubleSha256(string text) => SHA256.HashData(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>SEC 1 §4.1.6 with BouncyCastle's arithmetic: Q = r⁻¹(s·R − e·G), R the point of x = r (+ n for ids 2, 3).</summary>
    public static ECPoint SecRecover(byte[] hash32, BigInteger r, BigInteger s, int recoveryId)
    {
        var x = (recoveryId & 2) != 0 ? r.Add(Curve.N) : r;
        var bigR = Curve.Curve.DecodePoint([(byte)(2 | (recoveryId & 1)), .. Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(32, x)]);
        var e = new BigInteger(1, hash32);
        return bigR.Multiply(s).Subtract(Curve.G.Multiply(e)).Multiply(r.ModInverse(Curve.N)).Normalize();
    }

    public static bool BouncyCastleVerifies(ECPoint q, byte[] hash32, BigInteger r, BigInteger s)
    {
        var verifier = new Org.BouncyCastle.Crypto.Signers.ECDsaSigner();
        verifier.Init(false, new Org.BouncyCastle.Crypto.Parameters.ECPublicKeyParameters(q, new Org.BouncyCastle.Crypto.Parameters.ECDomainParameters(Curve)));
        return verifier.VerifySignature(hash32, r, s);
    }

    public static void AssertThrows<T>(CustodyError reason, string messagePart, Action action)
        where T : CustodyException
    {
        var ex = Assert.Throws<T>(action);
        Assert.Equal(reason, ex.Reason);
        Assert.Contains(messagePart, ex.Message, StringComparison.Ordinal);
    }
}
