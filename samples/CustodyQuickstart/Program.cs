// The BitCurrent.Custody quick start: a BIP-39 wallet, a deposit address, and a 2-of-3 multisig PSBT signed by two keys.
using BitCurrent.Custody;

// BIP-39 -> BIP-32 -> BIP-84 deposit address (regtest).
var mnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
using var master = ExtendedPrivateKey.FromSeed(Mnemonic.ToSeed(mnemonic), Network.Regtest);
using var deposit = master.Derive("m/84'/1'/0'/0/0");
var address = BitcoinAddress.FromPublicKey(deposit.PublicKey, AddressType.P2wpkh, Network.Regtest);
Console.WriteLine($"deposit address m/84'/1'/0'/0/0: {address}");

// A 2-of-3 P2WSH (BIP-67 sorted keys) output, spent by a PSBT that two signers sign independently.
using var a = master.Derive("m/48'/1'/0'/2'/0/0");
using var b = master.Derive("m/48'/1'/1'/2'/0/0");
using var c = master.Derive("m/48'/1'/2'/2'/0/0");
var witnessScript = Script.Multisig(2, [a.PublicKey, b.PublicKey, c.PublicKey]);
var funding = new OutPoint(TxId.Parse("4e1c0b8f3e4f0b6a9c2d7e1f0a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b"), 0);
var psbt = new TransactionBuilder(Network.Regtest)
    .AddInput(funding, new TxOut(100_000_000, Script.P2wsh(witnessScript)), witnessScript: witnessScript)
    .AddOutput(address, 99_990_000)
    .BuildPsbt();
var first = psbt.Clone();
var second = psbt.Clone();
PsbtRoles.Sign(first, [a.PrivateKey]);   // on signer A's machine
PsbtRoles.Sign(second, [c.PrivateKey]);  // on signer C's machine
var combined = PsbtRoles.Combine([first, second]);
PsbtRoles.Finalize(combined);
var tx = PsbtRoles.Extract(combined);
Console.WriteLine($"fee {combined.GetFee()} sat, txid {tx.GetTxId()}, {tx.GetVirtualSize()} vbytes");

// The script verifier checks the spend exactly as a node would for these script types.
var verdict = ScriptVerifier.VerifyTransaction(tx, [new TxOut(100_000_000, Script.P2wsh(witnessScript))]);
Console.WriteLine($"verifier: {verdict}");
