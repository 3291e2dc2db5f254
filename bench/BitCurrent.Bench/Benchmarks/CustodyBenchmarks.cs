using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BitCurrent.Custody;

namespace BitCurrent.Bench.Benchmarks;

/// <summary>Custody primitives: one ECDSA signature, one verification, one 5-of-9 PSBT signed by five signers and finalized.</summary>
[MemoryDiagnoser]
public class CustodyBenchmarks
{
    private ColdWalletFixture _fixture = null!;
    private byte[] _hash = null!;
    private EcdsaSignature _signature = null!;
    private PublicKey _key = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = ColdWalletFixture.Create();
        _hash = SHA256.HashData("benchmark"u8);
        _signature = _fixture.Signers[0].Sign(_hash);
        _key = _fixture.Signers[0].PublicKey;
    }

    [Benchmark]
    public EcdsaSignature Sign() => _fixture.Signers[0].Sign(_hash);

    [Benchmark]
    public bool Verify() => _key.Verify(_hash, _signature);

    [Benchmark]
    public Transaction PsbtFiveOfNineSignAndFinalize() => _fixture.SignAndFinalize();
}
