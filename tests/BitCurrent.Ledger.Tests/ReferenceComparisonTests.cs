using BitCurrent.Ledger;

namespace BitCurrent.Ledger.Tests;

/// <summary>
/// Seeded random batches (every flag, failures, retries, linked chains, pending/post/void/expiry, edge amounts)
/// applied to the engine and to <see cref="ReferenceLedger"/>; results, accounts, transfers and pending states must
/// agree after every batch, and the engine's full audit must pass. A failure names its seed: rerun it with
/// <see cref="Replay"/>.
/// </summary>
public class ReferenceComparisonTests
{
    internal sealed class Workload(int seed)
    {
        private readonly Random _random = new(seed);
        private readonly List<Transfer> _sent = [];
        private readonly List<UInt128> _pendingIds = [];
        private readonly List<Transfer> _created = [];
        private readonly Dictionary<UInt128, uint> _ledgerOf = [];
        private ulong _nextId = 1000;
        private ulong _timestamp;

        public const int AccountIds = 10;

        public ulong NextTimestamp()
        {
            _timestamp += (ulong)_random.Next(1, 2500) * 1_000_000UL;
            return _timestamp;
        }

        public UInt128 Amount() => _random.Next(20) switch
        {
            0 => UInt128.Zero,
            1 => UInt128.MaxValue,
            2 => UInt128.MaxValue - 1,
            3 => UInt128.One << 127,
            4 or 5 => UInt128.One,
            6 or 7 or 8 or 9 => (UInt128)_random.Next(1000, 5000),
            _ => (UInt128)_random.Next(1, 200),
        };

        private bool Chance(int percent) => _random.Next(100) < percent;

        private UInt128 AccountId() => Chance(3) ? (UInt128)_random.Next(AccountIds + 1, AccountIds + 3) : (UInt128)_random.Next(1, 9);

        /// <summary>The first batch: accounts 1..8 on two ledgers, with limits and history.</summary>
        public Account[] InitialAccounts()
        {
            var batch = new Account[8];
            for (var i = 0; i < batch.Length; i++)
            {
                var id = (UInt128)(i + 1);
                var ledger = (uint)(1 + (i % 2));
                _ledgerOf[id] = ledger;
                var flags = (i % 4) switch
                {
                    0 => AccountFlags.DebitsMustNotExceedCredits | AccountFlags.History,
                    1 => AccountFlags.CreditsMustNotExceedDebits,
                    2 => AccountFlags.History,
                    _ => AccountFlags.None,
                };
                batch[i] = L.Account(id, ledger, 1, flags);
            }
            return batch;
        }

        /// <summary>Learns which transfers were created, so that later posts, voids and retries find them.</summary>
        public void Observe(Transfer[] batch, CreateTransferResult[] results)
        {
            for (var i = 0; i < batch.Length; i++)
            {
                if (results[i] != CreateTransferResult.Ok) continue;
                _created.Add(batch[i]);
                if ((batch[i].Flags & TransferFlags.Pending) != 0) _pendingIds.Add(batch[i].Id);
            }
        }

        public Account[] AccountBatch()
        {
            var batch = new Account[_random.Next(1, 6)];
            for (var i = 0; i < batch.Length; i++)
            {
                var id = (UInt128)_random.Next(1, AccountIds + 1);
                var ledger = _ledgerOf.TryGetValue(id, out var known) && !Chance(10) ? known : (uint)_random.Next(1, 4);
                _ledgerOf.TryAdd(id, ledger);
                var flags = AccountFlags.None;
                if (Chance(30)) flags |= AccountFlags.DebitsMustNotExceedCredits;
                else if (Chance(20)) flags |= AccountFlags.CreditsMustNotExceedDebits;
                if (Chance(40)) flags |= AccountFlags.History;
                if (Chance(3)) flags |= AccountFlags.Closed;
                if (Chance(15)) flags |= AccountFlags.Linked;
                var account = L.Account(id, ledger, (ushort)_random.Next(1, 3), flags);
                if (Chance(3)) account = account with { Id = Chance(50) ? UInt128.Zero : UInt128.MaxValue };
                if (Chance(2)) account = account with { CreditsPosted = 1 };
                if (Chance(2)) account = account with { Flags = account.Flags | AccountFlags.DebitsMustNotExceedCredits | AccountFlags.CreditsMustNotExceedDebits };
                batch[i] = account;
            }
            return batch;
        }

        public Transfer[] TransferBatch()
        {
            var batch = new Transfer[_random.Next(1, 12)];
            for (var i = 0; i < batch.Length; i++) batch[i] = NextTransfer();
            _sent.AddRange(batch);
            return batch;
        }

        private Transfer NextTransfer()
        {
            var linked = Chance(10) ? TransferFlags.Linked : TransferFlags.None;
            var id = Chance(5) && _sent.Count > 0 ? _sent[_random.Next(_sent.Count)].Id : (UInt128)_nextId++;
            var kind = _random.Next(100);
            if (kind < 12 && _sent.Count > 0)
            {
                // A retry: the same request, or the same id with one field changed.
                var old = _created.Count > 0 && Chance(70) ? _created[_random.Next(_created.Count)] : _sent[_random.Next(_sent.Count)];
                if (Chance(50)) old = old with { Flags = (old.Flags & ~TransferFlags.Linked) | linked };
                return _random.Next(6) switch
                {
                    0 => old with { Amount = old.Amount + 1 },
                    1 => old with { UserData64 = old.UserData64 + 1 },
                    2 when Chance(50) => old with { UserData128 = old.UserData128 + 1 },
                    2 when Chance(50) => old with { UserData32 = old.UserData32 + 1 },
                    3 when Chance(30) => old with { Ledger = old.Ledger + 1 },
                    2 => old with { Code = (ushort)(old.Code + 1) },
                    4 when Chance(30) => old with { CreditAccountId = old.CreditAccountId + 1 },
                    _ => old,
                };
            }
            if (kind < 35 && _pendingIds.Count > 0)
            {
                var pendingId = Chance(90) ? _pendingIds[_random.Next(Math.Max(0, _pendingIds.Count - 8), _pendingIds.Count)]
                    : _sent[_random.Next(_sent.Count)].Id;
                var post = Chance(60);
                var t = post ? L.Post(id, pendingId, Chance(50) ? UInt128.Zero : Amount()) : L.Void(id, pendingId);
                if (!post && Chance(10)) t = t with { Amount = Amount() };
                if (Chance(10)) t = t with { DebitAccountId = AccountId() };
                if (Chance(5)) t = t with { Ledger = (uint)_random.Next(1, 3) };
                if (Chance(5)) t = t with { Code = (ushort)_random.Next(1, 3) };
                return t with { Flags = t.Flags | linked };
            }
            var debit = AccountId();
            var credit = Chance(3) ? debit : AccountId();
            for (var tries = 0; tries < 6 && !Chance(10) && (credit == debit || _ledgerOf.GetValueOrDefault(credit) != _ledgerOf.GetValueOrDefault(debit)); tries++) credit = AccountId();
            var ledger = Chance(5) ? (uint)_random.Next(1, 3) : _ledgerOf.TryGetValue(debit, out var l) ? l : 1;
            var flags = linked;
            uint timeout = 0;
            if (Chance(35))
            {
                flags |= TransferFlags.Pending;
                if (Chance(50)) timeout = (uint)_random.Next(1, 4);
                if (Chance(5)) flags |= TransferFlags.ClosingDebit;
                if (Chance(5)) flags |= TransferFlags.ClosingCredit;
            }
            if (Chance(10)) flags |= TransferFlags.BalancingDebit;
            if (Chance(10)) flags |= TransferFlags.BalancingCredit;
            var transfer = L.Transfer(id, debit, credit, Amount(), ledger, (ushort)_random.Next(1, 3), flags, timeoutSeconds: timeout) with
            {
                UserData64 = (ulong)_random.Next(3),
            };
            return _random.Next(60) switch
            {
                0 => transfer with { Id = UInt128.Zero },
                1 => transfer with { Id = UInt128.MaxValue },
                2 => transfer with { Timestamp = 1 },
                3 => transfer with { Flags = transfer.Flags | (TransferFlags)(1 << 9) },
                4 => transfer with { Flags = transfer.Flags | TransferFlags.PostPendingTransfer },
                5 => transfer with { PendingId = 5 },
                6 => transfer with { TimeoutSeconds = 1 },
                7 => transfer with { Code = 0 },
                8 => transfer with { Flags = (transfer.Flags & ~TransferFlags.Pending) | TransferFlags.ClosingDebit, TimeoutSeconds = 0 },
                _ => transfer,
            };
        }

        public int Next(int max) => _random.Next(max);
    }

    /// <summary>Runs one seed; throws with the seed and batch number on the first disagreement.</summary>
    internal static void Replay(int seed, int batches)
    {
        var options = new LedgerEngineOptions { AccountsMax = 9, TransfersMax = seed % 3 == 0 ? 50 : 400, LedgersMax = 2, BatchItemsMax = 16 };
        var engine = new LedgerEngine(options);
        var reference = new ReferenceLedger(options.AccountsMax, options.TransfersMax, options.LedgersMax);
        var workload = new Workload(seed);
        for (var b = 0; b < batches; b++)
        {
            try
            {
                var timestamp = workload.NextTimestamp();
                var op = b == 0 ? -1 : workload.Next(100);
                if (op < 8)
                {
                    var batch = op < 0 ? workload.InitialAccounts() : workload.AccountBatch();
                    var actual = new CreateAccountResult[batch.Length];
                    engine.CreateAccounts(batch, timestamp, actual);
                    Assert.Equal(reference.CreateAccounts(batch, timestamp), actual);
                }
                else if (op < 12)
                {
                    Assert.Equal(reference.Expire(timestamp), engine.ExpirePendingTransfers(timestamp));
                }
                else
                {
                    var batch = workload.TransferBatch();
                    var actual = new CreateTransferResult[batch.Length];
                    engine.CreateTransfers(batch, timestamp, actual);
                    Assert.Equal(reference.CreateTransfers(batch, timestamp), actual);
                    workload.Observe(batch, actual);
                }
                Compare(engine, reference);
                engine.Audit();
            }
            catch (Exception e) when (e is not ReplayFailure)
            {
                throw new ReplayFailure($"seed {seed}, batch {b}: {e.Message}", e);
            }
        }
    }

    private static void Compare(LedgerEngine engine, ReferenceLedger reference)
    {
        Assert.Equal(reference.LastTimestamp, engine.LastTimestamp);
        var accounts = reference.Accounts.ToArray();
        Assert.Equal(accounts.Length, engine.AccountCount);
        foreach (var expected in accounts)
        {
            Assert.True(engine.TryGetAccount(expected.Id, out var actual));
            Assert.Equal(expected, actual);
            if ((expected.Flags & AccountFlags.History) != 0)
            {
                Assert.True(engine.TryGetAccountBalanceAt(expected.Id, engine.LastTimestamp, out var at));
                Assert.Equal((expected.DebitsPending, expected.DebitsPosted, expected.CreditsPending, expected.CreditsPosted),
                    (at.DebitsPending, at.DebitsPosted, at.CreditsPending, at.CreditsPosted));
            }
        }
        var transfers = reference.Transfers.ToArray();
        Assert.Equal(transfers.Length, engine.TransferCount);
        foreach (var expected in transfers)
        {
            Assert.True(engine.TryGetTransfer(expected.Id, out var actual));
            Assert.Equal(expected, actual);
            Assert.Equal(reference.StatusOf(expected.Id), engine.GetPendingStatus(expected.Id));
        }
    }

    internal sealed class ReplayFailure(string message, Exception inner) : Exception(message, inner);

    [Fact]
    public void The_engine_agrees_with_the_reference_on_random_batches()
    {
        for (var seed = 1; seed <= 150; seed++) Replay(seed, batches: 80);
    }
}
