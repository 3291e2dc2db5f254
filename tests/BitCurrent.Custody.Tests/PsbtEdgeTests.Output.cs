using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

public partial class PsbtEdgeTests
{
    [Theory]
    [InlineData((byte)0x00, "output redeemScript")]
    [InlineData((byte)0x01, "output witnessScript")]
    [InlineData((byte)0x05, "output taproot internal key")]
    [InlineData((byte)0x06, "output taproot tree")]
    public void Output_fields_keyed_by_type_alone_refuse_key_data(byte type, string field)
    {
        RejectsKeySize(field, WithOutput((K(type, [0x00]), [0x00, 0xc0, 0x01, 0x51])));
    }

    [Fact]
    public void Output_scripts_are_read_back()
    {
        var output = Accepts(WithOutput((K(0x00), [0x00, 0x14, .. Filled(20, 0x01)]), (K(0x01), [0x51]))).Outputs[0];
        Assert.Equal("0014" + string.Concat(Enumerable.Repeat("01", 20)), output.RedeemScript!.ToHex());
        Assert.Equal("51", output.WitnessScript!.ToHex());
    }

    [Fact]
    public void Output_bip32_derivation_key_is_a_valid_public_key_and_its_origin_whole_path_steps()
    {
        byte[] origin = [0xd9, 0x0c, 0x6a, 0x4f, 0x2a, 0x00, 0x00, 0x00];
        var derivation = Assert.Single(Accepts(WithOutput((K(0x02, G2), origin))).Outputs[0].Bip32Derivations);
        Assert.Equal(new KeyOrigin(0xd90c6a4f, KeyPath.Parse("m/42")), derivation.Origin);
        Assert.Equal(G2, derivation.Key.ToBytes());
        RejectsKeySize("BIP32 keypath", WithOutput((K(0x02, G2[..32]), origin)));
        RejectsKeySize("BIP32 keypath", WithOutput((K(0x02, [.. G1Uncompressed, 0x00]), origin)));
        Assert.Contains("BIP32 keypath", Rejects(CustodyError.PsbtInvalidPublicKey, WithOutput((K(0x02, NotAKey), origin))).Message, StringComparison.Ordinal);
        Rejects(CustodyError.PsbtInvalidKeyPath, WithOutput((K(0x02, G2), [])));
        Rejects(CustodyError.PsbtInvalidKeyPath, WithOutput((K(0x02, G2), origin[..6])));
    }

    [Fact]
    public void Output_taproot_internal_key_is_32_bytes()
    {
        Accepts(WithOutput((K(0x05), Filled(32, 0x01))));
        Assert.Contains("stated size", Rejects(CustodyError.PsbtValueSizeMismatch, WithOutput((K(0x05), Filled(31, 0x01)))).Message, StringComparison.Ordinal);
        Rejects(CustodyError.PsbtValueSizeMismatch, WithOutput((K(0x05), Filled(33, 0x01))));
    }

    // ---------------------------------------------------------------- taproot tree: (depth, leaf version, script) in depth-first order

    private static byte[] Tree(params int[] depths) => Cat([.. depths.Select(d => new byte[] { (byte)d, 0xc0, 0x01, 0x51 })]);

    private static PsbtFormatException RejectsTree(byte[] tree) => Rejects(CustodyError.PsbtInvalidTaprootField, WithOutput((K(0x06), tree)));

    [Fact]
    public void Taproot_tree_must_not_be_empty()
    {
        Said("Output Taproot tree must not be empty", RejectsTree([]));
    }

    [Theory]
    [InlineData(new[] { 0 })]
    [InlineData(new[] { 1, 1 })]
    [InlineData(new[] { 1, 2, 2 })]
    [InlineData(new[] { 2, 2, 1 })]
    [InlineData(new[] { 2, 2, 2, 2 })]
    [InlineData(new[] { 1, 2, 3, 3 })]
    public void Complete_taproot_trees_are_accepted(int[] depths)
    {
        Accepts(WithOutput((K(0x06), Tree(depths))));
    }

    [Theory]
    [InlineData(new[] { 1 })]          // half a tree
    [InlineData(new[] { 1, 2 })]
    [InlineData(new[] { 0, 0 })]       // a second leaf after a complete tree
    [InlineData(new[] { 1, 1, 1 })]
    [InlineData(new[] { 2, 1, 1 })]    // a subtree at depth 1 cannot follow a lone leaf at depth 2
    [InlineData(new[] { 3, 3, 1, 1 })]
    public void Incomplete_or_misordered_taproot_trees_are_malformed(int[] depths)
    {
        Said("Output Taproot tree is malformed", RejectsTree(Tree(depths)));
    }

    [Fact]
    public void Taproot_tree_depth_is_at_most_128()
    {
        // The deepest complete tree: leaves at depths 1, 2, ..., 128 and a second leaf at 128.
        int[] deepest = [.. Enumerable.Range(1, 128), 128];
        Accepts(WithOutput((K(0x06), Tree(deepest))));
        var ex = RejectsTree(Tree([.. Enumerable.Range(1, 129), 129]));
        Assert.Contains("maximum depth", ex.Message, StringComparison.Ordinal);
        RejectsTree(Tree(129));
    }

    [Fact]
    public void Taproot_tree_leaf_version_must_be_even()
    {
        Accepts(WithOutput((K(0x06), [0x00, 0xc2, 0x01, 0x51])));
        var ex = RejectsTree([0x00, 0xc1, 0x01, 0x51]);
        Assert.Contains("leaf version", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("01")]           // depth, no leaf version
    [InlineData("01c0")]         // no script length
    [InlineData("00c00551")]     // script of 5 bytes, 1 present
    [InlineData("00c0fd010051")] // script length not minimally encoded
    [InlineData("01c0015101")]   // a second leaf cut after its depth
    [InlineData("00c0015100c0")] // a complete tree, then a leaf cut before its script
    public void Taproot_tree_cut_short_is_malformed(string hex)
    {
        var tree = Convert.FromHexString(hex);
        Said("Output Taproot tree is malformed", RejectsTree(tree));
    }
}
