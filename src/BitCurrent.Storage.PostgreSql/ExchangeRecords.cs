using System.Globalization;
using BitCurrent.Ledger;
using BitCurrent.Storage.PostgreSql.Internal;
using Npgsql;

namespace BitCurrent.Storage.PostgreSql;

/// <summary>
/// The exchange's own records (<c>currencies</c>, <c>wallets</c>, <c>deposits</c>, <c>withdrawals</c>) as the
/// ledger's reconciliation reads them, and the mapping between the runbook's status words and the ledger's statuses.
/// </summary>
/// <remarks>
/// <para>Deposits: <c>pending</c> → <see cref="DepositStatus.Pending"/>, <c>credited</c> →
/// <see cref="DepositStatus.Credited"/>, <c>failed</c> → <see cref="DepositStatus.Failed"/>.</para>
/// <para>Withdrawals: <c>pending</c>, <c>approved</c>, <c>signed</c> → <see cref="WithdrawalStatus.Requested"/> (the
/// ledger must hold the amount); <c>broadcast</c>, <c>confirmed</c> → <see cref="WithdrawalStatus.Completed"/> (the
/// coins left the wallet: the ledger must have posted it); <c>rejected</c> → <see cref="WithdrawalStatus.Cancelled"/>;
/// <c>failed</c> → <see cref="WithdrawalStatus.Failed"/> (voided or never held).</para>
/// </remarks>
public static class ExchangeRecords
{
    /// <summary>The deposit statuses the <c>deposits</c> table allows.</summary>
    public static IReadOnlyList<string> DepositStatuses { get; } = ["pending", "credited", "failed"];

    /// <summary>The withdrawal statuses the <c>withdrawals</c> table allows, in workflow order.</summary>
    public static IReadOnlyList<string> WithdrawalStatuses { get; } = ["pending", "approved", "signed", "broadcast", "confirmed", "rejected", "failed"];

    /// <summary>Maps a <c>deposits.status</c> word to the ledger's status.</summary>
    public static bool TryParseDepositStatus(string status, out DepositStatus value)
    {
        value = status switch
        {
            "pending" => DepositStatus.Pending,
            "credited" => DepositStatus.Credited,
            "failed" => DepositStatus.Failed,
            _ => 0,
        };
        return value != 0;
    }

    /// <summary>Maps a <c>withdrawals.status</c> word to the ledger's status.</summary>
    public static bool TryParseWithdrawalStatus(string status, out WithdrawalStatus value)
    {
        value = status switch
        {
            "pending" or "approved" or "signed" => WithdrawalStatus.Requested,
            "broadcast" or "confirmed" => WithdrawalStatus.Completed,
            "rejected" => WithdrawalStatus.Cancelled,
            "failed" => WithdrawalStatus.Failed,
            _ => 0,
        };
        return value != 0;
    }

    /// <summary>The asset registry stored in <c>currencies</c> (by the projection), in ledger order.</summary>
    public static async Task<AssetRegistry> LoadAssetsAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await Db.OpenAsync(dataSource, cancellationToken).ConfigureAwait(false);
        return await LoadAssetsAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<AssetRegistry> LoadAssetsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var assets = new List<Asset>();
        await using var command = new NpgsqlCommand("SELECT code, ledger, scale FROM currencies ORDER BY ledger", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            assets.Add(new Asset(reader.GetString(0), (uint)reader.GetInt64(1), (byte)reader.GetInt16(2)));
        return new AssetRegistry(assets);
    }

    /// <summary>Reads wallets, deposits and withdrawals (ordered by id) as the input of <see cref="Reconciler.Run"/>.</summary>
    /// <exception cref="StorageException"><see cref="StorageError.RecordInvalid"/> for a row the ledger cannot read.</exception>
    public static async Task<ReconciliationInput> LoadReconciliationInputAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await Db.OpenAsync(dataSource, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);

        var wallets = new List<CustodyWalletBalance>();
        await using (var command = new NpgsqlCommand("SELECT id, currency, balance FROM wallets ORDER BY id", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                wallets.Add(new CustodyWalletBalance(reader.GetString(0), reader.GetString(1), Codec.ReadUInt128(reader, 2, "wallets.balance")));
        }

        var deposits = new List<DepositRecord>();
        await using (var command = new NpgsqlCommand("SELECT id, user_id, currency, amount, status FROM deposits ORDER BY id", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = Codec.RecordId(reader.GetInt64(0), "deposits");
                var status = reader.GetString(4);
                if (!TryParseDepositStatus(status, out var parsed))
                    throw new StorageException(StorageError.RecordInvalid, string.Create(CultureInfo.InvariantCulture, $"deposit {id} has status '{status}'"));
                deposits.Add(new DepositRecord(id, Codec.RecordId(reader.GetInt64(1), "deposits.user_id"), reader.GetString(2),
                    Codec.ReadUInt128(reader, 3, "deposits.amount"), parsed));
            }
        }

        var withdrawals = new List<WithdrawalRecord>();
        await using (var command = new NpgsqlCommand("SELECT id, user_id, currency, amount, status FROM withdrawals ORDER BY id", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = Codec.RecordId(reader.GetInt64(0), "withdrawals");
                var status = reader.GetString(4);
                if (!TryParseWithdrawalStatus(status, out var parsed))
                    throw new StorageException(StorageError.RecordInvalid, string.Create(CultureInfo.InvariantCulture, $"withdrawal {id} has status '{status}'"));
                withdrawals.Add(new WithdrawalRecord(id, Codec.RecordId(reader.GetInt64(1), "withdrawals.user_id"), reader.GetString(2),
                    Codec.ReadUInt128(reader, 3, "withdrawals.amount"), parsed));
            }
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ReconciliationInput(wallets, deposits, withdrawals);
    }
}
