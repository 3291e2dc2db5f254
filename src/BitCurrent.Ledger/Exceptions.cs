namespace BitCurrent.Ledger;

/// <summary>
/// Thrown when an invariant of the ledger does not hold, or when the caller breaks a precondition of the state
/// machine (a batch timestamp that does not increase). An invariant failure found after a batch is a bug: the
/// engine refuses every later call, and the process must restart from a snapshot and the journal. A failed
/// precondition is found before anything changes, and the engine stays usable.
/// </summary>
public sealed class LedgerInvariantException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LedgerInvariantException() { }

    /// <summary>Creates the exception with a message naming the failed expression.</summary>
    public LedgerInvariantException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public LedgerInvariantException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// Why a snapshot could not be read (49xx), declared in the order the checks run (an input shorter than the 64-byte
/// header is <see cref="Truncated"/> before anything else). Numbers are never reused; a golden test pins them.
/// </summary>
public enum SnapshotError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The first 8 bytes are not the snapshot magic <c>BCLEDGER</c>.</summary>
    BadMagic = 4901,

    /// <summary>The header's CRC32C does not match: the header is corrupt.</summary>
    HeaderChecksumMismatch = 4903,

    /// <summary>The format version is not one this build reads.</summary>
    UnsupportedVersion = 4902,

    /// <summary>The header is inconsistent (header size, body length or reserved fields).</summary>
    BadHeader = 4907,

    /// <summary>The snapshot holds more accounts, transfers or ledgers than the options allow.</summary>
    CapacityExceeded = 4906,

    /// <summary>The snapshot ends before the length its header announces (or before the end of the header).</summary>
    Truncated = 4905,

    /// <summary>The body's CRC32C does not match: the body is corrupt.</summary>
    BodyChecksumMismatch = 4904,

    /// <summary>The records are well-formed but break an invariant (duplicate ids, unbalanced ledger, ...).</summary>
    InvalidState = 4908,
}

/// <summary>Thrown when a snapshot is corrupt or cannot be restored; nothing partial is ever returned.</summary>
public sealed class LedgerSnapshotException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LedgerSnapshotException() { }

    /// <summary>Creates the exception with a message.</summary>
    public LedgerSnapshotException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public LedgerSnapshotException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with its numbered reason.</summary>
    public LedgerSnapshotException(SnapshotError error, string message, Exception? innerException = null)
        : base($"{(int)error} {error}: {message}", innerException) => Error = error;

    /// <summary>The numbered reason.</summary>
    public SnapshotError Error { get; }
}
