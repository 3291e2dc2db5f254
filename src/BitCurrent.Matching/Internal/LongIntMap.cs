using System.Numerics;
using System.Runtime.CompilerServices;

namespace BitCurrent.Matching.Internal;

/// <summary>
/// Open-addressing hash map from a non-zero <see cref="long"/> to an <see cref="int"/>, linear probing,
/// backward-shift deletion (no tombstones), fixed capacity. Load factor at most 1/2 by construction.
/// 12 bytes per slot; a lookup touches one or two cache lines.
/// </summary>
internal sealed class LongIntMap
{
    private readonly long[] _keys;
    private readonly int[] _values;
    private readonly int _mask;
    private readonly int _shift;
    private int _count;

    public LongIntMap(int capacity)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, capacity * 2));
        _keys = new long[size];
        _values = new int[size];
        _mask = size - 1;
        _shift = 64 - BitOperations.Log2((uint)size);
        Capacity = capacity;
    }

    public int Count => _count;

    public int Capacity { get; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(long key) => (int)((ulong)(key * unchecked((long)0x9E3779B97F4A7C15)) >> _shift); // Fibonacci hashing: the top bits

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(long key, out int value)
    {
        var i = Home(key);
        while (true)
        {
            var k = _keys[i];
            if (k == key)
            {
                value = _values[i];
                return true;
            }
            if (k == 0)
            {
                value = -1;
                return false;
            }
            i = (i + 1) & _mask;
        }
    }

    /// <summary>Adds a key that is not present. Returns false when the map is at capacity.</summary>
    public bool TryAdd(long key, int value)
    {
        Invariant.Assert(key != 0);
        if (_count >= Capacity) return false;
        var i = Home(key);
        while (_keys[i] != 0)
        {
            Invariant.Assert(_keys[i] != key);
            i = (i + 1) & _mask;
        }
        _keys[i] = key;
        _values[i] = value;
        _count++;
        return true;
    }

    public void Set(long key, int value)
    {
        var i = Home(key);
        while (_keys[i] != key)
        {
            Invariant.Assert(_keys[i] != 0);
            i = (i + 1) & _mask;
        }
        _values[i] = value;
    }

    public bool Remove(long key)
    {
        var i = Home(key);
        while (true)
        {
            var k = _keys[i];
            if (k == 0) return false;
            if (k == key) break;
            i = (i + 1) & _mask;
        }
        // Backward-shift: move later entries of the probe run into the hole when their home allows it.
        var hole = i;
        var j = i;
        while (true)
        {
            j = (j + 1) & _mask;
            var k = _keys[j];
            if (k == 0) break;
            var home = Home(k);
            // Entry at j may move to hole if its home is not in (hole, j] cyclically.
            var movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable)
            {
                _keys[hole] = k;
                _values[hole] = _values[j];
                hole = j;
            }
        }
        _keys[hole] = 0;
        _values[hole] = 0;
        _count--;
        return true;
    }

    public void Clear()
    {
        Array.Clear(_keys);
        Array.Clear(_values);
        _count = 0;
    }
}
