using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

public class KeyVectorTests(ITestOutputHelper output)
{
    [Fact]
    public void Bip32_all_four_vectors_derive_and_serialize()
    {
        var chains = 0;
        foreach (var vector in Load("bips/bip32_vectors.json").GetProperty("valid").EnumerateArray())
        {
            using var master = ExtendedPrivateKey.FromSeed(Hex(vector.GetProperty("seed_hex").GetString()!), Network.Mainnet);
            foreach (var chain in vector.GetProperty("chains").EnumerateArray())
            {
                var path = KeyPath.Parse(chain.GetProperty("path").GetString()!);
                using var derived = master.Derive(path);
                var xprv = chain.GetProperty("ext_prv").GetString()!;
                var xpub = chain.GetProperty("ext_pub").GetString()!;
                Assert.Equal(xprv, derived.ToBase58());
                Assert.Equal(xpub, derived.Neuter().ToBase58());
                // Round trip through the text forms.
                using var parsed = ExtendedPrivateKey.Parse(xprv, Network.Mainnet);
                Assert.Equal(xprv, parsed.ToBase58());
                var parsedPub = ExtendedPublicKey.Parse(xpub, Network.Mainnet);
                Assert.Equal(xpub, parsedPub.ToBase58());
                // Public derivation of the last non-hardened step agrees with private derivation.
                if (path.Depth > 0 && (path.Indexes[^1] & KeyPath.HardenedBit) == 0)
                {
                    using var parent = master.Derive(new KeyPath(path.Indexes.Take(path.Depth - 1)));
                    Assert.Equal(xpub, parent.Neuter().Derive(path.Indexes[^1]).ToBase58());
                }
                chains++;
            }
        }
        Assert.Equal(17, chains);
        output.WriteLine($"bip32_vectors.json: 4 vectors, {chains} chains passed");
    }

    [Fact]
    public void Bip32_all_sixteen_invalid_keys_are_rejected_with_their_specific_reason()
    {
        var expected = new Dictionary<string, CustodyError>
        {
            ["pubkey version / prvkey mismatch"] = CustodyError.ExtendedKeyPublicVersionPrivateData,
            ["prvkey version / pubkey mismatch"] = CustodyError.ExtendedKeyPrivateVersionPublicData,
            ["invalid pubkey prefix 04"] = CustodyError.InvalidPublicKey,
            ["invalid prvkey prefix 04"] = CustodyError.ExtendedKeyInvalidPrivatePrefix,
            ["invalid pubkey prefix 01"] = CustodyError.InvalidPublicKey,
            ["invalid prvkey prefix 01"] = CustodyError.ExtendedKeyInvalidPrivatePrefix,
            ["zero depth with non-zero parent fingerprint"] = CustodyError.ExtendedKeyZeroDepthWithParentFingerprint,
            ["zero depth with non-zero index"] = CustodyError.ExtendedKeyZeroDepthWithIndex,
            ["unknown extended key version"] = CustodyError.ExtendedKeyUnknownVersion,
            ["private key 0 not in 1..n-1"] = CustodyError.InvalidPrivateKey,
            ["private key n not in 1..n-1"] = CustodyError.InvalidPrivateKey,
            ["invalid pubkey 020000000000000000000000000000000000000000000000000000000000000007"] = CustodyError.InvalidPublicKey,
            ["invalid checksum"] = CustodyError.Base58ChecksumMismatch,
        };
        var count = 0;
        foreach (var entry in Load("bips/bip32_vectors.json").GetProperty("invalid_extended_keys").EnumerateArray())
        {
            var key = entry.GetProperty("key").GetString()!;
            var reason = entry.GetProperty("reason").GetString()!;
            var error = ExtendedKey.TryParse(key, Network.Mainnet, out var prv, out var pub);
            Assert.True(expected[reason] == error, $"{reason}: got {error}");
            Assert.Null(prv);
            Assert.Null(pub);
            var ex = Assert.ThrowsAny<CustodyException>(() => ExtendedPublicKey.Parse(key, Network.Mainnet));
            Assert.Equal(error, ex.Reason);
            count++;
        }
        Assert.Equal(16, count);
        output.WriteLine($"bip32 invalid keys: {count}/16 rejected with the expected reason");
    }

    [Theory]
    [InlineData("m/84'/0'/0'/0/5", "m/84'/0'/0'/0/5")]
    [InlineData("m/84h/0h/0h", "m/84'/0'/0'")]
    [InlineData("0/1", "m/0/1")]
    [InlineData("m", "m")]
    public void Key_paths_parse_and_print(string text, string canonical) => Assert.Equal(canonical, KeyPath.Parse(text).ToString());

    [Theory]
    [InlineData("m/")]
    [InlineData("m/x")]
    [InlineData("m/2147483648")]
    [InlineData("m/1''")]
    [InlineData("m/-1")]
    public void Bad_key_paths_are_typed_errors(string text) =>
        Assert.Equal(CustodyError.KeyPathInvalid, Assert.Throws<KeyFormatException>(() => KeyPath.Parse(text)).Reason);

    [Fact]
    public void Hardened_derivation_from_xpub_is_a_typed_error()
    {
        using var master = ExtendedPrivateKey.FromSeed(Hex("000102030405060708090a0b0c0d0e0f"), Network.Mainnet);
        var ex = Assert.Throws<KeyFormatException>(() => master.Neuter().Derive(KeyPath.HardenedBit));
        Assert.Equal(CustodyError.HardenedDerivationFromPublicKey, ex.Reason);
        Assert.Equal(0x3442193eu, master.Fingerprint);
    }

    [Fact]
    public void Bip84_account_derivation_gives_the_bip_address()
    {
        // BIP-84 test vector: mnemonic "abandon ... about", m/84'/0'/0'/0/0.
        const string words = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
        using var root = ExtendedPrivateKey.FromSeed(Mnemonic.ToSeed(words), Network.Mainnet);
        using var first = root.Derive("m/84'/0'/0'/0/0");
        Assert.Equal("bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu", BitcoinAddress.FromPublicKey(first.PublicKey, AddressType.P2wpkh, Network.Mainnet).ToString());
    }

    [Fact]
    public void Bip39_english_vectors_all_pass_with_passphrase_TREZOR()
    {
        var count = 0;
        foreach (var entry in Load("trezor-python-mnemonic/vectors.json").GetProperty("english").EnumerateArray())
        {
            var entropy = Hex(entry[0].GetString()!);
            var words = entry[1].GetString()!;
            var seed = entry[2].GetString()!;
            var xprv = entry[3].GetString()!;
            Assert.Equal(words, Mnemonic.FromEntropy(entropy));
            Assert.Equal(entropy, Mnemonic.ToEntropy(words));
            var seedBytes = Mnemonic.ToSeed(words, "TREZOR");
            Assert.Equal(seed, ToHex(seedBytes));
            using var master = ExtendedPrivateKey.FromSeed(seedBytes, Network.Mainnet);
            Assert.Equal(xprv, master.ToBase58());
            count++;
        }
        Assert.Equal(24, count);
        output.WriteLine($"trezor vectors.json english: {count}/24 passed");
    }

    [Theory]
    [InlineData("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon", CustodyError.MnemonicChecksumMismatch)]
    [InlineData("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon", CustodyError.MnemonicInvalidWordCount)]
    [InlineData("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon bitcurrent", CustodyError.MnemonicUnknownWord)]
    public void Bad_mnemonics_are_typed_errors(string words, CustodyError reason)
    {
        Assert.False(Mnemonic.IsValid(words));
        Assert.Equal(reason, Assert.Throws<MnemonicFormatException>(() => Mnemonic.ToEntropy(words)).Reason);
    }

    [Fact]
    public void Secrets_never_appear_in_ToString_or_errors()
    {
        var secret = Hex("e8f32e723decf4051aefac8e2c93c9c5b214313817cdb01a1494b917c8436b35");
        using var key = new PrivateKey(secret);
        var wif = key.ToWif(Network.Mainnet);
        Assert.DoesNotContain("e8f32e72", key.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(wif, key.ToString(), StringComparison.Ordinal);
        using var master = ExtendedPrivateKey.FromSeed(Hex("000102030405060708090a0b0c0d0e0f"), Network.Mainnet);
        var xprv = master.ToBase58();
        Assert.DoesNotContain(xprv, master.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("e8f32e72", master.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("xprv", master.ToString(), StringComparison.Ordinal);
        // A broken xprv: the error message does not echo it.
        var broken = xprv[..^1] + (xprv[^1] == 'a' ? 'b' : 'a');
        var ex = Assert.ThrowsAny<CustodyException>(() => ExtendedPrivateKey.Parse(broken, Network.Mainnet));
        Assert.DoesNotContain(broken, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(xprv[..20], ex.Message, StringComparison.Ordinal);
        // Dispose zeroes: the key can no longer sign.
        var disposable = new PrivateKey(secret);
        disposable.Dispose();
        Assert.Throws<ObjectDisposedException>(() => disposable.Sign(new byte[32]));
        Assert.DoesNotContain("e8f32e72", disposable.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
