using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using BitCurrent.Ledger;
using BitCurrent.Storage.Faster.Internal;

namespace BitCurrent.Storage.Faster;

/// <summary>
/// A <see cref="LedgerEngine"/> made durable with a FASTER journal (<c>FasterLog</c>), group commit and snapshot files.
/// Every batch is stamped, applied and appended to the journal by one writer, in one order; its results are returned
/// only once its journal record is committed to disk. Opening a directory recovers the state: the newest valid
/// snapshot, then the journal after it, reporting (never hiding) every corrupt snapshot and every torn or corrupt
/// journal tail in <see cref="Recovery"/>.
/// </summary>
/// <remarks>
/// <para><b>Order.</b> Submitters on any thread call <see cref="CreateAccountsAsync"/>, <see cref="CreateTransfersAsync"/>
/// or <see cref="ExpirePendingTransfersAsync"/>; each call copies and encodes its batch on the caller's thread and queues
/// it. The writer takes batches from the queue in order, gives each the next sequence number and a timestamp
/// (<c>max(clock, LastTimestamp + 1)</c> from the injected <see cref="TimeProvider"/>: a batch of n items uses n
/// timestamps), applies it to the engine, and appends its record. The journal's order is therefore exactly the order
/// the engine applied, and replaying the journal reproduces the same results and the same state hash.</para>
/// <para><b>Apply, then append, then answer.</b> A batch is applied before its record is appended, so a batch that
/// breaks an engine invariant (a bug) never reaches the journal and a restart recovers the state before it. Results
/// are held back until the group's commit completes; a commit failure faults the ledger (the engine is then ahead of
/// the disk), and every later call fails with <see cref="DurableLedgerError.Faulted"/> until the directory is reopened.</para>
/// <para><b>Group commit.</b> The writer collects batches into a group until the group reaches
/// <see cref="DurableLedgerOptions.GroupBytesMax"/>, or the queue is empty and either no commit is in flight (the disk
/// is idle: commit now) or <see cref="DurableLedgerOptions.CommitMaxDelay"/> has passed. One commit makes the whole group
/// durable; up to <see cref="DurableLedgerOptions.GroupsInFlightMax"/> groups are in flight while the writer applies the
/// next one.</para>
/// <para><b>Reads</b> (<see cref="LookupTransfersAsync"/>, <see cref="ReadAsync{T}"/>, ...) run on the writer between
/// batches and answer once everything applied before them is committed, so a read never shows a batch that a crash
/// could still lose.</para>
/// </remarks>
public sealed partial class DurableLedger : IAsyncDisposable, IDisposable
{
    private readonly DurableLedgerOptions _options;
    private readonly TimeProvider _time;
    private readonly DirectoryLock _lock;
    private readonly FasterJournal _journal;
    private readonly SnapshotStore _snapshots;
    private readonly LedgerEngine _engine;
    private readonly Channel<Operation> _queue;
    private readonly Channel<CommitGroup> _groups;
    private readonly Task _writer;
    private readonly Task _completer;
    private readonly object _disposeGate = new();
    private Task? _disposeTask;
    private Exception? _fault;
    private volatile bool _closing;
    private volatile bool _abandoned;

    // Writer state (the writer task only).
    private ulong _sequence;
    private int _batchesSinceSnapshot;
    private long _truncatedUntil;

    // Shared counters.
    private int _groupsInFlight;
    private int _snapshotsPending;
    private long _truncateRequest;
    private long _batchesCommitted;
    private long _lastCommittedSequence;
    private long _commitGroups;
    private long _journalBytesCommitted;
    private long _snapshotsWritten;
    private long _snapshotsFailed;
    private Task _snapshotChain = Task.CompletedTask;

    private DurableLedger(DurableLedgerOptions options, TimeProvider time, DirectoryLock directoryLock, FasterJournal journal,
        SnapshotStore snapshots, LedgerEngine engine, ulong sequence, RecoveryReport report)
    {
        _options = options;
        _time = time;
        _lock = directoryLock;
        _journal = journal;
        _snapshots = snapshots;
        _engine = engine;
        _sequence = sequence;
        _lastCommittedSequence = (long)sequence;
        _truncatedUntil = journal.BeginAddress;
        Recovery = report;
        _queue = Channel.CreateBounded<Operation>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
        _groups = Channel.CreateBounded<CommitGroup>(new BoundedChannelOptions(options.GroupsInFlightMax)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        _writer = Task.Run(RunWriterAsync);
        _completer = Task.Run(RunCompleterAsync);
    }

    /// <summary>The options the ledger was opened with.</summary>
    public DurableLedgerOptions Options => _options;

    /// <summary>What recovery found and did when the directory was opened.</summary>
    public RecoveryReport Recovery { get; }

    /// <summary>True once a journal commit or an engine invariant failed: every call now fails with <see cref="DurableLedgerError.Faulted"/>.</summary>
    public bool IsFaulted => Volatile.Read(ref _fault) is not null;

    /// <summary>Test hook run on the writer before each batch is applied (a throw stands for an engine that failed mid-batch).</summary>
    internal Action<LedgerEngine>? BeforeApplyForTests { get; set; }

    /// <summary>Test hook: when set, every wait for a journal commit fails as a failed device would.</summary>
    internal bool FailCommitsForTests
    {
        get => _journal.FailCommitsForTests;
        set => _journal.FailCommitsForTests = value;
    }

    /// <summary>The journal's committed tail (tests check that answers never run ahead of it).</summary>
    internal long CommittedAddressForTests => _journal.CommittedUntilAddress;

    /// <summary>The message of the last snapshot that failed, or null.</summary>
    public string? LastSnapshotError { get; private set; }

    /// <summary>
    /// The name of the <see cref="System.Diagnostics.Metrics.Meter"/> this package reports on:
    /// <c>ledger_journal.batches.committed</c>, <c>ledger_journal.commits</c>, <c>ledger_journal.bytes.committed</c>
    /// (counters) and <c>ledger_journal.batch.latency</c> (seconds from submission to acknowledgement).
    /// </summary>
    public const string MeterName = Telemetry.MeterName;

    /// <summary>Counters since open.</summary>
    public DurableLedgerStatistics Statistics => new(
        Interlocked.Read(ref _batchesCommitted), (ulong)Interlocked.Read(ref _lastCommittedSequence), Interlocked.Read(ref _commitGroups),
        Interlocked.Read(ref _journalBytesCommitted), Interlocked.Read(ref _snapshotsWritten), Interlocked.Read(ref _snapshotsFailed));

    /// <summary>
    /// Opens (creating if needed) the data directory and recovers its state: the newest valid snapshot, then every
    /// committed journal record after it. Corrupt snapshots are skipped (renamed <c>*.skipped</c>) and a torn or
    /// corrupt journal tail is discarded, both reported in <see cref="Recovery"/>; after a discarded tail a snapshot is
    /// taken at once so that later recoveries start past it.
    /// </summary>
    /// <param name="options">Directory, capacities, journal geometry, group commit and snapshot settings.</param>
    /// <param name="timeProvider">The clock batches are stamped from; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="DurableLedgerException"><see cref="DurableLedgerError.DirectoryLocked"/>,
    /// <see cref="DurableLedgerError.EngineOptionsMismatch"/> or <see cref="DurableLedgerError.RecoveryFailed"/>.</exception>
    public static DurableLedger Open(DurableLedgerOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var time = timeProvider ?? TimeProvider.System;
        var directory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(directory);
        var directoryLock = DirectoryLock.Acquire(directory);
        FasterJournal? journal = null;
        try
        {
            var recovered = Recover(directory, options, out journal);
            return new DurableLedger(options, time, directoryLock, journal, recovered.Snapshots, recovered.Engine, recovered.Sequence, recovered.Report);
        }
        catch
        {
            journal?.Dispose();
            directoryLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates a batch of accounts durably. The batch is copied before this method returns, so the caller may reuse its
    /// memory at once. The task completes once the batch's journal record is committed.
    /// </summary>
    /// <param name="batch">1 to <see cref="LedgerEngineOptions.BatchItemsMax"/> accounts.</param>
    /// <param name="cancellationToken">Cancels only the wait for room in the queue; an accepted batch is always applied.</param>
    /// <exception cref="DurableLedgerException"><see cref="DurableLedgerError.BatchEmpty"/>, <see cref="DurableLedgerError.BatchTooLarge"/>,
    /// <see cref="DurableLedgerError.Closed"/>, <see cref="DurableLedgerError.Faulted"/>, or (through the task)
    /// <see cref="DurableLedgerError.JournalCommitFailed"/> or <see cref="DurableLedgerError.EngineInvariantFailed"/>.</exception>
    public ValueTask<BatchResult<CreateAccountResult>> CreateAccountsAsync(ReadOnlySpan<Account> batch, CancellationToken cancellationToken = default)
    {
        CheckBatch(batch.Length);
        var operation = new AccountBatch(batch);
        return EnqueueAsync(operation, operation.Completion, cancellationToken);
    }

    /// <summary>
    /// Creates a batch of transfers durably. The batch is copied before this method returns, so the caller may reuse its
    /// memory at once. The task completes once the batch's journal record is committed.
    /// </summary>
    /// <param name="batch">1 to <see cref="LedgerEngineOptions.BatchItemsMax"/> transfers.</param>
    /// <param name="cancellationToken">Cancels only the wait for room in the queue; an accepted batch is always applied.</param>
    /// <exception cref="DurableLedgerException"><see cref="DurableLedgerError.BatchEmpty"/>, <see cref="DurableLedgerError.BatchTooLarge"/>,
    /// <see cref="DurableLedgerError.Closed"/>, <see cref="DurableLedgerError.Faulted"/>, or (through the task)
    /// <see cref="DurableLedgerError.JournalCommitFailed"/> or <see cref="DurableLedgerError.EngineInvariantFailed"/>.</exception>
    public ValueTask<BatchResult<CreateTransferResult>> CreateTransfersAsync(ReadOnlySpan<Transfer> batch, CancellationToken cancellationToken = default)
    {
        CheckBatch(batch.Length);
        var operation = new TransferBatch(batch);
        return EnqueueAsync(operation, operation.Completion, cancellationToken);
    }

    /// <summary>
    /// Lets time pass durably: an empty batch stamped with the clock, which expires the pending transfers whose timeout
    /// has passed (<see cref="LedgerEngine.ExpirePendingTransfers"/>).
    /// </summary>
    /// <param name="cancellationToken">Cancels only the wait for room in the queue.</param>
    /// <exception cref="DurableLedgerException"><see cref="DurableLedgerError.Closed"/>, <see cref="DurableLedgerError.Faulted"/>,
    /// or (through the task) <see cref="DurableLedgerError.JournalCommitFailed"/>.</exception>
    public ValueTask<ExpireResult> ExpirePendingTransfersAsync(CancellationToken cancellationToken = default)
    {
        CheckOpen();
        var operation = new ExpireBatch();
        return EnqueueAsync(operation, operation.Completion, cancellationToken);
    }

    /// <summary>Looks up transfers by id in the committed state (absent ids are left out).</summary>
    /// <exception cref="DurableLedgerException"><see cref="DurableLedgerError.Closed"/> or <see cref="DurableLedgerError.Faulted"/>.</exception>
    public ValueTask<Transfer[]> LookupTransfersAsync(ReadOnlyMemory<UInt128> ids, CancellationToken cancellationToken = default) =>
        ReadAsync(engine =>
        {
            var found = new Transfer[ids.Length];
            var count = engine.LookupTransfers(ids.Span, found);
            return found.AsSpan(0, count).ToArray();
        }, cancellationToken);

    /// <summary>Looks up accounts by id in the committed state (absent ids are left out).</summary>
    /// <exception cref="DurableLedgerException"><see cref="DurableLedgerError.Closed"/> or <see cref="DurableLedgerError.Faulted"/>.</exception>
    public ValueTask<Account[]> LookupAccountsAsync(ReadOnlyMemory<UInt128> ids, CancellationToken cancellationToken = default) =>
        ReadAsync(engine =>
        {
            var found = new Account[ids.Length];
            var count = engine.LookupAccounts(ids.Span, found);
            return found.AsSpan(0, count).ToArray();
        }, cancellationToken);

    /// <summary>The engine's <see cref="LedgerEngine.ComputeStateHash"/> after every batch submitted before this call (O(state)).</summary>
    /// <exception cref="DurableLedgerException"><see cref="DurableLedgerError.Closed"/> or <see cref="DurableLedgerError.Faulted"/>.</exception>
    public ValueTask<Hash256> ComputeStateHashAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(engine => engine.ComputeStateHash(), cancellationToken);

    /// <summary>
    /// Runs <paramref name="read"/> on the engine after every batch submitted before this call, and returns its value
    /// once those batches are committed. <paramref name="read"/> runs on the writer (keep it short: batches wait) and
    /// must only read: a call that changes the engine faults the ledger, since the journal would no longer describe it.
    /// </summary>
    /// <exception cref="DurableLedgerException"><see cref="DurableLedgerError.Closed"/> or <see cref="DurableLedgerError.Faulted"/>;
    /// an exception thrown by <paramref name="read"/> comes out of the task as it is.</exception>
    public ValueTask<T> ReadAsync<T>(Func<LedgerEngine, T> read, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        CheckOpen();
        var operation = new ReadOperation<T>(read);
        return EnqueueAsync(operation, operation.Completion, cancellationToken);
    }

    /// <summary>
    /// Takes a snapshot after every batch submitted before this call: <c>snapshots/snapshot-&lt;journal address&gt;.bin</c>,
    /// written to a temporary file, fsynced and renamed once the journal is committed up to its address. Older snapshots
    /// beyond <see cref="DurableLedgerOptions.SnapshotsToKeep"/> are deleted and the journal before the oldest kept one is
    /// truncated. The writer pauses for the state hash and for writing the state into the page cache.
    /// </summary>
    /// <exception cref="DurableLedgerException"><see cref="DurableLedgerError.Closed"/>, <see cref="DurableLedgerError.Faulted"/>,
    /// or (through the task) <see cref="DurableLedgerError.SnapshotFailed"/>.</exception>
    public ValueTask<SnapshotInfo> TakeSnapshotAsync(CancellationToken cancellationToken = default)
    {
        CheckOpen();
        var operation = new SnapshotOperation();
        return EnqueueAsync(operation, operation.Completion, cancellationToken);
    }

    /// <summary>
    /// Closes the ledger cleanly: stops taking calls, applies and commits everything already queued (their callers are
    /// answered), waits for snapshots in progress, and releases the directory.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        lock (_disposeGate)
        {
            _disposeTask ??= CloseAsync();
            return new ValueTask(_disposeTask);
        }
    }

    /// <summary>Closes the ledger cleanly; see <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task CloseAsync()
    {
        _closing = true;
        _queue.Writer.TryComplete();
        try
        {
            await _writer.ConfigureAwait(false);
            await _completer.ConfigureAwait(false);
            Task chain;
            lock (_disposeGate) chain = _snapshotChain;
            await chain.ConfigureAwait(false);
        }
        finally
        {
            _journal.Dispose();
            _lock.Dispose();
        }
    }

    /// <summary>
    /// Test hook that stops the ledger as a crash would, as far as a process can without dying: the open commit group is
    /// never committed (its callers get <see cref="DurableLedgerError.Closed"/>), queued batches are dropped, and the
    /// journal is closed without a final commit. What is on disk is what a crash at this moment would leave.
    /// </summary>
    internal async Task AbandonForTestsAsync()
    {
        _abandoned = true;
        await DisposeAsync().ConfigureAwait(false);
    }

    private void CheckBatch(int count)
    {
        CheckOpen();
        if (count == 0)
            throw new DurableLedgerException(DurableLedgerError.BatchEmpty, "A batch needs at least one item.");
        if (count > _options.Engine.BatchItemsMax)
            throw new DurableLedgerException(DurableLedgerError.BatchTooLarge,
                $"The batch has {count} items; at most {_options.Engine.BatchItemsMax} (LedgerEngineOptions.BatchItemsMax).");
    }

    private void CheckOpen()
    {
        if (_closing) ThrowClosed();
        if (Volatile.Read(ref _fault) is { } fault) ThrowFaulted(fault);
    }

    private ValueTask<T> EnqueueAsync<T>(Operation operation, Task<T> completion, CancellationToken cancellationToken)
    {
        operation.SubmittedAt = _time.GetTimestamp();
        if (_queue.Writer.TryWrite(operation)) return new ValueTask<T>(completion);
        return EnqueueSlowAsync(operation, completion, cancellationToken);
    }

    private async ValueTask<T> EnqueueSlowAsync<T>(Operation operation, Task<T> completion, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(operation, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            operation.Release();
            ThrowClosed();
        }
        catch
        {
            operation.Release();
            throw;
        }
        return await completion.ConfigureAwait(false);
    }

    [DoesNotReturn]
    private static void ThrowClosed() =>
        throw new DurableLedgerException(DurableLedgerError.Closed, "The ledger is closed.");

    [DoesNotReturn]
    private static void ThrowFaulted(Exception fault) =>
        throw new DurableLedgerException(DurableLedgerError.Faulted,
            "An earlier failure stopped the ledger; reopen the data directory to recover from disk.", fault);

    private static DurableLedgerException ClosedException() =>
        new(DurableLedgerError.Closed, "The ledger closed before this call was acknowledged; it may or may not have been committed.");

    private DurableLedgerException FaultedException() =>
        new(DurableLedgerError.Faulted, "An earlier failure stopped the ledger; reopen the data directory to recover from disk.",
            Volatile.Read(ref _fault));

    private void Fault(Exception cause) => Interlocked.CompareExchange(ref _fault, cause, null);

    /// <summary>Pooled arrays of the batches in flight.</summary>
    private static class Pools
    {
        public static readonly ArrayPool<byte> Bytes = ArrayPool<byte>.Shared;
    }
}
