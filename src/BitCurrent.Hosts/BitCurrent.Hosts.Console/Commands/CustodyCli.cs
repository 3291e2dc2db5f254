using System.CommandLine;
using System.Globalization;
using BitCurrent.Custody;
using CliCommand = System.CommandLine.Command;

namespace BitCurrent.Hosts.Console.Commands;

/// <summary>
/// What the custody commands share: the --data, --network and chain options, passphrase input, opening the store and the chain,
/// printing, and the exit codes (0 done, 1 usage error, 2 refused with a numbered reason, 3 condition raised).
/// </summary>
internal static class CustodyCli
{
    public const int ExitOk = 0;
    public const int ExitRefused = 2;
    public const int ExitCondition = 3;

    public static Option<string> DataOption() => new("--data")
    {
        Description = "Data directory; custody state goes to DATA/custody/, the simulated chain to DATA/chain/.",
        DefaultValueFactory = _ => "./data",
    };

    public static Option<string?> NetworkOption() => new("--network")
    {
        Description = "mainnet, testnet or regtest (default regtest; an existing data directory keeps its own).",
    };

    public static Option<string?> PassphraseEnvOption() => new("--passphrase-env")
    {
        Description = "Name of the environment variable holding the key file passphrase (otherwise it is asked for, without echo).",
    };

    public static Option<string> ByOption(string description) => new("--by")
    {
        Description = description,
        DefaultValueFactory = _ => Environment.UserName,
    };

    /// <summary>Runs a command body: custody refusals print "error: 5xxx Reason: ..." on stderr and exit 2.</summary>
    public static int Run(ParseResult parseResult, Func<TextWriter, int> body)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        try
        {
            return body(output);
        }
        catch (CustodyException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitRefused;
        }
        catch (IOException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitRefused;
        }
        catch (UnauthorizedAccessException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitRefused;
        }
    }

    public static Network? ParseNetwork(string? text)
    {
        if (text is null)
        {
            return null;
        }
        if (!NetworkNames.TryParse(text, out var network))
        {
            throw new CustodyStateException(CustodyError.NetworkMismatch, $"unknown network '{text}' (mainnet, testnet or regtest)");
        }
        return network;
    }

    public static CustodyStore OpenStore(ParseResult parseResult, Option<string> data, Option<string?>? network = null) =>
        CustodyStore.Open(parseResult.GetValue(data)!, TimeProvider.System, network is null ? null : ParseNetwork(parseResult.GetValue(network)));

    /// <summary>The passphrase from the named environment variable, or typed on the terminal without echo.</summary>
    public static char[] ReadPassphrase(ParseResult parseResult, Option<string?> envOption, string prompt, bool confirm = false)
    {
        var name = parseResult.GetValue(envOption);
        if (name is not null)
        {
            var value = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrEmpty(value))
            {
                throw new KeyFileException(CustodyError.PassphraseUnavailable, $"environment variable {name} is not set or empty");
            }
            return value.ToCharArray();
        }
        if (System.Console.IsInputRedirected)
        {
            throw new KeyFileException(CustodyError.PassphraseUnavailable, "no terminal to ask for the passphrase: use --passphrase-env NAME");
        }
        var first = Prompt(prompt);
        if (!confirm)
        {
            return first;
        }
        var second = Prompt("Repeat the passphrase: ");
        var same = first.AsSpan().SequenceEqual(second);
        Array.Clear(second);
        if (!same)
        {
            Array.Clear(first);
            throw new KeyFileException(CustodyError.PassphraseUnavailable, "the two passphrases differ");
        }
        return first;
    }

    private static char[] Prompt(string prompt)
    {
        System.Console.Error.Write(prompt);
        var buffer = new List<char>();
        while (true)
        {
            var key = System.Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (buffer.Count > 0)
                {
                    buffer.RemoveAt(buffer.Count - 1);
                }
                continue;
            }
            if (!char.IsControl(key.KeyChar))
            {
                buffer.Add(key.KeyChar);
            }
        }
        System.Console.Error.WriteLine();
        var result = buffer.ToArray();
        buffer.Clear();
        return result;
    }

    /// <summary>Opens a key file and decrypts its account key with the passphrase; the passphrase buffer is wiped.</summary>
    public static ExtendedPrivateKey Unlock(ParseResult parseResult, Option<string> keyOption, Option<string?> envOption, out KeyFile keyFile)
    {
        keyFile = KeyFile.Open(parseResult.GetValue(keyOption)!);
        var passphrase = ReadPassphrase(parseResult, envOption, $"Passphrase for {Path.GetFileName(keyFile.FilePath)}: ");
        try
        {
            return keyFile.UnlockAccountKey(passphrase);
        }
        finally
        {
            Array.Clear(passphrase);
        }
    }

    public static long ParseAmount(string text) => Money.ParseBitcoin(text);

    public static string Btc(long satoshis) => $"{Money.FormatBitcoin(satoshis)} BTC";

    public static void Line(TextWriter output, string label, object? value) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label + ":",-22}{value}"));

    public static string Time(DateTimeOffset? at) => at is null ? "-" : at.Value.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>The chain a command talks to: the simulated regtest chain under DATA/chain (default) or a Bitcoin Core node over JSON-RPC.</summary>
internal sealed class ChainOptions
{
    private readonly Option<string> _chain = new("--chain")
    {
        Description = "sim (the simulated regtest chain in DATA/chain, default) or rpc (a Bitcoin Core node).",
        DefaultValueFactory = _ => "sim",
    };

    private readonly Option<string?> _rpcUrl = new("--rpc-url") { Description = "Bitcoin Core JSON-RPC endpoint, e.g. http://127.0.0.1:18443/." };
    private readonly Option<string?> _rpcCookie = new("--rpc-cookie") { Description = "Path of the node's .cookie file." };
    private readonly Option<string?> _rpcUser = new("--rpc-user") { Description = "rpcuser (with --rpc-password-env)." };
    private readonly Option<string?> _rpcPasswordEnv = new("--rpc-password-env") { Description = "Environment variable holding rpcpassword." };

    public ChainOptions()
    {
        _chain.AcceptOnlyFromAmong("sim", "rpc");
    }

    public void AddTo(CliCommand command)
    {
        command.Add(_chain);
        command.Add(_rpcUrl);
        command.Add(_rpcCookie);
        command.Add(_rpcUser);
        command.Add(_rpcPasswordEnv);
    }

    public bool IsSimulated(ParseResult parseResult) => parseResult.GetValue(_chain) != "rpc";

    /// <summary>Opens the chain for <paramref name="store"/>'s network (dispose the handle when done).</summary>
    public ChainHandle Open(ParseResult parseResult, CustodyStore store) => Open(parseResult, store.ChainDirectory, store.Network);

    /// <summary>Opens the chain for <paramref name="network"/>; the simulated one lives in <paramref name="chainDirectory"/>.</summary>
    public ChainHandle Open(ParseResult parseResult, string chainDirectory, Network network)
    {
        if (IsSimulated(parseResult))
        {
            return new ChainHandle(OpenSimulated(chainDirectory, network));
        }
        var url = parseResult.GetValue(_rpcUrl) ?? throw new ChainException(CustodyError.ChainUnavailable, "--rpc-url is required with --chain rpc");
        var passwordEnv = parseResult.GetValue(_rpcPasswordEnv);
        return new ChainHandle(new BitcoinCoreRpcClient(new BitcoinCoreRpcOptions
        {
            Endpoint = new Uri(url),
            Network = network,
            CookieFile = parseResult.GetValue(_rpcCookie),
            User = parseResult.GetValue(_rpcUser),
            Password = passwordEnv is null ? null : Environment.GetEnvironmentVariable(passwordEnv),
        }));
    }

    /// <summary>The simulated chain itself (for fund, mine and reorg).</summary>
    public static SimulatedChain OpenSimulated(CustodyStore store) => OpenSimulated(store.ChainDirectory, store.Network);

    private static SimulatedChain OpenSimulated(string chainDirectory, Network network)
    {
        if (network != Network.Regtest)
        {
            throw new CustodyStateException(CustodyError.NetworkMismatch, "the simulated chain is regtest only; use --chain rpc for testnet or mainnet");
        }
        return SimulatedChain.Open(chainDirectory, TimeProvider.System);
    }
}

/// <summary>An open chain and what to dispose with it.</summary>
internal sealed class ChainHandle(IBitcoinChain chain) : IDisposable
{
    public IBitcoinChain Chain { get; } = chain;

    public void Dispose() => (Chain as IDisposable)?.Dispose();
}

/// <summary>Runs async library calls from the synchronous command actions (a console app has no synchronization context).</summary>
internal static class Sync
{
    public static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();
}
