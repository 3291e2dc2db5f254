using System.Text.Json;
using System.Text.Json.Serialization;

namespace BitCurrent.Custody.Internal;

/// <summary>The one set of JSON options for every file custody writes: camelCase, indented, enums as camelCase strings, nulls omitted.</summary>
internal static class CustodyJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };
}

internal sealed class KeyFileDocument
{
    public string? Format { get; set; }
    public int Version { get; set; }
    public string? Role { get; set; }
    public string? Network { get; set; }
    public string? MasterFingerprint { get; set; }
    public string? AccountPath { get; set; }
    public string? AccountXpub { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public KeyFileKdf? Kdf { get; set; }
    public KeyFileCipher? Cipher { get; set; }
    public string? Secret { get; set; }
}

internal sealed class KeyFileKdf
{
    public string? Algorithm { get; set; }
    public int Log2N { get; set; }
    public int R { get; set; }
    public int P { get; set; }
    public string? Salt { get; set; }
}

internal sealed class KeyFileCipher
{
    public string? Algorithm { get; set; }
    public string? Nonce { get; set; }
    public string? Tag { get; set; }
}

internal sealed class ChainDocument
{
    public string? Format { get; set; }
    public int Version { get; set; }
    public string? Network { get; set; }
    public long FeeRateSatPerVb { get; set; }
    public long Nonce { get; set; }
    public List<BlockDocument>? Blocks { get; set; }
    public List<string>? Mempool { get; set; }
}

internal sealed class BlockDocument
{
    public int Height { get; set; }
    public string? Hash { get; set; }
    public string? PreviousHash { get; set; }
    public DateTimeOffset Time { get; set; }
    public List<string>? Transactions { get; set; }
}
