using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BitCurrent.Custody.Internal;
using Org.BouncyCastle.Crypto.Generators;

namespace BitCurrent.Custody;

/// <summary>What a key file's key is for; it fixes the account path.</summary>
public enum KeyRole
{
    /// <summary>One signer of the cold multisig wallet: account m/48'/coin'/account'/2' (BIP-48, native segwit P2WSH).</summary>
    Signer = 1,
    /// <summary>The hot wallet's single key: account m/84'/coin'/account' (BIP-84, P2WPKH).</summary>
    Hot = 2,
}

/// <summary>The work factor of the passphrase key derivation (scrypt). The default (N = 2^18, r = 8, p = 1: 256 MiB and about a
/// second per unlock) is the Ethereum/Web3 keystore's; tests use <see cref="Log2NMin"/> to stay fast.</summary>
public sealed record ScryptParameters
{
    /// <summary>Smallest accepted log2 N (1024: for tests only, never for real keys).</summary>
    public const int Log2NMin = 10;

    /// <summary>Largest accepted log2 N (4 GiB at r = 8).</summary>
    public const int Log2NMax = 22;

    /// <summary>The default log2 N (N = 262 144).</summary>
    public const int Log2NDefault = 18;

    /// <summary>The strong default: N = 2^18, r = 8, p = 1.</summary>
    public static ScryptParameters Default { get; } = new();

    /// <summary>log2 of the CPU/memory cost N.</summary>
    public int Log2N { get; init; } = Log2NDefault;

    /// <summary>Block size r (1..32).</summary>
    public int BlockSize { get; init; } = 8;

    /// <summary>Parallelism p (1..16).</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>True when every parameter is in its accepted range.</summary>
    public bool IsValid => Log2N is >= Log2NMin and <= Log2NMax && BlockSize is >= 1 and <= 32 && Parallelism is >= 1 and <= 16;

    /// <summary>Memory the derivation needs: 128 · r · N bytes.</summary>
    public long MemoryBytes => 128L * BlockSize * (1L << Log2N);
}

/// <summary>
/// A signer's or the hot wallet's key file: a BIP-39 seed (24 words) encrypted under a passphrase with scrypt and AES-256-GCM,
/// next to the public data (role, network, master fingerprint, account path and xpub) that anyone may read. The file is
/// created owner-only (0600) with no moment of wider access, written atomically, and never overwritten. The public fields
/// are bound to the ciphertext as AES-GCM associated data, so editing them makes the file fail to open.
/// </summary>
/// <remarks>Instances hold only public data; <see cref="UnlockAccountKey"/> returns the private account key, which the caller
/// disposes. Neither <see cref="ToString"/> nor any exception message contains the secret or the passphrase.</remarks>
public sealed class KeyFile
{
    /// <summary>The format name written in every key file.</summary>
    public const string FormatName = "bitcurrent-keyfile";

    /// <summary>The format version this library writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Shortest accepted passphrase for a new key file.</summary>
    public const int PassphraseLengthMin = 8;

    private const byte SecretKindBip39Entropy = 1;
    private const int SaltLength = 32;
    private const int NonceLength = 12;
    private const int TagLength = 16;

    private readonly KeyFileDocument _document;

    private KeyFile(string path, KeyFileDocument document, KeyRole role, Network network, AccountKey account, DateTimeOffset createdAt, ScryptParameters kdf)
    {
        FilePath = path;
        _document = document;
        Role = role;
        Network = network;
        Account = account;
        CreatedAt = createdAt;
        Kdf = kdf;
    }

    /// <summary>Where the file is.</summary>
    public string FilePath { get; }

    /// <summary>The key's role.</summary>
    public KeyRole Role { get; }

    /// <summary>The network the key is for.</summary>
    public Network Network { get; }

    /// <summary>The account xpub with its origin (public).</summary>
    public AccountKey Account { get; }

    /// <summary>The master key's fingerprint.</summary>
    public uint MasterFingerprint => Account.MasterFingerprint;

    /// <summary>When the key was generated or imported (from the injected clock).</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>The key derivation's work factor.</summary>
    public ScryptParameters Kdf { get; }

    /// <summary>The account path of a role: m/48'/coin'/account'/2' for signers, m/84'/coin'/account' for the hot wallet; coin is 0
    /// on mainnet and 1 on testnet and regtest.</summary>
    public static KeyPath AccountPath(KeyRole role, Network network, uint account = 0)
    {
        if (account >= KeyPath.HardenedBit)
        {
            throw new ArgumentOutOfRangeException(nameof(account), "account index must be below 2^31");
        }
        var coin = (network == Network.Mainnet ? 0u : 1u) | KeyPath.HardenedBit;
        return role == KeyRole.Signer
            ? new KeyPath([48 | KeyPath.HardenedBit, coin, account | KeyPath.HardenedBit, 2 | KeyPath.HardenedBit])
            : new KeyPath([84 | KeyPath.HardenedBit, coin, account | KeyPath.HardenedBit]);
    }

    /// <summary>Generates a new 24-word BIP-39 seed and writes it encrypted to <paramref name="path"/>.</summary>
    /// <param name="path">The new file; it must not exist.</param>
    /// <param name="role">Signer or hot wallet.</param>
    /// <param name="network">The network of the key.</param>
    /// <param name="passphrase">At least <see cref="PassphraseLengthMin"/> characters.</param>
    /// <param name="time">Clock for <see cref="CreatedAt"/>.</param>
    /// <param name="kdf">Work factor (default <see cref="ScryptParameters.Default"/>).</param>
    /// <param name="fillRandom">Randomness for the seed, salt and nonce (default the OS CSPRNG); tests inject a seeded source.</param>
    /// <exception cref="KeyFileException"><see cref="CustodyError.KeyFileExists"/>, <see cref="CustodyError.PassphraseTooShort"/>,
    /// <see cref="CustodyError.PassphraseNotNormalizable"/>, <see cref="CustodyError.KeyFileKdfParametersInvalid"/>.</exception>
    public static KeyFile Generate(string path, KeyRole role, Network network, ReadOnlySpan<char> passphrase, TimeProvider time,
        ScryptParameters? kdf = null, Action<Span<byte>>? fillRandom = null)
    {
        fillRandom ??= RandomNumberGenerator.Fill;
        var entropy = new byte[32];
        try
        {
            fillRandom(entropy);
            return Create(path, role, network, passphrase, time, kdf, fillRandom, entropy);
        }
        finally
        {
            Array.Clear(entropy);
        }
    }

    /// <summary>Restores a key from its BIP-39 words (a paper backup) into a new key file.</summary>
    /// <exception cref="MnemonicFormatException">The words are not a valid English BIP-39 mnemonic.</exception>
    /// <exception cref="KeyFileException">As <see cref="Generate"/>.</exception>
    public static KeyFile Import(string path, string mnemonic, KeyRole role, Network network, ReadOnlySpan<char> passphrase, TimeProvider time,
        ScryptParameters? kdf = null, Action<Span<byte>>? fillRandom = null)
    {
        var entropy = Mnemonic.ToEntropy(mnemonic);
        try
        {
            return Create(path, role, network, passphrase, time, kdf, fillRandom ?? RandomNumberGenerator.Fill, entropy);
        }
        finally
        {
            Array.Clear(entropy);
        }
    }

    private static KeyFile Create(string path, KeyRole role, Network network, ReadOnlySpan<char> passphrase, TimeProvider time,
        ScryptParameters? kdf, Action<Span<byte>> fillRandom, byte[] entropy)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(time);
        kdf ??= ScryptParameters.Default;
        if (!kdf.IsValid)
        {
            Throw.KeyFile(CustodyError.KeyFileKdfParametersInvalid, "scrypt parameters out of range (log2 N 10..22, r 1..32, p 1..16)");
        }
        CheckNewPassphrase(passphrase, UnicodeText.NormalizationAvailable);
        if (File.Exists(path))
        {
            Throw.KeyFile(CustodyError.KeyFileExists, $"{path} exists; key files are never overwritten");
        }
        AccountKey account;
        using (var master = MasterFromEntropy(entropy, network))
        {
            var accountPath = AccountPath(role, network);
            using var accountKey = master.Derive(accountPath);
            account = new AccountKey(master.Fingerprint, accountPath, accountKey.Neuter());
        }
        var createdAt = time.GetUtcNow();
        var salt = new byte[SaltLength];
        var nonce = new byte[NonceLength];
        fillRandom(salt);
        fillRandom(nonce);
        var document = new KeyFileDocument
        {
            Format = FormatName,
            Version = FormatVersion,
            Role = RoleName(role),
            Network = NetworkNames.Name(network),
            MasterFingerprint = account.MasterFingerprint.ToString("x8", CultureInfo.InvariantCulture),
            AccountPath = account.Path.ToString(),
            AccountXpub = account.Xpub.ToBase58(),
            CreatedAt = createdAt,
            Kdf = new KeyFileKdf { Algorithm = "scrypt", Log2N = kdf.Log2N, R = kdf.BlockSize, P = kdf.Parallelism, Salt = Convert.ToBase64String(salt) },
            Cipher = new KeyFileCipher { Algorithm = "aes-256-gcm", Nonce = Convert.ToBase64String(nonce) },
        };
        var plaintext = new byte[1 + entropy.Length];
        var key = DeriveKey(passphrase, salt, kdf);
        try
        {
            plaintext[0] = SecretKindBip39Entropy;
            entropy.CopyTo(plaintext, 1);
            var ciphertext = new byte[plaintext.Length];
            var tag = new byte[TagLength];
            using (var aes = new AesGcm(key, TagLength))
            {
                aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData(document));
            }
            document.Cipher.Tag = Convert.ToBase64String(tag);
            document.Secret = Convert.ToBase64String(ciphertext);
        }
        finally
        {
            Array.Clear(key);
            Array.Clear(plaintext);
        }
        var bytes = JsonSerializer.SerializeToUtf8Bytes(document, CustodyJson.Options);
        if (!AtomicFile.Write(path, bytes, ownerOnly: true, overwrite: false))
        {
            Throw.KeyFile(CustodyError.KeyFileExists, $"{path} exists; key files are never overwritten");
        }
        return new KeyFile(Path.GetFullPath(path), document, role, network, account, createdAt, kdf);
    }

    /// <summary>Reads a key file's public part (no passphrase needed) and checks its permissions and format.</summary>
    /// <exception cref="KeyFileException"><see cref="CustodyError.KeyFileNotFound"/>, <see cref="CustodyError.KeyFileInsecurePermissions"/>,
    /// <see cref="CustodyError.KeyFileMalformed"/>, <see cref="CustodyError.KeyFileKdfParametersInvalid"/>.</exception>
    public static KeyFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            Throw.KeyFile(CustodyError.KeyFileNotFound, $"no key file at {path}");
        }
        if (AtomicFile.IsAccessibleByOthers(path))
        {
            Throw.KeyFile(CustodyError.KeyFileInsecurePermissions, $"{path} is accessible by the group or others; run chmod 600 on it");
        }
        KeyFileDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<KeyFileDocument>(File.ReadAllBytes(path), CustodyJson.Options);
        }
        catch (JsonException)
        {
            document = null;
        }
        if (document is null || document.Format != FormatName)
        {
            Throw.KeyFile(CustodyError.KeyFileMalformed, $"{path} is not a BitCurrent key file");
        }
        if (document.Version != FormatVersion)
        {
            Throw.KeyFile(CustodyError.KeyFileMalformed, $"{path} has key file version {document.Version}; this library reads version {FormatVersion}");
        }
        if (document.Kdf is null || document.Cipher is null || document.Kdf.Algorithm != "scrypt" || document.Cipher.Algorithm != "aes-256-gcm" ||
            document.Secret is null || document.Cipher.Tag is null || document.Cipher.Nonce is null || document.Kdf.Salt is null ||
            document.Role is null || document.Network is null || document.AccountPath is null || document.AccountXpub is null || document.MasterFingerprint is null)
        {
            Throw.KeyFile(CustodyError.KeyFileMalformed, $"{path} lacks fields of a key file");
        }
        var kdf = new ScryptParameters { Log2N = document.Kdf.Log2N, BlockSize = document.Kdf.R, Parallelism = document.Kdf.P };
        if (!kdf.IsValid)
        {
            Throw.KeyFile(CustodyError.KeyFileKdfParametersInvalid, $"{path}: scrypt parameters out of range");
        }
        var roleOk = TryRole(document.Role, out var role);
        var networkOk = NetworkNames.TryParse(document.Network, out var network);
        var fingerprintOk = uint.TryParse(document.MasterFingerprint, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var fingerprint);
        var pathOk = KeyPath.TryParse(document.AccountPath, out var accountPath);
        var xpubOk = ExtendedKey.TryParse(document.AccountXpub, network, out _, out var xpub) == CustodyError.None;
        if (!roleOk || !networkOk || !fingerprintOk || !pathOk || !xpubOk || xpub is null || accountPath is null)
        {
            Throw.KeyFile(CustodyError.KeyFileMalformed, $"{path}: role, network, fingerprint, path or xpub does not parse");
        }
        return new KeyFile(Path.GetFullPath(path), document, role, network, new AccountKey(fingerprint, accountPath, xpub), document.CreatedAt, kdf);
    }

    /// <summary>Decrypts the seed and returns the private account key (m/48'/coin'/0'/2' or m/84'/coin'/0'). Dispose it when done.</summary>
    /// <exception cref="KeyFileException"><see cref="CustodyError.KeyFileWrongPassphrase"/> (or the file was altered), <see cref="CustodyError.KeyFileMalformed"/>.</exception>
    public ExtendedPrivateKey UnlockAccountKey(ReadOnlySpan<char> passphrase)
    {
        var entropy = Decrypt(passphrase);
        try
        {
            using var master = MasterFromEntropy(entropy, Network);
            if (master.Fingerprint != Account.MasterFingerprint)
            {
                Throw.KeyFile(CustodyError.KeyFileMalformed, "the decrypted seed does not match the file's fingerprint");
            }
            var account = master.Derive(Account.Path);
            if (!account.Neuter().Equals(Account.Xpub))
            {
                account.Dispose();
                Throw.KeyFile(CustodyError.KeyFileMalformed, "the decrypted seed does not match the file's account xpub");
            }
            return account;
        }
        finally
        {
            Array.Clear(entropy);
        }
    }

    /// <summary>The 24 BIP-39 words of the seed, for a paper backup during the key ceremony. Handle the result as the secret it is.</summary>
    /// <exception cref="KeyFileException"><see cref="CustodyError.KeyFileWrongPassphrase"/>.</exception>
    public string RevealMnemonic(ReadOnlySpan<char> passphrase)
    {
        var entropy = Decrypt(passphrase);
        try
        {
            return Mnemonic.FromEntropy(entropy);
        }
        finally
        {
            Array.Clear(entropy);
        }
    }

    /// <summary>Public information only.</summary>
    public override string ToString() => $"KeyFile({Role}, {Network}, {Account})";

    private byte[] Decrypt(ReadOnlySpan<char> passphrase)
    {
        byte[] salt, nonce, tag, ciphertext;
        try
        {
            salt = Convert.FromBase64String(_document.Kdf!.Salt!);
            nonce = Convert.FromBase64String(_document.Cipher!.Nonce!);
            tag = Convert.FromBase64String(_document.Cipher.Tag!);
            ciphertext = Convert.FromBase64String(_document.Secret!);
        }
        catch (FormatException)
        {
            Throw.KeyFile(CustodyError.KeyFileMalformed, "salt, nonce, tag or secret is not base64");
            return [];
        }
        if (nonce.Length != NonceLength || tag.Length != TagLength || salt.Length < 16 || ciphertext.Length is < 17 or > 33)
        {
            Throw.KeyFile(CustodyError.KeyFileMalformed, "salt, nonce, tag or secret has the wrong length");
        }
        var key = DeriveKey(passphrase, salt, Kdf);
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using (var aes = new AesGcm(key, TagLength))
            {
                aes.Decrypt(nonce, ciphertext, tag, plaintext, AssociatedData(_document));
            }
            if (plaintext[0] != SecretKindBip39Entropy || (plaintext.Length - 1) % 4 != 0)
            {
                Throw.KeyFile(CustodyError.KeyFileMalformed, "unknown secret kind");
            }
            return plaintext[1..];
        }
        catch (AuthenticationTagMismatchException)
        {
            Throw.KeyFile(CustodyError.KeyFileWrongPassphrase, "wrong passphrase (or the key file was altered)");
            return [];
        }
        finally
        {
            Array.Clear(key);
            Array.Clear(plaintext);
        }
    }

    private static ExtendedPrivateKey MasterFromEntropy(byte[] entropy, Network network)
    {
        var words = Mnemonic.FromEntropy(entropy);
        var seed = Mnemonic.ToSeed(words);
        try
        {
            return ExtendedPrivateKey.FromSeed(seed, network);
        }
        finally
        {
            Array.Clear(seed);
        }
    }

    /// <summary>The checks of a new key file's passphrase: its length, and that it can be put in NFC form (the form the
    /// key is derived from), so that the same passphrase typed on another machine opens the file.</summary>
    internal static void CheckNewPassphrase(ReadOnlySpan<char> passphrase, bool normalizationAvailable)
    {
        if (passphrase.Length < PassphraseLengthMin)
        {
            Throw.KeyFile(CustodyError.PassphraseTooShort, $"a key file passphrase has at least {PassphraseLengthMin} characters");
        }
        if (!normalizationAvailable && !System.Text.Ascii.IsValid(passphrase))
        {
            Throw.KeyFile(CustodyError.PassphraseNotNormalizable,
                "Unicode normalization is unavailable in this process (globalization-invariant mode): use an ASCII passphrase, or create the key file where ICU is available");
        }
    }

    private static byte[] DeriveKey(ReadOnlySpan<char> passphrase, byte[] salt, ScryptParameters kdf)
    {
        var normalized = passphrase.ToString().Normalize(NormalizationForm.FormC);
        var bytes = Encoding.UTF8.GetBytes(normalized);
        try
        {
            return SCrypt.Generate(bytes, salt, 1 << kdf.Log2N, kdf.BlockSize, kdf.Parallelism, 32);
        }
        finally
        {
            Array.Clear(bytes);
        }
    }

    private static byte[] AssociatedData(KeyFileDocument d) => Encoding.UTF8.GetBytes(string.Join('\n',
        d.Format, d.Version.ToString(CultureInfo.InvariantCulture), d.Role, d.Network, d.MasterFingerprint, d.AccountPath, d.AccountXpub,
        d.CreatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        d.Kdf!.Log2N.ToString(CultureInfo.InvariantCulture), d.Kdf.R.ToString(CultureInfo.InvariantCulture), d.Kdf.P.ToString(CultureInfo.InvariantCulture)));

    private static string RoleName(KeyRole role) => role == KeyRole.Signer ? "signer" : "hot";

    private static bool TryRole(string text, out KeyRole role)
    {
        role = text switch { "signer" => KeyRole.Signer, "hot" => KeyRole.Hot, _ => 0 };
        return role != 0;
    }
}
