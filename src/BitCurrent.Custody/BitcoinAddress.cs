namespace BitCurrent.Custody;

/// <summary>Kinds of address.</summary>
public enum AddressType
{
    /// <summary>Base58Check, version 0x00 / 0x6f.</summary>
    P2pkh = 1,
    /// <summary>Base58Check, version 0x05 / 0xc4.</summary>
    P2sh,
    /// <summary>bech32, v0 with a 20-byte program.</summary>
    P2wpkh,
    /// <summary>bech32, v0 with a 32-byte program.</summary>
    P2wsh,
    /// <summary>bech32m, v1 with a 32-byte program.</summary>
    P2tr,
    /// <summary>bech32m, any other v1..v16 program (valid per BIP-350, spendable rules unknown).</summary>
    WitnessUnknown,
}

/// <summary>A Bitcoin address bound to its network: Base58Check P2PKH/P2SH or bech32/bech32m segwit (BIP-173, BIP-350).</summary>
public sealed class BitcoinAddress : IEquatable<BitcoinAddress>
{
    private readonly string _text;

    private BitcoinAddress(string text, Network network, AddressType type, Script scriptPubKey)
    {
        _text = text;
        Network = network;
        Type = type;
        ScriptPubKey = scriptPubKey;
    }

    /// <summary>The network the address belongs to.</summary>
    public Network Network { get; }

    /// <summary>The address kind.</summary>
    public AddressType Type { get; }

    /// <summary>The output script the address pays to.</summary>
    public Script ScriptPubKey { get; }

    /// <summary>The canonical text (lower case for bech32).</summary>
    public override string ToString() => _text;

    /// <summary>Parses an address that must belong to <paramref name="network"/>.</summary>
    /// <exception cref="AddressFormatException">With <see cref="CustodyError.AddressWrongNetwork"/> when it is valid elsewhere,
    /// or the reason it is not an address at all.</exception>
    public static BitcoinAddress Parse(string text, Network network)
    {
        var error = TryParse(text, network, out var address);
        if (error != CustodyError.None)
        {
            Throw.Address(error, error == CustodyError.AddressWrongNetwork ? $"address is not for {network}" : "not a valid address");
        }
        return address!;
    }

    /// <summary>Parses an address, returning the reason instead of throwing.</summary>
    public static CustodyError TryParse(string text, Network network, out BitcoinAddress? address)
    {
        ArgumentNullException.ThrowIfNull(text);
        address = null;
        // Base58Check first, as Bitcoin Core does.
        var base58 = Base58.TryDecodeCheck(text, out var payload);
        if (base58 == CustodyError.None && payload.Length == 21)
        {
            var version = payload[0];
            var hash = payload.AsSpan(1);
            if (version == NetworkParameters.PubKeyHashVersion(network))
            {
                address = new BitcoinAddress(Base58.EncodeCheck(payload), network, AddressType.P2pkh, Script.P2pkh(hash));
                return CustodyError.None;
            }
            if (version == NetworkParameters.ScriptHashVersion(network))
            {
                address = new BitcoinAddress(Base58.EncodeCheck(payload), network, AddressType.P2sh, Script.P2sh(hash));
                return CustodyError.None;
            }
            return version is 0x00 or 0x05 or 0x6f or 0xc4 ? CustodyError.AddressWrongNetwork : CustodyError.AddressUnknownFormat;
        }
        var bech = Bech32.TryDecode(text, out var decoded);
        if (bech != CustodyError.None)
        {
            // A string that is clearly meant as Base58 reports the Base58 reason.
            return base58 == CustodyError.Base58ChecksumMismatch ? base58 : text.Contains('1', StringComparison.Ordinal) && bech != CustodyError.Bech32MissingSeparator ? bech : base58 == CustodyError.None ? CustodyError.AddressUnknownFormat : base58;
        }
        if (decoded!.Hrp != NetworkParameters.Bech32Hrp(network))
        {
            return decoded.Hrp is "bc" or "tb" or "bcrt" ? CustodyError.AddressWrongNetwork : CustodyError.Bech32InvalidHrp;
        }
        if (decoded.Data.Length == 0)
        {
            return CustodyError.AddressInvalidWitnessProgram;
        }
        int witnessVersion = decoded.Data[0];
        if (witnessVersion > 16)
        {
            return CustodyError.AddressInvalidWitnessVersion;
        }
        var program = Bech32.ConvertBits(decoded.Data.AsSpan(1), 5, 8, pad: false);
        if (program is null)
        {
            return CustodyError.Bech32InvalidPadding;
        }
        if ((witnessVersion == 0) != (decoded.Variant == Bech32Variant.Bech32))
        {
            return CustodyError.AddressWrongChecksumVariant;
        }
        if (program.Length is < 2 or > 40 || (witnessVersion == 0 && program.Length is not (20 or 32)))
        {
            return CustodyError.AddressInvalidWitnessProgram;
        }
        address = FromWitnessProgram(witnessVersion, program, network);
        return CustodyError.None;
    }

    /// <summary>The address of a witness program.</summary>
    public static BitcoinAddress FromWitnessProgram(int version, ReadOnlySpan<byte> program, Network network)
    {
        var script = Script.WitnessProgram(version, program);
        var data = new byte[1 + (((program.Length * 8) + 4) / 5)];
        data[0] = (byte)version;
        Bech32.ConvertBits(program, 8, 5, pad: true)!.CopyTo(data, 1);
        var text = Bech32.Encode(NetworkParameters.Bech32Hrp(network), data, version == 0 ? Bech32Variant.Bech32 : Bech32Variant.Bech32m);
        var type = version == 0 ? (program.Length == 20 ? AddressType.P2wpkh : AddressType.P2wsh)
            : version == 1 && program.Length == 32 ? AddressType.P2tr : AddressType.WitnessUnknown;
        return new BitcoinAddress(text, network, type, script);
    }

    /// <summary>The address of an output script (P2PKH, P2SH or any witness program).</summary>
    /// <exception cref="AddressFormatException"><see cref="CustodyError.AddressNoAddressForScript"/> for other scripts.</exception>
    public static BitcoinAddress FromScriptPubKey(Script scriptPubKey, Network network)
    {
        ArgumentNullException.ThrowIfNull(scriptPubKey);
        if (scriptPubKey.IsP2pkh(out var keyHash))
        {
            return FromBase58(NetworkParameters.PubKeyHashVersion(network), keyHash, network, AddressType.P2pkh, scriptPubKey);
        }
        if (scriptPubKey.IsP2sh(out var scriptHash))
        {
            return FromBase58(NetworkParameters.ScriptHashVersion(network), scriptHash, network, AddressType.P2sh, scriptPubKey);
        }
        if (scriptPubKey.IsWitnessProgram(out var version, out var program) && !(version == 0 && program.Length is not (20 or 32)))
        {
            return FromWitnessProgram(version, program, network);
        }
        Throw.Address(CustodyError.AddressNoAddressForScript, "script has no address form");
        return null;
    }

    /// <summary>The P2PKH, P2WPKH or P2SH-P2WPKH address of a public key (segwit forms need a compressed key).</summary>
    public static BitcoinAddress FromPublicKey(PublicKey key, AddressType type, Network network)
    {
        ArgumentNullException.ThrowIfNull(key);
        return type switch
        {
            AddressType.P2pkh => FromScriptPubKey(Script.P2pkh(key), network),
            AddressType.P2wpkh => FromScriptPubKey(Script.P2wpkh(key), network),
            AddressType.P2sh => FromScriptPubKey(Script.P2sh(Script.P2wpkh(key)), network),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "a single key maps to P2PKH, P2WPKH or P2SH(P2WPKH)"),
        };
    }

    private static BitcoinAddress FromBase58(byte version, ReadOnlySpan<byte> hash, Network network, AddressType type, Script script)
    {
        Span<byte> payload = stackalloc byte[21];
        payload[0] = version;
        hash.CopyTo(payload[1..]);
        return new BitcoinAddress(Base58.EncodeCheck(payload), network, type, script);
    }

    /// <inheritdoc/>
    public bool Equals(BitcoinAddress? other) => other is not null && other._text == _text && other.Network == Network;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as BitcoinAddress);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_text, Network);
}
