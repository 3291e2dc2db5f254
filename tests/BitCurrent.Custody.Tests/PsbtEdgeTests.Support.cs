using BitCurrent.Custody.Internal;
using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

/// <summary>PSBT edge cases: each field's checks (BIP-174, Bitcoin Core's psbt.h), the model's setters, Core's serialization
/// order and the roles' refusals. PSBTs are written by hand with the small writer below (maps of CompactSize-prefixed keys and
/// values, each map ended by 0x00), so every check can be hit with exactly one broken field.</summary>
public partial class PsbtEdgeTests
{
    private static readonly byte[] Magic = [0x70, 0x73, 0x62, 0x74, 0xff];

    // Points on secp256k1: G, 2G and 3G (compressed; G also uncompressed), and a "key" whose x (2^256 - 1) is above the field prime.
    private static readonly byte[] G1 = Convert.FromHexString("0279BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798");
    private static readonly byte[] G2 = Convert.FromHexString("02C6047F9441ED7D6D3045406E95C07CD85C778E4B8CEF3CA7ABAC09B95C709EE5");
    private static readonly byte[] G3 = Convert.FromHexString("02F9308A019258C31049344F85F89D5229B531C845836F99B08601F113BCE036F9");
    private static readonly byte[] G1Uncompressed = Convert.FromHexString(
        "0479BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8");
    private static readonly byte[] NotAKey = [0x02, .. Filled(32, 0xff)];

    // The smallest strict-DER signature (r = 1, s = 1) followed by a sighash byte.
    private static byte[] MinimalDer(byte hashType) => [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, hashType];

    private static byte[] Cat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static byte[] CompactSize(ulong n)
    {
        var writer = new ByteWriter();
        writer.WriteCompactSize(n);
        return writer.ToArray();
    }

    private static byte[] Var(byte[] data) => Cat(CompactSize((ulong)data.Length), data);

    /// <summary>A key: its type byte, then key data.</summary>
    private static byte[] K(byte type, params byte[][] data) => Cat([[type], .. data]);

    /// <summary>One map: each key and value with its length, then the 0x00 separator.</summary>
    private static byte[] Map(params (byte[] Key, byte[] Value)[] entries) => Cat([.. entries.Select(e => Cat(Var(e.Key), Var(e.Value))), [0x00]]);

    private static readonly TxId SpentTxId = new(Filled(32, 0x11));

    /// <summary>The unsigned transaction of most cases: one input (spending 11..11:0) and one 40 000 sat output.</summary>
    private static Transaction OneInOneOut() => new()
    {
        Version = 2,
        Inputs = { new TxIn(new OutPoint(SpentTxId, 0)) },
        Outputs = { new TxOut(40_000, Script.P2wpkh(Filled(20, 0x22))) },
    };

    private static (byte[], byte[]) UnsignedTxEntry(Transaction tx) => (K(0x00), tx.ToBytes(includeWitness: false));

    /// <summary>A PSBT of <see cref="OneInOneOut"/> with extra global entries (after the transaction) and the given input and output maps.</summary>
    private static byte[] Build(byte[] inputMap, byte[] outputMap, params (byte[], byte[])[] globalExtra) =>
        Cat(Magic, Map([UnsignedTxEntry(OneInOneOut()), .. globalExtra]), inputMap, outputMap);

    private static byte[] WithGlobal(params (byte[], byte[])[] entries) => Build(Map(), Map(), entries);

    private static byte[] WithInput(params (byte[], byte[])[] entries) => Build(Map(entries), Map());

    private static byte[] WithOutput(params (byte[], byte[])[] entries) => Build(Map(), Map(entries));

    /// <summary>Parsing fails with <paramref name="reason"/>, both by <see cref="Psbt.Parse"/> and <see cref="Psbt.TryParse"/>.</summary>
    private static PsbtFormatException Rejects(CustodyError reason, byte[] bytes)
    {
        var ex = Assert.Throws<PsbtFormatException>(() => Psbt.Parse(bytes));
        Assert.Equal(reason, ex.Reason);
        Assert.Equal(reason, Psbt.TryParse(bytes, out var psbt, out var message));
        Assert.Null(psbt);
        Assert.Equal(ex.Message, message);
        return ex;
    }

    /// <summary>The exception's message is "number reason: " followed by <paramref name="description"/>.</summary>
    private static void Said(string description, Exception ex) => Assert.EndsWith(": " + description, ex.Message, StringComparison.Ordinal);

    /// <summary>Parses, and (being unmodified) writes back the same bytes.</summary>
    private static Psbt Accepts(byte[] bytes)
    {
        var psbt = Psbt.Parse(bytes);
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(psbt.ToBytes()));
        return psbt;
    }

    /// <summary>The key types of input 0 after writing and reading back (so after Core's order when the PSBT was modified).</summary>
    private static byte[] InputTypesWritten(Psbt psbt) => [.. Psbt.Parse(psbt.ToBytes()).Inputs[0].Entries.Select(e => (byte)e.Type)];

    private static byte[] OutputTypesWritten(Psbt psbt) => [.. Psbt.Parse(psbt.ToBytes()).Outputs[0].Entries.Select(e => (byte)e.Type)];
}
