using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using BitCurrent.Ledger.Internal;

namespace BitCurrent.Ledger;

public sealed partial class LedgerEngine
{
    /// <summary>The 8 bytes every snapshot starts with: ASCII <c>BCLEDGER</c>.</summary>
    public static ReadOnlySpan<byte> SnapshotMagic => "BCLEDGER"u8;

    /// <summary>The snapshot format this build writes (and the only one it reads).</summary>
    public const uint SnapshotFormatVersion = 1;

    /// <summary>Size of the snapshot header in bytes.</summary>
    public const int SnapshotHeaderSize = 64;

    /// <summary>Size of one transfer-state record in a snapshot body.</summary>
    public const int SnapshotTransferStateSize = 16;

    private const int RecordsPerChunk = 256;

    /// <summary>The exact size in bytes of the snapshot <see cref="WriteSnapshot(Stream)"/> would write now.</summary>
    public long SnapshotLength => SnapshotHeaderSize + BodyLength;

    private long BodyLength =>
        ((long)_accountCount * Account.SizeBytes) + ((long)_transferCount * (Transfer.SizeBytes + SnapshotTransferStateSize));

    /// <summary>
    /// Writes the whole state to <paramref name="destination"/>: a 64-byte header (magic, format version, last
    /// timestamp, counts, body length, CRC32C of the body, CRC32C of the header) and a body of fixed-size
    /// little-endian records — accounts (128 bytes each, creation order), transfers (128 bytes each, timestamp
    /// order), then one 16-byte state per transfer (resolved timestamp u64, <see cref="PendingStatus"/> u8, 7 zero
    /// bytes). Deterministic: equal states give equal bytes. Indexes, ledger totals and the expiry heap are derived
    /// and rebuilt on load.
    /// </summary>
    /// <exception cref="LedgerInvariantException">The engine failed an invariant earlier.</exception>
    public void WriteSnapshot(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var sink = new StreamSink(destination);
        WriteSnapshotCore(ref sink);
    }

    /// <summary>Writes the snapshot described at <see cref="WriteSnapshot(Stream)"/> to a buffer writer.</summary>
    /// <exception cref="LedgerInvariantException">The engine failed an invariant earlier.</exception>
    public void WriteSnapshot(IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var sink = new BufferWriterSink(destination);
        WriteSnapshotCore(ref sink);
    }

    /// <summary>
    /// SHA-256 over the whole state: the last timestamp, the counts and the snapshot body. Equal after a snapshot
    /// and restore, and after replaying the same batches on a fresh engine. O(n): call it at snapshot time.
    /// </summary>
    /// <exception cref="LedgerInvariantException">The engine failed an invariant earlier.</exception>
    public Hash256 ComputeStateHash()
    {
        if (_failed) ThrowHelper.Failed();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> prefix = stackalloc byte[32];
        "BitCurrentLedger"u8.CopyTo(prefix);
        BinaryPrimitives.WriteUInt64LittleEndian(prefix[16..], _lastTimestamp);
        BinaryPrimitives.WriteInt32LittleEndian(prefix[24..], _accountCount);
        BinaryPrimitives.WriteInt32LittleEndian(prefix[28..], _transferCount);
        hash.AppendData(prefix);
        var sink = new HashSink(hash);
        WriteBody(ref sink);
        Span<byte> digest = stackalloc byte[Hash256.SizeBytes];
        hash.GetHashAndReset(digest);
        return Hash256.Read(digest);
    }

    /// <summary>
    /// Restores an engine from a snapshot written by <see cref="WriteSnapshot(Stream)"/>. Every checksum and
    /// invariant is verified (a full <see cref="Audit"/> runs) before the engine is returned.
    /// </summary>
    /// <param name="source">The snapshot stream, positioned at its header; exactly the snapshot is read.</param>
    /// <param name="options">Capacities; <c>null</c> for the defaults, raised where needed to fit the snapshot.</param>
    /// <exception cref="LedgerSnapshotException">The snapshot is corrupt, truncated, too large for the options, or inconsistent.</exception>
    public static LedgerEngine ReadSnapshot(Stream source, LedgerEngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var reader = new StreamSource(source);
        return ReadSnapshotCore(ref reader, options);
    }

    /// <summary>Restores an engine from snapshot bytes; see <see cref="ReadSnapshot(Stream, LedgerEngineOptions?)"/>.</summary>
    /// <exception cref="LedgerSnapshotException">The snapshot is corrupt, truncated, too large for the options, or inconsistent.</exception>
    public static LedgerEngine ReadSnapshot(ReadOnlySpan<byte> source, LedgerEngineOptions? options = null)
    {
        var reader = new SpanSource(source);
        return ReadSnapshotCore(ref reader, options);
    }

    private void WriteSnapshotCore<TSink>(ref TSink sink) where TSink : struct, IByteSink
    {
        if (_failed) ThrowHelper.Failed();
        var crc = new CrcSink(new Crc32C());
        WriteBody(ref crc);
        Span<byte> header = stackalloc byte[SnapshotHeaderSize];
        WriteHeader(header, crc.Crc.Value);
        sink.Write(header);
        WriteBody(ref sink);
    }

    private void WriteHeader(Span<byte> header, uint bodyCrc)
    {
        header.Clear();
        SnapshotMagic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], SnapshotFormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], SnapshotHeaderSize);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], _lastTimestamp);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], _accountCount);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], _transferCount);
        BinaryPrimitives.WriteInt64LittleEndian(header[32..], BodyLength);
        BinaryPrimitives.WriteInt32LittleEndian(header[40..], _ledgerCount);
        BinaryPrimitives.WriteInt32LittleEndian(header[44..], _expiry.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(header[48..], bodyCrc);
        // 52..59 reserved (zero).
        BinaryPrimitives.WriteUInt32LittleEndian(header[60..], Crc32C.Compute(header[..60]));
    }

    private void WriteBody<TSink>(ref TSink sink) where TSink : struct, IByteSink
    {
        var chunk = ArrayPool<byte>.Shared.Rent(RecordsPerChunk * Transfer.SizeBytes);
        try
        {
            for (var i = 0; i < _accountCount; i += RecordsPerChunk)
            {
                var n = Math.Min(RecordsPerChunk, _accountCount - i);
                for (var k = 0; k < n; k++) _accounts[i + k].Write(chunk.AsSpan(k * Account.SizeBytes));
                sink.Write(chunk.AsSpan(0, n * Account.SizeBytes));
            }
            for (var i = 0; i < _transferCount; i += RecordsPerChunk)
            {
                var n = Math.Min(RecordsPerChunk, _transferCount - i);
                for (var k = 0; k < n; k++) _transfers[i + k].Write(chunk.AsSpan(k * Transfer.SizeBytes));
                sink.Write(chunk.AsSpan(0, n * Transfer.SizeBytes));
            }
            for (var i = 0; i < _transferCount; i += RecordsPerChunk)
            {
                var n = Math.Min(RecordsPerChunk, _transferCount - i);
                var span = chunk.AsSpan(0, n * SnapshotTransferStateSize);
                span.Clear();
                for (var k = 0; k < n; k++)
                {
                    ref readonly var s = ref _transferStates[i + k];
                    BinaryPrimitives.WriteUInt64LittleEndian(span[(k * SnapshotTransferStateSize)..], s.ResolvedTimestamp);
                    span[(k * SnapshotTransferStateSize) + 8] = (byte)s.Status;
                }
                sink.Write(span);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static LedgerEngine ReadSnapshotCore<TSource>(ref TSource source, LedgerEngineOptions? options)
        where TSource : ISnapshotSource, allows ref struct
    {
        Span<byte> header = stackalloc byte[SnapshotHeaderSize];
        source.ReadExactly(header);
        if (!header[..8].SequenceEqual(SnapshotMagic)) throw Corrupt(SnapshotError.BadMagic, "not a ledger snapshot");
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[60..]) != Crc32C.Compute(header[..60]))
            throw Corrupt(SnapshotError.HeaderChecksumMismatch, "the header checksum does not match");
        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != SnapshotFormatVersion) throw Corrupt(SnapshotError.UnsupportedVersion, $"format version {version}, expected {SnapshotFormatVersion}");
        var lastTimestamp = BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
        var accountCount = BinaryPrimitives.ReadInt32LittleEndian(header[24..]);
        var transferCount = BinaryPrimitives.ReadInt32LittleEndian(header[28..]);
        var bodyLength = BinaryPrimitives.ReadInt64LittleEndian(header[32..]);
        var ledgerCount = BinaryPrimitives.ReadInt32LittleEndian(header[40..]);
        var pendingWithTimeout = BinaryPrimitives.ReadInt32LittleEndian(header[44..]);
        var bodyCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[48..]);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) != SnapshotHeaderSize ||
            BinaryPrimitives.ReadUInt64LittleEndian(header[52..]) != 0 ||
            accountCount < 0 || transferCount < 0 || ledgerCount < 0 || pendingWithTimeout < 0 ||
            bodyLength != ((long)accountCount * Account.SizeBytes) + ((long)transferCount * (Transfer.SizeBytes + SnapshotTransferStateSize)))
        {
            throw Corrupt(SnapshotError.BadHeader, "the header's counts and lengths are inconsistent");
        }

        if (options is null)
        {
            var defaults = new LedgerEngineOptions();
            options = defaults with
            {
                AccountsMax = Math.Max(defaults.AccountsMax, accountCount),
                TransfersMax = Math.Max(defaults.TransfersMax, transferCount),
                LedgersMax = Math.Max(defaults.LedgersMax, ledgerCount),
            };
        }
        if (accountCount > options.AccountsMax || transferCount > options.TransfersMax || ledgerCount > options.LedgersMax)
            throw Corrupt(SnapshotError.CapacityExceeded, $"{accountCount} accounts, {transferCount} transfers, {ledgerCount} ledgers do not fit the options");

        var engine = new LedgerEngine(options);
        var crc = new Crc32C();
        var malformed = -1;  // reported after the checksum: corruption first, then semantics
        var chunk = ArrayPool<byte>.Shared.Rent(RecordsPerChunk * Transfer.SizeBytes);
        try
        {
            for (var i = 0; i < accountCount; i += RecordsPerChunk)
            {
                var n = Math.Min(RecordsPerChunk, accountCount - i);
                var span = chunk.AsSpan(0, n * Account.SizeBytes);
                source.ReadExactly(span);
                crc.Append(span);
                for (var k = 0; k < n; k++) engine._accounts[i + k] = Account.Read(span[(k * Account.SizeBytes)..]);
            }
            for (var i = 0; i < transferCount; i += RecordsPerChunk)
            {
                var n = Math.Min(RecordsPerChunk, transferCount - i);
                var span = chunk.AsSpan(0, n * Transfer.SizeBytes);
                source.ReadExactly(span);
                crc.Append(span);
                for (var k = 0; k < n; k++) engine._transfers[i + k] = Transfer.Read(span[(k * Transfer.SizeBytes)..]);
            }
            for (var i = 0; i < transferCount; i += RecordsPerChunk)
            {
                var n = Math.Min(RecordsPerChunk, transferCount - i);
                var span = chunk.AsSpan(0, n * SnapshotTransferStateSize);
                source.ReadExactly(span);
                crc.Append(span);
                for (var k = 0; k < n; k++)
                {
                    var record = span.Slice(k * SnapshotTransferStateSize, SnapshotTransferStateSize);
                    if (malformed < 0 && (record[8] > (byte)PendingStatus.Expired || record[9..].IndexOfAnyExcept((byte)0) >= 0))
                        malformed = i + k;
                    engine._transferStates[i + k] = new TransferState
                    {
                        ResolvedTimestamp = BinaryPrimitives.ReadUInt64LittleEndian(record),
                        Status = (PendingStatus)record[8],
                        HeapIndex = -1,
                    };
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        if (crc.Value != bodyCrc) throw Corrupt(SnapshotError.BodyChecksumMismatch, "the body checksum does not match");
        if (malformed >= 0) throw Corrupt(SnapshotError.InvalidState, $"transfer state {malformed} is malformed");

        engine.Rebuild(accountCount, transferCount, lastTimestamp);
        if (engine._ledgerCount != ledgerCount || engine._expiry.Count != pendingWithTimeout)
            throw Corrupt(SnapshotError.InvalidState, "the ledger or pending counts differ from the header");
        try
        {
            engine.AuditCore();
        }
        catch (LedgerInvariantException e)
        {
            throw Corrupt(SnapshotError.InvalidState, "the restored state fails the audit", e);
        }
        return engine;
    }

    /// <summary>Rebuilds the derived structures (indexes, ledger totals, expiries, digest) from the loaded records.</summary>
    private void Rebuild(int accountCount, int transferCount, ulong lastTimestamp)
    {
        _lastTimestamp = lastTimestamp;
        for (var i = 0; i < accountCount; i++)
        {
            ref readonly var a = ref _accounts[i];
            if (!_accountIndex.TryAdd(a.Id, i)) throw Corrupt(SnapshotError.InvalidState, $"account id {a.Id} appears twice");
            if (!_ledgerIndex.TryGetValue(a.Ledger, out var slot))
            {
                if (_ledgerCount == _ledgers.Length) throw Corrupt(SnapshotError.CapacityExceeded, "too many ledgers for the options");
                slot = _ledgerCount++;
                _ledgers[slot] = new LedgerSlot { Ledger = a.Ledger };
                _ledgerIndex.Add(a.Ledger, slot);
            }
            _accountLedgerSlot[i] = slot;
            ref var l = ref _ledgers[slot];
            l.AccountCount++;
            l.DebitsPending = unchecked(l.DebitsPending + a.DebitsPending);
            l.DebitsPosted = unchecked(l.DebitsPosted + a.DebitsPosted);
            l.CreditsPending = unchecked(l.CreditsPending + a.CreditsPending);
            l.CreditsPosted = unchecked(l.CreditsPosted + a.CreditsPosted);
        }
        _accountCount = accountCount;
        for (var i = 0; i < transferCount; i++)
        {
            ref readonly var t = ref _transfers[i];
            if (!_transferIndex.TryAdd(t.Id, i)) throw Corrupt(SnapshotError.InvalidState, $"transfer id {t.Id} appears twice");
            _transfersDigest += TransferDigest(in t);
            ref var s = ref _transferStates[i];
            if ((t.Flags & TransferFlags.Pending) != 0 && t.TimeoutSeconds != 0)
            {
                var timeoutNs = t.TimeoutSeconds * Transfer.NanosecondsPerSecond;
                if (timeoutNs > ulong.MaxValue - t.Timestamp) throw Corrupt(SnapshotError.InvalidState, $"transfer {t.Id} has an overflowing timeout");
                s.ExpiresAt = t.Timestamp + timeoutNs;
            }
            _transferCount = i + 1;
            if (s.Status == PendingStatus.Pending && s.ExpiresAt != 0) _expiry.Add(_transferStates, i);
        }
        _transferCount = transferCount;
    }

    private static LedgerSnapshotException Corrupt(SnapshotError error, string message, Exception? inner = null) =>
        new(error, message, inner);

    /// <summary>Receives serialized bytes (generic struct sinks: no virtual calls, no boxing).</summary>
    private interface IByteSink
    {
        void Write(ReadOnlySpan<byte> data);
    }

    private readonly struct StreamSink(Stream stream) : IByteSink
    {
        public void Write(ReadOnlySpan<byte> data) => stream.Write(data);
    }

    private readonly struct BufferWriterSink(IBufferWriter<byte> writer) : IByteSink
    {
        public void Write(ReadOnlySpan<byte> data) => writer.Write(data);
    }

    private readonly struct HashSink(IncrementalHash hash) : IByteSink
    {
        public void Write(ReadOnlySpan<byte> data) => hash.AppendData(data);
    }

    private struct CrcSink(Crc32C crc) : IByteSink
    {
        public Crc32C Crc = crc;

        public void Write(ReadOnlySpan<byte> data) => Crc.Append(data);
    }

    /// <summary>Supplies snapshot bytes; a short read is <see cref="SnapshotError.Truncated"/>.</summary>
    private interface ISnapshotSource
    {
        void ReadExactly(scoped Span<byte> destination);
    }

    private readonly struct StreamSource(Stream stream) : ISnapshotSource
    {
        public void ReadExactly(scoped Span<byte> destination)
        {
            try
            {
                stream.ReadExactly(destination);
            }
            catch (EndOfStreamException e)
            {
                throw Corrupt(SnapshotError.Truncated, "the snapshot ends early", e);
            }
        }
    }

    private ref struct SpanSource(ReadOnlySpan<byte> source) : ISnapshotSource
    {
        private ReadOnlySpan<byte> _rest = source;

        public void ReadExactly(scoped Span<byte> destination)
        {
            if (_rest.Length < destination.Length) throw Corrupt(SnapshotError.Truncated, "the snapshot ends early");
            _rest[..destination.Length].CopyTo(destination);
            _rest = _rest[destination.Length..];
        }
    }
}
