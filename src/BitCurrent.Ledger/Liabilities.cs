using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace BitCurrent.Ledger;

/// <summary>The published root of a liabilities tree: its hash and the total it commits to.</summary>
/// <param name="AssetCode">The asset.</param>
/// <param name="Hash">The root node's hash.</param>
/// <param name="Total">The sum of all user balances (minor units).</param>
public readonly record struct LiabilitiesRoot(string AssetCode, Hash256 Hash, Int128 Total);

/// <summary>One step of an inclusion proof: the sibling node met on the way from the leaf to the root.</summary>
/// <param name="SiblingHash">The sibling's hash.</param>
/// <param name="SiblingSum">The sibling's sum (never negative in an honest tree).</param>
/// <param name="SiblingIsLeft">True when the sibling is the left child.</param>
public readonly record struct ProofStep(Hash256 SiblingHash, Int128 SiblingSum, bool SiblingIsLeft);

/// <summary>A user's inclusion proof: enough to recompute the root from the user's own leaf.</summary>
/// <param name="AssetCode">The asset.</param>
/// <param name="UserId">The user (known to the user; only its salted commitment is in the tree).</param>
/// <param name="Nonce">The user's secret nonce, so the user can recompute the leaf commitment.</param>
/// <param name="Balance">The user's balance in the tree.</param>
/// <param name="Path">Siblings from the leaf level up to just below the root.</param>
public sealed record LiabilitiesProof(string AssetCode, ulong UserId, Hash256 Nonce, Int128 Balance, IReadOnlyList<ProofStep> Path);

/// <summary>
/// The verdict on an inclusion proof (48xx), declared in the order the checks run. Numbers are never reused; a golden
/// test pins them.
/// </summary>
public enum ProofVerification
{
    /// <summary>The proof is valid: the user's balance is included in the published total.</summary>
    Valid = 0,

    /// <summary>The proof is for another asset than the root.</summary>
    AssetMismatch = 4807,

    /// <summary>The user's balance is negative.</summary>
    NegativeBalance = 4803,

    /// <summary>A sibling's sum (or the published total) is negative: a negative node could hide liabilities.</summary>
    NegativeSum = 4804,

    /// <summary>The path is longer than any tree of 2^64 leaves.</summary>
    PathTooLong = 4806,

    /// <summary>Adding the sums overflows 128 bits.</summary>
    SumOverflow = 4805,

    /// <summary>The recomputed root hash differs from the published one (tampered hash, sum, balance or path).</summary>
    RootHashMismatch = 4801,

    /// <summary>The recomputed total differs from the published total.</summary>
    RootTotalMismatch = 4802,
}

/// <summary>
/// Proof of liabilities for one asset: a Merkle sum tree over user balances. Every internal node commits to both
/// children's hashes and both children's sums — not only to their total — so that no node can be made to carry
/// less than its children do; a leaf commits to a salted commitment of the user id (so ids are not revealed) and to
/// the balance. Each user gets an inclusion proof and checks it with <see cref="LiabilitiesVerifier"/>; the root's
/// total is what proof of reserves must cover.
/// </summary>
/// <remarks>
/// <para>Hashes (SHA-256, domain-separated by the first byte; sums are 16-byte little-endian two's complement):</para>
/// <code>
/// commitment = H(0x02 || nonce(32) || user_id u64)
/// leaf       = H(0x00 || commitment(32) || balance i128)
/// node       = H(0x01 || left.hash || left.sum i128 || right.hash || right.sum i128),  sum = left.sum + right.sum
/// padding    = H(0x03), sum 0   (pairs the last node of a level with an odd count)
/// nonce      = HMAC-SHA256(secret, "BitCurrent/liabilities/nonce" || asset code || user_id u64)
/// </code>
/// <para>Leaves are ordered by commitment, so the order reveals nothing about user ids. The secret is injected by
/// the caller (at least 16 bytes, new for every publication) and must stay private: it protects user ids.</para>
/// </remarks>
public sealed class LiabilitiesTree
{
    private readonly Node[][] _levels;
    private readonly Dictionary<ulong, (int Leaf, Hash256 Nonce, Int128 Balance)> _users;

    private LiabilitiesTree(string assetCode, Node[][] levels, Dictionary<ulong, (int, Hash256, Int128)> users)
    {
        AssetCode = assetCode;
        _levels = levels;
        _users = users;
        var top = levels[^1];
        Root = top.Length == 0 ? new LiabilitiesRoot(assetCode, PaddingHash, Int128.Zero) : new LiabilitiesRoot(assetCode, top[0].Hash, top[0].Sum);
    }

    /// <summary>The hash of a padding node.</summary>
    public static Hash256 PaddingHash { get; } = Hash256.Compute([0x03]);

    /// <summary>The asset the tree is for.</summary>
    public string AssetCode { get; }

    /// <summary>The root to publish.</summary>
    public LiabilitiesRoot Root { get; }

    /// <summary>Number of users (leaves).</summary>
    public int LeafCount => _levels[0].Length;

    /// <summary>Builds the tree of an asset.</summary>
    /// <param name="asset">The asset.</param>
    /// <param name="liabilities">One balance per user (e.g. <see cref="ExchangeLedger.GetUserLiabilities"/>).</param>
    /// <param name="secret">The publication's private salt, at least 16 bytes (injected: the core reads no random source).</param>
    /// <exception cref="ArgumentException">The secret is short, a user appears twice, or a balance is negative.</exception>
    /// <exception cref="OverflowException">The total overflows 128 bits.</exception>
    public static LiabilitiesTree Build(Asset asset, IReadOnlyList<UserLiability> liabilities, ReadOnlySpan<byte> secret)
    {
        ArgumentNullException.ThrowIfNull(asset);
        ArgumentNullException.ThrowIfNull(liabilities);
        if (secret.Length < 16) throw new ArgumentException("The secret must be at least 16 bytes.", nameof(secret));
        var users = new Dictionary<ulong, (int, Hash256, Int128)>(liabilities.Count);
        var leaves = new (Hash256 Commitment, ulong UserId, Hash256 Nonce, Int128 Balance)[liabilities.Count];
        for (var i = 0; i < liabilities.Count; i++)
        {
            var (userId, balance) = liabilities[i];
            if (balance < 0) throw new ArgumentException($"User {userId} has a negative balance.", nameof(liabilities));
            if (users.ContainsKey(userId)) throw new ArgumentException($"User {userId} appears twice.", nameof(liabilities));
            users.Add(userId, default);
            var nonce = DeriveNonce(secret, asset.Code, userId);
            leaves[i] = (UserCommitment(userId, nonce), userId, nonce, balance);
        }
        Array.Sort(leaves, static (a, b) => Compare(a.Commitment, b.Commitment));

        var levels = new List<Node[]>();
        var level = new Node[leaves.Length];
        for (var i = 0; i < leaves.Length; i++)
        {
            level[i] = new Node(LeafHash(leaves[i].Commitment, leaves[i].Balance), leaves[i].Balance);
            users[leaves[i].UserId] = (i, leaves[i].Nonce, leaves[i].Balance);
        }
        levels.Add(level);
        while (level.Length > 1)
        {
            var next = new Node[(level.Length + 1) / 2];
            for (var i = 0; i < next.Length; i++)
            {
                var left = level[2 * i];
                var right = 2 * i + 1 < level.Length ? level[(2 * i) + 1] : new Node(PaddingHash, Int128.Zero);
                next[i] = new Node(NodeHash(left.Hash, left.Sum, right.Hash, right.Sum), checked(left.Sum + right.Sum));
            }
            levels.Add(next);
            level = next;
        }
        return new LiabilitiesTree(asset.Code, [.. levels], users);
    }

    /// <summary>The inclusion proof of a user (false when the user is not in the tree).</summary>
    public bool TryGetProof(ulong userId, [NotNullWhen(true)] out LiabilitiesProof? proof)
    {
        proof = null;
        if (!_users.TryGetValue(userId, out var user)) return false;
        var path = new List<ProofStep>();
        var index = user.Leaf;
        for (var l = 0; l < _levels.Length - 1; l++)
        {
            var level = _levels[l];
            var sibling = index ^ 1;
            var node = sibling < level.Length ? level[sibling] : new Node(PaddingHash, Int128.Zero);
            path.Add(new ProofStep(node.Hash, node.Sum, SiblingIsLeft: (index & 1) == 1));
            index >>= 1;
        }
        proof = new LiabilitiesProof(AssetCode, userId, user.Nonce, user.Balance, path);
        return true;
    }

    /// <summary>The salted commitment to a user id that a leaf carries.</summary>
    public static Hash256 UserCommitment(ulong userId, Hash256 nonce)
    {
        Span<byte> data = stackalloc byte[1 + Hash256.SizeBytes + 8];
        data[0] = 0x02;
        nonce.Write(data[1..]);
        BinaryPrimitives.WriteUInt64LittleEndian(data[(1 + Hash256.SizeBytes)..], userId);
        return Hash256.Compute(data);
    }

    /// <summary>The hash of a leaf.</summary>
    public static Hash256 LeafHash(Hash256 commitment, Int128 balance)
    {
        Span<byte> data = stackalloc byte[1 + Hash256.SizeBytes + 16];
        data[0] = 0x00;
        commitment.Write(data[1..]);
        BinaryPrimitives.WriteInt128LittleEndian(data[(1 + Hash256.SizeBytes)..], balance);
        return Hash256.Compute(data);
    }

    /// <summary>The hash of an internal node: both children's hashes and both children's sums.</summary>
    public static Hash256 NodeHash(Hash256 leftHash, Int128 leftSum, Hash256 rightHash, Int128 rightSum)
    {
        Span<byte> data = stackalloc byte[1 + (2 * (Hash256.SizeBytes + 16))];
        data[0] = 0x01;
        leftHash.Write(data[1..]);
        BinaryPrimitives.WriteInt128LittleEndian(data[(1 + Hash256.SizeBytes)..], leftSum);
        rightHash.Write(data[(1 + Hash256.SizeBytes + 16)..]);
        BinaryPrimitives.WriteInt128LittleEndian(data[(1 + (2 * Hash256.SizeBytes) + 16)..], rightSum);
        return Hash256.Compute(data);
    }

    private static Hash256 DeriveNonce(ReadOnlySpan<byte> secret, string assetCode, ulong userId)
    {
        var label = "BitCurrent/liabilities/nonce"u8;
        var code = Encoding.ASCII.GetBytes(assetCode);
        Span<byte> data = stackalloc byte[label.Length + code.Length + 8];
        label.CopyTo(data);
        code.CopyTo(data[label.Length..]);
        BinaryPrimitives.WriteUInt64LittleEndian(data[(label.Length + code.Length)..], userId);
        Span<byte> mac = stackalloc byte[Hash256.SizeBytes];
        HMACSHA256.HashData(secret, data, mac);
        return Hash256.Read(mac);
    }

    private static int Compare(Hash256 a, Hash256 b)
    {
        Span<byte> x = stackalloc byte[Hash256.SizeBytes];
        Span<byte> y = stackalloc byte[Hash256.SizeBytes];
        a.Write(x);
        b.Write(y);
        return x.SequenceCompareTo(y);
    }

    private readonly record struct Node(Hash256 Hash, Int128 Sum);
}

/// <summary>Checks a user's inclusion proof against a published root.</summary>
public static class LiabilitiesVerifier
{
    /// <summary>The longest path accepted (a tree of 2^64 leaves).</summary>
    public const int PathLengthMax = 64;

    /// <summary>
    /// Recomputes the root from the user's leaf and the path. Rejects a negative balance, a negative sibling sum or
    /// total, an overflowing sum, a path that does not lead to the published hash, and a total that differs from
    /// the published one.
    /// </summary>
    public static ProofVerification Verify(in LiabilitiesRoot root, LiabilitiesProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (!string.Equals(root.AssetCode, proof.AssetCode, StringComparison.Ordinal)) return ProofVerification.AssetMismatch;
        if (proof.Balance < 0) return ProofVerification.NegativeBalance;
        if (root.Total < 0) return ProofVerification.NegativeSum;
        if (proof.Path.Count > PathLengthMax) return ProofVerification.PathTooLong;
        var hash = LiabilitiesTree.LeafHash(LiabilitiesTree.UserCommitment(proof.UserId, proof.Nonce), proof.Balance);
        var sum = proof.Balance;
        foreach (var step in proof.Path)
        {
            if (step.SiblingSum < 0) return ProofVerification.NegativeSum;
            if (sum > Int128.MaxValue - step.SiblingSum) return ProofVerification.SumOverflow;
            hash = step.SiblingIsLeft
                ? LiabilitiesTree.NodeHash(step.SiblingHash, step.SiblingSum, hash, sum)
                : LiabilitiesTree.NodeHash(hash, sum, step.SiblingHash, step.SiblingSum);
            sum += step.SiblingSum;
        }
        if (hash != root.Hash) return ProofVerification.RootHashMismatch;
        if (sum != root.Total) return ProofVerification.RootTotalMismatch;
        return ProofVerification.Valid;
    }
}
