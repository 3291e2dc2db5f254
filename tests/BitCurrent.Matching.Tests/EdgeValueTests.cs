namespace BitCurrent.Matching.Tests;

/// <summary>
/// Orders and amends at the exact edges of the instrument's bounds: the bound itself is accepted, one beyond it is
/// rejected with its reason. Bounds of the instrument below: price 10..1000 ticks, quantity 2..500 lots, notional
/// at least 100 quote units (1 per tick-lot).
/// </summary>
public sealed class EdgeValueTests
{
    private static Harness NewHarness() => new(null, Harness.DefaultInstrument() with
    {
        PriceTicksMin = 10,
        PriceTicksMax = 1_000,
        QuantityLotsMin = 2,
        QuantityLotsMax = 500,
        NotionalMin = 100,
    });

    private static bool Accepted(List<MatchingEvent> events) => events.Exists(e => e.Kind == EventKind.Accepted);

    [Fact]
    public void Limit_prices_quantities_and_notional_at_their_bounds()
    {
        var h = NewHarness();
        Assert.True(Accepted(h.Limit(1, Side.Buy, 10, 10)));       // lowest price, notional exactly 100
        Assert.True(Accepted(h.Limit(1, Side.Sell, 1_000, 2)));    // highest price, smallest quantity
        Assert.True(Accepted(h.Limit(1, Side.Sell, 999, 500)));    // largest quantity
        Assert.Equal(RejectReason.PriceOutOfBounds, h.Limit(1, Side.Buy, 9, 20).RejectReason());
        Assert.Equal(RejectReason.PriceOutOfBounds, h.Limit(1, Side.Sell, 1_001, 2).RejectReason());
        Assert.Equal(RejectReason.QuantityOutOfBounds, h.Limit(1, Side.Buy, 50, 1).RejectReason());
        Assert.Equal(RejectReason.QuantityOutOfBounds, h.Limit(1, Side.Sell, 998, 501).RejectReason());
        Assert.Equal(RejectReason.NotionalBelowMin, h.Limit(1, Side.Buy, 11, 9).RejectReason());   // 99
    }

    [Fact]
    public void Stop_prices_and_quote_amounts_at_their_bounds()
    {
        var h = NewHarness();
        Assert.True(Accepted(h.Apply(Command.Stop(Harness.Symbol, 1, h.NextOrderId(), Side.Buy, 1_000, 2))));
        Assert.True(Accepted(h.Apply(Command.Stop(Harness.Symbol, 1, h.NextOrderId(), Side.Sell, 50, 2))));
        Assert.Equal(RejectReason.StopPriceOutOfBounds, h.Apply(Command.Stop(Harness.Symbol, 1, h.NextOrderId(), Side.Buy, 1_001, 2)).RejectReason());
        Assert.Equal(RejectReason.StopPriceOutOfBounds, h.Apply(Command.Stop(Harness.Symbol, 1, h.NextOrderId(), Side.Sell, 9, 20)).RejectReason());
        Assert.True(Accepted(h.Apply(Command.Stop(Harness.Symbol, 1, h.NextOrderId(), Side.Sell, 10, 10, limitPriceTicks: 10))));

        h.Limit(2, Side.Sell, 100, 5);
        Assert.True(Accepted(h.Apply(Command.MarketByQuote(Harness.Symbol, 3, h.NextOrderId(), Side.Buy, 100))));   // exactly the minimum
        Assert.Equal(RejectReason.NotionalBelowMin, h.Apply(Command.MarketByQuote(Harness.Symbol, 3, h.NextOrderId(), Side.Buy, 99)).RejectReason());
        Assert.Equal(RejectReason.InvalidQuoteAmount, h.Apply(Command.MarketByQuote(Harness.Symbol, 3, h.NextOrderId(), Side.Buy, 0)).RejectReason());
    }

    [Fact]
    public void Iceberg_display_quantities_at_their_bounds()
    {
        var h = NewHarness();
        Assert.True(Accepted(h.Limit(1, Side.Buy, 50, 10, display: 9)));     // one below the quantity
        var iceberg = h.LastOrderId;
        Assert.True(Accepted(h.Limit(1, Side.Buy, 50, 10, display: 1)));
        Assert.Equal(RejectReason.InvalidDisplayQuantity, h.Limit(1, Side.Buy, 50, 10, display: 10).RejectReason());
        Assert.Equal(RejectReason.InvalidDisplayQuantity, h.Limit(1, Side.Buy, 50, 10, display: -1).RejectReason());
        Assert.Equal(RejectReason.InvalidDisplayQuantity, h.Limit(1, Side.Buy, 50, 10, tif: TimeInForce.ImmediateOrCancel, display: 3).RejectReason());

        // Amending an iceberg: the new quantity must stay above its display quantity.
        Assert.Equal(RejectReason.InvalidDisplayQuantity, h.Apply(Command.Amend(1, iceberg, 0, 9)).RejectReason());
        Assert.True(h.Apply(Command.Amend(1, iceberg, 0, 11)).Exists(e => e.Kind == EventKind.Amended));
    }

    [Fact]
    public void Amends_at_the_bounds()
    {
        var h = NewHarness();
        h.Limit(1, Side.Buy, 50, 10);
        var id = h.LastOrderId;
        Assert.True(h.Apply(Command.Amend(1, id, 10, 0)).Exists(e => e.Kind == EventKind.Amended));       // lowest price
        Assert.True(h.Apply(Command.Amend(1, id, 0, 500)).Exists(e => e.Kind == EventKind.Amended));      // largest quantity
        Assert.True(h.Apply(Command.Amend(1, id, 1_000, 0)).Exists(e => e.Kind == EventKind.Amended));    // highest price
        Assert.Equal(RejectReason.PriceOutOfBounds, h.Apply(Command.Amend(1, id, 9, 0)).RejectReason());
        Assert.Equal(RejectReason.PriceOutOfBounds, h.Apply(Command.Amend(1, id, 1_001, 0)).RejectReason());
        Assert.Equal(RejectReason.QuantityOutOfBounds, h.Apply(Command.Amend(1, id, 0, 501)).RejectReason());
        Assert.Equal(RejectReason.QuantityOutOfBounds, h.Apply(Command.Amend(1, id, 0, 1)).RejectReason());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Every_command_from_a_user_id_that_is_not_positive_is_rejected(long user)
    {
        var h = NewHarness();
        h.Limit(1, Side.Buy, 50, 10, clientOrderId: 5);
        var id = h.LastOrderId;
        Assert.Equal(RejectReason.InvalidUserId, h.Limit(user, Side.Buy, 50, 10).RejectReason());
        Assert.Equal(RejectReason.InvalidUserId, h.Apply(Command.Cancel(user, id)).RejectReason());
        Assert.Equal(RejectReason.InvalidUserId, h.Apply(Command.CancelByClientOrderId(user, 5)).RejectReason());
        Assert.Equal(RejectReason.InvalidUserId, h.Apply(Command.Amend(user, id, 51, 0)).RejectReason());
        Assert.Equal(RejectReason.InvalidUserId, h.Apply(Command.MassCancel(user)).RejectReason());
        Assert.Equal(1, h.Engine.GetOpenOrderCount(Harness.Symbol));   // the order is untouched
    }
}
