using BenchmarkDotNet.Attributes;
using BitCurrent.Matching;

namespace BitCurrent.Bench.Benchmarks;

/// <summary>
/// Add: a limit order that rests at an existing level of a 2 000-order book (no trade). Each iteration places a batch
/// of <see cref="Batch"/> orders (timed), then cancels them in <see cref="IterationCleanup"/> (not timed), so the
/// book never grows from one iteration to the next.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
public class AddBenchmarks
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
            Add();
            RemoveBatch();
        });
    }

    [IterationSetup]
    public void PrepareBatch()
    {
        // Spread over the 100 bid levels, behind the orders already there.
        for (var i = 0; i < Batch; i++)
            _batch[i] = _factory.Limit(Side.Buy, BookSetup.BestBid - (i % BookSetup.Levels), 1 + (i % 7), 1 + (i % BookSetup.MakerUsers));
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "add (rests at an existing level)")]
    public long Add()
    {
        var engine = _engine;
        var batch = _batch;
        for (var i = 0; i < batch.Length; i++) engine.Apply(in batch[i], ref _sink);
        return _sink.Events;
    }

    [IterationCleanup]
    public void RemoveBatch()
    {
        for (var i = 0; i < Batch; i++)
        {
            var cancel = _factory.Cancel(_batch[i].UserId, _batch[i].OrderId);
            _engine.Apply(in cancel, ref _sink);
        }
    }
}
