using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BitCurrent.Ledger;

namespace BitCurrent.Storage.Faster.Tests;

/// <summary>
/// Kills a real process (SIGKILL) in the middle of its batches and recovers its directory. After each kill, every
/// batch the child submitted is in exactly one of three states, and the test proves it:
/// <list type="bullet">
/// <item>acknowledged and present: every transfer there, with the body sent and the timestamp acknowledged;</item>
/// <item>absent: not one of its transfers there;</item>
/// <item>present but unacknowledged: committed, then the process died before it printed the acknowledgement — at most
/// one per submitter (each waits for its batch before the next), present whole, and present from then on.</item>
/// </list>
/// Never acknowledged and absent, never part of a batch, never a transfer nobody submitted; the recovered sequence
/// numbers count exactly the present batches, in the order of their timestamps.
/// </summary>
public sealed class CrashTests
{
    private const int Submitters = 4;

    private static string ChildPath =>
        typeof(CrashTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CrashChildPath").Value!;

    private sealed record Ack(ulong Sequence, ulong Timestamp, int Size);

    [Theory]
    [InlineData(11)]
    [InlineData(23)]
    [InlineData(37)]
    [InlineData(41)]
    [InlineData(59)]
    public async Task A_killed_process_loses_no_acknowledged_transfer_and_applies_no_batch_in_part(int seed)
    {
        using var directory = new TempDirectory();
        var random = new Random(seed);
        var submitted = new HashSet<long>();
        var acknowledged = new Dictionary<long, Ack>();
        var present = new HashSet<long>();
        for (var round = 0; round < 2; round++)
        {
            var killAfterAcks = random.Next(1, 120);
            var pauseMs = random.Next(0, 20);
            var lines = await RunAndKillAsync(directory.Path, round * 1_000_000L, killAfterAcks, pauseMs);
            foreach (var line in lines)
            {
                var parts = line.Split(' ');
                switch (parts[0])
                {
                    case "submit":
                        Assert.True(submitted.Add(long.Parse(parts[1], CultureInfo.InvariantCulture)));
                        break;
                    case "ack":
                        var batch = long.Parse(parts[1], CultureInfo.InvariantCulture);
                        Assert.Contains(batch, submitted);
                        acknowledged.Add(batch, new Ack(ulong.Parse(parts[2], CultureInfo.InvariantCulture),
                            ulong.Parse(parts[3], CultureInfo.InvariantCulture), int.Parse(parts[4], CultureInfo.InvariantCulture)));
                        break;
                    default:
                        Assert.StartsWith("open ", line, StringComparison.Ordinal);
                        break;
                }
            }
            Assert.True(acknowledged.Count >= killAfterAcks, $"round {round}: {acknowledged.Count} acknowledgements");
            await VerifyAsync(directory.Path, submitted, acknowledged, present, $"seed {seed}, round {round}, kill after {killAfterAcks} acks + {pauseMs} ms");
        }
    }

    private static async Task<List<string>> RunAndKillAsync(string directory, long firstBatch, int killAfterAcks, int pauseMs)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ChildPath);
        start.ArgumentList.Add(directory);
        start.ArgumentList.Add(firstBatch.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(Submitters.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        var lines = new List<string>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(D.Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            var acks = 0;
            while (acks < killAfterAcks)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null)
                {
                    lock (errors) Assert.Fail($"the child exited by itself after {acks} acknowledgements: {errors}");
                }
                lines.Add(line!);
                if (line!.StartsWith("ack ", StringComparison.Ordinal)) acks++;
            }
            if (pauseMs > 0) await Task.Delay(pauseMs, timeout.Token);
        }
        finally
        {
            process.Kill(entireProcessTree: true);   // SIGKILL: no finally blocks, no flush, no close in the child
            await process.WaitForExitAsync(CancellationToken.None);
        }
        // Everything the child printed before it died was acknowledged to its submitters.
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } rest) lines.Add(rest);
        Assert.Equal(137, process.ExitCode);   // 128 + SIGKILL
        return lines;
    }

    private static async Task VerifyAsync(string directory, HashSet<long> submitted, Dictionary<long, Ack> acknowledged,
        HashSet<long> present, string context)
    {
        await using var ledger = DurableLedger.Open(CrashWorkload.Options(directory));
        var report = ledger.Recovery;
        Assert.True(report.DiscardedTail is null, $"{context}: {report}");   // a killed process never tears committed data
        Assert.All(report.SkippedSnapshots, s => Assert.Equal(RecoveryIssueKind.SnapshotIncomplete, s.Issue));

        var firstTimestamps = new List<(ulong Timestamp, long Batch)>();
        var transfersPresent = 0;
        var unacknowledgedPresent = 0;
        foreach (var batch in submitted)
        {
            var size = CrashWorkload.Size(batch);
            var ids = new UInt128[size];
            for (var i = 0; i < size; i++) ids[i] = CrashWorkload.TransferId(batch, i);
            var found = await ledger.LookupTransfersAsync(ids, D.Ct);
            if (acknowledged.TryGetValue(batch, out var ack))
            {
                Assert.True(found.Length == size, $"{context}: acknowledged batch {batch} has {found.Length} of {size} transfers");
                for (var i = 0; i < size; i++)
                    Assert.Equal(CrashWorkload.Expected(batch, i) with { Timestamp = ack.Timestamp + (ulong)i }, found[i]);
            }
            else
            {
                Assert.True(found.Length == 0 || found.Length == size, $"{context}: batch {batch} has {found.Length} of {size} transfers");
                if (found.Length == 0)
                {
                    Assert.DoesNotContain(batch, present);   // once recovered, always recovered
                    continue;
                }
                unacknowledgedPresent++;
                for (var i = 0; i < size; i++)
                    Assert.Equal(CrashWorkload.Expected(batch, i) with { Timestamp = found[0].Timestamp + (ulong)i }, found[i]);
            }
            present.Add(batch);
            transfersPresent += size;
            firstTimestamps.Add((found[0].Timestamp, batch));
        }
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{context}: {submitted.Count} submitted, {acknowledged.Count} acknowledged, {unacknowledgedPresent} present unacknowledged, " +
            $"{submitted.Count - present.Count} absent; recovery from {(report.Snapshot is null ? "the journal's beginning" : "a snapshot")}, " +
            $"{report.ReplayedBatches} batches replayed, {report.SkippedSnapshots.Count} unfinished snapshots deleted");
        Assert.True(unacknowledgedPresent <= 2 * Submitters, $"{context}: {unacknowledgedPresent} unacknowledged batches present");

        // Nothing else exists, the ledger audits clean, and the journal's sequence numbers count exactly these batches.
        var (transferCount, accountCount) = await ledger.ReadAsync(engine =>
        {
            engine.Audit();
            return (engine.TransferCount, engine.AccountCount);
        }, D.Ct);
        Assert.Equal(transfersPresent, transferCount);
        Assert.Equal(CrashWorkload.AccountCount, accountCount);
        Assert.Equal((ulong)(1 + firstTimestamps.Count), report.LastSequence);
        firstTimestamps.Sort();
        for (var k = 0; k < firstTimestamps.Count; k++)
        {
            if (acknowledged.TryGetValue(firstTimestamps[k].Batch, out var ack))
                Assert.Equal((ulong)(k + 2), ack.Sequence);   // sequence 1 created the accounts
        }
    }
}
