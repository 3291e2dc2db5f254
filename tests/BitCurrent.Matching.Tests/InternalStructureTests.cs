using BitCurrent.Matching.Internal;

namespace BitCurrent.Matching.Tests;

/// <summary>The engine's own collections against the BCL's, on random operations (inserts, lookups, deletes).</summary>
public class InternalStructureTests
{
    [Theory]
    [InlineData(1, 64, false)]
    [InlineData(2, 1000, false)]
    [InlineData(3, 1000, true)]
    public void LongIntMap_behaves_like_a_dictionary(int seed, int capacity, bool sparseKeys)
    {
        var random = new Random(seed);
        var map = new LongIntMap(capacity);
        var expected = new Dictionary<long, int>();
        var keys = new List<long>();
        for (var step = 0; step < 50_000; step++)
        {
            var roll = random.Next(10);
            if (roll < 5)
            {
                var key = sparseKeys ? random.NextInt64(1, long.MaxValue) : random.Next(1, capacity * 3);
                if (expected.ContainsKey(key)) continue;
                var added = map.TryAdd(key, step);
                Assert.Equal(expected.Count < capacity, added);
                if (added)
                {
                    expected[key] = step;
                    keys.Add(key);
                }
            }
            else if (roll < 8 && keys.Count > 0)
            {
                var i = random.Next(keys.Count);
                Assert.True(map.Remove(keys[i]));
                expected.Remove(keys[i]);
                keys[i] = keys[^1];
                keys.RemoveAt(keys.Count - 1);
            }
            else if (keys.Count > 0)
            {
                var key = keys[random.Next(keys.Count)];
                map.Set(key, -step);
                expected[key] = -step;
            }
            Assert.Equal(expected.Count, map.Count);
        }
        foreach (var (key, value) in expected) Assert.True(map.TryGet(key, out var v) && v == value);
        Assert.False(map.TryGet(long.MinValue + 7, out _));
        Assert.False(map.Remove(long.MinValue + 7));
    }

    [Fact]
    public void LongIntMap_spreads_sparse_keys_over_a_large_table()
    {
        // Home positions must use the whole table: with 2^22 slots, random keys land in every quarter.
        var map = new LongIntMap(1 << 21);
        var random = new Random(5);
        for (var i = 0; i < 1 << 20; i++) map.TryAdd(random.NextInt64(1, long.MaxValue), i);
        Assert.Equal(1 << 20, map.Count);
    }

    [Fact]
    public void PairIntMap_behaves_like_a_dictionary()
    {
        var random = new Random(9);
        var map = new PairIntMap(500);
        var expected = new Dictionary<(long, long), int>();
        var keys = new List<(long, long)>();
        for (var step = 0; step < 30_000; step++)
        {
            if (random.Next(2) == 0)
            {
                var key = ((long)random.Next(1, 20), (long)random.Next(0, 100));
                if (expected.ContainsKey(key)) continue;
                if (!map.TryAdd(key.Item1, key.Item2, step)) continue;
                expected[key] = step;
                keys.Add(key);
            }
            else if (keys.Count > 0)
            {
                var i = random.Next(keys.Count);
                Assert.True(map.Remove(keys[i].Item1, keys[i].Item2));
                expected.Remove(keys[i]);
                keys[i] = keys[^1];
                keys.RemoveAt(keys.Count - 1);
            }
            Assert.Equal(expected.Count, map.Count);
        }
        foreach (var ((a, b), value) in expected) Assert.True(map.TryGet(a, b, out var v) && v == value);
        Assert.False(map.TryGet(99, 99, out _));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ladder_keeps_prices_sorted_with_the_best_at_the_end(bool descending)
    {
        var random = new Random(descending ? 3 : 4);
        var ladder = new Ladder(200, descending);
        var expected = new SortedSet<long>();
        for (var step = 0; step < 20_000; step++)
        {
            var price = random.Next(1, 300);
            var i = ladder.Search(ladder.KeyOf(price));
            Assert.Equal(expected.Contains(price), i >= 0);
            if (i >= 0)
            {
                if (random.Next(2) == 0)
                {
                    ladder.RemoveAt(i);
                    expected.Remove(price);
                }
            }
            else if (!ladder.IsFull)
            {
                ladder.InsertAt(~i, price, (int)price);
                expected.Add(price);
            }
            Assert.Equal(expected.Count, ladder.Count);
        }
        var inPriority = descending ? expected.ToList() : expected.Reverse().ToList();
        for (var k = 0; k < ladder.Count; k++)
        {
            Assert.Equal(inPriority[k], ladder.PriceAt(ladder.Count - 1 - k));
            Assert.Equal((int)inPriority[k], ladder.LevelAt(ladder.Count - 1 - k));
            Assert.Equal((int)inPriority[k], ladder.FindLevel(inPriority[k]));
        }
    }

    [Fact]
    public void ExpiryHeap_pops_by_time_then_acceptance_and_removes_from_the_middle()
    {
        var random = new Random(11);
        var orders = new Order[300];
        var heap = new ExpiryHeap(orders.Length);
        var live = new HashSet<int>();
        for (var slot = 0; slot < orders.Length; slot++)
        {
            orders[slot] = new Order { ExpireAt = random.Next(1, 40), AcceptSeq = slot, HeapIndex = -1 };
            heap.Add(orders, slot);
            live.Add(slot);
        }
        foreach (var slot in live.Where(_ => random.Next(3) == 0).ToList())
        {
            heap.Remove(orders, slot);
            Assert.Equal(-1, orders[slot].HeapIndex);
            live.Remove(slot);
        }
        var popped = new List<int>();
        while (heap.Count > 0)
        {
            var slot = heap.MinSlot;
            Assert.Equal(orders[slot].ExpireAt, heap.MinExpireAt);
            heap.Remove(orders, slot);
            popped.Add(slot);
        }
        Assert.Equal(live.OrderBy(s => orders[s].ExpireAt).ThenBy(s => orders[s].AcceptSeq), popped);
    }

    [Fact]
    public void Invalid_options_and_instruments_are_refused_with_the_field_named()
    {
        Assert.Contains("OrdersMax", Assert.Throws<ArgumentException>(() => new MatchingEngine(new MatchingOptions { OrdersMax = 0 })).Message, StringComparison.Ordinal);
        var engine = new MatchingEngine(Harness.SmallOptions);
        Assert.Throws<ArgumentException>(() => engine.AddInstrument(Harness.DefaultInstrument() with { SymbolId = 0 }));
        Assert.Throws<ArgumentException>(() => engine.AddInstrument(Harness.DefaultInstrument() with { PriceTicksMin = 10, PriceTicksMax = 5 }));
        Assert.Throws<ArgumentException>(() => engine.AddInstrument(Harness.DefaultInstrument() with { QuantityLotsMin = 0 }));
        Assert.Throws<ArgumentException>(() => engine.AddInstrument(Harness.DefaultInstrument() with { QuoteMinorPerTickLot = 0 }));
        Assert.Throws<ArgumentException>(() => engine.AddInstrument(Harness.DefaultInstrument() with { NotionalMin = -1 }));
        engine.AddInstrument(Harness.DefaultInstrument());
        Assert.Throws<ArgumentException>(() => engine.AddInstrument(Harness.DefaultInstrument()));
        Assert.Throws<ArgumentException>(() => engine.GetDepth(42, Side.Buy, new PriceLevel[1]));
        Assert.False(engine.TryGetBestBid(42, out _));
    }
}
