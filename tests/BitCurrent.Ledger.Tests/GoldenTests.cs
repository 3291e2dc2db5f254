using System.Buffers;
using System.Reflection;
using System.Runtime.CompilerServices;
using BitCurrent.Ledger;
using BitCurrent.Ledger.Internal;

namespace BitCurrent.Ledger.Tests;

/// <summary>
/// Pins every persisted number and byte: result codes (values AND declaration order, which is the documented
/// precedence), flags, the 128-byte records and the snapshot header. Values are added, never changed. The expected
/// bytes were computed by an independent script from the documented layouts, not copied from the code's output.
/// </summary>
public class GoldenTests
{
    private static void AssertEnum<T>(params (string Name, long Value)[] expected) where T : struct, Enum
    {
        var fields = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static);
        var actual = Array.ConvertAll(fields, f => (f.Name, Convert.ToInt64(f.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Create_account_results_in_precedence_order()
    {
        AssertEnum<CreateAccountResult>(
            ("Ok", 0), ("LinkedEventChainOpen", 4002), ("LinkedEventFailed", 4001), ("TimestampMustBeZero", 4003),
            ("ReservedField", 4004), ("ReservedFlag", 4005), ("IdMustNotBeZero", 4006), ("IdMustNotBeIntMax", 4007),
            ("FlagsAreMutuallyExclusive", 4008), ("DebitsPendingMustBeZero", 4009), ("DebitsPostedMustBeZero", 4010),
            ("CreditsPendingMustBeZero", 4011), ("CreditsPostedMustBeZero", 4012), ("LedgerMustNotBeZero", 4013),
            ("CodeMustNotBeZero", 4014), ("ExistsWithDifferentFlags", 4020), ("ExistsWithDifferentUserData128", 4021),
            ("ExistsWithDifferentUserData64", 4022), ("ExistsWithDifferentUserData32", 4023), ("ExistsWithDifferentLedger", 4024),
            ("ExistsWithDifferentCode", 4025), ("Exists", 4026), ("LedgerCapacityExceeded", 4030), ("AccountCapacityExceeded", 4031));
    }

    [Fact]
    public void Create_transfer_results_in_precedence_order()
    {
        AssertEnum<CreateTransferResult>(
            ("Ok", 0), ("LinkedEventChainOpen", 4202), ("LinkedEventFailed", 4201), ("TimestampMustBeZero", 4203),
            ("ReservedFlag", 4204), ("IdMustNotBeZero", 4205), ("IdMustNotBeIntMax", 4206), ("FlagsAreMutuallyExclusive", 4207),
            ("PendingIdMustBeZero", 4208), ("PendingIdMustNotBeZero", 4209), ("PendingIdMustNotBeIntMax", 4210),
            ("PendingIdMustBeDifferent", 4211), ("TimeoutReservedForPendingTransfer", 4212), ("ClosingTransferMustBePending", 4213),
            ("DebitAccountIdMustNotBeZero", 4214), ("DebitAccountIdMustNotBeIntMax", 4215), ("CreditAccountIdMustNotBeZero", 4216),
            ("CreditAccountIdMustNotBeIntMax", 4217), ("AccountsMustBeDifferent", 4218), ("AmountMustNotBeZero", 4219),
            ("LedgerMustNotBeZero", 4220), ("CodeMustNotBeZero", 4221),
            ("ExistsWithDifferentFlags", 4230), ("ExistsWithDifferentPendingId", 4231), ("ExistsWithDifferentTimeout", 4232),
            ("ExistsWithDifferentDebitAccountId", 4233), ("ExistsWithDifferentCreditAccountId", 4234), ("ExistsWithDifferentAmount", 4235),
            ("ExistsWithDifferentUserData128", 4236), ("ExistsWithDifferentUserData64", 4237), ("ExistsWithDifferentUserData32", 4238),
            ("ExistsWithDifferentLedger", 4239), ("ExistsWithDifferentCode", 4240), ("Exists", 4241),
            ("DebitAccountNotFound", 4250), ("CreditAccountNotFound", 4251), ("AccountsMustHaveTheSameLedger", 4252),
            ("TransferMustHaveTheSameLedgerAsAccounts", 4253),
            ("PendingTransferNotFound", 4260), ("PendingTransferNotPending", 4261), ("PendingTransferHasDifferentDebitAccountId", 4262),
            ("PendingTransferHasDifferentCreditAccountId", 4263), ("PendingTransferHasDifferentLedger", 4264),
            ("PendingTransferHasDifferentCode", 4265), ("ExceedsPendingTransferAmount", 4266), ("PendingTransferHasDifferentAmount", 4267),
            ("PendingTransferAlreadyPosted", 4268), ("PendingTransferAlreadyVoided", 4269), ("PendingTransferExpired", 4270),
            ("DebitAccountAlreadyClosed", 4280), ("CreditAccountAlreadyClosed", 4281),
            ("OverflowsDebitsPending", 4290), ("OverflowsCreditsPending", 4291), ("OverflowsDebitsPosted", 4292),
            ("OverflowsCreditsPosted", 4293), ("OverflowsDebits", 4294), ("OverflowsCredits", 4295), ("OverflowsTimeout", 4296),
            ("ExceedsCredits", 4300), ("ExceedsDebits", 4301), ("TransferCapacityExceeded", 4310));
    }

    [Fact]
    public void Other_numbered_reasons()
    {
        AssertEnum<FlowError>(("None", 0), ("AssetNotRegistered", 4504), ("AssetsMustBeDifferent", 4503), ("AmountMustNotBeZero", 4501),
            ("FeeExceedsAmount", 4502), ("WithdrawalNotFound", 4508), ("AccountRejected", 4507), ("AlreadyApplied", 4505),
            ("TransferRejected", 4506));
        AssertEnum<AdjustmentResult>(("Ok", 0), ("OperatorIdMustNotBeEmpty", 4602), ("ProposalIdMustNotBeZero", 4601),
            ("ReasonMustNotBeEmpty", 4603), ("AmountMustNotBeZero", 4604), ("AssetNotRegistered", 4605), ("AccountsMustBeDifferent", 4607),
            ("AccountNotFound", 4606), ("AccountNotOnAssetLedger", 4608), ("ProposalExists", 4609), ("ProposalNotFound", 4610),
            ("ProposalAlreadyDecided", 4611), ("ApproverMustNotBeProposer", 4612), ("TransferRejected", 4613));
        AssertEnum<DiscrepancyKind>(("BalanceMismatch", 4701), ("UnknownCurrency", 4702), ("DepositMissingFromLedger", 4703),
            ("LedgerDepositWithoutRecord", 4704), ("DepositCreditedTwice", 4705), ("DepositAmountMismatch", 4706),
            ("DepositStatusMismatch", 4707), ("WithdrawalOutOfStep", 4708), ("LedgerWithdrawalWithoutRecord", 4709),
            ("WithdrawalAmountMismatch", 4710));
        AssertEnum<ProofVerification>(("Valid", 0), ("AssetMismatch", 4807), ("NegativeBalance", 4803), ("NegativeSum", 4804),
            ("PathTooLong", 4806), ("SumOverflow", 4805), ("RootHashMismatch", 4801), ("RootTotalMismatch", 4802));
        AssertEnum<SnapshotError>(("None", 0), ("BadMagic", 4901), ("HeaderChecksumMismatch", 4903), ("UnsupportedVersion", 4902),
            ("BadHeader", 4907), ("CapacityExceeded", 4906), ("Truncated", 4905), ("BodyChecksumMismatch", 4904), ("InvalidState", 4908));
    }

    [Fact]
    public void Persisted_flags_and_kinds()
    {
        AssertEnum<AccountFlags>(("None", 0), ("Linked", 1), ("DebitsMustNotExceedCredits", 2), ("CreditsMustNotExceedDebits", 4),
            ("History", 8), ("Closed", 32));
        AssertEnum<TransferFlags>(("None", 0), ("Linked", 1), ("Pending", 2), ("PostPendingTransfer", 4), ("VoidPendingTransfer", 8),
            ("BalancingDebit", 16), ("BalancingCredit", 32), ("ClosingDebit", 64), ("ClosingCredit", 128));
        AssertEnum<PendingStatus>(("None", 0), ("Pending", 1), ("Posted", 2), ("Voided", 3), ("Expired", 4));
        AssertEnum<LedgerAccountKind>(("UserAvailable", 1), ("Escrow", 2), ("Custody", 3), ("Fees", 4), ("Adjustments", 5));
        AssertEnum<FlowCode>(("Deposit", 1), ("Withdrawal", 2), ("WithdrawalFee", 3), ("OrderHold", 4), ("TradeBase", 5),
            ("TradeQuote", 6), ("TradeFee", 7), ("Adjustment", 8), ("DepositCorrection", 9));
        AssertEnum<FlowStep>(("Create", 0), ("Post", 1), ("Void", 2));
        AssertEnum<DepositStatus>(("Pending", 1), ("Credited", 2), ("Failed", 3));
        AssertEnum<WithdrawalStatus>(("Requested", 1), ("Completed", 2), ("Cancelled", 3), ("Failed", 4));
    }

    [Fact]
    public void Account_layout_is_128_little_endian_bytes()
    {
        const string Expected =
            "100f0e0d0c0b0a090807060504030201" + "21000000000000000000000000000000" + "22000000000000000000000000000000" +
            "23000000000000000000000000000000" + "24000000000000000000000000000000" + "25000000000000000000000000000000" +
            "2600000000000000" + "27000000" + "00000000" + "28000000" + "2900" + "2a00" + "2b00000000000000";
        var account = new Account
        {
            Id = new UInt128(0x0102030405060708, 0x090a0b0c0d0e0f10),
            DebitsPending = 0x21,
            DebitsPosted = 0x22,
            CreditsPending = 0x23,
            CreditsPosted = 0x24,
            UserData128 = 0x25,
            UserData64 = 0x26,
            UserData32 = 0x27,
            Ledger = 0x28,
            Code = 0x29,
            Flags = (AccountFlags)0x2a,
            Timestamp = 0x2b,
        };
        var bytes = new byte[Account.SizeBytes];
        account.Write(bytes);
        Assert.Equal(Expected, Convert.ToHexStringLower(bytes));
        Assert.Equal(account, Account.Read(bytes));
        Assert.Equal(128, Unsafe.SizeOf<Account>());
    }

    [Fact]
    public void Transfer_layout_is_128_little_endian_bytes()
    {
        const string Expected =
            "100f0e0d0c0b0a090807060504030201" + "31000000000000000000000000000000" + "32000000000000000000000000000000" +
            "33000000000000000000000000000000" + "34000000000000000000000000000000" + "35000000000000000000000000000000" +
            "3600000000000000" + "37000000" + "38000000" + "39000000" + "3a00" + "3b00" + "3c00000000000000";
        var transfer = new Transfer
        {
            Id = new UInt128(0x0102030405060708, 0x090a0b0c0d0e0f10),
            DebitAccountId = 0x31,
            CreditAccountId = 0x32,
            Amount = 0x33,
            PendingId = 0x34,
            UserData128 = 0x35,
            UserData64 = 0x36,
            UserData32 = 0x37,
            TimeoutSeconds = 0x38,
            Ledger = 0x39,
            Code = 0x3a,
            Flags = (TransferFlags)0x3b,
            Timestamp = 0x3c,
        };
        var bytes = new byte[Transfer.SizeBytes];
        transfer.Write(bytes);
        Assert.Equal(Expected, Convert.ToHexStringLower(bytes));
        Assert.Equal(transfer, Transfer.Read(bytes));
        Assert.Equal(128, Unsafe.SizeOf<Transfer>());
    }

    [Fact]
    public void Records_refuse_short_buffers()
    {
        Assert.Throws<ArgumentException>(() => new Account().Write(new byte[127]));
        Assert.Throws<ArgumentException>(() => Transfer.Read(new byte[127]));
    }

    [Fact]
    public void Snapshot_header_format()
    {
        var engine = L.Engine();
        engine.CreateAccounts(
            [L.Account(1, code: 10, flags: AccountFlags.DebitsMustNotExceedCredits), L.Account(2, code: 20)], 1000, new CreateAccountResult[2]);
        engine.CreateTransfers([L.Transfer(5, 2, 1, 300, code: 7, flags: TransferFlags.Pending, timeoutSeconds: 60)], 2000, new CreateTransferResult[1]);
        var writer = new ArrayBufferWriter<byte>();
        engine.WriteSnapshot(writer);
        var snapshot = writer.WrittenSpan;
        Assert.Equal(engine.SnapshotLength, snapshot.Length);
        Assert.Equal(64 + 400, snapshot.Length);
        const string Header =
            "42434c4544474552" + // magic "BCLEDGER"
            "01000000" +         // format version 1
            "40000000" +         // header size 64
            "d007000000000000" + // last timestamp 2000
            "02000000" +         // accounts
            "01000000" +         // transfers
            "9001000000000000" + // body length 400
            "01000000" +         // ledgers
            "01000000" +         // pending transfers with a timeout
            "ad910e38" +         // CRC32C of the body
            "0000000000000000" + // reserved
            "90d145a2";          // CRC32C of bytes 0..59
        Assert.Equal(Header, Convert.ToHexStringLower(snapshot[..64]));
    }

    [Fact]
    public void Crc32c_check_value()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        var crc = new Crc32C();
        crc.Append("1234"u8);
        crc.Append("56789"u8);
        Assert.Equal(0xE3069283u, crc.Value);
    }
}
