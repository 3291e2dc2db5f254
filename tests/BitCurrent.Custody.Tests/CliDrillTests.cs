using System.CommandLine;
using System.Text.RegularExpressions;
using BitCurrent.Hosts.Console.Commands;

namespace BitCurrent.Custody.Tests;

/// <summary>
/// The bitcurrent custody commands run in-process against a temporary --data directory, as an operator runs them: the runbook's
/// "Low Hot Wallet Balance" drill end to end, deposits with a reorganisation, withdrawals, and proof of reserves. Key files use
/// --kdf-cost 10 (scrypt N = 2^10) to keep the tests fast; the default is 18.
/// </summary>
public sealed partial class CliDrillTests : IDisposable
{
    private const string PassphraseVariable = "BITCURRENT_TEST_PASSPHRASE";
    private const string WrongPassphraseVariable = "BITCURRENT_TEST_WRONG_PASSPHRASE";
    private readonly TempDirectory _dir = new();
    private readonly RootCommand _root = new("bitcurrent (test)");

    public CliDrillTests()
    {
        Environment.SetEnvironmentVariable(PassphraseVariable, CustodyFixture.Passphrase);
        Environment.SetEnvironmentVariable(WrongPassphraseVariable, "not the passphrase");
        _root.Add(KeysCommand.Create());
        _root.Add(WalletCommand.Create());
        _root.Add(ChainCommand.Create());
        _root.Add(WithdrawCommand.Create());
        _root.Add(RebalanceCommand.Create());
        _root.Add(PorCommand.Create());
    }

    public void Dispose() => _dir.Dispose();

    private string Data => _dir.File("data");

    private (int Exit, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = _root.Parse([.. args, .. NeedsData(args) ? new[] { "--data", Data } : []]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private static bool NeedsData(string[] args) => args[0] != "keys";

    private (int Exit, string Out, string Err) Ok(params string[] args)
    {
        var result = Run(args);
        Assert.True(result.Exit == 0, $"{string.Join(' ', args)} exited {result.Exit}: {result.Err}{result.Out}");
        return result;
    }

    private (int Exit, string Out, string Err) Fails(int exit, string reason, params string[] args)
    {
        var result = Run(args);
        Assert.True(result.Exit == exit, $"{string.Join(' ', args)} exited {result.Exit}, expected {exit}: {result.Err}{result.Out}");
        Assert.Contains(reason, result.Err, StringComparison.Ordinal);
        return result;
    }

    private static string Field(string output, string label)
    {
        var match = Regex.Match(output, $"^{Regex.Escape(label)}:\\s+(.*)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no '{label}:' line in:\n{output}");
        return match.Groups[1].Value.Trim();
    }

    /// <summary>Nine signer key files, one hot key file, the 5-of-9 cold wallet and the hot wallet.</summary>
    private void KeyCeremony()
    {
        for (var k = 1; k <= 9; k++)
        {
            var generated = Ok("keys", "generate", "--out", _dir.File($"signer{k}.key"), "--passphrase-env", PassphraseVariable, "--kdf-cost", "10");
            Assert.Equal("m/48'/1'/0'/2'", Field(generated.Out, "account path"));
            Assert.Matches("^\\[[0-9a-f]{8}/48h/1h/0h/2h\\]tpub", Field(generated.Out, "key expression"));
            Assert.Contains("--kdf-cost 10 is below the default 18", generated.Err, StringComparison.Ordinal);
        }
        var hot = Ok("keys", "generate", "--role", "hot", "--out", _dir.File("hot.key"), "--passphrase-env", PassphraseVariable, "--kdf-cost", "10");
        Assert.Equal("m/84'/1'/0'", Field(hot.Out, "account path"));
        var xpubs = Enumerable.Range(1, 9).Select(k => _dir.File($"signer{k}.key.pub")).ToArray();
        var cold = Ok(["wallet", "create-cold", "--threshold", "5", "--xpubs", .. xpubs]);
        Assert.Matches("^wsh\\(sortedmulti\\(5,(\\[[0-9a-f]{8}/48h/1h/0h/2h\\]tpub[1-9A-HJ-NP-Za-km-z]+/0/\\*,?){9}\\)\\)#[a-z0-9]{8}$", Field(cold.Out, "receive descriptor"));
        Assert.True(DescriptorChecksum.IsValid(Field(cold.Out, "receive descriptor")));
        Ok("wallet", "create-hot", "--key", _dir.File("hot.key"));
    }

    [Fact]
    public void Runbook_drill_low_hot_wallet_balance_cold_to_hot_rebalance()
    {
        KeyCeremony();
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.File("signer1.key")));
        }
        Fails(2, "5311 KeyFileExists", "keys", "generate", "--out", _dir.File("signer1.key"), "--passphrase-env", PassphraseVariable, "--kdf-cost", "10");
        Ok("chain", "fund", "--wallet", "cold", "--amount", "10");

        // 1. Check current balance: LowHotWalletBalance is raised (exit code 3).
        var low = Run("wallet", "hot-balance");
        Assert.Equal(3, low.Exit);
        Assert.Equal("0.00000000 BTC", Field(low.Out, "hot balance"));
        Assert.Equal("1.00000000 BTC", Field(low.Out, "threshold"));
        Assert.StartsWith("LowHotWalletBalance", Field(low.Out, "condition"), StringComparison.Ordinal);

        // 4. Initiate cold -> hot transfer.
        Fails(2, "5301 AmountTooManyDecimals", "rebalance", "initiate", "--from", "cold", "--to", "hot", "--amount", "2.000000001", "--currency", "BTC");
        Fails(2, "5397 RebalanceRouteUnsupported", "rebalance", "initiate", "--from", "hot", "--to", "cold", "--amount", "2.0", "--currency", "BTC");
        var initiated = Ok("rebalance", "initiate", "--from", "cold", "--to", "hot", "--amount", "2.0", "--currency", "BTC");
        var txId = Field(initiated.Out, "tx id");
        Assert.Matches("^[0-9a-f]{64}$", txId);
        Assert.Equal("2.00000000 BTC", Field(initiated.Out, "amount"));
        Assert.Equal("0 of 5", Field(initiated.Out, "signatures"));

        // 5. Collect signatures (5 of 9 required).
        foreach (var k in new[] { 1, 2, 3, 4 })
        {
            var signed = Ok("rebalance", "sign", "--tx-id", txId, "--signer", $"{k}", "--key", _dir.File($"signer{k}.key"), "--passphrase-env", PassphraseVariable);
            Assert.Equal($"{k} of 5", Field(signed.Out, "signatures"));
        }
        // 6. Broadcast refuses below the threshold.
        Fails(2, "5391 RebalanceThresholdNotMet: 4 of 5 signatures present", "rebalance", "broadcast", "--tx-id", txId);
        Fails(2, "5310 KeyFileWrongPassphrase", "rebalance", "sign", "--tx-id", txId, "--signer", "5", "--key", _dir.File("signer5.key"), "--passphrase-env", WrongPassphraseVariable);
        Fails(2, "5395 RebalanceSignerMismatch", "rebalance", "sign", "--tx-id", txId, "--signer", "6", "--key", _dir.File("signer5.key"), "--passphrase-env", PassphraseVariable);
        Fails(2, "5317 KeyFileWrongRole", "rebalance", "sign", "--tx-id", txId, "--signer", "6", "--key", _dir.File("hot.key"), "--passphrase-env", PassphraseVariable);
        var twice = Ok("rebalance", "sign", "--tx-id", txId, "--signer", "1", "--key", _dir.File("signer1.key"), "--passphrase-env", PassphraseVariable);
        Assert.Contains("already signed", Field(twice.Out, "signer"), StringComparison.Ordinal);
        Assert.Equal("4 of 5", Field(twice.Out, "signatures"));
        var fifth = Ok("rebalance", "sign", "--tx-id", txId[..12], "--signer", "5", "--key", _dir.File("signer5.key"), "--passphrase-env", PassphraseVariable);
        Assert.Equal("5 of 5", Field(fifth.Out, "signatures"));
        Assert.Equal("ready-to-broadcast", Field(fifth.Out, "state"));

        var exported = _dir.File("rebalance.psbt");
        Ok("rebalance", "export", "--tx-id", txId, "--out", exported);
        Assert.Equal(txId, Psbt.ParseBase64(File.ReadAllText(exported).Trim()).UnsignedTransaction.GetTxId().ToString());

        // 6. Broadcast once the threshold is met.
        var broadcast = Ok("rebalance", "broadcast", "--tx-id", txId);
        Assert.Equal("broadcast", Field(broadcast.Out, "state"));
        Assert.Equal("0", Field(Ok("rebalance", "monitor", "--tx-id", txId).Out, "confirmations"));

        // 7. Monitor confirmation.
        Ok("chain", "mine", "--blocks", "1");
        var monitored = Ok("rebalance", "monitor", "--tx-id", txId);
        Assert.Equal("confirmed", Field(monitored.Out, "state"));
        Assert.Equal("1", Field(monitored.Out, "confirmations"));
        Assert.Equal("5 of 5 (signer 1, signer 2, signer 3, signer 4, signer 5)", Field(monitored.Out, "signatures"));

        // 1. again: the condition clears.
        var normal = Ok("wallet", "hot-balance");
        Assert.Equal("2.00000000 BTC", Field(normal.Out, "hot balance"));
        Assert.Equal("normal", Field(normal.Out, "condition"));
        Assert.Equal("2", Field(Ok("chain", "status").Out, "height"));
        Assert.Contains(txId, Ok("rebalance", "list").Out, StringComparison.Ordinal);

        // No private key material anywhere in the data directory (state, policy, audit log, chain).
        foreach (var file in Directory.GetFiles(Data, "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("tprv", text, StringComparison.Ordinal);
            Assert.DoesNotContain(CustodyFixture.Passphrase, text, StringComparison.Ordinal);
        }
        var audit = File.ReadAllText(Path.Combine(Data, "custody", "audit.jsonl"));
        Assert.Contains("RebalanceConfirmed", audit, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Deposits_are_credited_and_a_reorganised_credit_is_a_discrepancy()
    {
        KeyCeremony();
        var address = Field(Ok("wallet", "deposit-address", "--user", "42").Out, "deposit address");
        Assert.Equal(address, Field(Ok("wallet", "deposit-address", "--user", "42").Out, "deposit address"));
        Ok("chain", "fund", "--wallet", address, "--amount", "0.75");
        Assert.Contains("DepositDetected", Ok("wallet", "scan-deposits").Out, StringComparison.Ordinal);
        Ok("chain", "mine", "--blocks", "2");
        Assert.Contains("DepositCredited", Ok("wallet", "scan-deposits").Out, StringComparison.Ordinal);
        Assert.Matches("1 +42 +0\\.75000000 +3 credited", Ok("wallet", "deposits").Out);
        Ok("chain", "reorg", "--blocks", "3");
        var scan = Run("wallet", "scan-deposits");
        Assert.Equal(3, scan.Exit);
        Assert.Contains("DISCREPANCY DepositReversed", scan.Out, StringComparison.Ordinal);
        Assert.Matches("1 +42 +0\\.75000000 +0 reversed", Ok("wallet", "deposits").Out);
    }

    [Fact]
    public void Withdrawals_through_the_policy_and_the_hot_wallet()
    {
        KeyCeremony();
        Ok("chain", "fund", "--wallet", "hot", "--amount", "1");
        const string destination = "bcrt1qqzh2ngh97ru8dfvgma25d6r595wcwqy0cee4cc";
        Fails(2, "5371 WithdrawalAddressNotWhitelisted", "withdraw", "request", "--user", "7", "--address", destination, "--amount", "0.1", "--by", "alice");
        Ok("withdraw", "whitelist", "--user", "7", "--address", destination, "--by", "ops");
        Fails(2, "5372 WithdrawalAddressCoolingOff", "withdraw", "request", "--user", "7", "--address", destination, "--amount", "0.1", "--by", "alice");
        Fails(2, "5021 AddressWrongNetwork", "withdraw", "request", "--user", "7", "--address", "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", "--amount", "0.1", "--by", "alice");
        Fails(2, "5081 DustOutput", "withdraw", "request", "--user", "7", "--address", destination, "--amount", "0.00000100", "--by", "alice");

        // The operator shortens the cooling-off for this test (policy.json), as the guide shows.
        var policyPath = Path.Combine(Data, "custody", "policy.json");
        File.WriteAllText(policyPath, File.ReadAllText(policyPath).Replace("\"coolingOffHours\": 24", "\"coolingOffHours\": 0", StringComparison.Ordinal));
        Ok("withdraw", "whitelist", "--user", "8", "--address", destination, "--by", "ops");
        var small = Ok("withdraw", "request", "--user", "8", "--address", destination, "--amount", "0.1", "--by", "alice");
        Assert.Equal("approved", Field(small.Out, "status"));
        var large = Ok("withdraw", "request", "--user", "8", "--address", destination, "--amount", "0.6", "--by", "alice");
        Assert.Equal("pending", Field(large.Out, "status"));
        var id = Field(large.Out, "withdrawal");
        Fails(2, "5376 WithdrawalApproverIsRequester", "withdraw", "approve", "--id", id, "--by", "alice");
        Ok("withdraw", "approve", "--id", id, "--by", "bob");
        Fails(2, "5377 WithdrawalDuplicateApprover", "withdraw", "approve", "--id", id, "--by", "bob");
        Assert.Equal("approved", Field(Ok("withdraw", "approve", "--id", id, "--by", "carol").Out, "status"));

        Assert.Equal(3, Run("wallet", "hot-balance").Exit); // 1 BTC < 0.7 pending + 1 BTC buffer
        Fails(2, "5305 FeeRateAboveCap", "withdraw", "process", "--passphrase-env", PassphraseVariable, "--fee-rate", "500");
        var processed = Ok("withdraw", "process", "--passphrase-env", PassphraseVariable, "--fee-rate", "3");
        Assert.Matches("^[0-9a-f]{64} \\(fee \\d+ sat\\)$", Field(processed.Out, "transaction"));
        Assert.Contains("broadcast", processed.Out, StringComparison.Ordinal);
        Ok("chain", "mine", "--blocks", "1");
        var refreshed = Ok("withdraw", "process", "--passphrase-env", PassphraseVariable, "--fee-rate", "3");
        Assert.Contains("confirmed", refreshed.Out, StringComparison.Ordinal);
        var list = Ok("withdraw", "list").Out;
        Assert.Equal(2, Regex.Matches(list, " confirmed ").Count);
        Assert.Equal(2, Regex.Matches(list, " rejected ").Count);
        Assert.Contains("5371 WithdrawalAddressNotWhitelisted", list, StringComparison.Ordinal);
    }

    [Fact]
    public void Proof_of_reserves_publish_and_verify()
    {
        KeyCeremony();
        Ok("chain", "fund", "--wallet", "cold", "--amount", "5");
        Ok("chain", "fund", "--wallet", "hot", "--amount", "1");
        var liabilities = _dir.File("liabilities.json");
        File.WriteAllText(liabilities, """{"asset":"BTC","rootHash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","totalSats":550000000}""");
        Ok("por", "prepare", "--challenge", "audit 2026-03 nonce 51", "--liabilities", liabilities);
        Fails(2, "5412 ReservesProofInvalid", "por", "publish", "--out", _dir.File("too-early.json"));
        for (var k = 5; k <= 9; k++)
        {
            Ok("por", "sign", "--signer", $"{k}", "--key", _dir.File($"signer{k}.key"), "--passphrase-env", PassphraseVariable);
        }
        Ok("por", "sign", "--hot", "--key", _dir.File("hot.key"), "--passphrase-env", PassphraseVariable);
        var report = _dir.File("reserves.json");
        var published = Ok("por", "publish", "--out", report);
        Assert.Equal("6.00000000 BTC", Field(published.Out, "reserves"));
        Assert.Equal("0.50000000 BTC", Field(published.Out, "surplus"));
        var verified = Ok("por", "verify", report);
        Assert.Equal("checked against the chain", Field(verified.Out, "balances"));
        Assert.Equal("reserves cover liabilities", Field(verified.Out, "verdict"));
        Assert.Equal("reserves cover liabilities", Field(Ok("por", "verify", report, "--offline").Out, "verdict"));

        var tampered = _dir.File("tampered.json");
        File.WriteAllText(tampered, File.ReadAllText(report).Replace("\"totalSats\": 550000000", "\"totalSats\": 540000000", StringComparison.Ordinal));
        Fails(2, "5413 ReservesReportHashMismatch", "por", "verify", tampered);

        File.WriteAllText(liabilities, """{"asset":"BTC","rootHash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","totalSats":700000000}""");
        Ok("por", "prepare", "--challenge", "audit 2026-04", "--liabilities", liabilities);
        for (var k = 1; k <= 5; k++)
        {
            Ok("por", "sign", "--signer", $"{k}", "--key", _dir.File($"signer{k}.key"), "--passphrase-env", PassphraseVariable);
        }
        Ok("por", "sign", "--hot", "--key", _dir.File("hot.key"), "--passphrase-env", PassphraseVariable);
        Assert.Equal(3, Run("por", "publish", "--out", report).Exit);
        var short1 = Run("por", "verify", report);
        Assert.Equal(3, short1.Exit);
        Assert.Equal("RESERVES DO NOT COVER LIABILITIES", Field(short1.Out, "verdict"));
    }
}
