using System.Runtime.CompilerServices;

namespace BitCurrent.Ledger.Internal;

/// <summary>
/// Hashes 128-bit ids by folding their four 32-bit words. Ids that grow in order (sequences, time-based ids, the
/// flows' composed ids) then land in neighbouring buckets and entries, so a batch touches a few cache lines of
/// the index instead of one random line per probe: with 1.6 M transfers in the index, applying batches ran 3–4
/// times faster here than with <see cref="UInt128.GetHashCode"/> (about 4.7 M against 1.2 M transfers/s). Random
/// ids hash as well as before. The fold is deterministic (no per-process seed) and it is not collision-resistant:
/// ids must come from the exchange (the flows compose them from its own sequence numbers), never straight from
/// untrusted clients, who could choose ids that fold alike and slow the index down.
/// </summary>
internal sealed class IdComparer : IEqualityComparer<UInt128>
{
    public static readonly IdComparer Instance = new();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Equals(UInt128 x, UInt128 y) => x == y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetHashCode(UInt128 id)
    {
        var lower = (ulong)id;
        var upper = (ulong)(id >> 64);
        return (int)((uint)lower ^ (uint)(lower >> 32) ^ (uint)upper ^ (uint)(upper >> 32));
    }
}
