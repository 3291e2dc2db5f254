using System.Buffers.Binary;

namespace BitCurrent.Custody.Internal;

/// <summary>Little-endian reader over Bitcoin's wire encodings; every overrun is an <see cref="EndOfDataException"/>.</summary>
internal ref struct ByteReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;

    public int Position { get; private set; }

    public readonly int Remaining => _data.Length - Position;

    public readonly bool IsEmpty => Position >= _data.Length;

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new EndOfDataException();
        }
        var slice = _data.Slice(Position, count);
        Position += count;
        return slice;
    }

    public byte ReadByte() => ReadBytes(1)[0];

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4));

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(8));

    /// <summary>CompactSize, canonical only (Core rejects non-minimal encodings), at most 0x02000000 when <paramref name="rangeCheck"/>.</summary>
    public ulong ReadCompactSize(bool rangeCheck = true)
    {
        var first = ReadByte();
        ulong value;
        if (first < 253)
        {
            value = first;
        }
        else if (first == 253)
        {
            value = BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2));
            if (value < 253) throw new NonCanonicalException();
        }
        else if (first == 254)
        {
            value = BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4));
            if (value < 0x10000) throw new NonCanonicalException();
        }
        else
        {
            value = BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8));
            if (value < 0x100000000UL) throw new NonCanonicalException();
        }
        if (rangeCheck && value > 0x02000000)
        {
            throw new NonCanonicalException();
        }
        return value;
    }

    public byte[] ReadVarBytes()
    {
        var length = ReadCompactSize();
        if (length > (ulong)Remaining)
        {
            throw new EndOfDataException();
        }
        return ReadBytes((int)length).ToArray();
    }
}

internal sealed class EndOfDataException : Exception
{
    public EndOfDataException() : base("unexpected end of data")
    {
    }
}

internal sealed class NonCanonicalException : Exception
{
    public NonCanonicalException() : base("non-canonical or oversized CompactSize")
    {
    }
}

/// <summary>Growable little-endian writer.</summary>
internal sealed class ByteWriter
{
    private byte[] _buffer;

    public ByteWriter(int capacity = 256) => _buffer = new byte[Math.Max(16, capacity)];

    public int Length { get; private set; }

    private Span<byte> Reserve(int count)
    {
        if (Length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        }
        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }

    public void WriteByte(byte value) => Reserve(1)[0] = value;

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);

    public void WriteCompactSize(ulong value)
    {
        if (value < 253)
        {
            WriteByte((byte)value);
        }
        else if (value <= 0xffff)
        {
            WriteByte(253);
            BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), (ushort)value);
        }
        else if (value <= 0xffffffff)
        {
            WriteByte(254);
            WriteUInt32((uint)value);
        }
        else
        {
            WriteByte(255);
            BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);
        }
    }

    public void WriteVarBytes(ReadOnlySpan<byte> bytes)
    {
        WriteCompactSize((ulong)bytes.Length);
        WriteBytes(bytes);
    }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Length);

    public byte[] ToArray() => _buffer.AsSpan(0, Length).ToArray();
}
