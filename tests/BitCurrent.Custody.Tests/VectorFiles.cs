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

    public static byte[] Reversed(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        Array.Reverse(copy);
        return copy;
    }
}
