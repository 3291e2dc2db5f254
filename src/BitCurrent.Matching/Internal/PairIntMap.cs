using System.Numerics;
using System.Runtime.CompilerServices;

namespace BitCurrent.Matching.Internal;

/// <summary>
/// Open-addressing hash map from a pair of longs (user id, client order id; the first is never 0) to an
/// <see cref="int"/>. Same scheme as <see cref="LongIntMap"/>: linear probing, backward-shift deletion.
/// </summary>
internal sealed class PairIntMap
{
    private readonly long[] _first;
    private readonly long[] _second;
    private readonly int[] _values;
    private readonly int _mask;
    private int _count;

    public PairIntMap(int capacity)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, capacity * 2));
        _first = new long[size];
        _second = new long[size];
        _values = new int[size];
        _mask = size - 1;
        Capacity = capacity;
    }

    public int Count => _count;

    public int Capacity { get; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(long a, long b)
    {
        var h = (ulong)(a * unchecked((long)0x9E3779B97F4A7C15)) ^ (ulong)(b * unchecked((long)0xC2B2AE3D27D4EB4F));
        return (int)((h ^ (h >> 29)) >> 24) & _mask;
    }

    public bool TryGet(long a, long b, out int value)
    {
        var i = Home(a, b);
        while (true)
        {
            var k = _first[i];
            if (k == a && _second[i] == b)
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

    public bool TryAdd(long a, long b, int value)
    {
        Invariant.Assert(a != 0);
        if (_count >= Capacity) return false;
        var i = Home(a, b);
        while (_first[i] != 0)
        {
            Invariant.Assert(!(_first[i] == a && _second[i] == b));
            i = (i + 1) & _mask;
        }
        _first[i] = a;
        _second[i] = b;
        _values[i] = value;
        _count++;
        return true;
    }

    public void Set(long a, long b, int value)
    {
        var i = Home(a, b);
        while (!(_first[i] == a && _second[i] == b))
        {
            Invariant.Assert(_first[i] != 0);
            i = (i + 1) & _mask;
        }
        _values[i] = value;
    }

    public bool Remove(long a, long b)
    {
        var i = Home(a, b);
        while (true)
        {
            var k = _first[i];
            if (k == 0) return false;
            if (k == a && _second[i] == b) break;
            i = (i + 1) & _mask;
        }
        var hole = i;
        var j = i;
        while (true)
        {
            j = (j + 1) & _mask;
            var k = _first[j];
            if (k == 0) break;
            var home = Home(k, _second[j]);
            var movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable)
            {
                _first[hole] = k;
                _second[hole] = _second[j];
                _values[hole] = _values[j];
                hole = j;
            }
        }
        _first[hole] = 0;
        _second[hole] = 0;
        _values[hole] = 0;
        _count--;
        return true;
    }
}
