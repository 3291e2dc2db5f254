namespace BitCurrent.Custody.Tests;

/// <summary>Cold-to-hot rebalancing with the 5-of-9 cold wallet: every transition and every refusal.</summary>
public class RebalanceTests
{
    private static async Task<(CustodyFixture Fixture, RebalanceDesk Desk, RebalanceRecord Record)> Initiated(string amount = "2.0")
    {
        var f = new CustodyFixture();
        f.FundCold(Btc.Of("10"));
        var desk = new RebalanceDesk(f.Store);
        var record = await desk.InitiateAsync(f.Chain, Btc.Of(amount), 2, "ops", cancellationToken: Test.Ct);
        return (f, desk, record);
    }

    private static void SignWith(CustodyFixture f, RebalanceDesk desk, string id, params int[] signers)
    {
        foreach (var s in signers)
        {
            using var key = f.SignerKey(s);
            desk.Sign(id, s, key);
        }
    }

    [Fact]
    public async Task End_to_end_five_of_nine_rebalance_on_the_simulated_chain()
    {
        var (f, desk, record) = await Initiated();
        using var _ = f;
        var monitor = new HotWalletMonitor(f.Store);
        var before = await monitor.GetStatusAsync(f.Chain, cancellationToken: Test.Ct);
        Assert.Equal(0, before.BalanceSats);
        Assert.True(before.IsLow);
        Assert.Equal("LowHotWalletBalance", before.Condition);

        // The PSBT carries what each signer needs to find its key and check the transaction.
        var psbt = Psbt.ParseBase64(record.Psbt);
        Assert.Equal(record.Id, psbt.UnsignedTransaction.GetTxId().ToString());
        Assert.Equal(RebalanceState.AwaitingSignatures, record.State);
        Assert.Equal(9, psbt.Inputs[0].Bip32Derivations.Count);
        Assert.All(psbt.Inputs[0].Bip32Derivations, d => Assert.Equal("m/48'/1'/0'/2'/0/0", d.Origin.Path.ToString()));
        Assert.Equal(f.SignerKeys.Select(k => k.MasterFingerprint).Order(), psbt.Inputs[0].Bip32Derivations.Select(d => d.Origin.MasterFingerprint).Order());
        Assert.NotNull(psbt.Inputs[0].NonWitnessUtxo);
        Assert.Equal(f.Cold.WitnessScript(0, 0), psbt.Inputs[0].WitnessScript);
        Assert.Equal(9, psbt.GlobalXpubs.Count);
        Assert.Equal(f.Cold.WitnessScript(WalletChain.Change, 0), psbt.Outputs[1].WitnessScript);
        Assert.Single(psbt.Outputs[0].Bip32Derivations);
        Assert.Equal(Btc.Of("2"), psbt.UnsignedTransaction.Outputs[0].Value);
        Assert.Equal(f.Hot.ScriptPubKey(WalletChain.Change, 0), psbt.UnsignedTransaction.Outputs[0].ScriptPubKey);
        Assert.Equal(Btc.Of("10") - Btc.Of("2") - record.FeeSats, record.ChangeSats);
        Assert.Equal(record.FeeSats, psbt.GetFee());

        // Signers 2, 4, 6, 8 sign: four of five.
        SignWith(f, desk, record.Id, 2, 4, 6, 8);
        var short1 = await Assert.ThrowsAsync<RebalanceException>(() => desk.BroadcastAsync(record.Id, f.Chain, cancellationToken: Test.Ct));
        Assert.Equal(CustodyError.RebalanceThresholdNotMet, short1.Reason);
        Assert.Contains("4 of 5 signatures present", short1.Message, StringComparison.Ordinal);
        Assert.Empty(f.Chain.Mempool);

        // The fifth.
        using (var key9 = f.SignerKey(9))
        {
            var outcome = desk.Sign(record.Id, 9, key9);
            Assert.True(outcome.Added);
            Assert.Equal((5, 5), (outcome.SignaturesPresent, outcome.SignaturesRequired));
            Assert.Equal(RebalanceState.ReadyToBroadcast, outcome.Record.State);
        }
        var broadcast = await desk.BroadcastAsync(record.Id, f.Chain, cancellationToken: Test.Ct);
        Assert.Equal(RebalanceState.Broadcast, broadcast.State);
        var tx = Assert.Single(f.Chain.Mempool);
        Assert.Equal(record.Id, tx.GetTxId().ToString());
        Assert.Equal(7, tx.Inputs[0].Witness.Count); // dummy, five signatures, witness script
        Assert.True(tx.GetVirtualSize() * 2 <= record.FeeSats);
        Assert.Equal(0, (await desk.MonitorAsync(record.Id, f.Chain, cancellationToken: Test.Ct)).Confirmations);
        Assert.Equal(0, (await monitor.GetStatusAsync(f.Chain, cancellationToken: Test.Ct)).BalanceSats);

        f.Chain.Mine(1);
        var confirmed = await desk.MonitorAsync(record.Id, f.Chain, cancellationToken: Test.Ct);
        Assert.Equal(RebalanceState.Confirmed, confirmed.State);
        Assert.Equal(1, confirmed.Confirmations);
        Assert.Equal(f.Chain.Height, confirmed.BlockHeight);
        var after = await monitor.GetStatusAsync(f.Chain, cancellationToken: Test.Ct);
        Assert.Equal(Btc.Of("2"), after.BalanceSats);
        Assert.False(after.IsLow);
        Assert.Equal("Normal", after.Condition);
        // The cold wallet keeps the change.
        var cold = await f.Wallets.GetColdUtxosAsync(f.Chain, cancellationToken: Test.Ct);
        Assert.Equal(record.ChangeSats, Assert.Single(cold).Output.Value);
        Assert.Equal(WalletChain.Change, cold[0].Chain);

        var trail = f.Store.ReadAuditLog().Where(e => e.Subject == $"rebalance {record.Id}").Select(e => e.Kind).ToList();
        Assert.Equal([CustodyEventKind.RebalanceInitiated, .. Enumerable.Repeat(CustodyEventKind.RebalanceSigned, 5), CustodyEventKind.RebalanceBroadcast,
            CustodyEventKind.RebalanceConfirmed], trail);
        Assert.Equal([2, 4, 6, 8, 9], confirmed.Signatures.Select(s => s.Signer));
        Assert.Equal(CustodyError.RebalanceInvalidState, (await Assert.ThrowsAsync<RebalanceException>(() => desk.BroadcastAsync(record.Id, f.Chain, cancellationToken: Test.Ct))).Reason);
    }

    [Fact]
    public async Task Signing_twice_with_the_same_key_adds_nothing()
    {
        var (f, desk, record) = await Initiated();
        using var _ = f;
        using var key = f.SignerKey(3);
        Assert.True(desk.Sign(record.Id, 3, key).Added);
        var psbt = desk.Get(record.Id).Psbt;
        var again = desk.Sign(record.Id, 3, key);
        Assert.False(again.Added);
        Assert.Equal(1, again.SignaturesPresent);
        Assert.Equal(psbt, desk.Get(record.Id).Psbt);
        Assert.Single(desk.Get(record.Id).Signatures);
    }

    [Fact]
    public async Task A_key_file_of_another_signer_or_of_no_signer_is_refused()
    {
        var (f, desk, record) = await Initiated();
        using var _ = f;
        using var key5 = f.SignerKey(5);
        var mismatch = Assert.Throws<RebalanceException>(() => desk.Sign(record.Id, 4, key5));
        Assert.Equal(CustodyError.RebalanceSignerMismatch, mismatch.Reason);
        Assert.Contains("signer 5's, not signer 4's", mismatch.Message, StringComparison.Ordinal);
        using var hot = f.HotAccountKey();
        Assert.Equal(CustodyError.RebalanceSignerMismatch, Assert.Throws<RebalanceException>(() => desk.Sign(record.Id, 1, hot)).Reason);
        Assert.Equal(CustodyError.RebalanceSignerIndexOutOfRange, Assert.Throws<RebalanceException>(() => desk.Sign(record.Id, 10, key5)).Reason);
        Assert.Equal(CustodyError.RebalanceSignerIndexOutOfRange, Assert.Throws<RebalanceException>(() => desk.Sign(record.Id, 0, key5)).Reason);
        Assert.Empty(desk.Get(record.Id).Signatures);
    }

    [Fact]
    public async Task A_wrong_passphrase_cannot_sign()
    {
        var (f, desk, record) = await Initiated();
        using var _ = f;
        var e = Assert.Throws<KeyFileException>(() => f.SignerKeys[0].UnlockAccountKey("not the passphrase"));
        Assert.Equal(CustodyError.KeyFileWrongPassphrase, e.Reason);
        Assert.Empty(desk.Get(record.Id).Signatures);
    }

    [Fact]
    public async Task An_imported_signature_by_an_unknown_key_is_refused()
    {
        var (f, desk, record) = await Initiated();
        using var _ = f;
        var psbt = Psbt.ParseBase64(desk.Export(record.Id));
        var stranger = new PrivateKey(Hashes.Sha256("stranger"u8));
        var sighash = SignatureHash.WitnessV0(psbt.UnsignedTransaction, 0, f.Cold.WitnessScript(0, 0), Btc.Of("10"), (int)SigHashType.All);
        psbt.Inputs[0].AddPartialSignature(stranger.PublicKey, [.. stranger.Sign(sighash).ToDer(), (byte)SigHashType.All]);
        var e = Assert.Throws<RebalanceException>(() => desk.Import(record.Id, psbt));
        Assert.Equal(CustodyError.RebalanceUnknownSignerKey, e.Reason);
        Assert.Empty(desk.Get(record.Id).Signatures);
    }

    [Fact]
    public async Task A_signature_over_a_changed_transaction_is_refused_at_import_and_at_broadcast()
    {
        var (f, desk, record) = await Initiated();
        using var _ = f;
        // Signer 1 signs a copy whose payment was changed (more to the hot output, less change): the signature is real but covers another transaction.
        var changed = Psbt.ParseBase64(desk.Export(record.Id)).UnsignedTransaction.Clone();
        changed.Outputs[0].Value += 1_000_000;
        changed.Outputs[1].Value -= 1_000_000;
        using var account1 = f.SignerKey(1);
        using var child = account1.Derive(new KeyPath([0, 0]));
        var badSig = child.PrivateKey.Sign(SignatureHash.WitnessV0(changed, 0, f.Cold.WitnessScript(0, 0), Btc.Of("10"), (int)SigHashType.All));
        var forged = Psbt.ParseBase64(desk.Export(record.Id));
        forged.Inputs[0].AddPartialSignature(child.PublicKey, [.. badSig.ToDer(), (byte)SigHashType.All]);
        var atImport = Assert.Throws<RebalanceException>(() => desk.Import(record.Id, forged));
        Assert.Equal(CustodyError.RebalanceSignatureInvalid, atImport.Reason);
        Assert.Contains("signer 1", atImport.Message, StringComparison.Ordinal);

        // The same bad signature written straight into the stored record (an edited state file) is caught at signing and at broadcast.
        SignWith(f, desk, record.Id, 2, 3, 4, 5);
        var list = f.Store.State.Rebalances;
        var stored = Psbt.ParseBase64(list[0].Psbt);
        stored.Inputs[0].AddPartialSignature(child.PublicKey, [.. badSig.ToDer(), (byte)SigHashType.All]);
        list[0] = list[0] with { Psbt = stored.ToBase64(), State = RebalanceState.ReadyToBroadcast };
        Assert.Equal(CustodyError.RebalanceSignatureInvalid, (await Assert.ThrowsAsync<RebalanceException>(() => desk.BroadcastAsync(record.Id, f.Chain, cancellationToken: Test.Ct))).Reason);
        using var key6 = f.SignerKey(6);
        Assert.Equal(CustodyError.RebalanceSignatureInvalid, Assert.Throws<RebalanceException>(() => desk.Sign(record.Id, 6, key6)).Reason);
        Assert.Empty(f.Chain.Mempool);
    }

    [Fact]
    public async Task A_stored_transfer_redirected_elsewhere_is_refused_before_anyone_signs()
    {
        var (f, desk, record) = await Initiated();
        using var _ = f;
        // An edited state file: a PSBT over the same cold coins paying an outside address, with the record's id updated to match.
        var stolen = Psbt.ParseBase64(record.Psbt);
        var tx = stolen.UnsignedTransaction.Clone();
        tx.Outputs[0].ScriptPubKey = BitcoinAddress.Parse("bcrt1qqzh2ngh97ru8dfvgma25d6r595wcwqy0cee4cc", Network.Regtest).ScriptPubKey;
        var evil = Psbt.Create(tx);
        evil.Inputs[0].WitnessUtxo = stolen.Inputs[0].WitnessUtxo;
        evil.Inputs[0].WitnessScript = stolen.Inputs[0].WitnessScript;
        foreach (var (key, origin) in stolen.Inputs[0].Bip32Derivations)
        {
            evil.Inputs[0].AddBip32Derivation(key, origin);
        }
        var list = f.Store.State.Rebalances;
        list[0] = list[0] with { Id = tx.GetTxId().ToString(), Psbt = evil.ToBase64() };
        using var key1 = f.SignerKey(1);
        var e = Assert.Throws<RebalanceException>(() => desk.Sign(tx.GetTxId().ToString(), 1, key1));
        Assert.Equal(CustodyError.RebalancePsbtInconsistent, e.Reason);

        // An edited amount (the record says more than the transaction pays) is refused too.
        list[0] = list[0] with { Id = record.Id, Psbt = record.Psbt, AmountSats = record.AmountSats + 1 };
        Assert.Equal(CustodyError.RebalancePsbtInconsistent, Assert.Throws<RebalanceException>(() => desk.Sign(record.Id, 1, key1)).Reason);
        Assert.Empty(f.Store.Rebalances[0].Signatures);
    }

    [Fact]
    public async Task A_psbt_of_another_transaction_is_refused()
    {
        var (f, desk, record) = await Initiated();
        using var _ = f;
        var other = Psbt.ParseBase64(desk.Export(record.Id)).UnsignedTransaction.Clone();
        other.LockTime = 1;
        var e = Assert.Throws<RebalanceException>(() => desk.Import(record.Id, Psbt.Create(other)));
        Assert.Equal(CustodyError.RebalanceTransactionChanged, e.Reason);
    }

    [Fact]
    public async Task A_psbt_signed_elsewhere_is_imported_after_its_signatures_are_checked()
    {
        var (f, desk, record) = await Initiated();
        using var _ = f;
        SignWith(f, desk, record.Id, 1, 2);
        // Signers 3, 4 and 5 sign the exported PSBT with a generic BIP-174 signer, on their own copies, then it is combined elsewhere.
        var exported = desk.Export(record.Id);
        var copies = new List<Psbt>();
        foreach (var s in new[] { 3, 4, 5 })
        {
            var copy = Psbt.ParseBase64(exported);
            using var account = f.SignerKey(s);
            using var child = account.Derive(new KeyPath([0, 0]));
            Assert.Equal(PsbtInputSignStatus.Signed, PsbtRoles.Sign(copy, [child.PrivateKey])[0].Status);
            copies.Add(copy);
        }
        var outcome = desk.Import(record.Id, PsbtRoles.Combine(copies));
        Assert.True(outcome.Added);
        Assert.Equal(5, outcome.SignaturesPresent);
        Assert.Equal(RebalanceState.ReadyToBroadcast, outcome.Record.State);
        Assert.Equal(["key-file", "key-file", "import", "import", "import"], outcome.Record.Signatures.Select(s => s.Source));
        Assert.False(desk.Import(record.Id, copies[0]).Added);
        await desk.BroadcastAsync(record.Id, f.Chain, cancellationToken: Test.Ct);
        f.Chain.Mine(1);
        Assert.Equal(RebalanceState.Confirmed, (await desk.MonitorAsync(record.Id, f.Chain, cancellationToken: Test.Ct)).State);
    }

    [Fact]
    public async Task Initiation_refusals_and_locked_outputs()
    {
        using var f = new CustodyFixture();
        var desk = new RebalanceDesk(f.Store);
        Assert.Equal(CustodyError.InsufficientFunds, (await Assert.ThrowsAsync<WithdrawalException>(() => desk.InitiateAsync(f.Chain, Btc.Of("1"), 2, "ops", cancellationToken: Test.Ct))).Reason);
        f.FundCold(Btc.Of("3"));
        Assert.Equal(CustodyError.RebalanceRouteUnsupported, (await Assert.ThrowsAsync<RebalanceException>(() => desk.InitiateAsync(f.Chain, Btc.Of("1"), 2, "ops", "hot", "cold", cancellationToken: Test.Ct))).Reason);
        Assert.Equal(CustodyError.CurrencyUnsupported, (await Assert.ThrowsAsync<AmountFormatException>(() => desk.InitiateAsync(f.Chain, Btc.Of("1"), 2, "ops", currency: "ETH", cancellationToken: Test.Ct))).Reason);
        Assert.Equal(CustodyError.AmountNotPositive, (await Assert.ThrowsAsync<AmountFormatException>(() => desk.InitiateAsync(f.Chain, 0, 2, "ops", cancellationToken: Test.Ct))).Reason);
        Assert.Equal(CustodyError.DustOutput, (await Assert.ThrowsAsync<DustOutputException>(() => desk.InitiateAsync(f.Chain, 100, 2, "ops", cancellationToken: Test.Ct))).Reason);
        Assert.Equal(CustodyError.FeeRateAboveCap, (await Assert.ThrowsAsync<FeeRateException>(() => desk.InitiateAsync(f.Chain, Btc.Of("1"), 201, "ops", cancellationToken: Test.Ct))).Reason);
        Assert.Equal(CustodyError.InsufficientFunds, (await Assert.ThrowsAsync<WithdrawalException>(() => desk.InitiateAsync(f.Chain, Btc.Of("3"), 2, "ops", cancellationToken: Test.Ct))).Reason);
        Assert.Empty(f.Store.Rebalances);

        var first = await desk.InitiateAsync(f.Chain, Btc.Of("1"), 2, "ops", cancellationToken: Test.Ct);
        // Its input is locked: a second rebalancing finds nothing to spend until the first is cancelled.
        Assert.Equal(CustodyError.InsufficientFunds, (await Assert.ThrowsAsync<WithdrawalException>(() => desk.InitiateAsync(f.Chain, Btc.Of("1"), 2, "ops", cancellationToken: Test.Ct))).Reason);
        Assert.Equal(RebalanceState.Cancelled, desk.Cancel(first.Id, "ops").State);
        using var key = f.SignerKey(1);
        Assert.Equal(CustodyError.RebalanceInvalidState, Assert.Throws<RebalanceException>(() => desk.Sign(first.Id, 1, key)).Reason);
        var second = await desk.InitiateAsync(f.Chain, Btc.Of("1"), 2, "ops", cancellationToken: Test.Ct);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(second, desk.Get(second.Id[..8]));
        Assert.Equal(CustodyError.RebalanceNotFound, Assert.Throws<RebalanceException>(() => desk.Get("deadbeef")).Reason);
    }

    [Fact]
    public async Task A_broadcast_rebalancing_that_is_reorganised_out_goes_back_to_broadcast()
    {
        var (f, desk, record) = await Initiated();
        using var _ = f;
        SignWith(f, desk, record.Id, 1, 2, 3, 4, 5);
        await desk.BroadcastAsync(record.Id, f.Chain, cancellationToken: Test.Ct);
        f.Chain.Mine(1);
        Assert.Equal(RebalanceState.Confirmed, (await desk.MonitorAsync(record.Id, f.Chain, cancellationToken: Test.Ct)).State);
        f.Chain.Disconnect(1);
        var back = await desk.MonitorAsync(record.Id, f.Chain, cancellationToken: Test.Ct);
        Assert.Equal(RebalanceState.Broadcast, back.State);
        Assert.Equal(0, back.Confirmations);
        Assert.Contains(f.Store.ReadAuditLog(), e => e.Kind == CustodyEventKind.TransactionReorganised);
        f.Chain.Mine(1);
        Assert.Equal(RebalanceState.Confirmed, (await desk.MonitorAsync(record.Id, f.Chain, cancellationToken: Test.Ct)).State);
    }

    [Fact]
    public async Task State_survives_reopening_the_data_directory()
    {
        var (f, desk, record) = await Initiated();
        using var _ = f;
        SignWith(f, desk, record.Id, 7);
        f.Store.Dispose();
        using var reopened = CustodyStore.Open(f.Store.DataDirectory, f.Clock);
        var again = new RebalanceDesk(reopened);
        Assert.Single(again.Get(record.Id).Signatures);
        Assert.Equal(f.Cold.ReceiveDescriptor, reopened.ColdWallet!.ReceiveDescriptor);
        using var key = f.SignerKey(8);
        Assert.Equal(2, again.Sign(record.Id, 8, key).SignaturesPresent);
    }

    [Fact]
    public async Task An_edited_cold_wallet_descriptor_is_detected_on_open()
    {
        var (f, _, _) = await Initiated();
        using var _f = f;
        f.Store.Dispose();
        var path = Path.Combine(f.Store.CustodyDirectory, CustodyStore.StateFileName);
        var state = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        var signers = state["cold"]!["signers"]!.AsArray();
        // Swap signers 2 and 3 in the list but not in the descriptor: the stored descriptor no longer matches.
        var second = signers[1]!.GetValue<string>();
        signers[1] = signers[2]!.GetValue<string>();
        signers[2] = second;
        File.WriteAllText(path, state.ToJsonString());
        Assert.Equal(CustodyError.DescriptorChecksumMismatch, Assert.Throws<CustodyStateException>(() => CustodyStore.Open(f.Store.DataDirectory, f.Clock)).Reason);
    }
}
