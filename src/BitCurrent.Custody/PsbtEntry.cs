namespace BitCurrent.Custody;

/// <summary>A raw PSBT key-value pair; the key starts with its type (CompactSize).</summary>
public readonly struct PsbtEntry : IEquatable<PsbtEntry>
{
    private readonly byte[] _key;
    private readonly byte[] _value;

    /// <summary>Creates an entry (the arrays are not copied).</summary>
    public PsbtEntry(byte[] key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        _key = key;
        _value = value;
    }

    /// <summary>The key: type then key data.</summary>
    public ReadOnlySpan<byte> KeySpan => _key;

    /// <summary>The value.</summary>
    public ReadOnlySpan<byte> ValueSpan => _value;

    internal byte[] KeyArray => _key;

    internal byte[] ValueArray => _value;

    /// <summary>The key type.</summary>
    public ulong Type => Internal.PsbtMap.TypeOf(_key);

    /// <inheritdoc/>
    public bool Equals(PsbtEntry other) => KeySpan.SequenceEqual(other.KeySpan) && ValueSpan.SequenceEqual(other.ValueSpan);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is PsbtEntry other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _key.Length ^ (_value.Length << 16);

    /// <summary>Equality.</summary>
    public static bool operator ==(PsbtEntry left, PsbtEntry right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(PsbtEntry left, PsbtEntry right) => !left.Equals(right);
}
