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

    /// <summary>As <see cref="Options"/>, on one line (the audit log's JSON lines).</summary>
    public static JsonSerializerOptions CompactOptions { get; } = new(Options) { WriteIndented = false };
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

internal sealed class CustodyStateDocument
{
    public string? Format { get; set; }
    public int Version { get; set; }
    public string? Network { get; set; }
    public ColdWalletDocument? Cold { get; set; }
    public HotWalletDocument? Hot { get; set; }
    public ulong NextDepositId { get; set; } = 1;
    public List<DepositRecord> Deposits { get; set; } = [];
    public ulong NextWithdrawalId { get; set; } = 1;
    public List<WithdrawalRecord> Withdrawals { get; set; } = [];
    public List<WhitelistEntry> Whitelist { get; set; } = [];
    public List<RebalanceRecord> Rebalances { get; set; } = [];
    public ReservesDraft? ReservesDraft { get; set; }
}

internal sealed class ColdWalletDocument
{
    public int Threshold { get; set; }
    public List<string>? Signers { get; set; }
    public string? ReceiveDescriptor { get; set; }
    public string? ChangeDescriptor { get; set; }
    public uint NextReceiveIndex { get; set; }
    public uint NextChangeIndex { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class HotWalletDocument
{
    public string? Account { get; set; }
    public string? Descriptor { get; set; }
    public string? KeyFile { get; set; }
    public uint NextDepositIndex { get; set; }
    public uint NextInternalIndex { get; set; }
    public List<DepositAddress> DepositAddresses { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
}
