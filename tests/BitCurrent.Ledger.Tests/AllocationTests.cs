using BitCurrent.Ledger;

namespace BitCurrent.Ledger.Tests;

/// <summary>The apply path allocates nothing once the engine is built (capacities are pre-sized).</summary>
public class AllocationTests
{
    private const int BatchSize = 8189;
    private const int Accounts = 1000;

    private static Transfer[] MakeBatch(ulong firstId, int variant)
    {
        var batch = new Transfer[BatchSize];
        var id = firstId;
        for (var i = 0; i < BatchSize; i++)
        {
            var debit = (UInt128)(1 + ((i * 7 + variant) % Accounts));
            var credit = (UInt128)(1 + ((i * 13 + 1 + variant) % Accounts));
            if (debit == credit) credit = (credit % Accounts) + 1;
            batch[i] = (i % 16) switch
            {
                // A pending transfer with a timeout, then its post in the same linked chain: heap, chain and undo log.
                0 => L.Transfer(id, debit, credit, 5, flags: TransferFlags.Pending | TransferFlags.Linked, timeoutSeconds: 60),
                1 => L.Post(id, id - 1, 3),
                // A chain that fails on its second item (unknown account): exercises the rollback.
                2 => L.Transfer(id, debit, credit, 1, flags: TransferFlags.Linked),
                3 => L.Transfer(id, debit, 999_999, 1),
                // A pending transfer voided later in the batch, and a retry.
                4 => L.Transfer(id, debit, credit, 2, flags: TransferFlags.Pending, timeoutSeconds: 1),
                5 => L.Void(id, id - 1),
                6 => batch[0],
                _ => L.Transfer(id, debit, credit, 1 + (UInt128)(i % 97)),
            };
            id++;
        }
        return batch;
    }

    [Fact]
    public void Steady_state_batches_allocate_zero_bytes()
    {
        const int Warm = 3;
        const int Measured = 8;
        var engine = new LedgerEngine(new LedgerEngineOptions { AccountsMax = Accounts, TransfersMax = BatchSize * (Warm + Measured) });
        var accounts = Enumerable.Range(1, Accounts).Select(i => L.Account((UInt128)i)).ToArray();
        engine.CreateAccounts(accounts, 1, new CreateAccountResult[Accounts]);
        var batches = Enumerable.Range(0, Warm + Measured).Select(b => MakeBatch(1_000_000UL * (ulong)(b + 1), b)).ToArray();
        var results = new CreateTransferResult[BatchSize];
        var timestamp = 10 * L.Second;

        for (var b = 0; b < Warm; b++)
        {
            engine.CreateTransfers(batches[b], timestamp, results);
            timestamp += 2 * L.Second;  // far enough for the 1 s timeouts to expire in the next batch
        }

        var created = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var b = Warm; b < Warm + Measured; b++)
        {
            created += engine.CreateTransfers(batches[b], timestamp, results);
            timestamp += 2 * L.Second;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(created > Measured * BatchSize / 2, $"only {created} transfers were created");
        Assert.Contains(CreateTransferResult.LinkedEventFailed, results);
        Assert.Contains(CreateTransferResult.Exists, results);
        engine.Audit();
    }
}
