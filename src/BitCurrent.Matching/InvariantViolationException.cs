namespace BitCurrent.Matching;

/// <summary>
/// Thrown when an internal invariant of the engine does not hold. This is a bug, never a user error: the
/// engine's state must be considered corrupt and the process restarted from a snapshot and the journal.
/// </summary>
public sealed class InvariantViolationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InvariantViolationException() { }

    /// <summary>Creates the exception with a message naming the failed expression.</summary>
    public InvariantViolationException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public InvariantViolationException(string message, Exception innerException) : base(message, innerException) { }
}
