// The BitCurrent.Matching quick start: one instrument, two orders, one trade.
using BitCurrent.Matching;

var engine = new MatchingEngine(new MatchingOptions { OrdersMax = 100_000 });
engine.AddInstrument(new Instrument
{
    SymbolId = 1,
    Symbol = "BTCUSDT",
    BaseAsset = "BTC",
    QuoteAsset = "USDT",
    BaseMinorPerLot = 100_000,    // one lot = 0.001 BTC (in satoshis)
    QuoteMinorPerTickLot = 1_000, // one lot at one tick (0.01 USDT) costs 0.00001 USDT (8 decimals)
    PriceTicksMax = 100_000_000,
    QuantityLotsMax = 1_000_000,
});

var sink = new ConsoleSink();
long sequence = 0, now = 1_000_000_000;
engine.Apply(Command.Limit(1, userId: 7, orderId: 1, Side.Sell, priceTicks: 6_500_000, quantityLots: 5).At(++sequence, now), ref sink);
engine.Apply(Command.Limit(1, userId: 8, orderId: 2, Side.Buy, priceTicks: 6_500_100, quantityLots: 2).At(++sequence, now), ref sink);
engine.Apply(Command.Cancel(userId: 8, orderId: 99).At(++sequence, now), ref sink);

engine.TryGetBestAsk(1, out var ask);
Console.WriteLine($"best ask {ask.PriceTicks} x {ask.QuantityLots}, state hash {engine.ComputeStateHash()[..16]}");

internal struct ConsoleSink : IEventSink
{
    public readonly void OnEvent(in MatchingEvent e) => Console.WriteLine(e.Kind switch
    {
        EventKind.Accepted => $"accepted  order {e.OrderId}: {e.Side} {e.QuantityLots} @ {e.PriceTicks}",
        EventKind.Trade => $"trade     #{e.TradeId}: taker {e.OrderId} {e.Side} {e.QuantityLots} @ {e.PriceTicks} from maker {e.MakerOrderId}",
        EventKind.BookDelta => $"delta     {e.Side} {e.PriceTicks} -> {e.QuantityLots} lots, {e.OrderCount} orders (update {e.UpdateId})",
        EventKind.Rejected => $"rejected  {(int)e.RejectReason} {e.RejectReason}",
        _ => e.ToString(),
    });
}
