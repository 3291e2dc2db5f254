#!/usr/bin/env bash
# Runs every test project of the repository and ends with one line: "N passed, N failed, N skipped".
# It installs and starts what the tests need (a throwaway PostgreSQL cluster on 127.0.0.1) and stops
# it on exit. Exit code: 0 when every test passed, non-zero otherwise.
#
#   ./test.sh                  all tests
#   ./test.sh --filter EXPR    passed through to the test platform (e.g. --filter-class '*Ledger*')
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration=${CONFIGURATION:-Release}
log() { printf '[test.sh] %s\n' "$*" >&2; }

# --- PostgreSQL: a private cluster for the integration tests -----------------------------------
pg_dir=""
stop_postgres() {
  if [ -n "$pg_dir" ] && [ -d "$pg_dir" ]; then
    as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
trap stop_postgres EXIT

as_postgres() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  if [ -n "${BITCURRENT_POSTGRES:-}" ]; then
    log "using BITCURRENT_POSTGRES from the environment"
    return 0
  fi
  if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
      log "installing PostgreSQL (apt-get)"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
        || { log "could not install PostgreSQL"; return 1; }
    else
      log "PostgreSQL is not installed and cannot be installed here"; return 1
    fi
  fi
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  pg_dir=$(mktemp -d /tmp/bitcurrent-pg.XXXXXX)
  chmod 755 "$pg_dir"
  [ "$(id -u)" = "0" ] && chown postgres:postgres "$pg_dir"
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo 55432)
  as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres -E UTF8 >/dev/null \
    || { log "initdb failed"; return 1; }
  as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -w -l "$pg_dir/log" \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { log "PostgreSQL did not start"; cat "$pg_dir/log" >&2; return 1; }
  export BITCURRENT_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  log "PostgreSQL $(basename "$(dirname "$pg_bin")") on 127.0.0.1:$port"
}

if ! start_postgres; then
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

# --- Build once, then run every test project ------------------------------------------------------
log "building ($configuration)"
if ! dotnet build BitCurrent.slnx -c "$configuration" -nologo -clp:ErrorsOnly -v:quiet; then
  log "build failed"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

out=$(mktemp)
dotnet test --solution BitCurrent.slnx -c "$configuration" --no-build --no-progress "$@" 2>&1 | tee "$out"
status=${PIPESTATUS[0]}

# `dotnet test` (Microsoft.Testing.Platform) ends with a summary over all projects; read its numbers.
summary=$(awk '/Test run summary/ {found=1} found' "$out")
num() { printf '%s\n' "$summary" | sed -n "s/^ *$1: *\([0-9][0-9]*\).*/\1/p" | tail -n 1; }
passed=$(num succeeded); failed=$(num failed); skipped=$(num skipped)
rm -f "$out"
if [ -z "$passed" ] || [ -z "$failed" ]; then
  log "no test summary was printed (exit code $status)"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
if [ "$status" -ne 0 ] && [ "$failed" = "0" ]; then failed=1; fi   # a crashed test host still fails
echo "$passed passed, $failed failed, ${skipped:-0} skipped"
[ "$status" -eq 0 ] && [ "$failed" = "0" ]
