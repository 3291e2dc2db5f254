using BitCurrent.Ledger;

namespace BitCurrent.Ledger.Tests;

/// <summary>Small builders so that tests read as the ledger operations they perform.</summary>
internal static class L
{
    public static LedgerEngine Engine(int accounts = 1024, int transfers = 1 << 16, int batch = 8189, int ledgers = 16) =>
        new(new LedgerEngineOptions { AccountsMax = accounts, TransfersMax = transfers, BatchItemsMax = batch, LedgersMax = ledgers });

    public static Account Account(UInt128 id, uint ledger = 1, ushort code = 1, AccountFlags flags = AccountFlags.None) =>
        new() { Id = id, Ledger = ledger, Code = code, Flags = flags };

    public static Transfer Transfer(UInt128 id, UInt128 debit, UInt128 credit, UInt128 amount, uint ledger = 1, ushort code = 1,
        TransferFlags flags = TransferFlags.None, UInt128 pendingId = default, uint timeoutSeconds = 0) =>
        new()
        {
            Id = id,
            DebitAccountId = debit,
            CreditAccountId = credit,
            Amount = amount,
            Ledger = ledger,
            Code = code,
            Flags = flags,
            PendingId = pendingId,
            TimeoutSeconds = timeoutSeconds,
        };

    public static Transfer Post(UInt128 id, UInt128 pendingId, UInt128 amount = default, TransferFlags extra = TransferFlags.None) =>
        new() { Id = id, PendingId = pendingId, Amount = amount, Flags = TransferFlags.PostPendingTransfer | extra };

    public static Transfer Void(UInt128 id, UInt128 pendingId, TransferFlags extra = TransferFlags.None) =>
        new() { Id = id, PendingId = pendingId, Flags = TransferFlags.VoidPendingTransfer | extra };

    /// <summary>Creates accounts in one batch at the next timestamp.</summary>
    public static CreateAccountResult[] Create(this LedgerEngine engine, params Account[] accounts)
    {
        var results = new CreateAccountResult[accounts.Length];
        engine.CreateAccounts(accounts, engine.LastTimestamp + 1, results);
        return results;
    }

    /// <summary>Creates transfers in one batch at the next timestamp (or at <paramref name="timestamp"/>).</summary>
    public static CreateTransferResult[] Apply(this LedgerEngine engine, params Transfer[] transfers) =>
        engine.ApplyAt(engine.LastTimestamp + 1, transfers);

    public static CreateTransferResult[] ApplyAt(this LedgerEngine engine, ulong timestamp, params Transfer[] transfers)
    {
        var results = new CreateTransferResult[transfers.Length];
        engine.CreateTransfers(transfers, timestamp, results);
        return results;
    }

    public static Account Get(this LedgerEngine engine, UInt128 id) =>
        engine.TryGetAccount(id, out var a) ? a : throw new InvalidOperationException($"no account {id}");

    public static (UInt128 DebitsPending, UInt128 DebitsPosted, UInt128 CreditsPending, UInt128 CreditsPosted) Balances(this LedgerEngine engine, UInt128 id)
    {
        var a = engine.Get(id);
        return (a.DebitsPending, a.DebitsPosted, a.CreditsPending, a.CreditsPosted);
    }

    public const ulong Second = 1_000_000_000UL;
}
