// The BitCurrent.Ledger quick start: an exchange's money flows on a double-entry ledger, then reconciliation.
using BitCurrent.Ledger;

var exchange = new ExchangeLedger(new LedgerEngine(), AssetRegistry.Examples());
ulong Now() => exchange.Engine.LastTimestamp + 1; // the caller owns time; a batch of n items uses n timestamps

exchange.OpenSystemAccounts(Now());
exchange.OpenUserAccounts(userId: 7, Now());
exchange.CreditDeposit(new DepositCredit(DepositId: 1, UserId: 7, Asset.Btc, Amount: 150_000_000), Now());
exchange.PlaceOrderHold(new OrderHoldRequest(OrderId: 9, UserId: 7, Asset.Btc, Amount: 50_000_000), Now());
Console.WriteLine($"user 7: {exchange.GetUserBalance(7, Asset.Btc)}");

// A retried deposit is recognised by its id and applied once.
Console.WriteLine($"deposit 1 again: {exchange.CreditDeposit(new DepositCredit(1, 7, Asset.Btc, 150_000_000), Now()).Error}");

// Custody says 1.51 BTC and knows a second deposit the ledger never credited: two discrepancies.
var report = Reconciler.Run(exchange, new ReconciliationInput(
    Wallets: [new CustodyWalletBalance("btc-hot", "BTC", 151_000_000)],
    Deposits: [new DepositRecord(1, 7, "BTC", 150_000_000, DepositStatus.Credited),
               new DepositRecord(2, 7, "BTC", 1_000_000, DepositStatus.Credited)],
    Withdrawals: []));
Console.WriteLine(report);
Console.WriteLine($"state hash {exchange.Engine.ComputeStateHash()}");
