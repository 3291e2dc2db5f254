namespace BitCurrent.Custody.Tests;

public class TransactionBuilderTests
{
    private static readonly Script Multisig2of3 = Script.Multisig(2, Enumerable.Range(1, 3).Select(i =>
    {
        using var k = new PrivateKey(Hashes.Sha256([(byte)i]));
        return k.PublicKey;
    }).ToList());

    [Fact]
    public void Refuses_dust_wrong_network_and_bad_amounts_in_check_order()
    {
        var builder = new TransactionBuilder(Network.Mainnet);
        var regtest = BitcoinAddress.Parse("bcrt1qqzh2ngh97ru8dfvgma25d6r595wcwqy0cee4cc", Network.Regtest);
        Assert.Equal(CustodyError.AddressWrongNetwork, Assert.Throws<AddressFormatException>(() => builder.AddOutput(regtest, 10_000)).Reason);
        var mainnet = BitcoinAddress.FromScriptPubKey(regtest.ScriptPubKey, Network.Mainnet);
        Assert.Equal(CustodyError.AmountOutOfRange, Assert.Throws<AmountOutOfRangeException>(() => builder.AddOutput(mainnet, -1)).Reason);
        Assert.Equal(CustodyError.AmountOutOfRange, Assert.Throws<AmountOutOfRangeException>(() => builder.AddOutput(mainnet, Money.SatoshisMax + 1)).Reason);
        Assert.Equal(CustodyError.DustOutput, Assert.Throws<DustOutputException>(() => builder.AddOutput(mainnet, 293)).Reason);
        builder.AddOutput(mainnet, 294);
        Assert.Equal(CustodyError.TransactionNoInputs, Assert.Throws<TransactionFormatException>(builder.Build).Reason);
        builder.AddInput(new OutPoint(new TxId(Hashes.Sha256([1])), 0), new TxOut(200, Script.P2wsh(Multisig2of3)), witnessScript: Multisig2of3);
        Assert.Equal(CustodyError.AmountOutOfRange, Assert.Throws<AmountOutOfRangeException>(builder.Build).Reason); // outputs exceed inputs
    }

    [Fact]
    public void Builds_psbt_with_witness_utxo_and_scripts_and_fee()
    {
        var spent = new TxOut(100_000, Script.P2sh(Script.P2wsh(Multisig2of3)));
        var builder = new TransactionBuilder(Network.Testnet)
            .AddInput(new OutPoint(new TxId(Hashes.Sha256([2])), 1), spent, Script.P2wsh(Multisig2of3), Multisig2of3)
            .AddOutput(BitcoinAddress.Parse("2N19tNw3Ss4L9QDERtCw7FhXb6jBsYmeXNu", Network.Testnet), 90_000);
        Assert.Equal(10_000, builder.Fee);
        var psbt = builder.BuildPsbt();
        Assert.Equal(spent.ToBytes(), psbt.Inputs[0].WitnessUtxo!.ToBytes());
        Assert.Equal(Multisig2of3, psbt.Inputs[0].WitnessScript);
        Assert.Equal(10_000, psbt.GetFee());
        Assert.Equal(0xfffffffdu, psbt.UnsignedTransaction.Inputs[0].Sequence);
        // Legacy P2SH addresses are shared by testnet and regtest.
        new TransactionBuilder(Network.Regtest).AddOutput(BitcoinAddress.Parse("2N19tNw3Ss4L9QDERtCw7FhXb6jBsYmeXNu", Network.Testnet), 1000);
    }
}
