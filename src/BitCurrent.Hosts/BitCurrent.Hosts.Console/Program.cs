using System.CommandLine;
var root = new RootCommand("BitCurrent");
return root.Parse(args).Invoke();
