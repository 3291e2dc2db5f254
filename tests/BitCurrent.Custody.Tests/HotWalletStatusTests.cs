using System.Diagnostics.Metrics;

namespace BitCurrent.Custody.Tests;

/// <summary>The hot wallet threshold (pending withdrawals + 24 h buffer) and the LowHotWalletBalance condition, as a metrics host reads them.</summary>
public class HotWalletStatusTests
{
    [Theory]
    [InlineData(0, 0, 100, true)]
    [InlineData(100, 0, 100, false)]
    [InlineData(99, 0, 100, true)]
    [InlineData(150, 50, 100, false)]
    [InlineData(149, 50, 100, true)]
    [InlineData(0, 0, 0, false)]
    public void Threshold_is_pending_withdrawals_plus_the_buffer(long balance, long pending, long buffer, bool low)
    {
        var status = new HotWalletStatus(balance, pending, 1, buffer, 10);
        Assert.Equal(pending + buffer, status.ThresholdSats);
        Assert.Equal(low, status.IsLow);
        Assert.Equal(low ? "LowHotWalletBalance" : "Normal", status.Condition);
        Assert.Equal(low ? pending + buffer - balance : 0, status.ShortfallSats);
    }

    [Fact]
    public async Task The_status_counts_pending_and_approved_withdrawals_and_the_policy_buffer()
    {
        using var f = new CustodyFixture(signers: 3, threshold: 2, policy: new CustodyPolicy { HotWalletBufferSats = Btc.Of("0.5") });
        f.FundHot(Btc.Of("1"));
        var desk = new WithdrawalDesk(f.Store);
        const string destination = "bcrt1qqzh2ngh97ru8dfvgma25d6r595wcwqy0cee4cc";
        desk.AddToWhitelist(1, destination, "ops");
        f.Clock.Advance(TimeSpan.FromDays(1));
        desk.Request(1, destination, Btc.Of("0.3"), "alice");  // approved
        desk.Request(1, destination, Btc.Of("0.6"), "alice");  // pending approvals
        desk.Request(1, "bcrt1q5xy3hjgmwm44jlzv73gr0rjhen0tt7jp5uskrz4kzjdtkg3gjaysfgrygd", Btc.Of("1"), "alice"); // rejected: not counted
        var status = await new HotWalletMonitor(f.Store).GetStatusAsync(f.Chain, Test.Ct);
        Assert.Equal(Btc.Of("1"), status.BalanceSats);
        Assert.Equal(Btc.Of("0.9"), status.PendingWithdrawalsSats);
        Assert.Equal(2, status.PendingWithdrawalsCount);
        Assert.Equal(Btc.Of("1.4"), status.ThresholdSats);
        Assert.True(status.IsLow);
        Assert.Equal(f.Chain.Height, status.TipHeight);
    }

    [Fact]
    public void Gauges_report_the_latest_status_on_a_meter()
    {
        using var meter = new Meter(HotWalletGauges.MeterName + ".Test");
        var gauges = new HotWalletGauges(meter);
        var seen = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => seen[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        Assert.Empty(seen); // nothing reported before the first status
        gauges.Update(new HotWalletStatus(70, 50, 2, 100, 5));
        listener.RecordObservableInstruments();
        Assert.Equal(70, seen["custody.hot_wallet.balance"]);
        Assert.Equal(150, seen["custody.hot_wallet.threshold"]);
        Assert.Equal(50, seen["custody.hot_wallet.pending_withdrawals"]);
        Assert.Equal(1, seen["custody.hot_wallet.low_balance"]);
        gauges.Update(new HotWalletStatus(200, 50, 2, 100, 6));
        listener.RecordObservableInstruments();
        Assert.Equal(0, seen["custody.hot_wallet.low_balance"]);
    }
}
