using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

/// <summary>End-to-end uses of the primitives the way the wallet workflows will use them.</summary>
public class CustodyFlowTests
{
    private static PrivateKey Key(int i)
    {
        var secret = Hashes.Sha256([(byte)i, 0x42]);
        return new PrivateKey(secret);
    }

    private static Transaction Funding(Script spk, long amount, byte tag)
    {
        var tx = new Transaction { Version = 2 };
        tx.Inputs.Add(new TxIn(new OutPoint(new TxId(Hashes.Sha256([tag])), 0)));
        tx.Outputs.Add(new TxOut(amount, spk));
        return tx;
    }

    [Fact]
    public void Cold_wallet_five_of_nine_p2wsh_withdrawal_signed_by_separate_signers()
    {
        var keys = Enumerable.Range(1, 9).Select(Key).ToList();
        var witnessScript = Script.Multisig(5, keys.Select(k => k.PublicKey).ToList());
        var funding = Funding(Script.P2wsh(witnessScript), 10 * Money.SatoshisPerBitcoin, 1);
        var hotAddress = BitcoinAddress.Parse("bcrt1qqzh2ngh97ru8dfvgma25d6r595wcwqy0cee4cc", Network.Regtest);

        var spend = new Transaction { Version = 2 };
        spend.Inputs.Add(new TxIn(new OutPoint(funding.GetTxId(), 0), null, 0xfffffffd));
        spend.Outputs.Add(new TxOut(9 * Money.SatoshisPerBitcoin, hotAddress.ScriptPubKey));
        spend.Outputs.Add(new TxOut(Money.SatoshisPerBitcoin - 20_000, Script.P2wsh(witnessScript)));
        var psbt = Psbt.Create(spend);
        var origins = keys.Select((k, i) => (k.PublicKey, new KeyOrigin(0x01020304, KeyPath.Parse($"m/48'/1'/0'/2'/{i}")))).ToDictionary(x => x.PublicKey, x => x.Item2);
        PsbtRoles.Update(psbt, [funding], [witnessScript], origins);
        Assert.NotNull(psbt.Inputs[0].WitnessUtxo);
        Assert.Equal(9, psbt.Inputs[0].Bip32Derivations.Count);
        Assert.Equal(20_000, psbt.GetFee());
        var wire = psbt.ToBase64();

        // Signers 9, 7, 5, 3, 1 each sign their own copy on their own machine.
        var partials = new List<Psbt>();
        foreach (var i in new[] { 8, 6, 4, 2, 0 })
        {
            var copy = Psbt.ParseBase64(wire);
            var result = PsbtRoles.Sign(copy, [keys[i]]);
            Assert.Equal(PsbtInputSignStatus.Signed, result[0].Status);
            Assert.False(PsbtRoles.TryFinalize(copy.Clone())); // one signature is not enough
            partials.Add(Psbt.ParseBase64(copy.ToBase64()));
        }
        var combined = PsbtRoles.Combine(partials);
        Assert.Equal(5, combined.Inputs[0].PartialSignatures.Count);
        PsbtRoles.Finalize(combined);
        var tx = PsbtRoles.Extract(combined);
        Assert.Equal(ScriptError.Ok, ScriptVerifier.VerifyTransaction(tx, [funding.Outputs[0]]));
        // Witness: dummy, 5 signatures in the script's key order, the witness script.
        var witness = tx.Inputs[0].Witness;
        Assert.Equal(7, witness.Count);
        Assert.Empty(witness[0]);
        Assert.Equal(witnessScript.ToBytes(), witness[^1]);
        witnessScript.IsMultisig(out _, out var scriptKeys);
        var order = witness.Skip(1).Take(5).Select(sig => scriptKeys!.FindIndex(k =>
            PublicKey.Parse(k).Verify(SignatureHash.WitnessV0(tx, 0, witnessScript, funding.Outputs[0].Value, 1), EcdsaSignature.FromDer(sig.AsSpan(0, sig.Length - 1))))).ToList();
        Assert.Equal(order.OrderBy(x => x), order);
        Assert.Equal(tx.GetTxId(), combined.UnsignedTransaction.GetTxId());
        Assert.NotEqual(tx.GetTxId(), tx.GetWitnessTxId());
        keys.ForEach(k => k.Dispose());
    }

    [Fact]
    public void P2wpkh_deposit_address_spend_round_trip()
    {
        using var master = ExtendedPrivateKey.FromSeed(Hex("000102030405060708090a0b0c0d0e0f"), Network.Regtest);
        using var userKey = master.Derive("m/84'/1'/0'/0/5");
        var account = master.Derive("m/84'/1'/0'").Neuter();
        // Watch-only derivation (the deposit service holds only the account xpub) gives the same address.
        var address = BitcoinAddress.FromPublicKey(account.Derive("m/0/5").PublicKey, AddressType.P2wpkh, Network.Regtest);
        Assert.Equal(BitcoinAddress.FromPublicKey(userKey.PublicKey, AddressType.P2wpkh, Network.Regtest), address);
        Assert.StartsWith("bcrt1q", address.ToString(), StringComparison.Ordinal);

        var funding = Funding(address.ScriptPubKey, 50_000, 2);
        var spend = new Transaction();
        spend.Inputs.Add(new TxIn(new OutPoint(funding.GetTxId(), 0)));
        spend.Outputs.Add(new TxOut(49_000, Script.P2wpkh(Key(3).PublicKey)));
        var psbt = Psbt.Create(spend);
        psbt.Inputs[0].NonWitnessUtxo = funding;
        var results = PsbtRoles.Sign(psbt, [userKey.PrivateKey]);
        Assert.Equal(PsbtInputSignStatus.Signed, results[0].Status);
        Assert.NotNull(psbt.Inputs[0].WitnessUtxo); // added by the signer, as Core does
        PsbtRoles.Finalize(psbt);
        var tx = PsbtRoles.Extract(psbt);
        Assert.Equal(ScriptError.Ok, ScriptVerifier.VerifyTransaction(tx, [funding.Outputs[0]]));
        Assert.Equal(tx.ToHex(), Transaction.Parse(tx.ToBytes()).ToHex());
        Assert.Equal(110, tx.GetVirtualSize());
    }

    [Fact]
    public void Signer_refuses_without_utxo_and_on_sighash_mismatch_and_combiner_and_extractor_check()
    {
        using var key = Key(7);
        var spk = Script.P2wpkh(key.PublicKey);
        var funding = Funding(spk, 100_000, 3);
        var spend = new Transaction();
        spend.Inputs.Add(new TxIn(new OutPoint(funding.GetTxId(), 0)));
        spend.Outputs.Add(new TxOut(90_000, spk));
        var psbt = Psbt.Create(spend);
        psbt.Inputs[0].AddBip32Derivation(key.PublicKey, new KeyOrigin(1, KeyPath.Parse("m/0")));
        var missing = Assert.Throws<PsbtRoleException>(() => PsbtRoles.Sign(psbt, [key]));
        Assert.Equal(CustodyError.PsbtMissingUtxo, missing.Reason);
        Assert.Empty(psbt.Inputs[0].PartialSignatures);

        psbt.Inputs[0].WitnessUtxo = funding.Outputs[0];
        psbt.Inputs[0].SigHashType = (int)SigHashType.None;
        Assert.Equal(CustodyError.PsbtSighashMismatch, Assert.Throws<PsbtRoleException>(() => PsbtRoles.Sign(psbt, [key])).Reason);
        Assert.Equal(PsbtInputSignStatus.Signed, PsbtRoles.Sign(psbt, [key], new PsbtSignerOptions { SigHashType = SigHashType.None })[0].Status);
        Assert.Equal(PsbtInputSignStatus.AlreadySigned, PsbtRoles.Sign(psbt, [key], new PsbtSignerOptions { SigHashType = SigHashType.None })[0].Status);
        Assert.Equal(CustodyError.SighashTypeInvalid, Assert.Throws<PsbtRoleException>(() => PsbtRoles.Sign(psbt, [key], new PsbtSignerOptions { SigHashType = (SigHashType)4 })).Reason);
        using var stranger = Key(8);
        Assert.Equal(PsbtInputSignStatus.NoMatchingKey, PsbtRoles.Sign(psbt, [stranger])[0].Status);

        Assert.Equal(CustodyError.PsbtNotFinalized, Assert.Throws<PsbtRoleException>(() => PsbtRoles.Extract(psbt)).Reason);
        var other = Psbt.Create(new Transaction { Inputs = { new TxIn(new OutPoint(funding.GetTxId(), 1)) }, Outputs = { new TxOut(1, spk) } });
        Assert.Equal(CustodyError.PsbtCombineDifferentTransactions, Assert.Throws<PsbtRoleException>(() => PsbtRoles.Combine([psbt, other])).Reason);
        var signedTx = spend.Clone();
        signedTx.Inputs[0].ScriptSig = new ScriptBuilder().Number(1).ToScript();
        Assert.Equal(CustodyError.PsbtCreatorTransactionNotUnsigned, Assert.Throws<PsbtRoleException>(() => Psbt.Create(signedTx)).Reason);
        Assert.Equal(CustodyError.PsbtNonWitnessUtxoMismatch, Assert.Throws<PsbtRoleException>(() => psbt.Inputs[0].NonWitnessUtxo = spend).Reason);
        PsbtRoles.Finalize(psbt);
        Assert.True(psbt.IsFinalized);
        Assert.Equal(ScriptError.Ok, ScriptVerifier.VerifyTransaction(PsbtRoles.Extract(psbt), [funding.Outputs[0]]));
    }

    [Fact]
    public void Psbt_v2_and_garbage_are_typed_format_errors()
    {
        var tx = new Transaction { Inputs = { new TxIn(new OutPoint(new TxId(new byte[32]), 0)) }, Outputs = { new TxOut(1, Script.Empty) } };
        var raw = Psbt.Create(tx).ToBytes();
        // Insert PSBT_GLOBAL_VERSION = 2 right after the unsigned transaction (magic, key length, key, value length, value).
        var insertAt = 5 + 1 + 1 + 1 + raw[7];
        var patched = raw.Take(insertAt).Concat(new byte[] { 0x01, 0xfb, 0x04, 0x02, 0x00, 0x00, 0x00 }).Concat(raw.Skip(insertAt)).ToArray();
        Assert.Equal(CustodyError.PsbtUnsupportedVersion, Assert.Throws<PsbtFormatException>(() => Psbt.Parse(patched)).Reason);
        Assert.Equal(CustodyError.PsbtInvalidBase64, Assert.Throws<PsbtFormatException>(() => Psbt.ParseBase64("not base64!")).Reason);
        Assert.Equal(CustodyError.PsbtMissingSeparator, Assert.Throws<PsbtFormatException>(() => Psbt.Parse(raw.AsSpan(0, raw.Length - 1))).Reason);
        Assert.Equal(CustodyError.PsbtTruncated, Assert.Throws<PsbtFormatException>(() => Psbt.Parse(raw.AsSpan(0, 12))).Reason);
        Assert.Equal(CustodyError.PsbtExtraData, Assert.Throws<PsbtFormatException>(() => Psbt.Parse([.. raw, 0x00])).Reason);
        Assert.Equal(CustodyError.PsbtInvalidMagic, Assert.Throws<PsbtFormatException>(() => Psbt.Parse(raw.AsSpan(1))).Reason);
    }

    [Fact]
    public void Dust_threshold_matches_core_and_is_rate_dependent()
    {
        var p2pkh = new TxOut(545, Script.P2pkh(new byte[20]));
        var p2wpkh = new TxOut(293, Script.P2wpkh(new byte[20]));
        var p2wsh = new TxOut(329, Script.P2wsh(new byte[32]));
        Assert.Equal(546, Money.DustThreshold(p2pkh));
        Assert.Equal(294, Money.DustThreshold(p2wpkh));
        Assert.Equal(330, Money.DustThreshold(p2wsh));
        Assert.True(Money.IsDust(p2pkh));
        Assert.True(Money.IsDust(p2wpkh));
        Assert.True(Money.IsDust(p2wsh));
        Assert.False(Money.IsDust(new TxOut(294, p2wpkh.ScriptPubKey)));
        Assert.False(Money.IsDust(new TxOut(0, new ScriptBuilder().Op(Opcode.OP_RETURN).Push([1, 2, 3]).ToScript())));
        Assert.True(Money.IsDust(new TxOut(294, p2wpkh.ScriptPubKey), dustRelayFeeSatPerKvb: 10_000));
        Assert.Equal(99, Money.DustThreshold(p2wpkh, dustRelayFeeSatPerKvb: 1001)); // 98 vB × 1.001 sat/vB = 98.098, rounded up
        Assert.Equal(1, Money.DustThreshold(p2wpkh, dustRelayFeeSatPerKvb: 1));
        Assert.Equal(CustodyError.DustOutput, new DustOutputException("x").Reason);
    }

    [Fact]
    public void Signed_message_matches_bitcoin_core_signmessagewithprivkey()
    {
        // Values of Bitcoin Core's test/functional/rpc_signmessagewithprivkey.py (MIT): key, message, expected signature, address.
        using var key = PrivateKey.FromWif("cUeKHd5orzT3mz8P9pxyREHfsWtVfgsfDjiZZBcjUBAaGk1BTj7N", Network.Regtest);
        const string message = "This is just a test message";
        const string expected = "INbVnW4e6PeRmsv2Qgu8NuopvrVjkcxob+sX8OcZG0SALhWybUjzMLPdAsXI46YZGb0KQTRii+wWIQzRpG/U+S0=";
        Assert.Equal(expected, SignedMessage.Sign(key, message));
        var address = BitcoinAddress.Parse("mpLQjfK79b7CCV4VMJWEWAj5Mpx8Up5zxB", Network.Regtest);
        Assert.True(SignedMessage.Verify(address, message, expected));
        Assert.Equal(key.PublicKey, SignedMessage.RecoverPublicKey(message, expected, out var type));
        Assert.Equal(MessageSignatureType.P2pkhCompressed, type);
    }

    [Fact]
    public void Signed_message_round_trip_recovers_key_and_checks_address()
    {
        using var key = Key(11);
        const string message = "BitCurrent proof of reserves 2026-11-24";
        foreach (var (type, addressType) in new[] { (MessageSignatureType.P2pkhCompressed, AddressType.P2pkh), (MessageSignatureType.P2wpkh, AddressType.P2wpkh), (MessageSignatureType.P2shP2wpkh, AddressType.P2sh) })
        {
            var signature = SignedMessage.Sign(key, message, type);
            Assert.Equal(65, Convert.FromBase64String(signature).Length);
            Assert.Equal(signature, SignedMessage.Sign(key, message, type)); // deterministic
            var recovered = SignedMessage.RecoverPublicKey(message, signature, out var recoveredType);
            Assert.Equal(key.PublicKey, recovered);
            Assert.Equal(type, recoveredType);
            var address = BitcoinAddress.FromPublicKey(key.PublicKey, addressType, Network.Mainnet);
            Assert.True(SignedMessage.Verify(address, message, signature));
            Assert.False(SignedMessage.Verify(address, message + ".", signature));
            Assert.False(SignedMessage.Verify(BitcoinAddress.FromPublicKey(Key(12).PublicKey, addressType, Network.Mainnet), message, signature));
        }
        using var uncompressed = key.WithCompression(false);
        var legacy = SignedMessage.Sign(uncompressed, message);
        Assert.True(Convert.FromBase64String(legacy)[0] is >= 27 and <= 30);
        Assert.True(SignedMessage.Verify(BitcoinAddress.FromPublicKey(uncompressed.PublicKey, AddressType.P2pkh, Network.Mainnet), message, legacy));
        Assert.False(SignedMessage.Verify(BitcoinAddress.FromPublicKey(key.PublicKey, AddressType.P2pkh, Network.Mainnet), message, "garbage"));
        Assert.Equal(CustodyError.SignatureInvalidCompact, Assert.Throws<SignatureFormatException>(() => SignedMessage.RecoverPublicKey(message, Convert.ToBase64String(new byte[65]), out _)).Reason);
    }

    [Fact]
    public void Transactions_round_trip_and_bad_bytes_are_typed()
    {
        var count = 0;
        foreach (var file in new[] { "bitcoin-core/tx_valid.json", "bitcoin-core/tx_invalid.json" })
        {
            foreach (var entry in Load(file).EnumerateArray())
            {
                if (entry[0].ValueKind != System.Text.Json.JsonValueKind.Array) continue;
                var raw = entry[1].GetString()!;
                Transaction tx;
                try
                {
                    tx = Transaction.Parse(raw);
                }
                catch (TransactionFormatException ex)
                {
                    Assert.Equal(CustodyError.TransactionMalformed, ex.Reason);
                    continue;
                }
                Assert.Equal(raw, tx.ToHex());
                Assert.Equal(tx.GetTxId(), Transaction.Parse(tx.ToBytes(false)).GetTxId());
                count++;
            }
        }
        Assert.True(count > 190);
        Assert.Equal(CustodyError.TransactionMalformed, Assert.Throws<TransactionFormatException>(() => Transaction.Parse("0100")).Reason);
        Assert.Equal(CustodyError.TransactionMalformed, Assert.Throws<TransactionFormatException>(() => Transaction.Parse("zz")).Reason);
    }
}
