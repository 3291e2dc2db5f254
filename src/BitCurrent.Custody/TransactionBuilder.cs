namespace BitCurrent.Custody;

/// <summary>Builds an unsigned transaction (and its PSBT) from known UTXOs and outputs, refusing bad amounts, dust and
/// addresses of another network with typed errors. Coin selection and fee estimation belong to the caller.</summary>
public sealed class TransactionBuilder
{
    private readonly List<(TxIn Input, TxOut Spent, Script? Redeem, Script? Witness)> _inputs = [];
    private readonly List<TxOut> _outputs = [];

    /// <summary>Creates a builder for <paramref name="network"/>.</summary>
    /// <param name="network">Outputs given as addresses must belong to this network.</param>
    /// <param name="dustRelayFeeSatPerKvb">Rate of the dust rule (Core's default 3000 sat/kvB).</param>
    public TransactionBuilder(Network network, long dustRelayFeeSatPerKvb = 3000)
    {
        Network = network;
        DustRelayFeeSatPerKvb = dustRelayFeeSatPerKvb;
    }

    /// <summary>The network of the outputs.</summary>
    public Network Network { get; }

    /// <summary>The dust rate in sat/kvB.</summary>
    public long DustRelayFeeSatPerKvb { get; }

    /// <summary>nVersion (default 2).</summary>
    public int Version { get; set; } = 2;

    /// <summary>nLockTime (default 0).</summary>
    public uint LockTime { get; set; }

    /// <summary>Adds an input spending <paramref name="spent"/> at <paramref name="outPoint"/>; scripts are needed for P2SH/P2WSH spends.</summary>
    /// <exception cref="AmountOutOfRangeException">The spent value is out of range.</exception>
    public TransactionBuilder AddInput(OutPoint outPoint, TxOut spent, Script? redeemScript = null, Script? witnessScript = null, uint sequence = 0xfffffffd)
    {
        ArgumentNullException.ThrowIfNull(spent);
        Money.Check(spent.Value);
        _inputs.Add((new TxIn(outPoint, null, sequence), spent, redeemScript, witnessScript));
        return this;
    }

    /// <summary>Adds a payment to an address.</summary>
    /// <exception cref="AddressFormatException"><see cref="CustodyError.AddressWrongNetwork"/> for an address of another network.</exception>
    /// <exception cref="AmountOutOfRangeException">Amount outside 0..21e6 BTC.</exception>
    /// <exception cref="DustOutputException">Amount below the dust threshold of the address's script.</exception>
    public TransactionBuilder AddOutput(BitcoinAddress address, long amountSatoshis)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Network != Network && !(address.Type is AddressType.P2pkh or AddressType.P2sh && NetworkParameters.SharesBase58Prefixes(address.Network, Network)))
        {
            Throw.Address(CustodyError.AddressWrongNetwork, $"address is for {address.Network}, the transaction for {Network}");
        }
        return AddOutput(address.ScriptPubKey, amountSatoshis);
    }

    /// <summary>Adds an output paying to a script.</summary>
    /// <exception cref="AmountOutOfRangeException">Amount outside 0..21e6 BTC.</exception>
    /// <exception cref="DustOutputException">Amount below the dust threshold (OP_RETURN outputs are exempt).</exception>
    public TransactionBuilder AddOutput(Script scriptPubKey, long amountSatoshis)
    {
        ArgumentNullException.ThrowIfNull(scriptPubKey);
        Money.Check(amountSatoshis);
        var output = new TxOut(amountSatoshis, scriptPubKey);
        if (Money.IsDust(output, DustRelayFeeSatPerKvb))
        {
            throw new DustOutputException($"output of {amountSatoshis} sat is below the dust threshold of {Money.DustThreshold(output, DustRelayFeeSatPerKvb)} sat");
        }
        _outputs.Add(output);
        return this;
    }

    /// <summary>Sum of the inputs' values.</summary>
    public long InputTotal => Money.Sum(_inputs.Select(i => i.Spent.Value));

    /// <summary>Sum of the outputs' values.</summary>
    public long OutputTotal => Money.Sum(_outputs.Select(o => o.Value));

    /// <summary>Fee = inputs − outputs.</summary>
    /// <exception cref="AmountOutOfRangeException">When outputs exceed inputs.</exception>
    public long Fee => Money.Check(InputTotal - OutputTotal);

    /// <summary>The unsigned transaction.</summary>
    /// <exception cref="TransactionFormatException">No inputs or no outputs, or duplicate inputs.</exception>
    /// <exception cref="AmountOutOfRangeException">Outputs exceed inputs.</exception>
    public Transaction Build()
    {
        var tx = new Transaction { Version = Version, LockTime = LockTime };
        tx.Inputs.AddRange(_inputs.Select(i => new TxIn(i.Input.PrevOut, null, i.Input.Sequence)));
        tx.Outputs.AddRange(_outputs.Select(o => new TxOut(o.Value, o.ScriptPubKey)));
        var check = tx.Check();
        if (check != CustodyError.None)
        {
            Throw.Transaction(check, "transaction breaks a consensus rule");
        }
        _ = Fee;
        return tx;
    }

    /// <summary>A PSBT of <see cref="Build"/> with each input's witness UTXO (for segwit spends, the spent output; legacy inputs need
    /// <see cref="PsbtInput.NonWitnessUtxo"/> set by the caller) and the given redeem/witness scripts.</summary>
    public Psbt BuildPsbt()
    {
        var psbt = Psbt.Create(Build());
        for (var i = 0; i < _inputs.Count; i++)
        {
            var (_, spent, redeem, witness) = _inputs[i];
            var input = psbt.Inputs[i];
            var program = redeem ?? spent.ScriptPubKey;
            if (program.IsWitnessProgram(out _, out _)) input.WitnessUtxo = spent;
            if (redeem is not null) input.RedeemScript = redeem;
            if (witness is not null) input.WitnessScript = witness;
        }
        return psbt;
    }
}
