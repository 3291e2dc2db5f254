namespace BitCurrent.Matching.Tests;

/// <summary>
/// Pins every persisted number and byte: enum values travel in journals, snapshots and on the wire, so a value
/// may be added but never changed or reused. When a test here fails, you changed a format: add, don't edit.
/// </summary>
public class GoldenTests
{
    private static void AssertValues<TEnum>(params (TEnum Value, long Number)[] expected) where TEnum : struct, Enum
    {
        var actual = Enum.GetValues<TEnum>().Select(v => (v.ToString(), Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        var wanted = expected.Select(e => (e.Value.ToString(), e.Number)).ToArray();
        Assert.Equal(wanted, actual);
    }

    [Fact]
    public void Reject_reasons_are_pinned() => AssertValues(
        (RejectReason.None, 0),
        (RejectReason.TimestampNotMonotonic, 1001), (RejectReason.UnknownCommandKind, 1002), (RejectReason.UnknownSymbol, 1003),
        (RejectReason.InvalidUserId, 1004), (RejectReason.InvalidOrderId, 1005), (RejectReason.InvalidSide, 1006),
        (RejectReason.InvalidOrderType, 1007), (RejectReason.InvalidTimeInForce, 1008), (RejectReason.InvalidSelfTradePrevention, 1009),
        (RejectReason.InvalidPostOnly, 1010), (RejectReason.PriceOutOfBounds, 1011), (RejectReason.StopPriceOutOfBounds, 1012),
        (RejectReason.QuantityOutOfBounds, 1013), (RejectReason.InvalidQuoteAmount, 1014), (RejectReason.InvalidDisplayQuantity, 1015),
        (RejectReason.InvalidExpireTime, 1016), (RejectReason.NotionalOverflow, 1017), (RejectReason.NotionalBelowMin, 1018),
        (RejectReason.OrderIdNotIncreasing, 1019), (RejectReason.DuplicateClientOrderId, 1020), (RejectReason.InvalidClientOrderId, 1021),
        (RejectReason.OrderPoolFull, 2001), (RejectReason.BookOrdersFull, 2002), (RejectReason.BookLevelsFull, 2003), (RejectReason.UsersFull, 2004),
        (RejectReason.OrderNotFound, 3001), (RejectReason.NotOrderOwner, 3002), (RejectReason.PostOnlyWouldTake, 3003),
        (RejectReason.FillOrKillUnfillable, 3004), (RejectReason.StopWouldTriggerImmediately, 3005), (RejectReason.AmendNoChange, 3006),
        (RejectReason.AmendQuantityNotAboveFilled, 3007), (RejectReason.AmendNotAllowed, 3008), (RejectReason.AmendPostOnlyWouldTake, 3009));

    [Fact]
    public void Cancel_reasons_are_pinned() => AssertValues(
        (CancelReason.None, 0), (CancelReason.UserRequested, 1), (CancelReason.MassCancel, 2),
        (CancelReason.ImmediateOrCancelRemainder, 3), (CancelReason.MarketRemainder, 4), (CancelReason.SelfTradePrevention, 5),
        (CancelReason.MatchLimitReached, 6), (CancelReason.BookFull, 7), (CancelReason.PostOnlyWouldTake, 8),
        (CancelReason.FillOrKillUnfillable, 9));

    [Fact]
    public void Event_kinds_are_pinned() => AssertValues(
        (EventKind.Accepted, 1), (EventKind.Rejected, 2), (EventKind.Trade, 3), (EventKind.Cancelled, 4), (EventKind.Expired, 5),
        (EventKind.Triggered, 6), (EventKind.Amended, 7), (EventKind.Decremented, 8), (EventKind.BookDelta, 9));

    [Fact]
    public void Order_enums_are_pinned()
    {
        AssertValues((Side.Buy, 1), (Side.Sell, 2));
        AssertValues((OrderType.Limit, 1), (OrderType.Market, 2), (OrderType.MarketByQuote, 3), (OrderType.StopMarket, 4), (OrderType.StopLimit, 5));
        AssertValues((TimeInForce.GoodTillCancel, 1), (TimeInForce.GoodTillDate, 2), (TimeInForce.ImmediateOrCancel, 3), (TimeInForce.FillOrKill, 4));
        AssertValues((SelfTradePrevention.None, 0), (SelfTradePrevention.CancelNewest, 1), (SelfTradePrevention.CancelOldest, 2),
            (SelfTradePrevention.CancelBoth, 3), (SelfTradePrevention.Decrement, 4));
        AssertValues((CommandKind.Place, 1), (CommandKind.Cancel, 2), (CommandKind.CancelByClientOrderId, 3), (CommandKind.MassCancel, 4),
            (CommandKind.Amend, 5), (CommandKind.Tick, 6));
        AssertValues((OrderState.None, 0), (OrderState.New, 1), (OrderState.PartiallyFilled, 2), (OrderState.PendingTrigger, 3),
            (OrderState.Active, 4));
    }

    /// <summary>A small fixed state: one resting bid, one iceberg ask, one GTD bid, one stop, one trade.</summary>
    private static MatchingEngine GoldenState()
    {
        var engine = new MatchingEngine(new MatchingOptions
        {
            SymbolsMax = 2,
            OrdersMax = 8,
            OrdersPerBookMax = 8,
            LevelsPerBookMax = 4,
            UsersMax = 4,
            MatchesPerOrderMax = 16,
        });
        engine.AddInstrument(new Instrument
        {
            SymbolId = 7,
            Symbol = "BTCUSD",
            BaseAsset = "BTC",
            QuoteAsset = "USD",
            BaseMinorPerLot = 100_000,
            QuoteMinorPerTickLot = 1_000,
            PriceTicksMin = 1,
            PriceTicksMax = 10_000_000,
            QuantityLotsMin = 1,
            QuantityLotsMax = 1_000_000,
            NotionalMin = 0,
        });
        var sink = new CountingSink();
        Command[] commands =
        [
            Command.Limit(7, 1, 1, Side.Buy, 100, 5, clientOrderId: 11),
            Command.Limit(7, 2, 2, Side.Sell, 105, 9, displayLots: 3),
            Command.Limit(7, 1, 3, Side.Buy, 99, 2, TimeInForce.GoodTillDate, expireAt: 99_000),
            Command.Limit(7, 3, 4, Side.Buy, 105, 1),
            Command.Stop(7, 3, 5, Side.Sell, 90, 4, limitPriceTicks: 89),
        ];
        for (var i = 0; i < commands.Length; i++) engine.Apply(commands[i].At(i + 1, 1_000 * (i + 1)), ref sink);
        return engine;
    }

    private const string GoldenSnapshotHex =
        "42434d53010000007c0200000000000062665cf5133170d3ca8be55efdd80d4d69fd33742338d97f27e4bca6f9e89d5f020000000800000008000000" +
        "040000000400000010000000881300000000000005000000000000000500000000000000050000000000000001000000000000000300000001000000" +
        "00000000020000000000000003000000000000000100000007000000060000004254435553440300000042544303000000555344a086010000000000" +
        "e80300000000000001000000000000008096980000000000010000000000000040420f00000000000000000000000000690000000000000004000000" +
        "0000000002000000640000000000000001000000010000000000000001000000000000000b0000000000000064000000000000000000000000000000" +
        "050000000000000000000000000000000500000000000000000000000000000000000000000000000100000000000000010101010100630000000000" +
        "000001000000030000000000000001000000000000000000000000000000630000000000000000000000000000000200000000000000000000000000" +
        "000002000000000000000000000000000000b88201000000000003000000000000000101020101000100000069000000000000000100000002000000" +
        "000000000200000000000000000000000000000069000000000000000000000000000000090000000000000001000000000000000200000000000000" +
        "03000000000000000000000000000000020000000000000002010101020000000000010000005a000000000000000100000005000000000000000300" +
        "000000000000000000000000000059000000000000005a00000000000000040000000000000000000000000000000000000000000000000000000000" +
        "000000000000000000000500000000000000020501010300";

    [Fact]
    public void The_snapshot_format_is_pinned_byte_for_byte()
    {
        var bytes = new MemoryStream();
        GoldenState().WriteSnapshot(bytes);
        var hex = Convert.ToHexStringLower(bytes.ToArray());
        Assert.Equal(GoldenSnapshotHex, hex);
        // Header: "BCMS", version 1, reserved 0, payload length, SHA-256 of the payload.
        Assert.StartsWith("42434d53" + "0100" + "0000", hex, StringComparison.Ordinal);
    }

    [Fact]
    public void The_golden_snapshot_reads_back_to_the_same_state()
    {
        var engine = MatchingEngine.ReadSnapshot(new MemoryStream(Convert.FromHexString(GoldenSnapshotHex)));
        Assert.Equal(GoldenState().ComputeStateHash(), engine.ComputeStateHash());
        Assert.True(engine.TryGetOrder(2, out var iceberg));
        Assert.Equal((9L, 1L, 2L, 3L), (iceberg.QuantityLots, iceberg.FilledLots, iceberg.VisibleLots, iceberg.DisplayLots));
        Assert.Equal(105, engine.GetLastTradePrice(7));
        Assert.Equal(1, engine.LastTradeId);
    }
}
