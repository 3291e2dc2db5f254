using System.Buffers.Binary;
using System.Globalization;
using BitCurrent.Ledger;
using BitCurrent.Storage.PostgreSql.Internal;

namespace BitCurrent.Storage.PostgreSql.Tests;

public sealed class ProjectionTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private const string TransfersContent = """
        SELECT md5(string_agg(concat_ws('|', encode(id, 'hex'), encode(debit_account_id, 'hex'), encode(credit_account_id, 'hex'), amount,
               encode(pending_id, 'hex'), user_data_128, user_data_64, user_data_32, timeout, ledger, code, flags, "timestamp"), ',' ORDER BY "timestamp"))
        FROM transfers
        """;

    private const string EntriesContent = """
        SELECT md5(string_agg(concat_ws('|', encode(transfer_id, 'hex'), direction, encode(account_id, 'hex'), account_kind, user_id, currency, amount,
               reference_type, reference_id, flow_code, "timestamp"), ',' ORDER BY "timestamp", direction))
        FROM ledger_entries
        """;

    private const string AccountsContent = """
        SELECT md5(string_agg(concat_ws('|', encode(id, 'hex'), debits_pending, debits_posted, credits_pending, credits_posted, user_data_128,
               user_data_64, user_data_32, ledger, code, flags, "timestamp", kind, user_id, currency), ',' ORDER BY "timestamp"))
        FROM accounts
        """;

    private async Task FreshSchemaAsync()
    {
        await db.RecreateAsync();
        await new SchemaMigrator(db.DataSource).UpAsync(cancellationToken: TestContext.Current.CancellationToken);
    }

    private static Transfer[] AllTransfers(LedgerEngine engine)
    {
        var transfers = new Transfer[engine.TransferCount];
        Assert.Equal(transfers.Length, engine.QueryTransfers(new QueryFilter(), transfers));
        return transfers;
    }

    private static Account[] AllAccounts(LedgerEngine engine)
    {
        var accounts = new Account[engine.AccountCount];
        Assert.Equal(accounts.Length, engine.QueryAccounts(new QueryFilter(), accounts));
        return accounts;
    }

    private static string Hex(UInt128 id)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, id);
        return Convert.ToHexStringLower(bytes);
    }

    private async Task<List<string>> ContentAsync() =>
    [
        await db.ScalarAsync<string>(TransfersContent),
        await db.ScalarAsync<string>(EntriesContent),
        await db.ScalarAsync<string>(AccountsContent),
        (await db.ScalarAsync<long>("SELECT count(*) FROM ledger_entries")).ToString(CultureInfo.InvariantCulture),
    ];

    [Fact]
    public async Task Projecting_the_same_transfers_again_changes_nothing()
    {
        await FreshSchemaAsync();
        var ct = TestContext.Current.CancellationToken;
        var exchange = DemoScenario.Build(withDiscrepancies: true).Exchange;
        var projection = new LedgerProjection(db.DataSource, exchange.Assets);
        var first = await projection.CatchUpAsync(exchange.Engine, ct);
        Assert.Equal(exchange.Engine.TransferCount, first.TransfersInserted);
        Assert.True(first.EntriesInserted > 0);
        var content = await ContentAsync();

        var again = await projection.ProjectAsync(AllTransfers(exchange.Engine), ct);
        Assert.Equal(exchange.Engine.TransferCount, again.TransfersReceived);
        Assert.Equal(0, again.TransfersInserted);
        Assert.Equal(0, again.EntriesInserted);
        Assert.Equal(0, (await projection.ProjectAsync(AllTransfers(exchange.Engine).AsMemory(10, 20), ct)).TransfersInserted);
        var catchUp = await projection.CatchUpAsync(exchange.Engine, ct);
        Assert.Equal(0, catchUp.TransfersReceived);
        Assert.Equal(0, catchUp.AccountsWritten);  // balances unchanged: no row rewritten
        Assert.Equal(content, await ContentAsync());
        Assert.Equal(first.LastTimestamp, (await projection.GetCheckpointAsync(ct))!.LastTimestamp);
    }

    [Fact]
    public async Task Small_batches_write_exactly_what_one_batch_writes()
    {
        var ct = TestContext.Current.CancellationToken;
        var exchange = LedgerWorkload.Build(seed: 7, steps: 400);
        await FreshSchemaAsync();
        await new LedgerProjection(db.DataSource, exchange.Assets).CatchUpAsync(exchange.Engine, ct);
        var whole = await ContentAsync();

        await FreshSchemaAsync();
        var small = new LedgerProjection(db.DataSource, exchange.Assets, new LedgerProjectionOptions { TransfersPerTransactionMax = 13 });
        var result = await small.CatchUpAsync(exchange.Engine, ct);
        Assert.Equal(exchange.Engine.TransferCount, result.TransfersInserted);
        Assert.Equal(whole, await ContentAsync());

        // Out of order (newest half first, then the rest shuffled): the staging path fills the gaps below the checkpoint.
        await FreshSchemaAsync();
        var transfers = AllTransfers(exchange.Engine);
        var half = transfers.Length / 2;
        var shuffled = transfers[..half].OrderBy(t => (ulong)(t.Id * 2_654_435_761)).ToArray();
        var projection = new LedgerProjection(db.DataSource, exchange.Assets, new LedgerProjectionOptions { TransfersPerTransactionMax = 50 });
        Assert.Equal(transfers.Length - half, (await projection.ProjectAsync(transfers[half..], ct)).TransfersInserted);
        Assert.Equal(half, (await projection.ProjectAsync(shuffled, ct)).TransfersInserted);
        await projection.CatchUpAsync(exchange.Engine, ct);
        Assert.Equal(whole, await ContentAsync());
    }

    [Fact]
    public async Task A_row_written_behind_the_projections_back_is_a_conflict_not_a_duplicate()
    {
        await FreshSchemaAsync();
        var ct = TestContext.Current.CancellationToken;
        var exchange = DemoScenario.Build(withDiscrepancies: false).Exchange;
        var transfers = AllTransfers(exchange.Engine);
        var projection = new LedgerProjection(db.DataSource, exchange.Assets);
        await projection.ProjectAsync(transfers[..10], ct);
        // Someone copies transfer 20 into the table by hand, after the checkpoint.
        var id = Hex(transfers[20].Id);
        Assert.Equal(1, await db.ExecuteAsync($"INSERT INTO transfers VALUES (decode('{id}', 'hex'), decode('{id}', 'hex'), decode('{id}', 'hex'), 1, NULL, 0, 0, 0, 0, 1, 1, 0, {transfers[20].Timestamp})"));
        var e = await Assert.ThrowsAsync<StorageException>(() => projection.ProjectAsync(transfers[10..], ct));
        Assert.Equal(StorageError.ProjectionConflict, e.Error);
        Assert.Equal(11L, await db.ScalarAsync<long>("SELECT count(*) FROM transfers"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task The_projection_equals_the_engine_and_replays_into_the_same_ledger(int seed)
    {
        var ct = TestContext.Current.CancellationToken;
        var exchange = LedgerWorkload.Build(seed, steps: 600);
        var engine = exchange.Engine;
        await FreshSchemaAsync();
        await new LedgerProjection(db.DataSource, exchange.Assets, new LedgerProjectionOptions { TransfersPerTransactionMax = 97 }).CatchUpAsync(engine, ct);
        var transfers = AllTransfers(engine);
        var accounts = AllAccounts(engine);
        // The stream has what the projection must handle: trades (linked chains), posts, voids, expiries, fees.
        Assert.Contains(transfers, t => t.Code == (ushort)FlowCode.TradeFee);
        Assert.Contains(transfers, t => (t.Flags & TransferFlags.PostPendingTransfer) != 0);
        Assert.Contains(transfers, t => (t.Flags & TransferFlags.VoidPendingTransfer) != 0);
        Assert.Contains(transfers, t => engine.GetPendingStatus(t.Id) == PendingStatus.Expired);

        // Every transfer once, in timestamp order, with its id.
        Assert.Equal(transfers.Select(t => Hex(t.Id)), await db.RowsAsync("SELECT encode(id, 'hex') FROM transfers ORDER BY \"timestamp\""));
        Assert.Equal((long)transfers.Length, await db.ScalarAsync<long>("SELECT count(DISTINCT id) FROM transfers"));

        // Per currency, the entries sum to the custody balance: the runbook's "ledger" total.
        var sums = (await db.RowsAsync("SELECT currency, sum(amount) FROM ledger_entries GROUP BY currency"))
            .ToDictionary(r => r.Split('|')[0], r => r.Split('|')[1]);
        foreach (var asset in exchange.Assets.Assets)
        {
            var custody = exchange.GetCustodyBalance(asset).ToString(CultureInfo.InvariantCulture);
            Assert.Equal(custody, sums.GetValueOrDefault(asset.Code, "0"));
        }

        // Per account, the entries sum to the account's posted credits minus posted debits; custody has no entries.
        var byAccount = (await db.RowsAsync("SELECT encode(account_id, 'hex'), sum(amount) FROM ledger_entries GROUP BY 1"))
            .ToDictionary(r => r.Split('|')[0], r => r.Split('|')[1]);
        foreach (var a in accounts)
        {
            LedgerAccounts.TryDecode(a.Id, out var kind, out _, out _);
            var net = ((System.Numerics.BigInteger)a.CreditsPosted - a.DebitsPosted).ToString(CultureInfo.InvariantCulture);
            if (kind == LedgerAccountKind.Custody) Assert.False(byAccount.ContainsKey(Hex(a.Id)));
            else Assert.Equal(net, byAccount.GetValueOrDefault(Hex(a.Id), "0"));
        }

        // One entry per non-custody leg of each posted transfer, none for pending and voids.
        var expectedEntries = 0L;
        foreach (var t in transfers)
        {
            if ((t.Flags & (TransferFlags.Pending | TransferFlags.VoidPendingTransfer)) != 0 || t.Amount == 0) continue;
            if (!IsCustody(t.DebitAccountId)) expectedEntries++;
            if (!IsCustody(t.CreditAccountId)) expectedEntries++;
        }
        Assert.Equal(expectedEntries, await db.ScalarAsync<long>("SELECT count(*) FROM ledger_entries"));

        // Deposits are found by the runbook's reference: a credit entry with reference_type 'deposit' and the deposit id.
        var deposits = transfers.Where(t => t.Code == (ushort)FlowCode.Deposit).Select(t => ((ulong)t.UserData128).ToString(CultureInfo.InvariantCulture)).Order();
        Assert.Equal(deposits, (await db.RowsAsync("SELECT reference_id FROM ledger_entries WHERE reference_type = 'deposit' AND direction = 'credit'")).Order());

        // The replay rebuilds the same accounts, transfers and pending states.
        var replay = await LedgerReplay.LoadAsync(db.DataSource, new LedgerEngineOptions { AccountsMax = 1_024, TransfersMax = 65_536, BatchItemsMax = SettlementFlows.TradeTransfersMax + 1 }, ct);
        var rebuilt = replay.Ledger.Engine;
        rebuilt.Audit();
        Assert.Equal(0, replay.AccountsDiffering);
        Assert.Equal(accounts, AllAccounts(rebuilt));
        Assert.Equal(transfers, AllTransfers(rebuilt));
        foreach (var t in transfers) Assert.Equal(engine.GetPendingStatus(t.Id), rebuilt.GetPendingStatus(t.Id));
        Assert.Equal(engine.LastTimestamp, rebuilt.LastTimestamp);
    }

    private static bool IsCustody(UInt128 accountId) => LedgerAccounts.TryDecode(accountId, out var kind, out _, out _) && kind == LedgerAccountKind.Custody;

    [Fact]
    public async Task Extreme_values_round_trip_exactly()
    {
        await FreshSchemaAsync();
        var ct = TestContext.Current.CancellationToken;
        var engine = new LedgerEngine(new LedgerEngineOptions { AccountsMax = 16, TransfersMax = 16 });
        var results = new CreateAccountResult[2];
        var big = UInt128.MaxValue - 1;
        engine.CreateAccounts(
        [
            new Account { Id = big, Ledger = 1, Code = 7, UserData128 = UInt128.MaxValue, UserData64 = ulong.MaxValue, UserData32 = uint.MaxValue },
            new Account { Id = 1, Ledger = 1, Code = 7 },
        ], 1_000, results);
        Assert.All(results, r => Assert.Equal(CreateAccountResult.Ok, r));
        var transferResults = new CreateTransferResult[3];
        engine.CreateTransfers(
        [
            new Transfer { Id = (UInt128)1 << 100, DebitAccountId = 1, CreditAccountId = big, Amount = UInt128.MaxValue - 5, Ledger = 1, Code = 65_535,
                           UserData128 = UInt128.MaxValue, UserData64 = ulong.MaxValue, UserData32 = uint.MaxValue },
            new Transfer { Id = big - 1, DebitAccountId = big, CreditAccountId = 1, Amount = 3, Ledger = 1, Code = 1, Flags = TransferFlags.Pending,
                           TimeoutSeconds = uint.MaxValue },
            new Transfer { Id = 5, PendingId = big - 1, Flags = TransferFlags.PostPendingTransfer },
        ], 2_000, transferResults);
        Assert.All(transferResults, r => Assert.Equal(CreateTransferResult.Ok, r));

        await new LedgerProjection(db.DataSource, new AssetRegistry([new Asset("BIG", 1, 38)])).CatchUpAsync(engine, ct);
        Assert.Equal((UInt128.MaxValue - 5).ToString(), (await db.RowsAsync("SELECT amount FROM transfers ORDER BY \"timestamp\" LIMIT 1"))[0]);
        Assert.Equal(big.ToString(), await db.ScalarAsync<string>("SELECT bitcurrent_u128(id)::text FROM accounts WHERE code = 7 AND user_data_32 = 4294967295"));
        Assert.Equal(["-340282366920938463463374607431768211450", "340282366920938463463374607431768211450", "-3", "3"],
            await db.RowsAsync("SELECT amount FROM ledger_entries ORDER BY \"timestamp\", direction DESC"));

        var replay = await LedgerReplay.LoadAsync(db.DataSource, cancellationToken: ct);
        Assert.Equal(AllAccounts(engine), AllAccounts(replay.Ledger.Engine));
        Assert.Equal(AllTransfers(engine), AllTransfers(replay.Ledger.Engine));
        Assert.Equal(engine.ComputeStateHash(), replay.Ledger.Engine.ComputeStateHash());
        Assert.True(replay.StateHashMatches);
    }

    [Fact]
    public async Task Expired_holds_and_closed_accounts_replay_as_they_happened()
    {
        await FreshSchemaAsync();
        var ct = TestContext.Current.CancellationToken;
        const ulong Second = 1_000_000_000;
        var engine = new LedgerEngine(new LedgerEngineOptions { AccountsMax = 16, TransfersMax = 64 });
        var accountResults = new CreateAccountResult[3];
        engine.CreateAccounts(
        [
            new Account { Id = 1, Ledger = 1, Code = 1 },
            new Account { Id = 2, Ledger = 1, Code = 1, Flags = AccountFlags.DebitsMustNotExceedCredits },
            new Account { Id = 3, Ledger = 1, Code = 1 },
        ], 1 * Second, accountResults);
        var r = new CreateTransferResult[2];
        engine.CreateTransfers([new Transfer { Id = 10, DebitAccountId = 1, CreditAccountId = 2, Amount = 100, Ledger = 1, Code = 1 }], 2 * Second, r);
        // A hold of all of account 2's money that expires after 5 s, then a spend that only fits once it has expired.
        engine.CreateTransfers([new Transfer { Id = 11, DebitAccountId = 2, CreditAccountId = 3, Amount = 100, Ledger = 1, Code = 1, Flags = TransferFlags.Pending, TimeoutSeconds = 5 }], 3 * Second, r);
        Assert.Equal(CreateTransferResult.ExceedsCredits, CreateOne(engine, new Transfer { Id = 12, DebitAccountId = 2, CreditAccountId = 3, Amount = 60, Ledger = 1, Code = 1 }, 4 * Second));
        Assert.Equal(CreateTransferResult.Ok, CreateOne(engine, new Transfer { Id = 13, DebitAccountId = 2, CreditAccountId = 3, Amount = 60, Ledger = 1, Code = 1 }, 9 * Second));
        // Account 3 closed by a pending closing transfer (still pending at the end).
        Assert.Equal(CreateTransferResult.Ok, CreateOne(engine, new Transfer { Id = 14, DebitAccountId = 3, CreditAccountId = 1, Amount = 1, Ledger = 1, Code = 1, Flags = TransferFlags.Pending | TransferFlags.ClosingDebit }, 10 * Second));
        engine.ExpirePendingTransfers(20 * Second);
        Assert.Equal(PendingStatus.Expired, engine.GetPendingStatus(11));

        await new LedgerProjection(db.DataSource, AssetRegistry.Examples()).CatchUpAsync(engine, ct);
        var replay = await LedgerReplay.LoadAsync(db.DataSource, cancellationToken: ct);
        var rebuilt = replay.Ledger.Engine;
        Assert.Equal(AllAccounts(engine), AllAccounts(rebuilt));
        Assert.Equal(PendingStatus.Expired, rebuilt.GetPendingStatus(11));
        Assert.Equal(engine.ComputeStateHash(), rebuilt.ComputeStateHash());
        Assert.True(replay.StateHashMatches);
    }

    private static CreateTransferResult CreateOne(LedgerEngine engine, Transfer transfer, ulong timestamp)
    {
        var results = new CreateTransferResult[1];
        engine.CreateTransfers([transfer], timestamp, results);
        return results[0];
    }

    [Fact]
    public async Task Catching_up_writes_only_what_is_new_and_refuses_another_ledger()
    {
        await FreshSchemaAsync();
        var ct = TestContext.Current.CancellationToken;
        var exchange = new ExchangeLedger(new LedgerEngine(), AssetRegistry.Examples());
        exchange.OpenSystemAccounts(1);         // 12 accounts: timestamps 1 to 12
        exchange.OpenUserAccounts(7, 13);       // 13 to 15
        exchange.CreditDeposit(new DepositCredit(1, 7, Asset.Btc, 100), 20);
        var projection = new LedgerProjection(db.DataSource, exchange.Assets);
        var first = await projection.CatchUpAsync(exchange.Engine, ct);
        Assert.Equal((1, 1L, 20UL), (first.TransfersInserted, first.EntriesInserted, first.LastTimestamp));

        exchange.CreditDeposit(new DepositCredit(2, 7, Asset.Btc, 50), 30);
        exchange.RequestWithdrawal(new WithdrawalRequest(3, 7, Asset.Btc, 40, 2), 40);
        exchange.CompleteWithdrawal(3, 50);
        var second = await projection.CatchUpAsync(exchange.Engine, ct);
        Assert.Equal(5, second.TransfersReceived);  // deposit, 2 holds, 2 posts
        Assert.Equal(5, second.TransfersInserted);
        Assert.Equal(4L, second.EntriesInserted);    // deposit credit; withdrawal debit; fee debit + fee credit
        Assert.Equal(exchange.Engine.LastTimestamp, (await projection.GetCheckpointAsync(ct))!.LastTimestamp);
        Assert.Equal("110", await db.ScalarAsync<string>("SELECT sum(amount)::text FROM ledger_entries WHERE currency = 'BTC'"));
        Assert.Equal(["deposit|1", "deposit|2", "withdrawal|3", "fee|3", "fee|3"],
            await db.RowsAsync("SELECT reference_type, reference_id FROM ledger_entries ORDER BY \"timestamp\", direction DESC"));

        var other = new ExchangeLedger(new LedgerEngine(), AssetRegistry.Examples());
        other.OpenSystemAccounts(1);
        var ahead = await Assert.ThrowsAsync<StorageException>(() => new LedgerProjection(db.DataSource, other.Assets).CatchUpAsync(other.Engine, ct));
        Assert.Equal(StorageError.ProjectionAhead, ahead.Error);
    }

    [Fact]
    public async Task A_different_body_under_a_stored_id_is_refused_and_changes_nothing()
    {
        await FreshSchemaAsync();
        var ct = TestContext.Current.CancellationToken;
        var exchange = DemoScenario.Build(withDiscrepancies: false).Exchange;
        var projection = new LedgerProjection(db.DataSource, exchange.Assets);
        await projection.CatchUpAsync(exchange.Engine, ct);
        var content = await ContentAsync();
        var transfers = AllTransfers(exchange.Engine);
        var forged = transfers[^1] with { Amount = transfers[^1].Amount + 1 };
        var e = await Assert.ThrowsAsync<StorageException>(() => projection.ProjectAsync(new[] { forged }, ct));
        Assert.Equal(StorageError.ProjectionConflict, e.Error);
        Assert.Contains(Hex(forged.Id), e.Message, StringComparison.Ordinal);
        Assert.Equal(content, await ContentAsync());
    }

    [Fact]
    public async Task Unregistered_ledgers_and_conflicting_registries_are_refused()
    {
        await FreshSchemaAsync();
        var ct = TestContext.Current.CancellationToken;
        var projection = new LedgerProjection(db.DataSource, AssetRegistry.Examples());
        var e = await Assert.ThrowsAsync<StorageException>(() => projection.ProjectAsync(new[]
        {
            new Transfer { Id = 1, DebitAccountId = 1, CreditAccountId = 2, Amount = 1, Ledger = 99, Code = 1, Timestamp = 5 },
        }, ct));
        Assert.Equal(StorageError.LedgerNotRegistered, e.Error);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM transfers"));

        var clash = new LedgerProjection(db.DataSource, new AssetRegistry([new Asset("BTC", 1, 6)]));
        Assert.Equal(StorageError.CurrencyConflict, (await Assert.ThrowsAsync<StorageException>(() => clash.RegisterAssetsAsync(ct))).Error);

        var late = new Transfer { Id = 1, DebitAccountId = 1, CreditAccountId = 2, Amount = 1, Ledger = 1, Code = 1, Timestamp = (ulong)long.MaxValue + 1 };
        Assert.Equal(StorageError.TimestampOutOfRange, (await Assert.ThrowsAsync<StorageException>(() => projection.ProjectAsync(new[] { late }, ct))).Error);
        var unapplied = late with { Timestamp = 0 };
        Assert.Equal(StorageError.TimestampOutOfRange, (await Assert.ThrowsAsync<StorageException>(() => projection.ProjectAsync(new[] { unapplied }, ct))).Error);

        // Two different transfers with one timestamp (the second through the merge path): a conflict, nothing written.
        Assert.Equal(1, (await projection.ProjectAsync(new[] { late with { Timestamp = 50 } }, ct)).TransfersInserted);
        var clashing = late with { Id = 2, Timestamp = 50 };
        Assert.Equal(StorageError.ProjectionConflict, (await Assert.ThrowsAsync<StorageException>(() => projection.ProjectAsync(new[] { clashing }, ct))).Error);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM transfers"));
    }

    [Fact]
    public async Task A_transfers_table_that_is_not_a_ledger_is_refused_by_the_replay()
    {
        await FreshSchemaAsync();
        var ct = TestContext.Current.CancellationToken;
        var exchange = DemoScenario.Build(withDiscrepancies: false).Exchange;
        await new LedgerProjection(db.DataSource, exchange.Assets).CatchUpAsync(exchange.Engine, ct);
        // Remove user 1's BTC deposit: the BTC it later sells and withdraws was never credited.
        Assert.Equal(1, await db.ExecuteAsync("DELETE FROM transfers WHERE code = 1 AND user_data_128 = 1001"));
        var e = await Assert.ThrowsAsync<StorageException>(() => LedgerReplay.LoadAsync(db.DataSource, cancellationToken: ct));
        Assert.Equal(StorageError.ReplayFailed, e.Error);
        Assert.Contains("ExceedsCredits", e.Message, StringComparison.Ordinal);
    }
}
