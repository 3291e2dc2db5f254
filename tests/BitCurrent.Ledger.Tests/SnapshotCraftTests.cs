using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using BitCurrent.Ledger;
using BitCurrent.Ledger.Internal;

namespace BitCurrent.Ledger.Tests;

/// <summary>
/// Snapshots that are well sealed (both checksums recomputed) but say something impossible: each must be refused
/// with its reason, and the check that fires is the one for that fault (the audit's failure is the inner exception
/// only when the audit is what found it). Also: chunking past 256 records, the state-hash definition, and the
/// exact capacity and timeout boundaries a restore accepts.
/// </summary>
public class SnapshotCraftTests
{
    private const int Header = LedgerEngine.SnapshotHeaderSize;
    private const int AccountCount = 3;
    private const int TransferCount = 7;

    // Transfers by slot: 0 plain, 1 pending (posted by 2), 2 post, 3 pending with a 1 s timeout (expired exactly at
    // its expiry by the batch of 5), 4 pending without timeout, 5 plain, 6 pending with a long timeout.
    private static (LedgerEngine Engine, byte[] Bytes) Sample()
    {
        var engine = L.Engine(accounts: 16, transfers: 64);
        engine.CreateAccounts([L.Account(1), L.Account(2), L.Account(3)], 1, new CreateAccountResult[3]);
        Assert.Equal(CreateTransferResult.Ok, engine.ApplyAt(10 * L.Second, L.Transfer(10, 1, 2, 5))[0]);
        Assert.All(engine.ApplyAt(11 * L.Second, L.Transfer(11, 1, 2, 7, flags: TransferFlags.Pending), L.Post(12, 11)),
            r => Assert.Equal(CreateTransferResult.Ok, r));
        var expiring = L.Transfer(13, 2, 3, 3, flags: TransferFlags.Pending, timeoutSeconds: 1);
        Assert.All(engine.ApplyAt(12 * L.Second, expiring, L.Transfer(14, 1, 3, 4, flags: TransferFlags.Pending)),
            r => Assert.Equal(CreateTransferResult.Ok, r));
        // Transfer 13 has timestamp 12 s, so it expires at 13 s: this batch is exactly at its expiry.
        Assert.Equal(CreateTransferResult.Ok, engine.ApplyAt(13 * L.Second, L.Transfer(15, 3, 1, 1))[0]);
        Assert.Equal(PendingStatus.Expired, engine.GetPendingStatus(13));
        Assert.Equal(CreateTransferResult.Ok, engine.ApplyAt(14 * L.Second, L.Transfer(16, 2, 1, 2, flags: TransferFlags.Pending, timeoutSeconds: 1000))[0]);
        Assert.Equal((AccountCount, TransferCount, 1), (engine.AccountCount, engine.TransferCount, engine.PendingWithTimeoutCount));
        var writer = new ArrayBufferWriter<byte>();
        engine.WriteSnapshot(writer);
        return (engine, writer.WrittenSpan.ToArray());
    }

    private static int TransferOffset(int slot) => Header + (AccountCount * Account.SizeBytes) + (slot * Transfer.SizeBytes);

    private static int StateOffset(int slot) =>
        Header + (AccountCount * Account.SizeBytes) + (TransferCount * Transfer.SizeBytes) + (slot * LedgerEngine.SnapshotTransferStateSize);

    private static void Reseal(byte[] bytes)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(48), Crc32C.Compute(bytes.AsSpan(Header)));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(60), Crc32C.Compute(bytes.AsSpan(0, 60)));
    }

    private static LedgerSnapshotException Refused(byte[] bytes, LedgerEngineOptions? options = null) =>
        Assert.Throws<LedgerSnapshotException>(() => LedgerEngine.ReadSnapshot(bytes, options));

    private static LedgerSnapshotException RefusedAfter(Action<byte[]> tamper)
    {
        var (_, bytes) = Sample();
        tamper(bytes);
        Reseal(bytes);
        return Refused(bytes);
    }

    [Fact]
    public void The_sample_round_trips_with_its_exact_expiry_and_live_timeout()
    {
        var (engine, bytes) = Sample();
        var restored = LedgerEngine.ReadSnapshot(bytes);
        Assert.Equal(engine.ComputeStateHash(), restored.ComputeStateHash());
        Assert.Equal(1, restored.PendingWithTimeoutCount);
        Assert.Equal(1, restored.LedgerCount);
        // The restored expiry queue works: the live hold expires at its time, not before.
        Assert.Equal(0, restored.ExpirePendingTransfers(1013 * L.Second));
        Assert.Equal(1, restored.ExpirePendingTransfers(1014 * L.Second));
        Assert.Equal(PendingStatus.Expired, restored.GetPendingStatus(16));
        // Options that hold exactly the snapshot's counts are enough.
        var exact = new LedgerEngineOptions { AccountsMax = AccountCount, TransfersMax = TransferCount, LedgersMax = 1, BatchItemsMax = 8 };
        Assert.Equal(engine.ComputeStateHash(), LedgerEngine.ReadSnapshot(bytes, exact).ComputeStateHash());
        Assert.Equal(SnapshotError.CapacityExceeded, Refused(bytes, exact with { AccountsMax = AccountCount - 1 }).Error);
        Assert.Equal(SnapshotError.CapacityExceeded, Refused(bytes, exact with { TransfersMax = TransferCount - 1 }).Error);
    }

    [Fact]
    public void The_state_hash_is_sha256_of_the_documented_prefix_and_the_snapshot_body()
    {
        var (engine, bytes) = Sample();
        var data = new byte[32 + bytes.Length - Header];
        "BitCurrentLedger"u8.CopyTo(data);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(16), engine.LastTimestamp);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(24), AccountCount);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(28), TransferCount);
        bytes.AsSpan(Header).CopyTo(data.AsSpan(32));
        Assert.Equal(Hash256.Read(SHA256.HashData(data)), engine.ComputeStateHash());
    }

    [Fact]
    public void Snapshots_of_more_than_one_chunk_round_trip_byte_for_byte()
    {
        var engine = L.Engine(accounts: 300, transfers: 1024);
        var accounts = Enumerable.Range(1, 300).Select(i => L.Account((UInt128)i)).ToArray();
        Assert.Equal(300, engine.CreateAccounts(accounts, 1, new CreateAccountResult[300]));
        var transfers = Enumerable.Range(0, 300).Select(i => L.Transfer((UInt128)(1000 + i), (UInt128)(1 + i), (UInt128)(1 + ((i + 1) % 300)),
            (UInt128)(1 + i), flags: i % 3 == 0 ? TransferFlags.Pending : TransferFlags.None)).ToArray();
        Assert.All(engine.ApplyAt(1000, transfers), r => Assert.Equal(CreateTransferResult.Ok, r));
        var writer = new ArrayBufferWriter<byte>();
        engine.WriteSnapshot(writer);
        Assert.Equal(Header + (300 * 128) + (300 * (128 + 16)), writer.WrittenCount);
        Assert.Equal(engine.SnapshotLength, writer.WrittenCount);
        var stream = new MemoryStream();
        engine.WriteSnapshot(stream);
        Assert.Equal(writer.WrittenSpan.ToArray(), stream.ToArray());

        stream.Position = 0;
        var restored = LedgerEngine.ReadSnapshot(stream);
        Assert.Equal(300, restored.TransferCount);
        Assert.Equal(engine.ComputeStateHash(), restored.ComputeStateHash());
        var again = new ArrayBufferWriter<byte>();
        restored.WriteSnapshot(again);
        Assert.Equal(writer.WrittenSpan.ToArray(), again.WrittenSpan.ToArray());
        Assert.True(restored.TryGetTransfer(1299, out var last));
        Assert.Equal(transfers[299] with { Timestamp = 1299 }, last);
        Assert.Equal(PendingStatus.Pending, restored.GetPendingStatus(1297));
    }

    [Fact]
    public void Null_streams_and_writers_are_refused()
    {
        var engine = L.Engine(accounts: 4, transfers: 4);
        Assert.Throws<ArgumentNullException>("destination", () => engine.WriteSnapshot((Stream)null!));
        Assert.Throws<ArgumentNullException>("destination", () => engine.WriteSnapshot((IBufferWriter<byte>)null!));
        Assert.Throws<ArgumentNullException>("source", () => LedgerEngine.ReadSnapshot((Stream)null!));
    }

    [Fact]
    public void A_truncated_stream_is_refused()
    {
        var (_, bytes) = Sample();
        var e = Assert.Throws<LedgerSnapshotException>(() => LedgerEngine.ReadSnapshot(new MemoryStream(bytes[..^1])));
        Assert.Equal(SnapshotError.Truncated, e.Error);
    }

    public static TheoryData<string, int, long> BadHeaderFields => new()
    {
        { "header size", 12, 65 },
        { "reserved", 52, 1 },
        { "reserved, last byte", 59, 1 },
        { "account count", 24, -1 },
        { "transfer count", 28, -1 },
        { "ledger count", 40, -1 },
        { "pending count", 44, -1 },
    };

    [Theory]
    [MemberData(nameof(BadHeaderFields))]
    public void Each_inconsistent_header_field_alone_is_a_bad_header(string field, int offset, long value)
    {
        var e = RefusedAfter(bytes =>
        {
            if (field.StartsWith("reserved", StringComparison.Ordinal)) bytes[offset] = (byte)value;
            else BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), (int)value);
        });
        Assert.Equal(SnapshotError.BadHeader, e.Error);
    }

    [Theory]
    [InlineData(40, 2)]   // two ledgers where there is one
    [InlineData(44, 0)]   // no live timeout where there is one
    [InlineData(44, 2)]
    public void Header_counts_that_differ_from_the_body_are_an_invalid_state(int offset, int value)
    {
        var e = RefusedAfter(bytes => BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), value));
        Assert.Equal(SnapshotError.InvalidState, e.Error);
        Assert.Null(e.InnerException);
    }

    [Fact]
    public void More_ledgers_than_the_options_hold_are_refused_while_rebuilding()
    {
        var engine = L.Engine(accounts: 4, transfers: 4);
        engine.Create(L.Account(1, ledger: 1), L.Account(2, ledger: 2));
        var bytes = new ArrayBufferWriter<byte>();
        engine.WriteSnapshot(bytes);
        var tampered = bytes.WrittenSpan.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(tampered.AsSpan(40), 1);   // the header claims one ledger
        Reseal(tampered);
        var options = new LedgerEngineOptions { AccountsMax = 4, TransfersMax = 4, LedgersMax = 1, BatchItemsMax = 4 };
        Assert.Equal(SnapshotError.CapacityExceeded, Refused(tampered, options).Error);
    }

    [Fact]
    public void Duplicate_ids_are_reported_as_such()
    {
        var e = RefusedAfter(bytes => bytes.AsSpan(Header, 16).CopyTo(bytes.AsSpan(Header + Account.SizeBytes)));
        Assert.Equal(SnapshotError.InvalidState, e.Error);
        Assert.Null(e.InnerException);
        e = RefusedAfter(bytes => bytes.AsSpan(TransferOffset(0), 16).CopyTo(bytes.AsSpan(TransferOffset(5))));
        Assert.Equal(SnapshotError.InvalidState, e.Error);
        Assert.Null(e.InnerException);
    }

    [Theory]
    [InlineData(0, 8, 5)]    // an unknown status, first record
    [InlineData(1, 8, 9)]    // an unknown status, second record
    [InlineData(0, 9, 1)]    // a reserved byte, first of them
    [InlineData(4, 15, 1)]   // a reserved byte, last of them
    public void A_malformed_transfer_state_is_found_before_the_audit(int slot, int byteIndex, byte value)
    {
        var e = RefusedAfter(bytes => bytes[StateOffset(slot) + byteIndex] = value);
        Assert.Equal(SnapshotError.InvalidState, e.Error);
        Assert.Null(e.InnerException);
    }

    private static void AssertAuditRefuses(Action<byte[]> tamper, string invariant)
    {
        var e = RefusedAfter(tamper);
        Assert.Equal(SnapshotError.InvalidState, e.Error);
        var inner = Assert.IsType<LedgerInvariantException>(e.InnerException);
        Assert.Contains(invariant, inner.Message, StringComparison.Ordinal);
    }

    private static void SetTimestamp(byte[] bytes, int slot, ulong value) =>
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(TransferOffset(slot) + 120), value);

    private static ulong Timestamp(byte[] bytes, int slot) => BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(TransferOffset(slot) + 120));

    [Fact]
    public void Transfers_out_of_timestamp_order_fail_the_audit()
    {
        AssertAuditRefuses(b => SetTimestamp(b, 1, Timestamp(b, 0)), "t.Timestamp > previous");
        AssertAuditRefuses(b => SetTimestamp(b, 6, BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(16)) + 1), "t.Timestamp <= _lastTimestamp");
    }

    [Fact]
    public void Impossible_transfer_states_fail_the_audit()
    {
        // A plain transfer, a post and a pending transfer each with a state only another kind can have.
        AssertAuditRefuses(b => b[StateOffset(0) + 8] = (byte)PendingStatus.Pending, "s.Status == PendingStatus.None");
        AssertAuditRefuses(b => b[StateOffset(2) + 8] = (byte)PendingStatus.Pending, "s.Status == PendingStatus.None");
        AssertAuditRefuses(b => b[StateOffset(1) + 8] = (byte)PendingStatus.Voided, "pendingState.Status ==");
        AssertAuditRefuses(b => BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(StateOffset(1)), Timestamp(b, 2) + 1), "pendingState.ResolvedTimestamp == t.Timestamp");
        AssertAuditRefuses(b => BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(StateOffset(4)), 5), "s.ResolvedTimestamp == 0");
        // Expired one nanosecond before its expiry.
        AssertAuditRefuses(b => BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(StateOffset(3)), (13 * L.Second) - 1), "s.ExpiresAt <= s.ResolvedTimestamp");
        // A timeout on a plain transfer.
        AssertAuditRefuses(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(TransferOffset(0) + 108), 5), "t.TimeoutSeconds == 0");
    }

    [Fact]
    public void A_timeout_that_ends_exactly_at_the_last_nanosecond_restores_and_one_more_second_is_refused()
    {
        var engine = L.Engine(accounts: 4, transfers: 4);
        engine.Create(L.Account(1), L.Account(2));
        const ulong At = ulong.MaxValue - L.Second;
        Assert.Equal(CreateTransferResult.Ok, engine.ApplyAt(At, L.Transfer(10, 1, 2, 5, flags: TransferFlags.Pending, timeoutSeconds: 1))[0]);
        var writer = new ArrayBufferWriter<byte>();
        engine.WriteSnapshot(writer);
        var bytes = writer.WrittenSpan.ToArray();
        Assert.Equal(1, LedgerEngine.ReadSnapshot(bytes).PendingWithTimeoutCount);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(Header + (2 * Account.SizeBytes) + 108), 2);
        Reseal(bytes);
        var e = Refused(bytes);
        Assert.Equal(SnapshotError.InvalidState, e.Error);
        Assert.Null(e.InnerException);
    }
}
