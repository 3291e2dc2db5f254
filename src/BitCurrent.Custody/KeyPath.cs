using System.Globalization;
using System.Text;

namespace BitCurrent.Custody;

/// <summary>A BIP-32 derivation path such as <c>m/84'/0'/0'/0/5</c>. Hardened indexes carry bit 31.</summary>
public sealed class KeyPath : IEquatable<KeyPath>
{
    /// <summary>Bit 31: the hardened flag.</summary>
    public const uint HardenedBit = 0x80000000;

    private readonly uint[] _indexes;

    /// <summary>A path from raw indexes (hardened ones already carry bit 31).</summary>
    public KeyPath(IEnumerable<uint> indexes)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        _indexes = [.. indexes];
    }

    /// <summary>The empty path "m".</summary>
    public static KeyPath Master { get; } = new([]);

    /// <summary>The indexes in order.</summary>
    public IReadOnlyList<uint> Indexes => _indexes;

    /// <summary>Number of steps.</summary>
    public int Depth => _indexes.Length;

    /// <summary>This path followed by one more index.</summary>
    public KeyPath Append(uint index) => new([.. _indexes, index]);

    /// <summary>This path followed by another.</summary>
    public KeyPath Append(KeyPath tail)
    {
        ArgumentNullException.ThrowIfNull(tail);
        return new([.. _indexes, .. tail._indexes]);
    }

    /// <summary>Parses "m/84'/0'/0'/0/5"; accepts ' or h for hardened, with or without the leading "m/".</summary>
    /// <exception cref="KeyFormatException"><see cref="CustodyError.KeyPathInvalid"/>.</exception>
    public static KeyPath Parse(string path)
    {
        if (!TryParse(path, out var result))
        {
            Throw.Key(CustodyError.KeyPathInvalid, "not a valid BIP-32 key path");
        }
        return result!;
    }

    /// <summary>Parses without throwing.</summary>
    public static bool TryParse(string path, out KeyPath? result)
    {
        ArgumentNullException.ThrowIfNull(path);
        result = null;
        var text = path.Trim();
        if (text is "m" or "M" or "")
        {
            result = Master;
            return true;
        }
        if (text.StartsWith("m/", StringComparison.OrdinalIgnoreCase))
        {
            text = text[2..];
        }
        var parts = text.Split('/');
        var indexes = new uint[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            var hardened = part.EndsWith('\'') || part.EndsWith('h') || part.EndsWith('H');
            if (hardened)
            {
                part = part[..^1];
            }
            // NumberStyles.None takes ASCII digits only: an empty part, a sign, white space or any other digit fails.
            if (!uint.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value >= HardenedBit)
            {
                return false;
            }
            indexes[i] = hardened ? value | HardenedBit : value;
        }
        result = new KeyPath(indexes);
        return true;
    }

    /// <summary>"m/84'/0'/0'/0/5".</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("m");
        foreach (var index in _indexes)
        {
            sb.Append('/').Append((index & ~HardenedBit).ToString(CultureInfo.InvariantCulture));
            if ((index & HardenedBit) != 0)
            {
                sb.Append('\'');
            }
        }
        return sb.ToString();
    }

    /// <inheritdoc/>
    public bool Equals(KeyPath? other) => other is not null && _indexes.AsSpan().SequenceEqual(other._indexes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as KeyPath);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var i in _indexes)
        {
            hash.Add(i);
        }
        return hash.ToHashCode();
    }
}

/// <summary>Where a key comes from: the master key's fingerprint and the path from it (PSBT BIP32_DERIVATION values).</summary>
/// <param name="MasterFingerprint">First 4 bytes of HASH160 of the master public key, big-endian.</param>
/// <param name="Path">Path from the master key.</param>
public sealed record KeyOrigin(uint MasterFingerprint, KeyPath Path)
{
    /// <summary>"[d90c6a4f/0'/0'/1']" style text.</summary>
    public override string ToString() => $"[{MasterFingerprint:x8}{Path.ToString()[1..]}]";
}
