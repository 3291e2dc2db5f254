using System.Runtime.CompilerServices;

namespace BitCurrent.Matching.Internal;

/// <summary>
/// The price levels of one side of a book, as a sorted array of keys with the best level at the end, so
/// that the busy end of the book (near the touch) is where inserts and removals move the fewest entries.
/// A key is the price for bids and sell stops (best = highest) and the negated price for asks and buy stops
/// (best = lowest). 12 bytes per level; a lookup is a binary search over a contiguous <see cref="long"/> array.
/// </summary>
internal sealed class Ladder
{
    private readonly long[] _keys;
    private readonly int[] _levels;
    private int _count;

    public Ladder(int capacity, bool descending)
    {
        _keys = new long[capacity];
        _levels = new int[capacity];
        Descending = descending;
    }

    /// <summary>True when the best price is the lowest (asks, buy stops): keys are negated prices.</summary>
    public bool Descending { get; }

    public int Count => _count;

    public int Capacity => _keys.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long KeyOf(long price) => Descending ? -price : price;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long PriceAt(int index) => Descending ? -_keys[index] : _keys[index];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int LevelAt(int index) => _levels[index];

    /// <summary>The index of the best level; only valid when <see cref="Count"/> &gt; 0.</summary>
    public int BestIndex => _count - 1;

    /// <summary>The level at <paramref name="price"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int FindLevel(long price)
    {
        var i = Search(KeyOf(price));
        return i >= 0 ? _levels[i] : -1;
    }

    /// <summary>Binary search: the index of <paramref name="key"/>, or the bitwise complement of its insert position.</summary>
    public int Search(long key)
    {
        var count = _count;
        // Most traffic is at or near the touch: check the best end first.
        if (count == 0 || key > _keys[count - 1]) return ~count;
        if (key == _keys[count - 1]) return count - 1;
        int lo = 0, hi = count - 2;
        while (lo <= hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            var k = _keys[mid];
            if (k == key) return mid;
            if (k < key) lo = mid + 1;
            else hi = mid - 1;
        }
        return ~lo;
    }

    public bool IsFull => _count == _keys.Length;

    public void InsertAt(int index, long price, int level)
    {
        Invariant.Assert(_count < _keys.Length);
        var tail = _count - index;
        if (tail > 0)
        {
            Array.Copy(_keys, index, _keys, index + 1, tail);
            Array.Copy(_levels, index, _levels, index + 1, tail);
        }
        _keys[index] = KeyOf(price);
        _levels[index] = level;
        _count++;
    }

    public void RemoveAt(int index)
    {
        var tail = _count - index - 1;
        if (tail > 0)
        {
            Array.Copy(_keys, index + 1, _keys, index, tail);
            Array.Copy(_levels, index + 1, _levels, index, tail);
        }
        _count--;
    }

    /// <summary>Removes the level at <paramref name="price"/>, which must be present.</summary>
    public void Remove(long price)
    {
        var i = Search(KeyOf(price));
        Invariant.Assert(i >= 0);
        RemoveAt(i);
    }
}
