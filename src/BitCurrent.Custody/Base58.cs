namespace BitCurrent.Custody;

/// <summary>Base58 and Base58Check (legacy addresses, WIF, extended keys).</summary>
public static class Base58
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /// <summary>Encodes bytes as Base58 (leading zero bytes become '1').</summary>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        var zeros = 0;
        while (zeros < data.Length && data[zeros] == 0)
        {
            zeros++;
        }
        // log(256)/log(58) ≈ 1.366: one output digit per 0.73 input bytes.
        var size = ((data.Length - zeros) * 138 / 100) + 1;
        var digits = new byte[size];
        var length = 0;
        for (var i = zeros; i < data.Length; i++)
        {
            int carry = data[i];
            var j = 0;
            for (var k = size - 1; (carry != 0 || j < length) && k >= 0; k--, j++)
            {
                carry += 256 * digits[k];
                digits[k] = (byte)(carry % 58);
                carry /= 58;
            }
            length = j;
        }
        // The digits are exactly the last `length` entries: the most significant one is never zero, because the first
        // byte after the leading zeros is non-zero and each pass only goes past the old length while the carry is non-zero.
        var start = size - length;
        var chars = new char[zeros + length];
        for (var i = 0; i < zeros; i++)
        {
            chars[i] = '1';
        }
        for (var i = start; i < size; i++)
        {
            chars[zeros + i - start] = Alphabet[digits[i]];
        }
        return new string(chars);
    }

    /// <summary>Decodes Base58 text; leading and trailing ASCII whitespace is ignored as Bitcoin Core does.</summary>
    /// <exception cref="EncodingFormatException">A character outside the alphabet (<see cref="CustodyError.Base58InvalidCharacter"/>).</exception>
    public static byte[] Decode(string text)
    {
        if (!TryDecode(text, out var result))
        {
            Throw.Encoding(CustodyError.Base58InvalidCharacter, "Base58 text contains a character outside the alphabet");
        }
        return result;
    }

    /// <summary>Decodes Base58 text; false for any character outside the alphabet (inner whitespace included).</summary>
    public static bool TryDecode(string text, out byte[] result)
    {
        ArgumentNullException.ThrowIfNull(text);
        result = [];
        var span = text.AsSpan().Trim(" \t\n\v\f\r");
        var zeros = 0;
        while (zeros < span.Length && span[zeros] == '1')
        {
            zeros++;
        }
        // log(58)/log(256) ≈ 0.733
        var size = ((span.Length - zeros) * 733 / 1000) + 1;
        var bytes = new byte[size];
        var length = 0;
        for (var i = zeros; i < span.Length; i++)
        {
            var carry = Alphabet.IndexOf(span[i], StringComparison.Ordinal);
            if (carry < 0)
            {
                return false;
            }
            var j = 0;
            for (var k = size - 1; (carry != 0 || j < length) && k >= 0; k--, j++)
            {
                carry += 58 * bytes[k];
                bytes[k] = (byte)(carry & 0xff);
                carry >>= 8;
            }
            length = j;
        }
        // As in Encode, the most significant byte written is never zero (the first digit after the leading '1's is not).
        result = new byte[zeros + length];
        bytes.AsSpan(size - length).CopyTo(result.AsSpan(zeros));
        return true;
    }

    /// <summary>Base58Check: payload followed by the first 4 bytes of its double SHA-256.</summary>
    public static string EncodeCheck(ReadOnlySpan<byte> payload)
    {
        var buffer = new byte[payload.Length + 4];
        payload.CopyTo(buffer);
        Span<byte> hash = stackalloc byte[32];
        Hashes.DoubleSha256(payload, hash);
        hash[..4].CopyTo(buffer.AsSpan(payload.Length));
        var text = Encode(buffer);
        Array.Clear(buffer);
        return text;
    }

    /// <summary>Decodes Base58Check and returns the payload without its checksum.</summary>
    /// <exception cref="EncodingFormatException">Bad character, too short, or checksum mismatch.</exception>
    public static byte[] DecodeCheck(string text)
    {
        var error = TryDecodeCheck(text, out var payload);
        if (error != CustodyError.None)
        {
            Throw.Encoding(error, error == CustodyError.Base58ChecksumMismatch ? "Base58Check checksum mismatch" : "not valid Base58Check text");
        }
        return payload;
    }

    /// <summary>Decodes Base58Check, returning the reason instead of throwing.</summary>
    public static CustodyError TryDecodeCheck(string text, out byte[] payload)
    {
        payload = [];
        if (!TryDecode(text, out var raw))
        {
            return CustodyError.Base58InvalidCharacter;
        }
        if (raw.Length < 4)
        {
            return CustodyError.Base58InvalidLength;
        }
        Span<byte> hash = stackalloc byte[32];
        Hashes.DoubleSha256(raw.AsSpan(0, raw.Length - 4), hash);
        if (!hash[..4].SequenceEqual(raw.AsSpan(raw.Length - 4)))
        {
            Array.Clear(raw);
            return CustodyError.Base58ChecksumMismatch;
        }
        payload = raw[..^4];
        Array.Clear(raw);
        return CustodyError.None;
    }
}
