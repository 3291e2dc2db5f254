using BitCurrent.Ledger;
using static BitCurrent.Ledger.Tests.FlowTests;

namespace BitCurrent.Ledger.Tests;

/// <summary>Maker-checker: a second operator approves; the maker never can; everything is recorded.</summary>
public class AdjustmentDeskTests
{
    private static AdjustmentProposal Credit(ulong id, UInt128 amount, ulong user = Alice) =>
        new(id, Asset.Btc, LedgerAccounts.Adjustments(Asset.Btc), LedgerAccounts.UserAvailable(user, Asset.Btc), amount, "ticket OPS-1: goodwill credit");

    [Fact]
    public void The_proposer_can_never_approve_and_a_second_operator_applies_the_entry()
    {
        var x = new Exchange();
        var desk = new AdjustmentDesk(x.Ledger);
        Assert.Equal(AdjustmentResult.Ok, desk.Propose(Credit(1, 500), "alice.ops", x.Tick()));
        Assert.Equal(new UserBalance(0, 0, 0), x.Balance(Alice, Asset.Btc));

        Assert.Equal(AdjustmentResult.ApproverMustNotBeProposer, desk.Approve(1, "alice.ops", x.Tick()).Result);
        Assert.Equal(AdjustmentResult.ApproverMustNotBeProposer, desk.Approve(1, "  ALICE.OPS ", x.Tick()).Result);
        Assert.Equal(new UserBalance(0, 0, 0), x.Balance(Alice, Asset.Btc));

        Assert.Equal(new AdjustmentOutcome(AdjustmentResult.Ok, CreateTransferResult.Ok), desk.Approve(1, "bob.finance", x.Tick()));
        Assert.Equal(new UserBalance(500, 0, 500), x.Balance(Alice, Asset.Btc));
        Assert.True(desk.TryGet(1, out var record));
        Assert.Equal((AdjustmentStatus.Approved, "alice.ops", "bob.finance"), (record.Status, record.ProposedBy, record.DecidedBy));
        Assert.True(x.Engine.TryGetTransfer(record.TransferId, out var transfer));
        Assert.Equal((ushort)FlowCode.Adjustment, transfer.Code);

        Assert.Equal(AdjustmentResult.ProposalAlreadyDecided, desk.Approve(1, "carol", x.Tick()).Result);
        Assert.Equal(AdjustmentResult.ProposalAlreadyDecided, desk.Reject(1, "carol", "too late", x.Tick()));
        Assert.Equal(new UserBalance(500, 0, 500), x.Balance(Alice, Asset.Btc));

        var log = desk.AuditLog;
        Assert.Equal(
            [AdjustmentAction.Proposed, AdjustmentAction.Refused, AdjustmentAction.Refused, AdjustmentAction.Approved, AdjustmentAction.Refused, AdjustmentAction.Refused],
            log.Select(e => e.Action));
        Assert.Equal(AdjustmentResult.ApproverMustNotBeProposer, log[1].Result);
        Assert.Equal("ALICE.OPS", log[2].OperatorId);
        Assert.Equal("bob.finance", log[3].OperatorId);
        Assert.True(log.Zip(log.Skip(1)).All(p => p.First.Timestamp <= p.Second.Timestamp));
    }

    [Fact]
    public void A_rejected_proposal_is_never_applied()
    {
        var x = new Exchange();
        var desk = new AdjustmentDesk(x.Ledger);
        desk.Propose(Credit(1, 500), "alice.ops", x.Tick());
        Assert.Equal(AdjustmentResult.ReasonMustNotBeEmpty, desk.Reject(1, "bob", " ", x.Tick()));
        Assert.Equal(AdjustmentResult.Ok, desk.Reject(1, "bob", "no ticket", x.Tick()));
        Assert.Equal(AdjustmentResult.ProposalAlreadyDecided, desk.Approve(1, "carol", x.Tick()).Result);
        Assert.True(desk.TryGet(1, out var record));
        Assert.Equal((AdjustmentStatus.Rejected, "no ticket"), (record.Status, record.DecisionNote));
        Assert.False(x.Engine.TryGetTransfer(record.TransferId, out _));
    }

    [Fact]
    public void Proposals_are_validated_in_order()
    {
        var x = new Exchange();
        var desk = new AdjustmentDesk(x.Ledger);
        var good = Credit(1, 500);
        (AdjustmentProposal Proposal, string Operator, AdjustmentResult Expected)[] rows =
        [
            (good with { ProposalId = 0 }, " ", AdjustmentResult.OperatorIdMustNotBeEmpty),
            (good with { ProposalId = 0, Reason = "" }, "op", AdjustmentResult.ProposalIdMustNotBeZero),
            (good with { Reason = "", Amount = 0 }, "op", AdjustmentResult.ReasonMustNotBeEmpty),
            (good with { Amount = 0, Asset = Asset.Eth }, "op", AdjustmentResult.AmountMustNotBeZero),
            (good with { Asset = new Asset("XRP", 9, 6) }, "op", AdjustmentResult.AssetNotRegistered),
            (good with { CreditAccountId = good.DebitAccountId }, "op", AdjustmentResult.AccountsMustBeDifferent),
            (good with { CreditAccountId = LedgerAccounts.UserAvailable(99, Asset.Btc) }, "op", AdjustmentResult.AccountNotFound),
            (good with { Asset = Asset.Eth }, "op", AdjustmentResult.AccountNotOnAssetLedger),
            (good, "op", AdjustmentResult.Ok),
            (good, "op", AdjustmentResult.ProposalExists),
        ];
        foreach (var (proposal, op, expected) in rows) Assert.Equal(expected, desk.Propose(proposal, op, x.Tick()));
        Assert.Equal(AdjustmentResult.ProposalNotFound, desk.Approve(2, "bob", x.Tick()).Result);
        Assert.Equal(AdjustmentResult.OperatorIdMustNotBeEmpty, desk.Approve(1, "", x.Tick()).Result);
        Assert.Single(desk.Proposals);
        Assert.Equal(rows.Length + 2, desk.AuditLog.Count);
    }

    [Fact]
    public void A_transfer_the_ledger_rejects_leaves_the_proposal_open()
    {
        var x = new Exchange();
        var desk = new AdjustmentDesk(x.Ledger);
        // Debit Alice, who has nothing: her account may not be overdrawn.
        var debit = new AdjustmentProposal(3, Asset.Btc, LedgerAccounts.UserAvailable(Alice, Asset.Btc), LedgerAccounts.Adjustments(Asset.Btc), 10, "clawback");
        desk.Propose(debit, "alice.ops", x.Tick());
        Assert.Equal(new AdjustmentOutcome(AdjustmentResult.TransferRejected, CreateTransferResult.ExceedsCredits), desk.Approve(3, "bob", x.Tick()));
        Assert.True(desk.TryGet(3, out var record));
        Assert.Equal(AdjustmentStatus.Proposed, record.Status);
        x.Deposit(1, Alice, Asset.Btc, 10);
        Assert.Equal(AdjustmentResult.Ok, desk.Approve(3, "bob", x.Tick()).Result);
        Assert.Equal(new UserBalance(0, 0, 0), x.Balance(Alice, Asset.Btc));
    }

    [Fact]
    public void A_deposit_can_be_corrected_only_once()
    {
        var x = new Exchange();
        var desk = new AdjustmentDesk(x.Ledger);
        var fix = new AdjustmentProposal(1, Asset.Btc, LedgerAccounts.Custody(Asset.Btc), LedgerAccounts.UserAvailable(Alice, Asset.Btc), 700,
            "deposit 77 confirmed on chain, never credited", DepositId: 77);
        desk.Propose(fix, "alice.ops", x.Tick());
        desk.Propose(fix with { ProposalId = 2 }, "carol.ops", x.Tick());
        Assert.Equal(AdjustmentResult.Ok, desk.Approve(1, "bob", x.Tick()).Result);
        var second = desk.Approve(2, "bob", x.Tick());
        Assert.Equal(AdjustmentResult.TransferRejected, second.Result);
        Assert.Equal(CreateTransferResult.ExistsWithDifferentUserData64, second.TransferResult);
        Assert.Equal(new UserBalance(700, 0, 700), x.Balance(Alice, Asset.Btc));
        Assert.True(x.Engine.TryGetTransfer(FlowTransferIds.Adjustment(FlowCode.DepositCorrection, 77), out var t));
        Assert.Equal((UInt128)77, t.UserData128);
    }
}
