using System.Buffers.Binary;
using BitCurrent.Ledger;

namespace BitCurrent.Storage.Faster.Internal;

/// <summary>
/// <c>ledger.manifest</c>: what a data directory needs besides its journal and snapshots, replaced atomically
/// (<see cref="Files.WriteAtomically"/>). Format version 1, little-endian, pinned by a golden test:
/// <code>
///  0 magic "BCLMANIF"   8 bytes      24 batch items max       i32
///  8 format version     u32          28 discarded range count i32 (n)
/// 12 accounts max       i32          32 n × (from i64, until i64): journal ranges recovery discarded
/// 16 transfers max      i32          32 + 16n CRC32C of everything before it
/// 20 ledgers max        i32
/// </code>
/// The capacities are the engine options the journal's batches ran with (a replay must use them). The discarded
/// ranges are torn or corrupt journal tails that an earlier recovery cut off: later records were appended after them,
/// so a replay that starts from an older snapshot must jump over them.
/// </summary>
internal sealed class Manifest
{
    public const string FileName = "ledger.manifest";
    public const uint FormatVersion = 1;
    private const int FixedSize = 32;
    private static ReadOnlySpan<byte> MagicBytes => "BCLMANIF"u8;

    public Manifest(LedgerEngineOptions engine, IReadOnlyList<(long From, long Until)> discarded)
    {
        Engine = engine;
        Discarded = discarded;
    }

    public LedgerEngineOptions Engine { get; }

    /// <summary>Discarded journal ranges, sorted and disjoint.</summary>
    public IReadOnlyList<(long From, long Until)> Discarded { get; }

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public byte[] Encode()
    {
        var bytes = new byte[FixedSize + (16 * Discarded.Count) + 4];
        var span = bytes.AsSpan();
        MagicBytes.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], Engine.AccountsMax);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], Engine.TransfersMax);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], Engine.LedgersMax);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], Engine.BatchItemsMax);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], Discarded.Count);
        for (var i = 0; i < Discarded.Count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(span[(FixedSize + (16 * i))..], Discarded[i].From);
            BinaryPrimitives.WriteInt64LittleEndian(span[(FixedSize + (16 * i) + 8)..], Discarded[i].Until);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(span[^4..], Crc32C.Compute(span[..^4]));
        return bytes;
    }

    /// <summary>Decodes a manifest; null with a reason when it is corrupt.</summary>
    public static Manifest? Decode(ReadOnlySpan<byte> bytes, out string problem)
    {
        problem = "";
        if (bytes.Length < FixedSize + 4)
        {
            problem = $"{bytes.Length} bytes, shorter than the smallest manifest";
            return null;
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[^4..]) != Crc32C.Compute(bytes[..^4]))
        {
            problem = "checksum mismatch";
            return null;
        }
        if (!bytes[..8].SequenceEqual(MagicBytes) || BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]) != FormatVersion)
        {
            problem = "not a version-1 manifest";
            return null;
        }
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes[28..]);
        if (count < 0 || bytes.Length != FixedSize + (16L * count) + 4)
        {
            problem = $"{count} discarded ranges in {bytes.Length} bytes";
            return null;
        }
        var engine = new LedgerEngineOptions
        {
            AccountsMax = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]),
            TransfersMax = BinaryPrimitives.ReadInt32LittleEndian(bytes[16..]),
            LedgersMax = BinaryPrimitives.ReadInt32LittleEndian(bytes[20..]),
            BatchItemsMax = BinaryPrimitives.ReadInt32LittleEndian(bytes[24..]),
        };
        var ranges = new List<(long, long)>(count);
        for (var i = 0; i < count; i++)
        {
            var from = BinaryPrimitives.ReadInt64LittleEndian(bytes[(FixedSize + (16 * i))..]);
            var until = BinaryPrimitives.ReadInt64LittleEndian(bytes[(FixedSize + (16 * i) + 8)..]);
            if (from >= until || (i > 0 && from < ranges[i - 1].Item2))
            {
                problem = $"discarded range {i} ({from}..{until}) is empty or out of order";
                return null;
            }
            ranges.Add((from, until));
        }
        return new Manifest(engine, ranges);
    }

    /// <summary>This manifest with one more discarded range (merged with any it overlaps or touches).</summary>
    public Manifest WithDiscarded(long from, long until)
    {
        var ranges = new List<(long From, long Until)>();
        foreach (var range in Discarded)
        {
            if (range.Until < from || range.From > until)
            {
                ranges.Add(range);
                continue;
            }
            from = Math.Min(from, range.From);
            until = Math.Max(until, range.Until);
        }
        ranges.Add((from, until));
        ranges.Sort((a, b) => a.From.CompareTo(b.From));
        return new Manifest(Engine, ranges);
    }
}
