using BenchmarkDotNet.Attributes;
using BitCurrent.Matching;

namespace BitCurrent.Bench.Benchmarks;

/// <summary>
/// Match one level: an IOC buy that fully fills against exactly one resting sell order at the best ask (one trade,
/// maker and taker both closed, one L2 delta). <see cref="IterationSetup"/> queues <see cref="Batch"/> makers at the
/// best ask (not timed); the takers consume the same number, so the book ends each iteration as it began.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
public class MatchBenchmarks
{
    private const int Batch = 10_000;
    private readonly Command[] _batch = new Command[Batch];
    private CommandFactory _factory = null!;
    private MatchingEngine _engine = null!;
    private CountingSink _sink;

    [GlobalSetup]
    public void Setup()
    {
        _factory = new CommandFactory();
        _engine = BookSetup.Create(ordersMax: 4 * Batch, levelsPerBookMax: 1_024);
        BookSetup.Seed(_engine, _factory);
        JitWarmup.Run(() =>
        {
            PrepareBatch();
            MatchOneLevel();
        });
    }

    [IterationSetup]
    public void PrepareBatch()
    {
        for (var i = 0; i < Batch; i++)
        {
            var maker = _factory.Limit(Side.Sell, BookSetup.BestAsk, BookSetup.Quantity, 1 + (i % BookSetup.MakerUsers));
            _engine.Apply(in maker, ref _sink);
        }
        for (var i = 0; i < Batch; i++)
            _batch[i] = _factory.Limit(Side.Buy, BookSetup.BestAsk, BookSetup.Quantity, BookSetup.TakerUser, TimeInForce.ImmediateOrCancel);
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "match one level (IOC fills one maker)")]
    public long MatchOneLevel()
    {
        var engine = _engine;
        var batch = _batch;
        for (var i = 0; i < batch.Length; i++) engine.Apply(in batch[i], ref _sink);
        return _sink.Trades;
    }
}
