namespace BitCurrent.Custody.Tests;

/// <summary>Proof of reserves: ownership proofs over a challenge for every custody address, balances, liabilities, verification.</summary>
public class ProofOfReservesTests
{
    private const string Root = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static LiabilitiesRoot Liabilities(string total) => new("BTC", Root, Btc.Of(total));

    /// <summary>A cold wallet with 10 BTC in two addresses, a hot wallet with 1 BTC, a draft signed by signers 1..5 and the hot key.</summary>
    private static async Task<(CustodyFixture F, ReservesDesk Desk)> SignedDraft(string liabilities)
    {
        var f = new CustodyFixture();
        f.FundCold(Btc.Of("6"));
        f.FundCold(Btc.Of("4"));
        f.FundHot(Btc.Of("1"));
        var desk = new ReservesDesk(f.Store);
        var draft = await desk.PrepareAsync(f.Chain, "audit 2026-03-01 nonce 7f3a", Liabilities(liabilities), cancellationToken: Test.Ct);
        Assert.Equal(3, draft.Addresses.Count);
        Assert.Equal(Btc.Of("11"), draft.Addresses.Sum(a => a.BalanceSats));
        for (var s = 1; s <= 5; s++)
        {
            using var key = f.SignerKey(s);
            Assert.Equal(2, desk.SignCold(s, key));
        }
        using var hot = f.HotAccountKey();
        Assert.Equal(1, desk.SignHot(hot));
        return (f, desk);
    }

    [Fact]
    public async Task A_published_report_verifies_and_reserves_cover_liabilities()
    {
        var (f, desk) = await SignedDraft("10.5");
        using var _ = f;
        var report = desk.Publish();
        Assert.Null(desk.Draft);
        Assert.Equal(Btc.Of("11"), report.ReservesSats);
        Assert.Equal(Btc.Of("10.5"), report.LiabilitiesSats);
        Assert.True(report.ReservesCoverLiabilities);
        Assert.Equal(report.ComputeHash(), report.ReportHash);
        Assert.All(report.Addresses.Where(a => a.Wallet == "cold"), a => Assert.Equal(5, a.Signatures.Count));
        Assert.All(report.Addresses, a => Assert.Contains("audit 2026-03-01 nonce 7f3a", a.Message, StringComparison.Ordinal));
        Assert.All(report.Addresses, a => Assert.Contains(Root, a.Message, StringComparison.Ordinal));

        var parsed = ReservesReport.Parse(report.ToJson());
        var offline = await ReservesDesk.VerifyAsync(parsed, null, cancellationToken: Test.Ct);
        Assert.True(offline.ProofsValid);
        Assert.False(offline.CheckedAgainstChain);
        Assert.True(offline.Covered);
        var online = await ReservesDesk.VerifyAsync(parsed, f.Chain, cancellationToken: Test.Ct);
        Assert.True(online.ProofsValid, string.Join("; ", online.Problems.Select(p => p.Detail)));
        Assert.True(online.CheckedAgainstChain);
        Assert.Equal(Btc.Of("11"), online.ReservesSats);
        Assert.Contains(f.Store.ReadAuditLog(), e => e.Kind == CustodyEventKind.ReservesPublished);
    }

    [Fact]
    public async Task Reserves_below_liabilities_verify_but_are_not_covered()
    {
        var (f, desk) = await SignedDraft("11.00000001");
        using var _ = f;
        var report = desk.Publish();
        Assert.False(report.ReservesCoverLiabilities);
        var verdict = await ReservesDesk.VerifyAsync(report, f.Chain, cancellationToken: Test.Ct);
        Assert.True(verdict.ProofsValid);
        Assert.False(verdict.Covered);
    }

    [Fact]
    public async Task Publishing_needs_the_threshold_of_cold_signers_and_the_hot_key()
    {
        using var f = new CustodyFixture();
        f.FundCold(Btc.Of("1"));
        f.FundHot(Btc.Of("1"));
        var desk = new ReservesDesk(f.Store);
        Assert.Equal(CustodyError.ReservesDraftNotFound, Assert.Throws<ReservesException>(() => desk.Publish()).Reason);
        await desk.PrepareAsync(f.Chain, "c", Liabilities("1"), cancellationToken: Test.Ct);
        for (var s = 1; s <= 4; s++)
        {
            using var key = f.SignerKey(s);
            desk.SignCold(s, key);
        }
        using (var again = f.SignerKey(4))
        {
            Assert.Equal(0, desk.SignCold(4, again));
        }
        var e = Assert.Throws<ReservesException>(() => desk.Publish());
        Assert.Equal(CustodyError.ReservesProofInvalid, e.Reason);
        Assert.Contains("4 of 5", e.Message, StringComparison.Ordinal);
        using (var key5 = f.SignerKey(5))
        {
            desk.SignCold(5, key5);
        }
        Assert.Contains("no valid signature", Assert.Throws<ReservesException>(() => desk.Publish()).Message, StringComparison.Ordinal);
        using var signer = f.SignerKey(6);
        Assert.Equal(CustodyError.KeyFileWrongRole, Assert.Throws<KeyFileException>(() => desk.SignHot(signer)).Reason);
        using var hot = f.HotAccountKey();
        desk.SignHot(hot);
        Assert.True(desk.Publish().ReservesCoverLiabilities);
    }

    [Fact]
    public async Task Altered_reports_are_caught()
    {
        var (f, desk) = await SignedDraft("1");
        using var _ = f;
        var report = desk.Publish();

        // A balance raised, hash left alone.
        var inflated = report with { Addresses = [report.Addresses[0] with { BalanceSats = report.Addresses[0].BalanceSats + 1 }, .. report.Addresses.Skip(1)] };
        var v1 = await ReservesDesk.VerifyAsync(inflated, null, cancellationToken: Test.Ct);
        Assert.False(v1.ProofsValid);
        Assert.Contains(v1.Problems, p => p.Reason == CustodyError.ReservesReportHashMismatch);

        // Same, with the hash recomputed: the outputs no longer add up, and the chain disagrees.
        var rehashed = inflated with { ReportHash = null };
        rehashed = rehashed with { ReportHash = rehashed.ComputeHash() };
        var v2 = await ReservesDesk.VerifyAsync(rehashed, f.Chain, cancellationToken: Test.Ct);
        Assert.False(v2.ProofsValid);
        Assert.Contains(v2.Problems, p => p.Reason == CustodyError.ReservesReportMalformed);

        // An output added that the chain does not have, balance and hash made consistent: the chain check catches it.
        var fake = new ReservesOutput($"{new string('a', 64)}:0", Btc.Of("100"));
        var cold = report.Addresses[0];
        var padded = report with
        {
            Addresses = [cold with { Outputs = [.. cold.Outputs, fake], BalanceSats = cold.BalanceSats + fake.AmountSats }, .. report.Addresses.Skip(1)],
            ReservesSats = report.ReservesSats + fake.AmountSats,
            ReportHash = null,
        };
        padded = padded with { ReportHash = padded.ComputeHash() };
        Assert.True((await ReservesDesk.VerifyAsync(padded, null, cancellationToken: Test.Ct)).ProofsValid); // signatures and sums alone cannot see it
        var v3 = await ReservesDesk.VerifyAsync(padded, f.Chain, cancellationToken: Test.Ct);
        Assert.False(v3.ProofsValid);
        Assert.Contains(v3.Problems, p => p.Reason == CustodyError.ReservesBalanceMismatch);

        // A proof moved to another challenge.
        var moved = report with { Challenge = "another challenge", ReportHash = null };
        moved = moved with { ReportHash = moved.ComputeHash() };
        var v4 = await ReservesDesk.VerifyAsync(moved, null, cancellationToken: Test.Ct);
        Assert.Contains(v4.Problems, p => p.Reason == CustodyError.ReservesProofInvalid);

        // Signatures dropped below the threshold.
        var thin = report with { Addresses = [cold with { Signatures = cold.Signatures.Take(4).ToList() }, .. report.Addresses.Skip(1)], ReportHash = null };
        thin = thin with { ReportHash = thin.ComputeHash() };
        Assert.Contains((await ReservesDesk.VerifyAsync(thin, null, cancellationToken: Test.Ct)).Problems, p => p.Reason == CustodyError.ReservesProofInvalid && p.Detail.Contains("4 of 5", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"asset":"BTC","rootHash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","totalSats":150000000}""", 150_000_000)]
    [InlineData("""{"asset":"BTC","rootHash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","totalSats":"42","asOf":"2026-03-01"}""", 42)]
    public void Liabilities_json_parses(string json, long total)
    {
        var root = LiabilitiesRoot.Parse(json);
        Assert.Equal(total, root.TotalSats);
        Assert.Equal(Root, root.RootHash);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"asset":"ETH","rootHash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","totalSats":1}""")]
    [InlineData("""{"asset":"BTC","rootHash":"9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08","totalSats":1}""")]
    [InlineData("""{"asset":"BTC","rootHash":"abc","totalSats":1}""")]
    [InlineData("""{"asset":"BTC","rootHash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","totalSats":-1}""")]
    [InlineData("""{"asset":"BTC","rootHash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","totalSats":1.5}""")]
    [InlineData("""{"asset":"BTC","rootHash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","totalSats":2100000000000001}""")]
    [InlineData("""{"asset":"BTC","rootHash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}""")]
    public void Bad_liabilities_json_is_a_typed_error(string json) =>
        Assert.Equal(CustodyError.LiabilitiesInvalid, Assert.Throws<ReservesException>(() => LiabilitiesRoot.Parse(json)).Reason);

    [Fact]
    public async Task Bad_challenges_and_reports_are_typed_errors()
    {
        using var f = new CustodyFixture(signers: 3, threshold: 2);
        var desk = new ReservesDesk(f.Store);
        Assert.Equal(CustodyError.ReservesChallengeInvalid, (await Assert.ThrowsAsync<ReservesException>(() => desk.PrepareAsync(f.Chain, " ", Liabilities("1"), cancellationToken: Test.Ct))).Reason);
        Assert.Equal(CustodyError.ReservesChallengeInvalid, (await Assert.ThrowsAsync<ReservesException>(() => desk.PrepareAsync(f.Chain, "a\nb", Liabilities("1"), cancellationToken: Test.Ct))).Reason);
        Assert.Equal(CustodyError.ReservesReportMalformed, Assert.Throws<ReservesException>(() => ReservesReport.Parse("{}")).Reason);
        Assert.Equal(CustodyError.ReservesReportMalformed, Assert.Throws<ReservesException>(() => ReservesReport.Parse("nope")).Reason);
    }
}
