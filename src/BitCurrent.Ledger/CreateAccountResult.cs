namespace BitCurrent.Ledger;

/// <summary>
/// The result of creating one account. Members are declared in precedence order: when several apply, the first
/// one listed is returned. Numbers (40xx) are persisted and never reused; a golden test pins them.
/// </summary>
/// <remarks>
/// <see cref="LinkedEventChainOpen"/> is decided first, and only for the last account of a batch. Account
/// chains are checked in order: the first failing account gets its own result, every other account of its chain
/// <see cref="LinkedEventFailed"/>, and nothing of the chain is applied.
/// </remarks>
public enum CreateAccountResult
{
    /// <summary>The account was created.</summary>
    Ok = 0,

    /// <summary>The last account of the batch has <see cref="AccountFlags.Linked"/>: the chain is never closed.</summary>
    LinkedEventChainOpen = 4002,

    /// <summary>Another account of this linked chain failed, so none of the chain was created.</summary>
    LinkedEventFailed = 4001,

    /// <summary><see cref="Account.Timestamp"/> must be zero: the engine assigns it.</summary>
    TimestampMustBeZero = 4003,

    /// <summary><see cref="Account.Reserved"/> must be zero.</summary>
    ReservedField = 4004,

    /// <summary>A flag bit that is not defined by <see cref="AccountFlags"/> is set.</summary>
    ReservedFlag = 4005,

    /// <summary><see cref="Account.Id"/> is zero, a reserved value.</summary>
    IdMustNotBeZero = 4006,

    /// <summary><see cref="Account.Id"/> is 2^128-1, a reserved value.</summary>
    IdMustNotBeIntMax = 4007,

    /// <summary><see cref="AccountFlags.DebitsMustNotExceedCredits"/> and <see cref="AccountFlags.CreditsMustNotExceedDebits"/> are both set.</summary>
    FlagsAreMutuallyExclusive = 4008,

    /// <summary><see cref="Account.DebitsPending"/> must be zero: only transfers change balances.</summary>
    DebitsPendingMustBeZero = 4009,

    /// <summary><see cref="Account.DebitsPosted"/> must be zero: only transfers change balances.</summary>
    DebitsPostedMustBeZero = 4010,

    /// <summary><see cref="Account.CreditsPending"/> must be zero: only transfers change balances.</summary>
    CreditsPendingMustBeZero = 4011,

    /// <summary><see cref="Account.CreditsPosted"/> must be zero: only transfers change balances.</summary>
    CreditsPostedMustBeZero = 4012,

    /// <summary><see cref="Account.Ledger"/> must not be zero.</summary>
    LedgerMustNotBeZero = 4013,

    /// <summary><see cref="Account.Code"/> must not be zero.</summary>
    CodeMustNotBeZero = 4014,

    /// <summary>An account with this id exists with different flags (<see cref="AccountFlags.Closed"/> is not compared).</summary>
    ExistsWithDifferentFlags = 4020,

    /// <summary>An account with this id exists with a different <see cref="Account.UserData128"/>.</summary>
    ExistsWithDifferentUserData128 = 4021,

    /// <summary>An account with this id exists with a different <see cref="Account.UserData64"/>.</summary>
    ExistsWithDifferentUserData64 = 4022,

    /// <summary>An account with this id exists with a different <see cref="Account.UserData32"/>.</summary>
    ExistsWithDifferentUserData32 = 4023,

    /// <summary>An account with this id exists with a different <see cref="Account.Ledger"/>.</summary>
    ExistsWithDifferentLedger = 4024,

    /// <summary>An account with this id exists with a different <see cref="Account.Code"/>.</summary>
    ExistsWithDifferentCode = 4025,

    /// <summary>An identical account already exists (a retry): nothing changed. Treat it as <see cref="Ok"/> when retrying.</summary>
    Exists = 4026,

    /// <summary>The account would open a new ledger, but <see cref="LedgerEngineOptions.LedgersMax"/> ledgers exist.</summary>
    LedgerCapacityExceeded = 4030,

    /// <summary><see cref="LedgerEngineOptions.AccountsMax"/> accounts exist.</summary>
    AccountCapacityExceeded = 4031,
}
