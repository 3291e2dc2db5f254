namespace BitCurrent.Ledger;

public sealed partial class LedgerEngine
{
    /// <summary>Changes an account in place.</summary>
    internal delegate void AccountMutation(ref Account account);

    /// <summary>
    /// Test hook that simulates a bug in the apply path: changes an account's balances and books the change in its
    /// ledger's running totals, as the apply path would. Proves that the invariant checks fire. Never used by the engine.
    /// </summary>
    internal void CorruptAccountForTests(UInt128 id, AccountMutation mutate)
    {
        var index = _accountIndex[id];
        ref var account = ref _accounts[index];
        var before = account;
        mutate(ref account);
        ref var ledger = ref _ledgers[_accountLedgerSlot[index]];
        ledger.DebitsPending = unchecked(ledger.DebitsPending + account.DebitsPending - before.DebitsPending);
        ledger.DebitsPosted = unchecked(ledger.DebitsPosted + account.DebitsPosted - before.DebitsPosted);
        ledger.CreditsPending = unchecked(ledger.CreditsPending + account.CreditsPending - before.CreditsPending);
        ledger.CreditsPosted = unchecked(ledger.CreditsPosted + account.CreditsPosted - before.CreditsPosted);
    }
}
