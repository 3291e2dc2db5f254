using BitCurrent.Ledger;

namespace BitCurrent.Storage.Faster.Tests;

public sealed class FailureTests
{
    [Fact]
    public async Task A_failed_journal_commit_fails_its_batch_faults_the_ledger_and_a_reopen_recovers()
    {
        using var directory = new TempDirectory();
        var options = D.Options(directory.Path);
        var ledger = DurableLedger.Open(options);
        await ledger.CreateAccountsAsync(D.Accounts(), D.Ct);
        await ledger.CreateTransfersAsync(D.Funding(1, 10), D.Ct);
        var hash = await ledger.ComputeStateHashAsync(D.Ct);

        ledger.FailCommitsForTests = true;
        var failed = await Assert.ThrowsAsync<DurableLedgerException>(async () => await ledger.CreateTransfersAsync(D.Funding(100, 5), D.Ct));
        Assert.Equal(DurableLedgerError.JournalCommitFailed, failed.Error);
        Assert.IsType<IOException>(failed.InnerException);
        Assert.True(ledger.IsFaulted);
        Assert.Equal(DurableLedgerError.Faulted, Assert.Throws<DurableLedgerException>(() => ledger.CreateTransfersAsync(D.Funding(200, 1), D.Ct)).Error);
        Assert.Equal(DurableLedgerError.Faulted, Assert.Throws<DurableLedgerException>(() => ledger.ComputeStateHashAsync(D.Ct)).Error);
        await ledger.DisposeAsync();

        // The device did not really fail here, so the batch may be on disk: either way, the reopened state is a
        // journal prefix that holds everything acknowledged.
        await using var reopened = DurableLedger.Open(options);
        Assert.True(reopened.Recovery.IsClean, reopened.Recovery.ToString());
        Assert.True(reopened.Recovery.StateHash == hash || reopened.Recovery.LastSequence == 3);
        Assert.Equal(10, (await reopened.LookupTransfersAsync(D.Funding(1, 10).Select(t => t.Id).ToArray(), D.Ct)).Length);
    }

    [Fact]
    public async Task A_batch_the_engine_fails_on_is_never_journalled_and_a_reopen_recovers_the_state_before_it()
    {
        using var directory = new TempDirectory();
        var options = D.Options(directory.Path);
        var ledger = DurableLedger.Open(options);
        await ledger.CreateAccountsAsync(D.Accounts(), D.Ct);
        var before = await ledger.CreateTransfersAsync(D.Funding(1, 10), D.Ct);
        var hash = await ledger.ComputeStateHashAsync(D.Ct);

        ledger.BeforeApplyForTests = _ => throw new LedgerInvariantException("simulated invariant failure");
        var failed = await Assert.ThrowsAsync<DurableLedgerException>(async () => await ledger.CreateTransfersAsync(D.Funding(100, 5), D.Ct));
        Assert.Equal(DurableLedgerError.EngineInvariantFailed, failed.Error);
        Assert.IsType<LedgerInvariantException>(failed.InnerException);
        Assert.True(ledger.IsFaulted);
        Assert.Equal(DurableLedgerError.Faulted, Assert.Throws<DurableLedgerException>(() => ledger.ExpirePendingTransfersAsync(D.Ct)).Error);
        await ledger.DisposeAsync();

        await using var reopened = DurableLedger.Open(options);
        Assert.True(reopened.Recovery.IsClean, reopened.Recovery.ToString());
        Assert.Equal(before.Sequence, reopened.Recovery.LastSequence);
        Assert.Equal(hash, reopened.Recovery.StateHash);
        var next = await reopened.CreateTransfersAsync(D.Funding(100, 5), D.Ct);   // the same batch, now applied once
        Assert.Equal(before.Sequence + 1, next.Sequence);
        Assert.Equal(5, next.Created);
    }

    [Fact]
    public async Task A_clock_past_the_range_of_ledger_timestamps_refuses_the_batch_and_the_ledger_keeps_running()
    {
        using var directory = new TempDirectory();
        var clock = new SteppingClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeSpan.Zero);
        await using var ledger = DurableLedger.Open(D.Options(directory.Path), clock);
        await ledger.CreateAccountsAsync(D.Accounts(), D.Ct);

        clock.Now = new DateTimeOffset(2600, 1, 1, 0, 0, 0, TimeSpan.Zero);   // beyond 2^64 ns after 1970
        var refused = await Assert.ThrowsAsync<DurableLedgerException>(async () => await ledger.CreateTransfersAsync(D.Funding(1, 3), D.Ct));
        Assert.Equal(DurableLedgerError.ClockOutOfRange, refused.Error);
        Assert.False(ledger.IsFaulted);

        clock.Now = new DateTimeOffset(2030, 1, 2, 0, 0, 0, TimeSpan.Zero);
        var accepted = await ledger.CreateTransfersAsync(D.Funding(1, 3), D.Ct);
        Assert.Equal(2UL, accepted.Sequence);   // the refused batch took no sequence number
        Assert.Equal(3, accepted.Created);
    }

    [Fact]
    public async Task A_snapshot_that_cannot_be_written_fails_alone_and_the_ledger_keeps_running()
    {
        using var directory = new TempDirectory();
        await using var ledger = DurableLedger.Open(D.Options(directory.Path));
        await ledger.CreateAccountsAsync(D.Accounts(), D.Ct);
        var snapshots = Path.Combine(directory.Path, "snapshots");
        Directory.Delete(snapshots);
        await File.WriteAllTextAsync(snapshots, "not a directory", D.Ct);   // every snapshot write now fails

        var failed = await Assert.ThrowsAsync<DurableLedgerException>(async () => await ledger.TakeSnapshotAsync(D.Ct));
        Assert.Equal(DurableLedgerError.SnapshotFailed, failed.Error);
        Assert.Equal(1, ledger.Statistics.SnapshotsFailed);
        Assert.NotNull(ledger.LastSnapshotError);
        Assert.False(ledger.IsFaulted);
        Assert.Equal(10, (await ledger.CreateTransfersAsync(D.Funding(1, 10), D.Ct)).Created);
    }
}
