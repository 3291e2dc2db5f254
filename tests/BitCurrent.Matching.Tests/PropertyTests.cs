using CsCheck;

namespace BitCurrent.Matching.Tests;

/// <summary>Properties over generated order flow, with values biased to the edges (1, max-1, max).</summary>
public class PropertyTests
{
    private const long QuantityMax = 1_000_000;

    private static readonly Gen<long> Quantity = Gen.OneOf(Gen.Const(1L), Gen.Const(QuantityMax), Gen.Const(QuantityMax - 1), Gen.Long[1, 20]);
    private static readonly Gen<long> Price = Gen.OneOf(Gen.Const(1L), Gen.Const(1_000_000L), Gen.Const(999_999L), Gen.Long[95, 105]);

    private static readonly Gen<Command> Order =
        from side in Gen.OneOf(Gen.Const(Side.Buy), Gen.Const(Side.Sell))
        from price in Price
        from quantity in Quantity
        from kind in Gen.Int[0, 9]
        from stp in Gen.Int[0, 4]
        from user in Gen.Long[1, 3]
        select kind switch
        {
            0 => Command.Market(1, user, 0, side, quantity, selfTradePrevention: (SelfTradePrevention)stp),
            1 => Command.Limit(1, user, 0, side, price, quantity, TimeInForce.ImmediateOrCancel, selfTradePrevention: (SelfTradePrevention)stp),
            2 => Command.Limit(1, user, 0, side, price, quantity, TimeInForce.FillOrKill, selfTradePrevention: (SelfTradePrevention)stp),
            3 when quantity > 1 => Command.Limit(1, user, 0, side, price, quantity, displayLots: Math.Max(1, quantity / 3), selfTradePrevention: (SelfTradePrevention)stp),
            4 => Command.Cancel(user, price % 7),
            5 => Command.Amend(user, price % 7, 0, quantity),
            _ => Command.Limit(1, user, 0, side, price, quantity, selfTradePrevention: (SelfTradePrevention)stp),
        };

    /// <summary>
    /// Quantity is conserved per order: total = filled + open, and every lot that leaves an order leaves through
    /// a trade, a cancel, an expiry or a self-trade decrement, with the numbers the events carry.
    /// </summary>
    [Fact]
    public void Every_lot_of_every_order_is_accounted_for()
    {
        Order.List[1, 60].Sample(commands =>
        {
            var h = new Harness();
            var total = new Dictionary<long, long>();
            var filled = new Dictionary<long, long>();
            var closed = new HashSet<long>();
            foreach (var command in commands)
            {
                var c = command.Kind == CommandKind.Place ? command with { OrderId = h.NextOrderId() } : command;
                foreach (var e in h.Apply(c))
                {
                    switch (e.Kind)
                    {
                        case EventKind.Accepted:
                            total[e.OrderId] = e.QuantityLots;
                            filled[e.OrderId] = 0;
                            break;
                        case EventKind.Trade:
                            filled[e.OrderId] += e.QuantityLots;
                            filled[e.MakerOrderId] += e.QuantityLots;
                            Assert.Equal(total[e.OrderId] - filled[e.OrderId], e.RemainingLots);
                            Assert.Equal(total[e.MakerOrderId] - filled[e.MakerOrderId], e.MakerRemainingLots);
                            if (e.MakerRemainingLots == 0) closed.Add(e.MakerOrderId);
                            if (e.RemainingLots == 0) closed.Add(e.OrderId);
                            break;
                        case EventKind.Amended:
                            total[e.OrderId] = e.QuantityLots;
                            break;
                        case EventKind.Decremented:
                            total[e.OrderId] -= e.QuantityLots;
                            if (total[e.OrderId] == filled[e.OrderId]) closed.Add(e.OrderId);
                            break;
                        case EventKind.Cancelled:
                        case EventKind.Expired:
                            Assert.Equal(total[e.OrderId] - filled[e.OrderId], e.QuantityLots);
                            closed.Add(e.OrderId);
                            break;
                    }
                }
            }
            foreach (var (id, quantity) in total)
            {
                if (closed.Contains(id))
                {
                    Assert.False(h.Engine.TryGetOrder(id, out _));
                    continue;
                }
                Assert.True(h.Engine.TryGetOrder(id, out var view), $"order {id} is neither closed nor open");
                Assert.Equal((quantity, filled[id]), (view.QuantityLots, view.FilledLots));
            }
        }, iter: TestProfile.Scale(300));
    }

    /// <summary>Edge values never crash the engine: each order is accepted or rejected with a numbered reason.</summary>
    [Fact]
    public void Edge_values_are_accepted_or_rejected_never_thrown()
    {
        var edge = Gen.OneOf(Gen.Const(0L), Gen.Const(1L), Gen.Const(long.MaxValue), Gen.Const(long.MaxValue - 1), Gen.Const(-1L), Gen.Long);
        Gen.Select(edge, edge, edge, edge).Sample((price, quantity, stop, quote) =>
        {
            var instrument = Harness.DefaultInstrument() with { PriceTicksMax = long.MaxValue, QuantityLotsMax = long.MaxValue, QuoteMinorPerTickLot = 7 };
            var h = new Harness(null, instrument);
            h.Limit(9, Side.Sell, 100, 5);
            foreach (var c in new[]
            {
                Command.Limit(1, 1, h.NextOrderId(), Side.Buy, price, quantity),
                Command.Stop(1, 1, h.NextOrderId(), Side.Buy, stop, quantity, price),
                Command.MarketByQuote(1, 1, h.NextOrderId(), Side.Buy, quote),
                Command.Market(1, 1, h.NextOrderId(), Side.Buy, quantity),
            })
            {
                var events = h.Apply(c);
                Assert.True(events[0].Kind is EventKind.Accepted or EventKind.Rejected);
                if (events[0].Kind == EventKind.Rejected) Assert.InRange((int)events[0].RejectReason, 1001, 3999);
            }
        }, iter: TestProfile.Scale(500));
    }
}
