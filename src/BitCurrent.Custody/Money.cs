namespace BitCurrent.Custody;

/// <summary>Amounts are <see cref="long"/> satoshis, always checked against the 21 million BTC supply.</summary>
public static class Money
{
    /// <summary>Satoshis per bitcoin.</summary>
    public const long SatoshisPerBitcoin = 100_000_000;

    /// <summary>21 000 000 BTC in satoshis (Bitcoin Core's MAX_MONEY).</summary>
    public const long SatoshisMax = 21_000_000 * SatoshisPerBitcoin;

    /// <summary>0 ≤ amount ≤ 21e6 BTC.</summary>
    public static bool IsValid(long satoshis) => satoshis is >= 0 and <= SatoshisMax;

    /// <summary>Returns the amount when valid.</summary>
    /// <exception cref="AmountOutOfRangeException">Outside 0..21e6 BTC.</exception>
    public static long Check(long satoshis)
    {
        if (!IsValid(satoshis))
        {
            Throw.Amount("amount must be between 0 and 21,000,000 BTC in satoshis");
        }
        return satoshis;
    }

    /// <summary>Checked sum of two valid amounts.</summary>
    /// <exception cref="AmountOutOfRangeException">Either operand or the sum out of range.</exception>
    public static long Add(long a, long b) => Check(Check(a) + Check(b));

    /// <summary>Checked sum of valid amounts.</summary>
    /// <exception cref="AmountOutOfRangeException">Any item or partial sum out of range.</exception>
    public static long Sum(IEnumerable<long> amounts)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        long total = 0;
        foreach (var a in amounts)
        {
            total = Add(total, a);
        }
        return total;
    }

    /// <summary>Parses a decimal number of bitcoins ("2", "2.0", "0.00000001") into satoshis exactly, without floating point.</summary>
    /// <exception cref="AmountFormatException"><see cref="CustodyError.AmountInvalidFormat"/> or <see cref="CustodyError.AmountTooManyDecimals"/>.</exception>
    /// <exception cref="AmountOutOfRangeException">Negative, or above 21 000 000 BTC.</exception>
    public static long ParseBitcoin(string text)
    {
        var error = TryParseBitcoin(text, out var satoshis);
        switch (error)
        {
            case CustodyError.None:
                return satoshis;
            case CustodyError.AmountOutOfRange:
                Throw.Amount("amount must be between 0 and 21,000,000 BTC");
                break;
            case CustodyError.AmountTooManyDecimals:
                Throw.AmountFormat(error, "an amount has at most 8 decimals (1 satoshi = 0.00000001 BTC)");
                break;
            default:
                Throw.AmountFormat(error, "an amount is a plain decimal number of BTC such as 2.0 or 0.015");
                break;
        }
        return 0;
    }

    /// <summary>Parses a decimal number of bitcoins, returning the reason instead of throwing: digits, optionally one '.' followed by
    /// 1..8 digits. No sign, exponent, thousands separator or white space. A leading '-' is <see cref="CustodyError.AmountOutOfRange"/>.</summary>
    public static CustodyError TryParseBitcoin(string? text, out long satoshis)
    {
        satoshis = 0;
        if (string.IsNullOrEmpty(text))
        {
            return CustodyError.AmountInvalidFormat;
        }
        var span = text.AsSpan();
        if (span[0] == '-')
        {
            return span.Length > 1 && char.IsAsciiDigit(span[1]) ? CustodyError.AmountOutOfRange : CustodyError.AmountInvalidFormat;
        }
        var dot = span.IndexOf('.');
        var whole = dot < 0 ? span : span[..dot];
        var fraction = dot < 0 ? [] : span[(dot + 1)..];
        if (whole.Length == 0 || (dot >= 0 && fraction.Length == 0) || !IsDigits(whole) || !IsDigits(fraction))
        {
            return CustodyError.AmountInvalidFormat;
        }
        if (fraction.Length > 8)
        {
            return CustodyError.AmountTooManyDecimals;
        }
        long units = 0;
        foreach (var c in whole)
        {
            units = (units * 10) + (c - '0');
            if (units > SatoshisMax / SatoshisPerBitcoin)
            {
                return CustodyError.AmountOutOfRange;
            }
        }
        long fractional = 0;
        for (var i = 0; i < 8; i++)
        {
            fractional = (fractional * 10) + (i < fraction.Length ? fraction[i] - '0' : 0);
        }
        var total = (units * SatoshisPerBitcoin) + fractional;
        if (!IsValid(total))
        {
            return CustodyError.AmountOutOfRange;
        }
        satoshis = total;
        return CustodyError.None;
    }

    /// <summary>Satoshis as BTC with exactly 8 decimals ("2.00000000"); negative values get a leading '-'.</summary>
    public static string FormatBitcoin(long satoshis)
    {
        var negative = satoshis < 0;
        var magnitude = negative ? (ulong)(-(satoshis + 1)) + 1 : (ulong)satoshis;
        var text = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{magnitude / SatoshisPerBitcoin}.{magnitude % SatoshisPerBitcoin:D8}");
        return negative ? "-" + text : text;
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Bitcoin Core's dust threshold for an output at <paramref name="dustRelayFeeSatPerKvb"/> (default 3000 sat/kvB):
    /// the cost of spending it — output size plus 148 vbytes for a legacy input or 67 (32+4+1+107/4+4) for a witness program —
    /// at that rate, rounded up as CFeeRate::GetFee does. Unspendable outputs (OP_RETURN, or scripts over 10 000 bytes) are never dust.</summary>
    public static long DustThreshold(TxOut output, long dustRelayFeeSatPerKvb = 3000)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (dustRelayFeeSatPerKvb < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dustRelayFeeSatPerKvb), "fee rate must not be negative");
        }
        if (output.ScriptPubKey.IsUnspendable)
        {
            return 0;
        }
        long size = output.ToBytes().Length;
        size += output.ScriptPubKey.IsWitnessProgram(out _, out _) ? 32 + 4 + 1 + (107 / 4) + 4 : 32 + 4 + 1 + 107 + 4;
        return ((size * dustRelayFeeSatPerKvb) + 999) / 1000; // CFeeRate::GetFee rounds up
    }

    /// <summary>True when the output's value is below <see cref="DustThreshold"/> at the given rate.</summary>
    public static bool IsDust(TxOut output, long dustRelayFeeSatPerKvb = 3000)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.Value < DustThreshold(output, dustRelayFeeSatPerKvb);
    }
}
