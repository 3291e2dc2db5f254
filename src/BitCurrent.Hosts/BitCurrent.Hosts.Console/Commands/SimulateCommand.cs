using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using BitCurrent.Matching;
using BitCurrent.Matching.Workloads;
using CliCommand = System.CommandLine.Command;

namespace BitCurrent.Hosts.Console.Commands;

/// <summary>
/// <c>bitcurrent simulate</c>: runs a seeded <see cref="MarketWorkload"/> through a <see cref="MatchingEngine"/> and
/// prints event counts, the final books, throughput and the state hash. Same seed, orders and symbols give the same
/// output except the line marked as timing.
/// </summary>
internal static class SimulateCommand
{
    private const int SymbolsMax = 64;
    private const int BookLinesMax = 10;
    private const int ProgressEvery = 4_096;

    public static CliCommand Create()
    {
        var seed = new Option<ulong>("--seed")
        {
            Description = "Seed of the market workload; the same seed gives the same commands, events and state hash.",
            DefaultValueFactory = _ => 42,
        };
        var orders = IntegerOption("--orders", "Number of commands to generate and apply (places, cancels and amends).",
            1_000_000, 1, long.MaxValue);
        var symbols = IntegerOption("--symbols", $"Number of symbols traded (1 to {SymbolsMax}).", 4, 1, SymbolsMax);
        var snapshot = new Option<FileInfo?>("--snapshot")
        {
            Description = "Write the engine's snapshot to this file at the end.",
        };

        var command = new CliCommand("simulate", "Run a seeded market workload through the matching engine and print counts, books, throughput and the state hash.")
        {
            seed,
            orders,
            symbols,
            snapshot,
        };
        command.SetAction(parseResult => Run(
            parseResult.GetValue(seed),
            parseResult.GetValue(orders),
            (int)parseResult.GetValue(symbols),
            parseResult.GetValue(snapshot),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(ulong seed, long orders, int symbols, FileInfo? snapshot, TextWriter output, TextWriter error)
    {
        var workload = new MarketWorkload(seed, symbols);
        var engine = MarketWorkload.CreateEngine(symbols, orders);
        var instruments = engine.Instruments;
        var counts = EventCounts.Create();
        var progress = new Progress(orders, error);

        // Closed loop: each command is generated, applied, and its events are fed back to the workload.
        var start = Stopwatch.GetTimestamp();
        for (var done = 0L; done < orders;)
        {
            var n = Math.Min(ProgressEvery, orders - done);
            for (var i = 0L; i < n; i++) workload.Step(engine, ref counts);
            done += n;
            progress.Report(done);
        }
        var elapsed = Stopwatch.GetElapsedTime(start);
        progress.Finish();

        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"bitcurrent simulate: seed {seed}, orders {orders}, symbols {symbols}"));
        output.WriteLine(string.Create(c, $"commands          {orders}"));
        output.WriteLine(string.Create(c, $"events            {counts.Events}"));
        foreach (var kind in Enum.GetValues<EventKind>())
            output.WriteLine(string.Create(c, $"  {Name(kind),-15} {counts.Count(kind)}"));
        foreach (var reason in Enum.GetValues<RejectReason>())
        {
            var n = counts.Count(reason);
            if (reason != RejectReason.None && n > 0)
                output.WriteLine(string.Create(c, $"    rejected {(int)reason} {reason}: {n}"));
        }
        output.WriteLine(string.Create(c, $"trades            {counts.Count(EventKind.Trade)}, traded quantity {counts.TradedLots} lots, notional {counts.TradedNotional} quote minor units"));
        output.WriteLine(string.Create(c, $"open orders       {engine.OpenOrderCount}"));
        output.WriteLine("best bid / best ask (price ticks x quantity lots)");
        var withBoth = 0;
        for (var i = 0; i < instruments.Count; i++)
        {
            var instrument = instruments[i];
            var hasBid = engine.TryGetBestBid(instrument.SymbolId, out var bid);
            var hasAsk = engine.TryGetBestAsk(instrument.SymbolId, out var ask);
            if (hasBid && hasAsk) withBoth++;
            if (i >= BookLinesMax) continue;
            var bidText = hasBid ? string.Create(c, $"{bid.PriceTicks} x {bid.QuantityLots}") : "-";
            var askText = hasAsk ? string.Create(c, $"{ask.PriceTicks} x {ask.QuantityLots}") : "-";
            output.WriteLine(string.Create(c, $"  {instrument.Symbol,-10} {bidText,22} | {askText,-22} last {engine.GetLastTradePrice(instrument.SymbolId)}"));
        }
        if (instruments.Count > BookLinesMax)
            output.WriteLine(string.Create(c, $"  ... {instruments.Count - BookLinesMax} more symbols; {withBoth} of {instruments.Count} have both a bid and an ask"));
        var seconds = elapsed.TotalSeconds;
        output.WriteLine(string.Create(c,
            $"timing (differs between runs): {seconds:F3} s, {PerSecond(orders, seconds)} commands/s including workload generation"));
        output.WriteLine($"state hash        {engine.ComputeStateHash()}");

        if (snapshot is not null)
        {
            try
            {
                using var stream = snapshot.Create();
                engine.WriteSnapshot(stream);
                output.WriteLine(string.Create(c, $"snapshot          {snapshot.FullName} ({stream.Length} bytes)"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"error: cannot write the snapshot to {snapshot.FullName}: {e.Message}");
                return 2;
            }
        }
        return 0;
    }

    /// <summary>An integer option with a default, checked against [min, max] with a clear message (exit code 1).</summary>
    private static Option<long> IntegerOption(string name, string description, long defaultValue, long min, long max) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                result.AddError($"{name} must be an integer, was '{text}'.");
                return defaultValue;
            }
            if (value < min || value > max)
            {
                result.AddError(max == long.MaxValue
                    ? string.Create(CultureInfo.InvariantCulture, $"{name} must be at least {min}, was {value}.")
                    : string.Create(CultureInfo.InvariantCulture, $"{name} must be between {min} and {max}, was {value}."));
                return defaultValue;
            }
            return value;
        },
    };

    private static long PerSecond(long count, double seconds) => seconds > 0 ? (long)(count / seconds) : 0;

    private static string Name(EventKind kind) => kind switch
    {
        EventKind.Accepted => "accepted",
        EventKind.Rejected => "rejected",
        EventKind.Trade => "trade",
        EventKind.Cancelled => "cancelled",
        EventKind.Expired => "expired",
        EventKind.Triggered => "triggered",
        EventKind.Amended => "amended",
        EventKind.Decremented => "decremented",
        EventKind.BookDelta => "book delta",
        _ => kind.ToString(),
    };

    /// <summary>
    /// A progress bar on stderr when it is a terminal; otherwise a plain line at every 10 %, so logs stay readable.
    /// </summary>
    private sealed class Progress(long total, TextWriter error)
    {
        private const int BarWidth = 40;
        private readonly bool _interactive = !System.Console.IsErrorRedirected;
        private readonly long _start = Stopwatch.GetTimestamp();
        private int _shown = -1;

        public void Report(long done)
        {
            if (_interactive)
            {
                var permille = (int)(done * 1000 / total);
                if (permille == _shown) return;
                _shown = permille;
                var filled = permille * BarWidth / 1000;
                var rate = PerSecond(done, Stopwatch.GetElapsedTime(_start).TotalSeconds);
                error.Write(string.Create(CultureInfo.InvariantCulture,
                    $"\r[{new string('#', filled)}{new string('.', BarWidth - filled)}] {permille / 10,3}.{permille % 10}%  {done}/{total}  {rate} cmd/s "));
            }
            else
            {
                var tenth = (int)(done * 10 / total);
                if (tenth == _shown) return;
                _shown = tenth;
                if (tenth > 0)
                    error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"simulate: {tenth * 10}% ({done}/{total} commands)"));
            }
        }

        public void Finish()
        {
            if (_interactive) error.Write("\r" + new string(' ', BarWidth + 60) + "\r");
        }
    }
}
