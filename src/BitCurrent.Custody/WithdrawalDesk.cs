using System.Globalization;

namespace BitCurrent.Custody;

/// <summary>What one processing run did.</summary>
/// <param name="Paid">Withdrawals signed (and broadcast when the node accepted them) in this run.</param>
/// <param name="Confirmed">Withdrawals that reached their confirmations.</param>
/// <param name="Waiting">Approved withdrawals left for a later run (not enough spendable funds).</param>
/// <param name="TxId">The transaction paying <paramref name="Paid"/>, if any.</param>
/// <param name="FeeSats">Its fee.</param>
/// <param name="BroadcastError">Why the node refused it, when it did (the withdrawals stay signed and are retried, or return to
/// approved when the transaction can never be valid).</param>
public sealed record WithdrawalProcessResult(IReadOnlyList<WithdrawalRecord> Paid, IReadOnlyList<WithdrawalRecord> Confirmed,
    IReadOnlyList<WithdrawalRecord> Waiting, string? TxId, long FeeSats, string? BroadcastError);

/// <summary>
/// Withdrawals through the policy: requested → (approvals) → approved → signed → broadcast → confirmed, or rejected with a numbered reason.
/// </summary>
/// <remarks>
/// <para>Request checks, in this order: requester name; amount positive and in range (typed errors, nothing recorded); destination parses for
/// this network (<see cref="CustodyError.AddressWrongNetwork"/>); amount not dust for the destination (<see cref="CustodyError.DustOutput"/>);
/// then the policy, whose refusals are recorded as rejected withdrawals: whitelisted (<see cref="CustodyError.WithdrawalAddressNotWhitelisted"/>),
/// cooling-off over (<see cref="CustodyError.WithdrawalAddressCoolingOff"/>), per-transaction limit, per-user daily limit, total daily limit
/// (rolling 24 hours, counting every withdrawal not rejected).</para>
/// <para>Above <see cref="WithdrawalPolicy.ApprovalThresholdSats"/> a withdrawal waits for <see cref="WithdrawalPolicy.ApprovalsRequired"/> distinct
/// approvers, none of them the requester. Processing batches every approved withdrawal (oldest first, as many as the hot wallet's confirmed
/// funds cover) into one transaction, selects coins largest-first, signs with the hot wallet key, verifies the scripts and broadcasts.</para>
/// </remarks>
public sealed class WithdrawalDesk
{
    private readonly CustodyStore _store;
    private readonly CustodyWallets _wallets;

    /// <summary>Works on <paramref name="store"/>.</summary>
    public WithdrawalDesk(CustodyStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _wallets = new CustodyWallets(store);
    }

    /// <summary>Every withdrawal.</summary>
    public IReadOnlyList<WithdrawalRecord> List() => _store.State.Withdrawals;

    /// <summary>One withdrawal.</summary>
    /// <exception cref="WithdrawalException"><see cref="CustodyError.WithdrawalNotFound"/>.</exception>
    public WithdrawalRecord Get(ulong id) => _store.State.Withdrawals.Find(w => w.Id == id)
        ?? throw new WithdrawalException(CustodyError.WithdrawalNotFound, string.Create(CultureInfo.InvariantCulture, $"no withdrawal {id}"));

    /// <summary>Whitelists <paramref name="address"/> for <paramref name="userId"/>; usable after the policy's cooling-off period. Adding an
    /// address already on the list returns the existing entry (its cooling-off is not restarted).</summary>
    /// <exception cref="AddressFormatException">Not an address of this network.</exception>
    public WhitelistEntry AddToWhitelist(ulong userId, string address, string addedBy)
    {
        CheckName(addedBy);
        var parsed = BitcoinAddress.Parse(address, _store.Network).ToString();
        var existing = _store.State.Whitelist.Find(w => w.UserId == userId && w.Address == parsed);
        if (existing is not null)
        {
            return existing;
        }
        var now = _store.Time.GetUtcNow();
        var entry = new WhitelistEntry(userId, parsed, addedBy, now, now.AddHours(_store.Policy.Withdrawals.CoolingOffHours));
        _store.State.Whitelist.Add(entry);
        _store.Commit([new CustodyEvent(now, CustodyEventKind.WhitelistAdded, string.Create(CultureInfo.InvariantCulture, $"user {userId}"),
            string.Create(CultureInfo.InvariantCulture, $"{parsed} by {addedBy}, usable from {entry.UsableFrom:u}"))]);
        return entry;
    }

    /// <summary>Requests a withdrawal. Policy refusals are recorded: the returned record is <see cref="WithdrawalStatus.Rejected"/> with its reason.</summary>
    /// <exception cref="WithdrawalException"><see cref="CustodyError.OperatorNameInvalid"/>.</exception>
    /// <exception cref="AmountFormatException"><see cref="CustodyError.AmountNotPositive"/>.</exception>
    /// <exception cref="AmountOutOfRangeException">Above 21e6 BTC.</exception>
    /// <exception cref="AddressFormatException">Not an address, or of another network.</exception>
    /// <exception cref="DustOutputException">Below the dust threshold of the destination.</exception>
    public WithdrawalRecord Request(ulong userId, string address, long amountSats, string requestedBy)
    {
        CheckName(requestedBy);
        if (amountSats == 0)
        {
            Throw.AmountFormat(CustodyError.AmountNotPositive, "a withdrawal must be at least 1 satoshi");
        }
        Money.Check(amountSats);
        var destination = BitcoinAddress.Parse(address, _store.Network);
        var output = new TxOut(amountSats, destination.ScriptPubKey);
        if (Money.IsDust(output))
        {
            throw new DustOutputException($"{amountSats} sat is below the dust threshold of {Money.DustThreshold(output)} sat for this address");
        }
        var policy = _store.Policy.Withdrawals;
        var now = _store.Time.GetUtcNow();
        var text = destination.ToString();
        var record = new WithdrawalRecord
        {
            Id = _store.State.NextWithdrawalId++,
            UserId = userId,
            Address = text,
            AmountSats = amountSats,
            RequestedBy = requestedBy,
            RequestedAt = now,
            Status = WithdrawalStatus.Pending,
            ApprovalsRequired = amountSats > policy.ApprovalThresholdSats ? policy.ApprovalsRequired : 0,
        };
        var (reason, detail) = CheckPolicy(record, now);
        var events = new List<CustodyEvent>
        {
            Event(now, CustodyEventKind.WithdrawalRequested, record, $"{Money.FormatBitcoin(amountSats)} BTC to {text} for user {userId} by {requestedBy}"),
        };
        if (reason != CustodyError.None)
        {
            record = record with { Status = WithdrawalStatus.Rejected, RejectReason = reason, RejectDetail = detail, ApprovalsRequired = 0 };
            events.Add(Event(now, CustodyEventKind.WithdrawalRejected, record, $"{(int)reason} {reason}: {detail}"));
        }
        else if (record.ApprovalsRequired == 0)
        {
            record = record with { Status = WithdrawalStatus.Approved };
            events.Add(Event(now, CustodyEventKind.WithdrawalApproved, record, "at or below the approval threshold"));
        }
        _store.State.Withdrawals.Add(record);
        _store.Commit(events);
        return record;
    }

    /// <summary>Approves a pending withdrawal; the last approval needed makes it <see cref="WithdrawalStatus.Approved"/>.</summary>
    /// <exception cref="WithdrawalException"><see cref="CustodyError.WithdrawalNotFound"/>, <see cref="CustodyError.WithdrawalInvalidState"/>,
    /// <see cref="CustodyError.OperatorNameInvalid"/>, <see cref="CustodyError.WithdrawalApproverIsRequester"/>, <see cref="CustodyError.WithdrawalDuplicateApprover"/>.</exception>
    public WithdrawalRecord Approve(ulong id, string approver)
    {
        var record = Get(id);
        if (record.Status != WithdrawalStatus.Pending)
        {
            Throw.Withdrawal(CustodyError.WithdrawalInvalidState, $"withdrawal {id} is {record.Status}, only pending withdrawals take approvals");
        }
        CheckName(approver);
        if (string.Equals(approver, record.RequestedBy, StringComparison.OrdinalIgnoreCase))
        {
            Throw.Withdrawal(CustodyError.WithdrawalApproverIsRequester, $"{approver} requested withdrawal {id} and cannot approve it");
        }
        if (record.Approvals.Any(a => string.Equals(a.Approver, approver, StringComparison.OrdinalIgnoreCase)))
        {
            Throw.Withdrawal(CustodyError.WithdrawalDuplicateApprover, $"{approver} has already approved withdrawal {id}");
        }
        var now = _store.Time.GetUtcNow();
        var next = record with { Approvals = [.. record.Approvals, new WithdrawalApproval(approver, now)] };
        var events = new List<CustodyEvent>
        {
            Event(now, CustodyEventKind.WithdrawalApprovalGiven, next, $"by {approver} ({next.Approvals.Count} of {next.ApprovalsRequired})"),
        };
        if (next.Approvals.Count >= next.ApprovalsRequired)
        {
            next = next with { Status = WithdrawalStatus.Approved };
            events.Add(Event(now, CustodyEventKind.WithdrawalApproved, next, string.Join(", ", next.Approvals.Select(a => a.Approver))));
        }
        Replace(next);
        _store.Commit(events);
        return next;
    }

    /// <summary>An operator rejects a pending or approved withdrawal (<see cref="CustodyError.WithdrawalRejectedByOperator"/>).</summary>
    /// <exception cref="WithdrawalException"><see cref="CustodyError.WithdrawalNotFound"/>, <see cref="CustodyError.WithdrawalInvalidState"/>.</exception>
    public WithdrawalRecord Reject(ulong id, string by, string why)
    {
        var record = Get(id);
        CheckName(by);
        if (record.Status is not (WithdrawalStatus.Pending or WithdrawalStatus.Approved))
        {
            Throw.Withdrawal(CustodyError.WithdrawalInvalidState, $"withdrawal {id} is {record.Status}; only pending or approved withdrawals can be rejected");
        }
        var now = _store.Time.GetUtcNow();
        var next = record with { Status = WithdrawalStatus.Rejected, RejectReason = CustodyError.WithdrawalRejectedByOperator, RejectDetail = $"by {by}: {why}" };
        Replace(next);
        _store.Commit([Event(now, CustodyEventKind.WithdrawalRejected, next, $"{(int)CustodyError.WithdrawalRejectedByOperator} {next.RejectDetail}")]);
        return next;
    }

    /// <summary>Sum and count of withdrawals not yet paid from the hot wallet (pending or approved).</summary>
    public (long AmountSats, int Count) Pending()
    {
        var open = _store.State.Withdrawals.Where(w => w.Status is WithdrawalStatus.Pending or WithdrawalStatus.Approved).ToList();
        return (Money.Sum(open.Select(w => w.AmountSats)), open.Count);
    }

    /// <summary>Updates signed, broadcast and recently confirmed withdrawals from the chain: retries broadcasts, counts confirmations, and
    /// moves a confirmed withdrawal whose transaction left the chain back to broadcast (logged as <see cref="CustodyEventKind.TransactionReorganised"/>)
    /// until it is final (<see cref="CustodyPolicy.FinalityConfirmations"/>). Needs no key.</summary>
    /// <returns>The withdrawals that became confirmed.</returns>
    public async Task<IReadOnlyList<WithdrawalRecord>> RefreshAsync(IBitcoinChain chain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var events = new List<CustodyEvent>();
        var confirmed = new List<WithdrawalRecord>();
        var now = _store.Time.GetUtcNow();
        var policy = _store.Policy;
        static bool Open(WithdrawalRecord w, int finality) =>
            w.TxId is not null && (w.Status is WithdrawalStatus.Signed or WithdrawalStatus.Broadcast || (w.Status == WithdrawalStatus.Confirmed && w.Confirmations < finality));
        foreach (var txid in _store.State.Withdrawals.Where(w => Open(w, policy.FinalityConfirmations)).Select(w => w.TxId!).Distinct(StringComparer.Ordinal).ToList())
        {
            var group = _store.State.Withdrawals.Where(w => w.TxId == txid && Open(w, policy.FinalityConfirmations)).ToList();
            var info = await chain.GetTransactionAsync(TxId.Parse(txid), cancellationToken).ConfigureAwait(false);
            if (info is null && group.TrueForAll(w => w.Status == WithdrawalStatus.Signed))
            {
                await TryBroadcastAsync(chain, Transaction.Parse(group[0].TransactionHex!), group, events, now, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var confirmations = info?.Confirmations ?? 0;
            foreach (var w in group)
            {
                var next = w with { Confirmations = confirmations, LastError = null };
                if (w.Status == WithdrawalStatus.Confirmed && confirmations < policy.SpendConfirmations)
                {
                    next = next with { Status = WithdrawalStatus.Broadcast, ConfirmedAt = null };
                    events.Add(Event(now, CustodyEventKind.TransactionReorganised, next,
                        $"{txid} {(info is null ? "is no longer known to the node" : "is back in the mempool")}; rebroadcast on the next refresh"));
                }
                else if (w.Status != WithdrawalStatus.Confirmed)
                {
                    next = next with { Status = WithdrawalStatus.Broadcast, BroadcastAt = w.BroadcastAt ?? now };
                    if (confirmations >= policy.SpendConfirmations)
                    {
                        next = next with { Status = WithdrawalStatus.Confirmed, ConfirmedAt = now };
                        events.Add(Event(now, CustodyEventKind.WithdrawalConfirmed, next, $"{confirmations} confirmation(s) in block {info!.BlockHeight}"));
                        confirmed.Add(next);
                    }
                }
                Replace(next);
            }
            if (info is null && group.Exists(w => w.Status == WithdrawalStatus.Broadcast))
            {
                // Dropped by the node (reorganised away and evicted): send it again; the inputs are still ours and locked.
                await TryBroadcastAsync(chain, Transaction.Parse(group[0].TransactionHex!), group.Select(w => Get(w.Id)).ToList(), events, now, cancellationToken).ConfigureAwait(false);
            }
        }
        _store.Commit(events);
        return confirmed;
    }

    /// <summary>Refreshes, then pays every approved withdrawal it can in one transaction signed with the hot wallet key.</summary>
    /// <param name="chain">The chain.</param>
    /// <param name="hotAccountKey">The hot wallet's private account key (from its key file).</param>
    /// <param name="feeRateSatPerVb">Fee rate; null asks the chain for an estimate.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="FeeRateException"><see cref="CustodyError.FeeRateInvalid"/>, <see cref="CustodyError.FeeRateAboveCap"/>.</exception>
    /// <exception cref="KeyFileException"><see cref="CustodyError.KeyFileWrongRole"/> when the key is not the hot wallet's.</exception>
    public async Task<WithdrawalProcessResult> ProcessAsync(IBitcoinChain chain, ExtendedPrivateKey hotAccountKey, long? feeRateSatPerVb, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(hotAccountKey);
        var hot = _wallets.Hot;
        if (!hotAccountKey.Neuter().Equals(hot.Account.Xpub))
        {
            Throw.KeyFile(CustodyError.KeyFileWrongRole, "this key is not the hot wallet's key");
        }
        var feeRate = await FeeRates.ResolveAsync(chain, _store.Policy, feeRateSatPerVb, cancellationToken).ConfigureAwait(false);
        var confirmed = await RefreshAsync(chain, cancellationToken).ConfigureAwait(false);
        var approved = _store.State.Withdrawals.Where(w => w.Status == WithdrawalStatus.Approved).OrderBy(w => w.Id).ToList();
        if (approved.Count == 0)
        {
            return new WithdrawalProcessResult([], confirmed, [], null, 0, null);
        }
        var utxos = await _wallets.GetHotUtxosAsync(chain, cancellationToken).ConfigureAwait(false);
        var changeScript = hot.ScriptPubKey(WalletChain.Change, _store.State.Hot!.NextInternalIndex);
        CoinSelectionResult? selection = null;
        var batch = approved;
        while (batch.Count > 0)
        {
            try
            {
                var payments = batch.Select(w => new TxOut(w.AmountSats, BitcoinAddress.Parse(w.Address, _store.Network).ScriptPubKey)).ToList();
                selection = CoinSelection.SelectLargestFirst(utxos, payments, changeScript, TransactionSize.P2wpkhInputWeight, feeRate);
                break;
            }
            catch (WithdrawalException e) when (e.Reason == CustodyError.InsufficientFunds)
            {
                batch = batch.GetRange(0, batch.Count - 1);
            }
        }
        var waiting = approved.Skip(batch.Count).ToList();
        if (selection is null)
        {
            return new WithdrawalProcessResult([], confirmed, waiting, null, 0, null);
        }
        var builder = new TransactionBuilder(_store.Network);
        foreach (var u in selection.Selected)
        {
            builder.AddInput(u.OutPoint, u.Output);
        }
        foreach (var w in batch)
        {
            builder.AddOutput(BitcoinAddress.Parse(w.Address, _store.Network), w.AmountSats);
        }
        if (selection.ChangeSats > 0)
        {
            var (changeAddress, _) = _wallets.TakeHotInternalAddress();
            builder.AddOutput(changeAddress, selection.ChangeSats);
        }
        var psbt = builder.BuildPsbt();
        var keys = new List<PrivateKey>();
        var children = new List<ExtendedPrivateKey>();
        try
        {
            foreach (var u in selection.Selected)
            {
                var child = hotAccountKey.Derive(new KeyPath([u.Chain, u.Index]));
                children.Add(child);
                keys.Add(child.PrivateKey);
            }
            PsbtRoles.Sign(psbt, keys);
        }
        finally
        {
            children.ForEach(c => c.Dispose());
        }
        PsbtRoles.Finalize(psbt);
        var tx = PsbtRoles.Extract(psbt);
        var verdict = ScriptVerifier.VerifyTransaction(tx, selection.Selected.Select(u => u.Output).ToList());
        if (verdict != ScriptError.Ok || tx.GetVirtualSize() > selection.VirtualSize)
        {
            throw new InvalidOperationException($"the signed withdrawal transaction failed its own checks ({verdict}, {tx.GetVirtualSize()} vB)");
        }
        var now = _store.Time.GetUtcNow();
        var txid = tx.GetTxId().ToString();
        var events = new List<CustodyEvent>();
        var paid = new List<WithdrawalRecord>();
        for (var i = 0; i < batch.Count; i++)
        {
            var next = batch[i] with
            {
                Status = WithdrawalStatus.Signed,
                TxId = txid,
                Vout = (uint)i,
                TransactionFeeSats = selection.FeeSats,
                TransactionHex = tx.ToHex(),
                SignedAt = now,
            };
            Replace(next);
            paid.Add(next);
            events.Add(Event(now, CustodyEventKind.WithdrawalSigned, next, $"in {txid}:{i}, fee {selection.FeeSats} sat for the batch at {feeRate} sat/vB"));
        }
        // Commit the signed state before broadcasting: a crash after the broadcast must not lead to paying twice.
        _store.Commit(events);
        events.Clear();
        var error = await TryBroadcastAsync(chain, tx, paid, events, now, cancellationToken).ConfigureAwait(false);
        _store.Commit(events);
        return new WithdrawalProcessResult(paid.Select(p => Get(p.Id)).ToList(), confirmed, waiting, txid, selection.FeeSats, error);
    }

    private async Task<string?> TryBroadcastAsync(IBitcoinChain chain, Transaction tx, IReadOnlyList<WithdrawalRecord> group, List<CustodyEvent> events,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await chain.BroadcastAsync(tx, cancellationToken).ConfigureAwait(false);
        }
        catch (ChainException e) when (e.Reason == CustodyError.ChainAlreadyInChain)
        {
            // Already mined: a broadcast that succeeded before a crash.
        }
        catch (ChainException e) when (e.Reason is CustodyError.ChainInputsMissingOrSpent or CustodyError.ChainTransactionRejected or CustodyError.ChainFeeNegative)
        {
            // This transaction can never be valid: its withdrawals go back to approved and are paid by a new one.
            foreach (var w in group)
            {
                var back = Get(w.Id) with { Status = WithdrawalStatus.Approved, TxId = null, Vout = null, TransactionHex = null, TransactionFeeSats = null, SignedAt = null, LastError = e.Message };
                Replace(back);
                events.Add(Event(now, CustodyEventKind.WithdrawalApproved, back, $"transaction refused by the node, back to approved: {e.Message}"));
            }
            return e.Message;
        }
        catch (ChainException e)
        {
            foreach (var w in group)
            {
                Replace(Get(w.Id) with { LastError = e.Message });
            }
            return e.Message;
        }
        foreach (var w in group)
        {
            var current = Get(w.Id);
            var next = current with { Status = WithdrawalStatus.Broadcast, BroadcastAt = current.BroadcastAt ?? now, LastError = null };
            Replace(next);
            events.Add(Event(now, CustodyEventKind.WithdrawalBroadcast, next, $"{next.TxId}:{next.Vout}"));
        }
        return null;
    }

    private (CustodyError Reason, string Detail) CheckPolicy(WithdrawalRecord record, DateTimeOffset now)
    {
        var policy = _store.Policy.Withdrawals;
        var entry = _store.State.Whitelist.Find(w => w.UserId == record.UserId && w.Address == record.Address);
        if (entry is null)
        {
            return (CustodyError.WithdrawalAddressNotWhitelisted, $"{record.Address} is not on user {record.UserId}'s whitelist");
        }
        if (now < entry.UsableFrom)
        {
            return (CustodyError.WithdrawalAddressCoolingOff, $"{record.Address} is usable from {entry.UsableFrom:u} (cooling-off)");
        }
        if (record.AmountSats > policy.PerTransactionMaxSats)
        {
            return (CustodyError.WithdrawalPerTransactionLimit, $"{Money.FormatBitcoin(record.AmountSats)} BTC is above the per-transaction limit of {Money.FormatBitcoin(policy.PerTransactionMaxSats)} BTC");
        }
        var since = now.AddHours(-24);
        var recent = _store.State.Withdrawals.Where(w => w.Status != WithdrawalStatus.Rejected && w.RequestedAt > since).ToList();
        var user = Money.Sum(recent.Where(w => w.UserId == record.UserId).Select(w => w.AmountSats));
        if (user + record.AmountSats > policy.DailyUserMaxSats)
        {
            return (CustodyError.WithdrawalDailyUserLimit, $"user {record.UserId} would withdraw {Money.FormatBitcoin(user + record.AmountSats)} BTC in 24 hours, above {Money.FormatBitcoin(policy.DailyUserMaxSats)} BTC");
        }
        var total = Money.Sum(recent.Select(w => w.AmountSats));
        if (total + record.AmountSats > policy.DailyTotalMaxSats)
        {
            return (CustodyError.WithdrawalDailyTotalLimit, $"withdrawals would total {Money.FormatBitcoin(total + record.AmountSats)} BTC in 24 hours, above {Money.FormatBitcoin(policy.DailyTotalMaxSats)} BTC");
        }
        return (CustodyError.None, string.Empty);
    }

    private void Replace(WithdrawalRecord record)
    {
        var list = _store.State.Withdrawals;
        list[list.FindIndex(w => w.Id == record.Id)] = record;
    }

    internal static void CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 64 || name.Any(char.IsControl))
        {
            Throw.Withdrawal(CustodyError.OperatorNameInvalid, "a name is 1..64 printable characters");
        }
    }

    private static CustodyEvent Event(DateTimeOffset at, CustodyEventKind kind, WithdrawalRecord w, string detail) =>
        new(at, kind, string.Create(CultureInfo.InvariantCulture, $"withdrawal {w.Id}"), detail);
}

/// <summary>Fee rate resolution shared by withdrawals and rebalancing.</summary>
public static class FeeRates
{
    /// <summary>The given rate, or the chain's estimate for the policy's target; checked against 1..<see cref="CustodyPolicy.FeeRateCapSatPerVb"/>.</summary>
    /// <exception cref="FeeRateException"><see cref="CustodyError.FeeRateInvalid"/>, <see cref="CustodyError.FeeRateAboveCap"/>.</exception>
    public static async Task<long> ResolveAsync(IBitcoinChain chain, CustodyPolicy policy, long? requestedSatPerVb, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(policy);
        var rate = requestedSatPerVb ?? await chain.EstimateFeeRateAsync(policy.FeeEstimateTargetBlocks, cancellationToken).ConfigureAwait(false);
        Check(rate, policy);
        return rate;
    }

    /// <summary>Checks a rate against 1..cap.</summary>
    /// <exception cref="FeeRateException"><see cref="CustodyError.FeeRateInvalid"/>, <see cref="CustodyError.FeeRateAboveCap"/>.</exception>
    public static void Check(long rateSatPerVb, CustodyPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (rateSatPerVb < 1)
        {
            Throw.FeeRate(CustodyError.FeeRateInvalid, "a fee rate is at least 1 sat/vB");
        }
        if (rateSatPerVb > policy.FeeRateCapSatPerVb)
        {
            Throw.FeeRate(CustodyError.FeeRateAboveCap, string.Create(CultureInfo.InvariantCulture,
                $"{rateSatPerVb} sat/vB is above the cap of {policy.FeeRateCapSatPerVb} sat/vB (custody/policy.json feeRateCapSatPerVb)"));
        }
    }
}
