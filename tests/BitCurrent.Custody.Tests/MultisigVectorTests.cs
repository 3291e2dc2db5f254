using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

public class MultisigVectorTests(ITestOutputHelper output)
{
    [Fact]
    public void Bip67_vectors_sort_keys_and_build_script_and_address()
    {
        var count = 0;
        foreach (var v in Load("bips/bip67_sorted_multisig_vectors.json").GetProperty("vectors").EnumerateArray())
        {
            var keys = v.GetProperty("list").EnumerateArray().Select(k => PublicKey.Parse(k.GetString()!)).ToList();
            var sorted = v.GetProperty("sorted").EnumerateArray().Select(k => k.GetString()!).ToList();
            Assert.Equal(sorted, Script.SortKeys(keys).Select(k => k.ToHex()).ToList());
            var scriptHex = v.GetProperty("script_hex").GetString()!;
            var script = Script.FromHex(scriptHex);
            Assert.True(script.IsMultisig(out var m, out _));
            Assert.Equal(scriptHex, Script.Multisig(m, keys).ToHex());
            if (v.TryGetProperty("p2sh_address", out var address) && address.ValueKind == System.Text.Json.JsonValueKind.String)
            {
                Assert.Equal(address.GetString(), BitcoinAddress.FromScriptPubKey(Script.P2sh(script), Network.Mainnet).ToString());
            }
            count++;
        }
        Assert.Equal(4, count);
        output.WriteLine($"bip67_sorted_multisig_vectors.json: {count}/4 passed");
    }

    [Fact]
    public void Core_rpc_bip67_vectors_sort_keys_and_give_testnet_p2sh_address()
    {
        var count = 0;
        foreach (var v in Load("bitcoin-core/func_rpc_bip67.json").EnumerateArray())
        {
            var keys = v.GetProperty("keys").EnumerateArray().Select(k => PublicKey.Parse(k.GetString()!)).ToList();
            var sorted = v.GetProperty("sorted_keys").EnumerateArray().Select(k => k.GetString()!).ToList();
            Assert.Equal(sorted, Script.SortKeys(keys).Select(k => k.ToHex()).ToList());
            var script = Script.Multisig(2, keys);
            Assert.Equal(v.GetProperty("script").GetString(), script.ToHex());
            Assert.Equal(v.GetProperty("address").GetString(), BitcoinAddress.FromScriptPubKey(Script.P2sh(script), Network.Testnet).ToString());
            count++;
        }
        Assert.Equal(4, count);
        output.WriteLine($"func_rpc_bip67.json: {count}/4 passed");
    }

    [Fact]
    public void Cold_wallet_five_of_nine_p2wsh_and_bounds()
    {
        var keys = Enumerable.Range(1, 9).Select(i =>
        {
            using var k = SmallKey((byte)i);
            return k.PublicKey;
        }).ToList();
        var script = Script.Multisig(5, keys);
        Assert.True(script.IsMultisig(out var m, out var sortedKeys));
        Assert.Equal(5, m);
        Assert.Equal(9, sortedKeys.Count);
        var reversed = Script.Multisig(5, Enumerable.Reverse(keys).ToList());
        Assert.Equal(script, reversed); // BIP-67: order of input keys does not matter
        var address = BitcoinAddress.FromScriptPubKey(Script.P2wsh(script), Network.Mainnet);
        Assert.Equal(AddressType.P2wsh, address.Type);
        Assert.StartsWith("bc1q", address.ToString(), StringComparison.Ordinal);
        Assert.Equal(CustodyError.ScriptInvalidTemplate, Assert.Throws<TransactionFormatException>(() => Script.Multisig(10, keys)).Reason);
        Assert.Equal(CustodyError.ScriptInvalidTemplate, Assert.Throws<TransactionFormatException>(() => Script.Multisig(0, keys)).Reason);
        Assert.Equal(CustodyError.ScriptInvalidTemplate, Assert.Throws<TransactionFormatException>(() => Script.Multisig(1, [keys[0], keys[0]])).Reason);
        var sixteen = Enumerable.Range(1, 16).Select(i => { var s = new byte[32]; s[31] = (byte)i; using var k = new PrivateKey(s); return k.PublicKey; }).ToList();
        Assert.Throws<TransactionFormatException>(() => Script.Multisig(1, sixteen));
        Assert.True(Script.Multisig(15, sixteen.Take(15).ToList()).IsMultisig(out var m15, out _) && m15 == 15);
    }
}
