namespace BitCurrent.Custody.Internal;

/// <summary>One PSBT map: key-value pairs in the order they were read (so a parsed PSBT re-serializes byte for byte).</summary>
internal sealed class PsbtMap
{
    public List<PsbtEntry> Entries { get; } = [];

    public static ulong TypeOf(byte[] key)
    {
        var reader = new ByteReader(key);
        return reader.ReadCompactSize(rangeCheck: false);
    }

    public int IndexOf(ReadOnlySpan<byte> key)
    {
        for (var i = 0; i < Entries.Count; i++)
        {
            if (Entries[i].KeySpan.SequenceEqual(key)) return i;
        }
        return -1;
    }

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        var i = IndexOf(key);
        return i < 0 ? null : Entries[i].ValueArray;
    }

    public byte[]? Get(byte type) => Get([type]);

    public void Set(byte[] key, byte[] value)
    {
        var i = IndexOf(key);
        if (i >= 0)
        {
            Entries[i] = new PsbtEntry(key, value);
        }
        else
        {
            Entries.Add(new PsbtEntry(key, value));
        }
    }

    public bool Remove(ReadOnlySpan<byte> key)
    {
        var i = IndexOf(key);
        if (i < 0) return false;
        Entries.RemoveAt(i);
        return true;
    }

    public IEnumerable<PsbtEntry> OfType(ulong type)
    {
        foreach (var e in Entries)
        {
            if (TypeOf(e.KeyArray) == type) yield return e;
        }
    }

    public PsbtMap Clone()
    {
        var map = new PsbtMap();
        map.Entries.AddRange(Entries);
        return map;
    }

    public void Write(ByteWriter w)
    {
        foreach (var e in Entries)
        {
            w.WriteVarBytes(e.KeySpan);
            w.WriteVarBytes(e.ValueSpan);
        }
        w.WriteByte(0);
    }

    /// <summary>Sorts into Bitcoin Core's serialization order (stable): by rank, then by the field's own sort key.</summary>
    public void Sort(Func<PsbtEntry, (int Rank, byte[] SortKey)> order)
    {
        var keyed = Entries.Select((e, i) => (Entry: e, Index: i, Order: order(e))).ToList();
        keyed.Sort((a, b) =>
        {
            var c = a.Order.Rank.CompareTo(b.Order.Rank);
            if (c != 0) return c;
            c = a.Order.SortKey.AsSpan().SequenceCompareTo(b.Order.SortKey);
            return c != 0 ? c : a.Index.CompareTo(b.Index);
        });
        Entries.Clear();
        Entries.AddRange(keyed.Select(k => k.Entry));
    }
}
