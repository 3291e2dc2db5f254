using BitCurrent.Ledger;
using BitCurrent.Storage.Faster.Internal;

namespace BitCurrent.Storage.Faster;

public sealed partial class DurableLedger
{
    /// <summary>The first address of a FasterLog that was never truncated (FASTER's first valid address).</summary>
    internal const long JournalOriginAddress = 64;

    private sealed record RecoveredState(LedgerEngine Engine, ulong Sequence, SnapshotStore Snapshots, RecoveryReport Report);

    private static RecoveredState Recover(string directory, DurableLedgerOptions options, out FasterJournal journal)
    {
        var report = new RecoveryReport();
        var manifestPath = Manifest.PathIn(directory);
        var journalDirectory = Path.Combine(directory, "journal");
        var snapshotDirectory = Path.Combine(directory, "snapshots");

        // 1. The manifest: the capacities the journal ran with, and the journal ranges discarded earlier.
        Manifest manifest;
        if (!File.Exists(manifestPath))
        {
            if (Directory.Exists(journalDirectory) && Directory.EnumerateFileSystemEntries(journalDirectory).Any())
                throw new DurableLedgerException(DurableLedgerError.RecoveryFailed,
                    $"'{directory}' has a journal but no {Manifest.FileName}: the capacities its batches ran with are unknown.", recovery: report);
            manifest = new Manifest(options.Engine, []);
            Files.WriteAtomically(manifestPath, manifest.Encode());
            report.CreatedNew = true;
        }
        else
        {
            manifest = Manifest.Decode(File.ReadAllBytes(manifestPath), out var problem)
                ?? throw new DurableLedgerException(DurableLedgerError.RecoveryFailed, $"{Manifest.FileName} is corrupt: {problem}.", recovery: report);
            if (manifest.Engine != options.Engine)
                throw new DurableLedgerException(DurableLedgerError.EngineOptionsMismatch,
                    $"The directory was created with {manifest.Engine}; the options give {options.Engine}.");
        }
        report.PreviouslyDiscardedRanges = manifest.Discarded;

        // 2. The journal: FASTER recovers its latest commit; everything after the committed tail is ignored.
        try
        {
            journal = new FasterJournal(journalDirectory, options.ResolvedJournalPageSizeBytes, options.SegmentSizeBytes, options.JournalMemoryPages);
        }
        catch (Exception e) when (e is not DurableLedgerException)
        {
            throw new DurableLedgerException(DurableLedgerError.RecoveryFailed, $"The journal could not be opened: {e.Message}", e, report);
        }
        var committed = journal.CommittedUntilAddress;
        report.JournalBeginAddress = journal.BeginAddress;
        report.JournalCommittedAddress = committed;

        // 3. The newest snapshot that is valid and that the journal can continue from.
        var snapshots = new SnapshotStore(snapshotDirectory);
        foreach (var temporary in snapshots.ListTemporary())
        {
            report.SkippedList.Add(new SkippedSnapshot(temporary, -1, RecoveryIssueKind.SnapshotIncomplete,
                "a snapshot write was interrupted before it completed; the temporary file was deleted"));
            File.Delete(temporary);
        }
        LedgerEngine? engine = null;
        SnapshotInfo? chosen = null;
        foreach (var (path, address) in snapshots.List())
        {
            RecoveryIssueKind issue;
            string detail;
            if (address < 0)
            {
                issue = RecoveryIssueKind.SnapshotHeaderCorrupt;
                detail = "the file name holds no journal address";
            }
            else if (address > committed)
            {
                issue = RecoveryIssueKind.SnapshotBeyondJournal;
                detail = $"it covers the journal up to {address}, but the journal is committed only up to {committed}";
            }
            else if (address < journal.BeginAddress)
            {
                issue = RecoveryIssueKind.SnapshotBeforeJournalStart;
                detail = $"the journal was truncated up to {journal.BeginAddress}, after its address {address}";
            }
            else
            {
                issue = SnapshotStore.TryLoad(path, address, manifest.Engine, out engine, out chosen, out detail);
            }
            if (issue == RecoveryIssueKind.None) break;
            report.SkippedList.Add(new SkippedSnapshot(path, address, issue, detail));
            File.Move(path, path + SnapshotStore.SkippedSuffix, overwrite: true);
        }
        ulong sequence;
        long start;
        if (engine is not null && chosen is not null)
        {
            report.Snapshot = chosen;
            sequence = chosen.Sequence;
            start = chosen.JournalAddress;
        }
        else if (journal.BeginAddress <= JournalOriginAddress)
        {
            engine = new LedgerEngine(manifest.Engine);
            sequence = 0;
            start = journal.BeginAddress;
        }
        else
        {
            throw new DurableLedgerException(DurableLedgerError.RecoveryFailed,
                $"No usable snapshot, and the journal no longer starts at its beginning (it starts at {journal.BeginAddress}).", recovery: report);
        }
        if (report.SkippedList.Count > 0) Files.SyncDirectory(snapshotDirectory);

        // 4. Replay the committed journal after the snapshot, jumping over ranges discarded earlier.
        var replay = new Replay(journal, engine, manifest, sequence, report);
        replay.Run(start, committed);
        sequence = replay.Sequence;

        // 5. A torn or corrupt tail: remember the discarded range (later records are appended after it), then take a
        //    snapshot at the committed tail so that recoveries start past it.
        if (report.DiscardedTail is { } tail)
        {
            manifest = manifest.WithDiscarded(replay.LastGoodEnd, committed);
            Files.WriteAtomically(manifestPath, manifest.Encode());
            var pending = snapshots.Begin(engine, committed, sequence);
            snapshots.Complete(pending);
            report.RepairSnapshot = pending.Info;
        }
        report.LastSequence = sequence;
        report.StateHash = engine.ComputeStateHash();
        return new RecoveredState(engine, sequence, snapshots, report);
    }

    /// <summary>Replays committed records into the engine, checking each record before it is applied.</summary>
    private sealed class Replay(FasterJournal journal, LedgerEngine engine, Manifest manifest, ulong sequence, RecoveryReport report)
    {
        private readonly Transfer[] _transfers = new Transfer[manifest.Engine.BatchItemsMax];
        private readonly Account[] _accounts = new Account[manifest.Engine.BatchItemsMax];
        private readonly CreateTransferResult[] _transferResults = new CreateTransferResult[manifest.Engine.BatchItemsMax];
        private readonly CreateAccountResult[] _accountResults = new CreateAccountResult[manifest.Engine.BatchItemsMax];

        public ulong Sequence { get; private set; } = sequence;

        /// <summary>
        /// The end of the last good record (or the start of replay): the first byte of a discarded tail, page padding
        /// before the first bad record included. A later replay must end exactly here before it jumps.
        /// </summary>
        public long LastGoodEnd { get; private set; }

        public void Run(long start, long committed)
        {
            report.ReplayedFromAddress = start;
            report.ReplayedUntilAddress = start;
            LastGoodEnd = start;
            var position = start;
            while (position < committed)
            {
                // The next stretch ends at the next discarded range (or the committed tail).
                var end = committed;
                var resume = committed;
                foreach (var (from, until) in manifest.Discarded)
                {
                    if (until <= position) continue;
                    if (from <= position)
                    {
                        position = Math.Min(until, committed);
                        end = -1;
                        break;
                    }
                    end = Math.Min(from, committed);
                    resume = Math.Min(until, committed);
                    break;
                }
                if (end < 0) continue;   // the position was inside a discarded range: jumped over it
                if (!ReplayStretch(position, end, committed)) return;
                position = resume;
                report.ReplayedUntilAddress = position;
            }
        }

        /// <summary>Replays [from, until); false when it found a bad record (the tail from there on is discarded).</summary>
        private bool ReplayStretch(long from, long until, long committed)
        {
            var last = from;
            LastGoodEnd = from;
            try
            {
                using var scanner = journal.Scan(from, until);
                while (scanner.TryNext(out var entry, out var length, out var address, out var next))
                {
                    using (entry)
                    {
                        var record = entry!.Memory.Span[..length];
                        var issue = JournalRecord.TryRead(record, manifest.Engine.BatchItemsMax, out var header, out var detail);
                        if (issue == RecoveryIssueKind.None && (header.Sequence != Sequence + 1 || header.Timestamp <= engine.LastTimestamp))
                        {
                            issue = RecoveryIssueKind.JournalRecordOutOfSequence;
                            detail = $"sequence {header.Sequence} at timestamp {header.Timestamp} follows sequence {Sequence} at timestamp {engine.LastTimestamp}";
                        }
                        if (issue != RecoveryIssueKind.None)
                        {
                            Discard(address, committed, issue, detail);
                            return false;
                        }
                        Apply(header, record[JournalRecord.HeaderSize..], address);
                    }
                    last = next;
                    LastGoodEnd = next;
                    report.ReplayedUntilAddress = next;
                }
            }
            catch (JournalReadException e)
            {
                Discard(last, committed, RecoveryIssueKind.JournalUnreadable, $"{e.Message} (reading after {last}, store position {e.Address})");
                return false;
            }
            if (last != until)
            {
                Discard(last, committed, RecoveryIssueKind.JournalRecordsMissing,
                    $"the records end at {last}, before the end of the committed journal at {until}");
                return false;
            }
            return true;
        }

        private void Apply(JournalRecordHeader header, ReadOnlySpan<byte> items, long address)
        {
            try
            {
                switch (header.Kind)
                {
                    case BatchKind.CreateTransfers:
                        for (var i = 0; i < header.Count; i++) _transfers[i] = Transfer.Read(items.Slice(i * JournalRecord.ItemSize, JournalRecord.ItemSize));
                        engine.CreateTransfers(_transfers.AsSpan(0, header.Count), header.Timestamp, _transferResults);
                        break;
                    case BatchKind.CreateAccounts:
                        for (var i = 0; i < header.Count; i++) _accounts[i] = Account.Read(items.Slice(i * JournalRecord.ItemSize, JournalRecord.ItemSize));
                        engine.CreateAccounts(_accounts.AsSpan(0, header.Count), header.Timestamp, _accountResults);
                        break;
                    default:
                        engine.ExpirePendingTransfers(header.Timestamp);
                        break;
                }
            }
            catch (Exception e) when (e is LedgerInvariantException or ArgumentException)
            {
                // A checksummed record that applied once and fails now: the code or the options changed. Never guess.
                throw new DurableLedgerException(DurableLedgerError.RecoveryFailed,
                    $"The journal record at {address} (sequence {header.Sequence}) passed its checks but the engine refused it on replay: {e.Message}",
                    e, report);
            }
            Sequence = header.Sequence;
            report.ReplayedBatches++;
        }

        private void Discard(long address, long committed, RecoveryIssueKind issue, string detail) =>
            report.DiscardedTail = new DiscardedJournalTail(address, committed - address, issue, detail, Sequence);
    }
}
