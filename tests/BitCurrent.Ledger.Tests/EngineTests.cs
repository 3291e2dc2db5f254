using BitCurrent.Ledger;

namespace BitCurrent.Ledger.Tests;

public class EngineTests
{
    private static LedgerEngine WithAccounts(params Account[] accounts)
    {
        var engine = L.Engine();
        Assert.All(engine.Create(accounts), r => Assert.Equal(CreateAccountResult.Ok, r));
        return engine;
    }

    private static LedgerEngine TwoAccounts(AccountFlags debitFlags = AccountFlags.None, AccountFlags creditFlags = AccountFlags.None) =>
        WithAccounts(L.Account(1, flags: debitFlags), L.Account(2, flags: creditFlags));

    [Fact]
    public void Accounts_are_created_once_and_a_retry_reports_exists()
    {
        var engine = L.Engine();
        Assert.Equal([CreateAccountResult.Ok, CreateAccountResult.Ok], engine.Create(L.Account(1), L.Account(2)));
        Assert.Equal([CreateAccountResult.Exists], engine.Create(L.Account(1)));
        Assert.Equal([CreateAccountResult.ExistsWithDifferentCode], engine.Create(L.Account(1, code: 9)));
        Assert.Equal([CreateAccountResult.ExistsWithDifferentLedger], engine.Create(L.Account(1, ledger: 9)));
        Assert.Equal([CreateAccountResult.ExistsWithDifferentFlags], engine.Create(L.Account(1, flags: AccountFlags.History)));
        Assert.Equal(2, engine.AccountCount);
    }

    [Fact]
    public void Each_item_gets_the_batch_timestamp_plus_its_index()
    {
        var engine = L.Engine();
        engine.CreateAccounts([L.Account(1), L.Account(2), L.Account(3)], 1000, new CreateAccountResult[3]);
        Assert.Equal(1000UL, engine.Get(1).Timestamp);
        Assert.Equal(1002UL, engine.Get(3).Timestamp);
        Assert.Equal(1002UL, engine.LastTimestamp);
        engine.CreateTransfers([L.Transfer(10, 1, 2, 5), L.Transfer(11, 2, 3, 5)], 2000, new CreateTransferResult[2]);
        Assert.True(engine.TryGetTransfer(11, out var t));
        Assert.Equal(2001UL, t.Timestamp);
    }

    [Fact]
    public void A_batch_timestamp_that_does_not_increase_is_refused_before_anything_changes()
    {
        var engine = TwoAccounts();
        engine.ApplyAt(5000, L.Transfer(10, 1, 2, 5));
        var e = Assert.Throws<LedgerInvariantException>(() => engine.ApplyAt(5000, L.Transfer(11, 1, 2, 5)));
        Assert.Contains("5000", e.Message, StringComparison.Ordinal);
        Assert.False(engine.TryGetTransfer(11, out _));
        Assert.Equal([CreateTransferResult.Ok], engine.ApplyAt(5001, L.Transfer(11, 1, 2, 5)));
    }

    [Fact]
    public void Batch_size_and_results_length_are_checked()
    {
        var engine = L.Engine(batch: 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.CreateAccounts(new Account[3], 1, new CreateAccountResult[3]));
        Assert.Throws<ArgumentException>(() => engine.CreateAccounts(new Account[2], 1, new CreateAccountResult[1]));
        Assert.Equal(0UL, engine.LastTimestamp);
    }

    [Fact]
    public void A_transfer_moves_posted_balances_and_a_retry_applies_nothing()
    {
        var engine = TwoAccounts();
        var transfer = L.Transfer(10, 1, 2, 100) with { UserData128 = 7, UserData64 = 8, UserData32 = 9 };
        Assert.Equal([CreateTransferResult.Ok], engine.Apply(transfer));
        Assert.Equal([CreateTransferResult.Exists], engine.Apply(transfer));
        Assert.Equal([CreateTransferResult.ExistsWithDifferentAmount], engine.Apply(transfer with { Amount = 101 }));
        Assert.Equal([CreateTransferResult.ExistsWithDifferentUserData64], engine.Apply(transfer with { UserData64 = 1 }));
        Assert.Equal([CreateTransferResult.ExistsWithDifferentCreditAccountId], engine.Apply(transfer with { CreditAccountId = 3 }));
        Assert.Equal((UInt128.Zero, (UInt128)100, UInt128.Zero, UInt128.Zero), engine.Balances(1));
        Assert.Equal((UInt128.Zero, UInt128.Zero, UInt128.Zero, (UInt128)100), engine.Balances(2));
        Assert.Equal(1, engine.TransferCount);
        Assert.True(engine.TryGetLedgerTotals(1, out var totals));
        Assert.Equal((UInt128)100, totals.DebitsPosted);
        Assert.Equal(totals.DebitsPosted, totals.CreditsPosted);
        engine.Audit();
    }

    [Fact]
    public void Duplicate_ids_in_one_batch_apply_the_first_and_report_exists_for_the_second()
    {
        var engine = TwoAccounts();
        Assert.Equal([CreateTransferResult.Ok, CreateTransferResult.Exists, CreateTransferResult.ExistsWithDifferentAmount],
            engine.Apply(L.Transfer(10, 1, 2, 5), L.Transfer(10, 1, 2, 5), L.Transfer(10, 1, 2, 6)));
        Assert.Equal((UInt128)5, engine.Get(2).CreditsPosted);
    }

    [Fact]
    public void Limits_reject_overdrafts()
    {
        var engine = WithAccounts(L.Account(1), L.Account(2, flags: AccountFlags.DebitsMustNotExceedCredits),
            L.Account(3, flags: AccountFlags.CreditsMustNotExceedDebits));
        Assert.Equal([CreateTransferResult.ExceedsCredits], engine.Apply(L.Transfer(10, 2, 1, 1)));
        Assert.Equal([CreateTransferResult.Ok], engine.Apply(L.Transfer(11, 1, 2, 50)));
        Assert.Equal([CreateTransferResult.ExceedsCredits], engine.Apply(L.Transfer(12, 2, 1, 51)));
        Assert.Equal([CreateTransferResult.Ok], engine.Apply(L.Transfer(13, 2, 1, 50)));
        Assert.Equal([CreateTransferResult.ExceedsDebits], engine.Apply(L.Transfer(14, 1, 3, 1)));
        Assert.Equal([CreateTransferResult.Ok, CreateTransferResult.Ok], engine.Apply(L.Transfer(15, 3, 1, 4), L.Transfer(16, 1, 3, 4)));
    }

    [Fact]
    public void Pending_debits_count_against_the_limit()
    {
        var engine = WithAccounts(L.Account(1), L.Account(2, flags: AccountFlags.DebitsMustNotExceedCredits));
        engine.Apply(L.Transfer(10, 1, 2, 100));
        Assert.Equal([CreateTransferResult.Ok], engine.Apply(L.Transfer(11, 2, 1, 70, flags: TransferFlags.Pending)));
        Assert.Equal([CreateTransferResult.ExceedsCredits], engine.Apply(L.Transfer(12, 2, 1, 31)));
        Assert.Equal([CreateTransferResult.Ok], engine.Apply(L.Transfer(13, 2, 1, 30)));
    }

    [Fact]
    public void A_pending_transfer_is_posted_in_full_with_amount_zero()
    {
        var engine = TwoAccounts();
        engine.Apply(L.Transfer(10, 1, 2, 100, flags: TransferFlags.Pending));
        Assert.Equal(((UInt128)100, UInt128.Zero, UInt128.Zero, UInt128.Zero), engine.Balances(1));
        Assert.Equal(PendingStatus.Pending, engine.GetPendingStatus(10));
        Assert.Equal([CreateTransferResult.Ok], engine.Apply(L.Post(11, 10)));
        Assert.Equal((UInt128.Zero, (UInt128)100, UInt128.Zero, UInt128.Zero), engine.Balances(1));
        Assert.Equal(PendingStatus.Posted, engine.GetPendingStatus(10));
        Assert.True(engine.TryGetTransfer(11, out var post));
        Assert.Equal((UInt128)100, post.Amount);
        Assert.Equal((UInt128)1, post.DebitAccountId);
        Assert.Equal(1u, post.Ledger);
        Assert.Equal([CreateTransferResult.Exists], engine.Apply(L.Post(11, 10)));
        Assert.Equal([CreateTransferResult.Exists], engine.Apply(L.Post(11, 10, 100)));
        Assert.Equal([CreateTransferResult.PendingTransferAlreadyPosted], engine.Apply(L.Post(12, 10)));
        Assert.Equal([CreateTransferResult.PendingTransferAlreadyPosted], engine.Apply(L.Void(13, 10)));
        engine.Audit();
    }

    [Fact]
    public void A_partial_post_releases_the_rest()
    {
        var engine = TwoAccounts();
        engine.Apply(L.Transfer(10, 1, 2, 100, flags: TransferFlags.Pending));
        Assert.Equal([CreateTransferResult.ExceedsPendingTransferAmount], engine.Apply(L.Post(11, 10, 101)));
        Assert.Equal([CreateTransferResult.Ok], engine.Apply(L.Post(11, 10, 30)));
        Assert.Equal((UInt128.Zero, (UInt128)30, UInt128.Zero, UInt128.Zero), engine.Balances(1));
        Assert.Equal((UInt128.Zero, UInt128.Zero, UInt128.Zero, (UInt128)30), engine.Balances(2));
    }

    [Fact]
    public void A_void_releases_the_pending_amount()
    {
        var engine = TwoAccounts();
        engine.Apply(L.Transfer(10, 1, 2, 100, flags: TransferFlags.Pending));
        Assert.Equal([CreateTransferResult.PendingTransferHasDifferentAmount], engine.Apply(L.Void(11, 10) with { Amount = 50 }));
        Assert.Equal([CreateTransferResult.Ok], engine.Apply(L.Void(11, 10)));
        Assert.Equal((UInt128.Zero, UInt128.Zero, UInt128.Zero, UInt128.Zero), engine.Balances(1));
        Assert.Equal(PendingStatus.Voided, engine.GetPendingStatus(10));
        Assert.Equal([CreateTransferResult.PendingTransferAlreadyVoided], engine.Apply(L.Post(12, 10)));
    }

    [Fact]
    public void A_post_must_agree_with_the_pending_transfer()
    {
        var engine = WithAccounts(L.Account(1), L.Account(2), L.Account(3));
        engine.Apply(L.Transfer(10, 1, 2, 100, flags: TransferFlags.Pending), L.Transfer(20, 1, 2, 5));
        Assert.Equal([CreateTransferResult.PendingTransferNotFound], engine.Apply(L.Post(11, 99)));
        Assert.Equal([CreateTransferResult.PendingTransferNotPending], engine.Apply(L.Post(11, 20)));
        Assert.Equal([CreateTransferResult.PendingTransferHasDifferentDebitAccountId], engine.Apply(L.Post(11, 10) with { DebitAccountId = 3 }));
        Assert.Equal([CreateTransferResult.PendingTransferHasDifferentCreditAccountId], engine.Apply(L.Post(11, 10) with { CreditAccountId = 3 }));
        Assert.Equal([CreateTransferResult.PendingTransferHasDifferentLedger], engine.Apply(L.Post(11, 10) with { Ledger = 2 }));
        Assert.Equal([CreateTransferResult.PendingTransferHasDifferentCode], engine.Apply(L.Post(11, 10) with { Code = 2 }));
        Assert.Equal([CreateTransferResult.Ok], engine.Apply(L.Post(11, 10) with { DebitAccountId = 1, CreditAccountId = 2, Ledger = 1, Code = 1 }));
    }

    [Fact]
    public void A_pending_transfer_expires_by_batch_timestamps_only()
    {
        var engine = TwoAccounts();
        engine.ApplyAt(10 * L.Second, L.Transfer(10, 1, 2, 100, flags: TransferFlags.Pending, timeoutSeconds: 5));
        Assert.Equal(1, engine.PendingWithTimeoutCount);
        // Before the expiry nothing happens, however much real time passes.
        Assert.Equal(0, engine.ExpirePendingTransfers((15 * L.Second) - 2));
        Assert.Equal(PendingStatus.Pending, engine.GetPendingStatus(10));
        // A post whose own timestamp is past the expiry fails even before the sweep.
        Assert.Equal([CreateTransferResult.Ok, CreateTransferResult.PendingTransferExpired],
            engine.ApplyAt((15 * L.Second) - 1, L.Transfer(30, 1, 2, 1), L.Post(11, 10)));
        Assert.Equal(PendingStatus.Pending, engine.GetPendingStatus(10));
        Assert.Equal(1, engine.ExpirePendingTransfers((15 * L.Second) + 1));
        Assert.Equal(PendingStatus.Expired, engine.GetPendingStatus(10));
        Assert.Equal((UInt128.Zero, (UInt128)1, UInt128.Zero, UInt128.Zero), engine.Balances(1));
        Assert.Equal([CreateTransferResult.PendingTransferExpired], engine.Apply(L.Void(12, 10)));
        engine.Audit();
    }

    [Fact]
    public void A_batch_expires_due_pending_transfers_before_its_items()
    {
        var engine = WithAccounts(L.Account(1), L.Account(2, flags: AccountFlags.DebitsMustNotExceedCredits));
        engine.ApplyAt(L.Second, L.Transfer(9, 1, 2, 100));
        engine.ApplyAt(2 * L.Second, L.Transfer(10, 2, 1, 100, flags: TransferFlags.Pending, timeoutSeconds: 1));
        Assert.Equal([CreateTransferResult.ExceedsCredits], engine.ApplyAt((3 * L.Second) - 1, L.Transfer(11, 2, 1, 100)));
        Assert.Equal([CreateTransferResult.Ok], engine.ApplyAt(3 * L.Second, L.Transfer(12, 2, 1, 100)));
        Assert.Equal(PendingStatus.Expired, engine.GetPendingStatus(10));
    }

    [Fact]
    public void A_timeout_that_overflows_is_rejected()
    {
        var engine = TwoAccounts();
        Assert.Equal([CreateTransferResult.OverflowsTimeout],
            engine.ApplyAt(ulong.MaxValue - L.Second, L.Transfer(10, 1, 2, 1, flags: TransferFlags.Pending, timeoutSeconds: 2)));
    }

    [Fact]
    public void A_linked_chain_applies_as_one()
    {
        var engine = WithAccounts(L.Account(1), L.Account(2), L.Account(3, flags: AccountFlags.DebitsMustNotExceedCredits));
        var results = engine.Apply(
            L.Transfer(10, 1, 3, 50, flags: TransferFlags.Linked),
            L.Transfer(11, 3, 2, 50, flags: TransferFlags.Linked),
            L.Transfer(12, 1, 2, 1));
        Assert.Equal([CreateTransferResult.Ok, CreateTransferResult.Ok, CreateTransferResult.Ok], results);
        Assert.Equal((UInt128)51, engine.Get(2).CreditsPosted);
    }

    [Fact]
    public void A_failing_chain_is_rolled_back_and_reports_the_failure_where_it_happened()
    {
        var engine = WithAccounts(L.Account(1), L.Account(2), L.Account(3, flags: AccountFlags.DebitsMustNotExceedCredits));
        var before = engine.ComputeStateHash();
        var results = engine.Apply(
            L.Transfer(10, 1, 3, 50, flags: TransferFlags.Linked | TransferFlags.Pending, timeoutSeconds: 60),
            L.Post(11, 10, 20, TransferFlags.Linked),
            L.Transfer(12, 3, 2, 21, flags: TransferFlags.Linked),   // 20 posted: 21 exceeds
            L.Transfer(13, 1, 2, 1),
            L.Transfer(14, 1, 2, 7));
        Assert.Equal([CreateTransferResult.LinkedEventFailed, CreateTransferResult.LinkedEventFailed, CreateTransferResult.ExceedsCredits,
            CreateTransferResult.LinkedEventFailed, CreateTransferResult.Ok], results);
        Assert.False(engine.TryGetTransfer(10, out _));
        Assert.Equal(PendingStatus.None, engine.GetPendingStatus(10));
        Assert.Equal(0, engine.PendingWithTimeoutCount);
        Assert.Equal((UInt128)7, engine.Get(2).CreditsPosted);
        Assert.Equal(UInt128.Zero, engine.Get(3).CreditsPosted);
        engine.Audit();
        Assert.NotEqual(before, engine.ComputeStateHash());
    }

    [Fact]
    public void A_chain_left_open_at_the_end_of_the_batch_fails()
    {
        var engine = TwoAccounts();
        var results = engine.Apply(L.Transfer(10, 1, 2, 1), L.Transfer(11, 1, 2, 1, flags: TransferFlags.Linked), L.Transfer(12, 1, 2, 1, flags: TransferFlags.Linked));
        Assert.Equal([CreateTransferResult.Ok, CreateTransferResult.LinkedEventFailed, CreateTransferResult.LinkedEventChainOpen], results);
        Assert.Equal((UInt128)1, engine.Get(2).CreditsPosted);
    }

    [Fact]
    public void A_retried_chain_reports_exists_first_and_applies_nothing()
    {
        var engine = TwoAccounts();
        Transfer[] chain = [L.Transfer(10, 1, 2, 1, flags: TransferFlags.Linked), L.Transfer(11, 1, 2, 2)];
        Assert.Equal([CreateTransferResult.Ok, CreateTransferResult.Ok], engine.Apply(chain));
        Assert.Equal([CreateTransferResult.Exists, CreateTransferResult.LinkedEventFailed], engine.Apply(chain));
        Assert.Equal((UInt128)3, engine.Get(2).CreditsPosted);
    }

    [Fact]
    public void A_pending_transfer_can_be_posted_within_its_own_chain()
    {
        var engine = TwoAccounts();
        var results = engine.Apply(L.Transfer(10, 1, 2, 9, flags: TransferFlags.Pending | TransferFlags.Linked), L.Post(11, 10, 4));
        Assert.Equal([CreateTransferResult.Ok, CreateTransferResult.Ok], results);
        Assert.Equal((UInt128)4, engine.Get(2).CreditsPosted);
        Assert.Equal(UInt128.Zero, engine.Get(2).CreditsPending);
    }

    [Fact]
    public void Account_chains_fail_as_one()
    {
        var engine = L.Engine();
        var results = engine.Create(L.Account(1, flags: AccountFlags.Linked, ledger: 7), L.Account(2, flags: AccountFlags.Linked), L.Account(0));
        Assert.Equal([CreateAccountResult.LinkedEventFailed, CreateAccountResult.LinkedEventFailed, CreateAccountResult.IdMustNotBeZero], results);
        Assert.Equal(0, engine.AccountCount);
        Assert.Equal(0, engine.LedgerCount);
        Assert.False(engine.TryGetLedgerTotals(7, out _));
        engine.Audit();
    }

    [Fact]
    public void Balancing_transfers_move_only_what_the_limited_side_allows()
    {
        var engine = WithAccounts(L.Account(1), L.Account(2), L.Account(3));
        engine.Apply(L.Transfer(10, 1, 2, 80));
        // Account 2 has 80 posted credits: a balancing debit of up to 100 moves 80.
        Assert.Equal([CreateTransferResult.Ok], engine.Apply(L.Transfer(11, 2, 3, 100, flags: TransferFlags.BalancingDebit)));
        Assert.True(engine.TryGetTransfer(11, out var t));
        Assert.Equal((UInt128)80, t.Amount);
        Assert.Equal([CreateTransferResult.Exists], engine.Apply(L.Transfer(11, 2, 3, 100, flags: TransferFlags.BalancingDebit)));
        Assert.Equal([CreateTransferResult.ExistsWithDifferentAmount], engine.Apply(L.Transfer(11, 2, 3, 79, flags: TransferFlags.BalancingDebit)));
        Assert.Equal([CreateTransferResult.ExceedsCredits], engine.Apply(L.Transfer(12, 2, 3, 1, flags: TransferFlags.BalancingDebit)));
        // Account 1 has 80 posted debits and 0 credits: a balancing credit moves up to 80.
        Assert.Equal([CreateTransferResult.Ok], engine.Apply(L.Transfer(13, 3, 1, 50, flags: TransferFlags.BalancingCredit)));
        Assert.True(engine.TryGetTransfer(13, out t));
        Assert.Equal((UInt128)50, t.Amount);
        Assert.Equal([CreateTransferResult.Ok], engine.Apply(L.Transfer(14, 3, 1, 50, flags: TransferFlags.BalancingCredit)));
        Assert.True(engine.TryGetTransfer(14, out t));
        Assert.Equal((UInt128)30, t.Amount);
        Assert.Equal([CreateTransferResult.ExceedsDebits], engine.Apply(L.Transfer(15, 3, 1, 1, flags: TransferFlags.BalancingCredit)));
        engine.Audit();
    }

    [Fact]
    public void A_closing_transfer_closes_the_account_until_it_is_voided()
    {
        var engine = WithAccounts(L.Account(1), L.Account(2), L.Account(3));
        Assert.Equal([CreateTransferResult.ClosingTransferMustBePending], engine.Apply(L.Transfer(10, 1, 2, 1, flags: TransferFlags.ClosingDebit)));
        Assert.Equal([CreateTransferResult.Ok], engine.Apply(L.Transfer(10, 1, 2, 1, flags: TransferFlags.ClosingDebit | TransferFlags.Pending)));
        Assert.True((engine.Get(1).Flags & AccountFlags.Closed) != 0);
        Assert.Equal([CreateTransferResult.DebitAccountAlreadyClosed], engine.Apply(L.Transfer(11, 1, 3, 1)));
        Assert.Equal([CreateTransferResult.CreditAccountAlreadyClosed], engine.Apply(L.Transfer(11, 3, 1, 1)));
        Assert.Equal([CreateTransferResult.Ok], engine.Apply(L.Void(12, 10)));
        Assert.Equal(AccountFlags.None, engine.Get(1).Flags);
        Assert.Equal([CreateTransferResult.Ok], engine.Apply(L.Transfer(13, 1, 3, 1)));
        // Posting the closing transfer keeps the account closed; a retried create of the account still reports exists.
        engine.Apply(L.Transfer(14, 1, 2, 1, flags: TransferFlags.ClosingDebit | TransferFlags.Pending), L.Post(15, 14));
        Assert.True((engine.Get(1).Flags & AccountFlags.Closed) != 0);
        Assert.Equal([CreateAccountResult.Exists], engine.Create(L.Account(1)));
        engine.Audit();
    }

    [Fact]
    public void An_account_created_closed_takes_no_transfer_and_an_expired_closing_transfer_reopens()
    {
        var engine = WithAccounts(L.Account(1, flags: AccountFlags.Closed), L.Account(2), L.Account(3));
        Assert.Equal([CreateTransferResult.DebitAccountAlreadyClosed], engine.Apply(L.Transfer(10, 1, 2, 1)));
        engine.ApplyAt(L.Second, L.Transfer(11, 2, 3, 1, flags: TransferFlags.ClosingCredit | TransferFlags.Pending, timeoutSeconds: 1));
        Assert.Equal(AccountFlags.Closed, engine.Get(3).Flags);
        engine.ExpirePendingTransfers(2 * L.Second);
        Assert.Equal(AccountFlags.None, engine.Get(3).Flags);
    }

    [Fact]
    public void Full_stores_return_capacity_results_instead_of_growing()
    {
        var engine = L.Engine(accounts: 2, transfers: 2, ledgers: 1);
        Assert.Equal([CreateAccountResult.Ok, CreateAccountResult.LedgerCapacityExceeded, CreateAccountResult.Ok, CreateAccountResult.AccountCapacityExceeded],
            engine.Create(L.Account(1), L.Account(2, ledger: 2), L.Account(3), L.Account(4)));
        Assert.Equal([CreateTransferResult.Ok, CreateTransferResult.Ok, CreateTransferResult.TransferCapacityExceeded, CreateTransferResult.Exists],
            engine.Apply(L.Transfer(10, 1, 3, 1), L.Transfer(11, 1, 3, 1), L.Transfer(12, 1, 3, 1), L.Transfer(10, 1, 3, 1)));
        engine.Audit();
    }

    [Fact]
    public void Lookups_return_found_items_in_request_order()
    {
        var engine = WithAccounts(L.Account(1), L.Account(2));
        engine.Apply(L.Transfer(10, 1, 2, 1), L.Transfer(11, 2, 1, 1));
        var accounts = new Account[3];
        Assert.Equal(2, engine.LookupAccounts([2, 99, 1], accounts));
        Assert.Equal((UInt128)2, accounts[0].Id);
        Assert.Equal((UInt128)1, accounts[1].Id);
        var transfers = new Transfer[3];
        Assert.Equal(2, engine.LookupTransfers([11, 10, 12], transfers));
        Assert.Equal((UInt128)11, transfers[0].Id);
    }

    [Fact]
    public void Account_transfers_are_filtered_by_side_code_time_and_limit()
    {
        var engine = WithAccounts(L.Account(1), L.Account(2), L.Account(3));
        engine.ApplyAt(100, L.Transfer(10, 1, 2, 1), L.Transfer(11, 2, 1, 1, code: 5), L.Transfer(12, 1, 3, 1), L.Transfer(13, 3, 2, 1));
        static UInt128[] Ids(Transfer[] ts) => Array.ConvertAll(ts, t => t.Id);
        Assert.Equal([10, 11, 12], Ids(engine.GetAccountTransfers(1, new AccountFilter())));
        Assert.Equal([10, 12], Ids(engine.GetAccountTransfers(1, new AccountFilter { Flags = AccountFilterFlags.Debits })));
        Assert.Equal([11], Ids(engine.GetAccountTransfers(1, new AccountFilter { Flags = AccountFilterFlags.Credits })));
        Assert.Equal([12, 11], Ids(engine.GetAccountTransfers(1, new AccountFilter { Flags = AccountFilterFlags.Reversed, Limit = 2 })));
        Assert.Equal([11], Ids(engine.GetAccountTransfers(1, new AccountFilter { Code = 5 })));
        Assert.Equal([11, 12], Ids(engine.GetAccountTransfers(1, new AccountFilter { TimestampMin = 101, TimestampMax = 102 })));
        Assert.Empty(engine.GetAccountTransfers(99, new AccountFilter()));
        var query = new Transfer[10];
        Assert.Equal(1, engine.QueryTransfers(new QueryFilter { Code = 5 }, query));
        Assert.Equal(2, engine.QueryTransfers(new QueryFilter { TimestampMin = 102 }, query));
        Assert.Equal((UInt128)12, query[0].Id);
        var accounts = new Account[10];
        Assert.Equal(3, engine.QueryAccounts(new QueryFilter { Ledger = 1 }, accounts));
    }

    [Fact]
    public void History_gives_balances_after_each_transfer_and_at_any_timestamp()
    {
        var engine = WithAccounts(L.Account(1), L.Account(2, flags: AccountFlags.History), L.Account(3));
        engine.ApplyAt(10 * L.Second, L.Transfer(10, 1, 2, 100));
        engine.ApplyAt(20 * L.Second, L.Transfer(11, 2, 3, 30, flags: TransferFlags.Pending, timeoutSeconds: 5));
        engine.ApplyAt(30 * L.Second, L.Transfer(12, 2, 3, 10));  // the pending transfer expires at this batch first
        var rows = engine.GetAccountBalances(2, new AccountFilter());
        Assert.Equal(3, rows.Length);
        Assert.Equal(new AccountBalance(10 * L.Second, 0, 0, 0, 100), rows[0]);
        Assert.Equal(new AccountBalance(20 * L.Second, 30, 0, 0, 100), rows[1]);
        Assert.Equal(new AccountBalance(30 * L.Second, 0, 10, 0, 100), rows[2]);
        var reversed = engine.GetAccountBalances(2, new AccountFilter { Flags = AccountFilterFlags.Reversed, Limit = 2 });
        Assert.Equal([rows[2], rows[1]], reversed);
        Assert.True(engine.TryGetAccountBalanceAt(2, 24 * L.Second, out var at));
        Assert.Equal(new AccountBalance(24 * L.Second, 30, 0, 0, 100), at);
        Assert.True(engine.TryGetAccountBalanceAt(2, engine.LastTimestamp, out at));
        var live = engine.Get(2);
        Assert.Equal((live.DebitsPending, live.DebitsPosted, live.CreditsPending, live.CreditsPosted),
            (at.DebitsPending, at.DebitsPosted, at.CreditsPending, at.CreditsPosted));
        Assert.Empty(engine.GetAccountBalances(1, new AccountFilter()));
        Assert.False(engine.TryGetAccountBalanceAt(1, engine.LastTimestamp, out _));
    }

    [Fact]
    public void A_broken_invariant_stops_the_engine()
    {
        var engine = TwoAccounts();
        engine.Apply(L.Transfer(10, 1, 2, 5));
        engine.CorruptAccountForTests(2, (ref Account a) => a.CreditsPosted += 1);
        var e = Assert.Throws<LedgerInvariantException>(() => engine.Apply(L.Transfer(11, 1, 2, 5)));
        Assert.Contains("CreditsPosted", e.Message, StringComparison.Ordinal);
        Assert.Throws<LedgerInvariantException>(() => engine.Apply(L.Transfer(12, 1, 2, 5)));
        Assert.Throws<LedgerInvariantException>(() => engine.ComputeStateHash());
    }

    [Fact]
    public void The_audit_finds_a_balance_that_does_not_match_its_transfers()
    {
        var engine = TwoAccounts();
        engine.Apply(L.Transfer(10, 1, 2, 5));
        // Both sides moved: the per-batch ledger check cannot see it, the full audit can.
        engine.CorruptAccountForTests(1, (ref Account a) => a.DebitsPosted += 1);
        engine.CorruptAccountForTests(2, (ref Account a) => a.CreditsPosted += 1);
        Assert.Throws<LedgerInvariantException>(() => engine.Audit());
    }
}
