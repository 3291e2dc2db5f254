using BitCurrent.Ledger;

namespace BitCurrent.Storage.Faster.Tests;

public sealed class JournalTailTests
{
    /// <summary>Writes accounts and <paramref name="batches"/> batches; returns each batch's result and the state hash before each batch.</summary>
    private static async Task<(List<BatchResult<CreateTransferResult>> Results, List<Hash256> HashBefore, Hash256 Final, long Committed)> WriteAsync(
        DurableLedgerOptions options, int batches)
    {
        var results = new List<BatchResult<CreateTransferResult>>();
        var hashes = new List<Hash256>();
        await using var ledger = DurableLedger.Open(options);
        await ledger.CreateAccountsAsync(D.Accounts(), D.Ct);
        for (var b = 0; b < batches; b++)
        {
            hashes.Add(await ledger.ComputeStateHashAsync(D.Ct));
            results.Add(await ledger.CreateTransfersAsync(D.Funding(1 + ((ulong)b * 1_000), 10 + b), D.Ct));
        }
        var final = await ledger.ComputeStateHashAsync(D.Ct);
        return (results, hashes, final, ledger.CommittedAddressForTests);
    }

    public static TheoryData<string, RecoveryIssueKind> Damages => new()
    {
        { "items bit", RecoveryIssueKind.JournalChecksumMismatch },
        { "header bit", RecoveryIssueKind.JournalChecksumMismatch },
        { "torn: zeroed to the end", RecoveryIssueKind.JournalRecordsMissing },
        { "torn: file cut inside the record", RecoveryIssueKind.JournalChecksumMismatch },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task A_damaged_last_record_is_discarded_and_reported_with_its_address_and_size(string damage, RecoveryIssueKind issue)
    {
        using var directory = new TempDirectory();
        var options = D.Options(directory.Path);
        var (results, hashBefore, _, committed) = await WriteAsync(options, 12);
        var last = results[^1];
        var (segment, offset) = D.Locate(options, last.JournalAddress);
        var recordStart = offset + 4;   // after FASTER's 4-byte length
        switch (damage)
        {
            case "items bit":
                D.FlipBit(segment, recordStart + 40 + 300);
                break;
            case "header bit":
                D.FlipBit(segment, recordStart + 9);
                break;
            case "torn: zeroed to the end":
                using (var stream = new FileStream(segment, FileMode.Open, FileAccess.ReadWrite))
                {
                    stream.Position = offset;
                    stream.Write(new byte[stream.Length - offset]);
                }
                break;
            default:
                using (var stream = new FileStream(segment, FileMode.Open, FileAccess.ReadWrite)) stream.SetLength(recordStart + 700);
                break;
        }

        await using var reopened = DurableLedger.Open(options);
        var report = reopened.Recovery;
        Assert.False(report.IsClean);
        var tail = report.DiscardedTail;
        Assert.NotNull(tail);
        Assert.Equal(issue, tail.Issue);
        Assert.Equal(last.JournalAddress, tail.Address);
        Assert.Equal(committed - last.JournalAddress, tail.Bytes);
        Assert.Equal(last.Sequence - 1, tail.LastGoodSequence);
        Assert.Equal(last.Sequence - 1, report.LastSequence);
        Assert.Equal(hashBefore[^1], report.StateHash);   // everything before the damaged record is kept
        Assert.Contains("DISCARDED journal tail at " + last.JournalAddress, report.ToString(), StringComparison.Ordinal);
        Assert.NotNull(report.RepairSnapshot);
        Assert.Empty(await reopened.LookupTransfersAsync(new UInt128[] { D.Funding(1 + (11 * 1_000), 1)[0].Id }, D.Ct));
    }

    [Fact]
    public async Task A_damaged_record_in_the_middle_discards_everything_after_it_and_says_how_much()
    {
        using var directory = new TempDirectory();
        var options = D.Options(directory.Path);
        var (results, hashBefore, _, committed) = await WriteAsync(options, 12);
        var damaged = results[4];
        var (segment, offset) = D.Locate(options, damaged.JournalAddress);
        D.FlipBit(segment, offset + 4 + 40 + 5);

        await using var reopened = DurableLedger.Open(options);
        var tail = reopened.Recovery.DiscardedTail!;
        Assert.Equal(damaged.JournalAddress, tail.Address);
        Assert.Equal(committed - damaged.JournalAddress, tail.Bytes);
        Assert.Equal(5, reopened.Recovery.ReplayedBatches);   // the accounts and four batches
        Assert.Equal(hashBefore[4], reopened.Recovery.StateHash);
    }

    [Fact]
    public async Task After_a_discarded_tail_new_batches_follow_it_and_every_later_recovery_agrees()
    {
        using var directory = new TempDirectory();
        var options = D.Options(directory.Path);
        var (results, _, _, committed) = await WriteAsync(options, 6);
        var (segment, offset) = D.Locate(options, results[^1].JournalAddress);
        D.FlipBit(segment, offset + 4 + 40 + 1);

        Hash256 hash;
        await using (var repaired = DurableLedger.Open(options))
        {
            Assert.NotNull(repaired.Recovery.DiscardedTail);
            var next = await repaired.CreateTransfersAsync(D.Funding(900_000, 25), D.Ct);
            Assert.Equal(results[^1].Sequence, next.Sequence);   // the discarded batch's number is given again
            Assert.True(next.JournalAddress >= committed);       // after the discarded bytes
            await repaired.CreateTransfersAsync(D.Funding(910_000, 5), D.Ct);
            hash = await repaired.ComputeStateHashAsync(D.Ct);
        }

        // The next recovery starts from the repair snapshot: clean.
        await using (var clean = DurableLedger.Open(options))
        {
            Assert.True(clean.Recovery.IsClean, clean.Recovery.ToString());
            Assert.Equal(hash, clean.Recovery.StateHash);
            Assert.Equal(2, clean.Recovery.ReplayedBatches);
        }

        // Without the repair snapshot, a replay from the beginning jumps over the discarded range in the manifest.
        foreach (var file in D.SnapshotFiles(directory.Path)) File.Delete(file);
        await using var fromScratch = DurableLedger.Open(options);
        Assert.True(fromScratch.Recovery.IsClean, fromScratch.Recovery.ToString());
        var range = Assert.Single(fromScratch.Recovery.PreviouslyDiscardedRanges);
        Assert.Equal((results[^1].JournalAddress, committed), range);
        Assert.Equal(hash, fromScratch.Recovery.StateHash);
    }

    [Fact]
    public async Task A_discarded_record_that_starts_a_page_after_padding_is_jumped_over_exactly()
    {
        using var directory = new TempDirectory();
        var options = D.Options(directory.Path) with { Engine = D.Engine with { BatchItemsMax = 64 } };
        var page = options.ResolvedJournalPageSizeBytes;
        var results = new List<BatchResult<CreateTransferResult>>();
        long committed;
        await using (var ledger = DurableLedger.Open(options))
        {
            await ledger.CreateAccountsAsync(D.Accounts(), D.Ct);
            while (results.Count < 3 || results[^1].JournalAddress % page != 0)   // until a record had to start a new page
                results.Add(await ledger.CreateTransfersAsync(D.Funding(1 + ((ulong)results.Count * 100), 64), D.Ct));
            committed = ledger.CommittedAddressForTests;
        }
        var pageStarter = results[^1];
        var previousEnd = results[^2].JournalAddress + 4 + 40 + (64 * 128);
        Assert.True(previousEnd < pageStarter.JournalAddress, "padding lies between the two records");
        var (segment, offset) = D.Locate(options, pageStarter.JournalAddress);
        D.FlipBit(segment, offset + 4 + 40 + 7);

        Hash256 hash;
        await using (var repaired = DurableLedger.Open(options))
        {
            Assert.Equal(pageStarter.JournalAddress, repaired.Recovery.DiscardedTail!.Address);
            await repaired.CreateTransfersAsync(D.Funding(900_000, 3), D.Ct);
            hash = await repaired.ComputeStateHashAsync(D.Ct);
        }
        foreach (var file in D.SnapshotFiles(directory.Path)) File.Delete(file);
        await using var fromScratch = DurableLedger.Open(options);
        Assert.True(fromScratch.Recovery.IsClean, fromScratch.Recovery.ToString());
        Assert.Equal((previousEnd, committed), Assert.Single(fromScratch.Recovery.PreviouslyDiscardedRanges));
        Assert.Equal(hash, fromScratch.Recovery.StateHash);
    }
}
