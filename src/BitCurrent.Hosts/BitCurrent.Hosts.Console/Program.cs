using System.CommandLine;
using BitCurrent.Hosts.Console.Commands;

// Wiring only: each command lives in Commands/ and is added here with one line.
var root = new RootCommand("BitCurrent");
root.Add(SimulateCommand.Create());
return root.Parse(args).Invoke();
