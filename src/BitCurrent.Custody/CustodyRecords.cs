namespace BitCurrent.Custody;

/// <summary>Where a deposit stands. Persisted (by name and number): values are added, never changed.</summary>
public enum DepositStatus
{
    /// <summary>Seen on chain with fewer confirmations than required: not credited.</summary>
    Detected = 1,
    /// <summary>Confirmed enough: the user is credited.</summary>
    Credited = 2,
    /// <summary>Was credited, then left the active chain (reorganisation): a discrepancy the ledger must reverse.</summary>
    Reversed = 3,
    /// <summary>Left the active chain before it was credited: nothing to reverse.</summary>
    Dropped = 4,
}

/// <summary>A deposit to a user's address: a plain record for the ledger's reconciliation.</summary>
public sealed record DepositRecord
{
    /// <summary>The deposit's id (1, 2, ...), stable for the life of the data directory.</summary>
    public required ulong Id { get; init; }

    /// <summary>The user whose deposit address received it.</summary>
    public required ulong UserId { get; init; }

    /// <summary>Always "BTC".</summary>
    public string Currency { get; init; } = "BTC";

    /// <summary>The deposit address.</summary>
    public required string Address { get; init; }

    /// <summary>The funding transaction (display hex).</summary>
    public required string TxId { get; init; }

    /// <summary>The output index in it.</summary>
    public required uint Vout { get; init; }

    /// <summary>Amount in satoshis.</summary>
    public required long AmountSats { get; init; }

    /// <summary>Confirmations at the last scan.</summary>
    public int Confirmations { get; init; }

    /// <summary>Height of the block holding it at the last scan (null when not in the active chain).</summary>
    public int? BlockHeight { get; init; }

    /// <summary>Status.</summary>
    public DepositStatus Status { get; init; }

    /// <summary>When it was first seen.</summary>
    public DateTimeOffset DetectedAt { get; init; }

    /// <summary>When it was (last) credited.</summary>
    public DateTimeOffset? CreditedAt { get; init; }

    /// <summary>When it was reversed or dropped.</summary>
    public DateTimeOffset? ReversedAt { get; init; }

    /// <summary>"txid:vout".</summary>
    public string OutPoint => $"{TxId}:{Vout}";
}

/// <summary>Where a withdrawal stands. Persisted: values are added, never changed.</summary>
public enum WithdrawalStatus
{
    /// <summary>Requested, waiting for approvals.</summary>
    Pending = 1,
    /// <summary>Approved (or below the approval threshold): waiting to be paid.</summary>
    Approved = 2,
    /// <summary>In a transaction signed by the hot wallet, not yet accepted by the node.</summary>
    Signed = 3,
    /// <summary>Accepted by the node (mempool or chain).</summary>
    Broadcast = 4,
    /// <summary>Its transaction has the required confirmations.</summary>
    Confirmed = 5,
    /// <summary>Refused by the policy or by an operator; <see cref="WithdrawalRecord.RejectReason"/> says why.</summary>
    Rejected = 6,
}

/// <summary>One approval of a withdrawal.</summary>
/// <param name="Approver">Who approved.</param>
/// <param name="At">When.</param>
public sealed record WithdrawalApproval(string Approver, DateTimeOffset At);

/// <summary>A withdrawal: a plain record for the ledger's reconciliation and the operators.</summary>
public sealed record WithdrawalRecord
{
    /// <summary>The withdrawal's id (1, 2, ...).</summary>
    public required ulong Id { get; init; }

    /// <summary>The user paid.</summary>
    public required ulong UserId { get; init; }

    /// <summary>Always "BTC".</summary>
    public string Currency { get; init; } = "BTC";

    /// <summary>Destination address.</summary>
    public required string Address { get; init; }

    /// <summary>Amount sent, satoshis (the network fee is paid by the hot wallet on top).</summary>
    public required long AmountSats { get; init; }

    /// <summary>Who asked for it (the user, or an operator on the user's behalf).</summary>
    public required string RequestedBy { get; init; }

    /// <summary>When.</summary>
    public DateTimeOffset RequestedAt { get; init; }

    /// <summary>Status.</summary>
    public WithdrawalStatus Status { get; init; }

    /// <summary>Approvals needed (0 at or below the approval threshold).</summary>
    public int ApprovalsRequired { get; init; }

    /// <summary>Approvals given, distinct approvers, none the requester.</summary>
    public IReadOnlyList<WithdrawalApproval> Approvals { get; init; } = [];

    /// <summary>For <see cref="WithdrawalStatus.Rejected"/>: the numbered reason.</summary>
    public CustodyError? RejectReason { get; init; }

    /// <summary>For <see cref="WithdrawalStatus.Rejected"/>: the explanation.</summary>
    public string? RejectDetail { get; init; }

    /// <summary>The paying transaction (display hex), from <see cref="WithdrawalStatus.Signed"/> on.</summary>
    public string? TxId { get; init; }

    /// <summary>The output paying this withdrawal.</summary>
    public uint? Vout { get; init; }

    /// <summary>The paying transaction's whole fee (shared by every withdrawal batched in it).</summary>
    public long? TransactionFeeSats { get; init; }

    /// <summary>The signed transaction (hex), kept so a failed broadcast can be retried.</summary>
    public string? TransactionHex { get; init; }

    /// <summary>Confirmations at the last refresh.</summary>
    public int Confirmations { get; init; }

    /// <summary>When it was signed.</summary>
    public DateTimeOffset? SignedAt { get; init; }

    /// <summary>When the node accepted it.</summary>
    public DateTimeOffset? BroadcastAt { get; init; }

    /// <summary>When it reached the required confirmations.</summary>
    public DateTimeOffset? ConfirmedAt { get; init; }

    /// <summary>The last broadcast error, while it is being retried.</summary>
    public string? LastError { get; init; }
}

/// <summary>A destination a user may withdraw to, usable once its cooling-off period has passed.</summary>
/// <param name="UserId">The user.</param>
/// <param name="Address">The address.</param>
/// <param name="AddedBy">Who added it.</param>
/// <param name="AddedAt">When.</param>
/// <param name="UsableFrom">AddedAt + the cooling-off period in force then.</param>
public sealed record WhitelistEntry(ulong UserId, string Address, string AddedBy, DateTimeOffset AddedAt, DateTimeOffset UsableFrom);

/// <summary>Where a cold-to-hot rebalancing stands. Persisted: values are added, never changed.</summary>
public enum RebalanceState
{
    /// <summary>PSBT built and stored; fewer signatures than the threshold.</summary>
    AwaitingSignatures = 1,
    /// <summary>At least the threshold of valid signatures: it can be broadcast.</summary>
    ReadyToBroadcast = 2,
    /// <summary>Finalized and accepted by the node.</summary>
    Broadcast = 3,
    /// <summary>Has the required confirmations.</summary>
    Confirmed = 4,
    /// <summary>Abandoned before broadcast; its cold outputs are free again.</summary>
    Cancelled = 5,
}

/// <summary>An input of a rebalancing: a cold wallet output.</summary>
/// <param name="OutPoint">"txid:vout".</param>
/// <param name="AmountSats">Its value.</param>
/// <param name="Chain">Cold wallet chain (0 receive, 1 change).</param>
/// <param name="Index">Address index on that chain.</param>
public sealed record RebalanceInput(string OutPoint, long AmountSats, uint Chain, uint Index);

/// <summary>A signer's contribution to a rebalancing.</summary>
/// <param name="Signer">Signer number (1-based, the order of the xpubs when the cold wallet was created).</param>
/// <param name="MasterFingerprint">The signer's master fingerprint (hex).</param>
/// <param name="At">When the signature was accepted.</param>
/// <param name="Source">"key-file" (rebalance sign) or "import" (a PSBT signed elsewhere).</param>
public sealed record RebalanceSignature(int Signer, string MasterFingerprint, DateTimeOffset At, string Source);

/// <summary>A cold-to-hot transfer, from initiation to confirmation.</summary>
public sealed record RebalanceRecord
{
    /// <summary>The id: the unsigned transaction's txid (display hex), which is also the final txid (segwit).</summary>
    public required string Id { get; init; }

    /// <summary>State.</summary>
    public RebalanceState State { get; init; }

    /// <summary>Amount moved to the hot wallet.</summary>
    public required long AmountSats { get; init; }

    /// <summary>Network fee.</summary>
    public required long FeeSats { get; init; }

    /// <summary>Fee rate used (sat/vB).</summary>
    public required long FeeRateSatPerVb { get; init; }

    /// <summary>The hot wallet address receiving the amount.</summary>
    public required string Destination { get; init; }

    /// <summary>Its index on the hot wallet's internal chain.</summary>
    public required uint DestinationIndex { get; init; }

    /// <summary>Change back to the cold wallet, when any.</summary>
    public string? ChangeAddress { get; init; }

    /// <summary>Its index on the cold wallet's change chain.</summary>
    public uint? ChangeIndex { get; init; }

    /// <summary>Change amount (0 when none).</summary>
    public long ChangeSats { get; init; }

    /// <summary>The cold outputs spent.</summary>
    public IReadOnlyList<RebalanceInput> Inputs { get; init; } = [];

    /// <summary>The PSBT with every accepted signature (base64).</summary>
    public required string Psbt { get; init; }

    /// <summary>Signatures needed.</summary>
    public int Threshold { get; init; }

    /// <summary>Accepted signers, in the order they signed.</summary>
    public IReadOnlyList<RebalanceSignature> Signatures { get; init; } = [];

    /// <summary>Who initiated it.</summary>
    public string? InitiatedBy { get; init; }

    /// <summary>When it was initiated.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the node accepted it.</summary>
    public DateTimeOffset? BroadcastAt { get; init; }

    /// <summary>When it reached the required confirmations.</summary>
    public DateTimeOffset? ConfirmedAt { get; init; }

    /// <summary>Confirmations at the last check.</summary>
    public int Confirmations { get; init; }

    /// <summary>Height of its block at the last check.</summary>
    public int? BlockHeight { get; init; }

    /// <summary>The final signed transaction (hex), from broadcast on.</summary>
    public string? TransactionHex { get; init; }
}

/// <summary>Kinds of entries in the custody audit log (custody/audit.jsonl). Persisted: values are added, never changed.</summary>
public enum CustodyEventKind
{
    /// <summary>The cold wallet was created.</summary>
    ColdWalletCreated = 1,
    /// <summary>The hot wallet was created.</summary>
    HotWalletCreated = 2,
    /// <summary>A user got a deposit address.</summary>
    DepositAddressAssigned = 3,
    /// <summary>A deposit was seen.</summary>
    DepositDetected = 4,
    /// <summary>A deposit was credited.</summary>
    DepositCredited = 5,
    /// <summary>A credited deposit left the chain: a discrepancy.</summary>
    DepositReversed = 6,
    /// <summary>An uncredited deposit left the chain.</summary>
    DepositDropped = 7,
    /// <summary>A destination was whitelisted.</summary>
    WhitelistAdded = 8,
    /// <summary>A withdrawal was requested.</summary>
    WithdrawalRequested = 9,
    /// <summary>A withdrawal got an approval.</summary>
    WithdrawalApprovalGiven = 10,
    /// <summary>A withdrawal is approved.</summary>
    WithdrawalApproved = 11,
    /// <summary>A withdrawal was rejected.</summary>
    WithdrawalRejected = 12,
    /// <summary>A withdrawal was signed.</summary>
    WithdrawalSigned = 13,
    /// <summary>A withdrawal was broadcast.</summary>
    WithdrawalBroadcast = 14,
    /// <summary>A withdrawal was confirmed.</summary>
    WithdrawalConfirmed = 15,
    /// <summary>A rebalancing was initiated.</summary>
    RebalanceInitiated = 16,
    /// <summary>A signer signed a rebalancing.</summary>
    RebalanceSigned = 17,
    /// <summary>A rebalancing was broadcast.</summary>
    RebalanceBroadcast = 18,
    /// <summary>A rebalancing was confirmed.</summary>
    RebalanceConfirmed = 19,
    /// <summary>A rebalancing was cancelled.</summary>
    RebalanceCancelled = 20,
    /// <summary>A proof-of-reserves report was published.</summary>
    ReservesPublished = 21,
    /// <summary>A broadcast transaction of ours left the chain (reorganisation).</summary>
    TransactionReorganised = 22,
}

/// <summary>An audit log entry.</summary>
/// <param name="At">When (injected clock).</param>
/// <param name="Kind">What happened.</param>
/// <param name="Subject">What it happened to ("deposit 3", "withdrawal 7", "rebalance a1b2…").</param>
/// <param name="Detail">Human-readable details (never key material).</param>
/// <param name="IsDiscrepancy">True for events reconciliation must act on (a credited deposit reversed).</param>
public sealed record CustodyEvent(DateTimeOffset At, CustodyEventKind Kind, string Subject, string Detail, bool IsDiscrepancy = false);
