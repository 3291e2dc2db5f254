using System.Security.Cryptography;

namespace BitCurrent.Custody.Tests;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private DateTimeOffset _now = start;

    public TestClock()
        : this(Start)
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>A temporary directory removed at the end of the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "bitcurrent-custody-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public static void MakeOwnerOnly(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A deterministic byte source: SHA-256(seed || counter) blocks.</summary>
internal sealed class SeededRandom(string seed)
{
    private long _counter;

    public void Fill(Span<byte> destination)
    {
        var offset = 0;
        while (offset < destination.Length)
        {
            var block = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{seed}/{_counter++}"));
            var n = Math.Min(block.Length, destination.Length - offset);
            block.AsSpan(0, n).CopyTo(destination[offset..]);
            offset += n;
        }
    }
}

/// <summary>
/// A regtest custody set-up for workflow tests: nine signer key files and a hot key file (scrypt at the test work factor), a data
/// directory with the 5-of-9 cold wallet and the hot wallet, and an in-memory simulated chain.
/// </summary>
internal sealed class CustodyFixture : IDisposable
{
    public const string Passphrase = "correct horse battery staple";

    /// <summary>The test work factor: scrypt N = 2^10 (the default is 2^18).</summary>
    public static readonly ScryptParameters FastKdf = new() { Log2N = ScryptParameters.Log2NMin };

    public CustodyFixture(int signers = 9, int threshold = 5, CustodyPolicy? policy = null, string seed = "fixture")
    {
        Clock = new TestClock();
        Directory = new TempDirectory();
        Chain = SimulatedChain.InMemory(Clock);
        var random = new SeededRandom(seed);
        for (var i = 1; i <= signers; i++)
        {
            SignerKeys.Add(KeyFile.Generate(Directory.File($"signer{i}.key"), KeyRole.Signer, Network.Regtest, Passphrase, Clock, FastKdf, random.Fill));
        }
        HotKey = KeyFile.Generate(Directory.File("hot.key"), KeyRole.Hot, Network.Regtest, Passphrase, Clock, FastKdf, random.Fill);
        Store = CustodyStore.Open(Directory.File("data"), Clock);
        if (policy is not null)
        {
            Store.SavePolicy(policy);
        }
        Wallets = new CustodyWallets(Store);
        Wallets.CreateColdWallet(threshold, SignerKeys.Select(k => k.Account).ToList());
        Wallets.CreateHotWallet(HotKey.Account, HotKey.FilePath);
    }

    public TestClock Clock { get; }

    public TempDirectory Directory { get; }

    public SimulatedChain Chain { get; }

    public List<KeyFile> SignerKeys { get; } = [];

    public KeyFile HotKey { get; }

    public CustodyStore Store { get; }

    public CustodyWallets Wallets { get; }

    public ColdWallet Cold => Store.ColdWallet!;

    public HotWallet Hot => Store.HotWallet!;

    /// <summary>The private account key of signer <paramref name="number"/> (1-based).</summary>
    public ExtendedPrivateKey SignerKey(int number) => SignerKeys[number - 1].UnlockAccountKey(Passphrase);

    public ExtendedPrivateKey HotAccountKey() => HotKey.UnlockAccountKey(Passphrase);

    /// <summary>Funds the next cold receive address.</summary>
    public TxId FundCold(long satoshis) => Chain.Fund(Wallets.NextColdReceiveAddress().ScriptPubKey, satoshis);

    /// <summary>Funds a new hot internal address.</summary>
    public TxId FundHot(long satoshis) => Chain.Fund(Wallets.NextHotFundingAddress().ScriptPubKey, satoshis);

    public void Dispose()
    {
        Store.Dispose();
        Chain.Dispose();
        Directory.Dispose();
    }
}

internal static class Btc
{
    public static long Of(string amount) => Money.ParseBitcoin(amount);
}

internal static class Test
{
    /// <summary>The running test's cancellation token.</summary>
    public static CancellationToken Ct => TestContext.Current.CancellationToken;
}
