using System.Buffers.Binary;
using System.Text;
using BitCurrent.Custody.Internal;
using Org.BouncyCastle.Math;

namespace BitCurrent.Custody;

/// <summary>A BIP-32 extended private key (xprv/tprv). The secret and chain code never appear in <see cref="ToString"/>.</summary>
public sealed class ExtendedPrivateKey : IDisposable
{
    private readonly byte[] _chainCode;

    internal ExtendedPrivateKey(PrivateKey key, ReadOnlySpan<byte> chainCode, byte depth, uint parentFingerprint, uint childIndex, Network network)
    {
        PrivateKey = key;
        _chainCode = chainCode.ToArray();
        Depth = depth;
        ParentFingerprint = parentFingerprint;
        ChildIndex = childIndex;
        Network = network;
    }

    /// <summary>The private key (always compressed, as BIP-32 keys are).</summary>
    public PrivateKey PrivateKey { get; }

    /// <summary>The compressed public key.</summary>
    public PublicKey PublicKey => PrivateKey.PublicKey;

    /// <summary>Depth from the master key (0 for the master).</summary>
    public byte Depth { get; }

    /// <summary>Fingerprint of the parent key (0 for the master).</summary>
    public uint ParentFingerprint { get; }

    /// <summary>Index of this key under its parent (bit 31 set when hardened).</summary>
    public uint ChildIndex { get; }

    /// <summary>Network of the serialization prefix (testnet and regtest both use tprv).</summary>
    public Network Network { get; }

    /// <summary>This key's fingerprint: first 4 bytes of HASH160 of its public key.</summary>
    public uint Fingerprint => PublicKey.GetFingerprint();

    /// <summary>The master key of a 16..64-byte seed (HMAC-SHA512 keyed "Bitcoin seed").</summary>
    /// <exception cref="KeyFormatException"><see cref="CustodyError.SeedInvalidLength"/>, or <see cref="CustodyError.InvalidPrivateKey"/> for the 2^-127 case of an invalid master key.</exception>
    public static ExtendedPrivateKey FromSeed(ReadOnlySpan<byte> seed, Network network)
    {
        if (seed.Length is < 16 or > 64)
        {
            Throw.Key(CustodyError.SeedInvalidLength, "seed must be 16 to 64 bytes");
        }
        var i = Hashes.HmacSha512("Bitcoin seed"u8, seed);
        try
        {
            return new ExtendedPrivateKey(new PrivateKey(i.AsSpan(0, 32)), i.AsSpan(32), 0, 0, 0, network);
        }
        finally
        {
            Array.Clear(i);
        }
    }

    /// <summary>The extended public key with the same position in the tree.</summary>
    public ExtendedPublicKey Neuter() => new(PublicKey, _chainCode, Depth, ParentFingerprint, ChildIndex, Network);

    /// <summary>Derives one child (index ≥ 2^31 is hardened).</summary>
    /// <exception cref="KeyFormatException"><see cref="CustodyError.DerivationInvalidChild"/> (probability 2^-127: use the next index)
    /// or <see cref="CustodyError.DerivationDepthOverflow"/>.</exception>
    public ExtendedPrivateKey Derive(uint index)
    {
        if (Depth == byte.MaxValue)
        {
            Throw.Key(CustodyError.DerivationDepthOverflow, "depth 255 reached");
        }
        Span<byte> data = stackalloc byte[37];
        if ((index & KeyPath.HardenedBit) != 0)
        {
            data[0] = 0;
            PrivateKey.Secret.CopyTo(data[1..]);
        }
        else
        {
            PublicKey.Span.CopyTo(data);
        }
        BinaryPrimitives.WriteUInt32BigEndian(data[33..], index);
        var i = Hashes.HmacSha512(_chainCode, data);
        data.Clear();
        try
        {
            var il = new BigInteger(1, i.AsSpan(0, 32));
            if (il.CompareTo(Secp256k1.N) >= 0)
            {
                Throw.Key(CustodyError.DerivationInvalidChild, "I_L >= n: skip to the next index");
            }
            var child = il.Add(PrivateKey.D).Mod(Secp256k1.N);
            if (child.SignValue == 0)
            {
                Throw.Key(CustodyError.DerivationInvalidChild, "child key is zero: skip to the next index");
            }
            Span<byte> secret = stackalloc byte[32];
            Secp256k1.WriteScalar(child, secret);
            var key = new PrivateKey(secret);
            secret.Clear();
            return new ExtendedPrivateKey(key, i.AsSpan(32), (byte)(Depth + 1), Fingerprint, index, Network);
        }
        finally
        {
            Array.Clear(i);
        }
    }

    /// <summary>Derives along a path (relative to this key).</summary>
    public ExtendedPrivateKey Derive(KeyPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var key = this;
        foreach (var index in path.Indexes)
        {
            var next = key.Derive(index);
            if (!ReferenceEquals(key, this))
            {
                key.Dispose();
            }
            key = next;
        }
        return ReferenceEquals(key, this) ? new ExtendedPrivateKey(PrivateKey.WithCompression(true), _chainCode, Depth, ParentFingerprint, ChildIndex, Network) : key;
    }

    /// <summary>Derives along a path string such as "m/84'/0'/0'/0/5" (relative to this key).</summary>
    public ExtendedPrivateKey Derive(string path) => Derive(KeyPath.Parse(path));

    /// <summary>The 78-byte BIP-32 serialization in Base58Check (xprv/tprv). This is the secret: handle it as such.</summary>
    public string ToBase58()
    {
        var payload = new byte[78];
        BinaryPrimitives.WriteUInt32BigEndian(payload, NetworkParameters.ExtendedPrivateVersion(Network));
        payload[4] = Depth;
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(5), ParentFingerprint);
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(9), ChildIndex);
        _chainCode.CopyTo(payload, 13);
        payload[45] = 0;
        PrivateKey.Secret.CopyTo(payload.AsSpan(46));
        var text = Base58.EncodeCheck(payload);
        Array.Clear(payload);
        return text;
    }

    /// <summary>Parses an xprv/tprv for <paramref name="network"/>.</summary>
    /// <exception cref="KeyFormatException">The specific BIP-32 reason (see <see cref="ExtendedKey.TryParse"/>).</exception>
    public static ExtendedPrivateKey Parse(string text, Network network)
    {
        var error = ExtendedKey.TryParse(text, network, out var privateKey, out var publicKey);
        if (error == CustodyError.None && privateKey is null)
        {
            error = CustodyError.ExtendedKeyPrivateVersionPublicData;
        }
        if (error != CustodyError.None)
        {
            ExtendedKey.ThrowFor(error);
        }
        return privateKey!;
    }

    /// <summary>Zeroes the private key and chain code.</summary>
    public void Dispose()
    {
        PrivateKey.Dispose();
        Array.Clear(_chainCode);
    }

    /// <summary>Public information only.</summary>
    public override string ToString() => $"ExtendedPrivateKey(depth {Depth}, fingerprint {Fingerprint:x8}, {Network})";
}

/// <summary>A BIP-32 extended public key (xpub/tpub).</summary>
public sealed class ExtendedPublicKey : IEquatable<ExtendedPublicKey>
{
    private readonly byte[] _chainCode;

    internal ExtendedPublicKey(PublicKey key, ReadOnlySpan<byte> chainCode, byte depth, uint parentFingerprint, uint childIndex, Network network)
    {
        PublicKey = key;
        _chainCode = chainCode.ToArray();
        Depth = depth;
        ParentFingerprint = parentFingerprint;
        ChildIndex = childIndex;
        Network = network;
    }

    /// <summary>The compressed public key.</summary>
    public PublicKey PublicKey { get; }

    /// <summary>The chain code (32 bytes).</summary>
    public ReadOnlySpan<byte> ChainCode => _chainCode;

    /// <summary>Depth from the master key.</summary>
    public byte Depth { get; }

    /// <summary>Fingerprint of the parent key.</summary>
    public uint ParentFingerprint { get; }

    /// <summary>Index under the parent.</summary>
    public uint ChildIndex { get; }

    /// <summary>Network of the serialization prefix.</summary>
    public Network Network { get; }

    /// <summary>This key's fingerprint.</summary>
    public uint Fingerprint => PublicKey.GetFingerprint();

    /// <summary>Derives a non-hardened child.</summary>
    /// <exception cref="KeyFormatException"><see cref="CustodyError.HardenedDerivationFromPublicKey"/>, <see cref="CustodyError.DerivationInvalidChild"/> or <see cref="CustodyError.DerivationDepthOverflow"/>.</exception>
    public ExtendedPublicKey Derive(uint index)
    {
        if ((index & KeyPath.HardenedBit) != 0)
        {
            Throw.Key(CustodyError.HardenedDerivationFromPublicKey, "hardened derivation needs the private key");
        }
        if (Depth == byte.MaxValue)
        {
            Throw.Key(CustodyError.DerivationDepthOverflow, "depth 255 reached");
        }
        Span<byte> data = stackalloc byte[37];
        PublicKey.Span.CopyTo(data);
        BinaryPrimitives.WriteUInt32BigEndian(data[33..], index);
        var i = Hashes.HmacSha512(_chainCode, data);
        var il = new BigInteger(1, i.AsSpan(0, 32));
        if (il.CompareTo(Secp256k1.N) >= 0)
        {
            Throw.Key(CustodyError.DerivationInvalidChild, "I_L >= n: skip to the next index");
        }
        var point = Secp256k1.MultiplyG(il).Add(PublicKey.Point).Normalize();
        if (point.IsInfinity)
        {
            Throw.Key(CustodyError.DerivationInvalidChild, "child is the point at infinity: skip to the next index");
        }
        return new ExtendedPublicKey(PublicKey.FromPoint(point, compressed: true), i.AsSpan(32), (byte)(Depth + 1), Fingerprint, index, Network);
    }

    /// <summary>Derives along a path of non-hardened indexes.</summary>
    public ExtendedPublicKey Derive(KeyPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var key = this;
        foreach (var index in path.Indexes)
        {
            key = key.Derive(index);
        }
        return key;
    }

    /// <summary>Derives along a path string such as "m/0/5".</summary>
    public ExtendedPublicKey Derive(string path) => Derive(KeyPath.Parse(path));

    /// <summary>The 78 serialized bytes (version, depth, parent fingerprint, index, chain code, key), as used in PSBT_GLOBAL_XPUB.</summary>
    public byte[] ToBytes()
    {
        var payload = new byte[78];
        BinaryPrimitives.WriteUInt32BigEndian(payload, NetworkParameters.ExtendedPublicVersion(Network));
        payload[4] = Depth;
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(5), ParentFingerprint);
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(9), ChildIndex);
        _chainCode.CopyTo(payload, 13);
        PublicKey.Span.CopyTo(payload.AsSpan(45));
        return payload;
    }

    /// <summary>Base58Check serialization (xpub/tpub).</summary>
    public string ToBase58() => Base58.EncodeCheck(ToBytes());

    /// <summary>The xpub/tpub text.</summary>
    public override string ToString() => ToBase58();

    /// <summary>Parses an xpub/tpub for <paramref name="network"/>.</summary>
    /// <exception cref="KeyFormatException">The specific BIP-32 reason (see <see cref="ExtendedKey.TryParse"/>).</exception>
    public static ExtendedPublicKey Parse(string text, Network network)
    {
        var error = ExtendedKey.TryParse(text, network, out _, out var publicKey);
        if (error == CustodyError.None && publicKey is null)
        {
            error = CustodyError.ExtendedKeyPublicVersionPrivateData;
        }
        if (error != CustodyError.None)
        {
            ExtendedKey.ThrowFor(error);
        }
        return publicKey!;
    }

    /// <inheritdoc/>
    public bool Equals(ExtendedPublicKey? other) => other is not null && ToBytes().AsSpan().SequenceEqual(other.ToBytes());

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ExtendedPublicKey);

    /// <inheritdoc/>
    public override int GetHashCode() => PublicKey.GetHashCode();
}

/// <summary>Decoding of serialized BIP-32 keys with a specific reason for every invalid form.</summary>
public static class ExtendedKey
{
    /// <summary>Decodes an xprv/xpub/tprv/tpub. Exactly one of the outputs is set on success.</summary>
    /// <returns><see cref="CustodyError.None"/>, a Base58 reason (bad character or checksum), or one of
    /// <see cref="CustodyError.ExtendedKeyInvalidLength"/>, <see cref="CustodyError.ExtendedKeyUnknownVersion"/>, <see cref="CustodyError.KeyWrongNetwork"/>,
    /// <see cref="CustodyError.ExtendedKeyPublicVersionPrivateData"/>, <see cref="CustodyError.ExtendedKeyPrivateVersionPublicData"/>,
    /// <see cref="CustodyError.ExtendedKeyInvalidPrivatePrefix"/>, <see cref="CustodyError.InvalidPublicKey"/>,
    /// <see cref="CustodyError.ExtendedKeyZeroDepthWithParentFingerprint"/>, <see cref="CustodyError.ExtendedKeyZeroDepthWithIndex"/>,
    /// <see cref="CustodyError.InvalidPrivateKey"/>.</returns>
    public static CustodyError TryParse(string text, Network network, out ExtendedPrivateKey? privateKey, out ExtendedPublicKey? publicKey)
    {
        privateKey = null;
        publicKey = null;
        var error = Base58.TryDecodeCheck(text, out var payload);
        if (error != CustodyError.None)
        {
            return error;
        }
        try
        {
            return Decode(payload, network, out privateKey, out publicKey);
        }
        finally
        {
            Array.Clear(payload);
        }
    }

    /// <summary>Decodes the raw 78-byte serialization (as in PSBT_GLOBAL_XPUB keys).</summary>
    public static CustodyError Decode(ReadOnlySpan<byte> payload, Network network, out ExtendedPrivateKey? privateKey, out ExtendedPublicKey? publicKey)
    {
        privateKey = null;
        publicKey = null;
        if (payload.Length != 78)
        {
            return CustodyError.ExtendedKeyInvalidLength;
        }
        var version = BinaryPrimitives.ReadUInt32BigEndian(payload);
        bool isPrivate;
        if (version == NetworkParameters.ExtendedPrivateVersion(network))
        {
            isPrivate = true;
        }
        else if (version == NetworkParameters.ExtendedPublicVersion(network))
        {
            isPrivate = false;
        }
        else
        {
            return version is 0x0488B21E or 0x0488ADE4 or 0x043587CF or 0x04358394 ? CustodyError.KeyWrongNetwork : CustodyError.ExtendedKeyUnknownVersion;
        }
        var depth = payload[4];
        var parent = BinaryPrimitives.ReadUInt32BigEndian(payload[5..]);
        var index = BinaryPrimitives.ReadUInt32BigEndian(payload[9..]);
        var chainCode = payload.Slice(13, 32);
        var keyData = payload.Slice(45, 33);
        if (isPrivate && keyData[0] != 0)
        {
            return keyData[0] is 2 or 3 ? CustodyError.ExtendedKeyPrivateVersionPublicData : CustodyError.ExtendedKeyInvalidPrivatePrefix;
        }
        PublicKey? pub = null;
        if (!isPrivate)
        {
            if (keyData[0] == 0)
            {
                return CustodyError.ExtendedKeyPublicVersionPrivateData;
            }
            if (keyData[0] is not (2 or 3) || !PublicKey.TryParse(keyData, out pub))
            {
                return CustodyError.InvalidPublicKey;
            }
        }
        if (depth == 0 && parent != 0)
        {
            return CustodyError.ExtendedKeyZeroDepthWithParentFingerprint;
        }
        if (depth == 0 && index != 0)
        {
            return CustodyError.ExtendedKeyZeroDepthWithIndex;
        }
        if (isPrivate)
        {
            if (!Secp256k1.IsValidScalar(new BigInteger(1, keyData[1..])))
            {
                return CustodyError.InvalidPrivateKey;
            }
            privateKey = new ExtendedPrivateKey(new PrivateKey(keyData[1..]), chainCode, depth, parent, index, network);
        }
        else
        {
            publicKey = new ExtendedPublicKey(pub!, chainCode, depth, parent, index, network);
        }
        return CustodyError.None;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    internal static void ThrowFor(CustodyError error)
    {
        if (error is CustodyError.Base58ChecksumMismatch or CustodyError.Base58InvalidCharacter or CustodyError.Base58InvalidLength)
        {
            Throw.Encoding(error, "extended key is not valid Base58Check");
        }
        Throw.Key(error, new StringBuilder("invalid extended key: ").Append(error).ToString());
    }
}
