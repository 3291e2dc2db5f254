namespace BitCurrent.Ledger;

/// <summary>
/// Capacities of a <see cref="LedgerEngine"/>. Everything is allocated when the engine is constructed; when a
/// capacity is reached the engine returns a result code (<see cref="CreateAccountResult.AccountCapacityExceeded"/>,
/// <see cref="CreateAccountResult.LedgerCapacityExceeded"/>, <see cref="CreateTransferResult.TransferCapacityExceeded"/>)
/// instead of growing. Capacities take part in results, so a replay must use the same options.
/// </summary>
/// <remarks>
/// Memory: about 190 bytes per transfer (the 128-byte record, 24 bytes of pending state, 4 bytes of expiry heap and
/// the id index) and about 170 bytes per account. Arrays are allocated zeroed, so pages are committed as they fill.
/// </remarks>
public sealed record LedgerEngineOptions
{
    /// <summary>TigerBeetle's batch size: the largest batch of 128-byte events in a 1 MiB message.</summary>
    public const int DefaultBatchItemsMax = 8189;

    /// <summary>Most accounts the engine holds. Default 65 536.</summary>
    public int AccountsMax { get; init; } = 65_536;

    /// <summary>Most transfers the engine holds (posts and voids included). Default 1 048 576.</summary>
    public int TransfersMax { get; init; } = 1_048_576;

    /// <summary>Most distinct ledgers (assets). Default 256.</summary>
    public int LedgersMax { get; init; } = 256;

    /// <summary>Most items in one batch; it sizes the undo log of linked chains. Default 8189.</summary>
    public int BatchItemsMax { get; init; } = DefaultBatchItemsMax;

    /// <summary>Throws when a capacity is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A capacity is not positive or is too large.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(AccountsMax, 1, nameof(AccountsMax));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(AccountsMax, 1 << 28, nameof(AccountsMax));
        ArgumentOutOfRangeException.ThrowIfLessThan(TransfersMax, 1, nameof(TransfersMax));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(TransfersMax, 1 << 28, nameof(TransfersMax));
        ArgumentOutOfRangeException.ThrowIfLessThan(LedgersMax, 1, nameof(LedgersMax));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(LedgersMax, 1 << 20, nameof(LedgersMax));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchItemsMax, 1, nameof(BatchItemsMax));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BatchItemsMax, 1 << 20, nameof(BatchItemsMax));
    }
}
