using System.Text.Json;
using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

public class EncodingVectorTests(ITestOutputHelper output)
{
    [Fact]
    public void Base58_encode_decode_vectors_all_pass()
    {
        var count = 0;
        foreach (var entry in Load("bitcoin-core/base58_encode_decode.json").EnumerateArray())
        {
            var hex = entry[0].GetString()!;
            var text = entry[1].GetString()!;
            Assert.Equal(text, Base58.Encode(Hex(hex)));
            Assert.Equal(hex.ToLowerInvariant(), ToHex(Base58.Decode(text)));
            count++;
        }
        Assert.Equal(21, count);
        output.WriteLine($"base58_encode_decode.json: {count}/{count} passed");
    }

    [Theory]
    [InlineData("3vQB7B6MrGQZaxCuFg4oi")]
    [InlineData("3vQB7B6MrGQZaxCuFg4oh0IOl")]
    [InlineData("3vQB7B6MrGQZaxCuFg4oh\0" + "0IOl")]
    public void Base58Check_rejects_bad_checksum_and_characters(string text)
    {
        var error = Base58.TryDecodeCheck(text, out _);
        Assert.NotEqual(CustodyError.None, error);
        var ex = Assert.Throws<EncodingFormatException>(() => Base58.DecodeCheck(text));
        Assert.Equal(error, ex.Reason);
    }

    [Fact]
    public void Base58Check_accepts_known_payload() =>
        Assert.Equal("hello world", System.Text.Encoding.ASCII.GetString(Base58.DecodeCheck("3vQB7B6MrGQZaxCuFg4oh")));

    private static Network NetworkOfHrp(string hrp) => hrp switch
    {
        "bc" => Network.Mainnet,
        "tb" => Network.Testnet,
        _ => Network.Regtest,
    };

    [Fact]
    public void Bip173_bech32_vectors_all_pass()
    {
        var v = Load("bips/bip173_bech32_vectors.json");
        var valid = 0;
        foreach (var e in v.GetProperty("valid_bech32").EnumerateArray())
        {
            var s = e.GetProperty("string").GetString()!;
            var decoded = Bech32.Decode(s);
            Assert.Equal(Bech32Variant.Bech32, decoded.Variant);
            Assert.Equal(s.ToLowerInvariant(), Bech32.Encode(decoded.Hrp, decoded.Data, Bech32Variant.Bech32));
            valid++;
        }
        var invalid = 0;
        foreach (var e in v.GetProperty("invalid_bech32").EnumerateArray())
        {
            var s = e.GetProperty("string").GetString()!;
            Assert.True(Bech32.TryDecode(s, out var d) != CustodyError.None || d!.Variant != Bech32Variant.Bech32, s);
            invalid++;
        }
        var (validAddr, invalidAddr) = CheckSegwitAddresses(v, bip350: false);
        Assert.Equal((7, 12), (valid, invalid));
        output.WriteLine($"bip173: valid_bech32 {valid}, invalid_bech32 {invalid}, valid_segwit_addresses (v0) {validAddr}, invalid_segwit_addresses {invalidAddr}");
    }

    [Fact]
    public void Bip350_bech32m_vectors_all_pass()
    {
        var v = Load("bips/bip350_bech32m_vectors.json");
        var valid = 0;
        foreach (var e in v.GetProperty("valid_bech32m").EnumerateArray())
        {
            var s = e.GetProperty("string").GetString()!;
            var decoded = Bech32.Decode(s);
            Assert.Equal(Bech32Variant.Bech32m, decoded.Variant);
            Assert.Equal(s.ToLowerInvariant(), Bech32.Encode(decoded.Hrp, decoded.Data, Bech32Variant.Bech32m));
            valid++;
        }
        var invalid = 0;
        foreach (var e in v.GetProperty("invalid_bech32m").EnumerateArray())
        {
            var s = e.GetProperty("string").GetString()!;
            Assert.True(Bech32.TryDecode(s, out var d) != CustodyError.None || d!.Variant != Bech32Variant.Bech32m, s);
            invalid++;
        }
        var (validAddr, invalidAddr) = CheckSegwitAddresses(v, bip350: true);
        Assert.Equal((7, 14, 8, 15), (valid, invalid, validAddr, invalidAddr));
        output.WriteLine($"bip350: valid_bech32m {valid}, invalid_bech32m {invalid}, valid_segwit_addresses {validAddr}, invalid_segwit_addresses {invalidAddr}");
    }

    private static (int Valid, int Invalid) CheckSegwitAddresses(JsonElement v, bool bip350)
    {
        var valid = 0;
        foreach (var e in v.GetProperty("valid_segwit_addresses").EnumerateArray())
        {
            var s = e.GetProperty("string").GetString()!;
            var script = e.GetProperty("scriptPubKey_hex").GetString()!;
            var hrp = s[..s.LastIndexOf('1')].ToLowerInvariant();
            var network = NetworkOfHrp(hrp);
            var isV0 = script.StartsWith("00", StringComparison.Ordinal);
            if (!bip350 && !isV0)
            {
                // BIP-350 replaced the checksum of v1+ addresses: these BIP-173 strings must now be rejected.
                Assert.Equal(CustodyError.AddressWrongChecksumVariant, BitcoinAddress.TryParse(s, network, out _));
                continue;
            }
            var address = BitcoinAddress.Parse(s, network);
            Assert.Equal(script, address.ScriptPubKey.ToHex());
            Assert.Equal(s.ToLowerInvariant(), address.ToString());
            Assert.Equal(s.ToLowerInvariant(), BitcoinAddress.FromScriptPubKey(address.ScriptPubKey, network).ToString());
            valid++;
        }
        var invalid = 0;
        foreach (var e in v.GetProperty("invalid_segwit_addresses").EnumerateArray())
        {
            var s = e.GetProperty("string").GetString()!;
            foreach (var network in new[] { Network.Mainnet, Network.Testnet, Network.Regtest })
            {
                var error = BitcoinAddress.TryParse(s, network, out _);
                Assert.NotEqual(CustodyError.None, error);
                var ex = Assert.Throws<AddressFormatException>(() => BitcoinAddress.Parse(s, network));
                Assert.Equal(error, ex.Reason);
            }
            invalid++;
        }
        return (valid, invalid);
    }

    private static Network ChainOf(string chain) => chain switch
    {
        "main" => Network.Mainnet,
        "regtest" => Network.Regtest,
        _ => Network.Testnet, // testnet, testnet4 and signet share every prefix
    };

    [Fact]
    public void Key_io_valid_vectors_all_pass_in_both_directions()
    {
        int addresses = 0, keys = 0;
        foreach (var entry in Load("bitcoin-core/key_io_valid.json").EnumerateArray())
        {
            var text = entry[0].GetString()!;
            var payload = entry[1].GetString()!;
            var meta = entry[2];
            var network = ChainOf(meta.GetProperty("chain").GetString()!);
            if (meta.GetProperty("isPrivkey").GetBoolean())
            {
                using var key = PrivateKey.FromWif(text, network);
                var secret = new byte[32];
                key.CopySecretTo(secret);
                Assert.Equal(payload, ToHex(secret));
                Assert.Equal(meta.GetProperty("isCompressed").GetBoolean(), key.IsCompressed);
                Assert.Equal(text, key.ToWif(network));
                Assert.NotEqual(CustodyError.None, BitcoinAddress.TryParse(text, network, out _));
                using var again = new PrivateKey(secret, key.IsCompressed);
                Assert.Equal(text, again.ToWif(network));
                keys++;
            }
            else
            {
                var address = BitcoinAddress.Parse(text, network);
                Assert.Equal(payload, address.ScriptPubKey.ToHex());
                Assert.Equal(text, address.ToString());
                Assert.Equal(text, BitcoinAddress.FromScriptPubKey(Script.FromHex(payload), network).ToString());
                Assert.NotEqual(CustodyError.None, PrivateKey.TryFromWif(text, network, out _));
                if (meta.TryGetProperty("tryCaseFlip", out var flip) && flip.GetBoolean())
                {
                    Assert.Equal(payload, BitcoinAddress.Parse(text.ToUpperInvariant(), network).ScriptPubKey.ToHex());
                }
                // Not valid on a network with other prefixes: a typed wrong-network error.
                var other = network == Network.Mainnet ? Network.Testnet : Network.Mainnet;
                Assert.Equal(CustodyError.AddressWrongNetwork, BitcoinAddress.TryParse(text, other, out _));
                var ex = Assert.Throws<AddressFormatException>(() => BitcoinAddress.Parse(text, other));
                Assert.Equal(CustodyError.AddressWrongNetwork, ex.Reason);
                addresses++;
            }
        }
        Assert.Equal(70, addresses + keys);
        output.WriteLine($"key_io_valid.json: {addresses} addresses + {keys} WIF keys = {addresses + keys} passed");
    }

    [Fact]
    public void Key_io_invalid_vectors_are_all_rejected_on_every_network()
    {
        var count = 0;
        foreach (var entry in Load("bitcoin-core/key_io_invalid.json").EnumerateArray())
        {
            var text = entry[0].GetString()!;
            foreach (var network in new[] { Network.Mainnet, Network.Testnet, Network.Regtest })
            {
                Assert.NotEqual(CustodyError.None, BitcoinAddress.TryParse(text, network, out _));
                Assert.NotEqual(CustodyError.None, PrivateKey.TryFromWif(text, network, out _));
            }
            count++;
        }
        Assert.Equal(70, count);
        output.WriteLine($"key_io_invalid.json: {count}/{count} rejected");
    }

    [Fact]
    public void Wif_for_another_network_is_a_typed_error()
    {
        using var key = new PrivateKey(Hex("0c28fca386c7a227600b2fe50b7cae11ec86d3bf1fbe471be89827e19d72aa1d"), compressed: false);
        var wif = key.ToWif(Network.Mainnet);
        Assert.Equal("5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ", wif);
        var ex = Assert.Throws<KeyFormatException>(() => PrivateKey.FromWif(wif, Network.Testnet));
        Assert.Equal(CustodyError.KeyWrongNetwork, ex.Reason);
        Assert.DoesNotContain(wif, ex.Message, StringComparison.Ordinal);
    }
}
