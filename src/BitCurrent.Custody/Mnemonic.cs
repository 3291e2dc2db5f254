using System.Security.Cryptography;
using System.Text;
using BitCurrent.Custody.Internal;

namespace BitCurrent.Custody;

/// <summary>BIP-39 mnemonics with the English word list: entropy ↔ words with checksum, and the PBKDF2-HMAC-SHA512 seed.</summary>
public static class Mnemonic
{
    private static readonly string[] Words = LoadWords();
    private static readonly Dictionary<string, int> Index = BuildIndex();

    // Internal rather than private so that tests can run them: as static initializers they run before any test.
    internal static string[] LoadWords()
    {
        using var stream = typeof(Mnemonic).Assembly.GetManifestResourceStream("BitCurrent.Custody.bip39-english.txt")
            ?? throw new InvalidOperationException("embedded BIP-39 word list missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return ParseWordList(reader.ReadToEnd());
    }

    internal static string[] ParseWordList(string text)
    {
        var words = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length != 2048)
        {
            throw new InvalidOperationException("BIP-39 word list must have 2048 words");
        }
        return words;
    }

    internal static Dictionary<string, int> BuildIndex()
    {
        var index = new Dictionary<string, int>(2048, StringComparer.Ordinal);
        for (var i = 0; i < Words.Length; i++)
        {
            index[Words[i]] = i;
        }
        return index;
    }

    /// <summary>The English word list (2048 words).</summary>
    public static IReadOnlyList<string> EnglishWords => Words;

    /// <summary>Words for 16, 20, 24, 28 or 32 bytes of entropy (12..24 words), space separated.</summary>
    /// <exception cref="MnemonicFormatException"><see cref="CustodyError.MnemonicInvalidEntropyLength"/>.</exception>
    public static string FromEntropy(ReadOnlySpan<byte> entropy)
    {
        if (entropy.Length is < 16 or > 32 || entropy.Length % 4 != 0)
        {
            Throw.Mnemonic(CustodyError.MnemonicInvalidEntropyLength, "entropy must be 16, 20, 24, 28 or 32 bytes");
        }
        var checksum = SHA256.HashData(entropy);
        var totalBits = (entropy.Length * 8) + (entropy.Length / 4);
        var sb = new StringBuilder();
        for (var word = 0; word < totalBits / 11; word++)
        {
            var value = 0;
            for (var bit = 0; bit < 11; bit++)
            {
                var position = (word * 11) + bit;
                var source = position < entropy.Length * 8 ? entropy : checksum;
                var p = position < entropy.Length * 8 ? position : position - (entropy.Length * 8);
                value = (value << 1) | ((source[p / 8] >> (7 - (p % 8))) & 1);
            }
            if (word > 0)
            {
                sb.Append(' ');
            }
            sb.Append(Words[value]);
        }
        Array.Clear(checksum);
        return sb.ToString();
    }

    /// <summary>A new mnemonic from the OS CSPRNG (<paramref name="wordCount"/> 12, 15, 18, 21 or 24).</summary>
    public static string Generate(int wordCount = 24) => Generate(RandomNumberGenerator.Fill, wordCount);

    /// <summary>A new mnemonic from an injected random source.</summary>
    public static string Generate(Action<Span<byte>> fillRandom, int wordCount = 24)
    {
        ArgumentNullException.ThrowIfNull(fillRandom);
        if (wordCount is < 12 or > 24 || wordCount % 3 != 0)
        {
            Throw.Mnemonic(CustodyError.MnemonicInvalidWordCount, "word count must be 12, 15, 18, 21 or 24");
        }
        Span<byte> entropy = stackalloc byte[wordCount * 4 / 3];
        fillRandom(entropy);
        var words = FromEntropy(entropy);
        entropy.Clear();
        return words;
    }

    /// <summary>Checks the words and checksum and returns the entropy.</summary>
    /// <exception cref="MnemonicFormatException">Word count, unknown word or checksum.</exception>
    public static byte[] ToEntropy(string mnemonic)
    {
        var error = TryToEntropy(mnemonic, out var entropy);
        if (error != CustodyError.None)
        {
            Throw.Mnemonic(error, error switch
            {
                CustodyError.MnemonicInvalidWordCount => "mnemonic must have 12, 15, 18, 21 or 24 words",
                CustodyError.MnemonicUnknownWord => "mnemonic contains a word outside the English BIP-39 list",
                _ => "mnemonic checksum does not match",
            });
        }
        return entropy;
    }

    /// <summary>True when the mnemonic has a valid length, known words and a matching checksum.</summary>
    public static bool IsValid(string mnemonic) => TryToEntropy(mnemonic, out _) == CustodyError.None;

    /// <summary>Validates and decodes, returning the reason instead of throwing.</summary>
    public static CustodyError TryToEntropy(string mnemonic, out byte[] entropy)
    {
        ArgumentNullException.ThrowIfNull(mnemonic);
        entropy = [];
        var words = mnemonic.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length is < 12 or > 24 || words.Length % 3 != 0)
        {
            return CustodyError.MnemonicInvalidWordCount;
        }
        var totalBits = words.Length * 11;
        var checksumBits = totalBits / 33;
        var entropyBytes = (totalBits - checksumBits) / 8;
        var bits = new byte[(totalBits + 7) / 8];
        for (var w = 0; w < words.Length; w++)
        {
            if (!Index.TryGetValue(words[w].ToLowerInvariant(), out var value))
            {
                return CustodyError.MnemonicUnknownWord;
            }
            for (var bit = 0; bit < 11; bit++)
            {
                if (((value >> (10 - bit)) & 1) != 0)
                {
                    var p = (w * 11) + bit;
                    bits[p / 8] |= (byte)(0x80 >> (p % 8));
                }
            }
        }
        var result = bits.AsSpan(0, entropyBytes).ToArray();
        var hash = SHA256.HashData(result);
        for (var i = 0; i < checksumBits; i++)
        {
            var p = (entropyBytes * 8) + i;
            var expected = (hash[i / 8] >> (7 - (i % 8))) & 1;
            var actual = (bits[p / 8] >> (7 - (p % 8))) & 1;
            if (expected != actual)
            {
                Array.Clear(bits);
                Array.Clear(result);
                return CustodyError.MnemonicChecksumMismatch;
            }
        }
        Array.Clear(bits);
        entropy = result;
        return CustodyError.None;
    }

    /// <summary>The 64-byte BIP-39 seed: PBKDF2-HMAC-SHA512, 2048 rounds, salt "mnemonic" + passphrase, both NFKD-normalised.
    /// The words are not validated here (BIP-39 allows any sentence); call <see cref="ToEntropy"/> first to check them.</summary>
    /// <exception cref="MnemonicFormatException"><see cref="CustodyError.MnemonicTextNotNormalizable"/>: a non-ASCII mnemonic or
    /// passphrase in a process without Unicode normalization (globalization-invariant mode): its seed cannot be computed as BIP-39 says.</exception>
    public static byte[] ToSeed(string mnemonic, string passphrase = "")
    {
        ArgumentNullException.ThrowIfNull(mnemonic);
        ArgumentNullException.ThrowIfNull(passphrase);
        var password = Encoding.UTF8.GetBytes(Nfkd(mnemonic));
        var salt = Encoding.UTF8.GetBytes("mnemonic" + Nfkd(passphrase));
        try
        {
            return Rfc2898DeriveBytes.Pbkdf2(password, salt, 2048, HashAlgorithmName.SHA512, 64);
        }
        finally
        {
            Array.Clear(password);
            Array.Clear(salt);
        }
    }

    private static string Nfkd(string text) => Nfkd(text, UnicodeText.NormalizationAvailable);

    /// <summary>The NFKD form BIP-39 hashes; ASCII is its own NFKD form and needs no normalization.</summary>
    /// <exception cref="MnemonicFormatException"><see cref="CustodyError.MnemonicTextNotNormalizable"/>: non-ASCII text where
    /// <paramref name="normalizationAvailable"/> is false. Its seed would differ from every other BIP-39 wallet's (funds
    /// "missing" after a restore), so it is refused rather than derived.</exception>
    internal static string Nfkd(string text, bool normalizationAvailable)
    {
        if (System.Text.Ascii.IsValid(text))
        {
            return text;
        }
        if (!normalizationAvailable)
        {
            Throw.Mnemonic(CustodyError.MnemonicTextNotNormalizable,
                "Unicode normalization is unavailable in this process (globalization-invariant mode): a non-ASCII BIP-39 mnemonic or passphrase cannot be NFKD-normalized");
        }
        return text.Normalize(NormalizationForm.FormKD);
    }
}
