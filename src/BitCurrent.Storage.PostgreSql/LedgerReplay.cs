using System.Globalization;
using BitCurrent.Ledger;
using BitCurrent.Storage.PostgreSql.Internal;
using Npgsql;

namespace BitCurrent.Storage.PostgreSql;

/// <summary>The ledger rebuilt from the database by <see cref="LedgerReplay.LoadAsync"/>.</summary>
/// <param name="Ledger">The exchange ledger over the rebuilt engine (assets from <c>currencies</c>).</param>
/// <param name="AccountCount">Accounts replayed.</param>
/// <param name="TransferCount">Transfers replayed.</param>
/// <param name="AccountsDiffering">
/// Accounts whose balances or flags in the <c>accounts</c> table differ from the replayed ones (0 when the table is
/// current; the table is refreshed by <see cref="LedgerProjection.CatchUpAsync"/>, the transfers are the record).
/// </param>
/// <param name="Checkpoint">The projection's checkpoint, or null when nothing was ever projected.</param>
/// <param name="StateHashMatches">
/// Whether the rebuilt engine's state hash equals the one recorded at the last catch-up; null when none was recorded
/// (the projection was fed by <see cref="LedgerProjection.ProjectAsync"/> since).
/// </param>
public sealed record LedgerReplayResult(ExchangeLedger Ledger, int AccountCount, int TransferCount, int AccountsDiffering,
    ProjectionCheckpoint? Checkpoint, bool? StateHashMatches);

/// <summary>
/// Rebuilds a <see cref="LedgerEngine"/> from the projected <c>accounts</c> and <c>transfers</c> tables, the system of
/// record's view of the ledger: accounts and transfers are replayed in timestamp order through the engine's own
/// <see cref="LedgerEngine.CreateAccounts"/> and <see cref="LedgerEngine.CreateTransfers"/>, in batches of consecutive
/// timestamps, so that every balance, pending state and invariant is recomputed by the engine rather than trusted
/// from the table. Every stored transfer must be accepted again with <see cref="CreateTransferResult.Ok"/>.
/// </summary>
/// <remarks>
/// A batch never spans a pending transfer's expiry, and the engine is finally advanced to the checkpoint's timestamp,
/// so pending transfers with a timeout expire as they did originally (at the latest at the same batch; the
/// resolution timestamp of an expiry swept by an empty batch may differ, which changes the state hash but no balance).
/// Accounts closed by a closing transfer are created open and closed again by that transfer.
/// </remarks>
public static class LedgerReplay
{
    /// <summary>Rebuilds the ledger. O(accounts + transfers) time; the engine holds every transfer in memory.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="options">Engine capacities; null to size them from the row counts (with room to continue).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <exception cref="StorageException">
    /// <see cref="StorageError.ReplayFailed"/> when a stored transfer or account is refused by the engine,
    /// <see cref="StorageError.RecordInvalid"/> for a malformed row.
    /// </exception>
    public static async Task<LedgerReplayResult> LoadAsync(NpgsqlDataSource dataSource, LedgerEngineOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await Db.OpenAsync(dataSource, cancellationToken).ConfigureAwait(false);
        // One snapshot for every read: a projection running meanwhile cannot tear the picture.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var assets = await ExchangeRecords.LoadAssetsAsync(connection, cancellationToken).ConfigureAwait(false);
        var checkpoint = await LedgerProjection.ReadCheckpointAsync(connection, LedgerProjection.CheckpointName, cancellationToken).ConfigureAwait(false);
        var accountRows = await Db.ScalarAsync<long>(connection, "SELECT count(*) FROM accounts", cancellationToken, transaction).ConfigureAwait(false);
        var transferRows = await Db.ScalarAsync<long>(connection, "SELECT count(*) FROM transfers", cancellationToken, transaction).ConfigureAwait(false);
        options ??= new LedgerEngineOptions
        {
            AccountsMax = (int)Math.Min(1 << 28, Math.Max(1_024, accountRows * 2)),
            TransfersMax = (int)Math.Min(1 << 28, Math.Max(4_096, transferRows + (transferRows / 4))),
        };
        var engine = new LedgerEngine(options);

        var closing = new HashSet<UInt128>();
        await using (var command = new NpgsqlCommand("""
            SELECT debit_account_id FROM transfers WHERE flags & 64 <> 0
            UNION SELECT credit_account_id FROM transfers WHERE flags & 128 <> 0
            """, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) closing.Add(Codec.ReadId(reader.GetFieldValue<byte[]>(0)));
        }

        var stored = new List<Account>((int)accountRows);
        await using (var command = new NpgsqlCommand("""
            SELECT id, debits_pending, debits_posted, credits_pending, credits_posted, user_data_128, user_data_64, user_data_32,
                   ledger, code, flags, "timestamp"
            FROM accounts ORDER BY "timestamp"
            """, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                stored.Add(new Account
                {
                    Id = Codec.ReadId(reader.GetFieldValue<byte[]>(0)),
                    DebitsPending = Codec.ReadUInt128(reader, 1, "accounts.debits_pending"),
                    DebitsPosted = Codec.ReadUInt128(reader, 2, "accounts.debits_posted"),
                    CreditsPending = Codec.ReadUInt128(reader, 3, "accounts.credits_pending"),
                    CreditsPosted = Codec.ReadUInt128(reader, 4, "accounts.credits_posted"),
                    UserData128 = Codec.ReadUInt128(reader, 5, "accounts.user_data_128"),
                    UserData64 = Codec.ReadUInt64(reader, 6, "accounts.user_data_64"),
                    UserData32 = checked((uint)reader.GetInt64(7)),
                    Ledger = checked((uint)reader.GetInt64(8)),
                    Code = checked((ushort)reader.GetInt32(9)),
                    Flags = (AccountFlags)checked((ushort)reader.GetInt32(10)),
                    Timestamp = checked((ulong)reader.GetInt64(11)),
                });
            }
        }

        var replayer = new Replayer(engine);
        var nextAccount = 0;
        var transferCount = 0;
        await using (var command = new NpgsqlCommand("""
            SELECT id, debit_account_id, credit_account_id, amount, pending_id, user_data_128, user_data_64, user_data_32,
                   timeout, ledger, code, flags, "timestamp"
            FROM transfers ORDER BY "timestamp"
            """, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var transfer = new Transfer
                {
                    Id = Codec.ReadId(reader.GetFieldValue<byte[]>(0)),
                    DebitAccountId = Codec.ReadId(reader.GetFieldValue<byte[]>(1)),
                    CreditAccountId = Codec.ReadId(reader.GetFieldValue<byte[]>(2)),
                    Amount = Codec.ReadUInt128(reader, 3, "transfers.amount"),
                    PendingId = reader.IsDBNull(4) ? UInt128.Zero : Codec.ReadId(reader.GetFieldValue<byte[]>(4)),
                    UserData128 = Codec.ReadUInt128(reader, 5, "transfers.user_data_128"),
                    UserData64 = Codec.ReadUInt64(reader, 6, "transfers.user_data_64"),
                    UserData32 = checked((uint)reader.GetInt64(7)),
                    TimeoutSeconds = checked((uint)reader.GetInt64(8)),
                    Ledger = checked((uint)reader.GetInt64(9)),
                    Code = checked((ushort)reader.GetInt32(10)),
                    Flags = (TransferFlags)checked((ushort)reader.GetInt32(11)),
                    Timestamp = checked((ulong)reader.GetInt64(12)),
                };
                while (nextAccount < stored.Count && stored[nextAccount].Timestamp < transfer.Timestamp)
                    replayer.Add(AsCreated(stored[nextAccount++], closing));
                replayer.Add(transfer);
                transferCount++;
            }
        }
        while (nextAccount < stored.Count) replayer.Add(AsCreated(stored[nextAccount++], closing));
        replayer.Flush();
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

        if (checkpoint is not null && checkpoint.LastTimestamp > engine.LastTimestamp) engine.ExpirePendingTransfers(checkpoint.LastTimestamp);

        var differing = 0;
        foreach (var row in stored)
        {
            if (!engine.TryGetAccount(row.Id, out var live) || live != row) differing++;
        }
        bool? hashMatches = checkpoint?.StateHash is { } hash && checkpoint.LastTimestamp == engine.LastTimestamp
            ? string.Equals(hash, engine.ComputeStateHash().ToString(), StringComparison.OrdinalIgnoreCase)
            : null;
        return new LedgerReplayResult(new ExchangeLedger(engine, assets), stored.Count, transferCount, differing, checkpoint, hashMatches);
    }

    /// <summary>An account as it was created: no balances, no timestamp, open unless it was created closed.</summary>
    private static Account AsCreated(Account stored, HashSet<UInt128> closedByTransfer) => stored with
    {
        DebitsPending = UInt128.Zero,
        DebitsPosted = UInt128.Zero,
        CreditsPending = UInt128.Zero,
        CreditsPosted = UInt128.Zero,
        Flags = closedByTransfer.Contains(stored.Id) ? stored.Flags & ~AccountFlags.Closed : stored.Flags,
    };

    /// <summary>
    /// Groups records into engine batches: consecutive timestamps of one kind, cut only at the end of a linked chain,
    /// never across a pending transfer's expiry, at most <see cref="LedgerEngineOptions.BatchItemsMax"/> items.
    /// </summary>
    private sealed class Replayer(LedgerEngine engine)
    {
        private readonly Account[] _accounts = new Account[engine.Options.BatchItemsMax];
        private readonly Transfer[] _transfers = new Transfer[engine.Options.BatchItemsMax];
        private readonly CreateAccountResult[] _accountResults = new CreateAccountResult[engine.Options.BatchItemsMax];
        private readonly CreateTransferResult[] _transferResults = new CreateTransferResult[engine.Options.BatchItemsMax];
        private readonly PriorityQueue<ulong, ulong> _expiries = new();
        private int _accountCount;
        private int _transferCount;
        private ulong _start;

        public void Add(Account account)
        {
            if (_transferCount > 0) Flush();
            var timestamp = account.Timestamp;
            if (_accountCount > 0 && (timestamp != _start + (ulong)_accountCount || ExpiryWithin(timestamp))) Flush();
            if (_accountCount == _accounts.Length) FlushAccountsUpToChainEnd();
            if (_accountCount == 0) Begin(timestamp);
            _accounts[_accountCount++] = account with { Timestamp = 0 };
        }

        public void Add(Transfer transfer)
        {
            if (_accountCount > 0) Flush();
            var timestamp = transfer.Timestamp;
            if (_transferCount > 0 && (timestamp != _start + (ulong)_transferCount || ExpiryWithin(timestamp))) Flush();
            if (_transferCount == _transfers.Length) FlushTransfersUpToChainEnd();
            if (_transferCount == 0) Begin(timestamp);
            _transfers[_transferCount++] = transfer with { Timestamp = 0 };
            if ((transfer.Flags & TransferFlags.Pending) != 0 && transfer.TimeoutSeconds != 0)
            {
                var expiry = timestamp + (transfer.TimeoutSeconds * Transfer.NanosecondsPerSecond);
                _expiries.Enqueue(expiry, expiry);
            }
        }

        public void Flush()
        {
            if (_accountCount > 0) ApplyAccounts(_accountCount);
            if (_transferCount > 0) ApplyTransfers(_transferCount);
        }

        private void Begin(ulong timestamp)
        {
            _start = timestamp;
            while (_expiries.TryPeek(out var expiry, out _) && expiry <= timestamp) _expiries.Dequeue();
        }

        /// <summary>True when a pending transfer expires after the batch's start and at or before this timestamp.</summary>
        private bool ExpiryWithin(ulong timestamp) => _expiries.TryPeek(out var expiry, out _) && expiry > _start && expiry <= timestamp;

        private void FlushAccountsUpToChainEnd()
        {
            var end = _accountCount;
            while (end > 0 && (_accounts[end - 1].Flags & AccountFlags.Linked) != 0) end--;
            if (end == 0) Refuse("a linked chain of accounts longer than a batch", _start);
            var tail = _accountCount - end;
            ApplyAccounts(end);
            Array.Copy(_accounts, end, _accounts, 0, tail);
            _accountCount = tail;
            _start += (ulong)end;
        }

        private void FlushTransfersUpToChainEnd()
        {
            var end = _transferCount;
            while (end > 0 && (_transfers[end - 1].Flags & TransferFlags.Linked) != 0) end--;
            if (end == 0) Refuse("a linked chain of transfers longer than a batch", _start);
            var tail = _transferCount - end;
            var nextStart = _start + (ulong)end;
            ApplyTransfers(end);
            Array.Copy(_transfers, end, _transfers, 0, tail);
            _transferCount = tail;
            _start = nextStart;
        }

        private void ApplyAccounts(int count)
        {
            engine.CreateAccounts(_accounts.AsSpan(0, count), _start, _accountResults);
            for (var i = 0; i < count; i++)
            {
                if (_accountResults[i] != CreateAccountResult.Ok)
                    Refuse(string.Create(CultureInfo.InvariantCulture, $"account {_accounts[i].Id} was refused with {_accountResults[i]}"), _start + (ulong)i);
            }
            _accountCount -= count;
        }

        private void ApplyTransfers(int count)
        {
            engine.CreateTransfers(_transfers.AsSpan(0, count), _start, _transferResults);
            for (var i = 0; i < count; i++)
            {
                if (_transferResults[i] != CreateTransferResult.Ok)
                    Refuse(string.Create(CultureInfo.InvariantCulture, $"transfer {_transfers[i].Id} was refused with {(int)_transferResults[i]} {_transferResults[i]}"), _start + (ulong)i);
            }
            _transferCount -= count;
        }

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        private static void Refuse(string what, ulong timestamp) =>
            throw new StorageException(StorageError.ReplayFailed, string.Create(CultureInfo.InvariantCulture,
                $"replaying the projected ledger failed at timestamp {timestamp}: {what}; the accounts and transfers tables do not form a valid ledger"));
    }
}
