namespace BitCurrent.Storage.PostgreSql.Tests;

/// <summary>
/// The operations runbook's SQL, exactly as written there (shared/seed/operations-runbook.md), runs against our schema
/// and gives meaningful numbers on the seeded data.
/// </summary>
public sealed class RunbookSqlTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    // "Reconciliation Discrepancy", step 2: review discrepancy details.
    public const string WalletsAgainstLedger = """
  WITH wallet_balances AS (
    SELECT currency, SUM(balance) as total
    FROM wallets
    GROUP BY currency
  ),
  ledger_balances AS (
    SELECT currency, SUM(amount) as total
    FROM ledger_entries
    GROUP BY currency
  )
  SELECT w.currency, w.total as wallet, l.total as ledger, (w.total - l.total) as difference
  FROM wallet_balances w
  LEFT JOIN ledger_balances l ON w.currency = l.currency;
""";

    // "Reconciliation Discrepancy", step 3: check for missing ledger entries.
    public const string MissingLedgerEntries = """
  SELECT * FROM deposits
  WHERE status = 'credited'
    AND id NOT IN (SELECT reference_id FROM ledger_entries WHERE reference_type = 'deposit');
""";

    // "Low Hot Wallet Balance", step 2: check pending withdrawals.
    public const string PendingWithdrawals = "SELECT COUNT(*), SUM(amount) FROM withdrawals WHERE status = 'pending' AND currency = 'BTC';";

    // "High Failed Login Rate", step 1: failed login attempts by IP.
    public const string FailedLoginsByIp = """
  SELECT ip_address, COUNT(*), MAX(created_at)
  FROM security_events
  WHERE event_type = 'login_failed'
    AND created_at > NOW() - INTERVAL '15 minutes'
  GROUP BY ip_address
  ORDER BY COUNT(*) DESC
  LIMIT 20;
""";

    // "High Failed Login Rate", step 2: are specific users targeted.
    public const string FailedLoginsByUser = """
  SELECT user_id, email, COUNT(*)
  FROM security_events se
  JOIN users u ON se.user_id = u.id
  WHERE event_type = 'login_failed'
    AND created_at > NOW() - INTERVAL '15 minutes'
  GROUP BY user_id, email
  ORDER BY COUNT(*) DESC
  LIMIT 10;
""";

    private async Task SeedAsync(bool withDiscrepancies)
    {
        await db.RecreateAsync();
        var ct = TestContext.Current.CancellationToken;
        await new SchemaMigrator(db.DataSource).UpAsync(cancellationToken: ct);
        await DemoSeeder.SeedAsync(db.DataSource, new DemoSeedOptions { WithDiscrepancies = withDiscrepancies }, ct);
    }

    /// <summary>
    /// Checked against shared/seed/operations-runbook.md when the repository sits beside shared/ (as in development and
    /// CI), otherwise against docs/operating/database.md, which quotes the same statements.
    /// </summary>
    [Fact]
    public void The_statements_are_the_runbooks_own()
    {
        var runbook = FindRunbook();
        Assert.True(runbook is not null, "neither shared/seed/operations-runbook.md nor docs/operating/database.md was found above the test directory");
        var text = File.ReadAllText(runbook!);
        foreach (var sql in new[] { WalletsAgainstLedger, MissingLedgerEntries, PendingWithdrawals, FailedLoginsByIp, FailedLoginsByUser })
            Assert.Contains(sql.TrimEnd('\n'), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_balanced_seed_data_the_runbook_finds_nothing_wrong_and_real_numbers()
    {
        await SeedAsync(withDiscrepancies: false);
        // Wallets equal the ledger in every currency (minor units: satoshis, wei, pence).
        Assert.Equal(
            ["BTC|1290000000|1290000000|0", "ETH|27500000000000000000|27500000000000000000|0", "GBP|16950000|16950000|0"],
            (await db.RowsAsync(WalletsAgainstLedger)).Order(StringComparer.Ordinal));
        Assert.Empty(await db.RowsAsync(MissingLedgerEntries));
        Assert.Equal(["2|10000000"], await db.RowsAsync(PendingWithdrawals));  // withdrawals 3002 and 3008, 0.05 BTC each

        var byIp = await db.RowsAsync(FailedLoginsByIp);
        Assert.Equal(["203.0.113.7|12", "198.51.100.23|4"], byIp.Select(r => string.Join('|', r.Split('|')[..2])));
        Assert.Equal(["2|alan@example.com|8", "3|grace@example.com|4", "5|margaret@example.com|4"],
            (await db.RowsAsync(FailedLoginsByUser)).OrderByDescending(r => int.Parse(r.Split('|')[2], System.Globalization.CultureInfo.InvariantCulture)).ThenBy(r => r, StringComparer.Ordinal));
    }

    [Fact]
    public async Task On_seed_data_with_discrepancies_the_runbook_queries_point_at_them()
    {
        await SeedAsync(withDiscrepancies: true);
        var rows = (await db.RowsAsync(WalletsAgainstLedger)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal("ETH|28000000000000000000|27500000000000000000|500000000000000000", rows[1]);  // the 0.5 ETH surplus
        Assert.Equal("BTC|1515000000|1490000000|25000000", rows[0]);  // deposit 1901's coins, never credited
        Assert.EndsWith("|0", rows[2], StringComparison.Ordinal);
        var missing = await db.RowsAsync(MissingLedgerEntries);
        Assert.Single(missing);
        Assert.StartsWith("1901|3|BTC|25000000|credited|", missing[0], StringComparison.Ordinal);
    }

    private static string? FindRunbook()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "seed", "operations-runbook.md");
            if (File.Exists(candidate)) return candidate;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BitCurrent.slnx"))) return Path.Combine(dir.FullName, "docs", "operating", "database.md");
        }
        return null;
    }
}
