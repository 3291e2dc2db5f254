using System.Reflection;
using BitCurrent.Ledger;

namespace BitCurrent.Ledger.Tests;

/// <summary>
/// Result codes as tables in the order the checks fire (TigerBeetle's state machine tests): each row is an input and
/// the one code it must get, against a fresh copy of the same world. Many rows also break later checks, to show
/// that the earlier one wins; the tables themselves must follow the enums' declaration (precedence) order.
/// </summary>
public class PrecedenceTests
{
    private static readonly UInt128 Max = UInt128.MaxValue;
    private static readonly UInt128 Half = UInt128.One << 127;
    private const ulong FarFuture = 1UL << 62;

    private sealed record TransferRow(string Name, Transfer[] Batch, int Index, CreateTransferResult Expected, ulong Timestamp = 0, bool Full = false);

    private sealed record AccountRow(string Name, Account[] Batch, int Index, CreateAccountResult Expected, bool Full = false);

    private static Transfer T(UInt128 id, UInt128 debit, UInt128 credit, UInt128 amount, TransferFlags flags = TransferFlags.None,
        uint ledger = 1, ushort code = 1, UInt128 pendingId = default, uint timeout = 0) =>
        L.Transfer(id, debit, credit, amount, ledger, code, flags, pendingId, timeout);

    private static TransferRow Row(string name, Transfer t, CreateTransferResult expected, ulong timestamp = 0, bool full = false) =>
        new(name, [t], 0, expected, timestamp, full);

    private static readonly Transfer Existing = T(100, 1, 2, 10) with { UserData128 = 1, UserData64 = 2, UserData32 = 3 };

    /// <summary>Accounts 1..13 and transfers 100..113 (see the comments); 11 transfers in all.</summary>
    private static LedgerEngine TransferWorld(bool full)
    {
        var engine = L.Engine(transfers: full ? 11 : 1024);
        engine.CreateAccounts(
        [
            L.Account(1), L.Account(2), L.Account(3, flags: AccountFlags.DebitsMustNotExceedCredits),
            L.Account(4, flags: AccountFlags.CreditsMustNotExceedDebits), L.Account(5, ledger: 2), L.Account(6, flags: AccountFlags.Closed),
            L.Account(8), L.Account(9), L.Account(10), L.Account(11), L.Account(12), L.Account(13),
        ], 1, new CreateAccountResult[12]);
        var results = engine.ApplyAt(100,
            Existing,
            T(101, 1, 2, 10, TransferFlags.Pending),
            T(102, 1, 2, 10, TransferFlags.Pending, timeout: 1),
            T(103, 1, 2, 10, TransferFlags.Pending), L.Post(104, 103),
            T(105, 1, 2, 10, TransferFlags.Pending), L.Void(106, 105),
            T(110, 8, 9, Max),                              // 8: debits_posted = max, 9: credits_posted = max
            T(111, 10, 11, Max, TransferFlags.Pending),     // 10: debits_pending = max, 11: credits_pending = max
            T(112, 12, 13, Half, TransferFlags.Pending),    // 12: debits 2^127 pending + (2^127 - 1) posted = max
            T(113, 12, 13, Half - 1));                      // 13: credits likewise
        Assert.All(results, r => Assert.Equal(CreateTransferResult.Ok, r));
        return engine;
    }

    private static readonly TransferRow[] TransferTable =
    [
        Row("linked flag on the last item", T(0, 0, 0, 0, TransferFlags.Linked), CreateTransferResult.LinkedEventChainOpen),
        new("another item of the chain failed", [T(50, 1, 2, 1, TransferFlags.Linked), T(0, 1, 2, 1)], 0, CreateTransferResult.LinkedEventFailed),
        Row("timestamp set", T(0, 0, 0, 0, (TransferFlags)(1 << 8)) with { Timestamp = 1 }, CreateTransferResult.TimestampMustBeZero),
        Row("undefined flag bit", T(0, 0, 0, 0, (TransferFlags)(1 << 8)), CreateTransferResult.ReservedFlag),
        Row("id zero", T(0, 0, 0, 0, TransferFlags.Pending | TransferFlags.PostPendingTransfer), CreateTransferResult.IdMustNotBeZero),
        Row("id max", T(Max, 0, 0, 0, TransferFlags.Pending | TransferFlags.PostPendingTransfer), CreateTransferResult.IdMustNotBeIntMax),
        Row("pending and post", T(200, 0, 0, 0, TransferFlags.Pending | TransferFlags.PostPendingTransfer), CreateTransferResult.FlagsAreMutuallyExclusive),
        Row("post and balancing", L.Post(200, 101) with { Flags = TransferFlags.PostPendingTransfer | TransferFlags.BalancingDebit }, CreateTransferResult.FlagsAreMutuallyExclusive),
        Row("pending id on a plain transfer", T(200, 0, 0, 0, pendingId: 101, timeout: 1), CreateTransferResult.PendingIdMustBeZero),
        Row("post without pending id", L.Post(200, 0) with { TimeoutSeconds = 1 }, CreateTransferResult.PendingIdMustNotBeZero),
        Row("pending id max", L.Post(200, Max) with { TimeoutSeconds = 1 }, CreateTransferResult.PendingIdMustNotBeIntMax),
        Row("pending id is own id", L.Post(200, 200) with { TimeoutSeconds = 1 }, CreateTransferResult.PendingIdMustBeDifferent),
        Row("timeout on a plain transfer", T(200, 0, 0, 0, TransferFlags.ClosingDebit, timeout: 1), CreateTransferResult.TimeoutReservedForPendingTransfer),
        Row("closing without pending", T(200, 0, 0, 0, TransferFlags.ClosingDebit), CreateTransferResult.ClosingTransferMustBePending),
        Row("debit account zero", T(200, 0, 0, 0), CreateTransferResult.DebitAccountIdMustNotBeZero),
        Row("debit account max", T(200, Max, 0, 0), CreateTransferResult.DebitAccountIdMustNotBeIntMax),
        Row("credit account zero", T(200, 1, 0, 0), CreateTransferResult.CreditAccountIdMustNotBeZero),
        Row("credit account max", T(200, 1, Max, 0), CreateTransferResult.CreditAccountIdMustNotBeIntMax),
        Row("same account", T(200, 1, 1, 0, ledger: 0), CreateTransferResult.AccountsMustBeDifferent),
        Row("amount zero", T(200, 1, 2, 0, ledger: 0), CreateTransferResult.AmountMustNotBeZero),
        Row("ledger zero", T(200, 1, 2, 1, ledger: 0, code: 0), CreateTransferResult.LedgerMustNotBeZero),
        Row("code zero", T(200, 98, 99, 1, code: 0), CreateTransferResult.CodeMustNotBeZero),
        Row("exists, flags differ", Existing with { Flags = TransferFlags.Pending, Amount = 11 }, CreateTransferResult.ExistsWithDifferentFlags),
        Row("exists, pending id differs", L.Post(104, 101), CreateTransferResult.ExistsWithDifferentPendingId),
        Row("exists, timeout differs", T(101, 1, 2, 11, TransferFlags.Pending, timeout: 5), CreateTransferResult.ExistsWithDifferentTimeout),
        Row("exists, debit account differs", Existing with { DebitAccountId = 3, Amount = 11 }, CreateTransferResult.ExistsWithDifferentDebitAccountId),
        Row("exists, credit account differs", Existing with { CreditAccountId = 3, Amount = 11 }, CreateTransferResult.ExistsWithDifferentCreditAccountId),
        Row("exists, amount differs", Existing with { Amount = 11, UserData128 = 9 }, CreateTransferResult.ExistsWithDifferentAmount),
        Row("exists, user_data_128 differs", Existing with { UserData128 = 9, UserData64 = 9 }, CreateTransferResult.ExistsWithDifferentUserData128),
        Row("exists, user_data_64 differs", Existing with { UserData64 = 9, UserData32 = 9 }, CreateTransferResult.ExistsWithDifferentUserData64),
        Row("exists, user_data_32 differs", Existing with { UserData32 = 9, Ledger = 2 }, CreateTransferResult.ExistsWithDifferentUserData32),
        Row("exists, ledger differs", Existing with { Ledger = 2, Code = 2 }, CreateTransferResult.ExistsWithDifferentLedger),
        Row("exists, code differs", Existing with { Code = 2 }, CreateTransferResult.ExistsWithDifferentCode),
        Row("exists", Existing, CreateTransferResult.Exists),
        Row("debit account missing", T(200, 98, 99, 1), CreateTransferResult.DebitAccountNotFound),
        Row("credit account missing", T(200, 1, 99, 1), CreateTransferResult.CreditAccountNotFound),
        Row("accounts on two ledgers", T(200, 1, 5, 1), CreateTransferResult.AccountsMustHaveTheSameLedger),
        Row("transfer on another ledger", T(200, 3, 4, 1, ledger: 2), CreateTransferResult.TransferMustHaveTheSameLedgerAsAccounts),
        Row("pending transfer missing", L.Post(200, 999), CreateTransferResult.PendingTransferNotFound),
        Row("pending transfer is not pending", L.Post(200, 100), CreateTransferResult.PendingTransferNotPending),
        Row("post names another debit account", L.Post(200, 101) with { DebitAccountId = 3, Ledger = 2 }, CreateTransferResult.PendingTransferHasDifferentDebitAccountId),
        Row("post names another credit account", L.Post(200, 101) with { CreditAccountId = 3, Ledger = 2 }, CreateTransferResult.PendingTransferHasDifferentCreditAccountId),
        Row("post names another ledger", L.Post(200, 101) with { Ledger = 2, Code = 2 }, CreateTransferResult.PendingTransferHasDifferentLedger),
        Row("post names another code", L.Post(200, 101, 11) with { Code = 2 }, CreateTransferResult.PendingTransferHasDifferentCode),
        Row("post exceeds the pending amount", L.Post(200, 103, 11), CreateTransferResult.ExceedsPendingTransferAmount),
        Row("partial void", L.Void(200, 103) with { Amount = 5 }, CreateTransferResult.PendingTransferHasDifferentAmount),
        Row("already posted", L.Void(200, 103), CreateTransferResult.PendingTransferAlreadyPosted),
        Row("already voided", L.Post(200, 105), CreateTransferResult.PendingTransferAlreadyVoided),
        Row("expired", L.Post(200, 102), CreateTransferResult.PendingTransferExpired, timestamp: 2 * L.Second),
        Row("debit account closed", T(200, 6, 4, 1), CreateTransferResult.DebitAccountAlreadyClosed),
        Row("credit account closed", T(200, 3, 6, 1), CreateTransferResult.CreditAccountAlreadyClosed),
        Row("pending debits overflow", T(200, 10, 11, 1, TransferFlags.Pending), CreateTransferResult.OverflowsDebitsPending),
        Row("pending credits overflow", T(200, 3, 11, 1, TransferFlags.Pending), CreateTransferResult.OverflowsCreditsPending),
        Row("posted debits overflow", T(200, 8, 9, 1), CreateTransferResult.OverflowsDebitsPosted),
        Row("posted credits overflow", T(200, 3, 9, 1), CreateTransferResult.OverflowsCreditsPosted),
        Row("debits overflow", T(200, 12, 13, 1), CreateTransferResult.OverflowsDebits),
        Row("credits overflow", T(200, 3, 13, 1), CreateTransferResult.OverflowsCredits),
        Row("timeout overflows", T(200, 3, 4, 1, TransferFlags.Pending, timeout: 10), CreateTransferResult.OverflowsTimeout, timestamp: ulong.MaxValue - L.Second),
        Row("debits exceed credits", T(200, 3, 4, 1), CreateTransferResult.ExceedsCredits),
        Row("balancing debit finds nothing", T(200, 3, 4, 1, TransferFlags.BalancingDebit | TransferFlags.BalancingCredit), CreateTransferResult.ExceedsCredits),
        Row("credits exceed debits", T(200, 1, 4, 1), CreateTransferResult.ExceedsDebits),
        Row("balancing credit finds nothing", T(200, 1, 4, 1, TransferFlags.BalancingCredit), CreateTransferResult.ExceedsDebits),
        Row("store full", T(200, 1, 2, 1), CreateTransferResult.TransferCapacityExceeded, full: true),
    ];

    [Fact]
    public void Transfer_results_follow_the_table()
    {
        var failures = new List<string>();
        foreach (var row in TransferTable)
        {
            var engine = TransferWorld(row.Full);
            var timestamp = row.Timestamp != 0 ? row.Timestamp : engine.LastTimestamp + 1;
            var results = engine.ApplyAt(timestamp, row.Batch);
            if (results[row.Index] != row.Expected) failures.Add($"{row.Name}: expected {row.Expected}, got {results[row.Index]}");
            if (engine.TransferCount != 11) failures.Add($"{row.Name}: something was applied");
            engine.Audit();
        }
        Assert.Empty(failures);
    }

    [Fact]
    public void The_transfer_table_is_in_precedence_order_and_covers_every_code()
    {
        AssertInDeclarationOrder(Array.ConvertAll(TransferTable, r => r.Expected));
        var covered = new HashSet<CreateTransferResult>(Array.ConvertAll(TransferTable, r => r.Expected)) { CreateTransferResult.Ok };
        Assert.Equal(Enum.GetValues<CreateTransferResult>().Length, covered.Count);
    }

    private static readonly Account Known = L.Account(1, flags: AccountFlags.History) with { UserData128 = 1, UserData64 = 2, UserData32 = 3 };

    private static AccountRow ARow(string name, Account a, CreateAccountResult expected, bool full = false) => new(name, [a], 0, expected, full);

    private static readonly AccountRow[] AccountTable =
    [
        ARow("linked flag on the last item", L.Account(0, flags: AccountFlags.Linked), CreateAccountResult.LinkedEventChainOpen),
        new("another item of the chain failed", [L.Account(50, flags: AccountFlags.Linked), L.Account(0)], 0, CreateAccountResult.LinkedEventFailed),
        ARow("timestamp set", L.Account(0) with { Timestamp = 1, Reserved = 1 }, CreateAccountResult.TimestampMustBeZero),
        ARow("reserved field", L.Account(0) with { Reserved = 1, Flags = (AccountFlags)(1 << 4) }, CreateAccountResult.ReservedField),
        ARow("undefined flag bit", L.Account(0, flags: (AccountFlags)(1 << 4)), CreateAccountResult.ReservedFlag),
        ARow("id zero", L.Account(0, flags: AccountFlags.DebitsMustNotExceedCredits | AccountFlags.CreditsMustNotExceedDebits), CreateAccountResult.IdMustNotBeZero),
        ARow("id max", L.Account(Max, flags: AccountFlags.DebitsMustNotExceedCredits | AccountFlags.CreditsMustNotExceedDebits), CreateAccountResult.IdMustNotBeIntMax),
        ARow("limits both ways", L.Account(60, flags: AccountFlags.DebitsMustNotExceedCredits | AccountFlags.CreditsMustNotExceedDebits) with { DebitsPending = 1 }, CreateAccountResult.FlagsAreMutuallyExclusive),
        ARow("debits pending set", L.Account(60) with { DebitsPending = 1, DebitsPosted = 1 }, CreateAccountResult.DebitsPendingMustBeZero),
        ARow("debits posted set", L.Account(60) with { DebitsPosted = 1, CreditsPending = 1 }, CreateAccountResult.DebitsPostedMustBeZero),
        ARow("credits pending set", L.Account(60) with { CreditsPending = 1, CreditsPosted = 1 }, CreateAccountResult.CreditsPendingMustBeZero),
        ARow("credits posted set", L.Account(60, ledger: 0) with { CreditsPosted = 1 }, CreateAccountResult.CreditsPostedMustBeZero),
        ARow("ledger zero", L.Account(60, ledger: 0, code: 0), CreateAccountResult.LedgerMustNotBeZero),
        ARow("code zero", L.Account(1, code: 0), CreateAccountResult.CodeMustNotBeZero),
        ARow("exists, flags differ", Known with { Flags = AccountFlags.None, UserData128 = 9 }, CreateAccountResult.ExistsWithDifferentFlags),
        ARow("exists, user_data_128 differs", Known with { UserData128 = 9, UserData64 = 9 }, CreateAccountResult.ExistsWithDifferentUserData128),
        ARow("exists, user_data_64 differs", Known with { UserData64 = 9, UserData32 = 9 }, CreateAccountResult.ExistsWithDifferentUserData64),
        ARow("exists, user_data_32 differs", Known with { UserData32 = 9, Ledger = 9 }, CreateAccountResult.ExistsWithDifferentUserData32),
        ARow("exists, ledger differs", Known with { Ledger = 9, Code = 9 }, CreateAccountResult.ExistsWithDifferentLedger),
        ARow("exists, code differs", Known with { Code = 9 }, CreateAccountResult.ExistsWithDifferentCode),
        ARow("exists", Known, CreateAccountResult.Exists, full: true),
        ARow("new ledger, ledgers full", L.Account(60, ledger: 9), CreateAccountResult.LedgerCapacityExceeded, full: true),
        ARow("accounts full", L.Account(60), CreateAccountResult.AccountCapacityExceeded, full: true),
    ];

    [Fact]
    public void Account_results_follow_the_table()
    {
        var failures = new List<string>();
        foreach (var row in AccountTable)
        {
            var engine = row.Full ? L.Engine(accounts: 1, ledgers: 1) : L.Engine();
            engine.Create(Known);
            var results = new CreateAccountResult[row.Batch.Length];
            engine.CreateAccounts(row.Batch, engine.LastTimestamp + 1, results);
            if (results[row.Index] != row.Expected) failures.Add($"{row.Name}: expected {row.Expected}, got {results[row.Index]}");
            if (engine.AccountCount != 1) failures.Add($"{row.Name}: something was applied");
        }
        Assert.Empty(failures);
    }

    [Fact]
    public void The_account_table_is_in_precedence_order_and_covers_every_code()
    {
        AssertInDeclarationOrder(Array.ConvertAll(AccountTable, r => r.Expected));
        var covered = new HashSet<CreateAccountResult>(Array.ConvertAll(AccountTable, r => r.Expected)) { CreateAccountResult.Ok };
        Assert.Equal(Enum.GetValues<CreateAccountResult>().Length, covered.Count);
    }

    private static void AssertInDeclarationOrder<T>(T[] codes) where T : struct, Enum
    {
        var order = new Dictionary<T, int>();
        var fields = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static);
        for (var i = 0; i < fields.Length; i++) order[(T)fields[i].GetValue(null)!] = i;
        for (var i = 1; i < codes.Length; i++) Assert.True(order[codes[i - 1]] <= order[codes[i]], $"{codes[i - 1]} is listed before {codes[i]}");
    }
}
