using BitCurrent.Ledger;

namespace BitCurrent.Storage.PostgreSql.Internal;

/// <summary>
/// How a transfer becomes ledger entries: which reference (deposit, withdrawal, trade, fee, adjustment) its flow code
/// and user data name, and what kind of account each leg is. Pure functions, one per column.
/// </summary>
internal static class EntryClassifier
{
    public const string Custody = "custody";

    /// <summary>True for a transfer whose amount has moved for good: single-phase, or the post of a pending transfer.</summary>
    public static bool IsPosted(in Transfer t) => (t.Flags & (TransferFlags.Pending | TransferFlags.VoidPendingTransfer)) == 0;

    /// <summary>
    /// The flow that made a transfer, when its id is a <see cref="FlowTransferIds"/> id whose code agrees with the
    /// stored code (a post or void keeps the pending transfer's code in both); otherwise not a flow transfer.
    /// </summary>
    public static bool TryGetFlow(in Transfer t, out FlowCode code)
    {
        if (FlowTransferIds.TryDecode(t.Id, out code, out _, out _, out _) && (ushort)code == t.Code) return true;
        code = default;
        return false;
    }

    /// <summary>The runbook's reference_type: what the transfer's reference id points at.</summary>
    public static string ReferenceType(in Transfer t) => TryGetFlow(in t, out var code) ? code switch
    {
        FlowCode.Deposit or FlowCode.DepositCorrection => "deposit",
        FlowCode.Withdrawal => "withdrawal",
        FlowCode.WithdrawalFee or FlowCode.TradeFee => "fee",
        FlowCode.OrderHold or FlowCode.TradeBase or FlowCode.TradeQuote => "trade",
        FlowCode.Adjustment => "adjustment",
        _ => "transfer",
    } : "transfer";

    /// <summary>
    /// The reference id: the flow's external id (deposit, withdrawal, trade or proposal id) that every flow writes
    /// into user_data_128 (a trade's posted hold carries the trade id); for other transfers, user_data_128 as is.
    /// </summary>
    public static UInt128 ReferenceId(in Transfer t)
    {
        if (t.UserData128 != UInt128.Zero) return t.UserData128;
        return TryGetFlow(in t, out _) ? (ulong)t.Id : UInt128.Zero;
    }

    /// <summary>The flow code in snake case (<c>deposit</c>, <c>trade_fee</c>, ...), or <c>code_N</c> for other transfers.</summary>
    public static string FlowName(in Transfer t) => TryGetFlow(in t, out var code) ? code switch
    {
        FlowCode.Deposit => "deposit",
        FlowCode.Withdrawal => "withdrawal",
        FlowCode.WithdrawalFee => "withdrawal_fee",
        FlowCode.OrderHold => "order_hold",
        FlowCode.TradeBase => "trade_base",
        FlowCode.TradeQuote => "trade_quote",
        FlowCode.TradeFee => "trade_fee",
        FlowCode.Adjustment => "adjustment",
        FlowCode.DepositCorrection => "deposit_correction",
        _ => CodeName(t.Code),
    } : CodeName(t.Code);

    private static readonly string[] CodeNames = BuildCodeNames();

    private static string CodeName(ushort code) => code < CodeNames.Length ? CodeNames[code] : "code_" + code.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string[] BuildCodeNames()
    {
        var names = new string[256];
        for (var i = 0; i < names.Length; i++) names[i] = "code_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return names;
    }

    /// <summary>The kind of account of a leg (from the chart of accounts' id layout), and its user for a user account.</summary>
    public static string AccountKind(UInt128 accountId, out ulong? userId)
    {
        userId = null;
        if (!LedgerAccounts.TryDecode(accountId, out var kind, out _, out var user)) return "other";
        switch (kind)
        {
            case LedgerAccountKind.UserAvailable:
                userId = user;
                return "user";
            case LedgerAccountKind.Escrow:
                return "escrow";
            case LedgerAccountKind.Custody:
                return Custody;
            case LedgerAccountKind.Fees:
                return "fees";
            case LedgerAccountKind.Adjustments:
                return "adjustments";
            default:
                return "other";
        }
    }
}
