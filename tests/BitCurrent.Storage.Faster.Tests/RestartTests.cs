using BitCurrent.Ledger;

namespace BitCurrent.Storage.Faster.Tests;

public sealed class RestartTests
{
    private static async Task<Hash256> FillAsync(DurableLedger ledger, int batches, ulong firstId = 1)
    {
        await ledger.CreateAccountsAsync(D.Accounts(), D.Ct);
        for (var b = 0; b < batches; b++)
        {
            var result = await ledger.CreateTransfersAsync(D.Funding(firstId + ((ulong)b * 1_000), 1 + (b * 7 % 100)), D.Ct);
            Assert.Equal(result.Results.Length, result.Created);
        }
        return await ledger.ComputeStateHashAsync(D.Ct);
    }

    [Fact]
    public async Task A_clean_close_and_reopen_restores_the_same_state_hash()
    {
        using var directory = new TempDirectory();
        var options = D.Options(directory.Path);
        Hash256 hash;
        await using (var ledger = DurableLedger.Open(options))
        {
            Assert.True(ledger.Recovery.CreatedNew);
            hash = await FillAsync(ledger, 40);
        }
        await using var reopened = DurableLedger.Open(options);
        Assert.False(reopened.Recovery.CreatedNew);
        Assert.True(reopened.Recovery.IsClean, reopened.Recovery.ToString());
        Assert.Null(reopened.Recovery.Snapshot);
        Assert.Equal(41, reopened.Recovery.ReplayedBatches);
        Assert.Equal(41UL, reopened.Recovery.LastSequence);
        Assert.Equal(hash, reopened.Recovery.StateHash);
        Assert.Equal(hash, await reopened.ComputeStateHashAsync(D.Ct));
        await reopened.ReadAsync(engine =>
        {
            engine.Audit();
            return 0;
        }, D.Ct);
    }

    [Fact]
    public async Task Without_a_close_batches_applied_but_not_committed_never_come_back()
    {
        using var directory = new TempDirectory();
        var options = D.Options(directory.Path);
        var ledger = DurableLedger.Open(options);
        await ledger.CreateAccountsAsync(D.Accounts(), D.Ct);
        for (var b = 0; b < 20; b++) await ledger.CreateTransfersAsync(D.Funding(1 + ((ulong)b * 100), 30), D.Ct);
        var committedHash = await ledger.ComputeStateHashAsync(D.Ct);

        // Hold the writer inside a read, queue batches behind it, then hold it again inside a second read: by then it
        // has applied and appended the batches, but their group is still open, so nothing of them is committed.
        using var firstStarted = new ManualResetEventSlim();
        using var firstGate = new ManualResetEventSlim();
        using var secondStarted = new ManualResetEventSlim();
        using var secondGate = new ManualResetEventSlim();
        var first = ledger.ReadAsync(engine => { firstStarted.Set(); firstGate.Wait(); return engine.TransferCount; }, D.Ct).AsTask();
        firstStarted.Wait(D.Ct);
        var inFlight = new List<(Task<BatchResult<CreateTransferResult>> Task, Transfer[] Batch)>();
        for (var b = 20; b < 40; b++)
        {
            var batch = D.Funding(1 + ((ulong)b * 100), 30);
            inFlight.Add((ledger.CreateTransfersAsync(batch, D.Ct).AsTask(), batch));
        }
        var second = ledger.ReadAsync(engine => { secondStarted.Set(); secondGate.Wait(); return engine.TransferCount; }, D.Ct).AsTask();
        firstGate.Set();
        secondStarted.Wait(D.Ct);
        var abandon = ledger.AbandonForTestsAsync();   // the "crash"
        secondGate.Set();
        await abandon;

        Assert.Equal(DurableLedgerError.Closed, (await Assert.ThrowsAsync<DurableLedgerException>(() => first)).Error);
        Assert.Equal(DurableLedgerError.Closed, (await Assert.ThrowsAsync<DurableLedgerException>(() => second)).Error);
        foreach (var (task, _) in inFlight)
            Assert.Equal(DurableLedgerError.Closed, (await Assert.ThrowsAsync<DurableLedgerException>(() => task)).Error);

        await using var reopened = DurableLedger.Open(options);
        Assert.True(reopened.Recovery.IsClean, reopened.Recovery.ToString());
        Assert.Equal(21UL, reopened.Recovery.LastSequence);
        Assert.Equal(committedHash, reopened.Recovery.StateHash);
        foreach (var (_, batch) in inFlight)
            Assert.Empty(await reopened.LookupTransfersAsync(batch.Select(t => t.Id).ToArray(), D.Ct));
    }

    [Fact]
    public async Task After_a_restart_sequence_numbers_and_timestamps_continue()
    {
        using var directory = new TempDirectory();
        var options = D.Options(directory.Path);
        var clock = new SteppingClock(new DateTimeOffset(2032, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeSpan.Zero);
        BatchResult<CreateTransferResult> last;
        await using (var ledger = DurableLedger.Open(options, clock))
        {
            await ledger.CreateAccountsAsync(D.Accounts(), D.Ct);
            last = await ledger.CreateTransfersAsync(D.Funding(1, 50), D.Ct);
        }
        clock.Now = clock.Now.AddDays(-1);   // the new process's clock is behind
        await using var reopened = DurableLedger.Open(options, clock);
        var next = await reopened.CreateTransfersAsync(D.Funding(100, 1), D.Ct);
        Assert.Equal(last.Sequence + 1, next.Sequence);
        Assert.Equal(last.Timestamp + 50, next.Timestamp);
        var again = await reopened.CreateTransfersAsync(D.Funding(1, 1), D.Ct);   // a retry after the restart is still idempotent
        Assert.Equal(CreateTransferResult.Exists, again.Results.Span[0]);
    }

    [Fact]
    public async Task Pending_transfers_expire_the_same_way_after_a_restart()
    {
        using var directory = new TempDirectory();
        var options = D.Options(directory.Path);
        var start = new DateTimeOffset(2033, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = new SteppingClock(start, TimeSpan.Zero);
        Hash256 hash;
        await using (var ledger = DurableLedger.Open(options, clock))
        {
            await ledger.CreateAccountsAsync(D.Accounts(), D.Ct);
            await ledger.CreateTransfersAsync(D.Funding(1, 15), D.Ct);
            var hold = await ledger.CreateTransfersAsync([D.Transfer(500, 2, 3, 50, TransferFlags.Pending, timeoutSeconds: 5)], D.Ct);
            Assert.Equal(CreateTransferResult.Ok, hold.Results.Span[0]);
            clock.Now = start.AddSeconds(4);
            Assert.Equal(0, (await ledger.ExpirePendingTransfersAsync(D.Ct)).Expired);
            clock.Now = start.AddSeconds(6);
            Assert.Equal(1, (await ledger.ExpirePendingTransfersAsync(D.Ct)).Expired);
            Assert.Equal(PendingStatus.Expired, await ledger.ReadAsync(engine => engine.GetPendingStatus(500), D.Ct));
            hash = await ledger.ComputeStateHashAsync(D.Ct);
        }
        await using var reopened = DurableLedger.Open(options, clock);
        Assert.Equal(hash, reopened.Recovery.StateHash);
        Assert.Equal(PendingStatus.Expired, await reopened.ReadAsync(engine => engine.GetPendingStatus(500), D.Ct));
    }

    [Fact]
    public async Task A_directory_is_open_in_one_instance_at_a_time()
    {
        using var directory = new TempDirectory();
        var options = D.Options(directory.Path);
        await using (var ledger = DurableLedger.Open(options))
        {
            var locked = Assert.Throws<DurableLedgerException>(() => DurableLedger.Open(options));
            Assert.Equal(DurableLedgerError.DirectoryLocked, locked.Error);
        }
        await using var again = DurableLedger.Open(options);   // released on close
        Assert.True(again.Recovery.IsClean);
    }

    [Fact]
    public async Task Reopening_with_other_capacities_is_refused()
    {
        using var directory = new TempDirectory();
        var options = D.Options(directory.Path);
        await using (var ledger = DurableLedger.Open(options)) await FillAsync(ledger, 2);
        var other = options with { Engine = options.Engine with { TransfersMax = options.Engine.TransfersMax / 2 } };
        var refused = Assert.Throws<DurableLedgerException>(() => DurableLedger.Open(other));
        Assert.Equal(DurableLedgerError.EngineOptionsMismatch, refused.Error);
        await using var same = DurableLedger.Open(options);   // the refusal left the directory usable
        Assert.Equal(3UL, same.Recovery.LastSequence);
    }

    [Fact]
    public async Task A_journal_without_its_manifest_is_refused()
    {
        using var directory = new TempDirectory();
        var options = D.Options(directory.Path);
        await using (var ledger = DurableLedger.Open(options)) await FillAsync(ledger, 2);
        File.Delete(Path.Combine(directory.Path, "ledger.manifest"));
        var refused = Assert.Throws<DurableLedgerException>(() => DurableLedger.Open(options));
        Assert.Equal(DurableLedgerError.RecoveryFailed, refused.Error);
    }
}
