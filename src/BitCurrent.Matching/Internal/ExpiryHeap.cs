namespace BitCurrent.Matching.Internal;

/// <summary>
/// A binary min-heap of GTD orders keyed by (expiry time, acceptance sequence), so that orders expiring at the
/// same time expire in the order they were accepted. Indexed: each order slot remembers its heap position,
/// so a cancelled order leaves the heap at once (no stale entries, capacity = order pool size).
/// </summary>
internal sealed class ExpiryHeap
{
    private readonly long[] _expireAt;
    private readonly long[] _acceptSeq;
    private readonly int[] _slots;
    private int _count;

    public ExpiryHeap(int capacity)
    {
        _expireAt = new long[capacity];
        _acceptSeq = new long[capacity];
        _slots = new int[capacity];
    }

    public int Count => _count;

    public long MinExpireAt => _expireAt[0];

    public int MinSlot => _slots[0];

    public void Add(Order[] orders, int slot)
    {
        Invariant.Assert(_count < _slots.Length);
        ref var o = ref orders[slot];
        var i = _count++;
        Place(orders, i, o.ExpireAt, o.AcceptSeq, slot);
        SiftUp(orders, i);
    }

    public void Remove(Order[] orders, int slot)
    {
        var i = orders[slot].HeapIndex;
        Invariant.Assert(i >= 0 && i < _count && _slots[i] == slot);
        orders[slot].HeapIndex = -1;
        var last = --_count;
        if (i == last) return;
        Place(orders, i, _expireAt[last], _acceptSeq[last], _slots[last]);
        SiftDown(orders, i);
        SiftUp(orders, i);
    }

    private void Place(Order[] orders, int i, long expireAt, long seq, int slot)
    {
        _expireAt[i] = expireAt;
        _acceptSeq[i] = seq;
        _slots[i] = slot;
        orders[slot].HeapIndex = i;
    }

    private bool Less(int a, int b) =>
        _expireAt[a] < _expireAt[b] || (_expireAt[a] == _expireAt[b] && _acceptSeq[a] < _acceptSeq[b]);

    private void Swap(Order[] orders, int a, int b)
    {
        (long ea, long sa, int pa) = (_expireAt[a], _acceptSeq[a], _slots[a]);
        Place(orders, a, _expireAt[b], _acceptSeq[b], _slots[b]);
        Place(orders, b, ea, sa, pa);
    }

    private void SiftUp(Order[] orders, int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Less(i, parent)) break;
            Swap(orders, i, parent);
            i = parent;
        }
    }

    private void SiftDown(Order[] orders, int i)
    {
        while (true)
        {
            var left = (2 * i) + 1;
            if (left >= _count) break;
            var smallest = left + 1 < _count && Less(left + 1, left) ? left + 1 : left;
            if (!Less(smallest, i)) break;
            Swap(orders, i, smallest);
            i = smallest;
        }
    }
}
