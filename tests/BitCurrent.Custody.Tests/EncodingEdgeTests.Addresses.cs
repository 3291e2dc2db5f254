using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

/// <summary>Address parsing reasons, address types of witness programs, scripts without an address, and network names.</summary>
public partial class EncodingEdgeTests
{
    // Bitcoin wiki examples: a mainnet P2PKH (version 0x00) and a mainnet P2SH (version 0x05) address.
    private const string MainnetP2pkh = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2";
    private const string MainnetP2sh = "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy";

    private static readonly Network[] AllNetworks = [Network.Mainnet, Network.Testnet, Network.Regtest];

    [Fact]
    public void A_wrong_network_error_names_the_network_that_was_asked_for()
    {
        var e = Assert.Throws<AddressFormatException>(() => BitcoinAddress.Parse(MainnetP2pkh, Network.Testnet));
        Assert.Equal(CustodyError.AddressWrongNetwork, e.Reason);
        Assert.Contains(nameof(Network.Testnet), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_that_is_no_address_gets_an_error_that_names_no_network()
    {
        var e = Assert.Throws<AddressFormatException>(() => BitcoinAddress.Parse("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", Network.Mainnet));
        Assert.Equal(CustodyError.Bech32ChecksumMismatch, e.Reason);
        Assert.Contains("address", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(Network.Mainnet), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Address_parsing_refuses_null() =>
        Assert.Throws<ArgumentNullException>(() => BitcoinAddress.TryParse(null!, Network.Mainnet, out _));

    [Fact]
    public void A_base58check_address_with_a_version_of_no_bitcoin_network_is_an_unknown_format()
    {
        // Litecoin P2PKH (version 0x30) of the hash of BIP-173's example key, Base58Check computed outside this repository.
        const string litecoin = "LVuDpNCSSj6pQ7t9Pv6d6sUkLKoqDEVUnJ";
        Assert.Equal("30751e76e8199196d454941c45d1b3a323f1433bd6", ToHex(Base58.DecodeCheck(litecoin)));
        foreach (var network in AllNetworks)
        {
            Assert.Equal(CustodyError.AddressUnknownFormat, BitcoinAddress.TryParse(litecoin, network, out var address));
            Assert.Null(address);
        }
    }

    [Theory]
    [InlineData(MainnetP2pkh, Network.Testnet)]
    [InlineData(MainnetP2sh, Network.Regtest)]
    [InlineData("mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn", Network.Mainnet)] // testnet P2PKH (0x6f)
    [InlineData("2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc", Network.Mainnet)] // testnet P2SH (0xc4)
    public void Each_bitcoin_base58_version_on_another_network_is_the_wrong_network(string text, Network network) =>
        Assert.Equal(CustodyError.AddressWrongNetwork, BitcoinAddress.TryParse(text, network, out _));

    [Fact]
    public void A_base58_address_with_a_broken_checksum_reports_the_checksum_even_though_it_contains_a_1()
    {
        // The last character of the wiki address changed: the '1' it starts with must not make it a bech32 error.
        Assert.Equal(CustodyError.Base58ChecksumMismatch, BitcoinAddress.TryParse(MainnetP2pkh[..^1] + "3", Network.Mainnet, out _));
    }

    [Fact]
    public void A_base58_typo_without_a_1_reports_the_base58_character_not_the_mixed_case()
    {
        // "3J98t1Wp…" with its '1' mistyped as '0': no separator, so not meant as bech32 (whose reason would be mixed case).
        var typo = MainnetP2sh.Replace('1', '0');
        Assert.Equal(CustodyError.Bech32MixedCase, Bech32.TryDecode(typo, out _));
        Assert.Equal(CustodyError.Base58InvalidCharacter, BitcoinAddress.TryParse(typo, Network.Mainnet, out _));
    }

    [Fact]
    public void Valid_base58check_of_the_wrong_size_is_an_unknown_format()
    {
        // 20 bytes of 0x01 (one short of version + hash): valid Base58Check without any '1' in it, computed outside this repository.
        const string text = "6Jswqk47s9PUcyCc88MMVwzgvHR4tFVH";
        Assert.Equal("0101010101010101010101010101010101010101", ToHex(Base58.DecodeCheck(text)));
        Assert.Equal(CustodyError.AddressUnknownFormat, BitcoinAddress.TryParse(text, Network.Mainnet, out _));
    }

    [Fact]
    public void A_bech32_string_with_a_separator_reports_the_bech32_reason()
    {
        // BIP-173's P2WPKH example with its last character changed: Base58 fails too ('0'), but the bech32 reason wins.
        Assert.Equal(CustodyError.Bech32ChecksumMismatch, BitcoinAddress.TryParse("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", Network.Mainnet, out _));
    }

    [Fact]
    public void A_bech32_address_of_another_coin_is_an_invalid_hrp_not_a_wrong_network()
    {
        // Litecoin's P2WPKH of BIP-173's example key hash ("ltc" HRP), checksum from the BIP reference code.
        const string litecoin = "ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9";
        Assert.Equal("ltc", Bech32.Decode(litecoin).Hrp);
        foreach (var network in AllNetworks)
        {
            Assert.Equal(CustodyError.Bech32InvalidHrp, BitcoinAddress.TryParse(litecoin, network, out _));
        }
        Assert.Equal(CustodyError.AddressWrongNetwork, BitcoinAddress.TryParse("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", Network.Regtest, out _));
        Assert.Equal(CustodyError.AddressWrongNetwork, BitcoinAddress.TryParse("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", Network.Mainnet, out _));
    }

    [Theory]
    // BIP-173 / BIP-350 valid segwit addresses and BIP-86's first P2TR address.
    [InlineData("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", AddressType.P2wpkh)]
    [InlineData("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", AddressType.P2wsh)]
    [InlineData("bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr", AddressType.P2tr)]
    [InlineData("tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", AddressType.P2tr)]
    [InlineData("bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", AddressType.WitnessUnknown)] // v1, 40 bytes
    [InlineData("bc1sw50qgdz25j", AddressType.WitnessUnknown)] // v16, 2 bytes
    [InlineData("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", AddressType.WitnessUnknown)] // v2, 16 bytes
    public void Witness_programs_get_their_address_type(string text, AddressType expected)
    {
        var network = text.StartsWith("tb", StringComparison.Ordinal) ? Network.Testnet : Network.Mainnet;
        var address = BitcoinAddress.Parse(text, network);
        Assert.Equal(expected, address.Type);
        Assert.Equal(expected, BitcoinAddress.FromScriptPubKey(address.ScriptPubKey, network).Type);
    }

    [Fact]
    public void A_v1_program_of_20_bytes_and_a_v2_program_of_32_bytes_are_not_taproot()
    {
        var program = new byte[32];
        Assert.Equal(AddressType.P2tr, BitcoinAddress.FromWitnessProgram(1, program, Network.Mainnet).Type);
        Assert.Equal(AddressType.WitnessUnknown, BitcoinAddress.FromWitnessProgram(2, program, Network.Mainnet).Type);
        Assert.Equal(AddressType.WitnessUnknown, BitcoinAddress.FromWitnessProgram(1, program.AsSpan(0, 20), Network.Mainnet).Type);
        Assert.Equal(AddressType.P2wpkh, BitcoinAddress.FromWitnessProgram(0, program.AsSpan(0, 20), Network.Mainnet).Type);
        Assert.Equal(AddressType.P2wsh, BitcoinAddress.FromWitnessProgram(0, program, Network.Mainnet).Type);
    }

    [Theory]
    [InlineData("6a03010203")] // OP_RETURN <010203>
    [InlineData("51")] // OP_1
    [InlineData("0019" + "00000000000000000000000000000000000000000000000000")] // v0 with a 25-byte program
    [InlineData("5121" + "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798" + "51ae")] // bare 1-of-1 multisig
    public void Scripts_without_an_address_form_are_a_typed_error(string scriptHex)
    {
        var e = Assert.Throws<AddressFormatException>(() => BitcoinAddress.FromScriptPubKey(Script.FromHex(scriptHex), Network.Mainnet));
        Assert.Equal(CustodyError.AddressNoAddressForScript, e.Reason);
        Assert.Contains("address", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Address_factories_refuse_null_before_anything_else()
    {
        Assert.Throws<ArgumentNullException>(() => BitcoinAddress.FromScriptPubKey(null!, Network.Mainnet));
        // The null key is reported even when the type is also wrong.
        Assert.Throws<ArgumentNullException>(() => BitcoinAddress.FromPublicKey(null!, AddressType.P2tr, Network.Mainnet));
        Assert.Throws<ArgumentNullException>(() => BitcoinAddress.FromPublicKey(null!, AddressType.P2wpkh, Network.Mainnet));
    }

    [Fact]
    public void Addresses_are_equal_only_with_the_same_text_and_network()
    {
        var address = BitcoinAddress.Parse("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", Network.Mainnet);
        Assert.True(address.Equals(BitcoinAddress.Parse("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", Network.Mainnet)));
        Assert.False(address.Equals(BitcoinAddress.Parse(MainnetP2pkh, Network.Mainnet)));
        Assert.False(address.Equals(null));
        Assert.False(address.Equals((object)address.ToString()));
        // Testnet and regtest share Base58 prefixes: the same text on two networks is two addresses.
        var testnet = BitcoinAddress.Parse("mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn", Network.Testnet);
        var regtest = BitcoinAddress.Parse("mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn", Network.Regtest);
        Assert.Equal(testnet.ToString(), regtest.ToString());
        Assert.False(testnet.Equals(regtest));
        Assert.True(testnet.Equals((object)BitcoinAddress.Parse("mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn", Network.Testnet)));
    }

    // ---- network names ----

    [Theory]
    [InlineData(Network.Mainnet, "mainnet")]
    [InlineData(Network.Testnet, "testnet")]
    [InlineData(Network.Regtest, "regtest")]
    public void Each_network_has_its_lower_case_name_and_parses_back(Network network, string name)
    {
        Assert.Equal(name, NetworkNames.Name(network));
        Assert.True(NetworkNames.TryParse(name, out var parsed));
        Assert.Equal(network, parsed);
    }

    [Theory]
    [InlineData("mainnet", Network.Mainnet)]
    [InlineData("main", Network.Mainnet)] // Bitcoin Core's chain names (-chain=main|test|testnet4|signet|regtest)
    [InlineData("bitcoin", Network.Mainnet)]
    [InlineData("testnet", Network.Testnet)]
    [InlineData("test", Network.Testnet)]
    [InlineData("testnet3", Network.Testnet)]
    [InlineData("testnet4", Network.Testnet)]
    [InlineData("signet", Network.Testnet)]
    [InlineData("regtest", Network.Regtest)]
    [InlineData("  MainNet\t", Network.Mainnet)]
    [InlineData("SIGNET", Network.Testnet)]
    [InlineData(" Regtest ", Network.Regtest)]
    public void Network_names_and_chain_aliases_parse_in_any_case(string text, Network expected)
    {
        Assert.True(NetworkNames.TryParse(text, out var network));
        Assert.Equal(expected, network);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("mainnet2")]
    [InlineData("reg test")]
    [InlineData("testnet5")]
    [InlineData("liquid")]
    public void Unknown_network_names_do_not_parse(string? text) =>
        Assert.False(NetworkNames.TryParse(text, out _));
}
