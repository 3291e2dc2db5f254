using BenchmarkDotNet.Attributes;
using BitCurrent.Matching;
using BitCurrent.Matching.Workloads;

namespace BitCurrent.Bench.Benchmarks;

/// <summary>
/// Cancel: removes a resting order from the middle of its queue. <see cref="IterationSetup"/> places
/// <see cref="Batch"/> orders over the 100 bid levels (not timed); the benchmark cancels them all in a shuffled
/// order, which returns the book to where it started.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
public class CancelBenchmarks
{
    private const int Batch = 10_000;
    private readonly Command[] _batch = new Command[Batch];
    private readonly int[] _order = new int[Batch];
    private CommandFactory _factory = null!;
    private MatchingEngine _engine = null!;
    private CountingSink _sink;

    [GlobalSetup]
    public void Setup()
    {
        _factory = new CommandFactory();
        _engine = BookSetup.Create(ordersMax: 4 * Batch, levelsPerBookMax: 1_024);
        BookSetup.Seed(_engine, _factory);
        // A fixed shuffle (Fisher-Yates), so cancels hit heads, middles and tails of the queues.
        var random = new SeededRandom(7);
        for (var i = 0; i < Batch; i++) _order[i] = i;
        for (var i = Batch - 1; i > 0; i--)
        {
            var j = random.NextInt32(i + 1);
            (_order[i], _order[j]) = (_order[j], _order[i]);
        }
        JitWarmup.Run(() =>
        {
            PlaceBatch();
            Cancel();
        });
    }

    [IterationSetup]
    public void PlaceBatch()
    {
        var placed = new long[Batch];
        for (var i = 0; i < Batch; i++)
        {
            var user = 1 + (i % BookSetup.MakerUsers);
            var place = _factory.Limit(Side.Buy, BookSetup.BestBid - (i % BookSetup.Levels), 1 + (i % 7), user);
            _engine.Apply(in place, ref _sink);
            placed[i] = place.OrderId;
        }
        for (var i = 0; i < Batch; i++)
        {
            var k = _order[i];
            _batch[i] = _factory.Cancel(1 + (k % BookSetup.MakerUsers), placed[k]);
        }
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "cancel (resting order, shuffled)")]
    public long Cancel()
    {
        var engine = _engine;
        var batch = _batch;
        for (var i = 0; i < batch.Length; i++) engine.Apply(in batch[i], ref _sink);
        return _sink.Events;
    }
}
