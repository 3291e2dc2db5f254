using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

public partial class PsbtEdgeTests
{
    private static PrivateKey Key(byte fill) => new(Filled(32, fill));

    /// <summary>A previous transaction paying 50 000 sat to each script, and an unsigned transaction spending every one of them.</summary>
    private static (Psbt Psbt, Transaction Previous) Funding(params Script[] scripts)
    {
        var prev = new Transaction { Version = 2, Inputs = { new TxIn(new OutPoint(new TxId(Filled(32, 0x33)), 0)) } };
        foreach (var script in scripts) prev.Outputs.Add(new TxOut(50_000, script));
        var tx = new Transaction { Version = 2 };
        for (var i = 0; i < scripts.Length; i++) tx.Inputs.Add(new TxIn(new OutPoint(prev.GetTxId(), (uint)i)));
        tx.Outputs.Add(new TxOut((50_000 * scripts.Length) - 1_000, Script.P2wpkh(Filled(20, 0x22))));
        return (Psbt.Create(tx), prev);
    }

    private static byte[] Push(params byte[][] items)
    {
        var builder = new ScriptBuilder();
        foreach (var item in items) builder.Push(item);
        return builder.ToScript().ToBytes();
    }

    private static readonly PsbtInputSignResult SignedOk = new(PsbtInputSignStatus.Signed, CustodyError.None);

    // ---------------------------------------------------------------- arguments

    [Fact]
    public void Roles_refuse_null_arguments()
    {
        var psbt = Psbt.Create(OneInOneOut());
        var origins = new Dictionary<PublicKey, KeyOrigin>();
        Assert.Throws<ArgumentNullException>(() => PsbtRoles.Update(null!, [], [], origins));
        Assert.Throws<ArgumentNullException>(() => PsbtRoles.Update(psbt, null!, [], origins));
        Assert.Equal("scripts", Assert.Throws<ArgumentNullException>(() => PsbtRoles.Update(psbt, [], null!, origins)).ParamName);
        Assert.Throws<ArgumentNullException>(() => PsbtRoles.Update(psbt, [], [], null!));
        Assert.Throws<ArgumentNullException>(() => PsbtRoles.SetSigHashType(null!, SigHashType.All));
        Assert.Throws<ArgumentNullException>(() => PsbtRoles.Sign(null!, []));
        Assert.Equal("keys", Assert.Throws<ArgumentNullException>(() => PsbtRoles.Sign(psbt, null!)).ParamName);
        Assert.Throws<ArgumentNullException>(() => PsbtRoles.Combine(null!));
        Assert.Throws<ArgumentException>(() => PsbtRoles.Combine([]));
        Assert.Throws<ArgumentNullException>(() => PsbtRoles.TryFinalize(null!));
        Assert.Throws<ArgumentNullException>(() => PsbtRoles.Finalize(null!));
        Assert.Throws<ArgumentNullException>(() => PsbtRoles.FinalizeInput(null!, 0));
        Assert.Throws<ArgumentNullException>(() => PsbtRoles.Extract(null!));
        Assert.Equal(CustodyError.PsbtIndexOutOfRange, PsbtRoles.FinalizeInput(psbt, -1));
        Assert.Equal(CustodyError.PsbtIndexOutOfRange, PsbtRoles.FinalizeInput(psbt, 1));
        Assert.Equal(CustodyError.PsbtMissingUtxo, PsbtRoles.FinalizeInput(psbt, 0));
    }

    // ---------------------------------------------------------------- legacy spends: P2PKH and P2PK

    [Fact]
    public void Legacy_P2PKH_input_is_signed_finalized_and_extracted()
    {
        using var key = Key(0x01);
        var (psbt, prev) = Funding(Script.P2pkh(key.PublicKey));
        psbt.Inputs[0].NonWitnessUtxo = prev;
        Assert.Equal([SignedOk], PsbtRoles.Sign(psbt, [key]));

        var (signer, sig) = Assert.Single(psbt.Inputs[0].PartialSignatures);
        Assert.Equal(key.PublicKey, signer);
        Assert.Equal(0x01, sig[^1]);
        var sighash = SignatureHash.Legacy(psbt.UnsignedTransaction, 0, Script.P2pkh(key.PublicKey), 0x01);
        Assert.True(key.PublicKey.Verify(sighash, EcdsaSignature.FromDer(sig.AsSpan(0, sig.Length - 1))));
        Assert.Null(psbt.Inputs[0].WitnessUtxo);

        Assert.Equal(CustodyError.None, PsbtRoles.FinalizeInput(psbt, 0));
        Assert.Equal(Push(sig, key.PublicKey.ToBytes()), psbt.Inputs[0].FinalScriptSig!.ToBytes());
        Assert.Null(psbt.Inputs[0].FinalScriptWitness);
        Assert.Equal(new byte[] { 0x00, 0x07 }, InputTypesWritten(psbt));
        var final = PsbtRoles.Extract(psbt);
        Assert.Equal(ScriptError.Ok, ScriptVerifier.VerifyTransaction(final, [prev.Outputs[0]]));
    }

    [Fact]
    public void Legacy_P2PK_input_is_signed_and_finalized_with_the_signature_alone()
    {
        using var key = Key(0x02);
        var (psbt, prev) = Funding(Script.P2pk(key.PublicKey));
        psbt.Inputs[0].NonWitnessUtxo = prev;
        Assert.Equal([SignedOk], PsbtRoles.Sign(psbt, [key]));
        var (_, sig) = Assert.Single(psbt.Inputs[0].PartialSignatures);
        Assert.True(PsbtRoles.TryFinalize(psbt));
        Assert.Equal(Push(sig), psbt.Inputs[0].FinalScriptSig!.ToBytes());
        Assert.Equal(ScriptError.Ok, ScriptVerifier.VerifyTransaction(PsbtRoles.Extract(psbt), [prev.Outputs[0]]));
    }

    [Fact]
    public void P2PK_input_without_the_keys_signature_cannot_be_finalized()
    {
        using var key = Key(0x02);
        var (psbt, prev) = Funding(Script.P2pk(key.PublicKey));
        psbt.Inputs[0].NonWitnessUtxo = prev;
        psbt.Inputs[0].AddPartialSignature(PublicKey.Parse(G1), MinimalDer(0x01));
        Assert.Equal(CustodyError.PsbtCannotFinalize, PsbtRoles.FinalizeInput(psbt, 0));
        Assert.False(psbt.Inputs[0].IsFinalized);
    }

    // ---------------------------------------------------------------- P2WPKH finalizer details

    [Fact]
    public void P2WPKH_finalizer_adds_the_witness_utxo_and_no_empty_scriptSig()
    {
        using var key = Key(0x03);
        var (psbt, prev) = Funding(Script.P2wpkh(key.PublicKey));
        var input = psbt.Inputs[0];
        input.NonWitnessUtxo = prev;
        Assert.Equal([SignedOk], PsbtRoles.Sign(psbt, [key]));
        // The signer records the witness UTXO of a segwit input it signs; take it away to see the finalizer put it back.
        Assert.Equal(prev.Outputs[0].ToBytes(), input.WitnessUtxo!.ToBytes());
        input.WitnessUtxo = null;
        var (_, sig) = Assert.Single(input.PartialSignatures);

        Assert.Equal(CustodyError.None, PsbtRoles.FinalizeInput(psbt, 0));
        Assert.Equal(prev.Outputs[0].ToBytes(), input.WitnessUtxo!.ToBytes());
        Assert.Null(input.FinalScriptSig);
        Assert.Equal([sig, key.PublicKey.ToBytes()], input.FinalScriptWitness!);
        Assert.Equal(new byte[] { 0x00, 0x01, 0x08 }, InputTypesWritten(psbt));
        Assert.Equal(ScriptError.Ok, ScriptVerifier.VerifyTransaction(PsbtRoles.Extract(psbt), [prev.Outputs[0]]));
    }

    /// <summary>A P2WPKH input with a valid partial signature, as hand-written bytes, with extra entries.</summary>
    private static byte[] SignedP2wpkh(PrivateKey key, params (byte[], byte[])[] extra)
    {
        var utxo = new TxOut(50_000, Script.P2wpkh(key.PublicKey));
        var tx = OneInOneOut();
        var sighash = SignatureHash.WitnessV0(tx, 0, Script.P2pkh(key.PublicKey), utxo.Value, 0x01);
        byte[] sig = [.. key.Sign(sighash).ToDer(), 0x01];
        return Cat(Magic, Map(UnsignedTxEntry(tx)), Map([(K(0x01), utxo.ToBytes()), (K(0x02, key.PublicKey.ToBytes()), sig), .. extra]), Map());
    }

    [Fact]
    public void Finalizer_keeps_the_utxos_and_the_keys_it_does_not_know()
    {
        using var key = Key(0x04);
        (byte[], byte[])[] unknown =
            [(K(0x09), [0x01]), (K(0x0e), [0x01]), (K(0x12), [0x01]), (K(0x19), [0x01]), (K(0x1d), [0x01]), (K(0xfc, [0x00, 0x00]), [0x01]), (K(0xf0), [0x01])];
        // Every known field a P2WPKH input may carry besides its UTXO (redeem and witness scripts would contradict it).
        var known = KnownNonFinalFields().Where(e => e.Item1[0] is not (0x04 or 0x05)).ToArray();
        var psbt = Accepts(SignedP2wpkh(key, [.. known, .. unknown]));
        Assert.Equal(CustodyError.None, PsbtRoles.FinalizeInput(psbt, 0));
        Assert.Equal(new byte[] { 0x01, 0x09, 0x0e, 0x12, 0x19, 0x1d, 0xfc, 0xf0, 0x08 }, psbt.Inputs[0].Entries.Select(e => (byte)e.Type).ToArray());
        Assert.Equal(new byte[] { 0x01, 0x08, 0xfc, 0x09, 0x0e, 0x12, 0x19, 0x1d, 0xf0 }, InputTypesWritten(psbt));
    }

    [Fact]
    public void P2WPKH_without_a_signature_of_its_key_or_with_a_bad_one_is_not_finalized()
    {
        using var key = Key(0x05);
        using var other = Key(0x06);
        var (psbt, prev) = Funding(Script.P2wpkh(key.PublicKey));
        psbt.Inputs[0].WitnessUtxo = prev.Outputs[0];
        Assert.Equal(CustodyError.PsbtCannotFinalize, PsbtRoles.FinalizeInput(psbt, 0));
        var ex = Assert.Throws<PsbtRoleException>(() => PsbtRoles.Finalize(psbt));
        Assert.Equal(CustodyError.PsbtCannotFinalize, ex.Reason);
        Assert.Contains("input 0", ex.Message, StringComparison.Ordinal);
        Assert.False(PsbtRoles.TryFinalize(psbt));

        // A well-formed signature by another key, filed under this key: the script check fails, nothing changes.
        var sighash = SignatureHash.WitnessV0(psbt.UnsignedTransaction, 0, Script.P2pkh(key.PublicKey), 50_000, 0x01);
        psbt.Inputs[0].AddPartialSignature(key.PublicKey, [.. other.Sign(sighash).ToDer(), 0x01]);
        var before = psbt.ToBase64();
        Assert.Equal(CustodyError.PsbtCannotFinalize, PsbtRoles.FinalizeInput(psbt, 0));
        Assert.Equal(before, psbt.ToBase64());
    }

    [Fact]
    public void Multisig_short_of_signatures_is_not_finalized()
    {
        using var a = Key(0x07);
        using var b = Key(0x08);
        var multisig = Script.Multisig(2, [a.PublicKey, b.PublicKey]);
        var (psbt, prev) = Funding(Script.P2wsh(multisig));
        psbt.Inputs[0].WitnessUtxo = prev.Outputs[0];
        psbt.Inputs[0].WitnessScript = multisig;
        Assert.Equal([SignedOk], PsbtRoles.Sign(psbt, [a]));
        Assert.Equal(CustodyError.PsbtCannotFinalize, PsbtRoles.FinalizeInput(psbt, 0));
        Assert.Equal([SignedOk], PsbtRoles.Sign(psbt, [b]));
        Assert.Equal(CustodyError.None, PsbtRoles.FinalizeInput(psbt, 0));
        Assert.Equal(ScriptError.Ok, ScriptVerifier.VerifyTransaction(PsbtRoles.Extract(psbt), [prev.Outputs[0]]));
    }

    // ---------------------------------------------------------------- signer refusals and statuses

    [Theory]
    [InlineData(SigHashType.Single)]
    [InlineData(SigHashType.SingleAnyoneCanPay)]
    [InlineData(SigHashType.NoneAnyoneCanPay)]
    public void Signer_signs_with_each_defined_sighash_type(SigHashType type)
    {
        using var key = Key(0x09);
        var (psbt, prev) = Funding(Script.P2wpkh(key.PublicKey));
        psbt.Inputs[0].WitnessUtxo = prev.Outputs[0];
        Assert.Equal([SignedOk], PsbtRoles.Sign(psbt, [key], new PsbtSignerOptions { SigHashType = type }));
        Assert.Equal((byte)type, psbt.Inputs[0].PartialSignatures[0].Signature[^1]);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x04)]
    [InlineData(0x80)]
    [InlineData(0x84)]
    public void Signer_refuses_an_undefined_sighash_type(int type)
    {
        using var key = Key(0x09);
        var (psbt, prev) = Funding(Script.P2wpkh(key.PublicKey));
        psbt.Inputs[0].WitnessUtxo = prev.Outputs[0];
        var ex = Assert.Throws<PsbtRoleException>(() => PsbtRoles.Sign(psbt, [key], new PsbtSignerOptions { SigHashType = (SigHashType)type }));
        Assert.Equal(CustodyError.SighashTypeInvalid, ex.Reason);
        Assert.Contains($"sighash type {type} ", ex.Message, StringComparison.Ordinal);
        Assert.Empty(psbt.Inputs[0].PartialSignatures);
    }

    [Fact]
    public void Signer_refuses_an_input_that_asks_for_another_sighash_type()
    {
        using var key = Key(0x0a);
        var (psbt, prev) = Funding(Script.P2wpkh(key.PublicKey));
        psbt.Inputs[0].WitnessUtxo = prev.Outputs[0];
        psbt.Inputs[0].SigHashType = 2;
        var ex = Assert.Throws<PsbtRoleException>(() => PsbtRoles.Sign(psbt, [key]));
        Assert.Equal(CustodyError.PsbtSighashMismatch, ex.Reason);
        Assert.Contains("input 0 asks for sighash type 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("use 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signer_refuses_to_sign_when_one_of_its_inputs_lacks_the_utxo()
    {
        using var key = Key(0x0b);
        var (psbt, prev) = Funding(Script.P2wpkh(key.PublicKey), Script.P2wpkh(key.PublicKey));
        psbt.Inputs[0].WitnessUtxo = prev.Outputs[0];
        // Input 1 has no UTXO but names the key in a derivation: its amount is unknown, so nothing is signed.
        psbt.Inputs[1].AddBip32Derivation(key.PublicKey, new KeyOrigin(1, KeyPath.Parse("m/0")));
        var ex = Assert.Throws<PsbtRoleException>(() => PsbtRoles.Sign(psbt, [key]));
        Assert.Equal(CustodyError.PsbtMissingUtxo, ex.Reason);
        Assert.Contains("input 1", ex.Message, StringComparison.Ordinal);
        Assert.Empty(psbt.Inputs[0].PartialSignatures);
    }

    [Fact]
    public void Signer_passes_over_an_input_without_utxo_that_none_of_its_keys_is_named_in()
    {
        using var key = Key(0x0c);
        var (psbt, prev) = Funding(Script.P2wpkh(key.PublicKey), Script.P2wpkh(Filled(20, 0x01)));
        psbt.Inputs[0].WitnessUtxo = prev.Outputs[0];
        var results = PsbtRoles.Sign(psbt, [key]);
        Assert.Equal([SignedOk, new PsbtInputSignResult(PsbtInputSignStatus.NoMatchingKey, CustodyError.None)], results);
    }

    [Fact]
    public void Signer_reports_missing_scripts_only_for_inputs_that_name_its_key()
    {
        using var key = Key(0x0d);
        using var stranger = Key(0x0e);
        var multisig = Script.Multisig(1, [key.PublicKey, PublicKey.Parse(G1)]);
        var (psbt, prev) = Funding(Script.P2sh(Script.P2wsh(multisig)));
        psbt.Inputs[0].WitnessUtxo = prev.Outputs[0];
        psbt.Inputs[0].WitnessScript = multisig; // the redeem script (the P2WSH program) is missing
        Assert.Equal([new PsbtInputSignResult(PsbtInputSignStatus.ScriptsMissing, CustodyError.None)], PsbtRoles.Sign(psbt, [key]));
        Assert.Equal([new PsbtInputSignResult(PsbtInputSignStatus.NoMatchingKey, CustodyError.None)], PsbtRoles.Sign(psbt, [stranger]));
        // With the redeem script the input is signed.
        psbt.Inputs[0].RedeemScript = Script.P2wsh(multisig);
        Assert.Equal([SignedOk], PsbtRoles.Sign(psbt, [key]));
        Assert.Equal([new PsbtInputSignResult(PsbtInputSignStatus.AlreadySigned, CustodyError.None)], PsbtRoles.Sign(psbt, [key]));
    }

    [Fact]
    public void Signer_and_finalizer_refuse_a_redeem_script_on_a_native_segwit_input()
    {
        using var key = Key(0x0f);
        var (psbt, prev) = Funding(Script.P2wpkh(key.PublicKey));
        psbt.Inputs[0].WitnessUtxo = prev.Outputs[0];
        psbt.Inputs[0].RedeemScript = Script.P2wpkh(key.PublicKey);
        Assert.Equal([new PsbtInputSignResult(PsbtInputSignStatus.Refused, CustodyError.PsbtScriptMismatch)], PsbtRoles.Sign(psbt, [key]));
        Assert.Equal(CustodyError.PsbtScriptMismatch, PsbtRoles.FinalizeInput(psbt, 0));
        Assert.Empty(psbt.Inputs[0].PartialSignatures);
    }

    [Fact]
    public void Signer_leaves_a_final_input_alone()
    {
        using var key = Key(0x10);
        var (psbt, prev) = Funding(Script.P2wpkh(key.PublicKey), Script.P2wpkh(key.PublicKey));
        psbt.Inputs[0].WitnessUtxo = prev.Outputs[0];
        psbt.Inputs[0].FinalScriptWitness = [[0x01]];
        // A final input needs no UTXO any more.
        psbt.Inputs[1].FinalScriptSig = new Script([0x51]);
        var finalized = new PsbtInputSignResult(PsbtInputSignStatus.AlreadyFinalized, CustodyError.None);
        Assert.Equal([finalized, finalized], PsbtRoles.Sign(psbt, [key]));
        Assert.Empty(psbt.Inputs[0].PartialSignatures);
        Assert.Equal(CustodyError.None, PsbtRoles.FinalizeInput(psbt, 0));
        Assert.Equal(CustodyError.None, PsbtRoles.FinalizeInput(psbt, 1));
    }

    // ---------------------------------------------------------------- combiner and extractor

    [Fact]
    public void Combiner_refuses_PSBTs_of_different_transactions()
    {
        var other = OneInOneOut();
        other.LockTime = 1;
        var ex = Assert.Throws<PsbtRoleException>(() => PsbtRoles.Combine([Psbt.Create(OneInOneOut()), Psbt.Create(other)]));
        Assert.Equal(CustodyError.PsbtCombineDifferentTransactions, ex.Reason);
        Assert.Contains("different transactions", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extractor_names_the_first_input_that_is_not_final()
    {
        var (psbt, _) = Funding(Script.P2wpkh(Filled(20, 0x01)), Script.P2wpkh(Filled(20, 0x02)));
        psbt.Inputs[0].FinalScriptWitness = [[0x01]];
        var ex = Assert.Throws<PsbtRoleException>(() => PsbtRoles.Extract(psbt));
        Assert.Equal(CustodyError.PsbtNotFinalized, ex.Reason);
        Assert.Contains("input 1 is not finalized", ex.Message, StringComparison.Ordinal);
        psbt.Inputs[1].FinalScriptSig = new Script([0x51]);
        var tx = PsbtRoles.Extract(psbt);
        Assert.Equal([[0x01]], tx.Inputs[0].Witness);
        Assert.Equal("51", tx.Inputs[1].ScriptSig.ToHex());
        Assert.Empty(tx.Inputs[1].Witness);
    }

    // ---------------------------------------------------------------- updater

    [Fact]
    public void Updater_passes_over_final_inputs_and_inputs_whose_output_it_cannot_find()
    {
        using var key = Key(0x11);
        var (created, prev) = Funding(Script.P2wpkh(key.PublicKey), Script.P2wpkh(key.PublicKey));
        // A third input spends output 2, which the previous transaction does not have.
        var tx = created.UnsignedTransaction.Clone();
        tx.Inputs.Add(new TxIn(new OutPoint(prev.GetTxId(), 2)));
        var psbt = Psbt.Create(tx);
        psbt.Inputs[0].FinalScriptWitness = [[0x01]];
        var origins = new Dictionary<PublicKey, KeyOrigin> { [key.PublicKey] = new KeyOrigin(5, KeyPath.Parse("m/1")) };
        PsbtRoles.Update(psbt, [prev], [], origins);
        Assert.Equal([0x08UL], psbt.Inputs[0].Entries.Select(e => e.Type));
        Assert.Equal(prev.Outputs[1].ToBytes(), psbt.Inputs[1].WitnessUtxo!.ToBytes());
        Assert.Equal(key.PublicKey, Assert.Single(psbt.Inputs[1].Bip32Derivations).Key);
        Assert.Empty(psbt.Inputs[2].Entries);
    }

    [Fact]
    public void Updater_without_previous_transactions_still_fills_the_outputs()
    {
        using var key = Key(0x12);
        var tx = OneInOneOut();
        tx.Outputs[0] = new TxOut(40_000, Script.P2wpkh(key.PublicKey));
        var psbt = Psbt.Create(tx);
        var origin = new KeyOrigin(0xabcdef01, KeyPath.Parse("m/84'/0'/0'/1/7"));
        PsbtRoles.Update(psbt, [], [], new Dictionary<PublicKey, KeyOrigin> { [key.PublicKey] = origin });
        Assert.Empty(psbt.Inputs[0].Entries);
        Assert.Equal([(key.PublicKey, origin)], psbt.Outputs[0].Bip32Derivations);
    }

    [Fact]
    public void Updater_finds_nested_scripts_for_inputs_and_outputs_and_keeps_scripts_already_there()
    {
        using var a = Key(0x13);
        using var b = Key(0x14);
        using var c = Key(0x15);
        var multisig = Script.Multisig(2, [a.PublicKey, b.PublicKey]);
        var nested = Script.P2sh(Script.P2wsh(multisig));
        var (psbt, prev) = Funding(nested, nested);
        var tx = psbt.UnsignedTransaction.Clone();
        tx.Outputs.Clear();
        tx.Outputs.Add(new TxOut(10_000, nested));                       // change back to the same 2-of-2
        tx.Outputs.Add(new TxOut(10_000, nested));                       // the same, with scripts already given
        tx.Outputs.Add(new TxOut(10_000, Script.P2pk(c.PublicKey)));     // bare key
        tx.Outputs.Add(new TxOut(0, new ScriptBuilder().Op(Opcode.OP_RETURN).Push([0x01]).ToScript()));
        psbt = Psbt.Create(tx);
        var placeholder = new Script([0x51]);
        psbt.Inputs[1].RedeemScript = placeholder;
        psbt.Inputs[1].WitnessScript = placeholder;
        psbt.Inputs[1].WitnessUtxo = prev.Outputs[1];
        psbt.Outputs[1].RedeemScript = placeholder;
        psbt.Outputs[1].WitnessScript = placeholder;
        var origins = new Dictionary<PublicKey, KeyOrigin>
        {
            [a.PublicKey] = new KeyOrigin(1, KeyPath.Parse("m/1")),
            [b.PublicKey] = new KeyOrigin(2, KeyPath.Parse("m/2")),
            [c.PublicKey] = new KeyOrigin(3, KeyPath.Parse("m/3")),
        };
        PsbtRoles.Update(psbt, [prev], [Script.P2wsh(multisig), multisig], origins);

        Assert.Equal(prev.Outputs[0].ToBytes(), psbt.Inputs[0].WitnessUtxo!.ToBytes());
        Assert.Null(psbt.Inputs[0].NonWitnessUtxo);
        Assert.Equal(Script.P2wsh(multisig), psbt.Inputs[0].RedeemScript);
        Assert.Equal(multisig, psbt.Inputs[0].WitnessScript);
        Assert.Equal(placeholder, psbt.Inputs[1].RedeemScript);
        Assert.Equal(placeholder, psbt.Inputs[1].WitnessScript);
        foreach (var derivations in new[] { psbt.Inputs[0].Bip32Derivations, psbt.Inputs[1].Bip32Derivations, psbt.Outputs[0].Bip32Derivations, psbt.Outputs[1].Bip32Derivations })
        {
            Assert.Equal(new[] { a.PublicKey, b.PublicKey }.Order(), derivations.Select(d => d.Key).Order());
        }
        Assert.Equal(Script.P2wsh(multisig), psbt.Outputs[0].RedeemScript);
        Assert.Equal(multisig, psbt.Outputs[0].WitnessScript);
        Assert.Equal(placeholder, psbt.Outputs[1].RedeemScript);
        Assert.Equal(placeholder, psbt.Outputs[1].WitnessScript);
        Assert.Equal([(c.PublicKey, origins[c.PublicKey])], psbt.Outputs[2].Bip32Derivations);
        Assert.Empty(psbt.Outputs[3].Entries);
        Assert.Null(psbt.Outputs[2].RedeemScript);
    }

    [Fact]
    public void Updater_sets_every_inputs_sighash_type()
    {
        var (psbt, _) = Funding(Script.P2wpkh(Filled(20, 0x01)), Script.P2wpkh(Filled(20, 0x02)));
        PsbtRoles.SetSigHashType(psbt, SigHashType.AllAnyoneCanPay);
        Assert.All(psbt.Inputs, i => Assert.Equal(0x81, i.SigHashType));
    }
}
