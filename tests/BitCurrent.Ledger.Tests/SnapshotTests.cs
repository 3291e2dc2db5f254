using System.Buffers;
using System.Buffers.Binary;
using BitCurrent.Ledger;
using BitCurrent.Ledger.Internal;

namespace BitCurrent.Ledger.Tests;

/// <summary>Snapshots, the state hash and replay determinism: the hooks the journal and snapshot store build on.</summary>
public class SnapshotTests
{
    private static readonly LedgerEngineOptions Options = new() { AccountsMax = 9, TransfersMax = 400, LedgersMax = 2, BatchItemsMax = 16 };

    /// <summary>A recorded command: a batch of accounts or transfers (or an expiry tick) with its timestamp.</summary>
    private sealed record Command(ulong Timestamp, Account[]? Accounts, Transfer[]? Transfers);

    private static List<Command> Commands(int seed, int count)
    {
        var workload = new ReferenceComparisonTests.Workload(seed);
        var commands = new List<Command>();
        // A dry engine tells the workload which transfers were created, as in the comparison test.
        var dry = new LedgerEngine(Options);
        for (var b = 0; b < count; b++)
        {
            var timestamp = workload.NextTimestamp();
            var op = b == 0 ? -1 : workload.Next(100);
            if (op < 8)
            {
                var batch = op < 0 ? workload.InitialAccounts() : workload.AccountBatch();
                dry.CreateAccounts(batch, timestamp, new CreateAccountResult[batch.Length]);
                commands.Add(new Command(timestamp, batch, null));
            }
            else if (op < 12)
            {
                dry.ExpirePendingTransfers(timestamp);
                commands.Add(new Command(timestamp, null, null));
            }
            else
            {
                var batch = workload.TransferBatch();
                var results = new CreateTransferResult[batch.Length];
                dry.CreateTransfers(batch, timestamp, results);
                workload.Observe(batch, results);
                commands.Add(new Command(timestamp, null, batch));
            }
        }
        return commands;
    }

    /// <summary>Applies commands and returns every result code, in order.</summary>
    private static List<int> Run(LedgerEngine engine, IEnumerable<Command> commands)
    {
        var codes = new List<int>();
        foreach (var c in commands)
        {
            if (c.Accounts is not null)
            {
                var results = new CreateAccountResult[c.Accounts.Length];
                engine.CreateAccounts(c.Accounts, c.Timestamp, results);
                codes.AddRange(results.Select(r => (int)r));
            }
            else if (c.Transfers is not null)
            {
                var results = new CreateTransferResult[c.Transfers.Length];
                engine.CreateTransfers(c.Transfers, c.Timestamp, results);
                codes.AddRange(results.Select(r => (int)r));
            }
            else
            {
                codes.Add(engine.ExpirePendingTransfers(c.Timestamp));
            }
        }
        return codes;
    }

    private static byte[] Snapshot(LedgerEngine engine)
    {
        using var stream = new MemoryStream();
        engine.WriteSnapshot(stream);
        return stream.ToArray();
    }

    [Fact]
    public void Replaying_the_same_batches_gives_the_same_results_and_state_hash()
    {
        var commands = Commands(seed: 7, count: 120);
        var a = new LedgerEngine(Options);
        var b = new LedgerEngine(Options);
        Assert.Equal(Run(a, commands), Run(b, commands));
        Assert.Equal(a.ComputeStateHash(), b.ComputeStateHash());
        Assert.Equal(Snapshot(a), Snapshot(b));

        var other = new LedgerEngine(Options);
        Run(other, Commands(seed: 8, count: 120));
        Assert.NotEqual(a.ComputeStateHash(), other.ComputeStateHash());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_restored_engine_has_the_same_state_and_continues_identically(int seed)
    {
        var commands = Commands(seed, count: 150);
        var original = new LedgerEngine(Options);
        Run(original, commands.Take(100));
        var bytes = Snapshot(original);
        var writer = new ArrayBufferWriter<byte>();
        original.WriteSnapshot(writer);
        Assert.Equal(bytes, writer.WrittenSpan.ToArray());
        Assert.Equal(original.SnapshotLength, bytes.Length);

        var fromSpan = LedgerEngine.ReadSnapshot(bytes, Options);
        using var stream = new MemoryStream(bytes);
        var fromStream = LedgerEngine.ReadSnapshot(stream, Options);
        Assert.Equal(bytes.Length, stream.Position);
        Assert.Equal(original.ComputeStateHash(), fromSpan.ComputeStateHash());
        Assert.Equal(original.ComputeStateHash(), fromStream.ComputeStateHash());
        Assert.Equal(original.LastTimestamp, fromSpan.LastTimestamp);
        Assert.Equal(original.PendingWithTimeoutCount, fromSpan.PendingWithTimeoutCount);
        Assert.Equal(bytes, Snapshot(fromSpan));

        var rest = commands.Skip(100).ToList();
        Assert.Equal(Run(original, rest), Run(fromSpan, rest));
        Assert.Equal(original.ComputeStateHash(), fromSpan.ComputeStateHash());
        fromSpan.Audit();
    }

    [Fact]
    public void An_empty_engine_round_trips()
    {
        var engine = new LedgerEngine(Options);
        var restored = LedgerEngine.ReadSnapshot(Snapshot(engine));
        Assert.Equal(engine.ComputeStateHash(), restored.ComputeStateHash());
        Assert.Equal(0, restored.AccountCount);
    }

    [Fact]
    public void Without_options_the_restored_engine_fits_the_snapshot()
    {
        var engine = new LedgerEngine(new LedgerEngineOptions { AccountsMax = 70_000, TransfersMax = 16 });
        var accounts = Enumerable.Range(1, 66_000).Select(i => L.Account((UInt128)i)).ToArray();
        for (var i = 0; i < accounts.Length; i += 8189)
        {
            var batch = accounts.AsSpan(i, Math.Min(8189, accounts.Length - i));
            engine.CreateAccounts(batch, engine.LastTimestamp + 1, new CreateAccountResult[batch.Length]);
        }
        var restored = LedgerEngine.ReadSnapshot(Snapshot(engine));
        Assert.Equal(66_000, restored.AccountCount);
        Assert.True(restored.Options.AccountsMax >= 66_000);
    }

    private static byte[] SampleSnapshot()
    {
        var engine = new LedgerEngine(Options);
        Run(engine, Commands(seed: 4, count: 60));
        return Snapshot(engine);
    }

    private static LedgerSnapshotException Refused(byte[] bytes, LedgerEngineOptions? options = null) =>
        Assert.Throws<LedgerSnapshotException>(() => LedgerEngine.ReadSnapshot(bytes, options ?? Options));

    private static void Reseal(byte[] bytes)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(48), Crc32C.Compute(bytes.AsSpan(64)));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(60), Crc32C.Compute(bytes.AsSpan(0, 60)));
    }

    [Fact]
    public void Corrupt_snapshots_are_refused_with_their_reason()
    {
        var good = SampleSnapshot();
        Assert.True(BinaryPrimitives.ReadInt32LittleEndian(good.AsSpan(28)) > 10, "the sample has transfers");

        var bytes = (byte[])good.Clone();
        bytes[0] ^= 1;
        Assert.Equal(SnapshotError.BadMagic, Refused(bytes).Error);

        bytes = (byte[])good.Clone();
        bytes[20] ^= 1;
        Assert.Equal(SnapshotError.HeaderChecksumMismatch, Refused(bytes).Error);

        bytes = (byte[])good.Clone();
        bytes[8] = 2;
        Reseal(bytes);
        Assert.Equal(SnapshotError.UnsupportedVersion, Refused(bytes).Error);

        bytes = (byte[])good.Clone();
        bytes[^5] ^= 0x40;
        var e = Refused(bytes);
        Assert.Equal(SnapshotError.BodyChecksumMismatch, e.Error);
        Assert.StartsWith("4904 ", e.Message, StringComparison.Ordinal);

        Assert.Equal(SnapshotError.Truncated, Refused(good[..^1]).Error);
        Assert.Equal(SnapshotError.Truncated, Refused(good[..40]).Error);

        bytes = (byte[])good.Clone();
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(32), 12345);
        Reseal(bytes);
        Assert.Equal(SnapshotError.BadHeader, Refused(bytes).Error);

        Assert.Equal(SnapshotError.CapacityExceeded, Refused(good, Options with { TransfersMax = 3 }).Error);
    }

    [Fact]
    public void A_well_sealed_snapshot_with_a_wrong_balance_fails_the_audit()
    {
        var bytes = SampleSnapshot();
        // Account 1's credits_posted (body offset 64 of the first account record): one more than its transfers say.
        var offset = 64 + 64;
        var value = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(offset));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(offset), value + 1);
        Reseal(bytes);
        var e = Refused(bytes);
        Assert.Equal(SnapshotError.InvalidState, e.Error);
        Assert.IsType<LedgerInvariantException>(e.InnerException);
    }

    [Fact]
    public void A_snapshot_with_a_duplicate_id_is_refused()
    {
        var bytes = SampleSnapshot();
        bytes.AsSpan(64, 16).CopyTo(bytes.AsSpan(64 + 128, 16));
        Reseal(bytes);
        Assert.Equal(SnapshotError.InvalidState, Refused(bytes).Error);
    }

    [Fact]
    public void The_state_hash_covers_every_field()
    {
        var engine = L.Engine();
        engine.Create(L.Account(1), L.Account(2));
        var before = engine.ComputeStateHash();
        engine.Apply(L.Transfer(10, 1, 2, 5) with { UserData32 = 1 });
        var afterOne = engine.ComputeStateHash();
        var twin = L.Engine();
        twin.Create(L.Account(1), L.Account(2));
        twin.Apply(L.Transfer(10, 1, 2, 5) with { UserData32 = 2 });
        Assert.NotEqual(before, afterOne);
        Assert.NotEqual(afterOne, twin.ComputeStateHash());
        Assert.Equal(64, afterOne.ToString().Length);
        Assert.Equal(afterOne, Hash256.Parse(afterOne.ToString()));
    }
}
