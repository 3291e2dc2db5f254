namespace BitCurrent.Ledger;

/// <summary>A deposit to credit: custody → user, after the custody service saw enough confirmations.</summary>
/// <param name="DepositId">The deposit's id in the deposits table (the transfer's idempotency key and user_data_128).</param>
/// <param name="UserId">The user credited.</param>
/// <param name="Asset">The asset deposited.</param>
/// <param name="Amount">Minor units, not zero.</param>
public readonly record struct DepositCredit(ulong DepositId, ulong UserId, Asset Asset, UInt128 Amount);

/// <summary>A withdrawal to hold: user → custody (and user → fees for the fee), pending until sent or cancelled.</summary>
/// <param name="WithdrawalId">The withdrawal's id (idempotency key and user_data_128).</param>
/// <param name="UserId">The user debited.</param>
/// <param name="Asset">The asset withdrawn.</param>
/// <param name="Amount">Minor units sent out, not zero.</param>
/// <param name="Fee">Minor units charged as a fee (0 for none).</param>
public readonly record struct WithdrawalRequest(ulong WithdrawalId, ulong UserId, Asset Asset, UInt128 Amount, UInt128 Fee);

/// <summary>A hold for an order's maximum cost: user → escrow, pending.</summary>
/// <param name="OrderId">The order's id (idempotency key and user_data_128).</param>
/// <param name="UserId">The order's owner.</param>
/// <param name="Asset">The asset the order spends (quote for a buy, base for a sell).</param>
/// <param name="Amount">The order's maximum cost in minor units, not zero.</param>
/// <param name="TimeoutSeconds">0 for good-till-cancelled; otherwise the hold expires by itself.</param>
public readonly record struct OrderHoldRequest(ulong OrderId, ulong UserId, Asset Asset, UInt128 Amount, uint TimeoutSeconds = 0);

/// <summary>The side of the taker (incoming) order.</summary>
public enum TradeSide : byte
{
    /// <summary>The taker buys base with quote.</summary>
    Buy = 1,

    /// <summary>The taker sells base for quote.</summary>
    Sell = 2,
}

/// <summary>
/// One trade to settle. Each party pays from its hold and receives the other asset minus its fee; fees are charged
/// in the asset the party receives (the buyer's in base, the seller's in quote).
/// </summary>
public readonly record struct TradeSettlement
{
    /// <summary>The trade id (idempotency key of the legs; user_data_128 of each leg).</summary>
    public ulong TradeId { get; init; }

    /// <summary>The asset bought and sold.</summary>
    public required Asset Base { get; init; }

    /// <summary>The asset it is priced in.</summary>
    public required Asset Quote { get; init; }

    /// <summary>The resting order's owner.</summary>
    public ulong MakerUserId { get; init; }

    /// <summary>The resting order's id (user_data_128 of its re-hold).</summary>
    public ulong MakerOrderId { get; init; }

    /// <summary>The incoming order's owner.</summary>
    public ulong TakerUserId { get; init; }

    /// <summary>The incoming order's id.</summary>
    public ulong TakerOrderId { get; init; }

    /// <summary>Whether the taker buys or sells.</summary>
    public TradeSide TakerSide { get; init; }

    /// <summary>Base minor units traded, not zero.</summary>
    public UInt128 BaseAmount { get; init; }

    /// <summary>Quote minor units paid (price × quantity), not zero.</summary>
    public UInt128 QuoteAmount { get; init; }

    /// <summary>The maker's fee, in the asset the maker receives.</summary>
    public UInt128 MakerFee { get; init; }

    /// <summary>The taker's fee, in the asset the taker receives.</summary>
    public UInt128 TakerFee { get; init; }

    /// <summary>The maker's current hold (pending transfer id).</summary>
    public UInt128 MakerHoldId { get; init; }

    /// <summary>The taker's current hold (pending transfer id).</summary>
    public UInt128 TakerHoldId { get; init; }

    /// <summary>What stays held for the maker's order after this trade; 0 when the order is done (the rest is released).</summary>
    public UInt128 MakerHoldRemaining { get; init; }

    /// <summary>What stays held for the taker's order after this trade; 0 when the order is done (the rest is released).</summary>
    public UInt128 TakerHoldRemaining { get; init; }
}

/// <summary>
/// Why a flow could not be applied (45xx), declared in the order the checks run (the engine's own results come
/// last). Numbers are never reused; a golden test pins them.
/// </summary>
public enum FlowError
{
    /// <summary>Applied.</summary>
    None = 0,

    /// <summary>The asset is not in the exchange's <see cref="AssetRegistry"/>.</summary>
    AssetNotRegistered = 4504,

    /// <summary>A trade's base and quote are the same asset.</summary>
    AssetsMustBeDifferent = 4503,

    /// <summary>An amount that must move value is zero.</summary>
    AmountMustNotBeZero = 4501,

    /// <summary>A fee exceeds the amount it is charged on.</summary>
    FeeExceedsAmount = 4502,

    /// <summary>No withdrawal with this id is held in the ledger.</summary>
    WithdrawalNotFound = 4508,

    /// <summary>The engine rejected an account: see <see cref="FlowResult.AccountResult"/> and <see cref="FlowResult.FailedIndex"/>.</summary>
    AccountRejected = 4507,

    /// <summary>The flow was applied before (a retry): nothing was applied twice.</summary>
    AlreadyApplied = 4505,

    /// <summary>The engine rejected a transfer: see <see cref="FlowResult.TransferResult"/> and <see cref="FlowResult.FailedIndex"/>.</summary>
    TransferRejected = 4506,
}

/// <summary>The outcome of a flow: applied, or why not (and which of its transfers failed, with the engine's code).</summary>
/// <param name="Error">The flow-level outcome.</param>
/// <param name="TransferResult">The engine's result for the failing transfer (<see cref="CreateTransferResult.Ok"/> otherwise).</param>
/// <param name="AccountResult">The engine's result for the failing account (<see cref="CreateAccountResult.Ok"/> otherwise).</param>
/// <param name="FailedIndex">Index of the failing item in the flow's batch, or -1.</param>
public readonly record struct FlowResult(FlowError Error, CreateTransferResult TransferResult, CreateAccountResult AccountResult, int FailedIndex)
{
    /// <summary>The flow was applied now.</summary>
    public bool IsSuccess => Error == FlowError.None;

    /// <summary>A successful outcome.</summary>
    public static FlowResult Ok => new(FlowError.None, CreateTransferResult.Ok, CreateAccountResult.Ok, -1);

    /// <summary>A flow-level rejection before the engine was called.</summary>
    public static FlowResult Rejected(FlowError error) => new(error, CreateTransferResult.Ok, CreateAccountResult.Ok, -1);

    /// <summary>Summarises the engine's results of one flow batch.</summary>
    public static FlowResult FromTransfers(ReadOnlySpan<CreateTransferResult> results)
    {
        for (var i = 0; i < results.Length; i++)
        {
            var r = results[i];
            if (r is CreateTransferResult.Ok or CreateTransferResult.LinkedEventFailed) continue;
            var error = r == CreateTransferResult.Exists ? FlowError.AlreadyApplied : FlowError.TransferRejected;
            return new FlowResult(error, r, CreateAccountResult.Ok, i);
        }
        return Ok;
    }
}

/// <summary>
/// Pure builders of the exchange's flows: each writes the transfers of one flow into a caller-supplied span (no
/// allocation), so that a host can put many flows into one engine batch. <see cref="ExchangeLedger"/> runs them.
/// Multi-transfer flows are linked chains: they succeed or fail as one.
/// </summary>
public static class SettlementFlows
{
    /// <summary>Most transfers one trade settlement writes.</summary>
    public const int TradeTransfersMax = 8;

    /// <summary>Deposit: custody → user, posted. One transfer.</summary>
    public static FlowError Deposit(in DepositCredit deposit, Span<Transfer> destination, out int count)
    {
        count = 0;
        if (deposit.Amount == UInt128.Zero) return FlowError.AmountMustNotBeZero;
        destination[0] = new Transfer
        {
            Id = FlowTransferIds.Deposit(deposit.DepositId),
            DebitAccountId = LedgerAccounts.Custody(deposit.Asset),
            CreditAccountId = LedgerAccounts.UserAvailable(deposit.UserId, deposit.Asset),
            Amount = deposit.Amount,
            Ledger = deposit.Asset.Ledger,
            Code = (ushort)FlowCode.Deposit,
            UserData128 = deposit.DepositId,
            UserData64 = deposit.UserId,
        };
        count = 1;
        return FlowError.None;
    }

    /// <summary>Withdrawal, first phase: user → custody pending (and user → fees pending, linked). One or two transfers.</summary>
    public static FlowError WithdrawalHold(in WithdrawalRequest withdrawal, Span<Transfer> destination, out int count)
    {
        count = 0;
        if (withdrawal.Amount == UInt128.Zero) return FlowError.AmountMustNotBeZero;
        var user = LedgerAccounts.UserAvailable(withdrawal.UserId, withdrawal.Asset);
        var hasFee = withdrawal.Fee != UInt128.Zero;
        destination[0] = new Transfer
        {
            Id = FlowTransferIds.WithdrawalHold(withdrawal.WithdrawalId),
            DebitAccountId = user,
            CreditAccountId = LedgerAccounts.Custody(withdrawal.Asset),
            Amount = withdrawal.Amount,
            Ledger = withdrawal.Asset.Ledger,
            Code = (ushort)FlowCode.Withdrawal,
            Flags = TransferFlags.Pending | (hasFee ? TransferFlags.Linked : TransferFlags.None),
            UserData128 = withdrawal.WithdrawalId,
            UserData64 = withdrawal.UserId,
        };
        count = 1;
        if (hasFee)
        {
            destination[1] = new Transfer
            {
                Id = FlowTransferIds.WithdrawalFeeHold(withdrawal.WithdrawalId),
                DebitAccountId = user,
                CreditAccountId = LedgerAccounts.Fees(withdrawal.Asset),
                Amount = withdrawal.Fee,
                Ledger = withdrawal.Asset.Ledger,
                Code = (ushort)FlowCode.WithdrawalFee,
                Flags = TransferFlags.Pending,
                UserData128 = withdrawal.WithdrawalId,
                UserData64 = withdrawal.UserId,
            };
            count = 2;
        }
        return FlowError.None;
    }

    /// <summary>Withdrawal, second phase: post (sent) or void (cancelled) the hold and its fee, linked.</summary>
    public static FlowError WithdrawalResolve(ulong withdrawalId, bool hasFee, bool post, Span<Transfer> destination, out int count)
    {
        var flag = post ? TransferFlags.PostPendingTransfer : TransferFlags.VoidPendingTransfer;
        var hold = FlowTransferIds.WithdrawalHold(withdrawalId);
        destination[0] = new Transfer
        {
            Id = post ? FlowTransferIds.Post(hold) : FlowTransferIds.Void(hold),
            PendingId = hold,
            Flags = flag | (hasFee ? TransferFlags.Linked : TransferFlags.None),
            UserData128 = withdrawalId,
        };
        count = 1;
        if (hasFee)
        {
            var fee = FlowTransferIds.WithdrawalFeeHold(withdrawalId);
            destination[1] = new Transfer
            {
                Id = post ? FlowTransferIds.Post(fee) : FlowTransferIds.Void(fee),
                PendingId = fee,
                Flags = flag,
                UserData128 = withdrawalId,
            };
            count = 2;
        }
        return FlowError.None;
    }

    /// <summary>Order hold: user → escrow pending, for the order's maximum cost. One transfer.</summary>
    public static FlowError OrderHold(in OrderHoldRequest hold, Span<Transfer> destination, out int count)
    {
        count = 0;
        if (hold.Amount == UInt128.Zero) return FlowError.AmountMustNotBeZero;
        destination[0] = new Transfer
        {
            Id = FlowTransferIds.OrderHold(hold.OrderId),
            DebitAccountId = LedgerAccounts.UserAvailable(hold.UserId, hold.Asset),
            CreditAccountId = LedgerAccounts.Escrow(hold.Asset),
            Amount = hold.Amount,
            Ledger = hold.Asset.Ledger,
            Code = (ushort)FlowCode.OrderHold,
            Flags = TransferFlags.Pending,
            TimeoutSeconds = hold.TimeoutSeconds,
            UserData128 = hold.OrderId,
            UserData64 = hold.UserId,
        };
        count = 1;
        return FlowError.None;
    }

    /// <summary>Release a hold (order cancelled or expired): void it. One transfer.</summary>
    public static FlowError ReleaseHold(UInt128 holdId, Span<Transfer> destination, out int count)
    {
        destination[0] = new Transfer
        {
            Id = FlowTransferIds.Void(holdId),
            PendingId = holdId,
            Flags = TransferFlags.VoidPendingTransfer,
        };
        count = 1;
        return FlowError.None;
    }

    /// <summary>
    /// Trade settlement as one linked chain of up to <see cref="TradeTransfersMax"/> transfers:
    /// <list type="number">
    /// <item>post the buyer's quote hold for the quote amount (a post releases the rest of a hold);</item>
    /// <item>if the buyer's order is not done, hold its remainder again (a new pending transfer);</item>
    /// <item>escrow → seller: quote amount minus the seller's fee; escrow → quote fees: the seller's fee;</item>
    /// <item>post the seller's base hold for the base amount, and re-hold its remainder if the order is not done;</item>
    /// <item>escrow → buyer: base amount minus the buyer's fee; escrow → base fees: the buyer's fee.</item>
    /// </list>
    /// The posts name the accounts, ledger and code they expect, so a hold of the wrong user or asset fails the chain.
    /// </summary>
    public static FlowError Trade(in TradeSettlement trade, Span<Transfer> destination, out int count)
    {
        count = 0;
        ArgumentNullException.ThrowIfNull(trade.Base);
        ArgumentNullException.ThrowIfNull(trade.Quote);
        if (trade.Base.Ledger == trade.Quote.Ledger) return FlowError.AssetsMustBeDifferent;
        if (trade.BaseAmount == UInt128.Zero || trade.QuoteAmount == UInt128.Zero) return FlowError.AmountMustNotBeZero;
        var takerBuys = trade.TakerSide == TradeSide.Buy;
        var buyer = takerBuys ? trade.TakerUserId : trade.MakerUserId;
        var seller = takerBuys ? trade.MakerUserId : trade.TakerUserId;
        var buyerRole = takerBuys ? TradeRole.Taker : TradeRole.Maker;
        var sellerRole = takerBuys ? TradeRole.Maker : TradeRole.Taker;
        var buyerFee = takerBuys ? trade.TakerFee : trade.MakerFee;
        var sellerFee = takerBuys ? trade.MakerFee : trade.TakerFee;
        if (buyerFee > trade.BaseAmount || sellerFee > trade.QuoteAmount) return FlowError.FeeExceedsAmount;

        var n = 0;
        // Quote side: the buyer pays.
        n = PayFromHold(destination, n, trade.TradeId, trade.Quote, buyer, buyerRole,
            takerBuys ? trade.TakerHoldId : trade.MakerHoldId, takerBuys ? trade.TakerOrderId : trade.MakerOrderId,
            trade.QuoteAmount, takerBuys ? trade.TakerHoldRemaining : trade.MakerHoldRemaining);
        n = Receive(destination, n, trade.TradeId, trade.Quote, seller, FlowCode.TradeQuote, trade.QuoteAmount, sellerFee, feeLeg: 2);
        // Base side: the seller delivers.
        n = PayFromHold(destination, n, trade.TradeId, trade.Base, seller, sellerRole,
            takerBuys ? trade.MakerHoldId : trade.TakerHoldId, takerBuys ? trade.MakerOrderId : trade.TakerOrderId,
            trade.BaseAmount, takerBuys ? trade.MakerHoldRemaining : trade.TakerHoldRemaining);
        n = Receive(destination, n, trade.TradeId, trade.Base, buyer, FlowCode.TradeBase, trade.BaseAmount, buyerFee, feeLeg: 1);

        destination[n - 1].Flags &= ~TransferFlags.Linked;
        count = n;
        return FlowError.None;
    }

    private static int PayFromHold(Span<Transfer> destination, int n, ulong tradeId, Asset asset, ulong userId, TradeRole role,
        UInt128 holdId, ulong orderId, UInt128 amount, UInt128 remaining)
    {
        var user = LedgerAccounts.UserAvailable(userId, asset);
        var escrow = LedgerAccounts.Escrow(asset);
        destination[n++] = new Transfer
        {
            Id = FlowTransferIds.Post(holdId),
            PendingId = holdId,
            DebitAccountId = user,
            CreditAccountId = escrow,
            Amount = amount,
            Ledger = asset.Ledger,
            Code = (ushort)FlowCode.OrderHold,
            Flags = TransferFlags.PostPendingTransfer | TransferFlags.Linked,
            UserData128 = tradeId,
            UserData64 = userId,
        };
        if (remaining != UInt128.Zero)
        {
            destination[n++] = new Transfer
            {
                Id = FlowTransferIds.TradeReHold(tradeId, role),
                DebitAccountId = user,
                CreditAccountId = escrow,
                Amount = remaining,
                Ledger = asset.Ledger,
                Code = (ushort)FlowCode.OrderHold,
                Flags = TransferFlags.Pending | TransferFlags.Linked,
                UserData128 = orderId,
                UserData64 = userId,
            };
        }
        return n;
    }

    private static int Receive(Span<Transfer> destination, int n, ulong tradeId, Asset asset, ulong userId, FlowCode code,
        UInt128 amount, UInt128 fee, uint feeLeg)
    {
        var escrow = LedgerAccounts.Escrow(asset);
        if (amount > fee)
        {
            destination[n++] = new Transfer
            {
                Id = FlowTransferIds.TradeLeg(code, tradeId, 0),
                DebitAccountId = escrow,
                CreditAccountId = LedgerAccounts.UserAvailable(userId, asset),
                Amount = amount - fee,
                Ledger = asset.Ledger,
                Code = (ushort)code,
                Flags = TransferFlags.Linked,
                UserData128 = tradeId,
                UserData64 = userId,
            };
        }
        if (fee != UInt128.Zero)
        {
            destination[n++] = new Transfer
            {
                Id = FlowTransferIds.TradeLeg(FlowCode.TradeFee, tradeId, feeLeg),
                DebitAccountId = escrow,
                CreditAccountId = LedgerAccounts.Fees(asset),
                Amount = fee,
                Ledger = asset.Ledger,
                Code = (ushort)FlowCode.TradeFee,
                Flags = TransferFlags.Linked,
                UserData128 = tradeId,
                UserData64 = userId,
            };
        }
        return n;
    }
}
