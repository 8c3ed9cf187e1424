#!/usr/bin/env bash
# shellcheck disable=SC2015  # pass/fail/die never fail, so `test && pass || fail` is if-then-else
# End-to-end check of temporal-config/ against a real Temporal dev server (NOT part of
# `make test`: it starts a server and takes ~15 s). Run from the repository root:
#
#   scripts/check-temporal-config.sh
#
# 1. starts `temporal server start-dev` on free ports, with temporal-config/dynamic-config.yaml
#    turned into flags (temporal-config/dev-server-flags.py), on a throw-away SQLite file;
# 2. runs register-search-attributes.sh twice: the first creates all 6 attributes, the second
#    creates none;
# 3. proves the attributes work: starts a workflow carrying them (no worker needed) and finds it
#    with a `temporal workflow list --query` on them;
# 4. proves the dynamic config took effect: a 256-character workflow id is refused
#    (limit.maxIDLength=255; the default, 1000, would accept it);
# 5. proves a type conflict is an error: in a second namespace QuarryRound exists as Keyword.
# Prints `N passed, M failed` and exits non-zero on any failure. Stops its server on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${QUARRY_HOME:-$PWD/.quarry}/bin:$PATH"
command -v temporal >/dev/null || { echo "Temporal CLI not found: run 'make temporal-cli'" >&2; exit 1; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT="$(free_port)"; UI_PORT="$(free_port)"; HTTP_PORT="$(free_port)"; METRICS_PORT="$(free_port)"
ADDRESS="127.0.0.1:${PORT}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/quarry-temporal-config.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

passed=0; failed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# shellcheck disable=SC2046  # the flags are meant to split into words
temporal server start-dev --headless --log-level warn \
  --port "$PORT" --ui-port "$UI_PORT" --http-port "$HTTP_PORT" --metrics-port "$METRICS_PORT" \
  --db-filename "$WORK/temporal.db" $(python3 temporal-config/dev-server-flags.py 2>/dev/null) \
  >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
  temporal operator cluster health --address "$ADDRESS" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; echo "dev server died" >&2; exit 1; }
  sleep 0.5
done
echo "dev server on $ADDRESS (pid $SERVER_PID)"

# 2. twice: all created, then none.
first="$(temporal-config/register-search-attributes.sh default "$ADDRESS")"
echo "$first"
[[ "$first" == *"(6 created)"* ]] && pass "first registration created 6 attributes" || fail "first registration: $first"
second="$(temporal-config/register-search-attributes.sh default "$ADDRESS")"
[[ "$second" == *"(0 created)"* && "$(grep -c '^exists' <<<"$second")" == 6 ]] \
  && pass "second registration skipped all 6" || fail "second registration: $second"
listing="$(temporal operator search-attribute list --address "$ADDRESS")"
echo "$listing" | grep Quarry
for expected in "QuarryRunId Keyword" "QuarryRound Int" "QuarryMethod Keyword" "QuarryStage Keyword" "QuarryGeneratorVersion Keyword"; do
  if awk '{ print $1, $2 }' <<<"$listing" | grep -qx "$expected"; then pass "listed: $expected"; else fail "not listed: $expected"; fi
done

# 3. usable in a visibility query. No worker polls the queue: the workflow only has to exist.
temporal workflow start --address "$ADDRESS" --type GenerationRun --task-queue quarry-check-nobody \
  --workflow-id check-run --input '{"config":{}}' \
  --search-attribute 'QuarryRunId="check-run"' --search-attribute 'QuarryRound=3' \
  --search-attribute 'QuarryMethod="quest"' --search-attribute 'QuarryStage="generate"' \
  --search-attribute 'QuarryGeneratorVersion="v0"' >/dev/null
found=""
for _ in $(seq 1 20); do
  found="$(temporal workflow list --address "$ADDRESS" \
    --query "QuarryRunId = 'check-run' AND QuarryRound >= 3 AND QuarryMethod = 'quest' AND QuarryStage = 'generate' AND QuarryGeneratorVersion = 'v0'" -o json)"
  [[ "$found" == *'"check-run"'* ]] && break
  sleep 0.5
done
[[ "$found" == *'"check-run"'* ]] && pass "workflow found by a query on all 5 attributes" || fail "query did not find the workflow: $found"
none="$(temporal workflow list --address "$ADDRESS" --query "QuarryRound = 4" -o json)"
[[ "$none" != *'"check-run"'* ]] && pass "query on another round does not find it" || fail "QuarryRound = 4 matched: $none"
temporal workflow terminate --address "$ADDRESS" --workflow-id check-run --reason "check done" >/dev/null

# 4. the dynamic config is in force.
long_id="$(printf 'x%.0s' $(seq 1 256))"
if out="$(temporal workflow start --address "$ADDRESS" --type GenerationRun --task-queue quarry-check-nobody \
    --workflow-id "$long_id" 2>&1)"; then
  fail "a 256-character workflow id was accepted: limit.maxIDLength=255 not in force"
  temporal workflow terminate --address "$ADDRESS" --workflow-id "$long_id" >/dev/null 2>&1 || true
else
  pass "a 256-character workflow id was refused (limit.maxIDLength): ${out##*$'\n'}"
fi

# 5. a conflicting type is reported, not skipped.
temporal operator namespace create --address "$ADDRESS" --namespace quarry-conflict >/dev/null
temporal operator search-attribute create --address "$ADDRESS" --namespace quarry-conflict \
  --name QuarryRound --type Keyword >/dev/null
if out="$(temporal-config/register-search-attributes.sh quarry-conflict "$ADDRESS" 2>&1)"; then
  fail "type conflict not reported: $out"
elif [[ "$out" == *"QuarryRound exists"*"as KEYWORD, not INT"* ]]; then
  pass "type conflict reported: ${out##*$'\n'}"
else
  fail "type conflict: unexpected message: $out"
fi

echo "$passed passed, $failed failed"
[[ "$failed" == 0 ]]
