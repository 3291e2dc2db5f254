namespace BitCurrent.Custody;

/// <summary>Transaction size estimates (weight units and virtual bytes) for fee calculation, with worst-case signature sizes
/// (72 bytes with the sighash byte), so the fee paid is never below the rate asked.</summary>
public static class TransactionSize
{
    /// <summary>Largest DER signature plus its sighash byte with low S (r may take 33 bytes).</summary>
    public const int SignatureWithHashTypeMax = 72;

    /// <summary>Weight of the parts every segwit transaction has: version, locktime, input and output counts (4 · 10) and marker + flag (2).</summary>
    public static int OverheadWeight(int inputs, int outputs) => (4 * (4 + 4 + CompactSizeLength(inputs) + CompactSizeLength(outputs))) + 2;

    /// <summary>Weight of a P2WPKH input: outpoint, empty scriptSig, sequence (41 · 4) and the witness (signature, key).</summary>
    public const int P2wpkhInputWeight = (41 * 4) + 1 + 1 + SignatureWithHashTypeMax + 1 + 33;

    /// <summary>Weight of a P2WSH m-of-n sorted-multisig input of compressed keys: outpoint, empty scriptSig, sequence, and the witness
    /// (the empty dummy, m signatures, the witness script).</summary>
    public static int P2wshMultisigInputWeight(int required, int keys)
    {
        var scriptLength = 1 + (keys * 34) + 1 + 1;
        return (41 * 4) + CompactSizeLength(required + 2) + 1 + (required * (1 + SignatureWithHashTypeMax)) + CompactSizeLength(scriptLength) + scriptLength;
    }

    /// <summary>Weight of an output paying to <paramref name="scriptPubKey"/>.</summary>
    public static int OutputWeight(Script scriptPubKey)
    {
        ArgumentNullException.ThrowIfNull(scriptPubKey);
        return 4 * (8 + CompactSizeLength(scriptPubKey.Length) + scriptPubKey.Length);
    }

    /// <summary>Virtual size: weight / 4, rounded up.</summary>
    public static long VirtualSize(long weight) => (weight + 3) / 4;

    private static int CompactSizeLength(int value) => value < 253 ? 1 : value <= ushort.MaxValue ? 3 : 5;
}

/// <summary>The outcome of coin selection.</summary>
/// <param name="Selected">Outputs to spend, in selection order.</param>
/// <param name="FeeSats">Fee paid.</param>
/// <param name="ChangeSats">Change (0 when none: a change below the dust threshold is left to the fee).</param>
/// <param name="VirtualSize">Estimated virtual size (upper bound).</param>
public sealed record CoinSelectionResult(IReadOnlyList<WalletUtxo> Selected, long FeeSats, long ChangeSats, long VirtualSize);

/// <summary>
/// Deterministic largest-first coin selection: candidates sorted by value (largest first, ties by txid then output index), taken one
/// by one until they pay the outputs and the fee at the given rate; change below the dust threshold of the change script goes to the
/// fee instead. The same UTXO set gives the same selection on every machine, which lets signers re-derive and check a transaction.
/// Largest-first keeps the number of inputs (and so the fee) small; it does not try to avoid change (Bitcoin Core's branch and bound
/// does, at the price of a search).
/// </summary>
public static class CoinSelection
{
    /// <summary>Selects coins.</summary>
    /// <param name="candidates">Spendable outputs (locked ones are skipped).</param>
    /// <param name="payments">The outputs to pay.</param>
    /// <param name="changeScript">Where change goes.</param>
    /// <param name="inputWeight">Weight of one input of this wallet (<see cref="TransactionSize.P2wpkhInputWeight"/> or
    /// <see cref="TransactionSize.P2wshMultisigInputWeight"/>).</param>
    /// <param name="feeRateSatPerVb">Fee rate, sat/vB.</param>
    /// <exception cref="WithdrawalException"><see cref="CustodyError.InsufficientFunds"/>.</exception>
    public static CoinSelectionResult SelectLargestFirst(IReadOnlyList<WalletUtxo> candidates, IReadOnlyList<TxOut> payments, Script changeScript,
        int inputWeight, long feeRateSatPerVb)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(payments);
        ArgumentNullException.ThrowIfNull(changeScript);
        ArgumentOutOfRangeException.ThrowIfLessThan(feeRateSatPerVb, 1);
        var target = Money.Sum(payments.Select(p => p.Value));
        var paymentsWeight = payments.Sum(p => TransactionSize.OutputWeight(p.ScriptPubKey));
        var changeWeight = TransactionSize.OutputWeight(changeScript);
        var changeDust = Money.DustThreshold(new TxOut(0, changeScript));
        var ordered = candidates.Where(c => !c.Locked)
            .OrderByDescending(c => c.Output.Value)
            .ThenBy(c => c.OutPoint.TxId.ToString(), StringComparer.Ordinal)
            .ThenBy(c => c.OutPoint.Index)
            .ToList();
        var selected = new List<WalletUtxo>();
        long total = 0;
        foreach (var utxo in ordered)
        {
            selected.Add(utxo);
            total = Money.Add(total, utxo.Output.Value);
            var inputsWeight = (long)selected.Count * inputWeight;
            var sizeWithChange = TransactionSize.VirtualSize(TransactionSize.OverheadWeight(selected.Count, payments.Count + 1) + inputsWeight + paymentsWeight + changeWeight);
            var feeWithChange = checked(sizeWithChange * feeRateSatPerVb);
            if (total >= target + feeWithChange && total - target - feeWithChange >= changeDust)
            {
                return new CoinSelectionResult(selected, feeWithChange, total - target - feeWithChange, sizeWithChange);
            }
            var sizeWithout = TransactionSize.VirtualSize(TransactionSize.OverheadWeight(selected.Count, payments.Count) + inputsWeight + paymentsWeight);
            var feeWithout = checked(sizeWithout * feeRateSatPerVb);
            if (total >= target + feeWithout)
            {
                // No change output: what is left over (less than a change output's cost plus dust) goes to the fee.
                return new CoinSelectionResult(selected, total - target, 0, sizeWithout);
            }
        }
        Throw.Withdrawal(CustodyError.InsufficientFunds,
            $"spendable {Money.FormatBitcoin(total)} BTC in {ordered.Count} outputs does not cover {Money.FormatBitcoin(target)} BTC plus the fee at {feeRateSatPerVb} sat/vB");
        return null!;
    }
}
