using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using BitCurrent.Custody.Internal;

namespace BitCurrent.Custody;

/// <summary>A partially signed transaction, BIP-174 version 0.</summary>
/// <remarks>
/// A parsed PSBT keeps every key-value pair in the order read, so <see cref="ToBytes"/> of an unmodified PSBT returns the input
/// byte for byte. Once a role changes it, the whole PSBT is written in Bitcoin Core's order (known fields by type, partial
/// signatures by HASH160 of their key, derivations by key, unknown fields by key bytes), which is what the BIP's role vectors expect.
/// PSBT version 2 (BIP-370) is not supported: it is rejected with <see cref="CustodyError.PsbtUnsupportedVersion"/>.
/// </remarks>
public sealed class Psbt
{
    internal const byte GlobalUnsignedTx = 0x00;
    internal const byte GlobalXpub = 0x01;
    internal const byte GlobalVersion = 0xFB;
    internal const byte Proprietary = 0xFC;

    private static readonly byte[] Magic = [0x70, 0x73, 0x62, 0x74, 0xff];

    private Psbt(Transaction unsignedTransaction, PsbtMap global)
    {
        UnsignedTransaction = unsignedTransaction;
        Global = global;
    }

    internal PsbtMap Global { get; }

    internal bool Modified { get; set; }

    /// <summary>The unsigned transaction (no scriptSigs, no witnesses). Do not modify it: build a new PSBT instead.</summary>
    public Transaction UnsignedTransaction { get; }

    /// <summary>Per-input maps, one per transaction input.</summary>
    public IReadOnlyList<PsbtInput> Inputs => InputList;

    /// <summary>Per-output maps, one per transaction output.</summary>
    public IReadOnlyList<PsbtOutput> Outputs => OutputList;

    internal List<PsbtInput> InputList { get; } = [];

    internal List<PsbtOutput> OutputList { get; } = [];

    /// <summary>The global map's raw entries (including the unsigned transaction).</summary>
    public IReadOnlyList<PsbtEntry> GlobalEntries => Global.Entries;

    /// <summary>Creator role: a PSBT for an unsigned transaction.</summary>
    /// <exception cref="PsbtRoleException"><see cref="CustodyError.PsbtCreatorTransactionNotUnsigned"/> if any input has a scriptSig or witness.</exception>
    public static Psbt Create(Transaction unsignedTransaction)
    {
        ArgumentNullException.ThrowIfNull(unsignedTransaction);
        foreach (var input in unsignedTransaction.Inputs)
        {
            if (input.ScriptSig.Length != 0 || input.Witness.Count != 0)
            {
                Throw.PsbtRole(CustodyError.PsbtCreatorTransactionNotUnsigned, "the creator needs a transaction without scriptSigs or witnesses");
            }
        }
        var tx = unsignedTransaction.Clone();
        var global = new PsbtMap();
        global.Set([GlobalUnsignedTx], tx.ToBytes(includeWitness: false));
        var psbt = new Psbt(tx, global) { Modified = true };
        foreach (var _ in tx.Inputs) psbt.InputList.Add(new PsbtInput(psbt, new PsbtMap()));
        foreach (var _ in tx.Outputs) psbt.OutputList.Add(new PsbtOutput(psbt, new PsbtMap()));
        return psbt;
    }

    /// <summary>Deep copy (same bytes, same order).</summary>
    public Psbt Clone()
    {
        var psbt = new Psbt(UnsignedTransaction.Clone(), Global.Clone()) { Modified = Modified };
        foreach (var input in InputList) psbt.InputList.Add(new PsbtInput(psbt, input.Map.Clone()));
        foreach (var output in OutputList) psbt.OutputList.Add(new PsbtOutput(psbt, output.Map.Clone()));
        return psbt;
    }

    /// <summary>True when every input has a final scriptSig or final witness.</summary>
    public bool IsFinalized => InputList.TrueForAll(i => i.IsFinalized);

    /// <summary>Fee in satoshis (inputs minus outputs) when every input's UTXO is known; null otherwise.</summary>
    /// <exception cref="AmountOutOfRangeException">Amounts out of range or outputs exceeding inputs.</exception>
    public long? GetFee()
    {
        long inputs = 0;
        for (var i = 0; i < InputList.Count; i++)
        {
            var utxo = InputList[i].GetUtxo();
            if (utxo is null) return null;
            inputs = Money.Add(inputs, utxo.Value);
        }
        var outputs = Money.Sum(UnsignedTransaction.Outputs.Select(o => o.Value));
        return Money.Check(inputs - outputs);
    }

    /// <summary>Global extended public keys (PSBT_GLOBAL_XPUB) with their origins.</summary>
    public IReadOnlyList<(ExtendedPublicKey Key, KeyOrigin Origin)> GlobalXpubs
    {
        get
        {
            var list = new List<(ExtendedPublicKey, KeyOrigin)>();
            foreach (var e in Global.OfType(GlobalXpub))
            {
                var version = BinaryPrimitives.ReadUInt32BigEndian(e.KeySpan[1..]);
                var network = version == 0x0488B21E ? Network.Mainnet : Network.Testnet;
                var raw = e.KeySpan[1..].ToArray();
                BinaryPrimitives.WriteUInt32BigEndian(raw, NetworkParameters.ExtendedPublicVersion(network));
                if (ExtendedKey.Decode(raw, network, out _, out var key) == CustodyError.None && key is not null)
                {
                    list.Add((key, PsbtCodec.ReadKeyOrigin(e.ValueArray)));
                }
            }
            return list;
        }
    }

    /// <summary>Updater: adds a PSBT_GLOBAL_XPUB.</summary>
    public void AddGlobalXpub(ExtendedPublicKey key, KeyOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(origin);
        Global.Set([GlobalXpub, .. key.ToBytes()], PsbtCodec.WriteKeyOrigin(origin));
        Modified = true;
    }

    // ---------------- serialization ----------------

    /// <summary>Serializes. An unmodified parsed PSBT gives back its exact input bytes.</summary>
    public byte[] ToBytes()
    {
        if (Modified)
        {
            PsbtCodec.Canonicalize(this);
        }
        var w = new ByteWriter(1024);
        w.WriteBytes(Magic);
        Global.Write(w);
        foreach (var input in InputList) input.Map.Write(w);
        foreach (var output in OutputList) output.Map.Write(w);
        return w.ToArray();
    }

    /// <summary>Base64 of <see cref="ToBytes"/> (the usual text form).</summary>
    public string ToBase64() => Convert.ToBase64String(ToBytes());

    /// <summary>Parses base64 text.</summary>
    /// <exception cref="PsbtFormatException">With the numbered reason of the first rule broken.</exception>
    public static Psbt ParseBase64(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            Throw.Psbt(CustodyError.PsbtInvalidBase64, "PSBT text is not base64");
            return null;
        }
        return Parse(bytes);
    }

    /// <summary>Parses binary PSBT v0 with Bitcoin Core's checks.</summary>
    /// <exception cref="PsbtFormatException">With the numbered reason of the first rule broken.</exception>
    public static Psbt Parse(ReadOnlySpan<byte> bytes)
    {
        // The codec's own exception is thrown as is: re-throwing TryParse's message would repeat the "number reason:" prefix.
        try
        {
            return PsbtCodec.Read(bytes, Magic);
        }
        catch (Exception ex) when (ex is EndOfDataException or NonCanonicalException)
        {
            Throw.Psbt(CustodyError.PsbtTruncated, TruncatedMessage);
            return null;
        }
    }

    private const string TruncatedMessage = "PSBT ends early or has an oversized length";

    /// <summary>Parses without throwing: the reason and a description (which never contains key material).</summary>
    public static CustodyError TryParse(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out Psbt? psbt, out string message)
    {
        psbt = null;
        try
        {
            psbt = PsbtCodec.Read(bytes, Magic);
            message = "";
            return CustodyError.None;
        }
        catch (PsbtFormatException ex)
        {
            message = ex.Message;
            return ex.Reason;
        }
        catch (Exception ex) when (ex is EndOfDataException or NonCanonicalException)
        {
            message = new PsbtFormatException(CustodyError.PsbtTruncated, TruncatedMessage).Message;
            return CustodyError.PsbtTruncated;
        }
    }

    internal static Psbt CreateParsed(Transaction tx, PsbtMap global) => new(tx, global);
}

/// <summary>One input's map: UTXO, scripts, derivations, partial and final signatures.</summary>
public sealed class PsbtInput
{
    internal const byte NonWitnessUtxoType = 0x00;
    internal const byte WitnessUtxoType = 0x01;
    internal const byte PartialSigType = 0x02;
    internal const byte SighashType = 0x03;
    internal const byte RedeemScriptType = 0x04;
    internal const byte WitnessScriptType = 0x05;
    internal const byte Bip32DerivationType = 0x06;
    internal const byte FinalScriptSigType = 0x07;
    internal const byte FinalScriptWitnessType = 0x08;

    private readonly Psbt _owner;

    internal PsbtInput(Psbt owner, PsbtMap map)
    {
        _owner = owner;
        Map = map;
    }

    internal PsbtMap Map { get; }

    /// <summary>Index of this input in the transaction.</summary>
    public int Index => _owner.InputList.IndexOf(this);

    /// <summary>The outpoint this input spends.</summary>
    public OutPoint PrevOut => _owner.UnsignedTransaction.Inputs[Index].PrevOut;

    /// <summary>The raw entries in order.</summary>
    public IReadOnlyList<PsbtEntry> Entries => Map.Entries;

    private void Touch() => _owner.Modified = true;

    /// <summary>PSBT_IN_NON_WITNESS_UTXO: the whole previous transaction.</summary>
    /// <exception cref="PsbtRoleException"><see cref="CustodyError.PsbtNonWitnessUtxoMismatch"/> when set to a transaction that is not the one spent.</exception>
    public Transaction? NonWitnessUtxo
    {
        get => Map.Get(NonWitnessUtxoType) is { } v ? Transaction.Parse(v) : null;
        set
        {
            if (value is null)
            {
                Map.Remove([NonWitnessUtxoType]);
            }
            else
            {
                if (value.GetTxId() != PrevOut.TxId || PrevOut.Index >= value.Outputs.Count)
                {
                    Throw.PsbtRole(CustodyError.PsbtNonWitnessUtxoMismatch, "previous transaction does not match the outpoint");
                }
                Map.Set([NonWitnessUtxoType], value.ToBytes(includeWitness: false));
            }
            Touch();
        }
    }

    /// <summary>PSBT_IN_WITNESS_UTXO: the output spent (amount and script), for segwit spends.</summary>
    public TxOut? WitnessUtxo
    {
        get => Map.Get(WitnessUtxoType) is { } v ? TxOut.Parse(v) : null;
        set
        {
            if (value is null) Map.Remove([WitnessUtxoType]);
            else Map.Set([WitnessUtxoType], value.ToBytes());
            Touch();
        }
    }

    /// <summary>The output spent: from the non-witness UTXO when present, else the witness UTXO.</summary>
    public TxOut? GetUtxo()
    {
        var full = NonWitnessUtxo;
        if (full is not null)
        {
            var n = PrevOut.Index;
            return n < full.Outputs.Count ? full.Outputs[(int)n] : null;
        }
        return WitnessUtxo;
    }

    /// <summary>PSBT_IN_SIGHASH_TYPE.</summary>
    public int? SigHashType
    {
        get => Map.Get(SighashType) is { } v ? BinaryPrimitives.ReadInt32LittleEndian(v) : null;
        set
        {
            if (value is null)
            {
                Map.Remove([SighashType]);
            }
            else
            {
                var b = new byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(b, value.Value);
                Map.Set([SighashType], b);
            }
            Touch();
        }
    }

    /// <summary>PSBT_IN_REDEEM_SCRIPT.</summary>
    public Script? RedeemScript
    {
        get => Map.Get(RedeemScriptType) is { } v ? new Script(v) : null;
        set => SetScript(RedeemScriptType, value);
    }

    /// <summary>PSBT_IN_WITNESS_SCRIPT.</summary>
    public Script? WitnessScript
    {
        get => Map.Get(WitnessScriptType) is { } v ? new Script(v) : null;
        set => SetScript(WitnessScriptType, value);
    }

    /// <summary>PSBT_IN_FINAL_SCRIPTSIG.</summary>
    public Script? FinalScriptSig
    {
        get => Map.Get(FinalScriptSigType) is { } v ? new Script(v) : null;
        set => SetScript(FinalScriptSigType, value);
    }

    /// <summary>PSBT_IN_FINAL_SCRIPTWITNESS as a stack.</summary>
    public IReadOnlyList<byte[]>? FinalScriptWitness
    {
        get => Map.Get(FinalScriptWitnessType) is { } v ? PsbtCodec.ReadWitness(v) : null;
        set
        {
            if (value is null) Map.Remove([FinalScriptWitnessType]);
            else Map.Set([FinalScriptWitnessType], PsbtCodec.WriteWitness(value));
            Touch();
        }
    }

    /// <summary>True when a final scriptSig or witness is present.</summary>
    public bool IsFinalized => Map.IndexOf([FinalScriptSigType]) >= 0 || Map.IndexOf([FinalScriptWitnessType]) >= 0;

    private void SetScript(byte type, Script? script)
    {
        if (script is null) Map.Remove([type]);
        else Map.Set([type], script.ToBytes());
        Touch();
    }

    /// <summary>PSBT_IN_PARTIAL_SIG: public key → DER signature with its sighash byte.</summary>
    public IReadOnlyList<(PublicKey Key, byte[] Signature)> PartialSignatures =>
        Map.OfType(PartialSigType).Select(e => (PublicKey.Parse(e.KeySpan[1..]), e.ValueSpan.ToArray())).ToList();

    /// <summary>Adds (or replaces) a partial signature (strict DER + defined sighash byte).</summary>
    /// <exception cref="PsbtFormatException"><see cref="CustodyError.PsbtInvalidSignatureEncoding"/>.</exception>
    public void AddPartialSignature(PublicKey key, ReadOnlySpan<byte> signatureWithHashType)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!PsbtCodec.IsValidSignatureEncoding(signatureWithHashType))
        {
            Throw.Psbt(CustodyError.PsbtInvalidSignatureEncoding, "partial signature must be strict DER with a defined sighash type");
        }
        Map.Set([PartialSigType, .. key.Span], signatureWithHashType.ToArray());
        Touch();
    }

    /// <summary>PSBT_IN_BIP32_DERIVATION: public key → origin.</summary>
    public IReadOnlyList<(PublicKey Key, KeyOrigin Origin)> Bip32Derivations =>
        Map.OfType(Bip32DerivationType).Select(e => (PublicKey.Parse(e.KeySpan[1..]), PsbtCodec.ReadKeyOrigin(e.ValueArray))).ToList();

    /// <summary>Updater: adds a BIP-32 derivation for a key used by this input.</summary>
    public void AddBip32Derivation(PublicKey key, KeyOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(origin);
        Map.Set([Bip32DerivationType, .. key.Span], PsbtCodec.WriteKeyOrigin(origin));
        Touch();
    }

    /// <summary>Entries whose type this library does not interpret (taproot, MuSig2, preimages, proprietary, unknown).</summary>
    public IReadOnlyList<PsbtEntry> OtherEntries =>
        Map.Entries.Where(e => e.Type is not (<= FinalScriptWitnessType)).ToList();
}

/// <summary>One output's map: scripts and derivations (for change detection by signers).</summary>
public sealed class PsbtOutput
{
    internal const byte RedeemScriptType = 0x00;
    internal const byte WitnessScriptType = 0x01;
    internal const byte Bip32DerivationType = 0x02;

    private readonly Psbt _owner;

    internal PsbtOutput(Psbt owner, PsbtMap map)
    {
        _owner = owner;
        Map = map;
    }

    internal PsbtMap Map { get; }

    /// <summary>The raw entries in order.</summary>
    public IReadOnlyList<PsbtEntry> Entries => Map.Entries;

    /// <summary>PSBT_OUT_REDEEM_SCRIPT.</summary>
    public Script? RedeemScript
    {
        get => Map.Get(RedeemScriptType) is { } v ? new Script(v) : null;
        set
        {
            if (value is null) Map.Remove([RedeemScriptType]);
            else Map.Set([RedeemScriptType], value.ToBytes());
            _owner.Modified = true;
        }
    }

    /// <summary>PSBT_OUT_WITNESS_SCRIPT.</summary>
    public Script? WitnessScript
    {
        get => Map.Get(WitnessScriptType) is { } v ? new Script(v) : null;
        set
        {
            if (value is null) Map.Remove([WitnessScriptType]);
            else Map.Set([WitnessScriptType], value.ToBytes());
            _owner.Modified = true;
        }
    }

    /// <summary>PSBT_OUT_BIP32_DERIVATION.</summary>
    public IReadOnlyList<(PublicKey Key, KeyOrigin Origin)> Bip32Derivations =>
        Map.OfType(Bip32DerivationType).Select(e => (PublicKey.Parse(e.KeySpan[1..]), PsbtCodec.ReadKeyOrigin(e.ValueArray))).ToList();

    /// <summary>Updater: adds a BIP-32 derivation for a key of this output.</summary>
    public void AddBip32Derivation(PublicKey key, KeyOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(origin);
        Map.Set([Bip32DerivationType, .. key.Span], PsbtCodec.WriteKeyOrigin(origin));
        _owner.Modified = true;
    }
}
