using System.Text.Json;

namespace BitCurrent.Custody.Tests;

internal static class VectorFiles
{
    public static string PathOf(string relative) => Path.Combine(AppContext.BaseDirectory, "Vectors", relative);

    public static JsonElement Load(string relative)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(PathOf(relative)));
        return doc.RootElement.Clone();
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex);

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary><paramref name="length"/> bytes, each <paramref name="value"/>.</summary>
    public static byte[] Filled(int length, byte value)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, value);
        return bytes;
    }

    /// <summary>The key whose secret is the small number <paramref name="n"/> (1 is G's key, 2 is 2G's, ...).</summary>
    public static PrivateKey SmallKey(byte n, bool compressed = true)
    {
        var secret = new byte[32];
        secret[31] = n;
        return new PrivateKey(secret, compressed);
    }

    public static byte[] Reversed(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        Array.Reverse(copy);
        return copy;
    }
}
