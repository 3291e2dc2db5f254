#!/usr/bin/env bash
# Mutation testing of one core with Stryker.NET (too slow for ./test.sh; scores go to docs/quality.md).
#
#   ./mutate.sh Matching|Ledger|Custody [extra stryker arguments]
#   MUTATE_FILES="LedgerEngine.Apply.cs LedgerEngine.cs" ./mutate.sh Ledger      # only these files of the core
#
# Reports land in StrykerOutput/<CORE>/<date>/reports/ (HTML and JSON). Tests run in Release (three times faster).
# Stryker swaps a mutated assembly into the test output folder: do not build the same project in the same
# configuration while it runs (or run it in a separate clone).
set -euo pipefail
cd "$(dirname "$0")"
core=${1:?usage: ./mutate.sh Matching|Ledger|Custody [stryker args]}
shift
case "$core" in
  Matching|Ledger|Custody) ;;
  *) echo "unknown core '$core': expected Matching, Ledger or Custody" >&2; exit 2 ;;
esac
dotnet tool restore >/dev/null
tests="tests/BitCurrent.$core.Tests"
# xunit.v3 runs on Microsoft.Testing.Platform: Stryker needs --test-runner mtp, or every mutant "survives".
# What is mutated: the whole core, except generated workloads (benchmark input) and, for Custody, the
# wallet workflows: its score is that of the primitives (keys, encodings, scripts, transactions, PSBT, verifier).
mutate=(--mutate '**/*.cs' --mutate '!**/Workloads/**/*.cs')
if [ "$core" = Custody ]; then
  mutate=()
  for f in Base58 Bech32 BitcoinAddress DescriptorChecksum EcdsaSignature ExtendedKeys Hashes KeyPath Mnemonic Money \
           Network PrivateKey Psbt PsbtEntry PsbtRoles PublicKey Script ScriptVerifier SignatureHash SignedMessage \
           Transaction TransactionBuilder Internal/ByteIO Internal/PsbtCodec Internal/PsbtMap Internal/ScriptNumber \
           Internal/Secp256k1; do
    mutate+=(--mutate "**/BitCurrent.Custody/$f.cs")
  done
fi
# A partial run (a core is too big to mutate in one sitting on 2 cores): MUTATE_FILES="A.cs Internal/B.cs" mutates only
# those files of the core. A mutant's result depends only on its file and the whole test suite, so the results of
# partial runs over disjoint files of one commit add up to the full run's (docs/quality.md records them that way).
if [ -n "${MUTATE_FILES:-}" ]; then
  mutate=()
  for f in $MUTATE_FILES; do mutate+=(--mutate "**/BitCurrent.$core/$f"); done
fi
# The long tests shorten their streams under mutation testing (see tests/*/TestProfile.cs).
export BITCURRENT_TEST_PROFILE=quick
# Mutants inside exception constructors and the invariant-failure helper only change the text of a message
# (which no caller may parse): they are noise, so they are ignored for every core. Only the calls' arguments are
# skipped, never the throw or the check itself. Stryker 5.1 takes ignore-methods from a config file only.
output="StrykerOutput/$core"
mkdir -p "$output"
cat > "$output/stryker-config.json" <<'JSON'
{ "stryker-config": { "ignore-methods": [ "*Exception.ctor", "Invariant.Fail" ] } }
JSON
cd "$tests"
exec dotnet stryker \
  --config-file "../../$output/stryker-config.json" \
  --project "BitCurrent.$core.csproj" \
  --test-runner mtp \
  "${mutate[@]}" \
  --reporter html --reporter json --reporter progress --reporter cleartext \
  --concurrency "${STRYKER_CONCURRENCY:-1}" \
  --configuration Release \
  --output "../../StrykerOutput/$core" \
  "$@"
