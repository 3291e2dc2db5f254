using BitCurrent.Ledger.Internal;

namespace BitCurrent.Ledger;

public sealed partial class LedgerEngine
{
    /// <summary>
    /// Checks every invariant from scratch in O(accounts + transfers): each account's four balances recomputed from
    /// the transfers, the ledger totals recomputed from the accounts (debits == credits, posted and pending), every
    /// flag limit, the indexes, the two-phase states and the expiry heap, timestamp order, and the digest that
    /// proves no stored transfer changed. For tests, recovery (after a snapshot load) and periodic self-checks.
    /// </summary>
    /// <exception cref="LedgerInvariantException">An invariant does not hold; the engine refuses further batches.</exception>
    public void Audit()
    {
        try
        {
            AuditCore();
        }
        catch (LedgerInvariantException)
        {
            _failed = true;
            throw;
        }
    }

    private void AuditCore()
    {
        Invariant.Assert(!_failed);
        Invariant.Assert(_accountIndex.Count == _accountCount);
        Invariant.Assert(_transferIndex.Count == _transferCount);
        Invariant.Assert(_ledgerIndex.Count == _ledgerCount);

        // Accounts: index, order, ledger slot, zeroed tail.
        var debitsPending = new UInt128[_accountCount];
        var debitsPosted = new UInt128[_accountCount];
        var creditsPending = new UInt128[_accountCount];
        var creditsPosted = new UInt128[_accountCount];
        var previous = 0UL;
        for (var i = 0; i < _accountCount; i++)
        {
            ref readonly var a = ref _accounts[i];
            Invariant.Assert(_accountIndex.TryGetValue(a.Id, out var index) && index == i);
            Invariant.Assert(a.Id != UInt128.Zero && a.Id != UInt128.MaxValue);
            Invariant.Assert(a.Timestamp > previous && a.Timestamp <= _lastTimestamp);
            previous = a.Timestamp;
            Invariant.Assert(a.Ledger != 0 && a.Code != 0 && a.Reserved == 0);
            Invariant.Assert((a.Flags & ~AccountFlagsDefined) == 0);
            Invariant.Assert(_ledgers[_accountLedgerSlot[i]].Ledger == a.Ledger);
            CheckAccountLimits(in a);
        }

        // Transfers: index, order, digest, two-phase states, balances recomputed.
        var digest = 0UL;
        var resolutions = new int[_transferCount];
        var pendingWithTimeout = 0;
        previous = 0;
        for (var i = 0; i < _transferCount; i++)
        {
            ref readonly var t = ref _transfers[i];
            ref readonly var s = ref _transferStates[i];
            Invariant.Assert(_transferIndex.TryGetValue(t.Id, out var slot) && slot == i);
            Invariant.Assert(t.Timestamp > previous && t.Timestamp <= _lastTimestamp);
            previous = t.Timestamp;
            digest += TransferDigest(in t);
            Invariant.Assert(_accountIndex.TryGetValue(t.DebitAccountId, out var dr));
            Invariant.Assert(_accountIndex.TryGetValue(t.CreditAccountId, out var cr));
            Invariant.Assert(dr != cr);
            Invariant.Assert(_accounts[dr].Ledger == t.Ledger && _accounts[cr].Ledger == t.Ledger);

            if ((t.Flags & (TransferFlags.PostPendingTransfer | TransferFlags.VoidPendingTransfer)) != 0)
            {
                var post = (t.Flags & TransferFlags.PostPendingTransfer) != 0;
                Invariant.Assert(s.Status == PendingStatus.None && s.ExpiresAt == 0 && s.HeapIndex == -1);
                Invariant.Assert(_transferIndex.TryGetValue(t.PendingId, out var p) && p < i);
                ref readonly var pending = ref _transfers[p];
                ref readonly var pendingState = ref _transferStates[p];
                Invariant.Assert(pendingState.Status == (post ? PendingStatus.Posted : PendingStatus.Voided));
                Invariant.Assert(pendingState.ResolvedTimestamp == t.Timestamp);
                Invariant.Assert(pending.DebitAccountId == t.DebitAccountId && pending.CreditAccountId == t.CreditAccountId);
                Invariant.Assert(post ? t.Amount <= pending.Amount : t.Amount == pending.Amount);
                resolutions[p]++;
                if (post)
                {
                    debitsPosted[dr] += t.Amount;
                    creditsPosted[cr] += t.Amount;
                }
            }
            else if ((t.Flags & TransferFlags.Pending) != 0)
            {
                Invariant.Assert(s.Status is PendingStatus.Pending or PendingStatus.Posted or PendingStatus.Voided or PendingStatus.Expired);
                var expected = t.TimeoutSeconds == 0 ? 0UL : t.Timestamp + (t.TimeoutSeconds * Transfer.NanosecondsPerSecond);
                Invariant.Assert(s.ExpiresAt == expected);
                if (s.Status == PendingStatus.Pending)
                {
                    Invariant.Assert(s.ResolvedTimestamp == 0);
                    Invariant.Assert((s.HeapIndex >= 0) == (s.ExpiresAt != 0));
                    if (s.ExpiresAt != 0) pendingWithTimeout++;
                    debitsPending[dr] += t.Amount;
                    creditsPending[cr] += t.Amount;
                }
                else
                {
                    Invariant.Assert(s.HeapIndex == -1 && s.ResolvedTimestamp > t.Timestamp);
                    if (s.Status == PendingStatus.Expired) Invariant.Assert(s.ExpiresAt != 0 && s.ExpiresAt <= s.ResolvedTimestamp);
                }
            }
            else
            {
                Invariant.Assert(s.Status == PendingStatus.None && s.ExpiresAt == 0 && s.HeapIndex == -1);
                Invariant.Assert(t.PendingId == UInt128.Zero && t.TimeoutSeconds == 0 && t.Amount != UInt128.Zero);
                debitsPosted[dr] += t.Amount;
                creditsPosted[cr] += t.Amount;
            }
        }
        Invariant.Assert(digest == _transfersDigest);
        for (var i = 0; i < _transferCount; i++)
        {
            var status = _transferStates[i].Status;
            var resolvedByTransfer = status is PendingStatus.Posted or PendingStatus.Voided;
            Invariant.Assert(resolutions[i] == (resolvedByTransfer ? 1 : 0));
        }
        Invariant.Assert(pendingWithTimeout == _expiry.Count);
        _expiry.Validate(_transferStates);

        // Balances equal the sum of their transfers; ledger totals equal the sum of their accounts.
        var totals = new LedgerSlot[_ledgerCount];
        for (var i = 0; i < _accountCount; i++)
        {
            ref readonly var a = ref _accounts[i];
            Invariant.Assert(a.DebitsPending == debitsPending[i] && a.DebitsPosted == debitsPosted[i]);
            Invariant.Assert(a.CreditsPending == creditsPending[i] && a.CreditsPosted == creditsPosted[i]);
            ref var l = ref totals[_accountLedgerSlot[i]];
            l.AccountCount++;
            l.DebitsPending = unchecked(l.DebitsPending + a.DebitsPending);
            l.DebitsPosted = unchecked(l.DebitsPosted + a.DebitsPosted);
            l.CreditsPending = unchecked(l.CreditsPending + a.CreditsPending);
            l.CreditsPosted = unchecked(l.CreditsPosted + a.CreditsPosted);
        }
        for (var i = 0; i < _ledgerCount; i++)
        {
            ref readonly var kept = ref _ledgers[i];
            ref readonly var sum = ref totals[i];
            Invariant.Assert(_ledgerIndex.TryGetValue(kept.Ledger, out var slot) && slot == i);
            Invariant.Assert(kept.AccountCount == sum.AccountCount && kept.AccountCount > 0);
            Invariant.Assert(kept.DebitsPosted == sum.DebitsPosted && kept.CreditsPosted == sum.CreditsPosted);
            Invariant.Assert(kept.DebitsPending == sum.DebitsPending && kept.CreditsPending == sum.CreditsPending);
            Invariant.Assert(sum.DebitsPosted == sum.CreditsPosted);
            Invariant.Assert(sum.DebitsPending == sum.CreditsPending);
        }
    }
}
