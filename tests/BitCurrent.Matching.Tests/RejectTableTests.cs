namespace BitCurrent.Matching.Tests;

/// <summary>
/// Reject reasons in the order the checks fire. Each table starts from a command that breaks every rule and
/// mends one field per row: the reason must move to the next check in the documented order, which proves both
/// each check and their precedence. Every rejection must leave the state hash unchanged.
/// </summary>
public class RejectTableTests
{
    private const long Now = 1_000;

    private static Instrument Wide => Harness.DefaultInstrument() with
    {
        QuoteMinorPerTickLot = 10_000_000,
        NotionalMin = 20_000_000_000_000,
    };

    public static IEnumerable<(string Mend, Func<Command, Command> Apply, RejectReason Expected)> PlaceRows()
    {
        yield return ("start", c => c, RejectReason.UnknownSymbol);
        yield return ("symbol", c => c with { SymbolId = 1 }, RejectReason.InvalidUserId);
        yield return ("user", c => c with { UserId = 1 }, RejectReason.InvalidOrderId);
        yield return ("order id", c => c with { OrderId = 100 }, RejectReason.InvalidSide);
        yield return ("side", c => c with { Side = Side.Buy }, RejectReason.InvalidOrderType);
        yield return ("type", c => c with { Type = OrderType.StopLimit }, RejectReason.InvalidTimeInForce);
        yield return ("time in force", c => c with { TimeInForce = TimeInForce.ImmediateOrCancel }, RejectReason.InvalidSelfTradePrevention);
        yield return ("self-trade mode", c => c with { SelfTradePrevention = SelfTradePrevention.CancelOldest }, RejectReason.InvalidPostOnly);
        yield return ("post-only: GTD", c => c with { TimeInForce = TimeInForce.GoodTillDate }, RejectReason.PriceOutOfBounds);
        yield return ("price", c => c with { PriceTicks = 1_000_000 }, RejectReason.StopPriceOutOfBounds);
        yield return ("stop price", c => c with { StopPriceTicks = 1_000_000 }, RejectReason.QuantityOutOfBounds);
        yield return ("quantity", c => c with { QuantityLots = 1_000_000 }, RejectReason.InvalidDisplayQuantity);
        yield return ("display", c => c with { DisplayLots = 10 }, RejectReason.InvalidExpireTime);
        yield return ("expiry", c => c with { ExpireAt = Now + 100 }, RejectReason.NotionalOverflow);
        yield return ("notional: 1 lot", c => c with { QuantityLots = 1, DisplayLots = 0 }, RejectReason.NotionalBelowMin);
        yield return ("notional: 10 lots", c => c with { QuantityLots = 10 }, RejectReason.OrderIdNotIncreasing);
        yield return ("order id", c => c with { OrderId = 1_000 }, RejectReason.InvalidClientOrderId);
        yield return ("client id", c => c with { ClientOrderId = 5 }, RejectReason.DuplicateClientOrderId);
        yield return ("client id", c => c with { ClientOrderId = 6 }, RejectReason.None);
    }

    [Fact]
    public void Place_checks_fire_in_the_documented_order()
    {
        var h = new Harness(null, Wide) { Now = Now };
        // An order with id 500 and client id 5 for user 1, resting far from everything.
        h.Apply(Command.Limit(1, 1, 500, Side.Sell, 1_000_000, 10, clientOrderId: 5));
        var command = new Command
        {
            Kind = CommandKind.Place,
            SymbolId = 99,
            UserId = 0,
            OrderId = 0,
            Side = (Side)9,
            Type = (OrderType)9,
            TimeInForce = (TimeInForce)9,
            SelfTradePrevention = (SelfTradePrevention)9,
            PostOnly = true,
            PriceTicks = 0,
            StopPriceTicks = 0,
            QuantityLots = 0,
            DisplayLots = 1_000_000,
            ExpireAt = 0,
            ClientOrderId = -1,
        };
        foreach (var (mend, apply, expected) in PlaceRows())
        {
            command = apply(command);
            var withTickOnly = Clone(h.Engine);
            var events = h.Apply(command);
            if (expected == RejectReason.None)
            {
                Assert.Equal(EventKind.Accepted, events[0].Kind);
                continue;
            }
            Assert.True(events.Count == 1 && events[0].Kind == EventKind.Rejected, $"after mending {mend}: {string.Join("; ", events)}");
            Assert.True(expected == events[0].RejectReason, $"after mending {mend}: expected {expected}, got {events[0].RejectReason}");
            // A rejected command has exactly the effect of a tick: time and sequence advance, nothing else.
            var sink = new CountingSink();
            withTickOnly.Apply(Command.Tick().At(h.Engine.LastSequence, h.Engine.LastTimestamp), ref sink);
            Assert.Equal(withTickOnly.ComputeStateHash(), h.Engine.ComputeStateHash());
        }
    }

    private static MatchingEngine Clone(MatchingEngine engine)
    {
        var bytes = new MemoryStream();
        engine.WriteSnapshot(bytes);
        return MatchingEngine.ReadSnapshot(new MemoryStream(bytes.ToArray()));
    }

    [Fact]
    public void Book_conflict_checks_come_after_the_limits()
    {
        var h = new Harness();
        h.Limit(1, Side.Sell, 100, 1);
        h.Limit(2, Side.Buy, 100, 1); // last trade 100
        h.Limit(1, Side.Sell, 101, 1);
        Assert.Equal(RejectReason.PostOnlyWouldTake, h.Limit(2, Side.Buy, 101, 1, postOnly: true).RejectReason());
        Assert.Equal(RejectReason.StopWouldTriggerImmediately,
            h.Apply(Command.Stop(Harness.Symbol, 2, h.NextOrderId(), Side.Sell, 100, 1)).RejectReason());
        Assert.Equal(RejectReason.FillOrKillUnfillable, h.Limit(2, Side.Buy, 101, 2, TimeInForce.FillOrKill).RejectReason());
        Assert.Equal(RejectReason.InvalidQuoteAmount,
            h.Apply(Command.MarketByQuote(Harness.Symbol, 2, h.NextOrderId(), Side.Buy, 0)).RejectReason());
    }

    [Fact]
    public void Time_must_not_go_backwards()
    {
        var h = new Harness { Now = 5_000 };
        h.Limit(1, Side.Buy, 100, 1);
        h.Now = 4_999;
        Assert.Equal(RejectReason.TimestampNotMonotonic, h.Limit(1, Side.Buy, 100, 1).RejectReason());
        Assert.Equal(1, h.Engine.OpenOrderCount);
    }

    [Fact]
    public void An_unknown_command_kind_is_rejected()
    {
        var h = new Harness();
        Assert.Equal(RejectReason.UnknownCommandKind, h.Apply(new Command { Kind = (CommandKind)99 }).RejectReason());
    }

    [Fact]
    public void Cancel_and_amend_checks_fire_in_order()
    {
        var h = new Harness();
        h.Limit(1, Side.Buy, 100, 5);
        Assert.Equal(RejectReason.InvalidUserId, h.Apply(Command.Cancel(0, 0)).RejectReason());
        Assert.Equal(RejectReason.InvalidOrderId, h.Apply(Command.Cancel(1, 0)).RejectReason());
        Assert.Equal(RejectReason.OrderNotFound, h.Apply(Command.Cancel(1, 1) with { SymbolId = 2 }).RejectReason());
        Assert.Equal(RejectReason.NotOrderOwner, h.Apply(Command.Cancel(2, 1)).RejectReason());
        Assert.Equal(RejectReason.InvalidClientOrderId, h.Apply(Command.CancelByClientOrderId(1, 0)).RejectReason());
        Assert.Equal(RejectReason.InvalidUserId, h.Apply(Command.MassCancel(0)).RejectReason());
        Assert.Equal(RejectReason.UnknownSymbol, h.Apply(Command.MassCancel(1, 9)).RejectReason());
        Assert.Equal(RejectReason.InvalidUserId, h.Apply(Command.Amend(0, 0, 0, 0)).RejectReason());
        Assert.Equal(RejectReason.InvalidOrderId, h.Apply(Command.Amend(1, 0, 0, 0)).RejectReason());
        Assert.Equal(RejectReason.OrderNotFound, h.Apply(Command.Amend(1, 9, 0, 0)).RejectReason());
        Assert.Equal(RejectReason.PriceOutOfBounds, h.Apply(Command.Amend(1, 1, 2_000_000, 2_000_000)).RejectReason());
        Assert.Equal(RejectReason.QuantityOutOfBounds, h.Apply(Command.Amend(1, 1, 100, 2_000_000)).RejectReason());
        Assert.Equal(RejectReason.AmendNoChange, h.Apply(Command.Amend(1, 1, 100, 5)).RejectReason());
    }

    [Fact]
    public void A_full_order_pool_rejects_even_orders_that_would_not_rest()
    {
        var h = new Harness(Harness.SmallOptions with { OrdersMax = 2 });
        h.Limit(1, Side.Buy, 100, 1);
        h.Limit(1, Side.Buy, 99, 1);
        Assert.Equal(RejectReason.OrderPoolFull, h.Limit(2, Side.Sell, 100, 1, TimeInForce.ImmediateOrCancel).RejectReason());
        h.Apply(Command.Cancel(1, 1));
        Assert.Single(h.Limit(2, Side.Sell, 100, 1, TimeInForce.ImmediateOrCancel).OfKind(EventKind.Accepted));
    }

    [Fact]
    public void A_full_book_rejects_orders_that_could_rest_but_accepts_those_that_cannot()
    {
        var h = new Harness(Harness.SmallOptions with { OrdersPerBookMax = 1 });
        h.Limit(1, Side.Buy, 100, 5);
        Assert.Equal(RejectReason.BookOrdersFull, h.Limit(2, Side.Buy, 99, 1).RejectReason());
        Assert.Equal(RejectReason.BookOrdersFull, h.Apply(Command.Stop(Harness.Symbol, 2, h.NextOrderId(), Side.Buy, 200, 1)).RejectReason());
        Assert.Single(h.Limit(2, Side.Sell, 100, 1, TimeInForce.ImmediateOrCancel).OfKind(EventKind.Trade));
    }

    [Fact]
    public void Full_levels_reject_a_new_price_but_not_an_existing_one()
    {
        var h = new Harness(Harness.SmallOptions with { LevelsPerBookMax = 1 });
        h.Limit(1, Side.Buy, 100, 5);
        Assert.Equal(RejectReason.BookLevelsFull, h.Limit(2, Side.Buy, 99, 1).RejectReason());
        Assert.Single(h.Limit(2, Side.Buy, 100, 1).OfKind(EventKind.Accepted));
        Assert.Single(h.Limit(2, Side.Sell, 101, 1).OfKind(EventKind.Accepted)); // the other side has its own ladder
        Assert.Equal(RejectReason.BookLevelsFull, h.Apply(Command.Amend(1, 1, 98, 0)).RejectReason());
    }

    [Fact]
    public void Full_users_reject_a_new_user_only()
    {
        var h = new Harness(Harness.SmallOptions with { UsersMax = 1 });
        h.Limit(1, Side.Buy, 100, 5);
        Assert.Equal(RejectReason.UsersFull, h.Limit(2, Side.Sell, 100, 1).RejectReason());
        Assert.Single(h.Limit(1, Side.Buy, 100, 1).OfKind(EventKind.Accepted));
    }
}
