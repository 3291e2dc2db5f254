using BitCurrent.Ledger;

namespace BitCurrent.Storage.Faster;

/// <summary>
/// The outcome of one durable batch, returned once its journal record is committed: the engine's result per item
/// and where the batch sits in the journal.
/// </summary>
/// <typeparam name="TResult"><see cref="CreateAccountResult"/> or <see cref="CreateTransferResult"/>.</typeparam>
public sealed class BatchResult<TResult> where TResult : struct, Enum
{
    internal BatchResult(ulong sequence, ulong timestamp, long journalAddress, TResult[] results, int created)
    {
        Sequence = sequence;
        Timestamp = timestamp;
        JournalAddress = journalAddress;
        Results = results;
        Created = created;
    }

    /// <summary>The batch's number in the journal: 1 for the first batch ever, then one more per batch, with no gaps.</summary>
    public ulong Sequence { get; }

    /// <summary>The batch's timestamp (nanoseconds): item <c>i</c> was created at <c>Timestamp + i</c>.</summary>
    public ulong Timestamp { get; }

    /// <summary>The journal address of the batch's record.</summary>
    public long JournalAddress { get; }

    /// <summary>One result per item of the batch, in order.</summary>
    public ReadOnlyMemory<TResult> Results { get; }

    /// <summary>How many items were created (results <c>Ok</c>).</summary>
    public int Created { get; }
}

/// <summary>The outcome of a durable <see cref="DurableLedger.ExpirePendingTransfersAsync"/>.</summary>
/// <param name="Sequence">The batch's number in the journal.</param>
/// <param name="Timestamp">The timestamp time advanced to (nanoseconds).</param>
/// <param name="JournalAddress">The journal address of the batch's record.</param>
/// <param name="Expired">How many pending transfers expired.</param>
public readonly record struct ExpireResult(ulong Sequence, ulong Timestamp, long JournalAddress, int Expired);

/// <summary>A snapshot file on disk and what it covers.</summary>
/// <param name="Path">The file's full path (<c>snapshots/snapshot-&lt;journal address&gt;.bin</c>).</param>
/// <param name="JournalAddress">The journal address replay resumes at: the snapshot holds every batch before it.</param>
/// <param name="Sequence">The last batch the snapshot holds (0: none).</param>
/// <param name="LastTimestamp">The engine's <see cref="LedgerEngine.LastTimestamp"/> in the snapshot.</param>
/// <param name="StateHash">The engine's <see cref="LedgerEngine.ComputeStateHash"/> in the snapshot.</param>
/// <param name="LengthBytes">The file's length.</param>
public sealed record SnapshotInfo(string Path, long JournalAddress, ulong Sequence, ulong LastTimestamp, Hash256 StateHash, long LengthBytes);

/// <summary>Counters of a running <see cref="DurableLedger"/> (a consistent copy taken under no lock: each is exact, together they may be a moment apart).</summary>
/// <param name="BatchesCommitted">Batches whose journal record is committed and whose caller has been answered.</param>
/// <param name="LastCommittedSequence">The sequence number of the last committed batch.</param>
/// <param name="CommitGroups">Commit groups completed (one journal commit each, for the groups that wrote records).</param>
/// <param name="JournalBytesCommitted">Bytes of journal records committed since open.</param>
/// <param name="SnapshotsWritten">Snapshots written since open.</param>
/// <param name="SnapshotsFailed">Snapshots that failed since open (see <see cref="DurableLedger.LastSnapshotError"/>).</param>
public readonly record struct DurableLedgerStatistics(
    long BatchesCommitted, ulong LastCommittedSequence, long CommitGroups, long JournalBytesCommitted, long SnapshotsWritten, long SnapshotsFailed);
