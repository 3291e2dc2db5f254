using BitCurrent.Ledger;
using static BitCurrent.Ledger.Tests.FlowTests;

namespace BitCurrent.Ledger.Tests;

/// <summary>Proof of liabilities: valid proofs verify; every kind of tampering is rejected.</summary>
public class LiabilitiesTests
{
    private static readonly byte[] Secret = "publication 2025-01 private salt"u8.ToArray();

    private static (LiabilitiesTree Tree, UserLiability[] Users) Tree(int users)
    {
        var list = Enumerable.Range(1, users).Select(i => new UserLiability((ulong)(1000 + i), i * 7)).ToArray();
        return (LiabilitiesTree.Build(Asset.Btc, list, Secret), list);
    }

    private static LiabilitiesProof Proof(LiabilitiesTree tree, ulong user)
    {
        Assert.True(tree.TryGetProof(user, out var proof));
        return proof;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(33)]
    public void Every_user_proof_verifies_and_the_root_commits_to_the_total(int users)
    {
        var (tree, list) = Tree(users);
        Assert.Equal(users, tree.LeafCount);
        Assert.Equal(list.Aggregate(Int128.Zero, (s, u) => s + u.Balance), tree.Root.Total);
        foreach (var user in list)
        {
            var proof = Proof(tree, user.UserId);
            Assert.Equal(user.Balance, proof.Balance);
            Assert.Equal(ProofVerification.Valid, LiabilitiesVerifier.Verify(tree.Root, proof));
        }
        Assert.False(tree.TryGetProof(1, out _));
    }

    [Fact]
    public void Liabilities_come_from_the_ledger()
    {
        var x = new Exchange();
        x.Deposit(1, Alice, Asset.Btc, OneBtc);
        x.Deposit(2, Bob, Asset.Btc, 5);
        Assert.True(x.Ledger.PlaceOrderHold(new OrderHoldRequest(1, Alice, Asset.Btc, 10), x.Tick()).IsSuccess);
        var liabilities = x.Ledger.GetUserLiabilities(Asset.Btc);
        Assert.Equal([new UserLiability(Alice, OneBtc), new UserLiability(Bob, 5)], liabilities);
        var tree = LiabilitiesTree.Build(Asset.Btc, liabilities, Secret);
        Assert.Equal(x.Ledger.GetCustodyBalance(Asset.Btc), tree.Root.Total);
        Assert.Equal(ProofVerification.Valid, LiabilitiesVerifier.Verify(tree.Root, Proof(tree, Bob)));
    }

    [Fact]
    public void Tampered_proofs_are_rejected()
    {
        var (tree, _) = Tree(9);
        var proof = Proof(tree, 1004);
        var root = tree.Root;
        Assert.Equal(ProofVerification.Valid, LiabilitiesVerifier.Verify(root, proof));

        var step = proof.Path[1];
        var otherHash = Hash256.Compute("x"u8);
        Assert.Equal(ProofVerification.RootHashMismatch, LiabilitiesVerifier.Verify(root, WithStep(proof, 1, step with { SiblingHash = otherHash })));
        // A smaller sibling sum would shrink the total: the parent's hash commits to it, so the root no longer matches.
        Assert.Equal(ProofVerification.RootHashMismatch, LiabilitiesVerifier.Verify(root, WithStep(proof, 1, step with { SiblingSum = step.SiblingSum - 1 })));
        Assert.Equal(ProofVerification.RootHashMismatch, LiabilitiesVerifier.Verify(root, WithStep(proof, 1, step with { SiblingIsLeft = !step.SiblingIsLeft })));
        Assert.Equal(ProofVerification.RootHashMismatch, LiabilitiesVerifier.Verify(root, proof with { Balance = proof.Balance + 1 }));
        Assert.Equal(ProofVerification.RootHashMismatch, LiabilitiesVerifier.Verify(root, proof with { UserId = 1005 }));
        Assert.Equal(ProofVerification.RootHashMismatch, LiabilitiesVerifier.Verify(root, proof with { Path = proof.Path.Take(proof.Path.Count - 1).ToArray() }));
        Assert.Equal(ProofVerification.NegativeBalance, LiabilitiesVerifier.Verify(root, proof with { Balance = -1 }));
        Assert.Equal(ProofVerification.NegativeSum, LiabilitiesVerifier.Verify(root, WithStep(proof, 1, step with { SiblingSum = -5 })));
        Assert.Equal(ProofVerification.SumOverflow, LiabilitiesVerifier.Verify(root, WithStep(proof, 1, step with { SiblingSum = Int128.MaxValue })));
        Assert.Equal(ProofVerification.RootTotalMismatch, LiabilitiesVerifier.Verify(root with { Total = root.Total - 1 }, proof));
        Assert.Equal(ProofVerification.NegativeSum, LiabilitiesVerifier.Verify(root with { Total = -1 }, proof));
        Assert.Equal(ProofVerification.AssetMismatch, LiabilitiesVerifier.Verify(root with { AssetCode = "ETH" }, proof));
        Assert.Equal(ProofVerification.PathTooLong, LiabilitiesVerifier.Verify(root, proof with { Path = Enumerable.Repeat(step, 65).ToArray() }));
    }

    [Fact]
    public void A_negative_node_cannot_hide_liabilities()
    {
        // A dishonest prover pairs a user with a node of sum -X to shrink the published total. The verifier refuses it
        // even though the hashes are consistent.
        var victim = LiabilitiesTree.UserCommitment(1, Hash256.Compute("n"u8));
        var leaf = LiabilitiesTree.LeafHash(victim, 100);
        var fake = Hash256.Compute("fake"u8);
        var rootHash = LiabilitiesTree.NodeHash(leaf, 100, fake, -100);
        var root = new LiabilitiesRoot("BTC", rootHash, 0);
        var proof = new LiabilitiesProof("BTC", 1, Hash256.Compute("n"u8), 100, [new ProofStep(fake, -100, SiblingIsLeft: false)]);
        Assert.Equal(ProofVerification.NegativeSum, LiabilitiesVerifier.Verify(root, proof));
    }

    [Fact]
    public void User_ids_are_hidden_behind_salted_commitments()
    {
        var (tree, _) = Tree(4);
        var proof = Proof(tree, 1002);
        var (other, _) = (LiabilitiesTree.Build(Asset.Btc, Enumerable.Range(1, 4).Select(i => new UserLiability((ulong)(1000 + i), i * 7)).ToArray(),
            "another publication's salt......"u8), 0);
        Assert.NotEqual(tree.Root.Hash, other.Root.Hash);
        Assert.Equal(tree.Root.Total, other.Root.Total);
        Assert.NotEqual(proof.Nonce, Proof(tree, 1003).Nonce);
        // The leaf commits to H(nonce || user id), never to the id itself.
        Assert.NotEqual(LiabilitiesTree.UserCommitment(1002, proof.Nonce), LiabilitiesTree.UserCommitment(1002, Proof(other, 1002).Nonce));
    }

    [Fact]
    public void Building_refuses_bad_input()
    {
        Assert.Throws<ArgumentException>(() => LiabilitiesTree.Build(Asset.Btc, [new UserLiability(1, -1)], Secret));
        Assert.Throws<ArgumentException>(() => LiabilitiesTree.Build(Asset.Btc, [new UserLiability(1, 1), new UserLiability(1, 2)], Secret));
        Assert.Throws<ArgumentException>(() => LiabilitiesTree.Build(Asset.Btc, [new UserLiability(1, 1)], "short"u8));
        var empty = LiabilitiesTree.Build(Asset.Btc, [], Secret);
        Assert.Equal(Int128.Zero, empty.Root.Total);
        Assert.Equal(LiabilitiesTree.PaddingHash, empty.Root.Hash);
    }

    private static LiabilitiesProof WithStep(LiabilitiesProof proof, int index, ProofStep step)
    {
        var path = proof.Path.ToArray();
        path[index] = step;
        return proof with { Path = path };
    }
}
