using System.Runtime.CompilerServices;
using BitCurrent.Ledger.Internal;

namespace BitCurrent.Ledger;

public sealed partial class LedgerEngine
{
    // Every check runs before the first write, so a failing item changes nothing; only the items of an open
    // linked chain record undo entries (see Rollback). The order of the checks is the order of the result enums.

    private CreateAccountResult CreateAccount(in Account a, ulong timestamp)
    {
        if (a.Timestamp != 0) return CreateAccountResult.TimestampMustBeZero;
        if (a.Reserved != 0) return CreateAccountResult.ReservedField;
        if ((a.Flags & ~AccountFlagsDefined) != 0) return CreateAccountResult.ReservedFlag;
        if (a.Id == UInt128.Zero) return CreateAccountResult.IdMustNotBeZero;
        if (a.Id == UInt128.MaxValue) return CreateAccountResult.IdMustNotBeIntMax;
        if ((a.Flags & AccountFlags.DebitsMustNotExceedCredits) != 0 && (a.Flags & AccountFlags.CreditsMustNotExceedDebits) != 0)
            return CreateAccountResult.FlagsAreMutuallyExclusive;
        if (a.DebitsPending != UInt128.Zero) return CreateAccountResult.DebitsPendingMustBeZero;
        if (a.DebitsPosted != UInt128.Zero) return CreateAccountResult.DebitsPostedMustBeZero;
        if (a.CreditsPending != UInt128.Zero) return CreateAccountResult.CreditsPendingMustBeZero;
        if (a.CreditsPosted != UInt128.Zero) return CreateAccountResult.CreditsPostedMustBeZero;
        if (a.Ledger == 0) return CreateAccountResult.LedgerMustNotBeZero;
        if (a.Code == 0) return CreateAccountResult.CodeMustNotBeZero;

        if (_accountIndex.TryGetValue(a.Id, out var existing)) return AccountExists(in a, in _accounts[existing]);

        var newLedger = !_ledgerIndex.TryGetValue(a.Ledger, out var ledgerSlot);
        if (newLedger && _ledgerCount == _ledgers.Length) return CreateAccountResult.LedgerCapacityExceeded;
        if (_accountCount == _accounts.Length) return CreateAccountResult.AccountCapacityExceeded;

        if (newLedger)
        {
            ledgerSlot = _ledgerCount++;
            _ledgers[ledgerSlot] = new LedgerSlot { Ledger = a.Ledger };
            _ledgerIndex.Add(a.Ledger, ledgerSlot);
            if (_undo.Enabled) _undo.Op(UndoKind.LedgerCreated, ledgerSlot);
        }
        if (_undo.Enabled) _undo.Ledger(ledgerSlot, in _ledgers[ledgerSlot]);
        _ledgers[ledgerSlot].AccountCount++;

        var index = _accountCount++;
        _accounts[index] = a with { Timestamp = timestamp };
        _accountLedgerSlot[index] = ledgerSlot;
        _accountIndex.Add(a.Id, index);
        if (_undo.Enabled) _undo.Op(UndoKind.AccountCreated, index);
        return CreateAccountResult.Ok;
    }

    private static CreateAccountResult AccountExists(in Account a, in Account e)
    {
        // Closed is not compared: closing transfers change it after creation.
        if ((a.Flags & ~AccountFlags.Closed) != (e.Flags & ~AccountFlags.Closed)) return CreateAccountResult.ExistsWithDifferentFlags;
        if (a.UserData128 != e.UserData128) return CreateAccountResult.ExistsWithDifferentUserData128;
        if (a.UserData64 != e.UserData64) return CreateAccountResult.ExistsWithDifferentUserData64;
        if (a.UserData32 != e.UserData32) return CreateAccountResult.ExistsWithDifferentUserData32;
        if (a.Ledger != e.Ledger) return CreateAccountResult.ExistsWithDifferentLedger;
        if (a.Code != e.Code) return CreateAccountResult.ExistsWithDifferentCode;
        return CreateAccountResult.Exists;
    }

    private CreateTransferResult CreateTransfer(in Transfer t, ulong timestamp)
    {
        var flags = t.Flags;
        if (t.Timestamp != 0) return CreateTransferResult.TimestampMustBeZero;
        if ((flags & ~TransferFlagsDefined) != 0) return CreateTransferResult.ReservedFlag;
        if (t.Id == UInt128.Zero) return CreateTransferResult.IdMustNotBeZero;
        if (t.Id == UInt128.MaxValue) return CreateTransferResult.IdMustNotBeIntMax;

        var pending = (flags & TransferFlags.Pending) != 0;
        var post = (flags & TransferFlags.PostPendingTransfer) != 0;
        var isVoid = (flags & TransferFlags.VoidPendingTransfer) != 0;
        var postOrVoid = post | isVoid;
        var balancing = (flags & (TransferFlags.BalancingDebit | TransferFlags.BalancingCredit)) != 0;
        var closing = (flags & (TransferFlags.ClosingDebit | TransferFlags.ClosingCredit)) != 0;
        if ((pending ? 1 : 0) + (post ? 1 : 0) + (isVoid ? 1 : 0) > 1) return CreateTransferResult.FlagsAreMutuallyExclusive;
        if (postOrVoid && (balancing || closing)) return CreateTransferResult.FlagsAreMutuallyExclusive;

        if (!postOrVoid)
        {
            if (t.PendingId != UInt128.Zero) return CreateTransferResult.PendingIdMustBeZero;
        }
        else
        {
            if (t.PendingId == UInt128.Zero) return CreateTransferResult.PendingIdMustNotBeZero;
            if (t.PendingId == UInt128.MaxValue) return CreateTransferResult.PendingIdMustNotBeIntMax;
            if (t.PendingId == t.Id) return CreateTransferResult.PendingIdMustBeDifferent;
        }
        if (!pending && t.TimeoutSeconds != 0) return CreateTransferResult.TimeoutReservedForPendingTransfer;
        if (closing && !pending) return CreateTransferResult.ClosingTransferMustBePending;

        if (!postOrVoid && t.DebitAccountId == UInt128.Zero) return CreateTransferResult.DebitAccountIdMustNotBeZero;
        if (t.DebitAccountId == UInt128.MaxValue) return CreateTransferResult.DebitAccountIdMustNotBeIntMax;
        if (!postOrVoid && t.CreditAccountId == UInt128.Zero) return CreateTransferResult.CreditAccountIdMustNotBeZero;
        if (t.CreditAccountId == UInt128.MaxValue) return CreateTransferResult.CreditAccountIdMustNotBeIntMax;
        if (t.DebitAccountId != UInt128.Zero && t.DebitAccountId == t.CreditAccountId) return CreateTransferResult.AccountsMustBeDifferent;
        if (!postOrVoid)
        {
            if (t.Amount == UInt128.Zero) return CreateTransferResult.AmountMustNotBeZero;
            if (t.Ledger == 0) return CreateTransferResult.LedgerMustNotBeZero;
            if (t.Code == 0) return CreateTransferResult.CodeMustNotBeZero;
        }

        if (_transferIndex.TryGetValue(t.Id, out var existing)) return TransferExists(in t, in _transfers[existing], postOrVoid);

        return postOrVoid ? PostOrVoid(in t, timestamp, post) : CreatePostedOrPending(in t, timestamp, pending);
    }

    private static CreateTransferResult TransferExists(in Transfer t, in Transfer e, bool postOrVoid)
    {
        if (t.Flags != e.Flags) return CreateTransferResult.ExistsWithDifferentFlags;
        if (t.PendingId != e.PendingId) return CreateTransferResult.ExistsWithDifferentPendingId;
        if (t.TimeoutSeconds != e.TimeoutSeconds) return CreateTransferResult.ExistsWithDifferentTimeout;
        if (postOrVoid)
        {
            // A post or void may leave accounts, amount, ledger and code at 0 ("as pending"); the stored record
            // holds the resolved values, so only non-zero request fields are compared.
            if (t.DebitAccountId != UInt128.Zero && t.DebitAccountId != e.DebitAccountId) return CreateTransferResult.ExistsWithDifferentDebitAccountId;
            if (t.CreditAccountId != UInt128.Zero && t.CreditAccountId != e.CreditAccountId) return CreateTransferResult.ExistsWithDifferentCreditAccountId;
            if (t.Amount != UInt128.Zero && t.Amount != e.Amount) return CreateTransferResult.ExistsWithDifferentAmount;
        }
        else
        {
            if (t.DebitAccountId != e.DebitAccountId) return CreateTransferResult.ExistsWithDifferentDebitAccountId;
            if (t.CreditAccountId != e.CreditAccountId) return CreateTransferResult.ExistsWithDifferentCreditAccountId;
            var balancing = (t.Flags & (TransferFlags.BalancingDebit | TransferFlags.BalancingCredit)) != 0;
            // A balancing transfer stores the amount it moved, at most the requested upper bound.
            if (balancing ? e.Amount > t.Amount : e.Amount != t.Amount) return CreateTransferResult.ExistsWithDifferentAmount;
        }
        if (t.UserData128 != e.UserData128) return CreateTransferResult.ExistsWithDifferentUserData128;
        if (t.UserData64 != e.UserData64) return CreateTransferResult.ExistsWithDifferentUserData64;
        if (t.UserData32 != e.UserData32) return CreateTransferResult.ExistsWithDifferentUserData32;
        if ((!postOrVoid || t.Ledger != 0) && t.Ledger != e.Ledger) return CreateTransferResult.ExistsWithDifferentLedger;
        if ((!postOrVoid || t.Code != 0) && t.Code != e.Code) return CreateTransferResult.ExistsWithDifferentCode;
        return CreateTransferResult.Exists;
    }

    private CreateTransferResult CreatePostedOrPending(in Transfer t, ulong timestamp, bool pending)
    {
        if (!_accountIndex.TryGetValue(t.DebitAccountId, out var dr)) return CreateTransferResult.DebitAccountNotFound;
        if (!_accountIndex.TryGetValue(t.CreditAccountId, out var cr)) return CreateTransferResult.CreditAccountNotFound;
        ref var da = ref _accounts[dr];
        ref var ca = ref _accounts[cr];
        if (da.Ledger != ca.Ledger) return CreateTransferResult.AccountsMustHaveTheSameLedger;
        if (t.Ledger != da.Ledger) return CreateTransferResult.TransferMustHaveTheSameLedgerAsAccounts;
        if ((da.Flags & AccountFlags.Closed) != 0) return CreateTransferResult.DebitAccountAlreadyClosed;
        if ((ca.Flags & AccountFlags.Closed) != 0) return CreateTransferResult.CreditAccountAlreadyClosed;

        var flags = t.Flags;
        var amount = t.Amount;
        var debitAvailable = UInt128.Zero;
        if ((flags & TransferFlags.BalancingDebit) != 0)
        {
            var debits = da.DebitsPending + da.DebitsPosted;
            debitAvailable = da.CreditsPosted > debits ? da.CreditsPosted - debits : UInt128.Zero;
            if (debitAvailable < amount) amount = debitAvailable;
        }
        if ((flags & TransferFlags.BalancingCredit) != 0)
        {
            var credits = ca.CreditsPending + ca.CreditsPosted;
            var creditAvailable = ca.DebitsPosted > credits ? ca.DebitsPosted - credits : UInt128.Zero;
            if (creditAvailable < amount) amount = creditAvailable;
        }

        if (pending)
        {
            if (amount > UInt128.MaxValue - da.DebitsPending) return CreateTransferResult.OverflowsDebitsPending;
            if (amount > UInt128.MaxValue - ca.CreditsPending) return CreateTransferResult.OverflowsCreditsPending;
        }
        if (amount > UInt128.MaxValue - da.DebitsPosted) return CreateTransferResult.OverflowsDebitsPosted;
        if (amount > UInt128.MaxValue - ca.CreditsPosted) return CreateTransferResult.OverflowsCreditsPosted;
        if (amount > UInt128.MaxValue - (da.DebitsPending + da.DebitsPosted)) return CreateTransferResult.OverflowsDebits;
        if (amount > UInt128.MaxValue - (ca.CreditsPending + ca.CreditsPosted)) return CreateTransferResult.OverflowsCredits;

        var expiresAt = 0UL;
        if (pending && t.TimeoutSeconds != 0)
        {
            var timeoutNs = t.TimeoutSeconds * Transfer.NanosecondsPerSecond; // < 2^62: no overflow
            if (timeoutNs > ulong.MaxValue - timestamp) return CreateTransferResult.OverflowsTimeout;
            expiresAt = timestamp + timeoutNs;
        }

        if (amount == UInt128.Zero)
        {
            // Only a balancing transfer reaches here with nothing to move (the request amount is not zero).
            return (flags & TransferFlags.BalancingDebit) != 0 && debitAvailable == UInt128.Zero
                ? CreateTransferResult.ExceedsCredits
                : CreateTransferResult.ExceedsDebits;
        }
        if ((da.Flags & AccountFlags.DebitsMustNotExceedCredits) != 0 && da.DebitsPending + da.DebitsPosted + amount > da.CreditsPosted)
            return CreateTransferResult.ExceedsCredits;
        if ((ca.Flags & AccountFlags.CreditsMustNotExceedDebits) != 0 && ca.CreditsPending + ca.CreditsPosted + amount > ca.DebitsPosted)
            return CreateTransferResult.ExceedsDebits;
        if (_transferCount == _transfers.Length) return CreateTransferResult.TransferCapacityExceeded;

        // Apply.
        var slot = _transferCount;
        var ledgerSlot = _accountLedgerSlot[dr];
        if (_undo.Enabled)
        {
            _undo.Account(dr, in da);
            _undo.Account(cr, in ca);
            _undo.Ledger(ledgerSlot, in _ledgers[ledgerSlot]);
        }
        AppendTransfer(in t, slot, timestamp, t.DebitAccountId, t.CreditAccountId, amount, t.Ledger, t.Code);
        ref var state = ref _transferStates[slot];
        if (pending)
        {
            state.Status = PendingStatus.Pending;
            state.ExpiresAt = expiresAt;
            AddDebitPending(ref da, ledgerSlot, amount);
            AddCreditPending(ref ca, ledgerSlot, amount);
            if ((flags & TransferFlags.ClosingDebit) != 0) da.Flags |= AccountFlags.Closed;
            if ((flags & TransferFlags.ClosingCredit) != 0) ca.Flags |= AccountFlags.Closed;
            if (expiresAt != 0)
            {
                _expiry.Add(_transferStates, slot);
                if (_undo.Enabled) _undo.Op(UndoKind.HeapAdded, slot);
            }
        }
        else
        {
            AddDebitPosted(ref da, ledgerSlot, amount);
            AddCreditPosted(ref ca, ledgerSlot, amount);
        }
        Touch(dr);
        Touch(cr);
        return CreateTransferResult.Ok;
    }

    private CreateTransferResult PostOrVoid(in Transfer t, ulong timestamp, bool post)
    {
        if (!_transferIndex.TryGetValue(t.PendingId, out var pendingSlot)) return CreateTransferResult.PendingTransferNotFound;
        ref readonly var p = ref _transfers[pendingSlot];
        if ((p.Flags & TransferFlags.Pending) == 0) return CreateTransferResult.PendingTransferNotPending;
        if (t.DebitAccountId != UInt128.Zero && t.DebitAccountId != p.DebitAccountId) return CreateTransferResult.PendingTransferHasDifferentDebitAccountId;
        if (t.CreditAccountId != UInt128.Zero && t.CreditAccountId != p.CreditAccountId) return CreateTransferResult.PendingTransferHasDifferentCreditAccountId;
        if (t.Ledger != 0 && t.Ledger != p.Ledger) return CreateTransferResult.PendingTransferHasDifferentLedger;
        if (t.Code != 0 && t.Code != p.Code) return CreateTransferResult.PendingTransferHasDifferentCode;
        var amount = t.Amount == UInt128.Zero ? p.Amount : t.Amount;
        if (amount > p.Amount) return CreateTransferResult.ExceedsPendingTransferAmount;
        if (!post && amount != p.Amount) return CreateTransferResult.PendingTransferHasDifferentAmount;

        ref var pendingState = ref _transferStates[pendingSlot];
        switch (pendingState.Status)
        {
            case PendingStatus.Posted: return CreateTransferResult.PendingTransferAlreadyPosted;
            case PendingStatus.Voided: return CreateTransferResult.PendingTransferAlreadyVoided;
            case PendingStatus.Expired: return CreateTransferResult.PendingTransferExpired;
            default: Invariant.Assert(pendingState.Status == PendingStatus.Pending); break;
        }
        if (pendingState.ExpiresAt != 0 && pendingState.ExpiresAt <= timestamp) return CreateTransferResult.PendingTransferExpired;

        Invariant.Assert(_accountIndex.TryGetValue(p.DebitAccountId, out var dr));
        Invariant.Assert(_accountIndex.TryGetValue(p.CreditAccountId, out var cr));
        ref var da = ref _accounts[dr];
        ref var ca = ref _accounts[cr];
        if (post)
        {
            // A closed account takes no new posting, unless it was closed by this very pending transfer.
            if ((da.Flags & AccountFlags.Closed) != 0 && (p.Flags & TransferFlags.ClosingDebit) == 0) return CreateTransferResult.DebitAccountAlreadyClosed;
            if ((ca.Flags & AccountFlags.Closed) != 0 && (p.Flags & TransferFlags.ClosingCredit) == 0) return CreateTransferResult.CreditAccountAlreadyClosed;
        }
        if (_transferCount == _transfers.Length) return CreateTransferResult.TransferCapacityExceeded;

        // Apply. No overflow is possible: posted + amount <= posted + pending, which was checked at creation.
        var slot = _transferCount;
        var ledgerSlot = _accountLedgerSlot[dr];
        if (_undo.Enabled)
        {
            _undo.Account(dr, in da);
            _undo.Account(cr, in ca);
            _undo.Ledger(ledgerSlot, in _ledgers[ledgerSlot]);
            _undo.State(pendingSlot, in pendingState);
        }
        var pendingAmount = p.Amount;
        var pendingFlags = p.Flags;
        AppendTransfer(in t, slot, timestamp, p.DebitAccountId, p.CreditAccountId, amount, p.Ledger, p.Code);
        SubtractDebitPending(ref da, ledgerSlot, pendingAmount);
        SubtractCreditPending(ref ca, ledgerSlot, pendingAmount);
        if (post)
        {
            AddDebitPosted(ref da, ledgerSlot, amount);
            AddCreditPosted(ref ca, ledgerSlot, amount);
        }
        else
        {
            ReopenIfClosedBy(ref da, ref ca, pendingFlags);
        }
        pendingState.Status = post ? PendingStatus.Posted : PendingStatus.Voided;
        pendingState.ResolvedTimestamp = timestamp;
        if (pendingState.HeapIndex >= 0)
        {
            _expiry.Remove(_transferStates, pendingSlot);
            if (_undo.Enabled) _undo.Op(UndoKind.HeapRemoved, pendingSlot);
        }
        Touch(dr);
        Touch(cr);
        return CreateTransferResult.Ok;
    }

    private void AppendTransfer(in Transfer t, int slot, ulong timestamp, UInt128 debit, UInt128 credit, UInt128 amount, uint ledger, ushort code)
    {
        ref var stored = ref _transfers[slot];
        stored = t;
        stored.DebitAccountId = debit;
        stored.CreditAccountId = credit;
        stored.Amount = amount;
        stored.Ledger = ledger;
        stored.Code = code;
        stored.Timestamp = timestamp;
        _transferStates[slot] = new TransferState { HeapIndex = -1 };
        _transferIndex.Add(t.Id, slot);
        _transfersDigest += TransferDigest(in stored);
        _transferCount = slot + 1;
        if (_undo.Enabled) _undo.Op(UndoKind.TransferCreated, slot);
    }

    /// <summary>Expires every pending transfer whose expiry is at or before <paramref name="timestamp"/>, oldest expiry first.</summary>
    private void ExpireDue(ulong timestamp)
    {
        while (_expiry.Count > 0)
        {
            var slot = _expiry.MinSlot;
            ref var state = ref _transferStates[slot];
            if (state.ExpiresAt > timestamp) return;
            Invariant.Assert(state.Status == PendingStatus.Pending);
            _expiry.Remove(_transferStates, slot);
            state.Status = PendingStatus.Expired;
            state.ResolvedTimestamp = timestamp;

            ref readonly var p = ref _transfers[slot];
            Invariant.Assert(_accountIndex.TryGetValue(p.DebitAccountId, out var dr));
            Invariant.Assert(_accountIndex.TryGetValue(p.CreditAccountId, out var cr));
            ref var da = ref _accounts[dr];
            ref var ca = ref _accounts[cr];
            var ledgerSlot = _accountLedgerSlot[dr];
            SubtractDebitPending(ref da, ledgerSlot, p.Amount);
            SubtractCreditPending(ref ca, ledgerSlot, p.Amount);
            ReopenIfClosedBy(ref da, ref ca, p.Flags);
            Touch(dr);
            Touch(cr);
        }
    }

    private static void ReopenIfClosedBy(ref Account debit, ref Account credit, TransferFlags pendingFlags)
    {
        if ((pendingFlags & TransferFlags.ClosingDebit) != 0) debit.Flags &= ~AccountFlags.Closed;
        if ((pendingFlags & TransferFlags.ClosingCredit) != 0) credit.Flags &= ~AccountFlags.Closed;
    }

    // Each side updates its account and its own half of the ledger totals, so that a bug that moves one side
    // without the other shows as debits != credits after the batch.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddDebitPosted(ref Account a, int ledgerSlot, UInt128 amount)
    {
        a.DebitsPosted += amount;
        _ledgers[ledgerSlot].DebitsPosted = unchecked(_ledgers[ledgerSlot].DebitsPosted + amount);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddCreditPosted(ref Account a, int ledgerSlot, UInt128 amount)
    {
        a.CreditsPosted += amount;
        _ledgers[ledgerSlot].CreditsPosted = unchecked(_ledgers[ledgerSlot].CreditsPosted + amount);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddDebitPending(ref Account a, int ledgerSlot, UInt128 amount)
    {
        a.DebitsPending += amount;
        _ledgers[ledgerSlot].DebitsPending = unchecked(_ledgers[ledgerSlot].DebitsPending + amount);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddCreditPending(ref Account a, int ledgerSlot, UInt128 amount)
    {
        a.CreditsPending += amount;
        _ledgers[ledgerSlot].CreditsPending = unchecked(_ledgers[ledgerSlot].CreditsPending + amount);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SubtractDebitPending(ref Account a, int ledgerSlot, UInt128 amount)
    {
        Invariant.Assert(a.DebitsPending >= amount);
        a.DebitsPending -= amount;
        _ledgers[ledgerSlot].DebitsPending = unchecked(_ledgers[ledgerSlot].DebitsPending - amount);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SubtractCreditPending(ref Account a, int ledgerSlot, UInt128 amount)
    {
        Invariant.Assert(a.CreditsPending >= amount);
        a.CreditsPending -= amount;
        _ledgers[ledgerSlot].CreditsPending = unchecked(_ledgers[ledgerSlot].CreditsPending - amount);
    }
}
