using System.Globalization;
using System.Text;

namespace BitCurrent.Custody;

/// <summary>
/// An account-level extended public key with its origin, written as a descriptor key expression (BIP-380):
/// <c>[d34db33f/48h/1h/0h/2h]tpubDF...</c>. This is what a signer hands over after the key ceremony: public only.
/// </summary>
/// <param name="MasterFingerprint">Fingerprint of the signer's master key.</param>
/// <param name="Path">Path from the master key to <paramref name="Xpub"/> (for example m/48'/1'/0'/2').</param>
/// <param name="Xpub">The account's extended public key.</param>
public sealed record AccountKey(uint MasterFingerprint, KeyPath Path, ExtendedPublicKey Xpub)
{
    /// <summary>The network of the extended key's version bytes (testnet and regtest share tpub).</summary>
    public Network Network => Xpub.Network;

    /// <summary>The origin of the child key at <paramref name="chain"/>/<paramref name="index"/> below this account.</summary>
    public KeyOrigin OriginOf(uint chain, uint index) => new(MasterFingerprint, Path.Append(chain).Append(index));

    /// <summary>The public key at <paramref name="chain"/>/<paramref name="index"/> (non-hardened) below this account.</summary>
    public PublicKey Derive(uint chain, uint index) => Xpub.Derive(chain).Derive(index).PublicKey;

    /// <summary>When <paramref name="origin"/> lies below this account (same master fingerprint, path starting with <see cref="Path"/>),
    /// the rest of its path; otherwise null.</summary>
    public KeyPath? RelativePath(KeyOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        if (origin.MasterFingerprint != MasterFingerprint || origin.Path.Depth < Path.Depth)
        {
            return null;
        }
        for (var i = 0; i < Path.Depth; i++)
        {
            if (origin.Path.Indexes[i] != Path.Indexes[i])
            {
                return null;
            }
        }
        return new KeyPath(origin.Path.Indexes.Skip(Path.Depth));
    }

    /// <summary>Parses "[fingerprint/path]xpub" (hardened steps as h or '), or a bare xpub (then the key is its own origin: its
    /// fingerprint and the empty path).</summary>
    /// <exception cref="CustodyStateException"><see cref="CustodyError.KeyExpressionInvalid"/>.</exception>
    /// <exception cref="KeyFormatException">The extended key does not parse, or belongs to another network (<see cref="CustodyError.KeyWrongNetwork"/>).</exception>
    public static AccountKey Parse(string text, Network network)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (!trimmed.StartsWith('['))
        {
            var bare = ExtendedPublicKey.Parse(trimmed, network);
            return new AccountKey(bare.Fingerprint, KeyPath.Master, bare);
        }
        var close = trimmed.IndexOf(']', StringComparison.Ordinal);
        if (close < 9)
        {
            Throw.State(CustodyError.KeyExpressionInvalid, "a key expression is [fingerprint/path]xpub with an 8-hex-digit fingerprint");
        }
        var origin = trimmed[1..close];
        var slash = origin.IndexOf('/', StringComparison.Ordinal);
        var fingerprintText = slash < 0 ? origin : origin[..slash];
        var fingerprintOk = uint.TryParse(fingerprintText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var fingerprint);
        if (fingerprintText.Length != 8 || !fingerprintOk)
        {
            Throw.State(CustodyError.KeyExpressionInvalid, "the fingerprint of a key origin is 8 hex digits");
        }
        var path = KeyPath.Master;
        if (slash >= 0 && !KeyPath.TryParse("m" + origin[slash..], out path))
        {
            Throw.State(CustodyError.KeyExpressionInvalid, "the path of a key origin does not parse");
        }
        var xpub = ExtendedPublicKey.Parse(trimmed[(close + 1)..], network);
        if (path!.Depth != xpub.Depth)
        {
            Throw.State(CustodyError.KeyExpressionInvalid, "the origin path's length differs from the extended key's depth");
        }
        return new AccountKey(fingerprint, path, xpub);
    }

    /// <summary>"[d34db33f/48h/1h/0h/2h]tpub..." (hardened steps written as h, as Bitcoin Core prints descriptors).</summary>
    public override string ToString() => $"[{OriginText()}]{Xpub.ToBase58()}";

    /// <summary>"d34db33f/48h/1h/0h/2h".</summary>
    public string OriginText()
    {
        var sb = new StringBuilder(MasterFingerprint.ToString("x8", CultureInfo.InvariantCulture));
        foreach (var index in Path.Indexes)
        {
            sb.Append('/').Append((index & ~KeyPath.HardenedBit).ToString(CultureInfo.InvariantCulture));
            if ((index & KeyPath.HardenedBit) != 0)
            {
                sb.Append('h');
            }
        }
        return sb.ToString();
    }

    /// <inheritdoc/>
    public bool Equals(AccountKey? other) => other is not null && other.MasterFingerprint == MasterFingerprint && other.Path.Equals(Path) && other.Xpub.Equals(Xpub);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(MasterFingerprint, Xpub);
}
