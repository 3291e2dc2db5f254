using System.Runtime.CompilerServices;
using BitCurrent.Ledger.Internal;

namespace BitCurrent.Ledger;

/// <summary>
/// A double-entry ledger as a single-threaded, deterministic state machine, modelled on TigerBeetle: batches of
/// accounts and transfers go in with the batch's timestamp, one result code per item comes out. It never reads a
/// clock or a random source, so the same batches with the same timestamps give the same results and the same
/// <see cref="ComputeStateHash"/> on any machine.
/// </summary>
/// <remarks>
/// <para><b>Timestamps.</b> The caller (the sequencer) passes each batch's timestamp in nanoseconds. It must be
/// greater than <see cref="LastTimestamp"/>. Item <c>i</c> of a batch gets the timestamp <c>timestamp + i</c>, so
/// every account and transfer has a unique timestamp; a good choice is <c>max(clock, LastTimestamp + 1)</c>.
/// Before its items, every batch expires the pending transfers whose expiry is at or before its timestamp.</para>
/// <para><b>Memory.</b> Everything is allocated by the constructor from <see cref="LedgerEngineOptions"/>; applying
/// batches allocates nothing. Full stores return a result code rather than grow.</para>
/// <para><b>Invariants.</b> After every batch (Release builds too): per ledger, debits equal credits for posted
/// and for pending amounts (O(ledgers), from running totals); no account touched by the batch breaks its
/// debit/credit limit; the indexes match the stores. <see cref="Audit"/> checks everything in O(n).</para>
/// <para>Not thread-safe: one thread applies batches, as in the node's sequencer design.</para>
/// </remarks>
public sealed partial class LedgerEngine
{
    private const AccountFlags AccountFlagsDefined = AccountFlags.Linked | AccountFlags.DebitsMustNotExceedCredits |
        AccountFlags.CreditsMustNotExceedDebits | AccountFlags.History | AccountFlags.Closed;

    private const TransferFlags TransferFlagsDefined = TransferFlags.Linked | TransferFlags.Pending |
        TransferFlags.PostPendingTransfer | TransferFlags.VoidPendingTransfer | TransferFlags.BalancingDebit |
        TransferFlags.BalancingCredit | TransferFlags.ClosingDebit | TransferFlags.ClosingCredit;

    private readonly Account[] _accounts;
    private readonly int[] _accountLedgerSlot;
    private readonly Dictionary<UInt128, int> _accountIndex;
    private int _accountCount;

    private readonly Transfer[] _transfers;
    private readonly TransferState[] _transferStates;
    private readonly Dictionary<UInt128, int> _transferIndex;
    private int _transferCount;

    private readonly LedgerSlot[] _ledgers;
    private readonly Dictionary<uint, int> _ledgerIndex;
    private int _ledgerCount;

    private readonly ExpiryHeap _expiry;
    private readonly UndoLog _undo;
    private readonly int[] _touched;
    private int _touchedCount;

    private ulong _lastTimestamp;
    private ulong _transfersDigest;
    private bool _failed;

    /// <summary>Creates an empty engine; all memory is allocated here.</summary>
    /// <param name="options">Capacities; <c>null</c> for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">A capacity is out of range.</exception>
    public LedgerEngine(LedgerEngineOptions? options = null)
    {
        Options = options ?? new LedgerEngineOptions();
        Options.Validate();
        _accounts = new Account[Options.AccountsMax];
        _accountLedgerSlot = new int[Options.AccountsMax];
        _accountIndex = new Dictionary<UInt128, int>(Options.AccountsMax, IdComparer.Instance);
        _transfers = new Transfer[Options.TransfersMax];
        _transferStates = new TransferState[Options.TransfersMax];
        _transferIndex = new Dictionary<UInt128, int>(Options.TransfersMax, IdComparer.Instance);
        _ledgers = new LedgerSlot[Options.LedgersMax];
        _ledgerIndex = new Dictionary<uint, int>(Options.LedgersMax);
        _expiry = new ExpiryHeap(Options.TransfersMax);
        _undo = new UndoLog(Options.BatchItemsMax);
        _touched = new int[Options.BatchItemsMax * 2];
    }

    /// <summary>The capacities this engine was built with.</summary>
    public LedgerEngineOptions Options { get; }

    /// <summary>The largest timestamp assigned so far (0 before the first batch). The next batch's timestamp must exceed it.</summary>
    public ulong LastTimestamp => _lastTimestamp;

    /// <summary>Number of accounts.</summary>
    public int AccountCount => _accountCount;

    /// <summary>Number of transfers (posts and voids included).</summary>
    public int TransferCount => _transferCount;

    /// <summary>Number of ledgers that have at least one account.</summary>
    public int LedgerCount => _ledgerCount;

    /// <summary>Number of pending transfers with a timeout that have not yet been posted, voided or expired.</summary>
    public int PendingWithTimeoutCount => _expiry.Count;

    /// <summary>The accounts in creation (timestamp) order. For this assembly's readers; never written through.</summary>
    internal ReadOnlySpan<Account> AccountsSpan => _accounts.AsSpan(0, _accountCount);

    /// <summary>The transfers in creation (timestamp) order.</summary>
    internal ReadOnlySpan<Transfer> TransfersSpan => _transfers.AsSpan(0, _transferCount);

    /// <summary>The pending state of each transfer, parallel to <see cref="TransfersSpan"/>.</summary>
    internal ReadOnlySpan<TransferState> TransferStatesSpan => _transferStates.AsSpan(0, _transferCount);

    /// <summary>
    /// Creates a batch of accounts. <paramref name="results"/>[i] receives the result of <paramref name="batch"/>[i].
    /// Account i gets the timestamp <c><paramref name="timestamp"/> + i</c>.
    /// </summary>
    /// <returns>The number of accounts created (results <see cref="CreateAccountResult.Ok"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The batch exceeds <see cref="LedgerEngineOptions.BatchItemsMax"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="results"/> is shorter than the batch.</exception>
    /// <exception cref="LedgerInvariantException">The timestamp does not exceed <see cref="LastTimestamp"/> (nothing changed), or an invariant broke (the engine is now unusable).</exception>
    public int CreateAccounts(ReadOnlySpan<Account> batch, ulong timestamp, Span<CreateAccountResult> results)
    {
        CheckBatch(batch.Length, results.Length, timestamp);
        try
        {
            ExpireDue(timestamp);
            ApplyAccounts(batch, timestamp, results);
            EndBatch(batch.Length, timestamp);
        }
        catch
        {
            _failed = true;  // an assertion (or a bug) stopped the batch half-way: the state can no longer be trusted
            throw;
        }
        var created = 0;
        for (var i = 0; i < batch.Length; i++) if (results[i] == CreateAccountResult.Ok) created++;
        return created;
    }

    private void ApplyAccounts(ReadOnlySpan<Account> batch, ulong timestamp, Span<CreateAccountResult> results)
    {
        var chainStart = -1;
        var chainBroken = false;
        for (var i = 0; i < batch.Length; i++)
        {
            ref readonly var a = ref batch[i];
            var linked = (a.Flags & AccountFlags.Linked) != 0;
            if (linked && chainStart < 0) OpenChain(ref chainStart, i);

            CreateAccountResult result;
            if (linked && i == batch.Length - 1) result = CreateAccountResult.LinkedEventChainOpen;
            else if (chainBroken) result = CreateAccountResult.LinkedEventFailed;
            else result = CreateAccount(in a, timestamp + (ulong)i);
            results[i] = result;

            if (chainStart < 0) continue;
            if (result != CreateAccountResult.Ok && !chainBroken)
            {
                Rollback();
                for (var j = chainStart; j < i; j++) results[j] = CreateAccountResult.LinkedEventFailed;
                chainBroken = true;
            }
            if (!linked) CloseChain(ref chainStart, ref chainBroken);
        }
        if (chainStart >= 0) CloseChain(ref chainStart, ref chainBroken);
    }

    /// <summary>
    /// Creates a batch of transfers (single-phase, pending, posts and voids, linked chains). <paramref name="results"/>[i]
    /// receives the result of <paramref name="batch"/>[i]. Transfer i gets the timestamp <c><paramref name="timestamp"/> + i</c>.
    /// Before the items, pending transfers whose expiry is at or before <paramref name="timestamp"/> expire.
    /// </summary>
    /// <returns>The number of transfers created (results <see cref="CreateTransferResult.Ok"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The batch exceeds <see cref="LedgerEngineOptions.BatchItemsMax"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="results"/> is shorter than the batch.</exception>
    /// <exception cref="LedgerInvariantException">The timestamp does not exceed <see cref="LastTimestamp"/> (nothing changed), or an invariant broke (the engine is now unusable).</exception>
    public int CreateTransfers(ReadOnlySpan<Transfer> batch, ulong timestamp, Span<CreateTransferResult> results)
    {
        CheckBatch(batch.Length, results.Length, timestamp);
        try
        {
            ExpireDue(timestamp);
            ApplyTransfers(batch, timestamp, results);
            EndBatch(batch.Length, timestamp);
        }
        catch
        {
            _failed = true;  // an assertion (or a bug) stopped the batch half-way: the state can no longer be trusted
            throw;
        }
        var created = 0;
        for (var i = 0; i < batch.Length; i++) if (results[i] == CreateTransferResult.Ok) created++;
        return created;
    }

    private void ApplyTransfers(ReadOnlySpan<Transfer> batch, ulong timestamp, Span<CreateTransferResult> results)
    {
        var chainStart = -1;
        var chainBroken = false;
        for (var i = 0; i < batch.Length; i++)
        {
            ref readonly var t = ref batch[i];
            var linked = (t.Flags & TransferFlags.Linked) != 0;
            if (linked && chainStart < 0) OpenChain(ref chainStart, i);

            CreateTransferResult result;
            if (linked && i == batch.Length - 1) result = CreateTransferResult.LinkedEventChainOpen;
            else if (chainBroken) result = CreateTransferResult.LinkedEventFailed;
            else result = CreateTransfer(in t, timestamp + (ulong)i);
            results[i] = result;

            if (chainStart < 0) continue;
            if (result != CreateTransferResult.Ok && !chainBroken)
            {
                Rollback();
                for (var j = chainStart; j < i; j++) results[j] = CreateTransferResult.LinkedEventFailed;
                chainBroken = true;
            }
            if (!linked) CloseChain(ref chainStart, ref chainBroken);
        }
        if (chainStart >= 0) CloseChain(ref chainStart, ref chainBroken);
    }

    /// <summary>
    /// An empty batch: expires the pending transfers whose expiry is at or before <paramref name="timestamp"/>
    /// and advances <see cref="LastTimestamp"/> to it. Use it to let time pass when there is nothing else to apply.
    /// </summary>
    /// <returns>The number of pending transfers expired.</returns>
    /// <exception cref="LedgerInvariantException">The timestamp does not exceed <see cref="LastTimestamp"/>.</exception>
    public int ExpirePendingTransfers(ulong timestamp)
    {
        CheckBatch(0, 0, timestamp);
        var before = _expiry.Count;
        try
        {
            ExpireDue(timestamp);
            EndBatch(0, timestamp);
        }
        catch
        {
            _failed = true;
            throw;
        }
        return before - _expiry.Count;
    }

    /// <summary>The caller's preconditions, checked before anything changes (a failure leaves the engine usable).</summary>
    private void CheckBatch(int count, int resultsLength, ulong timestamp)
    {
        if (_failed) ThrowHelper.Failed();
        if (count > Options.BatchItemsMax) ThrowHelper.BatchTooLarge(count, Options.BatchItemsMax);
        if (resultsLength < count) ThrowHelper.ResultsTooShort(count, resultsLength);
        if (timestamp <= _lastTimestamp) ThrowHelper.TimestampNotIncreasing(timestamp, _lastTimestamp);
        if (count > 0 && timestamp > ulong.MaxValue - (ulong)(count - 1)) ThrowHelper.TimestampOverflow(timestamp, count);
        _touchedCount = 0;
    }

    private void EndBatch(int count, ulong timestamp)
    {
        _lastTimestamp = count == 0 ? timestamp : timestamp + (ulong)(count - 1);
        CheckBatchInvariants();
    }

    private void OpenChain(ref int chainStart, int index)
    {
        chainStart = index;
        _undo.Clear();
        _undo.Enabled = true;
    }

    private void CloseChain(ref int chainStart, ref bool chainBroken)
    {
        chainStart = -1;
        chainBroken = false;
        _undo.Enabled = false;
        _undo.Clear();
    }

    /// <summary>Undoes everything the open chain applied, newest first.</summary>
    private void Rollback()
    {
        var accountImage = _undo.AccountCount;
        var ledgerImage = _undo.LedgerCount;
        var stateImage = _undo.StateCount;
        for (var k = _undo.OpCount - 1; k >= 0; k--)
        {
            var op = _undo.Ops[k];
            switch (op.Kind)
            {
                case UndoKind.AccountImage:
                    _accounts[op.Index] = _undo.Accounts[--accountImage];
                    break;
                case UndoKind.LedgerImage:
                    _ledgers[op.Index] = _undo.Ledgers[--ledgerImage];
                    break;
                case UndoKind.TransferStateImage:
                    RestoreTransferState(op.Index, in _undo.States[--stateImage]);
                    break;
                case UndoKind.AccountCreated:
                    Invariant.Assert(op.Index == _accountCount - 1);
                    Invariant.Assert(_accountIndex.Remove(_accounts[op.Index].Id));
                    _accounts[op.Index] = default;
                    _accountCount--;
                    break;
                case UndoKind.LedgerCreated:
                    Invariant.Assert(op.Index == _ledgerCount - 1);
                    Invariant.Assert(_ledgerIndex.Remove(_ledgers[op.Index].Ledger));
                    _ledgers[op.Index] = default;
                    _ledgerCount--;
                    break;
                case UndoKind.TransferCreated:
                    Invariant.Assert(op.Index == _transferCount - 1);
                    Invariant.Assert(_transferIndex.Remove(_transfers[op.Index].Id));
                    _transfersDigest -= TransferDigest(in _transfers[op.Index]);
                    _transfers[op.Index] = default;
                    _transferStates[op.Index] = default;
                    _transferCount--;
                    break;
                case UndoKind.HeapAdded:
                    _expiry.Remove(_transferStates, op.Index);
                    break;
                case UndoKind.HeapRemoved:
                    _expiry.Add(_transferStates, op.Index);
                    break;
                default:
                    Invariant.Fail("unknown undo kind");
                    break;
            }
        }
        Invariant.Assert(accountImage == 0 && ledgerImage == 0 && stateImage == 0);
        _undo.Clear();
    }

    /// <summary>Restores a pending state, except its heap position (heap changes are undone by their own entries).</summary>
    private void RestoreTransferState(int slot, in TransferState image)
    {
        ref var state = ref _transferStates[slot];
        state.Status = image.Status;
        state.ResolvedTimestamp = image.ResolvedTimestamp;
        state.ExpiresAt = image.ExpiresAt;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Touch(int accountIndex)
    {
        if (_touchedCount < _touched.Length) _touched[_touchedCount++] = accountIndex;
        else CheckAccountLimits(in _accounts[accountIndex]);
    }

    private void CheckBatchInvariants()
    {
        for (var i = 0; i < _ledgerCount; i++)
        {
            ref readonly var l = ref _ledgers[i];
            Invariant.Assert(l.DebitsPosted == l.CreditsPosted);
            Invariant.Assert(l.DebitsPending == l.CreditsPending);
        }
        for (var i = 0; i < _touchedCount; i++) CheckAccountLimits(in _accounts[_touched[i]]);
        Invariant.Assert(_accountIndex.Count == _accountCount);
        Invariant.Assert(_transferIndex.Count == _transferCount);
        Invariant.Assert(_ledgerIndex.Count == _ledgerCount);
        Invariant.Assert(!_undo.Enabled && _undo.OpCount == 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckAccountLimits(in Account a)
    {
        // pending + posted never overflows: the overflow checks of every transfer guarantee it.
        Invariant.Assert(a.DebitsPending <= UInt128.MaxValue - a.DebitsPosted);
        Invariant.Assert(a.CreditsPending <= UInt128.MaxValue - a.CreditsPosted);
        if ((a.Flags & AccountFlags.DebitsMustNotExceedCredits) != 0)
            Invariant.Assert(a.DebitsPending + a.DebitsPosted <= a.CreditsPosted);
        if ((a.Flags & AccountFlags.CreditsMustNotExceedDebits) != 0)
            Invariant.Assert(a.CreditsPending + a.CreditsPosted <= a.DebitsPosted);
    }

    /// <summary>
    /// A 64-bit digest of a stored transfer record; the engine keeps the wrapping sum over all transfers so that
    /// <see cref="Audit"/> can prove that no stored transfer changed. About 5 ns per transfer.
    /// </summary>
    internal static ulong TransferDigest(in Transfer t)
    {
        const ulong M = 0x9E37_79B9_7F4A_7C15UL;
        var h = 0x243F_6A88_85A3_08D3UL;
        h = Mix(h, (ulong)t.Id, M);
        h = Mix(h, (ulong)(t.Id >> 64), M);
        h = Mix(h, (ulong)t.DebitAccountId, M);
        h = Mix(h, (ulong)(t.DebitAccountId >> 64), M);
        h = Mix(h, (ulong)t.CreditAccountId, M);
        h = Mix(h, (ulong)(t.CreditAccountId >> 64), M);
        h = Mix(h, (ulong)t.Amount, M);
        h = Mix(h, (ulong)(t.Amount >> 64), M);
        h = Mix(h, (ulong)t.PendingId, M);
        h = Mix(h, (ulong)(t.PendingId >> 64), M);
        h = Mix(h, (ulong)t.UserData128, M);
        h = Mix(h, (ulong)(t.UserData128 >> 64), M);
        h = Mix(h, t.UserData64, M);
        h = Mix(h, ((ulong)t.TimeoutSeconds << 32) | t.UserData32, M);
        h = Mix(h, ((ulong)(ushort)t.Flags << 48) | ((ulong)t.Code << 32) | t.Ledger, M);
        h = Mix(h, t.Timestamp, M);
        h ^= h >> 31;
        return h;

        static ulong Mix(ulong h, ulong w, ulong m)
        {
            h = (h ^ w) * m;
            return h ^ (h >> 29);
        }
    }
}
