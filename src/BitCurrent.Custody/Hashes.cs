using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;

namespace BitCurrent.Custody;

/// <summary>The hash functions Bitcoin uses: SHA-256, double SHA-256, RIPEMD-160, HASH160 and HMAC-SHA512.</summary>
public static class Hashes
{
    /// <summary>SHA-256 of <paramref name="data"/>.</summary>
    public static byte[] Sha256(ReadOnlySpan<byte> data) => SHA256.HashData(data);

    /// <summary>SHA-256(SHA-256(data)), Bitcoin's HASH256 (txids, Base58Check checksums, sighashes).</summary>
    public static byte[] DoubleSha256(ReadOnlySpan<byte> data)
    {
        Span<byte> first = stackalloc byte[32];
        SHA256.HashData(data, first);
        return SHA256.HashData(first);
    }

    /// <summary>Writes SHA-256(SHA-256(data)) into <paramref name="destination"/> (32 bytes).</summary>
    public static void DoubleSha256(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Span<byte> first = stackalloc byte[32];
        SHA256.HashData(data, first);
        SHA256.HashData(first, destination);
    }

    /// <summary>RIPEMD-160 of <paramref name="data"/> (BouncyCastle; the BCL has none).</summary>
    public static byte[] Ripemd160(ReadOnlySpan<byte> data)
    {
        var digest = new RipeMD160Digest();
        digest.BlockUpdate(data);
        var output = new byte[20];
        digest.DoFinal(output, 0);
        return output;
    }

    /// <summary>RIPEMD-160(SHA-256(data)), Bitcoin's HASH160 (P2PKH, P2SH, P2WPKH, fingerprints).</summary>
    public static byte[] Hash160(ReadOnlySpan<byte> data)
    {
        Span<byte> sha = stackalloc byte[32];
        SHA256.HashData(data, sha);
        return Ripemd160(sha);
    }

    /// <summary>SHA-512 of <paramref name="data"/>.</summary>
    public static byte[] Sha512(ReadOnlySpan<byte> data) => SHA512.HashData(data);

    /// <summary>HMAC-SHA512 (BIP-32 key derivation).</summary>
    public static byte[] HmacSha512(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => HMACSHA512.HashData(key, data);

    /// <summary>HMAC-SHA256.</summary>
    public static byte[] HmacSha256(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => HMACSHA256.HashData(key, data);
}
