using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

// TransactionBuilder edges: argument checks, the network rule for addresses, and what Build and BuildPsbt carry over.
public partial class TransactionEdgeTests
{
    private static readonly byte[] KeyHash = Hex(string.Concat(Enumerable.Repeat("33", 20)));

    private static OutPoint Prevout(byte n) => new(new TxId(Hashes.Sha256([n])), n);

    [Fact]
    public void Builder_refuses_null_arguments_before_looking_at_amounts()
    {
        var builder = new TransactionBuilder(Network.Mainnet);
        Assert.Equal("spent", Assert.Throws<ArgumentNullException>(() => builder.AddInput(Prevout(1), null!)).ParamName);
        Assert.Equal("address", Assert.Throws<ArgumentNullException>(() => builder.AddOutput((BitcoinAddress)null!, 10_000)).ParamName);
        Assert.Equal("scriptPubKey", Assert.Throws<ArgumentNullException>(() => builder.AddOutput((Script)null!, -1)).ParamName);
    }

    [Fact]
    public void Builder_refuses_a_spent_value_outside_zero_to_21_million_bitcoin()
    {
        var builder = new TransactionBuilder(Network.Mainnet);
        Assert.Equal(CustodyError.AmountOutOfRange, Assert.Throws<AmountOutOfRangeException>(() => builder.AddInput(Prevout(1), new TxOut(-1, Script.P2wpkh(KeyHash)))).Reason);
        Assert.Equal(CustodyError.AmountOutOfRange, Assert.Throws<AmountOutOfRangeException>(() => builder.AddInput(Prevout(1), new TxOut(Money.SatoshisMax + 1, Script.P2wpkh(KeyHash)))).Reason);
        Assert.Equal(0, builder.InputTotal);
        builder.AddInput(Prevout(1), new TxOut(Money.SatoshisMax, Script.P2wpkh(KeyHash)));
        builder.AddInput(Prevout(2), new TxOut(0, Script.P2wpkh(KeyHash)));
        Assert.Equal(Money.SatoshisMax, builder.InputTotal);
    }

    [Fact]
    public void Only_legacy_addresses_cross_between_networks_that_share_base58_prefixes()
    {
        var testnetSegwit = BitcoinAddress.FromScriptPubKey(Script.P2wpkh(KeyHash), Network.Testnet);
        var mainnetLegacy = BitcoinAddress.FromScriptPubKey(Script.P2pkh(KeyHash), Network.Mainnet);
        var testnetLegacy = BitcoinAddress.FromScriptPubKey(Script.P2pkh(KeyHash), Network.Testnet);

        // tb1… on regtest: testnet and regtest share Base58 prefixes, but not the bech32 HRP.
        var segwit = Assert.Throws<AddressFormatException>(() => new TransactionBuilder(Network.Regtest).AddOutput(testnetSegwit, 10_000));
        Assert.Equal(CustodyError.AddressWrongNetwork, segwit.Reason);
        // A mainnet P2PKH on testnet: legacy, but the prefixes differ.
        var legacy = Assert.Throws<AddressFormatException>(() => new TransactionBuilder(Network.Testnet).AddOutput(mainnetLegacy, 10_000));
        Assert.Equal(CustodyError.AddressWrongNetwork, legacy.Reason);
        Assert.Contains("Mainnet", legacy.Message, StringComparison.Ordinal);
        Assert.Contains("Testnet", legacy.Message, StringComparison.Ordinal);

        var regtest = new TransactionBuilder(Network.Regtest).AddOutput(testnetLegacy, 10_000);
        Assert.Equal(10_000, regtest.OutputTotal);
        var testnet = new TransactionBuilder(Network.Testnet).AddOutput(testnetSegwit, 10_000);
        Assert.Equal(10_000, testnet.OutputTotal);
    }

    [Fact]
    public void Build_carries_version_and_lock_time_and_names_the_rule_it_breaks()
    {
        var builder = new TransactionBuilder(Network.Mainnet) { Version = 1, LockTime = 840_000 };
        builder.AddOutput(Script.P2wpkh(KeyHash), 10_000);
        var ex = Assert.Throws<TransactionFormatException>(builder.Build);
        Assert.Equal(CustodyError.TransactionNoInputs, ex.Reason);
        Assert.Contains("consensus rule", ex.Message, StringComparison.Ordinal);

        builder.AddInput(Prevout(1), new TxOut(20_000, Script.P2wpkh(KeyHash)), sequence: 7);
        var tx = builder.Build();
        Assert.Equal(1, tx.Version);
        Assert.Equal(840_000u, tx.LockTime);
        Assert.Equal(7u, tx.Inputs[0].Sequence);

        var defaults = new TransactionBuilder(Network.Mainnet).AddInput(Prevout(1), new TxOut(20_000, Script.P2wpkh(KeyHash))).AddOutput(Script.P2wpkh(KeyHash), 10_000).Build();
        Assert.Equal(2, defaults.Version);
        Assert.Equal(0u, defaults.LockTime);
        Assert.Equal(0xfffffffdu, defaults.Inputs[0].Sequence);
    }

    [Fact]
    public void Build_psbt_sets_witness_utxo_for_segwit_spends_and_the_redeem_script_only_when_given()
    {
        var p2wpkh = Script.P2wpkh(KeyHash);
        var nested = new TxOut(30_000, Script.P2sh(p2wpkh));
        var native = new TxOut(20_000, p2wpkh);
        var legacy = new TxOut(10_000, Script.P2pkh(KeyHash));
        var psbt = new TransactionBuilder(Network.Mainnet)
            .AddInput(Prevout(1), nested, redeemScript: p2wpkh)
            .AddInput(Prevout(2), native)
            .AddInput(Prevout(3), legacy)
            .AddOutput(p2wpkh, 50_000)
            .BuildPsbt();

        Assert.Equal(p2wpkh, psbt.Inputs[0].RedeemScript);
        Assert.Equal(nested.ToBytes(), psbt.Inputs[0].WitnessUtxo!.ToBytes());
        Assert.Null(psbt.Inputs[0].WitnessScript);

        Assert.Null(psbt.Inputs[1].RedeemScript);
        Assert.Equal(native.ToBytes(), psbt.Inputs[1].WitnessUtxo!.ToBytes());

        Assert.Null(psbt.Inputs[2].RedeemScript);
        Assert.Null(psbt.Inputs[2].WitnessUtxo);
        Assert.Equal(50_000, Assert.Single(psbt.UnsignedTransaction.Outputs).Value);
    }
}
