using BitCurrent.Ledger;

namespace BitCurrent.Ledger.Tests;

/// <summary>
/// A naive ledger written for obviousness, not speed (TigerBeetle's auditor, exchange-core's naive order book):
/// dictionaries, a list of checks in precedence order, and a linked chain undone by restoring a full copy of the
/// state taken when the chain opened. The engine must agree with it result by result and balance by balance.
/// </summary>
internal sealed class ReferenceLedger(int accountsMax, int transfersMax, int ledgersMax)
{
    private sealed class State
    {
        public Dictionary<UInt128, Account> Accounts = [];
        public List<UInt128> AccountOrder = [];
        public Dictionary<UInt128, Transfer> Transfers = [];
        public List<UInt128> TransferOrder = [];
        public Dictionary<UInt128, PendingStatus> Status = [];
        public Dictionary<UInt128, ulong> ExpiresAt = [];

        public State Copy() => new()
        {
            Accounts = new(Accounts),
            AccountOrder = [.. AccountOrder],
            Transfers = new(Transfers),
            TransferOrder = [.. TransferOrder],
            Status = new(Status),
            ExpiresAt = new(ExpiresAt),
        };
    }

    private State _s = new();

    public ulong LastTimestamp { get; private set; }

    public IEnumerable<Account> Accounts => _s.AccountOrder.Select(id => _s.Accounts[id]);

    public IEnumerable<Transfer> Transfers => _s.TransferOrder.Select(id => _s.Transfers[id]);

    public PendingStatus StatusOf(UInt128 id) => _s.Status.TryGetValue(id, out var s) ? s : PendingStatus.None;

    public int Expire(ulong timestamp)
    {
        Assert.True(timestamp > LastTimestamp);
        var expired = 0;
        foreach (var id in _s.TransferOrder.ToList())
        {
            if (StatusOf(id) != PendingStatus.Pending || _s.ExpiresAt[id] == 0 || _s.ExpiresAt[id] > timestamp) continue;
            var p = _s.Transfers[id];
            _s.Status[id] = PendingStatus.Expired;
            Change(p.DebitAccountId, a => a with { DebitsPending = a.DebitsPending - p.Amount });
            Change(p.CreditAccountId, a => a with { CreditsPending = a.CreditsPending - p.Amount });
            Reopen(p);
            expired++;
        }
        LastTimestamp = timestamp;
        return expired;
    }

    public CreateAccountResult[] CreateAccounts(Account[] batch, ulong timestamp)
    {
        Expire(timestamp);
        var results = RunBatch(batch, a => (a.Flags & AccountFlags.Linked) != 0, (a, i) => CreateAccount(a, timestamp + (ulong)i),
            CreateAccountResult.Ok, CreateAccountResult.LinkedEventFailed, CreateAccountResult.LinkedEventChainOpen);
        LastTimestamp = batch.Length == 0 ? timestamp : timestamp + (ulong)batch.Length - 1;
        return results;
    }

    public CreateTransferResult[] CreateTransfers(Transfer[] batch, ulong timestamp)
    {
        Expire(timestamp);
        var results = RunBatch(batch, t => (t.Flags & TransferFlags.Linked) != 0, (t, i) => CreateTransfer(t, timestamp + (ulong)i),
            CreateTransferResult.Ok, CreateTransferResult.LinkedEventFailed, CreateTransferResult.LinkedEventChainOpen);
        LastTimestamp = batch.Length == 0 ? timestamp : timestamp + (ulong)batch.Length - 1;
        return results;
    }

    private TResult[] RunBatch<TItem, TResult>(TItem[] batch, Func<TItem, bool> linked, Func<TItem, int, TResult> apply,
        TResult ok, TResult linkedFailed, TResult chainOpen) where TResult : struct, Enum
    {
        var results = new TResult[batch.Length];
        var i = 0;
        while (i < batch.Length)
        {
            if (!linked(batch[i]))
            {
                results[i] = apply(batch[i], i);  // a lone item: checked in full before it changes anything
                i++;
                continue;
            }
            // A chain: the linked items and the first unlinked one after them, or up to the batch end (then it is open).
            var end = i;
            while (end < batch.Length - 1 && linked(batch[end])) end++;
            var open = linked(batch[end]);
            var saved = _s.Copy();
            var failing = -1;
            for (var k = i; k <= end && failing < 0; k++)
            {
                results[k] = open && k == end ? chainOpen : apply(batch[k], k);
                if (!EqualityComparer<TResult>.Default.Equals(results[k], ok)) failing = k;
            }
            if (failing >= 0)
            {
                _s = saved;
                for (var k = i; k <= end; k++)
                {
                    if (k != failing) results[k] = open && k == end ? chainOpen : linkedFailed;
                }
            }
            i = end + 1;
        }
        return results;
    }

    private CreateAccountResult CreateAccount(Account a, ulong timestamp)
    {
        var known = _s.Accounts.TryGetValue(a.Id, out var e);
        const AccountFlags Defined = AccountFlags.Linked | AccountFlags.DebitsMustNotExceedCredits | AccountFlags.CreditsMustNotExceedDebits |
            AccountFlags.History | AccountFlags.Closed;
        var newLedger = !_s.Accounts.Values.Any(x => x.Ledger == a.Ledger);
        var ledgers = _s.Accounts.Values.Select(x => x.Ledger).Distinct().Count();
        (bool, CreateAccountResult)[] checks =
        [
            (a.Timestamp != 0, CreateAccountResult.TimestampMustBeZero),
            (a.Reserved != 0, CreateAccountResult.ReservedField),
            ((a.Flags & ~Defined) != 0, CreateAccountResult.ReservedFlag),
            (a.Id == 0, CreateAccountResult.IdMustNotBeZero),
            (a.Id == UInt128.MaxValue, CreateAccountResult.IdMustNotBeIntMax),
            (a.Flags.HasFlag(AccountFlags.DebitsMustNotExceedCredits) && a.Flags.HasFlag(AccountFlags.CreditsMustNotExceedDebits), CreateAccountResult.FlagsAreMutuallyExclusive),
            (a.DebitsPending != 0, CreateAccountResult.DebitsPendingMustBeZero),
            (a.DebitsPosted != 0, CreateAccountResult.DebitsPostedMustBeZero),
            (a.CreditsPending != 0, CreateAccountResult.CreditsPendingMustBeZero),
            (a.CreditsPosted != 0, CreateAccountResult.CreditsPostedMustBeZero),
            (a.Ledger == 0, CreateAccountResult.LedgerMustNotBeZero),
            (a.Code == 0, CreateAccountResult.CodeMustNotBeZero),
            (known && (a.Flags & ~AccountFlags.Closed) != (e.Flags & ~AccountFlags.Closed), CreateAccountResult.ExistsWithDifferentFlags),
            (known && a.UserData128 != e.UserData128, CreateAccountResult.ExistsWithDifferentUserData128),
            (known && a.UserData64 != e.UserData64, CreateAccountResult.ExistsWithDifferentUserData64),
            (known && a.UserData32 != e.UserData32, CreateAccountResult.ExistsWithDifferentUserData32),
            (known && a.Ledger != e.Ledger, CreateAccountResult.ExistsWithDifferentLedger),
            (known && a.Code != e.Code, CreateAccountResult.ExistsWithDifferentCode),
            (known, CreateAccountResult.Exists),
            (newLedger && ledgers == ledgersMax, CreateAccountResult.LedgerCapacityExceeded),
            (_s.Accounts.Count == accountsMax, CreateAccountResult.AccountCapacityExceeded),
        ];
        foreach (var (failed, code) in checks) if (failed) return code;
        _s.Accounts[a.Id] = a with { Timestamp = timestamp };
        _s.AccountOrder.Add(a.Id);
        return CreateAccountResult.Ok;
    }

    private CreateTransferResult CreateTransfer(Transfer t, ulong timestamp)
    {
        const TransferFlags Defined = TransferFlags.Linked | TransferFlags.Pending | TransferFlags.PostPendingTransfer |
            TransferFlags.VoidPendingTransfer | TransferFlags.BalancingDebit | TransferFlags.BalancingCredit | TransferFlags.ClosingDebit |
            TransferFlags.ClosingCredit;
        var pending = t.Flags.HasFlag(TransferFlags.Pending);
        var post = t.Flags.HasFlag(TransferFlags.PostPendingTransfer);
        var isVoid = t.Flags.HasFlag(TransferFlags.VoidPendingTransfer);
        var postOrVoid = post || isVoid;
        var balancing = t.Flags.HasFlag(TransferFlags.BalancingDebit) || t.Flags.HasFlag(TransferFlags.BalancingCredit);
        var closing = t.Flags.HasFlag(TransferFlags.ClosingDebit) || t.Flags.HasFlag(TransferFlags.ClosingCredit);
        var max = UInt128.MaxValue;
        (bool, CreateTransferResult)[] stateless =
        [
            (t.Timestamp != 0, CreateTransferResult.TimestampMustBeZero),
            ((t.Flags & ~Defined) != 0, CreateTransferResult.ReservedFlag),
            (t.Id == 0, CreateTransferResult.IdMustNotBeZero),
            (t.Id == max, CreateTransferResult.IdMustNotBeIntMax),
            (new[] { pending, post, isVoid }.Count(x => x) > 1 || (postOrVoid && (balancing || closing)), CreateTransferResult.FlagsAreMutuallyExclusive),
            (!postOrVoid && t.PendingId != 0, CreateTransferResult.PendingIdMustBeZero),
            (postOrVoid && t.PendingId == 0, CreateTransferResult.PendingIdMustNotBeZero),
            (postOrVoid && t.PendingId == max, CreateTransferResult.PendingIdMustNotBeIntMax),
            (postOrVoid && t.PendingId == t.Id, CreateTransferResult.PendingIdMustBeDifferent),
            (!pending && t.TimeoutSeconds != 0, CreateTransferResult.TimeoutReservedForPendingTransfer),
            (closing && !pending, CreateTransferResult.ClosingTransferMustBePending),
            (!postOrVoid && t.DebitAccountId == 0, CreateTransferResult.DebitAccountIdMustNotBeZero),
            (t.DebitAccountId == max, CreateTransferResult.DebitAccountIdMustNotBeIntMax),
            (!postOrVoid && t.CreditAccountId == 0, CreateTransferResult.CreditAccountIdMustNotBeZero),
            (t.CreditAccountId == max, CreateTransferResult.CreditAccountIdMustNotBeIntMax),
            (t.DebitAccountId != 0 && t.DebitAccountId == t.CreditAccountId, CreateTransferResult.AccountsMustBeDifferent),
            (!postOrVoid && t.Amount == 0, CreateTransferResult.AmountMustNotBeZero),
            (!postOrVoid && t.Ledger == 0, CreateTransferResult.LedgerMustNotBeZero),
            (!postOrVoid && t.Code == 0, CreateTransferResult.CodeMustNotBeZero),
        ];
        foreach (var (failed, code) in stateless) if (failed) return code;

        if (_s.Transfers.TryGetValue(t.Id, out var e))
        {
            bool Differs(UInt128 requested, UInt128 stored) => postOrVoid ? requested != 0 && requested != stored : requested != stored;
            var amountDiffers = postOrVoid ? t.Amount != 0 && t.Amount != e.Amount : balancing ? e.Amount > t.Amount : e.Amount != t.Amount;
            (bool, CreateTransferResult)[] exists =
            [
                (t.Flags != e.Flags, CreateTransferResult.ExistsWithDifferentFlags),
                (t.PendingId != e.PendingId, CreateTransferResult.ExistsWithDifferentPendingId),
                (t.TimeoutSeconds != e.TimeoutSeconds, CreateTransferResult.ExistsWithDifferentTimeout),
                (Differs(t.DebitAccountId, e.DebitAccountId), CreateTransferResult.ExistsWithDifferentDebitAccountId),
                (Differs(t.CreditAccountId, e.CreditAccountId), CreateTransferResult.ExistsWithDifferentCreditAccountId),
                (amountDiffers, CreateTransferResult.ExistsWithDifferentAmount),
                (t.UserData128 != e.UserData128, CreateTransferResult.ExistsWithDifferentUserData128),
                (t.UserData64 != e.UserData64, CreateTransferResult.ExistsWithDifferentUserData64),
                (t.UserData32 != e.UserData32, CreateTransferResult.ExistsWithDifferentUserData32),
                (Differs(t.Ledger, e.Ledger), CreateTransferResult.ExistsWithDifferentLedger),
                (Differs(t.Code, e.Code), CreateTransferResult.ExistsWithDifferentCode),
            ];
            foreach (var (failed, code) in exists) if (failed) return code;
            return CreateTransferResult.Exists;
        }
        return postOrVoid ? PostOrVoid(t, timestamp, post) : Single(t, timestamp, pending);
    }

    private CreateTransferResult Single(Transfer t, ulong timestamp, bool pending)
    {
        if (!_s.Accounts.TryGetValue(t.DebitAccountId, out var dr)) return CreateTransferResult.DebitAccountNotFound;
        if (!_s.Accounts.TryGetValue(t.CreditAccountId, out var cr)) return CreateTransferResult.CreditAccountNotFound;
        if (dr.Ledger != cr.Ledger) return CreateTransferResult.AccountsMustHaveTheSameLedger;
        if (t.Ledger != dr.Ledger) return CreateTransferResult.TransferMustHaveTheSameLedgerAsAccounts;
        if (dr.Flags.HasFlag(AccountFlags.Closed)) return CreateTransferResult.DebitAccountAlreadyClosed;
        if (cr.Flags.HasFlag(AccountFlags.Closed)) return CreateTransferResult.CreditAccountAlreadyClosed;

        // Arbitrary precision: no overflow can hide a bug here.
        System.Numerics.BigInteger Big(UInt128 v) => v;
        var max = Big(UInt128.MaxValue);
        var amount = Big(t.Amount);
        var debitRoom = System.Numerics.BigInteger.Max(0, Big(dr.CreditsPosted) - Big(dr.DebitsPending) - Big(dr.DebitsPosted));
        var creditRoom = System.Numerics.BigInteger.Max(0, Big(cr.DebitsPosted) - Big(cr.CreditsPending) - Big(cr.CreditsPosted));
        if (t.Flags.HasFlag(TransferFlags.BalancingDebit)) amount = System.Numerics.BigInteger.Min(amount, debitRoom);
        if (t.Flags.HasFlag(TransferFlags.BalancingCredit)) amount = System.Numerics.BigInteger.Min(amount, creditRoom);
        var timeoutEnd = (System.Numerics.BigInteger)timestamp + ((System.Numerics.BigInteger)t.TimeoutSeconds * L.Second);
        (bool, CreateTransferResult)[] checks =
        [
            (pending && Big(dr.DebitsPending) + amount > max, CreateTransferResult.OverflowsDebitsPending),
            (pending && Big(cr.CreditsPending) + amount > max, CreateTransferResult.OverflowsCreditsPending),
            (Big(dr.DebitsPosted) + amount > max, CreateTransferResult.OverflowsDebitsPosted),
            (Big(cr.CreditsPosted) + amount > max, CreateTransferResult.OverflowsCreditsPosted),
            (Big(dr.DebitsPending) + Big(dr.DebitsPosted) + amount > max, CreateTransferResult.OverflowsDebits),
            (Big(cr.CreditsPending) + Big(cr.CreditsPosted) + amount > max, CreateTransferResult.OverflowsCredits),
            (pending && t.TimeoutSeconds != 0 && timeoutEnd > ulong.MaxValue, CreateTransferResult.OverflowsTimeout),
            (amount == 0 && t.Flags.HasFlag(TransferFlags.BalancingDebit) && debitRoom == 0, CreateTransferResult.ExceedsCredits),
            (amount == 0, CreateTransferResult.ExceedsDebits),
            (dr.Flags.HasFlag(AccountFlags.DebitsMustNotExceedCredits) && Big(dr.DebitsPending) + Big(dr.DebitsPosted) + amount > Big(dr.CreditsPosted), CreateTransferResult.ExceedsCredits),
            (cr.Flags.HasFlag(AccountFlags.CreditsMustNotExceedDebits) && Big(cr.CreditsPending) + Big(cr.CreditsPosted) + amount > Big(cr.DebitsPosted), CreateTransferResult.ExceedsDebits),
            (_s.Transfers.Count == transfersMax, CreateTransferResult.TransferCapacityExceeded),
        ];
        foreach (var (failed, code) in checks) if (failed) return code;

        var moved = (UInt128)amount;
        Add(t with { Amount = moved, Timestamp = timestamp });
        if (pending)
        {
            _s.Status[t.Id] = PendingStatus.Pending;
            _s.ExpiresAt[t.Id] = t.TimeoutSeconds == 0 ? 0 : (ulong)timeoutEnd;
            Change(t.DebitAccountId, a => a with { DebitsPending = a.DebitsPending + moved });
            Change(t.CreditAccountId, a => a with { CreditsPending = a.CreditsPending + moved });
            if (t.Flags.HasFlag(TransferFlags.ClosingDebit)) Change(t.DebitAccountId, a => a with { Flags = a.Flags | AccountFlags.Closed });
            if (t.Flags.HasFlag(TransferFlags.ClosingCredit)) Change(t.CreditAccountId, a => a with { Flags = a.Flags | AccountFlags.Closed });
        }
        else
        {
            Change(t.DebitAccountId, a => a with { DebitsPosted = a.DebitsPosted + moved });
            Change(t.CreditAccountId, a => a with { CreditsPosted = a.CreditsPosted + moved });
        }
        return CreateTransferResult.Ok;
    }

    private CreateTransferResult PostOrVoid(Transfer t, ulong timestamp, bool post)
    {
        if (!_s.Transfers.TryGetValue(t.PendingId, out var p)) return CreateTransferResult.PendingTransferNotFound;
        if (!p.Flags.HasFlag(TransferFlags.Pending)) return CreateTransferResult.PendingTransferNotPending;
        var amount = t.Amount == 0 ? p.Amount : t.Amount;
        var dr = _s.Accounts[p.DebitAccountId];
        var cr = _s.Accounts[p.CreditAccountId];
        (bool, CreateTransferResult)[] checks =
        [
            (t.DebitAccountId != 0 && t.DebitAccountId != p.DebitAccountId, CreateTransferResult.PendingTransferHasDifferentDebitAccountId),
            (t.CreditAccountId != 0 && t.CreditAccountId != p.CreditAccountId, CreateTransferResult.PendingTransferHasDifferentCreditAccountId),
            (t.Ledger != 0 && t.Ledger != p.Ledger, CreateTransferResult.PendingTransferHasDifferentLedger),
            (t.Code != 0 && t.Code != p.Code, CreateTransferResult.PendingTransferHasDifferentCode),
            (amount > p.Amount, CreateTransferResult.ExceedsPendingTransferAmount),
            (!post && amount != p.Amount, CreateTransferResult.PendingTransferHasDifferentAmount),
            (StatusOf(p.Id) == PendingStatus.Posted, CreateTransferResult.PendingTransferAlreadyPosted),
            (StatusOf(p.Id) == PendingStatus.Voided, CreateTransferResult.PendingTransferAlreadyVoided),
            (StatusOf(p.Id) == PendingStatus.Expired, CreateTransferResult.PendingTransferExpired),
            (_s.ExpiresAt[p.Id] != 0 && _s.ExpiresAt[p.Id] <= timestamp, CreateTransferResult.PendingTransferExpired),
            (post && dr.Flags.HasFlag(AccountFlags.Closed) && !p.Flags.HasFlag(TransferFlags.ClosingDebit), CreateTransferResult.DebitAccountAlreadyClosed),
            (post && cr.Flags.HasFlag(AccountFlags.Closed) && !p.Flags.HasFlag(TransferFlags.ClosingCredit), CreateTransferResult.CreditAccountAlreadyClosed),
            (_s.Transfers.Count == transfersMax, CreateTransferResult.TransferCapacityExceeded),
        ];
        foreach (var (failed, code) in checks) if (failed) return code;

        Add(t with { DebitAccountId = p.DebitAccountId, CreditAccountId = p.CreditAccountId, Ledger = p.Ledger, Code = p.Code, Amount = amount, Timestamp = timestamp });
        _s.Status[p.Id] = post ? PendingStatus.Posted : PendingStatus.Voided;
        Change(p.DebitAccountId, a => a with { DebitsPending = a.DebitsPending - p.Amount, DebitsPosted = a.DebitsPosted + (post ? amount : 0) });
        Change(p.CreditAccountId, a => a with { CreditsPending = a.CreditsPending - p.Amount, CreditsPosted = a.CreditsPosted + (post ? amount : 0) });
        if (!post) Reopen(p);
        return CreateTransferResult.Ok;
    }

    private void Add(Transfer t)
    {
        _s.Transfers[t.Id] = t;
        _s.TransferOrder.Add(t.Id);
        _s.ExpiresAt[t.Id] = 0;
    }

    private void Reopen(Transfer p)
    {
        if (p.Flags.HasFlag(TransferFlags.ClosingDebit)) Change(p.DebitAccountId, a => a with { Flags = a.Flags & ~AccountFlags.Closed });
        if (p.Flags.HasFlag(TransferFlags.ClosingCredit)) Change(p.CreditAccountId, a => a with { Flags = a.Flags & ~AccountFlags.Closed });
    }

    private void Change(UInt128 id, Func<Account, Account> change) => _s.Accounts[id] = change(_s.Accounts[id]);
}
