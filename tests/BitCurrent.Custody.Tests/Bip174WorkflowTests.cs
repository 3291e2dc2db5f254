using System.Globalization;
using System.Text.Json;
using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

/// <summary>The BIP-174 role workflow (2-of-2 P2SH and P2SH-P2WSH), step by step, byte for byte.</summary>
public class Bip174WorkflowTests(ITestOutputHelper output)
{
    private static List<JsonElement> Steps() => [.. Load("bips/bip174_psbt_vectors.json").GetProperty("role_workflow_2of2_p2sh_p2wsh_and_p2wpkh").EnumerateArray()];

    private static List<string> Values(JsonElement step, string label) =>
        [.. step.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("label").GetString() == label).SelectMany(i => i.GetProperty("values").EnumerateArray().Select(v => v.GetString()!))];

    private static string Hex(JsonElement step) => Values(step, "Bytes in Hex")[0];

    [Fact]
    public void Creator_updater_signers_combiner_finalizer_extractor()
    {
        var steps = Steps();
        JsonElement Step(string prefix, int skip = 0) => steps.Where(s => s.GetProperty("step").GetString()!.StartsWith(prefix, StringComparison.Ordinal)).Skip(skip).First();

        // Master key → fingerprint for the origins.
        using var master = ExtendedPrivateKey.Parse(Values(Step("The private keys"), "Extended Private Key")[0], Network.Testnet);
        var fingerprint = master.Fingerprint;

        // Creator.
        var tx = new Transaction { Version = 2 };
        foreach (var item in Step("and spends").GetProperty("items").EnumerateArray())
        {
            var v = item.GetProperty("values");
            tx.Inputs.Add(new TxIn(new OutPoint(TxId.Parse(v[0].GetString()!), uint.Parse(v[1].GetString()!, CultureInfo.InvariantCulture))));
        }
        foreach (var item in Step("A creator").GetProperty("items").EnumerateArray())
        {
            var v = item.GetProperty("values");
            tx.Outputs.Add(new TxOut((long)(decimal.Parse(v[1].GetString()!, CultureInfo.InvariantCulture) * Money.SatoshisPerBitcoin), Script.FromHex(v[0].GetString()!)));
        }
        var psbt = Psbt.Create(tx);
        var created = Step("must create this PSBT");
        Assert.Equal(Hex(created), ToHex(psbt.ToBytes()));

        // Updater: scripts, previous transactions and key origins given in the BIP.
        var updater = Step("Given the above PSBT, an updater");
        var items = updater.GetProperty("items").EnumerateArray().ToList();
        var scripts = new List<Script>();
        var previous = new List<Transaction>();
        var origins = new Dictionary<PublicKey, KeyOrigin>();
        var section = "";
        foreach (var item in items)
        {
            var label = item.GetProperty("label").GetString()!;
            var values = item.GetProperty("values").EnumerateArray().Select(x => x.GetString()!).ToList();
            if (label.Length > 0 && values.Count == 0)
            {
                section = label;
                continue;
            }
            if (label.StartsWith("Key", StringComparison.Ordinal))
            {
                origins[PublicKey.Parse(values[0])] = new KeyOrigin(fingerprint, KeyPath.Parse(values[1]));
            }
            else if (section.Contains("Transactions", StringComparison.Ordinal))
            {
                previous.Add(Transaction.Parse(values[0]));
            }
            else if (section.Contains("Script", StringComparison.Ordinal))
            {
                scripts.Add(Script.FromHex(values[0]));
            }
        }
        Assert.Equal((3, 2, 6), (scripts.Count, previous.Count, origins.Count));
        PsbtRoles.Update(psbt, previous, scripts, origins);
        Assert.Equal(Hex(Step("Must create this PSBT")), ToHex(psbt.ToBytes()));
        PsbtRoles.SetSigHashType(psbt, SigHashType.All);
        var updated = Hex(Step("An updater which adds SIGHASH_ALL"));
        Assert.Equal(updated, ToHex(psbt.ToBytes()));

        // Two signers, each with two keys (one per input), working on copies.
        var signed = new List<Psbt>();
        foreach (var (prefix, result) in new[] { ("Given the above updated PSBT, a signer that supports", 0), ("Given the above updated PSBT, a signer with", 0) })
        {
            var keys = Step(prefix).GetProperty("items").EnumerateArray().Select(i => PrivateKey.FromWif(i.GetProperty("values")[0].GetString()!, Network.Testnet)).ToList();
            var copy = Psbt.Parse(Convert.FromHexString(updated));
            var results = PsbtRoles.Sign(copy, keys, new PsbtSignerOptions { GrindLowR = false });
            Assert.All(results, r => Assert.Equal(PsbtInputSignStatus.Signed, r.Status));
            signed.Add(copy);
            keys.ForEach(k => k.Dispose());
        }
        Assert.Equal(Hex(Step("must create this PSBT", 1)), ToHex(signed[0].ToBytes()));
        Assert.Equal(Hex(Step("must create this PSBT", 2)), ToHex(signed[1].ToBytes()));

        // Combiner, finalizer, extractor.
        var combined = PsbtRoles.Combine(signed);
        Assert.Equal(Hex(Step("Given both of the above PSBTs, a combiner")), ToHex(combined.ToBytes()));
        PsbtRoles.Finalize(combined);
        Assert.Equal(Hex(Step("Given the above PSBT, an input finalizer")), ToHex(combined.ToBytes()));
        var final = PsbtRoles.Extract(combined);
        Assert.Equal(Hex(Step("Given the above PSBT, a transaction extractor")), final.ToHex());
        // The extracted transaction verifies under standard rules.
        var prevouts = tx.Inputs.Select(i => previous.First(p => p.GetTxId() == i.PrevOut.TxId).Outputs[(int)i.PrevOut.Index]).ToList();
        Assert.Equal(ScriptError.Ok, ScriptVerifier.VerifyTransaction(final, prevouts));
        output.WriteLine("BIP-174 workflow: creator, updater, SIGHASH_ALL updater, 2 signers, combiner, finalizer, extractor: 8/8 steps byte-identical");
    }

    [Fact]
    public void Combiner_orders_unknown_keys_lexicographically()
    {
        var steps = Steps();
        var given = steps.First(s => s.GetProperty("step").GetString()!.StartsWith("Given these two PSBTs", StringComparison.Ordinal));
        var parts = Values(given, "Bytes in Hex").Select(h => Psbt.Parse(Convert.FromHexString(h))).ToList();
        var expected = Hex(steps.First(s => s.GetProperty("step").GetString()!.StartsWith("A combiner which orders keys", StringComparison.Ordinal)));
        Assert.Equal(expected, ToHex(PsbtRoles.Combine(parts).ToBytes()));
    }

    [Fact]
    public void Signer_checks_refuse_inconsistent_inputs_with_specific_reasons()
    {
        var expected = new Dictionary<string, CustodyError>
        {
            ["A Witness UTXO is provided for a non-witness input"] = CustodyError.PsbtWitnessUtxoForNonWitnessInput,
            ["redeemScript with non-witness UTXO does not match the scriptPubKey"] = CustodyError.PsbtScriptMismatch,
            ["redeemScript with witness UTXO does not match the scriptPubKey"] = CustodyError.PsbtScriptMismatch,
            ["witnessScript with witness UTXO does not match the redeemScript"] = CustodyError.PsbtScriptMismatch,
        };
        var count = 0;
        using var someKey = PrivateKey.Generate();
        foreach (var c in Load("bips/bip174_psbt_vectors.json").GetProperty("cases").GetProperty("Fails Signer checks").EnumerateArray())
        {
            var psbt = Psbt.Parse(Convert.FromHexString(c.GetProperty("hex").GetString()!));
            var before = psbt.ToBase64();
            var results = PsbtRoles.Sign(psbt, [someKey]);
            var refused = results.Where(r => r.Status == PsbtInputSignStatus.Refused).ToList();
            Assert.NotEmpty(refused);
            Assert.Equal(expected[c.GetProperty("case").GetString()!], refused[0].Reason);
            Assert.DoesNotContain(results, r => r.Status == PsbtInputSignStatus.Signed);
            Assert.Equal(Psbt.ParseBase64(before).Inputs.Sum(i => i.PartialSignatures.Count), psbt.Inputs.Sum(i => i.PartialSignatures.Count));
            count++;
        }
        Assert.Equal(4, count);
        output.WriteLine($"bip174 signer checks: {count}/4 refused with the expected reason");
    }
}
