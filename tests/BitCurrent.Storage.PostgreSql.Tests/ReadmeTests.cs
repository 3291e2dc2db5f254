using BitCurrent.Ledger;

namespace BitCurrent.Storage.PostgreSql.Tests;

/// <summary>The package README's tour, run as written, prints what the README shows.</summary>
public sealed class ReadmeTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_tour_prints_what_the_readme_shows()
    {
        var output = new List<string>();
        await using var storage = PostgresStorage.Open(db.ConnectionString);
        foreach (var step in await storage.CreateMigrator().UpAsync(cancellationToken: TestContext.Current.CancellationToken))
            output.Add($"applied {step.Migration}");

        var exchange = new ExchangeLedger(new LedgerEngine(), AssetRegistry.Examples());
        ulong Now() => exchange.Engine.LastTimestamp + 1;
        exchange.OpenSystemAccounts(Now());
        exchange.OpenUserAccounts(userId: 7, Now());
        exchange.CreditDeposit(new DepositCredit(DepositId: 1, UserId: 7, Asset.Btc, Amount: 150_000_000), Now());
        exchange.RequestWithdrawal(new WithdrawalRequest(WithdrawalId: 2, UserId: 7, Asset.Btc, Amount: 50_000_000, Fee: 10_000), Now());

        var projection = storage.CreateProjection(exchange.Assets);
        output.Add((await projection.CatchUpAsync(exchange.Engine, TestContext.Current.CancellationToken)).ToString());
        output.Add((await projection.CatchUpAsync(exchange.Engine, TestContext.Current.CancellationToken)).ToString());

        var replay = await storage.LoadLedgerAsync(TestContext.Current.CancellationToken);
        output.Add($"{replay.TransferCount} transfers replayed, state hash matches: {replay.StateHashMatches}");
        output.Add(replay.Ledger.GetUserBalance(7, Asset.Btc).ToString());

        Assert.Equal(
        [
            "applied 0001_ledger",
            "applied 0002_exchange_records",
            "applied 0003_reconciliation_runs",
            "applied 0004_adjustments",
            "ProjectionResult { TransfersReceived = 3, TransfersInserted = 3, EntriesInserted = 1, AccountsWritten = 15, LastTimestamp = 18 }",
            "ProjectionResult { TransfersReceived = 0, TransfersInserted = 0, EntriesInserted = 0, AccountsWritten = 0, LastTimestamp = 18 }",
            "3 transfers replayed, state hash matches: True",
            "UserBalance { Available = 99990000, Held = 50010000, Total = 150000000 }",
        ], output);
    }
}
