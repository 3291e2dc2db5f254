using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using BitCurrent.Custody;

namespace BitCurrent.Bench;

/// <summary>
/// <c>custody</c>: how fast the custody primitives sign. Three closed loops on one thread, each after a warm-up:
/// ECDSA signatures (RFC 6979 nonce, low-S) over distinct 32-byte hashes, verifications of those signatures, and the
/// cold wallet's real job: a PSBT spending a 5-of-9 P2WSH input, signed by five signers (five signatures, each
/// checked against the sighash by the signer) and finalized. The last line is the summary that scripts read:
/// <c>custody: N signatures/s, N verifications/s, N psbt 5-of-9 sign+finalize/s</c>.
/// </summary>
internal static class CustodyHarness
{
    public static int Run(string[] args)
    {
        var seconds = 3.0;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--seconds" && i + 1 < args.Length &&
                double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) && seconds is > 0 and <= 600)
            {
                i++;
                continue;
            }
            Console.Error.WriteLine($"custody: bad argument '{args[i]}'; usage: custody [--seconds S (per loop, default 3)]");
            return 2;
        }
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}; {seconds} s per loop after a warm-up");

        var fixture = ColdWalletFixture.Create();
        var hashes = new byte[1024][];
        for (var i = 0; i < hashes.Length; i++) hashes[i] = SHA256.HashData(BitConverter.GetBytes(i));

        var signatures = new EcdsaSignature[hashes.Length];
        var signRate = Loop(seconds, i => signatures[i % hashes.Length] = fixture.Signers[0].Sign(hashes[i % hashes.Length]));
        var key = fixture.Signers[0].PublicKey;
        var verifyRate = Loop(seconds, i =>
        {
            if (!key.Verify(hashes[i % hashes.Length], signatures[i % hashes.Length])) throw new InvalidOperationException("a signature did not verify");
        });
        var psbtRate = Loop(seconds, _ => fixture.SignAndFinalize());

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"custody: {signRate:F0} signatures/s, {verifyRate:F0} verifications/s, {psbtRate:F1} psbt 5-of-9 sign+finalize/s"));
        return 0;
    }

    /// <summary>Runs <paramref name="operation"/> for a warm-up second, then for <paramref name="seconds"/>; returns operations per second.</summary>
    private static double Loop(double seconds, Action<int> operation)
    {
        var warmUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        for (var i = 0; Stopwatch.GetTimestamp() < warmUntil; i++) operation(i);
        var count = 0;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(seconds * Stopwatch.Frequency);
        long now;
        do
        {
            for (var k = 0; k < 16; k++) operation(count++);
            now = Stopwatch.GetTimestamp();
        }
        while (now < end);
        return count / ((double)(now - start) / Stopwatch.Frequency);
    }
}

/// <summary>A regtest 5-of-9 P2WSH cold wallet with one funded output and an unsigned PSBT spending it to a hot address.</summary>
internal sealed class ColdWalletFixture
{
    private readonly Psbt _unsigned;

    private ColdWalletFixture(PrivateKey[] signers, Psbt unsigned)
    {
        Signers = signers;
        _unsigned = unsigned;
    }

    public PrivateKey[] Signers { get; }

    public static ColdWalletFixture Create()
    {
        var signers = new PrivateKey[9];
        for (var i = 0; i < signers.Length; i++) signers[i] = new PrivateKey(SHA256.HashData(BitConverter.GetBytes(1000 + i)));
        var witnessScript = Script.Multisig(5, signers.Select(s => s.PublicKey).ToArray());
        var hot = new PrivateKey(SHA256.HashData("hot"u8));
        var funding = new OutPoint(TxId.Parse(Convert.ToHexStringLower(SHA256.HashData("funding"u8))), 0);
        var psbt = new TransactionBuilder(Network.Regtest)
            .AddInput(funding, new TxOut(1_000_000_000, Script.P2wsh(witnessScript)), witnessScript: witnessScript)
            .AddOutput(BitcoinAddress.FromPublicKey(hot.PublicKey, AddressType.P2wpkh, Network.Regtest), 200_000_000)
            .AddOutput(Script.P2wsh(witnessScript), 799_990_000)
            .BuildPsbt();
        return new ColdWalletFixture(signers, psbt);
    }

    /// <summary>Five signers sign (each on its own copy, as on separate machines), the copies are combined and finalized.</summary>
    public Transaction SignAndFinalize()
    {
        var copies = new Psbt[5];
        for (var k = 0; k < copies.Length; k++)
        {
            copies[k] = _unsigned.Clone();
            PsbtRoles.Sign(copies[k], [Signers[k * 2 % Signers.Length]]);
        }
        var combined = PsbtRoles.Combine(copies);
        PsbtRoles.Finalize(combined);
        return PsbtRoles.Extract(combined);
    }
}
