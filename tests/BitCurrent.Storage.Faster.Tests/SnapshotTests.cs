using BitCurrent.Ledger;

namespace BitCurrent.Storage.Faster.Tests;

public sealed class SnapshotTests
{
    private static async Task FundAsync(DurableLedger ledger, int batches, ulong firstId)
    {
        for (var b = 0; b < batches; b++)
            Assert.Equal(20, (await ledger.CreateTransfersAsync(D.Funding(firstId + ((ulong)b * 100), 20), D.Ct)).Created);
    }

    [Fact]
    public async Task A_snapshot_plus_the_journal_after_it_gives_the_state_a_full_replay_gives()
    {
        using var directory = new TempDirectory();
        var options = D.Options(directory.Path);
        SnapshotInfo snapshot;
        Hash256 hash;
        await using (var ledger = DurableLedger.Open(options))
        {
            await ledger.CreateAccountsAsync(D.Accounts(), D.Ct);
            await FundAsync(ledger, 10, 1);
            snapshot = await ledger.TakeSnapshotAsync(D.Ct);
            Assert.Equal(11UL, snapshot.Sequence);
            Assert.Equal(await ledger.ComputeStateHashAsync(D.Ct), snapshot.StateHash);
            Assert.True(File.Exists(snapshot.Path));
            Assert.Equal($"snapshot-{snapshot.JournalAddress:D19}.bin", Path.GetFileName(snapshot.Path));
            await FundAsync(ledger, 7, 100_000);
            hash = await ledger.ComputeStateHashAsync(D.Ct);
        }

        await using var reopened = DurableLedger.Open(options);
        var report = reopened.Recovery;
        Assert.True(report.IsClean, report.ToString());
        Assert.Equal(snapshot, report.Snapshot);
        Assert.Equal(snapshot.JournalAddress, report.ReplayedFromAddress);
        Assert.Equal(7, report.ReplayedBatches);
        Assert.Equal(18UL, report.LastSequence);
        Assert.Equal(hash, report.StateHash);

        // The same state as replaying the whole journal into a fresh engine.
        await reopened.DisposeAsync();
        var reference = new LedgerEngine(options.Engine);
        foreach (var (_, header, record) in D.ReadJournal(options)) D.ApplyRecord(reference, header, record);
        Assert.Equal(hash, reference.ComputeStateHash());
    }

    [Fact]
    public async Task Automatic_snapshots_keep_the_newest_and_truncate_the_journal_before_them()
    {
        using var directory = new TempDirectory();
        var options = D.Options(directory.Path, snapshotEvery: 10, keep: 2, segment: 1 << 19) with
        {
            Engine = D.Engine with { BatchItemsMax = 64 },
        };
        Hash256 hash;
        await using (var ledger = DurableLedger.Open(options))
        {
            await ledger.CreateAccountsAsync(D.Accounts(), D.Ct);
            for (var b = 0; b < 120; b++) await ledger.CreateTransfersAsync(D.Funding(1 + ((ulong)b * 100), 60), D.Ct);
            hash = await ledger.ComputeStateHashAsync(D.Ct);
            Assert.True(ledger.Statistics.SnapshotsWritten >= 3, $"{ledger.Statistics.SnapshotsWritten} snapshots");
            Assert.Equal(0, ledger.Statistics.SnapshotsFailed);
        }
        var files = D.SnapshotFiles(directory.Path);
        Assert.Equal(2, files.Length);
        var segments = Directory.GetFiles(Path.Combine(directory.Path, "journal"), "journal.log.*");
        Assert.DoesNotContain(segments, s => s.EndsWith("journal.log.0", StringComparison.Ordinal));   // truncated whole segments are gone

        await using var reopened = DurableLedger.Open(options);
        Assert.True(reopened.Recovery.IsClean, reopened.Recovery.ToString());
        Assert.True(reopened.Recovery.JournalBeginAddress > DurableLedger.JournalOriginAddress);
        Assert.Equal(files[^1], reopened.Recovery.Snapshot!.Path);
        Assert.Equal(hash, reopened.Recovery.StateHash);
    }

    [Theory]
    [InlineData("body")]
    [InlineData("header")]
    [InlineData("truncated")]
    [InlineData("renamed")]
    public async Task A_corrupt_newest_snapshot_is_reported_and_the_one_before_it_is_used(string damage)
    {
        using var directory = new TempDirectory();
        var options = D.Options(directory.Path);
        SnapshotInfo older, newer;
        Hash256 hash;
        await using (var ledger = DurableLedger.Open(options))
        {
            await ledger.CreateAccountsAsync(D.Accounts(), D.Ct);
            await FundAsync(ledger, 5, 1);
            older = await ledger.TakeSnapshotAsync(D.Ct);
            await FundAsync(ledger, 5, 10_000);
            newer = await ledger.TakeSnapshotAsync(D.Ct);
            await FundAsync(ledger, 3, 20_000);
            hash = await ledger.ComputeStateHashAsync(D.Ct);
        }
        var newerPath = newer.Path;
        var expected = RecoveryIssueKind.SnapshotEngineCorrupt;
        switch (damage)
        {
            case "body":
                D.FlipBit(newer.Path, newer.LengthBytes - 100);
                break;
            case "header":
                D.FlipBit(newer.Path, 20);
                expected = RecoveryIssueKind.SnapshotHeaderCorrupt;
                break;
            case "truncated":
                using (var stream = new FileStream(newer.Path, FileMode.Open)) stream.SetLength(newer.LengthBytes - 1);
                expected = RecoveryIssueKind.SnapshotHeaderCorrupt;
                break;
            default:
                newerPath = Path.Combine(Path.GetDirectoryName(newer.Path)!, $"snapshot-{newer.JournalAddress - 1:D19}.bin");
                File.Move(newer.Path, newerPath);
                expected = RecoveryIssueKind.SnapshotNameMismatch;
                break;
        }

        await using var reopened = DurableLedger.Open(options);
        var report = reopened.Recovery;
        Assert.False(report.IsClean);
        var skipped = Assert.Single(report.SkippedSnapshots);
        Assert.Equal(newerPath, skipped.Path);
        Assert.Equal(expected, skipped.Issue);
        Assert.NotEmpty(skipped.Detail);
        Assert.Contains(((int)expected).ToString(System.Globalization.CultureInfo.InvariantCulture), report.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(newerPath));
        Assert.True(File.Exists(newerPath + ".skipped"));   // kept for inspection, never tried again
        Assert.Equal(older, report.Snapshot);
        Assert.Equal(8, report.ReplayedBatches);
        Assert.Equal(hash, report.StateHash);
    }

    [Fact]
    public async Task An_unfinished_snapshot_file_is_reported_and_deleted()
    {
        using var directory = new TempDirectory();
        var options = D.Options(directory.Path);
        await using (var ledger = DurableLedger.Open(options))
        {
            await ledger.CreateAccountsAsync(D.Accounts(), D.Ct);
            await FundAsync(ledger, 2, 1);
        }
        var temporary = Path.Combine(directory.Path, "snapshots", "snapshot-0000000000000099999.bin.tmp");
        await File.WriteAllBytesAsync(temporary, new byte[1000], D.Ct);
        await using var reopened = DurableLedger.Open(options);
        var skipped = Assert.Single(reopened.Recovery.SkippedSnapshots);
        Assert.Equal(RecoveryIssueKind.SnapshotIncomplete, skipped.Issue);
        Assert.False(File.Exists(temporary));
        Assert.Equal(3UL, reopened.Recovery.LastSequence);
    }

    [Fact]
    public async Task With_every_snapshot_corrupt_and_the_journal_truncated_recovery_fails_with_its_report()
    {
        using var directory = new TempDirectory();
        var options = D.Options(directory.Path, keep: 1, segment: 1 << 19) with { Engine = D.Engine with { BatchItemsMax = 64 } };
        await using (var ledger = DurableLedger.Open(options))
        {
            await ledger.CreateAccountsAsync(D.Accounts(), D.Ct);
            for (var b = 0; b < 40; b++) await ledger.CreateTransfersAsync(D.Funding(1 + ((ulong)b * 100), 60), D.Ct);
            await ledger.TakeSnapshotAsync(D.Ct);
            await ledger.CreateTransfersAsync(D.Funding(100_000, 1), D.Ct);   // a commit that persists the truncation
        }
        var only = Assert.Single(D.SnapshotFiles(directory.Path));
        D.FlipBit(only, 500);
        var failed = Assert.Throws<DurableLedgerException>(() => DurableLedger.Open(options));
        Assert.Equal(DurableLedgerError.RecoveryFailed, failed.Error);
        Assert.NotNull(failed.Recovery);
        Assert.Equal(RecoveryIssueKind.SnapshotEngineCorrupt, Assert.Single(failed.Recovery.SkippedSnapshots).Issue);
    }
}
