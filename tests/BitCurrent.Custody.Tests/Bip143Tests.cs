using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

public partial class Bip143Tests(ITestOutputHelper output)
{
    private static JsonElement Section(string title)
    {
        foreach (var e in Load("bips/bip143_examples.json").GetProperty("examples").EnumerateArray())
        {
            if (e.GetProperty("title").GetString() == title) return e;
        }
        throw new InvalidOperationException(title);
    }

    private static string[] Strings(JsonElement e, string name) => [.. e.GetProperty(name).EnumerateArray().Select(x => x.GetString()!)];

    private static long Btc(string text) => (long)decimal.Round(decimal.Parse(text, CultureInfo.InvariantCulture) * Money.SatoshisPerBitcoin);

    // Deterministic RFC 6979 signing must reproduce the BIP's signatures byte for byte (they were made by Bitcoin Core).
    private static void AssertSignature(string privateKeyHex, byte[] sighash, string expectedDerWithType)
    {
        using var key = new PrivateKey(Hex(privateKeyHex));
        var signature = key.Sign(sighash);
        var hashType = expectedDerWithType[^2..];
        Assert.Equal(expectedDerWithType, ToHex(signature.ToDer()) + hashType);
        Assert.True(key.PublicKey.Verify(sighash, signature));
    }

    [Fact]
    public void Native_p2wpkh_sighash_signature_and_verification()
    {
        var e = Section("Native P2WPKH");
        var tx = Transaction.Parse(Strings(e, "unsigned_txs")[0]);
        var pub = PublicKey.Parse(Strings(e, "public_keys")[0]);
        var sighash = SignatureHash.WitnessV0(tx, 1, Script.P2pkh(pub), 6 * Money.SatoshisPerBitcoin, 1);
        Assert.Equal(Strings(e, "sighashes")[0], ToHex(sighash));
        AssertSignature(Strings(e, "private_keys")[1], sighash, Strings(e, "signatures")[0]);
        // The P2PK input is legacy: reproduce its signature too.
        var signed = Transaction.Parse(Strings(e, "signed_txs")[0]);
        var p2pk = Script.FromHex("2103c9f4836b9a4f77fc0d81f7bcb01b7f1b35916864b9476c241ce9fc198bd25432ac");
        var legacy = SignatureHash.Legacy(tx, 0, p2pk, 1);
        signed.Inputs[0].ScriptSig.TryGetOps(out var ops);
        AssertSignature(Strings(e, "private_keys")[0], legacy, ToHex(ops[0].Data.Span));
        var prevouts = new List<TxOut> { new(Btc("6.25"), p2pk), new(6 * Money.SatoshisPerBitcoin, Script.FromHex("00141d0f172a0ecb48aee1be1f2687d2963ae33f71a1")) };
        Assert.Equal(ScriptError.Ok, ScriptVerifier.VerifyTransaction(signed, prevouts));
        Assert.Equal(Strings(e, "signed_txs")[0], signed.ToHex());
    }

    [Fact]
    public void P2sh_p2wpkh_sighash_signature_and_verification()
    {
        var e = Section("P2SH-P2WPKH");
        var tx = Transaction.Parse(Strings(e, "unsigned_txs")[0]);
        var pub = PublicKey.Parse(Strings(e, "public_keys")[0]);
        var sighash = SignatureHash.WitnessV0(tx, 0, Script.P2pkh(pub), 10 * Money.SatoshisPerBitcoin, 1);
        Assert.Equal(Strings(e, "sighashes")[0], ToHex(sighash));
        AssertSignature(Strings(e, "private_keys")[0], sighash, Strings(e, "signatures")[0]);
        var redeem = Script.FromHex(Strings(e, "redeem_scripts")[0]);
        Assert.Equal(redeem, Script.P2wpkh(pub));
        var signed = Transaction.Parse(Strings(e, "signed_txs")[0]);
        Assert.Equal(ScriptError.Ok, ScriptVerifier.VerifyTransaction(signed, [new TxOut(10 * Money.SatoshisPerBitcoin, Script.P2sh(redeem))]));
    }

    [Fact]
    public void Native_p2wsh_codeseparator_and_single_sighashes()
    {
        var e = Section("Native P2WSH");
        var unsigned = Strings(e, "unsigned_txs");
        var scripts = Strings(e, "witness_scripts");
        var sighashes = Strings(e, "sighashes");
        var keys = Strings(e, "private_keys");
        var signatures = Strings(e, "signatures");
        // Example 1: SIGHASH_SINGLE with only one output, scriptCode before and after the executed OP_CODESEPARATOR.
        var tx1 = Transaction.Parse(unsigned[0]);
        var ws = Hex(scripts[0]);
        var afterSeparator = ws.AsSpan(Array.IndexOf(ws, (byte)0xab) + 1).ToArray();
        var h0 = SignatureHash.WitnessV0(tx1, 1, new Script(ws), 49 * Money.SatoshisPerBitcoin, 3);
        var h1 = SignatureHash.WitnessV0(tx1, 1, new Script(afterSeparator), 49 * Money.SatoshisPerBitcoin, 3);
        Assert.Equal(sighashes[0], ToHex(h0));
        Assert.Equal(sighashes[1], ToHex(h1));
        AssertSignature(keys[1], h0, signatures[1]);
        AssertSignature(keys[2], h1, signatures[2]);
        var p2pk = Script.FromHex("21036d5c20fa14fb2f635474c1dc4ef5909d4568e5569b79fc94d3448486e14685f8ac");
        AssertSignature(keys[0], SignatureHash.Legacy(tx1, 0, p2pk, 1), signatures[0]);
        // Example 2: SINGLE|ANYONECANPAY, unexecuted OP_CODESEPARATOR kept, executed one removed.
        var tx2 = Transaction.Parse(unsigned[1]);
        var ws2 = Hex(scripts[2]);
        var h2 = SignatureHash.WitnessV0(tx2, 0, new Script(Hex(scripts[1])), 16777215, 0x83);
        var h3 = SignatureHash.WitnessV0(tx2, 1, new Script(ws2.AsSpan(Array.IndexOf(ws2, (byte)0xab) + 1)), 16777215, 0x83);
        Assert.Equal(sighashes[2], ToHex(h2));
        Assert.Equal(sighashes[3], ToHex(h3));
        AssertSignature(keys[3], h2, signatures[3]);
        AssertSignature(keys[4], h3, signatures[4]);
    }

    [Fact]
    public void P2sh_p2wsh_six_of_six_with_all_six_sighash_types()
    {
        var e = Section("P2SH-P2WSH");
        var tx = Transaction.Parse(Strings(e, "unsigned_txs")[0]);
        var witnessScript = Script.FromHex(Strings(e, "witness_scripts")[0]);
        var types = Strings(e, "nHashTypes");
        var sighashes = Strings(e, "sighashes");
        var keys = Strings(e, "private_keys");
        var signatures = Strings(e, "signatures");
        Assert.Equal(6, types.Length);
        Assert.True(witnessScript.IsMultisig(out var m, out var pubs));
        Assert.Equal((6, 6), (m, pubs.Count));
        const long amount = 987654321;
        for (var i = 0; i < 6; i++)
        {
            var hashType = (int)uint.Parse(types[i][..2], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var sighash = SignatureHash.WitnessV0(tx, 0, witnessScript, amount, hashType);
            Assert.Equal(sighashes[i], ToHex(sighash));
            AssertSignature(keys[i], sighash, signatures[i]);
        }
        var redeem = Script.FromHex(Strings(e, "redeem_scripts")[0]);
        Assert.Equal(Script.P2wsh(witnessScript), redeem);
        var signed = Transaction.Parse(Strings(e, "signed_txs")[0]);
        Assert.Equal(ScriptError.Ok, ScriptVerifier.VerifyTransaction(signed, [new TxOut(amount, Script.P2sh(redeem))]));
        // Tampering with the amount breaks every signature.
        Assert.NotEqual(ScriptError.Ok, ScriptVerifier.VerifyTransaction(signed, [new TxOut(amount + 1, Script.P2sh(redeem))]));
        output.WriteLine("P2SH-P2WSH 6-of-6: 6 sighash types, 6 signatures reproduced, signed transaction verified");
    }

    [GeneratedRegex("FindAndDelete</code> examples: ([0-9a-f]+)")]
    private static partial Regex MultisigVerifyExample();

    [Fact]
    public void No_find_and_delete_in_segwit_sighash()
    {
        var e = Section("No FindAndDelete");
        var raw = e.GetProperty("raw_text").GetString()!;
        var sighashes = Strings(e, "sighashes");
        var tx = Transaction.Parse(Strings(e, "unsigned_txs")[0]);
        var signed = Transaction.Parse(Strings(e, "signed_txs")[0]);
        var script = new Script(signed.Inputs[0].Witness[^1]);
        Assert.Equal(sighashes[0], ToHex(SignatureHash.WitnessV0(tx, 0, script, 200000, 1)));
        var second = Transaction.Parse(MultisigVerifyExample().Match(raw).Groups[1].Value);
        var script2 = new Script(second.Inputs[0].Witness[^1]);
        Assert.Equal(sighashes[1], ToHex(SignatureHash.WitnessV0(second, 0, script2, 200000, 1)));
        // The signature is a predetermined point: it verifies against the sighash computed without FindAndDelete.
        var pub = PublicKey.Parse(signed.Inputs[0].Witness[1]);
        var sig = signed.Inputs[0].Witness[0];
        Assert.True(pub.Verify(Hex(sighashes[0]), EcdsaSignature.FromDer(sig.AsSpan(0, sig.Length - 1))));
    }
}
