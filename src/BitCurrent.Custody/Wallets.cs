using System.Globalization;
using System.Text;

namespace BitCurrent.Custody;

/// <summary>The two BIP-32 chains below a wallet account.</summary>
public static class WalletChain
{
    /// <summary>The external chain (…/0/i): addresses given out (cold receive addresses, users' deposit addresses).</summary>
    public const uint Receive = 0;

    /// <summary>The internal chain (…/1/i): change, and the hot wallet's rebalancing receive addresses.</summary>
    public const uint Change = 1;
}

/// <summary>
/// The cold wallet: an m-of-n P2WSH multisig over the signers' account xpubs (BIP-48 script type 2'), keys sorted per address
/// (BIP-67), recorded as the descriptor <c>wsh(sortedmulti(m,[fp/48h/1h/0h/2h]tpub…/0/*,…))#checksum</c> (BIP-380/383).
/// Public data only: the private keys stay in the signers' key files.
/// </summary>
public sealed class ColdWallet
{
    /// <summary>Builds the wallet and checks it.</summary>
    /// <param name="threshold">Signatures needed (m).</param>
    /// <param name="signers">The signers' account keys, in signer order: signer k (1-based) is <c>signers[k - 1]</c>.</param>
    /// <param name="network">The wallet's network; every xpub must belong to it.</param>
    /// <exception cref="CustodyStateException"><see cref="CustodyError.MultisigThresholdInvalid"/>, <see cref="CustodyError.MultisigDuplicateKey"/>,
    /// <see cref="CustodyError.NetworkMismatch"/>.</exception>
    public ColdWallet(int threshold, IReadOnlyList<AccountKey> signers, Network network)
    {
        ArgumentNullException.ThrowIfNull(signers);
        if (signers.Count is < 1 or > Script.MultisigKeysMax || threshold < 1 || threshold > signers.Count)
        {
            Throw.State(CustodyError.MultisigThresholdInvalid, $"a {threshold}-of-{signers.Count} multisig is not possible (1 <= m <= n <= {Script.MultisigKeysMax})");
        }
        for (var i = 0; i < signers.Count; i++)
        {
            if (!NetworkParameters.SharesBase58Prefixes(signers[i].Network, network))
            {
                Throw.State(CustodyError.NetworkMismatch, $"signer {i + 1}'s xpub is for another network than {NetworkNames.Name(network)}");
            }
            for (var j = 0; j < i; j++)
            {
                if (signers[j].Xpub.PublicKey.Equals(signers[i].Xpub.PublicKey))
                {
                    Throw.State(CustodyError.MultisigDuplicateKey, $"signers {j + 1} and {i + 1} have the same key");
                }
            }
        }
        Threshold = threshold;
        Signers = [.. signers];
        Network = network;
        ReceiveDescriptor = DescriptorChecksum.Append(DescriptorBody(WalletChain.Receive));
        ChangeDescriptor = DescriptorChecksum.Append(DescriptorBody(WalletChain.Change));
    }

    /// <summary>Signatures needed.</summary>
    public int Threshold { get; }

    /// <summary>The signers' account keys; signer k is at index k − 1.</summary>
    public IReadOnlyList<AccountKey> Signers { get; }

    /// <summary>The network.</summary>
    public Network Network { get; }

    /// <summary>The receive descriptor with its checksum.</summary>
    public string ReceiveDescriptor { get; }

    /// <summary>The change descriptor with its checksum.</summary>
    public string ChangeDescriptor { get; }

    /// <summary>The sorted multisig witness script of the address at <paramref name="chain"/>/<paramref name="index"/>.</summary>
    public Script WitnessScript(uint chain, uint index) => Script.Multisig(Threshold, Signers.Select(s => s.Derive(chain, index)).ToList());

    /// <summary>The P2WSH output script at <paramref name="chain"/>/<paramref name="index"/>.</summary>
    public Script ScriptPubKey(uint chain, uint index) => Script.P2wsh(WitnessScript(chain, index));

    /// <summary>The P2WSH address at <paramref name="chain"/>/<paramref name="index"/>.</summary>
    public BitcoinAddress Address(uint chain, uint index) => BitcoinAddress.FromScriptPubKey(ScriptPubKey(chain, index), Network);

    /// <summary>Every signer's public key at <paramref name="chain"/>/<paramref name="index"/> with its origin (for PSBT BIP-32 derivations).</summary>
    public IReadOnlyDictionary<PublicKey, KeyOrigin> KeyOrigins(uint chain, uint index)
    {
        var result = new Dictionary<PublicKey, KeyOrigin>();
        foreach (var signer in Signers)
        {
            result[signer.Derive(chain, index)] = signer.OriginOf(chain, index);
        }
        return result;
    }

    /// <summary>The 1-based number of the signer whose account xpub is <paramref name="xpub"/>, or 0.</summary>
    public int SignerNumberOf(ExtendedPublicKey xpub)
    {
        ArgumentNullException.ThrowIfNull(xpub);
        for (var i = 0; i < Signers.Count; i++)
        {
            if (Signers[i].Xpub.Equals(xpub))
            {
                return i + 1;
            }
        }
        return 0;
    }

    private string DescriptorBody(uint chain)
    {
        var sb = new StringBuilder("wsh(sortedmulti(").Append(Threshold.ToString(CultureInfo.InvariantCulture));
        foreach (var signer in Signers)
        {
            sb.Append(',').Append(signer.ToString()).Append('/').Append(chain.ToString(CultureInfo.InvariantCulture)).Append("/*");
        }
        return sb.Append("))").ToString();
    }
}

/// <summary>
/// The hot wallet: one BIP-84 account (P2WPKH). Users' deposit addresses are m/84'/coin'/0'/0/i (one index per user, recorded);
/// change and rebalancing receipts use the internal chain m/84'/coin'/0'/1/i. Public data only: the private key stays in its key file.
/// </summary>
public sealed class HotWallet
{
    /// <summary>Creates the wallet.</summary>
    /// <exception cref="CustodyStateException"><see cref="CustodyError.NetworkMismatch"/>.</exception>
    public HotWallet(AccountKey account, Network network)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (!NetworkParameters.SharesBase58Prefixes(account.Network, network))
        {
            Throw.State(CustodyError.NetworkMismatch, $"the hot wallet's xpub is for another network than {NetworkNames.Name(network)}");
        }
        Account = account;
        Network = network;
        Descriptor = DescriptorChecksum.Append($"wpkh({account}/0/*)");
    }

    /// <summary>The account key with its origin.</summary>
    public AccountKey Account { get; }

    /// <summary>The network.</summary>
    public Network Network { get; }

    /// <summary>The receive descriptor <c>wpkh([fp/84h/1h/0h]tpub…/0/*)#checksum</c>.</summary>
    public string Descriptor { get; }

    /// <summary>The public key at <paramref name="chain"/>/<paramref name="index"/>.</summary>
    public PublicKey PublicKey(uint chain, uint index) => Account.Derive(chain, index);

    /// <summary>The P2WPKH output script at <paramref name="chain"/>/<paramref name="index"/>.</summary>
    public Script ScriptPubKey(uint chain, uint index) => Script.P2wpkh(PublicKey(chain, index));

    /// <summary>The P2WPKH address at <paramref name="chain"/>/<paramref name="index"/>.</summary>
    public BitcoinAddress Address(uint chain, uint index) => BitcoinAddress.FromPublicKey(PublicKey(chain, index), AddressType.P2wpkh, Network);
}
