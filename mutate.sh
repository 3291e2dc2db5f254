#!/usr/bin/env bash
# Mutation testing of one core with Stryker.NET (too slow for ./test.sh; scores go to docs/quality.md).
#
#   ./mutate.sh Matching|Ledger|Custody [extra stryker arguments]
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
# Generated workloads (benchmark input, not logic under test) are not mutated.
# The long tests shorten their streams under mutation testing (see tests/*/TestProfile.cs).
export BITCURRENT_TEST_PROFILE=quick
cd "$tests"
exec dotnet stryker \
  --project "BitCurrent.$core.csproj" \
  --test-runner mtp \
  --mutate '**/*.cs' --mutate '!**/Workloads/**/*.cs' \
  --reporter html --reporter json --reporter progress --reporter cleartext \
  --concurrency "${STRYKER_CONCURRENCY:-1}" \
  --configuration Release \
  --output "../../StrykerOutput/$core" \
  "$@"
