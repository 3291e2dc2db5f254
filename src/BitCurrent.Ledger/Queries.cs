namespace BitCurrent.Ledger;

/// <summary>Flags of an <see cref="AccountFilter"/>.</summary>
[Flags]
public enum AccountFilterFlags : uint
{
    /// <summary>Debits and credits, oldest first.</summary>
    None = 0,

    /// <summary>Include transfers that debit the account (with <see cref="Credits"/> unset: only those).</summary>
    Debits = 1 << 0,

    /// <summary>Include transfers that credit the account (with <see cref="Debits"/> unset: only those).</summary>
    Credits = 1 << 1,

    /// <summary>Newest first.</summary>
    Reversed = 1 << 2,
}

/// <summary>Selects the transfers (or balance rows) of one account. Zero fields match everything.</summary>
public readonly record struct AccountFilter
{
    /// <summary>Only items with this <see cref="Transfer.UserData128"/> (0 = any).</summary>
    public UInt128 UserData128 { get; init; }

    /// <summary>Only items with this <see cref="Transfer.UserData64"/> (0 = any).</summary>
    public ulong UserData64 { get; init; }

    /// <summary>Only items with this <see cref="Transfer.UserData32"/> (0 = any).</summary>
    public uint UserData32 { get; init; }

    /// <summary>Only items with this <see cref="Transfer.Code"/> (0 = any).</summary>
    public ushort Code { get; init; }

    /// <summary>Only items at or after this timestamp (0 = from the start).</summary>
    public ulong TimestampMin { get; init; }

    /// <summary>Only items at or before this timestamp (0 = to the end).</summary>
    public ulong TimestampMax { get; init; }

    /// <summary>Most items returned (0 = as many as the output holds).</summary>
    public int Limit { get; init; }

    /// <summary>Direction and side.</summary>
    public AccountFilterFlags Flags { get; init; }
}

/// <summary>Selects accounts or transfers by their user data, ledger, code and timestamp. Zero fields match everything.</summary>
public readonly record struct QueryFilter
{
    /// <summary>Only items with this user_data_128 (0 = any).</summary>
    public UInt128 UserData128 { get; init; }

    /// <summary>Only items with this user_data_64 (0 = any).</summary>
    public ulong UserData64 { get; init; }

    /// <summary>Only items with this user_data_32 (0 = any).</summary>
    public uint UserData32 { get; init; }

    /// <summary>Only items of this ledger (0 = any).</summary>
    public uint Ledger { get; init; }

    /// <summary>Only items with this code (0 = any).</summary>
    public ushort Code { get; init; }

    /// <summary>Only items at or after this timestamp (0 = from the start).</summary>
    public ulong TimestampMin { get; init; }

    /// <summary>Only items at or before this timestamp (0 = to the end).</summary>
    public ulong TimestampMax { get; init; }

    /// <summary>Most items returned (0 = as many as the output holds).</summary>
    public int Limit { get; init; }

    /// <summary>Newest first.</summary>
    public bool Reversed { get; init; }
}

/// <summary>An account's four balances at a point in time (after the transfer with this timestamp).</summary>
/// <param name="Timestamp">The timestamp the balances are taken at.</param>
/// <param name="DebitsPending">Pending debits.</param>
/// <param name="DebitsPosted">Posted debits.</param>
/// <param name="CreditsPending">Pending credits.</param>
/// <param name="CreditsPosted">Posted credits.</param>
public readonly record struct AccountBalance(
    ulong Timestamp, UInt128 DebitsPending, UInt128 DebitsPosted, UInt128 CreditsPending, UInt128 CreditsPosted);

/// <summary>
/// The running totals of one ledger, kept incrementally so that the conservation check after every batch costs
/// O(ledgers). Sums are modulo 2^128 (each account is bounded by 2^128, their sum is not): debits equal credits
/// exactly as long as they are equal modulo 2^128 after every transfer, which is what is checked.
/// </summary>
/// <param name="Ledger">The ledger id.</param>
/// <param name="AccountCount">Accounts in the ledger.</param>
/// <param name="DebitsPending">Sum of pending debits over the ledger's accounts (mod 2^128).</param>
/// <param name="DebitsPosted">Sum of posted debits (mod 2^128).</param>
/// <param name="CreditsPending">Sum of pending credits (mod 2^128).</param>
/// <param name="CreditsPosted">Sum of posted credits (mod 2^128).</param>
public readonly record struct LedgerTotals(
    uint Ledger, int AccountCount, UInt128 DebitsPending, UInt128 DebitsPosted, UInt128 CreditsPending, UInt128 CreditsPosted);
