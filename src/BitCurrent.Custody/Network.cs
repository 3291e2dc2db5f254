namespace BitCurrent.Custody;

/// <summary>A Bitcoin network as far as encodings are concerned.</summary>
/// <remarks>Testnet3, testnet4 and signet share every prefix and are all <see cref="Testnet"/>.
/// Regtest shares the Base58 prefixes of testnet (so a legacy address or WIF decodes on both) but has its own bech32 HRP "bcrt".</remarks>
public enum Network
{
    /// <summary>Bitcoin mainnet: hrp "bc", P2PKH 0x00, P2SH 0x05, WIF 0x80, xpub/xprv.</summary>
    Mainnet = 0,
    /// <summary>Testnet3, testnet4 and signet: hrp "tb", P2PKH 0x6f, P2SH 0xc4, WIF 0xef, tpub/tprv.</summary>
    Testnet = 1,
    /// <summary>Regtest: hrp "bcrt", otherwise as testnet.</summary>
    Regtest = 2,
}

/// <summary>The prefixes of each <see cref="Network"/>.</summary>
public static class NetworkParameters
{
    /// <summary>The bech32 human-readable part of segwit addresses.</summary>
    public static string Bech32Hrp(Network network) => network switch
    {
        Network.Mainnet => "bc",
        Network.Testnet => "tb",
        _ => "bcrt",
    };

    /// <summary>The Base58Check version byte of P2PKH addresses.</summary>
    public static byte PubKeyHashVersion(Network network) => network == Network.Mainnet ? (byte)0x00 : (byte)0x6f;

    /// <summary>The Base58Check version byte of P2SH addresses.</summary>
    public static byte ScriptHashVersion(Network network) => network == Network.Mainnet ? (byte)0x05 : (byte)0xc4;

    /// <summary>The Base58Check version byte of WIF private keys.</summary>
    public static byte WifVersion(Network network) => network == Network.Mainnet ? (byte)0x80 : (byte)0xef;

    /// <summary>Version bytes of serialized extended public keys (xpub 0x0488B21E, tpub 0x043587CF).</summary>
    public static uint ExtendedPublicVersion(Network network) => network == Network.Mainnet ? 0x0488B21Eu : 0x043587CFu;

    /// <summary>Version bytes of serialized extended private keys (xprv 0x0488ADE4, tprv 0x04358394).</summary>
    public static uint ExtendedPrivateVersion(Network network) => network == Network.Mainnet ? 0x0488ADE4u : 0x04358394u;

    /// <summary>True when two networks share Base58 prefixes (testnet and regtest do).</summary>
    public static bool SharesBase58Prefixes(Network a, Network b) => (a == Network.Mainnet) == (b == Network.Mainnet);
}

/// <summary>The names used in files and on the command line: "mainnet", "testnet", "regtest".</summary>
public static class NetworkNames
{
    /// <summary>The lower-case name.</summary>
    public static string Name(Network network) => network switch
    {
        Network.Mainnet => "mainnet",
        Network.Testnet => "testnet",
        _ => "regtest",
    };

    /// <summary>Parses a name (also Bitcoin Core's chain names "main", "test", "testnet4", "signet"); false for anything else.</summary>
    public static bool TryParse(string? text, out Network network)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "mainnet" or "main" or "bitcoin":
                network = Network.Mainnet;
                return true;
            case "testnet" or "test" or "testnet3" or "testnet4" or "signet":
                network = Network.Testnet;
                return true;
            case "regtest":
                network = Network.Regtest;
                return true;
            default:
                network = Network.Regtest;
                return false;
        }
    }
}
