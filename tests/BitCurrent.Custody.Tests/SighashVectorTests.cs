using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

public class SighashVectorTests(ITestOutputHelper output)
{
    [Fact]
    public void Legacy_sighash_json_all_entries_match_including_odd_cases()
    {
        var count = 0;
        foreach (var entry in Load("bitcoin-core/sighash.json").EnumerateArray())
        {
            if (entry.GetArrayLength() == 1)
            {
                continue; // comment
            }
            var tx = Transaction.Parse(Hex(entry[0].GetString()!));
            var script = Script.FromHex(entry[1].GetString()!);
            var index = entry[2].GetInt32();
            var hashType = entry[3].GetInt32();
            var expected = entry[4].GetString()!;
            var hash = SignatureHash.Legacy(tx, index, script, hashType);
            Assert.Equal(expected, ToHex(Reversed(hash)));
            Assert.Equal(entry[0].GetString(), tx.ToHex());
            count++;
        }
        Assert.Equal(500, count);
        output.WriteLine($"sighash.json: {count}/{count} passed");
    }
}
