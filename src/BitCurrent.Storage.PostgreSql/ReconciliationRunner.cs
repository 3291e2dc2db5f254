using BitCurrent.Ledger;
using BitCurrent.Storage.PostgreSql.Internal;
using Npgsql;
using NpgsqlTypes;

namespace BitCurrent.Storage.PostgreSql;

/// <summary>One recorded reconciliation run.</summary>
/// <param name="RunId">The row id in <c>reconciliation_runs</c>.</param>
/// <param name="Report">The report.</param>
/// <param name="Replay">How the ledger was rebuilt (counts, checks against the projection).</param>
public sealed record ReconciliationRun(long RunId, ReconciliationReport Report, LedgerReplayResult Replay);

/// <summary>
/// Runs the ledger's <see cref="Reconciler"/> against PostgreSQL: the ledger rebuilt from <c>accounts</c> and
/// <c>transfers</c> (<see cref="LedgerReplay"/>), the external records from <c>wallets</c>, <c>deposits</c> and
/// <c>withdrawals</c> (<see cref="ExchangeRecords"/>), and one row per run in <c>reconciliation_runs</c>.
/// </summary>
public static class ReconciliationRunner
{
    /// <summary>Reconciles and records the run. Changes nothing else.</summary>
    /// <exception cref="StorageException">The schema is not migrated, the ledger does not replay, or a record is malformed.</exception>
    public static async Task<ReconciliationRun> RunAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await new SchemaMigrator(dataSource).EnsureLatestAsync(cancellationToken).ConfigureAwait(false);
        var replay = await LedgerReplay.LoadAsync(dataSource, null, cancellationToken).ConfigureAwait(false);
        var input = await ExchangeRecords.LoadReconciliationInputAsync(dataSource, cancellationToken).ConfigureAwait(false);
        var report = Reconciler.Run(replay.Ledger, input);

        await using var connection = await Db.OpenAsync(dataSource, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            INSERT INTO reconciliation_runs (ledger_timestamp, balanced, discrepancy_count, report)
            VALUES ($1, $2, $3, $4) RETURNING id
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = Codec.Timestamp(report.LedgerTimestamp) });
        command.Parameters.Add(new NpgsqlParameter { Value = report.IsBalanced });
        command.Parameters.Add(new NpgsqlParameter { Value = report.Discrepancies.Count });
        command.Parameters.Add(new NpgsqlParameter { Value = report.ToJson(), NpgsqlDbType = NpgsqlDbType.Jsonb });
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new ReconciliationRun(id, report, replay);
    }
}
