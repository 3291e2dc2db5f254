using System.Globalization;
using BitCurrent.Ledger;
using BitCurrent.Storage.PostgreSql.Internal;
using Npgsql;
using NpgsqlTypes;

namespace BitCurrent.Storage.PostgreSql;

/// <summary>Options of <see cref="DemoSeeder.SeedAsync"/>.</summary>
public sealed record DemoSeedOptions
{
    /// <summary>Also plant one of each discrepancy the runbook looks for (for drills).</summary>
    public bool WithDiscrepancies { get; init; }

    /// <summary>Empty every BitCurrent table first; without it, seeding a database that holds data is refused.</summary>
    public bool Reset { get; init; }
}

/// <summary>What <see cref="DemoSeeder.SeedAsync"/> wrote.</summary>
/// <param name="Users">Rows in <c>users</c>.</param>
/// <param name="Deposits">Rows in <c>deposits</c>.</param>
/// <param name="Withdrawals">Rows in <c>withdrawals</c>.</param>
/// <param name="Orders">Rows in <c>orders</c>.</param>
/// <param name="Trades">Rows in <c>trades</c>.</param>
/// <param name="Wallets">Rows in <c>wallets</c>.</param>
/// <param name="SecurityEvents">Rows in <c>security_events</c>.</param>
/// <param name="Projection">The ledger's projection (accounts, transfers, ledger entries).</param>
/// <param name="CustodyBalances">The ledger's custody balance per currency, in minor units, formatted (e.g. <c>BTC 13.39830000</c>).</param>
/// <param name="StateHash">The seeded ledger's state hash.</param>
/// <param name="Discrepancies">The planted discrepancies, one sentence each (empty without <see cref="DemoSeedOptions.WithDiscrepancies"/>).</param>
public sealed record DemoSeedSummary(int Users, int Deposits, int Withdrawals, int Orders, int Trades, int Wallets, int SecurityEvents,
    ProjectionResult Projection, IReadOnlyList<string> CustodyBalances, string StateHash, IReadOnlyList<string> Discrepancies);

/// <summary>
/// Builds a consistent demo data set through the real ledger (<see cref="LedgerEngine"/> and <see cref="ExchangeLedger"/>):
/// eight users, deposits credited after their confirmations (and some still confirming or failed), trades on BTC-GBP and
/// ETH-GBP with maker/taker fees, an open and a cancelled order, withdrawals pending, approved, signed, broadcast,
/// confirmed and rejected, failed logins for the security drill. The ledger is projected, then the matching custody
/// wallets and records are written, so that a reconciliation is balanced. Deterministic: the same data every time.
/// </summary>
public static class DemoSeeder
{
    private static readonly string[] DataTables =
    [
        "users", "wallets", "deposits", "withdrawals", "orders", "trades", "security_events",
        "accounts", "transfers", "ledger_entries", "projection_checkpoints", "currencies", "reconciliation_runs",
        "adjustments", "adjustment_audit",
    ];

    /// <summary>The planted discrepancies of <see cref="DemoSeedOptions.WithDiscrepancies"/>, as the report will show them.</summary>
    public static IReadOnlyList<string> PlantedDiscrepancies { get; } =
    [
        "4701 BalanceMismatch: the BTC hot wallet holds 0.25 BTC more than the ledger (deposit 1901's coins)",
        "4701 BalanceMismatch: the ETH hot wallet holds 0.5 ETH more than the ledger",
        "4705 DepositCreditedTwice: deposit 1013 credited, then credited again by an approved correction",
        "4703 DepositMissingFromLedger: deposit 1901 is marked credited (its coins arrived) but the ledger never credited it",
        "4704 LedgerDepositWithoutRecord: the ledger credits deposit 1902, which the deposits table does not know",
        "4708 WithdrawalOutOfStep: withdrawal 3901 is confirmed but the ledger still holds it as pending",
    ];

    /// <summary>Seeds the database (which must be migrated to the latest schema).</summary>
    /// <exception cref="StorageException">
    /// <see cref="StorageError.SchemaNotMigrated"/>, <see cref="StorageError.AlreadySeeded"/> (the database holds data
    /// and <see cref="DemoSeedOptions.Reset"/> is off), <see cref="StorageError.ConnectionFailed"/>.
    /// </exception>
    public static async Task<DemoSeedSummary> SeedAsync(NpgsqlDataSource dataSource, DemoSeedOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        await new SchemaMigrator(dataSource).EnsureLatestAsync(cancellationToken).ConfigureAwait(false);

        await using (var connection = await Db.OpenAsync(dataSource, cancellationToken).ConfigureAwait(false))
        {
            var occupied = await FirstOccupiedTableAsync(connection, cancellationToken).ConfigureAwait(false);
            if (occupied is not null && !options.Reset)
            {
                throw new StorageException(StorageError.AlreadySeeded,
                    $"the database already holds data (table {occupied} is not empty); use --reset to empty every BitCurrent table and seed again");
            }
            if (occupied is not null)
                await Db.ExecuteAsync(connection, $"TRUNCATE {string.Join(", ", DataTables)} RESTART IDENTITY CASCADE", cancellationToken).ConfigureAwait(false);
        }

        var scenario = DemoScenario.Build(options.WithDiscrepancies);
        var engine = scenario.Exchange.Engine;
        engine.Audit();
        var projection = await new LedgerProjection(dataSource, scenario.Exchange.Assets).CatchUpAsync(engine, cancellationToken).ConfigureAwait(false);
        await WriteRecordsAsync(dataSource, scenario, cancellationToken).ConfigureAwait(false);

        var custody = new List<string>();
        foreach (var asset in scenario.Exchange.Assets.Assets)
            custody.Add($"{asset.Code} {asset.Format((UInt128)scenario.Exchange.GetCustodyBalance(asset))}");
        return new DemoSeedSummary(scenario.Users.Count, scenario.Deposits.Count, scenario.Withdrawals.Count, scenario.Orders.Count,
            scenario.Trades.Count, scenario.Wallets.Count, scenario.SecurityEvents.Count, projection, custody,
            engine.ComputeStateHash().ToString(), options.WithDiscrepancies ? PlantedDiscrepancies : []);
    }

    private static async Task<string?> FirstOccupiedTableAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        foreach (var table in DataTables)
        {
            if (table is "currencies" or "reconciliation_runs" or "projection_checkpoints") continue;
            if (await Db.ScalarAsync<bool>(connection, $"SELECT EXISTS (SELECT 1 FROM {table})", cancellationToken).ConfigureAwait(false))
                return table;
        }
        return null;
    }

    private static async Task WriteRecordsAsync(NpgsqlDataSource dataSource, DemoScenario s, CancellationToken cancellationToken)
    {
        await using var connection = await Db.OpenAsync(dataSource, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var u in s.Users)
            Add(batch, "INSERT INTO users (id, email, display_name, registered_at) VALUES ($1, $2, $3, $4)", u.Id, u.Email, u.DisplayName, u.RegisteredAt);
        foreach (var o in s.Orders)
        {
            Add(batch, "INSERT INTO orders (id, user_id, symbol, side, type, price, quantity, filled_quantity, status, created_at, updated_at) VALUES ($1, $2, $3, $4, 'limit', $5, $6, $7, $8, $9, $10)",
                o.Id, o.UserId, o.Symbol, o.Side, Codec.Numeric(o.Price), Codec.Numeric(o.Quantity), Codec.Numeric(o.Filled), o.Status, o.CreatedAt, o.UpdatedAt);
        }
        foreach (var t in s.Trades)
        {
            Add(batch, """
                INSERT INTO trades (id, symbol, base_currency, quote_currency, price, base_amount, quote_amount, maker_order_id, taker_order_id,
                    maker_user_id, taker_user_id, taker_side, maker_fee, maker_fee_currency, taker_fee, taker_fee_currency, executed_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
                """,
                t.Id, t.Symbol, t.BaseCurrency, t.QuoteCurrency, Codec.Numeric(t.Price), Codec.Numeric(t.BaseAmount), Codec.Numeric(t.QuoteAmount),
                t.MakerOrderId, t.TakerOrderId, t.MakerUserId, t.TakerUserId, t.TakerSide, Codec.Numeric(t.MakerFee), t.MakerFeeCurrency,
                Codec.Numeric(t.TakerFee), t.TakerFeeCurrency, t.ExecutedAt);
        }
        foreach (var d in s.Deposits)
        {
            Add(batch, """
                INSERT INTO deposits (id, user_id, currency, amount, status, txid, output_index, address, confirmations, confirmations_required, created_at, credited_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                """,
                d.Id, d.UserId, d.Currency, Codec.Numeric(d.Amount), d.Status, d.Txid, d.OutputIndex, d.Address, d.Confirmations, d.ConfirmationsRequired,
                d.CreatedAt, d.CreditedAt is { } at ? at : DBNull.Value);
        }
        foreach (var w in s.Withdrawals)
        {
            Add(batch, """
                INSERT INTO withdrawals (id, user_id, currency, amount, fee, address, status, txid, created_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                """,
                w.Id, w.UserId, w.Currency, Codec.Numeric(w.Amount), Codec.Numeric(w.Fee), w.Address, w.Status, w.Txid is { } txid ? txid : DBNull.Value,
                w.CreatedAt, w.UpdatedAt);
        }
        foreach (var w in s.Wallets)
            Add(batch, "INSERT INTO wallets (id, currency, kind, address, balance) VALUES ($1, $2, $3, $4, $5)", w.Id, w.Currency, w.Kind, w.Address, Codec.Numeric(w.Balance));
        foreach (var e in s.SecurityEvents)
        {
            Add(batch, "INSERT INTO security_events (event_type, user_id, ip_address, user_agent, created_at) VALUES ($1, $2, $3::inet, $4, now() - make_interval(mins => $5))",
                e.EventType, e.UserId is { } user ? user : DBNull.Value, e.IpAddress, e.UserAgent, e.MinutesAgo);
        }
        AdjustmentStore.AddDesk(batch, s.Desk);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Add(NpgsqlBatch batch, string sql, params object[] values) => batch.BatchCommands.Add(Db.BatchCommand(sql, values));
}
