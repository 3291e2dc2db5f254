namespace BitCurrent.Ledger;

/// <summary>
/// The result of creating one transfer. Members are declared in precedence order: when several apply, the first
/// one listed is returned (a check that does not apply to the kind of transfer is skipped: e.g. pending-transfer
/// checks only apply to posts and voids). Numbers (42xx–43xx) are persisted and never reused; a golden test pins them.
/// </summary>
/// <remarks>
/// <see cref="LinkedEventChainOpen"/> is decided first, and only for the last transfer of a batch. Chains are
/// checked in order: the first failing transfer gets its own result, every other transfer of its chain
/// <see cref="LinkedEventFailed"/>, and nothing of the chain is applied. <see cref="Exists"/> counts as a failure
/// inside a chain, so a retried chain reports <see cref="Exists"/> on its first transfer.
/// </remarks>
public enum CreateTransferResult
{
    /// <summary>The transfer was created.</summary>
    Ok = 0,

    /// <summary>The last transfer of the batch has <see cref="TransferFlags.Linked"/>: the chain is never closed.</summary>
    LinkedEventChainOpen = 4202,

    /// <summary>Another transfer of this linked chain failed, so none of the chain was applied.</summary>
    LinkedEventFailed = 4201,

    /// <summary><see cref="Transfer.Timestamp"/> must be zero: the engine assigns it.</summary>
    TimestampMustBeZero = 4203,

    /// <summary>A flag bit that is not defined by <see cref="TransferFlags"/> is set.</summary>
    ReservedFlag = 4204,

    /// <summary><see cref="Transfer.Id"/> is zero, a reserved value.</summary>
    IdMustNotBeZero = 4205,

    /// <summary><see cref="Transfer.Id"/> is 2^128-1, a reserved value.</summary>
    IdMustNotBeIntMax = 4206,

    /// <summary>
    /// At most one of pending, post and void may be set; a post or void may not be balancing or closing.
    /// </summary>
    FlagsAreMutuallyExclusive = 4207,

    /// <summary>Only a post or void may name a <see cref="Transfer.PendingId"/>.</summary>
    PendingIdMustBeZero = 4208,

    /// <summary>A post or void must name the pending transfer in <see cref="Transfer.PendingId"/>.</summary>
    PendingIdMustNotBeZero = 4209,

    /// <summary><see cref="Transfer.PendingId"/> is 2^128-1, a reserved value.</summary>
    PendingIdMustNotBeIntMax = 4210,

    /// <summary><see cref="Transfer.PendingId"/> equals the transfer's own id.</summary>
    PendingIdMustBeDifferent = 4211,

    /// <summary><see cref="Transfer.TimeoutSeconds"/> is set, but only pending transfers expire.</summary>
    TimeoutReservedForPendingTransfer = 4212,

    /// <summary>A closing flag is set without <see cref="TransferFlags.Pending"/>: closing must be reversible by a void.</summary>
    ClosingTransferMustBePending = 4213,

    /// <summary><see cref="Transfer.DebitAccountId"/> is zero (allowed only for a post or void).</summary>
    DebitAccountIdMustNotBeZero = 4214,

    /// <summary><see cref="Transfer.DebitAccountId"/> is 2^128-1, a reserved value.</summary>
    DebitAccountIdMustNotBeIntMax = 4215,

    /// <summary><see cref="Transfer.CreditAccountId"/> is zero (allowed only for a post or void).</summary>
    CreditAccountIdMustNotBeZero = 4216,

    /// <summary><see cref="Transfer.CreditAccountId"/> is 2^128-1, a reserved value.</summary>
    CreditAccountIdMustNotBeIntMax = 4217,

    /// <summary>Debit and credit account are the same account.</summary>
    AccountsMustBeDifferent = 4218,

    /// <summary><see cref="Transfer.Amount"/> is zero (allowed only for a post or void, meaning "the pending amount").</summary>
    AmountMustNotBeZero = 4219,

    /// <summary><see cref="Transfer.Ledger"/> is zero (allowed only for a post or void).</summary>
    LedgerMustNotBeZero = 4220,

    /// <summary><see cref="Transfer.Code"/> is zero (allowed only for a post or void).</summary>
    CodeMustNotBeZero = 4221,

    /// <summary>A transfer with this id exists with different flags.</summary>
    ExistsWithDifferentFlags = 4230,

    /// <summary>A transfer with this id exists with a different <see cref="Transfer.PendingId"/>.</summary>
    ExistsWithDifferentPendingId = 4231,

    /// <summary>A transfer with this id exists with a different <see cref="Transfer.TimeoutSeconds"/>.</summary>
    ExistsWithDifferentTimeout = 4232,

    /// <summary>A transfer with this id exists with a different <see cref="Transfer.DebitAccountId"/>.</summary>
    ExistsWithDifferentDebitAccountId = 4233,

    /// <summary>A transfer with this id exists with a different <see cref="Transfer.CreditAccountId"/>.</summary>
    ExistsWithDifferentCreditAccountId = 4234,

    /// <summary>
    /// A transfer with this id exists with a different <see cref="Transfer.Amount"/> (for a balancing transfer: the
    /// amount moved exceeds this request's upper bound).
    /// </summary>
    ExistsWithDifferentAmount = 4235,

    /// <summary>A transfer with this id exists with a different <see cref="Transfer.UserData128"/>.</summary>
    ExistsWithDifferentUserData128 = 4236,

    /// <summary>A transfer with this id exists with a different <see cref="Transfer.UserData64"/>.</summary>
    ExistsWithDifferentUserData64 = 4237,

    /// <summary>A transfer with this id exists with a different <see cref="Transfer.UserData32"/>.</summary>
    ExistsWithDifferentUserData32 = 4238,

    /// <summary>A transfer with this id exists with a different <see cref="Transfer.Ledger"/>.</summary>
    ExistsWithDifferentLedger = 4239,

    /// <summary>A transfer with this id exists with a different <see cref="Transfer.Code"/>.</summary>
    ExistsWithDifferentCode = 4240,

    /// <summary>The same transfer already exists (a retry): nothing was applied twice. Treat it as <see cref="Ok"/> when retrying.</summary>
    Exists = 4241,

    /// <summary>No account has the id <see cref="Transfer.DebitAccountId"/>.</summary>
    DebitAccountNotFound = 4250,

    /// <summary>No account has the id <see cref="Transfer.CreditAccountId"/>.</summary>
    CreditAccountNotFound = 4251,

    /// <summary>The two accounts belong to different ledgers (exchange between assets takes one transfer per ledger).</summary>
    AccountsMustHaveTheSameLedger = 4252,

    /// <summary><see cref="Transfer.Ledger"/> differs from the accounts' ledger.</summary>
    TransferMustHaveTheSameLedgerAsAccounts = 4253,

    /// <summary>No transfer has the id <see cref="Transfer.PendingId"/>.</summary>
    PendingTransferNotFound = 4260,

    /// <summary>The transfer <see cref="Transfer.PendingId"/> is not a pending transfer.</summary>
    PendingTransferNotPending = 4261,

    /// <summary>The post/void names a debit account other than the pending transfer's.</summary>
    PendingTransferHasDifferentDebitAccountId = 4262,

    /// <summary>The post/void names a credit account other than the pending transfer's.</summary>
    PendingTransferHasDifferentCreditAccountId = 4263,

    /// <summary>The post/void names a ledger other than the pending transfer's.</summary>
    PendingTransferHasDifferentLedger = 4264,

    /// <summary>The post/void names a code other than the pending transfer's.</summary>
    PendingTransferHasDifferentCode = 4265,

    /// <summary>The post/void amount exceeds the pending amount.</summary>
    ExceedsPendingTransferAmount = 4266,

    /// <summary>A void must name 0 or exactly the pending amount (a partial release is a partial post).</summary>
    PendingTransferHasDifferentAmount = 4267,

    /// <summary>The pending transfer was already posted.</summary>
    PendingTransferAlreadyPosted = 4268,

    /// <summary>The pending transfer was already voided.</summary>
    PendingTransferAlreadyVoided = 4269,

    /// <summary>The pending transfer's timeout has passed (at this transfer's timestamp, or it was already expired).</summary>
    PendingTransferExpired = 4270,

    /// <summary>The debit account is closed.</summary>
    DebitAccountAlreadyClosed = 4280,

    /// <summary>The credit account is closed.</summary>
    CreditAccountAlreadyClosed = 4281,

    /// <summary>The debit account's pending debits would overflow 128 bits.</summary>
    OverflowsDebitsPending = 4290,

    /// <summary>The credit account's pending credits would overflow 128 bits.</summary>
    OverflowsCreditsPending = 4291,

    /// <summary>The debit account's posted debits would overflow 128 bits.</summary>
    OverflowsDebitsPosted = 4292,

    /// <summary>The credit account's posted credits would overflow 128 bits.</summary>
    OverflowsCreditsPosted = 4293,

    /// <summary>The debit account's pending + posted debits would overflow 128 bits.</summary>
    OverflowsDebits = 4294,

    /// <summary>The credit account's pending + posted credits would overflow 128 bits.</summary>
    OverflowsCredits = 4295,

    /// <summary>The transfer's timestamp + timeout would overflow 64 bits of nanoseconds.</summary>
    OverflowsTimeout = 4296,

    /// <summary>
    /// The debit account has <see cref="AccountFlags.DebitsMustNotExceedCredits"/> and would be overdrawn, or a
    /// <see cref="TransferFlags.BalancingDebit"/> transfer finds nothing to move.
    /// </summary>
    ExceedsCredits = 4300,

    /// <summary>
    /// The credit account has <see cref="AccountFlags.CreditsMustNotExceedDebits"/> and would be exceeded, or a
    /// <see cref="TransferFlags.BalancingCredit"/> transfer finds nothing to move.
    /// </summary>
    ExceedsDebits = 4301,

    /// <summary><see cref="LedgerEngineOptions.TransfersMax"/> transfers exist: the engine does not grow.</summary>
    TransferCapacityExceeded = 4310,
}
