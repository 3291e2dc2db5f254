using CsCheck;

namespace BitCurrent.Custody.Tests;

/// <summary>Exact BTC amount text, BIP-380 checksums, key expressions and the cold/hot wallet definitions.</summary>
public class AmountAndDescriptorTests
{
    [Theory]
    [InlineData("2.0", 200_000_000)]
    [InlineData("2", 200_000_000)]
    [InlineData("0.00000001", 1)]
    [InlineData("0", 0)]
    [InlineData("0.5", 50_000_000)]
    [InlineData("21000000", Money.SatoshisMax)]
    [InlineData("20999999.99999999", Money.SatoshisMax - 1)]
    [InlineData("007.10000000", 710_000_000)]
    public void Bitcoin_amounts_parse_exactly_into_satoshis(string text, long expected) => Assert.Equal(expected, Money.ParseBitcoin(text));

    [Theory]
    [InlineData("", CustodyError.AmountInvalidFormat)]
    [InlineData("abc", CustodyError.AmountInvalidFormat)]
    [InlineData("1.", CustodyError.AmountInvalidFormat)]
    [InlineData(".5", CustodyError.AmountInvalidFormat)]
    [InlineData("1e3", CustodyError.AmountInvalidFormat)]
    [InlineData("1,5", CustodyError.AmountInvalidFormat)]
    [InlineData(" 1", CustodyError.AmountInvalidFormat)]
    [InlineData("+1", CustodyError.AmountInvalidFormat)]
    [InlineData("1.2.3", CustodyError.AmountInvalidFormat)]
    [InlineData("0.000000001", CustodyError.AmountTooManyDecimals)]
    [InlineData("2.123456789", CustodyError.AmountTooManyDecimals)]
    [InlineData("-1", CustodyError.AmountOutOfRange)]
    [InlineData("21000000.00000001", CustodyError.AmountOutOfRange)]
    [InlineData("99999999999999999999999", CustodyError.AmountOutOfRange)]
    public void Bad_amount_text_is_a_typed_error(string text, CustodyError expected)
    {
        Assert.Equal(expected, Money.TryParseBitcoin(text, out _));
        var e = Assert.ThrowsAny<CustodyException>(() => Money.ParseBitcoin(text));
        Assert.Equal(expected, e.Reason);
    }

    [Fact]
    public void Format_and_parse_round_trip_for_every_valid_amount() =>
        Gen.Long[0, Money.SatoshisMax].Sample(s => Money.ParseBitcoin(Money.FormatBitcoin(s)) == s);

    [Theory]
    [InlineData(0, "0.00000000")]
    [InlineData(1, "0.00000001")]
    [InlineData(200_000_000, "2.00000000")]
    [InlineData(-150_000_000, "-1.50000000")]
    [InlineData(long.MinValue, "-92233720368.54775808")]
    public void Format_prints_eight_decimals(long satoshis, string expected) => Assert.Equal(expected, Money.FormatBitcoin(satoshis));

    // BIP-380 "Test Vectors" for the checksum.
    [Fact]
    public void Bip380_checksum_vectors()
    {
        Assert.Equal("89f8spxm", DescriptorChecksum.Compute("raw(deadbeef)"));
        Assert.True(DescriptorChecksum.IsValid("raw(deadbeef)#89f8spxm"));
        Assert.False(DescriptorChecksum.IsValid("raw(deadbeef)"));
        Assert.False(DescriptorChecksum.IsValid("raw(deadbeef)#"));
        Assert.False(DescriptorChecksum.IsValid("raw(deadbeef)#89f8spxmx"));
        Assert.False(DescriptorChecksum.IsValid("raw(deadbeef)#89f8spx"));
        Assert.False(DescriptorChecksum.IsValid("raw(deedbeef)#89f8spxm"));
        Assert.False(DescriptorChecksum.IsValid("raw(deedbeef)##9f8spxm"));
        Assert.False(DescriptorChecksum.IsValid("raw(Ü)#00000000"));
        var e = Assert.Throws<CustodyStateException>(() => DescriptorChecksum.Compute("raw(Ü)"));
        Assert.Equal(CustodyError.DescriptorChecksumMismatch, e.Reason);
    }

    [Fact]
    public void Descriptor_checksum_detects_every_single_character_change()
    {
        const string body = "wsh(sortedmulti(2,[d34db33f/48h/1h/0h/2h]tpubD/0/*,[00000001/48h/1h/0h/2h]tpubE/0/*))";
        var withChecksum = DescriptorChecksum.Append(body);
        Assert.True(DescriptorChecksum.IsValid(withChecksum));
        for (var i = 0; i < body.Length; i++)
        {
            var changed = body[..i] + (body[i] == 'a' ? 'b' : 'a') + body[(i + 1)..] + withChecksum[^9..];
            Assert.False(DescriptorChecksum.IsValid(changed), $"change at {i} not detected");
        }
    }

    private static readonly string[] MnemonicWords = ["abandon", "abandon", "abandon", "abandon", "abandon", "abandon", "abandon", "abandon", "abandon", "abandon", "abandon", "about"];

    private static AccountKey AccountFromMnemonic(string passphrase, KeyRole role)
    {
        using var master = ExtendedPrivateKey.FromSeed(Mnemonic.ToSeed(string.Join(' ', MnemonicWords), passphrase), Network.Regtest);
        var path = KeyFile.AccountPath(role, Network.Regtest);
        using var account = master.Derive(path);
        return new AccountKey(master.Fingerprint, path, account.Neuter());
    }

    [Fact]
    public void Account_keys_print_and_parse_as_descriptor_key_expressions()
    {
        var account = AccountFromMnemonic("", KeyRole.Signer);
        Assert.Equal(0x73c5da0au, account.MasterFingerprint); // the well-known fingerprint of "abandon ... about"
        var text = account.ToString();
        Assert.StartsWith("[73c5da0a/48h/1h/0h/2h]tpub", text, StringComparison.Ordinal);
        Assert.Equal(account, AccountKey.Parse(text, Network.Regtest));
        Assert.Equal(account, AccountKey.Parse("[73c5da0a/48'/1'/0'/2']" + account.Xpub, Network.Regtest));
        var bare = AccountKey.Parse(account.Xpub.ToBase58(), Network.Regtest);
        Assert.Equal(account.Xpub.Fingerprint, bare.MasterFingerprint);
        Assert.Equal(0, bare.Path.Depth);
    }

    [Theory]
    [InlineData("[73c5da0a48h/1h]tpub", CustodyError.KeyExpressionInvalid)]
    [InlineData("[zzzzzzzz/48h/1h/0h/2h]", CustodyError.KeyExpressionInvalid)]
    [InlineData("[73c5da0/48h/1h/0h/2h]x", CustodyError.KeyExpressionInvalid)]
    [InlineData("[73c5da0a/48x/1h/0h/2h]x", CustodyError.KeyExpressionInvalid)]
    public void Malformed_key_expressions_are_refused(string text, CustodyError expected)
    {
        var e = Assert.ThrowsAny<CustodyException>(() => AccountKey.Parse(text, Network.Regtest));
        Assert.Equal(expected, e.Reason);
    }

    [Fact]
    public void A_key_expression_whose_path_length_differs_from_the_key_depth_is_refused()
    {
        var account = AccountFromMnemonic("", KeyRole.Signer);
        var e = Assert.Throws<CustodyStateException>(() => AccountKey.Parse($"[73c5da0a/48h/1h/0h]{account.Xpub}", Network.Regtest));
        Assert.Equal(CustodyError.KeyExpressionInvalid, e.Reason);
    }

    [Fact]
    public void A_mainnet_xpub_is_refused_for_a_regtest_wallet()
    {
        using var master = ExtendedPrivateKey.FromSeed(Mnemonic.ToSeed(string.Join(' ', MnemonicWords)), Network.Mainnet);
        var xpub = master.Derive("m/48'/0'/0'/2'").Neuter().ToBase58();
        var e = Assert.Throws<KeyFormatException>(() => AccountKey.Parse(xpub, Network.Regtest));
        Assert.Equal(CustodyError.KeyWrongNetwork, e.Reason);
    }

    private static List<AccountKey> Signers(int n) => Enumerable.Range(0, n).Select(i => AccountFromMnemonic($"signer {i}", KeyRole.Signer)).ToList();

    [Fact]
    public void Cold_wallet_descriptor_is_wsh_sortedmulti_with_a_valid_checksum_and_matching_addresses()
    {
        var signers = Signers(9);
        var cold = new ColdWallet(5, signers, Network.Regtest);
        Assert.StartsWith("wsh(sortedmulti(5,[", cold.ReceiveDescriptor, StringComparison.Ordinal);
        Assert.True(DescriptorChecksum.IsValid(cold.ReceiveDescriptor));
        Assert.True(DescriptorChecksum.IsValid(cold.ChangeDescriptor));
        Assert.Contains("/0/*", cold.ReceiveDescriptor, StringComparison.Ordinal);
        Assert.Contains("/1/*", cold.ChangeDescriptor, StringComparison.Ordinal);
        Assert.Equal(9, cold.ReceiveDescriptor.Split("]tpub").Length - 1);
        // The address is P2WSH of the BIP-67 sorted 5-of-9 script of the keys at /0/3, whatever the signer order.
        var keys = signers.Select(s => s.Derive(0, 3)).ToList();
        var expected = BitcoinAddress.FromScriptPubKey(Script.P2wsh(Script.Multisig(5, keys)), Network.Regtest);
        Assert.Equal(expected, cold.Address(WalletChain.Receive, 3));
        var reversed = new ColdWallet(5, [.. signers.AsEnumerable().Reverse()], Network.Regtest);
        Assert.Equal(expected, reversed.Address(WalletChain.Receive, 3));
        Assert.Equal(9, cold.KeyOrigins(0, 3).Count);
        Assert.All(cold.KeyOrigins(0, 3).Values, o => Assert.Equal("m/48'/1'/0'/2'/0/3", o.Path.ToString()));
        Assert.StartsWith("bcrt1q", expected.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 9)]
    [InlineData(10, 9)]
    [InlineData(5, 16)]
    [InlineData(1, 0)]
    public void Impossible_thresholds_are_refused(int threshold, int signers)
    {
        var e = Assert.Throws<CustodyStateException>(() => new ColdWallet(threshold, Signers(signers), Network.Regtest));
        Assert.Equal(CustodyError.MultisigThresholdInvalid, e.Reason);
    }

    [Fact]
    public void The_same_signer_twice_is_refused()
    {
        var signers = Signers(3);
        var e = Assert.Throws<CustodyStateException>(() => new ColdWallet(2, [signers[0], signers[1], signers[0]], Network.Regtest));
        Assert.Equal(CustodyError.MultisigDuplicateKey, e.Reason);
    }

    [Fact]
    public void Hot_wallet_deposit_addresses_are_bip84_p2wpkh()
    {
        var account = AccountFromMnemonic("", KeyRole.Hot);
        var hot = new HotWallet(account, Network.Regtest);
        Assert.Equal("m/84'/1'/0'", account.Path.ToString());
        Assert.StartsWith("wpkh([73c5da0a/84h/1h/0h]tpub", hot.Descriptor, StringComparison.Ordinal);
        Assert.True(DescriptorChecksum.IsValid(hot.Descriptor));
        using var master = ExtendedPrivateKey.FromSeed(Mnemonic.ToSeed(string.Join(' ', MnemonicWords)), Network.Regtest);
        using var child = master.Derive("m/84'/1'/0'/0/7");
        Assert.Equal(BitcoinAddress.FromPublicKey(child.PublicKey, AddressType.P2wpkh, Network.Regtest), hot.Address(WalletChain.Receive, 7));
    }
}
