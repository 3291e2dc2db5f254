using System.Numerics;
using BitCurrent.Ledger;
using CsCheck;

namespace BitCurrent.Ledger.Tests;

/// <summary>
/// Properties over generated transfers with edge-biased amounts (0, 1, max, max − 1, 2^127 beside small values):
/// conservation (per ledger, debits = credits exactly, posted and pending), idempotency (a retry applies nothing),
/// and linked atomicity (a chain is applied whole or not at all).
/// </summary>
public class PropertyTests
{
    private const int Accounts = 6;

    private static readonly Gen<UInt128> Amount = Gen.Frequency(
        (2, (IGen<UInt128>)Gen.Const(UInt128.Zero)),
        (2, Gen.Const(UInt128.One)),
        (2, Gen.Const(UInt128.MaxValue)),
        (2, Gen.Const(UInt128.MaxValue - 1)),
        (1, Gen.Const(UInt128.One << 127)),
        (8, Gen.UInt128[1, 1000]));

    private static readonly Gen<TransferFlags> Flags = Gen.Frequency(
        (6, (IGen<TransferFlags>)Gen.Const(TransferFlags.None)),
        (3, Gen.Const(TransferFlags.Pending)),
        (1, Gen.Const(TransferFlags.BalancingDebit)),
        (1, Gen.Const(TransferFlags.BalancingCredit)),
        (1, Gen.Const(TransferFlags.Pending | TransferFlags.BalancingDebit)));

    /// <summary>A transfer between accounts 1..6 (two ledgers: odd and even ids), or a post/void of an earlier id.</summary>
    private static readonly Gen<Transfer> AnyTransfer =
        Gen.Select(Gen.Int[1, Accounts], Gen.Int[1, Accounts], Amount, Flags, Gen.Int[0, 9], Gen.Int[1, 60])
            .Select(x =>
            {
                var (debit, credit, amount, flags, kind, other) = x;
                if (kind == 0) return L.Post(0, (UInt128)other, amount);
                if (kind == 1) return L.Void(0, (UInt128)other);
                return L.Transfer(0, (UInt128)debit, (UInt128)credit, amount, ledger: (uint)(1 + (debit % 2)), flags: flags);
            });

    private static readonly Gen<Transfer[]> Batch = AnyTransfer.Array[1, 40].Select(NumberIds);

    private static Transfer[] NumberIds(Transfer[] batch)
    {
        for (var i = 0; i < batch.Length; i++) batch[i] = batch[i] with { Id = (UInt128)(i + 1) };
        return batch;
    }

    private static LedgerEngine World()
    {
        var engine = L.Engine(accounts: 16, transfers: 256, batch: 64);
        var accounts = new Account[Accounts];
        for (var i = 0; i < Accounts; i++)
        {
            var flags = (i % 3) switch { 0 => AccountFlags.DebitsMustNotExceedCredits, 1 => AccountFlags.CreditsMustNotExceedDebits, _ => AccountFlags.None };
            accounts[i] = L.Account((UInt128)(i + 1), ledger: (uint)(1 + ((i + 1) % 2)), flags: flags);
        }
        engine.Create(accounts);
        return engine;
    }

    private static Account[] Snapshot(LedgerEngine engine)
    {
        var accounts = new Account[Accounts];
        for (var i = 0; i < Accounts; i++) accounts[i] = engine.Get((UInt128)(i + 1));
        return accounts;
    }

    [Fact]
    public void Debits_equal_credits_per_ledger_after_any_batch()
    {
        Batch.Sample(batch =>
        {
            var engine = World();
            engine.Apply(batch);
            foreach (uint ledger in new[] { 1u, 2u })
            {
                BigInteger debitsPosted = 0, creditsPosted = 0, debitsPending = 0, creditsPending = 0;
                foreach (var a in Snapshot(engine))
                {
                    if (a.Ledger != ledger) continue;
                    debitsPosted += a.DebitsPosted;
                    creditsPosted += a.CreditsPosted;
                    debitsPending += a.DebitsPending;
                    creditsPending += a.CreditsPending;
                }
                Assert.Equal(debitsPosted, creditsPosted);
                Assert.Equal(debitsPending, creditsPending);
            }
            engine.Audit();
        }, iter: 400, threads: 1);
    }

    [Fact]
    public void A_retry_applies_nothing_and_reports_exists()
    {
        Batch.Sample(batch =>
        {
            var engine = World();
            var first = engine.Apply(batch);
            var applied = batch.Where((_, i) => first[i] == CreateTransferResult.Ok).ToArray();
            var accounts = Snapshot(engine);
            var count = engine.TransferCount;
            var retry = engine.Apply(applied);
            Assert.All(retry, r => Assert.Equal(CreateTransferResult.Exists, r));
            Assert.Equal(accounts, Snapshot(engine));
            Assert.Equal(count, engine.TransferCount);
        }, iter: 400, threads: 1);
    }

    [Fact]
    public void A_linked_chain_is_applied_whole_or_not_at_all()
    {
        Gen.Select(Batch, Batch).Sample((setup, chain) =>
        {
            var engine = World();
            engine.Apply(setup);
            chain = chain.Select((t, i) => t with
            {
                Id = (UInt128)(1000 + i),
                Flags = i < chain.Length - 1 ? t.Flags | TransferFlags.Linked : t.Flags & ~TransferFlags.Linked,
            }).ToArray();
            var accounts = Snapshot(engine);
            var count = engine.TransferCount;
            var results = engine.Apply(chain);
            if (results.All(r => r == CreateTransferResult.Ok))
            {
                Assert.Equal(count + chain.Length, engine.TransferCount);
            }
            else
            {
                Assert.Single(results, r => r != CreateTransferResult.LinkedEventFailed);
                Assert.Equal(accounts, Snapshot(engine));
                Assert.Equal(count, engine.TransferCount);
                Assert.All(chain, t => Assert.False(engine.TryGetTransfer(t.Id, out _)));
            }
            engine.Audit();
        }, iter: 400, threads: 1);
    }

    [Fact]
    public void Records_round_trip_through_their_binary_layout()
    {
        Gen.Select(Gen.UInt128, Gen.UInt128, Amount, Gen.ULong, Gen.UInt, Gen.UShort, Gen.UShort).Sample(x =>
        {
            var (a, b, amount, u64, u32, code, flags) = x;
            var transfer = new Transfer
            {
                Id = a,
                DebitAccountId = b,
                CreditAccountId = a ^ b,
                Amount = amount,
                PendingId = b,
                UserData128 = a,
                UserData64 = u64,
                UserData32 = u32,
                TimeoutSeconds = u32 ^ 5,
                Ledger = u32,
                Code = code,
                Flags = (TransferFlags)flags,
                Timestamp = u64,
            };
            var account = new Account
            {
                Id = a,
                DebitsPending = b,
                DebitsPosted = amount,
                CreditsPending = a ^ b,
                CreditsPosted = b,
                UserData128 = a,
                UserData64 = u64,
                UserData32 = u32,
                Reserved = u32 ^ 1,
                Ledger = u32,
                Code = code,
                Flags = (AccountFlags)flags,
                Timestamp = u64,
            };
            Span<byte> bytes = stackalloc byte[128];
            transfer.Write(bytes);
            Assert.Equal(transfer, Transfer.Read(bytes));
            account.Write(bytes);
            Assert.Equal(account, Account.Read(bytes));
        }, iter: 500, threads: 1);
    }
}
