using System.Globalization;

namespace BitCurrent.Custody;

/// <summary>What a deposit scan changed.</summary>
/// <param name="TipHeight">The chain's height at the scan.</param>
/// <param name="Changes">Every deposit whose status changed, as it is now.</param>
/// <param name="Events">The audit events written; those with <see cref="CustodyEvent.IsDiscrepancy"/> are credited deposits that left the chain.</param>
public sealed record DepositScanResult(int TipHeight, IReadOnlyList<DepositRecord> Changes, IReadOnlyList<CustodyEvent> Events)
{
    /// <summary>Discrepancies: credited deposits that were reversed.</summary>
    public IReadOnlyList<CustodyEvent> Discrepancies => Events.Where(e => e.IsDiscrepancy).ToList();
}

/// <summary>
/// Deposit detection and crediting. Each scan lists the confirmed outputs paying users' deposit addresses (new ones become
/// <see cref="DepositStatus.Detected"/> records), then re-reads every deposit's transaction from the chain: with at least
/// <see cref="CustodyPolicy.DepositConfirmations"/> confirmations a detected deposit is <see cref="DepositStatus.Credited"/>; a credited
/// deposit whose transaction is no longer in the active chain (reorganised away, or back in the mempool) is
/// <see cref="DepositStatus.Reversed"/> and reported as a discrepancy event — never silently kept; an uncredited one is
/// <see cref="DepositStatus.Dropped"/>. A reversed or dropped deposit that comes back into the chain is detected (and later credited)
/// again, with new events, so the ledger sees every credit and every reversal.
/// </summary>
public sealed class DepositMonitor
{
    private readonly CustodyStore _store;
    private readonly CustodyWallets _wallets;

    /// <summary>Works on <paramref name="store"/>.</summary>
    public DepositMonitor(CustodyStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _wallets = new CustodyWallets(store);
    }

    /// <summary>Scans the chain once.</summary>
    public async Task<DepositScanResult> ScanAsync(IBitcoinChain chain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var hot = _wallets.Hot;
        var state = _store.State;
        var now = _store.Time.GetUtcNow();
        var required = _store.Policy.DepositConfirmations;
        var tip = await chain.GetTipAsync(cancellationToken).ConfigureAwait(false);
        var byScript = new Dictionary<Script, DepositAddress>();
        foreach (var a in state.Hot!.DepositAddresses)
        {
            byScript[hot.ScriptPubKey(WalletChain.Receive, a.Index)] = a;
        }
        var events = new List<CustodyEvent>();
        var changed = new HashSet<ulong>();
        if (byScript.Count > 0)
        {
            var utxos = await chain.GetUtxosAsync(byScript.Keys.ToList(), cancellationToken).ConfigureAwait(false);
            foreach (var utxo in utxos)
            {
                if (!byScript.TryGetValue(utxo.Output.ScriptPubKey, out var owner))
                {
                    continue;
                }
                var txid = utxo.OutPoint.TxId.ToString();
                if (state.Deposits.Exists(d => d.TxId == txid && d.Vout == utxo.OutPoint.Index))
                {
                    continue;
                }
                var record = new DepositRecord
                {
                    Id = state.NextDepositId++,
                    UserId = owner.UserId,
                    Address = owner.Address,
                    TxId = txid,
                    Vout = utxo.OutPoint.Index,
                    AmountSats = utxo.Output.Value,
                    Confirmations = utxo.Confirmations,
                    BlockHeight = utxo.Height,
                    Status = DepositStatus.Detected,
                    DetectedAt = now,
                };
                state.Deposits.Add(record);
                changed.Add(record.Id);
                events.Add(Event(now, CustodyEventKind.DepositDetected, record, $"{Money.FormatBitcoin(record.AmountSats)} BTC to user {record.UserId}, {record.Confirmations} confirmation(s)"));
            }
        }
        var finality = _store.Policy.FinalityConfirmations;
        for (var i = 0; i < state.Deposits.Count; i++)
        {
            var d = state.Deposits[i];
            if (d.Status == DepositStatus.Credited && d.Confirmations >= finality)
            {
                continue; // final: deeper than any reorganisation we guard against
            }
            var tx = await chain.GetTransactionAsync(TxId.Parse(d.TxId), cancellationToken).ConfigureAwait(false);
            var confirmations = tx?.Confirmations ?? 0;
            var inChain = confirmations >= 1;
            var next = d with { Confirmations = confirmations, BlockHeight = tx?.BlockHeight };
            switch (d.Status)
            {
                case DepositStatus.Detected when inChain && confirmations >= required:
                    next = next with { Status = DepositStatus.Credited, CreditedAt = now };
                    events.Add(Event(now, CustodyEventKind.DepositCredited, next, $"{Money.FormatBitcoin(d.AmountSats)} BTC credited to user {d.UserId} after {confirmations} confirmations"));
                    break;
                case DepositStatus.Detected when !inChain:
                    next = next with { Status = DepositStatus.Dropped, ReversedAt = now };
                    events.Add(Event(now, CustodyEventKind.DepositDropped, next, "left the chain before it was credited"));
                    break;
                case DepositStatus.Credited when !inChain:
                    next = next with { Status = DepositStatus.Reversed, ReversedAt = now };
                    events.Add(Event(now, CustodyEventKind.DepositReversed, next,
                        $"credited deposit of {Money.FormatBitcoin(d.AmountSats)} BTC to user {d.UserId} is no longer in the chain ({(tx is null ? "gone" : "back in the mempool")}); reverse the credit",
                        isDiscrepancy: true));
                    break;
                case DepositStatus.Reversed or DepositStatus.Dropped when inChain:
                    next = next with { Status = confirmations >= required ? DepositStatus.Credited : DepositStatus.Detected, CreditedAt = confirmations >= required ? now : null, ReversedAt = null };
                    events.Add(Event(now, CustodyEventKind.DepositDetected, next, "back in the chain after a reorganisation"));
                    if (next.Status == DepositStatus.Credited)
                    {
                        events.Add(Event(now, CustodyEventKind.DepositCredited, next, $"{Money.FormatBitcoin(d.AmountSats)} BTC credited to user {d.UserId} after {confirmations} confirmations"));
                    }
                    break;
            }
            if (next.Status != d.Status)
            {
                changed.Add(d.Id);
            }
            state.Deposits[i] = next;
        }
        _store.Commit(events);
        return new DepositScanResult(tip.Height, state.Deposits.Where(d => changed.Contains(d.Id)).ToList(), events);
    }

    private static CustodyEvent Event(DateTimeOffset at, CustodyEventKind kind, DepositRecord d, string detail, bool isDiscrepancy = false) =>
        new(at, kind, string.Create(CultureInfo.InvariantCulture, $"deposit {d.Id} ({d.OutPoint})"), detail, isDiscrepancy);
}
