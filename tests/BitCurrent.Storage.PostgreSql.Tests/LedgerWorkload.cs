using BitCurrent.Ledger;

namespace BitCurrent.Storage.PostgreSql.Tests;

/// <summary>
/// A seeded random stream of exchange flows on a real ledger: deposits, withdrawals (held, then sent or cancelled),
/// order holds with and without timeouts (released, or left to expire), trades settled as linked chains with fees.
/// Refused flows are part of the stream (they consume timestamps and are not stored), as in production.
/// </summary>
public static class LedgerWorkload
{
    private const ulong Second = 1_000_000_000;

    public static ExchangeLedger Build(int seed, int steps, int users = 6)
    {
        var random = new Random(seed);
        var exchange = new ExchangeLedger(new LedgerEngine(new LedgerEngineOptions { AccountsMax = 1_024, TransfersMax = 65_536 }), AssetRegistry.Examples());
        var clock = 1_000 * Second;
        ulong Next()
        {
            clock = Math.Max(clock + (ulong)random.Next(1, 2_000) * (Second / 1_000), exchange.Engine.LastTimestamp + 1);
            return clock;
        }
        exchange.OpenSystemAccounts(Next());
        for (var u = 1UL; u <= (ulong)users; u++) exchange.OpenUserAccounts(u, Next());

        var assets = exchange.Assets.Assets;
        var openWithdrawals = new List<ulong>();
        var openHolds = new List<UInt128>();
        ulong nextId = 1;
        for (var step = 0; step < steps; step++)
        {
            var user = (ulong)random.Next(1, users + 1);
            var asset = assets[random.Next(assets.Count)];
            switch (random.Next(7))
            {
                case 0:
                case 1:
                    exchange.CreditDeposit(new DepositCredit(nextId++, user, asset, Amount(random, asset, 1_000_000)), Next());
                    break;
                case 2:
                    {
                        var available = exchange.GetUserBalance(user, asset).Available;
                        if (available < 4) break;
                        var id = nextId++;
                        var amount = available / 2;
                        var fee = random.Next(3) == 0 ? UInt128.Zero : available / 10;
                        if (exchange.RequestWithdrawal(new WithdrawalRequest(id, user, asset, amount, fee), Next()).IsSuccess) openWithdrawals.Add(id);
                        break;
                    }
                case 3:
                    if (openWithdrawals.Count == 0) break;
                    var w = openWithdrawals[random.Next(openWithdrawals.Count)];
                    openWithdrawals.Remove(w);
                    if (random.Next(3) == 0) exchange.CancelWithdrawal(w, Next());
                    else exchange.CompleteWithdrawal(w, Next());
                    break;
                case 4:
                    {
                        var available = exchange.GetUserBalance(user, asset).Available;
                        if (available < 2) break;
                        var order = nextId++;
                        var timeout = random.Next(2) == 0 ? 0u : (uint)random.Next(1, 4);
                        if (exchange.PlaceOrderHold(new OrderHoldRequest(order, user, asset, available / 3, timeout), Next()).IsSuccess)
                            openHolds.Add(FlowTransferIds.OrderHold(order));
                        break;
                    }
                case 5:
                    if (openHolds.Count == 0) break;
                    var hold = openHolds[random.Next(openHolds.Count)];
                    openHolds.Remove(hold);
                    exchange.ReleaseOrderHold(hold, Next());  // refused when it already expired: fine
                    break;
                default:
                    Trade(exchange, random, users, ref nextId, Next);
                    break;
            }
        }
        return exchange;
    }

    private static void Trade(ExchangeLedger exchange, Random random, int users, ref ulong nextId, Func<ulong> next)
    {
        var buyer = (ulong)random.Next(1, users + 1);
        var seller = (ulong)random.Next(1, users + 1);
        if (buyer == seller) return;
        var baseAsset = Asset.Btc;
        var quote = Asset.Gbp;
        var quoteAvailable = exchange.GetUserBalance(buyer, quote).Available;
        var baseAvailable = exchange.GetUserBalance(seller, baseAsset).Available;
        if (quoteAvailable < 1_000 || baseAvailable < 1_000) return;
        var baseAmount = baseAvailable / 4;
        var quoteAmount = quoteAvailable / 4;
        var makerBuys = random.Next(2) == 0;
        var buyOrder = nextId++;
        var sellOrder = nextId++;
        if (!exchange.PlaceOrderHold(new OrderHoldRequest(buyOrder, buyer, quote, quoteAmount + 7), next()).IsSuccess) return;
        if (!exchange.PlaceOrderHold(new OrderHoldRequest(sellOrder, seller, baseAsset, baseAmount), next()).IsSuccess) return;
        var trade = new TradeSettlement
        {
            TradeId = nextId++,
            Base = baseAsset,
            Quote = quote,
            MakerUserId = makerBuys ? buyer : seller,
            MakerOrderId = makerBuys ? buyOrder : sellOrder,
            TakerUserId = makerBuys ? seller : buyer,
            TakerOrderId = makerBuys ? sellOrder : buyOrder,
            TakerSide = makerBuys ? TradeSide.Sell : TradeSide.Buy,
            BaseAmount = baseAmount,
            QuoteAmount = quoteAmount,
            MakerFee = (makerBuys ? baseAmount : quoteAmount) / 1_000,
            TakerFee = (makerBuys ? quoteAmount : baseAmount) / 500,
            MakerHoldId = FlowTransferIds.OrderHold(makerBuys ? buyOrder : sellOrder),
            TakerHoldId = FlowTransferIds.OrderHold(makerBuys ? sellOrder : buyOrder),
            // The buyer's order stays open for the 7 units its hold had spare: a re-hold in the chain.
            MakerHoldRemaining = makerBuys ? 7u : 0u,
            TakerHoldRemaining = makerBuys ? 0u : 7u,
        };
        exchange.SettleTrade(in trade, next());
    }

    private static UInt128 Amount(Random random, Asset asset, int max)
    {
        var amount = (UInt128)(ulong)random.Next(1, max);
        for (var i = 0; i < Math.Min((int)asset.Scale, 6); i++) amount *= 10;
        return amount;
    }
}
