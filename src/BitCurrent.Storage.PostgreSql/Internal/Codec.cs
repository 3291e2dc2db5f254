using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using Npgsql;
using NpgsqlTypes;

namespace BitCurrent.Storage.PostgreSql.Internal;

/// <summary>
/// Conversions between the ledger's integers and their column types: 128-bit ids as 16-byte big-endian bytea,
/// 128-bit amounts as numeric(39,0), 64-bit timestamps as bigint.
/// </summary>
internal static class Codec
{
    /// <summary>The largest value a <see cref="decimal"/> holds exactly (96-bit mantissa): the fast path for numeric.</summary>
    private static readonly UInt128 DecimalMax = (UInt128.One << 96) - 1;

    public const int IdSize = 16;

    public static void WriteId(UInt128 value, Span<byte> destination) => BinaryPrimitives.WriteUInt128BigEndian(destination, value);

    public static byte[] IdBytes(UInt128 value)
    {
        var bytes = new byte[IdSize];
        WriteId(value, bytes);
        return bytes;
    }

    public static UInt128 ReadId(byte[] bytes)
    {
        if (bytes.Length != IdSize)
            throw new StorageException(StorageError.RecordInvalid, string.Create(CultureInfo.InvariantCulture, $"an id has {bytes.Length} bytes, expected {IdSize}"));
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    /// <summary>A numeric parameter value: <see cref="decimal"/> when it fits (cheap to encode), else <see cref="BigInteger"/>.</summary>
    public static object Numeric(UInt128 value) => value <= DecimalMax ? ToDecimal(value) : (BigInteger)value;

    public static decimal ToDecimal(UInt128 value) =>
        new((int)(uint)value, (int)(uint)(value >> 32), (int)(uint)(value >> 64), isNegative: false, scale: 0);

    public static Task WriteNumericAsync(NpgsqlBinaryImporter importer, UInt128 value, CancellationToken cancellationToken) =>
        value <= DecimalMax
            ? importer.WriteAsync(ToDecimal(value), NpgsqlDbType.Numeric, cancellationToken)
            : importer.WriteAsync((BigInteger)value, NpgsqlDbType.Numeric, cancellationToken);

    /// <summary>Writes −<paramref name="value"/> (a debit entry), exactly.</summary>
    public static Task WriteNegatedNumericAsync(NpgsqlBinaryImporter importer, UInt128 value, CancellationToken cancellationToken) =>
        value <= DecimalMax
            ? importer.WriteAsync(-ToDecimal(value), NpgsqlDbType.Numeric, cancellationToken)
            : importer.WriteAsync(-(BigInteger)value, NpgsqlDbType.Numeric, cancellationToken);

    /// <summary>Reads a numeric(39,0) column that holds an unsigned 128-bit value.</summary>
    public static UInt128 ReadUInt128(NpgsqlDataReader reader, int ordinal, string what)
    {
        var value = reader.GetFieldValue<BigInteger>(ordinal);
        if (value.Sign < 0 || value > (BigInteger)UInt128.MaxValue)
            throw new StorageException(StorageError.RecordInvalid, $"{what} {value} is not an unsigned 128-bit integer");
        return (UInt128)value;
    }

    /// <summary>Reads a numeric(20,0) column that holds an unsigned 64-bit value.</summary>
    public static ulong ReadUInt64(NpgsqlDataReader reader, int ordinal, string what)
    {
        var value = reader.GetFieldValue<BigInteger>(ordinal);
        if (value.Sign < 0 || value > ulong.MaxValue)
            throw new StorageException(StorageError.RecordInvalid, $"{what} {value} is not an unsigned 64-bit integer");
        return (ulong)value;
    }

    /// <summary>A ledger timestamp as bigint; above 2^63 − 1 (the year 2262) it cannot be stored.</summary>
    public static long Timestamp(ulong timestamp)
    {
        if (timestamp > long.MaxValue) ThrowTimestampOutOfRange(timestamp);
        return (long)timestamp;
    }

    /// <summary>A bigint id of the exchange's records as the ledger's unsigned reference.</summary>
    public static ulong RecordId(long id, string table)
    {
        if (id <= 0)
            throw new StorageException(StorageError.RecordInvalid, string.Create(CultureInfo.InvariantCulture, $"{table} has a row with id {id}; ids are positive"));
        return (ulong)id;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowTimestampOutOfRange(ulong timestamp) =>
        throw new StorageException(StorageError.TimestampOutOfRange,
            string.Create(CultureInfo.InvariantCulture, $"ledger timestamp {timestamp} exceeds 2^63-1 nanoseconds and cannot be stored"));
}
