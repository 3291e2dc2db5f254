using BitCurrent.Ledger;

namespace BitCurrent.Storage.PostgreSql.Tests;

/// <summary>
/// The maker-checker desk kept in PostgreSQL (<see cref="AdjustmentStore"/> and <c>bitcurrent adjust</c>): the runbook's
/// "fix discrepancies (with approval)" step, on the seeded drill data.
/// </summary>
public sealed class AdjustmentTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> SeedDrillAsync()
    {
        await db.RecreateAsync();
        var cs = db.ConnectionString;
        Assert.Equal(0, (await CliRun.RunAsync(cs, "migrate", "up")).ExitCode);
        var seed = await CliRun.RunAsync(cs, "db", "seed", "--with-discrepancies");
        Assert.True(seed.ExitCode == 0, seed.ToString());
        return cs;
    }

    private async Task<(long Transfers, string Hash, string Accounts)> LedgerStateAsync()
    {
        await using var storage = PostgresStorage.Open(db.ConnectionString);
        var replay = await storage.LoadLedgerAsync(Ct);
        var accounts = string.Join(";", await db.RowsAsync("SELECT encode(id, 'hex'), debits_posted, credits_posted, debits_pending, credits_pending FROM accounts ORDER BY id"));
        return (replay.TransferCount, replay.Ledger.Engine.ComputeStateHash().ToString(), accounts);
    }

    [Fact]
    public async Task The_drill_a_missing_deposit_is_proposed_refused_to_its_proposer_approved_by_a_second_operator_and_reconciles()
    {
        var cs = await SeedDrillAsync();
        Assert.Equal(["1|approved|ops.ann|ops.ben"], await db.RowsAsync("SELECT proposal_id, status, proposed_by, decided_by FROM adjustments"));

        var propose = await CliRun.RunAsync(cs, "adjust", "propose", "--operator", "ops.ann", "--currency", "btc", "--debit", "custody", "--credit", "user:3",
            "--amount", "0.25", "--deposit-id", "1901", "--reason", "deposit 1901 confirmed on chain, never credited (ticket OPS-7)");
        Assert.True(propose.ExitCode == 0, propose.ToString());
        Assert.Contains("proposal 2 recorded by ops.ann: 0.25000000 BTC from custody to user:3 for deposit 1901: deposit 1901 confirmed on chain", propose.Output, StringComparison.Ordinal);
        Assert.Contains("adjust approve --id 2 --operator NAME", propose.Output, StringComparison.Ordinal);

        // Nothing moved: the discrepancy is still there.
        var before = await LedgerStateAsync();
        var still = await CliRun.RunAsync(cs, "reconcile");
        Assert.Equal(3, still.ExitCode);
        Assert.Contains(": 6 DISCREPANCIES", still.Output, StringComparison.Ordinal);
        Assert.Contains("4703  DepositMissingFromLedger", still.Output, StringComparison.Ordinal);

        // The proposer can never approve, whatever the case or spacing of their id.
        foreach (var self in new[] { "ops.ann", " OPS.Ann " })
        {
            var refused = await CliRun.RunAsync(cs, "adjust", "approve", "--id", "2", "--operator", self);
            Assert.Equal(4, refused.ExitCode);
            Assert.StartsWith("error: 4612 ApproverMustNotBeProposer:", refused.Error, StringComparison.Ordinal);
        }
        Assert.Equal(before, await LedgerStateAsync());

        var approve = await CliRun.RunAsync(cs, "adjust", "approve", "--id", "2", "--operator", "ops.ben");
        Assert.True(approve.ExitCode == 0, approve.ToString());
        Assert.Contains("proposal 2 approved by ops.ben: transfer", approve.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("recovered", approve.Output, StringComparison.Ordinal);
        var after = await LedgerStateAsync();
        Assert.Equal(before.Transfers + 1, after.Transfers);

        // The runbook's missing-entries query finds nothing now, and reconciliation has one discrepancy fewer.
        Assert.Empty(await db.RowsAsync("""
            SELECT * FROM deposits
            WHERE status = 'credited'
              AND id NOT IN (SELECT reference_id FROM ledger_entries WHERE reference_type = 'deposit');
            """));
        var reconcile = await CliRun.RunAsync(cs, "reconcile");
        Assert.Equal(3, reconcile.ExitCode);
        Assert.Contains(": 4 DISCREPANCIES", reconcile.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("DepositMissingFromLedger", reconcile.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("BalanceMismatch             BTC", reconcile.Output, StringComparison.Ordinal);
        Assert.Contains("its state hash matches the last projection", reconcile.Output, StringComparison.Ordinal);

        var twice = await CliRun.RunAsync(cs, "adjust", "approve", "--id", "2", "--operator", "ops.cat");
        Assert.Equal(4, twice.ExitCode);
        Assert.StartsWith("error: 4611 ProposalAlreadyDecided: proposal 2 was already approved", twice.Error, StringComparison.Ordinal);
        Assert.Equal(after, await LedgerStateAsync());

        var list = await CliRun.RunAsync(cs, "adjust", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Matches(@"1      approved  ops\.ann        ops\.ben        [0-9.]+ BTC from custody to user:[0-9]+ for deposit 1013", list.Output);
        Assert.Contains("2      approved  ops.ann        ops.ben        0.25000000 BTC from custody to user:3 for deposit 1901", list.Output, StringComparison.Ordinal);
        Assert.Equal("no proposals", (await CliRun.RunAsync(cs, "adjust", "list", "--status", "proposed")).Output.Trim());

        var show = await CliRun.RunAsync(cs, "adjust", "show", "--id", "2");
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("proposal 2: approved", show.Output, StringComparison.Ordinal);
        Assert.Contains("transfer id", show.Output, StringComparison.Ordinal);
        var trail = show.Output.Split('\n').SkipWhile(l => !l.StartsWith("audit trail:", StringComparison.Ordinal)).Skip(1).Where(l => l.Length > 0).ToList();
        Assert.Equal(5, trail.Count);
        Assert.Matches(@"ops\.ann +proposed +ok: deposit 1901", trail[0]);
        Assert.Matches(@"ops\.ann +refused +4612 ApproverMustNotBeProposer", trail[1]);
        Assert.Matches(@"OPS\.Ann +refused +4612 ApproverMustNotBeProposer", trail[2]);
        Assert.Matches(@"ops\.ben +approved +ok", trail[3]);
        Assert.Matches(@"ops\.cat +refused +4611 ProposalAlreadyDecided", trail[4]);
    }

    [Fact]
    public async Task Bad_input_gets_a_numbered_refusal_recorded_in_the_audit_trail_and_nothing_changes()
    {
        var cs = await SeedDrillAsync();
        var before = await LedgerStateAsync();
        string[] Propose(params string[] overrides)
        {
            var args = new Dictionary<string, string>
            {
                ["--operator"] = "ops.ann",
                ["--currency"] = "BTC",
                ["--debit"] = "custody",
                ["--credit"] = "user:3",
                ["--amount"] = "0.01",
                ["--reason"] = "test",
            };
            for (var i = 0; i < overrides.Length; i += 2) args[overrides[i]] = overrides[i + 1];
            return ["adjust", "propose", .. args.SelectMany(kv => new[] { kv.Key, kv.Value })];
        }

        // Input the CLI cannot even read: exit 2, nothing recorded.
        var currency = await CliRun.RunAsync(cs, Propose("--currency", "DOGE"));
        Assert.Equal(2, currency.ExitCode);
        Assert.StartsWith("error: 4605 AssetNotRegistered: currency DOGE is not in the currencies table (known: BTC, ETH, GBP)", currency.Error, StringComparison.Ordinal);
        var amount = await CliRun.RunAsync(cs, Propose("--amount", "0.000000001"));
        Assert.Equal(2, amount.ExitCode);
        Assert.Contains("at most 8 decimals", amount.Error, StringComparison.Ordinal);
        var account = await CliRun.RunAsync(cs, Propose("--credit", "user:x"));
        Assert.Equal(2, account.ExitCode);
        Assert.Contains("user:ID, custody, escrow, fees, adjustments", account.Error, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM adjustment_audit WHERE proposal_id > 1"));

        // The desk's refusals, each with its number; every one is in the audit trail.
        (string[] Args, string Expected)[] table =
        [
            (Propose("--id", "10", "--operator", "  "), "4602 OperatorIdMustNotBeEmpty"),
            (Propose("--id", "0"), "4601 ProposalIdMustNotBeZero"),
            (Propose("--id", "11", "--reason", " "), "4603 ReasonMustNotBeEmpty"),
            (Propose("--id", "12", "--amount", "0"), "4604 AmountMustNotBeZero"),
            (Propose("--id", "13", "--credit", "custody"), "4607 AccountsMustBeDifferent"),
            (Propose("--id", "14", "--credit", "user:99"), "4606 AccountNotFound"),
            (Propose("--id", "1"), "4609 ProposalExists"),
        ];
        foreach (var (args, expected) in table)
        {
            var run = await CliRun.RunAsync(cs, args);
            Assert.True(run.ExitCode == 4, $"{string.Join(' ', args)}: {run}");
            Assert.StartsWith($"error: {expected}:", run.Error, StringComparison.Ordinal);
        }
        Assert.Equal(["0|4601", "1|4609", "10|4602", "11|4603", "12|4604", "13|4607", "14|4606"],
            await db.RowsAsync("SELECT proposal_id, result FROM adjustment_audit WHERE action = 'refused' ORDER BY proposal_id"));

        var unknown = await CliRun.RunAsync(cs, "adjust", "approve", "--id", "77", "--operator", "ops.ben");
        Assert.Equal(4, unknown.ExitCode);
        Assert.StartsWith("error: 4610 ProposalNotFound: no proposal has id 77", unknown.Error, StringComparison.Ordinal);
        var showUnknown = await CliRun.RunAsync(cs, "adjust", "show", "--id", "78");
        Assert.Equal(4, showUnknown.ExitCode);

        // A proposal the ledger refuses on approval (user 3 holds less BTC than this) stays open with the ledger's code.
        var big = await CliRun.RunAsync(cs, Propose("--id", "20", "--debit", "user:3", "--credit", "adjustments", "--amount", "1000"));
        Assert.True(big.ExitCode == 0, big.ToString());
        var rejected = await CliRun.RunAsync(cs, "adjust", "approve", "--id", "20", "--operator", "ops.ben");
        Assert.Equal(4, rejected.ExitCode);
        Assert.StartsWith("error: 4613 TransferRejected: the ledger refused the transfer with 4", rejected.Error, StringComparison.Ordinal);
        Assert.Contains("ExceedsCredits; the proposal stays open", rejected.Error, StringComparison.Ordinal);
        Assert.Equal("proposed", await db.ScalarAsync<string>("SELECT status FROM adjustments WHERE proposal_id = 20"));

        var emptyNote = await CliRun.RunAsync(cs, "adjust", "reject", "--id", "20", "--operator", "ops.ann", "--note", " ");
        Assert.Equal(4, emptyNote.ExitCode);
        Assert.StartsWith("error: 4603 ReasonMustNotBeEmpty", emptyNote.Error, StringComparison.Ordinal);
        var withdraw = await CliRun.RunAsync(cs, "adjust", "reject", "--id", "20", "--operator", "ops.ann", "--note", "wrong account, withdrawn");
        Assert.True(withdraw.ExitCode == 0, withdraw.ToString());
        Assert.Contains("proposal 20 rejected by ops.ann: wrong account, withdrawn", withdraw.Output, StringComparison.Ordinal);
        var late = await CliRun.RunAsync(cs, "adjust", "approve", "--id", "20", "--operator", "ops.ben");
        Assert.StartsWith("error: 4611 ProposalAlreadyDecided: proposal 20 was already rejected", late.Error, StringComparison.Ordinal);

        // Nothing accepted before was changed by any of it.
        Assert.Equal(before, await LedgerStateAsync());
        var reconcile = await CliRun.RunAsync(cs, "reconcile");
        Assert.Contains(": 6 DISCREPANCIES", reconcile.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_approval_interrupted_after_its_transfer_was_projected_is_recovered_without_applying_it_twice()
    {
        await SeedDrillAsync();
        await using var storage = PostgresStorage.Open(db.ConnectionString);
        var store = storage.CreateAdjustments();
        var assets = await ExchangeRecords.LoadAssetsAsync(storage.DataSource, Ct);
        var btc = assets["BTC"];
        var proposal = new AdjustmentProposal(5, btc, LedgerAccounts.Custody(btc), LedgerAccounts.UserAvailable(3, btc), 25_000_000, "deposit 1901", DepositId: 1901);
        Assert.True((await store.ProposeAsync(proposal, "ops.ann", Ct)).IsOk);

        // What an approval does up to the crash: the transfer is applied and projected, the decision is not stored.
        var replay = await storage.LoadLedgerAsync(Ct);
        var desk = new AdjustmentDesk(replay.Ledger);
        Assert.Equal(AdjustmentResult.Ok, desk.Propose(proposal, "ops.ann", 1));
        Assert.Equal(AdjustmentResult.Ok, desk.Approve(5, "ops.ben", replay.Ledger.Engine.LastTimestamp + 1).Result);
        await storage.CreateProjection(replay.Ledger.Assets).CatchUpAsync(replay.Ledger.Engine, Ct);
        Assert.Equal("proposed", await db.ScalarAsync<string>("SELECT status FROM adjustments WHERE proposal_id = 5"));
        var crashed = await LedgerStateAsync();

        // The proposer still cannot finish it.
        var self = await store.ApproveAsync(5, "ops.ann", Ct);
        Assert.Equal(AdjustmentResult.ApproverMustNotBeProposer, self.Result);

        var recovered = await store.ApproveAsync(5, "ops.ben", Ct);
        Assert.True(recovered.IsOk);
        Assert.True(recovered.Recovered);
        Assert.Equal(AdjustmentStatus.Approved, recovered.Record!.Status);
        Assert.Equal(crashed, await LedgerStateAsync());  // nothing applied a second time
        Assert.Equal("approved|ops.ben", string.Join(",", await db.RowsAsync("SELECT status, decided_by FROM adjustments WHERE proposal_id = 5")));
        var audit = await store.GetAuditAsync(5, Ct);
        Assert.Equal([AdjustmentAction.Proposed, AdjustmentAction.Refused, AdjustmentAction.Approved], audit.Select(a => a.Action));
        Assert.StartsWith("recovered", audit[2].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_approvals_of_one_proposal_apply_it_once()
    {
        await SeedDrillAsync();
        await using var storage = PostgresStorage.Open(db.ConnectionString);
        var assets = await ExchangeRecords.LoadAssetsAsync(storage.DataSource, Ct);
        var eth = assets["ETH"];
        var proposal = new AdjustmentProposal(9, eth, LedgerAccounts.Custody(eth), LedgerAccounts.Adjustments(eth), 500_000_000_000_000_000, "0.5 ETH surplus in the hot wallet");
        Assert.True((await storage.CreateAdjustments().ProposeAsync(proposal, "ops.ann", Ct)).IsOk);
        var before = await LedgerStateAsync();

        var calls = await Task.WhenAll(
            storage.CreateAdjustments().ApproveAsync(9, "ops.ben", Ct),
            storage.CreateAdjustments().ApproveAsync(9, "ops.cat", Ct),
            storage.CreateAdjustments().ApproveAsync(9, "ops.dan", Ct));
        Assert.Single(calls, c => c.IsOk);
        Assert.All(calls.Where(c => !c.IsOk), c => Assert.Equal(AdjustmentResult.ProposalAlreadyDecided, c.Result));
        Assert.Equal(before.Transfers + 1, (await LedgerStateAsync()).Transfers);

        // The ETH surplus is now on the books: the wallet mismatch is gone from the report.
        var reconcile = await CliRun.RunAsync(db.ConnectionString, "reconcile");
        Assert.Contains(": 5 DISCREPANCIES", reconcile.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("BalanceMismatch             ETH", reconcile.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Adjust_commands_on_an_unmigrated_database_say_so()
    {
        await db.RecreateAsync();
        var run = await CliRun.RunAsync(db.ConnectionString, "adjust", "list");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: 6108 SchemaNotMigrated", run.Error, StringComparison.Ordinal);
        var approve = await CliRun.RunAsync(db.ConnectionString, "adjust", "approve", "--id", "1", "--operator", "ops.ben");
        Assert.Equal(1, approve.ExitCode);
        Assert.StartsWith("error: 6108 SchemaNotMigrated", approve.Error, StringComparison.Ordinal);
    }
}
