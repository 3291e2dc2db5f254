using BitCurrent.Ledger;
using BitCurrent.Storage.Faster;

/// <summary>
/// The crash tests' workload, shared by the child (which submits it) and the test (which checks it; the test project
/// compiles this file too): deterministic transfer batches that all succeed, so that every acknowledged transfer must
/// be found with exactly this body.
/// </summary>
internal static class CrashWorkload
{
    public const int AccountCount = 8;
    public const int SizeMax = 48;

    /// <summary>Small pages and segments and frequent snapshots, so that kills land in snapshot writes and truncations too.</summary>
    public static DurableLedgerOptions Options(string directory) => new()
    {
        DataDirectory = directory,
        Engine = new LedgerEngineOptions { AccountsMax = 64, TransfersMax = 1 << 20, LedgersMax = 4, BatchItemsMax = 64 },
        SegmentSizeBytes = 1 << 18,
        SnapshotEveryBatches = 40,
        SnapshotsToKeep = 2,
        CommitMaxDelay = TimeSpan.FromMilliseconds(1),
    };

    public static Account[] Accounts()
    {
        var accounts = new Account[AccountCount];
        for (var i = 0; i < AccountCount; i++) accounts[i] = new Account { Id = (UInt128)(i + 1), Ledger = 1, Code = 1 };
        return accounts;
    }

    /// <summary>Batch sizes vary from 1 to <see cref="SizeMax"/> items.</summary>
    public static int Size(long batch) => 1 + (int)((ulong)(batch * 7919) % SizeMax);

    public static UInt128 TransferId(long batch, int item) => ((UInt128)(ulong)batch * 1000) + (UInt128)(item + 1);

    public static Transfer Expected(long batch, int item) => new()
    {
        Id = TransferId(batch, item),
        DebitAccountId = (UInt128)(1 + ((batch + item) % AccountCount)),
        CreditAccountId = (UInt128)(1 + ((batch + item + 1) % AccountCount)),
        Amount = (UInt128)(1 + item),
        UserData64 = (ulong)batch,
        Ledger = 1,
        Code = 1,
    };

    public static int Fill(long batch, Span<Transfer> destination)
    {
        var size = Size(batch);
        for (var i = 0; i < size; i++) destination[i] = Expected(batch, i);
        return size;
    }
}
