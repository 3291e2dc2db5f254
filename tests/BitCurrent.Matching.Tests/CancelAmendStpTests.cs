namespace BitCurrent.Matching.Tests;

public class CancelTests
{
    [Fact]
    public void Cancel_by_id_removes_the_order_and_publishes_the_level()
    {
        var h = new Harness();
        h.Limit(1, Side.Buy, 100, 5);
        h.Limit(2, Side.Buy, 100, 3);
        var events = h.Apply(Command.Cancel(1, 1));
        var cancel = events.Single(EventKind.Cancelled);
        Assert.Equal((1L, CancelReason.UserRequested, 5L), (cancel.OrderId, cancel.CancelReason, cancel.QuantityLots));
        var delta = events.Single(EventKind.BookDelta);
        Assert.Equal((100L, 3L, 1), (delta.PriceTicks, delta.QuantityLots, delta.OrderCount));
    }

    [Fact]
    public void Cancelling_an_unknown_closed_or_foreign_order_is_rejected_without_effect()
    {
        var h = new Harness();
        h.Limit(1, Side.Buy, 100, 5);
        Assert.Equal(RejectReason.NotOrderOwner, h.Apply(Command.Cancel(2, 1)).RejectReason());
        Assert.Equal(RejectReason.OrderNotFound, h.Apply(Command.Cancel(1, 99)).RejectReason());
        h.Apply(Command.Cancel(1, 1));
        Assert.Equal(RejectReason.OrderNotFound, h.Apply(Command.Cancel(1, 1)).RejectReason());
        h.Limit(1, Side.Sell, 100, 1);
        h.Limit(2, Side.Buy, 100, 1); // fills order 2... the sell (order 2) is filled by order 3
        Assert.Equal(RejectReason.OrderNotFound, h.Apply(Command.Cancel(1, 2)).RejectReason());
    }

    [Fact]
    public void Cancel_by_client_order_id_finds_the_users_own_order()
    {
        var h = new Harness();
        h.Limit(1, Side.Buy, 100, 5, clientOrderId: 77);
        h.Limit(2, Side.Buy, 99, 5, clientOrderId: 77);
        Assert.Equal(RejectReason.DuplicateClientOrderId, h.Limit(1, Side.Buy, 98, 1, clientOrderId: 77).RejectReason());
        var events = h.Apply(Command.CancelByClientOrderId(2, 77));
        Assert.Equal(2, events.Single(EventKind.Cancelled).OrderId);
        Assert.Equal(RejectReason.OrderNotFound, h.Apply(Command.CancelByClientOrderId(2, 77)).RejectReason());
        // The client order id is free again once the order is closed.
        Assert.Equal(EventKind.Accepted, h.Limit(2, Side.Buy, 98, 1, clientOrderId: 77)[0].Kind);
    }

    [Fact]
    public void Mass_cancel_by_user_and_by_user_and_symbol()
    {
        var h = new Harness(null, Harness.DefaultInstrument(1), Harness.DefaultInstrument(2));
        h.Apply(Command.Limit(1, 7, h.NextOrderId(), Side.Buy, 100, 1));
        h.Apply(Command.Limit(2, 7, h.NextOrderId(), Side.Buy, 100, 1));
        h.Apply(Command.Limit(1, 7, h.NextOrderId(), Side.Sell, 110, 1));
        h.Apply(Command.Stop(1, 7, h.NextOrderId(), Side.Buy, 120, 1));
        h.Apply(Command.Limit(1, 8, h.NextOrderId(), Side.Buy, 100, 1));
        var bySymbol = h.Apply(Command.MassCancel(7, 2));
        Assert.Equal([2L], bySymbol.OfKind(EventKind.Cancelled).Select(e => e.OrderId));
        var all = h.Apply(Command.MassCancel(7));
        Assert.Equal([1L, 3L, 4L], all.OfKind(EventKind.Cancelled).Select(e => e.OrderId));
        Assert.All(all.OfKind(EventKind.Cancelled), e => Assert.Equal(CancelReason.MassCancel, e.CancelReason));
        Assert.Equal(1, h.Engine.OpenOrderCount);
        Assert.Empty(h.Apply(Command.MassCancel(7)));
    }
}

public class AmendTests
{
    [Fact]
    public void Quantity_down_keeps_priority()
    {
        var h = new Harness();
        h.Limit(1, Side.Sell, 100, 5);
        h.Limit(2, Side.Sell, 100, 5);
        var amended = h.Apply(Command.Amend(1, 1, 0, 3)).Single(EventKind.Amended);
        Assert.True(amended.PriorityKept);
        var events = h.Limit(3, Side.Buy, 100, 3);
        Assert.Equal(1, events.Single(EventKind.Trade).MakerOrderId);
    }

    [Fact]
    public void Quantity_up_or_a_new_price_loses_priority()
    {
        var h = new Harness();
        h.Limit(1, Side.Sell, 100, 5);
        h.Limit(2, Side.Sell, 100, 5);
        Assert.False(h.Apply(Command.Amend(1, 1, 0, 6)).Single(EventKind.Amended).PriorityKept);
        Assert.Equal(2, h.Limit(3, Side.Buy, 100, 1).Single(EventKind.Trade).MakerOrderId);
        h.Apply(Command.Amend(2, 2, 101, 0));
        Assert.Equal([(100L, 6L), (101L, 4L)], h.Depth(Side.Sell));
    }

    [Fact]
    public void Amending_a_partly_filled_order_keeps_the_filled_amount()
    {
        var h = new Harness();
        h.Limit(1, Side.Sell, 100, 10);
        h.Limit(2, Side.Buy, 100, 4);
        Assert.Equal(RejectReason.AmendQuantityNotAboveFilled, h.Apply(Command.Amend(1, 1, 0, 4)).RejectReason());
        var amended = h.Apply(Command.Amend(1, 1, 0, 7)).Single(EventKind.Amended);
        Assert.Equal((7L, 4L, 3L), (amended.QuantityLots, amended.FilledLots, amended.RemainingLots));
        Assert.Equal([(100L, 3L)], h.Depth(Side.Sell));
    }

    [Fact]
    public void A_new_price_that_crosses_trades_first()
    {
        var h = new Harness();
        h.Limit(1, Side.Sell, 100, 2);
        h.Limit(2, Side.Buy, 98, 5);
        var events = h.Apply(Command.Amend(2, 2, 100, 0));
        Assert.Equal(2, events.Single(EventKind.Trade).QuantityLots);
        Assert.Equal([(100L, 3L)], h.Depth(Side.Buy));
    }

    [Fact]
    public void Amend_rejections_leave_the_order_untouched()
    {
        var h = new Harness();
        h.Limit(1, Side.Sell, 100, 2);
        h.Limit(2, Side.Buy, 98, 5, postOnly: true);
        Assert.Equal(RejectReason.AmendPostOnlyWouldTake, h.Apply(Command.Amend(2, 2, 100, 0)).RejectReason());
        Assert.Equal(RejectReason.AmendNoChange, h.Apply(Command.Amend(2, 2, 98, 5)).RejectReason());
        Assert.Equal(RejectReason.PriceOutOfBounds, h.Apply(Command.Amend(2, 2, 2_000_000, 0)).RejectReason());
        Assert.Equal(RejectReason.NotOrderOwner, h.Apply(Command.Amend(1, 2, 97, 0)).RejectReason());
        h.Apply(Command.Stop(Harness.Symbol, 3, h.NextOrderId(), Side.Buy, 150, 1));
        Assert.Equal(RejectReason.AmendNotAllowed, h.Apply(Command.Amend(3, h.LastOrderId, 0, 2)).RejectReason());
        Assert.Equal([(98L, 5L)], h.Depth(Side.Buy));
    }
}

public class SelfTradePreventionTests
{
    private static (Harness, List<MatchingEvent>) Setup(SelfTradePrevention mode)
    {
        var h = new Harness();
        h.Limit(1, Side.Sell, 100, 3);  // order 1: own
        h.Limit(2, Side.Sell, 100, 3);  // order 2: other user
        return (h, h.Limit(1, Side.Buy, 100, 4, stp: mode));
    }

    [Fact]
    public void Cancel_newest_cancels_the_incoming_order()
    {
        var (h, events) = Setup(SelfTradePrevention.CancelNewest);
        var cancel = events.Single(EventKind.Cancelled);
        Assert.Equal((3L, 4L), (cancel.OrderId, cancel.QuantityLots));
        Assert.Empty(events.OfKind(EventKind.Trade));
        Assert.Equal([(100L, 6L)], h.Depth(Side.Sell));
    }

    [Fact]
    public void Cancel_oldest_cancels_the_resting_order_and_goes_on()
    {
        var (h, events) = Setup(SelfTradePrevention.CancelOldest);
        Assert.Equal(1, events.Single(EventKind.Cancelled).OrderId);
        Assert.Equal((2L, 3L), (events.Single(EventKind.Trade).MakerOrderId, events.Single(EventKind.Trade).QuantityLots));
        Assert.Equal([(100L, 1L)], h.Depth(Side.Buy));
    }

    [Fact]
    public void Cancel_both_cancels_both()
    {
        var (h, events) = Setup(SelfTradePrevention.CancelBoth);
        Assert.Equal([1L, 3L], events.OfKind(EventKind.Cancelled).Select(e => e.OrderId));
        Assert.Equal([(100L, 3L)], h.Depth(Side.Sell));
        Assert.Empty(h.Depth(Side.Buy));
    }

    [Fact]
    public void Decrement_reduces_both_without_a_trade()
    {
        var (h, events) = Setup(SelfTradePrevention.Decrement);
        var decrements = events.OfKind(EventKind.Decremented);
        Assert.Equal([(1L, 3L, 0L), (3L, 3L, 1L)], decrements.Select(d => (d.OrderId, d.QuantityLots, d.RemainingLots)));
        Assert.Equal((2L, 1L), (events.Single(EventKind.Trade).MakerOrderId, events.Single(EventKind.Trade).QuantityLots));
        Assert.Equal([(100L, 2L)], h.Depth(Side.Sell));
        Assert.Empty(h.Depth(Side.Buy));
    }

    [Fact]
    public void None_allows_self_trades()
    {
        var (_, events) = Setup(SelfTradePrevention.None);
        Assert.Equal([1L, 2L], events.OfKind(EventKind.Trade).Select(t => t.MakerOrderId));
    }
}

public class ExpiryTests
{
    [Fact]
    public void A_good_till_date_order_expires_when_a_command_reaches_its_time()
    {
        var h = new Harness { Now = 1_000 };
        h.Limit(1, Side.Buy, 100, 5, TimeInForce.GoodTillDate, expireAt: 2_000);
        h.Limit(1, Side.Buy, 99, 5, TimeInForce.GoodTillDate, expireAt: 1_500);
        h.Now = 1_999;
        var early = h.Apply(Command.Tick());
        Assert.Equal([2L], early.OfKind(EventKind.Expired).Select(e => e.OrderId)); // order 2 expired at 1,500
        h.Now = 2_000;
        var events = h.Limit(2, Side.Sell, 100, 1);
        // Expiry comes first, so the sell finds no bid to trade with.
        Assert.Equal(EventKind.Expired, events[0].Kind);
        Assert.Empty(events.OfKind(EventKind.Trade));
        Assert.Equal([(100L, 1L)], h.Depth(Side.Sell));
    }

    [Fact]
    public void Orders_expiring_at_the_same_time_expire_in_acceptance_order()
    {
        var h = new Harness();
        h.Limit(1, Side.Buy, 90, 1, TimeInForce.GoodTillDate, expireAt: 5_000);
        h.Limit(1, Side.Buy, 95, 1, TimeInForce.GoodTillDate, expireAt: 5_000);
        h.Limit(1, Side.Buy, 91, 1, TimeInForce.GoodTillDate, expireAt: 5_000);
        h.Now = 5_000;
        Assert.Equal([1L, 2L, 3L], h.Apply(Command.Tick()).OfKind(EventKind.Expired).Select(e => e.OrderId));
    }

    [Fact]
    public void A_cancelled_good_till_date_order_does_not_expire_later()
    {
        var h = new Harness();
        h.Limit(1, Side.Buy, 90, 1, TimeInForce.GoodTillDate, expireAt: 5_000);
        h.Apply(Command.Cancel(1, 1));
        h.Now = 6_000;
        Assert.Empty(h.Apply(Command.Tick()));
    }
}
