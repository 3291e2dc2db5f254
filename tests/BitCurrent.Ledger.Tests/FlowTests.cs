using BitCurrent.Ledger;

namespace BitCurrent.Ledger.Tests;

/// <summary>The exchange flows: accounts, deposits, withdrawals, order holds and trade settlement.</summary>
public class FlowTests
{
    internal const ulong Alice = 1;
    internal const ulong Bob = 2;
    internal const ulong OneBtc = 100_000_000;

    internal sealed class Exchange
    {
        public Exchange()
        {
            Engine = L.Engine(accounts: 256, transfers: 4096);
            Ledger = new ExchangeLedger(Engine, AssetRegistry.Examples());
            Assert.True(Ledger.OpenSystemAccounts(Tick()).IsSuccess);
            Assert.True(Ledger.OpenUserAccounts(Alice, Tick()).IsSuccess);
            Assert.True(Ledger.OpenUserAccounts(Bob, Tick()).IsSuccess);
        }

        public LedgerEngine Engine { get; }

        public ExchangeLedger Ledger { get; }

        public ulong Tick() => Engine.LastTimestamp + 1;

        public UserBalance Balance(ulong user, Asset asset) => Ledger.GetUserBalance(user, asset);

        public void Deposit(ulong depositId, ulong user, Asset asset, UInt128 amount) =>
            Assert.Equal(FlowResult.Ok, Ledger.CreditDeposit(new DepositCredit(depositId, user, asset, amount), Tick()));
    }

    [Fact]
    public void Opening_accounts_is_idempotent_and_follows_the_chart()
    {
        var x = new Exchange();
        Assert.Equal(FlowResult.Ok, x.Ledger.OpenSystemAccounts(x.Tick()));
        Assert.Equal(FlowResult.Ok, x.Ledger.OpenUserAccounts(Alice, x.Tick()));
        Assert.Equal(3 * 4 + 3 * 2, x.Engine.AccountCount);
        var alice = x.Engine.Get(LedgerAccounts.UserAvailable(Alice, Asset.Btc));
        Assert.Equal((ushort)LedgerAccountKind.UserAvailable, alice.Code);
        Assert.Equal(Alice, alice.UserData64);
        Assert.Equal(AccountFlags.DebitsMustNotExceedCredits | AccountFlags.History, alice.Flags);
        Assert.Equal(AccountFlags.CreditsMustNotExceedDebits | AccountFlags.History, x.Engine.Get(LedgerAccounts.Custody(Asset.Btc)).Flags);
        Assert.True(LedgerAccounts.TryDecode(alice.Id, out var kind, out var ledger, out var user));
        Assert.Equal((LedgerAccountKind.UserAvailable, 1u, Alice), (kind, ledger, user));
        Assert.False(LedgerAccounts.TryDecode(12345, out _, out _, out _));
    }

    [Fact]
    public void A_deposit_is_credited_once()
    {
        var x = new Exchange();
        var deposit = new DepositCredit(7, Alice, Asset.Btc, OneBtc);
        Assert.Equal(FlowResult.Ok, x.Ledger.CreditDeposit(deposit, x.Tick()));
        var retry = x.Ledger.CreditDeposit(deposit, x.Tick());
        Assert.Equal(FlowError.AlreadyApplied, retry.Error);
        Assert.Equal(CreateTransferResult.Exists, retry.TransferResult);
        Assert.Equal(new UserBalance(OneBtc, 0, OneBtc), x.Balance(Alice, Asset.Btc));
        Assert.Equal((Int128)OneBtc, x.Ledger.GetCustodyBalance(Asset.Btc));
        Assert.True(x.Engine.TryGetTransfer(FlowTransferIds.Deposit(7), out var t));
        Assert.Equal((ushort)FlowCode.Deposit, t.Code);
        Assert.Equal((UInt128)7, t.UserData128);
        Assert.Equal(FlowError.AmountMustNotBeZero, x.Ledger.CreditDeposit(deposit with { DepositId = 8, Amount = 0 }, x.Tick()).Error);
        Assert.Equal(FlowError.AssetNotRegistered, x.Ledger.CreditDeposit(deposit with { DepositId = 8, Asset = new Asset("DOGE", 9, 8) }, x.Tick()).Error);
        var unknownUser = x.Ledger.CreditDeposit(deposit with { DepositId = 8, UserId = 99 }, x.Tick());
        Assert.Equal((FlowError.TransferRejected, CreateTransferResult.CreditAccountNotFound, 0), (unknownUser.Error, unknownUser.TransferResult, unknownUser.FailedIndex));
    }

    [Fact]
    public void A_withdrawal_is_held_then_posted_with_its_fee()
    {
        var x = new Exchange();
        x.Deposit(1, Alice, Asset.Btc, OneBtc);
        Assert.Equal(FlowResult.Ok, x.Ledger.RequestWithdrawal(new WithdrawalRequest(5, Alice, Asset.Btc, 40_000_000, 100_000), x.Tick()));
        Assert.Equal(new UserBalance(59_900_000, 40_100_000, OneBtc), x.Balance(Alice, Asset.Btc));
        Assert.Equal(FlowResult.Ok, x.Ledger.CompleteWithdrawal(5, x.Tick()));
        Assert.Equal(new UserBalance(59_900_000, 0, 59_900_000), x.Balance(Alice, Asset.Btc));
        Assert.Equal((Int128)60_000_000, x.Ledger.GetCustodyBalance(Asset.Btc));
        Assert.Equal((UInt128)100_000, x.Engine.Get(LedgerAccounts.Fees(Asset.Btc)).CreditsPosted);
        Assert.Equal(FlowError.AlreadyApplied, x.Ledger.CompleteWithdrawal(5, x.Tick()).Error);
        var cancel = x.Ledger.CancelWithdrawal(5, x.Tick());
        Assert.Equal(CreateTransferResult.PendingTransferAlreadyPosted, cancel.TransferResult);
        Assert.Equal(FlowError.WithdrawalNotFound, x.Ledger.CompleteWithdrawal(6, x.Tick()).Error);
        x.Engine.Audit();
    }

    [Fact]
    public void A_cancelled_withdrawal_returns_everything()
    {
        var x = new Exchange();
        x.Deposit(1, Alice, Asset.Eth, 10);
        Assert.Equal(FlowResult.Ok, x.Ledger.RequestWithdrawal(new WithdrawalRequest(5, Alice, Asset.Eth, 6, 0), x.Tick()));
        Assert.Equal(FlowResult.Ok, x.Ledger.CancelWithdrawal(5, x.Tick()));
        Assert.Equal(new UserBalance(10, 0, 10), x.Balance(Alice, Asset.Eth));
        Assert.Equal(PendingStatus.Voided, x.Engine.GetPendingStatus(FlowTransferIds.WithdrawalHold(5)));
    }

    [Fact]
    public void A_withdrawal_larger_than_the_available_balance_holds_nothing()
    {
        var x = new Exchange();
        x.Deposit(1, Alice, Asset.Btc, 1000);
        var result = x.Ledger.RequestWithdrawal(new WithdrawalRequest(5, Alice, Asset.Btc, 900, 101), x.Tick());
        Assert.Equal((FlowError.TransferRejected, CreateTransferResult.ExceedsCredits, 1), (result.Error, result.TransferResult, result.FailedIndex));
        Assert.Equal(new UserBalance(1000, 0, 1000), x.Balance(Alice, Asset.Btc));
        Assert.False(x.Engine.TryGetTransfer(FlowTransferIds.WithdrawalHold(5), out _));
    }

    [Fact]
    public void An_order_hold_reserves_funds_until_released()
    {
        var x = new Exchange();
        x.Deposit(1, Alice, Asset.Gbp, 50_000);
        Assert.Equal(FlowResult.Ok, x.Ledger.PlaceOrderHold(new OrderHoldRequest(42, Alice, Asset.Gbp, 30_000), x.Tick()));
        Assert.Equal(new UserBalance(20_000, 30_000, 50_000), x.Balance(Alice, Asset.Gbp));
        var second = x.Ledger.PlaceOrderHold(new OrderHoldRequest(43, Alice, Asset.Gbp, 20_001), x.Tick());
        Assert.Equal(CreateTransferResult.ExceedsCredits, second.TransferResult);
        Assert.Equal(FlowResult.Ok, x.Ledger.ReleaseOrderHold(FlowTransferIds.OrderHold(42), x.Tick()));
        Assert.Equal(new UserBalance(50_000, 0, 50_000), x.Balance(Alice, Asset.Gbp));
        Assert.Equal(FlowError.AlreadyApplied, x.Ledger.ReleaseOrderHold(FlowTransferIds.OrderHold(42), x.Tick()).Error);
    }

    [Fact]
    public void A_good_till_date_hold_expires_by_itself()
    {
        var x = new Exchange();
        x.Deposit(1, Alice, Asset.Gbp, 500);
        var now = 100 * L.Second;
        Assert.Equal(FlowResult.Ok, x.Ledger.PlaceOrderHold(new OrderHoldRequest(42, Alice, Asset.Gbp, 500, TimeoutSeconds: 60), now));
        x.Engine.ExpirePendingTransfers(now + (61 * L.Second));
        Assert.Equal(new UserBalance(500, 0, 500), x.Balance(Alice, Asset.Gbp));
    }

    /// <summary>Bob rests a sell of 1 BTC; Alice buys 0.5 BTC at 20 000.00 GBP with a limit of 24 000.00.</summary>
    internal static (Exchange X, TradeSettlement Trade) TradeSetup()
    {
        var x = new Exchange();
        x.Deposit(1, Alice, Asset.Gbp, 2_000_000);
        x.Deposit(2, Bob, Asset.Btc, OneBtc);
        Assert.Equal(FlowResult.Ok, x.Ledger.PlaceOrderHold(new OrderHoldRequest(10, Bob, Asset.Btc, OneBtc), x.Tick()));
        Assert.Equal(FlowResult.Ok, x.Ledger.PlaceOrderHold(new OrderHoldRequest(11, Alice, Asset.Gbp, 1_200_000), x.Tick()));
        var trade = new TradeSettlement
        {
            TradeId = 500,
            Base = Asset.Btc,
            Quote = Asset.Gbp,
            MakerUserId = Bob,
            MakerOrderId = 10,
            TakerUserId = Alice,
            TakerOrderId = 11,
            TakerSide = TradeSide.Buy,
            BaseAmount = OneBtc / 2,
            QuoteAmount = 1_000_000,
            MakerFee = 1_000,
            TakerFee = 50_000,
            MakerHoldId = FlowTransferIds.OrderHold(10),
            TakerHoldId = FlowTransferIds.OrderHold(11),
            MakerHoldRemaining = OneBtc / 2,
            TakerHoldRemaining = 0,
        };
        return (x, trade);
    }

    [Fact]
    public void A_trade_settles_both_legs_and_fees_as_one_chain()
    {
        var (x, trade) = TradeSetup();
        Assert.Equal(FlowResult.Ok, x.Ledger.SettleTrade(trade, x.Tick()));

        // Alice paid 10 000.00 GBP (the rest of her hold released) and got 0.5 BTC minus 50 000 sat.
        Assert.Equal(new UserBalance(1_000_000, 0, 1_000_000), x.Balance(Alice, Asset.Gbp));
        Assert.Equal(new UserBalance((OneBtc / 2) - 50_000, 0, (OneBtc / 2) - 50_000), x.Balance(Alice, Asset.Btc));
        // Bob delivered 0.5 BTC; the other 0.5 stays held for his resting order; he got 10 000.00 GBP minus 10.00.
        Assert.Equal(new UserBalance(0, OneBtc / 2, OneBtc / 2), x.Balance(Bob, Asset.Btc));
        Assert.Equal(new UserBalance(999_000, 0, 999_000), x.Balance(Bob, Asset.Gbp));
        Assert.Equal((UInt128)1_000, x.Engine.Get(LedgerAccounts.Fees(Asset.Gbp)).CreditsPosted);
        Assert.Equal((UInt128)50_000, x.Engine.Get(LedgerAccounts.Fees(Asset.Btc)).CreditsPosted);
        // Escrow passes value through within the chain: nothing posted stays there.
        var escrow = x.Engine.Get(LedgerAccounts.Escrow(Asset.Btc));
        Assert.Equal(escrow.DebitsPosted, escrow.CreditsPosted);
        Assert.Equal((UInt128)(OneBtc / 2), escrow.CreditsPending);
        Assert.Equal(PendingStatus.Pending, x.Engine.GetPendingStatus(FlowTransferIds.TradeReHold(500, TradeRole.Maker)));
        Assert.Equal(PendingStatus.Posted, x.Engine.GetPendingStatus(FlowTransferIds.OrderHold(11)));

        Assert.Equal(FlowError.AlreadyApplied, x.Ledger.SettleTrade(trade, x.Tick()).Error);
        Assert.Equal((UInt128)1_000, x.Engine.Get(LedgerAccounts.Fees(Asset.Gbp)).CreditsPosted);
        x.Engine.Audit();
    }

    [Fact]
    public void A_second_fill_spends_the_re_hold_and_finishes_the_order()
    {
        var (x, trade) = TradeSetup();
        Assert.Equal(FlowResult.Ok, x.Ledger.SettleTrade(trade, x.Tick()));
        x.Deposit(3, Alice, Asset.Gbp, 100);
        Assert.Equal(FlowResult.Ok, x.Ledger.PlaceOrderHold(new OrderHoldRequest(12, Alice, Asset.Gbp, 1_000_000), x.Tick()));
        var second = trade with
        {
            TradeId = 501,
            TakerOrderId = 12,
            TakerHoldId = FlowTransferIds.OrderHold(12),
            MakerHoldId = FlowTransferIds.TradeReHold(500, TradeRole.Maker),
            MakerHoldRemaining = 0,
            MakerFee = 0,
            TakerFee = 0,
        };
        Assert.Equal(FlowResult.Ok, x.Ledger.SettleTrade(second, x.Tick()));
        Assert.Equal(new UserBalance(0, 0, 0), x.Balance(Bob, Asset.Btc));
        Assert.Equal(new UserBalance(100, 0, 100), x.Balance(Alice, Asset.Gbp));
        Assert.Equal(new UserBalance(OneBtc - 50_000, 0, OneBtc - 50_000), x.Balance(Alice, Asset.Btc));
        x.Engine.Audit();
    }

    [Fact]
    public void A_trade_that_cannot_settle_changes_nothing()
    {
        var (x, trade) = TradeSetup();
        var wrongHold = x.Ledger.SettleTrade(trade with { TakerHoldId = FlowTransferIds.OrderHold(99) }, x.Tick());
        Assert.Equal((FlowError.TransferRejected, CreateTransferResult.PendingTransferNotFound, 0), (wrongHold.Error, wrongHold.TransferResult, wrongHold.FailedIndex));
        // The maker's hold belongs to Bob: naming it as Alice's fails the post's account check.
        var swapped = x.Ledger.SettleTrade(trade with { MakerHoldId = FlowTransferIds.OrderHold(11), TakerHoldId = FlowTransferIds.OrderHold(10) }, x.Tick());
        Assert.Equal(CreateTransferResult.PendingTransferHasDifferentDebitAccountId, swapped.TransferResult);
        var overspent = x.Ledger.SettleTrade(trade with { QuoteAmount = 1_300_000 }, x.Tick());
        Assert.Equal(CreateTransferResult.ExceedsPendingTransferAmount, overspent.TransferResult);
        Assert.Equal(FlowError.FeeExceedsAmount, x.Ledger.SettleTrade(trade with { MakerFee = 1_000_001 }, x.Tick()).Error);
        Assert.Equal(FlowError.AssetsMustBeDifferent, x.Ledger.SettleTrade(trade with { Quote = Asset.Btc }, x.Tick()).Error);
        Assert.Equal(FlowError.AmountMustNotBeZero, x.Ledger.SettleTrade(trade with { BaseAmount = 0 }, x.Tick()).Error);

        // Nothing was applied: the same transfers and balances as an exchange that never tried.
        var replay = TradeSetup().X;
        Assert.Equal(replay.Engine.TransferCount, x.Engine.TransferCount);
        Assert.Equal(replay.Balance(Alice, Asset.Gbp), x.Balance(Alice, Asset.Gbp));
        Assert.Equal(replay.Balance(Bob, Asset.Btc), x.Balance(Bob, Asset.Btc));
    }

    [Fact]
    public void Settlement_builders_write_into_a_caller_span_without_the_engine()
    {
        var (_, trade) = TradeSetup();
        Span<Transfer> transfers = stackalloc Transfer[SettlementFlows.TradeTransfersMax];
        Assert.Equal(FlowError.None, SettlementFlows.Trade(trade, transfers, out var count));
        Assert.Equal(7, count);  // 2 posts, 1 re-hold, 2 payments, 2 fees
        for (var i = 0; i < count - 1; i++) Assert.True((transfers[i].Flags & TransferFlags.Linked) != 0);
        Assert.Equal(TransferFlags.None, transfers[count - 1].Flags & TransferFlags.Linked);
        Assert.True(FlowTransferIds.TryDecode(transfers[0].Id, out var code, out var step, out var leg, out var reference));
        Assert.Equal((FlowCode.OrderHold, FlowStep.Post, 0u, 11UL), (code, step, leg, reference));
    }
}
