using System.Text.Json.Nodes;

namespace BitCurrent.Custody.Tests;

/// <summary>Key files: encrypted at rest, owner-only, never overwritten, public part readable, wrong passphrase a typed error.</summary>
public class KeyFileTests
{
    private const string Passphrase = "correct horse battery staple";
    private static readonly ScryptParameters Fast = CustodyFixture.FastKdf;
    private const string Abandon = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    [Fact]
    public void Generated_signer_key_file_opens_and_derives_its_account_key()
    {
        using var dir = new TempDirectory();
        var clock = new TestClock();
        var file = KeyFile.Generate(dir.File("s1.key"), KeyRole.Signer, Network.Regtest, Passphrase, clock, Fast, new SeededRandom("a").Fill);
        Assert.Equal("m/48'/1'/0'/2'", file.Account.Path.ToString());
        Assert.Equal(clock.GetUtcNow(), file.CreatedAt);
        var opened = KeyFile.Open(file.FilePath);
        Assert.Equal(file.Account, opened.Account);
        Assert.Equal(KeyRole.Signer, opened.Role);
        Assert.Equal(Fast, opened.Kdf);
        using var key = opened.UnlockAccountKey(Passphrase);
        Assert.Equal(file.Account.Xpub, key.Neuter());
        Assert.Equal(24, opened.RevealMnemonic(Passphrase).Split(' ').Length);
    }

    [Fact]
    public void Importing_a_mnemonic_gives_the_known_fingerprint_and_bip84_path()
    {
        using var dir = new TempDirectory();
        var file = KeyFile.Import(dir.File("hot.key"), Abandon, KeyRole.Hot, Network.Mainnet, Passphrase, new TestClock(), Fast);
        Assert.Equal(0x73c5da0au, file.MasterFingerprint);
        Assert.Equal("m/84'/0'/0'", file.Account.Path.ToString());
        // BIP-84's test vector account key (its zpub, written with xpub version bytes).
        using var master = ExtendedPrivateKey.FromSeed(Mnemonic.ToSeed(Abandon), Network.Mainnet);
        Assert.Equal(master.Derive("m/84'/0'/0'").Neuter(), file.Account.Xpub);
        Assert.Equal(Abandon, KeyFile.Open(file.FilePath).RevealMnemonic(Passphrase));
    }

    [Fact]
    public void The_file_is_created_owner_only_and_holds_no_plaintext_secret()
    {
        using var dir = new TempDirectory();
        var path = dir.File("k.key");
        var file = KeyFile.Import(path, Abandon, KeyRole.Signer, Network.Regtest, Passphrase, new TestClock(), Fast);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        var text = File.ReadAllText(path);
        Assert.DoesNotContain("abandon", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tprv", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Passphrase, text, StringComparison.Ordinal);
        using var key = file.UnlockAccountKey(Passphrase);
        Assert.DoesNotContain(key.ToBase58(), text, StringComparison.Ordinal);
        Assert.Contains(file.Account.Xpub.ToBase58(), text, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_wrong_passphrase_is_a_typed_error()
    {
        using var dir = new TempDirectory();
        var file = KeyFile.Generate(dir.File("k.key"), KeyRole.Signer, Network.Regtest, Passphrase, new TestClock(), Fast);
        var e = Assert.Throws<KeyFileException>(() => file.UnlockAccountKey("correct horse battery stapl"));
        Assert.Equal(CustodyError.KeyFileWrongPassphrase, e.Reason);
        Assert.StartsWith("5310 KeyFileWrongPassphrase", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse", e.Message, StringComparison.Ordinal);
        Assert.Equal(CustodyError.KeyFileWrongPassphrase, Assert.Throws<KeyFileException>(() => file.RevealMnemonic("")).Reason);
    }

    [Fact]
    public void Key_files_are_never_overwritten()
    {
        using var dir = new TempDirectory();
        var path = dir.File("k.key");
        var first = KeyFile.Generate(path, KeyRole.Signer, Network.Regtest, Passphrase, new TestClock(), Fast);
        var before = File.ReadAllBytes(path);
        var e = Assert.Throws<KeyFileException>(() => KeyFile.Generate(path, KeyRole.Signer, Network.Regtest, Passphrase, new TestClock(), Fast));
        Assert.Equal(CustodyError.KeyFileExists, e.Reason);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(first.Account, KeyFile.Open(path).Account);
    }

    [Fact]
    public void A_short_passphrase_and_out_of_range_kdf_parameters_are_refused()
    {
        using var dir = new TempDirectory();
        Assert.Equal(CustodyError.PassphraseTooShort,
            Assert.Throws<KeyFileException>(() => KeyFile.Generate(dir.File("a.key"), KeyRole.Signer, Network.Regtest, "1234567", new TestClock(), Fast)).Reason);
        foreach (var kdf in new[] { new ScryptParameters { Log2N = 9 }, new ScryptParameters { Log2N = 23 }, new ScryptParameters { Log2N = 10, BlockSize = 0 }, new ScryptParameters { Log2N = 10, Parallelism = 17 } })
        {
            Assert.Equal(CustodyError.KeyFileKdfParametersInvalid,
                Assert.Throws<KeyFileException>(() => KeyFile.Generate(dir.File("b.key"), KeyRole.Signer, Network.Regtest, Passphrase, new TestClock(), kdf)).Reason);
        }
        Assert.False(File.Exists(dir.File("a.key")));
        Assert.False(File.Exists(dir.File("b.key")));
    }

    [Fact]
    public void The_default_work_factor_is_the_strong_one()
    {
        Assert.Equal(18, ScryptParameters.Default.Log2N);
        Assert.Equal(8, ScryptParameters.Default.BlockSize);
        Assert.Equal(1, ScryptParameters.Default.Parallelism);
        Assert.Equal(256L * 1024 * 1024, ScryptParameters.Default.MemoryBytes);
    }

    [Fact]
    public void A_key_file_readable_by_others_is_refused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        using var dir = new TempDirectory();
        var path = dir.File("k.key");
        KeyFile.Generate(path, KeyRole.Signer, Network.Regtest, Passphrase, new TestClock(), Fast);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Assert.Equal(CustodyError.KeyFileInsecurePermissions, Assert.Throws<KeyFileException>(() => KeyFile.Open(path)).Reason);
    }

    [Theory]
    [InlineData("accountXpub")]
    [InlineData("masterFingerprint")]
    [InlineData("role")]
    [InlineData("createdAt")]
    public void Editing_a_public_field_makes_the_file_fail_to_open(string field)
    {
        using var dir = new TempDirectory();
        var path = dir.File("k.key");
        KeyFile.Import(path, Abandon, KeyRole.Signer, Network.Regtest, Passphrase, new TestClock(), Fast);
        var other = KeyFile.Generate(dir.File("other.key"), KeyRole.Hot, Network.Regtest, Passphrase, new TestClock(), Fast, new SeededRandom("o").Fill);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        json[field] = field switch
        {
            "accountXpub" => other.Account.Xpub.ToBase58(),
            "masterFingerprint" => "00000001",
            "role" => "hot",
            _ => "2030-01-01T00:00:00+00:00",
        };
        File.WriteAllText(path, json.ToJsonString());
        TempDirectory.MakeOwnerOnly(path);
        var e = Assert.Throws<KeyFileException>(() => KeyFile.Open(path).UnlockAccountKey(Passphrase));
        Assert.Equal(CustodyError.KeyFileWrongPassphrase, e.Reason);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("not json")]
    [InlineData("{\"format\":\"bitcurrent-keyfile\",\"version\":2}")]
    [InlineData("{\"format\":\"bitcurrent-keyfile\",\"version\":1}")]
    public void Files_that_are_not_key_files_are_malformed(string content)
    {
        using var dir = new TempDirectory();
        var path = dir.File("k.key");
        File.WriteAllText(path, content);
        TempDirectory.MakeOwnerOnly(path);
        Assert.Equal(CustodyError.KeyFileMalformed, Assert.Throws<KeyFileException>(() => KeyFile.Open(path)).Reason);
    }

    [Fact]
    public void A_missing_file_is_a_typed_error() =>
        Assert.Equal(CustodyError.KeyFileNotFound, Assert.Throws<KeyFileException>(() => KeyFile.Open("/nonexistent/k.key")).Reason);

    [Fact]
    public void Nothing_prints_a_secret()
    {
        using var dir = new TempDirectory();
        var file = KeyFile.Import(dir.File("k.key"), Abandon, KeyRole.Hot, Network.Regtest, Passphrase, new TestClock(), Fast);
        using var key = file.UnlockAccountKey(Passphrase);
        var secrets = new[] { key.ToBase58(), key.PrivateKey.ToWif(Network.Regtest), "abandon", Passphrase };
        foreach (var text in new[] { file.ToString(), key.ToString(), key.PrivateKey.ToString(), file.Account.ToString() })
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }
}
