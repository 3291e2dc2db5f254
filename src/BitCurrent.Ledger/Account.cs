using System.Buffers.Binary;
using System.Runtime.InteropServices;
using BitCurrent.Ledger.Internal;

namespace BitCurrent.Ledger;

/// <summary>
/// An account: a fixed-layout 128-byte record, field for field TigerBeetle's <c>Account</c>. The four balance
/// fields are owned by the engine: they must be zero when the account is created and only transfers change them.
/// </summary>
/// <remarks>
/// <para>Binary layout (little-endian, 128 bytes; pinned by a golden test, see <see cref="Write"/>):</para>
/// <code>
///   0 id              u128      80 user_data_128   u128
///  16 debits_pending  u128      96 user_data_64    u64
///  32 debits_posted   u128     104 user_data_32    u32
///  48 credits_pending u128     108 reserved        u32
///  64 credits_posted  u128     112 ledger          u32
///                              116 code            u16
///                              118 flags           u16
///                              120 timestamp       u64
/// </code>
/// <para>This is a value type: what the engine returns is a copy, and changing it changes nothing in the engine.</para>
/// </remarks>
[StructLayout(LayoutKind.Sequential, Size = SizeBytes)]
public record struct Account
{
    /// <summary>Size of the binary record in bytes.</summary>
    public const int SizeBytes = 128;

    /// <summary>Unique id; 0 and <see cref="UInt128.MaxValue"/> are reserved.</summary>
    public UInt128 Id { get; set; }

    /// <summary>Sum of the amounts of pending transfers that debit this account (engine-owned).</summary>
    public UInt128 DebitsPending { get; set; }

    /// <summary>Sum of the amounts of posted transfers that debit this account (engine-owned).</summary>
    public UInt128 DebitsPosted { get; set; }

    /// <summary>Sum of the amounts of pending transfers that credit this account (engine-owned).</summary>
    public UInt128 CreditsPending { get; set; }

    /// <summary>Sum of the amounts of posted transfers that credit this account (engine-owned).</summary>
    public UInt128 CreditsPosted { get; set; }

    /// <summary>Opaque caller data, e.g. a reference to an external entity.</summary>
    public UInt128 UserData128 { get; set; }

    /// <summary>Opaque caller data, e.g. a user id.</summary>
    public ulong UserData64 { get; set; }

    /// <summary>Opaque caller data.</summary>
    public uint UserData32 { get; set; }

    /// <summary>Reserved; must be zero.</summary>
    public uint Reserved { get; set; }

    /// <summary>The ledger (asset) of the account; only accounts of the same ledger can transact.</summary>
    public uint Ledger { get; set; }

    /// <summary>A caller-defined kind of account (chart of accounts); must not be zero.</summary>
    public ushort Code { get; set; }

    /// <summary>Behaviour flags.</summary>
    public AccountFlags Flags { get; set; }

    /// <summary>Set by the engine when the account is created (nanoseconds); must be zero on input.</summary>
    public ulong Timestamp { get; set; }

    /// <summary>Writes the 128-byte little-endian record into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="SizeBytes"/>.</exception>
    public readonly void Write(Span<byte> destination)
    {
        if (destination.Length < SizeBytes) ThrowHelper.DestinationTooShort(nameof(destination), SizeBytes);
        BinaryPrimitives.WriteUInt128LittleEndian(destination, Id);
        BinaryPrimitives.WriteUInt128LittleEndian(destination[16..], DebitsPending);
        BinaryPrimitives.WriteUInt128LittleEndian(destination[32..], DebitsPosted);
        BinaryPrimitives.WriteUInt128LittleEndian(destination[48..], CreditsPending);
        BinaryPrimitives.WriteUInt128LittleEndian(destination[64..], CreditsPosted);
        BinaryPrimitives.WriteUInt128LittleEndian(destination[80..], UserData128);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[96..], UserData64);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[104..], UserData32);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[108..], Reserved);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[112..], Ledger);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[116..], Code);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[118..], (ushort)Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[120..], Timestamp);
    }

    /// <summary>Reads a 128-byte little-endian record written by <see cref="Write"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="source"/> is shorter than <see cref="SizeBytes"/>.</exception>
    public static Account Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < SizeBytes) ThrowHelper.SourceTooShort(nameof(source), SizeBytes);
        return new Account
        {
            Id = BinaryPrimitives.ReadUInt128LittleEndian(source),
            DebitsPending = BinaryPrimitives.ReadUInt128LittleEndian(source[16..]),
            DebitsPosted = BinaryPrimitives.ReadUInt128LittleEndian(source[32..]),
            CreditsPending = BinaryPrimitives.ReadUInt128LittleEndian(source[48..]),
            CreditsPosted = BinaryPrimitives.ReadUInt128LittleEndian(source[64..]),
            UserData128 = BinaryPrimitives.ReadUInt128LittleEndian(source[80..]),
            UserData64 = BinaryPrimitives.ReadUInt64LittleEndian(source[96..]),
            UserData32 = BinaryPrimitives.ReadUInt32LittleEndian(source[104..]),
            Reserved = BinaryPrimitives.ReadUInt32LittleEndian(source[108..]),
            Ledger = BinaryPrimitives.ReadUInt32LittleEndian(source[112..]),
            Code = BinaryPrimitives.ReadUInt16LittleEndian(source[116..]),
            Flags = (AccountFlags)BinaryPrimitives.ReadUInt16LittleEndian(source[118..]),
            Timestamp = BinaryPrimitives.ReadUInt64LittleEndian(source[120..]),
        };
    }
}
