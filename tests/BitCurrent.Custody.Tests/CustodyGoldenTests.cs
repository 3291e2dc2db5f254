namespace BitCurrent.Custody.Tests;

/// <summary>
/// Golden values: numbered reasons and persisted enums are added, never changed or reused (STYLE.md). A change here is a breaking
/// change for logs, API answers and state files; add new values, never edit these.
/// </summary>
public class CustodyGoldenTests
{
    private static readonly Dictionary<CustodyError, int> Errors = new()
    {
        [CustodyError.None] = 0,
        [CustodyError.Base58InvalidCharacter] = 5001,
        [CustodyError.Base58ChecksumMismatch] = 5002,
        [CustodyError.Base58InvalidLength] = 5003,
        [CustodyError.Bech32InvalidCharacter] = 5010,
        [CustodyError.Bech32MixedCase] = 5011,
        [CustodyError.Bech32InvalidLength] = 5012,
        [CustodyError.Bech32InvalidHrp] = 5013,
        [CustodyError.Bech32MissingSeparator] = 5014,
        [CustodyError.Bech32ChecksumMismatch] = 5015,
        [CustodyError.Bech32InvalidPadding] = 5016,
        [CustodyError.AddressUnknownFormat] = 5020,
        [CustodyError.AddressWrongNetwork] = 5021,
        [CustodyError.AddressInvalidWitnessVersion] = 5022,
        [CustodyError.AddressInvalidWitnessProgram] = 5023,
        [CustodyError.AddressWrongChecksumVariant] = 5024,
        [CustodyError.AddressNoAddressForScript] = 5025,
        [CustodyError.InvalidPrivateKey] = 5030,
        [CustodyError.InvalidPublicKey] = 5031,
        [CustodyError.InvalidWif] = 5032,
        [CustodyError.KeyWrongNetwork] = 5033,
        [CustodyError.ExtendedKeyInvalidLength] = 5040,
        [CustodyError.ExtendedKeyUnknownVersion] = 5041,
        [CustodyError.ExtendedKeyPublicVersionPrivateData] = 5042,
        [CustodyError.ExtendedKeyPrivateVersionPublicData] = 5043,
        [CustodyError.ExtendedKeyInvalidPrivatePrefix] = 5044,
        [CustodyError.ExtendedKeyZeroDepthWithParentFingerprint] = 5045,
        [CustodyError.ExtendedKeyZeroDepthWithIndex] = 5046,
        [CustodyError.HardenedDerivationFromPublicKey] = 5047,
        [CustodyError.DerivationInvalidChild] = 5048,
        [CustodyError.KeyPathInvalid] = 5049,
        [CustodyError.DerivationDepthOverflow] = 5050,
        [CustodyError.SeedInvalidLength] = 5051,
        [CustodyError.MnemonicInvalidWordCount] = 5060,
        [CustodyError.MnemonicUnknownWord] = 5061,
        [CustodyError.MnemonicChecksumMismatch] = 5062,
        [CustodyError.MnemonicInvalidEntropyLength] = 5063,
        [CustodyError.MnemonicTextNotNormalizable] = 5064,
        [CustodyError.SignatureInvalidDer] = 5070,
        [CustodyError.SignatureInvalidCompact] = 5071,
        [CustodyError.SignatureRecoveryFailed] = 5072,
        [CustodyError.InvalidMessageHash] = 5073,
        [CustodyError.AmountOutOfRange] = 5080,
        [CustodyError.DustOutput] = 5081,
        [CustodyError.TransactionMalformed] = 5082,
        [CustodyError.TransactionNoInputs] = 5083,
        [CustodyError.TransactionNoOutputs] = 5084,
        [CustodyError.TransactionDuplicateInputs] = 5085,
        [CustodyError.TransactionBadPrevout] = 5086,
        [CustodyError.TransactionTooLarge] = 5087,
        [CustodyError.InputIndexOutOfRange] = 5088,
        [CustodyError.ScriptInvalidTemplate] = 5090,
        [CustodyError.SighashTypeInvalid] = 5091,
        [CustodyError.PsbtInvalidMagic] = 5100,
        [CustodyError.PsbtTruncated] = 5101,
        [CustodyError.PsbtDuplicateKey] = 5102,
        [CustodyError.PsbtInvalidKeySize] = 5103,
        [CustodyError.PsbtValueSizeMismatch] = 5104,
        [CustodyError.PsbtMissingUnsignedTransaction] = 5105,
        [CustodyError.PsbtUnsignedTransactionNotEmpty] = 5106,
        [CustodyError.PsbtMissingSeparator] = 5107,
        [CustodyError.PsbtInvalidPublicKey] = 5108,
        [CustodyError.PsbtInvalidKeyPath] = 5109,
        [CustodyError.PsbtUnsupportedVersion] = 5110,
        [CustodyError.PsbtInvalidSignatureEncoding] = 5111,
        [CustodyError.PsbtNonWitnessUtxoMismatch] = 5112,
        [CustodyError.PsbtInvalidTaprootField] = 5113,
        [CustodyError.PsbtInvalidMusig2Field] = 5114,
        [CustodyError.PsbtExtraData] = 5115,
        [CustodyError.PsbtInvalidBase64] = 5116,
        [CustodyError.PsbtMissingUtxo] = 5130,
        [CustodyError.PsbtScriptMismatch] = 5131,
        [CustodyError.PsbtWitnessUtxoForNonWitnessInput] = 5132,
        [CustodyError.PsbtUnsupportedScript] = 5133,
        [CustodyError.PsbtSighashMismatch] = 5134,
        [CustodyError.PsbtCombineDifferentTransactions] = 5135,
        [CustodyError.PsbtNotFinalized] = 5136,
        [CustodyError.PsbtCannotFinalize] = 5137,
        [CustodyError.PsbtCreatorTransactionNotUnsigned] = 5138,
        [CustodyError.PsbtIndexOutOfRange] = 5139,
        [CustodyError.AmountInvalidFormat] = 5300,
        [CustodyError.AmountTooManyDecimals] = 5301,
        [CustodyError.AmountNotPositive] = 5302,
        [CustodyError.CurrencyUnsupported] = 5303,
        [CustodyError.FeeRateInvalid] = 5304,
        [CustodyError.FeeRateAboveCap] = 5305,
        [CustodyError.OperatorNameInvalid] = 5306,
        [CustodyError.InsufficientFunds] = 5307,
        [CustodyError.KeyFileWrongPassphrase] = 5310,
        [CustodyError.KeyFileExists] = 5311,
        [CustodyError.KeyFileMalformed] = 5312,
        [CustodyError.KeyFileInsecurePermissions] = 5313,
        [CustodyError.KeyFileKdfParametersInvalid] = 5314,
        [CustodyError.PassphraseTooShort] = 5315,
        [CustodyError.PassphraseUnavailable] = 5316,
        [CustodyError.KeyFileWrongRole] = 5317,
        [CustodyError.KeyFileNotFound] = 5318,
        [CustodyError.PassphraseNotNormalizable] = 5319,
        [CustodyError.WalletNotFound] = 5330,
        [CustodyError.WalletAlreadyExists] = 5331,
        [CustodyError.MultisigThresholdInvalid] = 5332,
        [CustodyError.MultisigDuplicateKey] = 5333,
        [CustodyError.KeyExpressionInvalid] = 5334,
        [CustodyError.DescriptorChecksumMismatch] = 5335,
        [CustodyError.StateFileCorrupt] = 5336,
        [CustodyError.StateVersionUnsupported] = 5337,
        [CustodyError.NetworkMismatch] = 5338,
        [CustodyError.StateLocked] = 5339,
        [CustodyError.ChainUnavailable] = 5350,
        [CustodyError.ChainRpcError] = 5351,
        [CustodyError.ChainAuthenticationFailed] = 5352,
        [CustodyError.ChainTransactionRejected] = 5353,
        [CustodyError.ChainInputsMissingOrSpent] = 5354,
        [CustodyError.ChainFeeNegative] = 5355,
        [CustodyError.ChainAlreadyInChain] = 5356,
        [CustodyError.ChainTransactionNotFound] = 5357,
        [CustodyError.ChainReorgTooDeep] = 5358,
        [CustodyError.ChainFeeEstimateUnavailable] = 5359,
        [CustodyError.ChainNetworkMismatch] = 5360,
        [CustodyError.ChainResponseMalformed] = 5361,
        [CustodyError.WithdrawalNotFound] = 5370,
        [CustodyError.WithdrawalAddressNotWhitelisted] = 5371,
        [CustodyError.WithdrawalAddressCoolingOff] = 5372,
        [CustodyError.WithdrawalPerTransactionLimit] = 5373,
        [CustodyError.WithdrawalDailyUserLimit] = 5374,
        [CustodyError.WithdrawalDailyTotalLimit] = 5375,
        [CustodyError.WithdrawalApproverIsRequester] = 5376,
        [CustodyError.WithdrawalDuplicateApprover] = 5377,
        [CustodyError.WithdrawalInvalidState] = 5378,
        [CustodyError.WithdrawalRejectedByOperator] = 5379,
        [CustodyError.WithdrawalPolicyInvalid] = 5380,
        [CustodyError.WithdrawalDuplicateId] = 5381,
        [CustodyError.RebalanceNotFound] = 5390,
        [CustodyError.RebalanceThresholdNotMet] = 5391,
        [CustodyError.RebalanceUnknownSignerKey] = 5392,
        [CustodyError.RebalanceSignatureInvalid] = 5393,
        [CustodyError.RebalanceTransactionChanged] = 5394,
        [CustodyError.RebalanceSignerMismatch] = 5395,
        [CustodyError.RebalanceInvalidState] = 5396,
        [CustodyError.RebalanceRouteUnsupported] = 5397,
        [CustodyError.RebalanceSignerIndexOutOfRange] = 5398,
        [CustodyError.RebalancePsbtInconsistent] = 5399,
        [CustodyError.LiabilitiesInvalid] = 5410,
        [CustodyError.ReservesReportMalformed] = 5411,
        [CustodyError.ReservesProofInvalid] = 5412,
        [CustodyError.ReservesReportHashMismatch] = 5413,
        [CustodyError.ReservesDraftNotFound] = 5414,
        [CustodyError.ReservesChallengeInvalid] = 5415,
        [CustodyError.ReservesBalanceMismatch] = 5416,
    };

    private static readonly Dictionary<ScriptError, int> ScriptErrors = new()
    {
        [ScriptError.Ok] = 0,
        [ScriptError.EvalFalse] = 5201,
        [ScriptError.OpReturn] = 5202,
        [ScriptError.ScriptSize] = 5203,
        [ScriptError.PushSize] = 5204,
        [ScriptError.OpCount] = 5205,
        [ScriptError.StackSize] = 5206,
        [ScriptError.SigCount] = 5207,
        [ScriptError.PubKeyCount] = 5208,
        [ScriptError.Verify] = 5209,
        [ScriptError.EqualVerify] = 5210,
        [ScriptError.CheckMultisigVerify] = 5211,
        [ScriptError.CheckSigVerify] = 5212,
        [ScriptError.BadOpcode] = 5213,
        [ScriptError.DisabledOpcode] = 5214,
        [ScriptError.InvalidStackOperation] = 5215,
        [ScriptError.UnsupportedOpcode] = 5216,
        [ScriptError.SigHashType] = 5217,
        [ScriptError.SigDer] = 5218,
        [ScriptError.MinimalData] = 5219,
        [ScriptError.SigPushOnly] = 5220,
        [ScriptError.SigHighS] = 5221,
        [ScriptError.SigNullDummy] = 5222,
        [ScriptError.PubKeyType] = 5223,
        [ScriptError.CleanStack] = 5224,
        [ScriptError.NullFail] = 5225,
        [ScriptError.WitnessProgramWrongLength] = 5226,
        [ScriptError.WitnessProgramWitnessEmpty] = 5227,
        [ScriptError.WitnessProgramMismatch] = 5228,
        [ScriptError.WitnessMalleated] = 5229,
        [ScriptError.WitnessMalleatedP2sh] = 5230,
        [ScriptError.WitnessUnexpected] = 5231,
        [ScriptError.WitnessPubKeyType] = 5232,
        [ScriptError.DiscourageUpgradableWitnessProgram] = 5233,
        [ScriptError.OpCodeSeparator] = 5234,
        [ScriptError.SigFindAndDelete] = 5235,
        [ScriptError.MissingPrevout] = 5236,
        [ScriptError.InvalidTransaction] = 5237,
        [ScriptError.ScriptNumberOverflow] = 5238,
    };

    [Fact]
    public void Every_custody_error_keeps_its_number()
    {
        Assert.Equal(Errors.Count, Enum.GetValues<CustodyError>().Length);
        foreach (var (reason, number) in Errors)
        {
            Assert.Equal(number, (int)reason);
        }
    }

    [Fact]
    public void Every_script_error_keeps_its_number()
    {
        Assert.Equal(ScriptErrors.Count, Enum.GetValues<ScriptError>().Length);
        foreach (var (reason, number) in ScriptErrors)
        {
            Assert.Equal(number, (int)reason);
        }
    }

    [Fact]
    public void Numbers_are_unique_across_custody_and_script_errors()
    {
        var all = Errors.Values.Where(v => v != 0).Concat(ScriptErrors.Values.Where(v => v != 0)).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.All(all, v => Assert.InRange(v, 5000, 5999));
    }

    [Fact]
    public void Workflow_errors_come_after_the_primitives_numbers()
    {
        var workflow = Errors.Where(e => e.Key >= CustodyError.AmountInvalidFormat).Select(e => e.Value).ToList();
        Assert.All(workflow, v => Assert.True(v > (int)CustodyError.PsbtIndexOutOfRange && v > (int)ScriptError.ScriptNumberOverflow));
    }

    [Fact]
    public void Persisted_workflow_enums_keep_their_numbers_and_names()
    {
        Assert.Equal([(1, "Detected"), (2, "Credited"), (3, "Reversed"), (4, "Dropped")], Pairs<DepositStatus>());
        Assert.Equal([(1, "Pending"), (2, "Approved"), (3, "Signed"), (4, "Broadcast"), (5, "Confirmed"), (6, "Rejected")], Pairs<WithdrawalStatus>());
        Assert.Equal([(1, "AwaitingSignatures"), (2, "ReadyToBroadcast"), (3, "Broadcast"), (4, "Confirmed"), (5, "Cancelled")], Pairs<RebalanceState>());
        Assert.Equal([(1, "Signer"), (2, "Hot")], Pairs<KeyRole>());
        Assert.Equal(
        [
            (1, "ColdWalletCreated"), (2, "HotWalletCreated"), (3, "DepositAddressAssigned"), (4, "DepositDetected"), (5, "DepositCredited"),
            (6, "DepositReversed"), (7, "DepositDropped"), (8, "WhitelistAdded"), (9, "WithdrawalRequested"), (10, "WithdrawalApprovalGiven"),
            (11, "WithdrawalApproved"), (12, "WithdrawalRejected"), (13, "WithdrawalSigned"), (14, "WithdrawalBroadcast"), (15, "WithdrawalConfirmed"),
            (16, "RebalanceInitiated"), (17, "RebalanceSigned"), (18, "RebalanceBroadcast"), (19, "RebalanceConfirmed"), (20, "RebalanceCancelled"),
            (21, "ReservesPublished"), (22, "TransactionReorganised"),
        ], Pairs<CustodyEventKind>());
    }

    private static List<(int, string)> Pairs<T>() where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => (Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture), v.ToString())).ToList();
}
