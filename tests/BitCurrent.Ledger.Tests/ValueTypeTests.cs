using BitCurrent.Ledger;
using BitCurrent.Ledger.Internal;

namespace BitCurrent.Ledger.Tests;

/// <summary>
/// The small public value types the flows are built on: asset codes, amount text, the asset registry, the state-hash
/// value, engine options and the deterministic id schemes. Each test pins a boundary (first and last valid value,
/// first invalid one) rather than one happy value.
/// </summary>
public class ValueTypeTests
{
    [Fact]
    public void The_example_assets_have_their_documented_codes_ledgers_and_scales()
    {
        Assert.Equal(("BTC", 1u, (byte)8), (Asset.Btc.Code, Asset.Btc.Ledger, Asset.Btc.Scale));
        Assert.Equal(("ETH", 2u, (byte)18), (Asset.Eth.Code, Asset.Eth.Ledger, Asset.Eth.Scale));
        Assert.Equal(("GBP", 3u, (byte)2), (Asset.Gbp.Code, Asset.Gbp.Ledger, Asset.Gbp.Scale));
        Assert.Equal("BTC", Asset.Btc.ToString());
    }

    [Theory]
    [InlineData("A")]
    [InlineData("Z")]
    [InlineData("0")]
    [InlineData("9")]
    [InlineData("AZ09")]
    [InlineData("ABCDEFGHIJ12")]
    public void Asset_codes_of_1_to_12_uppercase_letters_and_digits_are_accepted(string code)
    {
        var asset = new Asset(code, 7, 0);
        Assert.Equal(code, asset.Code);
        Assert.Equal(7u, asset.Ledger);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ABCDEFGHIJ123")]
    [InlineData("@")]   // just below 'A'
    [InlineData("[")]   // just above 'Z'
    [InlineData("/")]   // just below '0'
    [InlineData(":")]   // just above '9'
    [InlineData("btc")]
    [InlineData("BT C")]
    [InlineData("BTC-X")]
    public void Other_asset_codes_are_refused(string code) =>
        Assert.Throws<ArgumentException>("code", () => new Asset(code, 1, 2));

    [Fact]
    public void An_asset_needs_a_code_a_ledger_and_a_scale_of_at_most_38()
    {
        Assert.Throws<ArgumentNullException>("code", () => new Asset(null!, 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>("ledger", () => new Asset("X", 0, 2));
        Assert.Throws<ArgumentOutOfRangeException>("scale", () => new Asset("X", 1, 39));
        Assert.Equal(Asset.ScaleMax, new Asset("X", 1, 38).Scale);
        Assert.Equal(uint.MaxValue, new Asset("X", uint.MaxValue, 0).Ledger);
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(123, "123")]
    public void Format_of_a_scale_0_asset_is_the_integer(ulong amount, string expected) =>
        Assert.Equal(expected, new Asset("PTS", 9, 0).Format(amount));

    [Theory]
    [InlineData(0, "0.00")]
    [InlineData(5, "0.05")]
    [InlineData(50, "0.50")]     // as many digits as the scale
    [InlineData(150, "1.50")]    // one more digit than the scale
    [InlineData(123456, "1234.56")]
    public void Format_pads_small_amounts_and_places_the_point(ulong amount, string expected) =>
        Assert.Equal(expected, Asset.Gbp.Format(amount));

    [Fact]
    public void Format_handles_the_largest_amount()
    {
        Assert.Equal("3402823669209384634633746074317.68211455", new Asset("BIG", 9, 8).Format(UInt128.MaxValue));
        Assert.Equal("0.000000000000000001", Asset.Eth.Format(1));
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1", 100)]
    [InlineData("12", 1200)]
    [InlineData("1.5", 150)]
    [InlineData("1.05", 105)]
    [InlineData("0.01", 1)]
    [InlineData("09.90", 990)]
    [InlineData("1234.56", 123456)]
    public void TryParse_reads_units_with_up_to_scale_decimals(string text, ulong expected)
    {
        Assert.True(Asset.Gbp.TryParse(text, out var minor));
        Assert.Equal((UInt128)expected, minor);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData(".5")]       // no whole part
    [InlineData("1.")]       // a point with no fraction
    [InlineData("1.234")]    // more decimals than the scale
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1e2")]
    [InlineData("/")]        // just below '0'
    [InlineData(":")]        // just above '9'
    [InlineData("1./")]
    [InlineData("1.:")]
    [InlineData("1.2.3")]
    [InlineData(" 1")]
    [InlineData("1,5")]
    public void TryParse_refuses_anything_else_and_yields_zero(string text)
    {
        Assert.False(Asset.Gbp.TryParse(text, out var minor));
        Assert.Equal(UInt128.Zero, minor);
    }

    [Fact]
    public void TryParse_refuses_null_and_values_beyond_128_bits()
    {
        Assert.False(Asset.Gbp.TryParse(null!, out var minor));
        Assert.Equal(UInt128.Zero, minor);
        var big = new Asset("BIG", 9, 8);
        Assert.True(big.TryParse("3402823669209384634633746074317.68211455", out minor));
        Assert.Equal(UInt128.MaxValue, minor);
        Assert.False(big.TryParse("3402823669209384634633746074317.68211456", out _));
    }

    [Fact]
    public void TryParse_of_a_scale_0_asset_takes_no_point()
    {
        var points = new Asset("PTS", 9, 0);
        Assert.True(points.TryParse("42", out var minor));
        Assert.Equal((UInt128)42, minor);
        Assert.False(points.TryParse("42.0", out _));
        Assert.False(points.TryParse("42.", out _));
    }

    [Fact]
    public void Format_and_TryParse_round_trip()
    {
        foreach (var asset in new[] { Asset.Btc, Asset.Eth, Asset.Gbp, new Asset("PTS", 9, 0) })
        {
            foreach (var amount in new UInt128[] { 0, 1, 9, 10, 99, 100, 101, 123_456_789, ulong.MaxValue })
            {
                Assert.True(asset.TryParse(asset.Format(amount), out var back), $"{asset} {amount}");
                Assert.Equal(amount, back);
            }
        }
    }

    [Fact]
    public void A_registry_finds_assets_by_code_and_ledger_in_registration_order()
    {
        var registry = AssetRegistry.Examples();
        Assert.Equal([Asset.Btc, Asset.Eth, Asset.Gbp], registry.Assets);
        Assert.True(registry.TryGetByCode("ETH", out var eth));
        Assert.Same(Asset.Eth, eth);
        Assert.True(registry.TryGetByLedger(3, out var gbp));
        Assert.Same(Asset.Gbp, gbp);
        Assert.False(registry.TryGetByCode("eth", out _));
        Assert.False(registry.TryGetByLedger(4, out _));
        Assert.Same(Asset.Btc, registry["BTC"]);
        Assert.Throws<KeyNotFoundException>(() => registry["XRP"]);
    }

    [Fact]
    public void Contains_needs_the_same_code_ledger_and_scale()
    {
        var registry = AssetRegistry.Examples();
        Assert.True(registry.Contains(Asset.Btc));
        Assert.True(registry.Contains(new Asset("BTC", 1, 8)));   // records compare by value
        Assert.False(registry.Contains(new Asset("BTC", 1, 9)));
        Assert.False(registry.Contains(new Asset("BTC", 9, 8)));
        Assert.False(registry.Contains(new Asset("XRP", 1, 8)));
        Assert.False(registry.Contains(null!));
    }

    [Fact]
    public void A_registry_refuses_nulls_and_duplicate_codes_or_ledgers()
    {
        Assert.Throws<ArgumentNullException>("assets", () => new AssetRegistry(null!));
        Assert.Throws<ArgumentNullException>("asset", () => new AssetRegistry([Asset.Btc, null!]));
        Assert.Throws<ArgumentException>("assets", () => new AssetRegistry([Asset.Btc, new Asset("BTC", 9, 8)]));
        Assert.Throws<ArgumentException>("assets", () => new AssetRegistry([Asset.Btc, new Asset("XBT", 1, 8)]));
        Assert.Empty(new AssetRegistry([]).Assets);
    }

    private const string Abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";   // SHA-256("abc")

    [Fact]
    public void Hash256_parses_writes_and_prints_the_digest_bytes_in_order()
    {
        var hash = Hash256.Compute("abc"u8);
        Assert.Equal(Abc, hash.ToString());
        Assert.Equal(hash, Hash256.Parse(Abc));
        Assert.Equal(hash, Hash256.Parse(Abc.ToUpperInvariant()));
        Assert.Equal(Convert.FromHexString(Abc), hash.ToArray());
        var destination = new byte[40];
        hash.Write(destination);
        Assert.Equal(Convert.FromHexString(Abc), destination[..32]);
        Assert.Equal(new byte[8], destination[32..]);
        Assert.Equal(hash, Hash256.Read(Convert.FromHexString(Abc)));
    }

    [Fact]
    public void Hash256_refuses_bad_input()
    {
        Assert.Throws<ArgumentNullException>("hex", () => Hash256.Parse(null!));
        Assert.Throws<FormatException>(() => Hash256.Parse(Abc[..62]));
        Assert.Throws<FormatException>(() => Hash256.Parse(Abc + "00"));
        Assert.Throws<FormatException>(() => Hash256.Parse("zz" + Abc[2..]));
        Assert.Throws<FormatException>(() => Hash256.Parse(Abc[..62] + "0g"));
        Assert.Throws<ArgumentException>("bytes", () => Hash256.Read(new byte[31]));
        Assert.Throws<ArgumentException>("bytes", () => Hash256.Read(new byte[33]));
        Assert.Throws<ArgumentException>("destination", () => Hash256.Compute("abc"u8).Write(new byte[31]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(31)]
    public void Hash256_values_differing_in_any_byte_are_different(int index)
    {
        var bytes = Convert.FromHexString(Abc);
        var a = Hash256.Read(bytes);
        bytes[index] ^= 1;
        var b = Hash256.Read(bytes);
        Assert.NotEqual(a, b);
        Assert.False(a.Equals(b));
        Assert.False(a == b);
        Assert.True(a != b);
        Assert.False(a.Equals((object)b));
        Assert.True(a.Equals((object)Hash256.Parse(Abc)));
        Assert.False(a.Equals("not a hash"));
        Assert.Equal(a.GetHashCode(), Hash256.Parse(Abc).GetHashCode());
    }

    public static TheoryData<LedgerEngineOptions, string> BadOptions => new()
    {
        { new LedgerEngineOptions { AccountsMax = 0 }, "AccountsMax" },
        { new LedgerEngineOptions { AccountsMax = (1 << 28) + 1 }, "AccountsMax" },
        { new LedgerEngineOptions { TransfersMax = 0 }, "TransfersMax" },
        { new LedgerEngineOptions { TransfersMax = (1 << 28) + 1 }, "TransfersMax" },
        { new LedgerEngineOptions { LedgersMax = 0 }, "LedgersMax" },
        { new LedgerEngineOptions { LedgersMax = (1 << 20) + 1 }, "LedgersMax" },
        { new LedgerEngineOptions { BatchItemsMax = 0 }, "BatchItemsMax" },
        { new LedgerEngineOptions { BatchItemsMax = (1 << 20) + 1 }, "BatchItemsMax" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Options_out_of_range_are_refused_by_name(LedgerEngineOptions options, string name)
    {
        Assert.Throws<ArgumentOutOfRangeException>(name, options.Validate);
        Assert.Throws<ArgumentOutOfRangeException>(name, () => new LedgerEngine(options));
    }

    [Fact]
    public void Options_at_their_limits_are_accepted()
    {
        new LedgerEngineOptions { AccountsMax = 1 << 28, TransfersMax = 1 << 28, LedgersMax = 1 << 20, BatchItemsMax = 1 << 20 }.Validate();
        var smallest = new LedgerEngine(new LedgerEngineOptions { AccountsMax = 1, TransfersMax = 1, LedgersMax = 1, BatchItemsMax = 1 });
        Assert.Equal(1, smallest.Options.AccountsMax);
        Assert.Equal(LedgerEngineOptions.DefaultBatchItemsMax, new LedgerEngine().Options.BatchItemsMax);
    }

    [Fact]
    public void Account_ids_decode_to_their_kind_ledger_and_user()
    {
        var asset = new Asset("BIG", 0xFEDC_BA98, 2);
        Assert.True(LedgerAccounts.TryDecode(LedgerAccounts.UserAvailable(ulong.MaxValue, asset), out var kind, out var ledger, out var user));
        Assert.Equal((LedgerAccountKind.UserAvailable, 0xFEDC_BA98u, ulong.MaxValue), (kind, ledger, user));
        Assert.True(LedgerAccounts.TryDecode(LedgerAccounts.Adjustments(asset), out kind, out ledger, out user));
        Assert.Equal((LedgerAccountKind.Adjustments, 0xFEDC_BA98u, 0UL), (kind, ledger, user));
        Assert.True(LedgerAccounts.TryDecode(LedgerAccounts.Escrow(Asset.Btc), out kind, out ledger, out user));
        Assert.Equal((LedgerAccountKind.Escrow, 1u, 0UL), (kind, ledger, user));
    }

    public static TheoryData<string> ForeignAccountIds => new()
    {
        "0000_0000_00000001_0000000000000007",   // kind 0
        "0000_0000_00000001_0000000000000000",   // kind 0, otherwise a valid system id
        "0006_0000_00000001_0000000000000000",   // kind 6 (after Adjustments)
        "FFFF_0000_00000001_0000000000000000",   // kind 65535
        "0001_0001_00000001_0000000000000007",   // the zero gap is not zero
        "0002_8000_00000001_0000000000000000",   // ditto, top bit of the gap
        "0001_0000_00000000_0000000000000007",   // ledger 0
        "0002_0000_00000001_0000000000000007",   // a system account with a user
        "0005_0000_00000001_8000000000000000",   // ditto
    };

    [Theory]
    [MemberData(nameof(ForeignAccountIds))]
    public void Ids_outside_the_account_scheme_do_not_decode(string hex)
    {
        var id = UInt128.Parse(hex.Replace("_", "", StringComparison.Ordinal), System.Globalization.NumberStyles.HexNumber, null);
        Assert.False(LedgerAccounts.TryDecode(id, out var kind, out var ledger, out var user));
        Assert.Equal((default(LedgerAccountKind), 0u, 0UL), (kind, ledger, user));
    }

    [Fact]
    public void Every_kind_decodes_and_unknown_kinds_have_no_flags()
    {
        foreach (var kind in Enum.GetValues<LedgerAccountKind>())
        {
            var account = LedgerAccounts.NewAccount(kind, Asset.Gbp, kind == LedgerAccountKind.UserAvailable ? 42UL : 0);
            Assert.True(LedgerAccounts.TryDecode(account.Id, out var decoded, out var ledger, out _));
            Assert.Equal((kind, 3u), (decoded, ledger));
            Assert.Equal((ushort)kind, account.Code);
        }
        Assert.Throws<ArgumentOutOfRangeException>("kind", () => LedgerAccounts.FlagsOf((LedgerAccountKind)6));
        Assert.Throws<ArgumentNullException>("asset", () => LedgerAccounts.Custody(null!));
    }

    [Fact]
    public void Flow_ids_compose_and_decode_every_field()
    {
        var id = FlowTransferIds.Compose(FlowCode.TradeFee, FlowStep.Void, 0xDEAD_BEEF, ulong.MaxValue - 1);
        Assert.Equal(UInt128.Parse("0007_0002_DEADBEEF_FFFFFFFFFFFFFFFE".Replace("_", "", StringComparison.Ordinal),
            System.Globalization.NumberStyles.HexNumber, null), id);
        Assert.True(FlowTransferIds.TryDecode(id, out var code, out var step, out var leg, out var reference));
        Assert.Equal((FlowCode.TradeFee, FlowStep.Void, 0xDEAD_BEEFu, ulong.MaxValue - 1), (code, step, leg, reference));
    }

    [Theory]
    [InlineData(FlowCode.Deposit, FlowStep.Create, true)]
    [InlineData(FlowCode.DepositCorrection, FlowStep.Void, true)]
    [InlineData(FlowCode.Withdrawal, FlowStep.Post, true)]
    [InlineData((FlowCode)0, FlowStep.Create, false)]
    [InlineData((FlowCode)10, FlowStep.Create, false)]
    [InlineData(FlowCode.Deposit, (FlowStep)3, false)]
    [InlineData((FlowCode)0, (FlowStep)3, false)]
    [InlineData((FlowCode)0xFFFF, FlowStep.Void, false)]
    public void Flow_ids_decode_only_known_codes_and_steps(FlowCode code, FlowStep step, bool valid)
    {
        var id = FlowTransferIds.Compose(code, step, 3, 4);
        Assert.Equal(valid, FlowTransferIds.TryDecode(id, out var c, out var s, out var leg, out var reference));
        Assert.Equal((code, step, 3u, 4UL), (c, s, leg, reference));
    }

    [Fact]
    public void Post_and_void_ids_replace_the_step_and_keep_the_rest()
    {
        var hold = FlowTransferIds.TradeReHold(77, TradeRole.Taker);
        var post = FlowTransferIds.Post(hold);
        var @void = FlowTransferIds.Void(hold);
        Assert.Equal(FlowTransferIds.Compose(FlowCode.OrderHold, FlowStep.Post, (uint)TradeRole.Taker, 77), post);
        Assert.Equal(FlowTransferIds.Compose(FlowCode.OrderHold, FlowStep.Void, (uint)TradeRole.Taker, 77), @void);
        Assert.Equal(post, FlowTransferIds.Post(@void));
        Assert.Equal(hold, FlowTransferIds.Compose(FlowCode.OrderHold, FlowStep.Create, 2, 77));
    }

    [Fact]
    public void The_id_hash_mixes_all_128_bits()
    {
        // Flow ids of one reference differ only in their top 64 bits, and account ids of one user only in bits
        // 64..127: a hash that dropped a half (or a word of a half) would put them all in one bucket.
        var comparer = IdComparer.Instance;
        var hashes = new HashSet<int>();
        foreach (var code in Enum.GetValues<FlowCode>()) Assert.True(hashes.Add(comparer.GetHashCode(FlowTransferIds.Compose(code, FlowStep.Create, 0, 5))));
        hashes.Clear();
        for (uint ledger = 1; ledger <= 8; ledger++) Assert.True(hashes.Add(comparer.GetHashCode(LedgerAccounts.Id(LedgerAccountKind.UserAvailable, ledger, 5))));
        hashes.Clear();
        for (ulong high = 1; high <= 8; high++) Assert.True(hashes.Add(comparer.GetHashCode(high << 40)));
        Assert.True(comparer.Equals(LedgerAccounts.Custody(Asset.Btc), LedgerAccounts.Custody(new Asset("BTC", 1, 8))));
        Assert.False(comparer.Equals(1, 2));
    }
}
