using System.Globalization;
using System.Text;
using BitCurrent.Ledger;

namespace BitCurrent.Storage.Faster;

/// <summary>A snapshot recovery did not use, and why.</summary>
/// <param name="Path">The file as found (it has been renamed to <c>*.skipped</c> so that it is never tried again, or deleted if it was an unfinished temporary file).</param>
/// <param name="JournalAddress">The journal address in its name, or -1 if the name has none.</param>
/// <param name="Issue">Why it was not used.</param>
/// <param name="Detail">What exactly was wrong, in words.</param>
public sealed record SkippedSnapshot(string Path, long JournalAddress, RecoveryIssueKind Issue, string Detail);

/// <summary>A part of the journal recovery discarded: a torn or corrupt tail.</summary>
/// <param name="Address">The address of the first discarded byte (the first record that failed its checks).</param>
/// <param name="Bytes">How many committed journal bytes were discarded (up to the committed tail).</param>
/// <param name="Issue">What was wrong at <paramref name="Address"/>.</param>
/// <param name="Detail">What exactly was wrong, in words.</param>
/// <param name="LastGoodSequence">The sequence number of the last batch kept.</param>
public sealed record DiscardedJournalTail(long Address, long Bytes, RecoveryIssueKind Issue, string Detail, ulong LastGoodSequence);

/// <summary>
/// What <see cref="DurableLedger.Open"/> found and did: which snapshot it started from, which it skipped and why, how
/// much of the journal it replayed, and any torn or corrupt tail it discarded. Nothing is skipped silently: a report
/// with <see cref="IsClean"/> false deserves an operator's attention.
/// </summary>
public sealed class RecoveryReport
{
    internal RecoveryReport() { }

    /// <summary>True when the directory was new (no manifest, journal or snapshot).</summary>
    public bool CreatedNew { get; internal set; }

    /// <summary>The snapshot recovery started from, or null when it replayed the journal from its beginning.</summary>
    public SnapshotInfo? Snapshot { get; internal set; }

    /// <summary>Snapshots that were not used, newest first, with the reason for each.</summary>
    public IReadOnlyList<SkippedSnapshot> SkippedSnapshots => SkippedList;

    internal List<SkippedSnapshot> SkippedList { get; } = [];

    /// <summary>The journal's first address (earlier records were truncated after a snapshot).</summary>
    public long JournalBeginAddress { get; internal set; }

    /// <summary>The journal's committed tail as found on disk.</summary>
    public long JournalCommittedAddress { get; internal set; }

    /// <summary>The address replay started at.</summary>
    public long ReplayedFromAddress { get; internal set; }

    /// <summary>The address just after the last record replayed.</summary>
    public long ReplayedUntilAddress { get; internal set; }

    /// <summary>How many journal records (batches) were replayed.</summary>
    public long ReplayedBatches { get; internal set; }

    /// <summary>Ranges of the journal discarded by earlier recoveries and skipped by this one (from the manifest).</summary>
    public IReadOnlyList<(long From, long Until)> PreviouslyDiscardedRanges { get; internal set; } = [];

    /// <summary>The torn or corrupt tail discarded by this recovery, or null.</summary>
    public DiscardedJournalTail? DiscardedTail { get; internal set; }

    /// <summary>The snapshot taken right after a discarded tail, so that later recoveries start past it (null otherwise).</summary>
    public SnapshotInfo? RepairSnapshot { get; internal set; }

    /// <summary>The sequence number of the last batch in the recovered state (0: none).</summary>
    public ulong LastSequence { get; internal set; }

    /// <summary>The recovered engine's <see cref="LedgerEngine.ComputeStateHash"/>.</summary>
    public Hash256 StateHash { get; internal set; }

    /// <summary>True when nothing was skipped or discarded.</summary>
    public bool IsClean => SkippedList.Count == 0 && DiscardedTail is null;

    /// <summary>The report as a few lines of text for a log or a terminal.</summary>
    public override string ToString()
    {
        var s = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        s.Append(c, $"recovery: {(IsClean ? "clean" : "NOT CLEAN")}{(CreatedNew ? ", new directory" : "")}").AppendLine();
        s.Append(c, $"  snapshot: {(Snapshot is null ? "none (journal replayed from its beginning)" : $"{Snapshot.Path} (address {Snapshot.JournalAddress}, sequence {Snapshot.Sequence})")}").AppendLine();
        foreach (var skipped in SkippedList)
            s.Append(c, $"  skipped snapshot {skipped.Path}: {(int)skipped.Issue} {skipped.Issue}: {skipped.Detail}").AppendLine();
        s.Append(c, $"  journal: begin {JournalBeginAddress}, committed {JournalCommittedAddress}; replayed {ReplayedBatches} batches from {ReplayedFromAddress} to {ReplayedUntilAddress}").AppendLine();
        foreach (var (from, until) in PreviouslyDiscardedRanges)
            s.Append(c, $"  skipped range discarded earlier: {from}..{until}").AppendLine();
        if (DiscardedTail is { } tail)
            s.Append(c, $"  DISCARDED journal tail at {tail.Address}: {tail.Bytes} bytes; {(int)tail.Issue} {tail.Issue}: {tail.Detail}; last batch kept {tail.LastGoodSequence}").AppendLine();
        if (RepairSnapshot is { } repair)
            s.Append(c, $"  repair snapshot: {repair.Path}").AppendLine();
        s.Append(c, $"  state: sequence {LastSequence}, hash {StateHash}");
        return s.ToString();
    }
}
