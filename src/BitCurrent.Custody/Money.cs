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
