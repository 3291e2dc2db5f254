using System.Diagnostics.CodeAnalysis;
using BitCurrent.Custody.Internal;
using Org.BouncyCastle.Math.EC;

namespace BitCurrent.Custody;

/// <summary>A secp256k1 public key in its compressed (33-byte) or uncompressed (65-byte) SEC form. Immutable.</summary>
/// <remarks>Ordering (<see cref="CompareTo"/>) is lexicographic on the encoded bytes, which is BIP-67's order for compressed keys.</remarks>
public sealed class PublicKey : IEquatable<PublicKey>, IComparable<PublicKey>
{
    private readonly byte[] _bytes;

    private PublicKey(byte[] bytes, ECPoint point)
    {
        _bytes = bytes;
        Point = point;
    }

    internal ECPoint Point { get; }

    /// <summary>True for the 33-byte 0x02/0x03 form.</summary>
    public bool IsCompressed => _bytes.Length == 33;

    /// <summary>The encoded key (33 or 65 bytes).</summary>
    public ReadOnlySpan<byte> Span => _bytes;

    /// <summary>A copy of the encoded key.</summary>
    public byte[] ToBytes() => (byte[])_bytes.Clone();

    /// <summary>The encoded key in lower-case hex.</summary>
    public string ToHex() => Convert.ToHexStringLower(_bytes);

    /// <summary>Parses a compressed (0x02/0x03) or uncompressed (0x04) key and checks it is on the curve.</summary>
    /// <exception cref="KeyFormatException"><see cref="CustodyError.InvalidPublicKey"/>.</exception>
    public static PublicKey Parse(ReadOnlySpan<byte> encoded)
    {
        if (!TryParse(encoded, out var key))
        {
            Throw.Key(CustodyError.InvalidPublicKey, "not a valid secp256k1 public key");
        }
        return key;
    }

    /// <summary>Parses a key given in hex.</summary>
    /// <exception cref="KeyFormatException"><see cref="CustodyError.InvalidPublicKey"/>.</exception>
    public static PublicKey Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            Throw.Key(CustodyError.InvalidPublicKey, "public key is not hex");
            return null;
        }
        return Parse(bytes);
    }

    /// <summary>Parses a compressed or uncompressed key; false when the bytes are not a point on the curve.</summary>
    public static bool TryParse(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out PublicKey? key) => TryParse(encoded, allowHybrid: false, out key);

    internal static bool TryParse(ReadOnlySpan<byte> encoded, bool allowHybrid, [NotNullWhen(true)] out PublicKey? key)
    {
        key = null;
        if (encoded.Length == 0 || (!allowHybrid && encoded[0] > 4))
        {
            return false;
        }
        var point = Secp256k1.TryDecodePoint(encoded);
        if (point is null || point.IsInfinity)
        {
            return false;
        }
        key = new PublicKey(encoded.ToArray(), point);
        return true;
    }

    internal static PublicKey FromPoint(ECPoint point, bool compressed)
    {
        var normalized = point.Normalize();
        return new PublicKey(normalized.GetEncoded(compressed), normalized);
    }

    /// <summary>The 33-byte form of this key.</summary>
    public PublicKey Compress() => IsCompressed ? this : FromPoint(Point, compressed: true);

    /// <summary>The 65-byte form of this key.</summary>
    public PublicKey Decompress() => IsCompressed ? FromPoint(Point, compressed: false) : this;

    /// <summary>HASH160 of the encoded key (the P2PKH/P2WPKH key hash).</summary>
    public byte[] GetHash160() => Hashes.Hash160(_bytes);

    /// <summary>BIP-32 fingerprint style identifier: first 4 bytes of HASH160 (of the compressed form).</summary>
    public uint GetFingerprint()
    {
        var hash = Compress().GetHash160();
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(hash);
    }

    /// <summary>Verifies an ECDSA signature over a 32-byte hash. High-S signatures verify (as in consensus); check
    /// <see cref="EcdsaSignature.IsLowS"/> where policy demands low S.</summary>
    public bool Verify(ReadOnlySpan<byte> hash32, EcdsaSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (hash32.Length != 32)
        {
            Throw.Signature(CustodyError.InvalidMessageHash, "hash must be 32 bytes");
        }
        return Secp256k1.Verify(hash32, Point, signature.R, signature.S);
    }

    /// <inheritdoc/>
    public bool Equals(PublicKey? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PublicKey);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    /// <summary>Lexicographic order of the encoded bytes (BIP-67).</summary>
    public int CompareTo(PublicKey? other) => other is null ? 1 : _bytes.AsSpan().SequenceCompareTo(other._bytes);

    /// <summary>The key in hex (public data).</summary>
    public override string ToString() => ToHex();
}
