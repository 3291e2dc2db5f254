using BitCurrent.Ledger.Internal;

namespace BitCurrent.Ledger;

public sealed partial class LedgerEngine
{
    // Queries read state and never change it. Point lookups are one dictionary probe; the range queries scan the
    // stores (transfers are stored in timestamp order, so a timestamp range is found by binary search first).
    // History at scale belongs to the PostgreSQL projection; these serve the engine's own needs and tests.

    /// <summary>Looks up one account.</summary>
    public bool TryGetAccount(UInt128 id, out Account account)
    {
        if (_accountIndex.TryGetValue(id, out var index))
        {
            account = _accounts[index];
            return true;
        }
        account = default;
        return false;
    }

    /// <summary>Looks up one transfer.</summary>
    public bool TryGetTransfer(UInt128 id, out Transfer transfer)
    {
        if (_transferIndex.TryGetValue(id, out var slot))
        {
            transfer = _transfers[slot];
            return true;
        }
        transfer = default;
        return false;
    }

    /// <summary>The two-phase state of a transfer: <see cref="PendingStatus.None"/> when it is unknown or not pending.</summary>
    public PendingStatus GetPendingStatus(UInt128 transferId) =>
        _transferIndex.TryGetValue(transferId, out var slot) ? _transferStates[slot].Status : PendingStatus.None;

    /// <summary>
    /// Looks up accounts by id. The accounts found are written to <paramref name="output"/> in the order of
    /// <paramref name="ids"/>; ids not found are skipped (as TigerBeetle's lookup_accounts).
    /// </summary>
    /// <returns>The number of accounts written.</returns>
    public int LookupAccounts(ReadOnlySpan<UInt128> ids, Span<Account> output)
    {
        var written = 0;
        foreach (var id in ids)
        {
            if (written == output.Length) break;
            if (_accountIndex.TryGetValue(id, out var index)) output[written++] = _accounts[index];
        }
        return written;
    }

    /// <summary>
    /// Looks up transfers by id. The transfers found are written to <paramref name="output"/> in the order of
    /// <paramref name="ids"/>; ids not found are skipped.
    /// </summary>
    /// <returns>The number of transfers written.</returns>
    public int LookupTransfers(ReadOnlySpan<UInt128> ids, Span<Transfer> output)
    {
        var written = 0;
        foreach (var id in ids)
        {
            if (written == output.Length) break;
            if (_transferIndex.TryGetValue(id, out var slot)) output[written++] = _transfers[slot];
        }
        return written;
    }

    /// <summary>The running totals of a ledger (false when no account uses it).</summary>
    public bool TryGetLedgerTotals(uint ledger, out LedgerTotals totals)
    {
        if (_ledgerIndex.TryGetValue(ledger, out var slot))
        {
            totals = _ledgers[slot].ToTotals();
            return true;
        }
        totals = default;
        return false;
    }

    /// <summary>
    /// The transfers that debit and/or credit an account, filtered and in timestamp order (newest first with
    /// <see cref="AccountFilterFlags.Reversed"/>). O(transfers in the timestamp range).
    /// </summary>
    /// <returns>The number of transfers written to <paramref name="output"/> (0 when the account does not exist).</returns>
    public int GetAccountTransfers(UInt128 accountId, in AccountFilter filter, Span<Transfer> output)
    {
        if (!_accountIndex.ContainsKey(accountId)) return 0;
        var limit = EffectiveLimit(filter.Limit, output.Length);
        var (lo, hi) = TimestampRange(filter.TimestampMin, filter.TimestampMax);
        var reversed = (filter.Flags & AccountFilterFlags.Reversed) != 0;
        var written = 0;
        for (var k = 0; k < hi - lo && written < limit; k++)
        {
            ref readonly var t = ref _transfers[reversed ? hi - 1 - k : lo + k];
            if (Matches(in t, accountId, in filter)) output[written++] = t;
        }
        return written;
    }

    /// <summary>Allocating convenience over <see cref="GetAccountTransfers(UInt128, in AccountFilter, Span{Transfer})"/>.</summary>
    public Transfer[] GetAccountTransfers(UInt128 accountId, in AccountFilter filter)
    {
        var output = new Transfer[EffectiveLimit(filter.Limit, _transferCount)];
        var written = GetAccountTransfers(accountId, in filter, output);
        return output.AsSpan(0, written).ToArray();
    }

    /// <summary>
    /// The balance history of an account with <see cref="AccountFlags.History"/>: one row per transfer of the
    /// account that matches <paramref name="filter"/>, holding the account's balances right after that transfer
    /// (expiries of pending transfers are accounted at the batch that expired them). Rows are derived from the
    /// stored transfers, so history costs nothing on the apply path and never fills up; a query is O(transfers).
    /// </summary>
    /// <returns>The number of rows written (0 when the account does not exist or has no history flag).</returns>
    public int GetAccountBalances(UInt128 accountId, in AccountFilter filter, Span<AccountBalance> output)
    {
        if (!_accountIndex.TryGetValue(accountId, out var index)) return 0;
        if ((_accounts[index].Flags & AccountFlags.History) == 0) return 0;
        var limit = EffectiveLimit(filter.Limit, output.Length);
        if (limit == 0) return 0;
        var expiries = CollectExpiries(accountId);
        var reversed = (filter.Flags & AccountFilterFlags.Reversed) != 0;
        var skip = 0;
        if (reversed)
        {
            var total = WalkBalances(accountId, in filter, expiries, [], 0);
            skip = Math.Max(0, total - limit);
        }
        var written = WalkBalances(accountId, in filter, expiries, output[..limit], skip);
        if (reversed) output[..written].Reverse();
        return written;
    }

    /// <summary>Allocating convenience over <see cref="GetAccountBalances(UInt128, in AccountFilter, Span{AccountBalance})"/>.</summary>
    public AccountBalance[] GetAccountBalances(UInt128 accountId, in AccountFilter filter)
    {
        var output = new AccountBalance[EffectiveLimit(filter.Limit, _transferCount)];
        var written = GetAccountBalances(accountId, in filter, output);
        return output.AsSpan(0, written).ToArray();
    }

    /// <summary>
    /// The balances of an account with <see cref="AccountFlags.History"/> as they were at <paramref name="timestamp"/>:
    /// every transfer and expiry up to and including that timestamp applied.
    /// </summary>
    /// <returns>False when the account does not exist, has no history flag, or was created after <paramref name="timestamp"/>.</returns>
    public bool TryGetAccountBalanceAt(UInt128 accountId, ulong timestamp, out AccountBalance balance)
    {
        balance = default;
        if (!_accountIndex.TryGetValue(accountId, out var index)) return false;
        ref readonly var account = ref _accounts[index];
        if ((account.Flags & AccountFlags.History) == 0 || account.Timestamp > timestamp) return false;
        var expiries = CollectExpiries(accountId);
        var running = new Running();
        var e = 0;
        var (_, hi) = TimestampRange(0, timestamp);
        for (var i = 0; i < hi; i++)
        {
            ref readonly var t = ref _transfers[i];
            if (t.DebitAccountId != accountId && t.CreditAccountId != accountId) continue;
            e = running.ApplyExpiries(expiries, e, t.Timestamp);
            ApplyTransfer(ref running, in t, accountId);
        }
        running.ApplyExpiries(expiries, e, timestamp);
        balance = running.ToBalance(timestamp);
        return true;
    }

    /// <summary>Accounts matching <paramref name="filter"/> (user data, ledger, code, timestamp range), in creation order.</summary>
    /// <returns>The number of accounts written.</returns>
    public int QueryAccounts(in QueryFilter filter, Span<Account> output)
    {
        var limit = EffectiveLimit(filter.Limit, output.Length);
        var written = 0;
        for (var k = 0; k < _accountCount && written < limit; k++)
        {
            ref readonly var a = ref _accounts[filter.Reversed ? _accountCount - 1 - k : k];
            if (filter.UserData128 != UInt128.Zero && a.UserData128 != filter.UserData128) continue;
            if (filter.UserData64 != 0 && a.UserData64 != filter.UserData64) continue;
            if (filter.UserData32 != 0 && a.UserData32 != filter.UserData32) continue;
            if (filter.Ledger != 0 && a.Ledger != filter.Ledger) continue;
            if (filter.Code != 0 && a.Code != filter.Code) continue;
            if (a.Timestamp < filter.TimestampMin) continue;
            if (filter.TimestampMax != 0 && a.Timestamp > filter.TimestampMax) continue;
            output[written++] = a;
        }
        return written;
    }

    /// <summary>Transfers matching <paramref name="filter"/>, in timestamp order (the projection's catch-up query).</summary>
    /// <returns>The number of transfers written.</returns>
    public int QueryTransfers(in QueryFilter filter, Span<Transfer> output)
    {
        var limit = EffectiveLimit(filter.Limit, output.Length);
        var (lo, hi) = TimestampRange(filter.TimestampMin, filter.TimestampMax);
        var written = 0;
        for (var k = 0; k < hi - lo && written < limit; k++)
        {
            ref readonly var t = ref _transfers[filter.Reversed ? hi - 1 - k : lo + k];
            if (filter.UserData128 != UInt128.Zero && t.UserData128 != filter.UserData128) continue;
            if (filter.UserData64 != 0 && t.UserData64 != filter.UserData64) continue;
            if (filter.UserData32 != 0 && t.UserData32 != filter.UserData32) continue;
            if (filter.Ledger != 0 && t.Ledger != filter.Ledger) continue;
            if (filter.Code != 0 && t.Code != filter.Code) continue;
            output[written++] = t;
        }
        return written;
    }

    private static int EffectiveLimit(int limit, int capacity) => limit <= 0 ? capacity : Math.Min(limit, capacity);

    /// <summary>The slot range [lo, hi) of transfers with min &lt;= timestamp &lt;= max (max 0 = unbounded).</summary>
    private (int Lo, int Hi) TimestampRange(ulong min, ulong max)
    {
        var lo = LowerBound(min);
        var hi = max == 0 || max == ulong.MaxValue ? _transferCount : LowerBound(max + 1);
        return (lo, Math.Max(lo, hi));
    }

    private int LowerBound(ulong timestamp)
    {
        int lo = 0, hi = _transferCount;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (_transfers[mid].Timestamp < timestamp) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static bool Matches(in Transfer t, UInt128 accountId, in AccountFilter filter)
    {
        var debits = (filter.Flags & AccountFilterFlags.Debits) != 0;
        var credits = (filter.Flags & AccountFilterFlags.Credits) != 0;
        if (!debits && !credits) debits = credits = true;
        if (!((debits && t.DebitAccountId == accountId) || (credits && t.CreditAccountId == accountId))) return false;
        if (filter.UserData128 != UInt128.Zero && t.UserData128 != filter.UserData128) return false;
        if (filter.UserData64 != 0 && t.UserData64 != filter.UserData64) return false;
        if (filter.UserData32 != 0 && t.UserData32 != filter.UserData32) return false;
        if (filter.Code != 0 && t.Code != filter.Code) return false;
        return true;
    }

    /// <summary>Expired pending transfers of an account, ordered by the batch that expired them.</summary>
    private ExpiryEvent[] CollectExpiries(UInt128 accountId)
    {
        var list = new List<ExpiryEvent>();
        for (var i = 0; i < _transferCount; i++)
        {
            if (_transferStates[i].Status != PendingStatus.Expired) continue;
            ref readonly var t = ref _transfers[i];
            if (t.DebitAccountId == accountId) list.Add(new ExpiryEvent(_transferStates[i].ResolvedTimestamp, t.Amount, Debit: true));
            else if (t.CreditAccountId == accountId) list.Add(new ExpiryEvent(_transferStates[i].ResolvedTimestamp, t.Amount, Debit: false));
        }
        var events = list.ToArray();
        Array.Sort(events, static (a, b) => a.Timestamp.CompareTo(b.Timestamp));
        return events;
    }

    /// <summary>Replays the account's transfers; writes the matching rows in range after skipping <paramref name="skip"/>; returns rows written (or counted when output is empty).</summary>
    private int WalkBalances(UInt128 accountId, in AccountFilter filter, ExpiryEvent[] expiries, Span<AccountBalance> output, int skip)
    {
        var countOnly = output.IsEmpty;
        var running = new Running();
        var e = 0;
        var rows = 0;
        var written = 0;
        var (_, hi) = TimestampRange(0, filter.TimestampMax);
        for (var i = 0; i < hi; i++)
        {
            ref readonly var t = ref _transfers[i];
            if (t.DebitAccountId != accountId && t.CreditAccountId != accountId) continue;
            e = running.ApplyExpiries(expiries, e, t.Timestamp);
            ApplyTransfer(ref running, in t, accountId);
            if (t.Timestamp < filter.TimestampMin || !Matches(in t, accountId, in filter)) continue;
            if (countOnly)
            {
                rows++;
                continue;
            }
            if (skip > 0)
            {
                skip--;
                continue;
            }
            output[written++] = running.ToBalance(t.Timestamp);
            if (written == output.Length) break;
        }
        return countOnly ? rows : written;
    }

    private void ApplyTransfer(ref Running running, in Transfer t, UInt128 accountId)
    {
        var debit = t.DebitAccountId == accountId;
        if ((t.Flags & (TransferFlags.PostPendingTransfer | TransferFlags.VoidPendingTransfer)) != 0)
        {
            Invariant.Assert(_transferIndex.TryGetValue(t.PendingId, out var pendingSlot));
            var pendingAmount = _transfers[pendingSlot].Amount;
            var posted = (t.Flags & TransferFlags.PostPendingTransfer) != 0 ? t.Amount : UInt128.Zero;
            if (debit)
            {
                running.DebitsPending -= pendingAmount;
                running.DebitsPosted += posted;
            }
            else
            {
                running.CreditsPending -= pendingAmount;
                running.CreditsPosted += posted;
            }
        }
        else if ((t.Flags & TransferFlags.Pending) != 0)
        {
            if (debit) running.DebitsPending += t.Amount;
            else running.CreditsPending += t.Amount;
        }
        else
        {
            if (debit) running.DebitsPosted += t.Amount;
            else running.CreditsPosted += t.Amount;
        }
    }

    private readonly record struct ExpiryEvent(ulong Timestamp, UInt128 Amount, bool Debit);

    private struct Running
    {
        public UInt128 DebitsPending;
        public UInt128 DebitsPosted;
        public UInt128 CreditsPending;
        public UInt128 CreditsPosted;

        public int ApplyExpiries(ExpiryEvent[] expiries, int next, ulong upTo)
        {
            while (next < expiries.Length && expiries[next].Timestamp <= upTo)
            {
                if (expiries[next].Debit) DebitsPending -= expiries[next].Amount;
                else CreditsPending -= expiries[next].Amount;
                next++;
            }
            return next;
        }

        public readonly AccountBalance ToBalance(ulong timestamp) =>
            new(timestamp, DebitsPending, DebitsPosted, CreditsPending, CreditsPosted);
    }
}
