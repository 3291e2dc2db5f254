using System.CommandLine;
using BitCurrent.Hosts.Console.Commands;

// Wiring only: each command lives in Commands/ and is added here with one line.
var root = new RootCommand("BitCurrent");
root.Add(SimulateCommand.Create());
root.Add(KeysCommand.Create());
root.Add(WalletCommand.Create());
root.Add(ChainCommand.Create());
root.Add(WithdrawCommand.Create());
root.Add(RebalanceCommand.Create());
root.Add(PorCommand.Create());
root.Add(MigrateCommand.Create());
root.Add(DbCommand.Create());
root.Add(ReconcileCommand.Create());
root.Add(AdjustCommand.Create());
return root.Parse(args).Invoke();
