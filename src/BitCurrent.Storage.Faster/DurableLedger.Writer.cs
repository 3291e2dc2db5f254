using System.Buffers;
using BitCurrent.Ledger;
using BitCurrent.Storage.Faster.Internal;

namespace BitCurrent.Storage.Faster;

public sealed partial class DurableLedger
{
    private const long UnixEpochTicks = 621_355_968_000_000_000L;   // DateTimeOffset.UnixEpoch.UtcTicks

    /// <summary>
    /// The writer: takes operations in queue order, executes them (stamp, apply, append) into a group, and hands each
    /// closed group, with its commit started, to the completer.
    /// </summary>
    private async Task RunWriterAsync()
    {
        var reader = _queue.Reader;
        Task<bool>? waiting = null;
        CommitGroup? group = null;
        try
        {
            while (true)
            {
                waiting ??= reader.WaitToReadAsync().AsTask();
                if (!await waiting.ConfigureAwait(false)) break;
                waiting = null;
                group = new CommitGroup();
                var opened = _time.GetTimestamp();
                while (true)
                {
                    while (group.JournalBytes < _options.GroupBytesMax && reader.TryRead(out var operation)) Execute(operation, group);
                    if (group.JournalBytes >= _options.GroupBytesMax || Volatile.Read(ref _groupsInFlight) == 0 || _abandoned) break;
                    var remaining = _options.CommitMaxDelay - _time.GetElapsedTime(opened);
                    if (remaining <= TimeSpan.Zero) break;
                    waiting = reader.WaitToReadAsync().AsTask();
                    if (!waiting.IsCompleted)
                    {
                        using var cancelDelay = new CancellationTokenSource();
                        var delay = Task.Delay(remaining, _time, cancelDelay.Token);
                        var first = await Task.WhenAny(waiting, delay).ConfigureAwait(false);
                        await cancelDelay.CancelAsync().ConfigureAwait(false);
                        if (first != waiting) break;
                    }
                    if (!await waiting.ConfigureAwait(false)) break;   // closed and drained: the outer loop ends
                    waiting = null;
                }
                var closing = group;
                group = null;
                await CloseGroupAsync(closing).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            // Not expected (operations catch their own failures): stop taking work, fail the open group and the queue.
            Fault(e);
            if (group is not null)
                foreach (var operation in group.Operations) operation.Fail(FaultedException());
            while (reader.TryRead(out var operation)) operation.Fail(FaultedException());
        }
        finally
        {
            _groups.Writer.TryComplete();
        }
    }

    private void Execute(Operation operation, CommitGroup group)
    {
        if (_abandoned)
        {
            operation.Fail(ClosedException());
            return;
        }
        if (Volatile.Read(ref _fault) is not null)
        {
            operation.Fail(FaultedException());
            return;
        }
        if (!operation.Execute(this)) return;
        group.Add(operation);
        if (operation.JournalBytes > 0 && _options.SnapshotEveryBatches > 0 && ++_batchesSinceSnapshot >= _options.SnapshotEveryBatches
            && Volatile.Read(ref _snapshotsPending) == 0)
        {
            var snapshot = new SnapshotOperation(automatic: true);
            _batchesSinceSnapshot = 0;   // also after a failure: the next attempt comes a full interval later
            if (snapshot.Execute(this)) group.Add(snapshot);
        }
    }

    private async Task CloseGroupAsync(CommitGroup group)
    {
        if (group.Count == 0) return;
        if (_abandoned)
        {
            foreach (var operation in group.Operations) operation.Fail(ClosedException());
            return;
        }
        try
        {
            var truncate = Interlocked.Read(ref _truncateRequest);
            if (truncate > _truncatedUntil)
            {
                _journal.TruncateUntil(truncate);
                _truncatedUntil = truncate;
            }
            group.UntilAddress = _journal.TailAddress;
            group.LastSequence = _sequence;
            if (group.JournalBytes > 0) _journal.Commit();
        }
        catch (Exception e)
        {
            Fault(e);
            foreach (var operation in group.Operations)
                operation.Fail(new DurableLedgerException(DurableLedgerError.JournalCommitFailed, "The journal commit could not be started.", e));
            return;
        }
        Interlocked.Increment(ref _groupsInFlight);
        await _groups.Writer.WriteAsync(group).ConfigureAwait(false);
    }

    /// <summary>The completer: waits for each group's commit, in order, then answers its callers.</summary>
    private async Task RunCompleterAsync()
    {
        var commitFailed = false;
        await foreach (var group in _groups.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            Exception? failure = null;
            if (group.JournalBytes > 0 && !commitFailed)
            {
                try
                {
                    await _journal.WaitForCommitAsync(group.UntilAddress).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    failure = e;
                }
            }
            if (failure is not null || commitFailed)
            {
                // The engine now holds batches the disk may not: nothing after this point can be trusted.
                commitFailed = true;
                failure ??= new IOException("An earlier journal commit failed.");
                Fault(failure);
                foreach (var operation in group.Operations)
                    operation.Fail(new DurableLedgerException(DurableLedgerError.JournalCommitFailed, "The journal commit failed.", failure));
            }
            else
            {
                if (group.JournalBytes > 0)
                {
                    Interlocked.Increment(ref _commitGroups);
                    Telemetry.Commits.Add(1);
                    Telemetry.BytesCommitted.Add(group.JournalBytes);
                    Telemetry.BatchesCommitted.Add(group.Batches);
                }
                Interlocked.Add(ref _journalBytesCommitted, group.JournalBytes);
                Interlocked.Add(ref _batchesCommitted, group.Batches);
                Interlocked.Exchange(ref _lastCommittedSequence, (long)group.LastSequence);
                foreach (var operation in group.Operations)
                {
                    if (operation.JournalBytes > 0 && Telemetry.BatchLatency.Enabled)
                        Telemetry.BatchLatency.Record(_time.GetElapsedTime(operation.SubmittedAt).TotalSeconds);
                    operation.Complete(this);
                }
            }
            Interlocked.Decrement(ref _groupsInFlight);
        }
    }

    /// <summary>The next batch timestamp: <c>max(clock in ns since the Unix epoch, LastTimestamp + 1)</c>.</summary>
    /// <remarks>False when the batch's <paramref name="count"/> timestamps would not fit in 64 bits (a clock past the year 2554).</remarks>
    private bool TryNextTimestamp(int count, out ulong timestamp)
    {
        var ticks = _time.GetUtcNow().UtcTicks - UnixEpochTicks;
        var clock = ticks <= 0 ? 0UL : (ulong)ticks > ulong.MaxValue / 100 ? ulong.MaxValue : (ulong)ticks * 100;
        var last = _engine.LastTimestamp;
        timestamp = Math.Max(clock, last == ulong.MaxValue ? ulong.MaxValue : last + 1);
        return last != ulong.MaxValue && (count == 0 || timestamp <= ulong.MaxValue - (ulong)(count - 1));
    }

    /// <summary>
    /// Stamps, applies and appends one batch record (the writer only). The engine runs first: a batch that breaks an
    /// invariant is never journalled. Returns false (and faults the ledger) when the engine threw.
    /// </summary>
    private bool ApplyAndAppend(BatchOperation batch)
    {
        if (!TryNextTimestamp(batch.Count, out var timestamp))
        {
            batch.Fail(new DurableLedgerException(DurableLedgerError.ClockOutOfRange,
                $"The clock or the ledger's last timestamp ({_engine.LastTimestamp} ns) leaves no room for {batch.Count} more timestamps."));
            return false;
        }
        var sequence = _sequence + 1;
        JournalRecord.WriteHeader(batch.Record, batch.Kind, sequence, timestamp, batch.Count, batch.ItemsCrc);
        try
        {
            BeforeApplyForTests?.Invoke(_engine);
            batch.Apply(_engine, timestamp);
        }
        catch (Exception e)
        {
            Fault(e);
            batch.Fail(new DurableLedgerException(DurableLedgerError.EngineInvariantFailed,
                "The engine failed while applying this batch; it was not journalled. Reopen the data directory to recover.", e));
            return false;
        }
        try
        {
            batch.JournalAddress = _journal.Append(batch.Record.AsSpan(0, batch.JournalBytes));
        }
        catch (Exception e)
        {
            // Applied but not journalled: the engine is now ahead of the journal.
            Fault(e);
            batch.Fail(new DurableLedgerException(DurableLedgerError.JournalCommitFailed, "The journal refused the record.", e));
            return false;
        }
        batch.Sequence = sequence;
        batch.Timestamp = timestamp;
        _sequence = sequence;
        return true;
    }

    /// <summary>One commit's worth of operations, in writer order.</summary>
    private sealed class CommitGroup
    {
        private readonly List<Operation> _operations = [];

        public List<Operation> Operations => _operations;

        public int Count => _operations.Count;

        public int JournalBytes { get; private set; }

        public int Batches { get; private set; }

        public long UntilAddress { get; set; }

        public ulong LastSequence { get; set; }

        public void Add(Operation operation)
        {
            _operations.Add(operation);
            JournalBytes += operation.JournalBytes;
            if (operation.JournalBytes > 0) Batches++;
        }
    }

    /// <summary>A queued call. <see cref="Execute"/> runs on the writer; <see cref="Complete"/> after the group's commit.</summary>
    private abstract class Operation
    {
        /// <summary>Bytes this operation appended to the journal (0 for reads and snapshots).</summary>
        public int JournalBytes { get; protected set; }

        /// <summary>When it was queued (<see cref="TimeProvider.GetTimestamp"/>), for the latency metric.</summary>
        public long SubmittedAt { get; set; }

        /// <summary>Runs on the writer; false when the operation failed (and was answered) without joining the group.</summary>
        public abstract bool Execute(DurableLedger ledger);

        public abstract void Complete(DurableLedger ledger);

        public abstract void Fail(Exception exception);

        /// <summary>Returns pooled memory; called once, whatever the outcome.</summary>
        public virtual void Release() { }
    }

    /// <summary>A batch with its record encoded by the submitter (items and their checksum); the writer adds the header.</summary>
    private abstract class BatchOperation : Operation
    {
        protected BatchOperation(BatchKind kind, int count)
        {
            Kind = kind;
            Count = count;
            JournalBytes = JournalRecord.Length(count);
            Record = Pools.Bytes.Rent(JournalBytes);
        }

        public BatchKind Kind { get; }

        public int Count { get; }

        public byte[] Record { get; private set; }

        public uint ItemsCrc { get; protected set; }

        public ulong Sequence { get; set; }

        public ulong Timestamp { get; set; }

        public long JournalAddress { get; set; }

        public abstract void Apply(LedgerEngine engine, ulong timestamp);

        public override bool Execute(DurableLedger ledger) => ledger.ApplyAndAppend(this);

        public override void Release()
        {
            var record = Record;
            Record = [];
            if (record.Length > 0) Pools.Bytes.Return(record);
        }
    }

    /// <summary>A batch of accounts or transfers: items rented from a pool, one result per item.</summary>
    private abstract class ItemBatch<TItem, TResult> : BatchOperation
        where TResult : struct, Enum
    {
        private readonly TaskCompletionSource<BatchResult<TResult>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TItem[] _items;
        private TResult[] _results = [];
        private int _created;

        protected ItemBatch(BatchKind kind, ReadOnlySpan<TItem> batch) : base(kind, batch.Length)
        {
            _items = ArrayPool<TItem>.Shared.Rent(batch.Length);
            batch.CopyTo(_items);
        }

        public Task<BatchResult<TResult>> Completion => _completion.Task;

        protected ReadOnlySpan<TItem> Items => _items.AsSpan(0, Count);

        protected abstract int Create(LedgerEngine engine, ulong timestamp, Span<TResult> results);

        public override void Apply(LedgerEngine engine, ulong timestamp)
        {
            _results = new TResult[Count];
            _created = Create(engine, timestamp, _results);
        }

        public override void Complete(DurableLedger ledger)
        {
            var result = new BatchResult<TResult>(Sequence, Timestamp, JournalAddress, _results, _created);
            Release();
            _completion.TrySetResult(result);
        }

        public override void Fail(Exception exception)
        {
            Release();
            _completion.TrySetException(exception);
        }

        public override void Release()
        {
            base.Release();
            var items = _items;
            _items = [];
            if (items.Length > 0) ArrayPool<TItem>.Shared.Return(items);
        }
    }

    private sealed class TransferBatch : ItemBatch<Transfer, CreateTransferResult>
    {
        public TransferBatch(ReadOnlySpan<Transfer> batch) : base(BatchKind.CreateTransfers, batch) =>
            ItemsCrc = JournalRecord.WriteItems(batch, Record);

        protected override int Create(LedgerEngine engine, ulong timestamp, Span<CreateTransferResult> results) =>
            engine.CreateTransfers(Items, timestamp, results);
    }

    private sealed class AccountBatch : ItemBatch<Account, CreateAccountResult>
    {
        public AccountBatch(ReadOnlySpan<Account> batch) : base(BatchKind.CreateAccounts, batch) =>
            ItemsCrc = JournalRecord.WriteItems(batch, Record);

        protected override int Create(LedgerEngine engine, ulong timestamp, Span<CreateAccountResult> results) =>
            engine.CreateAccounts(Items, timestamp, results);
    }

    private sealed class ExpireBatch : BatchOperation
    {
        private readonly TaskCompletionSource<ExpireResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _expired;

        public ExpireBatch() : base(BatchKind.ExpirePendingTransfers, 0) => ItemsCrc = Crc32C.Compute([]);

        public Task<ExpireResult> Completion => _completion.Task;

        public override void Apply(LedgerEngine engine, ulong timestamp) => _expired = engine.ExpirePendingTransfers(timestamp);

        public override void Complete(DurableLedger ledger)
        {
            Release();
            _completion.TrySetResult(new ExpireResult(Sequence, Timestamp, JournalAddress, _expired));
        }

        public override void Fail(Exception exception)
        {
            Release();
            _completion.TrySetException(exception);
        }
    }

    private sealed class ReadOperation<T>(Func<LedgerEngine, T> read) : Operation
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _value;

        public Task<T> Completion => _completion.Task;

        public override bool Execute(DurableLedger ledger)
        {
            var engine = ledger._engine;
            var before = engine.LastTimestamp;
            try
            {
                _value = read(engine);
            }
            catch (Exception e)
            {
                _completion.TrySetException(e);
                return false;
            }
            finally
            {
                if (engine.LastTimestamp != before)
                    ledger.Fault(new InvalidOperationException("A read changed the engine outside the journal."));
            }
            return true;
        }

        public override void Complete(DurableLedger ledger) => _completion.TrySetResult(_value!);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }

    /// <summary>
    /// A snapshot: the writer writes the state to a temporary file at the current journal tail; once the group's commit
    /// covers that address, a background chain fsyncs and renames it, prunes old snapshots and asks for truncation.
    /// </summary>
    private sealed class SnapshotOperation(bool automatic = false) : Operation
    {
        private readonly TaskCompletionSource<SnapshotInfo> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private PendingSnapshot? _pending;
        private DurableLedger? _ledger;

        public Task<SnapshotInfo> Completion => _completion.Task;

        public override bool Execute(DurableLedger ledger)
        {
            try
            {
                _pending = ledger._snapshots.Begin(ledger._engine, ledger._journal.TailAddress, ledger._sequence);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                ledger.SnapshotFailed(e);
                _completion.TrySetException(new DurableLedgerException(DurableLedgerError.SnapshotFailed, e.Message, e));
                return false;
            }
            ledger._batchesSinceSnapshot = 0;
            Interlocked.Increment(ref ledger._snapshotsPending);
            _ledger = ledger;
            return true;
        }

        public override void Complete(DurableLedger ledger)
        {
            var pending = _pending!;
            lock (ledger._disposeGate)
                ledger._snapshotChain = ledger._snapshotChain.ContinueWith(_ => ledger.FinishSnapshot(pending, _completion),
                    CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        public override void Fail(Exception exception)
        {
            if (_pending is { } pending)
            {
                SnapshotStore.Abandon(pending);
                _pending = null;
                Interlocked.Decrement(ref _ledger!._snapshotsPending);
            }
            _completion.TrySetException(exception);
        }

        public override string ToString() => automatic ? "automatic snapshot" : "snapshot";
    }

    private void FinishSnapshot(PendingSnapshot pending, TaskCompletionSource<SnapshotInfo> completion)
    {
        try
        {
            _snapshots.Complete(pending);
            var oldestKept = _snapshots.Prune(_options.SnapshotsToKeep);
            if (oldestKept > 0)
            {
                long current;
                do current = Interlocked.Read(ref _truncateRequest);
                while (oldestKept > current && Interlocked.CompareExchange(ref _truncateRequest, oldestKept, current) != current);
            }
            Interlocked.Increment(ref _snapshotsWritten);
            completion.TrySetResult(pending.Info);
        }
        catch (Exception e)
        {
            SnapshotFailed(e);
            completion.TrySetException(new DurableLedgerException(DurableLedgerError.SnapshotFailed, e.Message, e));
        }
        finally
        {
            Interlocked.Decrement(ref _snapshotsPending);
        }
    }

    private void SnapshotFailed(Exception e)
    {
        Interlocked.Increment(ref _snapshotsFailed);
        LastSnapshotError = e.Message;
    }
}
