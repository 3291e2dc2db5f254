using System.Buffers.Binary;
using System.Text.Json;
using BitCurrent.Custody.Internal;

namespace BitCurrent.Custody;

/// <summary>
/// An in-process regtest chain for demos and tests: blocks mined on demand, a mempool, and every spend validated as a node would —
/// context-free checks (<see cref="Transaction.Check"/>), inputs present and unspent (no double spends, also against the mempool),
/// outputs not above inputs, no dust outputs, and every input's script run by <see cref="ScriptVerifier"/> under the standard flags.
/// Funding comes from coinbase-like transactions (<see cref="Fund"/>) that pay any script at once. Reorganisations are simulated by
/// disconnecting blocks (<see cref="Disconnect"/>). With <see cref="Open"/> the chain persists in a directory (data/chain/) so that
/// separate CLI invocations share it; the directory is locked while open.
/// </summary>
/// <remarks>Differences from a real node, on purpose: no proof of work, no block subsidy, funding outputs are spendable at once
/// (no 100-block coinbase maturity), no replace-by-fee, no timelocks, every mempool transaction goes into the next block.</remarks>
public sealed class SimulatedChain : IBitcoinChain, IDisposable
{
    /// <summary>The file the chain is kept in, inside its directory.</summary>
    public const string FileName = "regtest.json";

    private const string FormatName = "bitcurrent-simulated-chain";
    private const int FormatVersion = 1;

    private readonly string? _path;
    private readonly DirectoryLock? _lock;
    private readonly TimeProvider _time;
    private readonly List<Block> _blocks = [];
    private readonly List<Transaction> _mempool = [];
    private readonly Dictionary<OutPoint, (TxOut Output, int Height)> _utxos = [];
    private readonly Dictionary<TxId, int> _heights = [];
    private long _nonce;
    private long _feeRateSatPerVb = 2;

    private SimulatedChain(string? path, DirectoryLock? directoryLock, TimeProvider time)
    {
        _path = path;
        _lock = directoryLock;
        _time = time;
    }

    /// <summary>A chain that lives only in memory, with its genesis block.</summary>
    public static SimulatedChain InMemory(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var chain = new SimulatedChain(null, null, time);
        chain.AppendBlock([]);
        return chain;
    }

    /// <summary>Opens (or creates) the chain kept in <paramref name="directory"/> and locks it until disposed.</summary>
    /// <exception cref="CustodyStateException"><see cref="CustodyError.StateLocked"/>, <see cref="CustodyError.StateFileCorrupt"/>,
    /// <see cref="CustodyError.StateVersionUnsupported"/>.</exception>
    public static SimulatedChain Open(string directory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(time);
        var directoryLock = DirectoryLock.Acquire(directory, ownerOnly: false);
        try
        {
            var chain = new SimulatedChain(Path.Combine(directory, FileName), directoryLock, time);
            if (File.Exists(chain._path))
            {
                chain.Load(File.ReadAllBytes(chain._path));
            }
            else
            {
                chain.AppendBlock([]);
                chain.Save();
            }
            return chain;
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public Network Network => Network.Regtest;

    /// <summary>Height of the tip (0 = only the genesis block).</summary>
    public int Height => _blocks.Count - 1;

    /// <summary>Transactions waiting for the next block, in arrival order.</summary>
    public IReadOnlyList<Transaction> Mempool => _mempool;

    /// <summary>The fee rate <see cref="EstimateFeeRateAsync"/> answers (sat/vB, default 2).</summary>
    public long FeeRateSatPerVb
    {
        get => _feeRateSatPerVb;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _feeRateSatPerVb = value;
            Save();
        }
    }

    /// <summary>The hash of the block at <paramref name="height"/>.</summary>
    public string BlockHash(int height) => _blocks[height].Hash;

    /// <summary>The transactions of the block at <paramref name="height"/>.</summary>
    public IReadOnlyList<Transaction> BlockTransactions(int height) => _blocks[height].Transactions;

    /// <summary>Pays <paramref name="amountSatoshis"/> to <paramref name="scriptPubKey"/> with a coinbase-like transaction, mined at once in a
    /// new block of its own (the mempool is left alone). Returns the funding transaction's id; the output is index 0.</summary>
    /// <exception cref="AmountOutOfRangeException">Amount not in 1 sat..21e6 BTC.</exception>
    public TxId Fund(Script scriptPubKey, long amountSatoshis)
    {
        ArgumentNullException.ThrowIfNull(scriptPubKey);
        Money.Check(amountSatoshis);
        if (amountSatoshis == 0)
        {
            Throw.Amount("a funding output must be at least 1 satoshi");
        }
        Span<byte> tag = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(tag, ++_nonce);
        var coinbase = new Transaction { Version = 2 };
        coinbase.Inputs.Add(new TxIn(new OutPoint(default, uint.MaxValue), new ScriptBuilder().Number(Height + 1).Push(tag).ToScript()));
        coinbase.Outputs.Add(new TxOut(amountSatoshis, scriptPubKey));
        AppendBlock([coinbase]);
        Save();
        return coinbase.GetTxId();
    }

    /// <summary>Mines <paramref name="blocks"/> blocks; the first takes every mempool transaction. Returns the new blocks' hashes.</summary>
    public IReadOnlyList<string> Mine(int blocks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blocks, 10_000);
        var hashes = new List<string>(blocks);
        for (var i = 0; i < blocks; i++)
        {
            var transactions = _mempool.ToList();
            _mempool.Clear();
            AppendBlock(transactions);
            hashes.Add(_blocks[^1].Hash);
        }
        Save();
        return hashes;
    }

    /// <summary>Simulates a reorganisation: disconnects the top <paramref name="blocks"/> blocks. Their ordinary transactions go back to the
    /// mempool when still valid (as a node does); coinbase-like funding transactions disappear. Returns how many went back.</summary>
    /// <exception cref="ChainException"><see cref="CustodyError.ChainReorgTooDeep"/>.</exception>
    public int Disconnect(int blocks)
    {
        if (blocks < 1 || blocks > Height)
        {
            Throw.Chain(CustodyError.ChainReorgTooDeep, $"cannot disconnect {blocks} blocks from a chain of height {Height}");
        }
        var removed = _blocks.GetRange(_blocks.Count - blocks, blocks);
        _blocks.RemoveRange(_blocks.Count - blocks, blocks);
        var waiting = removed.SelectMany(b => b.Transactions).Where(t => !IsCoinbase(t)).Concat(_mempool).ToList();
        _mempool.Clear();
        RebuildIndexes();
        var returned = 0;
        foreach (var tx in waiting)
        {
            if (Validate(tx, out _, out _) == CustodyError.None)
            {
                _mempool.Add(tx);
                returned++;
            }
        }
        Save();
        return returned;
    }

    /// <inheritdoc/>
    public Task<ChainTip> GetTipAsync(CancellationToken cancellationToken = default) => Task.FromResult(new ChainTip(Height, _blocks[^1].Hash));

    /// <inheritdoc/>
    public Task<IReadOnlyList<ChainUtxo>> GetUtxosAsync(IReadOnlyCollection<Script> scripts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scripts);
        var wanted = scripts.Select(s => s.ToHex()).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<ChainUtxo> result = _utxos
            .Where(u => wanted.Contains(u.Value.Output.ScriptPubKey.ToHex()))
            .Select(u => new ChainUtxo(u.Key, u.Value.Output, u.Value.Height, Height - u.Value.Height + 1))
            .OrderBy(u => u.OutPoint.TxId.ToString(), StringComparer.Ordinal).ThenBy(u => u.OutPoint.Index)
            .ToList();
        return Task.FromResult(result);
    }

    /// <inheritdoc/>
    public Task<TxId> BroadcastAsync(Transaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var txid = transaction.GetTxId();
        if (_mempool.Exists(t => t.GetTxId() == txid))
        {
            return Task.FromResult(txid);
        }
        if (_heights.ContainsKey(txid))
        {
            Throw.Chain(CustodyError.ChainAlreadyInChain, "transaction already in block chain", -27);
        }
        var error = Validate(transaction, out var message, out var rpcCode);
        if (error != CustodyError.None)
        {
            Throw.Chain(error, message, rpcCode);
        }
        _mempool.Add(transaction.Clone());
        Save();
        return Task.FromResult(txid);
    }

    /// <inheritdoc/>
    public Task<ChainTransaction?> GetTransactionAsync(TxId txId, CancellationToken cancellationToken = default)
    {
        var pending = _mempool.Find(t => t.GetTxId() == txId);
        if (pending is not null)
        {
            return Task.FromResult<ChainTransaction?>(new ChainTransaction(txId, pending.Clone(), 0, null, null));
        }
        if (_heights.TryGetValue(txId, out var height))
        {
            var tx = _blocks[height].Transactions.First(t => t.GetTxId() == txId);
            return Task.FromResult<ChainTransaction?>(new ChainTransaction(txId, tx.Clone(), Height - height + 1, height, _blocks[height].Hash));
        }
        return Task.FromResult<ChainTransaction?>(null);
    }

    /// <inheritdoc/>
    public Task<long> EstimateFeeRateAsync(int targetBlocks, CancellationToken cancellationToken = default) => Task.FromResult(_feeRateSatPerVb);

    /// <summary>Releases the directory lock.</summary>
    public void Dispose() => _lock?.Dispose();

    private CustodyError Validate(Transaction tx, out string message, out int? rpcCode)
    {
        rpcCode = -26;
        var check = tx.Check();
        if (check != CustodyError.None)
        {
            message = $"bad transaction: {check}";
            return CustodyError.ChainTransactionRejected;
        }
        if (IsCoinbase(tx))
        {
            message = "coinbase transactions cannot be broadcast";
            return CustodyError.ChainTransactionRejected;
        }
        var spent = new List<TxOut>(tx.Inputs.Count);
        foreach (var input in tx.Inputs)
        {
            var output = FindUnspent(input.PrevOut, out var conflict);
            if (output is null)
            {
                rpcCode = conflict ? -26 : -25;
                message = conflict ? $"txn-mempool-conflict: {input.PrevOut} is spent by a mempool transaction" : $"bad-txns-inputs-missingorspent: {input.PrevOut}";
                return CustodyError.ChainInputsMissingOrSpent;
            }
            spent.Add(output);
        }
        var inputTotal = Money.Sum(spent.Select(o => o.Value));
        var outputTotal = Money.Sum(tx.Outputs.Select(o => o.Value));
        if (outputTotal > inputTotal)
        {
            message = $"bad-txns-in-belowout: outputs {outputTotal} sat exceed inputs {inputTotal} sat";
            return CustodyError.ChainFeeNegative;
        }
        foreach (var output in tx.Outputs)
        {
            if (Money.IsDust(output))
            {
                message = $"dust: an output of {output.Value} sat is below the dust threshold";
                return CustodyError.ChainTransactionRejected;
            }
        }
        var scriptError = ScriptVerifier.VerifyTransaction(tx, spent);
        if (scriptError != ScriptError.Ok)
        {
            message = $"mandatory-script-verify-flag-failed ({(int)scriptError} {scriptError})";
            return CustodyError.ChainTransactionRejected;
        }
        message = string.Empty;
        rpcCode = null;
        return CustodyError.None;
    }

    private TxOut? FindUnspent(OutPoint outPoint, out bool conflict)
    {
        conflict = _mempool.Exists(t => t.Inputs.Exists(i => i.PrevOut == outPoint));
        if (conflict)
        {
            return null;
        }
        if (_utxos.TryGetValue(outPoint, out var confirmed))
        {
            return confirmed.Output;
        }
        var parent = _mempool.Find(t => t.GetTxId() == outPoint.TxId);
        return parent is not null && outPoint.Index < parent.Outputs.Count ? parent.Outputs[(int)outPoint.Index] : null;
    }

    private static bool IsCoinbase(Transaction tx) => tx.Inputs.Count == 1 && tx.Inputs[0].PrevOut.IsNull;

    private void AppendBlock(List<Transaction> transactions)
    {
        var height = _blocks.Count;
        var previous = height == 0 ? new string('0', 64) : _blocks[^1].Hash;
        var time = _time.GetUtcNow();
        var header = new List<byte>();
        header.AddRange(Convert.FromHexString(previous));
        header.AddRange(BitConverter.GetBytes(height));
        header.AddRange(BitConverter.GetBytes(time.ToUnixTimeSeconds()));
        header.AddRange(BitConverter.GetBytes(++_nonce));
        foreach (var tx in transactions)
        {
            header.AddRange(tx.GetTxId().Span.ToArray());
        }
        var hash = new TxId(Hashes.DoubleSha256([.. header])).ToString();
        var block = new Block(height, hash, previous, time, transactions);
        _blocks.Add(block);
        Connect(block);
    }

    private void Connect(Block block)
    {
        foreach (var tx in block.Transactions)
        {
            var txid = tx.GetTxId();
            if (!IsCoinbase(tx))
            {
                foreach (var input in tx.Inputs)
                {
                    _utxos.Remove(input.PrevOut);
                }
            }
            for (var i = 0; i < tx.Outputs.Count; i++)
            {
                if (!tx.Outputs[i].ScriptPubKey.IsUnspendable)
                {
                    _utxos[new OutPoint(txid, (uint)i)] = (tx.Outputs[i], block.Height);
                }
            }
            _heights[txid] = block.Height;
        }
    }

    private void RebuildIndexes()
    {
        _utxos.Clear();
        _heights.Clear();
        foreach (var block in _blocks)
        {
            Connect(block);
        }
    }

    private void Save()
    {
        if (_path is null)
        {
            return;
        }
        var document = new ChainDocument
        {
            Format = FormatName,
            Version = FormatVersion,
            Network = NetworkNames.Name(Network.Regtest),
            FeeRateSatPerVb = _feeRateSatPerVb,
            Nonce = _nonce,
            Blocks = _blocks.ConvertAll(b => new BlockDocument
            {
                Height = b.Height,
                Hash = b.Hash,
                PreviousHash = b.PreviousHash,
                Time = b.Time,
                Transactions = b.Transactions.ConvertAll(t => t.ToHex()),
            }),
            Mempool = _mempool.ConvertAll(t => t.ToHex()),
        };
        AtomicFile.Write(_path, JsonSerializer.SerializeToUtf8Bytes(document, CustodyJson.Options), ownerOnly: false);
    }

    private void Load(byte[] bytes)
    {
        ChainDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<ChainDocument>(bytes, CustodyJson.Options);
        }
        catch (JsonException)
        {
            document = null;
        }
        if (document is null || document.Format != FormatName || document.Blocks is null || document.Blocks.Count == 0 || document.Mempool is null)
        {
            Throw.State(CustodyError.StateFileCorrupt, $"{_path} is not a simulated chain file");
        }
        if (document.Version != FormatVersion)
        {
            Throw.State(CustodyError.StateVersionUnsupported, $"{_path} has version {document.Version}; this library reads {FormatVersion}");
        }
        _nonce = document.Nonce;
        _feeRateSatPerVb = Math.Max(1, document.FeeRateSatPerVb);
        try
        {
            foreach (var b in document.Blocks)
            {
                var previous = _blocks.Count == 0 ? new string('0', 64) : _blocks[^1].Hash;
                if (b.Height != _blocks.Count || b.PreviousHash != previous || b.Hash is null || b.Transactions is null)
                {
                    Throw.State(CustodyError.StateFileCorrupt, $"{_path}: block {b.Height} does not link to its parent");
                }
                var block = new Block(b.Height, b.Hash, previous, b.Time, b.Transactions.ConvertAll(Transaction.Parse));
                _blocks.Add(block);
                Connect(block);
            }
            _mempool.AddRange(document.Mempool.ConvertAll(Transaction.Parse));
        }
        catch (Exception e) when (e is CustodyException and not CustodyStateException or FormatException)
        {
            Throw.State(CustodyError.StateFileCorrupt, $"{_path}: a transaction does not parse");
        }
    }

    private sealed record Block(int Height, string Hash, string PreviousHash, DateTimeOffset Time, List<Transaction> Transactions);
}
