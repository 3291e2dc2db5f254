using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BitCurrent.Ledger;

namespace BitCurrent.Storage.PostgreSql.Internal;

internal sealed record UserRow(long Id, string Email, string DisplayName, DateTimeOffset RegisteredAt);

internal sealed record DepositRow(long Id, long UserId, string Currency, UInt128 Amount, string Status, string Txid, int OutputIndex,
    string Address, int Confirmations, int ConfirmationsRequired, DateTimeOffset CreatedAt, DateTimeOffset? CreditedAt);

internal sealed record WithdrawalRow(long Id, long UserId, string Currency, UInt128 Amount, UInt128 Fee, string Address, string Status,
    string? Txid, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

internal sealed record OrderRow(long Id, long UserId, string Symbol, string Side, UInt128 Price, UInt128 Quantity, UInt128 Filled, string Status,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

internal sealed record TradeRow(long Id, string Symbol, string BaseCurrency, string QuoteCurrency, UInt128 Price, UInt128 BaseAmount,
    UInt128 QuoteAmount, long MakerOrderId, long TakerOrderId, long MakerUserId, long TakerUserId, string TakerSide,
    UInt128 MakerFee, string MakerFeeCurrency, UInt128 TakerFee, string TakerFeeCurrency, DateTimeOffset ExecutedAt);

internal sealed record WalletRow(string Id, string Currency, string Kind, string Address, UInt128 Balance);

internal sealed record SecurityEventRow(string EventType, long? UserId, string IpAddress, string UserAgent, int MinutesAgo);

/// <summary>
/// The demo data set, built through the real ledger: users deposit (credited after their confirmations), trade on
/// BTC-GBP and ETH-GBP with maker/taker fees, and withdraw (some pending, some sent, one rejected). The custody wallets
/// are written from the ledger's custody balances, so that a reconciliation of the seed is balanced. With
/// discrepancies, each kind the runbook looks for is planted once.
/// </summary>
internal sealed class DemoScenario
{
    /// <summary>2025-10-10T00:00:00Z in nanoseconds: the seed's ledger clock starts here (deterministic data).</summary>
    public const ulong ClockStart = 1_760_054_400_000_000_000;
    private const ulong Minute = 60UL * 1_000_000_000;
    public const int MakerFeeBasisPoints = 10;
    public const int TakerFeeBasisPoints = 20;

    private readonly Dictionary<long, OrderState> _orders = [];
    private ulong _clock = ClockStart;

    private DemoScenario()
    {
        Exchange = new ExchangeLedger(new LedgerEngine(new LedgerEngineOptions { AccountsMax = 4_096, TransfersMax = 65_536 }), AssetRegistry.Examples());
        Desk = new AdjustmentDesk(Exchange);
    }

    public ExchangeLedger Exchange { get; }
    public AdjustmentDesk Desk { get; }
    public List<UserRow> Users { get; } = [];
    public List<DepositRow> Deposits { get; } = [];
    public List<WithdrawalRow> Withdrawals { get; } = [];
    public List<OrderRow> Orders { get; } = [];
    public List<TradeRow> Trades { get; } = [];
    public List<WalletRow> Wallets { get; } = [];
    public List<SecurityEventRow> SecurityEvents { get; } = [];

    private static Asset Btc => Asset.Btc;
    private static Asset Eth => Asset.Eth;
    private static Asset Gbp => Asset.Gbp;

    public static DemoScenario Build(bool withDiscrepancies)
    {
        var s = new DemoScenario();
        s.Require(s.Exchange.OpenSystemAccounts(s.Next()), "open the system accounts");

        string[] names = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Linus Torvalds", "Margaret Hamilton", "Edsger Dijkstra", "Barbara Liskov", "Ken Thompson"];
        for (var i = 0; i < names.Length; i++)
        {
            var id = i + 1;
            var ts = s.Next();
            s.Require(s.Exchange.OpenUserAccounts((ulong)id, ts), $"open the accounts of user {id}");
            var email = names[i].Split(' ')[0].ToLowerInvariant() + "@example.com";
            s.Users.Add(new UserRow(id, email, names[i], Time(ts)));
        }

        // Deposits: BTC and GBP for everyone, ETH for even users; credited after their confirmations.
        var depositId = 1000L;
        for (var u = 1L; u <= names.Length; u++)
        {
            s.Deposit(++depositId, u, Btc, Units(Btc, 50 + (25 * u), 2), credited: true);
            s.Deposit(++depositId, u, Gbp, Units(Gbp, 10_000 + (2_500 * u), 0), credited: true);
            if (u % 2 == 0) s.Deposit(++depositId, u, Eth, Units(Eth, 2 + u, 0), credited: true);
        }
        s.Deposit(1101, 3, Btc, Units(Btc, 10, 2), credited: false, confirmations: 1);        // still confirming
        s.Deposit(1102, 6, Eth, Units(Eth, 15, 1), credited: false, confirmations: 4);        // still confirming
        s.Deposit(1103, 2, Btc, Units(Btc, 5, 2), credited: false, confirmations: 0, failed: true);  // reorganised away

        // Trading: BTC-GBP at 50 000.00 and ETH-GBP at 2 500.00; makers pay 0.10 %, takers 0.20 %, in what they receive.
        var btcPrice = Units(Gbp, 50_000, 0);
        var ethPrice = Units(Gbp, 2_500, 0);
        s.PlaceOrder(5001, 1, Btc, Gbp, "sell", btcPrice, Units(Btc, 40, 2));
        s.PlaceOrder(5002, 2, Btc, Gbp, "buy", btcPrice, Units(Btc, 25, 2));
        s.Trade(7001, makerOrder: 5001, takerOrder: 5002, Units(Btc, 25, 2));
        s.PlaceOrder(5003, 3, Btc, Gbp, "buy", btcPrice, Units(Btc, 10, 2));
        s.Trade(7002, makerOrder: 5001, takerOrder: 5003, Units(Btc, 10, 2));
        s.PlaceOrder(5004, 4, Eth, Gbp, "sell", ethPrice, Units(Eth, 1, 0));
        s.PlaceOrder(5005, 5, Eth, Gbp, "buy", ethPrice, Units(Eth, 1, 0));
        s.Trade(7003, makerOrder: 5004, takerOrder: 5005, Units(Eth, 1, 0));
        s.PlaceOrder(5006, 6, Btc, Gbp, "buy", Units(Gbp, 48_000, 0), Units(Btc, 50, 2));   // rests on the book
        s.PlaceOrder(5007, 8, Eth, Gbp, "sell", Units(Gbp, 2_600, 0), Units(Eth, 2, 0));
        s.CancelOrder(5007);

        // Withdrawals: sent (confirmed, broadcast), held (pending, approved, signed) and one rejected.
        var btcFee = Units(Btc, 1, 4);
        var ethFee = Units(Eth, 1, 3);
        s.Withdraw(3001, 1, Btc, Units(Btc, 10, 2), btcFee, "confirmed");
        s.Withdraw(3002, 2, Btc, Units(Btc, 5, 2), btcFee, "pending");
        s.Withdraw(3003, 4, Eth, Units(Eth, 1, 0), ethFee, "approved");
        s.Withdraw(3004, 5, Gbp, Units(Gbp, 500, 0), UInt128.Zero, "confirmed");
        s.Withdraw(3005, 6, Btc, Units(Btc, 20, 2), btcFee, "rejected");
        s.Withdraw(3006, 7, Btc, Units(Btc, 15, 2), btcFee, "signed");
        s.Withdraw(3007, 8, Eth, Units(Eth, 5, 1), ethFee, "broadcast");
        s.Withdraw(3008, 3, Btc, Units(Btc, 5, 2), btcFee, "pending");

        var walletSurplus = UInt128.Zero;
        var btcSurplus = UInt128.Zero;
        if (withDiscrepancies)
        {
            // A credited deposit that the ledger never credited (the runbook's "missing ledger entries" query finds it):
            // its coins are in the BTC hot wallet, so the wallets also hold 0.25 BTC more than the ledger.
            var ts = s.Next();
            s.Deposits.Add(s.DepositRow(1901, 3, Btc, Units(Btc, 25, 2), "credited", ts));
            btcSurplus = Units(Btc, 25, 2);
            // A ledger credit for a deposit the deposits table does not know.
            s.Require(s.Exchange.CreditDeposit(new DepositCredit(1902, 4, Gbp, Units(Gbp, 250, 0)), s.Next()), "credit deposit 1902");
            // A deposit credited twice: an approved correction for deposit 1013, which was credited already.
            var twice = s.Deposits.Find(d => d.Id == 1013)!;
            var asset = s.Exchange.Assets[twice.Currency];
            var proposal = new AdjustmentProposal(1, asset, LedgerAccounts.Custody(asset), LedgerAccounts.UserAvailable((ulong)twice.UserId, asset),
                twice.Amount, "deposit 1013 reported missing (it was not)", DepositId: 1013);
            if (s.Desk.Propose(proposal, "ops.ann", s.Next()) != AdjustmentResult.Ok ||
                s.Desk.Approve(1, "ops.ben", s.Next()).Result != AdjustmentResult.Ok)
                throw new StorageException(StorageError.SeedFailed, "the correction of deposit 1013 was refused");
            // A withdrawal marked confirmed whose ledger hold was never posted.
            s.Require(s.Exchange.RequestWithdrawal(new WithdrawalRequest(3901, 1, Btc, Units(Btc, 2, 2), btcFee), s.Next()), "hold withdrawal 3901");
            var at = Time(s._clock);
            s.Withdrawals.Add(new WithdrawalRow(3901, 1, "BTC", Units(Btc, 2, 2), btcFee, Address("BTC", 3901, external: true), "confirmed",
                Txid("withdrawal", 3901), at, at));
            // The ETH hot wallet holds 0.5 ETH more than the books say.
            walletSurplus = Units(Eth, 5, 1);
        }

        // Custody wallets, from the ledger's custody balances: a fifth hot, the rest cold; GBP in one bank account.
        foreach (var asset in s.Exchange.Assets.Assets)
        {
            var custody = (UInt128)s.Exchange.GetCustodyBalance(asset);
            var code = asset.Code.ToLowerInvariant();
            if (asset == Gbp)
            {
                s.Wallets.Add(new WalletRow($"{code}-bank", asset.Code, "bank", "GB33BUKB20201555555555", custody));
                continue;
            }
            var hot = custody / 5;
            var surplus = asset == Eth ? walletSurplus : asset == Btc ? btcSurplus : UInt128.Zero;
            s.Wallets.Add(new WalletRow($"{code}-hot", asset.Code, "hot", Address(asset.Code, 1, external: false), hot + surplus));
            s.Wallets.Add(new WalletRow($"{code}-cold", asset.Code, "cold", Address(asset.Code, 2, external: false), custody - hot));
        }

        // Failed logins for the HighFailedLoginRate drill (documentation addresses, RFC 5737).
        for (var i = 0; i < 12; i++) s.SecurityEvents.Add(new SecurityEventRow("login_failed", i % 3 == 0 ? 3 : 2, "203.0.113.7", "python-requests/2.31", 1 + i));
        for (var i = 0; i < 4; i++) s.SecurityEvents.Add(new SecurityEventRow("login_failed", 5, "198.51.100.23", "Mozilla/5.0", 3 + (2 * i)));
        for (var i = 0; i < 3; i++) s.SecurityEvents.Add(new SecurityEventRow("login_failed", 1, "192.0.2.44", "Mozilla/5.0", 120 + i));
        for (var u = 1; u <= names.Length; u++) s.SecurityEvents.Add(new SecurityEventRow("login_succeeded", u, "192.0.2." + (10 + u).ToString(CultureInfo.InvariantCulture), "Mozilla/5.0", 30 + u));
        return s;
    }

    public static DateTimeOffset Time(ulong ledgerTimestamp) => DateTimeOffset.UnixEpoch.AddTicks((long)(ledgerTimestamp / 100));

    /// <summary><paramref name="whole"/> × 10^-<paramref name="decimals"/> units of the asset, in minor units.</summary>
    private static UInt128 Units(Asset asset, long whole, int decimals)
    {
        var value = (UInt128)(ulong)whole;
        for (var i = 0; i < asset.Scale - decimals; i++) value *= 10;
        return value;
    }

    private ulong Next()
    {
        _clock = Math.Max(_clock + Minute, Exchange.Engine.LastTimestamp + 1);
        return _clock;
    }

    private void Require(FlowResult result, string what)
    {
        if (!result.IsSuccess)
            throw new StorageException(StorageError.SeedFailed, $"{what}: {(int)result.Error} {result.Error} ({result.TransferResult}, {result.AccountResult})");
    }

    private void Deposit(long id, long userId, Asset asset, UInt128 amount, bool credited, int confirmations = -1, bool failed = false)
    {
        var ts = Next();
        if (credited) Require(Exchange.CreditDeposit(new DepositCredit((ulong)id, (ulong)userId, asset, amount), ts), $"credit deposit {id}");
        var row = DepositRow(id, userId, asset, amount, credited ? "credited" : failed ? "failed" : "pending", ts);
        Deposits.Add(confirmations < 0 ? row : row with { Confirmations = confirmations });
    }

    private DepositRow DepositRow(long id, long userId, Asset asset, UInt128 amount, string status, ulong ts)
    {
        var required = asset == Btc ? 3 : asset == Eth ? 12 : 0;
        var seen = Time(ts - (ulong)required * 10 * Minute);
        var credited = status == "credited" ? Time(ts) : (DateTimeOffset?)null;
        return new DepositRow(id, userId, asset.Code, amount, status, Txid("deposit", id), asset == Gbp ? 0 : (int)(id % 3),
            Address(asset.Code, userId, external: false), status == "credited" ? required + 1 : 0, required, seen, credited);
    }

    private void PlaceOrder(long id, long userId, Asset baseAsset, Asset quote, string side, UInt128 price, UInt128 quantity)
    {
        var hold = side == "buy" ? QuoteOf(baseAsset, quantity, price) : quantity;
        var spent = side == "buy" ? quote : baseAsset;
        var ts = Next();
        Require(Exchange.PlaceOrderHold(new OrderHoldRequest((ulong)id, (ulong)userId, spent, hold), ts), $"hold order {id}");
        _orders[id] = new OrderState(id, userId, baseAsset, quote, side, price, quantity, FlowTransferIds.OrderHold((ulong)id), hold);
        Orders.Add(new OrderRow(id, userId, $"{baseAsset.Code}-{quote.Code}", side, price, quantity, UInt128.Zero, "open", Time(ts), Time(ts)));
    }

    private void CancelOrder(long id)
    {
        var order = _orders[id];
        var ts = Next();
        Require(Exchange.ReleaseOrderHold(order.HoldId, ts), $"release order {id}");
        Replace(id, row => row with { Status = "cancelled", UpdatedAt = Time(ts) });
    }

    private void Trade(long tradeId, long makerOrder, long takerOrder, UInt128 baseAmount)
    {
        var maker = _orders[makerOrder];
        var taker = _orders[takerOrder];
        var price = maker.Price;  // trades execute at the maker's price
        var quoteAmount = QuoteOf(maker.Base, baseAmount, price);
        var takerBuys = taker.Side == "buy";
        var buyerFee = baseAmount * (uint)(takerBuys ? TakerFeeBasisPoints : MakerFeeBasisPoints) / 10_000;
        var sellerFee = quoteAmount * (uint)(takerBuys ? MakerFeeBasisPoints : TakerFeeBasisPoints) / 10_000;
        maker.Fill(baseAmount, quoteAmount);
        taker.Fill(baseAmount, quoteAmount);
        var settlement = new TradeSettlement
        {
            TradeId = (ulong)tradeId,
            Base = maker.Base,
            Quote = maker.Quote,
            MakerUserId = (ulong)maker.UserId,
            MakerOrderId = (ulong)maker.Id,
            TakerUserId = (ulong)taker.UserId,
            TakerOrderId = (ulong)taker.Id,
            TakerSide = takerBuys ? TradeSide.Buy : TradeSide.Sell,
            BaseAmount = baseAmount,
            QuoteAmount = quoteAmount,
            MakerFee = takerBuys ? sellerFee : buyerFee,
            TakerFee = takerBuys ? buyerFee : sellerFee,
            MakerHoldId = maker.HoldId,
            TakerHoldId = taker.HoldId,
            MakerHoldRemaining = maker.Done ? UInt128.Zero : maker.HoldRemaining,
            TakerHoldRemaining = taker.Done ? UInt128.Zero : taker.HoldRemaining,
        };
        var ts = Next();
        Require(Exchange.SettleTrade(in settlement, ts), $"settle trade {tradeId}");
        maker.HoldId = FlowTransferIds.TradeReHold((ulong)tradeId, TradeRole.Maker);
        taker.HoldId = FlowTransferIds.TradeReHold((ulong)tradeId, TradeRole.Taker);
        var symbol = $"{maker.Base.Code}-{maker.Quote.Code}";
        Trades.Add(new TradeRow(tradeId, symbol, maker.Base.Code, maker.Quote.Code, price, baseAmount, quoteAmount, maker.Id, taker.Id,
            maker.UserId, taker.UserId, taker.Side, settlement.MakerFee, takerBuys ? maker.Quote.Code : maker.Base.Code,
            settlement.TakerFee, takerBuys ? maker.Base.Code : maker.Quote.Code, Time(ts)));
        foreach (var order in new[] { maker, taker })
        {
            Replace(order.Id, row => row with { Filled = order.Filled, Status = order.Done ? "filled" : "partially_filled", UpdatedAt = Time(ts) });
        }
    }

    private void Withdraw(long id, long userId, Asset asset, UInt128 amount, UInt128 fee, string status)
    {
        var requested = Next();
        Require(Exchange.RequestWithdrawal(new WithdrawalRequest((ulong)id, (ulong)userId, asset, amount, fee), requested), $"hold withdrawal {id}");
        var updated = requested;
        if (status is "broadcast" or "confirmed")
        {
            updated = Next();
            Require(Exchange.CompleteWithdrawal((ulong)id, updated), $"complete withdrawal {id}");
        }
        else if (status is "rejected" or "failed")
        {
            updated = Next();
            Require(Exchange.CancelWithdrawal((ulong)id, updated), $"cancel withdrawal {id}");
        }
        var sent = status is "signed" or "broadcast" or "confirmed";
        Withdrawals.Add(new WithdrawalRow(id, userId, asset.Code, amount, fee, Address(asset.Code, id, external: true), status,
            sent ? Txid("withdrawal", id) : null, Time(requested), Time(updated)));
    }

    private void Replace(long orderId, Func<OrderRow, OrderRow> change)
    {
        var index = Orders.FindIndex(o => o.Id == orderId);
        Orders[index] = change(Orders[index]);
    }

    /// <summary>Quote minor units for a base amount at a price in quote minor units per whole base unit.</summary>
    private static UInt128 QuoteOf(Asset baseAsset, UInt128 baseAmount, UInt128 price)
    {
        var unit = UInt128.One;
        for (var i = 0; i < baseAsset.Scale; i++) unit *= 10;
        return baseAmount * price / unit;
    }

    private static string Txid(string kind, long id) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"bitcurrent demo {kind} {id}"))));

    /// <summary>A placeholder address that says what it is (demo data: not a valid on-chain address).</summary>
    private static string Address(string currency, long id, bool external) =>
        string.Create(CultureInfo.InvariantCulture, $"demo-{currency.ToLowerInvariant()}-{(external ? "external" : "custody")}-{id:D4}");

    private sealed class OrderState(long id, long userId, Asset baseAsset, Asset quote, string side, UInt128 price, UInt128 quantity, UInt128 holdId, UInt128 hold)
    {
        public long Id { get; } = id;
        public long UserId { get; } = userId;
        public Asset Base { get; } = baseAsset;
        public Asset Quote { get; } = quote;
        public string Side { get; } = side;
        public UInt128 Price { get; } = price;
        public UInt128 Quantity { get; } = quantity;
        public UInt128 HoldId { get; set; } = holdId;
        public UInt128 HoldRemaining { get; private set; } = hold;
        public UInt128 Filled { get; private set; }
        public bool Done => Filled == Quantity;

        public void Fill(UInt128 baseAmount, UInt128 quoteAmount)
        {
            Filled += baseAmount;
            HoldRemaining -= Side == "buy" ? quoteAmount : baseAmount;
        }
    }
}
