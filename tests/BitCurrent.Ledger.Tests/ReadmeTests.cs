using BitCurrent.Ledger;

namespace BitCurrent.Ledger.Tests;

/// <summary>The package README's tour, verbatim: it must compile, run and print what the README shows.</summary>
public class ReadmeTests
{
    [Fact]
    public void The_readme_tour_prints_what_the_readme_shows()
    {
        // The README's code writes to the console; here "Console" is a local writer that captures it.
        using var Console = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };

        // 1. The engine: accounts, transfers, one result per item.
        var engine = new LedgerEngine(new LedgerEngineOptions { AccountsMax = 1_000, TransfersMax = 100_000 });

        var accountResults = new CreateAccountResult[2];
        engine.CreateAccounts(
        [
            new Account { Id = 1, Ledger = 1, Code = 10 },
            new Account { Id = 2, Ledger = 1, Code = 10, Flags = AccountFlags.DebitsMustNotExceedCredits },
        ], timestamp: 1_000, accountResults);

        var results = new CreateTransferResult[3];
        engine.CreateTransfers(
        [
            new Transfer { Id = 100, DebitAccountId = 1, CreditAccountId = 2, Amount = 500, Ledger = 1, Code = 1 },
            new Transfer { Id = 101, DebitAccountId = 2, CreditAccountId = 1, Amount = 600, Ledger = 1, Code = 1 },
            new Transfer { Id = 100, DebitAccountId = 1, CreditAccountId = 2, Amount = 500, Ledger = 1, Code = 1 },
        ], timestamp: 2_000, results);
        Console.WriteLine(string.Join(", ", results));   // Ok, ExceedsCredits, Exists

        engine.TryGetAccount(2, out var account);
        Console.WriteLine($"credits {account.CreditsPosted}, debits {account.DebitsPosted}");

        // 2. Two-phase: hold, then post part of it (the rest is released).
        engine.CreateTransfers(
        [
            new Transfer { Id = 200, DebitAccountId = 2, CreditAccountId = 1, Amount = 300, Ledger = 1, Code = 2,
                           Flags = TransferFlags.Pending, TimeoutSeconds = 60 },
            new Transfer { Id = 201, PendingId = 200, Amount = 120, Flags = TransferFlags.PostPendingTransfer },
        ], timestamp: 3_000, results);
        engine.TryGetAccount(2, out account);
        Console.WriteLine($"{results[0]}, {results[1]}: debits posted {account.DebitsPosted}, pending {account.DebitsPending}");

        // 3. Snapshot and state hash.
        using var snapshot = new MemoryStream();
        engine.WriteSnapshot(snapshot);
        snapshot.Position = 0;
        var restored = LedgerEngine.ReadSnapshot(snapshot);
        Console.WriteLine(restored.ComputeStateHash() == engine.ComputeStateHash());

        // 4. Exchange flows.
        var exchange = new ExchangeLedger(new LedgerEngine(), AssetRegistry.Examples());
        ulong Now() => exchange.Engine.LastTimestamp + 1;   // a batch of n items uses n timestamps
        exchange.OpenSystemAccounts(Now());
        exchange.OpenUserAccounts(userId: 7, Now());
        exchange.CreditDeposit(new DepositCredit(DepositId: 1, UserId: 7, Asset.Btc, Amount: 150_000_000), Now());
        exchange.PlaceOrderHold(new OrderHoldRequest(OrderId: 9, UserId: 7, Asset.Btc, Amount: 50_000_000), Now());
        Console.WriteLine(exchange.GetUserBalance(7, Asset.Btc));
        var again = exchange.CreditDeposit(new DepositCredit(1, 7, Asset.Btc, 150_000_000), Now());
        Console.WriteLine(again.Error);

        // 5. Reconciliation.
        var input = new ReconciliationInput(
            Wallets: [new CustodyWalletBalance("btc-hot", "BTC", 151_000_000)],
            Deposits: [new DepositRecord(1, 7, "BTC", 150_000_000, DepositStatus.Credited),
                       new DepositRecord(2, 7, "BTC", 1_000_000, DepositStatus.Credited)],
            Withdrawals: []);
        var report = Reconciler.Run(exchange, input);
        Console.WriteLine(report);

        // 6. Maker-checker.
        var desk = new AdjustmentDesk(exchange);
        desk.Propose(new AdjustmentProposal(ProposalId: 1, Asset.Btc, LedgerAccounts.Custody(Asset.Btc),
            LedgerAccounts.UserAvailable(7, Asset.Btc), Amount: 1_000_000, Reason: "deposit 2 never credited", DepositId: 2),
            proposerId: "ops.ann", Now());
        Console.WriteLine(desk.Approve(1, "ops.ann", Now()).Result);   // ApproverMustNotBeProposer
        Console.WriteLine(desk.Approve(1, "cfo.ben", Now()).Result);   // Ok
        Console.WriteLine(Reconciler.Run(exchange, input).IsBalanced);  // True

        // 7. Proof of liabilities.
        var secret = "a fresh secret for each publication"u8;
        var tree = LiabilitiesTree.Build(Asset.Btc, exchange.GetUserLiabilities(Asset.Btc), secret);
        tree.TryGetProof(7, out var proof);
        Console.WriteLine($"root {tree.Root.Hash} total {tree.Root.Total}: {LiabilitiesVerifier.Verify(tree.Root, proof!)}");

        string[] expected =
        [
            "Ok, ExceedsCredits, Exists",
            "credits 500, debits 0",
            "Ok, Ok: debits posted 120, pending 0",
            "True",
            "UserBalance { Available = 100000000, Held = 50000000, Total = 150000000 }",
            "AlreadyApplied",
            "Reconciliation at ledger timestamp 18: 2 DISCREPANCIES",
            "Currency               Wallets                Ledger            Difference",
            "BTC                 1.51000000            1.50000000            0.01000000",
            "ETH       0.000000000000000000  0.000000000000000000  0.000000000000000000",
            "GBP                       0.00                  0.00                  0.00",
            "",
            "Code  Kind                      Currency  Reference  Expected        Actual            Detail",
            "4701  BalanceMismatch           BTC               0  1.50000000      1.51000000        custody wallets differ from the ledger by 1000000 minor units",
            "4703  DepositMissingFromLedger  BTC               2  1 ledger entry  0 ledger entries  the deposit is marked credited but the ledger never credited it",
            "",
            "ApproverMustNotBeProposer",
            "Ok",
            "True",
            "root ac114b8a3ca8d2b3b57c62e98a6e78201e20369c0ed18b5116c63012c3b659cc total 151000000: Valid",
        ];
        Assert.Equal(expected, Console.ToString().TrimEnd('\n').Split('\n'));
    }
}
