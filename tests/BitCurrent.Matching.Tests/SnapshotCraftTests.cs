using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace BitCurrent.Matching.Tests;

/// <summary>
/// Snapshots that are well sealed (a correct checksum) but whose content is wrong, each built by editing a real
/// snapshot through <see cref="SnapshotModel"/>: every check of the restore refuses its own fault with its own message,
/// and the value just inside each limit is accepted, so a check that is loosened or tightened by one is caught.
/// </summary>
public sealed class SnapshotCraftTests
{
    /// <summary>
    /// One book: bids 100 (users 1 and 2, client order id 7 on the second) and 99 (GTD), an iceberg ask at 105 and a
    /// plain ask at 106, a buy stop at 110 and a sell stop-limit at 90. Three users, seven open orders, six levels.
    /// </summary>
    private static byte[] BaseSnapshot()
    {
        var h = new Harness();
        h.Limit(1, Side.Buy, 100, 5);
        h.Limit(2, Side.Buy, 100, 3, clientOrderId: 7);
        h.Limit(1, Side.Buy, 99, 4, tif: TimeInForce.GoodTillDate, expireAt: 1_000_000);
        h.Limit(3, Side.Sell, 105, 6, display: 2);
        h.Limit(3, Side.Sell, 106, 1);
        h.Apply(Command.Stop(Harness.Symbol, 2, h.NextOrderId(), Side.Buy, 110, 1));
        h.Apply(Command.Stop(Harness.Symbol, 3, h.NextOrderId(), Side.Sell, 90, 1, limitPriceTicks: 89));
        Assert.Equal(7, h.Engine.OpenOrderCount);
        var bytes = new MemoryStream();
        h.Engine.WriteSnapshot(bytes);
        return bytes.ToArray();
    }

    private static MatchingEngine Read(SnapshotModel model, MatchingOptions? options = null) =>
        MatchingEngine.ReadSnapshot(new MemoryStream(model.ToSnapshot()), options);

    private static void Refused(SnapshotModel model, string expected, MatchingOptions? options = null)
    {
        var e = Assert.Throws<SnapshotFormatException>(() => Read(model, options));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    private static SnapshotModel Model() => SnapshotModel.Parse(BaseSnapshot());

    [Fact]
    public void The_model_reads_and_writes_a_real_snapshot_byte_for_byte()
    {
        var original = BaseSnapshot();
        var model = SnapshotModel.Parse(original);
        Assert.Equal(original, model.ToSnapshot());
        Assert.Equal([1L, 2, 3], model.Users);
        var book = Assert.Single(model.Books);
        Assert.Equal([2, 2, 1, 1], book.Ladders.Select(l => l.Count));
        Assert.Equal([100L, 99], book.Ladders[0].Select(l => l.Price));
        Assert.Equal([105L, 106], book.Ladders[1].Select(l => l.Price));
        var restored = Read(model);
        Assert.Equal(7, restored.OpenOrderCount);
    }

    [Fact]
    public void User_counts_and_ids_are_checked_at_their_limits()
    {
        var model = Model();
        model.Options[4] = 3;  // UsersMax exactly the users held
        Assert.Equal(7, Read(model).OpenOrderCount);
        model.Options[4] = 2;
        Refused(model, "3 users do not fit UsersMax = 2");

        model = Model();
        model.UserCountOverride = -1;
        Refused(model, "-1 users do not fit UsersMax = 256");

        foreach (var bad in new long[] { 0, -5 })
        {
            model = Model();
            model.Users.Add(bad);
            Refused(model, $"User id {bad} is invalid or repeated");
        }
        model = Model();
        model.Users.Add(2);
        Refused(model, "User id 2 is invalid or repeated");

        model = Model();
        model.Users.Add(1_000);  // a user without orders is fine
        Assert.Equal(7, Read(model).OpenOrderCount);
    }

    [Fact]
    public void Level_counts_priority_and_filing_are_checked()
    {
        var model = Model();
        model.Options[3] = 1;  // LevelsPerBookMax below the two bid levels
        Refused(model, "2 levels do not fit LevelsPerBookMax = 1");
        model.Options[3] = 2;
        Assert.Equal(7, Read(model).OpenOrderCount);

        model = Model();
        model.Books[0].Ladders[0][0].CountOverride = 0;
        model.Books[0].Ladders[0][0].Orders.Clear();
        Refused(model, "A level must hold at least one order");

        model = Model();
        model.Books[0].LevelCountOverride[1] = -1;
        Refused(model, "-1 levels do not fit");

        model = Model();
        model.Books[0].Ladders[0].Reverse();  // 99 before 100: worst first
        Refused(model, "Levels are not in priority order");
        model = Model();
        model.Books[0].Ladders[1].Reverse();  // asks 106 before 105
        Refused(model, "Levels are not in priority order");
        model = Model();
        var bids = model.Books[0].Ladders[0];
        bids[1].Price = 100;  // two levels at one price
        foreach (var o in bids[1].Orders) o.PriceTicks = 100;
        Refused(model, "Levels are not in priority order");

        model = Model();
        model.Books[0].Ladders[0][1].Orders[0].PriceTicks = 98;
        Refused(model, "is filed under the wrong price");
        model = Model();
        model.Books[0].Ladders[2][0].Orders[0].StopPriceTicks = 111;
        Refused(model, "is filed under the wrong price");
        model = Model();
        model.Books[0].Ladders[0][0].Orders[0].UserId = 42;
        Refused(model, "has an unknown user");
    }

    [Fact]
    public void Order_capacities_are_checked_at_their_limits()
    {
        var options = Harness.SmallOptions;
        Refused(Model(), "do not fit OrdersPerBookMax = 6", options with { OrdersPerBookMax = 6 });
        Assert.Equal(7, Read(Model(), options with { OrdersPerBookMax = 7 }).OpenOrderCount);
        Refused(Model(), "do not fit OrdersMax = 6", options with { OrdersMax = 6 });
        Assert.Equal(7, Read(Model(), options with { OrdersMax = 7 }).OpenOrderCount);
    }

    [Fact]
    public void Order_ids_and_client_order_ids_must_be_unique()
    {
        var model = Model();
        model.Books[0].Ladders[1][1].Orders[0].OrderId = model.Books[0].Ladders[0][0].Orders[0].OrderId;
        Refused(model, "Duplicate order id");

        model = Model();
        model.Books[0].Ladders[0][1].Orders[0].ClientOrderId = 7;  // user 1 (the GTD bid): another user has 7, which is fine
        var gtd = model.Books[0].Ladders[0][1].Orders[0].OrderId;
        var engine = Read(model);
        var events = new List<MatchingEvent>();
        var sink = new RecordingSink(events);
        engine.Apply(Command.CancelByClientOrderId(1, 7).At(1_000, 10_000), ref sink);
        Assert.Contains(events, e => e.Kind == EventKind.Cancelled && e.OrderId == gtd);

        model = Model();
        model.Books[0].Ladders[2][0].Orders[0].ClientOrderId = 7;  // user 2's buy stop: user 2 already has 7
        Refused(model, "Duplicate client order id");
    }

    [Fact]
    public void Trailing_bytes_bad_lengths_and_broken_invariants_are_refused()
    {
        var model = Model();
        model.Trailing = [0];
        Refused(model, "Trailing bytes after the last book");

        model = Model();
        model.Books[0].Ladders[0][0].Orders[0].FilledLots = 5;  // filled = quantity, yet resting
        Refused(model, "Snapshot content is invalid");
        model = Model();
        var ask = model.Books[0].Ladders[1][0];
        ask.Price = 100;  // an ask at the best bid: a crossed book
        foreach (var o in ask.Orders) o.PriceTicks = 100;
        Refused(model, "Snapshot content is invalid");

        var good = BaseSnapshot();
        foreach (var length in new long[] { -1, (long)int.MaxValue + 1 })
        {
            var bad = (byte[])good.Clone();
            BinaryPrimitives.WriteInt64LittleEndian(bad.AsSpan(8), length);
            var e = Assert.Throws<SnapshotFormatException>(() => MatchingEngine.ReadSnapshot(new MemoryStream(bad)));
            Assert.Contains($"payload length {length} is invalid", e.Message, StringComparison.Ordinal);
        }
        var longer = (byte[])good.Clone();
        BinaryPrimitives.WriteInt64LittleEndian(longer.AsSpan(8), good.Length - 48 + 1);
        Assert.Contains("payload is truncated", Assert.Throws<SnapshotFormatException>(() => MatchingEngine.ReadSnapshot(new MemoryStream(longer))).Message, StringComparison.Ordinal);
    }
}

/// <summary>A matching snapshot as plain data: parse, edit, write back with a fresh header and checksum (test only).</summary>
internal sealed class SnapshotModel
{
    public int[] Options { get; } = new int[6];

    public long[] Counters { get; } = new long[5];

    public List<long> Users { get; } = [];

    public int? UserCountOverride { get; set; }

    public List<BookModel> Books { get; } = [];

    public byte[] Trailing { get; set; } = [];

    public static SnapshotModel Parse(byte[] snapshot)
    {
        var r = new Reader(snapshot.AsSpan(48).ToArray());
        var m = new SnapshotModel();
        for (var i = 0; i < 6; i++) m.Options[i] = r.I32();
        for (var i = 0; i < 5; i++) m.Counters[i] = r.I64();
        var users = r.I32();
        for (var u = 0; u < users; u++) m.Users.Add(r.I64());
        var books = r.I32();
        for (var b = 0; b < books; b++)
        {
            var book = new BookModel { SymbolId = r.I32(), Symbol = r.Str(), BaseAsset = r.Str(), QuoteAsset = r.Str() };
            for (var i = 0; i < 9; i++) book.Numbers[i] = r.I64();
            for (var l = 0; l < 4; l++)
            {
                var levels = r.I32();
                for (var li = 0; li < levels; li++)
                {
                    var level = new LevelModel { Price = r.I64() };
                    var count = r.I32();
                    for (var k = 0; k < count; k++)
                    {
                        var o = new OrderModel
                        {
                            OrderId = r.I64(),
                            UserId = r.I64(),
                            ClientOrderId = r.I64(),
                            PriceTicks = r.I64(),
                            StopPriceTicks = r.I64(),
                            QuantityLots = r.I64(),
                            FilledLots = r.I64(),
                            VisibleLots = r.I64(),
                            DisplayLots = r.I64(),
                            ExpireAt = r.I64(),
                            AcceptSeq = r.I64(),
                        };
                        for (var i = 0; i < 6; i++) o.Flags[i] = r.U8();
                        level.Orders.Add(o);
                    }
                    book.Ladders[l].Add(level);
                }
            }
            m.Books.Add(book);
        }
        Assert.True(r.AtEnd, "the model did not read the whole payload");
        return m;
    }

    public byte[] ToSnapshot()
    {
        var w = new MemoryStream();
        void I32(int v) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteInt32LittleEndian(b, v); w.Write(b); }
        void I64(long v) { Span<byte> b = stackalloc byte[8]; BinaryPrimitives.WriteInt64LittleEndian(b, v); w.Write(b); }
        void Str(string v) { var b = Encoding.UTF8.GetBytes(v); I32(b.Length); w.Write(b); }
        foreach (var o in Options) I32(o);
        foreach (var c in Counters) I64(c);
        I32(UserCountOverride ?? Users.Count);
        foreach (var u in Users) I64(u);
        I32(Books.Count);
        foreach (var book in Books)
        {
            I32(book.SymbolId);
            Str(book.Symbol);
            Str(book.BaseAsset);
            Str(book.QuoteAsset);
            foreach (var n in book.Numbers) I64(n);
            for (var l = 0; l < 4; l++)
            {
                I32(book.LevelCountOverride[l] ?? book.Ladders[l].Count);
                foreach (var level in book.Ladders[l])
                {
                    I64(level.Price);
                    I32(level.CountOverride ?? level.Orders.Count);
                    foreach (var o in level.Orders)
                    {
                        foreach (var v in new[] { o.OrderId, o.UserId, o.ClientOrderId, o.PriceTicks, o.StopPriceTicks, o.QuantityLots, o.FilledLots, o.VisibleLots, o.DisplayLots, o.ExpireAt, o.AcceptSeq })
                            I64(v);
                        w.Write(o.Flags);
                    }
                }
            }
        }
        w.Write(Trailing);
        var payload = w.ToArray();
        var header = new byte[48];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0x534D4342);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), MatchingEngine.SnapshotVersion);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), payload.Length);
        SHA256.HashData(payload, header.AsSpan(16));
        return [.. header, .. payload];
    }

    private sealed class Reader(byte[] data)
    {
        private int _position;

        public bool AtEnd => _position == data.Length;

        private ReadOnlySpan<byte> Take(int n)
        {
            var span = data.AsSpan(_position, n);
            _position += n;
            return span;
        }

        public int I32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public byte U8() => Take(1)[0];

        public string Str() => Encoding.UTF8.GetString(Take(I32()));
    }
}

internal sealed class BookModel
{
    public int SymbolId { get; set; }

    public string Symbol { get; set; } = "";

    public string BaseAsset { get; set; } = "";

    public string QuoteAsset { get; set; } = "";

    /// <summary>Instrument numbers (7), last trade price, update id.</summary>
    public long[] Numbers { get; } = new long[9];

    /// <summary>Bids, asks, buy stops, sell stops; each best level first.</summary>
    public List<LevelModel>[] Ladders { get; } = [[], [], [], []];

    public int?[] LevelCountOverride { get; } = new int?[4];
}

internal sealed class LevelModel
{
    public long Price { get; set; }

    public int? CountOverride { get; set; }

    public List<OrderModel> Orders { get; } = [];
}

internal sealed class OrderModel
{
    public long OrderId { get; set; }

    public long UserId { get; set; }

    public long ClientOrderId { get; set; }

    public long PriceTicks { get; set; }

    public long StopPriceTicks { get; set; }

    public long QuantityLots { get; set; }

    public long FilledLots { get; set; }

    public long VisibleLots { get; set; }

    public long DisplayLots { get; set; }

    public long ExpireAt { get; set; }

    public long AcceptSeq { get; set; }

    /// <summary>Side, type, time in force, self-trade prevention, state, post-only.</summary>
    public byte[] Flags { get; } = new byte[6];
}
