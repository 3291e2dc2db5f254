using System.Text.Json;
using BitCurrent.Ledger;
using static BitCurrent.Ledger.Tests.FlowTests;

namespace BitCurrent.Ledger.Tests;

/// <summary>Reconciliation: a consistent set balances; each kind of discrepancy is found; fixes go through the desk.</summary>
public class ReconciliationTests
{
    /// <summary>
    /// Alice deposited 1 BTC (deposit 1) and 0.5 BTC (deposit 2); withdrew 0.2 BTC (withdrawal 10, completed);
    /// requested 0.1 BTC (withdrawal 11, still held); cancelled 0.05 BTC (withdrawal 12). Bob deposited 3 ETH.
    /// </summary>
    private static (Exchange X, List<CustodyWalletBalance> Wallets, List<DepositRecord> Deposits, List<WithdrawalRecord> Withdrawals) Consistent()
    {
        var x = new Exchange();
        x.Deposit(1, Alice, Asset.Btc, OneBtc);
        x.Deposit(2, Alice, Asset.Btc, OneBtc / 2);
        x.Deposit(3, Bob, Asset.Eth, 3_000_000_000_000_000_000);
        Assert.True(x.Ledger.RequestWithdrawal(new WithdrawalRequest(10, Alice, Asset.Btc, 20_000_000, 10_000), x.Tick()).IsSuccess);
        Assert.True(x.Ledger.CompleteWithdrawal(10, x.Tick()).IsSuccess);
        Assert.True(x.Ledger.RequestWithdrawal(new WithdrawalRequest(11, Alice, Asset.Btc, 10_000_000, 10_000), x.Tick()).IsSuccess);
        Assert.True(x.Ledger.RequestWithdrawal(new WithdrawalRequest(12, Alice, Asset.Btc, 5_000_000, 0), x.Tick()).IsSuccess);
        Assert.True(x.Ledger.CancelWithdrawal(12, x.Tick()).IsSuccess);
        var wallets = new List<CustodyWalletBalance>
        {
            new("btc-hot", "BTC", 30_000_000),
            new("btc-cold", "BTC", 100_000_000),
            new("eth-hot", "ETH", 3_000_000_000_000_000_000),
        };
        var deposits = new List<DepositRecord>
        {
            new(1, Alice, "BTC", OneBtc, DepositStatus.Credited),
            new(2, Alice, "BTC", OneBtc / 2, DepositStatus.Credited),
            new(3, Bob, "ETH", 3_000_000_000_000_000_000, DepositStatus.Credited),
            new(4, Bob, "ETH", 1, DepositStatus.Pending),
        };
        var withdrawals = new List<WithdrawalRecord>
        {
            new(10, Alice, "BTC", 20_000_000, WithdrawalStatus.Completed),
            new(11, Alice, "BTC", 10_000_000, WithdrawalStatus.Requested),
            new(12, Alice, "BTC", 5_000_000, WithdrawalStatus.Cancelled),
            new(13, Alice, "BTC", 1, WithdrawalStatus.Failed),
        };
        return (x, wallets, deposits, withdrawals);
    }

    private static ReconciliationReport Run(Exchange x, List<CustodyWalletBalance> w, List<DepositRecord> d, List<WithdrawalRecord> r) =>
        Reconciler.Run(x.Ledger, new ReconciliationInput(w, d, r));

    [Fact]
    public void A_consistent_set_is_balanced()
    {
        var (x, w, d, r) = Consistent();
        var report = Run(x, w, d, r);
        Assert.True(report.IsBalanced, report.ToString());
        Assert.Equal(["BTC", "ETH", "GBP"], report.Balances.Select(b => b.Currency));
        Assert.Equal((UInt128)130_000_000, report.Balances[0].WalletAmount);
        Assert.Equal((Int128)130_000_000, report.Balances[0].LedgerAmount);
        Assert.Equal("0", report.Balances[0].Difference);
        Assert.Equal(x.Engine.LastTimestamp, report.LedgerTimestamp);
        Assert.StartsWith($"Reconciliation at ledger timestamp {x.Engine.LastTimestamp}: BALANCED", report.ToString(), StringComparison.Ordinal);
        Assert.Equal(["BTC", "1.30000000", "1.30000000", "0.00000000"], Row(report, "BTC"));
    }

    /// <summary>The cells of the printed balance line of a currency.</summary>
    private static string[] Row(ReconciliationReport report, string currency) =>
        report.ToString().Split('\n').First(line => line.StartsWith(currency + " ", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static Discrepancy Single(ReconciliationReport report, DiscrepancyKind kind)
    {
        Assert.False(report.IsBalanced);
        var found = Assert.Single(report.Discrepancies);
        Assert.Equal(kind, found.Kind);
        Assert.Equal((int)kind, found.Code);
        return found;
    }

    [Fact]
    public void A_wallet_that_differs_from_the_ledger_is_a_balance_mismatch()
    {
        var (x, w, d, r) = Consistent();
        w[1] = w[1] with { Amount = 99_000_000 };
        var found = Single(Run(x, w, d, r), DiscrepancyKind.BalanceMismatch);
        Assert.Equal(("BTC", "1.30000000", "1.29000000"), (found.Currency, found.Expected, found.Actual));
        Assert.Equal("-1000000", Run(x, w, d, r).Balances[0].Difference);
    }

    [Fact]
    public void A_wallet_in_an_unknown_currency_is_reported()
    {
        var (x, w, d, r) = Consistent();
        w.Add(new CustodyWalletBalance("doge", "DOGE", 5));
        Assert.Equal("DOGE", Single(Run(x, w, d, r), DiscrepancyKind.UnknownCurrency).Currency);
    }

    [Fact]
    public void A_credited_deposit_missing_from_the_ledger_is_found_and_fixed_through_the_desk()
    {
        var (x, w, d, r) = Consistent();
        d.Add(new DepositRecord(5, Alice, "BTC", 7_000, DepositStatus.Credited));
        w[0] = w[0] with { Amount = 30_007_000 };  // the coins are in the wallet
        var report = Run(x, w, d, r);
        Assert.Equal([DiscrepancyKind.BalanceMismatch, DiscrepancyKind.DepositMissingFromLedger], report.Discrepancies.Select(e => e.Kind));
        Assert.Equal(5UL, report.Discrepancies[1].ReferenceId);

        var desk = new AdjustmentDesk(x.Ledger);
        var fix = new AdjustmentProposal(900, Asset.Btc, LedgerAccounts.Custody(Asset.Btc), LedgerAccounts.UserAvailable(Alice, Asset.Btc), 7_000,
            "reconciliation: deposit 5 never credited", DepositId: 5);
        Assert.Equal(AdjustmentResult.Ok, desk.Propose(fix, "ops.alice", x.Tick()));
        Assert.Equal(AdjustmentResult.ApproverMustNotBeProposer, desk.Approve(900, "ops.alice", x.Tick()).Result);
        Assert.False(Run(x, w, d, r).IsBalanced);
        Assert.Equal(AdjustmentResult.Ok, desk.Approve(900, "cfo.bob", x.Tick()).Result);
        Assert.True(Run(x, w, d, r).IsBalanced, Run(x, w, d, r).ToString());
    }

    [Fact]
    public void A_ledger_deposit_without_a_record_is_found()
    {
        var (x, w, d, r) = Consistent();
        d.RemoveAt(1);
        Assert.Equal(2UL, Single(Run(x, w, d, r), DiscrepancyKind.LedgerDepositWithoutRecord).ReferenceId);
    }

    [Fact]
    public void A_deposit_credited_twice_is_found()
    {
        var (x, w, d, r) = Consistent();
        // An operator "corrects" deposit 2 although it was credited: the desk allows it once, reconciliation sees two entries.
        var desk = new AdjustmentDesk(x.Ledger);
        desk.Propose(new AdjustmentProposal(1, Asset.Btc, LedgerAccounts.Custody(Asset.Btc), LedgerAccounts.UserAvailable(Alice, Asset.Btc),
            OneBtc / 2, "duplicate", DepositId: 2), "a", x.Tick());
        Assert.Equal(AdjustmentResult.Ok, desk.Approve(1, "b", x.Tick()).Result);
        var report = Run(x, w, d, r);
        Assert.Equal([DiscrepancyKind.BalanceMismatch, DiscrepancyKind.DepositCreditedTwice], report.Discrepancies.Select(e => e.Kind));
        Assert.Equal(("1 ledger entry", "2 ledger entries"), (report.Discrepancies[1].Expected, report.Discrepancies[1].Actual));
    }

    [Fact]
    public void A_deposit_whose_amount_differs_is_found()
    {
        var (x, w, d, r) = Consistent();
        d[0] = d[0] with { Amount = OneBtc + 1 };
        var found = Single(Run(x, w, d, r), DiscrepancyKind.DepositAmountMismatch);
        Assert.Equal(("100000001 BTC to user 1", "100000000 BTC to user 1"), (found.Expected, found.Actual));
        d[0] = d[0] with { Amount = OneBtc, UserId = Bob };
        Single(Run(x, w, d, r), DiscrepancyKind.DepositAmountMismatch);
    }

    [Fact]
    public void A_credited_deposit_whose_record_is_not_credited_is_found()
    {
        var (x, w, d, r) = Consistent();
        d[2] = d[2] with { Status = DepositStatus.Failed };
        var found = Single(Run(x, w, d, r), DiscrepancyKind.DepositStatusMismatch);
        Assert.Equal(("Credited", "Failed"), (found.Expected, found.Actual));
    }

    [Theory]
    [InlineData(0, WithdrawalStatus.Requested, "held (pending)", "posted")]
    [InlineData(1, WithdrawalStatus.Completed, "posted", "pending")]
    [InlineData(1, WithdrawalStatus.Cancelled, "voided, expired or absent", "pending")]
    [InlineData(2, WithdrawalStatus.Completed, "posted", "voided")]
    [InlineData(3, WithdrawalStatus.Requested, "held (pending)", "absent")]
    public void A_withdrawal_out_of_step_with_the_ledger_is_found(int index, WithdrawalStatus status, string expected, string actual)
    {
        var (x, w, d, r) = Consistent();
        r[index] = r[index] with { Status = status };
        var found = Single(Run(x, w, d, r), DiscrepancyKind.WithdrawalOutOfStep);
        Assert.Equal((r[index].WithdrawalId, expected, actual), (found.ReferenceId, found.Expected, found.Actual));
    }

    [Fact]
    public void A_ledger_withdrawal_without_a_record_and_an_amount_mismatch_are_found()
    {
        var (x, w, d, r) = Consistent();
        r.RemoveAt(1);
        Assert.Equal(11UL, Single(Run(x, w, d, r), DiscrepancyKind.LedgerWithdrawalWithoutRecord).ReferenceId);
        (x, w, d, r) = Consistent();
        r[0] = r[0] with { Amount = 1 };
        Assert.Equal(10UL, Single(Run(x, w, d, r), DiscrepancyKind.WithdrawalAmountMismatch).ReferenceId);
    }

    [Fact]
    public void The_report_is_machine_readable_and_printable()
    {
        var (x, w, d, r) = Consistent();
        w[2] = w[2] with { Amount = 1 };
        d.RemoveAt(0);
        var report = Run(x, w, d, r);
        var json = report.ToJson();
        using var doc = JsonDocument.Parse(json);
        var first = doc.RootElement.GetProperty("discrepancies")[0];
        Assert.Equal("BalanceMismatch", first.GetProperty("kind").GetString());
        Assert.Equal(4701, first.GetProperty("code").GetInt32());
        Assert.False(doc.RootElement.GetProperty("isBalanced").GetBoolean());
        Assert.Equal("130000000", doc.RootElement.GetProperty("balances")[0].GetProperty("walletAmount").GetString());
        Assert.Equal("3000000000000000000", doc.RootElement.GetProperty("balances")[1].GetProperty("ledgerAmount").GetString());

        var back = ReconciliationReport.FromJson(json);
        Assert.Equal(report.Discrepancies, back.Discrepancies);
        Assert.Equal(report.Balances, back.Balances);
        Assert.Equal(report.LedgerTimestamp, back.LedgerTimestamp);

        var text = report.ToString();
        Assert.Contains("2 DISCREPANCIES", text, StringComparison.Ordinal);
        Assert.Contains("Code  Kind", text, StringComparison.Ordinal);
        Assert.Contains("4704  LedgerDepositWithoutRecord", text, StringComparison.Ordinal);
        Assert.Equal(["ETH", "0.000000000000000001", "3.000000000000000000", "-2.999999999999999999"], Row(report, "ETH"));
    }
}
