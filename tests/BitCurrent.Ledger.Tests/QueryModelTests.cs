using BitCurrent.Ledger;

namespace BitCurrent.Ledger.Tests;

/// <summary>
/// The range queries against a naive model: every filter field alone and in seeded random combinations, both
/// directions, limits below and above the number of matches, and outputs smaller than the limit. The model is the
/// obvious LINQ over the stored records; the expected balance rows are the account's live balances recorded after
/// each single-transfer batch (the engine itself, observed from outside, not its history code).
/// </summary>
public class QueryModelTests
{
    private sealed class World
    {
        public LedgerEngine Engine { get; } = L.Engine(accounts: 64, transfers: 1024);

        public List<Account> Accounts { get; } = [];

        public List<Transfer> Transfers { get; } = [];

        /// <summary>The balances of each account right after each transfer's batch: (account, timestamp) → balance.</summary>
        public Dictionary<(UInt128, ulong), AccountBalance> After { get; } = [];

        /// <summary>Timestamps worth probing: every stored timestamp, and its neighbours.</summary>
        public List<ulong> Times { get; } = [0];
    }

    private static World Build(int seed)
    {
        var w = new World();
        var random = new Random(seed);
        const int AccountCount = 12;
        for (var i = 1; i <= AccountCount; i++)
        {
            var account = L.Account((UInt128)i, ledger: (uint)(1 + (i % 2)), code: (ushort)(1 + (i % 3)),
                flags: i == AccountCount ? AccountFlags.None : AccountFlags.History) with
            {
                UserData128 = (UInt128)random.Next(0, 3),
                UserData64 = (ulong)random.Next(0, 3),
                UserData32 = (uint)random.Next(0, 3),
            };
            // Several batches: accounts get timestamps with gaps.
            var results = new CreateAccountResult[1];
            w.Engine.CreateAccounts([account], w.Engine.LastTimestamp + 1 + (ulong)random.Next(0, 3), results);
            Assert.Equal(CreateAccountResult.Ok, results[0]);
        }
        foreach (ref readonly var a in w.Engine.AccountsSpan) w.Accounts.Add(a);

        var pending = new List<UInt128>();
        var nextId = 100;
        for (var step = 0; step < 90; step++)
        {
            Transfer t;
            var kind = random.Next(0, 10);
            if (kind >= 8 && pending.Count > 0)
            {
                var p = pending[random.Next(pending.Count)];
                pending.Remove(p);
                t = kind == 8 ? L.Post((UInt128)nextId++, p) : L.Void((UInt128)nextId++, p);
            }
            else
            {
                var ledger = (uint)random.Next(1, 3);
                var debit = (UInt128)((random.Next(0, AccountCount / 2) * 2) + (ledger == 2 ? 1 : 2));
                UInt128 credit;
                do credit = (UInt128)((random.Next(0, AccountCount / 2) * 2) + (ledger == 2 ? 1 : 2));
                while (credit == debit);
                var isPending = kind >= 6;
                t = L.Transfer((UInt128)nextId++, debit, credit, (UInt128)random.Next(1, 50), ledger: ledger, code: (ushort)random.Next(1, 4),
                    flags: isPending ? TransferFlags.Pending : TransferFlags.None, timeoutSeconds: isPending && kind == 7 ? 2u : 0);
                // Only holds without a timeout are posted or voided here: one with a timeout may expire first.
                if (isPending && t.TimeoutSeconds == 0) pending.Add(t.Id);
            }
            t.UserData128 = (UInt128)random.Next(0, 3);
            t.UserData64 = (ulong)random.Next(0, 3);
            t.UserData32 = (uint)random.Next(0, 3);
            var timestamp = w.Engine.LastTimestamp + L.Second;
            Assert.Equal(CreateTransferResult.Ok, w.Engine.ApplyAt(timestamp, t)[0]);
            foreach (var a in w.Accounts)
            {
                var live = w.Engine.Get(a.Id);
                w.After[(a.Id, timestamp)] = new AccountBalance(timestamp, live.DebitsPending, live.DebitsPosted, live.CreditsPending, live.CreditsPosted);
            }
        }
        foreach (ref readonly var t in w.Engine.TransfersSpan) w.Transfers.Add(t);
        w.Accounts.Clear();   // again, with their final balances
        foreach (ref readonly var a in w.Engine.AccountsSpan) w.Accounts.Add(a);
        Assert.Contains(w.Transfers, t => w.Engine.GetPendingStatus(t.Id) == PendingStatus.Expired);
        Assert.Contains(w.Transfers, t => (t.Flags & TransferFlags.PostPendingTransfer) != 0);
        Assert.Contains(w.Transfers, t => (t.Flags & TransferFlags.VoidPendingTransfer) != 0);
        foreach (var ts in w.Accounts.Select(a => a.Timestamp).Concat(w.Transfers.Select(t => t.Timestamp)))
        {
            w.Times.Add(ts - 1);
            w.Times.Add(ts);
            w.Times.Add(ts + 1);
        }
        return w;
    }

    private static QueryFilter RandomQueryFilter(Random random, World w)
    {
        ulong Time() => random.Next(0, 3) == 0 ? 0 : w.Times[random.Next(w.Times.Count)];
        return new QueryFilter
        {
            UserData128 = random.Next(0, 2) == 0 ? UInt128.Zero : (UInt128)random.Next(1, 3),
            UserData64 = random.Next(0, 2) == 0 ? 0 : (ulong)random.Next(1, 3),
            UserData32 = random.Next(0, 2) == 0 ? 0 : (uint)random.Next(1, 3),
            Ledger = random.Next(0, 2) == 0 ? 0 : (uint)random.Next(1, 3),
            Code = random.Next(0, 2) == 0 ? (ushort)0 : (ushort)random.Next(1, 4),
            TimestampMin = Time(),
            TimestampMax = Time(),
            Limit = random.Next(0, 3) == 0 ? 0 : random.Next(1, 8),
            Reversed = random.Next(0, 2) == 0,
        };
    }

    /// <summary>Filters that set one field at a time (every value), so each field's check is seen on its own.</summary>
    private static IEnumerable<QueryFilter> SingleFieldQueryFilters(World w)
    {
        yield return new QueryFilter();
        yield return new QueryFilter { Reversed = true };
        for (var v = 1; v <= 3; v++)
        {
            yield return new QueryFilter { UserData128 = (UInt128)v };
            yield return new QueryFilter { UserData64 = (ulong)v };
            yield return new QueryFilter { UserData32 = (uint)v };
            yield return new QueryFilter { Ledger = (uint)v };
            yield return new QueryFilter { Code = (ushort)v };
            yield return new QueryFilter { Limit = v, Reversed = v == 2 };
        }
        foreach (var ts in w.Times)
        {
            yield return new QueryFilter { TimestampMin = ts };
            yield return new QueryFilter { TimestampMax = ts };
        }
    }

    private static IEnumerable<T> Window<T>(IEnumerable<T> matching, bool reversed, int limit, int capacity)
    {
        var ordered = reversed ? matching.Reverse() : matching;
        var take = limit <= 0 ? capacity : Math.Min(limit, capacity);
        return ordered.Take(take);
    }

    private static bool InTime(ulong timestamp, ulong min, ulong max) => timestamp >= min && (max == 0 || timestamp <= max);

    private static Account[] ExpectedAccounts(World w, in QueryFilter f, int capacity)
    {
        var filter = f;
        return Window(w.Accounts.Where(a =>
            (filter.UserData128 == 0 || a.UserData128 == filter.UserData128) &&
            (filter.UserData64 == 0 || a.UserData64 == filter.UserData64) &&
            (filter.UserData32 == 0 || a.UserData32 == filter.UserData32) &&
            (filter.Ledger == 0 || a.Ledger == filter.Ledger) &&
            (filter.Code == 0 || a.Code == filter.Code) &&
            InTime(a.Timestamp, filter.TimestampMin, filter.TimestampMax)), filter.Reversed, filter.Limit, capacity).ToArray();
    }

    private static Transfer[] ExpectedTransfers(World w, in QueryFilter f, int capacity)
    {
        var filter = f;
        return Window(w.Transfers.Where(t =>
            (filter.UserData128 == 0 || t.UserData128 == filter.UserData128) &&
            (filter.UserData64 == 0 || t.UserData64 == filter.UserData64) &&
            (filter.UserData32 == 0 || t.UserData32 == filter.UserData32) &&
            (filter.Ledger == 0 || t.Ledger == filter.Ledger) &&
            (filter.Code == 0 || t.Code == filter.Code) &&
            InTime(t.Timestamp, filter.TimestampMin, filter.TimestampMax)), filter.Reversed, filter.Limit, capacity).ToArray();
    }

    private static void CheckQueries(World w, in QueryFilter filter)
    {
        // An output larger than any answer (so that a limit is the only bound), and one smaller than the limit.
        foreach (var capacity in new[] { 64, 3 })
        {
            var accounts = new Account[capacity];
            var n = w.Engine.QueryAccounts(in filter, accounts);
            Assert.Equal(ExpectedAccounts(w, filter, capacity), accounts[..n]);
            var size = capacity == 3 ? 3 : w.Transfers.Count;
            var transfers = new Transfer[size];
            var m = w.Engine.QueryTransfers(in filter, transfers);
            Assert.Equal(ExpectedTransfers(w, filter, size), transfers[..m]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Account_and_transfer_queries_match_the_model(int seed)
    {
        var w = Build(seed);
        foreach (var filter in SingleFieldQueryFilters(w)) CheckQueries(w, filter);
        var random = new Random(seed * 7919);
        for (var i = 0; i < 300; i++) CheckQueries(w, RandomQueryFilter(random, w));
    }

    private static AccountFilter RandomAccountFilter(Random random, World w)
    {
        ulong Time() => random.Next(0, 3) == 0 ? 0 : w.Times[random.Next(w.Times.Count)];
        return new AccountFilter
        {
            UserData128 = random.Next(0, 2) == 0 ? UInt128.Zero : (UInt128)random.Next(1, 3),
            UserData64 = random.Next(0, 2) == 0 ? 0 : (ulong)random.Next(1, 3),
            UserData32 = random.Next(0, 2) == 0 ? 0 : (uint)random.Next(1, 3),
            Code = random.Next(0, 2) == 0 ? (ushort)0 : (ushort)random.Next(1, 4),
            TimestampMin = Time(),
            TimestampMax = Time(),
            Limit = random.Next(0, 3) == 0 ? 0 : random.Next(1, 6),
            Flags = (AccountFilterFlags)random.Next(0, 8),
        };
    }

    private static IEnumerable<AccountFilter> SingleFieldAccountFilters(World w)
    {
        foreach (var flags in new[] { AccountFilterFlags.None, AccountFilterFlags.Debits, AccountFilterFlags.Credits,
                     AccountFilterFlags.Debits | AccountFilterFlags.Credits, AccountFilterFlags.Reversed })
            yield return new AccountFilter { Flags = flags };
        for (var v = 1; v <= 3; v++)
        {
            yield return new AccountFilter { UserData128 = (UInt128)v };
            yield return new AccountFilter { UserData64 = (ulong)v };
            yield return new AccountFilter { UserData32 = (uint)v };
            yield return new AccountFilter { Code = (ushort)v };
            yield return new AccountFilter { Limit = v };
            yield return new AccountFilter { Limit = v, Flags = AccountFilterFlags.Reversed };
        }
        foreach (var ts in w.Times.Where((_, i) => i % 4 == 0))
        {
            yield return new AccountFilter { TimestampMin = ts };
            yield return new AccountFilter { TimestampMax = ts };
        }
    }

    private static IEnumerable<Transfer> MatchingTransfers(World w, UInt128 id, AccountFilter filter)
    {
        var debits = (filter.Flags & AccountFilterFlags.Debits) != 0;
        var credits = (filter.Flags & AccountFilterFlags.Credits) != 0;
        if (!debits && !credits) debits = credits = true;
        return w.Transfers.Where(t =>
            ((debits && t.DebitAccountId == id) || (credits && t.CreditAccountId == id)) &&
            (filter.UserData128 == 0 || t.UserData128 == filter.UserData128) &&
            (filter.UserData64 == 0 || t.UserData64 == filter.UserData64) &&
            (filter.UserData32 == 0 || t.UserData32 == filter.UserData32) &&
            (filter.Code == 0 || t.Code == filter.Code) &&
            InTime(t.Timestamp, filter.TimestampMin, filter.TimestampMax));
    }

    private static void CheckAccountQueries(World w, UInt128 id, in AccountFilter filter)
    {
        var reversed = (filter.Flags & AccountFilterFlags.Reversed) != 0;
        var matching = MatchingTransfers(w, id, filter).ToList();
        foreach (var capacity in new[] { w.Transfers.Count, 2 })
        {
            var output = new Transfer[capacity];
            var n = w.Engine.GetAccountTransfers(id, in filter, output);
            Assert.Equal(Window(matching, reversed, filter.Limit, capacity).ToArray(), output[..n]);
        }
        Assert.Equal(Window(matching, reversed, filter.Limit, w.Transfers.Count).ToArray(), w.Engine.GetAccountTransfers(id, in filter));

        var history = (w.Engine.Get(id).Flags & AccountFlags.History) != 0;
        var rows = matching.Select(t => w.After[(id, t.Timestamp)]).ToList();
        foreach (var capacity in new[] { w.Transfers.Count, 2 })
        {
            var output = new AccountBalance[capacity];
            var n = w.Engine.GetAccountBalances(id, in filter, output);
            Assert.Equal(history ? Window(rows, reversed, filter.Limit, capacity).ToArray() : [], output[..n]);
        }
        Assert.Equal(history ? Window(rows, reversed, filter.Limit, w.Transfers.Count).ToArray() : [], w.Engine.GetAccountBalances(id, in filter));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Account_transfers_and_balance_rows_match_the_model(int seed)
    {
        var w = Build(seed);
        var random = new Random(seed * 104_729);
        foreach (var a in w.Accounts)
        {
            foreach (var filter in SingleFieldAccountFilters(w)) CheckAccountQueries(w, a.Id, filter);
            for (var i = 0; i < 40; i++) CheckAccountQueries(w, a.Id, RandomAccountFilter(random, w));
        }
        Assert.Equal(0, w.Engine.GetAccountTransfers(999, new AccountFilter(), new Transfer[4]));
        Assert.Equal(0, w.Engine.GetAccountBalances(999, new AccountFilter(), new AccountBalance[4]));
        Assert.Equal(0, w.Engine.GetAccountBalances(1, new AccountFilter(), []));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void The_balance_at_any_timestamp_is_the_balance_after_the_last_batch_up_to_it(int seed)
    {
        var w = Build(seed);
        var batches = w.Transfers.Select(t => t.Timestamp).ToList();
        foreach (var a in w.Accounts)
        {
            var history = (a.Flags & AccountFlags.History) != 0;
            foreach (var ts in w.Times)
            {
                var found = w.Engine.TryGetAccountBalanceAt(a.Id, ts, out var balance);
                if (!history || ts < a.Timestamp)
                {
                    Assert.False(found);
                    Assert.Equal(default, balance);
                    continue;
                }
                Assert.True(found);
                var last = batches.LastOrDefault(b => b <= ts);
                // Between batches nothing changes: expiries are accounted at the batch that expires them.
                var expected = last == 0 ? new AccountBalance(ts, 0, 0, 0, 0) : w.After[(a.Id, last)] with { Timestamp = ts };
                Assert.Equal(expected, balance);
            }
        }
        Assert.False(w.Engine.TryGetAccountBalanceAt(999, w.Engine.LastTimestamp, out _));
    }

    [Fact]
    public void Lookups_stop_when_the_output_is_full()
    {
        var w = Build(5);
        var accounts = new Account[3];
        Assert.Equal(2, w.Engine.LookupAccounts([5, 999, 3, 4], accounts.AsSpan(0, 2)));
        Assert.Equal([w.Accounts[4], w.Accounts[2], default], accounts);
        var transfers = new Transfer[3];
        Assert.Equal(2, w.Engine.LookupTransfers([w.Transfers[7].Id, 1, w.Transfers[2].Id, w.Transfers[3].Id], transfers.AsSpan(0, 2)));
        Assert.Equal([w.Transfers[7], w.Transfers[2], default], transfers);
        Assert.Equal(0, w.Engine.LookupAccounts([1, 2], []));
    }
}
