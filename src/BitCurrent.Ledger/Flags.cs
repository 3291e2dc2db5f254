namespace BitCurrent.Ledger;

/// <summary>
/// Flags of an <see cref="Account"/>. Persisted: the numeric values are pinned by a golden test and are TigerBeetle's
/// (bit 4, TigerBeetle's <c>imported</c>, is reserved here and rejected).
/// </summary>
[Flags]
public enum AccountFlags : ushort
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>This account is linked with the next one of the batch: the chain is created or fails as one.</summary>
    Linked = 1 << 0,

    /// <summary>Reject any transfer that would make debits (pending + posted) exceed posted credits.</summary>
    DebitsMustNotExceedCredits = 1 << 1,

    /// <summary>Reject any transfer that would make credits (pending + posted) exceed posted debits.</summary>
    CreditsMustNotExceedDebits = 1 << 2,

    /// <summary>Keep the account's balance history queryable with <see cref="LedgerEngine.GetAccountBalances(UInt128, in AccountFilter, Span{AccountBalance})"/>.</summary>
    History = 1 << 3,

    /// <summary>
    /// The account is closed: it takes part in no new transfer, except voids (and expiries) of pending transfers.
    /// Set at creation, or by a pending transfer with a closing flag (voiding that transfer reopens the account).
    /// </summary>
    Closed = 1 << 5,
}

/// <summary>
/// Flags of a <see cref="Transfer"/>. Persisted: the numeric values are pinned by a golden test and are TigerBeetle's
/// (bit 8, TigerBeetle's <c>imported</c>, is reserved here and rejected).
/// </summary>
[Flags]
public enum TransferFlags : ushort
{
    /// <summary>No flag: a single-phase transfer, posted at once.</summary>
    None = 0,

    /// <summary>This transfer is linked with the next one of the batch: the chain succeeds or fails as one.</summary>
    Linked = 1 << 0,

    /// <summary>Two-phase, first phase: reserve the amount (pending balances) until posted, voided or expired.</summary>
    Pending = 1 << 1,

    /// <summary>Two-phase, second phase: post the pending transfer <see cref="Transfer.PendingId"/> (fully or partially).</summary>
    PostPendingTransfer = 1 << 2,

    /// <summary>Two-phase, second phase: void (release) the pending transfer <see cref="Transfer.PendingId"/>.</summary>
    VoidPendingTransfer = 1 << 3,

    /// <summary>Move at most <see cref="Transfer.Amount"/>: as much as the debit account's posted credits allow.</summary>
    BalancingDebit = 1 << 4,

    /// <summary>Move at most <see cref="Transfer.Amount"/>: as much as the credit account's posted debits allow.</summary>
    BalancingCredit = 1 << 5,

    /// <summary>Close the debit account when this (pending) transfer is created; voiding it reopens the account.</summary>
    ClosingDebit = 1 << 6,

    /// <summary>Close the credit account when this (pending) transfer is created; voiding it reopens the account.</summary>
    ClosingCredit = 1 << 7,
}

/// <summary>The state of a pending (two-phase) transfer. Persisted in snapshots: values pinned by a golden test.</summary>
public enum PendingStatus : byte
{
    /// <summary>Not a pending transfer (or no such transfer).</summary>
    None = 0,

    /// <summary>Reserved: its amount is in the accounts' pending balances.</summary>
    Pending = 1,

    /// <summary>Posted (fully or partially) by a <see cref="TransferFlags.PostPendingTransfer"/> transfer.</summary>
    Posted = 2,

    /// <summary>Released by a <see cref="TransferFlags.VoidPendingTransfer"/> transfer.</summary>
    Voided = 3,

    /// <summary>Released because its timeout passed (decided by a batch timestamp).</summary>
    Expired = 4,
}
