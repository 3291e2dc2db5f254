using System.Buffers.Binary;
using System.Runtime.InteropServices;
using BitCurrent.Ledger.Internal;

namespace BitCurrent.Ledger;

/// <summary>
/// A transfer: an immutable movement of <see cref="Amount"/> from the debit account to the credit account of one
/// ledger. A fixed-layout 128-byte record, field for field TigerBeetle's <c>Transfer</c>.
/// </summary>
/// <remarks>
/// <para>Binary layout (little-endian, 128 bytes; pinned by a golden test, see <see cref="Write"/>):</para>
/// <code>
///   0 id                u128     96 user_data_64    u64
///  16 debit_account_id  u128    104 user_data_32    u32
///  32 credit_account_id u128    108 timeout         u32 (seconds)
///  48 amount            u128    112 ledger          u32
///  64 pending_id        u128    116 code            u16
///  80 user_data_128     u128    118 flags           u16
///                               120 timestamp       u64
/// </code>
/// <para>A stored transfer records what happened: for a balancing transfer the amount actually moved, and for a
/// post or void the debit and credit accounts, ledger, code and amount resolved from the pending transfer.</para>
/// </remarks>
[StructLayout(LayoutKind.Sequential, Size = SizeBytes)]
public record struct Transfer
{
    /// <summary>Size of the binary record in bytes.</summary>
    public const int SizeBytes = 128;

    /// <summary>Nanoseconds per second, the unit conversion of <see cref="TimeoutSeconds"/>.</summary>
    public const ulong NanosecondsPerSecond = 1_000_000_000UL;

    /// <summary>Unique id, the idempotency key; 0 and <see cref="UInt128.MaxValue"/> are reserved.</summary>
    public UInt128 Id { get; set; }

    /// <summary>The account debited. For a post or void, 0 means "the pending transfer's".</summary>
    public UInt128 DebitAccountId { get; set; }

    /// <summary>The account credited. For a post or void, 0 means "the pending transfer's".</summary>
    public UInt128 CreditAccountId { get; set; }

    /// <summary>
    /// Amount in the ledger's minor units. For a balancing transfer the upper bound of the amount moved; for a
    /// post, 0 means the full pending amount; for a void, 0 or exactly the pending amount.
    /// </summary>
    public UInt128 Amount { get; set; }

    /// <summary>For a post or void: the id of the pending transfer. Otherwise zero.</summary>
    public UInt128 PendingId { get; set; }

    /// <summary>Opaque caller data, e.g. an external reference (deposit id, order id, trade id).</summary>
    public UInt128 UserData128 { get; set; }

    /// <summary>Opaque caller data, e.g. a user id.</summary>
    public ulong UserData64 { get; set; }

    /// <summary>Opaque caller data.</summary>
    public uint UserData32 { get; set; }

    /// <summary>
    /// For a pending transfer: seconds after its timestamp at which it expires (0 = never). The expiry is
    /// decided by the timestamps of later batches, never by a clock.
    /// </summary>
    public uint TimeoutSeconds { get; set; }

    /// <summary>The ledger (asset); must equal both accounts' ledger. For a post or void, 0 means "the pending transfer's".</summary>
    public uint Ledger { get; set; }

    /// <summary>A caller-defined reason for the transfer; must not be zero. For a post or void, 0 means "the pending transfer's".</summary>
    public ushort Code { get; set; }

    /// <summary>Behaviour flags.</summary>
    public TransferFlags Flags { get; set; }

    /// <summary>Set by the engine when the transfer is created (nanoseconds); must be zero on input.</summary>
    public ulong Timestamp { get; set; }

    /// <summary>Writes the 128-byte little-endian record into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="SizeBytes"/>.</exception>
    public readonly void Write(Span<byte> destination)
    {
        if (destination.Length < SizeBytes) ThrowHelper.DestinationTooShort(nameof(destination), SizeBytes);
        BinaryPrimitives.WriteUInt128LittleEndian(destination, Id);
        BinaryPrimitives.WriteUInt128LittleEndian(destination[16..], DebitAccountId);
        BinaryPrimitives.WriteUInt128LittleEndian(destination[32..], CreditAccountId);
        BinaryPrimitives.WriteUInt128LittleEndian(destination[48..], Amount);
        BinaryPrimitives.WriteUInt128LittleEndian(destination[64..], PendingId);
        BinaryPrimitives.WriteUInt128LittleEndian(destination[80..], UserData128);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[96..], UserData64);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[104..], UserData32);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[108..], TimeoutSeconds);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[112..], Ledger);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[116..], Code);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[118..], (ushort)Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[120..], Timestamp);
    }

    /// <summary>Reads a 128-byte little-endian record written by <see cref="Write"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="source"/> is shorter than <see cref="SizeBytes"/>.</exception>
    public static Transfer Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < SizeBytes) ThrowHelper.SourceTooShort(nameof(source), SizeBytes);
        return new Transfer
        {
            Id = BinaryPrimitives.ReadUInt128LittleEndian(source),
            DebitAccountId = BinaryPrimitives.ReadUInt128LittleEndian(source[16..]),
            CreditAccountId = BinaryPrimitives.ReadUInt128LittleEndian(source[32..]),
            Amount = BinaryPrimitives.ReadUInt128LittleEndian(source[48..]),
            PendingId = BinaryPrimitives.ReadUInt128LittleEndian(source[64..]),
            UserData128 = BinaryPrimitives.ReadUInt128LittleEndian(source[80..]),
            UserData64 = BinaryPrimitives.ReadUInt64LittleEndian(source[96..]),
            UserData32 = BinaryPrimitives.ReadUInt32LittleEndian(source[104..]),
            TimeoutSeconds = BinaryPrimitives.ReadUInt32LittleEndian(source[108..]),
            Ledger = BinaryPrimitives.ReadUInt32LittleEndian(source[112..]),
            Code = BinaryPrimitives.ReadUInt16LittleEndian(source[116..]),
            Flags = (TransferFlags)BinaryPrimitives.ReadUInt16LittleEndian(source[118..]),
            Timestamp = BinaryPrimitives.ReadUInt64LittleEndian(source[120..]),
        };
    }
}
