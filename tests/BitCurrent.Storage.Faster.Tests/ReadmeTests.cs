using BitCurrent.Ledger;

namespace BitCurrent.Storage.Faster.Tests;

/// <summary>Runs the package README's tour and checks that it prints what the README shows.</summary>
public sealed class ReadmeTests
{
    [Fact]
    public async Task The_tour_prints_what_the_readme_shows()
    {
        using var temporary = new TempDirectory();
        var directory = Path.Combine(temporary.Path, "ledger-data");
        var output = new StringWriter();

        var options = new DurableLedgerOptions { DataDirectory = directory };   // created if missing

        await using (var ledger = DurableLedger.Open(options))
        {
            await ledger.CreateAccountsAsync([new Account { Id = 1, Ledger = 1, Code = 1 }, new Account { Id = 2, Ledger = 1, Code = 1 }], D.Ct);

            // Returns once the batch's journal record is committed: a crash from here on cannot lose it.
            var result = await ledger.CreateTransfersAsync(
                [new Transfer { Id = 10, DebitAccountId = 1, CreditAccountId = 2, Amount = 500, Ledger = 1, Code = 1 }], D.Ct);
            output.WriteLine($"{result.Results.Span[0]}, batch {result.Sequence}");

            var snapshot = await ledger.TakeSnapshotAsync(D.Ct);
            await ledger.CreateTransfersAsync([new Transfer { Id = 11, DebitAccountId = 1, CreditAccountId = 2, Amount = 25, Ledger = 1, Code = 1 }], D.Ct);
            output.WriteLine($"snapshot after batch {snapshot.Sequence}");
        }

        await using (var reopened = DurableLedger.Open(options))
        {
            var recovery = reopened.Recovery;   // what was loaded, replayed, skipped or discarded
            output.WriteLine($"clean {recovery.IsClean}, snapshot of batch {recovery.Snapshot?.Sequence}, {recovery.ReplayedBatches} batch replayed");
            var accounts = await reopened.LookupAccountsAsync(new UInt128[] { 2 }, D.Ct);
            output.WriteLine($"credits {accounts[0].CreditsPosted}");
        }

        Assert.Equal(
            ["Ok, batch 2", "snapshot after batch 2", "clean True, snapshot of batch 2, 1 batch replayed", "credits 525"],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
