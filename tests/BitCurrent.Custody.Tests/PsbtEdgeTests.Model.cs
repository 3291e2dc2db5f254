using System.Buffers.Binary;
using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

public partial class PsbtEdgeTests
{
    // ---------------------------------------------------------------- creator, text forms, TryParse

    [Fact]
    public void Creator_refuses_a_transaction_with_a_scriptSig_or_a_witness()
    {
        Assert.Throws<ArgumentNullException>(() => Psbt.Create(null!));
        var tx = OneInOneOut();
        tx.Inputs[0].ScriptSig = new Script([0x51]);
        var ex = Assert.Throws<PsbtRoleException>(() => Psbt.Create(tx));
        Assert.Equal(CustodyError.PsbtCreatorTransactionNotUnsigned, ex.Reason);
        Assert.Contains("scriptSig", ex.Message, StringComparison.Ordinal);
        tx = OneInOneOut();
        tx.Inputs[0].Witness = [[0x01]];
        Assert.Equal(CustodyError.PsbtCreatorTransactionNotUnsigned, Assert.Throws<PsbtRoleException>(() => Psbt.Create(tx)).Reason);
    }

    [Fact]
    public void Creator_writes_the_transaction_and_two_empty_maps()
    {
        var psbt = Psbt.Create(OneInOneOut());
        Assert.Equal(Convert.ToHexString(WithGlobal()), Convert.ToHexString(psbt.ToBytes()));
        Assert.Equal(Convert.ToBase64String(WithGlobal()), psbt.ToBase64());
    }

    [Fact]
    public void Base64_text_is_parsed_and_other_text_refused()
    {
        Assert.Equal("base64", Assert.Throws<ArgumentNullException>(() => Psbt.ParseBase64(null!)).ParamName);
        Assert.Equal(Convert.ToHexString(WithGlobal()), Convert.ToHexString(Psbt.ParseBase64(Convert.ToBase64String(WithGlobal())).ToBytes()));
        var ex = Assert.Throws<PsbtFormatException>(() => Psbt.ParseBase64("cHNidP8*"));
        Assert.Equal(CustodyError.PsbtInvalidBase64, ex.Reason);
        Assert.Contains("base64", ex.Message, StringComparison.Ordinal);
        // Good base64 of bad bytes: the format's own reason.
        Assert.Equal(CustodyError.PsbtInvalidMagic, Assert.Throws<PsbtFormatException>(() => Psbt.ParseBase64("AAAA")).Reason);
    }

    [Fact]
    public void TryParse_of_a_good_PSBT_gives_no_reason_and_an_empty_message()
    {
        Assert.Equal(CustodyError.None, Psbt.TryParse(WithGlobal(), out var psbt, out var message));
        Assert.Equal("", message);
        Assert.Single(psbt!.Inputs);
    }

    // ---------------------------------------------------------------- global xpubs

    private static byte[] OriginBytes(uint fingerprint, params uint[] path)
    {
        var value = new byte[4 + (4 * path.Length)];
        BinaryPrimitives.WriteUInt32BigEndian(value, fingerprint);
        for (var i = 0; i < path.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(4 + (4 * i)), path[i]);
        return value;
    }

    [Theory]
    [InlineData(Network.Mainnet, 0x0488B21Eu)]
    [InlineData(Network.Testnet, 0x043587CFu)]
    public void Global_xpub_is_written_as_version_and_key_with_the_origin_as_value_and_read_back(Network network, uint version)
    {
        using var master = ExtendedPrivateKey.FromSeed(Filled(32, 0x42), network);
        var xpub = master.Derive("m/48'/1'/0'/2'").Neuter();
        var origin = new KeyOrigin(master.Fingerprint, KeyPath.Parse("m/48'/1'/0'/2'"));
        var psbt = Psbt.Create(OneInOneOut());
        Assert.Throws<ArgumentNullException>(() => psbt.AddGlobalXpub(null!, origin));
        Assert.Throws<ArgumentNullException>(() => psbt.AddGlobalXpub(xpub, null!));
        psbt.AddGlobalXpub(xpub, origin);

        var entry = psbt.GlobalEntries[1];
        Assert.Equal(1UL, entry.Type);
        Assert.Equal(version, BinaryPrimitives.ReadUInt32BigEndian(entry.KeySpan[1..]));
        Assert.Equal(xpub.PublicKey.ToBytes(), entry.KeySpan[46..].ToArray());
        Assert.Equal(OriginBytes(master.Fingerprint, 0x80000030, 0x80000001, 0x80000000, 0x80000002), entry.ValueSpan.ToArray());
        foreach (var read in new[] { psbt, Psbt.Parse(psbt.ToBytes()) })
        {
            var (key, keyOrigin) = Assert.Single(read.GlobalXpubs);
            Assert.Equal(xpub, key);
            Assert.Equal(network, key.Network);
            Assert.Equal(origin, keyOrigin);
        }
    }

    [Fact]
    public void Global_xpub_with_other_version_bytes_is_still_listed()
    {
        // Core reads the xpub with DecodeWithVersion, which keeps whatever version it finds; here a zpub-style 0x04b24746.
        var psbt = Accepts(WithGlobal((XpubKey(G2, Filled(32, 0x07), version: 0x04b24746, depth: 3), OriginBytes(0x01020304, 1, 2, 3))));
        var (key, origin) = Assert.Single(psbt.GlobalXpubs);
        Assert.Equal(G2, key.PublicKey.ToBytes());
        Assert.Equal(Filled(32, 0x07), key.ChainCode.ToArray());
        Assert.Equal(3, key.Depth);
        Assert.Equal(0xdeadbeefu, key.ParentFingerprint);
        Assert.Equal(Network.Testnet, key.Network);
        Assert.Equal(new KeyOrigin(0x01020304, new KeyPath([1, 2, 3])), origin);
    }

    [Fact]
    public void Global_entries_are_written_in_Cores_order_after_a_change()
    {
        (byte[], byte[]) xpub = (XpubKey(G1), OriginBytes(0x01020304, 0x80000000));
        (byte[], byte[]) version = (K(0xfb), [0x00, 0x00, 0x00, 0x00]);
        (byte[], byte[]) proprietary = (K(0xfc, [0x00, 0x00]), [0x01]);
        (byte[], byte[]) unknownHigh = (K(0xf0, [0x02]), [0x01]);
        (byte[], byte[]) unknownLow = (K(0x10), [0x01]);
        var psbt = Accepts(Cat(Magic, Map(unknownHigh, version, proprietary, unknownLow, xpub, UnsignedTxEntry(OneInOneOut())), Map(), Map()));
        Assert.False(psbt.IsFinalized);
        psbt.Outputs[0].WitnessScript = new Script([0x51]);
        // Core: unsigned tx, xpubs, version, proprietary, unknown by key.
        var expected = Cat(Magic, Map(UnsignedTxEntry(OneInOneOut()), xpub, version, proprietary, unknownLow, unknownHigh), Map(), Map((K(0x01), [0x51])));
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(psbt.ToBytes()));
    }

    [Fact]
    public void Adding_an_xpub_to_a_parsed_PSBT_writes_it_before_the_version()
    {
        (byte[], byte[]) version = (K(0xfb), [0x00, 0x00, 0x00, 0x00]);
        var psbt = Accepts(WithGlobal(version));
        using var master = ExtendedPrivateKey.FromSeed(Filled(16, 0x01), Network.Testnet);
        psbt.AddGlobalXpub(master.Neuter(), new KeyOrigin(master.Fingerprint, KeyPath.Master));
        var types = Psbt.Parse(psbt.ToBytes()).GlobalEntries.Select(e => e.Type);
        Assert.Equal([0x00UL, 0x01UL, 0xfbUL], types);
    }

    [Fact]
    public void Global_xpubs_are_ordered_as_Cores_origin_map_then_by_key_and_chain_code()
    {
        // Core keeps xpubs in std::map<KeyOriginInfo, std::set<CExtPubKey>>. KeyOriginInfo orders by fingerprint bytes, then
        // path length (shorter first), then the path as numbers; CExtPubKey by public key, then chain code. So, for one
        // fingerprint, m/1 < m/5 < m/256 < m/1/2 < m/1/2/3 (little-endian bytes would give m/256 < m/1 < m/1/2 < m/1/2/3 < m/5).
        (byte[], byte[]) a = (XpubKey(G1, Filled(32, 0x0a)), OriginBytes(0x01020304, 5));
        (byte[], byte[]) b = (XpubKey(G2, Filled(32, 0x0b)), OriginBytes(0x01020304, 1, 2));
        (byte[], byte[]) c = (XpubKey(G3, Filled(32, 0x0c)), OriginBytes(0x01020304, 256));
        (byte[], byte[]) e = (XpubKey(G2, Filled(32, 0x0e)), OriginBytes(0x00ffffff, 7, 7, 7));
        (byte[], byte[]) x = (XpubKey(G2, Filled(32, 0x07)), OriginBytes(0x01020304, 1));
        (byte[], byte[]) y = (XpubKey(G1, Filled(32, 0x09)), OriginBytes(0x01020304, 1));
        (byte[], byte[]) z = (XpubKey(G1, Filled(32, 0x08)), OriginBytes(0x01020304, 1));
        // Key before chain code: G < 2G although the chain codes are the other way round.
        (byte[], byte[]) p = (XpubKey(G1, Filled(32, 0x19)), OriginBytes(0x01020304, 1, 2, 3));
        (byte[], byte[]) q = (XpubKey(G2, Filled(32, 0x18)), OriginBytes(0x01020304, 1, 2, 3));
        var psbt = Accepts(WithGlobal(q, b, x, c, a, y, e, p, z));
        var combined = PsbtRoles.Combine([psbt]);
        Assert.Equal(Convert.ToHexString(WithGlobal(e, z, y, x, a, c, b, p, q)), Convert.ToHexString(combined.ToBytes()));
    }

    // ---------------------------------------------------------------- input setters

    [Fact]
    public void Non_witness_utxo_setter_checks_the_outpoint_and_stores_the_transaction_without_witness()
    {
        var prev = Previous();
        prev.Inputs[0].Witness = [[0x01, 0x02]];
        var tx = OneInOneOut();
        tx.Inputs[0].PrevOut = new OutPoint(prev.GetTxId(), 1);
        var psbt = Psbt.Create(tx);
        var input = psbt.Inputs[0];
        Assert.Null(input.GetUtxo());
        Assert.Null(psbt.GetFee());

        input.NonWitnessUtxo = prev;
        Assert.Equal(prev.ToBytes(includeWitness: false), input.Entries[0].ValueSpan.ToArray());
        Assert.Equal(60_000, input.GetUtxo()!.Value);
        Assert.Equal(20_000, psbt.GetFee());

        // Output 1 of a transaction with one output, and another transaction altogether.
        var shorter = Previous();
        shorter.Outputs.RemoveAt(1);
        tx.Inputs[0].PrevOut = new OutPoint(shorter.GetTxId(), 1);
        var other = Psbt.Create(tx).Inputs[0];
        var ex = Assert.Throws<PsbtRoleException>(() => other.NonWitnessUtxo = shorter);
        Assert.Equal(CustodyError.PsbtNonWitnessUtxoMismatch, ex.Reason);
        Assert.Contains("outpoint", ex.Message, StringComparison.Ordinal);
        Assert.Equal(CustodyError.PsbtNonWitnessUtxoMismatch, Assert.Throws<PsbtRoleException>(() => other.NonWitnessUtxo = prev).Reason);
        Assert.Empty(other.Entries);

        input.NonWitnessUtxo = null;
        Assert.Empty(input.Entries);
        Assert.Null(input.NonWitnessUtxo);
    }

    [Fact]
    public void Setting_a_field_twice_replaces_it_and_null_removes_it()
    {
        var input = Psbt.Create(OneInOneOut()).Inputs[0];
        input.WitnessUtxo = new TxOut(1, Script.P2wpkh(Filled(20, 0x01)));
        input.WitnessUtxo = new TxOut(2, Script.P2wpkh(Filled(20, 0x01)));
        Assert.Equal(2, Assert.Single(input.Entries).ValueSpan[0]);
        // Removing a field that is not there changes nothing.
        input.RedeemScript = null;
        input.SigHashType = null;
        Assert.Single(input.Entries);
        input.WitnessUtxo = null;
        Assert.Empty(input.Entries);
        Assert.Null(input.WitnessUtxo);
    }

    public static TheoryData<string> InputFields => ["non-witness utxo", "witness utxo", "sighash", "redeem", "witness script", "final scriptSig", "final witness", "partial signature", "derivation"];

    [Theory]
    [MemberData(nameof(InputFields))]
    public void Setting_an_input_field_on_a_parsed_PSBT_writes_Cores_order(string field)
    {
        // The parsed input holds one unknown key; a setter appends its field after it, and the write must put it first.
        var prev = Previous();
        var psbt = Accepts(Spending(prev, 1, (K(0xf0), [0x01])));
        var input = psbt.Inputs[0];
        byte type;
        switch (field)
        {
            case "non-witness utxo": input.NonWitnessUtxo = prev; type = 0x00; break;
            case "witness utxo": input.WitnessUtxo = prev.Outputs[1]; type = 0x01; break;
            case "sighash": input.SigHashType = 1; type = 0x03; break;
            case "redeem": input.RedeemScript = new Script([0x51]); type = 0x04; break;
            case "witness script": input.WitnessScript = new Script([0x51]); type = 0x05; break;
            case "final scriptSig": input.FinalScriptSig = new Script([0x51]); type = 0x07; break;
            case "final witness": input.FinalScriptWitness = [[0x51]]; type = 0x08; break;
            case "partial signature": input.AddPartialSignature(PublicKey.Parse(G1), MinimalDer(0x01)); type = 0x02; break;
            default: input.AddBip32Derivation(PublicKey.Parse(G1), new KeyOrigin(1, KeyPath.Master)); type = 0x06; break;
        }
        Assert.Equal(new byte[] { 0xf0, type }, input.Entries.Select(e => (byte)e.Type).ToArray());
        Assert.Equal(new byte[] { type, 0xf0 }, InputTypesWritten(psbt));
    }

    public static TheoryData<string> RemovableInputFields => ["non-witness utxo", "witness utxo", "sighash", "redeem", "witness script", "final scriptSig", "final witness"];

    [Theory]
    [MemberData(nameof(RemovableInputFields))]
    public void Clearing_an_input_field_on_a_parsed_PSBT_removes_it_and_writes_Cores_order(string field)
    {
        var prev = Previous();
        (byte type, byte[] value) = field switch
        {
            "non-witness utxo" => ((byte)0x00, prev.ToBytes(false)),
            "witness utxo" => ((byte)0x01, prev.Outputs[1].ToBytes()),
            "sighash" => ((byte)0x03, new byte[] { 0x01, 0x00, 0x00, 0x00 }),
            "redeem" => ((byte)0x04, new byte[] { 0x51 }),
            "witness script" => ((byte)0x05, new byte[] { 0x51 }),
            "final scriptSig" => ((byte)0x07, new byte[] { 0x51 }),
            _ => ((byte)0x08, new byte[] { 0x01, 0x01, 0x51 }),
        };
        // The field first (index 0), then an unknown key, then a partial signature that Core writes before the unknown key.
        var psbt = Accepts(Spending(prev, 1, (K(type), value), (K(0xf0), [0x01]), (K(0x02, G1), MinimalDer(0x01))));
        var input = psbt.Inputs[0];
        switch (field)
        {
            case "non-witness utxo": input.NonWitnessUtxo = null; break;
            case "witness utxo": input.WitnessUtxo = null; break;
            case "sighash": input.SigHashType = null; break;
            case "redeem": input.RedeemScript = null; break;
            case "witness script": input.WitnessScript = null; break;
            case "final scriptSig": input.FinalScriptSig = null; break;
            default: input.FinalScriptWitness = null; break;
        }
        Assert.False(input.IsFinalized);
        Assert.Equal(new byte[] { 0x02, 0xf0 }, InputTypesWritten(psbt));
    }

    [Fact]
    public void A_final_scriptSig_or_witness_alone_makes_the_input_final()
    {
        Assert.True(Accepts(WithInput((K(0x07), [0x51]))).Inputs[0].IsFinalized);
        Assert.True(Accepts(WithInput((K(0x08), [0x01, 0x01, 0x51]))).Inputs[0].IsFinalized);
        Assert.False(Accepts(WithInput((K(0x04), [0x51]))).Inputs[0].IsFinalized);
        Assert.False(Accepts(WithInput()).IsFinalized);
    }

    [Fact]
    public void Partial_signatures_and_derivations_need_their_arguments_and_a_valid_signature()
    {
        var input = Psbt.Create(OneInOneOut()).Inputs[0];
        var key = PublicKey.Parse(G1);
        Assert.Throws<ArgumentNullException>(() => input.AddPartialSignature(null!, MinimalDer(0x01)));
        Assert.Throws<ArgumentNullException>(() => input.AddBip32Derivation(null!, new KeyOrigin(1, KeyPath.Master)));
        Assert.Throws<ArgumentNullException>(() => input.AddBip32Derivation(key, null!));
        var ex = Assert.Throws<PsbtFormatException>(() => input.AddPartialSignature(key, MinimalDer(0x04)));
        Assert.Equal(CustodyError.PsbtInvalidSignatureEncoding, ex.Reason);
        Assert.Contains("strict DER", ex.Message, StringComparison.Ordinal);
        Assert.Empty(input.Entries);
        input.AddPartialSignature(key, MinimalDer(0x01));
        input.AddPartialSignature(key, MinimalDer(0x81));
        var (signer, signature) = Assert.Single(input.PartialSignatures);
        Assert.Equal(key, signer);
        Assert.Equal(MinimalDer(0x81), signature);
    }

    [Fact]
    public void Other_entries_are_those_above_the_final_witness_type()
    {
        var psbt = Accepts(WithInput(
            (K(0x03), [0x01, 0x00, 0x00, 0x00]), (K(0x08), [0x00]), (K(0x09), [0x01]), (K(0x13), Filled(64, 0x01)), (K(0xfc, [0x00, 0x00]), [0x01])));
        Assert.Equal([0x09UL, 0x13UL, 0xfcUL], psbt.Inputs[0].OtherEntries.Select(e => e.Type));
    }

    // ---------------------------------------------------------------- output setters

    [Fact]
    public void Output_scripts_and_derivations_are_set_cleared_and_written_in_Cores_order()
    {
        var psbt = Accepts(WithOutput((K(0xf0), [0x01])));
        var output = psbt.Outputs[0];
        Assert.Throws<ArgumentNullException>(() => output.AddBip32Derivation(null!, new KeyOrigin(1, KeyPath.Master)));
        Assert.Throws<ArgumentNullException>(() => output.AddBip32Derivation(PublicKey.Parse(G1), null!));
        output.AddBip32Derivation(PublicKey.Parse(G1), new KeyOrigin(7, KeyPath.Parse("m/1")));
        Assert.Equal(new byte[] { 0x02, 0xf0 }, OutputTypesWritten(psbt));

        psbt = Accepts(WithOutput((K(0xf0), [0x01])));
        psbt.Outputs[0].WitnessScript = new Script([0x52]);
        Assert.Equal(new byte[] { 0x01, 0xf0 }, OutputTypesWritten(psbt));
        psbt.Outputs[0].RedeemScript = new Script([0x53]);
        Assert.Equal(new byte[] { 0x00, 0x01, 0xf0 }, OutputTypesWritten(psbt));
        Assert.Equal("53", psbt.Outputs[0].RedeemScript!.ToHex());
        Assert.Equal("52", psbt.Outputs[0].WitnessScript!.ToHex());

        psbt = Accepts(WithOutput((K(0x00), [0x53]), (K(0xf0), [0x01]), (K(0x01), [0x52])));
        psbt.Outputs[0].RedeemScript = null;
        Assert.Null(psbt.Outputs[0].RedeemScript);
        Assert.Equal(new byte[] { 0x01, 0xf0 }, OutputTypesWritten(psbt));
        psbt = Accepts(WithOutput((K(0x01), [0x52]), (K(0xf0), [0x01]), (K(0x00), [0x53])));
        psbt.Outputs[0].WitnessScript = null;
        Assert.Null(psbt.Outputs[0].WitnessScript);
        Assert.Equal(new byte[] { 0x00, 0xf0 }, OutputTypesWritten(psbt));
    }

    [Fact]
    public void Output_entries_are_written_in_Cores_order_after_a_change()
    {
        // Core writes redeem, witness, derivations by key, proprietary, taproot internal key, tree, taproot derivations,
        // MuSig2 participants, then unknown keys.
        (byte[], byte[])[] core =
        [
            (K(0x00), [0x51]), (K(0x01), [0x52]), (K(0x02, G1), [0x01, 0x02, 0x03, 0x04]), (K(0x02, G2), [0x01, 0x02, 0x03, 0x04]),
            (K(0xfc, [0x00, 0x00]), [0x01]), (K(0xfc, [0x00, 0x01]), [0x01]), (K(0x05), Filled(32, 0x01)), (K(0x06), [0x00, 0xc0, 0x01, 0x51]),
            (K(0x07, Filled(32, 0x01)), [0x00, 0x01, 0x02, 0x03, 0x04]), (K(0x07, Filled(32, 0x02)), [0x00, 0x01, 0x02, 0x03, 0x04]),
            (K(0x08, G1), G2), (K(0x08, G2), G1), (K(0x09), [0x01]), (K(0xf0), [0x01]),
        ];
        var psbt = Accepts(WithOutput([.. core.Reverse()]));
        Assert.Equal(Convert.ToHexString(WithOutput(core)), Convert.ToHexString(PsbtRoles.Combine([psbt]).ToBytes()));
    }

    // ---------------------------------------------------------------- Core's input order, and what a final input keeps

    [Fact]
    public void Input_entries_are_written_in_Cores_order_after_a_change()
    {
        // Partial signatures go by HASH160 of the key: HASH160(2G) = 06afd46b... before HASH160(G) = 751e76e8....
        Assert.Equal("06afd46bcdfd22ef94ac122aa11f241244a37ecc", Convert.ToHexStringLower(PublicKey.Parse(G2).GetHash160()));
        Assert.Equal("751e76e8199196d454941c45d1b3a323f1433bd6", Convert.ToHexStringLower(PublicKey.Parse(G1).GetHash160()));
        var prev = Previous();
        (byte[], byte[])[] core =
        [
            (K(0x00), prev.ToBytes(false)), (K(0x01), prev.Outputs[1].ToBytes()),
            (K(0x02, G2), MinimalDer(0x01)), (K(0x02, G1), MinimalDer(0x01)),
            (K(0x03), [0x01, 0x00, 0x00, 0x00]), (K(0x04), [0x51]), (K(0x05), [0x52]),
            (K(0x06, G1), [0x01, 0x02, 0x03, 0x04]), (K(0x06, G2), [0x01, 0x02, 0x03, 0x04]),
            (K(0x0a, Filled(20, 0x01)), [0x01]), (K(0x0a, Filled(20, 0x02)), [0x01]), (K(0x0b, Filled(32, 0x01)), [0x01]),
            (K(0x0c, Filled(20, 0x01)), [0x01]), (K(0x0d, Filled(32, 0x01)), [0x01]),
            (K(0x13), Filled(64, 0x01)), (K(0x14, Filled(64, 0x01)), Filled(64, 0x01)), (K(0x14, Filled(64, 0x02)), Filled(64, 0x01)),
            // Leaf scripts go by (script, leaf version) first: script 50 before script 51, whatever the control blocks.
            (K(0x15, Filled(33, 0xc1)), [0x50, 0xc0]), (K(0x15, Filled(33, 0xc0)), [0x51, 0xc0]),
            (K(0x16, Filled(32, 0x01)), [0x00, 0x01, 0x02, 0x03, 0x04]), (K(0x16, Filled(32, 0x02)), [0x00, 0x01, 0x02, 0x03, 0x04]),
            (K(0x17), Filled(32, 0x01)), (K(0x18), Filled(32, 0x01)),
            (K(0x1a, G1), G2), (K(0x1a, G2), G1),
            // MuSig2 by (aggregate, leaf hash), then participant: no leaf hash (zero) comes before leaf 09..09, whatever the participant.
            (K(0x1b, G2, G1), Filled(66, 0x01)), (K(0x1b, G1, G1, Filled(32, 0x09)), Filled(66, 0x01)), (K(0x1b, G3, G1, Filled(32, 0x09)), Filled(66, 0x01)),
            (K(0x1b, G1, G2), Filled(66, 0x01)),
            (K(0x1c, G2, G1), Filled(32, 0x01)), (K(0x1c, G1, G1, Filled(32, 0x09)), Filled(32, 0x01)),
            (K(0xfc, [0x00, 0x00]), [0x01]), (K(0xfc, [0x00, 0x01]), [0x01]),
            (K(0x09), [0x01]), (K(0xf0), [0x01]),
        ];
        var psbt = Accepts(Spending(prev, 1, [.. core.Reverse()]));
        Assert.Equal(Convert.ToHexString(Spending(prev, 1, core)), Convert.ToHexString(PsbtRoles.Combine([psbt]).ToBytes()));
    }

    [Fact]
    public void Taproot_leaf_scripts_are_ordered_by_script_and_leaf_version_then_shortest_control_block()
    {
        // Core: std::map<std::pair<script, leaf version>, std::set<control block, ShortestVectorFirstComparator>>, so a script
        // sorts before a longer one it begins (whatever byte follows), and for one leaf a 33-byte control block comes before
        // a 65-byte one whose bytes are smaller. Value: script ‖ leaf version; key: type ‖ control block.
        (byte[], byte[])[] core =
        [
            (K(0x15, [0xc0, .. Filled(32, 0x06)]), [0xc0]), // the empty script
            (K(0x15, [0xc0, .. Filled(32, 0x05)]), [0x50, 0xc0]),
            (K(0x15, [0xc1, .. Filled(32, 0x03)]), [0x51, 0xc0]),
            (K(0x15, [0xc1, .. Filled(32, 0x04)]), [0x51, 0xc0]),
            (K(0x15, [0xc0, .. Filled(64, 0x01)]), [0x51, 0xc0]),
            (K(0x15, [0xc0, .. Filled(32, 0x02)]), [0x51, 0xc2]),
            (K(0x15, [0xc0, .. Filled(32, 0x07)]), [0x51, 0x52, 0xc0]),
            (K(0x15, [0xc0, .. Filled(32, 0x00)]), [0x51, 0x53, 0xc0]),
        ];
        var psbt = Accepts(WithInput([.. core.Reverse()]));
        Assert.Equal(Convert.ToHexString(WithInput(core)), Convert.ToHexString(PsbtRoles.Combine([psbt]).ToBytes()));
    }

    [Fact]
    public void A_final_input_keeps_only_utxos_final_scripts_proprietary_and_unknown_keys()
    {
        // Core's PSBTInput::Serialize writes the partial signatures ... MuSig2 fields only while the input is not final.
        var prev = Previous();
        (byte[], byte[])[] kept =
        [
            (K(0x00), prev.ToBytes(false)), (K(0x01), prev.Outputs[1].ToBytes()), (K(0x07), [0x51]), (K(0x08), [0x01, 0x01, 0x51]),
            (K(0xfc, [0x00, 0x00]), [0x01]),
            (K(0x09), [0x01]), (K(0x0e), [0x01]), (K(0x12), [0x01]), (K(0x19), [0x01]), (K(0x1d), [0x01]), (K(0xf0), [0x01]),
        ];
        var psbt = Accepts(Spending(prev, 1, [.. kept.Reverse(), .. KnownNonFinalFields()]));
        Assert.True(psbt.IsFinalized);
        Assert.Equal(Convert.ToHexString(Spending(prev, 1, kept)), Convert.ToHexString(PsbtRoles.Combine([psbt]).ToBytes()));
    }

    /// <summary>One valid entry of every input type that a final input no longer needs (0x02-0x06, 0x0a-0x0d, 0x13-0x18, 0x1a-0x1c).</summary>
    private static (byte[], byte[])[] KnownNonFinalFields() =>
    [
        (K(0x02, G1), MinimalDer(0x01)), (K(0x03), [0x01, 0x00, 0x00, 0x00]), (K(0x04), [0x51]), (K(0x05), [0x52]),
        (K(0x06, G1), [0x01, 0x02, 0x03, 0x04]),
        (K(0x0a, Filled(20, 0x01)), [0x01]), (K(0x0b, Filled(32, 0x01)), [0x01]), (K(0x0c, Filled(20, 0x01)), [0x01]), (K(0x0d, Filled(32, 0x01)), [0x01]),
        (K(0x13), Filled(64, 0x01)), (K(0x14, Filled(64, 0x01)), Filled(64, 0x01)), (K(0x15, Filled(33, 0xc0)), [0x51, 0xc0]),
        (K(0x16, Filled(32, 0x01)), [0x00, 0x01, 0x02, 0x03, 0x04]), (K(0x17), Filled(32, 0x01)), (K(0x18), Filled(32, 0x01)),
        (K(0x1a, G1), G2), (K(0x1b, G1, G2), Filled(66, 0x01)), (K(0x1c, G1, G2), Filled(32, 0x01)),
    ];

    [Fact]
    public void A_clone_of_a_changed_PSBT_is_written_in_Cores_order_too()
    {
        var psbt = Accepts(WithInput((K(0xf0), [0x01])));
        psbt.Inputs[0].SigHashType = 1;
        var clone = psbt.Clone();
        var expected = Convert.ToHexString(WithInput((K(0x03), [0x01, 0x00, 0x00, 0x00]), (K(0xf0), [0x01])));
        Assert.Equal(expected, Convert.ToHexString(clone.ToBytes()));
        clone.Inputs[0].SigHashType = 2;
        Assert.Equal(expected, Convert.ToHexString(psbt.ToBytes()));
        Assert.Equal(1, psbt.Inputs[0].SigHashType);
    }

    // ---------------------------------------------------------------- raw entries

    [Fact]
    public void Entries_compare_by_key_and_value_bytes()
    {
        Assert.Throws<ArgumentNullException>(() => new PsbtEntry(null!, []));
        Assert.Throws<ArgumentNullException>(() => new PsbtEntry([0x01], null!));
        var a = new PsbtEntry([0x01, 0x02], [0x03]);
        var same = new PsbtEntry([0x01, 0x02], [0x03]);
        var otherValue = new PsbtEntry([0x01, 0x02], [0x04]);
        var otherKey = new PsbtEntry([0x01, 0x03], [0x03]);
        Assert.True(a.Equals(same));
        Assert.True(a == same);
        Assert.False(a != same);
        Assert.True(a.Equals((object)same));
        Assert.Equal(a.GetHashCode(), same.GetHashCode());
        Assert.False(a.Equals(otherValue));
        Assert.True(a != otherValue);
        Assert.False(a == otherKey);
        Assert.True(a != otherKey);
        Assert.False(a.Equals((object)"0102"));
        // The type is the key's leading CompactSize, whatever its size.
        Assert.Equal(0x10000000UL, new PsbtEntry([0xfe, 0x00, 0x00, 0x00, 0x10], []).Type);
    }
}
