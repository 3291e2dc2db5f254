namespace BitCurrent.Ledger;

/// <summary>A proposed adjusting entry: move <paramref name="Amount"/> from one account to another of the same asset.</summary>
/// <param name="ProposalId">Unique id of the proposal, not zero.</param>
/// <param name="Asset">The asset (ledger) of both accounts.</param>
/// <param name="DebitAccountId">The account debited.</param>
/// <param name="CreditAccountId">The account credited.</param>
/// <param name="Amount">Minor units, not zero.</param>
/// <param name="Reason">Why (ticket, reconciliation finding); required.</param>
/// <param name="DepositId">
/// When not zero, the entry credits this deposit, missing from the ledger: it is recorded with
/// <see cref="FlowCode.DepositCorrection"/> and user_data_128 = the deposit id, and its transfer id derives from the
/// deposit id, so one deposit can be corrected at most once and reconciliation counts it as the deposit's entry.
/// </param>
public readonly record struct AdjustmentProposal(
    ulong ProposalId, Asset Asset, UInt128 DebitAccountId, UInt128 CreditAccountId, UInt128 Amount, string Reason, ulong DepositId = 0);

/// <summary>Where a proposal stands.</summary>
public enum AdjustmentStatus : byte
{
    /// <summary>Waiting for a second operator.</summary>
    Proposed = 1,

    /// <summary>Approved by a second operator and applied to the ledger.</summary>
    Approved = 2,

    /// <summary>Rejected (or withdrawn); never applied.</summary>
    Rejected = 3,
}

/// <summary>What happened to an adjustment, one entry per call (refusals included).</summary>
public enum AdjustmentAction : byte
{
    /// <summary>A proposal was recorded.</summary>
    Proposed = 1,

    /// <summary>A proposal was approved and its transfer applied.</summary>
    Approved = 2,

    /// <summary>A proposal was rejected.</summary>
    Rejected = 3,

    /// <summary>A call was refused (see the entry's result).</summary>
    Refused = 4,
}

/// <summary>The result of a maker-checker call (46xx). Numbers are never reused; a golden test pins them.</summary>
public enum AdjustmentResult
{
    /// <summary>Done.</summary>
    Ok = 0,

    /// <summary>The operator id is empty.</summary>
    OperatorIdMustNotBeEmpty = 4602,

    /// <summary>The proposal id is zero.</summary>
    ProposalIdMustNotBeZero = 4601,

    /// <summary>The reason (or rejection note) is empty.</summary>
    ReasonMustNotBeEmpty = 4603,

    /// <summary>The amount is zero.</summary>
    AmountMustNotBeZero = 4604,

    /// <summary>The asset is not registered.</summary>
    AssetNotRegistered = 4605,

    /// <summary>Debit and credit account are the same.</summary>
    AccountsMustBeDifferent = 4607,

    /// <summary>An account does not exist.</summary>
    AccountNotFound = 4606,

    /// <summary>An account is not on the asset's ledger.</summary>
    AccountNotOnAssetLedger = 4608,

    /// <summary>A proposal with this id exists.</summary>
    ProposalExists = 4609,

    /// <summary>No proposal has this id.</summary>
    ProposalNotFound = 4610,

    /// <summary>The proposal was already approved or rejected.</summary>
    ProposalAlreadyDecided = 4611,

    /// <summary>The operator who proposed an entry can never approve it (maker-checker).</summary>
    ApproverMustNotBeProposer = 4612,

    /// <summary>The ledger rejected the transfer (see the outcome's transfer result); the proposal stays open.</summary>
    TransferRejected = 4613,
}

/// <summary>The result of an approval: the desk's result and, when the ledger was called, the engine's.</summary>
/// <param name="Result">The desk's result.</param>
/// <param name="TransferResult">The engine's result for the adjusting transfer.</param>
public readonly record struct AdjustmentOutcome(AdjustmentResult Result, CreateTransferResult TransferResult);

/// <summary>A proposal and its decision.</summary>
/// <param name="Proposal">What was proposed.</param>
/// <param name="ProposedBy">The maker.</param>
/// <param name="ProposedAt">When (caller's timestamp, nanoseconds).</param>
/// <param name="Status">Where it stands.</param>
/// <param name="DecidedBy">The checker (null while proposed).</param>
/// <param name="DecidedAt">When it was decided (0 while proposed).</param>
/// <param name="DecisionNote">The rejection note (null otherwise).</param>
/// <param name="TransferId">The adjusting transfer's id (applied only when approved).</param>
public sealed record AdjustmentRecord(
    AdjustmentProposal Proposal, string ProposedBy, ulong ProposedAt, AdjustmentStatus Status,
    string? DecidedBy, ulong DecidedAt, string? DecisionNote, UInt128 TransferId);

/// <summary>One line of the desk's audit trail.</summary>
/// <param name="Timestamp">The caller's timestamp.</param>
/// <param name="OperatorId">Who called.</param>
/// <param name="Action">What happened.</param>
/// <param name="ProposalId">The proposal concerned.</param>
/// <param name="Result">The desk's result.</param>
/// <param name="TransferResult">The engine's result, when the ledger was called.</param>
/// <param name="Detail">Reason, note or refusal text.</param>
public sealed record AdjustmentAuditEntry(
    ulong Timestamp, string OperatorId, AdjustmentAction Action, ulong ProposalId,
    AdjustmentResult Result, CreateTransferResult TransferResult, string Detail);

/// <summary>
/// Maker-checker for adjusting entries, the only way reconciliation findings are corrected: one operator proposes,
/// a different operator approves (which applies the transfer) or rejects. The proposer can never approve their own
/// proposal (operator ids compare case-insensitively, ignoring surrounding spaces). Every call, refusals included,
/// is appended to <see cref="AuditLog"/>. Deterministic: timestamps come from the caller.
/// </summary>
/// <remarks>
/// The desk's state is small and derives from its calls: journal the calls (they carry their timestamps) and replay
/// them to rebuild it, as for the engine's batches.
/// </remarks>
public sealed class AdjustmentDesk
{
    private readonly ExchangeLedger _ledger;
    private readonly Dictionary<ulong, int> _index = [];
    private readonly List<AdjustmentRecord> _records = [];
    private readonly List<AdjustmentAuditEntry> _audit = [];

    /// <summary>Creates a desk over an exchange ledger.</summary>
    public AdjustmentDesk(ExchangeLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        _ledger = ledger;
    }

    /// <summary>All proposals in the order they were made.</summary>
    public IReadOnlyList<AdjustmentRecord> Proposals => _records;

    /// <summary>Every call, in order, refusals included.</summary>
    public IReadOnlyList<AdjustmentAuditEntry> AuditLog => _audit;

    /// <summary>Finds a proposal.</summary>
    public bool TryGet(ulong proposalId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AdjustmentRecord? record)
    {
        record = _index.TryGetValue(proposalId, out var i) ? _records[i] : null;
        return record is not null;
    }

    /// <summary>Records a proposal made by <paramref name="proposerId"/>; nothing moves until a second operator approves.</summary>
    public AdjustmentResult Propose(in AdjustmentProposal proposal, string proposerId, ulong timestamp)
    {
        var result = Validate(in proposal, proposerId);
        if (result != AdjustmentResult.Ok)
        {
            Log(timestamp, proposerId, AdjustmentAction.Refused, proposal.ProposalId, result, CreateTransferResult.Ok, proposal.Reason ?? string.Empty);
            return result;
        }
        var code = proposal.DepositId != 0 ? FlowCode.DepositCorrection : FlowCode.Adjustment;
        var transferId = FlowTransferIds.Adjustment(code, proposal.DepositId != 0 ? proposal.DepositId : proposal.ProposalId);
        _index.Add(proposal.ProposalId, _records.Count);
        _records.Add(new AdjustmentRecord(proposal, proposerId.Trim(), timestamp, AdjustmentStatus.Proposed, null, 0, null, transferId));
        Log(timestamp, proposerId, AdjustmentAction.Proposed, proposal.ProposalId, AdjustmentResult.Ok, CreateTransferResult.Ok, proposal.Reason);
        return AdjustmentResult.Ok;
    }

    /// <summary>
    /// Approves a proposal and applies its transfer (one engine batch at <paramref name="timestamp"/>). Refused when
    /// <paramref name="approverId"/> made the proposal. When the ledger rejects the transfer, the proposal stays open.
    /// </summary>
    public AdjustmentOutcome Approve(ulong proposalId, string approverId, ulong timestamp)
    {
        var result = CheckDecision(proposalId, approverId, out var index);
        if (result == AdjustmentResult.Ok && SameOperator(_records[index].ProposedBy, approverId)) result = AdjustmentResult.ApproverMustNotBeProposer;
        if (result != AdjustmentResult.Ok)
        {
            Log(timestamp, approverId, AdjustmentAction.Refused, proposalId, result, CreateTransferResult.Ok, "approval refused");
            return new AdjustmentOutcome(result, CreateTransferResult.Ok);
        }

        var record = _records[index];
        var p = record.Proposal;
        var code = p.DepositId != 0 ? FlowCode.DepositCorrection : FlowCode.Adjustment;
        Span<Transfer> transfer = stackalloc Transfer[1];
        transfer[0] = new Transfer
        {
            Id = record.TransferId,
            DebitAccountId = p.DebitAccountId,
            CreditAccountId = p.CreditAccountId,
            Amount = p.Amount,
            Ledger = p.Asset.Ledger,
            Code = (ushort)code,
            UserData128 = p.DepositId != 0 ? p.DepositId : p.ProposalId,
            UserData64 = p.ProposalId,
        };
        Span<CreateTransferResult> results = stackalloc CreateTransferResult[1];
        _ledger.Engine.CreateTransfers(transfer, timestamp, results);
        if (results[0] != CreateTransferResult.Ok)
        {
            Log(timestamp, approverId, AdjustmentAction.Refused, proposalId, AdjustmentResult.TransferRejected, results[0], "the ledger rejected the transfer");
            return new AdjustmentOutcome(AdjustmentResult.TransferRejected, results[0]);
        }
        _records[index] = record with { Status = AdjustmentStatus.Approved, DecidedBy = approverId.Trim(), DecidedAt = timestamp };
        Log(timestamp, approverId, AdjustmentAction.Approved, proposalId, AdjustmentResult.Ok, CreateTransferResult.Ok, p.Reason);
        return new AdjustmentOutcome(AdjustmentResult.Ok, CreateTransferResult.Ok);
    }

    /// <summary>Rejects a proposal with a note. Any operator may reject, the proposer included (a withdrawal).</summary>
    public AdjustmentResult Reject(ulong proposalId, string operatorId, string note, ulong timestamp)
    {
        var result = CheckDecision(proposalId, operatorId, out var index);
        if (result == AdjustmentResult.Ok && string.IsNullOrWhiteSpace(note)) result = AdjustmentResult.ReasonMustNotBeEmpty;
        if (result != AdjustmentResult.Ok)
        {
            Log(timestamp, operatorId, AdjustmentAction.Refused, proposalId, result, CreateTransferResult.Ok, note ?? string.Empty);
            return result;
        }
        _records[index] = _records[index] with
        {
            Status = AdjustmentStatus.Rejected,
            DecidedBy = operatorId.Trim(),
            DecidedAt = timestamp,
            DecisionNote = note,
        };
        Log(timestamp, operatorId, AdjustmentAction.Rejected, proposalId, AdjustmentResult.Ok, CreateTransferResult.Ok, note);
        return AdjustmentResult.Ok;
    }

    private AdjustmentResult Validate(in AdjustmentProposal p, string proposerId)
    {
        if (string.IsNullOrWhiteSpace(proposerId)) return AdjustmentResult.OperatorIdMustNotBeEmpty;
        if (p.ProposalId == 0) return AdjustmentResult.ProposalIdMustNotBeZero;
        if (string.IsNullOrWhiteSpace(p.Reason)) return AdjustmentResult.ReasonMustNotBeEmpty;
        if (p.Amount == UInt128.Zero) return AdjustmentResult.AmountMustNotBeZero;
        if (p.Asset is null || !_ledger.Assets.Contains(p.Asset)) return AdjustmentResult.AssetNotRegistered;
        if (p.DebitAccountId == p.CreditAccountId) return AdjustmentResult.AccountsMustBeDifferent;
        if (!_ledger.Engine.TryGetAccount(p.DebitAccountId, out var debit) || !_ledger.Engine.TryGetAccount(p.CreditAccountId, out var credit))
            return AdjustmentResult.AccountNotFound;
        if (debit.Ledger != p.Asset.Ledger || credit.Ledger != p.Asset.Ledger) return AdjustmentResult.AccountNotOnAssetLedger;
        if (_index.ContainsKey(p.ProposalId)) return AdjustmentResult.ProposalExists;
        return AdjustmentResult.Ok;
    }

    private AdjustmentResult CheckDecision(ulong proposalId, string operatorId, out int index)
    {
        index = -1;
        if (string.IsNullOrWhiteSpace(operatorId)) return AdjustmentResult.OperatorIdMustNotBeEmpty;
        if (!_index.TryGetValue(proposalId, out index)) return AdjustmentResult.ProposalNotFound;
        if (_records[index].Status != AdjustmentStatus.Proposed) return AdjustmentResult.ProposalAlreadyDecided;
        return AdjustmentResult.Ok;
    }

    private static bool SameOperator(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    private void Log(ulong timestamp, string? operatorId, AdjustmentAction action, ulong proposalId, AdjustmentResult result,
        CreateTransferResult transferResult, string detail) =>
        _audit.Add(new AdjustmentAuditEntry(timestamp, operatorId?.Trim() ?? string.Empty, action, proposalId, result, transferResult, detail));
}
