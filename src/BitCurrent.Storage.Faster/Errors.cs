namespace BitCurrent.Storage.Faster;

/// <summary>
/// Why a <see cref="DurableLedger"/> refused a call or could not open (44xx: ledger durability). Numbers are never
/// reused; a golden test pins them.
/// </summary>
public enum DurableLedgerError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>A batch holds no items (an empty batch would journal nothing useful; use <see cref="DurableLedger.ExpirePendingTransfersAsync"/> to let time pass).</summary>
    BatchEmpty = 4401,

    /// <summary>A batch holds more items than <see cref="BitCurrent.Ledger.LedgerEngineOptions.BatchItemsMax"/>.</summary>
    BatchTooLarge = 4402,

    /// <summary>The ledger is closed (disposed, or being disposed).</summary>
    Closed = 4403,

    /// <summary>
    /// An earlier failure (a journal commit that failed, or an engine invariant) stopped the ledger: its in-memory state
    /// can no longer be trusted. Every later call fails with this; reopen the directory to recover from disk.
    /// </summary>
    Faulted = 4404,

    /// <summary>The journal commit of this batch failed; the batch may or may not be on disk. The ledger is now faulted.</summary>
    JournalCommitFailed = 4405,

    /// <summary>The engine broke an invariant while applying this batch (a bug). The batch was not journalled; the ledger is now faulted.</summary>
    EngineInvariantFailed = 4406,

    /// <summary>Another process (or another instance in this process) has the data directory open.</summary>
    DirectoryLocked = 4407,

    /// <summary>The engine capacities given differ from those the data directory was created with.</summary>
    EngineOptionsMismatch = 4408,

    /// <summary>
    /// No consistent state can be rebuilt: the manifest is missing or corrupt, no snapshot is usable and the journal no
    /// longer starts at its beginning, or a well-formed journal record failed to replay. <see cref="DurableLedgerException.Recovery"/>
    /// says what was tried.
    /// </summary>
    RecoveryFailed = 4409,

    /// <summary>A snapshot could not be written (the journal is unaffected; the ledger keeps running).</summary>
    SnapshotFailed = 4410,

    /// <summary>
    /// The batch's timestamps would not fit in 64 bits of nanoseconds (a clock after the year 2554, or a ledger whose last
    /// timestamp is at the end of the range). Nothing was applied or journalled; the ledger keeps running.
    /// </summary>
    ClockOutOfRange = 4411,
}

/// <summary>Thrown by <see cref="DurableLedger"/> with a numbered <see cref="DurableLedgerError"/>.</summary>
public sealed class DurableLedgerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DurableLedgerException() { }

    /// <summary>Creates the exception with a message.</summary>
    public DurableLedgerException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public DurableLedgerException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with its reason.</summary>
    public DurableLedgerException(DurableLedgerError error, string message, Exception? innerException = null, RecoveryReport? recovery = null)
        : base($"{(int)error} {error}: {message}", innerException)
    {
        Error = error;
        Recovery = recovery;
    }

    /// <summary>The numbered reason.</summary>
    public DurableLedgerError Error { get; }

    /// <summary>For <see cref="DurableLedgerError.RecoveryFailed"/>: what recovery found before it gave up.</summary>
    public RecoveryReport? Recovery { get; }
}

/// <summary>What a journal record holds (a byte in every record; values are persisted and never change).</summary>
public enum BatchKind : byte
{
    /// <summary>A batch of accounts to create.</summary>
    CreateAccounts = 1,

    /// <summary>A batch of transfers to create.</summary>
    CreateTransfers = 2,

    /// <summary>An empty batch that lets time pass, expiring pending transfers that timed out.</summary>
    ExpirePendingTransfers = 3,
}

/// <summary>
/// Something recovery found and worked around (44xx, after <see cref="DurableLedgerError"/>). Each is reported in the
/// <see cref="RecoveryReport"/>, never silently skipped. Numbers are never reused; a golden test pins them.
/// </summary>
public enum RecoveryIssueKind
{
    /// <summary>No issue.</summary>
    None = 0,

    /// <summary>A snapshot file could not be read (an I/O error).</summary>
    SnapshotUnreadable = 4451,

    /// <summary>A snapshot file's header is corrupt: bad magic, version, length or checksum.</summary>
    SnapshotHeaderCorrupt = 4452,

    /// <summary>The journal address in a snapshot's file name differs from the one in its header.</summary>
    SnapshotNameMismatch = 4453,

    /// <summary>The engine refused the snapshot body (<see cref="BitCurrent.Ledger.SnapshotError"/> in the detail).</summary>
    SnapshotEngineCorrupt = 4454,

    /// <summary>The restored state's hash differs from the hash recorded with the snapshot.</summary>
    SnapshotStateHashMismatch = 4455,

    /// <summary>The snapshot covers journal records beyond the journal's committed tail.</summary>
    SnapshotBeyondJournal = 4456,

    /// <summary>The journal was truncated past the snapshot's address, so the records after it cannot be replayed from it.</summary>
    SnapshotBeforeJournalStart = 4457,

    /// <summary>An unfinished snapshot (a temporary file from a crash during a snapshot) was deleted.</summary>
    SnapshotIncomplete = 4458,

    /// <summary>A journal record's checksum does not match.</summary>
    JournalChecksumMismatch = 4461,

    /// <summary>A journal record is malformed: bad magic, version, kind or length.</summary>
    JournalRecordMalformed = 4462,

    /// <summary>A journal record's sequence number or timestamp does not follow the previous record's.</summary>
    JournalRecordOutOfSequence = 4463,

    /// <summary>The journal's records end before its committed tail (a torn or zeroed tail).</summary>
    JournalRecordsMissing = 4464,

    /// <summary>The journal could not be read at an address (the log store reported an error).</summary>
    JournalUnreadable = 4465,
}
