namespace BitCurrent.Custody.Tests;

/// <summary>Deposit addresses per user, detection, crediting after N confirmations, and reorganisations of credited deposits.</summary>
public class DepositTests
{
    [Fact]
    public void Each_user_gets_one_recorded_bip84_address()
    {
        using var f = new CustodyFixture(signers: 3, threshold: 2);
        var a = f.Wallets.GetDepositAddress(42);
        var b = f.Wallets.GetDepositAddress(7);
        Assert.Equal(a, f.Wallets.GetDepositAddress(42));
        Assert.Equal(0u, a.Index);
        Assert.Equal(1u, b.Index);
        Assert.Equal(f.Hot.Address(WalletChain.Receive, 0).ToString(), a.Address);
        using var reopened = ReopenStore(f);
        Assert.Equal([a, b], reopened.DepositAddresses);
        Assert.Contains(reopened.ReadAuditLog(), e => e.Kind == CustodyEventKind.DepositAddressAssigned && e.Subject == "user 42");
    }

    private static CustodyStore ReopenStore(CustodyFixture f)
    {
        f.Store.Dispose();
        return CustodyStore.Open(f.Store.DataDirectory, f.Clock);
    }

    [Fact]
    public async Task A_deposit_is_detected_then_credited_after_the_required_confirmations()
    {
        using var f = new CustodyFixture(signers: 3, threshold: 2);
        Assert.Equal(3, f.Store.Policy.DepositConfirmations);
        var address = BitcoinAddress.Parse(f.Wallets.GetDepositAddress(42).Address, Network.Regtest);
        var monitor = new DepositMonitor(f.Store);
        Assert.Empty((await monitor.ScanAsync(f.Chain, cancellationToken: Test.Ct)).Events);

        var txid = f.Chain.Fund(address.ScriptPubKey, Btc.Of("0.25"));
        var first = await monitor.ScanAsync(f.Chain, cancellationToken: Test.Ct);
        var detected = Assert.Single(first.Changes);
        Assert.Equal(DepositStatus.Detected, detected.Status);
        Assert.Equal(1, detected.Confirmations);
        Assert.Equal(42ul, detected.UserId);
        Assert.Equal(25_000_000, detected.AmountSats);
        Assert.Equal($"{txid}:0", detected.OutPoint);
        Assert.Equal(1ul, detected.Id);

        f.Chain.Mine(1);
        var second = await monitor.ScanAsync(f.Chain, cancellationToken: Test.Ct);
        Assert.Empty(second.Changes);
        Assert.Equal(2, f.Store.Deposits[0].Confirmations);
        Assert.Equal(DepositStatus.Detected, f.Store.Deposits[0].Status);

        f.Chain.Mine(1);
        var third = await monitor.ScanAsync(f.Chain, cancellationToken: Test.Ct);
        var credited = Assert.Single(third.Changes);
        Assert.Equal(DepositStatus.Credited, credited.Status);
        Assert.Equal(f.Clock.GetUtcNow(), credited.CreditedAt);
        Assert.Empty(third.Discrepancies);
        Assert.Single(f.Store.Deposits);
        Assert.Empty((await monitor.ScanAsync(f.Chain, cancellationToken: Test.Ct)).Changes);
    }

    [Fact]
    public async Task Reorganising_away_a_credited_deposit_reverses_it_as_a_discrepancy()
    {
        using var f = new CustodyFixture(signers: 3, threshold: 2);
        var address = BitcoinAddress.Parse(f.Wallets.GetDepositAddress(42).Address, Network.Regtest);
        var monitor = new DepositMonitor(f.Store);
        f.Chain.Fund(address.ScriptPubKey, Btc.Of("1.5"));
        f.Chain.Mine(2);
        Assert.Equal(DepositStatus.Credited, Assert.Single((await monitor.ScanAsync(f.Chain, cancellationToken: Test.Ct)).Changes).Status);

        f.Chain.Disconnect(3); // the funding block goes: the deposit is gone for good
        var scan = await monitor.ScanAsync(f.Chain, cancellationToken: Test.Ct);
        var reversed = Assert.Single(scan.Changes);
        Assert.Equal(DepositStatus.Reversed, reversed.Status);
        Assert.Equal(0, reversed.Confirmations);
        var discrepancy = Assert.Single(scan.Discrepancies);
        Assert.Equal(CustodyEventKind.DepositReversed, discrepancy.Kind);
        Assert.Contains("reverse the credit", discrepancy.Detail, StringComparison.Ordinal);
        Assert.Contains(f.Store.ReadAuditLog(), e => e.IsDiscrepancy && e.Kind == CustodyEventKind.DepositReversed);
        Assert.Equal(DepositStatus.Reversed, f.Store.Deposits[0].Status);
    }

    [Fact]
    public async Task A_deposit_that_comes_back_after_a_reorganisation_is_credited_again_with_new_events()
    {
        using var f = new CustodyFixture(signers: 3, threshold: 2);
        var address = BitcoinAddress.Parse(f.Wallets.GetDepositAddress(9).Address, Network.Regtest);
        var monitor = new DepositMonitor(f.Store);
        // A user's deposit paid by an ordinary transaction (not a coinbase), so a reorganisation puts it back in the mempool.
        var payer = new PrivateKey(Hashes.Sha256("payer"u8));
        var funding = f.Chain.Fund(Script.P2wpkh(payer.PublicKey), 1_000_000);
        var psbt = new TransactionBuilder(Network.Regtest).AddInput(new OutPoint(funding, 0), new TxOut(1_000_000, Script.P2wpkh(payer.PublicKey)))
            .AddOutput(address, 900_000).BuildPsbt();
        PsbtRoles.Sign(psbt, [payer]);
        PsbtRoles.Finalize(psbt);
        await f.Chain.BroadcastAsync(PsbtRoles.Extract(psbt), cancellationToken: Test.Ct);
        f.Chain.Mine(3);
        Assert.Equal(DepositStatus.Credited, (await monitor.ScanAsync(f.Chain, cancellationToken: Test.Ct)).Changes.Single().Status);

        f.Chain.Disconnect(3); // back in the mempool: 0 confirmations
        var scan = await monitor.ScanAsync(f.Chain, cancellationToken: Test.Ct);
        Assert.Equal(DepositStatus.Reversed, scan.Changes.Single().Status);
        Assert.Contains("back in the mempool", scan.Discrepancies.Single().Detail, StringComparison.Ordinal);

        f.Chain.Mine(1);
        Assert.Equal(DepositStatus.Detected, (await monitor.ScanAsync(f.Chain, cancellationToken: Test.Ct)).Changes.Single().Status);
        f.Chain.Mine(2);
        var again = await monitor.ScanAsync(f.Chain, cancellationToken: Test.Ct);
        Assert.Equal(DepositStatus.Credited, again.Changes.Single().Status);
        Assert.Single(f.Store.Deposits);
        var kinds = f.Store.ReadAuditLog().Where(e => e.Subject.StartsWith("deposit 1 ", StringComparison.Ordinal)).Select(e => e.Kind).ToList();
        Assert.Equal([CustodyEventKind.DepositDetected, CustodyEventKind.DepositCredited, CustodyEventKind.DepositReversed,
            CustodyEventKind.DepositDetected, CustodyEventKind.DepositCredited], kinds);
    }

    [Fact]
    public async Task An_uncredited_deposit_that_leaves_the_chain_is_dropped_without_a_discrepancy()
    {
        using var f = new CustodyFixture(signers: 3, threshold: 2);
        var address = BitcoinAddress.Parse(f.Wallets.GetDepositAddress(1).Address, Network.Regtest);
        var monitor = new DepositMonitor(f.Store);
        f.Chain.Fund(address.ScriptPubKey, 100_000);
        Assert.Equal(DepositStatus.Detected, (await monitor.ScanAsync(f.Chain, cancellationToken: Test.Ct)).Changes.Single().Status);
        f.Chain.Disconnect(1);
        var scan = await monitor.ScanAsync(f.Chain, cancellationToken: Test.Ct);
        Assert.Equal(DepositStatus.Dropped, scan.Changes.Single().Status);
        Assert.Empty(scan.Discrepancies);
    }

    [Fact]
    public async Task Confirmations_needed_come_from_the_policy()
    {
        using var f = new CustodyFixture(signers: 3, threshold: 2, policy: new CustodyPolicy { DepositConfirmations = 1 });
        var address = BitcoinAddress.Parse(f.Wallets.GetDepositAddress(5).Address, Network.Regtest);
        f.Chain.Fund(address.ScriptPubKey, 100_000);
        var scan = await new DepositMonitor(f.Store).ScanAsync(f.Chain, cancellationToken: Test.Ct);
        Assert.Equal(DepositStatus.Credited, scan.Changes.Single().Status);
        Assert.Equal([CustodyEventKind.DepositDetected, CustodyEventKind.DepositCredited], scan.Events.Select(e => e.Kind));
    }

    [Fact]
    public async Task A_deposit_past_the_finality_depth_is_no_longer_rechecked()
    {
        using var f = new CustodyFixture(signers: 3, threshold: 2, policy: new CustodyPolicy { DepositConfirmations = 2, FinalityConfirmations = 3 });
        var address = BitcoinAddress.Parse(f.Wallets.GetDepositAddress(5).Address, Network.Regtest);
        var monitor = new DepositMonitor(f.Store);
        f.Chain.Fund(address.ScriptPubKey, 100_000);
        f.Chain.Mine(1);
        Assert.Equal(DepositStatus.Credited, (await monitor.ScanAsync(f.Chain, cancellationToken: Test.Ct)).Changes.Single().Status);
        f.Chain.Mine(1);
        await monitor.ScanAsync(f.Chain, cancellationToken: Test.Ct);
        Assert.Equal(3, f.Store.Deposits[0].Confirmations);
        f.Chain.Disconnect(3); // deeper than the finality depth: not looked at again, by design
        Assert.Empty((await monitor.ScanAsync(f.Chain, cancellationToken: Test.Ct)).Changes);
        Assert.Equal(DepositStatus.Credited, f.Store.Deposits[0].Status);
    }
}
