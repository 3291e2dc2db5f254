using System.Buffers.Binary;
using BitCurrent.Ledger;
using BitCurrent.Storage.Faster.Internal;

namespace BitCurrent.Storage.Faster.Tests;

/// <summary>
/// Persisted values and layouts are added to, never changed: these tests pin every numbered reason, the record kind
/// byte, and the bytes of a journal record, a manifest and a snapshot header (docs/internals/ledger-durability.md).
/// </summary>
public sealed class GoldenTests
{
    [Fact]
    public void Error_and_issue_numbers_are_pinned()
    {
        Assert.Equal(
            [(0, "None"), (4401, "BatchEmpty"), (4402, "BatchTooLarge"), (4403, "Closed"), (4404, "Faulted"), (4405, "JournalCommitFailed"),
             (4406, "EngineInvariantFailed"), (4407, "DirectoryLocked"), (4408, "EngineOptionsMismatch"), (4409, "RecoveryFailed"), (4410, "SnapshotFailed"), (4411, "ClockOutOfRange")],
            Enum.GetValues<DurableLedgerError>().Select(e => ((int)e, e.ToString())));
        Assert.Equal(
            [(0, "None"), (4451, "SnapshotUnreadable"), (4452, "SnapshotHeaderCorrupt"), (4453, "SnapshotNameMismatch"), (4454, "SnapshotEngineCorrupt"),
             (4455, "SnapshotStateHashMismatch"), (4456, "SnapshotBeyondJournal"), (4457, "SnapshotBeforeJournalStart"), (4458, "SnapshotIncomplete"),
             (4461, "JournalChecksumMismatch"), (4462, "JournalRecordMalformed"), (4463, "JournalRecordOutOfSequence"), (4464, "JournalRecordsMissing"),
             (4465, "JournalUnreadable")],
            Enum.GetValues<RecoveryIssueKind>().Select(e => ((int)e, e.ToString())));
        Assert.Equal([(1, "CreateAccounts"), (2, "CreateTransfers"), (3, "ExpirePendingTransfers")],
            Enum.GetValues<BatchKind>().Select(e => ((int)e, e.ToString())));
    }

    [Fact]
    public void Crc32C_is_the_Castagnoli_checksum()
    {
        Assert.Equal(0xE306_9283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0u, Crc32C.Compute([]));
    }

    [Fact]
    public void A_journal_record_is_laid_out_byte_for_byte_as_documented()
    {
        var transfer = D.Transfer(0x1122, 3, 4, 500);
        var record = new byte[JournalRecord.Length(1)];
        var itemsCrc = JournalRecord.WriteItems([transfer], record);
        JournalRecord.WriteHeader(record, BatchKind.CreateTransfers, sequence: 7, timestamp: 0x0102_0304_0506_0708, count: 1, itemsCrc);

        Assert.Equal(168, record.Length);
        Assert.Equal(
            "42434C4A" + "0100" + "02" + "00" + "0700000000000000" + "0807060504030201" + "01000000" +
            BinaryPrimitives.ReverseEndianness(itemsCrc).ToString("X8", System.Globalization.CultureInfo.InvariantCulture) + "00000000" +
            BinaryPrimitives.ReverseEndianness(Crc32C.Compute(record.AsSpan(0, 36))).ToString("X8", System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToHexString(record, 0, 40));
        Assert.Equal(Crc32C.Compute(record.AsSpan(40)), itemsCrc);
        var item = new byte[128];
        transfer.Write(item);
        Assert.Equal(item, record.AsSpan(40).ToArray());
        Assert.Equal("637B401E", Convert.ToHexString(record, 28, 4));   // the items' checksum of this exact transfer

        Assert.Equal(RecoveryIssueKind.None, JournalRecord.TryRead(record, 128, out var header, out _));
        Assert.Equal(new JournalRecordHeader(BatchKind.CreateTransfers, 7, 0x0102_0304_0506_0708, 1), header);
    }

    public static TheoryData<int, byte, RecoveryIssueKind> RecordDamages => new()
    {
        { 0, 0x01, RecoveryIssueKind.JournalChecksumMismatch },     // magic, caught by the header checksum first
        { 36, 0x01, RecoveryIssueKind.JournalChecksumMismatch },    // the header checksum itself
        { 100, 0x80, RecoveryIssueKind.JournalChecksumMismatch },   // an item byte
    };

    [Theory]
    [MemberData(nameof(RecordDamages))]
    public void A_damaged_record_is_refused_with_its_reason(int offset, byte bit, RecoveryIssueKind expected)
    {
        var record = new byte[JournalRecord.Length(2)];
        var crc = JournalRecord.WriteItems([D.Transfer(1, 1, 2, 3), D.Transfer(2, 1, 2, 3)], record);
        JournalRecord.WriteHeader(record, BatchKind.CreateTransfers, 1, 1, 2, crc);
        record[offset] ^= bit;
        Assert.Equal(expected, JournalRecord.TryRead(record, 128, out _, out var detail));
        Assert.NotEmpty(detail);
    }

    [Fact]
    public void Records_whose_checksums_match_but_whose_fields_do_not_are_malformed()
    {
        static RecoveryIssueKind Read(BatchKind kind, int count, int length, int itemsMax = 128)
        {
            var record = new byte[length];
            JournalRecord.WriteHeader(record, kind, 1, 1, count, Crc32C.Compute(record.AsSpan(JournalRecord.HeaderSize)));
            return JournalRecord.TryRead(record, itemsMax, out _, out _);
        }
        Assert.Equal(RecoveryIssueKind.None, Read(BatchKind.ExpirePendingTransfers, 0, 40));
        Assert.Equal(RecoveryIssueKind.JournalRecordMalformed, Read(BatchKind.ExpirePendingTransfers, 1, 168));
        Assert.Equal(RecoveryIssueKind.JournalRecordMalformed, Read(BatchKind.CreateTransfers, 0, 40));
        Assert.Equal(RecoveryIssueKind.JournalRecordMalformed, Read(BatchKind.CreateTransfers, 2, 168));
        Assert.Equal(RecoveryIssueKind.JournalRecordMalformed, Read(BatchKind.CreateAccounts, 2, 296, itemsMax: 1));
        Assert.Equal(RecoveryIssueKind.JournalRecordMalformed, Read((BatchKind)9, 1, 168));
        Assert.Equal(RecoveryIssueKind.JournalRecordMalformed, JournalRecord.TryRead(new byte[39], 128, out _, out _));
    }

    [Fact]
    public void A_manifest_is_laid_out_byte_for_byte_as_documented()
    {
        var manifest = new Manifest(new LedgerEngineOptions { AccountsMax = 10, TransfersMax = 20, LedgersMax = 3, BatchItemsMax = 4 }, [(64, 1000)]);
        var bytes = manifest.Encode();
        Assert.Equal(
            "42434C4D414E4946" + "01000000" + "0A000000" + "14000000" + "03000000" + "04000000" + "01000000" +
            "4000000000000000" + "E803000000000000",
            Convert.ToHexString(bytes, 0, 48));
        Assert.Equal(Crc32C.Compute(bytes.AsSpan(0, 48)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(48)));
        var decoded = Manifest.Decode(bytes, out _)!;
        Assert.Equal(manifest.Engine, decoded.Engine);
        Assert.Equal(manifest.Discarded, decoded.Discarded);

        bytes[13] ^= 1;
        Assert.Null(Manifest.Decode(bytes, out var problem));
        Assert.Equal("checksum mismatch", problem);
    }

    [Fact]
    public void Discarded_ranges_merge_when_they_overlap_or_touch()
    {
        var manifest = new Manifest(D.Engine, []).WithDiscarded(100, 200).WithDiscarded(500, 600).WithDiscarded(200, 250).WithDiscarded(50, 60);
        Assert.Equal([(50L, 60L), (100L, 250L), (500L, 600L)], manifest.Discarded);
        Assert.Equal([(50L, 700L)], manifest.WithDiscarded(55, 700).Discarded);
    }

    [Fact]
    public void A_snapshot_header_is_laid_out_byte_for_byte_as_documented()
    {
        using var directory = new TempDirectory();
        var engine = new LedgerEngine(D.Engine);
        engine.CreateAccounts(D.Accounts(2), 1_000, new CreateAccountResult[2]);
        var store = new SnapshotStore(directory.Path);
        var pending = store.Begin(engine, address: 4096, sequence: 3);
        store.Complete(pending);
        var bytes = File.ReadAllBytes(pending.Info.Path);

        Assert.Equal(Path.Combine(directory.Path, "snapshot-0000000000000004096.bin"), pending.Info.Path);
        Assert.Equal(96 + engine.SnapshotLength, bytes.Length);
        Assert.Equal("42434C534E415046" + "01000000" + "60000000" + "0010000000000000" + "0300000000000000" + "E903000000000000",
            Convert.ToHexString(bytes, 0, 40));
        Assert.Equal(engine.SnapshotLength, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(40)));
        Assert.Equal(engine.ComputeStateHash(), Hash256.Read(bytes.AsSpan(48, 32)));
        Assert.Equal(new byte[12], bytes.AsSpan(80, 12).ToArray());
        Assert.Equal(Crc32C.Compute(bytes.AsSpan(0, 92)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(92)));
        Assert.Equal("BCLEDGER"u8.ToArray(), bytes.AsSpan(96, 8).ToArray());   // the engine's own snapshot follows

        Assert.Equal(RecoveryIssueKind.None, SnapshotStore.TryLoad(pending.Info.Path, 4096, D.Engine, out var restored, out var info, out _));
        Assert.Equal(engine.ComputeStateHash(), restored!.ComputeStateHash());
        Assert.Equal(pending.Info, info);
    }

    [Fact]
    public void Every_durable_ledger_error_and_recovery_issue_is_listed_with_its_number_in_the_reference_page()
    {
        string? page = null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null && page is null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "docs", "reference", "storage-errors.md");
            if (File.Exists(Path.Combine(dir.FullName, "BitCurrent.slnx")) && File.Exists(path)) page = File.ReadAllText(path);
        }
        Assert.NotNull(page);
        foreach (var error in Enum.GetValues<DurableLedgerError>().Where(e => e != DurableLedgerError.None))
            Assert.Contains($"| {(int)error} | `{error}` |", page, StringComparison.Ordinal);
        foreach (var issue in Enum.GetValues<RecoveryIssueKind>().Where(e => e != RecoveryIssueKind.None))
            Assert.Contains($"| {(int)issue} | `{issue}` |", page, StringComparison.Ordinal);
    }
}
