using System.Globalization;
using BitCurrent.Ledger;
using BitCurrent.Storage.PostgreSql.Internal;
using Npgsql;
using NpgsqlTypes;

namespace BitCurrent.Storage.PostgreSql;

/// <summary>The outcome of one maker-checker call on the <see cref="AdjustmentStore"/>.</summary>
/// <param name="Result">The desk's result (<see cref="AdjustmentResult.Ok"/> or the numbered refusal, 46xx).</param>
/// <param name="TransferResult">The ledger's result for the adjusting transfer, when an approval reached the ledger.</param>
/// <param name="Record">The proposal as stored after the call (null when no proposal has the id).</param>
/// <param name="Recovered">
/// True when an approval found its transfer already in the ledger (an earlier approval was interrupted after the transfer
/// was projected and before the decision was stored) and only recorded the decision: nothing was applied twice.
/// </param>
public sealed record AdjustmentCallResult(AdjustmentResult Result, CreateTransferResult TransferResult, AdjustmentRecord? Record, bool Recovered = false)
{
    /// <summary>True when the call did what it asked.</summary>
    public bool IsOk => Result == AdjustmentResult.Ok;
}

/// <summary>
/// The maker-checker desk of the runbook's "fix discrepancies (with approval)" step, kept in PostgreSQL: proposals in
/// <c>adjustments</c>, every call (refusals included) in <c>adjustment_audit</c>, and an approved proposal's transfer
/// in <c>transfers</c> and <c>ledger_entries</c>, where <c>bitcurrent reconcile</c> sees it.
/// </summary>
/// <remarks>
/// <para>Each call takes a transaction-scoped advisory lock (so calls run one at a time across processes), rebuilds the
/// ledger from the projected tables (<see cref="LedgerReplay"/>: O(accounts + transfers) per call, fine for operator
/// commands), and runs the ledger's own <see cref="AdjustmentDesk"/> over it, so the checks, result codes and audit
/// entries are exactly the core's: the proposer can never approve their own proposal, and nothing moves until a second
/// operator approves.</para>
/// <para>An approval applies one transfer to the rebuilt ledger at <c>max(clock, last timestamp + 1)</c>, projects it
/// (<see cref="LedgerProjection.CatchUpAsync"/>), then records the decision. If the process stops between the two, the
/// proposal still reads <c>proposed</c>; approving it again finds the transfer (its id derives from the proposal or
/// deposit id) and only records the decision, so an adjustment is never applied twice.</para>
/// <para>The database is the ledger of record here, as it is for <see cref="DemoSeeder"/> and
/// <see cref="ReconciliationRunner"/>. Operator ids are names that the database's own access control vouches for; the
/// store does not authenticate them.</para>
/// </remarks>
public sealed class AdjustmentStore
{
    /// <summary>The advisory lock key the calls serialise on (ASCII "BCADJUST").</summary>
    public const long LockKey = 0x4243_4144_4A55_5354;

    private const string InsertProposalSql = """
        INSERT INTO adjustments (proposal_id, currency, debit_account_id, credit_account_id, amount, reason, deposit_id, transfer_id,
                                 proposed_by, proposed_at, status, decided_by, decided_at, decision_note)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
        """;

    private const string InsertAuditSql = """
        INSERT INTO adjustment_audit (at, operator_id, action, proposal_id, result, transfer_result, detail)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        """;

    private const string SelectSql = """
        SELECT proposal_id, currency, debit_account_id, credit_account_id, amount, reason, deposit_id, transfer_id,
               proposed_by, proposed_at, status, decided_by, decided_at, decision_note
        FROM adjustments
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;

    /// <summary>Creates a store over a database migrated to the latest schema.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="timeProvider">The clock that timestamps calls (default: the system clock).</param>
    public AdjustmentStore(NpgsqlDataSource dataSource, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>One more than the largest proposal id stored (1 for an empty desk).</summary>
    public async Task<ulong> NextProposalIdAsync(CancellationToken cancellationToken = default)
    {
        await new SchemaMigrator(_dataSource).EnsureLatestAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await Db.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        var max = await Db.ScalarAsync<decimal>(connection, "SELECT coalesce(max(proposal_id), 0) FROM adjustments", cancellationToken).ConfigureAwait(false);
        return (ulong)max + 1;
    }

    /// <summary>
    /// Records a proposal by <paramref name="proposerId"/>. The proposal's asset is looked up by its code in the stored
    /// currencies; the accounts must exist in the ledger and be on that asset's ledger. Nothing moves.
    /// </summary>
    /// <exception cref="StorageException">The schema is not migrated, the ledger does not replay, or the connection fails.</exception>
    public async Task<AdjustmentCallResult> ProposeAsync(AdjustmentProposal proposal, string proposerId, CancellationToken cancellationToken = default)
    {
        await using var session = await Session.OpenAsync(this, cancellationToken).ConfigureAwait(false);
        var stored = await session.LoadAsync(proposal.ProposalId, cancellationToken).ConfigureAwait(false);
        var result = session.Desk.Propose(proposal, proposerId, Now(session.Ledger.Engine, applies: false));
        var record = stored;
        if (result == AdjustmentResult.Ok)
        {
            session.Desk.TryGet(proposal.ProposalId, out record);
            session.Add(InsertProposalSql, ProposalValues(record!));
        }
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new AdjustmentCallResult(result, CreateTransferResult.Ok, record);
    }

    /// <summary>
    /// Approves a proposal by <paramref name="approverId"/> (never its proposer) and applies its transfer to the ledger
    /// of record. When the ledger refuses the transfer the proposal stays open and the ledger's result is returned.
    /// </summary>
    /// <exception cref="StorageException">The schema is not migrated, the ledger does not replay, the projection fails, or the connection fails.</exception>
    public async Task<AdjustmentCallResult> ApproveAsync(ulong proposalId, string approverId, CancellationToken cancellationToken = default)
    {
        await using var session = await Session.OpenAsync(this, cancellationToken).ConfigureAwait(false);
        var stored = await session.LoadAsync(proposalId, cancellationToken).ConfigureAwait(false);
        var engine = session.Ledger.Engine;

        // An approval interrupted after its transfer was projected: the transfer is there, the decision is not.
        if (stored is { Status: AdjustmentStatus.Proposed } && engine.TryGetTransfer(stored.TransferId, out var applied) &&
            applied.UserData64 == proposalId && !string.IsNullOrWhiteSpace(approverId) && !SameOperator(stored.ProposedBy, approverId))
        {
            var decided = stored with { Status = AdjustmentStatus.Approved, DecidedBy = approverId.Trim(), DecidedAt = applied.Timestamp };
            session.Add("UPDATE adjustments SET status = 'approved', decided_by = $2, decided_at = $3 WHERE proposal_id = $1",
                (decimal)proposalId, decided.DecidedBy!, Codec.Timestamp(decided.DecidedAt));
            session.Add(InsertAuditSql, AuditValues(new AdjustmentAuditEntry(applied.Timestamp, decided.DecidedBy!, AdjustmentAction.Approved, proposalId,
                AdjustmentResult.Ok, CreateTransferResult.Ok, "recovered: the transfer was already in the ledger")));
            await session.CommitAsync(cancellationToken, writeDeskAudit: false).ConfigureAwait(false);
            return new AdjustmentCallResult(AdjustmentResult.Ok, CreateTransferResult.Ok, decided, Recovered: true);
        }

        var outcome = session.Desk.Approve(proposalId, approverId, Now(engine, applies: true));
        var record = stored;
        if (outcome.Result == AdjustmentResult.Ok)
        {
            session.Desk.TryGet(proposalId, out record);
            await new LedgerProjection(_dataSource, session.Ledger.Assets).CatchUpAsync(engine, cancellationToken).ConfigureAwait(false);
            session.Add("UPDATE adjustments SET status = 'approved', decided_by = $2, decided_at = $3 WHERE proposal_id = $1 AND status = 'proposed'",
                (decimal)proposalId, record!.DecidedBy!, Codec.Timestamp(record.DecidedAt));
        }
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new AdjustmentCallResult(outcome.Result, outcome.TransferResult, record);
    }

    /// <summary>Rejects (or, by its proposer, withdraws) an open proposal with a note. Nothing moves.</summary>
    /// <exception cref="StorageException">The schema is not migrated, the ledger does not replay, or the connection fails.</exception>
    public async Task<AdjustmentCallResult> RejectAsync(ulong proposalId, string operatorId, string note, CancellationToken cancellationToken = default)
    {
        await using var session = await Session.OpenAsync(this, cancellationToken).ConfigureAwait(false);
        var stored = await session.LoadAsync(proposalId, cancellationToken).ConfigureAwait(false);
        var result = session.Desk.Reject(proposalId, operatorId, note, Now(session.Ledger.Engine, applies: false));
        var record = stored;
        if (result == AdjustmentResult.Ok)
        {
            session.Desk.TryGet(proposalId, out record);
            session.Add("UPDATE adjustments SET status = 'rejected', decided_by = $2, decided_at = $3, decision_note = $4 WHERE proposal_id = $1 AND status = 'proposed'",
                (decimal)proposalId, record!.DecidedBy!, Codec.Timestamp(record.DecidedAt), record.DecisionNote!);
        }
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new AdjustmentCallResult(result, CreateTransferResult.Ok, record);
    }

    /// <summary>The stored proposals in id order, optionally only those with <paramref name="status"/>.</summary>
    /// <exception cref="StorageException">The schema is not migrated, a row is malformed, or the connection fails.</exception>
    public async Task<IReadOnlyList<AdjustmentRecord>> ListAsync(AdjustmentStatus? status = null, CancellationToken cancellationToken = default)
    {
        await new SchemaMigrator(_dataSource).EnsureLatestAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await Db.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        var assets = await ExchangeRecords.LoadAssetsAsync(connection, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(SelectSql + (status is null ? "" : " WHERE status = $1") + " ORDER BY proposal_id", connection);
        if (status is { } s) command.Parameters.Add(new NpgsqlParameter { Value = StatusWord(s) });
        return await ReadRecordsAsync(command, assets, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The audit trail in call order, optionally for one proposal only.</summary>
    /// <exception cref="StorageException">The schema is not migrated, a row is malformed, or the connection fails.</exception>
    public async Task<IReadOnlyList<AdjustmentAuditEntry>> GetAuditAsync(ulong? proposalId = null, CancellationToken cancellationToken = default)
    {
        await new SchemaMigrator(_dataSource).EnsureLatestAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await Db.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT at, operator_id, action, proposal_id, result, transfer_result, detail FROM adjustment_audit" +
            (proposalId is null ? "" : " WHERE proposal_id = $1") + " ORDER BY id", connection);
        if (proposalId is { } id) command.Parameters.Add(new NpgsqlParameter { Value = (decimal)id, NpgsqlDbType = NpgsqlDbType.Numeric });
        var entries = new List<AdjustmentAuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var action = reader.GetString(2) switch
            {
                "proposed" => AdjustmentAction.Proposed,
                "approved" => AdjustmentAction.Approved,
                "rejected" => AdjustmentAction.Rejected,
                "refused" => AdjustmentAction.Refused,
                var other => throw new StorageException(StorageError.RecordInvalid, $"adjustment_audit has an unknown action '{other}'"),
            };
            entries.Add(new AdjustmentAuditEntry((ulong)reader.GetInt64(0), reader.GetString(1), action, Codec.ReadUInt64(reader, 3, "adjustment_audit.proposal_id"),
                (AdjustmentResult)reader.GetInt32(4), (CreateTransferResult)reader.GetInt32(5), reader.GetString(6)));
        }
        return entries;
    }

    /// <summary>Adds the rows of a desk's proposals and audit trail to a batch (the demo seeder writes its desk this way).</summary>
    internal static void AddDesk(NpgsqlBatch batch, AdjustmentDesk desk)
    {
        foreach (var record in desk.Proposals) batch.BatchCommands.Add(Db.BatchCommand(InsertProposalSql, ProposalValues(record)));
        foreach (var entry in desk.AuditLog) batch.BatchCommands.Add(Db.BatchCommand(InsertAuditSql, AuditValues(entry)));
    }

    /// <summary>The word stored in <c>adjustments.status</c>.</summary>
    public static string StatusWord(AdjustmentStatus status) => status switch
    {
        AdjustmentStatus.Proposed => "proposed",
        AdjustmentStatus.Approved => "approved",
        AdjustmentStatus.Rejected => "rejected",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not an adjustment status"),
    };

    private ulong Now(LedgerEngine engine, bool applies)
    {
        var now = (ulong)Math.Max(0, (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks) * 100;
        // An approval is a ledger batch: its timestamp must exceed the ledger's last one (the engine's rule).
        return applies ? Math.Max(now, engine.LastTimestamp + 1) : Math.Max(now, 1);
    }

    private static bool SameOperator(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    private static object[] ProposalValues(AdjustmentRecord r)
    {
        var p = r.Proposal;
        return
        [
            (decimal)p.ProposalId, p.Asset.Code, Codec.IdBytes(p.DebitAccountId), Codec.IdBytes(p.CreditAccountId), Codec.Numeric(p.Amount), p.Reason,
            p.DepositId == 0 ? DBNull.Value : (object)(decimal)p.DepositId, Codec.IdBytes(r.TransferId), r.ProposedBy, Codec.Timestamp(r.ProposedAt),
            StatusWord(r.Status), (object?)r.DecidedBy ?? DBNull.Value, r.Status == AdjustmentStatus.Proposed ? DBNull.Value : (object)Codec.Timestamp(r.DecidedAt),
            (object?)r.DecisionNote ?? DBNull.Value,
        ];
    }

    private static object[] AuditValues(AdjustmentAuditEntry e) =>
    [
        Codec.Timestamp(e.Timestamp), e.OperatorId, e.Action.ToString().ToLowerInvariant(), (decimal)e.ProposalId, (int)e.Result,
        (int)e.TransferResult, e.Detail,
    ];

    private static async Task<List<AdjustmentRecord>> ReadRecordsAsync(NpgsqlCommand command, AssetRegistry assets, CancellationToken cancellationToken)
    {
        var records = new List<AdjustmentRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = Codec.ReadUInt64(reader, 0, "adjustments.proposal_id");
            var currency = reader.GetString(1);
            if (!assets.TryGetByCode(currency, out var asset))
                throw new StorageException(StorageError.RecordInvalid, string.Create(CultureInfo.InvariantCulture, $"adjustment {id} names currency {currency}, which the currencies table does not have"));
            var proposal = new AdjustmentProposal(id, asset, Codec.ReadId(reader.GetFieldValue<byte[]>(2)), Codec.ReadId(reader.GetFieldValue<byte[]>(3)),
                Codec.ReadUInt128(reader, 4, "adjustments.amount"), reader.GetString(5),
                reader.IsDBNull(6) ? 0 : Codec.ReadUInt64(reader, 6, "adjustments.deposit_id"));
            var status = reader.GetString(10) switch
            {
                "proposed" => AdjustmentStatus.Proposed,
                "approved" => AdjustmentStatus.Approved,
                "rejected" => AdjustmentStatus.Rejected,
                var other => throw new StorageException(StorageError.RecordInvalid, $"adjustment {id} has an unknown status '{other}'"),
            };
            records.Add(new AdjustmentRecord(proposal, reader.GetString(8), (ulong)reader.GetInt64(9), status,
                reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? 0 : (ulong)reader.GetInt64(12),
                reader.IsDBNull(13) ? null : reader.GetString(13), Codec.ReadId(reader.GetFieldValue<byte[]>(7))));
        }
        return records;
    }

    /// <summary>
    /// One call: a locked transaction, the rebuilt ledger, and a scratch desk holding at most the proposal concerned
    /// (loaded in its stored state); the desk's new audit entries are written at commit.
    /// </summary>
    private sealed class Session : IAsyncDisposable
    {
        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlTransaction _transaction;
        private readonly NpgsqlBatch _writes;
        private readonly AssetRegistry _assets;
        private int _auditStart;

        private Session(NpgsqlConnection connection, NpgsqlTransaction transaction, LedgerReplayResult replay, AssetRegistry assets)
        {
            _connection = connection;
            _transaction = transaction;
            _writes = new NpgsqlBatch(connection, transaction);
            _assets = assets;
            Ledger = replay.Ledger;
            Desk = new AdjustmentDesk(replay.Ledger);
        }

        public ExchangeLedger Ledger { get; }

        public AdjustmentDesk Desk { get; }

        public static async Task<Session> OpenAsync(AdjustmentStore store, CancellationToken cancellationToken)
        {
            await new SchemaMigrator(store._dataSource).EnsureLatestAsync(cancellationToken).ConfigureAwait(false);
            var connection = await Db.OpenAsync(store._dataSource, cancellationToken).ConfigureAwait(false);
            try
            {
                var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = LockKey });
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                // Read the ledger only once the lock is held, so no other call's transfer is missed.
                var replay = await LedgerReplay.LoadAsync(store._dataSource, null, cancellationToken).ConfigureAwait(false);
                var assets = await ExchangeRecords.LoadAssetsAsync(connection, cancellationToken).ConfigureAwait(false);
                return new Session(connection, transaction, replay, assets);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        /// <summary>Loads the stored proposal (if any) into the scratch desk, in its stored state.</summary>
        public async Task<AdjustmentRecord?> LoadAsync(ulong proposalId, CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand(SelectSql + " WHERE proposal_id = $1 FOR UPDATE", _connection, _transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = (decimal)proposalId, NpgsqlDbType = NpgsqlDbType.Numeric });
            var rows = await ReadRecordsAsync(command, _assets, cancellationToken).ConfigureAwait(false);
            if (rows.Count == 0)
            {
                _auditStart = Desk.AuditLog.Count;
                return null;
            }
            var stored = rows[0];
            var loaded = Desk.Propose(stored.Proposal, stored.ProposedBy, stored.ProposedAt);
            if (loaded == AdjustmentResult.Ok && stored.Status != AdjustmentStatus.Proposed)
                loaded = Desk.Reject(proposalId, stored.DecidedBy ?? "(unknown)", stored.DecisionNote ?? "decided", stored.DecidedAt);
            if (loaded != AdjustmentResult.Ok)
            {
                throw new StorageException(StorageError.RecordInvalid, string.Create(CultureInfo.InvariantCulture,
                    $"adjustment {proposalId} as stored is refused by the ledger ({(int)loaded} {loaded}): its accounts or currency no longer match the ledger"));
            }
            _auditStart = Desk.AuditLog.Count;
            return stored;
        }

        public void Add(string sql, params object[] values) => _writes.BatchCommands.Add(Db.BatchCommand(sql, values));

        public async Task CommitAsync(CancellationToken cancellationToken, bool writeDeskAudit = true)
        {
            if (writeDeskAudit)
            {
                for (var i = _auditStart; i < Desk.AuditLog.Count; i++) _writes.BatchCommands.Add(Db.BatchCommand(InsertAuditSql, AuditValues(Desk.AuditLog[i])));
            }
            if (_writes.BatchCommands.Count > 0) await _writes.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            await _writes.DisposeAsync().ConfigureAwait(false);
            await _transaction.DisposeAsync().ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
