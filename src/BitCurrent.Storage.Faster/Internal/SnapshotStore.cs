using System.Buffers.Binary;
using System.Globalization;
using BitCurrent.Ledger;

namespace BitCurrent.Storage.Faster.Internal;

/// <summary>
/// Snapshot files in <c>snapshots/</c>, named <c>snapshot-&lt;journal address, 19 digits&gt;.bin</c>: a 96-byte header
/// (format version 1, little-endian, pinned by a golden test) followed by the engine's own snapshot
/// (<see cref="LedgerEngine.WriteSnapshot(Stream)"/>, which has its own checksums):
/// <code>
///  0 magic "BCLSNAPF"      8 bytes     40 engine snapshot length  i64
///  8 format version        u32         48 state hash              32 bytes
/// 12 header size (96)      u32         80 reserved, zero          12 bytes
/// 16 journal address       i64         92 CRC32C of bytes 0..91   u32
/// 24 sequence              u64
/// 32 last timestamp        u64
/// </code>
/// A snapshot is written to <c>*.tmp</c>, fsynced, renamed and its directory fsynced, and only once the journal is
/// committed up to its address, so a snapshot on disk never holds a batch the journal could lose.
/// </summary>
internal sealed class SnapshotStore
{
    public const int HeaderSize = 96;
    public const uint FormatVersion = 1;
    public const string SkippedSuffix = ".skipped";
    private const string Prefix = "snapshot-";
    private const string Extension = ".bin";
    private static ReadOnlySpan<byte> MagicBytes => "BCLSNAPF"u8;

    public SnapshotStore(string directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
    }

    public string Directory { get; }

    public string PathFor(long address) =>
        Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $"{Prefix}{address:D19}{Extension}"));

    /// <summary>The snapshot files by journal address, newest first; names that do not parse are returned with address -1.</summary>
    public List<(string Path, long Address)> List()
    {
        var found = new List<(string, long)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, Prefix + "*" + Extension))
        {
            var name = Path.GetFileName(path);
            if (!name.EndsWith(Extension, StringComparison.Ordinal)) continue;
            var digits = name.AsSpan(Prefix.Length, name.Length - Prefix.Length - Extension.Length);
            found.Add((path, long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : -1));
        }
        found.Sort((x, y) => y.Item2.CompareTo(x.Item2));
        return found;
    }

    /// <summary>Unfinished snapshot writes left by a crash.</summary>
    public IEnumerable<string> ListTemporary() =>
        System.IO.Directory.EnumerateFiles(Directory, Prefix + "*" + Extension + Files.TemporarySuffix);

    /// <summary>
    /// Writes the engine's state to a temporary file (not yet synced; call <see cref="Complete"/> once the journal is
    /// committed up to <paramref name="address"/>). Runs on the writer: the engine must not change meanwhile. Costs the
    /// state hash (SHA-256 over the state) plus one write of the snapshot into the page cache.
    /// </summary>
    public PendingSnapshot Begin(LedgerEngine engine, long address, ulong sequence)
    {
        var hash = engine.ComputeStateHash();
        var engineLength = engine.SnapshotLength;
        var path = PathFor(address);
        var temporary = path + Files.TemporarySuffix;
        var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        try
        {
            stream.SetLength(HeaderSize + engineLength);
            Span<byte> header = stackalloc byte[HeaderSize];
            WriteHeader(header, address, sequence, engine.LastTimestamp, engineLength, hash);
            stream.Write(header);
            engine.WriteSnapshot(stream);
            stream.Flush(flushToDisk: false);
        }
        catch
        {
            stream.Dispose();
            TryDelete(temporary);
            throw;
        }
        var info = new SnapshotInfo(path, address, sequence, engine.LastTimestamp, hash, HeaderSize + engineLength);
        return new PendingSnapshot(info, temporary, stream);
    }

    /// <summary>Makes a snapshot durable under its final name: fsync the file, rename it, fsync the directory.</summary>
    public void Complete(PendingSnapshot pending)
    {
        try
        {
            pending.Stream.Flush(flushToDisk: true);
            pending.Stream.Dispose();
            File.Move(pending.TemporaryPath, pending.Info.Path, overwrite: true);
            Files.SyncDirectory(Directory);
        }
        catch
        {
            pending.Stream.Dispose();
            TryDelete(pending.TemporaryPath);
            throw;
        }
    }

    public static void Abandon(PendingSnapshot pending)
    {
        pending.Stream.Dispose();
        TryDelete(pending.TemporaryPath);
    }

    /// <summary>
    /// Deletes all but the newest <paramref name="keep"/> snapshots. Returns the oldest kept snapshot's address when
    /// there are <paramref name="keep"/> of them (the journal may then be truncated before it), or -1 when there are
    /// fewer: until then the journal from its beginning is the fallback for a corrupt snapshot.
    /// </summary>
    public long Prune(int keep)
    {
        var snapshots = List();
        var kept = 0;
        var oldestKept = -1L;
        foreach (var (path, address) in snapshots)
        {
            if (address < 0) continue;
            if (kept < keep)
            {
                kept++;
                oldestKept = address;
                continue;
            }
            File.Delete(path);
        }
        if (kept < snapshots.Count) Files.SyncDirectory(Directory);
        return kept == keep ? oldestKept : -1;
    }

    /// <summary>
    /// Reads and checks a snapshot: header checksum and fields, the address in the name, the engine's own checks (its
    /// checksums and a full audit), the capacities, then the state hash. Returns the issue and a detail on failure.
    /// </summary>
    public static RecoveryIssueKind TryLoad(string path, long nameAddress, LedgerEngineOptions options,
        out LedgerEngine? engine, out SnapshotInfo? info, out string detail)
    {
        engine = null;
        info = null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            Span<byte> header = stackalloc byte[HeaderSize];
            var read = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
            if (read < HeaderSize)
            {
                detail = $"the file is {stream.Length} bytes, shorter than the {HeaderSize}-byte header";
                return RecoveryIssueKind.SnapshotHeaderCorrupt;
            }
            var stored = BinaryPrimitives.ReadUInt32LittleEndian(header[92..]);
            var computed = Crc32C.Compute(header[..92]);
            if (stored != computed)
            {
                detail = $"header checksum 0x{stored:x8} stored, 0x{computed:x8} computed";
                return RecoveryIssueKind.SnapshotHeaderCorrupt;
            }
            var address = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
            var sequence = BinaryPrimitives.ReadUInt64LittleEndian(header[24..]);
            var lastTimestamp = BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
            var engineLength = BinaryPrimitives.ReadInt64LittleEndian(header[40..]);
            var hash = Hash256.Read(header[48..80]);
            if (!header[..8].SequenceEqual(MagicBytes) || BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) != FormatVersion
                || BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) != HeaderSize || header[80..92].IndexOfAnyExcept((byte)0) >= 0)
            {
                detail = "not a version-1 snapshot header";
                return RecoveryIssueKind.SnapshotHeaderCorrupt;
            }
            if (engineLength < LedgerEngine.SnapshotHeaderSize || HeaderSize + engineLength != stream.Length)
            {
                detail = $"the header announces {HeaderSize + engineLength} bytes, the file has {stream.Length}";
                return RecoveryIssueKind.SnapshotHeaderCorrupt;
            }
            if (address != nameAddress)
            {
                detail = $"the name says journal address {nameAddress}, the header {address}";
                return RecoveryIssueKind.SnapshotNameMismatch;
            }
            LedgerEngine restored;
            try
            {
                restored = LedgerEngine.ReadSnapshot(stream, options);
            }
            catch (LedgerSnapshotException e)
            {
                detail = $"{(int)e.Error} {e.Error}: {e.Message}";
                return RecoveryIssueKind.SnapshotEngineCorrupt;
            }
            if (restored.Options != options)
            {
                detail = $"the snapshot needs capacities {restored.Options}, the directory's are {options}";
                return RecoveryIssueKind.SnapshotEngineCorrupt;
            }
            var restoredHash = restored.ComputeStateHash();
            if (restoredHash != hash || restored.LastTimestamp != lastTimestamp)
            {
                detail = $"state hash {restoredHash} restored, {hash} recorded";
                return RecoveryIssueKind.SnapshotStateHashMismatch;
            }
            engine = restored;
            info = new SnapshotInfo(path, address, sequence, lastTimestamp, hash, stream.Length);
            detail = "";
            return RecoveryIssueKind.None;
        }
        catch (IOException e)
        {
            detail = e.Message;
            return RecoveryIssueKind.SnapshotUnreadable;
        }
        catch (UnauthorizedAccessException e)
        {
            detail = e.Message;
            return RecoveryIssueKind.SnapshotUnreadable;
        }
    }

    private static void WriteHeader(Span<byte> header, long address, ulong sequence, ulong lastTimestamp, long engineLength, Hash256 hash)
    {
        header.Clear();
        MagicBytes.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], HeaderSize);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], address);
        BinaryPrimitives.WriteUInt64LittleEndian(header[24..], sequence);
        BinaryPrimitives.WriteUInt64LittleEndian(header[32..], lastTimestamp);
        BinaryPrimitives.WriteInt64LittleEndian(header[40..], engineLength);
        hash.Write(header[48..80]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[92..], Crc32C.Compute(header[..92]));
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // best effort: a leftover temporary file is found and deleted by the next recovery
        }
    }
}

/// <summary>A snapshot written to its temporary file, waiting for the journal commit that makes it valid.</summary>
internal sealed record PendingSnapshot(SnapshotInfo Info, string TemporaryPath, FileStream Stream);
