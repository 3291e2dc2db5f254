using System.Diagnostics.Metrics;

namespace BitCurrent.Storage.Faster.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Committed_batches_commits_bytes_and_latency_are_reported_on_the_package_meter()
    {
        using var directory = new TempDirectory();
        var longs = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        await using var ledger = DurableLedger.Open(D.Options(directory.Path));
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DurableLedger.MeterName) l.EnableMeasurementEvents(instrument);
        };
        // Other tests run in parallel on the same static meter: count only this test's ledger by its byte volume.
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => longs.AddOrUpdate(instrument.Name, value, (_, v) => v + value));
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => latencies.Add(value));
        listener.Start();

        await ledger.CreateAccountsAsync(D.Accounts(), D.Ct);
        for (var b = 0; b < 5; b++) await ledger.CreateTransfersAsync(D.Funding(1 + ((ulong)b * 100), 10), D.Ct);

        Assert.True(longs.GetValueOrDefault("ledger_journal.batches.committed") >= 6);
        Assert.True(longs.GetValueOrDefault("ledger_journal.commits") >= 1);
        Assert.True(longs.GetValueOrDefault("ledger_journal.bytes.committed") >= (40 + (16 * 128)) + (5 * (40 + (10 * 128))));
        Assert.True(latencies.Count >= 6);
        Assert.All(latencies, l => Assert.InRange(l, 0, 60));
    }
}
