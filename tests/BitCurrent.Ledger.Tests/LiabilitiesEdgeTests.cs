using System.Buffers.Binary;
using System.Security.Cryptography;
using BitCurrent.Ledger;

namespace BitCurrent.Ledger.Tests;

/// <summary>
/// Proof-of-liabilities boundaries: the hash preimages written out byte by byte from the documented layout (so an
/// independent verifier can be written from the docs), input order not mattering, and the first accepted and first
/// refused value of every check.
/// </summary>
public class LiabilitiesEdgeTests
{
    private static readonly byte[] Secret = "0123456789abcdef"u8.ToArray();   // exactly 16 bytes

    private static readonly Hash256 A = Hash256.Compute("a"u8);
    private static readonly Hash256 B = Hash256.Compute("b"u8);

    [Fact]
    public void Node_hash_is_sha256_of_tag_1_then_both_children_with_their_sums()
    {
        var data = new byte[1 + 32 + 16 + 32 + 16];
        data[0] = 0x01;
        A.Write(data.AsSpan(1));
        BinaryPrimitives.WriteInt128LittleEndian(data.AsSpan(33), 7);
        B.Write(data.AsSpan(49));
        BinaryPrimitives.WriteInt128LittleEndian(data.AsSpan(81), Int128.MaxValue - 3);
        Assert.Equal(Hash256.Read(SHA256.HashData(data)), LiabilitiesTree.NodeHash(A, 7, B, Int128.MaxValue - 3));
    }

    [Fact]
    public void Leaf_hash_and_user_commitment_follow_the_documented_preimages()
    {
        var leaf = new byte[1 + 32 + 16];
        A.Write(leaf.AsSpan(1));
        BinaryPrimitives.WriteInt128LittleEndian(leaf.AsSpan(33), 123_456);
        Assert.Equal(Hash256.Read(SHA256.HashData(leaf)), LiabilitiesTree.LeafHash(A, 123_456));
        var commitment = new byte[1 + 32 + 8];
        commitment[0] = 0x02;
        B.Write(commitment.AsSpan(1));
        BinaryPrimitives.WriteUInt64LittleEndian(commitment.AsSpan(33), 0x0102_0304_0506_0708);
        Assert.Equal(Hash256.Read(SHA256.HashData(commitment)), LiabilitiesTree.UserCommitment(0x0102_0304_0506_0708, B));
        Assert.Equal(Hash256.Compute([0x03]), LiabilitiesTree.PaddingHash);
    }

    [Fact]
    public void The_root_does_not_depend_on_the_order_of_the_input()
    {
        var users = Enumerable.Range(1, 9).Select(i => new UserLiability((ulong)(i * 31), i * 1000)).ToArray();
        var forward = LiabilitiesTree.Build(Asset.Gbp, users, Secret);
        var backward = LiabilitiesTree.Build(Asset.Gbp, users.Reverse().ToArray(), Secret);
        Assert.Equal(forward.Root, backward.Root);
        foreach (var user in users)
        {
            Assert.True(backward.TryGetProof(user.UserId, out var proof));
            Assert.Equal(ProofVerification.Valid, LiabilitiesVerifier.Verify(forward.Root, proof));
        }
    }

    [Fact]
    public void Building_accepts_the_smallest_valid_values_and_names_the_bad_argument()
    {
        var tree = LiabilitiesTree.Build(Asset.Btc, [new UserLiability(1, 0), new UserLiability(2, 5)], Secret);
        Assert.Equal((Int128)5, tree.Root.Total);
        Assert.True(tree.TryGetProof(1, out var proof));
        Assert.Equal(ProofVerification.Valid, LiabilitiesVerifier.Verify(tree.Root, proof));
        Assert.Throws<ArgumentException>("secret", () => LiabilitiesTree.Build(Asset.Btc, [], Secret.AsSpan(0, 15)));
        Assert.Throws<ArgumentException>("liabilities", () => LiabilitiesTree.Build(Asset.Btc, [new UserLiability(1, 1), new UserLiability(1, 2)], Secret));
        Assert.Throws<ArgumentException>("liabilities", () => LiabilitiesTree.Build(Asset.Btc, [new UserLiability(1, -1)], Secret));
        Assert.Throws<ArgumentNullException>("asset", () => LiabilitiesTree.Build(null!, [], Secret));
        Assert.Throws<ArgumentNullException>("liabilities", () => LiabilitiesTree.Build(Asset.Btc, null!, Secret));
        Assert.False(tree.TryGetProof(3, out var none));
        Assert.Null(none);
    }

    [Fact]
    public void A_total_beyond_128_bits_is_refused()
    {
        Assert.Throws<OverflowException>(() =>
            LiabilitiesTree.Build(Asset.Btc, [new UserLiability(1, Int128.MaxValue), new UserLiability(2, 1)], Secret));
        var full = LiabilitiesTree.Build(Asset.Btc, [new UserLiability(1, Int128.MaxValue - 1), new UserLiability(2, 1)], Secret);
        Assert.Equal(Int128.MaxValue, full.Root.Total);
    }

    [Fact]
    public void Verification_accepts_zero_balances_and_totals_and_the_longest_path()
    {
        var tree = LiabilitiesTree.Build(Asset.Btc, [new UserLiability(1, 0)], Secret);
        Assert.True(tree.TryGetProof(1, out var proof));
        Assert.Equal((Int128)0, tree.Root.Total);
        Assert.Equal(ProofVerification.Valid, LiabilitiesVerifier.Verify(tree.Root, proof));
        // 64 steps is allowed (the hash then does not match), 65 is not.
        var step = new ProofStep(A, 0, SiblingIsLeft: false);
        Assert.Equal(ProofVerification.RootHashMismatch, LiabilitiesVerifier.Verify(tree.Root, proof with { Path = Enumerable.Repeat(step, 64).ToArray() }));
        Assert.Equal(ProofVerification.PathTooLong, LiabilitiesVerifier.Verify(tree.Root, proof with { Path = Enumerable.Repeat(step, 65).ToArray() }));
        Assert.Throws<ArgumentNullException>("proof", () => LiabilitiesVerifier.Verify(tree.Root, null!));
    }

    [Fact]
    public void A_path_whose_sums_reach_exactly_the_largest_total_is_not_an_overflow()
    {
        var tree = LiabilitiesTree.Build(Asset.Btc, [new UserLiability(1, 5), new UserLiability(2, Int128.MaxValue - 5)], Secret);
        Assert.True(tree.TryGetProof(1, out var proof));
        Assert.Equal(ProofVerification.Valid, LiabilitiesVerifier.Verify(tree.Root, proof));
        var step = proof.Path[0];
        Assert.Equal(ProofVerification.SumOverflow,
            LiabilitiesVerifier.Verify(tree.Root, proof with { Path = [step with { SiblingSum = step.SiblingSum + 1 }] }));
    }
}
