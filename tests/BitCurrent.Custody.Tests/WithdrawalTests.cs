namespace BitCurrent.Custody.Tests;

/// <summary>Withdrawals through the policy: every state transition and every refusal.</summary>
public class WithdrawalTests
{
    private const string Destination = "bcrt1qqzh2ngh97ru8dfvgma25d6r595wcwqy0cee4cc";
    private const string Other = "bcrt1q5xy3hjgmwm44jlzv73gr0rjhen0tt7jp5uskrz4kzjdtkg3gjaysfgrygd";

    private static CustodyFixture Fixture(CustodyPolicy? policy = null) => new(signers: 3, threshold: 2, policy: policy);

    /// <summary>Whitelists both addresses for users 1 and 2 and lets the cooling-off pass.</summary>
    private static WithdrawalDesk ReadyDesk(CustodyFixture f)
    {
        var desk = new WithdrawalDesk(f.Store);
        foreach (var user in new ulong[] { 1, 2 })
        {
            desk.AddToWhitelist(user, Destination, "ops");
            desk.AddToWhitelist(user, Other, "ops");
        }
        f.Clock.Advance(TimeSpan.FromHours(24));
        return desk;
    }

    [Fact]
    public void Policy_refusals_are_recorded_with_their_reason_in_check_order()
    {
        using var f = Fixture();
        var desk = new WithdrawalDesk(f.Store);
        // Not whitelisted (and above the per-transaction limit: the whitelist is checked first).
        var r1 = desk.Request(1, Destination, Btc.Of("3"), "alice");
        Assert.Equal((WithdrawalStatus.Rejected, CustodyError.WithdrawalAddressNotWhitelisted), (r1.Status, r1.RejectReason));

        var entry = desk.AddToWhitelist(1, Destination, "ops");
        Assert.Equal(f.Clock.GetUtcNow().AddHours(24), entry.UsableFrom);
        // Whitelisted a moment ago: cooling-off (checked before the limit).
        Assert.Equal(CustodyError.WithdrawalAddressCoolingOff, desk.Request(1, Destination, Btc.Of("3"), "alice").RejectReason);
        f.Clock.Advance(TimeSpan.FromHours(23) + TimeSpan.FromMinutes(59));
        Assert.Equal(CustodyError.WithdrawalAddressCoolingOff, desk.Request(1, Destination, Btc.Of("0.1"), "alice").RejectReason);
        f.Clock.Advance(TimeSpan.FromMinutes(1));
        // Usable now: the per-transaction limit (2 BTC).
        Assert.Equal(CustodyError.WithdrawalPerTransactionLimit, desk.Request(1, Destination, Btc.Of("2.00000001"), "alice").RejectReason);
        Assert.Equal(WithdrawalStatus.Pending, desk.Request(1, Destination, Btc.Of("2"), "alice").Status);
        Assert.Equal(WithdrawalStatus.Pending, desk.Request(1, Destination, Btc.Of("2"), "alice").Status);
        // 4 BTC in 24 h; 1.00000001 more exceeds the per-user 5 BTC.
        Assert.Equal(CustodyError.WithdrawalDailyUserLimit, desk.Request(1, Destination, Btc.Of("1.00000001"), "alice").RejectReason);
        Assert.Equal(WithdrawalStatus.Pending, desk.Request(1, Destination, Btc.Of("1"), "alice").Status);
        // The window rolls: 24 hours later the user may withdraw again.
        f.Clock.Advance(TimeSpan.FromHours(24));
        Assert.Equal(WithdrawalStatus.Approved, desk.Request(1, Destination, Btc.Of("0.5"), "alice").Status);

        var rejected = f.Store.Withdrawals.Where(w => w.Status == WithdrawalStatus.Rejected).Select(w => w.RejectReason!.Value).ToList();
        Assert.Equal([CustodyError.WithdrawalAddressNotWhitelisted, CustodyError.WithdrawalAddressCoolingOff, CustodyError.WithdrawalAddressCoolingOff,
            CustodyError.WithdrawalPerTransactionLimit, CustodyError.WithdrawalDailyUserLimit], rejected);
        Assert.All(f.Store.Withdrawals.Where(w => w.Status == WithdrawalStatus.Rejected), w => Assert.False(string.IsNullOrEmpty(w.RejectDetail)));
        Assert.Equal(5, f.Store.ReadAuditLog().Count(e => e.Kind == CustodyEventKind.WithdrawalRejected));
    }

    [Fact]
    public void The_total_daily_limit_counts_every_user()
    {
        using var f = Fixture(new CustodyPolicy { Withdrawals = new WithdrawalPolicy { DailyTotalMaxSats = Btc.Of("1") } });
        var desk = ReadyDesk(f);
        Assert.Equal(WithdrawalStatus.Pending, desk.Request(1, Destination, Btc.Of("0.6"), "alice").Status);
        var refused = desk.Request(2, Other, Btc.Of("0.40000001"), "bob");
        Assert.Equal(CustodyError.WithdrawalDailyTotalLimit, refused.RejectReason);
        Assert.Equal(WithdrawalStatus.Approved, desk.Request(2, Other, Btc.Of("0.4"), "bob").Status);
    }

    [Fact]
    public void Bad_requests_are_typed_errors_and_record_nothing()
    {
        using var f = Fixture();
        var desk = ReadyDesk(f);
        Assert.Equal(CustodyError.DustOutput, Assert.Throws<DustOutputException>(() => desk.Request(1, Destination, 293, "alice")).Reason);
        Assert.Equal(CustodyError.AddressWrongNetwork,
            Assert.Throws<AddressFormatException>(() => desk.Request(1, "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", 100_000, "alice")).Reason);
        Assert.Equal(CustodyError.AddressWrongNetwork,
            Assert.Throws<AddressFormatException>(() => desk.Request(1, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", 100_000, "alice")).Reason);
        Assert.Equal(CustodyError.AmountOutOfRange, Assert.Throws<AmountOutOfRangeException>(() => desk.Request(1, Destination, Money.SatoshisMax + 1, "alice")).Reason);
        Assert.Equal(CustodyError.AmountOutOfRange, Assert.Throws<AmountOutOfRangeException>(() => desk.Request(1, Destination, long.MinValue, "alice")).Reason);
        Assert.Equal(CustodyError.AmountNotPositive, Assert.Throws<AmountFormatException>(() => desk.Request(1, Destination, 0, "alice")).Reason);
        Assert.Equal(CustodyError.OperatorNameInvalid, Assert.Throws<WithdrawalException>(() => desk.Request(1, Destination, 100_000, " ")).Reason);
        Assert.Equal(CustodyError.Base58InvalidCharacter, Assert.ThrowsAny<CustodyException>(() => desk.AddToWhitelist(1, "not-an-address", "ops")).Reason);
        Assert.Empty(f.Store.Withdrawals);
        Assert.Equal(294, Money.DustThreshold(new TxOut(0, BitcoinAddress.Parse(Destination, Network.Regtest).ScriptPubKey)));
        Assert.Equal(WithdrawalStatus.Approved, desk.Request(1, Destination, 294, "alice").Status);
    }

    [Fact]
    public void Approvals_need_distinct_approvers_who_did_not_request()
    {
        using var f = Fixture();
        var desk = ReadyDesk(f);
        var w = desk.Request(1, Destination, Btc.Of("1"), "alice");
        Assert.Equal((WithdrawalStatus.Pending, 2), (w.Status, w.ApprovalsRequired));
        Assert.Equal(CustodyError.WithdrawalApproverIsRequester, Assert.Throws<WithdrawalException>(() => desk.Approve(w.Id, "Alice")).Reason);
        Assert.Equal(WithdrawalStatus.Pending, desk.Approve(w.Id, "bob").Status);
        Assert.Equal(CustodyError.WithdrawalDuplicateApprover, Assert.Throws<WithdrawalException>(() => desk.Approve(w.Id, "BOB")).Reason);
        var approved = desk.Approve(w.Id, "carol");
        Assert.Equal(WithdrawalStatus.Approved, approved.Status);
        Assert.Equal(["bob", "carol"], approved.Approvals.Select(a => a.Approver));
        Assert.Equal(CustodyError.WithdrawalInvalidState, Assert.Throws<WithdrawalException>(() => desk.Approve(w.Id, "dave")).Reason);
        Assert.Equal(CustodyError.WithdrawalNotFound, Assert.Throws<WithdrawalException>(() => desk.Approve(999, "dave")).Reason);
        // At or below the threshold no approval is needed.
        Assert.Equal((WithdrawalStatus.Approved, 0), (desk.Request(1, Destination, Btc.Of("0.5"), "alice").Status, desk.Get(2).ApprovalsRequired));
    }

    [Fact]
    public void Operators_can_reject_pending_or_approved_withdrawals_only()
    {
        using var f = Fixture();
        var desk = ReadyDesk(f);
        var w = desk.Request(1, Destination, Btc.Of("0.1"), "alice");
        var rejected = desk.Reject(w.Id, "carol", "customer asked");
        Assert.Equal((WithdrawalStatus.Rejected, CustodyError.WithdrawalRejectedByOperator), (rejected.Status, rejected.RejectReason));
        Assert.Equal(CustodyError.WithdrawalInvalidState, Assert.Throws<WithdrawalException>(() => desk.Reject(w.Id, "carol", "again")).Reason);
        Assert.Equal(0, desk.Pending().Count);
    }

    [Fact]
    public async Task Approved_withdrawals_are_batched_signed_broadcast_and_confirmed()
    {
        using var f = Fixture();
        var desk = ReadyDesk(f);
        f.FundHot(Btc.Of("3"));
        var a = desk.Request(1, Destination, Btc.Of("0.3"), "alice");
        var b = desk.Request(2, Other, Btc.Of("0.2"), "bob");
        var c = desk.Request(2, Other, Btc.Of("0.7"), "bob"); // needs approvals: stays out of the batch
        Assert.Equal(Btc.Of("1.2"), desk.Pending().AmountSats);
        using var key = f.HotAccountKey();
        var result = await desk.ProcessAsync(f.Chain, key, 5, cancellationToken: Test.Ct);
        Assert.Null(result.BroadcastError);
        Assert.Equal([a.Id, b.Id], result.Paid.Select(p => p.Id));
        Assert.All(result.Paid, p => Assert.Equal(WithdrawalStatus.Broadcast, p.Status));
        var tx = Assert.Single(f.Chain.Mempool);
        Assert.Equal(result.TxId, tx.GetTxId().ToString());
        Assert.Equal(3, tx.Outputs.Count); // two payments and change
        Assert.Equal(Btc.Of("0.3"), tx.Outputs[(int)desk.Get(a.Id).Vout!].Value);
        Assert.Equal(BitcoinAddress.Parse(Other, Network.Regtest).ScriptPubKey, tx.Outputs[(int)desk.Get(b.Id).Vout!].ScriptPubKey);
        Assert.True(result.FeeSats >= 5 * tx.GetVirtualSize());
        Assert.True(result.FeeSats <= 5 * (tx.GetVirtualSize() + 2));
        Assert.Equal(Btc.Of("3") - Btc.Of("0.5") - result.FeeSats, tx.Outputs[2].Value);
        Assert.Equal(WithdrawalStatus.Pending, desk.Get(c.Id).Status);

        // The spent output is locked until confirmed; the change is not yet confirmed: the hot balance is 0 meanwhile.
        Assert.Equal(0, (await new HotWalletMonitor(f.Store).GetStatusAsync(f.Chain, cancellationToken: Test.Ct)).BalanceSats);
        Assert.Empty((await desk.RefreshAsync(f.Chain, cancellationToken: Test.Ct)));
        f.Chain.Mine(1);
        var confirmed = await desk.RefreshAsync(f.Chain, cancellationToken: Test.Ct);
        Assert.Equal([a.Id, b.Id], confirmed.Select(w => w.Id));
        Assert.All(confirmed, w => Assert.Equal(WithdrawalStatus.Confirmed, w.Status));
        Assert.Equal(tx.Outputs[2].Value, (await new HotWalletMonitor(f.Store).GetStatusAsync(f.Chain, cancellationToken: Test.Ct)).BalanceSats);
        var trail = f.Store.ReadAuditLog().Where(e => e.Subject == $"withdrawal {a.Id}").Select(e => e.Kind).ToList();
        Assert.Equal([CustodyEventKind.WithdrawalRequested, CustodyEventKind.WithdrawalApproved, CustodyEventKind.WithdrawalSigned,
            CustodyEventKind.WithdrawalBroadcast, CustodyEventKind.WithdrawalConfirmed], trail);
    }

    [Fact]
    public async Task A_fee_rate_above_the_cap_or_below_one_is_refused_and_changes_nothing()
    {
        using var f = Fixture(new CustodyPolicy { FeeRateCapSatPerVb = 50 });
        var desk = ReadyDesk(f);
        f.FundHot(Btc.Of("1"));
        desk.Request(1, Destination, Btc.Of("0.1"), "alice");
        using var key = f.HotAccountKey();
        Assert.Equal(CustodyError.FeeRateAboveCap, (await Assert.ThrowsAsync<FeeRateException>(() => desk.ProcessAsync(f.Chain, key, 51, cancellationToken: Test.Ct))).Reason);
        Assert.Equal(CustodyError.FeeRateInvalid, (await Assert.ThrowsAsync<FeeRateException>(() => desk.ProcessAsync(f.Chain, key, 0, cancellationToken: Test.Ct))).Reason);
        f.Chain.FeeRateSatPerVb = 80; // the node's estimate is capped too
        Assert.Equal(CustodyError.FeeRateAboveCap, (await Assert.ThrowsAsync<FeeRateException>(() => desk.ProcessAsync(f.Chain, key, null, cancellationToken: Test.Ct))).Reason);
        Assert.Equal(WithdrawalStatus.Approved, desk.Get(1).Status);
        Assert.Empty(f.Chain.Mempool);
        Assert.Equal(WithdrawalStatus.Broadcast, (await desk.ProcessAsync(f.Chain, key, 50, cancellationToken: Test.Ct)).Paid.Single().Status);
    }

    [Fact]
    public async Task Withdrawals_the_hot_wallet_cannot_cover_wait_oldest_first()
    {
        using var f = Fixture();
        var desk = ReadyDesk(f);
        f.FundHot(Btc.Of("0.4"));
        desk.Request(1, Destination, Btc.Of("0.3"), "alice");
        desk.Request(2, Other, Btc.Of("0.3"), "bob");
        using var key = f.HotAccountKey();
        var result = await desk.ProcessAsync(f.Chain, key, 2, cancellationToken: Test.Ct);
        Assert.Equal([1ul], result.Paid.Select(w => w.Id));
        Assert.Equal([2ul], result.Waiting.Select(w => w.Id));
        Assert.Equal(WithdrawalStatus.Approved, desk.Get(2).Status);
        // Nothing spendable is left until the change confirms.
        var again = await desk.ProcessAsync(f.Chain, key, 2, cancellationToken: Test.Ct);
        Assert.Empty(again.Paid);
        Assert.Equal([2ul], again.Waiting.Select(w => w.Id));
        var status = await new HotWalletMonitor(f.Store).GetStatusAsync(f.Chain, cancellationToken: Test.Ct);
        Assert.True(status.IsLow);
        Assert.Equal(Btc.Of("0.3"), status.PendingWithdrawalsSats);
    }

    [Fact]
    public async Task Processing_with_a_key_that_is_not_the_hot_wallet_s_is_refused()
    {
        using var f = Fixture();
        using var signer = f.SignerKey(1);
        var e = await Assert.ThrowsAsync<KeyFileException>(() => new WithdrawalDesk(f.Store).ProcessAsync(f.Chain, signer, 2, cancellationToken: Test.Ct));
        Assert.Equal(CustodyError.KeyFileWrongRole, e.Reason);
    }

    [Fact]
    public async Task A_transaction_the_node_refuses_returns_its_withdrawals_to_approved()
    {
        using var f = Fixture();
        var desk = ReadyDesk(f);
        var funding = f.FundHot(Btc.Of("1"));
        desk.Request(1, Destination, Btc.Of("0.1"), "alice");
        using var key = f.HotAccountKey();
        // Someone else spends the hot wallet's output first (a conflicting transaction in the mempool).
        using (var child = key.Derive(new KeyPath([WalletChain.Change, 0])))
        {
            var psbt = new TransactionBuilder(Network.Regtest)
                .AddInput(new OutPoint(funding, 0), new TxOut(Btc.Of("1"), f.Hot.ScriptPubKey(WalletChain.Change, 0)))
                .AddOutput(BitcoinAddress.Parse(Other, Network.Regtest), Btc.Of("0.9")).BuildPsbt();
            PsbtRoles.Sign(psbt, [child.PrivateKey]);
            PsbtRoles.Finalize(psbt);
            await f.Chain.BroadcastAsync(PsbtRoles.Extract(psbt), cancellationToken: Test.Ct);
        }
        var result = await desk.ProcessAsync(f.Chain, key, 2, cancellationToken: Test.Ct);
        Assert.NotNull(result.BroadcastError);
        Assert.Contains("mempool-conflict", result.BroadcastError, StringComparison.Ordinal);
        var w = desk.Get(1);
        Assert.Equal(WithdrawalStatus.Approved, w.Status);
        Assert.Null(w.TxId);
        Assert.NotNull(w.LastError);
        Assert.Empty(new CustodyWallets(f.Store).LockedOutPoints());
    }

    [Fact]
    public async Task A_confirmed_withdrawal_reorganised_out_goes_back_to_broadcast_then_confirms_again()
    {
        using var f = Fixture();
        var desk = ReadyDesk(f);
        f.FundHot(Btc.Of("1"));
        desk.Request(1, Destination, Btc.Of("0.2"), "alice");
        using var key = f.HotAccountKey();
        await desk.ProcessAsync(f.Chain, key, 2, cancellationToken: Test.Ct);
        f.Chain.Mine(1);
        Assert.Equal(WithdrawalStatus.Confirmed, (await desk.RefreshAsync(f.Chain, cancellationToken: Test.Ct)).Single().Status);
        f.Chain.Disconnect(1); // the payment goes back to the mempool
        Assert.Empty(await desk.RefreshAsync(f.Chain, cancellationToken: Test.Ct));
        Assert.Equal((WithdrawalStatus.Broadcast, 0), (desk.Get(1).Status, desk.Get(1).Confirmations));
        Assert.Contains(f.Store.ReadAuditLog(), e => e.Kind == CustodyEventKind.TransactionReorganised && e.Subject == "withdrawal 1");
        Assert.NotEmpty(new CustodyWallets(f.Store).LockedOutPoints()); // its input is locked again
        f.Chain.Mine(1);
        Assert.Equal(WithdrawalStatus.Confirmed, (await desk.RefreshAsync(f.Chain, cancellationToken: Test.Ct)).Single().Status);
    }

    [Fact]
    public void The_policy_file_is_validated()
    {
        using var f = Fixture();
        foreach (var bad in new[]
        {
            new CustodyPolicy { DepositConfirmations = 0 },
            new CustodyPolicy { FeeRateCapSatPerVb = 0 },
            new CustodyPolicy { HotWalletBufferSats = -1 },
            new CustodyPolicy { DepositConfirmations = 6, FinalityConfirmations = 5 },
            new CustodyPolicy { Withdrawals = new WithdrawalPolicy { ApprovalsRequired = 0 } },
            new CustodyPolicy { Withdrawals = new WithdrawalPolicy { CoolingOffHours = -1 } },
            new CustodyPolicy { Withdrawals = new WithdrawalPolicy { PerTransactionMaxSats = Money.SatoshisMax + 1 } },
        })
        {
            Assert.Equal(CustodyError.WithdrawalPolicyInvalid, Assert.Throws<WithdrawalException>(() => f.Store.SavePolicy(bad)).Reason);
        }
        File.WriteAllText(Path.Combine(f.Store.CustodyDirectory, CustodyStore.PolicyFileName), "{\"depositConfirmations\": 0}");
        f.Store.Dispose();
        Assert.Equal(CustodyError.WithdrawalPolicyInvalid, Assert.Throws<WithdrawalException>(() => CustodyStore.Open(f.Store.DataDirectory, f.Clock)).Reason);
    }
}
