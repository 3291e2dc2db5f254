namespace BitCurrent.Ledger;

/// <summary>
/// The kinds of ledger account of an exchange; used as <see cref="Account.Code"/>. Persisted: values never change.
/// </summary>
public enum LedgerAccountKind : ushort
{
    /// <summary>Per user per asset: what the exchange owes the user (credit balance). Holds are pending debits on it.</summary>
    UserAvailable = 1,

    /// <summary>Per asset: receives order holds as pending credits; trades pass through it within one linked chain.</summary>
    Escrow = 2,

    /// <summary>Per asset: the assets held in custody wallets (debit balance); deposits debit it, withdrawals credit it.</summary>
    Custody = 3,

    /// <summary>Per asset: trading and withdrawal fees earned (credit balance).</summary>
    Fees = 4,

    /// <summary>Per asset: the other side of approved adjusting entries (write-offs, corrections).</summary>
    Adjustments = 5,
}

/// <summary>
/// How exchange entities map to ledger accounts: a deterministic 128-bit account id per (kind, ledger, user), so
/// that every flow can name its accounts without a lookup table.
/// </summary>
/// <remarks>
/// Id layout (most significant first): kind (16 bits) | 16 zero bits | ledger (32 bits) | user id (64 bits; 0 for
/// the per-asset system accounts). Flags: user, escrow and fee accounts may not be overdrawn
/// (<see cref="AccountFlags.DebitsMustNotExceedCredits"/>); custody cannot send more than it holds
/// (<see cref="AccountFlags.CreditsMustNotExceedDebits"/>); the adjustments account is unrestricted. User and custody
/// accounts keep <see cref="AccountFlags.History"/>.
/// </remarks>
public static class LedgerAccounts
{
    /// <summary>The account id of (kind, ledger, user).</summary>
    public static UInt128 Id(LedgerAccountKind kind, uint ledger, ulong userId = 0) =>
        ((UInt128)(ushort)kind << 112) | ((UInt128)ledger << 64) | userId;

    /// <summary>The user's account for an asset.</summary>
    public static UInt128 UserAvailable(ulong userId, Asset asset) => Id(LedgerAccountKind.UserAvailable, Ledger(asset), userId);

    /// <summary>The asset's escrow (holds) account.</summary>
    public static UInt128 Escrow(Asset asset) => Id(LedgerAccountKind.Escrow, Ledger(asset));

    /// <summary>The asset's custody (omnibus) account.</summary>
    public static UInt128 Custody(Asset asset) => Id(LedgerAccountKind.Custody, Ledger(asset));

    /// <summary>The asset's fee account.</summary>
    public static UInt128 Fees(Asset asset) => Id(LedgerAccountKind.Fees, Ledger(asset));

    /// <summary>The asset's adjustments account.</summary>
    public static UInt128 Adjustments(Asset asset) => Id(LedgerAccountKind.Adjustments, Ledger(asset));

    /// <summary>Splits an account id made by <see cref="Id"/>; false for ids outside the scheme.</summary>
    public static bool TryDecode(UInt128 id, out LedgerAccountKind kind, out uint ledger, out ulong userId)
    {
        kind = (LedgerAccountKind)(ushort)(id >> 112);
        ledger = (uint)(id >> 64);
        userId = (ulong)id;
        var valid = kind is >= LedgerAccountKind.UserAvailable and <= LedgerAccountKind.Adjustments &&
            (ushort)(id >> 96) == 0 && ledger != 0 && (kind == LedgerAccountKind.UserAvailable || userId == 0);
        if (!valid)
        {
            kind = default;
            ledger = 0;
            userId = 0;
        }
        return valid;
    }

    /// <summary>The flags accounts of a kind are created with.</summary>
    public static AccountFlags FlagsOf(LedgerAccountKind kind) => kind switch
    {
        LedgerAccountKind.UserAvailable => AccountFlags.DebitsMustNotExceedCredits | AccountFlags.History,
        LedgerAccountKind.Escrow => AccountFlags.DebitsMustNotExceedCredits,
        LedgerAccountKind.Custody => AccountFlags.CreditsMustNotExceedDebits | AccountFlags.History,
        LedgerAccountKind.Fees => AccountFlags.DebitsMustNotExceedCredits,
        LedgerAccountKind.Adjustments => AccountFlags.None,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown account kind."),
    };

    /// <summary>The account to create for (kind, asset, user).</summary>
    public static Account NewAccount(LedgerAccountKind kind, Asset asset, ulong userId = 0) => new()
    {
        Id = Id(kind, Ledger(asset), userId),
        Ledger = asset.Ledger,
        Code = (ushort)kind,
        Flags = FlagsOf(kind),
        UserData64 = userId,
    };

    private static uint Ledger(Asset asset)
    {
        ArgumentNullException.ThrowIfNull(asset);
        return asset.Ledger;
    }
}

/// <summary>Why a flow transfer was made; used as <see cref="Transfer.Code"/>. Persisted: values never change.</summary>
public enum FlowCode : ushort
{
    /// <summary>A deposit credited: custody → user.</summary>
    Deposit = 1,

    /// <summary>A withdrawal: user → custody (held pending, then posted or voided).</summary>
    Withdrawal = 2,

    /// <summary>A withdrawal fee: user → fees (held pending with the withdrawal).</summary>
    WithdrawalFee = 3,

    /// <summary>An order hold: user → escrow, pending.</summary>
    OrderHold = 4,

    /// <summary>Trade, base leg: escrow → buyer.</summary>
    TradeBase = 5,

    /// <summary>Trade, quote leg: escrow → seller.</summary>
    TradeQuote = 6,

    /// <summary>Trade fee: escrow → fees.</summary>
    TradeFee = 7,

    /// <summary>An approved adjusting entry.</summary>
    Adjustment = 8,

    /// <summary>An approved adjusting entry that credits a deposit missing from the ledger (user_data_128 = deposit id).</summary>
    DepositCorrection = 9,
}

/// <summary>Which phase of a flow a transfer id belongs to.</summary>
public enum FlowStep : ushort
{
    /// <summary>The transfer itself (single-phase, or the pending first phase).</summary>
    Create = 0,

    /// <summary>The post of a pending transfer.</summary>
    Post = 1,

    /// <summary>The void of a pending transfer.</summary>
    Void = 2,
}

/// <summary>Which side of a trade a party is on (for the flow ids of its legs).</summary>
public enum TradeRole : byte
{
    /// <summary>The resting order's owner.</summary>
    Maker = 1,

    /// <summary>The incoming order's owner.</summary>
    Taker = 2,
}

/// <summary>
/// Deterministic transfer ids of the flows, so that a retried flow reuses its ids and the engine's idempotency
/// makes it apply once. Layout (most significant first): <see cref="FlowCode"/> (16 bits) | <see cref="FlowStep"/>
/// (16 bits) | leg (32 bits) | external reference (64 bits: deposit, withdrawal, order, trade or proposal id).
/// </summary>
public static class FlowTransferIds
{
    /// <summary>Composes an id.</summary>
    public static UInt128 Compose(FlowCode code, FlowStep step, uint leg, ulong reference) =>
        ((UInt128)(ushort)code << 112) | ((UInt128)(ushort)step << 96) | ((UInt128)leg << 64) | reference;

    /// <summary>Splits an id made by <see cref="Compose"/>.</summary>
    public static bool TryDecode(UInt128 id, out FlowCode code, out FlowStep step, out uint leg, out ulong reference)
    {
        code = (FlowCode)(ushort)(id >> 112);
        step = (FlowStep)(ushort)(id >> 96);
        leg = (uint)(id >> 64);
        reference = (ulong)id;
        return code is >= FlowCode.Deposit and <= FlowCode.DepositCorrection && step is >= FlowStep.Create and <= FlowStep.Void;
    }

    /// <summary>The transfer that credits a deposit.</summary>
    public static UInt128 Deposit(ulong depositId) => Compose(FlowCode.Deposit, FlowStep.Create, 0, depositId);

    /// <summary>The pending transfer that holds a withdrawal's amount.</summary>
    public static UInt128 WithdrawalHold(ulong withdrawalId) => Compose(FlowCode.Withdrawal, FlowStep.Create, 0, withdrawalId);

    /// <summary>The pending transfer that holds a withdrawal's fee.</summary>
    public static UInt128 WithdrawalFeeHold(ulong withdrawalId) => Compose(FlowCode.WithdrawalFee, FlowStep.Create, 0, withdrawalId);

    /// <summary>The first hold of an order.</summary>
    public static UInt128 OrderHold(ulong orderId) => Compose(FlowCode.OrderHold, FlowStep.Create, 0, orderId);

    /// <summary>The hold that carries an order's remainder after a trade (a post releases the rest of the old hold).</summary>
    public static UInt128 TradeReHold(ulong tradeId, TradeRole role) => Compose(FlowCode.OrderHold, FlowStep.Create, (uint)role, tradeId);

    /// <summary>A trade leg.</summary>
    public static UInt128 TradeLeg(FlowCode code, ulong tradeId, uint leg) => Compose(code, FlowStep.Create, leg, tradeId);

    /// <summary>The transfer an approved adjustment applies.</summary>
    public static UInt128 Adjustment(FlowCode code, ulong proposalId) => Compose(code, FlowStep.Create, 0, proposalId);

    /// <summary>The id of the post of a pending transfer created with a <see cref="FlowStep.Create"/> id.</summary>
    public static UInt128 Post(UInt128 pendingId) => WithStep(pendingId, FlowStep.Post);

    /// <summary>The id of the void of a pending transfer created with a <see cref="FlowStep.Create"/> id.</summary>
    public static UInt128 Void(UInt128 pendingId) => WithStep(pendingId, FlowStep.Void);

    private static UInt128 WithStep(UInt128 id, FlowStep step)
    {
        var mask = (UInt128)0xFFFF << 96;
        return (id & ~mask) | ((UInt128)(ushort)step << 96);
    }
}
