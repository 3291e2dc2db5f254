using BitCurrent.Ledger;
using BitCurrent.Storage.Faster.Internal;

namespace BitCurrent.Storage.Faster;

/// <summary>
/// Where and how a <see cref="DurableLedger"/> keeps its data: the data directory, the engine's capacities (persisted
/// with the data: a replay must use the capacities the batches ran with), the journal's geometry, group commit and
/// snapshots.
/// </summary>
public sealed record DurableLedgerOptions
{
    /// <summary>The smallest page <see cref="JournalPageSizeBytes"/> = 0 picks when segments allow it: 1 MiB.</summary>
    public const long PageSizeFloorBytes = 1 << 20;

    /// <summary>The default largest group of batches committed at once: 8 MiB of journal records.</summary>
    public const int DefaultGroupBytesMax = 8 << 20;

    /// <summary>
    /// The data directory. It holds <c>LOCK</c>, <c>ledger.manifest</c>, <c>journal/</c> (the FasterLog segments and
    /// commit metadata) and <c>snapshots/</c>. Created when missing. One process at a time may open it.
    /// </summary>
    public required string DataDirectory { get; init; }

    /// <summary>
    /// The engine's capacities. Written to <c>ledger.manifest</c> when the directory is created; opening it again with
    /// different capacities fails with <see cref="DurableLedgerError.EngineOptionsMismatch"/>, because capacities take
    /// part in results and a replay must reproduce them.
    /// </summary>
    public LedgerEngineOptions Engine { get; init; } = new();

    /// <summary>
    /// Size of one journal segment file in bytes, a power of two of at least <see cref="JournalPageSizeBytes"/> (as
    /// resolved). Old segments are deleted whole once every kept snapshot is past them. Default 1 GiB.
    /// </summary>
    public long SegmentSizeBytes { get; init; } = 1L << 30;

    /// <summary>
    /// Size of a journal page in bytes, a power of two; a record never spans two pages, so a page must hold the largest
    /// record (40 + 128 × <see cref="LedgerEngineOptions.BatchItemsMax"/> bytes, plus FASTER's 4-byte header).
    /// 0 (the default) picks the smallest power of two of at least 8 largest records and at least
    /// <see cref="PageSizeFloorBytes"/> (8 MiB for batches of 8189), which wastes at most one record's worth of padding
    /// in eight, halved while it exceeds <see cref="SegmentSizeBytes"/> and still holds a record.
    /// </summary>
    public long JournalPageSizeBytes { get; init; }

    /// <summary>Journal pages kept in memory (a power of two, at least 2; default 4). Appends wait while all of them await their flush.</summary>
    public int JournalMemoryPages { get; init; } = 4;

    /// <summary>
    /// How long a commit group may stay open waiting for more batches while an earlier group's commit is still in flight.
    /// When the journal device is idle a group is committed at once. Default 1 ms; <see cref="TimeSpan.Zero"/> commits
    /// whatever is queued without waiting.
    /// </summary>
    public TimeSpan CommitMaxDelay { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>A group is closed once its records reach this many bytes. Default <see cref="DefaultGroupBytesMax"/>.</summary>
    public int GroupBytesMax { get; init; } = DefaultGroupBytesMax;

    /// <summary>Most commit groups in flight at once (applied and appended, commit not yet complete). Default 4.</summary>
    public int GroupsInFlightMax { get; init; } = 4;

    /// <summary>Most submissions waiting in the queue; submitters wait for room beyond it. Default 1024.</summary>
    public int QueueCapacity { get; init; } = 1024;

    /// <summary>Take a snapshot after every this many journalled batches; 0 never takes one by itself. Default 10 000.</summary>
    public int SnapshotEveryBatches { get; init; } = 10_000;

    /// <summary>
    /// How many snapshots to keep (at least 1; default 2). The journal before the oldest kept snapshot is truncated, so
    /// keeping two means a corrupt newest snapshot can still be recovered from the one before it and the journal.
    /// </summary>
    public int SnapshotsToKeep { get; init; } = 2;

    /// <summary>The page size the journal uses: <see cref="JournalPageSizeBytes"/>, or the default it stands for.</summary>
    public long ResolvedJournalPageSizeBytes
    {
        get
        {
            if (JournalPageSizeBytes != 0) return JournalPageSizeBytes;
            var record = (long)(JournalRecord.Length(Engine.BatchItemsMax) + FasterJournal.EntryHeaderBytes);
            var page = (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)Math.Max(8 * record, PageSizeFloorBytes));
            while (page > SegmentSizeBytes && page / 2 >= record) page /= 2;   // small segments (tests) take smaller pages
            return page;
        }
    }

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentException">The data directory is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size, count or delay is out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(DataDirectory, nameof(DataDirectory));
        ArgumentNullException.ThrowIfNull(Engine, nameof(Engine));
        Engine.Validate();
        var page = ResolvedJournalPageSizeBytes;
        var record = JournalRecord.Length(Engine.BatchItemsMax) + FasterJournal.EntryHeaderBytes;
        if (page < record || page > 1L << 30 || !IsPowerOfTwo(page))
            throw new ArgumentOutOfRangeException(nameof(JournalPageSizeBytes), page,
                $"The journal page size must be a power of two between the largest record ({record} bytes) and 1 GiB.");
        if (SegmentSizeBytes < page || SegmentSizeBytes > 1L << 40 || !IsPowerOfTwo(SegmentSizeBytes))
            throw new ArgumentOutOfRangeException(nameof(SegmentSizeBytes), SegmentSizeBytes,
                $"The segment size must be a power of two between the page size ({page} bytes) and 1 TiB.");
        ArgumentOutOfRangeException.ThrowIfLessThan(JournalMemoryPages, 2, nameof(JournalMemoryPages));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(JournalMemoryPages, 1024, nameof(JournalMemoryPages));
        if (!IsPowerOfTwo(JournalMemoryPages))
            throw new ArgumentOutOfRangeException(nameof(JournalMemoryPages), JournalMemoryPages, "The number of journal pages in memory must be a power of two.");
        ArgumentOutOfRangeException.ThrowIfLessThan(CommitMaxDelay, TimeSpan.Zero, nameof(CommitMaxDelay));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(CommitMaxDelay, TimeSpan.FromSeconds(1), nameof(CommitMaxDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(GroupBytesMax, 1, nameof(GroupBytesMax));
        ArgumentOutOfRangeException.ThrowIfLessThan(GroupsInFlightMax, 1, nameof(GroupsInFlightMax));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(GroupsInFlightMax, 1024, nameof(GroupsInFlightMax));
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueCapacity, 1, nameof(QueueCapacity));
        ArgumentOutOfRangeException.ThrowIfNegative(SnapshotEveryBatches, nameof(SnapshotEveryBatches));
        ArgumentOutOfRangeException.ThrowIfLessThan(SnapshotsToKeep, 1, nameof(SnapshotsToKeep));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SnapshotsToKeep, 1000, nameof(SnapshotsToKeep));
    }

    private static bool IsPowerOfTwo(long value) => value > 0 && (value & (value - 1)) == 0;
}
