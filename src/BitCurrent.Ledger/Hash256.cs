using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace BitCurrent.Ledger;

/// <summary>A 32-byte SHA-256 digest, compared by value and printed as 64 lowercase hex digits.</summary>
public readonly struct Hash256 : IEquatable<Hash256>
{
    /// <summary>Size in bytes.</summary>
    public const int SizeBytes = 32;

    // The digest's bytes as four big-endian words, so that word order is byte order.
    private readonly ulong _w0;
    private readonly ulong _w1;
    private readonly ulong _w2;
    private readonly ulong _w3;

    private Hash256(ulong w0, ulong w1, ulong w2, ulong w3)
    {
        _w0 = w0;
        _w1 = w1;
        _w2 = w2;
        _w3 = w3;
    }

    /// <summary>Reads a digest from its 32 bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 32 bytes long.</exception>
    public static Hash256 Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != SizeBytes) throw new ArgumentException("A SHA-256 digest is 32 bytes.", nameof(bytes));
        return new Hash256(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));
    }

    /// <summary>SHA-256 of <paramref name="data"/>.</summary>
    public static Hash256 Compute(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[SizeBytes];
        SHA256.HashData(data, digest);
        return Read(digest);
    }

    /// <summary>Parses 64 hex digits.</summary>
    /// <exception cref="FormatException">The text is not 64 hex digits.</exception>
    public static Hash256 Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length != 2 * SizeBytes) throw new FormatException("A SHA-256 digest is 64 hex digits.");
        Span<byte> bytes = stackalloc byte[SizeBytes];
        for (var i = 0; i < SizeBytes; i++)
        {
            if (!byte.TryParse(hex.AsSpan(2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
                throw new FormatException("A SHA-256 digest is 64 hex digits.");
        }
        return Read(bytes);
    }

    /// <summary>Writes the 32 bytes into <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < SizeBytes) throw new ArgumentException("The destination needs 32 bytes.", nameof(destination));
        BinaryPrimitives.WriteUInt64BigEndian(destination, _w0);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _w1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _w2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _w3);
    }

    /// <summary>The 32 bytes as a new array.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[SizeBytes];
        Write(bytes);
        return bytes;
    }

    /// <inheritdoc/>
    public bool Equals(Hash256 other) => _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2 && _w3 == other._w3;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Hash256 other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_w0, _w1, _w2, _w3);

    /// <summary>64 lowercase hex digits.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{_w0:x16}{_w1:x16}{_w2:x16}{_w3:x16}");

    /// <summary>Equality.</summary>
    public static bool operator ==(Hash256 left, Hash256 right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Hash256 left, Hash256 right) => !left.Equals(right);
}
