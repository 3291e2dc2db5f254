using System.Buffers.Binary;

namespace BitCurrent.Custody.Internal;

/// <summary>PSBT v0 reading with Bitcoin Core's checks, key origins, witnesses, and Core's canonical order.</summary>
internal static class PsbtCodec
{
    public static Psbt Read(ReadOnlySpan<byte> bytes, byte[] magic)
    {
        var r = new ByteReader(bytes);
        if (bytes.Length < magic.Length || !bytes[..magic.Length].SequenceEqual(magic))
        {
            Throw.Psbt(CustodyError.PsbtInvalidMagic, "data does not start with the PSBT magic bytes");
        }
        r.ReadBytes(magic.Length);

        var global = ReadMap(ref r, "global", out var foundSeparator);
        if (!foundSeparator)
        {
            Throw.Psbt(CustodyError.PsbtMissingSeparator, "separator is missing at the end of the global map");
        }
        Transaction? tx = null;
        uint version = 0;
        foreach (var e in global.Entries)
        {
            var type = PsbtMap.TypeOf(e.KeyArray);
            switch (type)
            {
                case Psbt.GlobalUnsignedTx:
                    ExpectKeySize(e, 1, "global unsigned tx");
                    tx = ParseExact(e.ValueArray, allowWitness: false, CustodyError.PsbtValueSizeMismatch);
                    foreach (var input in tx.Inputs)
                    {
                        if (input.ScriptSig.Length != 0 || input.Witness.Count != 0)
                        {
                            Throw.Psbt(CustodyError.PsbtUnsignedTransactionNotEmpty, "unsigned tx does not have empty scriptSigs and scriptWitnesses");
                        }
                    }
                    break;
                case Psbt.GlobalXpub:
                    ExpectKeySize(e, 79, "global xpub");
                    if (!PublicKey.TryParse(e.KeySpan.Slice(46, 33), out _) || e.KeySpan[46] is not (2 or 3))
                    {
                        Throw.Psbt(CustodyError.PsbtInvalidPublicKey, "global xpub has an invalid public key");
                    }
                    CheckKeyOrigin(e.ValueArray);
                    break;
                case Psbt.GlobalVersion:
                    ExpectKeySize(e, 1, "global version");
                    if (e.ValueArray.Length != 4)
                    {
                        Throw.Psbt(CustodyError.PsbtValueSizeMismatch, "size of value was not the stated size");
                    }
                    version = BinaryPrimitives.ReadUInt32LittleEndian(e.ValueArray);
                    break;
                case Psbt.Proprietary:
                    CheckProprietaryKey(e);
                    break;
            }
        }
        if (version != 0)
        {
            Throw.Psbt(CustodyError.PsbtUnsupportedVersion, $"PSBT version {version} is not supported (only version 0; BIP-370 v2 is not implemented)");
        }
        if (tx is null)
        {
            Throw.Psbt(CustodyError.PsbtMissingUnsignedTransaction, "no unsigned transaction was provided");
        }
        var psbt = Psbt.CreateParsed(tx, global);
        for (var i = 0; i < tx.Inputs.Count; i++)
        {
            var map = ReadMap(ref r, "input", out var sep);
            if (!sep)
            {
                Throw.Psbt(CustodyError.PsbtMissingSeparator, "separator is missing at the end of an input map");
            }
            CheckInput(map, tx.Inputs[i].PrevOut);
            psbt.InputList.Add(new PsbtInput(psbt, map));
        }
        for (var i = 0; i < tx.Outputs.Count; i++)
        {
            var map = ReadMap(ref r, "output", out var sep);
            if (!sep)
            {
                Throw.Psbt(CustodyError.PsbtMissingSeparator, "separator is missing at the end of an output map");
            }
            CheckOutput(map);
            psbt.OutputList.Add(new PsbtOutput(psbt, map));
        }
        if (!r.IsEmpty)
        {
            Throw.Psbt(CustodyError.PsbtExtraData, "extra data after the PSBT");
        }
        return psbt;
    }

    private static PsbtMap ReadMap(ref ByteReader r, string name, out bool foundSeparator)
    {
        var map = new PsbtMap();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foundSeparator = false;
        while (!r.IsEmpty)
        {
            var key = ReadVar(ref r);
            if (key.Length == 0)
            {
                foundSeparator = true;
                break;
            }
            if (!keys.Add(Convert.ToHexString(key)))
            {
                Throw.Psbt(CustodyError.PsbtDuplicateKey, $"duplicate key in the {name} map");
            }
            try
            {
                // Core reads the type with ReadCompactSize's default range check: a type above 0x02000000 is refused.
                var type = new ByteReader(key);
                type.ReadCompactSize();
            }
            catch (EndOfDataException)
            {
                Throw.Psbt(CustodyError.PsbtTruncated, "key type is truncated");
            }
            var value = ReadVar(ref r);
            map.Entries.Add(new PsbtEntry(key, value));
        }
        return map;
    }

    private static byte[] ReadVar(ref ByteReader r)
    {
        var length = r.ReadCompactSize(rangeCheck: false);
        if (length > (ulong)r.Remaining)
        {
            Throw.Psbt(CustodyError.PsbtTruncated, "a key or value runs past the end of the data");
        }
        return r.ReadBytes((int)length).ToArray();
    }

    private static void ExpectKeySize(PsbtEntry e, int size, string what)
    {
        if (e.KeySpan.Length != size)
        {
            Throw.Psbt(CustodyError.PsbtInvalidKeySize, $"size of key was not {size} for the type {what}");
        }
    }

    private static Transaction ParseExact(byte[] value, bool allowWitness, CustodyError reason)
    {
        try
        {
            var reader = new ByteReader(value);
            var tx = Transaction.Read(ref reader, allowWitness);
            if (!reader.IsEmpty)
            {
                Throw.Psbt(reason, "size of value was not the stated size");
            }
            return tx;
        }
        catch (Exception ex) when (ex is EndOfDataException or NonCanonicalException or TransactionFormatException)
        {
            Throw.Psbt(reason, "embedded transaction does not fill its value exactly");
            return null;
        }
    }

    private static void CheckProprietaryKey(PsbtEntry e)
    {
        try
        {
            // Core: the type, the identifier (a length-prefixed byte string), then the subtype, each a range-checked CompactSize.
            var reader = new ByteReader(e.KeySpan);
            reader.ReadCompactSize();
            reader.ReadVarBytes();
            reader.ReadCompactSize();
        }
        catch (Exception ex) when (ex is EndOfDataException or NonCanonicalException)
        {
            Throw.Psbt(CustodyError.PsbtTruncated, "proprietary key is malformed");
        }
    }

    private static void CheckPublicKeyInKey(PsbtEntry e, string what)
    {
        if (e.KeySpan.Length is not (34 or 66))
        {
            Throw.Psbt(CustodyError.PsbtInvalidKeySize, $"size of key was not the expected size for the type {what}");
        }
        if (!PublicKey.TryParse(e.KeySpan[1..], out _))
        {
            Throw.Psbt(CustodyError.PsbtInvalidPublicKey, $"invalid public key in {what}");
        }
    }

    public static void CheckKeyOrigin(ReadOnlySpan<byte> value)
    {
        if (value.Length == 0 || value.Length % 4 != 0)
        {
            Throw.Psbt(CustodyError.PsbtInvalidKeyPath, "invalid length for HD key path");
        }
    }

    public static KeyOrigin ReadKeyOrigin(ReadOnlySpan<byte> value)
    {
        var fingerprint = BinaryPrimitives.ReadUInt32BigEndian(value);
        var path = new uint[(value.Length / 4) - 1];
        for (var i = 0; i < path.Length; i++)
        {
            path[i] = BinaryPrimitives.ReadUInt32LittleEndian(value[(4 + (4 * i))..]);
        }
        return new KeyOrigin(fingerprint, new KeyPath(path));
    }

    public static byte[] WriteKeyOrigin(KeyOrigin origin)
    {
        var value = new byte[4 + (4 * origin.Path.Depth)];
        BinaryPrimitives.WriteUInt32BigEndian(value, origin.MasterFingerprint);
        for (var i = 0; i < origin.Path.Depth; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(4 + (4 * i)), origin.Path.Indexes[i]);
        }
        return value;
    }

    public static List<byte[]> ReadWitness(byte[] value)
    {
        var reader = new ByteReader(value);
        var count = reader.ReadCompactSize();
        var stack = new List<byte[]>();
        for (ulong i = 0; i < count; i++)
        {
            stack.Add(reader.ReadVarBytes());
        }
        if (!reader.IsEmpty)
        {
            throw new EndOfDataException();
        }
        return stack;
    }

    public static byte[] WriteWitness(IReadOnlyList<byte[]> stack)
    {
        var w = new ByteWriter();
        w.WriteCompactSize((ulong)stack.Count);
        foreach (var item in stack) w.WriteVarBytes(item);
        return w.ToArray();
    }

    public static bool IsValidSignatureEncoding(ReadOnlySpan<byte> sig)
    {
        if (sig.Length == 0 || !EcdsaSignature.IsStrictDer(sig, hasHashType: true)) return false;
        var type = sig[^1] & ~0x80;
        return type is >= 1 and <= 3;
    }

    private static void CheckInput(PsbtMap map, OutPoint prevout)
    {
        foreach (var e in map.Entries)
        {
            var type = PsbtMap.TypeOf(e.KeyArray);
            var key = e.KeySpan;
            var value = e.ValueArray;
            switch (type)
            {
                case PsbtInput.NonWitnessUtxoType:
                    {
                        ExpectKeySize(e, 1, "input non-witness UTXO");
                        var utxo = ParseExact(value, allowWitness: true, CustodyError.PsbtValueSizeMismatch);
                        if (utxo.GetTxId() != prevout.TxId)
                        {
                            Throw.Psbt(CustodyError.PsbtNonWitnessUtxoMismatch, "non-witness UTXO does not match outpoint hash");
                        }
                        if (prevout.Index >= utxo.Outputs.Count)
                        {
                            Throw.Psbt(CustodyError.PsbtNonWitnessUtxoMismatch, "input specifies output index that does not exist");
                        }
                        break;
                    }
                case PsbtInput.WitnessUtxoType:
                    ExpectKeySize(e, 1, "input witness UTXO");
                    try
                    {
                        TxOut.Parse(value);
                    }
                    catch (TransactionFormatException)
                    {
                        Throw.Psbt(CustodyError.PsbtValueSizeMismatch, "size of value was not the stated size");
                    }
                    break;
                case PsbtInput.PartialSigType:
                    CheckPublicKeyInKey(e, "partial signature pubkey");
                    if (!IsValidSignatureEncoding(value))
                    {
                        Throw.Psbt(CustodyError.PsbtInvalidSignatureEncoding, "signature is not a valid encoding");
                    }
                    break;
                case PsbtInput.SighashType:
                    ExpectKeySize(e, 1, "input sighash type");
                    if (value.Length != 4) Throw.Psbt(CustodyError.PsbtValueSizeMismatch, "size of value was not the stated size");
                    break;
                case PsbtInput.RedeemScriptType:
                    ExpectKeySize(e, 1, "input redeemScript");
                    break;
                case PsbtInput.WitnessScriptType:
                    ExpectKeySize(e, 1, "input witnessScript");
                    break;
                case PsbtInput.Bip32DerivationType:
                    CheckPublicKeyInKey(e, "BIP32 keypath");
                    CheckKeyOrigin(value);
                    break;
                case PsbtInput.FinalScriptSigType:
                    ExpectKeySize(e, 1, "input final scriptSig");
                    break;
                case PsbtInput.FinalScriptWitnessType:
                    ExpectKeySize(e, 1, "input final scriptWitness");
                    try
                    {
                        ReadWitness(value);
                    }
                    catch (Exception ex) when (ex is EndOfDataException or NonCanonicalException)
                    {
                        Throw.Psbt(CustodyError.PsbtValueSizeMismatch, "size of value was not the stated size");
                    }
                    break;
                case 0x0a:
                case 0x0c:
                    ExpectKeySize(e, 21, "input hash160/ripemd160 preimage");
                    break;
                case 0x0b:
                case 0x0d:
                    ExpectKeySize(e, 33, "input sha256/hash256 preimage");
                    break;
                case 0x13:
                    ExpectKeySize(e, 1, "input taproot key signature");
                    if (value.Length is < 64 or > 65) Throw.Psbt(CustodyError.PsbtInvalidTaprootField, "input taproot key path signature must be 64 or 65 bytes");
                    break;
                case 0x14:
                    ExpectKeySize(e, 65, "input taproot script signature");
                    if (value.Length is < 64 or > 65) Throw.Psbt(CustodyError.PsbtInvalidTaprootField, "input taproot script path signature must be 64 or 65 bytes");
                    break;
                case 0x15:
                    if (key.Length < 34 || (key.Length - 2) % 32 != 0) Throw.Psbt(CustodyError.PsbtInvalidTaprootField, "input taproot leaf script control block size is not valid");
                    if (value.Length == 0) Throw.Psbt(CustodyError.PsbtInvalidTaprootField, "input taproot leaf script must be at least 1 byte");
                    break;
                case 0x16:
                    ExpectKeySize(e, 33, "input taproot BIP32 keypath");
                    CheckTaprootKeyOrigin(value, "Input");
                    break;
                case 0x17:
                    ExpectKeySize(e, 1, "input taproot internal key");
                    if (value.Length != 32) Throw.Psbt(CustodyError.PsbtValueSizeMismatch, "size of value was not the stated size");
                    break;
                case 0x18:
                    ExpectKeySize(e, 1, "input taproot merkle root");
                    if (value.Length != 32) Throw.Psbt(CustodyError.PsbtValueSizeMismatch, "size of value was not the stated size");
                    break;
                case 0x1a:
                    CheckMusigParticipants(e, "Input");
                    break;
                case 0x1b:
                case 0x1c:
                    {
                        var what = type == 0x1b ? "pubnonce" : "partial sig";
                        if (key.Length is not (67 or 99)) Throw.Psbt(CustodyError.PsbtInvalidMusig2Field, $"input musig2 {what} key is not expected size of 67 or 99 bytes");
                        if (!IsCompressedKey(key.Slice(1, 33)) || !IsCompressedKey(key.Slice(34, 33))) Throw.Psbt(CustodyError.PsbtInvalidMusig2Field, $"input musig2 {what} key has an invalid public key");
                        if (type == 0x1b && value.Length != 66) Throw.Psbt(CustodyError.PsbtInvalidMusig2Field, "input musig2 pubnonce value is not 66 bytes");
                        if (type == 0x1c && value.Length != 32) Throw.Psbt(CustodyError.PsbtValueSizeMismatch, "size of value was not the stated size");
                        break;
                    }
                case Psbt.Proprietary:
                    CheckProprietaryKey(e);
                    break;
            }
        }
    }

    private static bool IsCompressedKey(ReadOnlySpan<byte> key) => key.Length == 33 && key[0] is 2 or 3 && PublicKey.TryParse(key, out _);

    private static void CheckMusigParticipants(PsbtEntry e, string side)
    {
        if (e.KeySpan.Length != 34) Throw.Psbt(CustodyError.PsbtInvalidMusig2Field, $"{side} musig2 participants pubkeys aggregate key is not 34 bytes");
        if (!IsCompressedKey(e.KeySpan[1..])) Throw.Psbt(CustodyError.PsbtInvalidMusig2Field, $"{side} musig2 aggregate pubkey is invalid");
        var value = e.ValueSpan;
        if (value.Length % 33 != 0) Throw.Psbt(CustodyError.PsbtInvalidMusig2Field, $"{side} musig2 participants pubkeys value size is not a multiple of 33");
        for (var i = 0; i < value.Length; i += 33)
        {
            if (!IsCompressedKey(value.Slice(i, 33))) Throw.Psbt(CustodyError.PsbtInvalidMusig2Field, $"{side} musig2 participant pubkey is invalid");
        }
    }

    private static void CheckTaprootKeyOrigin(byte[] value, string side)
    {
        var reader = new ByteReader(value);
        ulong count;
        try
        {
            count = reader.ReadCompactSize(rangeCheck: false);
        }
        catch (Exception ex) when (ex is EndOfDataException or NonCanonicalException)
        {
            Throw.Psbt(CustodyError.PsbtInvalidTaprootField, $"{side} Taproot BIP32 keypath has an invalid length");
            return;
        }
        if (count > (ulong)reader.Remaining / 32)
        {
            Throw.Psbt(CustodyError.PsbtInvalidTaprootField, $"{side} Taproot BIP32 keypath has an invalid length");
        }
        var origin = reader.Remaining - ((int)count * 32);
        if (origin == 0 || origin % 4 != 0)
        {
            Throw.Psbt(CustodyError.PsbtInvalidKeyPath, "invalid length for HD key path");
        }
    }

    private static void CheckOutput(PsbtMap map)
    {
        foreach (var e in map.Entries)
        {
            var type = PsbtMap.TypeOf(e.KeyArray);
            switch (type)
            {
                case PsbtOutput.RedeemScriptType:
                    ExpectKeySize(e, 1, "output redeemScript");
                    break;
                case PsbtOutput.WitnessScriptType:
                    ExpectKeySize(e, 1, "output witnessScript");
                    break;
                case PsbtOutput.Bip32DerivationType:
                    CheckPublicKeyInKey(e, "BIP32 keypath");
                    CheckKeyOrigin(e.ValueArray);
                    break;
                case 0x05:
                    ExpectKeySize(e, 1, "output taproot internal key");
                    if (e.ValueArray.Length != 32) Throw.Psbt(CustodyError.PsbtValueSizeMismatch, "size of value was not the stated size");
                    break;
                case 0x06:
                    ExpectKeySize(e, 1, "output taproot tree");
                    CheckTapTree(e.ValueArray);
                    break;
                case 0x07:
                    ExpectKeySize(e, 33, "output taproot BIP32 keypath");
                    CheckTaprootKeyOrigin(e.ValueArray, "Output");
                    break;
                case 0x08:
                    CheckMusigParticipants(e, "Output");
                    break;
                case Psbt.Proprietary:
                    CheckProprietaryKey(e);
                    break;
            }
        }
    }

    // Leaves in depth-first order must form a complete binary tree (Core's TaprootBuilder.IsComplete).
    private static void CheckTapTree(byte[] value)
    {
        if (value.Length == 0) Throw.Psbt(CustodyError.PsbtInvalidTaprootField, "Output Taproot tree must not be empty");
        var reader = new ByteReader(value);
        var stack = new List<int>();
        try
        {
            while (!reader.IsEmpty)
            {
                int depth = reader.ReadByte();
                var leafVersion = reader.ReadByte();
                reader.ReadVarBytes();
                if (depth > 128) Throw.Psbt(CustodyError.PsbtInvalidTaprootField, "Output Taproot tree has a leaf greater than Taproot maximum depth");
                if ((leafVersion & 1) != 0) Throw.Psbt(CustodyError.PsbtInvalidTaprootField, "Output Taproot tree has a leaf with an invalid leaf version");
                if (stack.Count == 1 && stack[0] == 0) Throw.Psbt(CustodyError.PsbtInvalidTaprootField, "Output Taproot tree is malformed");
                stack.Add(depth);
                while (stack.Count >= 2 && stack[^1] == stack[^2] && stack[^1] > 0)
                {
                    var d = stack[^1];
                    stack.RemoveRange(stack.Count - 2, 2);
                    if (stack.Count > 0 && stack[^1] >= d) Throw.Psbt(CustodyError.PsbtInvalidTaprootField, "Output Taproot tree is malformed");
                    stack.Add(d - 1);
                }
            }
        }
        catch (Exception ex) when (ex is EndOfDataException or NonCanonicalException)
        {
            Throw.Psbt(CustodyError.PsbtInvalidTaprootField, "Output Taproot tree is malformed");
        }
        if (stack.Count != 1 || stack[0] != 0) Throw.Psbt(CustodyError.PsbtInvalidTaprootField, "Output Taproot tree is malformed");
    }

    // ------------- Bitcoin Core's serialization order -------------

    public static void Canonicalize(Psbt psbt)
    {
        psbt.Global.Sort(e =>
        {
            var type = PsbtMap.TypeOf(e.KeyArray);
            return type switch
            {
                Psbt.GlobalUnsignedTx => (0, []),
                Psbt.GlobalXpub => (1, XpubOrder(e)),
                Psbt.GlobalVersion => (2, []),
                Psbt.Proprietary => (3, e.KeyArray),
                _ => (4, e.KeyArray),
            };
        });
        foreach (var input in psbt.InputList)
        {
            if (input.IsFinalized)
            {
                input.Map.Entries.RemoveAll(e => e.Type is not (PsbtInput.NonWitnessUtxoType or PsbtInput.WitnessUtxoType or PsbtInput.FinalScriptSigType
                    or PsbtInput.FinalScriptWitnessType or Psbt.Proprietary) && IsKnownInputType(e.Type));
            }
            input.Map.Sort(e =>
            {
                var type = PsbtMap.TypeOf(e.KeyArray);
                return type switch
                {
                    0x00 => (0, []),
                    0x01 => (1, []),
                    0x02 => (2, Hashes.Hash160(e.KeySpan[1..])),
                    0x03 => (3, []),
                    0x04 => (4, []),
                    0x05 => (5, []),
                    0x06 => (6, e.KeyArray),
                    0x0a => (7, e.KeyArray),
                    0x0b => (8, e.KeyArray),
                    0x0c => (9, e.KeyArray),
                    0x0d => (10, e.KeyArray),
                    0x13 => (11, []),
                    0x14 => (12, e.KeyArray),
                    0x15 => (13, LeafScriptOrder(e)),
                    0x16 => (14, e.KeyArray),
                    0x17 => (15, []),
                    0x18 => (16, []),
                    0x1a => (17, e.KeyArray),
                    0x1b or 0x1c => ((int)(type - 0x1b) + 18, MusigOrder(e.KeyArray)),
                    0x07 => (20, []),
                    0x08 => (21, []),
                    Psbt.Proprietary => (22, e.KeyArray),
                    _ => (23, e.KeyArray),
                };
            });
        }
        foreach (var output in psbt.OutputList)
        {
            output.Map.Sort(e =>
            {
                var type = PsbtMap.TypeOf(e.KeyArray);
                return type switch
                {
                    0x00 => (0, []),
                    0x01 => (1, []),
                    0x02 => (2, e.KeyArray),
                    Psbt.Proprietary => (3, e.KeyArray),
                    0x05 => (4, []),
                    0x06 => (5, []),
                    0x07 => (6, e.KeyArray),
                    0x08 => (7, e.KeyArray),
                    _ => (8, e.KeyArray),
                };
            });
        }
        psbt.Modified = false;
    }

    // Core keeps global xpubs in a map keyed by origin (KeyOriginInfo: fingerprint bytes, then path length, then the path's
    // numbers), each with a set ordered by public key, then chain code. The key is type ‖ version ‖ depth ‖ parent fingerprint
    // ‖ child number ‖ chain code (at 14) ‖ public key (at 46); the value is fingerprint ‖ path as little-endian numbers.
    private static byte[] XpubOrder(PsbtEntry e)
    {
        var origin = e.ValueSpan;
        var order = new byte[4 + origin.Length + 33 + 32];
        origin[..4].CopyTo(order);
        BinaryPrimitives.WriteInt32BigEndian(order.AsSpan(4), origin.Length); // grows with the path length
        for (var i = 4; i < origin.Length; i += 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(order.AsSpan(4 + i), BinaryPrimitives.ReadUInt32LittleEndian(origin[i..]));
        }
        e.KeySpan.Slice(46, 33).CopyTo(order.AsSpan(4 + origin.Length));
        e.KeySpan.Slice(14, 32).CopyTo(order.AsSpan(4 + origin.Length + 33));
        return order;
    }

    // Core keeps leaf scripts in a map keyed by (script, leaf version), each with a set of control blocks ordered shortest
    // first, then by bytes. The value is script ‖ leaf version and the key type ‖ control block. Each script byte is written
    // as 0x01, byte and the script ended by 0x00, so that a script sorts before a longer one it begins (std::vector's order).
    private static byte[] LeafScriptOrder(PsbtEntry e)
    {
        var script = e.ValueSpan[..^1];
        var controlBlock = e.KeySpan[1..];
        var order = new byte[(2 * script.Length) + 4 + controlBlock.Length];
        for (var i = 0; i < script.Length; i++)
        {
            order[(2 * i) + 1] = script[i];
            order[2 * i] = 1;
        }
        var n = 2 * script.Length;
        order[n + 1] = e.ValueSpan[^1];
        BinaryPrimitives.WriteUInt16BigEndian(order.AsSpan(n + 2), (ushort)controlBlock.Length);
        controlBlock.CopyTo(order.AsSpan(n + 4));
        return order;
    }

    private static bool IsKnownInputType(ulong type) => type is <= 0x08 or (>= 0x0a and <= 0x0d) or (>= 0x13 and <= 0x18) or (>= 0x1a and <= 0x1c);

    // Core orders MuSig2 entries by (aggregate key, leaf hash), then participant key; the key is participant ‖ aggregate ‖ leaf.
    private static byte[] MusigOrder(byte[] key) => [.. key.AsSpan(34, 33), .. (key.Length == 99 ? key.AsSpan(67, 32) : new byte[32]), .. key.AsSpan(1, 33)];
}
