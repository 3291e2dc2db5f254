namespace BitCurrent.Ledger.Internal;

/// <summary>The mutable state of a stored transfer beside its immutable record (24 bytes per transfer).</summary>
internal struct TransferState
{
    /// <summary>For a pending transfer with a timeout: its expiry in nanoseconds; otherwise 0.</summary>
    public ulong ExpiresAt;

    /// <summary>When the pending transfer was posted, voided or expired (0 while pending or when not pending).</summary>
    public ulong ResolvedTimestamp;

    /// <summary>Position in the expiry heap, or -1.</summary>
    public int HeapIndex;

    /// <summary>The two-phase state (<see cref="PendingStatus.None"/> for single-phase transfers and posts/voids).</summary>
    public PendingStatus Status;
}

/// <summary>The running totals of one ledger (mutable twin of <see cref="LedgerTotals"/>).</summary>
internal struct LedgerSlot
{
    public uint Ledger;
    public int AccountCount;
    public UInt128 DebitsPending;
    public UInt128 DebitsPosted;
    public UInt128 CreditsPending;
    public UInt128 CreditsPosted;

    public readonly LedgerTotals ToTotals() =>
        new(Ledger, AccountCount, DebitsPending, DebitsPosted, CreditsPending, CreditsPosted);
}

/// <summary>
/// A binary min-heap of pending transfers with a timeout, keyed by (expiry, slot). Slots are assigned in timestamp
/// order, so ties expire in creation order. Indexed: each transfer state remembers its heap position, so a post or
/// void removes its transfer at once (no stale entries; 4 bytes per transfer of capacity).
/// </summary>
internal sealed class ExpiryHeap
{
    private readonly int[] _slots;
    private int _count;

    public ExpiryHeap(int capacity) => _slots = new int[capacity];

    public int Count => _count;

    public int MinSlot => _slots[0];

    public int SlotAt(int index) => _slots[index];

    public void Clear() => _count = 0;

    public void Add(TransferState[] states, int slot)
    {
        Invariant.Assert(_count < _slots.Length);
        Invariant.Assert(states[slot].HeapIndex == -1);
        var i = _count++;
        Place(states, i, slot);
        SiftUp(states, i);
    }

    public void Remove(TransferState[] states, int slot)
    {
        var i = states[slot].HeapIndex;
        Invariant.Assert(i >= 0 && i < _count && _slots[i] == slot);
        states[slot].HeapIndex = -1;
        var last = --_count;
        if (i == last) return;
        Place(states, i, _slots[last]);
        SiftDown(states, i);
        SiftUp(states, i);
    }

    private void Place(TransferState[] states, int i, int slot)
    {
        _slots[i] = slot;
        states[slot].HeapIndex = i;
    }

    private bool Less(TransferState[] states, int a, int b)
    {
        var sa = _slots[a];
        var sb = _slots[b];
        var ea = states[sa].ExpiresAt;
        var eb = states[sb].ExpiresAt;
        return ea < eb || (ea == eb && sa < sb);
    }

    private void SiftUp(TransferState[] states, int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Less(states, i, parent)) return;
            Swap(states, i, parent);
            i = parent;
        }
    }

    private void SiftDown(TransferState[] states, int i)
    {
        while (true)
        {
            var left = (2 * i) + 1;
            if (left >= _count) return;
            var smallest = left;
            var right = left + 1;
            if (right < _count && Less(states, right, left)) smallest = right;
            if (!Less(states, smallest, i)) return;
            Swap(states, i, smallest);
            i = smallest;
        }
    }

    private void Swap(TransferState[] states, int a, int b)
    {
        var sa = _slots[a];
        var sb = _slots[b];
        Place(states, a, sb);
        Place(states, b, sa);
    }

    /// <summary>Checks the heap property and the back-pointers (O(n), for audits).</summary>
    public void Validate(TransferState[] states)
    {
        for (var i = 0; i < _count; i++)
        {
            Invariant.Assert(states[_slots[i]].HeapIndex == i);
            if (i > 0) Invariant.Assert(!Less(states, i, (i - 1) >> 1));
        }
    }
}

/// <summary>What an undo entry restores when a linked chain fails.</summary>
internal enum UndoKind : byte
{
    AccountImage,
    LedgerImage,
    TransferStateImage,
    AccountCreated,
    LedgerCreated,
    TransferCreated,
    HeapAdded,
    HeapRemoved,
}

/// <summary>One undo entry: a kind and the index it applies to (images are kept in typed stacks beside).</summary>
internal struct UndoOp
{
    public UndoKind Kind;
    public int Index;
}

/// <summary>
/// The undo log of the open linked chain: entries are recorded only while a chain is open (an unlinked item is
/// fully checked before it changes anything, so it never needs undoing). Sized from the batch capacity at start-up.
/// </summary>
internal sealed class UndoLog
{
    public readonly UndoOp[] Ops;
    public readonly Account[] Accounts;
    public readonly LedgerSlot[] Ledgers;
    public readonly TransferState[] States;
    public int OpCount;
    public int AccountCount;
    public int LedgerCount;
    public int StateCount;
    public bool Enabled;

    public UndoLog(int batchItemsMax)
    {
        // Per item at most: 2 account images, 1 ledger image, 1 state image, 1 created record, 1 heap change,
        // 1 ledger created (accounts).
        Ops = new UndoOp[batchItemsMax * 6];
        Accounts = new Account[batchItemsMax * 2];
        Ledgers = new LedgerSlot[batchItemsMax];
        States = new TransferState[batchItemsMax];
    }

    public void Clear()
    {
        OpCount = 0;
        AccountCount = 0;
        LedgerCount = 0;
        StateCount = 0;
    }

    public void Op(UndoKind kind, int index)
    {
        ref var op = ref Ops[OpCount++];
        op.Kind = kind;
        op.Index = index;
    }

    public void Account(int index, in Account image)
    {
        Accounts[AccountCount++] = image;
        Op(UndoKind.AccountImage, index);
    }

    public void Ledger(int index, in LedgerSlot image)
    {
        Ledgers[LedgerCount++] = image;
        Op(UndoKind.LedgerImage, index);
    }

    public void State(int index, in TransferState image)
    {
        States[StateCount++] = image;
        Op(UndoKind.TransferStateImage, index);
    }
}
