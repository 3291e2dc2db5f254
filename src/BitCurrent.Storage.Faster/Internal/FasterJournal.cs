using System.Buffers;
using FASTER.core;

namespace BitCurrent.Storage.Faster.Internal;

/// <summary>
/// The only place that touches Microsoft.FASTER.Core (frozen at 2.6.5, so it must stay replaceable): an append-only
/// journal on a <see cref="FasterLog"/>. Records are appended in memory (<see cref="Append"/>), made durable by
/// <see cref="Commit"/> (the device is opened write-through, so a completed commit is on disk) and read back by
/// <see cref="Scan"/> up to the committed tail only. Segment files are <c>journal.log.N</c>; FASTER's commit metadata
/// lives in <c>commits/</c>.
/// </summary>
/// <remarks>
/// Threading: one writer calls <see cref="Append"/>, <see cref="Commit"/> and <see cref="TruncateUntil"/>; any thread
/// may await <see cref="WaitForCommitAsync"/>. No commit ever happens by itself (<c>AutoCommit</c> is off): the
/// durable ledger decides when to commit, once per group.
/// </remarks>
internal sealed class FasterJournal : IDisposable
{
    /// <summary>FasterLog's per-entry header: a 4-byte length (no per-entry checksum; records carry their own CRC32C).</summary>
    public const int EntryHeaderBytes = 4;

    private readonly IDevice _device;
    private readonly FasterLog _log;

    public FasterJournal(string directory, long pageSizeBytes, long segmentSizeBytes, int memoryPages)
    {
        Directory.CreateDirectory(directory);
        _device = Devices.CreateLogDevice(Path.Combine(directory, "journal.log"), preallocateFile: false, deleteOnClose: false,
            recoverDevice: true);
        try
        {
            var settings = new FasterLogSettings
            {
                LogDevice = _device,
                LogCommitDir = Path.Combine(directory, "commits"),
                PageSize = pageSizeBytes,
                MemorySize = pageSizeBytes * memoryPages,
                SegmentSize = segmentSizeBytes,
                AutoCommit = false,
                TryRecoverLatest = true,
                LogChecksum = LogChecksumType.None,
            };
            _log = new FasterLog(settings);
        }
        catch
        {
            _device.Dispose();
            throw;
        }
    }

    /// <summary>The first address still in the journal (earlier records were truncated).</summary>
    public long BeginAddress => _log.BeginAddress;

    /// <summary>Everything before this address is durable.</summary>
    public long CommittedUntilAddress => _log.CommittedUntilAddress;

    /// <summary>The address the next record will be appended at (or a later one, if it does not fit the page).</summary>
    public long TailAddress => _log.TailAddress;

    /// <summary>Appends a record in memory and returns its address; waits (spinning) while every in-memory page awaits its flush.</summary>
    public long Append(ReadOnlySpan<byte> record) => _log.Enqueue(record);

    /// <summary>Starts a commit of everything appended so far; returns at once.</summary>
    public void Commit() => _log.Commit(spinWait: false);

    /// <summary>Completes when everything before <paramref name="untilAddress"/> is durable; throws if a commit failed.</summary>
    public ValueTask WaitForCommitAsync(long untilAddress) => FailCommitsForTests
        ? ValueTask.FromException(new IOException("Simulated journal device failure."))
        : _log.WaitForCommitAsync(untilAddress);

    /// <summary>Test hook: makes every <see cref="WaitForCommitAsync"/> fail, as a failed device would.</summary>
    internal bool FailCommitsForTests { get; set; }

    /// <summary>Drops the records before <paramref name="address"/> (a record start) at the next commit; whole segments before it are deleted.</summary>
    public void TruncateUntil(long address) => _log.TruncateUntil(address);

    /// <summary>Reads the committed records in [<paramref name="fromAddress"/>, <paramref name="untilAddress"/>).</summary>
    public Scanner Scan(long fromAddress, long untilAddress) => new(_log.Scan(fromAddress, untilAddress));

    public void Dispose()
    {
        _log.Dispose();
        _device.Dispose();
    }

    /// <summary>A forward reader over committed records; FASTER's failures come out as <see cref="JournalReadException"/>.</summary>
    internal sealed class Scanner : IDisposable
    {
        private readonly FasterLogScanIterator _iterator;

        internal Scanner(FasterLogScanIterator iterator) => _iterator = iterator;

        /// <summary>The next record (a pooled copy the caller disposes), or false at the end of the range.</summary>
        public bool TryNext(out IMemoryOwner<byte>? entry, out int length, out long address, out long nextAddress)
        {
            try
            {
                return _iterator.GetNext(MemoryPool<byte>.Shared, out entry, out length, out address, out nextAddress);
            }
            catch (FasterException e)
            {
                throw new JournalReadException(_iterator.NextAddress, e.Message, e);
            }
        }

        public void Dispose() => _iterator.Dispose();
    }
}

/// <summary>The journal store could not read at an address.</summary>
internal sealed class JournalReadException : Exception
{
    public JournalReadException() { }

    public JournalReadException(string message) : base(message) { }

    public JournalReadException(string message, Exception innerException) : base(message, innerException) { }

    public JournalReadException(long address, string message, Exception innerException) : base(message, innerException) => Address = address;

    public long Address { get; }
}
