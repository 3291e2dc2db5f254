using BitCurrent.Ledger;
using BitCurrent.Storage.Faster.Internal;

namespace BitCurrent.Storage.Faster.Tests;

/// <summary>A fresh directory under the temp folder, deleted when disposed.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "bitcurrent-faster-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a file still open by a failed test: leave it for the OS to clean up
        }
    }
}

/// <summary>A clock that moves forward by <c>step</c> on every read (or stays put with a zero step); timers stay real.</summary>
internal sealed class SteppingClock(DateTimeOffset start, TimeSpan step) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public DateTimeOffset Now
    {
        get => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _ticks, value.UtcTicks);
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Add(ref _ticks, step.Ticks) - step.Ticks, TimeSpan.Zero);

    /// <summary>Nanoseconds since the Unix epoch of <paramref name="time"/>, as the durable ledger stamps batches.</summary>
    public static ulong Nanoseconds(DateTimeOffset time) => (ulong)(time - DateTimeOffset.UnixEpoch).Ticks * 100;
}

/// <summary>Builders and helpers shared by the tests.</summary>
internal static class D
{
    /// <summary>The running test's cancellation token.</summary>
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static readonly LedgerEngineOptions Engine = new() { AccountsMax = 256, TransfersMax = 1 << 18, LedgersMax = 4, BatchItemsMax = 128 };

    public static DurableLedgerOptions Options(string directory, int snapshotEvery = 0, int keep = 2, long segment = 1 << 20,
        double delayMs = 1) => new()
        {
            DataDirectory = directory,
            Engine = Engine,
            SegmentSizeBytes = segment,
            SnapshotEveryBatches = snapshotEvery,
            SnapshotsToKeep = keep,
            CommitMaxDelay = TimeSpan.FromMilliseconds(delayMs),
        };

    public static Account Account(UInt128 id, AccountFlags flags = AccountFlags.None) => new() { Id = id, Ledger = 1, Code = 1, Flags = flags };

    public static Transfer Transfer(UInt128 id, UInt128 debit, UInt128 credit, UInt128 amount, TransferFlags flags = TransferFlags.None,
        UInt128 pendingId = default, uint timeoutSeconds = 0) => new()
        {
            Id = id,
            DebitAccountId = debit,
            CreditAccountId = credit,
            Amount = amount,
            Ledger = 1,
            Code = 1,
            Flags = flags,
            PendingId = pendingId,
            TimeoutSeconds = timeoutSeconds,
        };

    /// <summary>Account 1 is the unrestricted source of funds; accounts 2..<paramref name="count"/> may not go negative.</summary>
    public static Account[] Accounts(int count = 16)
    {
        var accounts = new Account[count];
        accounts[0] = Account(1);
        for (var i = 1; i < count; i++) accounts[i] = Account((UInt128)(i + 1), AccountFlags.DebitsMustNotExceedCredits);
        return accounts;
    }

    /// <summary>Simple transfers from account 1 to the others, ids from <paramref name="firstId"/>.</summary>
    public static Transfer[] Funding(ulong firstId, int count, int accounts = 16)
    {
        var batch = new Transfer[count];
        for (var i = 0; i < count; i++)
            batch[i] = Transfer(firstId + (ulong)i, 1, (UInt128)(2 + (i % (accounts - 1))), (UInt128)(100 + i));
        return batch;
    }

    /// <summary>The committed records of a closed data directory, in journal order.</summary>
    public static List<(long Address, JournalRecordHeader Header, byte[] Record)> ReadJournal(DurableLedgerOptions options)
    {
        var records = new List<(long, JournalRecordHeader, byte[])>();
        using var journal = new FasterJournal(System.IO.Path.Combine(options.DataDirectory, "journal"), options.ResolvedJournalPageSizeBytes,
            options.SegmentSizeBytes, options.JournalMemoryPages);
        using var scanner = journal.Scan(journal.BeginAddress, journal.CommittedUntilAddress);
        while (scanner.TryNext(out var entry, out var length, out var address, out _))
        {
            using (entry)
            {
                var record = entry!.Memory.Span[..length].ToArray();
                var issue = JournalRecord.TryRead(record, options.Engine.BatchItemsMax, out var header, out var detail);
                Assert.True(issue == RecoveryIssueKind.None, $"record at {address}: {issue} {detail}");
                records.Add((address, header, record));
            }
        }
        return records;
    }

    /// <summary>Applies one journal record to an engine, as recovery does, and returns the result codes.</summary>
    public static int[] ApplyRecord(LedgerEngine engine, JournalRecordHeader header, byte[] record)
    {
        var items = record.AsSpan(JournalRecord.HeaderSize);
        switch (header.Kind)
        {
            case BatchKind.CreateTransfers:
                {
                    var batch = new Transfer[header.Count];
                    for (var i = 0; i < batch.Length; i++) batch[i] = BitCurrent.Ledger.Transfer.Read(items.Slice(i * 128, 128));
                    var results = new CreateTransferResult[batch.Length];
                    engine.CreateTransfers(batch, header.Timestamp, results);
                    return Array.ConvertAll(results, r => (int)r);
                }
            case BatchKind.CreateAccounts:
                {
                    var batch = new Account[header.Count];
                    for (var i = 0; i < batch.Length; i++) batch[i] = BitCurrent.Ledger.Account.Read(items.Slice(i * 128, 128));
                    var results = new CreateAccountResult[batch.Length];
                    engine.CreateAccounts(batch, header.Timestamp, results);
                    return Array.ConvertAll(results, r => (int)r);
                }
            default:
                return [engine.ExpirePendingTransfers(header.Timestamp)];
        }
    }

    /// <summary>The path of the journal segment that holds <paramref name="address"/>, and the offset in it.</summary>
    public static (string Path, long Offset) Locate(DurableLedgerOptions options, long address) =>
        (System.IO.Path.Combine(options.DataDirectory, "journal", $"journal.log.{address / options.SegmentSizeBytes}"), address % options.SegmentSizeBytes);

    /// <summary>Flips one bit of a file at <paramref name="offset"/>.</summary>
    public static void FlipBit(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        var b = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(b ^ 0x10));
    }

    public static string[] SnapshotFiles(string directory) =>
        Directory.GetFiles(System.IO.Path.Combine(directory, "snapshots"), "snapshot-*.bin").Order(StringComparer.Ordinal).ToArray();
}
