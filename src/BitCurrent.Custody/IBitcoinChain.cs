namespace BitCurrent.Custody;

/// <summary>The best block of a chain.</summary>
/// <param name="Height">Its height (genesis is 0).</param>
/// <param name="BlockHash">Its hash, display hex.</param>
public sealed record ChainTip(int Height, string BlockHash);

/// <summary>An unspent output found on the chain.</summary>
/// <param name="OutPoint">Where it is.</param>
/// <param name="Output">Amount and script.</param>
/// <param name="Height">Height of the block that holds it.</param>
/// <param name="Confirmations">Blocks on top of it, counting its own (1 in the tip block).</param>
public sealed record ChainUtxo(OutPoint OutPoint, TxOut Output, int Height, int Confirmations);

/// <summary>A transaction as the chain knows it.</summary>
/// <param name="TxId">Its id.</param>
/// <param name="Transaction">The transaction.</param>
/// <param name="Confirmations">0 while in the mempool; 1 in the tip block, and so on.</param>
/// <param name="BlockHeight">Height of its block, null while in the mempool.</param>
/// <param name="BlockHash">Hash of its block, null while in the mempool.</param>
public sealed record ChainTransaction(TxId TxId, Transaction Transaction, int Confirmations, int? BlockHeight, string? BlockHash);

/// <summary>
/// What the custody workflows need from a Bitcoin node: the tip, unspent outputs of given scripts, broadcasting, a transaction
/// with its confirmations, and a fee estimate. Implemented by <see cref="BitcoinCoreRpcClient"/> (a real node over JSON-RPC) and by
/// <see cref="SimulatedChain"/> (an in-process regtest chain, the default for demos and tests).
/// </summary>
/// <remarks>Failures are <see cref="ChainException"/>s with a numbered <see cref="CustodyError"/> (53xx).</remarks>
public interface IBitcoinChain
{
    /// <summary>The chain's network.</summary>
    Network Network { get; }

    /// <summary>The best block.</summary>
    Task<ChainTip> GetTipAsync(CancellationToken cancellationToken = default);

    /// <summary>Confirmed unspent outputs paying to any of <paramref name="scripts"/> (as Core's scantxoutset: outputs spent only in the
    /// mempool are still listed), ordered by outpoint.</summary>
    Task<IReadOnlyList<ChainUtxo>> GetUtxosAsync(IReadOnlyCollection<Script> scripts, CancellationToken cancellationToken = default);

    /// <summary>Sends a signed transaction to the mempool; returns its txid. Sending a transaction already in the mempool returns its txid.</summary>
    /// <exception cref="ChainException"><see cref="CustodyError.ChainTransactionRejected"/>, <see cref="CustodyError.ChainInputsMissingOrSpent"/>,
    /// <see cref="CustodyError.ChainFeeNegative"/>, <see cref="CustodyError.ChainAlreadyInChain"/>, or an access failure.</exception>
    Task<TxId> BroadcastAsync(Transaction transaction, CancellationToken cancellationToken = default);

    /// <summary>A transaction from the mempool or the active chain, or null when the node knows none with this id.</summary>
    Task<ChainTransaction?> GetTransactionAsync(TxId txId, CancellationToken cancellationToken = default);

    /// <summary>A fee rate (sat/vB, rounded up) for confirmation within <paramref name="targetBlocks"/> blocks.</summary>
    /// <exception cref="ChainException"><see cref="CustodyError.ChainFeeEstimateUnavailable"/> when the node has no estimate yet.</exception>
    Task<long> EstimateFeeRateAsync(int targetBlocks, CancellationToken cancellationToken = default);
}
