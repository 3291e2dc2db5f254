namespace BitCurrent.Custody.Tests;

/// <summary>The simulated regtest chain validates every spend as a node would, mines on demand, reorganises, and persists.</summary>
public class SimulatedChainTests
{
    private static readonly PrivateKey Alice = new(Hashes.Sha256("alice"u8));
    private static readonly PrivateKey Bob = new(Hashes.Sha256("bob"u8));
    private static readonly Script AliceScript = Script.P2wpkh(Alice.PublicKey);
    private static readonly Script BobScript = Script.P2wpkh(Bob.PublicKey);

    /// <summary>A signed P2WPKH spend of Alice's output (worth <paramref name="value"/> as the signer believes) paying <paramref name="pay"/>.
    /// With <paramref name="signer"/> another key signs, over Alice's key: a real signature that does not verify.</summary>
    private static Transaction Spend(OutPoint outPoint, long value, long pay, PrivateKey? signer = null, Script? to = null)
    {
        var psbt = new TransactionBuilder(Network.Regtest)
            .AddInput(outPoint, new TxOut(value, AliceScript))
            .AddOutput(to ?? BobScript, pay)
            .BuildPsbt();
        if (signer is not null)
        {
            var tx = psbt.UnsignedTransaction.Clone();
            var sighash = SignatureHash.WitnessV0(tx, 0, Script.P2pkh(Alice.PublicKey), value, (int)SigHashType.All);
            tx.Inputs[0].Witness = [[.. signer.Sign(sighash).ToDer(), (byte)SigHashType.All], Alice.PublicKey.ToBytes()];
            return tx;
        }
        PsbtRoles.Sign(psbt, [Alice]);
        PsbtRoles.Finalize(psbt);
        return PsbtRoles.Extract(psbt);
    }

    [Fact]
    public async Task Funding_mines_a_block_and_creates_a_spendable_output()
    {
        using var chain = SimulatedChain.InMemory(new TestClock());
        Assert.Equal(0, chain.Height);
        var txid = chain.Fund(AliceScript, 50_000);
        Assert.Equal(1, chain.Height);
        var utxos = await chain.GetUtxosAsync([AliceScript], cancellationToken: Test.Ct);
        var utxo = Assert.Single(utxos);
        Assert.Equal(new OutPoint(txid, 0), utxo.OutPoint);
        Assert.Equal(50_000, utxo.Output.Value);
        Assert.Equal(1, utxo.Confirmations);
        chain.Mine(2);
        Assert.Equal(3, (await chain.GetUtxosAsync([AliceScript], cancellationToken: Test.Ct))[0].Confirmations);
        Assert.Empty(await chain.GetUtxosAsync([BobScript], cancellationToken: Test.Ct));
        var info = await chain.GetTransactionAsync(txid, cancellationToken: Test.Ct);
        Assert.Equal(3, info!.Confirmations);
        Assert.Equal(1, info.BlockHeight);
    }

    [Fact]
    public async Task A_valid_spend_enters_the_mempool_then_a_block()
    {
        using var chain = SimulatedChain.InMemory(new TestClock());
        var funding = chain.Fund(AliceScript, 50_000);
        var tx = Spend(new OutPoint(funding, 0), 50_000, 49_000);
        Assert.Equal(tx.GetTxId(), await chain.BroadcastAsync(tx, cancellationToken: Test.Ct));
        Assert.Equal(tx.GetTxId(), await chain.BroadcastAsync(tx, cancellationToken: Test.Ct)); // already in the mempool: same answer
        Assert.Equal(0, (await chain.GetTransactionAsync(tx.GetTxId(), cancellationToken: Test.Ct))!.Confirmations);
        Assert.Single(chain.Mempool);
        chain.Mine(1);
        Assert.Empty(chain.Mempool);
        Assert.Equal(1, (await chain.GetTransactionAsync(tx.GetTxId(), cancellationToken: Test.Ct))!.Confirmations);
        Assert.Empty(await chain.GetUtxosAsync([AliceScript], cancellationToken: Test.Ct));
        Assert.Equal(49_000, (await chain.GetUtxosAsync([BobScript], cancellationToken: Test.Ct))[0].Output.Value);
        var again = await Assert.ThrowsAsync<ChainException>(() => chain.BroadcastAsync(tx, cancellationToken: Test.Ct));
        Assert.Equal(CustodyError.ChainAlreadyInChain, again.Reason);
    }

    [Fact]
    public async Task Refusals_double_spend_missing_input_negative_fee_bad_signature_dust()
    {
        using var chain = SimulatedChain.InMemory(new TestClock());
        var funding = chain.Fund(AliceScript, 50_000);
        var outPoint = new OutPoint(funding, 0);
        await chain.BroadcastAsync(Spend(outPoint, 50_000, 49_000), cancellationToken: Test.Ct);

        async Task<CustodyError> Refusal(Transaction tx) => (await Assert.ThrowsAsync<ChainException>(() => chain.BroadcastAsync(tx, cancellationToken: Test.Ct))).Reason;

        // Double spend against the mempool.
        Assert.Equal(CustodyError.ChainInputsMissingOrSpent, await Refusal(Spend(outPoint, 50_000, 48_000)));
        // Missing input.
        Assert.Equal(CustodyError.ChainInputsMissingOrSpent, await Refusal(Spend(new OutPoint(funding, 1), 50_000, 48_000)));
        var other = chain.Fund(AliceScript, 10_000);
        // Outputs above inputs: the signature commits to an amount of 20 000, the chain knows 10 000 (BIP-143 makes it invalid either way).
        Assert.Equal(CustodyError.ChainFeeNegative, await Refusal(Spend(new OutPoint(other, 0), 20_000, 15_000)));
        // Signed by the wrong key.
        Assert.Equal(CustodyError.ChainTransactionRejected, await Refusal(Spend(new OutPoint(other, 0), 10_000, 9_000, Bob)));
        // Signed over another amount than the output holds.
        Assert.Equal(CustodyError.ChainTransactionRejected, await Refusal(Spend(new OutPoint(other, 0), 10_001, 9_000)));
        // Dust output (the builder refuses dust, so build it by hand).
        var dust = Spend(new OutPoint(other, 0), 10_000, 9_000);
        dust.Outputs[0].Value = 100;
        Assert.Equal(CustodyError.ChainTransactionRejected, await Refusal(dust));
        Assert.Single(chain.Mempool);
    }

    [Fact]
    public async Task Spending_an_unconfirmed_output_is_allowed_as_in_core()
    {
        using var chain = SimulatedChain.InMemory(new TestClock());
        var funding = chain.Fund(AliceScript, 50_000);
        var first = Spend(new OutPoint(funding, 0), 50_000, 49_000, to: AliceScript);
        await chain.BroadcastAsync(first, cancellationToken: Test.Ct);
        var second = Spend(new OutPoint(first.GetTxId(), 0), 49_000, 48_000);
        await chain.BroadcastAsync(second, cancellationToken: Test.Ct);
        chain.Mine(1);
        Assert.Equal(1, (await chain.GetTransactionAsync(second.GetTxId(), cancellationToken: Test.Ct))!.Confirmations);
    }

    [Fact]
    public async Task A_reorganisation_returns_spends_to_the_mempool_and_drops_funding()
    {
        using var chain = SimulatedChain.InMemory(new TestClock());
        var funding = chain.Fund(AliceScript, 50_000);            // block 1
        var tx = Spend(new OutPoint(funding, 0), 50_000, 49_000);
        await chain.BroadcastAsync(tx, cancellationToken: Test.Ct);
        chain.Mine(1);                                            // block 2 holds the spend
        var late = chain.Fund(BobScript, 7_000);                  // block 3
        var hashAt2 = chain.BlockHash(2);
        Assert.Equal(1, chain.Disconnect(2));                     // the spend comes back; the funding of block 3 vanishes
        Assert.Equal(1, chain.Height);
        Assert.Null(await chain.GetTransactionAsync(late, cancellationToken: Test.Ct));
        Assert.Equal(0, (await chain.GetTransactionAsync(tx.GetTxId(), cancellationToken: Test.Ct))!.Confirmations);
        chain.Mine(1);
        Assert.NotEqual(hashAt2, chain.BlockHash(2));
        Assert.Equal(1, (await chain.GetTransactionAsync(tx.GetTxId(), cancellationToken: Test.Ct))!.Confirmations);
        Assert.Equal(CustodyError.ChainReorgTooDeep, Assert.Throws<ChainException>(() => chain.Disconnect(3)).Reason);
        Assert.Equal(CustodyError.ChainReorgTooDeep, Assert.Throws<ChainException>(() => chain.Disconnect(0)).Reason);
    }

    [Fact]
    public async Task A_spend_whose_funding_is_reorganised_away_leaves_the_mempool()
    {
        using var chain = SimulatedChain.InMemory(new TestClock());
        var funding = chain.Fund(AliceScript, 50_000);
        await chain.BroadcastAsync(Spend(new OutPoint(funding, 0), 50_000, 49_000), cancellationToken: Test.Ct);
        Assert.Equal(0, chain.Disconnect(1));
        Assert.Empty(chain.Mempool);
        Assert.Null(await chain.GetTransactionAsync(funding, cancellationToken: Test.Ct));
    }

    [Fact]
    public async Task The_chain_persists_between_openings_and_is_locked_while_open()
    {
        using var dir = new TempDirectory();
        TxId funding;
        Transaction spend;
        using (var chain = SimulatedChain.Open(dir.Path, new TestClock()))
        {
            funding = chain.Fund(AliceScript, 50_000);
            spend = Spend(new OutPoint(funding, 0), 50_000, 49_000);
            await chain.BroadcastAsync(spend, cancellationToken: Test.Ct);
            chain.Mine(3);
            var locked = Assert.Throws<CustodyStateException>(() => SimulatedChain.Open(dir.Path, new TestClock()));
            Assert.Equal(CustodyError.StateLocked, locked.Reason);
        }
        using (var chain = SimulatedChain.Open(dir.Path, new TestClock()))
        {
            Assert.Equal(4, chain.Height);
            Assert.Equal(3, (await chain.GetTransactionAsync(spend.GetTxId(), cancellationToken: Test.Ct))!.Confirmations);
            Assert.Equal(49_000, (await chain.GetUtxosAsync([BobScript], cancellationToken: Test.Ct))[0].Output.Value);
            var doubleSpend = await Assert.ThrowsAsync<ChainException>(() => chain.BroadcastAsync(Spend(new OutPoint(funding, 0), 50_000, 10_000), cancellationToken: Test.Ct));
            Assert.Equal(CustodyError.ChainInputsMissingOrSpent, doubleSpend.Reason);
        }
    }

    [Fact]
    public void A_corrupt_chain_file_is_reported()
    {
        using var dir = new TempDirectory();
        using (var chain = SimulatedChain.Open(dir.Path, new TestClock()))
        {
            chain.Mine(2);
        }
        var path = Path.Combine(dir.Path, SimulatedChain.FileName);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"height\": 1", "\"height\": 7", StringComparison.Ordinal));
        Assert.Equal(CustodyError.StateFileCorrupt, Assert.Throws<CustodyStateException>(() => SimulatedChain.Open(dir.Path, new TestClock())).Reason);
    }
}
