using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BitCurrent.Ledger;

/// <summary>A custody wallet's balance as the chain (or the custodian) reports it.</summary>
/// <param name="WalletId">The wallet (hot, cold, ...).</param>
/// <param name="Currency">The asset code.</param>
/// <param name="Amount">Minor units.</param>
public readonly record struct CustodyWalletBalance(string WalletId, string Currency, UInt128 Amount);

/// <summary>The status of a deposit in the deposits table. Values never change.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DepositStatus>))]
public enum DepositStatus
{
    /// <summary>Seen, not yet confirmed enough: must not be in the ledger.</summary>
    Pending = 1,

    /// <summary>Credited to the user: must be in the ledger exactly once.</summary>
    Credited = 2,

    /// <summary>Failed or reorganised away: must not be in the ledger.</summary>
    Failed = 3,
}

/// <summary>A row of the deposits table.</summary>
/// <param name="DepositId">The deposit's id (the ledger's user_data_128 of its credit).</param>
/// <param name="UserId">The user.</param>
/// <param name="Currency">The asset code.</param>
/// <param name="Amount">Minor units.</param>
/// <param name="Status">Where the deposit stands.</param>
public readonly record struct DepositRecord(ulong DepositId, ulong UserId, string Currency, UInt128 Amount, DepositStatus Status);

/// <summary>The status of a withdrawal in the withdrawals table. Values never change.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WithdrawalStatus>))]
public enum WithdrawalStatus
{
    /// <summary>Requested and approved, not yet sent: the ledger must hold it (pending).</summary>
    Requested = 1,

    /// <summary>Sent on chain: the ledger must have posted it.</summary>
    Completed = 2,

    /// <summary>Cancelled: the ledger must have voided it (or never held it).</summary>
    Cancelled = 3,

    /// <summary>Failed: the ledger must have voided it (or never held it).</summary>
    Failed = 4,
}

/// <summary>A row of the withdrawals table.</summary>
/// <param name="WithdrawalId">The withdrawal's id (the ledger's user_data_128 of its hold).</param>
/// <param name="UserId">The user.</param>
/// <param name="Currency">The asset code.</param>
/// <param name="Amount">Minor units sent (fee excluded).</param>
/// <param name="Status">Where the withdrawal stands.</param>
public readonly record struct WithdrawalRecord(ulong WithdrawalId, ulong UserId, string Currency, UInt128 Amount, WithdrawalStatus Status);

/// <summary>What reconciliation compares the ledger with.</summary>
/// <param name="Wallets">Custody wallet balances (several wallets per currency are summed).</param>
/// <param name="Deposits">The deposits table.</param>
/// <param name="Withdrawals">The withdrawals table.</param>
public sealed record ReconciliationInput(
    IReadOnlyList<CustodyWalletBalance> Wallets, IReadOnlyList<DepositRecord> Deposits, IReadOnlyList<WithdrawalRecord> Withdrawals);

/// <summary>The kinds of discrepancy (47xx). Numbers are never reused; a golden test pins them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DiscrepancyKind>))]
public enum DiscrepancyKind
{
    /// <summary>Custody wallets hold a different amount than the ledger's custody account says.</summary>
    BalanceMismatch = 4701,

    /// <summary>A wallet or record names a currency that is not a registered asset.</summary>
    UnknownCurrency = 4702,

    /// <summary>A deposit is marked credited but the ledger has no entry for it.</summary>
    DepositMissingFromLedger = 4703,

    /// <summary>The ledger credits a deposit that is not in the deposits table.</summary>
    LedgerDepositWithoutRecord = 4704,

    /// <summary>The ledger credits the same deposit more than once.</summary>
    DepositCreditedTwice = 4705,

    /// <summary>The ledger's entry differs from the record in amount, currency or user.</summary>
    DepositAmountMismatch = 4706,

    /// <summary>The ledger credits a deposit whose record is not marked credited.</summary>
    DepositStatusMismatch = 4707,

    /// <summary>A withdrawal's status and its ledger hold disagree (e.g. completed but still pending in the ledger).</summary>
    WithdrawalOutOfStep = 4708,

    /// <summary>The ledger holds a withdrawal that is not in the withdrawals table.</summary>
    LedgerWithdrawalWithoutRecord = 4709,

    /// <summary>The ledger's hold differs from the record in amount, currency or user.</summary>
    WithdrawalAmountMismatch = 4710,
}

/// <summary>One discrepancy.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Currency">The asset code concerned.</param>
/// <param name="ReferenceId">The deposit or withdrawal id (0 for balances).</param>
/// <param name="Expected">What the ledger (or the rule) expects.</param>
/// <param name="Actual">What was found.</param>
/// <param name="Detail">A sentence for the operator.</param>
public sealed record Discrepancy(DiscrepancyKind Kind, string Currency, ulong ReferenceId, string Expected, string Actual, string Detail)
{
    /// <summary>The numbered reason (<see cref="Kind"/> as a number).</summary>
    public int Code => (int)Kind;
}

/// <summary>Custody wallets against the ledger for one currency.</summary>
/// <param name="Currency">The asset code.</param>
/// <param name="Scale">Decimal places, for printing.</param>
/// <param name="WalletAmount">Sum of the wallets, minor units.</param>
/// <param name="LedgerAmount">The ledger's custody balance, minor units.</param>
public sealed record CurrencyBalanceLine(
    string Currency,
    byte Scale,
    [property: JsonNumberHandling(JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString)] UInt128 WalletAmount,
    [property: JsonNumberHandling(JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString)] Int128 LedgerAmount)
{
    /// <summary>Wallets minus ledger, in minor units (signed, exact).</summary>
    public string Difference => ((BigInteger)WalletAmount - (BigInteger)LedgerAmount).ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The result of a reconciliation run: a line per currency and every discrepancy found. Machine-readable (records,
/// <see cref="ToJson"/>) and printable (<see cref="Write"/>). Amounts in JSON are strings of minor units.
/// </summary>
/// <param name="LedgerTimestamp">The ledger's <see cref="LedgerEngine.LastTimestamp"/> when the run was made.</param>
/// <param name="Balances">One line per currency.</param>
/// <param name="Discrepancies">Everything that does not match, in a deterministic order.</param>
public sealed record ReconciliationReport(ulong LedgerTimestamp, IReadOnlyList<CurrencyBalanceLine> Balances, IReadOnlyList<Discrepancy> Discrepancies)
{
    /// <summary>True when nothing is wrong.</summary>
    public bool IsBalanced => Discrepancies.Count == 0;

    /// <summary>The report as indented JSON (camelCase, enum names as strings, amounts as strings).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, LedgerJsonContext.Default.ReconciliationReport);

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">The text is not a report.</exception>
    public static ReconciliationReport FromJson(string json) =>
        JsonSerializer.Deserialize(json, LedgerJsonContext.Default.ReconciliationReport) ?? throw new JsonException("The JSON is null.");

    /// <summary>Prints the report as two aligned tables (balances, then discrepancies).</summary>
    public void Write(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var status = IsBalanced ? "BALANCED" : $"{Discrepancies.Count} DISCREPANCIES";
        writer.WriteLine($"Reconciliation at ledger timestamp {LedgerTimestamp.ToString(CultureInfo.InvariantCulture)}: {status}");
        var balanceRows = new List<string[]> { new[] { "Currency", "Wallets", "Ledger", "Difference" } };
        foreach (var line in Balances)
        {
            balanceRows.Add([line.Currency, FormatScaled(line.WalletAmount, line.Scale), FormatScaled(line.LedgerAmount, line.Scale),
                FormatScaled(BigInteger.Parse(line.Difference, CultureInfo.InvariantCulture), line.Scale)]);
        }
        WriteTable(writer, balanceRows, rightAligned: [false, true, true, true]);
        if (Discrepancies.Count == 0) return;
        writer.WriteLine();
        var rows = new List<string[]> { new[] { "Code", "Kind", "Currency", "Reference", "Expected", "Actual", "Detail" } };
        foreach (var d in Discrepancies)
        {
            rows.Add([d.Code.ToString(CultureInfo.InvariantCulture), d.Kind.ToString(), d.Currency,
                d.ReferenceId.ToString(CultureInfo.InvariantCulture), d.Expected, d.Actual, d.Detail]);
        }
        WriteTable(writer, rows, rightAligned: [false, false, false, true, false, false, false]);
    }

    /// <summary>The printed report.</summary>
    public override string ToString()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(writer);
        return writer.ToString();
    }

    private static string FormatScaled(BigInteger value, byte scale)
    {
        var negative = value.Sign < 0;
        var digits = BigInteger.Abs(value).ToString(CultureInfo.InvariantCulture);
        if (scale > 0)
        {
            if (digits.Length <= scale) digits = new string('0', scale - digits.Length + 1) + digits;
            digits = string.Concat(digits.AsSpan(0, digits.Length - scale), ".", digits.AsSpan(digits.Length - scale));
        }
        return negative ? "-" + digits : digits;
    }

    private static void WriteTable(TextWriter writer, List<string[]> rows, bool[] rightAligned)
    {
        var widths = new int[rows[0].Length];
        foreach (var row in rows)
            for (var c = 0; c < row.Length; c++) widths[c] = Math.Max(widths[c], row[c].Length);
        var sb = new StringBuilder();
        foreach (var row in rows)
        {
            sb.Clear();
            for (var c = 0; c < row.Length; c++)
            {
                if (c > 0) sb.Append("  ");
                var last = c == row.Length - 1;
                if (rightAligned[c]) sb.Append(row[c].PadLeft(widths[c]));
                else sb.Append(last ? row[c] : row[c].PadRight(widths[c]));
            }
            writer.WriteLine(sb.ToString().TrimEnd());
        }
    }
}

/// <summary>
/// Compares the ledger with custody and with the deposit and withdrawal records, as the runbook's
/// "Reconciliation Discrepancy" procedure does by hand, and lists every discrepancy. It changes nothing: corrections
/// go through <see cref="AdjustmentDesk"/> (maker-checker), then reconciliation runs again.
/// </summary>
public static class Reconciler
{
    /// <summary>Runs a reconciliation. O(transfers + records).</summary>
    public static ReconciliationReport Run(ExchangeLedger ledger, ReconciliationInput input)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(input);
        var discrepancies = new List<Discrepancy>();
        var lines = new List<CurrencyBalanceLine>();
        var assets = ledger.Assets;

        // 1. Balances per currency: custody wallets against the ledger's custody account.
        var walletSums = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        var walletOrder = new List<string>();
        foreach (var w in input.Wallets)
        {
            if (!walletSums.TryGetValue(w.Currency, out var sum)) walletOrder.Add(w.Currency);
            walletSums[w.Currency] = sum + w.Amount;
        }
        foreach (var asset in assets.Assets)
        {
            var wallet = walletSums.TryGetValue(asset.Code, out var sum) ? sum : BigInteger.Zero;
            var ledgerAmount = ledger.GetCustodyBalance(asset);
            lines.Add(new CurrencyBalanceLine(asset.Code, asset.Scale, Clamp(wallet), ledgerAmount));
            if (wallet != ledgerAmount)
            {
                discrepancies.Add(new Discrepancy(DiscrepancyKind.BalanceMismatch, asset.Code, 0,
                    asset.Format(ToUnsigned(ledgerAmount)), Clamp(wallet) == wallet ? asset.Format(Clamp(wallet)) : wallet.ToString(CultureInfo.InvariantCulture),
                    $"custody wallets differ from the ledger by {(wallet - ledgerAmount).ToString(CultureInfo.InvariantCulture)} minor units"));
            }
        }
        foreach (var currency in walletOrder)
        {
            if (assets.TryGetByCode(currency, out _)) continue;
            lines.Add(new CurrencyBalanceLine(currency, 0, Clamp(walletSums[currency]), Int128.Zero));
            discrepancies.Add(new Discrepancy(DiscrepancyKind.UnknownCurrency, currency, 0, "a registered asset", currency,
                "a custody wallet holds a currency the ledger does not list"));
        }

        // 2. Deposits: each credited record exactly once in the ledger, nothing else.
        var transfers = ledger.Engine.TransfersSpan;
        var states = ledger.Engine.TransferStatesSpan;
        var deposits = new Dictionary<ulong, List<int>>();
        var depositOrder = new List<ulong>();
        var withdrawals = new Dictionary<ulong, int>();
        var withdrawalOrder = new List<ulong>();
        for (var i = 0; i < transfers.Length; i++)
        {
            ref readonly var t = ref transfers[i];
            if (t.Code is (ushort)FlowCode.Deposit or (ushort)FlowCode.DepositCorrection && (t.Flags & TransferFlags.Pending) == 0 &&
                (t.Flags & (TransferFlags.PostPendingTransfer | TransferFlags.VoidPendingTransfer)) == 0)
            {
                var id = (ulong)t.UserData128;
                if (!deposits.TryGetValue(id, out var list))
                {
                    deposits[id] = list = [];
                    depositOrder.Add(id);
                }
                list.Add(i);
            }
            else if (t.Code == (ushort)FlowCode.Withdrawal && (t.Flags & TransferFlags.Pending) != 0)
            {
                var id = (ulong)t.UserData128;
                if (withdrawals.TryAdd(id, i)) withdrawalOrder.Add(id);
            }
        }

        var depositRecords = new HashSet<ulong>();
        foreach (var record in input.Deposits)
        {
            depositRecords.Add(record.DepositId);
            var known = assets.TryGetByCode(record.Currency, out var asset);
            if (!known)
            {
                discrepancies.Add(new Discrepancy(DiscrepancyKind.UnknownCurrency, record.Currency, record.DepositId, "a registered asset",
                    record.Currency, "a deposit record names a currency the ledger does not list"));
            }
            var entries = deposits.TryGetValue(record.DepositId, out var found) ? found : null;
            if (entries is null)
            {
                if (record.Status == DepositStatus.Credited)
                {
                    discrepancies.Add(new Discrepancy(DiscrepancyKind.DepositMissingFromLedger, record.Currency, record.DepositId,
                        "1 ledger entry", "0 ledger entries", "the deposit is marked credited but the ledger never credited it"));
                }
                continue;
            }
            if (entries.Count > 1)
            {
                discrepancies.Add(new Discrepancy(DiscrepancyKind.DepositCreditedTwice, record.Currency, record.DepositId,
                    "1 ledger entry", $"{entries.Count} ledger entries", "the ledger credits this deposit more than once"));
            }
            if (record.Status != DepositStatus.Credited)
            {
                discrepancies.Add(new Discrepancy(DiscrepancyKind.DepositStatusMismatch, record.Currency, record.DepositId,
                    nameof(DepositStatus.Credited), record.Status.ToString(), "the ledger credits a deposit whose record is not marked credited"));
            }
            ref readonly var entry = ref transfers[entries[0]];
            var expectedAccount = known ? LedgerAccounts.UserAvailable(record.UserId, asset!) : UInt128.Zero;
            if (!known || entry.Amount != record.Amount || entry.Ledger != asset!.Ledger || entry.CreditAccountId != expectedAccount)
            {
                discrepancies.Add(new Discrepancy(DiscrepancyKind.DepositAmountMismatch, record.Currency, record.DepositId,
                    Describe(record.Amount, record.Currency, record.UserId), Describe(entry, assets),
                    "the ledger's credit differs from the deposit record"));
            }
        }
        foreach (var id in depositOrder)
        {
            if (depositRecords.Contains(id)) continue;
            ref readonly var entry = ref transfers[deposits[id][0]];
            discrepancies.Add(new Discrepancy(DiscrepancyKind.LedgerDepositWithoutRecord, CurrencyOf(entry.Ledger, assets), id,
                "a deposit record", "none", "the ledger credits a deposit the deposits table does not know"));
        }

        // 3. Withdrawals: the ledger hold must be in step with the record's status.
        var withdrawalRecords = new HashSet<ulong>();
        foreach (var record in input.Withdrawals)
        {
            withdrawalRecords.Add(record.WithdrawalId);
            var actual = withdrawals.TryGetValue(record.WithdrawalId, out var slot) ? states[slot].Status : PendingStatus.None;
            var inStep = record.Status switch
            {
                WithdrawalStatus.Requested => actual == PendingStatus.Pending,
                WithdrawalStatus.Completed => actual == PendingStatus.Posted,
                _ => actual is PendingStatus.None or PendingStatus.Voided or PendingStatus.Expired,
            };
            if (!inStep)
            {
                var expected = record.Status switch
                {
                    WithdrawalStatus.Requested => "held (pending)",
                    WithdrawalStatus.Completed => "posted",
                    _ => "voided, expired or absent",
                };
                discrepancies.Add(new Discrepancy(DiscrepancyKind.WithdrawalOutOfStep, record.Currency, record.WithdrawalId,
                    expected, actual == PendingStatus.None ? "absent" : actual.ToString().ToLowerInvariant(),
                    $"the withdrawal is {record.Status.ToString().ToLowerInvariant()} but the ledger disagrees"));
            }
            if (actual != PendingStatus.None)
            {
                ref readonly var hold = ref transfers[slot];
                var known = assets.TryGetByCode(record.Currency, out var asset);
                if (!known || hold.Amount != record.Amount || hold.Ledger != asset!.Ledger ||
                    hold.DebitAccountId != LedgerAccounts.UserAvailable(record.UserId, asset))
                {
                    discrepancies.Add(new Discrepancy(DiscrepancyKind.WithdrawalAmountMismatch, record.Currency, record.WithdrawalId,
                        Describe(record.Amount, record.Currency, record.UserId), Describe(hold, assets),
                        "the ledger's hold differs from the withdrawal record"));
                }
            }
        }
        foreach (var id in withdrawalOrder)
        {
            if (withdrawalRecords.Contains(id)) continue;
            ref readonly var hold = ref transfers[withdrawals[id]];
            discrepancies.Add(new Discrepancy(DiscrepancyKind.LedgerWithdrawalWithoutRecord, CurrencyOf(hold.Ledger, assets), id,
                "a withdrawal record", "none", "the ledger holds a withdrawal the withdrawals table does not know"));
        }

        return new ReconciliationReport(ledger.Engine.LastTimestamp, lines, discrepancies);
    }

    private static UInt128 Clamp(BigInteger value) =>
        value.Sign < 0 ? UInt128.Zero : value > (BigInteger)UInt128.MaxValue ? UInt128.MaxValue : (UInt128)value;

    private static UInt128 ToUnsigned(Int128 value) => value < 0 ? UInt128.Zero : (UInt128)value;

    private static string CurrencyOf(uint ledger, AssetRegistry assets) =>
        assets.TryGetByLedger(ledger, out var asset) ? asset.Code : $"ledger {ledger.ToString(CultureInfo.InvariantCulture)}";

    private static string Describe(UInt128 amount, string currency, ulong userId) =>
        string.Create(CultureInfo.InvariantCulture, $"{amount} {currency} to user {userId}");

    private static string Describe(in Transfer t, AssetRegistry assets)
    {
        var user = LedgerAccounts.TryDecode(t.Code == (ushort)FlowCode.Withdrawal ? t.DebitAccountId : t.CreditAccountId, out _, out _, out var id) ? id : 0;
        return string.Create(CultureInfo.InvariantCulture, $"{t.Amount} {CurrencyOf(t.Ledger, assets)} to user {user}");
    }
}

/// <summary>System.Text.Json source generation for the package's JSON shapes (no reflection, trimming-safe).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReconciliationReport))]
internal sealed partial class LedgerJsonContext : JsonSerializerContext;
