namespace BitCurrent.Custody.Tests;

/// <summary>The README's snippets, compiled and run (keep the two in step).</summary>
public class ReadmeSnippetTests
{
    [Fact]
    public void Deposit_address_from_mnemonic()
    {
        var words = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
        Mnemonic.ToEntropy(words);                                   // validates words and checksum (typed errors)
        using var root = ExtendedPrivateKey.FromSeed(Mnemonic.ToSeed(words, passphrase: ""), Network.Mainnet);
        var account = root.Derive("m/84'/0'/0'").Neuter();          // the deposit service keeps only this xpub
        var address = BitcoinAddress.FromPublicKey(account.Derive("m/0/0").PublicKey, AddressType.P2wpkh, Network.Mainnet);
        Assert.Equal("bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu", address.ToString());
    }

    [Fact]
    public void Wrong_network_is_a_typed_error()
    {
        var error = BitcoinAddress.TryParse("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", Network.Mainnet, out _);
        Assert.Equal(CustodyError.AddressWrongNetwork, error);           // 5021
    }

    [Fact]
    public void Cold_wallet_round_trip()
    {
        var keys = Enumerable.Range(1, 9).Select(i => new PrivateKey(Hashes.Sha256([(byte)i]))).ToList();
        var witnessScript = Script.Multisig(5, keys.Select(k => k.PublicKey).ToList()); // BIP-67 sorted
        var cold = BitcoinAddress.FromScriptPubKey(Script.P2wsh(witnessScript), Network.Regtest);
        var utxo = new TxOut(10 * Money.SatoshisPerBitcoin, cold.ScriptPubKey);
        var outPoint = new OutPoint(TxId.Parse("75ddabb27b8845f5247975c8a5ba7c6f336c4570708ebe230caf6db5217ae858"), 0);
        var hot = BitcoinAddress.Parse("bcrt1qqzh2ngh97ru8dfvgma25d6r595wcwqy0cee4cc", Network.Regtest);

        var psbt = new TransactionBuilder(Network.Regtest)
            .AddInput(outPoint, utxo, witnessScript: witnessScript)
            .AddOutput(hot, 9 * Money.SatoshisPerBitcoin)
            .AddOutput(cold, Money.SatoshisPerBitcoin - 10_000)
            .BuildPsbt();
        var wire = psbt.ToBase64();                                  // sent to each signer

        var partials = keys.Take(5).Select(key =>
        {
            var copy = Psbt.ParseBase64(wire);
            PsbtRoles.Sign(copy, [key]);                             // RFC 6979, low-S, low-R
            return copy;
        }).ToList();
        var combined = PsbtRoles.Combine(partials);
        PsbtRoles.Finalize(combined);
        var tx = PsbtRoles.Extract(combined);
        Assert.Equal(ScriptError.Ok, ScriptVerifier.VerifyTransaction(tx, [utxo]));
        keys.ForEach(k => k.Dispose());
    }

    [Fact]
    public void Proof_of_ownership_message()
    {
        using var key = PrivateKey.FromWif("cP53pDbR5WtAD8dYAW9hhTjuvvTVaEiQBdrz9XPrgLBeRFiyCbQr", Network.Testnet);
        var address = BitcoinAddress.FromPublicKey(key.PublicKey, AddressType.P2wpkh, Network.Testnet);
        var signature = SignedMessage.Sign(key, "reserves 2026-11-24", MessageSignatureType.P2wpkh);
        Assert.True(SignedMessage.Verify(address, "reserves 2026-11-24", signature));
    }

    /// <summary>The "Wallets and workflows" snippet, with the test work factor for the ten key files (the README uses the default)
    /// and the files in a temporary directory.</summary>
    [Fact]
    public async Task Cold_to_hot_transfer_in_code()
    {
        using var dir = new TempDirectory();
        var kdf = CustodyFixture.FastKdf;
        var clock = TimeProvider.System;
        const string passphrase = "correct horse battery staple";
        using var chain = SimulatedChain.InMemory(clock);
        using var store = CustodyStore.Open(dir.File("data"), clock);
        var wallets = new CustodyWallets(store);
        var signers = Enumerable.Range(1, 9)
            .Select(k => KeyFile.Generate(dir.File($"signer{k}.key"), KeyRole.Signer, Network.Regtest, passphrase, clock, kdf)).ToList();
        var hot = KeyFile.Generate(dir.File("hot.key"), KeyRole.Hot, Network.Regtest, passphrase, clock, kdf);
        wallets.CreateColdWallet(5, signers.Select(s => s.Account).ToList());
        wallets.CreateHotWallet(hot.Account, hot.FilePath);
        chain.Fund(wallets.NextColdReceiveAddress().ScriptPubKey, 10 * Money.SatoshisPerBitcoin);

        var monitor = new HotWalletMonitor(store);
        Assert.Equal("LowHotWalletBalance", (await monitor.GetStatusAsync(chain, Test.Ct)).Condition);

        var desk = new RebalanceDesk(store);
        var transfer = await desk.InitiateAsync(chain, Money.ParseBitcoin("2.0"), feeRateSatPerVb: null, initiatedBy: "ops", cancellationToken: Test.Ct);
        foreach (var k in new[] { 1, 3, 4, 6, 8 })
        {
            using var key = signers[k - 1].UnlockAccountKey(passphrase);
            desk.Sign(transfer.Id, k, key);
        }
        await desk.BroadcastAsync(transfer.Id, chain, Test.Ct);
        chain.Mine(1);
        Assert.Equal(RebalanceState.Confirmed, (await desk.MonitorAsync(transfer.Id, chain, Test.Ct)).State);
        Assert.Equal("Normal", (await monitor.GetStatusAsync(chain, Test.Ct)).Condition);
    }
}
