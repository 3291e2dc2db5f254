using BitCurrent.Ledger;

namespace BitCurrent.Ledger.Tests;

/// <summary>
/// Engine boundaries not covered elsewhere: the last timestamps a batch may use, the count CreateAccounts returns,
/// a failed engine refusing every entry point, and each account invariant of the audit proven to fire on its own
/// (through the test hook that simulates an apply-path bug).
/// </summary>
public class EngineEdgeTests
{
    private static LedgerEngine Engine(params Account[] accounts)
    {
        var engine = L.Engine(accounts: 16, transfers: 64, batch: 16);
        Assert.Equal(accounts.Length, engine.CreateAccounts(accounts, 1, new CreateAccountResult[accounts.Length]));
        return engine;
    }

    [Fact]
    public void A_batch_may_end_exactly_at_the_largest_timestamp_and_not_beyond()
    {
        var engine = Engine(L.Account(1), L.Account(2));
        var results = new CreateTransferResult[2];
        var before = engine.LastTimestamp;
        Assert.Throws<LedgerInvariantException>(() => engine.CreateTransfers([L.Transfer(10, 1, 2, 1), L.Transfer(11, 1, 2, 1)], ulong.MaxValue, results));
        Assert.Equal(before, engine.LastTimestamp);   // refused before anything changed: the engine is still usable
        engine.CreateTransfers([L.Transfer(10, 1, 2, 1), L.Transfer(11, 1, 2, 1)], ulong.MaxValue - 1, results);
        Assert.Equal([CreateTransferResult.Ok, CreateTransferResult.Ok], results);
        Assert.Equal(ulong.MaxValue, engine.LastTimestamp);
        Assert.True(engine.TryGetTransfer(11, out var last));
        Assert.Equal(ulong.MaxValue, last.Timestamp);
        engine.Audit();
    }

    [Fact]
    public void A_single_item_batch_may_use_the_largest_timestamp()
    {
        var engine = Engine(L.Account(1), L.Account(2));
        Assert.Equal(CreateTransferResult.Ok, engine.ApplyAt(ulong.MaxValue, L.Transfer(10, 1, 2, 1))[0]);
        Assert.Equal(ulong.MaxValue, engine.LastTimestamp);
        var accounts = L.Engine(accounts: 4, transfers: 4, batch: 4);
        Assert.Equal(1, accounts.CreateAccounts([L.Account(1)], ulong.MaxValue, new CreateAccountResult[1]));
        Assert.Throws<LedgerInvariantException>(() => L.Engine(accounts: 4, transfers: 4, batch: 4)
            .CreateAccounts([L.Account(1), L.Account(2)], ulong.MaxValue, new CreateAccountResult[2]));
    }

    [Fact]
    public void CreateAccounts_returns_how_many_it_created()
    {
        var engine = Engine(L.Account(1));
        var results = new CreateAccountResult[4];
        Assert.Equal(2, engine.CreateAccounts([L.Account(1), L.Account(2), L.Account(0), L.Account(3)], 10, results));
        Assert.Equal([CreateAccountResult.Exists, CreateAccountResult.Ok, CreateAccountResult.IdMustNotBeZero, CreateAccountResult.Ok], results);
        Assert.Equal(0, engine.CreateAccounts([L.Account(1)], 20, results));
        Assert.Equal(0, engine.CreateAccounts([], 30, results));
    }

    [Fact]
    public void Letting_time_pass_needs_an_increasing_timestamp()
    {
        var engine = Engine(L.Account(1), L.Account(2));
        engine.ApplyAt(10 * L.Second, L.Transfer(10, 1, 2, 1, flags: TransferFlags.Pending, timeoutSeconds: 1));
        Assert.Throws<LedgerInvariantException>(() => engine.ExpirePendingTransfers(10 * L.Second));
        Assert.Throws<LedgerInvariantException>(() => engine.ExpirePendingTransfers(5));
        Assert.Equal(PendingStatus.Pending, engine.GetPendingStatus(10));
        Assert.Equal(1, engine.ExpirePendingTransfers(11 * L.Second));
        Assert.Equal(11 * L.Second, engine.LastTimestamp);
    }

    [Fact]
    public void Pending_and_void_together_are_mutually_exclusive()
    {
        var engine = Engine(L.Account(1), L.Account(2));
        engine.Apply(L.Transfer(10, 1, 2, 5, flags: TransferFlags.Pending));
        Assert.Equal(CreateTransferResult.FlagsAreMutuallyExclusive, engine.Apply(L.Void(11, 10, TransferFlags.Pending))[0]);
        Assert.Equal(CreateTransferResult.FlagsAreMutuallyExclusive, engine.Apply(L.Post(12, 10, 5, TransferFlags.Pending))[0]);
        Assert.Equal(CreateTransferResult.FlagsAreMutuallyExclusive,
            engine.Apply(L.Post(13, 10, 5, TransferFlags.VoidPendingTransfer))[0]);
        Assert.Equal(PendingStatus.Pending, engine.GetPendingStatus(10));
    }

    [Fact]
    public void A_timeout_may_end_exactly_at_the_largest_timestamp()
    {
        var engine = Engine(L.Account(1), L.Account(2));
        const ulong At = ulong.MaxValue - (2 * L.Second);
        Assert.Equal(CreateTransferResult.Ok, engine.ApplyAt(At, L.Transfer(10, 1, 2, 5, flags: TransferFlags.Pending, timeoutSeconds: 2))[0]);
        Assert.Equal(CreateTransferResult.OverflowsTimeout,
            engine.ApplyAt(At + 1, L.Transfer(11, 1, 2, 5, flags: TransferFlags.Pending, timeoutSeconds: 2))[0]);
        Assert.Equal(1, engine.PendingWithTimeoutCount);
        Assert.Equal(1, engine.ExpirePendingTransfers(ulong.MaxValue));
    }

    [Fact]
    public void A_failed_audit_stops_every_entry_point()
    {
        var engine = Engine(L.Account(1), L.Account(2));
        engine.Apply(L.Transfer(10, 1, 2, 5));
        engine.CorruptAccountForTests(1, (ref Account a) => a.Reserved = 1);
        Assert.Throws<LedgerInvariantException>(engine.Audit);
        Assert.Throws<LedgerInvariantException>(() => engine.Create(L.Account(3)));
        Assert.Throws<LedgerInvariantException>(() => engine.Apply(L.Transfer(11, 1, 2, 5)));
        Assert.Throws<LedgerInvariantException>(() => engine.ExpirePendingTransfers(engine.LastTimestamp + 1));
        Assert.Throws<LedgerInvariantException>(() => engine.WriteSnapshot(new MemoryStream()));
        Assert.Throws<LedgerInvariantException>(() => engine.ComputeStateHash());
        Assert.Throws<LedgerInvariantException>(engine.Audit);
        Assert.Equal(1, engine.TransferCount);
    }

    [Fact]
    public void The_corruption_hook_books_each_balance_change_in_the_ledger_totals()
    {
        var engine = Engine(L.Account(1), L.Account(2));
        engine.Apply(L.Transfer(10, 1, 2, 100), L.Transfer(11, 2, 1, 30, flags: TransferFlags.Pending));
        Assert.True(engine.TryGetLedgerTotals(1, out var before));
        Assert.Equal(new LedgerTotals(1, 2, 30, 100, 30, 100), before);
        engine.CorruptAccountForTests(1, (ref Account a) =>
        {
            a.DebitsPending += 1;
            a.DebitsPosted += 2;
            a.CreditsPending += 3;
            a.CreditsPosted += 4;
        });
        Assert.True(engine.TryGetLedgerTotals(1, out var after));
        Assert.Equal(new LedgerTotals(1, 2, 31, 102, 33, 104), after);
        Assert.False(engine.TryGetLedgerTotals(2, out var none));
        Assert.Equal(default, none);
    }

    private static void AssertAuditFinds(LedgerEngine engine, UInt128 id, LedgerEngine.AccountMutation corrupt, string invariant)
    {
        engine.Audit();   // sound before
        engine.CorruptAccountForTests(id, corrupt);
        var e = Assert.Throws<LedgerInvariantException>(engine.Audit);
        Assert.Contains(invariant, e.Message, StringComparison.Ordinal);
    }

    private static LedgerEngine Three()
    {
        var engine = Engine(L.Account(1), L.Account(2), L.Account(3, ledger: 2));
        engine.ApplyAt(10, L.Transfer(10, 1, 2, 5));
        return engine;
    }

    [Fact]
    public void The_audit_checks_each_account_field_on_its_own()
    {
        AssertAuditFinds(Three(), 1, (ref Account a) => a.Reserved = 1, "a.Reserved == 0");
        AssertAuditFinds(Three(), 2, (ref Account a) => a.Code = 0, "a.Code != 0");
        AssertAuditFinds(Three(), 1, (ref Account a) => a.Flags = (AccountFlags)0x8000, "AccountFlagsDefined");
        AssertAuditFinds(Three(), 3, (ref Account a) => a.Ledger = 7, "_accountLedgerSlot");
    }

    [Fact]
    public void The_audit_checks_account_timestamps_are_increasing_and_not_in_the_future()
    {
        // Accounts 1..3 have timestamps 1..3.
        AssertAuditFinds(Three(), 2, (ref Account a) => a.Timestamp = 1, "a.Timestamp > previous");
        var engine = Three();
        AssertAuditFinds(engine, 3, (ref Account a) => a.Timestamp = engine.LastTimestamp + 1, "a.Timestamp <= _lastTimestamp");
    }

    [Fact]
    public void The_audit_checks_the_limits_of_every_account()
    {
        // Account 1 is overdrawn, which is legal without a limit flag; giving it the flag afterwards is what an
        // apply-path bug would look like: the balances still match their transfers, only the limit is broken.
        AssertAuditFinds(Three(), 1, (ref Account a) => a.Flags = AccountFlags.DebitsMustNotExceedCredits, "a.DebitsPending + a.DebitsPosted <= a.CreditsPosted");
        AssertAuditFinds(Three(), 2, (ref Account a) => a.Flags = AccountFlags.CreditsMustNotExceedDebits, "a.CreditsPending + a.CreditsPosted <= a.DebitsPosted");
    }
}
