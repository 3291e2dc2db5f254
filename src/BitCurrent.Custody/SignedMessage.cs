using System.Text;
using BitCurrent.Custody.Internal;
using Org.BouncyCastle.Math;

namespace BitCurrent.Custody;

/// <summary>Which address type a compact message signature claims (BIP-137 header ranges).</summary>
public enum MessageSignatureType
{
    /// <summary>Header 27..30: P2PKH with an uncompressed key.</summary>
    P2pkhUncompressed = 27,
    /// <summary>Header 31..34: P2PKH with a compressed key (what Bitcoin Core's signmessage produces).</summary>
    P2pkhCompressed = 31,
    /// <summary>Header 35..38: P2SH-P2WPKH.</summary>
    P2shP2wpkh = 35,
    /// <summary>Header 39..42: native P2WPKH.</summary>
    P2wpkh = 39,
}

/// <summary>Bitcoin "Signed Message" compact recoverable signatures (Bitcoin Core's signmessage/verifymessage, BIP-137 headers),
/// used for proof of ownership of custody addresses.</summary>
public static class SignedMessage
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("Bitcoin Signed Message:\n");

    /// <summary>double-SHA-256(varstr(magic) ‖ varstr(UTF-8 message)).</summary>
    public static byte[] Hash(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = Encoding.UTF8.GetBytes(message);
        var w = new ByteWriter(Magic.Length + body.Length + 10);
        w.WriteVarBytes(Magic);
        w.WriteVarBytes(body);
        return Hashes.DoubleSha256(w.WrittenSpan);
    }

    /// <summary>Signs a message: 65 bytes (header, r, s), base64. Deterministic (RFC 6979), low-S.</summary>
    /// <param name="key">The key of the address.</param>
    /// <param name="message">The text.</param>
    /// <param name="type">Header family; defaults to P2PKH matching the key's compression. Segwit types need a compressed key.</param>
    public static string Sign(PrivateKey key, string message, MessageSignatureType? type = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var kind = type ?? (key.IsCompressed ? MessageSignatureType.P2pkhCompressed : MessageSignatureType.P2pkhUncompressed);
        if (kind != MessageSignatureType.P2pkhUncompressed && !key.IsCompressed)
        {
            Throw.Key(CustodyError.InvalidPublicKey, "this signature type needs a compressed key");
        }
        if (kind == MessageSignatureType.P2pkhUncompressed && key.IsCompressed)
        {
            Throw.Key(CustodyError.InvalidPublicKey, "uncompressed header for a compressed key");
        }
        var (signature, recoveryId) = key.SignRecoverable(Hash(message));
        var compact = new byte[65];
        compact[0] = (byte)((int)kind + recoveryId);
        signature.ToCompact().CopyTo(compact, 1);
        return Convert.ToBase64String(compact);
    }

    /// <summary>Recovers the public key that made <paramref name="signatureBase64"/> over <paramref name="message"/>.</summary>
    /// <exception cref="SignatureFormatException"><see cref="CustodyError.SignatureInvalidCompact"/> or <see cref="CustodyError.SignatureRecoveryFailed"/>.</exception>
    public static PublicKey RecoverPublicKey(string message, string signatureBase64, out MessageSignatureType type)
    {
        ArgumentNullException.ThrowIfNull(signatureBase64);
        byte[] compact;
        try
        {
            compact = Convert.FromBase64String(signatureBase64);
        }
        catch (FormatException)
        {
            Throw.Signature(CustodyError.SignatureInvalidCompact, "signature is not base64");
            type = default;
            return null;
        }
        if (compact.Length != 65 || compact[0] is < 27 or > 42)
        {
            Throw.Signature(CustodyError.SignatureInvalidCompact, "compact signature must be 65 bytes with header 27..42");
        }
        var header = compact[0];
        type = header switch
        {
            < 31 => MessageSignatureType.P2pkhUncompressed,
            < 35 => MessageSignatureType.P2pkhCompressed,
            < 39 => MessageSignatureType.P2shP2wpkh,
            _ => MessageSignatureType.P2wpkh,
        };
        var recoveryId = header - (int)type;
        var r = new BigInteger(1, compact.AsSpan(1, 32));
        var s = new BigInteger(1, compact.AsSpan(33, 32));
        var point = Secp256k1.Recover(Hash(message), r, s, recoveryId);
        if (point is null)
        {
            Throw.Signature(CustodyError.SignatureRecoveryFailed, "no public key matches this signature");
        }
        return PublicKey.FromPoint(point, compressed: type != MessageSignatureType.P2pkhUncompressed);
    }

    /// <summary>True when the signature recovers to a key whose address of the same type is <paramref name="address"/>.
    /// P2PKH addresses use the header's compression flag; P2WPKH and P2SH-P2WPKH addresses need a compressed key.
    /// Malformed signatures return false.</summary>
    public static bool Verify(BitcoinAddress address, string message, string signatureBase64)
    {
        ArgumentNullException.ThrowIfNull(address);
        PublicKey key;
        MessageSignatureType type;
        try
        {
            key = RecoverPublicKey(message, signatureBase64, out type);
        }
        catch (SignatureFormatException)
        {
            return false;
        }
        var expected = address.Type switch
        {
            AddressType.P2pkh => Script.P2pkh(key),
            AddressType.P2wpkh when key.IsCompressed => Script.P2wpkh(key),
            AddressType.P2sh when key.IsCompressed => Script.P2sh(Script.P2wpkh(key)),
            _ => null,
        };
        _ = type;
        return expected is not null && expected.Equals(address.ScriptPubKey);
    }
}
