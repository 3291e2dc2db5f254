using BenchmarkDotNet.Attributes;
using BitCurrent.Matching;

namespace BitCurrent.Bench.Benchmarks;

/// <summary>
/// Sweep: a market buy that eats <see cref="Levels"/> price levels, one 1-lot order each (N trades, N level
/// removals, N deltas). <see cref="IterationSetup"/> builds <see cref="Batch"/> × <see cref="Levels"/> ask levels above
/// a bid-only book (not timed); the sweeps consume exactly those, so every iteration starts from the same book.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
public class SweepBenchmarks
{
    private const int Batch = 1_000;
    private Command[] _batch = null!;
    private CommandFactory _factory = null!;
    private MatchingEngine _engine = null!;
    private CountingSink _sink;

    /// <summary>Levels eaten by one market order.</summary>
    [Params(1, 10, 50)]
    public int Levels { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _factory = new CommandFactory();
        _engine = BookSetup.Create(ordersMax: (Batch * Levels) + 4_096, levelsPerBookMax: (Batch * Levels) + 1_024);
        BookSetup.Seed(_engine, _factory, withAsks: false);
        _batch = new Command[Batch];
        JitWarmup.Run(() =>
        {
            PrepareBatch();
            Sweep();
        });
    }

    [IterationSetup]
    public void PrepareBatch()
    {
        // Worst price first, so each new level is the new best: appended at the busy end of the ladder.
        var levels = Batch * Levels;
        for (var i = levels - 1; i >= 0; i--)
        {
            var maker = _factory.Limit(Side.Sell, BookSetup.BestAsk + i, 1, 1 + (i % BookSetup.MakerUsers));
            _engine.Apply(in maker, ref _sink);
        }
        for (var i = 0; i < Batch; i++) _batch[i] = _factory.Market(Side.Buy, Levels, BookSetup.TakerUser);
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "sweep N levels (market order)")]
    public long Sweep()
    {
        var engine = _engine;
        var batch = _batch;
        for (var i = 0; i < batch.Length; i++) engine.Apply(in batch[i], ref _sink);
        return _sink.Trades;
    }
}
