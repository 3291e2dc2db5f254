namespace BitCurrent.Ledger;

/// <summary>A user's position in one asset.</summary>
/// <param name="Available">What the user can spend or withdraw: posted credits − posted debits − held.</param>
/// <param name="Held">What open orders and withdrawals hold (the account's pending debits).</param>
/// <param name="Total">What the exchange owes the user: posted credits − posted debits (= available + held).</param>
public readonly record struct UserBalance(UInt128 Available, UInt128 Held, UInt128 Total);

/// <summary>A user's liability in one asset, the input of the proof of liabilities.</summary>
/// <param name="UserId">The user.</param>
/// <param name="Balance">What the exchange owes the user, in minor units (never negative in a sound ledger).</param>
public readonly record struct UserLiability(ulong UserId, Int128 Balance);

/// <summary>
/// The exchange's flows on top of a <see cref="LedgerEngine"/>: accounts per the chart in <see cref="LedgerAccounts"/>,
/// transfers built by <see cref="SettlementFlows"/>, one engine batch per call (with the caller's timestamp). Every
/// flow is idempotent: its transfer ids derive from the external ids (deposit, withdrawal, order, trade), so a retry
/// reports <see cref="FlowError.AlreadyApplied"/> and changes nothing.
/// </summary>
/// <remarks>Single-threaded, like the engine. Calls do not allocate, except the balance listings.</remarks>
public sealed class ExchangeLedger
{
    private static readonly LedgerAccountKind[] SystemKinds =
        [LedgerAccountKind.Escrow, LedgerAccountKind.Custody, LedgerAccountKind.Fees, LedgerAccountKind.Adjustments];

    /// <summary>Wraps an engine.</summary>
    public ExchangeLedger(LedgerEngine engine, AssetRegistry assets)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(assets);
        Engine = engine;
        Assets = assets;
    }

    /// <summary>The engine the flows run on.</summary>
    public LedgerEngine Engine { get; }

    /// <summary>The listed assets.</summary>
    public AssetRegistry Assets { get; }

    /// <summary>Creates the per-asset system accounts (escrow, custody, fees, adjustments) of every listed asset. Idempotent.</summary>
    public FlowResult OpenSystemAccounts(ulong timestamp)
    {
        var accounts = new Account[Assets.Assets.Count * SystemKinds.Length];
        var n = 0;
        foreach (var asset in Assets.Assets)
        {
            foreach (var kind in SystemKinds) accounts[n++] = LedgerAccounts.NewAccount(kind, asset);
        }
        return CreateAccounts(accounts, timestamp);
    }

    /// <summary>Creates a user's account in every listed asset. Idempotent.</summary>
    public FlowResult OpenUserAccounts(ulong userId, ulong timestamp)
    {
        Span<Account> accounts = Assets.Assets.Count <= 64 ? stackalloc Account[Assets.Assets.Count] : new Account[Assets.Assets.Count];
        for (var i = 0; i < accounts.Length; i++) accounts[i] = LedgerAccounts.NewAccount(LedgerAccountKind.UserAvailable, Assets.Assets[i], userId);
        return CreateAccounts(accounts, timestamp);
    }

    /// <summary>Credits a confirmed deposit (custody → user).</summary>
    public FlowResult CreditDeposit(in DepositCredit deposit, ulong timestamp)
    {
        if (!Assets.Contains(deposit.Asset)) return FlowResult.Rejected(FlowError.AssetNotRegistered);
        Span<Transfer> transfers = stackalloc Transfer[1];
        var error = SettlementFlows.Deposit(in deposit, transfers, out var count);
        return error != FlowError.None ? FlowResult.Rejected(error) : Run(transfers[..count], timestamp);
    }

    /// <summary>Holds a withdrawal's amount and fee (pending) until <see cref="CompleteWithdrawal"/> or <see cref="CancelWithdrawal"/>.</summary>
    public FlowResult RequestWithdrawal(in WithdrawalRequest withdrawal, ulong timestamp)
    {
        if (!Assets.Contains(withdrawal.Asset)) return FlowResult.Rejected(FlowError.AssetNotRegistered);
        Span<Transfer> transfers = stackalloc Transfer[2];
        var error = SettlementFlows.WithdrawalHold(in withdrawal, transfers, out var count);
        return error != FlowError.None ? FlowResult.Rejected(error) : Run(transfers[..count], timestamp);
    }

    /// <summary>Posts a held withdrawal (the coins were sent): the user's debit and the custody credit become final.</summary>
    public FlowResult CompleteWithdrawal(ulong withdrawalId, ulong timestamp) => ResolveWithdrawal(withdrawalId, post: true, timestamp);

    /// <summary>Voids a held withdrawal (rejected or failed): the amount and fee return to the user.</summary>
    public FlowResult CancelWithdrawal(ulong withdrawalId, ulong timestamp) => ResolveWithdrawal(withdrawalId, post: false, timestamp);

    /// <summary>Holds an order's maximum cost (user → escrow, pending). The hold id is <see cref="FlowTransferIds.OrderHold"/>.</summary>
    public FlowResult PlaceOrderHold(in OrderHoldRequest hold, ulong timestamp)
    {
        if (!Assets.Contains(hold.Asset)) return FlowResult.Rejected(FlowError.AssetNotRegistered);
        Span<Transfer> transfers = stackalloc Transfer[1];
        var error = SettlementFlows.OrderHold(in hold, transfers, out var count);
        return error != FlowError.None ? FlowResult.Rejected(error) : Run(transfers[..count], timestamp);
    }

    /// <summary>Releases a hold (order cancelled): voids the pending transfer <paramref name="holdId"/>.</summary>
    public FlowResult ReleaseOrderHold(UInt128 holdId, ulong timestamp)
    {
        Span<Transfer> transfers = stackalloc Transfer[1];
        SettlementFlows.ReleaseHold(holdId, transfers, out var count);
        return Run(transfers[..count], timestamp);
    }

    /// <summary>
    /// Settles a trade as one linked chain (see <see cref="SettlementFlows.Trade"/>). After success, an order that is
    /// not done is held by <see cref="FlowTransferIds.TradeReHold"/>(trade id, its role).
    /// </summary>
    public FlowResult SettleTrade(in TradeSettlement trade, ulong timestamp)
    {
        if (!Assets.Contains(trade.Base) || !Assets.Contains(trade.Quote)) return FlowResult.Rejected(FlowError.AssetNotRegistered);
        Span<Transfer> transfers = stackalloc Transfer[SettlementFlows.TradeTransfersMax];
        var error = SettlementFlows.Trade(in trade, transfers, out var count);
        return error != FlowError.None ? FlowResult.Rejected(error) : Run(transfers[..count], timestamp);
    }

    /// <summary>A user's position in an asset (zero when the account does not exist).</summary>
    public UserBalance GetUserBalance(ulong userId, Asset asset)
    {
        if (!Engine.TryGetAccount(LedgerAccounts.UserAvailable(userId, asset), out var a)) return default;
        var total = a.CreditsPosted - a.DebitsPosted;  // never negative: debits_must_not_exceed_credits
        return new UserBalance(total - a.DebitsPending, a.DebitsPending, total);
    }

    /// <summary>What the ledger says custody holds for an asset: the custody account's posted debits − posted credits.</summary>
    public Int128 GetCustodyBalance(Asset asset)
    {
        if (!Engine.TryGetAccount(LedgerAccounts.Custody(asset), out var a)) return Int128.Zero;
        return SignedDifference(a.DebitsPosted, a.CreditsPosted);
    }

    /// <summary>Every user's liability in an asset (posted credits − posted debits of the user's account), by user id.</summary>
    public IReadOnlyList<UserLiability> GetUserLiabilities(Asset asset)
    {
        ArgumentNullException.ThrowIfNull(asset);
        var list = new List<UserLiability>();
        foreach (ref readonly var a in Engine.AccountsSpan)
        {
            if (a.Ledger != asset.Ledger || a.Code != (ushort)LedgerAccountKind.UserAvailable) continue;
            list.Add(new UserLiability(a.UserData64, SignedDifference(a.CreditsPosted, a.DebitsPosted)));
        }
        list.Sort(static (x, y) => x.UserId.CompareTo(y.UserId));
        return list;
    }

    internal static Int128 SignedDifference(UInt128 plus, UInt128 minus) =>
        plus >= minus ? checked((Int128)(plus - minus)) : -checked((Int128)(minus - plus));

    /// <summary>Runs a flow's transfers as one engine batch and summarises the results.</summary>
    public FlowResult Run(ReadOnlySpan<Transfer> transfers, ulong timestamp)
    {
        Span<CreateTransferResult> results = transfers.Length <= 64
            ? stackalloc CreateTransferResult[transfers.Length]
            : new CreateTransferResult[transfers.Length];
        Engine.CreateTransfers(transfers, timestamp, results);
        return FlowResult.FromTransfers(results);
    }

    private FlowResult ResolveWithdrawal(ulong withdrawalId, bool post, ulong timestamp)
    {
        if (!Engine.TryGetTransfer(FlowTransferIds.WithdrawalHold(withdrawalId), out _)) return FlowResult.Rejected(FlowError.WithdrawalNotFound);
        var hasFee = Engine.TryGetTransfer(FlowTransferIds.WithdrawalFeeHold(withdrawalId), out _);
        Span<Transfer> transfers = stackalloc Transfer[2];
        SettlementFlows.WithdrawalResolve(withdrawalId, hasFee, post, transfers, out var count);
        return Run(transfers[..count], timestamp);
    }

    private FlowResult CreateAccounts(ReadOnlySpan<Account> accounts, ulong timestamp)
    {
        Span<CreateAccountResult> results = accounts.Length <= 256 ? stackalloc CreateAccountResult[accounts.Length] : new CreateAccountResult[accounts.Length];
        Engine.CreateAccounts(accounts, timestamp, results);
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i] is CreateAccountResult.Ok or CreateAccountResult.Exists) continue;
            return new FlowResult(FlowError.AccountRejected, CreateTransferResult.Ok, results[i], i);
        }
        return FlowResult.Ok;
    }
}
