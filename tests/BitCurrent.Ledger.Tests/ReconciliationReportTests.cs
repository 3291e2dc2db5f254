using BitCurrent.Ledger;
using static BitCurrent.Ledger.Tests.FlowTests;

namespace BitCurrent.Ledger.Tests;

/// <summary>
/// What a reconciliation reports, exactly: the printed tables (numbers right-aligned and scaled, text left-aligned),
/// the full discrepancy records for each kind, and the cases at the edges (wallet sums beyond 128 bits, records in
/// currencies the ledger does not list, ledger flows that are not deposits).
/// </summary>
public class ReconciliationReportTests
{
    private static ReconciliationReport Run(Exchange x, CustodyWalletBalance[]? wallets = null, DepositRecord[]? deposits = null,
        WithdrawalRecord[]? withdrawals = null) =>
        Reconciler.Run(x.Ledger, new ReconciliationInput(wallets ?? [], deposits ?? [], withdrawals ?? []));

    [Fact]
    public void The_printed_report_aligns_and_scales_every_column()
    {
        var report = new ReconciliationReport(42,
            [new CurrencyBalanceLine("BTC", 8, 12_345_678, 150), new CurrencyBalanceLine("XRP", 0, 5, 0), new CurrencyBalanceLine("GBP", 2, 7, 1007)],
            [
                new Discrepancy(DiscrepancyKind.BalanceMismatch, "GBP", 0, "10.07", "0.07", "short"),
                new Discrepancy(DiscrepancyKind.UnknownCurrency, "XRP", 12345, "a registered asset", "XRP", "unknown"),
            ]);
        string[] expected =
        [
            "Reconciliation at ledger timestamp 42: 2 DISCREPANCIES",
            "Currency     Wallets      Ledger  Difference",
            "BTC       0.12345678  0.00000150  0.12345528",
            "XRP                5           0           5",
            "GBP             0.07       10.07      -10.00",
            "",
            "Code  Kind             Currency  Reference  Expected            Actual  Detail",
            "4701  BalanceMismatch  GBP               0  10.07               0.07    short",
            "4702  UnknownCurrency  XRP           12345  a registered asset  XRP     unknown",
            "",
        ];
        Assert.Equal(expected, report.ToString().Split(Environment.NewLine));
        Assert.Throws<ArgumentNullException>("writer", () => report.Write(null!));
    }

    [Fact]
    public void A_balanced_report_prints_only_the_balances()
    {
        var report = new ReconciliationReport(7, [new CurrencyBalanceLine("GBP", 2, 100, 100)], []);
        Assert.Equal(
            ["Reconciliation at ledger timestamp 7: BALANCED", "Currency  Wallets  Ledger  Difference", "GBP          1.00    1.00        0.00", ""],
            report.ToString().Split(Environment.NewLine));
    }

    [Fact]
    public void Flows_that_are_not_deposits_or_withdrawals_keep_the_books_balanced()
    {
        var x = new Exchange();
        x.Deposit(1, Alice, Asset.Btc, 1_000);
        x.Deposit(2, Bob, Asset.Gbp, 50_000);
        Assert.True(x.Ledger.PlaceOrderHold(new OrderHoldRequest(70, Bob, Asset.Gbp, 40_000), x.Tick()).IsSuccess);
        Assert.True(x.Ledger.PlaceOrderHold(new OrderHoldRequest(71, Alice, Asset.Btc, 500), x.Tick()).IsSuccess);
        var trade = new TradeSettlement
        {
            TradeId = 9,
            Base = Asset.Btc,
            Quote = Asset.Gbp,
            MakerUserId = Bob,
            MakerOrderId = 70,
            TakerUserId = Alice,
            TakerOrderId = 71,
            TakerSide = TradeSide.Sell,
            BaseAmount = 500,
            QuoteAmount = 40_000,
            MakerFee = 5,
            TakerFee = 400,
            MakerHoldId = FlowTransferIds.OrderHold(70),
            TakerHoldId = FlowTransferIds.OrderHold(71),
        };
        Assert.Equal(FlowResult.Ok, x.Ledger.SettleTrade(trade, x.Tick()));
        var desk = new AdjustmentDesk(x.Ledger);
        desk.Propose(new AdjustmentProposal(3, Asset.Btc, LedgerAccounts.Adjustments(Asset.Btc), LedgerAccounts.UserAvailable(Alice, Asset.Btc), 7, "goodwill"), "maker", x.Tick());
        Assert.Equal(AdjustmentResult.Ok, desk.Approve(3, "checker", x.Tick()).Result);

        var report = Run(x, [new("btc", "BTC", 1_000), new("gbp", "GBP", 50_000)],
            [new(1, Alice, "BTC", 1_000, DepositStatus.Credited), new(2, Bob, "GBP", 50_000, DepositStatus.Credited)]);
        Assert.True(report.IsBalanced, report.ToString());
    }

    [Fact]
    public void Wallet_sums_beyond_128_bits_are_reported_in_full()
    {
        var x = new Exchange();
        var report = Run(x, [new("a", "BTC", UInt128.MaxValue), new("b", "BTC", UInt128.MaxValue)]);
        var line = report.Balances[0];
        Assert.Equal(("BTC", UInt128.MaxValue, Int128.Zero), (line.Currency, line.WalletAmount, line.LedgerAmount));
        var found = Assert.Single(report.Discrepancies);
        Assert.Equal(new Discrepancy(DiscrepancyKind.BalanceMismatch, "BTC", 0, "0.00000000", "680564733841876926926749214863536422910",
            "custody wallets differ from the ledger by 680564733841876926926749214863536422910 minor units"), found);
    }

    [Fact]
    public void A_wallet_in_an_unlisted_currency_gets_its_own_balance_line()
    {
        var x = new Exchange();
        var report = Run(x, [new("x1", "XRP", 30), new("x2", "XRP", 12)]);
        Assert.Equal(new CurrencyBalanceLine("XRP", 0, 42, 0), report.Balances[^1]);
        Assert.Equal(4, report.Balances.Count);
        Assert.Equal(new Discrepancy(DiscrepancyKind.UnknownCurrency, "XRP", 0, "a registered asset", "XRP",
            "a custody wallet holds a currency the ledger does not list"), Assert.Single(report.Discrepancies));
    }

    [Fact]
    public void A_deposit_record_in_an_unlisted_currency_is_reported_twice_over()
    {
        var x = new Exchange();
        x.Deposit(5, Alice, Asset.Btc, 300);
        var report = Run(x, [new("btc", "BTC", 300)], [new(5, Alice, "XRP", 300, DepositStatus.Credited), new(6, Alice, "DOGE", 1, DepositStatus.Pending)]);
        Assert.Equal(
            [
                new Discrepancy(DiscrepancyKind.UnknownCurrency, "XRP", 5, "a registered asset", "XRP", "a deposit record names a currency the ledger does not list"),
                new Discrepancy(DiscrepancyKind.DepositAmountMismatch, "XRP", 5, "300 XRP to user 1", "300 BTC to user 1", "the ledger's credit differs from the deposit record"),
                new Discrepancy(DiscrepancyKind.UnknownCurrency, "DOGE", 6, "a registered asset", "DOGE", "a deposit record names a currency the ledger does not list"),
            ],
            report.Discrepancies);
    }

    [Fact]
    public void Deposit_discrepancies_carry_what_was_expected_and_what_was_found()
    {
        var x = new Exchange();
        x.Deposit(5, Alice, Asset.Btc, 300);
        x.Deposit(6, Alice, Asset.Btc, 10);
        // A second credit of deposit 5 under another transfer id (a correction applied although the deposit was credited).
        var twice = new Transfer
        {
            Id = FlowTransferIds.Adjustment(FlowCode.DepositCorrection, 5) + 1,
            DebitAccountId = LedgerAccounts.Custody(Asset.Btc),
            CreditAccountId = LedgerAccounts.UserAvailable(Alice, Asset.Btc),
            Amount = 300,
            Ledger = Asset.Btc.Ledger,
            Code = (ushort)FlowCode.DepositCorrection,
            UserData128 = 5,
        };
        Assert.Equal(FlowResult.Ok, x.Ledger.Run([twice], x.Tick()));
        var report = Run(x, [new("btc", "BTC", 610)], [new(5, Alice, "BTC", 300, DepositStatus.Credited), new(6, Alice, "BTC", 10, DepositStatus.Pending)]);
        Assert.Equal(
            [
                new Discrepancy(DiscrepancyKind.DepositCreditedTwice, "BTC", 5, "1 ledger entry", "2 ledger entries", "the ledger credits this deposit more than once"),
                new Discrepancy(DiscrepancyKind.DepositStatusMismatch, "BTC", 6, "Credited", "Pending", "the ledger credits a deposit whose record is not marked credited"),
            ],
            report.Discrepancies);

        report = Run(x, [new("btc", "BTC", 610)], [new(5, Alice, "BTC", 300, DepositStatus.Credited)]);
        Assert.Equal(
            [
                new Discrepancy(DiscrepancyKind.DepositCreditedTwice, "BTC", 5, "1 ledger entry", "2 ledger entries", "the ledger credits this deposit more than once"),
                new Discrepancy(DiscrepancyKind.LedgerDepositWithoutRecord, "BTC", 6, "a deposit record", "none", "the ledger credits a deposit the deposits table does not know"),
            ],
            report.Discrepancies);
    }

    [Fact]
    public void Withdrawal_discrepancies_carry_what_was_expected_and_what_was_found()
    {
        var x = new Exchange();
        x.Deposit(1, Alice, Asset.Btc, 1_000);
        Assert.True(x.Ledger.RequestWithdrawal(new WithdrawalRequest(20, Alice, Asset.Btc, 100, 0), x.Tick()).IsSuccess);
        Assert.True(x.Ledger.RequestWithdrawal(new WithdrawalRequest(21, Alice, Asset.Btc, 50, 0), x.Tick()).IsSuccess);
        var report = Run(x, [new("btc", "BTC", 1_000)], [new(1, Alice, "BTC", 1_000, DepositStatus.Credited)],
            [new(20, Alice, "BTC", 90, WithdrawalStatus.Completed)]);
        Assert.Equal(
            [
                new Discrepancy(DiscrepancyKind.WithdrawalOutOfStep, "BTC", 20, "posted", "pending", "the withdrawal is completed but the ledger disagrees"),
                new Discrepancy(DiscrepancyKind.WithdrawalAmountMismatch, "BTC", 20, "90 BTC to user 1", "100 BTC to user 1", "the ledger's hold differs from the withdrawal record"),
                new Discrepancy(DiscrepancyKind.LedgerWithdrawalWithoutRecord, "BTC", 21, "a withdrawal record", "none", "the ledger holds a withdrawal the withdrawals table does not know"),
            ],
            report.Discrepancies);
    }

    [Fact]
    public void The_reconciler_needs_a_ledger_and_an_input()
    {
        var x = new Exchange();
        Assert.Throws<ArgumentNullException>("ledger", () => Reconciler.Run(null!, new ReconciliationInput([], [], [])));
        Assert.Throws<ArgumentNullException>("input", () => Reconciler.Run(x.Ledger, null!));
    }
}
