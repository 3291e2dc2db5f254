using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

/// <summary>Edges of BIP-32 extended keys: seed lengths, the depth limit, text that is not Base58Check, a key of the other
/// kind, and what Dispose wipes.</summary>
public class KeyEdgeExtendedKeyTests
{
    // BIP-32 test vector 1: seed, master xprv and xpub.
    private static readonly byte[] Seed1 = Hex("000102030405060708090a0b0c0d0e0f");
    private static readonly string MasterXprv = Load("bips/bip32_vectors.json").GetProperty("valid")[0].GetProperty("chains")[0].GetProperty("ext_prv").GetString()!;
    private static readonly string MasterXpub = Load("bips/bip32_vectors.json").GetProperty("valid")[0].GetProperty("chains")[0].GetProperty("ext_pub").GetString()!;

    [Theory]
    [InlineData(15)]
    [InlineData(65)]
    [InlineData(0)]
    public void Seed_must_be_16_to_64_bytes(int length) =>
        KeyEdge.AssertThrows<KeyFormatException>(CustodyError.SeedInvalidLength, "16 to 64", () => ExtendedPrivateKey.FromSeed(new byte[length], Network.Mainnet));

    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    public void Seeds_of_16_and_64_bytes_are_accepted(int length)
    {
        using var master = ExtendedPrivateKey.FromSeed(new byte[length], Network.Mainnet);
        Assert.Equal(0, master.Depth);
    }

    [Fact]
    public void Keys_at_depth_255_cannot_derive_further()
    {
        var payload = Base58.DecodeCheck(MasterXprv);
        payload[4] = 254;
        Assert.Equal(CustodyError.None, ExtendedKey.Decode(payload, Network.Mainnet, out var atDepth254, out _));
        using (atDepth254)
        {
            using var last = atDepth254!.Derive(1);
            Assert.Equal(255, last.Depth);
            Assert.Equal(255, atDepth254.Neuter().Derive(1).Depth);
            KeyEdge.AssertThrows<KeyFormatException>(CustodyError.DerivationDepthOverflow, "255", () => last.Derive(0));
            KeyEdge.AssertThrows<KeyFormatException>(CustodyError.DerivationDepthOverflow, "255", () => last.Derive(KeyPath.HardenedBit));
            KeyEdge.AssertThrows<KeyFormatException>(CustodyError.DerivationDepthOverflow, "255", () => last.Neuter().Derive(0));
        }
    }

    [Fact]
    public void Hardened_derivation_from_an_xpub_says_so()
    {
        var xpub = ExtendedPublicKey.Parse(MasterXpub, Network.Mainnet);
        KeyEdge.AssertThrows<KeyFormatException>(CustodyError.HardenedDerivationFromPublicKey, "hardened", () => xpub.Derive(KeyPath.HardenedBit));
        KeyEdge.AssertThrows<KeyFormatException>(CustodyError.HardenedDerivationFromPublicKey, "hardened", () => xpub.Derive(uint.MaxValue));
    }

    [Fact]
    public void Derivation_paths_must_not_be_null()
    {
        using var master = ExtendedPrivateKey.FromSeed(Seed1, Network.Mainnet);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => master.Derive((KeyPath)null!)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => master.Neuter().Derive((KeyPath)null!)).ParamName);
    }

    [Fact]
    public void A_key_of_the_other_kind_is_refused_by_each_parser()
    {
        KeyEdge.AssertThrows<KeyFormatException>(CustodyError.ExtendedKeyPrivateVersionPublicData, "invalid extended key", () => ExtendedPrivateKey.Parse(MasterXpub, Network.Mainnet));
        KeyEdge.AssertThrows<KeyFormatException>(CustodyError.ExtendedKeyPublicVersionPrivateData, "invalid extended key", () => ExtendedPublicKey.Parse(MasterXprv, Network.Mainnet));
    }

    [Fact]
    public void Text_that_is_not_base58check_is_an_encoding_error_for_both_parsers()
    {
        var badChecksum = MasterXpub[..^1] + (MasterXpub[^1] == '8' ? '9' : '8');
        foreach (var (text, reason) in new[]
                 {
                     (badChecksum, CustodyError.Base58ChecksumMismatch),
                     ("0" + MasterXpub[1..], CustodyError.Base58InvalidCharacter),
                     ("1", CustodyError.Base58InvalidLength),
                 })
        {
            KeyEdge.AssertThrows<EncodingFormatException>(reason, "extended key", () => ExtendedPublicKey.Parse(text, Network.Mainnet));
            KeyEdge.AssertThrows<EncodingFormatException>(reason, "extended key", () => ExtendedPrivateKey.Parse(text, Network.Mainnet));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(77)]
    [InlineData(79)]
    public void Serialized_keys_are_78_bytes(int length)
    {
        Assert.Equal(CustodyError.ExtendedKeyInvalidLength, ExtendedKey.Decode(new byte[length], Network.Mainnet, out var privateKey, out var publicKey));
        Assert.Null(privateKey);
        Assert.Null(publicKey);
    }

    [Fact]
    public void Xpubs_are_equal_when_their_serializations_are()
    {
        var xpub = ExtendedPublicKey.Parse(MasterXpub, Network.Mainnet);
        Assert.True(xpub.Equals(ExtendedPublicKey.Parse(MasterXpub, Network.Mainnet)));
        Assert.True(xpub.Equals((object)ExtendedPublicKey.Parse(MasterXpub, Network.Mainnet)));
        Assert.False(xpub.Equals(xpub.Derive(0)));
        Assert.False(xpub.Equals((ExtendedPublicKey?)null));
        Assert.False(xpub.Equals((object)MasterXpub));
        // Same key and chain code on another network: another serialization.
        using var testnet = ExtendedPrivateKey.FromSeed(Seed1, Network.Testnet);
        Assert.False(xpub.Equals(testnet.Neuter()));
    }

    [Fact]
    public void To_string_shows_depth_fingerprint_and_network()
    {
        using var master = ExtendedPrivateKey.FromSeed(Seed1, Network.Mainnet);
        Assert.Equal("ExtendedPrivateKey(depth 0, fingerprint 3442193e, Mainnet)", master.ToString());
        using var testnet = ExtendedPrivateKey.FromSeed(Seed1, Network.Testnet);
        Assert.Equal("ExtendedPrivateKey(depth 0, fingerprint 3442193e, Testnet)", testnet.ToString());
    }

    [Fact]
    public void Dispose_wipes_the_private_key_and_the_chain_code()
    {
        var master = ExtendedPrivateKey.FromSeed(Seed1, Network.Mainnet);
        var chainCode = master.Neuter().ChainCode.ToArray();
        Assert.Contains(chainCode, b => b != 0);
        master.Dispose();
        Assert.Throws<ObjectDisposedException>(() => master.PrivateKey.Sign(new byte[32]));
        Assert.Throws<ObjectDisposedException>(() => master.ToBase58());
        // The public key was computed before Dispose, so Neuter still runs: it shows the chain code is zeroed.
        Assert.All(master.Neuter().ChainCode.ToArray(), b => Assert.Equal(0, b));
    }
}
