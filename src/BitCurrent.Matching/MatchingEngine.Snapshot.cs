using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using BitCurrent.Matching.Internal;

namespace BitCurrent.Matching;

public sealed partial class MatchingEngine
{
    /// <summary>"BCMS": BitCurrent matching snapshot.</summary>
    internal const uint SnapshotMagic = 0x534D4342;

    /// <summary>The snapshot format version this build writes and reads.</summary>
    public const ushort SnapshotVersion = 1;

    /// <summary>Header: magic (4), version (2), reserved (2), payload length (8), SHA-256 of the payload (32).</summary>
    internal const int SnapshotHeaderSize = 48;

    /// <summary>
    /// Writes the whole state (options, counters, users, instruments, every open order in queue order) to
    /// <paramref name="destination"/>. The payload is canonical: two engines in the same logical state write the
    /// same bytes, whatever their internal slot layout. Not a hot-path call: it allocates a buffer.
    /// </summary>
    public void WriteSnapshot(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var payload = WritePayload();
        Span<byte> header = stackalloc byte[SnapshotHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, SnapshotMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], SnapshotVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], payload.WrittenCount);
        SHA256.HashData(payload.WrittenSpan, header[16..]);
        destination.Write(header);
        destination.Write(payload.WrittenSpan);
    }

    /// <summary>
    /// SHA-256 over the canonical snapshot payload, as lowercase hex: equal for equal states, so two replicas,
    /// or a run and its replay from a snapshot, can be compared byte for byte.
    /// </summary>
    public string ComputeStateHash()
    {
        var payload = WritePayload();
        return Convert.ToHexStringLower(SHA256.HashData(payload.WrittenSpan));
    }

    /// <summary>
    /// Restores an engine from a snapshot written by <see cref="WriteSnapshot"/>. The engine is built with the
    /// snapshot's own options unless <paramref name="options"/> is given (its capacities must hold the state).
    /// </summary>
    /// <exception cref="SnapshotFormatException">The snapshot is truncated, corrupt, of another version, or does not fit.</exception>
    public static MatchingEngine ReadSnapshot(Stream source, MatchingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        Span<byte> header = stackalloc byte[SnapshotHeaderSize];
        ReadExactly(source, header, "header");
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != SnapshotMagic)
            throw new SnapshotFormatException("Not a BitCurrent matching snapshot (bad magic).");
        var version = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        if (version != SnapshotVersion)
            throw new SnapshotFormatException($"Snapshot version {version} is not supported (this build reads {SnapshotVersion}).");
        var length = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        if (length is < 0 or > int.MaxValue) throw new SnapshotFormatException($"Snapshot payload length {length} is invalid.");
        var payload = new byte[length];
        ReadExactly(source, payload, "payload");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(payload, hash);
        if (!hash.SequenceEqual(header[16..]))
            throw new SnapshotFormatException("Snapshot checksum mismatch: the file is corrupt.");
        try
        {
            return ReadPayload(payload, options);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException or InvariantViolationException)
        {
            throw new SnapshotFormatException($"Snapshot content is invalid: {e.Message}", e);
        }
    }

    private static void ReadExactly(Stream source, Span<byte> buffer, string part)
    {
        var read = source.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length) throw new SnapshotFormatException($"Snapshot {part} is truncated ({read} of {buffer.Length} bytes).");
    }

    private ArrayBufferWriter<byte> WritePayload()
    {
        var w = new PayloadWriter(new ArrayBufferWriter<byte>(4096 + (OpenOrderCount * 96)));
        w.I32(_options.SymbolsMax);
        w.I32(_options.OrdersMax);
        w.I32(_options.OrdersPerBookMax);
        w.I32(_options.LevelsPerBookMax);
        w.I32(_options.UsersMax);
        w.I32(_options.MatchesPerOrderMax);
        w.I64(_lastTimestamp);
        w.I64(_lastSequence);
        w.I64(_lastOrderId);
        w.I64(_acceptSeq);
        w.I64(_tradeId);
        w.I32(_userCount);
        for (var u = 0; u < _userCount; u++) w.I64(_users[u].UserId);
        w.I32(_bookList.Count);
        foreach (var book in _bookList)
        {
            var i = book.Instrument;
            w.I32(i.SymbolId);
            w.Str(i.Symbol);
            w.Str(i.BaseAsset);
            w.Str(i.QuoteAsset);
            w.I64(i.BaseMinorPerLot);
            w.I64(i.QuoteMinorPerTickLot);
            w.I64(i.PriceTicksMin);
            w.I64(i.PriceTicksMax);
            w.I64(i.QuantityLotsMin);
            w.I64(i.QuantityLotsMax);
            w.I64(i.NotionalMin);
            w.I64(book.LastTradePrice);
            w.I64(book.UpdateId);
            WriteLadder(ref w, book.Bids);
            WriteLadder(ref w, book.Asks);
            WriteLadder(ref w, book.BuyStops);
            WriteLadder(ref w, book.SellStops);
        }
        return w.Buffer;
    }

    private void WriteLadder(ref PayloadWriter w, Ladder ladder)
    {
        w.I32(ladder.Count);
        for (var li = ladder.Count - 1; li >= 0; li--)
        {
            ref var level = ref _levels[ladder.LevelAt(li)];
            w.I64(level.PriceTicks);
            w.I32(level.Count);
            for (var s = level.Head; s >= 0; s = _orders[s].Next)
            {
                ref var o = ref _orders[s];
                w.I64(o.OrderId);
                w.I64(o.UserId);
                w.I64(o.ClientOrderId);
                w.I64(o.PriceTicks);
                w.I64(o.StopPriceTicks);
                w.I64(o.QuantityLots);
                w.I64(o.FilledLots);
                w.I64(o.VisibleLots);
                w.I64(o.DisplayLots);
                w.I64(o.ExpireAt);
                w.I64(o.AcceptSeq);
                w.U8((byte)o.Side);
                w.U8((byte)o.Type);
                w.U8((byte)o.TimeInForce);
                w.U8((byte)o.SelfTradePrevention);
                w.U8((byte)o.State);
                w.U8(o.PostOnly ? (byte)1 : (byte)0);
            }
        }
    }

    private static MatchingEngine ReadPayload(byte[] payload, MatchingOptions? options)
    {
        var r = new PayloadReader(payload);
        var saved = new MatchingOptions
        {
            SymbolsMax = r.I32(),
            OrdersMax = r.I32(),
            OrdersPerBookMax = r.I32(),
            LevelsPerBookMax = r.I32(),
            UsersMax = r.I32(),
            MatchesPerOrderMax = r.I32(),
        };
        var engine = new MatchingEngine(options ?? saved);
        engine._lastTimestamp = r.I64();
        engine._lastSequence = r.I64();
        engine._lastOrderId = r.I64();
        engine._acceptSeq = r.I64();
        engine._tradeId = r.I64();
        var userCount = r.I32();
        if (userCount < 0 || userCount > engine._options.UsersMax)
            throw new ArgumentException($"{userCount} users do not fit UsersMax = {engine._options.UsersMax}.");
        for (var u = 0; u < userCount; u++)
        {
            var userId = r.I64();
            if (userId <= 0 || engine._userIndex.TryGet(userId, out _)) throw new ArgumentException($"User id {userId} is invalid or repeated.");
            engine.AddUser(userId);
        }
        var registerOrder = new List<(long AcceptSeq, int Slot)>();
        var bookCount = r.I32();
        for (var b = 0; b < bookCount; b++)
        {
            engine.AddInstrument(new Instrument
            {
                SymbolId = r.I32(),
                Symbol = r.Str(),
                BaseAsset = r.Str(),
                QuoteAsset = r.Str(),
                BaseMinorPerLot = r.I64(),
                QuoteMinorPerTickLot = r.I64(),
                PriceTicksMin = r.I64(),
                PriceTicksMax = r.I64(),
                QuantityLotsMin = r.I64(),
                QuantityLotsMax = r.I64(),
                NotionalMin = r.I64(),
            });
            var book = engine._bookList[b];
            book.LastTradePrice = r.I64();
            book.UpdateId = r.I64();
            engine.ReadLadder(ref r, book, book.Bids, registerOrder);
            engine.ReadLadder(ref r, book, book.Asks, registerOrder);
            engine.ReadLadder(ref r, book, book.BuyStops, registerOrder);
            engine.ReadLadder(ref r, book, book.SellStops, registerOrder);
        }
        if (!r.AtEnd) throw new ArgumentException("Trailing bytes after the last book.");
        // User lists are in acceptance order, which is registration order (see Register).
        registerOrder.Sort(static (a, b) => a.AcceptSeq.CompareTo(b.AcceptSeq));
        foreach (var (_, slot) in registerOrder)
        {
            if (engine._books[engine._orders[slot].Book]!.OrderCount >= engine._options.OrdersPerBookMax)
                throw new ArgumentException($"The snapshot's orders do not fit OrdersPerBookMax = {engine._options.OrdersPerBookMax}.");
            if (engine._orders[slot].ClientOrderId != 0 &&
                engine._clientOrderIndex.TryGet(engine._orders[slot].UserId, engine._orders[slot].ClientOrderId, out _))
                throw new ArgumentException($"Duplicate client order id in order {engine._orders[slot].OrderId}.");
            if (engine._orderIndex.TryGet(engine._orders[slot].OrderId, out _))
                throw new ArgumentException($"Duplicate order id {engine._orders[slot].OrderId}.");
            engine.Register(slot);
        }
        engine.CheckInvariants();
        return engine;
    }

    private void ReadLadder(ref PayloadReader r, Book book, Ladder ladder, List<(long AcceptSeq, int Slot)> registerOrder)
    {
        var levelCount = r.I32();
        if (levelCount < 0 || levelCount > ladder.Capacity)
            throw new ArgumentException($"{levelCount} levels do not fit LevelsPerBookMax = {ladder.Capacity}.");
        var isStop = ladder == book.BuyStops || ladder == book.SellStops;
        for (var li = 0; li < levelCount; li++)
        {
            var price = r.I64();
            var count = r.I32();
            if (count <= 0) throw new ArgumentException("A level must hold at least one order.");
            if (ladder.Count > 0 && ladder.KeyOf(price) >= ladder.KeyOf(ladder.PriceAt(0)))
                throw new ArgumentException("Levels are not in priority order.");
            for (var k = 0; k < count; k++)
            {
                if (_freeOrderCount == 0) throw new ArgumentException($"The snapshot's orders do not fit OrdersMax = {_options.OrdersMax}.");
                if (_freeLevel < 0 && k == 0) throw new ArgumentException("The snapshot's levels do not fit the level pool.");
                var slot = AllocateOrder();
                ref var o = ref _orders[slot];
                o.OrderId = r.I64();
                o.UserId = r.I64();
                o.ClientOrderId = r.I64();
                o.PriceTicks = r.I64();
                o.StopPriceTicks = r.I64();
                o.QuantityLots = r.I64();
                o.FilledLots = r.I64();
                o.VisibleLots = r.I64();
                o.DisplayLots = r.I64();
                o.ExpireAt = r.I64();
                o.AcceptSeq = r.I64();
                o.Side = (Side)r.U8();
                o.Type = (OrderType)r.U8();
                o.TimeInForce = (TimeInForce)r.U8();
                o.SelfTradePrevention = (SelfTradePrevention)r.U8();
                o.State = (OrderState)r.U8();
                o.PostOnly = r.U8() != 0;
                o.Book = book.Index;
                o.HeapIndex = -1;
                o.UserPrev = o.UserNext = -1;
                if (!_userIndex.TryGet(o.UserId, out o.User)) throw new ArgumentException($"Order {o.OrderId} has an unknown user.");
                var levelPrice = isStop ? o.StopPriceTicks : o.PriceTicks;
                if (levelPrice != price) throw new ArgumentException($"Order {o.OrderId} is filed under the wrong price.");
                // Levels arrive best first; inserting at index 0 keeps the ladder sorted (best at the end).
                if (k == 0 && ladder.FindLevel(price) < 0)
                {
                    var levelSlot = _freeLevel;
                    ref var fresh = ref _levels[levelSlot];
                    _freeLevel = fresh.NextFree;
                    fresh = new Level { PriceTicks = price, Head = -1, Tail = -1, NextFree = -1 };
                    ladder.InsertAt(0, price, levelSlot);
                    _levelsInUse++;
                }
                InsertIntoLevel(ladder, slot, price);
                registerOrder.Add((o.AcceptSeq, slot));
            }
        }
    }

    /// <summary>
    /// Audits the whole state in O(orders + levels) and throws <see cref="InvariantViolationException"/> on the
    /// first inconsistency: queues, totals, indexes, user lists, expiry heap, books not crossed. Run after a
    /// restore and, in tests, after every command.
    /// </summary>
    public void CheckInvariants()
    {
        var orders = 0;
        var levels = 0;
        var gtd = 0;
        foreach (var book in _bookList)
        {
            var bookOrders = 0;
            bookOrders += AuditLadder(book, book.Bids, Side.Buy, stop: false, ref levels, ref gtd);
            bookOrders += AuditLadder(book, book.Asks, Side.Sell, stop: false, ref levels, ref gtd);
            bookOrders += AuditLadder(book, book.BuyStops, Side.Buy, stop: true, ref levels, ref gtd);
            bookOrders += AuditLadder(book, book.SellStops, Side.Sell, stop: true, ref levels, ref gtd);
            Invariant.Assert(bookOrders == book.OrderCount);
            if (book.Bids.Count > 0 && book.Asks.Count > 0)
                Invariant.Assert(book.Bids.PriceAt(book.Bids.BestIndex) < book.Asks.PriceAt(book.Asks.BestIndex));
            orders += bookOrders;
        }
        Invariant.Assert(orders == OpenOrderCount);
        Invariant.Assert(orders == _orderIndex.Count);
        Invariant.Assert(levels == _levelsInUse);
        Invariant.Assert(gtd == _expiries.Count);
        Invariant.Assert(_triggerCount == 0);
        var listed = 0;
        for (var u = 0; u < _userCount; u++)
        {
            ref var user = ref _users[u];
            var count = 0;
            var previousSeq = long.MinValue;
            for (var s = user.Head; s >= 0; s = _orders[s].UserNext)
            {
                Invariant.Assert(_orders[s].User == u && _orders[s].UserId == user.UserId);
                Invariant.Assert(_orders[s].AcceptSeq > previousSeq);
                previousSeq = _orders[s].AcceptSeq;
                count++;
            }
            Invariant.Assert(count == user.OpenOrders);
            listed += count;
        }
        Invariant.Assert(listed == orders);
    }

    private int AuditLadder(Book book, Ladder ladder, Side side, bool stop, ref int levels, ref int gtd)
    {
        var count = 0;
        for (var li = 0; li < ladder.Count; li++)
        {
            if (li > 0) Invariant.Assert(ladder.KeyOf(ladder.PriceAt(li - 1)) < ladder.KeyOf(ladder.PriceAt(li)));
            var levelSlot = ladder.LevelAt(li);
            ref var level = ref _levels[levelSlot];
            Invariant.Assert(level.PriceTicks == ladder.PriceAt(li));
            Invariant.Assert(level.Count > 0);
            long total = 0;
            var n = 0;
            var previous = -1;
            for (var s = level.Head; s >= 0; s = _orders[s].Next)
            {
                ref var o = ref _orders[s];
                Invariant.Assert(o.Registered && o.Level == levelSlot && o.Book == book.Index && o.Side == side && o.Prev == previous);
                Invariant.Assert(_orderIndex.TryGet(o.OrderId, out var indexed) && indexed == s);
                if (o.ClientOrderId != 0)
                    Invariant.Assert(_clientOrderIndex.TryGet(o.UserId, o.ClientOrderId, out var byClient) && byClient == s);
                Invariant.Assert(o.FilledLots >= 0 && o.FilledLots < o.QuantityLots);
                if (stop)
                {
                    Invariant.Assert(o.State == OrderState.PendingTrigger && o.StopPriceTicks == level.PriceTicks && o.VisibleLots == 0);
                }
                else
                {
                    Invariant.Assert(o.State is OrderState.New or OrderState.PartiallyFilled && o.PriceTicks == level.PriceTicks);
                    Invariant.Assert(o.VisibleLots > 0 && o.VisibleLots <= o.RemainingLots);
                    Invariant.Assert(o.DisplayLots > 0 ? o.VisibleLots <= o.DisplayLots : o.VisibleLots == o.RemainingLots);
                }
                if (o.TimeInForce == TimeInForce.GoodTillDate)
                {
                    Invariant.Assert(o.HeapIndex >= 0);
                    gtd++;
                }
                total += o.VisibleLots;
                previous = s;
                n++;
            }
            Invariant.Assert(level.Tail == previous && n == level.Count && total == level.TotalLots);
            count += n;
            levels++;
        }
        return count;
    }

    /// <summary>Little-endian writer over a growable buffer (cold path).</summary>
    private struct PayloadWriter(ArrayBufferWriter<byte> buffer)
    {
        public ArrayBufferWriter<byte> Buffer { get; } = buffer;

        public readonly void I32(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(Buffer.GetSpan(4), value);
            Buffer.Advance(4);
        }

        public readonly void I64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(Buffer.GetSpan(8), value);
            Buffer.Advance(8);
        }

        public readonly void U8(byte value)
        {
            Buffer.GetSpan(1)[0] = value;
            Buffer.Advance(1);
        }

        public readonly void Str(string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            I32(bytes.Length);
            Buffer.Write(bytes);
        }
    }

    /// <summary>Little-endian reader that throws <see cref="ArgumentException"/> past the end.</summary>
    private ref struct PayloadReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly bool AtEnd => _position == _data.Length;

        private ReadOnlySpan<byte> Take(int n)
        {
            if (n < 0 || _position + n > _data.Length) throw new ArgumentException("Unexpected end of snapshot payload.");
            var span = _data.Slice(_position, n);
            _position += n;
            return span;
        }

        public int I32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public byte U8() => Take(1)[0];

        public string Str() => Encoding.UTF8.GetString(Take(I32()));
    }
}

/// <summary>A snapshot could not be read: truncated, corrupt (checksum), another version, or it does not fit the options.</summary>
public sealed class SnapshotFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SnapshotFormatException() { }

    /// <summary>Creates the exception with a message.</summary>
    public SnapshotFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the cause.</summary>
    public SnapshotFormatException(string message, Exception innerException) : base(message, innerException) { }
}
