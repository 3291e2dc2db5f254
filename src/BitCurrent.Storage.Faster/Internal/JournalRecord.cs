using System.Buffers.Binary;
using BitCurrent.Ledger;

namespace BitCurrent.Storage.Faster.Internal;

/// <summary>
/// The journal record of one batch (format version 1, little-endian), pinned byte for byte by a golden test:
/// <code>
///   0 magic "BCLJ"      4 bytes     24 item count        u32
///   4 format version    u16         28 CRC32C of items   u32
///   6 kind (BatchKind)  u8          32 reserved, zero    u32
///   7 reserved, zero    u8          36 CRC32C of 0..35   u32
///   8 sequence          u64         40 items, 128 bytes each (Account or Transfer records)
///  16 timestamp         u64
/// </code>
/// The items' checksum is computed by the submitting thread while it encodes them; the writer then stamps the
/// sequence and timestamp and checksums the header, so a record costs the writer 40 bytes of checksum.
/// </summary>
internal static class JournalRecord
{
    public const int HeaderSize = 40;
    public const uint Magic = 0x4A4C_4342;   // "BCLJ" read as a little-endian u32
    public const ushort FormatVersion = 1;
    public const int ItemSize = 128;

    public static int Length(int count) => HeaderSize + (count * ItemSize);

    /// <summary>Encodes transfers after the header; returns the items' CRC32C.</summary>
    public static uint WriteItems(ReadOnlySpan<Transfer> items, Span<byte> record)
    {
        var body = record.Slice(HeaderSize, items.Length * ItemSize);
        for (var i = 0; i < items.Length; i++) items[i].Write(body.Slice(i * ItemSize, ItemSize));
        return Crc32C.Compute(body);
    }

    /// <summary>Encodes accounts after the header; returns the items' CRC32C.</summary>
    public static uint WriteItems(ReadOnlySpan<Account> items, Span<byte> record)
    {
        var body = record.Slice(HeaderSize, items.Length * ItemSize);
        for (var i = 0; i < items.Length; i++) items[i].Write(body.Slice(i * ItemSize, ItemSize));
        return Crc32C.Compute(body);
    }

    public static void WriteHeader(Span<byte> record, BatchKind kind, ulong sequence, ulong timestamp, int count, uint itemsCrc)
    {
        var header = record[..HeaderSize];
        header.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], FormatVersion);
        header[6] = (byte)kind;
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], sequence);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], timestamp);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)count);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], itemsCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(header[36..], Crc32C.Compute(header[..36]));
    }

    /// <summary>
    /// Checks a record read back from the journal: length, header checksum, magic, version, kind, count against the
    /// length, then the items' checksum (checksums before meaning). On failure, <paramref name="detail"/> says why.
    /// </summary>
    public static RecoveryIssueKind TryRead(ReadOnlySpan<byte> record, int itemsMax, out JournalRecordHeader header, out string detail)
    {
        header = default;
        if (record.Length < HeaderSize)
        {
            detail = $"the record is {record.Length} bytes, shorter than its {HeaderSize}-byte header";
            return RecoveryIssueKind.JournalRecordMalformed;
        }
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(record[36..]);
        var computed = Crc32C.Compute(record[..36]);
        if (stored != computed)
        {
            detail = $"header checksum 0x{stored:x8} stored, 0x{computed:x8} computed";
            return RecoveryIssueKind.JournalChecksumMismatch;
        }
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(record);
        var version = BinaryPrimitives.ReadUInt16LittleEndian(record[4..]);
        var kind = (BatchKind)record[6];
        var count = BinaryPrimitives.ReadUInt32LittleEndian(record[24..]);
        if (magic != Magic || version != FormatVersion || record[7] != 0 || BinaryPrimitives.ReadUInt32LittleEndian(record[32..]) != 0)
        {
            detail = $"magic 0x{magic:x8}, version {version}: not a version-{FormatVersion} batch record";
            return RecoveryIssueKind.JournalRecordMalformed;
        }
        var countValid = kind switch
        {
            BatchKind.CreateAccounts or BatchKind.CreateTransfers => count >= 1 && count <= (uint)itemsMax,
            BatchKind.ExpirePendingTransfers => count == 0,
            _ => false,
        };
        if (!countValid || record.Length != Length((int)count))
        {
            detail = $"kind {(byte)kind} with {count} items in a record of {record.Length} bytes";
            return RecoveryIssueKind.JournalRecordMalformed;
        }
        var itemsStored = BinaryPrimitives.ReadUInt32LittleEndian(record[28..]);
        var itemsComputed = Crc32C.Compute(record[HeaderSize..]);
        if (itemsStored != itemsComputed)
        {
            detail = $"items checksum 0x{itemsStored:x8} stored, 0x{itemsComputed:x8} computed";
            return RecoveryIssueKind.JournalChecksumMismatch;
        }
        header = new JournalRecordHeader(kind, BinaryPrimitives.ReadUInt64LittleEndian(record[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(record[16..]), (int)count);
        detail = "";
        return RecoveryIssueKind.None;
    }
}

/// <summary>The fields of a record's header that replay uses.</summary>
internal readonly record struct JournalRecordHeader(BatchKind Kind, ulong Sequence, ulong Timestamp, int Count);
