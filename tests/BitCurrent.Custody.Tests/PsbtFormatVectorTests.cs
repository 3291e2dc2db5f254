using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

public class PsbtFormatVectorTests(ITestOutputHelper output)
{
    [Fact]
    public void Core_rpc_psbt_valid_vectors_round_trip_byte_for_byte()
    {
        var count = 0;
        foreach (var v in Load("bitcoin-core/func_rpc_psbt.json").GetProperty("valid").EnumerateArray())
        {
            var text = v.GetString()!;
            var psbt = Psbt.ParseBase64(text);
            Assert.Equal(text, psbt.ToBase64());
            count++;
        }
        Assert.Equal(34, count);
        output.WriteLine($"func_rpc_psbt.json valid: {count}/34 round-tripped byte for byte");
    }

    [Fact]
    public void Core_rpc_psbt_invalid_vectors_are_all_rejected_with_a_typed_reason()
    {
        var count = 0;
        var reasons = new Dictionary<CustodyError, int>();
        foreach (var v in Load("bitcoin-core/func_rpc_psbt.json").GetProperty("invalid").EnumerateArray())
        {
            var ex = Assert.Throws<PsbtFormatException>(() => Psbt.ParseBase64(v.GetString()!));
            Assert.InRange((int)ex.Reason, 5100, 5199);
            reasons[ex.Reason] = reasons.GetValueOrDefault(ex.Reason) + 1;
            count++;
        }
        foreach (var v in Load("bitcoin-core/func_rpc_psbt.json").GetProperty("invalid_with_msg").EnumerateArray())
        {
            var ex = Assert.Throws<PsbtFormatException>(() => Psbt.ParseBase64(v[0].GetString()!));
            Assert.InRange((int)ex.Reason, 5100, 5199);
            reasons[ex.Reason] = reasons.GetValueOrDefault(ex.Reason) + 1;
            count++;
        }
        Assert.Equal(41 + 12, count);
        output.WriteLine($"func_rpc_psbt.json invalid + invalid_with_msg: {count}/53 rejected; reasons: {string.Join(", ", reasons.Select(kv => $"{(int)kv.Key} {kv.Key} x{kv.Value}"))}");
    }

    [Fact]
    public void Bip174_valid_and_invalid_vectors()
    {
        var cases = Load("bips/bip174_psbt_vectors.json").GetProperty("cases");
        var invalid = 0;
        foreach (var c in cases.GetProperty("The following are invalid PSBTs").EnumerateArray())
        {
            var hexEx = Assert.Throws<PsbtFormatException>(() => Psbt.Parse(Hex(c.GetProperty("hex").GetString()!)));
            var b64Ex = Assert.Throws<PsbtFormatException>(() => Psbt.ParseBase64(c.GetProperty("base64").GetString()!));
            Assert.Equal(hexEx.Reason, b64Ex.Reason);
            output.WriteLine($"  invalid: {c.GetProperty("case").GetString()} -> {(int)hexEx.Reason} {hexEx.Reason}");
            invalid++;
        }
        var valid = 0;
        foreach (var c in cases.GetProperty("The following are valid PSBTs").EnumerateArray())
        {
            var hex = c.GetProperty("hex").GetString()!;
            var psbt = Psbt.Parse(Hex(hex));
            Assert.Equal(hex, ToHex(psbt.ToBytes()));
            Assert.Equal(c.GetProperty("base64").GetString(), psbt.ToBase64());
            valid++;
        }
        Assert.Equal((20, 10), (invalid, valid));
        output.WriteLine($"bip174_psbt_vectors.json: {invalid}/20 invalid rejected, {valid}/10 valid round-tripped");
    }
}
