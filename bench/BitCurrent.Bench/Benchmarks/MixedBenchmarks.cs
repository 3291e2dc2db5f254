using BenchmarkDotNet.Attributes;
using BitCurrent.Matching;
using BitCurrent.Matching.Workloads;

namespace BitCurrent.Bench.Benchmarks;

/// <summary>
/// Mixed flow: the seeded <see cref="MarketWorkload"/> (limits, takers, cancels, amends). A shadow engine runs the
/// workload closed loop and records the next <see cref="Batch"/> commands in <see cref="IterationSetup"/> (not timed);
/// the measured engine replays them, staying in lock step with the shadow. The workload bounds the book, so every
/// iteration runs against a book of the same size.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
public class MixedBenchmarks
{
    private const int Batch = 100_000;
    private readonly Command[] _batch = new Command[Batch];
    private MarketWorkload _workload = null!;
    private MatchingEngine _shadow = null!;
    private MatchingEngine _engine = null!;
    private CountingSink _shadowSink;
    private CountingSink _sink;

    /// <summary>Symbols traded.</summary>
    [Params(1, 4)]
    public int Symbols { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _workload = new MarketWorkload(42, Symbols);
        _shadow = MarketWorkload.CreateEngine(Symbols, long.MaxValue);
        _engine = MarketWorkload.CreateEngine(Symbols, long.MaxValue);
        JitWarmup.Run(() =>
        {
            PrepareBatch();
            Mixed();
        }, rounds: 2);
    }

    [IterationSetup]
    public void PrepareBatch() => _workload.Fill(_batch, _shadow, ref _shadowSink);

    [Benchmark(OperationsPerInvoke = Batch, Description = "mixed flow (MarketWorkload)")]
    public long Mixed()
    {
        var engine = _engine;
        var batch = _batch;
        for (var i = 0; i < batch.Length; i++) engine.Apply(in batch[i], ref _sink);
        return _sink.Events;
    }
}
