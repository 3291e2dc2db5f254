using System.Buffers.Binary;
using System.Numerics;

namespace BitCurrent.Storage.Faster.Internal;

/// <summary>
/// CRC-32C (Castagnoli) through <see cref="BitOperations.Crc32C(uint, ulong)"/>, which uses the SSE4.2 or ARMv8 CRC
/// instruction where there is one (about 8 bytes per cycle: a 1 MiB journal record costs about 0.1 ms). Check value
/// of the ASCII bytes "123456789": 0xE3069283.
/// </summary>
internal struct Crc32C
{
    private uint _state;

    public Crc32C() => _state = 0xFFFF_FFFFu;

    public void Append(ReadOnlySpan<byte> data)
    {
        var crc = _state;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        _state = crc;
    }

    public readonly uint Value => ~_state;

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = new Crc32C();
        crc.Append(data);
        return crc.Value;
    }
}
