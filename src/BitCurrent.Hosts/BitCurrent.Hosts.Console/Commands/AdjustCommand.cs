using System.CommandLine;
using System.Globalization;
using BitCurrent.Ledger;
using BitCurrent.Storage.PostgreSql;
using CliCommand = System.CommandLine.Command;

namespace BitCurrent.Hosts.Console.Commands;

/// <summary>
/// <c>bitcurrent adjust propose|approve|reject|list|show</c>: the runbook's "fix discrepancies (with approval)" step.
/// One operator proposes an adjusting entry; a different operator approves it (which applies and projects its
/// transfer) or rejects it. Accounts are named <c>user:ID</c>, <c>custody</c>, <c>escrow</c>, <c>fees</c>,
/// <c>adjustments</c> (of the proposal's currency) or by their 128-bit decimal id.
/// Exit codes: 0 done, 1 failed (connection, schema, replay), 2 bad input or no connection string, 4 refused by the
/// desk (a numbered 46xx result, recorded in the audit trail).
/// </summary>
internal static class AdjustCommand
{
    public const int ExitRefused = 4;

    /// <param name="environment">Reads an environment variable (default: the process environment; tests pass their own).</param>
    /// <param name="timeProvider">The clock that timestamps calls (tests pass their own).</param>
    public static CliCommand Create(Func<string, string?>? environment = null, TimeProvider? timeProvider = null)
    {
        var command = new CliCommand("adjust", "Adjusting entries with maker-checker approval: propose, approve, reject, list, show.");
        command.Add(Propose(environment, timeProvider));
        command.Add(Approve(environment, timeProvider));
        command.Add(Reject(environment, timeProvider));
        command.Add(List(environment));
        command.Add(Show(environment));
        return command;
    }

    private static Option<string> OperatorOption() => new("--operator") { Description = "Who is calling (the audit trail records it; the proposer can never approve).", Required = true };

    private static Option<ulong> IdOption(bool required) => new("--id")
    {
        Description = required ? "The proposal id." : "The proposal id (default: one more than the largest stored).",
        Required = required,
    };

    private static CliCommand Propose(Func<string, string?>? environment, TimeProvider? timeProvider)
    {
        var connection = DatabaseCli.ConnectionOption();
        var id = IdOption(required: false);
        var op = OperatorOption();
        var currency = new Option<string>("--currency") { Description = "The currency of both accounts, e.g. BTC.", Required = true };
        var debit = new Option<string>("--debit") { Description = "The account debited: user:ID, custody, escrow, fees, adjustments, or a decimal account id.", Required = true };
        var credit = new Option<string>("--credit") { Description = "The account credited (same notation).", Required = true };
        var amount = new Option<string>("--amount") { Description = "The amount in the currency's units, e.g. 0.25 (at most its scale of decimals).", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why: the ticket or reconciliation finding.", Required = true };
        var deposit = new Option<ulong>("--deposit-id") { Description = "The deposit this entry credits, when it corrects a deposit missing from the ledger (recorded as that deposit's entry; at most once per deposit)." };
        var command = new CliCommand("propose", "Propose an adjusting entry; nothing moves until a second operator approves it.")
        {
            id, op, currency, debit, credit, amount, reason, deposit, connection,
        };
        command.SetAction((parseResult, cancellationToken) => DatabaseCli.RunAsync(parseResult, connection, environment, cancellationToken, async (storage, output, error) =>
        {
            var assets = await ExchangeRecords.LoadAssetsAsync(storage.DataSource, cancellationToken).ConfigureAwait(false);
            var code = parseResult.GetValue(currency)!.Trim().ToUpperInvariant();
            if (!assets.TryGetByCode(code, out var asset))
            {
                error.WriteLine($"error: {(int)AdjustmentResult.AssetNotRegistered} {AdjustmentResult.AssetNotRegistered}: currency {code} is not in the currencies table (known: {string.Join(", ", assets.Assets.Select(a => a.Code))})");
                return DatabaseCli.ExitConfiguration;
            }
            if (!TryParseAccount(parseResult.GetValue(debit)!, asset, out var debitId) || !TryParseAccount(parseResult.GetValue(credit)!, asset, out var creditId))
            {
                error.WriteLine("error: an account is named user:ID, custody, escrow, fees, adjustments, or by its decimal id");
                return DatabaseCli.ExitConfiguration;
            }
            var amountText = parseResult.GetValue(amount)!;
            if (!asset.TryParse(amountText, out var minor))
            {
                error.WriteLine($"error: the amount '{amountText}' is not a number of {asset.Code} with at most {asset.Scale} decimals");
                return DatabaseCli.ExitConfiguration;
            }
            var store = storage.CreateAdjustments(timeProvider);
            var proposalId = parseResult.GetResult(id) is null ? await store.NextProposalIdAsync(cancellationToken).ConfigureAwait(false) : parseResult.GetValue(id);
            var proposal = new AdjustmentProposal(proposalId, asset, debitId, creditId, minor, parseResult.GetValue(reason)!, parseResult.GetValue(deposit));
            var call = await store.ProposeAsync(proposal, parseResult.GetValue(op)!, cancellationToken).ConfigureAwait(false);
            if (!call.IsOk) return Refused(error, call, proposalId);
            output.WriteLine($"proposal {proposalId} recorded by {call.Record!.ProposedBy}: {Describe(call.Record)}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"next: a second operator runs `bitcurrent adjust approve --id {proposalId} --operator NAME` (or `adjust reject`)"));
            return DatabaseCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Approve(Func<string, string?>? environment, TimeProvider? timeProvider)
    {
        var connection = DatabaseCli.ConnectionOption();
        var id = IdOption(required: true);
        var op = OperatorOption();
        var command = new CliCommand("approve", "Approve a proposal (never your own): its transfer is applied to the ledger and projected.") { id, op, connection };
        command.SetAction((parseResult, cancellationToken) => DatabaseCli.RunAsync(parseResult, connection, environment, cancellationToken, async (storage, output, error) =>
        {
            var proposalId = parseResult.GetValue(id);
            var call = await storage.CreateAdjustments(timeProvider).ApproveAsync(proposalId, parseResult.GetValue(op)!, cancellationToken).ConfigureAwait(false);
            if (!call.IsOk) return Refused(error, call, proposalId);
            var r = call.Record!;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"proposal {proposalId} approved by {r.DecidedBy}: transfer {r.TransferId} applied at ledger timestamp {r.DecidedAt}{(call.Recovered ? " (recovered: the transfer was already in the ledger; only the decision was recorded)" : "")}"));
            output.WriteLine($"  {Describe(r)}");
            output.WriteLine("next: bitcurrent reconcile");
            return DatabaseCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Reject(Func<string, string?>? environment, TimeProvider? timeProvider)
    {
        var connection = DatabaseCli.ConnectionOption();
        var id = IdOption(required: true);
        var op = OperatorOption();
        var note = new Option<string>("--note") { Description = "Why it is rejected (or withdrawn, by its proposer).", Required = true };
        var command = new CliCommand("reject", "Reject (or, as its proposer, withdraw) an open proposal; nothing moves.") { id, op, note, connection };
        command.SetAction((parseResult, cancellationToken) => DatabaseCli.RunAsync(parseResult, connection, environment, cancellationToken, async (storage, output, error) =>
        {
            var proposalId = parseResult.GetValue(id);
            var call = await storage.CreateAdjustments(timeProvider).RejectAsync(proposalId, parseResult.GetValue(op)!, parseResult.GetValue(note)!, cancellationToken).ConfigureAwait(false);
            if (!call.IsOk) return Refused(error, call, proposalId);
            output.WriteLine($"proposal {proposalId} rejected by {call.Record!.DecidedBy}: {call.Record.DecisionNote}");
            return DatabaseCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand List(Func<string, string?>? environment)
    {
        var connection = DatabaseCli.ConnectionOption();
        var status = new Option<string?>("--status") { Description = "Only proposals with this status." };
        status.AcceptOnlyFromAmong("proposed", "approved", "rejected");
        var command = new CliCommand("list", "List the proposals, oldest first.") { status, connection };
        command.SetAction((parseResult, cancellationToken) => DatabaseCli.RunAsync(parseResult, connection, environment, cancellationToken, async (storage, output, _) =>
        {
            AdjustmentStatus? filter = parseResult.GetValue(status) switch
            {
                "proposed" => AdjustmentStatus.Proposed,
                "approved" => AdjustmentStatus.Approved,
                "rejected" => AdjustmentStatus.Rejected,
                _ => null,
            };
            var records = await storage.CreateAdjustments().ListAsync(filter, cancellationToken).ConfigureAwait(false);
            if (records.Count == 0)
            {
                output.WriteLine("no proposals");
                return DatabaseCli.ExitOk;
            }
            output.WriteLine($"{"id",-6} {"status",-9} {"proposed by",-14} {"decided by",-14} entry");
            foreach (var r in records)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Proposal.ProposalId,-6} {AdjustmentStore.StatusWord(r.Status),-9} {r.ProposedBy,-14} {r.DecidedBy ?? "-",-14} {Describe(r)}"));
            return DatabaseCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Show(Func<string, string?>? environment)
    {
        var connection = DatabaseCli.ConnectionOption();
        var id = IdOption(required: true);
        var command = new CliCommand("show", "Show one proposal and its audit trail (refusals included).") { id, connection };
        command.SetAction((parseResult, cancellationToken) => DatabaseCli.RunAsync(parseResult, connection, environment, cancellationToken, async (storage, output, error) =>
        {
            var proposalId = parseResult.GetValue(id);
            var store = storage.CreateAdjustments();
            var record = (await store.ListAsync(null, cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.Proposal.ProposalId == proposalId);
            var audit = await store.GetAuditAsync(proposalId, cancellationToken).ConfigureAwait(false);
            var c = CultureInfo.InvariantCulture;
            if (record is null && audit.Count == 0)
            {
                error.WriteLine(string.Create(c, $"error: {(int)AdjustmentResult.ProposalNotFound} {AdjustmentResult.ProposalNotFound}: no proposal has id {proposalId}"));
                return ExitRefused;
            }
            if (record is not null)
            {
                output.WriteLine(string.Create(c, $"proposal {proposalId}: {AdjustmentStore.StatusWord(record.Status)}"));
                output.WriteLine($"  entry        {Describe(record)}");
                output.WriteLine(string.Create(c, $"  proposed     by {record.ProposedBy} at ledger timestamp {record.ProposedAt}"));
                if (record.DecidedBy is not null)
                    output.WriteLine(string.Create(c, $"  decided      by {record.DecidedBy} at ledger timestamp {record.DecidedAt}{(record.DecisionNote is null ? "" : $": {record.DecisionNote}")}"));
                output.WriteLine(string.Create(c, $"  transfer id  {record.TransferId}{(record.Status == AdjustmentStatus.Approved ? " (applied)" : " (not applied)")}"));
            }
            output.WriteLine("audit trail:");
            foreach (var e in audit)
            {
                var result = e.Result == AdjustmentResult.Ok ? "ok" : string.Create(c, $"{(int)e.Result} {e.Result}");
                var ledger = e.TransferResult == CreateTransferResult.Ok ? "" : string.Create(c, $" (ledger: {(int)e.TransferResult} {e.TransferResult})");
                output.WriteLine(string.Create(c, $"  {e.Timestamp,-20} {e.OperatorId,-14} {e.Action.ToString().ToLowerInvariant(),-9} {result}{ledger}: {e.Detail}"));
            }
            return DatabaseCli.ExitOk;
        }));
        return command;
    }

    private static int Refused(TextWriter error, AdjustmentCallResult call, ulong proposalId)
    {
        var c = CultureInfo.InvariantCulture;
        var why = call.Result switch
        {
            AdjustmentResult.OperatorIdMustNotBeEmpty => "the operator id is empty",
            AdjustmentResult.ProposalIdMustNotBeZero => "the proposal id is zero",
            AdjustmentResult.ReasonMustNotBeEmpty => "the reason (or note) is empty",
            AdjustmentResult.AmountMustNotBeZero => "the amount is zero",
            AdjustmentResult.AssetNotRegistered => "the currency is not registered",
            AdjustmentResult.AccountsMustBeDifferent => "the debit and credit accounts are the same",
            AdjustmentResult.AccountNotFound => "an account does not exist in the ledger",
            AdjustmentResult.AccountNotOnAssetLedger => "an account is not of the proposal's currency",
            AdjustmentResult.ProposalExists => string.Create(c, $"proposal {proposalId} exists already"),
            AdjustmentResult.ProposalNotFound => string.Create(c, $"no proposal has id {proposalId}"),
            AdjustmentResult.ProposalAlreadyDecided => string.Create(c, $"proposal {proposalId} was already {(call.Record is null ? "decided" : AdjustmentStore.StatusWord(call.Record.Status))}"),
            AdjustmentResult.ApproverMustNotBeProposer => "the operator who proposed an entry can never approve it (maker-checker); a second operator must",
            AdjustmentResult.TransferRejected => string.Create(c, $"the ledger refused the transfer with {(int)call.TransferResult} {call.TransferResult}; the proposal stays open"),
            _ => "refused",
        };
        error.WriteLine(string.Create(c, $"error: {(int)call.Result} {call.Result}: {why} (recorded in the audit trail)"));
        return ExitRefused;
    }

    /// <summary>An account of <paramref name="asset"/> by name (<c>user:ID</c>, <c>custody</c>, ...) or by decimal id.</summary>
    internal static bool TryParseAccount(string text, Asset asset, out UInt128 id)
    {
        id = UInt128.Zero;
        text = text.Trim();
        switch (text.ToLowerInvariant())
        {
            case "custody": id = LedgerAccounts.Custody(asset); return true;
            case "escrow": id = LedgerAccounts.Escrow(asset); return true;
            case "fees": id = LedgerAccounts.Fees(asset); return true;
            case "adjustments": id = LedgerAccounts.Adjustments(asset); return true;
        }
        if (text.StartsWith("user:", StringComparison.OrdinalIgnoreCase))
        {
            if (!ulong.TryParse(text.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var user) || user == 0) return false;
            id = LedgerAccounts.UserAvailable(user, asset);
            return true;
        }
        return UInt128.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id != UInt128.Zero;
    }

    /// <summary>An account id by name where it has one (<c>user:3</c>, <c>custody</c>), else its decimal id.</summary>
    internal static string AccountName(UInt128 id)
    {
        if (!LedgerAccounts.TryDecode(id, out var kind, out _, out var user)) return id.ToString(CultureInfo.InvariantCulture);
        return kind switch
        {
            LedgerAccountKind.UserAvailable => string.Create(CultureInfo.InvariantCulture, $"user:{user}"),
            LedgerAccountKind.Custody => "custody",
            LedgerAccountKind.Escrow => "escrow",
            LedgerAccountKind.Fees => "fees",
            LedgerAccountKind.Adjustments => "adjustments",
            _ => id.ToString(CultureInfo.InvariantCulture),
        };
    }

    private static string Describe(AdjustmentRecord r)
    {
        var p = r.Proposal;
        var deposit = p.DepositId == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" for deposit {p.DepositId}");
        return $"{p.Asset.Format(p.Amount)} {p.Asset.Code} from {AccountName(p.DebitAccountId)} to {AccountName(p.CreditAccountId)}{deposit}: {p.Reason}";
    }
}
