namespace BitCurrent.Matching.Tests;

public class LimitOrderTests
{
    [Fact]
    public void A_limit_order_that_does_not_cross_rests_and_publishes_its_level()
    {
        var h = new Harness();
        var events = h.Limit(1, Side.Buy, 100, 5);
        Assert.Equal([EventKind.Accepted, EventKind.BookDelta], events.Select(e => e.Kind));
        var delta = events[1];
        Assert.Equal((Side.Buy, 100L, 5L, 1, 1L), (delta.Side, delta.PriceTicks, delta.QuantityLots, delta.OrderCount, delta.UpdateId));
        Assert.True(h.Engine.TryGetBestBid(Harness.Symbol, out var bid));
        Assert.Equal(new PriceLevel(100, 5, 1), bid);
        Assert.False(h.Engine.TryGetBestAsk(Harness.Symbol, out _));
    }

    [Fact]
    public void Trades_execute_at_the_makers_price_in_price_then_time_priority()
    {
        var h = new Harness();
        h.Limit(1, Side.Sell, 101, 2);     // order 1
        h.Limit(2, Side.Sell, 100, 2);     // order 2: better price
        h.Limit(3, Side.Sell, 100, 2);     // order 3: same price, later
        var events = h.Limit(4, Side.Buy, 105, 5);
        var trades = events.OfKind(EventKind.Trade);
        Assert.Equal([(2L, 100L, 2L), (3L, 100L, 2L), (1L, 101L, 1L)], trades.Select(t => (t.MakerOrderId, t.PriceTicks, t.QuantityLots)));
        Assert.All(trades, t => Assert.Equal(Side.Buy, t.Side));
        Assert.Equal([1L, 2L, 3L], trades.Select(t => t.TradeId));
        Assert.Equal(0, trades[2].RemainingLots);
        Assert.Equal(1, trades[2].MakerRemainingLots);
        Assert.Equal([(101L, 1L)], h.Depth(Side.Sell));
        Assert.Empty(h.Depth(Side.Buy));
    }

    [Fact]
    public void A_partly_filled_limit_order_rests_with_its_remainder()
    {
        var h = new Harness();
        h.Limit(1, Side.Sell, 100, 3);
        var events = h.Limit(2, Side.Buy, 100, 10);
        Assert.Equal(3, events.Single(EventKind.Trade).QuantityLots);
        Assert.Equal([(100L, 7L)], h.Depth(Side.Buy));
        Assert.True(h.Engine.TryGetOrder(2, out var order));
        Assert.Equal((10L, 3L, 7L, OrderState.PartiallyFilled), (order.QuantityLots, order.FilledLots, order.RemainingLots, order.State));
    }

    [Fact]
    public void Immediate_or_cancel_trades_what_it_can_and_never_rests()
    {
        var h = new Harness();
        h.Limit(1, Side.Sell, 100, 3);
        var events = h.Limit(2, Side.Buy, 100, 10, TimeInForce.ImmediateOrCancel);
        Assert.Equal(3, events.Single(EventKind.Trade).QuantityLots);
        var cancel = events.Single(EventKind.Cancelled);
        Assert.Equal((CancelReason.ImmediateOrCancelRemainder, 7L), (cancel.CancelReason, cancel.QuantityLots));
        Assert.Empty(h.Depth(Side.Buy));
        Assert.False(h.Engine.TryGetOrder(2, out _));
    }

    [Fact]
    public void Fill_or_kill_never_partially_fills()
    {
        var h = new Harness();
        h.Limit(1, Side.Sell, 100, 3);
        h.Limit(1, Side.Sell, 102, 3);
        var rejected = h.Limit(2, Side.Buy, 101, 4, TimeInForce.FillOrKill);
        Assert.Equal(RejectReason.FillOrKillUnfillable, rejected.RejectReason());
        Assert.Equal([(100L, 3L), (102L, 3L)], h.Depth(Side.Sell));
        var filled = h.Limit(2, Side.Buy, 102, 6, TimeInForce.FillOrKill);
        Assert.Equal(6, filled.OfKind(EventKind.Trade).Sum(t => t.QuantityLots));
        Assert.Empty(h.Depth(Side.Sell));
    }

    [Fact]
    public void Fill_or_kill_counts_iceberg_reserves_and_skips_own_orders_under_cancel_oldest()
    {
        var h = new Harness();
        h.Limit(1, Side.Sell, 100, 10, display: 2);
        h.Limit(2, Side.Sell, 100, 5);
        var events = h.Limit(2, Side.Buy, 100, 10, TimeInForce.FillOrKill, SelfTradePrevention.CancelOldest);
        Assert.Equal(10, events.OfKind(EventKind.Trade).Sum(t => t.QuantityLots));
        Assert.Equal(CancelReason.SelfTradePrevention, events.Single(EventKind.Cancelled).CancelReason);
    }

    [Fact]
    public void Post_only_that_would_take_is_rejected_and_one_that_would_not_rests()
    {
        var h = new Harness();
        h.Limit(1, Side.Sell, 100, 1);
        Assert.Equal(RejectReason.PostOnlyWouldTake, h.Limit(2, Side.Buy, 100, 1, postOnly: true).RejectReason());
        Assert.Equal(EventKind.Accepted, h.Limit(2, Side.Buy, 99, 1, postOnly: true)[0].Kind);
        Assert.Equal([(99L, 1L)], h.Depth(Side.Buy));
    }
}

public class MarketOrderTests
{
    [Fact]
    public void A_market_order_sweeps_levels_and_cancels_what_the_book_cannot_fill()
    {
        var h = new Harness();
        h.Limit(1, Side.Sell, 100, 2);
        h.Limit(1, Side.Sell, 101, 2);
        var events = h.Market(2, Side.Buy, 5);
        Assert.Equal([(100L, 2L), (101L, 2L)], events.OfKind(EventKind.Trade).Select(t => (t.PriceTicks, t.QuantityLots)));
        var cancel = events.Single(EventKind.Cancelled);
        Assert.Equal((CancelReason.MarketRemainder, 1L), (cancel.CancelReason, cancel.QuantityLots));
        // Two levels emptied: two deltas to zero, no resting delta.
        Assert.Equal([0L, 0L], events.OfKind(EventKind.BookDelta).Select(d => d.QuantityLots));
    }

    [Fact]
    public void A_market_order_on_an_empty_book_is_accepted_then_cancelled()
    {
        var h = new Harness();
        var events = h.Market(2, Side.Sell, 5);
        Assert.Equal([EventKind.Accepted, EventKind.Cancelled], events.Select(e => e.Kind));
    }

    [Fact]
    public void Market_by_quote_spends_no_more_than_its_quote_amount()
    {
        var instrument = Harness.DefaultInstrument() with { QuoteMinorPerTickLot = 10 };
        var h = new Harness(null, instrument);
        h.Limit(1, Side.Sell, 100, 3);   // 1,000 per lot
        h.Limit(1, Side.Sell, 150, 10);  // 1,500 per lot
        var events = h.Apply(Command.MarketByQuote(Harness.Symbol, 2, h.NextOrderId(), Side.Buy, 6_400));
        var trades = events.OfKind(EventKind.Trade);
        // 3 lots at 100 (3,000), then 2 lots at 150 (3,000); 400 left cannot buy another lot.
        Assert.Equal([(100L, 3L, 3_000L), (150L, 2L, 3_000L)], trades.Select(t => (t.PriceTicks, t.QuantityLots, t.QuoteAmount)));
        var cancel = events.Single(EventKind.Cancelled);
        Assert.Equal((CancelReason.MarketRemainder, 400L), (cancel.CancelReason, cancel.QuoteAmount));
    }

    [Fact]
    public void Market_by_quote_that_spends_exactly_everything_closes_without_a_cancel()
    {
        var h = new Harness();
        h.Limit(1, Side.Buy, 100, 10);
        var events = h.Apply(Command.MarketByQuote(Harness.Symbol, 2, h.NextOrderId(), Side.Sell, 300));
        Assert.Equal(3, events.Single(EventKind.Trade).QuantityLots);
        Assert.Empty(events.OfKind(EventKind.Cancelled));
    }

    [Fact]
    public void The_match_limit_cancels_the_remainder()
    {
        var h = new Harness(Harness.SmallOptions with { MatchesPerOrderMax = 2 });
        for (var i = 0; i < 4; i++) h.Limit(1, Side.Sell, 100 + i, 1);
        var events = h.Market(2, Side.Buy, 4);
        Assert.Equal(2, events.OfKind(EventKind.Trade).Count);
        var cancel = events.Single(EventKind.Cancelled);
        Assert.Equal((CancelReason.MatchLimitReached, 2L), (cancel.CancelReason, cancel.QuantityLots));
    }
}

public class IcebergTests
{
    [Fact]
    public void An_iceberg_shows_only_its_display_quantity()
    {
        var h = new Harness();
        h.Limit(1, Side.Sell, 100, 10, display: 3);
        Assert.Equal([(100L, 3L)], h.Depth(Side.Sell));
        Assert.True(h.Engine.TryGetOrder(1, out var order));
        Assert.Equal((3L, 10L), (order.VisibleLots, order.RemainingLots));
    }

    [Fact]
    public void A_refilled_slice_goes_to_the_back_of_the_queue()
    {
        var h = new Harness();
        h.Limit(1, Side.Sell, 100, 10, display: 3); // order 1
        h.Limit(2, Side.Sell, 100, 4);              // order 2
        var events = h.Limit(3, Side.Buy, 100, 5);
        // 3 from the iceberg's slice, then the refill goes behind order 2, so order 2 trades next.
        Assert.Equal([(1L, 3L), (2L, 2L)], events.OfKind(EventKind.Trade).Select(t => (t.MakerOrderId, t.QuantityLots)));
        Assert.Equal([(100L, 5L)], h.Depth(Side.Sell)); // 2 left of order 2 + 3 refilled
    }

    [Fact]
    public void An_incoming_iceberg_takes_with_its_whole_quantity()
    {
        var h = new Harness();
        h.Limit(1, Side.Sell, 100, 8);
        var events = h.Limit(2, Side.Buy, 100, 10, display: 2);
        Assert.Equal(8, events.Single(EventKind.Trade).QuantityLots);
        Assert.Equal([(100L, 2L)], h.Depth(Side.Buy));
    }
}

public class StopOrderTests
{
    [Fact]
    public void A_buy_stop_triggers_when_the_last_trade_reaches_its_stop_price()
    {
        var h = new Harness();
        h.Limit(1, Side.Sell, 100, 1);
        h.Limit(1, Side.Sell, 105, 5);
        h.Limit(2, Side.Buy, 99, 1);
        h.Market(3, Side.Buy, 1);                    // last trade 100
        var accepted = h.Apply(Command.Stop(Harness.Symbol, 4, h.NextOrderId(), Side.Buy, 103, 2));
        Assert.Equal(EventKind.Accepted, accepted[0].Kind);
        Assert.Empty(accepted.OfKind(EventKind.BookDelta)); // stops are not in the L2 book
        Assert.True(h.Engine.TryGetOrder(h.LastOrderId, out var pending));
        Assert.Equal(OrderState.PendingTrigger, pending.State);

        var events = h.Market(5, Side.Buy, 1);       // trades at 105: reaches 103
        var triggered = events.Single(EventKind.Triggered);
        Assert.Equal((OrderType.StopMarket, pending.OrderId), (triggered.OrderType, triggered.OrderId));
        var trades = events.OfKind(EventKind.Trade);
        Assert.Equal([(105L, 1L), (105L, 2L)], trades.Select(t => (t.PriceTicks, t.QuantityLots)));
        Assert.Equal(pending.OrderId, trades[1].OrderId);
    }

    [Fact]
    public void A_stop_limit_rests_at_its_limit_price_after_triggering()
    {
        var h = new Harness();
        h.Limit(1, Side.Buy, 100, 1);
        h.Limit(2, Side.Sell, 100, 1);              // last trade 100
        h.Apply(Command.Stop(Harness.Symbol, 3, h.NextOrderId(), Side.Sell, 95, 4, limitPriceTicks: 94));
        h.Limit(1, Side.Buy, 95, 1);
        var events = h.Limit(2, Side.Sell, 95, 1);   // last trade 95: sell stop at 95 triggers
        Assert.Single(events.OfKind(EventKind.Triggered));
        Assert.Equal([(94L, 4L)], h.Depth(Side.Sell));
    }

    [Fact]
    public void A_stop_whose_price_is_already_reached_is_rejected()
    {
        var h = new Harness();
        h.Limit(1, Side.Buy, 100, 1);
        h.Limit(2, Side.Sell, 100, 1);
        var events = h.Apply(Command.Stop(Harness.Symbol, 3, h.NextOrderId(), Side.Buy, 100, 1));
        Assert.Equal(RejectReason.StopWouldTriggerImmediately, events.RejectReason());
    }

    [Fact]
    public void Stops_trigger_in_cascade()
    {
        var h = new Harness();
        h.Limit(1, Side.Buy, 100, 1);
        h.Limit(2, Side.Sell, 100, 1);                  // last trade 100
        h.Limit(9, Side.Buy, 98, 2);
        h.Limit(9, Side.Buy, 96, 5);
        h.Apply(Command.Stop(Harness.Symbol, 3, h.NextOrderId(), Side.Sell, 98, 2)); // triggers at 98, trades at 96
        h.Apply(Command.Stop(Harness.Symbol, 4, h.NextOrderId(), Side.Sell, 96, 1)); // then this one
        var events = h.Market(5, Side.Sell, 2);           // trades 98: first stop -> 96: second stop
        Assert.Equal(2, events.OfKind(EventKind.Triggered).Count);
        Assert.Equal([98L, 96L, 96L], events.OfKind(EventKind.Trade).Select(t => t.PriceTicks));
    }
}
