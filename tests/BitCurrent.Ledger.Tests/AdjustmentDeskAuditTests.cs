using BitCurrent.Ledger;
using static BitCurrent.Ledger.Tests.FlowTests;

namespace BitCurrent.Ledger.Tests;

/// <summary>
/// What the maker-checker desk writes down: the transfer an approval applies (id, code, user data) and the audit
/// entry of every decision and refusal, with the operator and the detail an auditor reads.
/// </summary>
public class AdjustmentDeskAuditTests
{
    private static AdjustmentProposal Credit(ulong id, UInt128 amount, string reason = "ticket OPS-7") =>
        new(id, Asset.Btc, LedgerAccounts.Adjustments(Asset.Btc), LedgerAccounts.UserAvailable(Alice, Asset.Btc), amount, reason);

    [Fact]
    public void A_plain_adjustment_is_applied_under_its_proposal_id()
    {
        var x = new Exchange();
        var desk = new AdjustmentDesk(x.Ledger);
        Assert.Equal(AdjustmentResult.Ok, desk.Propose(Credit(41, 250), "maker", x.Tick()));
        Assert.True(desk.TryGet(41, out var record));
        Assert.Equal(FlowTransferIds.Adjustment(FlowCode.Adjustment, 41), record.TransferId);
        Assert.Equal(AdjustmentResult.Ok, desk.Approve(41, "checker", x.Tick()).Result);
        Assert.True(x.Engine.TryGetTransfer(FlowTransferIds.Adjustment(FlowCode.Adjustment, 41), out var t));
        Assert.Equal(((ushort)FlowCode.Adjustment, (UInt128)41, 41UL, (UInt128)250), (t.Code, t.UserData128, t.UserData64, t.Amount));
        Assert.Equal((LedgerAccounts.Adjustments(Asset.Btc), LedgerAccounts.UserAvailable(Alice, Asset.Btc)), (t.DebitAccountId, t.CreditAccountId));
    }

    [Fact]
    public void A_deposit_correction_is_applied_under_the_deposit_id()
    {
        var x = new Exchange();
        var desk = new AdjustmentDesk(x.Ledger);
        var fix = new AdjustmentProposal(5, Asset.Btc, LedgerAccounts.Custody(Asset.Btc), LedgerAccounts.UserAvailable(Alice, Asset.Btc), 700, "deposit 77", DepositId: 77);
        Assert.Equal(AdjustmentResult.Ok, desk.Propose(fix, "maker", x.Tick()));
        Assert.True(desk.TryGet(5, out var record));
        Assert.Equal(FlowTransferIds.Adjustment(FlowCode.DepositCorrection, 77), record.TransferId);
        Assert.Equal(AdjustmentResult.Ok, desk.Approve(5, "checker", x.Tick()).Result);
        Assert.True(x.Engine.TryGetTransfer(record.TransferId, out var t));
        Assert.Equal(((ushort)FlowCode.DepositCorrection, (UInt128)77, 5UL), (t.Code, t.UserData128, t.UserData64));
    }

    [Fact]
    public void Refusals_record_the_operator_the_reason_and_the_detail()
    {
        var x = new Exchange();
        var desk = new AdjustmentDesk(x.Ledger);
        Assert.Equal(AdjustmentResult.AmountMustNotBeZero, desk.Propose(Credit(1, 0, "why not"), " maker ", 100));
        Assert.Equal(AdjustmentResult.ReasonMustNotBeEmpty, desk.Propose(Credit(2, 5, null!), "maker", 101));
        Assert.Equal(AdjustmentResult.OperatorIdMustNotBeEmpty, desk.Propose(Credit(3, 5), null!, 102));
        Assert.Equal(
            [
                new AdjustmentAuditEntry(100, "maker", AdjustmentAction.Refused, 1, AdjustmentResult.AmountMustNotBeZero, CreateTransferResult.Ok, "why not"),
                new AdjustmentAuditEntry(101, "maker", AdjustmentAction.Refused, 2, AdjustmentResult.ReasonMustNotBeEmpty, CreateTransferResult.Ok, ""),
                new AdjustmentAuditEntry(102, "", AdjustmentAction.Refused, 3, AdjustmentResult.OperatorIdMustNotBeEmpty, CreateTransferResult.Ok, "ticket OPS-7"),
            ],
            desk.AuditLog);
        Assert.Empty(desk.Proposals);
    }

    [Fact]
    public void Decisions_and_refused_decisions_are_logged_with_their_detail()
    {
        var x = new Exchange();
        var desk = new AdjustmentDesk(x.Ledger);
        desk.Propose(Credit(1, 5), "maker", x.Tick());
        var clawback = new AdjustmentProposal(2, Asset.Btc, LedgerAccounts.UserAvailable(Alice, Asset.Btc), LedgerAccounts.Adjustments(Asset.Btc), 10, "clawback");
        desk.Propose(clawback, "maker", x.Tick());
        var start = desk.AuditLog.Count;

        Assert.Equal(AdjustmentResult.ApproverMustNotBeProposer, desk.Approve(1, "MAKER", 500).Result);
        Assert.Equal(AdjustmentResult.ReasonMustNotBeEmpty, desk.Reject(1, "checker", "  ", 501));
        Assert.Equal(AdjustmentResult.ReasonMustNotBeEmpty, desk.Reject(1, "checker", null!, 502));
        Assert.Equal(AdjustmentResult.Ok, desk.Reject(1, " checker ", "duplicate of OPS-6", 503));
        Assert.Equal(AdjustmentResult.TransferRejected, desk.Approve(2, "checker", 504).Result);
        Assert.Equal(
            [
                new AdjustmentAuditEntry(500, "MAKER", AdjustmentAction.Refused, 1, AdjustmentResult.ApproverMustNotBeProposer, CreateTransferResult.Ok, "approval refused"),
                new AdjustmentAuditEntry(501, "checker", AdjustmentAction.Refused, 1, AdjustmentResult.ReasonMustNotBeEmpty, CreateTransferResult.Ok, "  "),
                new AdjustmentAuditEntry(502, "checker", AdjustmentAction.Refused, 1, AdjustmentResult.ReasonMustNotBeEmpty, CreateTransferResult.Ok, ""),
                new AdjustmentAuditEntry(503, "checker", AdjustmentAction.Rejected, 1, AdjustmentResult.Ok, CreateTransferResult.Ok, "duplicate of OPS-6"),
                new AdjustmentAuditEntry(504, "checker", AdjustmentAction.Refused, 2, AdjustmentResult.TransferRejected, CreateTransferResult.ExceedsCredits,
                    "the ledger rejected the transfer"),
            ],
            desk.AuditLog.Skip(start));
        Assert.True(desk.TryGet(1, out var record));
        Assert.Equal((AdjustmentStatus.Rejected, "checker", 503UL, "duplicate of OPS-6"), (record.Status, record.DecidedBy, record.DecidedAt, record.DecisionNote));
    }

    [Fact]
    public void Both_accounts_must_be_on_the_asset_ledger()
    {
        var x = new Exchange();
        var desk = new AdjustmentDesk(x.Ledger);
        var good = Credit(1, 5);
        Assert.Equal(AdjustmentResult.AccountNotOnAssetLedger, desk.Propose(good with { DebitAccountId = LedgerAccounts.Adjustments(Asset.Eth) }, "maker", x.Tick()));
        Assert.Equal(AdjustmentResult.AccountNotOnAssetLedger, desk.Propose(good with { CreditAccountId = LedgerAccounts.UserAvailable(Alice, Asset.Eth) }, "maker", x.Tick()));
        Assert.Equal(AdjustmentResult.Ok, desk.Propose(good, "maker", x.Tick()));
        Assert.Throws<ArgumentNullException>("ledger", () => new AdjustmentDesk(null!));
    }
}
