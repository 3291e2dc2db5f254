using System.Diagnostics.Metrics;

namespace BitCurrent.Custody;

/// <summary>The hot wallet against its threshold, as the runbook's LowHotWalletBalance alert reads it.</summary>
/// <param name="BalanceSats">Confirmed hot wallet outputs not spent by our own signed or in-flight transactions.</param>
/// <param name="PendingWithdrawalsSats">Withdrawals requested or approved, not yet paid.</param>
/// <param name="PendingWithdrawalsCount">How many.</param>
/// <param name="BufferSats">The 24-hour buffer (<see cref="CustodyPolicy.HotWalletBufferSats"/>).</param>
/// <param name="TipHeight">The chain height read.</param>
public sealed record HotWalletStatus(long BalanceSats, long PendingWithdrawalsSats, int PendingWithdrawalsCount, long BufferSats, int TipHeight)
{
    /// <summary>The condition's name, as the alert and the metrics call it.</summary>
    public const string LowBalanceCondition = "LowHotWalletBalance";

    /// <summary>Threshold = pending withdrawals + the 24-hour buffer.</summary>
    public long ThresholdSats => PendingWithdrawalsSats + BufferSats;

    /// <summary>True when the balance is below the threshold: LowHotWalletBalance is raised.</summary>
    public bool IsLow => BalanceSats < ThresholdSats;

    /// <summary>How much a rebalancing should bring to clear the condition (0 when not low).</summary>
    public long ShortfallSats => IsLow ? ThresholdSats - BalanceSats : 0;

    /// <summary>"LowHotWalletBalance" when raised, otherwise "Normal".</summary>
    public string Condition => IsLow ? LowBalanceCondition : "Normal";
}

/// <summary>Computes <see cref="HotWalletStatus"/> from the chain and the withdrawal records.</summary>
public sealed class HotWalletMonitor
{
    private readonly CustodyStore _store;

    /// <summary>Works on <paramref name="store"/>.</summary>
    public HotWalletMonitor(CustodyStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Reads the balance and computes the threshold.</summary>
    public async Task<HotWalletStatus> GetStatusAsync(IBitcoinChain chain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var tip = await chain.GetTipAsync(cancellationToken).ConfigureAwait(false);
        var utxos = await new CustodyWallets(_store).GetHotUtxosAsync(chain, cancellationToken).ConfigureAwait(false);
        var balance = Money.Sum(utxos.Where(u => !u.Locked).Select(u => u.Output.Value));
        var (pending, count) = new WithdrawalDesk(_store).Pending();
        return new HotWalletStatus(balance, pending, count, _store.Policy.HotWalletBufferSats, tip.Height);
    }
}

/// <summary>
/// Publishes the latest <see cref="HotWalletStatus"/> as observable gauges on a <see cref="Meter"/> (exported by a Prometheus exporter as
/// <c>custody_hot_wallet_balance_satoshis</c>, <c>custody_hot_wallet_threshold_satoshis</c>, <c>custody_hot_wallet_pending_withdrawals_satoshis</c>
/// and <c>custody_hot_wallet_low_balance</c> (1 while LowHotWalletBalance is raised)). The host refreshes the status on its schedule
/// with <see cref="Update"/>; the gauges read the last value.
/// </summary>
public sealed class HotWalletGauges
{
    /// <summary>The meter name hosts subscribe to.</summary>
    public const string MeterName = "BitCurrent.Custody";

    private HotWalletStatus? _latest;

    /// <summary>Creates the gauges on <paramref name="meter"/>.</summary>
    public HotWalletGauges(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        meter.CreateObservableGauge("custody.hot_wallet.balance", () => Read(s => s.BalanceSats), "satoshis", "Hot wallet confirmed balance");
        meter.CreateObservableGauge("custody.hot_wallet.threshold", () => Read(s => s.ThresholdSats), "satoshis", "Pending withdrawals plus the 24 h buffer");
        meter.CreateObservableGauge("custody.hot_wallet.pending_withdrawals", () => Read(s => s.PendingWithdrawalsSats), "satoshis", "Withdrawals requested or approved, not yet paid");
        meter.CreateObservableGauge("custody.hot_wallet.low_balance", () => Read(s => s.IsLow ? 1 : 0), null, "1 while LowHotWalletBalance is raised");
    }

    /// <summary>The last status given to <see cref="Update"/>.</summary>
    public HotWalletStatus? Latest => Volatile.Read(ref _latest);

    /// <summary>Sets the status the gauges report.</summary>
    public void Update(HotWalletStatus status) => Volatile.Write(ref _latest, status);

    private IEnumerable<Measurement<long>> Read(Func<HotWalletStatus, long> select)
    {
        var latest = Latest;
        return latest is null ? [] : [new Measurement<long>(select(latest))];
    }
}
