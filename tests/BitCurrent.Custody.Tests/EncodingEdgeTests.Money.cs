namespace BitCurrent.Custody.Tests;

/// <summary>Amount checks and amount text at each limit, and the dust threshold's argument checks.</summary>
public partial class EncodingEdgeTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(Money.SatoshisMax + 1)]
    [InlineData(long.MinValue)]
    public void Checking_an_amount_out_of_range_names_the_limit(long satoshis)
    {
        var e = Assert.Throws<AmountOutOfRangeException>(() => Money.Check(satoshis));
        Assert.Equal(CustodyError.AmountOutOfRange, e.Reason);
        Assert.Contains("21,000,000", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(Money.SatoshisMax)]
    public void Checking_an_amount_at_a_limit_returns_it(long satoshis) => Assert.Equal(satoshis, Money.Check(satoshis));

    [Fact]
    public void Sums_refuse_null_and_start_at_zero()
    {
        Assert.Throws<ArgumentNullException>(() => Money.Sum(null!));
        Assert.Equal(0, Money.Sum([]));
        Assert.Equal(Money.SatoshisMax, Money.Sum([Money.SatoshisMax - 1, 1]));
    }

    [Theory]
    [InlineData("-")]
    [InlineData("-x")]
    [InlineData("-.5")]
    [InlineData("--1")]
    public void A_minus_sign_not_followed_by_a_digit_is_a_format_error(string text) =>
        Assert.Equal(CustodyError.AmountInvalidFormat, Money.TryParseBitcoin(text, out _));

    [Theory]
    [InlineData("-1")]
    [InlineData("-0.5")]
    public void A_negative_number_is_out_of_range(string text) =>
        Assert.Equal(CustodyError.AmountOutOfRange, Money.TryParseBitcoin(text, out _));

    [Theory]
    [InlineData(".")]
    [InlineData(".0")]
    [InlineData("0.")]
    [InlineData(null)]
    public void A_dot_without_digits_on_both_sides_is_a_format_error(string? text)
    {
        Assert.Equal(CustodyError.AmountInvalidFormat, Money.TryParseBitcoin(text, out var satoshis));
        Assert.Equal(0, satoshis);
    }

    [Theory]
    [InlineData("18446744073709551616")] // 2^64: the running value would wrap to 0
    [InlineData("18446744073709551616.5")] // ...and then parse as 0.5 BTC
    [InlineData("72057594037927936")] // 2^56: 2^56 × 10^8 wraps to 0 in 64 bits
    [InlineData("21000001")]
    public void Whole_bitcoins_past_the_supply_are_refused_before_the_arithmetic_can_wrap(string text)
    {
        Assert.Equal(CustodyError.AmountOutOfRange, Money.TryParseBitcoin(text, out var satoshis));
        Assert.Equal(0, satoshis);
    }

    [Fact]
    public void Amount_text_errors_name_what_is_wrong()
    {
        Assert.Contains("21,000,000", Assert.Throws<AmountOutOfRangeException>(() => Money.ParseBitcoin("21000000.00000001")).Message, StringComparison.Ordinal);
        var decimals = Assert.Throws<AmountFormatException>(() => Money.ParseBitcoin("0.000000001"));
        Assert.Equal(CustodyError.AmountTooManyDecimals, decimals.Reason);
        Assert.Contains("8 decimals", decimals.Message, StringComparison.Ordinal);
        var format = Assert.Throws<AmountFormatException>(() => Money.ParseBitcoin("1,5"));
        Assert.Equal(CustodyError.AmountInvalidFormat, format.Reason);
        Assert.Contains("decimal number", format.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dust_checks_refuse_a_null_output_and_a_negative_fee_rate()
    {
        var p2wpkh = new TxOut(0, Script.P2wpkh(new byte[20]));
        Assert.Equal("output", Assert.Throws<ArgumentNullException>(() => Money.DustThreshold(null!)).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentNullException>(() => Money.IsDust(null!)).ParamName);
        Assert.Equal("dustRelayFeeSatPerKvb", Assert.Throws<ArgumentOutOfRangeException>(() => Money.DustThreshold(p2wpkh, -1)).ParamName);
        Assert.Equal("dustRelayFeeSatPerKvb", Assert.Throws<ArgumentOutOfRangeException>(() => Money.IsDust(p2wpkh, -1)).ParamName);
    }

    [Fact]
    public void At_a_zero_fee_rate_nothing_is_dust()
    {
        var p2wpkh = new TxOut(0, Script.P2wpkh(new byte[20]));
        Assert.Equal(0, Money.DustThreshold(p2wpkh, 0));
        Assert.False(Money.IsDust(p2wpkh, 0));
        // One sat/kvB: 31 + 67 = 98 vbytes cost 0.098 sat, rounded up to 1.
        Assert.Equal(1, Money.DustThreshold(p2wpkh, 1));
    }
}
