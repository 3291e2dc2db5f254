using BitCurrent.Ledger;

namespace BitCurrent.Ledger.Tests;

/// <summary>
/// The pure flow builders, transfer by transfer, and the <see cref="ExchangeLedger"/> facade's checks before it calls
/// the engine. The expected chains are written out from the documented flow layout (who pays whom, which hold, which
/// id), for both sides of a trade: the party roles swap when the taker sells.
/// </summary>
public class FlowBuilderTests
{
    private const ulong Maker = 21;
    private const ulong Taker = 34;

    private static TradeSettlement Trade(TradeSide takerSide) => new()
    {
        TradeId = 900,
        Base = Asset.Btc,
        Quote = Asset.Gbp,
        MakerUserId = Maker,
        MakerOrderId = 70,
        TakerUserId = Taker,
        TakerOrderId = 71,
        TakerSide = takerSide,
        BaseAmount = 5_000,
        QuoteAmount = 80_000,
        MakerFee = 7,
        TakerFee = 11,
        MakerHoldId = FlowTransferIds.OrderHold(70),
        TakerHoldId = FlowTransferIds.OrderHold(71),
        MakerHoldRemaining = 300,
        TakerHoldRemaining = 400,
    };

    private static Transfer[] Build(in TradeSettlement trade)
    {
        var destination = new Transfer[SettlementFlows.TradeTransfersMax];
        Assert.Equal(FlowError.None, SettlementFlows.Trade(in trade, destination, out var count));
        return destination[..count];
    }

    private static Transfer PostHold(ulong user, Asset asset, UInt128 holdId, UInt128 amount) => new()
    {
        Id = FlowTransferIds.Post(holdId),
        PendingId = holdId,
        DebitAccountId = LedgerAccounts.UserAvailable(user, asset),
        CreditAccountId = LedgerAccounts.Escrow(asset),
        Amount = amount,
        Ledger = asset.Ledger,
        Code = (ushort)FlowCode.OrderHold,
        Flags = TransferFlags.PostPendingTransfer | TransferFlags.Linked,
        UserData128 = 900,
        UserData64 = user,
    };

    private static Transfer ReHold(ulong user, Asset asset, TradeRole role, ulong orderId, UInt128 amount) => new()
    {
        Id = FlowTransferIds.TradeReHold(900, role),
        DebitAccountId = LedgerAccounts.UserAvailable(user, asset),
        CreditAccountId = LedgerAccounts.Escrow(asset),
        Amount = amount,
        Ledger = asset.Ledger,
        Code = (ushort)FlowCode.OrderHold,
        Flags = TransferFlags.Pending | TransferFlags.Linked,
        UserData128 = orderId,
        UserData64 = user,
    };

    private static Transfer Pay(ulong user, Asset asset, FlowCode code, UInt128 amount) => new()
    {
        Id = FlowTransferIds.TradeLeg(code, 900, 0),
        DebitAccountId = LedgerAccounts.Escrow(asset),
        CreditAccountId = LedgerAccounts.UserAvailable(user, asset),
        Amount = amount,
        Ledger = asset.Ledger,
        Code = (ushort)code,
        Flags = TransferFlags.Linked,
        UserData128 = 900,
        UserData64 = user,
    };

    private static Transfer Fee(ulong user, Asset asset, uint leg, UInt128 amount, bool last = false) => new()
    {
        Id = FlowTransferIds.TradeLeg(FlowCode.TradeFee, 900, leg),
        DebitAccountId = LedgerAccounts.Escrow(asset),
        CreditAccountId = LedgerAccounts.Fees(asset),
        Amount = amount,
        Ledger = asset.Ledger,
        Code = (ushort)FlowCode.TradeFee,
        Flags = last ? TransferFlags.None : TransferFlags.Linked,
        UserData128 = 900,
        UserData64 = user,
    };

    [Fact]
    public void A_taker_buy_has_the_taker_pay_quote_and_receive_base()
    {
        Transfer[] expected =
        [
            PostHold(Taker, Asset.Gbp, FlowTransferIds.OrderHold(71), 80_000),
            ReHold(Taker, Asset.Gbp, TradeRole.Taker, 71, 400),
            Pay(Maker, Asset.Gbp, FlowCode.TradeQuote, 80_000 - 7),
            Fee(Maker, Asset.Gbp, 2, 7),
            PostHold(Maker, Asset.Btc, FlowTransferIds.OrderHold(70), 5_000),
            ReHold(Maker, Asset.Btc, TradeRole.Maker, 70, 300),
            Pay(Taker, Asset.Btc, FlowCode.TradeBase, 5_000 - 11),
            Fee(Taker, Asset.Btc, 1, 11, last: true),
        ];
        Assert.Equal(expected, Build(Trade(TradeSide.Buy)));
    }

    [Fact]
    public void A_taker_sell_has_the_maker_pay_quote_and_receive_base()
    {
        Transfer[] expected =
        [
            PostHold(Maker, Asset.Gbp, FlowTransferIds.OrderHold(70), 80_000),
            ReHold(Maker, Asset.Gbp, TradeRole.Maker, 70, 300),
            Pay(Taker, Asset.Gbp, FlowCode.TradeQuote, 80_000 - 11),
            Fee(Taker, Asset.Gbp, 2, 11),
            PostHold(Taker, Asset.Btc, FlowTransferIds.OrderHold(71), 5_000),
            ReHold(Taker, Asset.Btc, TradeRole.Taker, 71, 400),
            Pay(Maker, Asset.Btc, FlowCode.TradeBase, 5_000 - 7),
            Fee(Maker, Asset.Btc, 1, 7, last: true),
        ];
        Assert.Equal(expected, Build(Trade(TradeSide.Sell)));
    }

    [Fact]
    public void A_fee_equal_to_the_amount_leaves_only_the_fee_leg()
    {
        // The taker sells: the maker buys and pays its fee in base, the taker pays its fee in quote.
        var trade = Trade(TradeSide.Sell) with { MakerFee = 5_000, TakerFee = 80_000, MakerHoldRemaining = 0, TakerHoldRemaining = 0 };
        Transfer[] expected =
        [
            PostHold(Maker, Asset.Gbp, FlowTransferIds.OrderHold(70), 80_000),
            Fee(Taker, Asset.Gbp, 2, 80_000),
            PostHold(Taker, Asset.Btc, FlowTransferIds.OrderHold(71), 5_000),
            Fee(Maker, Asset.Btc, 1, 5_000, last: true),
        ];
        Assert.Equal(expected, Build(trade));
    }

    [Fact]
    public void Without_fees_a_trade_has_no_fee_legs_and_the_last_pay_closes_the_chain()
    {
        var trade = Trade(TradeSide.Buy) with { MakerFee = 0, TakerFee = 0, MakerHoldRemaining = 0, TakerHoldRemaining = 0 };
        var last = Pay(Taker, Asset.Btc, FlowCode.TradeBase, 5_000);
        last.Flags = TransferFlags.None;
        Transfer[] expected =
        [
            PostHold(Taker, Asset.Gbp, FlowTransferIds.OrderHold(71), 80_000),
            Pay(Maker, Asset.Gbp, FlowCode.TradeQuote, 80_000),
            PostHold(Maker, Asset.Btc, FlowTransferIds.OrderHold(70), 5_000),
            last,
        ];
        Assert.Equal(expected, Build(trade));
    }

    [Theory]
    [InlineData(TradeSide.Buy, 5_001, 0, FlowError.FeeExceedsAmount)]     // taker buys: its fee is in base
    [InlineData(TradeSide.Buy, 0, 80_001, FlowError.FeeExceedsAmount)]    // the maker sells: its fee is in quote
    [InlineData(TradeSide.Buy, 5_000, 80_000, FlowError.None)]
    [InlineData(TradeSide.Sell, 80_001, 0, FlowError.FeeExceedsAmount)]   // taker sells: its fee is in quote
    [InlineData(TradeSide.Sell, 0, 5_001, FlowError.FeeExceedsAmount)]    // the maker buys: its fee is in base
    [InlineData(TradeSide.Sell, 80_000, 5_000, FlowError.None)]
    [InlineData(TradeSide.Sell, 5_001, 0, FlowError.None)]                // each fee against its own asset
    [InlineData(TradeSide.Buy, 0, 5_001, FlowError.None)]
    public void Each_fee_is_bounded_by_the_amount_its_payer_receives(TradeSide side, ulong takerFee, ulong makerFee, FlowError error)
    {
        var trade = Trade(side) with { TakerFee = takerFee, MakerFee = makerFee };
        Assert.Equal(error, SettlementFlows.Trade(in trade, new Transfer[SettlementFlows.TradeTransfersMax], out var count));
        Assert.Equal(error == FlowError.None, count > 0);
    }

    [Fact]
    public void A_trade_needs_two_assets_and_non_zero_amounts()
    {
        var buffer = new Transfer[SettlementFlows.TradeTransfersMax];
        Assert.Equal(FlowError.AssetsMustBeDifferent, SettlementFlows.Trade(Trade(TradeSide.Buy) with { Quote = new Asset("XBT", 1, 2) }, buffer, out _));
        Assert.Equal(FlowError.AmountMustNotBeZero, SettlementFlows.Trade(Trade(TradeSide.Buy) with { BaseAmount = 0 }, buffer, out _));
        Assert.Equal(FlowError.AmountMustNotBeZero, SettlementFlows.Trade(Trade(TradeSide.Buy) with { QuoteAmount = 0 }, buffer, out var count));
        Assert.Equal(0, count);
        Assert.Throws<ArgumentNullException>(() => SettlementFlows.Trade(Trade(TradeSide.Buy) with { Base = null! }, buffer, out _));
        Assert.Throws<ArgumentNullException>(() => SettlementFlows.Trade(Trade(TradeSide.Buy) with { Quote = null! }, buffer, out _));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_withdrawal_resolves_its_hold_and_fee_as_a_linked_pair(bool post)
    {
        var destination = new Transfer[2];
        Assert.Equal(FlowError.None, SettlementFlows.WithdrawalResolve(55, hasFee: true, post, destination, out var count));
        Assert.Equal(2, count);
        var hold = FlowTransferIds.WithdrawalHold(55);
        var fee = FlowTransferIds.WithdrawalFeeHold(55);
        var flag = post ? TransferFlags.PostPendingTransfer : TransferFlags.VoidPendingTransfer;
        Assert.Equal(
            new Transfer { Id = post ? FlowTransferIds.Post(hold) : FlowTransferIds.Void(hold), PendingId = hold, Flags = flag | TransferFlags.Linked, UserData128 = 55 },
            destination[0]);
        Assert.Equal(
            new Transfer { Id = post ? FlowTransferIds.Post(fee) : FlowTransferIds.Void(fee), PendingId = fee, Flags = flag, UserData128 = 55 },
            destination[1]);

        Assert.Equal(FlowError.None, SettlementFlows.WithdrawalResolve(56, hasFee: false, post, destination, out count));
        Assert.Equal(1, count);
        Assert.Equal(flag, destination[0].Flags);
    }

    [Fact]
    public void A_withdrawal_hold_links_its_fee_only_when_there_is_one()
    {
        var destination = new Transfer[2];
        Assert.Equal(FlowError.None, SettlementFlows.WithdrawalHold(new WithdrawalRequest(8, 3, Asset.Eth, 1_000, 0), destination, out var count));
        Assert.Equal(1, count);
        Assert.Equal(TransferFlags.Pending, destination[0].Flags);
        Assert.Equal(FlowError.None, SettlementFlows.WithdrawalHold(new WithdrawalRequest(8, 3, Asset.Eth, 1_000, 9), destination, out count));
        Assert.Equal(2, count);
        Assert.Equal(TransferFlags.Pending | TransferFlags.Linked, destination[0].Flags);
        Assert.Equal(TransferFlags.Pending, destination[1].Flags);
        Assert.Equal(LedgerAccounts.Fees(Asset.Eth), destination[1].CreditAccountId);
    }

    [Fact]
    public void Flow_results_without_a_failing_item_have_index_minus_one()
    {
        Assert.Equal(-1, FlowResult.Ok.FailedIndex);
        Assert.True(FlowResult.Ok.IsSuccess);
        var rejected = FlowResult.Rejected(FlowError.AssetNotRegistered);
        Assert.Equal(new FlowResult(FlowError.AssetNotRegistered, CreateTransferResult.Ok, CreateAccountResult.Ok, -1), rejected);
        Assert.False(rejected.IsSuccess);
        Assert.Equal(FlowResult.Ok, FlowResult.FromTransfers([CreateTransferResult.Ok, CreateTransferResult.LinkedEventFailed]));
        Assert.Equal(new FlowResult(FlowError.TransferRejected, CreateTransferResult.ExceedsCredits, CreateAccountResult.Ok, 1),
            FlowResult.FromTransfers([CreateTransferResult.LinkedEventFailed, CreateTransferResult.ExceedsCredits, CreateTransferResult.LinkedEventFailed]));
    }

    [Fact]
    public void The_facade_refuses_unregistered_assets_and_zero_amounts_before_the_engine()
    {
        var x = new FlowTests.Exchange();
        var transfers = x.Engine.TransferCount;
        var foreign = new Asset("XRP", 9, 6);
        Assert.Equal(FlowResult.Rejected(FlowError.AssetNotRegistered), x.Ledger.SettleTrade(Trade(TradeSide.Buy) with { Quote = foreign }, x.Tick()));
        Assert.Equal(FlowResult.Rejected(FlowError.AssetNotRegistered), x.Ledger.SettleTrade(Trade(TradeSide.Buy) with { Base = foreign }, x.Tick()));
        Assert.Equal(FlowResult.Rejected(FlowError.AssetNotRegistered), x.Ledger.CreditDeposit(new DepositCredit(1, FlowTests.Alice, foreign, 5), x.Tick()));
        Assert.Equal(FlowResult.Rejected(FlowError.AmountMustNotBeZero), x.Ledger.CreditDeposit(new DepositCredit(1, FlowTests.Alice, Asset.Btc, 0), x.Tick()));
        Assert.Equal(FlowResult.Rejected(FlowError.AmountMustNotBeZero), x.Ledger.RequestWithdrawal(new WithdrawalRequest(1, FlowTests.Alice, Asset.Btc, 0, 0), x.Tick()));
        Assert.Equal(FlowResult.Rejected(FlowError.AmountMustNotBeZero), x.Ledger.PlaceOrderHold(new OrderHoldRequest(1, FlowTests.Alice, Asset.Btc, 0), x.Tick()));
        Assert.Equal(FlowResult.Rejected(FlowError.AmountMustNotBeZero), x.Ledger.SettleTrade(Trade(TradeSide.Buy) with { BaseAmount = 0 }, x.Tick()));
        Assert.Equal(transfers, x.Engine.TransferCount);
        Assert.Throws<ArgumentNullException>("engine", () => new ExchangeLedger(null!, AssetRegistry.Examples()));
        Assert.Throws<ArgumentNullException>("assets", () => new ExchangeLedger(x.Engine, null!));
        Assert.Throws<ArgumentNullException>("asset", () => x.Ledger.GetUserLiabilities(null!));
    }

    [Fact]
    public void A_taker_sell_settles_in_the_engine()
    {
        var x = new FlowTests.Exchange();
        x.Deposit(1, FlowTests.Alice, Asset.Btc, 10_000);   // Alice is the taker and sells BTC
        x.Deposit(2, FlowTests.Bob, Asset.Gbp, 100_000);    // Bob is the maker and buys with GBP
        Assert.True(x.Ledger.PlaceOrderHold(new OrderHoldRequest(70, FlowTests.Bob, Asset.Gbp, 80_300), x.Tick()).IsSuccess);
        Assert.True(x.Ledger.PlaceOrderHold(new OrderHoldRequest(71, FlowTests.Alice, Asset.Btc, 5_400), x.Tick()).IsSuccess);
        var trade = Trade(TradeSide.Sell) with { MakerUserId = FlowTests.Bob, TakerUserId = FlowTests.Alice };
        Assert.Equal(FlowResult.Ok, x.Ledger.SettleTrade(trade, x.Tick()));
        Assert.Equal(new UserBalance(100_000 - 80_300, 300, 100_000 - 80_000), x.Balance(FlowTests.Bob, Asset.Gbp));
        Assert.Equal(new UserBalance(5_000 - 7, 0, 5_000 - 7), x.Balance(FlowTests.Bob, Asset.Btc));
        Assert.Equal(new UserBalance(80_000 - 11, 0, 80_000 - 11), x.Balance(FlowTests.Alice, Asset.Gbp));
        Assert.Equal(new UserBalance(10_000 - 5_400, 400, 10_000 - 5_000), x.Balance(FlowTests.Alice, Asset.Btc));
        Assert.Equal(PendingStatus.Pending, x.Engine.GetPendingStatus(FlowTransferIds.TradeReHold(900, TradeRole.Maker)));
        Assert.Equal(PendingStatus.Pending, x.Engine.GetPendingStatus(FlowTransferIds.TradeReHold(900, TradeRole.Taker)));
        x.Engine.Audit();
    }

    [Fact]
    public void Liabilities_are_listed_by_user_id_whatever_the_opening_order()
    {
        var x = new FlowTests.Exchange();   // opens Alice (1) then Bob (2)
        Assert.True(x.Ledger.OpenUserAccounts(9, x.Tick()).IsSuccess);
        Assert.True(x.Ledger.OpenUserAccounts(5, x.Tick()).IsSuccess);
        x.Deposit(1, 9, Asset.Gbp, 900);
        x.Deposit(2, 5, Asset.Gbp, 500);
        x.Deposit(3, FlowTests.Bob, Asset.Btc, 200);
        Assert.Equal(
            [new UserLiability(1, 0), new UserLiability(2, 0), new UserLiability(5, 500), new UserLiability(9, 900)],
            x.Ledger.GetUserLiabilities(Asset.Gbp));
        Assert.Equal((Int128)200, x.Ledger.GetUserLiabilities(Asset.Btc)[1].Balance);
    }

    [Fact]
    public void A_signed_difference_is_exact_on_both_sides_of_zero()
    {
        Assert.Equal((Int128)2, ExchangeLedger.SignedDifference(5, 3));
        Assert.Equal(Int128.Zero, ExchangeLedger.SignedDifference(5, 5));
        Assert.Equal((Int128)(-2), ExchangeLedger.SignedDifference(3, 5));
        Assert.Equal(Int128.MaxValue, ExchangeLedger.SignedDifference((UInt128)Int128.MaxValue, 0));
        Assert.Equal(-Int128.MaxValue, ExchangeLedger.SignedDifference(0, (UInt128)Int128.MaxValue));
        Assert.Throws<OverflowException>(() => ExchangeLedger.SignedDifference(UInt128.MaxValue, 0));
        Assert.Throws<OverflowException>(() => ExchangeLedger.SignedDifference(0, UInt128.MaxValue));
    }
}
