using BitCurrent.Ledger;

namespace BitCurrent.Storage.Faster.Tests;

public sealed class GroupCommitTests
{
    /// <summary>
    /// A seeded mix of transfers that succeed and fail depending on what ran before them: funding, spends that may
    /// exceed credits, pending transfers with timeouts, posts and voids of them, retries of earlier ids, linked chains.
    /// Each submitter has its own id range, so results depend on the order the writer chose.
    /// </summary>
    private sealed class RandomSubmitter(int seed, int submitter)
    {
        private readonly Random _random = new(seed * 1_000 + submitter);
        private readonly List<Transfer> _sent = [];
        private readonly List<UInt128> _pending = [];
        private ulong _next = ((ulong)submitter + 1) << 32;

        public Transfer[] NextBatch()
        {
            var batch = new Transfer[_random.Next(1, 40)];
            for (var i = 0; i < batch.Length; i++)
            {
                var roll = _random.Next(100);
                var linked = roll >= 90 && i < batch.Length - 1;
                var t = roll switch
                {
                    < 35 => D.Transfer(++_next, 1, Account(), (UInt128)_random.Next(1, 1_000)),
                    < 60 => D.Transfer(++_next, Account(), Account(), (UInt128)_random.Next(1, 800)),
                    < 72 => D.Transfer(++_next, Account(), Account(), (UInt128)_random.Next(1, 300), TransferFlags.Pending,
                        timeoutSeconds: (uint)_random.Next(0, 3)),
                    < 82 when _pending.Count > 0 => Resolve(),
                    < 90 when _sent.Count > 0 => Retry(),
                    _ => D.Transfer(++_next, Account(), Account(), (UInt128)_random.Next(1, 400)),
                };
                if (linked) t = t with { Flags = t.Flags | TransferFlags.Linked };
                if ((t.Flags & TransferFlags.Pending) != 0) _pending.Add(t.Id);
                _sent.Add(t);
                batch[i] = t;
            }
            return batch;
        }

        private UInt128 Account() => (UInt128)_random.Next(2, 17);

        private Transfer Resolve()
        {
            var pending = _pending[_random.Next(_pending.Count)];
            var flag = _random.Next(2) == 0 ? TransferFlags.PostPendingTransfer : TransferFlags.VoidPendingTransfer;
            return new Transfer { Id = ++_next, PendingId = pending, Flags = flag };
        }

        private Transfer Retry()
        {
            var earlier = _sent[_random.Next(_sent.Count)];
            return _random.Next(3) == 0 ? earlier with { Amount = earlier.Amount + 1 } : earlier;
        }
    }

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 1.0)]
    [InlineData(3, 5.0)]
    public async Task Concurrent_submitters_get_the_results_an_in_memory_engine_gives_in_journal_order(int seed, double delayMs)
    {
        using var directory = new TempDirectory();
        var options = D.Options(directory.Path, delayMs: delayMs);
        var clock = new SteppingClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromMilliseconds(150));
        var observed = new System.Collections.Concurrent.ConcurrentDictionary<ulong, (ulong Timestamp, int[] Results)>();
        Hash256 durableHash;
        await using (var ledger = DurableLedger.Open(options, clock))
        {
            var accounts = await ledger.CreateAccountsAsync(D.Accounts(), D.Ct);
            Assert.Equal(16, accounts.Created);
            observed[accounts.Sequence] = (accounts.Timestamp, Array.ConvertAll(accounts.Results.ToArray(), r => (int)r));

            const int Submitters = 8;
            const int BatchesEach = 25;
            var tasks = new Task[Submitters];
            for (var s = 0; s < Submitters; s++)
            {
                var submitter = new RandomSubmitter(seed, s);
                tasks[s] = Task.Run(async () =>
                {
                    for (var b = 0; b < BatchesEach; b++)
                    {
                        if (b % 10 == 9)
                        {
                            var expired = await ledger.ExpirePendingTransfersAsync(D.Ct);
                            Assert.True(observed.TryAdd(expired.Sequence, (expired.Timestamp, [expired.Expired])));
                            continue;
                        }
                        var result = await ledger.CreateTransfersAsync(submitter.NextBatch(), D.Ct);
                        Assert.True(observed.TryAdd(result.Sequence, (result.Timestamp, Array.ConvertAll(result.Results.ToArray(), r => (int)r))));
                    }
                }, D.Ct);
            }
            await Task.WhenAll(tasks);
            durableHash = await ledger.ComputeStateHashAsync(D.Ct);
            var statistics = ledger.Statistics;
            Assert.Equal(1 + (Submitters * BatchesEach), statistics.BatchesCommitted);
            Assert.Equal((ulong)(1 + (Submitters * BatchesEach)), statistics.LastCommittedSequence);
        }

        // The journal, read back on its own: sequence numbers 1..N without gaps, increasing timestamps with room for
        // every item, and the results each submitter saw are the results of applying it in this order.
        var records = D.ReadJournal(options);
        Assert.Equal(observed.Count, records.Count);
        var reference = new LedgerEngine(options.Engine);
        ulong lastTimestamp = 0;
        for (var k = 0; k < records.Count; k++)
        {
            var (_, header, record) = records[k];
            Assert.Equal((ulong)(k + 1), header.Sequence);
            Assert.True(header.Timestamp > lastTimestamp);
            var results = D.ApplyRecord(reference, header, record);
            Assert.Equal(observed[header.Sequence].Timestamp, header.Timestamp);
            Assert.Equal(observed[header.Sequence].Results, results);
            lastTimestamp = reference.LastTimestamp;
        }
        Assert.Equal(durableHash, reference.ComputeStateHash());
        reference.Audit();

        // Some batches failed and some pending transfers expired: the mix exercised order-dependent results.
        Assert.Contains(observed.Values, o => o.Results.Length > 1 && o.Results.Any(r => r != 0));

        await using var reopened = DurableLedger.Open(options, clock);
        Assert.True(reopened.Recovery.IsClean, reopened.Recovery.ToString());
        Assert.Equal(durableHash, reopened.Recovery.StateHash);
    }

    [Fact]
    public async Task Many_queued_batches_share_commits()
    {
        using var directory = new TempDirectory();
        await using var ledger = DurableLedger.Open(D.Options(directory.Path, delayMs: 2));
        await ledger.CreateAccountsAsync(D.Accounts(), D.Ct);
        var before = ledger.Statistics;
        var pending = new List<ValueTask<BatchResult<CreateTransferResult>>>();
        for (var b = 0; b < 200; b++) pending.Add(ledger.CreateTransfersAsync(D.Funding(1_000 + ((ulong)b * 10), 10), D.Ct));
        foreach (var task in pending) Assert.Equal(10, (await task).Created);
        var after = ledger.Statistics;
        Assert.Equal(200, after.BatchesCommitted - before.BatchesCommitted);
        Assert.True(after.CommitGroups - before.CommitGroups < 200, $"{after.CommitGroups - before.CommitGroups} commits for 200 batches");
    }

    [Fact]
    public async Task A_batch_is_acknowledged_only_once_its_record_is_committed()
    {
        using var directory = new TempDirectory();
        await using var ledger = DurableLedger.Open(D.Options(directory.Path));
        await ledger.CreateAccountsAsync(D.Accounts(), D.Ct);
        var tasks = new List<ValueTask<BatchResult<CreateTransferResult>>>();
        for (var b = 0; b < 50; b++) tasks.Add(ledger.CreateTransfersAsync(D.Funding(10_000 + ((ulong)b * 100), 1 + (b % 90)), D.Ct));
        foreach (var task in tasks)
        {
            var result = await task;
            var end = result.JournalAddress + 40 + (128 * result.Results.Length);
            Assert.True(ledger.CommittedAddressForTests >= end, $"acknowledged at {ledger.CommittedAddressForTests}, record ends at {end}");
        }
    }

    [Fact]
    public async Task Timestamps_come_from_the_injected_clock_and_always_leave_room_for_the_batch()
    {
        using var directory = new TempDirectory();
        var start = new DateTimeOffset(2031, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var clock = new SteppingClock(start, TimeSpan.Zero);
        await using var ledger = DurableLedger.Open(D.Options(directory.Path), clock);

        var accounts = await ledger.CreateAccountsAsync(D.Accounts(), D.Ct);
        var startNs = SteppingClock.Nanoseconds(start);
        Assert.Equal(startNs, accounts.Timestamp);                        // the clock, as it is ahead of the ledger

        var first = await ledger.CreateTransfersAsync(D.Funding(1, 5), D.Ct);   // the clock did not move: right after the accounts
        Assert.Equal(startNs + 16, first.Timestamp);

        clock.Now = start.AddSeconds(-30);                                // the clock steps back: time still increases
        var second = await ledger.CreateTransfersAsync(D.Funding(100, 3), D.Ct);
        Assert.Equal(first.Timestamp + 5, second.Timestamp);

        clock.Now = start.AddSeconds(10);                                 // the clock is ahead again: it wins
        var third = await ledger.CreateTransfersAsync(D.Funding(200, 1), D.Ct);
        Assert.Equal(SteppingClock.Nanoseconds(start.AddSeconds(10)), third.Timestamp);

        var expire = await ledger.ExpirePendingTransfersAsync(D.Ct);
        Assert.Equal(third.Timestamp + 1, expire.Timestamp);
        var transfers = await ledger.LookupTransfersAsync(new UInt128[] { 100, 101, 102 }, D.Ct);
        Assert.Equal([second.Timestamp, second.Timestamp + 1, second.Timestamp + 2], transfers.Select(t => t.Timestamp));
    }

    [Fact]
    public async Task Bad_batches_are_refused_with_numbered_errors_before_anything_is_journalled()
    {
        using var directory = new TempDirectory();
        var ledger = DurableLedger.Open(D.Options(directory.Path));
        var empty = Assert.Throws<DurableLedgerException>(() => ledger.CreateTransfersAsync([], D.Ct));
        Assert.Equal(DurableLedgerError.BatchEmpty, empty.Error);
        Assert.StartsWith("4401", empty.Message, StringComparison.Ordinal);
        var tooLarge = Assert.Throws<DurableLedgerException>(() => ledger.CreateAccountsAsync(new Account[D.Engine.BatchItemsMax + 1], D.Ct));
        Assert.Equal(DurableLedgerError.BatchTooLarge, tooLarge.Error);
        Assert.Equal(0UL, ledger.Statistics.LastCommittedSequence);
        await ledger.DisposeAsync();
        var closed = Assert.Throws<DurableLedgerException>(() => ledger.CreateAccountsAsync(D.Accounts(), D.Ct));
        Assert.Equal(DurableLedgerError.Closed, closed.Error);
        await Assert.ThrowsAsync<DurableLedgerException>(async () => await ledger.ComputeStateHashAsync(D.Ct));
    }

    [Fact]
    public async Task A_read_that_throws_fails_alone_but_a_read_that_changes_the_engine_faults_the_ledger()
    {
        using var directory = new TempDirectory();
        await using var ledger = DurableLedger.Open(D.Options(directory.Path));
        await ledger.CreateAccountsAsync(D.Accounts(), D.Ct);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await ledger.ReadAsync<int>(_ => throw new InvalidOperationException("read failed"), D.Ct));
        Assert.False(ledger.IsFaulted);
        Assert.Equal(16, await ledger.ReadAsync(engine => engine.AccountCount, D.Ct));

        await ledger.ReadAsync(engine => engine.ExpirePendingTransfers(engine.LastTimestamp + 1), D.Ct);
        Assert.True(ledger.IsFaulted);
        var faulted = Assert.Throws<DurableLedgerException>(() => ledger.CreateTransfersAsync(D.Funding(1, 1), D.Ct));
        Assert.Equal(DurableLedgerError.Faulted, faulted.Error);
    }
}
