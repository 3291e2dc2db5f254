namespace BitCurrent.Custody.Internal;

/// <summary>CScriptNum: little-endian sign-magnitude integers of the script language.</summary>
internal static class ScriptNumber
{
    public static byte[] Encode(long value)
    {
        if (value == 0)
        {
            return [];
        }
        var result = new List<byte>(9);
        var negative = value < 0;
        var abs = negative ? (ulong)(-(value + 1)) + 1 : (ulong)value;
        while (abs != 0)
        {
            result.Add((byte)(abs & 0xff));
            abs >>= 8;
        }
        if ((result[^1] & 0x80) != 0)
        {
            result.Add(negative ? (byte)0x80 : (byte)0);
        }
        else if (negative)
        {
            result[^1] |= 0x80;
        }
        return [.. result];
    }

    /// <summary>Decodes up to <paramref name="maxSize"/> bytes; false when longer or (with <paramref name="requireMinimal"/>) not minimally encoded.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, int maxSize, bool requireMinimal, out long value)
    {
        value = 0;
        if (data.Length > maxSize)
        {
            return false;
        }
        if (requireMinimal && data.Length > 0 && (data[^1] & 0x7f) == 0)
        {
            if (data.Length <= 1 || (data[^2] & 0x80) == 0)
            {
                return false;
            }
        }
        if (data.IsEmpty)
        {
            return true;
        }
        long result = 0;
        for (var i = 0; i < data.Length; i++)
        {
            result |= (long)data[i] << (8 * i);
        }
        if ((data[^1] & 0x80) != 0)
        {
            value = -(result & ~(0x80L << (8 * (data.Length - 1))));
            return true;
        }
        value = result;
        return true;
    }
}
