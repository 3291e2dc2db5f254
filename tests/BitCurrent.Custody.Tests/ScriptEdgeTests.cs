using static BitCurrent.Custody.Tests.VectorFiles;

namespace BitCurrent.Custody.Tests;

/// <summary>Script templates, matchers, the op parser and ScriptBuilder at the edges of each rule (Bitcoin Core's script.h/.cpp
/// and standard.cpp are the reference).</summary>
public class ScriptEdgeTests
{
    private static PublicKey Key(byte n, bool compressed = true)
    {
        using var key = SmallKey(n, compressed);
        return key.PublicKey;
    }

    // "code:data" per op, so a whole parse is compared at once.
    private static string Render(List<ScriptOp> ops) => string.Join(' ', ops.Select(o => $"{o.Code:x2}:{ToHex(o.Data.Span)}"));

    // ---------- builders: argument checks ----------

    [Fact]
    public void Builders_refuse_null_arguments()
    {
        Assert.Throws<ArgumentNullException>(() => Script.P2pkh((PublicKey)null!));
        Assert.Throws<ArgumentNullException>(() => Script.P2sh((Script)null!));
        Assert.Throws<ArgumentNullException>(() => Script.P2wpkh((PublicKey)null!));
        Assert.Throws<ArgumentNullException>(() => Script.P2wsh((Script)null!));
        Assert.Throws<ArgumentNullException>(() => Script.P2pk(null!));
        Assert.Throws<ArgumentNullException>(() => Script.Multisig(1, null!));
    }

    [Theory]
    [InlineData("p2pkh", 19)]
    [InlineData("p2pkh", 21)]
    [InlineData("p2sh", 19)]
    [InlineData("p2sh", 21)]
    [InlineData("p2wpkh", 19)]
    [InlineData("p2wpkh", 32)]
    [InlineData("p2wsh", 20)]
    [InlineData("p2wsh", 33)]
    public void Hash_builders_refuse_a_hash_of_the_wrong_length_and_name_the_expected_length(string template, int length)
    {
        var hash = new byte[length];
        var expected = template == "p2wsh" ? "32" : "20";
        var e = Assert.Throws<TransactionFormatException>(() => template switch
        {
            "p2pkh" => Script.P2pkh(hash),
            "p2sh" => Script.P2sh(hash),
            "p2wpkh" => Script.P2wpkh(hash),
            _ => Script.P2wsh(hash),
        });
        Assert.Equal(CustodyError.ScriptInvalidTemplate, e.Reason);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void P2wpkh_refuses_an_uncompressed_key()
    {
        var e = Assert.Throws<KeyFormatException>(() => Script.P2wpkh(Key(1, compressed: false)));
        Assert.Equal(CustodyError.InvalidPublicKey, e.Reason);
        Assert.Contains("compressed", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(17)]
    public void Witness_program_version_must_be_0_to_16(int version)
    {
        var e = Assert.Throws<AddressFormatException>(() => Script.WitnessProgram(version, new byte[32]));
        Assert.Equal(CustodyError.AddressInvalidWitnessVersion, e.Reason);
        Assert.Contains("0..16", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 41)]
    [InlineData(16, 0)]
    [InlineData(0, 2)]
    [InlineData(0, 19)]
    [InlineData(0, 21)]
    [InlineData(0, 31)]
    [InlineData(0, 40)]
    public void Witness_program_length_must_be_2_to_40_and_20_or_32_for_v0(int version, int length)
    {
        var e = Assert.Throws<AddressFormatException>(() => Script.WitnessProgram(version, new byte[length]));
        Assert.Equal(CustodyError.AddressInvalidWitnessProgram, e.Reason);
        Assert.Contains("length", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 2, "5102abab")]
    [InlineData(16, 2, "6002abab")]
    [InlineData(0, 20, "0014abababababababababababababababababababab")]
    [InlineData(2, 40, "5228abababababababababababababababababababababababababababababababababababababababab")]
    public void Witness_program_is_the_version_opcode_then_one_direct_push(int version, int length, string hex)
    {
        var script = Script.WitnessProgram(version, Filled(length, 0xab));
        Assert.Equal(hex, script.ToHex());
        Assert.True(script.IsWitnessProgram(out var v, out var p));
        Assert.Equal(version, v);
        Assert.Equal(Filled(length, 0xab), p.ToArray());
    }

    // ---------- multisig ----------

    [Fact]
    public void One_of_one_multisig_is_the_smallest_template_and_is_recognised()
    {
        var key = Key(1);
        var script = Script.Multisig(1, [key]);
        Assert.Equal("5121" + key.ToHex() + "51ae", script.ToHex());
        Assert.True(script.IsMultisig(out var m, out var keys));
        Assert.Equal(1, m);
        Assert.Equal(key.ToHex(), ToHex(Assert.Single(keys)));
        Assert.Equal(ScriptType.Multisig, script.Classify());
    }

    [Fact]
    public void Multisig_errors_name_the_rule_broken()
    {
        var key = Key(1);
        var range = Assert.Throws<TransactionFormatException>(() => Script.Multisig(2, [key]));
        Assert.Equal(CustodyError.ScriptInvalidTemplate, range.Reason);
        Assert.Contains("15", range.Message, StringComparison.Ordinal);
        var duplicate = Assert.Throws<TransactionFormatException>(() => Script.Multisig(1, [key, Key(2), key], sortKeys: false));
        Assert.Equal(CustodyError.ScriptInvalidTemplate, duplicate.Reason);
        Assert.Contains("duplicate", duplicate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Multisig_without_sorting_keeps_the_given_order()
    {
        var (a, b) = (Key(1), Key(2));
        var ordered = Script.SortKeys([a, b]);
        var unsorted = Script.Multisig(1, [ordered[1], ordered[0]], sortKeys: false);
        Assert.Equal("5121" + ordered[1].ToHex() + "21" + ordered[0].ToHex() + "52ae", unsorted.ToHex());
    }

    [Theory]
    [InlineData("5221{k}51ae")] // m > n
    [InlineData("0021{k}51ae")] // m = 0
    [InlineData("5121{k}00ae")] // n = 0
    [InlineData("6121{k}51ae")] // m not a small integer
    [InlineData("5121{k}52ae")] // n says 2, one key present
    [InlineData("5121{k}21{k}51ae")] // n says 1, two keys present
    [InlineData("5121{k}51af")] // CHECKMULTISIGVERIFY
    [InlineData("5121{k}51")] // three ops
    [InlineData("5120{k32}51ae")] // 32-byte key push
    [InlineData("514c21{k}51ae")] // 33 bytes but pushed with PUSHDATA1
    public void Near_multisig_scripts_are_not_multisig(string pattern)
    {
        var key = Key(1).ToHex();
        var script = Script.FromHex(pattern.Replace("{k32}", key[2..], StringComparison.Ordinal).Replace("{k}", key, StringComparison.Ordinal));
        Assert.False(script.IsMultisig(out var m, out var keys));
        Assert.Equal(0, m);
        Assert.Null(keys);
        Assert.NotEqual(ScriptType.Multisig, script.Classify());
    }

    [Fact]
    public void Uncompressed_keys_are_recognised_in_multisig_and_p2pk()
    {
        var key = Key(3, compressed: false);
        var multisig = Script.Multisig(1, [key]);
        Assert.True(multisig.IsMultisig(out _, out var keys));
        Assert.Equal(65, Assert.Single(keys).Length);
        var p2pk = Script.P2pk(key);
        Assert.Equal(67, p2pk.Length);
        Assert.Equal("41" + key.ToHex() + "ac", p2pk.ToHex());
        Assert.True(p2pk.IsP2pk(out var found));
        Assert.Equal(key.ToHex(), ToHex(found));
        Assert.Equal(ScriptType.P2pk, p2pk.Classify());
    }

    [Theory]
    [InlineData("41{k65}ad")] // CHECKSIGVERIFY
    [InlineData("21{k65}ac")] // push length does not match the 65-byte form
    [InlineData("41{k65}acac")] // trailing op
    [InlineData("21{k33}ad")]
    [InlineData("41{k33}ac")]
    public void Near_p2pk_scripts_are_not_p2pk(string pattern)
    {
        var script = Script.FromHex(pattern
            .Replace("{k65}", Key(3, compressed: false).ToHex(), StringComparison.Ordinal)
            .Replace("{k33}", Key(3).ToHex(), StringComparison.Ordinal));
        Assert.False(script.IsP2pk(out var key));
        Assert.Null(key);
    }

    // ---------- matchers and classification ----------

    [Theory]
    [InlineData("0014{20}", ScriptType.P2wpkh)]
    [InlineData("0020{32}", ScriptType.P2wsh)]
    [InlineData("5120{32}", ScriptType.P2tr)]
    [InlineData("5114{20}", ScriptType.WitnessUnknown)]
    [InlineData("5220{32}", ScriptType.WitnessUnknown)]
    [InlineData("6002abab", ScriptType.WitnessUnknown)]
    [InlineData("76a914{20}88ac", ScriptType.P2pkh)]
    [InlineData("a914{20}87", ScriptType.P2sh)]
    [InlineData("6a", ScriptType.NullData)]
    [InlineData("6a04deadbeef", ScriptType.NullData)]
    [InlineData("61", ScriptType.NonStandard)]
    [InlineData("", ScriptType.NonStandard)]
    [InlineData("5002abab", ScriptType.NonStandard)] // OP_RESERVED is no version opcode
    [InlineData("4f02abab", ScriptType.NonStandard)] // nor OP_1NEGATE
    [InlineData("6102abab", ScriptType.NonStandard)] // nor OP_NOP
    public void Classify_each_template_and_its_near_misses(string pattern, ScriptType expected)
    {
        var script = Script.FromHex(pattern.Replace("{20}", new string('1', 40), StringComparison.Ordinal).Replace("{32}", new string('2', 64), StringComparison.Ordinal));
        Assert.Equal(expected, script.Classify());
    }

    [Fact]
    public void Only_version_0_programs_are_p2wpkh_or_p2wsh()
    {
        var v1Short = Script.WitnessProgram(1, Filled(20, 1));
        var v1Long = Script.WitnessProgram(1, Filled(32, 1));
        Assert.False(v1Short.IsP2wpkh(out var keyHash));
        Assert.True(keyHash.IsEmpty);
        Assert.False(v1Long.IsP2wsh(out var scriptHash));
        Assert.True(scriptHash.IsEmpty);
        Assert.False(Script.WitnessProgram(0, Filled(32, 1)).IsP2wpkh(out _));
        Assert.False(Script.WitnessProgram(0, Filled(20, 1)).IsP2wsh(out _));
        Assert.True(Script.P2wpkh(Filled(20, 7)).IsP2wpkh(out var kh) && kh.SequenceEqual(Filled(20, 7)));
        Assert.True(Script.P2wsh(Filled(32, 7)).IsP2wsh(out var sh) && sh.SequenceEqual(Filled(32, 7)));
    }

    [Theory]
    [InlineData("6a")]
    [InlineData("0001ab")] // push of 1 byte: too short a program
    [InlineData("5002abab")]
    [InlineData("6102abab")]
    [InlineData("0003abab")] // push length past the end
    public void Not_a_witness_program_reports_version_minus_one(string hex)
    {
        Assert.False(Script.FromHex(hex).IsWitnessProgram(out var version, out var program));
        Assert.Equal(-1, version);
        Assert.True(program.IsEmpty);
    }

    [Fact]
    public void Unspendable_is_a_leading_op_return_or_more_than_10000_bytes()
    {
        Assert.False(Script.Empty.IsUnspendable);
        Assert.True(Script.FromHex("6a").IsUnspendable);
        Assert.False(Script.FromHex("006a").IsUnspendable);
        Assert.False(new Script(new byte[10_000]).IsUnspendable);
        Assert.True(new Script(new byte[10_001]).IsUnspendable);
        Assert.Equal(ScriptType.NullData, new Script(new byte[10_001]).Classify());
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("00", true)]
    [InlineData("4f", true)] // OP_1NEGATE
    [InlineData("50", true)] // OP_RESERVED counts as a push, as in Core
    [InlineData("60", true)] // OP_16
    [InlineData("0051604f0201024c00", true)]
    [InlineData("61", false)] // OP_NOP
    [InlineData("5161", false)]
    [InlineData("4c", false)] // truncated push
    [InlineData("0201", false)]
    public void Push_only_means_every_op_is_at_most_op_16(string hex, bool expected)
    {
        Assert.Equal(expected, Script.FromHex(hex).IsPushOnly());
    }

    [Theory]
    [InlineData(0x00, true)]
    [InlineData(0x4e, true)]
    [InlineData(0x4f, true)]
    [InlineData(0x50, true)]
    [InlineData(0x5f, true)]
    [InlineData(0x60, true)]
    [InlineData(0x61, false)]
    [InlineData(0xff, false)]
    public void Script_op_is_push_up_to_op_16(int code, bool expected)
    {
        Assert.Equal(expected, new ScriptOp((byte)code, ReadOnlyMemory<byte>.Empty).IsPush);
    }

    [Fact]
    public void Small_integer_maps_op_0_and_op_1_to_op_16_and_nothing_else()
    {
        for (var code = 0; code <= 0xff; code++)
        {
            var expected = code == 0 ? 0 : code is >= 0x51 and <= 0x60 ? code - 0x50 : -1;
            Assert.Equal(expected, Script.SmallInteger((byte)code));
        }
        Assert.Equal(16, Script.SmallInteger((byte)Opcode.OP_16));
        Assert.Equal(1, Script.SmallInteger((byte)Opcode.OP_1));
        Assert.Equal(-1, Script.SmallInteger((byte)Opcode.OP_1NEGATE));
        Assert.Equal(-1, Script.SmallInteger((byte)Opcode.OP_RESERVED));
        Assert.Equal(-1, Script.SmallInteger((byte)Opcode.OP_NOP));
    }

    // ---------- the op parser ----------

    [Theory]
    [InlineData("", "")]
    [InlineData("61", "61:")]
    [InlineData("01ab", "01:ab")]
    [InlineData("4c00", "4c:")]
    [InlineData("4c01ab", "4c:ab")]
    [InlineData("4c01abac", "4c:ab ac:")]
    [InlineData("4d0000", "4d:")]
    [InlineData("4d0100ab", "4d:ab")]
    [InlineData("4d0200abcd51", "4d:abcd 51:")]
    [InlineData("4e00000000", "4e:")]
    [InlineData("4e01000000ab", "4e:ab")]
    [InlineData("4e01000000abac", "4e:ab ac:")]
    public void Parser_reads_each_push_form(string hex, string expected)
    {
        Assert.True(Script.FromHex(hex).TryGetOps(out var ops));
        Assert.Equal(expected, Render(ops));
    }

    [Theory]
    [InlineData("01")]
    [InlineData("02ab")]
    [InlineData("4b")]
    [InlineData("4c")]
    [InlineData("4c01")]
    [InlineData("4c02ab")]
    [InlineData("4d")]
    [InlineData("4d01")]
    [InlineData("4d0100")]
    [InlineData("4d0001ab")]
    [InlineData("4e")]
    [InlineData("4e000000")]
    [InlineData("4e01000000")]
    [InlineData("4e00010000ab")]
    [InlineData("4e00000100ab")]
    [InlineData("4e00000001ab")]
    [InlineData("4effffffffab")]
    [InlineData("51024c")]
    public void Parser_refuses_a_push_that_runs_past_the_end(string hex)
    {
        Assert.False(Script.FromHex(hex).TryGetOps(out _));
    }

    [Theory]
    [InlineData("4d0001", 256)]
    [InlineData("4dffff", 65535)]
    [InlineData("4e00010000", 256)]
    [InlineData("4e00000100", 65536)]
    public void Parser_reads_little_endian_push_lengths(string header, int length)
    {
        var bytes = Hex(header).Concat(Filled(length, 0x5a)).Append((byte)0xac).ToArray();
        Assert.True(new Script(bytes).TryGetOps(out var ops));
        Assert.Equal(2, ops.Count);
        Assert.Equal(bytes[0], ops[0].Code);
        Assert.Equal(Filled(length, 0x5a), ops[0].Data.ToArray());
        Assert.Equal(0xac, ops[1].Code);
    }

    // ---------- ScriptBuilder ----------

    [Theory]
    [InlineData(0L, "00")]
    [InlineData(-1L, "4f")]
    [InlineData(1L, "51")]
    [InlineData(2L, "52")]
    [InlineData(16L, "60")]
    [InlineData(17L, "0111")]
    [InlineData(-2L, "0182")]
    [InlineData(-16L, "0190")]
    [InlineData(127L, "017f")]
    [InlineData(128L, "028000")]
    [InlineData(-128L, "028080")]
    [InlineData(255L, "02ff00")]
    [InlineData(-255L, "02ff80")]
    [InlineData(256L, "020001")]
    [InlineData(2147483647L, "04ffffff7f")]
    [InlineData(-2147483647L, "04ffffffff")]
    [InlineData(2147483648L, "050000008000")]
    [InlineData(long.MaxValue, "08ffffffffffffff7f")]
    [InlineData(long.MinValue, "09000000000000008080")]
    public void Number_uses_op_n_where_it_can_and_a_minimal_script_number_otherwise(long value, string hex)
    {
        Assert.Equal(hex, new ScriptBuilder().Number(value).ToScript().ToHex());
    }

    [Theory]
    [InlineData(0, "00")]
    [InlineData(1, "01")]
    [InlineData(75, "4b")]
    [InlineData(76, "4c4c")]
    [InlineData(255, "4cff")]
    [InlineData(256, "4d0001")]
    [InlineData(0x1234, "4d3412")]
    [InlineData(65535, "4dffff")]
    [InlineData(65536, "4e00000100")]
    [InlineData(0x010203, "4e03020100")]
    public void Push_picks_the_smallest_push_opcode_for_the_length(int length, string header)
    {
        var data = Filled(length, 0x33);
        var script = new ScriptBuilder().Push(data).ToScript();
        var expectedHeader = Hex(header);
        Assert.Equal(expectedHeader.Length + length, script.Length);
        Assert.Equal(header, ToHex(script.Span[..expectedHeader.Length]));
        Assert.True(script.Span[expectedHeader.Length..].SequenceEqual(data));
    }

    [Fact]
    public void Push_never_substitutes_op_n_for_small_data()
    {
        Assert.Equal("0101", new ScriptBuilder().Push([1]).ToScript().ToHex());
        Assert.Equal("0181", new ScriptBuilder().Push([0x81]).ToScript().ToHex());
        Assert.Equal("00", new ScriptBuilder().Push([]).ToScript().ToHex());
    }

    // ---------- equality ----------

    [Fact]
    public void Equal_scripts_hash_alike_and_the_hash_depends_on_the_bytes()
    {
        Assert.Equal(Script.FromHex("51ac").GetHashCode(), new Script(Hex("51ac")).GetHashCode());
        var codes = Enumerable.Range(0, 16).Select(i => new Script([(byte)i, 0xac]).GetHashCode()).Distinct().Count();
        Assert.True(codes > 1, "sixteen different scripts all had one hash code");
    }
}
