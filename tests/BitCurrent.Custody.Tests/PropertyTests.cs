using BitCurrent.Custody.Internal;
using CsCheck;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Signers;

namespace BitCurrent.Custody.Tests;

public class PropertyTests
{
    private static readonly Gen<byte[]> Secret = Gen.Byte.Array[32].Where(b => b.Any(x => x != 0) && b[0] < 0xff);
    private static readonly Gen<byte[]> Hash32 = Gen.Byte.Array[32];

    [Fact]
    public void Sign_verify_round_trip_always_low_s_and_der_round_trip()
    {
        Gen.Select(Secret, Hash32, Gen.Bool).Sample((secret, hash, grind) =>
        {
            using var key = new PrivateKey(secret);
            var signature = key.Sign(hash, grind);
            Assert.True(signature.IsLowS);
            if (grind) Assert.True(signature.IsLowR);
            Assert.True(key.PublicKey.Verify(hash, signature));
            var der = signature.ToDer();
            Assert.True(EcdsaSignature.IsStrictDer(der, hasHashType: false));
            Assert.Equal(signature, EcdsaSignature.FromDer(der));
            Assert.Equal(signature, EcdsaSignature.FromCompact(signature.ToCompact()));
            var other = (byte[])hash.Clone();
            other[0] ^= 1;
            Assert.False(key.PublicKey.Verify(other, signature));
            // Deterministic: the same key and hash give the same signature.
            Assert.Equal(signature, key.Sign(hash, grind));
        }, iter: 60);
    }

    [Fact]
    public void High_s_form_verifies_but_is_not_low_s_and_normalizes_back()
    {
        Gen.Select(Secret, Hash32).Sample((secret, hash) =>
        {
            using var key = new PrivateKey(secret);
            var low = key.Sign(hash);
            var high = EcdsaSignature.FromCompact([.. low.RBytes(), .. Org.BouncyCastle.Math.BigInteger.One.Negate().Mod(Secp256k1.N).Add(Secp256k1.N).Subtract(low.S).Add(Org.BouncyCastle.Math.BigInteger.One).Mod(Secp256k1.N).ToByteArrayUnsigned().AsSpan().ToArray().PadLeft32()]);
            Assert.False(high.IsLowS);
            Assert.True(key.PublicKey.Verify(hash, high));
            Assert.Equal(low, high.NormalizeLowS());
        }, iter: 20);
    }

    [Fact]
    public void Rfc6979_without_extra_data_matches_bouncycastle_HMacDsaKCalculator()
    {
        Gen.Select(Secret, Hash32).Sample((secret, hash) =>
        {
            var d = new Org.BouncyCastle.Math.BigInteger(1, secret);
            var bc = new HMacDsaKCalculator(new Sha256Digest());
            bc.Init(Secp256k1.N, d, hash);
            var ours = new Secp256k1.Rfc6979(d, hash, []);
            // The first nonce is RFC 6979's; retries (needed with probability ~2^-128) follow libsecp256k1 in ours.
            Assert.Equal(bc.NextK(), ours.NextK());
        }, iter: 100);
    }

    [Fact]
    public void Bech32_and_bech32m_round_trip()
    {
        var hrp = Gen.Char['a', 'z'].Array[1, 10].Select(c => new string(c));
        Gen.Select(hrp, Gen.Byte[0, 31].Array[0, 60], Gen.Bool).Sample((h, data, m) =>
        {
            if (h.Length + data.Length + 7 > Bech32.LengthMax) return;
            var variant = m ? Bech32Variant.Bech32m : Bech32Variant.Bech32;
            var text = Bech32.Encode(h, data, variant);
            var decoded = Bech32.Decode(text);
            Assert.Equal(h, decoded.Hrp);
            Assert.Equal(data, decoded.Data);
            Assert.Equal(variant, decoded.Variant);
            Assert.Equal(decoded.Data, Bech32.Decode(text.ToUpperInvariant()).Data);
        }, iter: 300);
    }

    [Fact]
    public void Segwit_addresses_round_trip_for_every_version_and_length()
    {
        Gen.Select(Gen.Int[0, 16], Gen.Int[2, 40], Gen.Byte.Array[40], Gen.Int[0, 2]).Sample((version, length, bytes, net) =>
        {
            if (version == 0) length = length < 26 ? 20 : 32;
            var network = (Network)net;
            var address = BitcoinAddress.FromWitnessProgram(version, bytes.AsSpan(0, length), network);
            var parsed = BitcoinAddress.Parse(address.ToString(), network);
            Assert.Equal(address.ScriptPubKey, parsed.ScriptPubKey);
            Assert.Equal(address.ToString(), parsed.ToString());
        }, iter: 200);
    }

    [Fact]
    public void Base58_and_base58check_round_trip_including_leading_zeros()
    {
        Gen.Select(Gen.Int[0, 4], Gen.Byte.Array[0, 40]).Sample((zeros, tail) =>
        {
            var data = new byte[zeros].Concat(tail).ToArray();
            Assert.Equal(data, Base58.Decode(Base58.Encode(data)));
            Assert.Equal(data, Base58.DecodeCheck(Base58.EncodeCheck(data)));
        }, iter: 300);
    }

    [Fact]
    public void Amounts_edge_values()
    {
        Assert.True(Money.IsValid(0));
        Assert.True(Money.IsValid(1));
        Assert.True(Money.IsValid(Money.SatoshisMax));
        Assert.True(Money.IsValid(Money.SatoshisMax - 1));
        Assert.False(Money.IsValid(Money.SatoshisMax + 1));
        Assert.False(Money.IsValid(-1));
        Assert.False(Money.IsValid(long.MaxValue));
        Assert.Equal(CustodyError.AmountOutOfRange, Assert.Throws<AmountOutOfRangeException>(() => Money.Add(Money.SatoshisMax, 1)).Reason);
        Assert.Equal(CustodyError.AmountOutOfRange, Assert.Throws<AmountOutOfRangeException>(() => Money.Sum([Money.SatoshisMax / 2 + 1, Money.SatoshisMax / 2 + 1])).Reason);
        Gen.Long.Sample(v => Assert.Equal(v is >= 0 and <= Money.SatoshisMax, Money.IsValid(v)), iter: 500);
    }

    private static readonly Gen<Psbt> RandomPsbt =
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3], Gen.Byte.Array[32], Gen.Long[0, Money.SatoshisMax], Gen.Byte.Array[1, 20], Gen.Bool)
        .Select((inputs, outputs, seed, amount, unknown, withDerivation) =>
        {
            var tx = new Transaction { Version = 2, LockTime = seed[0] };
            for (var i = 0; i < inputs; i++)
            {
                var h = (byte[])seed.Clone();
                h[1] = (byte)i;
                tx.Inputs.Add(new TxIn(new OutPoint(new TxId(h), (uint)i), null, 0xfffffffd));
            }
            for (var o = 0; o < outputs; o++)
            {
                tx.Outputs.Add(new TxOut(amount / outputs, Script.P2wpkh(seed.AsSpan(0, 20))));
            }
            var psbt = Psbt.Create(tx);
            using var key = new PrivateKey(Hashes.Sha256(seed));
            foreach (var input in psbt.Inputs)
            {
                input.WitnessUtxo = new TxOut(amount, Script.P2wpkh(key.PublicKey));
                if (withDerivation) input.AddBip32Derivation(key.PublicKey, new KeyOrigin(0xd90c6a4f, KeyPath.Parse("m/84'/0'/0'/0/5")));
            }
            // Round-trip through bytes, then append an unknown entry so the parser sees non-canonical content as well.
            var bytes = psbt.ToBytes();
            return Psbt.Parse(bytes);
        });

    [Fact]
    public void Psbt_serialize_of_parse_is_identity()
    {
        RandomPsbt.Sample(psbt =>
        {
            var bytes = psbt.ToBytes();
            Assert.Equal(bytes, Psbt.Parse(bytes).ToBytes());
            Assert.Equal(psbt.ToBase64(), Psbt.ParseBase64(psbt.ToBase64()).ToBase64());
        }, iter: 100);
    }
}

internal static class ByteArrayExtensions
{
    public static byte[] PadLeft32(this byte[] bytes)
    {
        var result = new byte[32];
        bytes.CopyTo(result, 32 - bytes.Length);
        return result;
    }
}
