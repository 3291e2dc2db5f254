namespace BitCurrent.Custody;

/// <summary>The BIP-380 output descriptor checksum: 8 characters after '#', a BCH code over the descriptor's characters.</summary>
public static class DescriptorChecksum
{
    private const string InputCharset = "0123456789()[],'/*abcdefgh@:$%{}IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~ijklmnopqrstuvwxyzABCDEFGH`#\"\\ ";
    private const string ChecksumCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static readonly ulong[] Generator = [0xf5dee51989, 0xa9fdca3312, 0x1bab10e32d, 0x3706b1677a, 0x644d626ffd];

    /// <summary>The 8-character checksum of <paramref name="descriptor"/> (given without "#checksum").</summary>
    /// <exception cref="CustodyStateException"><see cref="CustodyError.DescriptorChecksumMismatch"/> for a character outside the descriptor set.</exception>
    public static string Compute(string descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ulong chk = 1;
        var cls = 0;
        var clsCount = 0;
        foreach (var c in descriptor)
        {
            var pos = InputCharset.IndexOf(c, StringComparison.Ordinal);
            if (pos < 0)
            {
                Throw.State(CustodyError.DescriptorChecksumMismatch, "a descriptor character is outside the BIP-380 character set");
            }
            chk = PolyMod(chk, pos & 31);
            cls = (cls * 3) + (pos >> 5);
            if (++clsCount == 3)
            {
                chk = PolyMod(chk, cls);
                cls = 0;
                clsCount = 0;
            }
        }
        if (clsCount > 0)
        {
            chk = PolyMod(chk, cls);
        }
        for (var i = 0; i < 8; i++)
        {
            chk = PolyMod(chk, 0);
        }
        chk ^= 1;
        Span<char> result = stackalloc char[8];
        for (var i = 0; i < 8; i++)
        {
            result[i] = ChecksumCharset[(int)((chk >> (5 * (7 - i))) & 31)];
        }
        return new string(result);
    }

    /// <summary><paramref name="descriptor"/> + "#" + its checksum.</summary>
    public static string Append(string descriptor) => descriptor + "#" + Compute(descriptor);

    /// <summary>True when <paramref name="text"/> ends in "#" and the correct 8-character checksum.</summary>
    public static bool IsValid(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length < 9 || text[^9] != '#')
        {
            return false;
        }
        var body = text[..^9];
        foreach (var c in body)
        {
            if (InputCharset.IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return false;
            }
        }
        return Compute(body) == text[^8..];
    }

    private static ulong PolyMod(ulong c, int value)
    {
        var c0 = c >> 35;
        c = ((c & 0x7ffffffffUL) << 5) ^ (ulong)value;
        for (var i = 0; i < 5; i++)
        {
            if (((c0 >> i) & 1) != 0)
            {
                c ^= Generator[i];
            }
        }
        return c;
    }
}
