using System.Security.Cryptography;
using BitCurrent.Custody.Internal;
using Org.BouncyCastle.Math;

namespace BitCurrent.Custody;

/// <summary>A secp256k1 private key (32 bytes in 1..n-1) with the compression flag of the public key it stands for.</summary>
/// <remarks>The secret never appears in <see cref="ToString"/> or in exception messages. <see cref="Dispose"/> zeroes the buffer
/// (BouncyCastle's immutable BigInteger copies cannot be wiped; they live only during a signing call).</remarks>
public sealed class PrivateKey : IDisposable
{
    private readonly byte[] _secret = new byte[32];
    private PublicKey? _publicKey;
    private bool _disposed;

    /// <summary>Creates a key from 32 big-endian bytes.</summary>
    /// <exception cref="KeyFormatException"><see cref="CustodyError.InvalidPrivateKey"/> when not 32 bytes or not in 1..n-1.</exception>
    public PrivateKey(ReadOnlySpan<byte> secret32, bool compressed = true)
    {
        if (secret32.Length != 32 || !Secp256k1.IsValidScalar(new BigInteger(1, secret32)))
        {
            Throw.Key(CustodyError.InvalidPrivateKey, "private key must be 32 bytes in 1..n-1");
        }
        secret32.CopyTo(_secret);
        IsCompressed = compressed;
    }

    /// <summary>A new random key from the OS CSPRNG.</summary>
    public static PrivateKey Generate(bool compressed = true) => Generate(RandomNumberGenerator.Fill, compressed);

    /// <summary>A new key from an injected source of 32 random bytes (retried until the bytes are in range).</summary>
    public static PrivateKey Generate(Action<Span<byte>> fillRandom, bool compressed = true)
    {
        ArgumentNullException.ThrowIfNull(fillRandom);
        Span<byte> buffer = stackalloc byte[32];
        try
        {
            while (true)
            {
                fillRandom(buffer);
                if (Secp256k1.IsValidScalar(new BigInteger(1, buffer)))
                {
                    return new PrivateKey(buffer, compressed);
                }
            }
        }
        finally
        {
            buffer.Clear();
        }
    }

    /// <summary>Whether the matching public key (and so addresses and WIF) use the compressed form.</summary>
    public bool IsCompressed { get; }

    /// <summary>The public key (compressed or not per <see cref="IsCompressed"/>).</summary>
    public PublicKey PublicKey => _publicKey ??= PublicKey.FromPoint(Secp256k1.MultiplyG(D), IsCompressed);

    internal BigInteger D
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return new BigInteger(1, _secret);
        }
    }

    internal ReadOnlySpan<byte> Secret
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _secret;
        }
    }

    /// <summary>Copies the 32 secret bytes into <paramref name="destination"/> (for backup or HSM export; the caller wipes it).</summary>
    public void CopySecretTo(Span<byte> destination) => Secret.CopyTo(destination);

    /// <summary>The same secret with another compression flag.</summary>
    public PrivateKey WithCompression(bool compressed) => new(Secret, compressed);

    /// <summary>Signs a 32-byte hash: RFC 6979 deterministic nonce (HMAC-SHA256), result always low-S.</summary>
    /// <param name="hash32">The message hash (a sighash, or a signed-message hash).</param>
    /// <param name="grindLowR">Retry with Bitcoin Core's extra-entropy counter until r &lt; 2^255 (71-byte DER), as Core's wallet does.</param>
    public EcdsaSignature Sign(ReadOnlySpan<byte> hash32, bool grindLowR = false)
    {
        if (hash32.Length != 32)
        {
            Throw.Signature(CustodyError.InvalidMessageHash, "hash must be 32 bytes");
        }
        var d = D;
        var (r, s, _) = Secp256k1.Sign(hash32, d, []);
        Span<byte> extra = stackalloc byte[32];
        uint counter = 0;
        while (grindLowR && r.TestBit(255))
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(extra, ++counter);
            (r, s, _) = Secp256k1.Sign(hash32, d, extra);
        }
        return new EcdsaSignature(r, s);
    }

    internal (EcdsaSignature Signature, int RecoveryId) SignRecoverable(ReadOnlySpan<byte> hash32)
    {
        var (r, s, recId) = Secp256k1.Sign(hash32, D, []);
        return (new EcdsaSignature(r, s), recId);
    }

    /// <summary>Wallet Import Format for <paramref name="network"/> (with the 0x01 suffix when compressed).</summary>
    public string ToWif(Network network)
    {
        Span<byte> payload = stackalloc byte[34];
        payload[0] = NetworkParameters.WifVersion(network);
        Secret.CopyTo(payload[1..]);
        payload[33] = 1;
        var text = Base58.EncodeCheck(IsCompressed ? payload : payload[..33]);
        payload.Clear();
        return text;
    }

    /// <summary>Parses a WIF key that must belong to <paramref name="network"/> (testnet and regtest share their prefix).</summary>
    /// <exception cref="KeyFormatException"><see cref="CustodyError.InvalidWif"/>, <see cref="CustodyError.KeyWrongNetwork"/> or <see cref="CustodyError.InvalidPrivateKey"/>.</exception>
    /// <exception cref="EncodingFormatException">Bad Base58 or checksum.</exception>
    public static PrivateKey FromWif(string wif, Network network)
    {
        var error = TryFromWif(wif, network, out var key);
        if (error != CustodyError.None)
        {
            if (error is CustodyError.Base58ChecksumMismatch or CustodyError.Base58InvalidCharacter or CustodyError.Base58InvalidLength)
            {
                Throw.Encoding(error, "WIF is not valid Base58Check");
            }
            Throw.Key(error, error == CustodyError.KeyWrongNetwork ? $"WIF key is not for {network}" : "not a valid WIF private key");
        }
        return key!;
    }

    /// <summary>Parses a WIF key, returning the reason instead of throwing.</summary>
    public static CustodyError TryFromWif(string wif, Network network, out PrivateKey? key)
    {
        key = null;
        var error = Base58.TryDecodeCheck(wif, out var payload);
        if (error != CustodyError.None)
        {
            return error;
        }
        try
        {
            if (payload.Length is not (33 or 34) || (payload.Length == 34 && payload[33] != 1))
            {
                return CustodyError.InvalidWif;
            }
            if (payload[0] != NetworkParameters.WifVersion(network))
            {
                return payload[0] is 0x80 or 0xef ? CustodyError.KeyWrongNetwork : CustodyError.InvalidWif;
            }
            if (!Secp256k1.IsValidScalar(new BigInteger(1, payload.AsSpan(1, 32))))
            {
                return CustodyError.InvalidPrivateKey;
            }
            key = new PrivateKey(payload.AsSpan(1, 32), payload.Length == 34);
            return CustodyError.None;
        }
        finally
        {
            Array.Clear(payload);
        }
    }

    /// <summary>Zeroes the secret.</summary>
    public void Dispose()
    {
        Array.Clear(_secret);
        _disposed = true;
    }

    /// <summary>Never shows the secret.</summary>
    public override string ToString() => _disposed ? "PrivateKey(disposed)" : $"PrivateKey(pub {PublicKey.ToHex()})";
}
