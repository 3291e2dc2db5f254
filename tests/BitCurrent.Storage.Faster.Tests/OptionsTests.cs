using BitCurrent.Ledger;

namespace BitCurrent.Storage.Faster.Tests;

public sealed class OptionsTests
{
    public static TheoryData<string> Invalid => new()
    {
        nameof(DurableLedgerOptions.DataDirectory),
        nameof(DurableLedgerOptions.JournalPageSizeBytes),
        nameof(DurableLedgerOptions.SegmentSizeBytes),
        nameof(DurableLedgerOptions.JournalMemoryPages),
        nameof(DurableLedgerOptions.CommitMaxDelay),
        nameof(DurableLedgerOptions.GroupBytesMax),
        nameof(DurableLedgerOptions.GroupsInFlightMax),
        nameof(DurableLedgerOptions.QueueCapacity),
        nameof(DurableLedgerOptions.SnapshotEveryBatches),
        nameof(DurableLedgerOptions.SnapshotsToKeep),
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Each_option_out_of_range_is_refused_by_name(string option)
    {
        var valid = new DurableLedgerOptions { DataDirectory = "/tmp/x" };
        valid.Validate();
        var invalid = option switch
        {
            nameof(DurableLedgerOptions.DataDirectory) => valid with { DataDirectory = " " },
            nameof(DurableLedgerOptions.JournalPageSizeBytes) => valid with { JournalPageSizeBytes = 1 << 19 },   // smaller than a batch of 8189
            nameof(DurableLedgerOptions.SegmentSizeBytes) => valid with { SegmentSizeBytes = (1L << 30) + 1 },
            nameof(DurableLedgerOptions.JournalMemoryPages) => valid with { JournalMemoryPages = 3 },
            nameof(DurableLedgerOptions.CommitMaxDelay) => valid with { CommitMaxDelay = TimeSpan.FromTicks(-1) },
            nameof(DurableLedgerOptions.GroupBytesMax) => valid with { GroupBytesMax = 0 },
            nameof(DurableLedgerOptions.GroupsInFlightMax) => valid with { GroupsInFlightMax = 0 },
            nameof(DurableLedgerOptions.QueueCapacity) => valid with { QueueCapacity = 0 },
            nameof(DurableLedgerOptions.SnapshotEveryBatches) => valid with { SnapshotEveryBatches = -1 },
            _ => valid with { SnapshotsToKeep = 0 },
        };
        var e = Assert.ThrowsAny<ArgumentException>(invalid.Validate);
        Assert.Equal(option, e.ParamName);
    }

    [Fact]
    public void The_default_page_holds_eight_of_the_largest_records()
    {
        var options = new DurableLedgerOptions { DataDirectory = "/tmp/x" };
        Assert.Equal(8L << 20, options.ResolvedJournalPageSizeBytes);   // 8 × (40 + 8189 × 128 + 4) bytes, rounded up
        var small = options with { Engine = new LedgerEngineOptions { BatchItemsMax = 10 } };
        Assert.Equal(1L << 20, small.ResolvedJournalPageSizeBytes);     // never below 1 MiB...
        Assert.Equal(1L << 18, (small with { SegmentSizeBytes = 1 << 18 }).ResolvedJournalPageSizeBytes);   // ...unless segments are smaller
        var tooSmall = options with { Engine = new LedgerEngineOptions { BatchItemsMax = 600 }, SegmentSizeBytes = 1 << 16 };
        Assert.Equal(1L << 17, tooSmall.ResolvedJournalPageSizeBytes);   // a page still holds a record of 76 844 bytes...
        Assert.Equal(nameof(DurableLedgerOptions.SegmentSizeBytes), Assert.Throws<ArgumentOutOfRangeException>(tooSmall.Validate).ParamName);   // ...so the segment is refused
        Assert.Equal(1L << 18, (options with { JournalPageSizeBytes = 1 << 18, Engine = small.Engine }).ResolvedJournalPageSizeBytes);
    }
}
