using System.Diagnostics.CodeAnalysis;

namespace BitCurrent.Custody;

/// <summary>
/// Numbered reasons for every input that the custody primitives refuse (5xxx range, STYLE.md).
/// Values are persisted in logs and API answers: they are added, never changed or reused.
/// </summary>
public enum CustodyError
{
    /// <summary>No error.</summary>
    None = 0,

    // Base58 / Base58Check
    /// <summary>A character outside the Base58 alphabet (or whitespace inside the string).</summary>
    Base58InvalidCharacter = 5001,
    /// <summary>The 4-byte Base58Check checksum does not match.</summary>
    Base58ChecksumMismatch = 5002,
    /// <summary>The decoded Base58Check payload is shorter than its checksum or than the expected size.</summary>
    Base58InvalidLength = 5003,

    // Bech32 / bech32m
    /// <summary>A character outside the bech32 data alphabet or outside printable ASCII in the HRP.</summary>
    Bech32InvalidCharacter = 5010,
    /// <summary>Upper and lower case mixed in one bech32 string.</summary>
    Bech32MixedCase = 5011,
    /// <summary>The string is longer than 90 characters, or its data part is shorter than the checksum.</summary>
    Bech32InvalidLength = 5012,
    /// <summary>The human-readable part is empty or too long.</summary>
    Bech32InvalidHrp = 5013,
    /// <summary>No '1' separator.</summary>
    Bech32MissingSeparator = 5014,
    /// <summary>The checksum is neither a valid bech32 nor a valid bech32m checksum.</summary>
    Bech32ChecksumMismatch = 5015,
    /// <summary>Non-zero or excess padding bits when converting 5-bit groups back to bytes.</summary>
    Bech32InvalidPadding = 5016,

    // Addresses
    /// <summary>The string is not any known address format.</summary>
    AddressUnknownFormat = 5020,
    /// <summary>A valid address, but for another network than the one expected.</summary>
    AddressWrongNetwork = 5021,
    /// <summary>Witness version above 16.</summary>
    AddressInvalidWitnessVersion = 5022,
    /// <summary>Witness program of a forbidden length (v0 must be 20 or 32 bytes, others 2..40).</summary>
    AddressInvalidWitnessProgram = 5023,
    /// <summary>Bech32 used for v1+ or bech32m used for v0 (BIP-350).</summary>
    AddressWrongChecksumVariant = 5024,
    /// <summary>The script has no address form (for example OP_RETURN or bare multisig).</summary>
    AddressNoAddressForScript = 5025,

    // Keys
    /// <summary>A private key not in 1..n-1.</summary>
    InvalidPrivateKey = 5030,
    /// <summary>A public key that is not a valid compressed or uncompressed secp256k1 point.</summary>
    InvalidPublicKey = 5031,
    /// <summary>A WIF string of the wrong length or compression marker.</summary>
    InvalidWif = 5032,
    /// <summary>A WIF private key or extended key for another network.</summary>
    KeyWrongNetwork = 5033,

    // BIP-32
    /// <summary>An extended key whose payload is not 78 bytes.</summary>
    ExtendedKeyInvalidLength = 5040,
    /// <summary>Unknown extended key version bytes.</summary>
    ExtendedKeyUnknownVersion = 5041,
    /// <summary>Public version bytes (xpub/tpub) carrying private key data.</summary>
    ExtendedKeyPublicVersionPrivateData = 5042,
    /// <summary>Private version bytes (xprv/tprv) carrying public key data.</summary>
    ExtendedKeyPrivateVersionPublicData = 5043,
    /// <summary>Private key data not prefixed by 0x00.</summary>
    ExtendedKeyInvalidPrivatePrefix = 5044,
    /// <summary>Depth 0 with a non-zero parent fingerprint.</summary>
    ExtendedKeyZeroDepthWithParentFingerprint = 5045,
    /// <summary>Depth 0 with a non-zero child index.</summary>
    ExtendedKeyZeroDepthWithIndex = 5046,
    /// <summary>Hardened derivation asked of a public extended key.</summary>
    HardenedDerivationFromPublicKey = 5047,
    /// <summary>The derived child is invalid (I_L ≥ n or the result is zero/infinity); use the next index.</summary>
    DerivationInvalidChild = 5048,
    /// <summary>A key path string that does not parse (for example "m/x" or an index ≥ 2^31 with a hardened mark).</summary>
    KeyPathInvalid = 5049,
    /// <summary>Derivation past depth 255.</summary>
    DerivationDepthOverflow = 5050,
    /// <summary>A seed shorter than 16 or longer than 64 bytes.</summary>
    SeedInvalidLength = 5051,

    // BIP-39
    /// <summary>A mnemonic whose word count is not 12, 15, 18, 21 or 24.</summary>
    MnemonicInvalidWordCount = 5060,
    /// <summary>A word that is not in the English BIP-39 list.</summary>
    MnemonicUnknownWord = 5061,
    /// <summary>The mnemonic's checksum bits do not match.</summary>
    MnemonicChecksumMismatch = 5062,
    /// <summary>Entropy that is not 16, 20, 24, 28 or 32 bytes.</summary>
    MnemonicInvalidEntropyLength = 5063,
    /// <summary>A non-ASCII mnemonic or passphrase in a process without Unicode normalization (globalization-invariant
    /// mode): its BIP-39 seed needs the NFKD form, which cannot be computed there.</summary>
    MnemonicTextNotNormalizable = 5064,

    // Signatures
    /// <summary>A signature that is not strict DER (BIP-66).</summary>
    SignatureInvalidDer = 5070,
    /// <summary>A compact (65-byte) signature with a bad header or out-of-range r/s.</summary>
    SignatureInvalidCompact = 5071,
    /// <summary>No public key can be recovered from the compact signature.</summary>
    SignatureRecoveryFailed = 5072,
    /// <summary>A message hash that is not 32 bytes.</summary>
    InvalidMessageHash = 5073,

    // Amounts, transactions and scripts
    /// <summary>An amount below 0 or above 21 000 000 BTC, or a sum that overflows that range.</summary>
    AmountOutOfRange = 5080,
    /// <summary>An output whose value is below the dust threshold for its script at the given fee rate.</summary>
    DustOutput = 5081,
    /// <summary>A serialized transaction that does not parse.</summary>
    TransactionMalformed = 5082,
    /// <summary>A transaction without inputs.</summary>
    TransactionNoInputs = 5083,
    /// <summary>A transaction without outputs.</summary>
    TransactionNoOutputs = 5084,
    /// <summary>The same outpoint spent twice.</summary>
    TransactionDuplicateInputs = 5085,
    /// <summary>A coinbase scriptSig outside 2..100 bytes, or a null prevout in a non-coinbase transaction.</summary>
    TransactionBadPrevout = 5086,
    /// <summary>The transaction is larger than the consensus weight limit.</summary>
    TransactionTooLarge = 5087,
    /// <summary>An input index outside the transaction.</summary>
    InputIndexOutOfRange = 5088,
    /// <summary>A multisig of other than 1 ≤ m ≤ n ≤ 15 keys (or 20 for bare), or a script that is not of the expected form.</summary>
    ScriptInvalidTemplate = 5090,
    /// <summary>Sighash type not one of ALL, NONE, SINGLE with or without ANYONECANPAY.</summary>
    SighashTypeInvalid = 5091,

    // PSBT format (BIP-174)
    /// <summary>The data does not start with "psbt\xff".</summary>
    PsbtInvalidMagic = 5100,
    /// <summary>The data ends in the middle of a key, value or map.</summary>
    PsbtTruncated = 5101,
    /// <summary>A key appears twice in one map.</summary>
    PsbtDuplicateKey = 5102,
    /// <summary>A key of the wrong size for its type.</summary>
    PsbtInvalidKeySize = 5103,
    /// <summary>A value whose content does not fill exactly its stated size.</summary>
    PsbtValueSizeMismatch = 5104,
    /// <summary>No PSBT_GLOBAL_UNSIGNED_TX.</summary>
    PsbtMissingUnsignedTransaction = 5105,
    /// <summary>The unsigned transaction carries a scriptSig or witness.</summary>
    PsbtUnsignedTransactionNotEmpty = 5106,
    /// <summary>A map is missing its separator, or the counts of maps and transaction inputs/outputs differ.</summary>
    PsbtMissingSeparator = 5107,
    /// <summary>An invalid public key inside a key.</summary>
    PsbtInvalidPublicKey = 5108,
    /// <summary>A key origin whose length is zero or not a multiple of four.</summary>
    PsbtInvalidKeyPath = 5109,
    /// <summary>PSBT_GLOBAL_VERSION other than 0 (PSBT v2, BIP-370, is not supported).</summary>
    PsbtUnsupportedVersion = 5110,
    /// <summary>A partial signature that is not strict DER with a defined sighash type.</summary>
    PsbtInvalidSignatureEncoding = 5111,
    /// <summary>The non-witness UTXO's txid is not the input's prevout hash, or the output index does not exist.</summary>
    PsbtNonWitnessUtxoMismatch = 5112,
    /// <summary>A malformed taproot field (key size, signature size, leaf script or tree).</summary>
    PsbtInvalidTaprootField = 5113,
    /// <summary>A malformed MuSig2 field.</summary>
    PsbtInvalidMusig2Field = 5114,
    /// <summary>Bytes after the last output map.</summary>
    PsbtExtraData = 5115,
    /// <summary>The text is not valid base64.</summary>
    PsbtInvalidBase64 = 5116,

    // PSBT roles
    /// <summary>Signing needs the UTXO (witness UTXO or full previous transaction) with its amount.</summary>
    PsbtMissingUtxo = 5130,
    /// <summary>The UTXO, redeemScript and witnessScript do not hash to each other.</summary>
    PsbtScriptMismatch = 5131,
    /// <summary>A witness UTXO given for an input that is not a segwit spend.</summary>
    PsbtWitnessUtxoForNonWitnessInput = 5132,
    /// <summary>The input's script form is not one this signer or finalizer supports.</summary>
    PsbtUnsupportedScript = 5133,
    /// <summary>The requested sighash type differs from the input's PSBT_IN_SIGHASH.</summary>
    PsbtSighashMismatch = 5134,
    /// <summary>Combining PSBTs of different unsigned transactions.</summary>
    PsbtCombineDifferentTransactions = 5135,
    /// <summary>Extracting from a PSBT with inputs that are not finalized.</summary>
    PsbtNotFinalized = 5136,
    /// <summary>The input does not have enough signatures to be finalized.</summary>
    PsbtCannotFinalize = 5137,
    /// <summary>The creator was given a transaction with scriptSigs or witnesses.</summary>
    PsbtCreatorTransactionNotUnsigned = 5138,
    /// <summary>An input or output index outside the PSBT.</summary>
    PsbtIndexOutOfRange = 5139,

    // ------------------------------------------------------------------ workflows (53xx and up; ScriptError holds 5201..5238)

    // Amounts, fees and names given by operators
    /// <summary>Amount text that is not a plain decimal number of bitcoins (digits, at most one '.', no sign, exponent or spaces).</summary>
    AmountInvalidFormat = 5300,
    /// <summary>Amount text with more than 8 decimals (finer than one satoshi).</summary>
    AmountTooManyDecimals = 5301,
    /// <summary>A payment of zero where a positive amount is needed.</summary>
    AmountNotPositive = 5302,
    /// <summary>A currency other than BTC.</summary>
    CurrencyUnsupported = 5303,
    /// <summary>A fee rate of zero or less sat/vB.</summary>
    FeeRateInvalid = 5304,
    /// <summary>A fee rate above the configured cap (sat/vB).</summary>
    FeeRateAboveCap = 5305,
    /// <summary>An operator or approver name that is empty, longer than 64 characters or has control characters.</summary>
    OperatorNameInvalid = 5306,
    /// <summary>The wallet's spendable outputs do not cover the amount and the fee.</summary>
    InsufficientFunds = 5307,

    // Key files and passphrases
    /// <summary>The passphrase does not open the key file (or the file was altered: AES-GCM authentication failed).</summary>
    KeyFileWrongPassphrase = 5310,
    /// <summary>A key file already exists at the path; key files are never overwritten.</summary>
    KeyFileExists = 5311,
    /// <summary>A key file that is not a BitCurrent key file, or whose fields are missing or inconsistent.</summary>
    KeyFileMalformed = 5312,
    /// <summary>A key file readable or writable by the group or by others (it must be 0600).</summary>
    KeyFileInsecurePermissions = 5313,
    /// <summary>Key-derivation parameters outside the accepted range (scrypt log2 N 10..22, r 1..32, p 1..16).</summary>
    KeyFileKdfParametersInvalid = 5314,
    /// <summary>A passphrase shorter than 8 characters.</summary>
    PassphraseTooShort = 5315,
    /// <summary>No passphrase: the named environment variable is unset or empty, or there is no terminal to prompt on.</summary>
    PassphraseUnavailable = 5316,
    /// <summary>A key file of the wrong role (a signer key where the hot wallet key is needed, or the reverse).</summary>
    KeyFileWrongRole = 5317,
    /// <summary>No file at the given path.</summary>
    KeyFileNotFound = 5318,
    /// <summary>A new key file's non-ASCII passphrase in a process without Unicode normalization (globalization-invariant
    /// mode): it could not be put in NFC form, so the same passphrase typed elsewhere might not open the file.</summary>
    PassphraseNotNormalizable = 5319,

    // Wallets, descriptors and stored state
    /// <summary>The wallet (cold or hot) has not been created in this data directory.</summary>
    WalletNotFound = 5330,
    /// <summary>The wallet already exists in this data directory.</summary>
    WalletAlreadyExists = 5331,
    /// <summary>A multisig threshold outside 1..n, or more than 15 keys.</summary>
    MultisigThresholdInvalid = 5332,
    /// <summary>The same signer key given twice.</summary>
    MultisigDuplicateKey = 5333,
    /// <summary>A key expression ("[fingerprint/path]xpub") that does not parse.</summary>
    KeyExpressionInvalid = 5334,
    /// <summary>A descriptor whose BIP-380 checksum is missing, malformed or wrong.</summary>
    DescriptorChecksumMismatch = 5335,
    /// <summary>A state file that does not parse or contradicts itself.</summary>
    StateFileCorrupt = 5336,
    /// <summary>A state file written by a newer, unknown format version.</summary>
    StateVersionUnsupported = 5337,
    /// <summary>A key, address or chain of another network than the data directory's.</summary>
    NetworkMismatch = 5338,
    /// <summary>Another process holds the data directory's lock.</summary>
    StateLocked = 5339,

    // Chain access
    /// <summary>The node cannot be reached, or answered with something that is not JSON-RPC.</summary>
    ChainUnavailable = 5350,
    /// <summary>The node answered with a JSON-RPC error not covered by a more specific reason (see the RPC code).</summary>
    ChainRpcError = 5351,
    /// <summary>The node refused the credentials (HTTP 401/403).</summary>
    ChainAuthenticationFailed = 5352,
    /// <summary>The transaction was rejected: a script or policy check failed (Core RPC_VERIFY_REJECTED, -26).</summary>
    ChainTransactionRejected = 5353,
    /// <summary>An input is missing or already spent (Core RPC_VERIFY_ERROR, -25, or a mempool conflict).</summary>
    ChainInputsMissingOrSpent = 5354,
    /// <summary>The outputs exceed the inputs.</summary>
    ChainFeeNegative = 5355,
    /// <summary>The transaction is already in a block (Core RPC_VERIFY_ALREADY_IN_CHAIN, -27).</summary>
    ChainAlreadyInChain = 5356,
    /// <summary>The transaction is neither in the mempool nor in the chain (Core RPC_INVALID_ADDRESS_OR_KEY, -5).</summary>
    ChainTransactionNotFound = 5357,
    /// <summary>A reorganisation asked to disconnect more blocks than there are (or the genesis block).</summary>
    ChainReorgTooDeep = 5358,
    /// <summary>The node has no fee estimate yet; give the fee rate explicitly.</summary>
    ChainFeeEstimateUnavailable = 5359,
    /// <summary>The node is on another chain than the one expected.</summary>
    ChainNetworkMismatch = 5360,
    /// <summary>A JSON-RPC answer whose fields are missing or of the wrong type.</summary>
    ChainResponseMalformed = 5361,

    // Withdrawals
    /// <summary>No withdrawal with this id.</summary>
    WithdrawalNotFound = 5370,
    /// <summary>The destination is not on the user's whitelist.</summary>
    WithdrawalAddressNotWhitelisted = 5371,
    /// <summary>The destination was whitelisted too recently: its cooling-off period has not ended.</summary>
    WithdrawalAddressCoolingOff = 5372,
    /// <summary>The amount is above the per-transaction limit.</summary>
    WithdrawalPerTransactionLimit = 5373,
    /// <summary>The user's withdrawals in the last 24 hours would exceed the per-user daily limit.</summary>
    WithdrawalDailyUserLimit = 5374,
    /// <summary>All withdrawals in the last 24 hours would exceed the total daily limit.</summary>
    WithdrawalDailyTotalLimit = 5375,
    /// <summary>The approver is the person who requested the withdrawal.</summary>
    WithdrawalApproverIsRequester = 5376,
    /// <summary>This approver has already approved this withdrawal.</summary>
    WithdrawalDuplicateApprover = 5377,
    /// <summary>The withdrawal is not in a state that allows this step.</summary>
    WithdrawalInvalidState = 5378,
    /// <summary>An operator rejected the withdrawal.</summary>
    WithdrawalRejectedByOperator = 5379,
    /// <summary>A withdrawal policy value out of range (negative limits, zero approvals above the threshold, ...).</summary>
    WithdrawalPolicyInvalid = 5380,
    /// <summary>A withdrawal id reused with a different request.</summary>
    WithdrawalDuplicateId = 5381,

    // Cold-to-hot rebalancing
    /// <summary>No rebalancing with this id.</summary>
    RebalanceNotFound = 5390,
    /// <summary>Fewer valid signatures than the cold wallet's threshold.</summary>
    RebalanceThresholdNotMet = 5391,
    /// <summary>A partial signature by a key that is not one of the cold wallet's keys for that input.</summary>
    RebalanceUnknownSignerKey = 5392,
    /// <summary>A partial signature that does not verify against the PSBT's sighash (signed over a changed transaction).</summary>
    RebalanceSignatureInvalid = 5393,
    /// <summary>A PSBT whose unsigned transaction differs from the rebalancing's.</summary>
    RebalanceTransactionChanged = 5394,
    /// <summary>The key file is not the key of the signer named.</summary>
    RebalanceSignerMismatch = 5395,
    /// <summary>The rebalancing is not in a state that allows this step.</summary>
    RebalanceInvalidState = 5396,
    /// <summary>A route other than cold to hot.</summary>
    RebalanceRouteUnsupported = 5397,
    /// <summary>A signer number outside 1..n.</summary>
    RebalanceSignerIndexOutOfRange = 5398,
    /// <summary>The stored PSBT does not match the rebalancing record (inputs, scripts, destination, change or amounts).</summary>
    RebalancePsbtInconsistent = 5399,

    // Proof of reserves
    /// <summary>A liabilities file that is not the documented JSON shape.</summary>
    LiabilitiesInvalid = 5410,
    /// <summary>A reserves report that does not parse or lacks fields.</summary>
    ReservesReportMalformed = 5411,
    /// <summary>An ownership proof whose signatures do not prove control of its address.</summary>
    ReservesProofInvalid = 5412,
    /// <summary>The report's hash does not match its content (the report was altered).</summary>
    ReservesReportHashMismatch = 5413,
    /// <summary>No proof-of-reserves draft is open in this data directory.</summary>
    ReservesDraftNotFound = 5414,
    /// <summary>An empty challenge, or one longer than 256 characters or with control characters.</summary>
    ReservesChallengeInvalid = 5415,
    /// <summary>The balances re-derived from the chain differ from the report's.</summary>
    ReservesBalanceMismatch = 5416,
}

/// <summary>Base class of every error the custody primitives throw for bad input; carries a numbered <see cref="CustodyError"/>.</summary>
/// <remarks>Messages never contain key material.</remarks>
public class CustodyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CustodyException(CustodyError reason, string message) : base($"{(int)reason} {reason}: {message}") => Reason = reason;

    /// <summary>The numbered reason.</summary>
    public CustodyError Reason { get; }
}

/// <summary>Base58Check or bech32 text that does not decode.</summary>
public sealed class EncodingFormatException(CustodyError reason, string message) : CustodyException(reason, message);

/// <summary>An address that does not parse, or parses for another network (<see cref="CustodyError.AddressWrongNetwork"/>).</summary>
public sealed class AddressFormatException(CustodyError reason, string message) : CustodyException(reason, message);

/// <summary>An invalid private, public, WIF or extended key, or a derivation that cannot be done.</summary>
public sealed class KeyFormatException(CustodyError reason, string message) : CustodyException(reason, message);

/// <summary>A BIP-39 mnemonic or entropy that is not valid.</summary>
public sealed class MnemonicFormatException(CustodyError reason, string message) : CustodyException(reason, message);

/// <summary>A signature that does not decode.</summary>
public sealed class SignatureFormatException(CustodyError reason, string message) : CustodyException(reason, message);

/// <summary>A transaction or script that does not parse or breaks a consensus rule checked without the UTXO set.</summary>
public sealed class TransactionFormatException(CustodyError reason, string message) : CustodyException(reason, message);

/// <summary>An amount outside 0 ≤ amount ≤ 21 000 000 BTC.</summary>
public sealed class AmountOutOfRangeException(string message) : CustodyException(CustodyError.AmountOutOfRange, message);

/// <summary>A builder refused an output below the dust threshold.</summary>
public sealed class DustOutputException(string message) : CustodyException(CustodyError.DustOutput, message);

/// <summary>A PSBT that does not parse under BIP-174 (v0) rules.</summary>
public sealed class PsbtFormatException(CustodyError reason, string message) : CustodyException(reason, message);

/// <summary>A PSBT role (updater, signer, combiner, finalizer, extractor) refused the PSBT it was given.</summary>
public sealed class PsbtRoleException(CustodyError reason, string message) : CustodyException(reason, message);

/// <summary>Amount text that is not an exact decimal number of bitcoins.</summary>
public sealed class AmountFormatException(CustodyError reason, string message) : CustodyException(reason, message);

/// <summary>A key file that cannot be created or opened: wrong passphrase, existing file, bad permissions, malformed content.</summary>
public sealed class KeyFileException(CustodyError reason, string message) : CustodyException(reason, message);

/// <summary>Wallet or state-file problems: missing or existing wallets, descriptors, corrupt files, network mismatches, locks.</summary>
public sealed class CustodyStateException(CustodyError reason, string message) : CustodyException(reason, message);

/// <summary>A chain backend (Bitcoin Core JSON-RPC or the simulated chain) refused or failed a request.</summary>
public sealed class ChainException : CustodyException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">The numbered reason.</param>
    /// <param name="message">What happened (never key material).</param>
    /// <param name="rpcCode">Bitcoin Core's JSON-RPC error code, when the node gave one.</param>
    public ChainException(CustodyError reason, string message, int? rpcCode = null) : base(reason, message) => RpcCode = rpcCode;

    /// <summary>Bitcoin Core's JSON-RPC error code (for example -25, -26, -27, -5), when the node gave one.</summary>
    public int? RpcCode { get; }
}

/// <summary>A withdrawal refused by the policy or a step taken in the wrong state.</summary>
public sealed class WithdrawalException(CustodyError reason, string message) : CustodyException(reason, message);

/// <summary>A cold-to-hot rebalancing step refused (threshold, signer, signature, state).</summary>
public sealed class RebalanceException(CustodyError reason, string message) : CustodyException(reason, message);

/// <summary>A proof-of-reserves input or report that is not valid.</summary>
public sealed class ReservesException(CustodyError reason, string message) : CustodyException(reason, message);

/// <summary>A fee rate that is not positive, or above the cap.</summary>
public sealed class FeeRateException(CustodyError reason, string message) : CustodyException(reason, message);

internal static class Throw
{
    [DoesNotReturn]
    public static void Encoding(CustodyError reason, string message) => throw new EncodingFormatException(reason, message);

    [DoesNotReturn]
    public static void Address(CustodyError reason, string message) => throw new AddressFormatException(reason, message);

    [DoesNotReturn]
    public static void Key(CustodyError reason, string message) => throw new KeyFormatException(reason, message);

    [DoesNotReturn]
    public static void Mnemonic(CustodyError reason, string message) => throw new MnemonicFormatException(reason, message);

    [DoesNotReturn]
    public static void Signature(CustodyError reason, string message) => throw new SignatureFormatException(reason, message);

    [DoesNotReturn]
    public static void Transaction(CustodyError reason, string message) => throw new TransactionFormatException(reason, message);

    [DoesNotReturn]
    public static void Psbt(CustodyError reason, string message) => throw new PsbtFormatException(reason, message);

    [DoesNotReturn]
    public static void PsbtRole(CustodyError reason, string message) => throw new PsbtRoleException(reason, message);

    [DoesNotReturn]
    public static void Amount(string message) => throw new AmountOutOfRangeException(message);

    [DoesNotReturn]
    public static void AmountFormat(CustodyError reason, string message) => throw new AmountFormatException(reason, message);

    [DoesNotReturn]
    public static void KeyFile(CustodyError reason, string message) => throw new KeyFileException(reason, message);

    [DoesNotReturn]
    public static void State(CustodyError reason, string message) => throw new CustodyStateException(reason, message);

    [DoesNotReturn]
    public static void Chain(CustodyError reason, string message, int? rpcCode = null) => throw new ChainException(reason, message, rpcCode);

    [DoesNotReturn]
    public static void Withdrawal(CustodyError reason, string message) => throw new WithdrawalException(reason, message);

    [DoesNotReturn]
    public static void Rebalance(CustodyError reason, string message) => throw new RebalanceException(reason, message);

    [DoesNotReturn]
    public static void Reserves(CustodyError reason, string message) => throw new ReservesException(reason, message);

    [DoesNotReturn]
    public static void FeeRate(CustodyError reason, string message) => throw new FeeRateException(reason, message);
}
