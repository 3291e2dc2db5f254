using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using BitCurrent.Ledger;
using BitCurrent.Storage.Faster;
using BitCurrent.Storage.PostgreSql;
using HdrHistogram;
using Npgsql;

namespace BitCurrent.Bench;

/// <summary>
/// <c>ledger</c>: throughput of the ledger three ways, on the same workload of simple transfers between pre-created
/// accounts (sequential ids, every transfer succeeds), in batches of <c>--batch</c>:
/// <list type="number">
/// <item><b>core</b>: <see cref="LedgerEngine.CreateTransfers"/> on one thread, batches built in memory beforehand. One
/// warm-up run, then <see cref="CoreRuns"/> runs on fresh engines; the fastest is reported (on a shared machine the
/// fastest run is the one least disturbed). All runs must reach the same state hash.</item>
/// <item><b>faster</b>: <see cref="DurableLedger"/> end to end — submit, stamp, apply, journal, group commit, acknowledge —
/// with <c>--inflight</c> batches submitted concurrently. Each batch's latency from submit to acknowledgement goes into an
/// HdrHistogram. A warm-up run on a fifth of the workload comes first. Then the directory is reopened and the recovered
/// state hash must equal the one before the close (the replay throughput is printed).</item>
/// <item><b>postgres</b> (only when <c>BITCURRENT_POSTGRES</c> is set): the core run's transfers projected into a
/// throwaway database with <see cref="LedgerProjection.ProjectAsync"/> (binary COPY, ledger entries, checkpoint).</item>
/// </list>
/// The last line is always <c>ledger: core N transfers/s, faster M transfers/s[, postgres P transfers/s]</c>.
/// </summary>
internal static class LedgerHarness
{
    private const int CoreRuns = 3;
    private const long HistogramMaxMicroseconds = 600_000_000;   // 10 minutes: anything slower is clamped

    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var transfers = 2_000_000;
        var batchSize = LedgerEngineOptions.DefaultBatchItemsMax;
        var accounts = 10_000;
        var inFlight = 2;
        var delayMicroseconds = 1_000;
        string? directory = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--transfers" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out transfers) && transfers >= 1 && transfers <= 1 << 27:
                case "--batch" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out batchSize) && batchSize is >= 1 and <= 1 << 16:
                case "--accounts" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out accounts) && accounts is >= 2 and <= 1 << 20:
                case "--inflight" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out inFlight) && inFlight is >= 1 and <= 1024:
                case "--commit-delay-us" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out delayMicroseconds) && delayMicroseconds is >= 0 and <= 1_000_000:
                    i++;
                    break;
                case "--dir" when !string.IsNullOrWhiteSpace(value):
                    directory = value;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"ledger: bad argument '{args[i]}' {value}; usage: ledger [--transfers N] [--batch 1..65536] [--accounts A] [--inflight K] [--commit-delay-us D] [--dir PATH]");
                    return 2;
            }
        }
        directory ??= Path.Combine(Path.GetTempPath(), $"bitcurrent-bench-ledger-{Environment.ProcessId}");
        var postgres = Environment.GetEnvironmentVariable(PostgresStorage.ConnectionStringVariable);

        PrintConditions(transfers, batchSize, accounts, inFlight, delayMicroseconds, directory);
        var options = new LedgerEngineOptions { AccountsMax = accounts, TransfersMax = transfers, LedgersMax = 4, BatchItemsMax = batchSize };
        var accountBatches = BuildAccounts(accounts, batchSize);
        var batches = BuildTransfers(transfers, batchSize, accounts);

        // 1. Core.
        var (coreRate, coreEngine) = RunCore(options, accountBatches, batches, transfers);

        // 2. FASTER.
        var fasterRate = await RunFasterAsync(options, accountBatches, batches, transfers, inFlight, TimeSpan.FromMicroseconds(delayMicroseconds), directory).ConfigureAwait(false);
        if (fasterRate < 0) return 1;

        // 3. PostgreSQL.
        long? postgresRate = null;
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            postgresRate = await RunPostgresAsync(postgres, coreEngine, transfers).ConfigureAwait(false);
            if (postgresRate < 0) return 1;
        }
        else
        {
            Console.WriteLine($"postgres: skipped ({PostgresStorage.ConnectionStringVariable} is not set)");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ledger: core {coreRate} transfers/s, faster {fasterRate} transfers/s{(postgresRate is { } p ? $", postgres {p} transfers/s" : "")}"));
        return 0;
    }

    private static Account[][] BuildAccounts(int count, int batchSize)
    {
        var batches = new Account[(count + batchSize - 1) / batchSize][];
        for (var b = 0; b < batches.Length; b++)
        {
            var size = Math.Min(batchSize, count - (b * batchSize));
            batches[b] = new Account[size];
            for (var i = 0; i < size; i++)
                batches[b][i] = new Account { Id = (UInt128)((b * batchSize) + i + 1), Ledger = Asset.Btc.Ledger, Code = 1 };
        }
        return batches;
    }

    /// <summary>Transfer k (1-based id) moves 1 + k % 1000 units between two different accounts picked by a fixed stride.</summary>
    private static Transfer[][] BuildTransfers(int count, int batchSize, int accounts)
    {
        var batches = new Transfer[(count + batchSize - 1) / batchSize][];
        for (var b = 0; b < batches.Length; b++)
        {
            var size = Math.Min(batchSize, count - (b * batchSize));
            batches[b] = new Transfer[size];
            for (var i = 0; i < size; i++)
            {
                var k = ((long)b * batchSize) + i;
                var debit = (k * 7_919) % accounts;
                var credit = (debit + 1 + (k % (accounts - 1))) % accounts;
                batches[b][i] = new Transfer
                {
                    Id = (UInt128)(k + 1),
                    DebitAccountId = (UInt128)(debit + 1),
                    CreditAccountId = (UInt128)(credit + 1),
                    Amount = (UInt128)(1 + (k % 1_000)),
                    Ledger = Asset.Btc.Ledger,
                    Code = 1,
                };
            }
        }
        return batches;
    }

    private static (long Rate, LedgerEngine Engine) RunCore(LedgerEngineOptions options, Account[][] accountBatches, Transfer[][] batches, int transfers)
    {
        var results = new CreateTransferResult[options.BatchItemsMax];
        var accountResults = new CreateAccountResult[options.BatchItemsMax];
        string? hash = null;
        var best = long.MaxValue;
        LedgerEngine? last = null;
        var runs = new List<string>();
        for (var run = 0; run <= CoreRuns; run++)   // run 0 warms the JIT up
        {
            last = null;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            var engine = new LedgerEngine(options);
            foreach (var batch in accountBatches) engine.CreateAccounts(batch, engine.LastTimestamp + 1, accountResults);
            var created = 0L;
            var start = Stopwatch.GetTimestamp();
            foreach (var batch in batches) created += engine.CreateTransfers(batch, engine.LastTimestamp + 1, results);
            var ticks = Stopwatch.GetTimestamp() - start;
            if (created != transfers) throw new InvalidOperationException($"core: {created} of {transfers} transfers created");
            var runHash = engine.ComputeStateHash().ToString();
            if (hash is not null && runHash != hash) throw new InvalidOperationException("core: runs reached different state hashes");
            hash = runHash;
            if (run > 0)
            {
                best = Math.Min(best, ticks);
                runs.Add(string.Create(CultureInfo.InvariantCulture, $"{PerSecond(transfers, ticks)}"));
            }
            last = engine;
            if (run == 0) Thread.Sleep(500);   // let the background JIT finish its tier-1 compilations before timing
        }
        var rate = PerSecond(transfers, best);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"core: {transfers} transfers in {batches.Length} batches, runs {string.Join(" / ", runs)} transfers/s (after a warm-up run), best {rate}; state hash {hash}"));
        return (rate, last!);
    }

    private static async Task<long> RunFasterAsync(LedgerEngineOptions engineOptions, Account[][] accountBatches, Transfer[][] batches, int transfers,
        int inFlight, TimeSpan commitDelay, string directory)
    {
        var warmBatches = batches[..Math.Max(1, batches.Length / 5)];
        var warmDirectory = directory + "-warmup";
        DeleteDirectory(warmDirectory);
        await using (var warm = DurableLedger.Open(Options(warmDirectory, engineOptions, commitDelay)))
        {
            await SubmitAllAsync(warm, accountBatches, warmBatches, inFlight, new LongHistogram(HistogramMaxMicroseconds, 3)).ConfigureAwait(false);
        }
        DeleteDirectory(warmDirectory);

        DeleteDirectory(directory);
        var options = Options(directory, engineOptions, commitDelay);
        var histogram = new LongHistogram(HistogramMaxMicroseconds, 3);
        long ticks;
        Hash256 hash;
        DurableLedgerStatistics statistics;
        await using (var ledger = DurableLedger.Open(options))
        {
            ticks = await SubmitAllAsync(ledger, accountBatches, batches, inFlight, histogram).ConfigureAwait(false);
            statistics = ledger.Statistics;
            hash = await ledger.ComputeStateHashAsync().ConfigureAwait(false);
        }
        var rate = PerSecond(transfers, ticks);
        var groups = statistics.CommitGroups;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"faster: {transfers} transfers in {batches.Length} batches, {Seconds(ticks):F3} s; {groups} commits ({(double)statistics.BatchesCommitted / Math.Max(1, groups):F1} batches per commit), journal {statistics.JournalBytesCommitted / 1_048_576.0:F1} MiB ({statistics.JournalBytesCommitted / 1_048_576.0 / Seconds(ticks):F1} MiB/s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"faster commit latency (submit to acknowledgement, {inFlight} batches of {batches[0].Length} in flight, commit delay {commitDelay.TotalMilliseconds} ms): p50 {Ms(histogram, 50)} ms, p90 {Ms(histogram, 90)} ms, p99 {Ms(histogram, 99)} ms, p99.9 {Ms(histogram, 99.9)} ms, max {histogram.GetMaxValue() / 1000.0:F2} ms"));

        // Recovery: the journal replayed into a fresh engine must reach the same state.
        var recoveryStart = Stopwatch.GetTimestamp();
        await using (var reopened = DurableLedger.Open(options))
        {
            var recoveryTicks = Stopwatch.GetTimestamp() - recoveryStart;
            var report = reopened.Recovery;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"faster recovery: {report.ReplayedBatches} batches replayed in {Seconds(recoveryTicks):F3} s ({PerSecond(transfers, recoveryTicks)} transfers/s, open included), clean {report.IsClean}, state hash {(report.StateHash == hash ? "equal" : "DIFFERENT")}"));
            if (report.StateHash != hash || !report.IsClean)
            {
                Console.Error.WriteLine(report);
                return -1;
            }
        }
        DeleteDirectory(directory);
        return rate;
    }

    private static DurableLedgerOptions Options(string directory, LedgerEngineOptions engine, TimeSpan commitDelay) => new()
    {
        DataDirectory = directory,
        Engine = engine,
        SnapshotEveryBatches = 0,   // the journal alone: snapshots are measured by their own cost, not here
        CommitMaxDelay = commitDelay,
    };

    /// <summary>Creates the accounts, then submits every batch with <paramref name="inFlight"/> concurrent submitters; returns the ticks of the transfers.</summary>
    private static async Task<long> SubmitAllAsync(DurableLedger ledger, Account[][] accountBatches, Transfer[][] batches, int inFlight, LongHistogram histogram)
    {
        foreach (var batch in accountBatches)
        {
            var created = await ledger.CreateAccountsAsync(batch).ConfigureAwait(false);
            if (created.Created != batch.Length) throw new InvalidOperationException("faster: accounts were not created");
        }
        var next = -1;
        var histograms = new LongHistogram[inFlight];
        var workers = new Task[inFlight];
        var start = Stopwatch.GetTimestamp();
        for (var w = 0; w < inFlight; w++)
        {
            var own = histograms[w] = new LongHistogram(HistogramMaxMicroseconds, 3);
            workers[w] = Task.Run(async () =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < batches.Length)
                {
                    var submitted = Stopwatch.GetTimestamp();
                    var result = await ledger.CreateTransfersAsync(batches[index]).ConfigureAwait(false);
                    own.RecordValue(Math.Clamp((long)Stopwatch.GetElapsedTime(submitted).TotalMicroseconds, 1, HistogramMaxMicroseconds));
                    if (result.Created != batches[index].Length) throw new InvalidOperationException($"faster: batch {index} created {result.Created} of {batches[index].Length}");
                }
            });
        }
        await Task.WhenAll(workers).ConfigureAwait(false);
        var ticks = Stopwatch.GetTimestamp() - start;
        foreach (var own in histograms) histogram.Add(own);
        return ticks;
    }

    private static async Task<long> RunPostgresAsync(string connectionString, LedgerEngine engine, int transfers)
    {
        // A throwaway database, so that the run never meets (or leaves) rows of another run.
        var database = $"bitcurrent_bench_{Environment.ProcessId}";
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        try
        {
            await ExecuteAsync(admin.ConnectionString, $"CREATE DATABASE {database}").ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            Console.WriteLine($"postgres: skipped (cannot create a throwaway database: {e.Message})");
            return -1;
        }
        try
        {
            builder.Database = database;
            await using var storage = PostgresStorage.Open(builder.ConnectionString);
            await storage.CreateMigrator().UpAsync().ConfigureAwait(false);
            var projection = storage.CreateProjection(AssetRegistry.Examples());
            var accounts = new Account[engine.AccountCount];
            engine.QueryAccounts(new QueryFilter(), accounts);
            await projection.ProjectAccountsAsync(accounts).ConfigureAwait(false);
            var all = new Transfer[engine.TransferCount];
            var count = engine.QueryTransfers(new QueryFilter { Limit = all.Length }, all);
            var start = Stopwatch.GetTimestamp();
            var result = await projection.ProjectAsync(all.AsMemory(0, count)).ConfigureAwait(false);
            var ticks = Stopwatch.GetTimestamp() - start;
            if (result.TransfersInserted != transfers) throw new InvalidOperationException($"postgres: {result.TransfersInserted} of {transfers} transfers inserted");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"postgres: {transfers} transfers and {result.EntriesInserted} ledger entries projected in {Seconds(ticks):F3} s (binary COPY, {new LedgerProjectionOptions().TransfersPerTransactionMax} transfers per transaction) into {storage.Description}"));
            return PerSecond(transfers, ticks);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin.ConnectionString, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)").ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static void PrintConditions(int transfers, int batchSize, int accounts, int inFlight, int delayMicroseconds, string directory)
    {
        Console.WriteLine($"machine: {CpuModel()}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.OSArchitecture}; load average {LoadAverage()}");
        Console.WriteLine($"runtime: {RuntimeInformation.FrameworkDescription}, GC {(GCSettings.IsServerGC ? "server" : "workstation")} ({GCSettings.LatencyMode})");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"run: transfers {transfers}, batch {batchSize}, accounts {accounts}, in flight {inFlight}, commit delay {delayMicroseconds} us, data {directory}"));
    }

    private static string CpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal)) return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }
        catch (IOException)
        {
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]);
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static void DeleteDirectory(string directory)
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    private static string Ms(LongHistogram histogram, double percentile) =>
        (histogram.GetValueAtPercentile(percentile) / 1000.0).ToString("F2", CultureInfo.InvariantCulture);

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    private static long PerSecond(long count, long ticks) => ticks > 0 ? (long)(count / Seconds(ticks)) : 0;
}
