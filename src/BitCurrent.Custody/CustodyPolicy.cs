namespace BitCurrent.Custody;

/// <summary>The withdrawal policy. Amounts are satoshis; "daily" is a rolling 24-hour window ending now.</summary>
public sealed record WithdrawalPolicy
{
    /// <summary>Hours between whitelisting an address and its first use (default 24).</summary>
    public int CoolingOffHours { get; init; } = 24;

    /// <summary>Largest single withdrawal (default 2 BTC).</summary>
    public long PerTransactionMaxSats { get; init; } = 2 * Money.SatoshisPerBitcoin;

    /// <summary>Largest sum per user over 24 hours, counting every withdrawal not rejected (default 5 BTC).</summary>
    public long DailyUserMaxSats { get; init; } = 5 * Money.SatoshisPerBitcoin;

    /// <summary>Largest sum over all users over 24 hours (default 50 BTC).</summary>
    public long DailyTotalMaxSats { get; init; } = 50 * Money.SatoshisPerBitcoin;

    /// <summary>Withdrawals strictly above this need approvals (default 0.5 BTC).</summary>
    public long ApprovalThresholdSats { get; init; } = Money.SatoshisPerBitcoin / 2;

    /// <summary>Distinct approvers needed above the threshold, none the requester (default 2).</summary>
    public int ApprovalsRequired { get; init; } = 2;
}

/// <summary>
/// The operator's settings for one data directory, kept in <c>custody/policy.json</c> (written with these defaults on first use;
/// edit it to change them).
/// </summary>
public sealed record CustodyPolicy
{
    /// <summary>Confirmations before a deposit is credited (default 3).</summary>
    public int DepositConfirmations { get; init; } = 3;

    /// <summary>Confirmations before a withdrawal or rebalancing counts as confirmed (default 1).</summary>
    public int SpendConfirmations { get; init; } = 1;

    /// <summary>Confirmations after which a deposit, withdrawal or rebalancing is final and no longer re-checked for reorganisations
    /// (default 100, Bitcoin's coinbase maturity). Until then every scan re-reads it from the chain.</summary>
    public int FinalityConfirmations { get; init; } = 100;

    /// <summary>The 24-hour buffer the hot wallet keeps on top of pending withdrawals (default 1 BTC).</summary>
    public long HotWalletBufferSats { get; init; } = Money.SatoshisPerBitcoin;

    /// <summary>Highest fee rate any transaction may pay, sat/vB (default 200); above it is <see cref="CustodyError.FeeRateAboveCap"/>.</summary>
    public long FeeRateCapSatPerVb { get; init; } = 200;

    /// <summary>Confirmation target for the node's fee estimate when no fee rate is given (default 6 blocks).</summary>
    public int FeeEstimateTargetBlocks { get; init; } = 6;

    /// <summary>The withdrawal policy.</summary>
    public WithdrawalPolicy Withdrawals { get; init; } = new();

    /// <summary>Checks every value.</summary>
    /// <exception cref="WithdrawalException"><see cref="CustodyError.WithdrawalPolicyInvalid"/> naming the bad value.</exception>
    public void Validate()
    {
        var w = Withdrawals ?? throw new WithdrawalException(CustodyError.WithdrawalPolicyInvalid, "withdrawals: missing");
        Check(DepositConfirmations is >= 1 and <= 1000, "depositConfirmations must be 1..1000");
        Check(SpendConfirmations is >= 1 and <= 1000, "spendConfirmations must be 1..1000");
        Check(FinalityConfirmations >= DepositConfirmations && FinalityConfirmations >= SpendConfirmations && FinalityConfirmations <= 10_000,
            "finalityConfirmations must be at least depositConfirmations and spendConfirmations, at most 10000");
        Check(Money.IsValid(HotWalletBufferSats), "hotWalletBufferSats must be 0..21e14");
        Check(FeeRateCapSatPerVb is >= 1 and <= 100_000, "feeRateCapSatPerVb must be 1..100000");
        Check(FeeEstimateTargetBlocks is >= 1 and <= 1008, "feeEstimateTargetBlocks must be 1..1008");
        Check(w.CoolingOffHours is >= 0 and <= 24 * 365, "withdrawals.coolingOffHours must be 0..8760");
        Check(Money.IsValid(w.PerTransactionMaxSats), "withdrawals.perTransactionMaxSats must be 0..21e14");
        Check(Money.IsValid(w.DailyUserMaxSats), "withdrawals.dailyUserMaxSats must be 0..21e14");
        Check(Money.IsValid(w.DailyTotalMaxSats), "withdrawals.dailyTotalMaxSats must be 0..21e14");
        Check(Money.IsValid(w.ApprovalThresholdSats), "withdrawals.approvalThresholdSats must be 0..21e14");
        Check(w.ApprovalsRequired is >= 1 and <= 10, "withdrawals.approvalsRequired must be 1..10");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            Throw.Withdrawal(CustodyError.WithdrawalPolicyInvalid, message);
        }
    }
}
