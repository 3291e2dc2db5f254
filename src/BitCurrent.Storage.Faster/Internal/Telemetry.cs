using System.Diagnostics.Metrics;

namespace BitCurrent.Storage.Faster.Internal;

/// <summary>
/// The package's metrics, on the BCL's <see cref="Meter"/> (hosts export them; this package references no telemetry
/// library). Names follow the repository's convention: dots here, <c>_total</c> and <c>_seconds</c> added by a
/// Prometheus exporter.
/// </summary>
internal static class Telemetry
{
    public const string MeterName = "BitCurrent.Storage.Faster";

    private static readonly Meter Meter = new(MeterName, typeof(Telemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Batches whose journal record is committed and whose caller was answered.</summary>
    public static readonly Counter<long> BatchesCommitted = Meter.CreateCounter<long>(
        "ledger_journal.batches.committed", unit: "{batch}", description: "Ledger batches committed to the journal and acknowledged.");

    /// <summary>Journal commits (one per group that wrote records).</summary>
    public static readonly Counter<long> Commits = Meter.CreateCounter<long>(
        "ledger_journal.commits", unit: "{commit}", description: "Journal commits (group commits).");

    /// <summary>Bytes of journal records committed.</summary>
    public static readonly Counter<long> BytesCommitted = Meter.CreateCounter<long>(
        "ledger_journal.bytes.committed", unit: "By", description: "Bytes of journal records committed.");

    /// <summary>Time from a batch's submission to its acknowledgement (queue, apply, commit).</summary>
    public static readonly Histogram<double> BatchLatency = Meter.CreateHistogram(
        "ledger_journal.batch.latency", unit: "s", description: "Time from submitting a ledger batch to its acknowledgement.",
        advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
        });
}
