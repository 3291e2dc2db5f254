using System.Globalization;

namespace BitCurrent.Ledger;

/// <summary>
/// An asset: its code (e.g. <c>BTC</c>), the ledger id its accounts and transfers carry, and its scale (the number
/// of decimal places of one unit: amounts are integers of minor units, 1 BTC = 10^8 minor units).
/// </summary>
public sealed record Asset
{
    /// <summary>Bitcoin: ledger 1, 8 decimals (satoshis).</summary>
    public static Asset Btc { get; } = new("BTC", 1, 8);

    /// <summary>Ether: ledger 2, 18 decimals (wei).</summary>
    public static Asset Eth { get; } = new("ETH", 2, 18);

    /// <summary>Pound sterling: ledger 3, 2 decimals (pence).</summary>
    public static Asset Gbp { get; } = new("GBP", 3, 2);

    /// <summary>Largest scale: 10^38 is the largest power of ten below 2^128.</summary>
    public const byte ScaleMax = 38;

    /// <summary>Creates an asset.</summary>
    /// <param name="code">1–12 characters of A–Z and 0–9.</param>
    /// <param name="ledger">The ledger id, not zero.</param>
    /// <param name="scale">Decimal places, at most <see cref="ScaleMax"/>.</param>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public Asset(string code, uint ledger, byte scale)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Length is < 1 or > 12) throw new ArgumentException("An asset code has 1 to 12 characters.", nameof(code));
        foreach (var c in code)
        {
            if (c is not ((>= 'A' and <= 'Z') or (>= '0' and <= '9')))
                throw new ArgumentException("An asset code uses A-Z and 0-9 only.", nameof(code));
        }
        ArgumentOutOfRangeException.ThrowIfZero(ledger);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scale, ScaleMax);
        Code = code;
        Ledger = ledger;
        Scale = scale;
    }

    /// <summary>The asset code, e.g. <c>BTC</c>.</summary>
    public string Code { get; }

    /// <summary>The ledger id of the asset's accounts and transfers.</summary>
    public uint Ledger { get; }

    /// <summary>Decimal places of one unit.</summary>
    public byte Scale { get; }

    /// <summary>Formats an amount of minor units as a decimal number, e.g. 150000000 BTC → <c>1.50000000</c>.</summary>
    public string Format(UInt128 amountMinor)
    {
        var digits = amountMinor.ToString(CultureInfo.InvariantCulture);
        if (Scale == 0) return digits;
        if (digits.Length <= Scale) digits = new string('0', Scale - digits.Length + 1) + digits;
        return string.Concat(digits.AsSpan(0, digits.Length - Scale), ".", digits.AsSpan(digits.Length - Scale));
    }

    /// <summary>Parses a decimal number of units (at most <see cref="Scale"/> decimals) into minor units.</summary>
    public bool TryParse(string text, out UInt128 amountMinor)
    {
        amountMinor = UInt128.Zero;
        if (string.IsNullOrEmpty(text)) return false;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? string.Empty : text[(dot + 1)..];
        if (whole.Length == 0 || fraction.Length > Scale || (dot >= 0 && fraction.Length == 0)) return false;
        foreach (var c in whole) if (c is < '0' or > '9') return false;
        foreach (var c in fraction) if (c is < '0' or > '9') return false;
        var digits = whole + fraction.PadRight(Scale, '0');
        return UInt128.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out amountMinor);
    }

    /// <summary>The asset code.</summary>
    public override string ToString() => Code;
}

/// <summary>The assets an exchange lists, looked up by code or by ledger id. Immutable.</summary>
public sealed class AssetRegistry
{
    private readonly Asset[] _assets;
    private readonly Dictionary<string, Asset> _byCode;
    private readonly Dictionary<uint, Asset> _byLedger;

    /// <summary>Creates a registry.</summary>
    /// <exception cref="ArgumentException">Two assets share a code or a ledger.</exception>
    public AssetRegistry(IEnumerable<Asset> assets)
    {
        ArgumentNullException.ThrowIfNull(assets);
        var list = new List<Asset>();
        _byCode = new Dictionary<string, Asset>(StringComparer.Ordinal);
        _byLedger = [];
        foreach (var asset in assets)
        {
            ArgumentNullException.ThrowIfNull(asset);
            if (!_byCode.TryAdd(asset.Code, asset)) throw new ArgumentException($"Asset code {asset.Code} appears twice.", nameof(assets));
            if (!_byLedger.TryAdd(asset.Ledger, asset)) throw new ArgumentException($"Ledger {asset.Ledger} appears twice.", nameof(assets));
            list.Add(asset);
        }
        _assets = [.. list];
    }

    /// <summary>A registry of the example assets BTC (ledger 1), ETH (2) and GBP (3).</summary>
    public static AssetRegistry Examples() => new([Asset.Btc, Asset.Eth, Asset.Gbp]);

    /// <summary>The assets in registration order.</summary>
    public IReadOnlyList<Asset> Assets => _assets;

    /// <summary>Finds an asset by code.</summary>
    public bool TryGetByCode(string code, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Asset? asset) =>
        _byCode.TryGetValue(code, out asset);

    /// <summary>Finds an asset by ledger id.</summary>
    public bool TryGetByLedger(uint ledger, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Asset? asset) =>
        _byLedger.TryGetValue(ledger, out asset);

    /// <summary>True when this exact asset (code, ledger and scale) is registered.</summary>
    public bool Contains(Asset asset) => asset is not null && _byCode.TryGetValue(asset.Code, out var found) && found == asset;

    /// <summary>The asset with this code.</summary>
    /// <exception cref="KeyNotFoundException">No asset has this code.</exception>
    public Asset this[string code] =>
        _byCode.TryGetValue(code, out var asset) ? asset : throw new KeyNotFoundException($"No asset {code} is registered.");
}
