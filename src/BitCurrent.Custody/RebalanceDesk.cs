using System.Globalization;

namespace BitCurrent.Custody;

/// <summary>The outcome of a signing step.</summary>
/// <param name="Record">The rebalancing after the step.</param>
/// <param name="Added">False when this signer had already signed (nothing changed).</param>
/// <param name="SignaturesPresent">Distinct signers with valid signatures on every input.</param>
/// <param name="SignaturesRequired">The threshold.</param>
public sealed record RebalanceSignOutcome(RebalanceRecord Record, bool Added, int SignaturesPresent, int SignaturesRequired);

/// <summary>The verified signatures of a rebalancing PSBT.</summary>
/// <param name="Signers">Signer numbers (1-based) with a valid signature on every input, ascending.</param>
/// <param name="Threshold">Signatures needed.</param>
public sealed record RebalanceSignatureSummary(IReadOnlyList<int> Signers, int Threshold)
{
    /// <summary>True when at least <see cref="Threshold"/> signers signed every input.</summary>
    public bool ThresholdMet => Signers.Count >= Threshold;
}

/// <summary>
/// Cold-to-hot rebalancing, as the runbook's "Low Hot Wallet Balance" procedure: <see cref="InitiateAsync"/> builds a PSBT spending the
/// m-of-n P2WSH cold wallet to a fresh hot wallet address (with the BIP-32 derivations of every signer's key on every input, the full previous
/// transactions when the chain has them, the signers' xpubs and the change's scripts) and stores it under its unsigned txid;
/// <see cref="Sign"/> lets signer k sign with its own key (offline: only the stored PSBT and the key are needed); <see cref="Import"/> combines a
/// PSBT signed elsewhere; <see cref="BroadcastAsync"/> refuses below the threshold, finalizes, extracts, verifies and broadcasts;
/// <see cref="MonitorAsync"/> follows the confirmations.
/// </summary>
/// <remarks>Every partial signature is verified against the PSBT's BIP-143 sighash when a signer signs, when a PSBT is imported and again
/// before broadcasting: a signature by a key that is not one of the cold wallet's keys for that input is <see cref="CustodyError.RebalanceUnknownSignerKey"/>,
/// a signature that does not verify (made over a changed transaction) is <see cref="CustodyError.RebalanceSignatureInvalid"/>, and a PSBT of
/// another unsigned transaction is <see cref="CustodyError.RebalanceTransactionChanged"/>. A signer counts once, and only when it signed every input.</remarks>
public sealed class RebalanceDesk
{
    private readonly CustodyStore _store;
    private readonly CustodyWallets _wallets;

    /// <summary>Works on <paramref name="store"/>.</summary>
    public RebalanceDesk(CustodyStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _wallets = new CustodyWallets(store);
    }

    /// <summary>Every rebalancing.</summary>
    public IReadOnlyList<RebalanceRecord> List() => _store.State.Rebalances;

    /// <summary>One rebalancing by id (the unsigned txid; a unique prefix of at least 8 hex digits is accepted).</summary>
    /// <exception cref="RebalanceException"><see cref="CustodyError.RebalanceNotFound"/>.</exception>
    public RebalanceRecord Get(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var matches = id.Length >= 8
            ? _store.State.Rebalances.Where(r => r.Id.StartsWith(id, StringComparison.OrdinalIgnoreCase)).ToList()
            : [];
        if (matches.Count != 1)
        {
            Throw.Rebalance(CustodyError.RebalanceNotFound, $"no rebalancing {id}{(matches.Count > 1 ? " (ambiguous prefix)" : string.Empty)}");
        }
        return matches[0];
    }

    /// <summary>Builds and stores the PSBT moving <paramref name="amountSats"/> from the cold wallet to a new hot wallet address.</summary>
    /// <exception cref="RebalanceException"><see cref="CustodyError.RebalanceRouteUnsupported"/>.</exception>
    /// <exception cref="AmountFormatException"><see cref="CustodyError.CurrencyUnsupported"/>, <see cref="CustodyError.AmountNotPositive"/>.</exception>
    /// <exception cref="DustOutputException">An amount below the dust threshold.</exception>
    /// <exception cref="FeeRateException">Fee rate not positive or above the cap.</exception>
    /// <exception cref="WithdrawalException"><see cref="CustodyError.InsufficientFunds"/> when the cold wallet cannot cover it.</exception>
    public async Task<RebalanceRecord> InitiateAsync(IBitcoinChain chain, long amountSats, long? feeRateSatPerVb, string initiatedBy,
        string from = "cold", string to = "hot", string currency = "BTC", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (!string.Equals(from, "cold", StringComparison.OrdinalIgnoreCase) || !string.Equals(to, "hot", StringComparison.OrdinalIgnoreCase))
        {
            Throw.Rebalance(CustodyError.RebalanceRouteUnsupported, $"only cold -> hot rebalancing is supported, not {from} -> {to}");
        }
        if (!string.Equals(currency, "BTC", StringComparison.OrdinalIgnoreCase))
        {
            Throw.AmountFormat(CustodyError.CurrencyUnsupported, $"currency {currency} is not supported; custody holds BTC");
        }
        WithdrawalDesk.CheckName(initiatedBy);
        if (amountSats == 0)
        {
            Throw.AmountFormat(CustodyError.AmountNotPositive, "a rebalancing moves at least 1 satoshi");
        }
        Money.Check(amountSats);
        var cold = _wallets.Cold;
        var hot = _wallets.Hot;
        var state = _store.State;
        var destinationScript = hot.ScriptPubKey(WalletChain.Change, state.Hot!.NextInternalIndex);
        if (Money.IsDust(new TxOut(amountSats, destinationScript)))
        {
            throw new DustOutputException($"{amountSats} sat is below the dust threshold of the hot wallet address");
        }
        var feeRate = await FeeRates.ResolveAsync(chain, _store.Policy, feeRateSatPerVb, cancellationToken).ConfigureAwait(false);
        var utxos = await _wallets.GetColdUtxosAsync(chain, cancellationToken).ConfigureAwait(false);
        var changeScript = cold.ScriptPubKey(WalletChain.Change, state.Cold!.NextChangeIndex);
        var selection = CoinSelection.SelectLargestFirst(utxos, [new TxOut(amountSats, destinationScript)], changeScript,
            TransactionSize.P2wshMultisigInputWeight(cold.Threshold, cold.Signers.Count), feeRate);

        var (destination, destinationIndex) = _wallets.TakeHotInternalAddress();
        var builder = new TransactionBuilder(_store.Network);
        foreach (var u in selection.Selected)
        {
            builder.AddInput(u.OutPoint, u.Output, witnessScript: cold.WitnessScript(u.Chain, u.Index));
        }
        builder.AddOutput(destination, amountSats);
        BitcoinAddress? change = null;
        uint? changeIndex = null;
        if (selection.ChangeSats > 0)
        {
            (change, var index) = _wallets.TakeColdChangeAddress();
            changeIndex = index;
            builder.AddOutput(change, selection.ChangeSats);
        }
        var psbt = builder.BuildPsbt();
        for (var i = 0; i < selection.Selected.Count; i++)
        {
            var u = selection.Selected[i];
            foreach (var (key, origin) in cold.KeyOrigins(u.Chain, u.Index))
            {
                psbt.Inputs[i].AddBip32Derivation(key, origin);
            }
            var previous = await chain.GetTransactionAsync(u.OutPoint.TxId, cancellationToken).ConfigureAwait(false);
            if (previous is not null)
            {
                psbt.Inputs[i].NonWitnessUtxo = previous.Transaction;
            }
        }
        psbt.Outputs[0].AddBip32Derivation(hot.PublicKey(WalletChain.Change, destinationIndex), hot.Account.OriginOf(WalletChain.Change, destinationIndex));
        if (changeIndex is { } ci)
        {
            psbt.Outputs[1].WitnessScript = cold.WitnessScript(WalletChain.Change, ci);
            foreach (var (key, origin) in cold.KeyOrigins(WalletChain.Change, ci))
            {
                psbt.Outputs[1].AddBip32Derivation(key, origin);
            }
        }
        foreach (var signer in cold.Signers)
        {
            psbt.AddGlobalXpub(signer.Xpub, new KeyOrigin(signer.MasterFingerprint, signer.Path));
        }
        var now = _store.Time.GetUtcNow();
        var record = new RebalanceRecord
        {
            Id = psbt.UnsignedTransaction.GetTxId().ToString(),
            State = RebalanceState.AwaitingSignatures,
            AmountSats = amountSats,
            FeeSats = selection.FeeSats,
            FeeRateSatPerVb = feeRate,
            Destination = destination.ToString(),
            DestinationIndex = destinationIndex,
            ChangeAddress = change?.ToString(),
            ChangeIndex = changeIndex,
            ChangeSats = selection.ChangeSats,
            Inputs = selection.Selected.Select(u => new RebalanceInput(u.OutPoint.ToString(), u.Output.Value, u.Chain, u.Index)).ToList(),
            Psbt = psbt.ToBase64(),
            Threshold = cold.Threshold,
            InitiatedBy = initiatedBy,
            CreatedAt = now,
        };
        state.Rebalances.Add(record);
        _store.Commit([Event(now, CustodyEventKind.RebalanceInitiated, record,
            $"{Money.FormatBitcoin(amountSats)} BTC cold -> hot {record.Destination}, fee {record.FeeSats} sat at {feeRate} sat/vB, {record.Inputs.Count} input(s), by {initiatedBy}")]);
        return record;
    }

    /// <summary>Signer <paramref name="signer"/> (1-based) signs every input with its own key. Signing again adds nothing.</summary>
    /// <exception cref="RebalanceException"><see cref="CustodyError.RebalanceNotFound"/>, <see cref="CustodyError.RebalanceInvalidState"/>,
    /// <see cref="CustodyError.RebalanceSignerIndexOutOfRange"/>, <see cref="CustodyError.RebalanceSignerMismatch"/>, and the signature checks.</exception>
    public RebalanceSignOutcome Sign(string id, int signer, ExtendedPrivateKey signerAccountKey)
    {
        ArgumentNullException.ThrowIfNull(signerAccountKey);
        var record = Get(id);
        RequireSignable(record);
        var cold = _wallets.Cold;
        CheckSigner(cold, signer, signerAccountKey);
        var psbt = Psbt.ParseBase64(record.Psbt);
        CheckPayments(psbt, record, cold, _wallets.Hot);
        var before = VerifySignatures(psbt, record, cold);
        if (before.Signers.Contains(signer))
        {
            return new RebalanceSignOutcome(record, false, before.Signers.Count, cold.Threshold);
        }
        var account = cold.Signers[signer - 1];
        var children = new List<ExtendedPrivateKey>();
        try
        {
            var keys = new List<PrivateKey>();
            foreach (var input in psbt.Inputs)
            {
                foreach (var (key, origin) in input.Bip32Derivations)
                {
                    var relative = account.RelativePath(origin);
                    if (relative is null)
                    {
                        continue;
                    }
                    var child = signerAccountKey.Derive(relative);
                    children.Add(child);
                    if (child.PublicKey.Equals(key))
                    {
                        keys.Add(child.PrivateKey);
                    }
                }
            }
            PsbtRoles.Sign(psbt, keys);
        }
        finally
        {
            children.ForEach(c => c.Dispose());
        }
        var after = VerifySignatures(psbt, record, cold);
        if (!after.Signers.Contains(signer))
        {
            Throw.Rebalance(CustodyError.RebalanceSignerMismatch, $"signer {signer}'s key found no input of rebalancing {record.Id} to sign (derivations missing?)");
        }
        var now = _store.Time.GetUtcNow();
        var next = record with
        {
            Psbt = psbt.ToBase64(),
            Signatures = [.. record.Signatures, new RebalanceSignature(signer, account.MasterFingerprint.ToString("x8", CultureInfo.InvariantCulture), now, "key-file")],
            State = after.ThresholdMet ? RebalanceState.ReadyToBroadcast : RebalanceState.AwaitingSignatures,
        };
        Replace(next);
        _store.Commit([Event(now, CustodyEventKind.RebalanceSigned, next, $"signer {signer} ({after.Signers.Count} of {cold.Threshold})")]);
        return new RebalanceSignOutcome(next, true, after.Signers.Count, cold.Threshold);
    }

    /// <summary>Combines a PSBT signed elsewhere (for example by a hardware wallet) into the stored one, after verifying every partial signature in it.</summary>
    /// <exception cref="RebalanceException"><see cref="CustodyError.RebalanceTransactionChanged"/>, <see cref="CustodyError.RebalanceUnknownSignerKey"/>,
    /// <see cref="CustodyError.RebalanceSignatureInvalid"/>, <see cref="CustodyError.RebalanceInvalidState"/>.</exception>
    public RebalanceSignOutcome Import(string id, Psbt signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        var record = Get(id);
        RequireSignable(record);
        var cold = _wallets.Cold;
        if (signed.UnsignedTransaction.GetTxId().ToString() != record.Id)
        {
            Throw.Rebalance(CustodyError.RebalanceTransactionChanged, $"the PSBT is for transaction {signed.UnsignedTransaction.GetTxId()}, not rebalancing {record.Id}");
        }
        var stored = Psbt.ParseBase64(record.Psbt);
        CheckPayments(stored, record, cold, _wallets.Hot);
        var before = VerifySignatures(stored, record, cold);
        // Every signature it brings is checked against the record's inputs (its UTXOs must be the record's too), even those the
        // combiner would drop because the stored PSBT already has a signature for that key.
        VerifySignatures(signed, record, cold);
        var combined = PsbtRoles.Combine([stored, signed]);
        var after = VerifySignatures(combined, record, cold);
        var added = after.Signers.Except(before.Signers).ToList();
        if (added.Count == 0)
        {
            return new RebalanceSignOutcome(record, false, after.Signers.Count, cold.Threshold);
        }
        var now = _store.Time.GetUtcNow();
        var next = record with
        {
            Psbt = combined.ToBase64(),
            Signatures = [.. record.Signatures, .. added.Select(s => new RebalanceSignature(s, cold.Signers[s - 1].MasterFingerprint.ToString("x8", CultureInfo.InvariantCulture), now, "import"))],
            State = after.ThresholdMet ? RebalanceState.ReadyToBroadcast : RebalanceState.AwaitingSignatures,
        };
        Replace(next);
        _store.Commit([Event(now, CustodyEventKind.RebalanceSigned, next,
            $"imported signature(s) of signer(s) {string.Join(", ", added)} ({after.Signers.Count} of {cold.Threshold})")]);
        return new RebalanceSignOutcome(next, true, after.Signers.Count, cold.Threshold);
    }

    /// <summary>The stored PSBT (base64) for an outside wallet to check or sign.</summary>
    public string Export(string id) => Get(id).Psbt;

    /// <summary>Verifies every signature, finalizes, extracts, checks the scripts and broadcasts. Rebroadcasting a broadcast rebalancing
    /// sends the same transaction again.</summary>
    /// <exception cref="RebalanceException"><see cref="CustodyError.RebalanceThresholdNotMet"/> (naming present and needed),
    /// <see cref="CustodyError.RebalanceInvalidState"/>, and the signature checks.</exception>
    /// <exception cref="ChainException">The node refused the transaction.</exception>
    public async Task<RebalanceRecord> BroadcastAsync(string id, IBitcoinChain chain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var record = Get(id);
        if (record.State is RebalanceState.Confirmed or RebalanceState.Cancelled)
        {
            Throw.Rebalance(CustodyError.RebalanceInvalidState, $"rebalancing {record.Id} is {record.State}");
        }
        var cold = _wallets.Cold;
        Transaction tx;
        if (record.State == RebalanceState.Broadcast && record.TransactionHex is not null)
        {
            tx = Transaction.Parse(record.TransactionHex);
        }
        else
        {
            var psbt = Psbt.ParseBase64(record.Psbt);
            CheckPayments(psbt, record, cold, _wallets.Hot);
            var summary = VerifySignatures(psbt, record, cold);
            if (!summary.ThresholdMet)
            {
                Throw.Rebalance(CustodyError.RebalanceThresholdNotMet,
                    $"{summary.Signers.Count} of {cold.Threshold} signatures present (signers {(summary.Signers.Count == 0 ? "none" : string.Join(", ", summary.Signers))}); {cold.Threshold - summary.Signers.Count} more needed");
            }
            PsbtRoles.Finalize(psbt);
            tx = PsbtRoles.Extract(psbt);
            var spent = record.Inputs.Select(i => new TxOut(i.AmountSats, cold.ScriptPubKey(i.Chain, i.Index))).ToList();
            var verdict = ScriptVerifier.VerifyTransaction(tx, spent);
            if (verdict != ScriptError.Ok)
            {
                Throw.Rebalance(CustodyError.RebalanceSignatureInvalid, $"the finalized transaction fails script verification ({(int)verdict} {verdict})");
            }
        }
        try
        {
            await chain.BroadcastAsync(tx, cancellationToken).ConfigureAwait(false);
        }
        catch (ChainException e) when (e.Reason == CustodyError.ChainAlreadyInChain)
        {
            // Mined already (a broadcast before a crash, or by another node): nothing to send.
        }
        var now = _store.Time.GetUtcNow();
        var next = record with { State = RebalanceState.Broadcast, TransactionHex = tx.ToHex(), BroadcastAt = record.BroadcastAt ?? now };
        Replace(next);
        _store.Commit([Event(now, CustodyEventKind.RebalanceBroadcast, next, $"{tx.GetTxId()} ({tx.GetVirtualSize()} vB, {tx.GetWeight()} WU)")]);
        return next;
    }

    /// <summary>Reads the confirmations; at <see cref="CustodyPolicy.SpendConfirmations"/> the rebalancing is confirmed. A confirmed transaction
    /// that leaves the chain goes back to broadcast (and is logged).</summary>
    public async Task<RebalanceRecord> MonitorAsync(string id, IBitcoinChain chain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var record = Get(id);
        if (record.State is not (RebalanceState.Broadcast or RebalanceState.Confirmed) ||
            (record.State == RebalanceState.Confirmed && record.Confirmations >= _store.Policy.FinalityConfirmations))
        {
            return record;
        }
        var info = await chain.GetTransactionAsync(TxId.Parse(record.Id), cancellationToken).ConfigureAwait(false);
        var confirmations = info?.Confirmations ?? 0;
        var now = _store.Time.GetUtcNow();
        var next = record with { Confirmations = confirmations, BlockHeight = info?.BlockHeight };
        var events = new List<CustodyEvent>();
        if (record.State == RebalanceState.Broadcast && confirmations >= _store.Policy.SpendConfirmations)
        {
            next = next with { State = RebalanceState.Confirmed, ConfirmedAt = now };
            events.Add(Event(now, CustodyEventKind.RebalanceConfirmed, next, $"{confirmations} confirmation(s) in block {info!.BlockHeight}"));
        }
        else if (record.State == RebalanceState.Confirmed && confirmations < _store.Policy.SpendConfirmations)
        {
            next = next with { State = RebalanceState.Broadcast, ConfirmedAt = null };
            events.Add(Event(now, CustodyEventKind.TransactionReorganised, next, info is null ? "no longer known to the node" : "back in the mempool"));
        }
        Replace(next);
        _store.Commit(events);
        return next;
    }

    /// <summary>Cancels a rebalancing that has not been broadcast; its cold outputs become spendable again.</summary>
    /// <exception cref="RebalanceException"><see cref="CustodyError.RebalanceInvalidState"/>.</exception>
    public RebalanceRecord Cancel(string id, string by)
    {
        WithdrawalDesk.CheckName(by);
        var record = Get(id);
        RequireSignable(record);
        var now = _store.Time.GetUtcNow();
        var next = record with { State = RebalanceState.Cancelled };
        Replace(next);
        _store.Commit([Event(now, CustodyEventKind.RebalanceCancelled, next, $"by {by}")]);
        return next;
    }

    /// <summary>Verifies every partial signature of a rebalancing's PSBT against its BIP-143 sighash, and that its inputs are the record's.</summary>
    /// <exception cref="RebalanceException"><see cref="CustodyError.RebalanceTransactionChanged"/>, <see cref="CustodyError.RebalancePsbtInconsistent"/>,
    /// <see cref="CustodyError.RebalanceUnknownSignerKey"/>, <see cref="CustodyError.RebalanceSignatureInvalid"/>.</exception>
    public static RebalanceSignatureSummary VerifySignatures(Psbt psbt, RebalanceRecord record, ColdWallet cold)
    {
        ArgumentNullException.ThrowIfNull(psbt);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(cold);
        var tx = psbt.UnsignedTransaction;
        if (tx.GetTxId().ToString() != record.Id)
        {
            Throw.Rebalance(CustodyError.RebalanceTransactionChanged, $"the PSBT's transaction is {tx.GetTxId()}, not {record.Id}");
        }
        if (tx.Inputs.Count != record.Inputs.Count)
        {
            Throw.Rebalance(CustodyError.RebalancePsbtInconsistent, "input count differs from the record");
        }
        var precomputed = new PrecomputedTransactionData(tx);
        HashSet<int>? everywhere = null;
        for (var i = 0; i < tx.Inputs.Count; i++)
        {
            var expected = record.Inputs[i];
            var input = psbt.Inputs[i];
            var witnessScript = cold.WitnessScript(expected.Chain, expected.Index);
            var utxo = input.WitnessUtxo;
            if (tx.Inputs[i].PrevOut.ToString() != expected.OutPoint || utxo is null || utxo.Value != expected.AmountSats ||
                !utxo.ScriptPubKey.Equals(Script.P2wsh(witnessScript)) || (input.WitnessScript is { } ws && !ws.Equals(witnessScript)))
            {
                Throw.Rebalance(CustodyError.RebalancePsbtInconsistent, $"input {i}: outpoint, amount or script differs from the cold wallet's record");
            }
            var keys = cold.Signers.Select(s => s.Derive(expected.Chain, expected.Index)).ToList();
            var signed = new HashSet<int>();
            foreach (var (key, signature) in input.PartialSignatures)
            {
                var signer = keys.FindIndex(k => k.Equals(key)) + 1;
                if (signer == 0)
                {
                    Throw.Rebalance(CustodyError.RebalanceUnknownSignerKey, $"input {i}: a signature by key {key.ToHex()}, which is not one of the cold wallet's keys for this input");
                }
                EcdsaSignature? ecdsa = null;
                if (signature.Length < 9 || signature[^1] != (byte)SigHashType.All || !EcdsaSignature.TryFromDer(signature.AsSpan(0, signature.Length - 1), out ecdsa) || !ecdsa.IsLowS)
                {
                    Throw.Rebalance(CustodyError.RebalanceSignatureInvalid, $"input {i}: signer {signer}'s signature is not a low-S DER SIGHASH_ALL signature");
                }
                var sighash = SignatureHash.WitnessV0(tx, i, witnessScript, expected.AmountSats, (int)SigHashType.All, precomputed);
                if (!key.Verify(sighash, ecdsa!))
                {
                    Throw.Rebalance(CustodyError.RebalanceSignatureInvalid, $"input {i}: signer {signer}'s signature does not verify (made over a changed transaction?)");
                }
                signed.Add(signer);
            }
            if (everywhere is null)
            {
                everywhere = signed;
            }
            else
            {
                everywhere.IntersectWith(signed);
            }
        }
        return new RebalanceSignatureSummary((everywhere ?? []).Order().ToList(), cold.Threshold);
    }

    /// <summary>Checks what the transaction pays against the record and the wallets' own derivations: the amount to the hot wallet's
    /// internal address at the recorded index, the change (if any) to the cold wallet's change address at its index, nothing else, and
    /// the recorded fee. A signer signs only a transfer from the cold wallet to the hot wallet.</summary>
    /// <exception cref="RebalanceException"><see cref="CustodyError.RebalancePsbtInconsistent"/>.</exception>
    public static void CheckPayments(Psbt psbt, RebalanceRecord record, ColdWallet cold, HotWallet hot)
    {
        ArgumentNullException.ThrowIfNull(psbt);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(cold);
        ArgumentNullException.ThrowIfNull(hot);
        var outputs = psbt.UnsignedTransaction.Outputs;
        var expected = new List<TxOut> { new(record.AmountSats, hot.ScriptPubKey(WalletChain.Change, record.DestinationIndex)) };
        if (record.ChangeIndex is { } change)
        {
            expected.Add(new TxOut(record.ChangeSats, cold.ScriptPubKey(WalletChain.Change, change)));
        }
        var same = outputs.Count == expected.Count;
        for (var i = 0; same && i < outputs.Count; i++)
        {
            same = outputs[i].Value == expected[i].Value && outputs[i].ScriptPubKey.Equals(expected[i].ScriptPubKey);
        }
        if (!same || hot.Address(WalletChain.Change, record.DestinationIndex).ToString() != record.Destination)
        {
            Throw.Rebalance(CustodyError.RebalancePsbtInconsistent, "the transaction does not pay exactly the recorded amount to the hot wallet and the change to the cold wallet");
        }
        var inputs = Money.Sum(record.Inputs.Select(i => i.AmountSats));
        if (inputs - Money.Sum(outputs.Select(o => o.Value)) != record.FeeSats)
        {
            Throw.Rebalance(CustodyError.RebalancePsbtInconsistent, "the transaction's fee differs from the recorded fee");
        }
    }

    /// <summary>Checks that a key file's account key is signer <paramref name="signer"/>'s.</summary>
    /// <exception cref="RebalanceException"><see cref="CustodyError.RebalanceSignerIndexOutOfRange"/>, <see cref="CustodyError.RebalanceSignerMismatch"/>.</exception>
    internal static void CheckSigner(ColdWallet cold, int signer, ExtendedPrivateKey signerAccountKey)
    {
        if (signer < 1 || signer > cold.Signers.Count)
        {
            Throw.Rebalance(CustodyError.RebalanceSignerIndexOutOfRange, $"signer {signer} does not exist; signers are 1..{cold.Signers.Count}");
        }
        if (!signerAccountKey.Neuter().Equals(cold.Signers[signer - 1].Xpub))
        {
            var actual = cold.SignerNumberOf(signerAccountKey.Neuter());
            Throw.Rebalance(CustodyError.RebalanceSignerMismatch, actual > 0
                ? $"this key file is signer {actual}'s, not signer {signer}'s"
                : $"this key file is not one of the cold wallet's signers (signer {signer} is {cold.Signers[signer - 1].OriginText()})");
        }
    }

    private static void RequireSignable(RebalanceRecord record)
    {
        if (record.State is not (RebalanceState.AwaitingSignatures or RebalanceState.ReadyToBroadcast))
        {
            Throw.Rebalance(CustodyError.RebalanceInvalidState, $"rebalancing {record.Id} is {record.State}; signatures are taken before broadcast only");
        }
    }

    private void Replace(RebalanceRecord record)
    {
        var list = _store.State.Rebalances;
        list[list.FindIndex(r => r.Id == record.Id)] = record;
    }

    private static CustodyEvent Event(DateTimeOffset at, CustodyEventKind kind, RebalanceRecord r, string detail) => new(at, kind, $"rebalance {r.Id}", detail);
}
