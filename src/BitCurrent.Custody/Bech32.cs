namespace BitCurrent.Custody;

/// <summary>The two checksum constants of BIP-173 (bech32) and BIP-350 (bech32m).</summary>
public enum Bech32Variant
{
    /// <summary>BIP-173 bech32 (constant 1): segwit v0 addresses.</summary>
    Bech32 = 1,
    /// <summary>BIP-350 bech32m (constant 0x2bc830a3): segwit v1+ addresses.</summary>
    Bech32m = 2,
}

/// <summary>A decoded bech32/bech32m string: lower-case HRP, 5-bit data values (checksum removed) and the checksum variant.</summary>
/// <param name="Hrp">Human-readable part, lower case.</param>
/// <param name="Data">Data part as 5-bit values, without the checksum.</param>
/// <param name="Variant">Which checksum constant matched.</param>
public sealed record Bech32Decoded(string Hrp, byte[] Data, Bech32Variant Variant);

/// <summary>Bech32 and bech32m encoding (BIP-173, BIP-350), limited to 90 characters.</summary>
public static class Bech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private const uint Bech32mConstant = 0x2bc830a3;
    /// <summary>Maximum length of a bech32 string (BIP-173).</summary>
    public const int LengthMax = 90;

    private static uint PolyMod(ReadOnlySpan<byte> values, uint chk)
    {
        foreach (var v in values)
        {
            var top = chk >> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ v;
            if ((top & 1) != 0) chk ^= 0x3b6a57b2;
            if ((top & 2) != 0) chk ^= 0x26508e6d;
            if ((top & 4) != 0) chk ^= 0x1ea119fa;
            if ((top & 8) != 0) chk ^= 0x3d4233dd;
            if ((top & 16) != 0) chk ^= 0x2a1462b3;
        }
        return chk;
    }

    private static uint HrpPolyMod(string hrp)
    {
        var expanded = new byte[(hrp.Length * 2) + 1];
        for (var i = 0; i < hrp.Length; i++)
        {
            expanded[i] = (byte)(hrp[i] >> 5);
            expanded[hrp.Length + 1 + i] = (byte)(hrp[i] & 31);
        }
        return PolyMod(expanded, 1);
    }

    /// <summary>Encodes an HRP and 5-bit data with the checksum of <paramref name="variant"/>; the output is lower case.</summary>
    /// <exception cref="EncodingFormatException">Bad HRP, a data value above 31, or a result longer than 90 characters.</exception>
    public static string Encode(string hrp, ReadOnlySpan<byte> data, Bech32Variant variant)
    {
        ArgumentNullException.ThrowIfNull(hrp);
        if (hrp.Length == 0 || hrp.Length > 83)
        {
            Throw.Encoding(CustodyError.Bech32InvalidHrp, "HRP must be 1..83 characters");
        }
        foreach (var c in hrp)
        {
            if (c < 33 || c > 126 || char.IsAsciiLetterUpper(c))
            {
                Throw.Encoding(CustodyError.Bech32InvalidCharacter, "HRP must be lower-case printable ASCII");
            }
        }
        if (hrp.Length + 1 + data.Length + 6 > LengthMax)
        {
            Throw.Encoding(CustodyError.Bech32InvalidLength, "bech32 string would exceed 90 characters");
        }
        foreach (var v in data)
        {
            if (v > 31)
            {
                Throw.Encoding(CustodyError.Bech32InvalidCharacter, "data values must be 5-bit");
            }
        }
        var chk = PolyMod(data, HrpPolyMod(hrp));
        chk = PolyMod([0, 0, 0, 0, 0, 0], chk);
        chk ^= variant == Bech32Variant.Bech32 ? 1u : Bech32mConstant;
        var chars = new char[hrp.Length + 1 + data.Length + 6];
        hrp.CopyTo(chars);
        chars[hrp.Length] = '1';
        for (var i = 0; i < data.Length; i++)
        {
            chars[hrp.Length + 1 + i] = Charset[data[i]];
        }
        for (var i = 0; i < 6; i++)
        {
            chars[hrp.Length + 1 + data.Length + i] = Charset[(int)((chk >> (5 * (5 - i))) & 31)];
        }
        return new string(chars);
    }

    /// <summary>Decodes a bech32 or bech32m string.</summary>
    /// <exception cref="EncodingFormatException">With the reason of the first check that failed.</exception>
    public static Bech32Decoded Decode(string text)
    {
        var error = TryDecode(text, out var decoded);
        if (error != CustodyError.None)
        {
            Throw.Encoding(error, "not a valid bech32/bech32m string");
        }
        return decoded!;
    }

    /// <summary>Decodes a bech32 or bech32m string, returning the reason instead of throwing.</summary>
    public static CustodyError TryDecode(string text, out Bech32Decoded? decoded)
    {
        ArgumentNullException.ThrowIfNull(text);
        decoded = null;
        bool lower = false, upper = false;
        foreach (var c in text)
        {
            if (c < 33 || c > 126)
            {
                return CustodyError.Bech32InvalidCharacter;
            }
            if (char.IsAsciiLetterLower(c)) lower = true;
            if (char.IsAsciiLetterUpper(c)) upper = true;
        }
        if (lower && upper)
        {
            return CustodyError.Bech32MixedCase;
        }
        if (text.Length > LengthMax)
        {
            return CustodyError.Bech32InvalidLength;
        }
        var separator = text.LastIndexOf('1');
        if (separator < 0)
        {
            return CustodyError.Bech32MissingSeparator;
        }
        if (separator == 0)
        {
            return CustodyError.Bech32InvalidHrp;
        }
        if (text.Length - separator - 1 < 6)
        {
            return CustodyError.Bech32InvalidLength;
        }
        var hrp = text[..separator].ToLowerInvariant();
        var values = new byte[text.Length - separator - 1];
        for (var i = 0; i < values.Length; i++)
        {
            // Upper case is allowed here (the whole string was checked not to mix cases above).
            var v = Charset.IndexOf(char.ToLowerInvariant(text[separator + 1 + i]), StringComparison.Ordinal);
            if (v < 0)
            {
                return CustodyError.Bech32InvalidCharacter;
            }
            values[i] = (byte)v;
        }
        var chk = PolyMod(values, HrpPolyMod(hrp));
        Bech32Variant variant;
        if (chk == 1)
        {
            variant = Bech32Variant.Bech32;
        }
        else if (chk == Bech32mConstant)
        {
            variant = Bech32Variant.Bech32m;
        }
        else
        {
            return CustodyError.Bech32ChecksumMismatch;
        }
        decoded = new Bech32Decoded(hrp, values[..^6], variant);
        return CustodyError.None;
    }

    /// <summary>Regroups bits (8→5 for encoding with <paramref name="pad"/> true, 5→8 for decoding with it false).</summary>
    /// <returns>Null when the input has values out of range or, without padding, non-zero or excess padding bits.</returns>
    public static byte[]? ConvertBits(ReadOnlySpan<byte> data, int fromBits, int toBits, bool pad)
    {
        var acc = 0;
        var bits = 0;
        var maxv = (1 << toBits) - 1;
        var result = new List<byte>((data.Length * fromBits / toBits) + 1);
        foreach (var value in data)
        {
            if ((value >> fromBits) != 0)
            {
                return null;
            }
            acc = ((acc << fromBits) | value) & ((1 << (fromBits + toBits - 1)) - 1);
            bits += fromBits;
            while (bits >= toBits)
            {
                bits -= toBits;
                result.Add((byte)((acc >> bits) & maxv));
            }
        }
        if (pad)
        {
            if (bits > 0)
            {
                result.Add((byte)((acc << (toBits - bits)) & maxv));
            }
        }
        else if (bits >= fromBits || ((acc << (toBits - bits)) & maxv) != 0)
        {
            return null;
        }
        return [.. result];
    }
}
