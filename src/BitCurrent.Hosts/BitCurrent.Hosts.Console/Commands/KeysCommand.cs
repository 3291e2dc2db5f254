using System.CommandLine;
using BitCurrent.Custody;
using CliCommand = System.CommandLine.Command;

namespace BitCurrent.Hosts.Console.Commands;

/// <summary>
/// <c>bitcurrent keys generate|show</c>: the key ceremony. Each signer (and the hot wallet) generates one encrypted key file on its own
/// machine and hands over only the public key expression written next to it (FILE.pub).
/// </summary>
internal static class KeysCommand
{
    public static CliCommand Create()
    {
        var command = new CliCommand("keys", "Key ceremony: generate encrypted signer or hot wallet key files, show their public part.");
        command.Add(Generate());
        command.Add(Show());
        return command;
    }

    private static CliCommand Generate()
    {
        var output = new Option<string>("--out") { Description = "The key file to create (never overwritten; created 0600). FILE.pub receives the public key expression.", Required = true };
        var role = new Option<string>("--role") { Description = "signer (cold wallet multisig key, m/48'/coin'/0'/2') or hot (hot wallet, m/84'/coin'/0').", DefaultValueFactory = _ => "signer" };
        role.AcceptOnlyFromAmong("signer", "hot");
        var network = CustodyCli.NetworkOption();
        var passphraseEnv = CustodyCli.PassphraseEnvOption();
        var kdfCost = new Option<int>("--kdf-cost")
        {
            Description = $"scrypt work factor as log2 N ({ScryptParameters.Log2NMin}..{ScryptParameters.Log2NMax}, default {ScryptParameters.Log2NDefault}: 256 MiB, about a second). Values below {ScryptParameters.Log2NDefault} are for tests only.",
            DefaultValueFactory = _ => ScryptParameters.Log2NDefault,
        };
        var mnemonicEnv = new Option<string?>("--mnemonic-env") { Description = "Restore from a 24-word BIP-39 backup held in this environment variable instead of generating a new seed." };
        var showMnemonic = new Option<bool>("--show-mnemonic") { Description = "Print the 24 backup words once (for a paper backup during the ceremony). Off by default: the words are the key." };
        var command = new CliCommand("generate", "Generate (or restore) one key file encrypted with a passphrase (scrypt + AES-256-GCM).")
        {
            output, role, network, passphraseEnv, kdfCost, mnemonicEnv, showMnemonic,
        };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            var path = parseResult.GetValue(output)!;
            var keyRole = parseResult.GetValue(role) == "hot" ? KeyRole.Hot : KeyRole.Signer;
            var net = CustodyCli.ParseNetwork(parseResult.GetValue(network)) ?? Network.Regtest;
            var kdf = new ScryptParameters { Log2N = parseResult.GetValue(kdfCost) };
            if (File.Exists(path))
            {
                throw new KeyFileException(CustodyError.KeyFileExists, $"{path} exists; key files are never overwritten");
            }
            var passphrase = CustodyCli.ReadPassphrase(parseResult, passphraseEnv, $"New passphrase for {Path.GetFileName(path)}: ", confirm: true);
            KeyFile file;
            try
            {
                var restoreFrom = parseResult.GetValue(mnemonicEnv);
                if (restoreFrom is null)
                {
                    file = KeyFile.Generate(path, keyRole, net, passphrase, TimeProvider.System, kdf);
                }
                else
                {
                    var words = Environment.GetEnvironmentVariable(restoreFrom)
                        ?? throw new KeyFileException(CustodyError.PassphraseUnavailable, $"environment variable {restoreFrom} is not set");
                    file = KeyFile.Import(path, words, keyRole, net, passphrase, TimeProvider.System, kdf);
                }
                if (parseResult.GetValue(showMnemonic))
                {
                    parseResult.InvocationConfiguration.Error.WriteLine("BACKUP WORDS (write them down, then clear the screen):");
                    parseResult.InvocationConfiguration.Error.WriteLine(file.RevealMnemonic(passphrase));
                }
            }
            finally
            {
                Array.Clear(passphrase);
            }
            var publicPath = path + ".pub";
            File.WriteAllText(publicPath, file.Account + "\n");
            Print(writer, file);
            CustodyCli.Line(writer, "public key file", publicPath);
            if (kdf.Log2N < ScryptParameters.Log2NDefault)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"warning: --kdf-cost {kdf.Log2N} is below the default {ScryptParameters.Log2NDefault}; use it for tests only");
            }
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static CliCommand Show()
    {
        var key = new Option<string>("--key") { Description = "A key file.", Required = true };
        var command = new CliCommand("show", "Print a key file's public part (no passphrase needed).") { key };
        command.SetAction(parseResult => CustodyCli.Run(parseResult, writer =>
        {
            Print(writer, KeyFile.Open(parseResult.GetValue(key)!));
            return CustodyCli.ExitOk;
        }));
        return command;
    }

    private static void Print(TextWriter writer, KeyFile file)
    {
        CustodyCli.Line(writer, "key file", file.FilePath);
        CustodyCli.Line(writer, "role", file.Role == KeyRole.Hot ? "hot" : "signer");
        CustodyCli.Line(writer, "network", NetworkNames.Name(file.Network));
        CustodyCli.Line(writer, "fingerprint", file.MasterFingerprint.ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
        CustodyCli.Line(writer, "account path", file.Account.Path);
        CustodyCli.Line(writer, "xpub", file.Account.Xpub);
        CustodyCli.Line(writer, "key expression", file.Account);
        CustodyCli.Line(writer, "kdf", $"scrypt log2N={file.Kdf.Log2N} r={file.Kdf.BlockSize} p={file.Kdf.Parallelism}, aes-256-gcm");
    }
}
