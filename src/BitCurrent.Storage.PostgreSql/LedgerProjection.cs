using System.Globalization;
using BitCurrent.Ledger;
using BitCurrent.Storage.PostgreSql.Internal;
using Npgsql;
using NpgsqlTypes;

namespace BitCurrent.Storage.PostgreSql;

/// <summary>Options of a <see cref="LedgerProjection"/>.</summary>
public sealed record LedgerProjectionOptions
{
    /// <summary>Most transfers written in one transaction (one binary COPY and one insert). Default 50 000.</summary>
    public int TransfersPerTransactionMax { get; init; } = 50_000;
}

/// <summary>What a projection call wrote.</summary>
/// <param name="TransfersReceived">Transfers passed in.</param>
/// <param name="TransfersInserted">Transfers that were new (the others were already projected and changed nothing).</param>
/// <param name="EntriesInserted">Rows added to <c>ledger_entries</c>.</param>
/// <param name="AccountsWritten">Account rows inserted or updated (by <see cref="LedgerProjection.CatchUpAsync"/>).</param>
/// <param name="LastTimestamp">The checkpoint after the call: every transfer up to this ledger timestamp is projected.</param>
public readonly record struct ProjectionResult(int TransfersReceived, int TransfersInserted, long EntriesInserted, int AccountsWritten, ulong LastTimestamp);

/// <summary>A row of <c>projection_checkpoints</c>.</summary>
/// <param name="Name">The projection's name.</param>
/// <param name="LastTimestamp">Every transfer up to this ledger timestamp is projected.</param>
/// <param name="TransferCount">Transfers inserted by this projection so far.</param>
/// <param name="StateHash">The engine's state hash at the last <see cref="LedgerProjection.CatchUpAsync"/> (null after a bare <see cref="LedgerProjection.ProjectAsync"/>).</param>
/// <param name="UpdatedAt">When the checkpoint last moved.</param>
public sealed record ProjectionCheckpoint(string Name, ulong LastTimestamp, long TransferCount, string? StateHash, DateTimeOffset UpdatedAt);

/// <summary>
/// Projects the ledger into PostgreSQL: the <c>accounts</c> and <c>transfers</c> tables mirror the engine's 128-byte
/// records, and every posted transfer adds its entries to <c>ledger_entries</c> (currency from the asset registry,
/// reference_type and reference_id from the flow code and user data). Batched and idempotent, one transaction per
/// batch, with a high-water mark: the checkpoint row (<c>projection_checkpoints</c>, locked for the transaction) holds
/// the largest timestamp projected, so transfers after it are new and go straight in by binary COPY (transfers and
/// their entries), while transfers at or before it (a retry, a re-projection, out-of-order input) go through a
/// staging table and <c>INSERT ... ON CONFLICT (id) DO NOTHING</c>, with entries only for the rows that were new.
/// Projecting the same transfers again therefore changes nothing, and a crash between batches loses nothing a retry
/// does not repair.
/// </summary>
/// <remarks>
/// One projection per database (the checkpoint is named <see cref="CheckpointName"/>); concurrent callers are
/// serialised by the checkpoint's row lock. A transfer id already stored with a different body is refused with
/// <see cref="StorageError.ProjectionConflict"/>.
/// </remarks>
public sealed class LedgerProjection
{
    /// <summary>The name of the projection's row in <c>projection_checkpoints</c>.</summary>
    public const string CheckpointName = "ledger";

    private const string StageTransfers = "bitcurrent_stage_transfers";

    private const string CopyTransfersDirectSql = """
        COPY transfers (id, debit_account_id, credit_account_id, amount, pending_id, user_data_128, user_data_64,
            user_data_32, timeout, ledger, code, flags, "timestamp") FROM STDIN (FORMAT BINARY)
        """;

    private const string CopyEntriesDirectSql = """
        COPY ledger_entries (transfer_id, direction, account_id, account_kind, user_id, currency, amount, reference_type,
            reference_id, flow_code, "timestamp") FROM STDIN (FORMAT BINARY)
        """;

    private const string CreateCheckpointSql =
        "INSERT INTO projection_checkpoints (name, last_timestamp) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING";

    private const string LockCheckpointSql = "SELECT last_timestamp FROM projection_checkpoints WHERE name = $1 FOR UPDATE";
    private const string StageAccounts = "bitcurrent_stage_accounts";

    private static readonly string CreateStageTransfersSql = $"""
        CREATE TEMP TABLE IF NOT EXISTS {StageTransfers} (
            id bytea, debit_account_id bytea, credit_account_id bytea, amount numeric, pending_id bytea,
            user_data_128 numeric, user_data_64 numeric, user_data_32 bigint, timeout bigint, ledger bigint,
            code integer, flags integer, "timestamp" bigint,
            posted boolean, currency text, reference_type text, reference_id numeric, flow_code text,
            debit_kind text, debit_user_id numeric, credit_kind text, credit_user_id numeric
        ) ON COMMIT DELETE ROWS
        """;

    private static readonly string CopyTransfersSql = $"""
        COPY {StageTransfers} (id, debit_account_id, credit_account_id, amount, pending_id, user_data_128, user_data_64,
            user_data_32, timeout, ledger, code, flags, "timestamp", posted, currency, reference_type, reference_id, flow_code,
            debit_kind, debit_user_id, credit_kind, credit_user_id) FROM STDIN (FORMAT BINARY)
        """;

    private static readonly string InsertTransfersSql = $"""
        WITH inserted AS (
            INSERT INTO transfers (id, debit_account_id, credit_account_id, amount, pending_id, user_data_128, user_data_64,
                user_data_32, timeout, ledger, code, flags, "timestamp")
            SELECT id, debit_account_id, credit_account_id, amount, pending_id, user_data_128, user_data_64,
                user_data_32, timeout, ledger, code, flags, "timestamp"
            FROM {StageTransfers}
            ON CONFLICT (id) DO NOTHING
            RETURNING id
        ), entries AS (
            INSERT INTO ledger_entries (transfer_id, direction, account_id, account_kind, user_id, currency, amount,
                reference_type, reference_id, flow_code, "timestamp")
            SELECT s.id, e.direction, e.account_id, e.account_kind, e.user_id, s.currency, e.amount,
                s.reference_type, s.reference_id, s.flow_code, s."timestamp"
            FROM {StageTransfers} s
            JOIN inserted i ON i.id = s.id
            CROSS JOIN LATERAL (VALUES
                ('debit', s.debit_account_id, s.debit_kind, s.debit_user_id, -s.amount),
                ('credit', s.credit_account_id, s.credit_kind, s.credit_user_id, s.amount)
            ) AS e (direction, account_id, account_kind, user_id, amount)
            WHERE s.posted AND s.amount > 0 AND e.account_kind <> 'custody'
            ON CONFLICT (transfer_id, direction) DO NOTHING
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM entries)
        """;

    private static readonly string ConflictingTransfersSql = $"""
        SELECT encode(s.id, 'hex') FROM {StageTransfers} s JOIN transfers t ON t.id = s.id
        WHERE (t.debit_account_id, t.credit_account_id, t.amount, t.pending_id, t.user_data_128, t.user_data_64,
               t.user_data_32, t.timeout, t.ledger, t.code, t.flags, t."timestamp")
            IS DISTINCT FROM
              (s.debit_account_id, s.credit_account_id, s.amount, s.pending_id, s.user_data_128, s.user_data_64,
               s.user_data_32, s.timeout, s.ledger, s.code, s.flags, s."timestamp")
        LIMIT 1
        """;

    private static readonly string CreateStageAccountsSql = $"""
        CREATE TEMP TABLE IF NOT EXISTS {StageAccounts} (
            id bytea, debits_pending numeric, debits_posted numeric, credits_pending numeric, credits_posted numeric,
            user_data_128 numeric, user_data_64 numeric, user_data_32 bigint, ledger bigint, code integer, flags integer,
            "timestamp" bigint, kind text, user_id numeric, currency text
        ) ON COMMIT DELETE ROWS
        """;

    private static readonly string CopyAccountsSql = $"""
        COPY {StageAccounts} (id, debits_pending, debits_posted, credits_pending, credits_posted, user_data_128,
            user_data_64, user_data_32, ledger, code, flags, "timestamp", kind, user_id, currency) FROM STDIN (FORMAT BINARY)
        """;

    private static readonly string ConflictingAccountsSql = $"""
        SELECT encode(s.id, 'hex') FROM {StageAccounts} s JOIN accounts a ON a.id = s.id
        WHERE (a.user_data_128, a.user_data_64, a.user_data_32, a.ledger, a.code, a."timestamp")
            IS DISTINCT FROM (s.user_data_128, s.user_data_64, s.user_data_32, s.ledger, s.code, s."timestamp")
        LIMIT 1
        """;

    private static readonly string UpsertAccountsSql = $"""
        INSERT INTO accounts (id, debits_pending, debits_posted, credits_pending, credits_posted, user_data_128,
            user_data_64, user_data_32, ledger, code, flags, "timestamp", kind, user_id, currency)
        SELECT id, debits_pending, debits_posted, credits_pending, credits_posted, user_data_128,
            user_data_64, user_data_32, ledger, code, flags, "timestamp", kind, user_id, currency
        FROM {StageAccounts}
        ON CONFLICT (id) DO UPDATE SET
            debits_pending = EXCLUDED.debits_pending, debits_posted = EXCLUDED.debits_posted,
            credits_pending = EXCLUDED.credits_pending, credits_posted = EXCLUDED.credits_posted, flags = EXCLUDED.flags
        WHERE (accounts.debits_pending, accounts.debits_posted, accounts.credits_pending, accounts.credits_posted, accounts.flags)
            IS DISTINCT FROM (EXCLUDED.debits_pending, EXCLUDED.debits_posted, EXCLUDED.credits_pending, EXCLUDED.credits_posted, EXCLUDED.flags)
        """;

    private const string AdvanceCheckpointSql = """
        UPDATE projection_checkpoints SET
            last_timestamp = GREATEST(last_timestamp, $2),
            transfer_count = transfer_count + $3,
            state_hash = CASE WHEN $3 > 0 OR $2 > last_timestamp THEN NULL ELSE state_hash END,
            updated_at = now()
        WHERE name = $1
        RETURNING last_timestamp
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly AssetRegistry _assets;
    private readonly LedgerProjectionOptions _options;
    private bool _assetsRegistered;

    /// <summary>Creates a projection into a database migrated to the latest schema.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="assets">The asset registry: every ledger a transfer names must be in it (its code is the currency).</param>
    /// <param name="options">Batch size and checkpoint name; null for the defaults.</param>
    public LedgerProjection(NpgsqlDataSource dataSource, AssetRegistry assets, LedgerProjectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(assets);
        _dataSource = dataSource;
        _assets = assets;
        _options = options ?? new LedgerProjectionOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.TransfersPerTransactionMax, 1, nameof(options));
    }

    /// <summary>
    /// Writes the asset registry into <c>currencies</c> (idempotent). The projection does it before its first write;
    /// a registry that disagrees with the table (same code or ledger, other definition) is refused.
    /// </summary>
    /// <exception cref="StorageException"><see cref="StorageError.CurrencyConflict"/>.</exception>
    public async Task RegisterAssetsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await Db.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var asset in _assets.Assets)
        {
            var insert = new NpgsqlBatchCommand("INSERT INTO currencies (code, ledger, scale) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
            insert.Parameters.Add(new NpgsqlParameter { Value = asset.Code });
            insert.Parameters.Add(new NpgsqlParameter { Value = (long)asset.Ledger });
            insert.Parameters.Add(new NpgsqlParameter { Value = (short)asset.Scale });
            batch.BatchCommands.Add(insert);
        }
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        var stored = await ExchangeRecords.LoadAssetsAsync(connection, cancellationToken).ConfigureAwait(false);
        foreach (var asset in _assets.Assets)
        {
            var byCode = stored.TryGetByCode(asset.Code, out var a) ? a : null;
            var byLedger = stored.TryGetByLedger(asset.Ledger, out var b) ? b : null;
            if (byCode != asset || byLedger != asset)
            {
                var other = byCode is not null && byCode != asset ? byCode : byLedger;
                throw new StorageException(StorageError.CurrencyConflict, string.Create(CultureInfo.InvariantCulture,
                    $"the asset registry defines {asset.Code} as ledger {asset.Ledger}, scale {asset.Scale}, but the currencies table has {other?.Code} as ledger {other?.Ledger}, scale {other?.Scale}"));
            }
        }
        _assetsRegistered = true;
    }

    /// <summary>
    /// Projects transfers (any order; normally a timestamp-ordered range from <see cref="LedgerEngine.QueryTransfers"/>):
    /// inserts the new ones into <c>transfers</c>, their entries into <c>ledger_entries</c>, and advances the checkpoint
    /// to the largest timestamp seen, one transaction per <see cref="LedgerProjectionOptions.TransfersPerTransactionMax"/>
    /// transfers. Transfers already projected are skipped, so projecting a range twice changes nothing.
    /// </summary>
    /// <exception cref="StorageException">
    /// <see cref="StorageError.LedgerNotRegistered"/>, <see cref="StorageError.TimestampOutOfRange"/>,
    /// <see cref="StorageError.ProjectionConflict"/>, <see cref="StorageError.ConnectionFailed"/>.
    /// </exception>
    public async Task<ProjectionResult> ProjectAsync(ReadOnlyMemory<Transfer> transfers, CancellationToken cancellationToken = default)
    {
        if (!_assetsRegistered) await RegisterAssetsAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await Db.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        if (transfers.IsEmpty)
        {
            var current = await ReadCheckpointAsync(connection, CheckpointName, cancellationToken).ConfigureAwait(false);
            return new ProjectionResult(0, 0, 0, 0, current?.LastTimestamp ?? 0);
        }
        var inserted = 0;
        var entries = 0L;
        var checkpoint = 0UL;
        for (var start = 0; start < transfers.Length; start += _options.TransfersPerTransactionMax)
        {
            var chunk = transfers.Slice(start, Math.Min(_options.TransfersPerTransactionMax, transfers.Length - start));
            var (i, e, c) = await ProjectChunkAsync(connection, chunk, cancellationToken).ConfigureAwait(false);
            inserted += i;
            entries += e;
            checkpoint = c;
        }
        return new ProjectionResult(transfers.Length, inserted, entries, 0, checkpoint);
    }

    /// <summary>
    /// Inserts or updates account rows (balances and flags change; the other fields are immutable). Idempotent.
    /// </summary>
    /// <returns>The number of rows inserted or changed.</returns>
    /// <exception cref="StorageException"><see cref="StorageError.ProjectionConflict"/> and the errors of <see cref="ProjectAsync"/>.</exception>
    public async Task<int> ProjectAccountsAsync(ReadOnlyMemory<Account> accounts, CancellationToken cancellationToken = default)
    {
        if (!_assetsRegistered) await RegisterAssetsAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await Db.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await Db.ExecuteAsync(connection, CreateStageAccountsSql, cancellationToken, transaction).ConfigureAwait(false);
        var id = new byte[Codec.IdSize];
        await using (var importer = await connection.BeginBinaryImportAsync(CopyAccountsSql, cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < accounts.Length; i++)
            {
                var a = accounts.Span[i];
                var currency = CurrencyOf(a.Ledger);
                var kind = EntryClassifier.AccountKind(a.Id, out var userId);
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                Codec.WriteId(a.Id, id);
                await importer.WriteAsync(id, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                await Codec.WriteNumericAsync(importer, a.DebitsPending, cancellationToken).ConfigureAwait(false);
                await Codec.WriteNumericAsync(importer, a.DebitsPosted, cancellationToken).ConfigureAwait(false);
                await Codec.WriteNumericAsync(importer, a.CreditsPending, cancellationToken).ConfigureAwait(false);
                await Codec.WriteNumericAsync(importer, a.CreditsPosted, cancellationToken).ConfigureAwait(false);
                await Codec.WriteNumericAsync(importer, a.UserData128, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync((decimal)a.UserData64, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync((long)a.UserData32, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync((long)a.Ledger, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync((int)a.Code, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync((int)a.Flags, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(Codec.Timestamp(a.Timestamp), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(kind, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                if (userId is { } user) await importer.WriteAsync((decimal)user, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                else await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(currency, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            }
            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        var conflict = await ScalarOrNullAsync(connection, ConflictingAccountsSql, transaction, cancellationToken).ConfigureAwait(false);
        if (conflict is not null)
        {
            throw new StorageException(StorageError.ProjectionConflict,
                $"account {conflict} is already stored with different fields: this database holds another ledger's projection");
        }
        var written = await Db.ExecuteAsync(connection, UpsertAccountsSql, cancellationToken, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return written;
    }

    /// <summary>
    /// Brings the database up to date with an engine: every account (balances as of now), every transfer after the
    /// checkpoint (in batches, by <see cref="LedgerEngine.QueryTransfers"/> with a minimum timestamp), then the
    /// checkpoint itself moves to <see cref="LedgerEngine.LastTimestamp"/> with the engine's state hash.
    /// </summary>
    /// <exception cref="StorageException">
    /// <see cref="StorageError.ProjectionAhead"/> when the checkpoint is later than the engine's last timestamp, and
    /// the errors of <see cref="ProjectAsync"/>.
    /// </exception>
    public async Task<ProjectionResult> CatchUpAsync(LedgerEngine engine, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var checkpoint = await GetCheckpointAsync(cancellationToken).ConfigureAwait(false);
        var from = checkpoint?.LastTimestamp ?? 0;
        if (from > engine.LastTimestamp)
        {
            throw new StorageException(StorageError.ProjectionAhead, string.Create(CultureInfo.InvariantCulture,
                $"the projection's checkpoint is at ledger timestamp {from}, after the engine's last timestamp {engine.LastTimestamp}: this database was fed by another ledger"));
        }

        var accounts = new Account[engine.AccountCount];
        var accountCount = engine.QueryAccounts(new QueryFilter(), accounts);
        var accountsWritten = await ProjectAccountsAsync(accounts.AsMemory(0, accountCount), cancellationToken).ConfigureAwait(false);

        var buffer = new Transfer[Math.Min(_options.TransfersPerTransactionMax, Math.Max(1, engine.TransferCount))];
        var received = 0;
        var inserted = 0;
        var entries = 0L;
        var next = from + 1;
        while (true)
        {
            var n = engine.QueryTransfers(new QueryFilter { TimestampMin = next, Limit = buffer.Length }, buffer);
            if (n == 0) break;
            var result = await ProjectAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            received += n;
            inserted += result.TransfersInserted;
            entries += result.EntriesInserted;
            next = buffer[n - 1].Timestamp + 1;
            if (n < buffer.Length) break;
        }

        await using (var connection = await Db.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false))
        await using (var command = new NpgsqlCommand("""
            INSERT INTO projection_checkpoints AS c (name, last_timestamp, transfer_count, state_hash, updated_at) VALUES ($1, $2, 0, $3, now())
            ON CONFLICT (name) DO UPDATE SET last_timestamp = EXCLUDED.last_timestamp, state_hash = EXCLUDED.state_hash, updated_at = now()
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = CheckpointName });
            command.Parameters.Add(new NpgsqlParameter { Value = Codec.Timestamp(engine.LastTimestamp) });
            command.Parameters.Add(new NpgsqlParameter { Value = engine.ComputeStateHash().ToString() });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return new ProjectionResult(received, inserted, entries, accountsWritten, engine.LastTimestamp);
    }

    /// <summary>The projection's checkpoint, or null before its first write.</summary>
    public async Task<ProjectionCheckpoint?> GetCheckpointAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await Db.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        return await ReadCheckpointAsync(connection, CheckpointName, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<ProjectionCheckpoint?> ReadCheckpointAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT name, last_timestamp, transfer_count, state_hash, updated_at FROM projection_checkpoints WHERE name = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return new ProjectionCheckpoint(reader.GetString(0), (ulong)reader.GetInt64(1), reader.GetInt64(2),
            reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4));
    }

    private async Task<(int Inserted, long Entries, ulong Checkpoint)> ProjectChunkAsync(NpgsqlConnection connection, ReadOnlyMemory<Transfer> chunk,
        CancellationToken cancellationToken)
    {
        // Check every transfer before anything is written: a refused batch writes nothing.
        var maxTimestamp = 0UL;
        foreach (var t in chunk.Span)
        {
            CurrencyOf(t.Ledger);
            Codec.Timestamp(t.Timestamp);
            if (t.Timestamp == 0)
            {
                throw new StorageException(StorageError.TimestampOutOfRange,
                    $"transfer {t.Id} has timestamp 0: only transfers as the engine stores them (timestamp assigned) can be projected");
            }
            if (t.Timestamp > maxTimestamp) maxTimestamp = t.Timestamp;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        ulong highWater;
        await using (var createCheckpoint = new NpgsqlCommand(CreateCheckpointSql, connection, transaction))
        {
            createCheckpoint.Parameters.Add(new NpgsqlParameter { Value = CheckpointName });
            await createCheckpoint.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var lockCheckpoint = new NpgsqlCommand(LockCheckpointSql, connection, transaction))
        {
            lockCheckpoint.Parameters.Add(new NpgsqlParameter { Value = CheckpointName });
            highWater = (ulong)(long)(await lockCheckpoint.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        // Fast path: every transfer is after the high-water mark and in strictly increasing timestamp order (so none is
        // stored yet and none repeats): COPY straight into the tables. Otherwise the staging path sorts it out.
        var fresh = true;
        var previous = highWater;
        foreach (var t in chunk.Span)
        {
            if (t.Timestamp <= previous)
            {
                fresh = false;
                break;
            }
            previous = t.Timestamp;
        }

        long inserted;
        long entries;
        if (fresh)
        {
            try
            {
                entries = await CopyDirectAsync(connection, chunk, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new StorageException(StorageError.ProjectionConflict,
                    $"a transfer after the projection's checkpoint ({highWater}) is already stored ({e.ConstraintName}): rows were written outside the projection", e);
            }
            inserted = chunk.Length;
        }
        else
        {
            try
            {
                (inserted, entries) = await StageAndMergeAsync(connection, transaction, chunk, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new StorageException(StorageError.ProjectionConflict,
                    $"two different transfers would share a timestamp ({e.ConstraintName}: {e.Detail}): this database holds another ledger's projection", e);
            }
        }

        ulong checkpoint;
        await using (var advance = new NpgsqlCommand(AdvanceCheckpointSql, connection, transaction))
        {
            advance.Parameters.Add(new NpgsqlParameter { Value = CheckpointName });
            advance.Parameters.Add(new NpgsqlParameter { Value = (long)maxTimestamp });
            advance.Parameters.Add(new NpgsqlParameter { Value = inserted });
            checkpoint = (ulong)(long)(await advance.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ((int)inserted, entries, checkpoint);
    }

    /// <summary>Binary COPY of new transfers into <c>transfers</c>, then of their entries into <c>ledger_entries</c>.</summary>
    private async Task<long> CopyDirectAsync(NpgsqlConnection connection, ReadOnlyMemory<Transfer> chunk, CancellationToken cancellationToken)
    {
        // Scratch buffers for the bytea ids: each write copies into the COPY buffer before it returns.
        var id = new byte[Codec.IdSize];
        var debit = new byte[Codec.IdSize];
        var credit = new byte[Codec.IdSize];
        var pending = new byte[Codec.IdSize];
        await using (var importer = await connection.BeginBinaryImportAsync(CopyTransfersDirectSql, cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < chunk.Length; i++)
            {
                var t = chunk.Span[i];
                Codec.WriteId(t.Id, id);
                Codec.WriteId(t.DebitAccountId, debit);
                Codec.WriteId(t.CreditAccountId, credit);
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await WriteTransferColumnsAsync(importer, t, id, debit, credit, pending, cancellationToken).ConfigureAwait(false);
            }
            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        var entries = 0L;
        var account = new byte[Codec.IdSize];
        await using (var importer = await connection.BeginBinaryImportAsync(CopyEntriesDirectSql, cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < chunk.Length; i++)
            {
                var t = chunk.Span[i];
                if (!EntryClassifier.IsPosted(in t) || t.Amount == UInt128.Zero) continue;
                Codec.WriteId(t.Id, id);
                var currency = CurrencyOf(t.Ledger);
                var referenceType = EntryClassifier.ReferenceType(in t);
                var referenceId = EntryClassifier.ReferenceId(in t);
                var flow = EntryClassifier.FlowName(in t);
                for (var leg = 0; leg < 2; leg++)
                {
                    var accountId = leg == 0 ? t.DebitAccountId : t.CreditAccountId;
                    var kind = EntryClassifier.AccountKind(accountId, out var userId);
                    if (kind == EntryClassifier.Custody) continue;
                    Codec.WriteId(accountId, account);
                    await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(id, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(leg == 0 ? "debit" : "credit", NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(account, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(kind, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    if (userId is { } user) await importer.WriteAsync((decimal)user, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                    else await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(currency, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    if (leg == 0) await Codec.WriteNegatedNumericAsync(importer, t.Amount, cancellationToken).ConfigureAwait(false);
                    else await Codec.WriteNumericAsync(importer, t.Amount, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(referenceType, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await Codec.WriteNumericAsync(importer, referenceId, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(flow, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync((long)t.Timestamp, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                    entries++;
                }
            }
            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        return entries;
    }

    /// <summary>The thirteen columns of a transfer row, in the order of <c>transfers</c> and of the staging table.</summary>
    private static async Task WriteTransferColumnsAsync(NpgsqlBinaryImporter importer, Transfer t, byte[] id, byte[] debit, byte[] credit, byte[] pending,
        CancellationToken cancellationToken)
    {
        await importer.WriteAsync(id, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(debit, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(credit, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
        await Codec.WriteNumericAsync(importer, t.Amount, cancellationToken).ConfigureAwait(false);
        if (t.PendingId == UInt128.Zero)
        {
            await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            Codec.WriteId(t.PendingId, pending);
            await importer.WriteAsync(pending, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
        }
        await Codec.WriteNumericAsync(importer, t.UserData128, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync((decimal)t.UserData64, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync((long)t.UserData32, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync((long)t.TimeoutSeconds, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync((long)t.Ledger, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync((int)t.Code, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync((int)t.Flags, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync((long)t.Timestamp, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The general path: binary COPY into a staging table, insert the transfers that are not stored yet, derive entries
    /// from exactly those, and refuse a stored id whose body differs.
    /// </summary>
    private async Task<(long Inserted, long Entries)> StageAndMergeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        ReadOnlyMemory<Transfer> chunk, CancellationToken cancellationToken)
    {
        await Db.ExecuteAsync(connection, CreateStageTransfersSql, cancellationToken, transaction).ConfigureAwait(false);
        var id = new byte[Codec.IdSize];
        var debit = new byte[Codec.IdSize];
        var credit = new byte[Codec.IdSize];
        var pending = new byte[Codec.IdSize];
        await using (var importer = await connection.BeginBinaryImportAsync(CopyTransfersSql, cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < chunk.Length; i++)
            {
                var t = chunk.Span[i];
                var debitKind = EntryClassifier.AccountKind(t.DebitAccountId, out var debitUser);
                var creditKind = EntryClassifier.AccountKind(t.CreditAccountId, out var creditUser);
                Codec.WriteId(t.Id, id);
                Codec.WriteId(t.DebitAccountId, debit);
                Codec.WriteId(t.CreditAccountId, credit);
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await WriteTransferColumnsAsync(importer, t, id, debit, credit, pending, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(EntryClassifier.IsPosted(in t), NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(CurrencyOf(t.Ledger), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(EntryClassifier.ReferenceType(in t), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await Codec.WriteNumericAsync(importer, EntryClassifier.ReferenceId(in t), cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(EntryClassifier.FlowName(in t), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(debitKind, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                if (debitUser is { } du) await importer.WriteAsync((decimal)du, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                else await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(creditKind, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                if (creditUser is { } cu) await importer.WriteAsync((decimal)cu, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                else await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
            }
            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        long inserted;
        long entries;
        await using (var command = new NpgsqlCommand(InsertTransfersSql, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            inserted = reader.GetInt64(0);
            entries = reader.GetInt64(1);
        }
        if (inserted < chunk.Length)
        {
            var conflict = await ScalarOrNullAsync(connection, ConflictingTransfersSql, transaction, cancellationToken).ConfigureAwait(false);
            if (conflict is not null)
            {
                throw new StorageException(StorageError.ProjectionConflict,
                    $"transfer {conflict} is already stored with a different body: this database holds another ledger's projection");
            }
        }
        return (inserted, entries);
    }

    private string CurrencyOf(uint ledger)
    {
        if (_assets.TryGetByLedger(ledger, out var asset)) return asset.Code;
        throw new StorageException(StorageError.LedgerNotRegistered, string.Create(CultureInfo.InvariantCulture,
            $"ledger {ledger} is not in the asset registry, so its transfers have no currency; register the asset first"));
    }

    private static async Task<string?> ScalarOrNullAsync(NpgsqlConnection connection, string sql, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }
}
