#!/usr/bin/env bash
# shellcheck disable=SC2015  # pass/fail/die never fail, so `test && pass || fail` is if-then-else
# Brings up deploy/compose/docker-compose.yml for real and runs one small round through it (NOT
# part of `make test`: ~2-4 min, needs Docker, the worker and sandbox images and the tiny GGUF).
#
#   make worker-image temporal-images sandbox-image tiny-model && scripts/check-compose-stack.sh
#
# Everything runs exactly as in the compose file: PostgreSQL (quarry-postgres), Temporal's four
# services and its schema and setup jobs (quarry-temporal; make temporal-images), the four worker
# services from quarry-worker:latest, the shared state volume, the Docker socket + group_add on
# the sandbox worker (the REAL sandbox), the embedded LLM server (profile embedded-llm, here with
# the tiny random-weight GGUF) and the `quarry` CLI service. The override file only mounts the
# run config. (scripts/compose-check.sh is the quicker check on the scripted LLM and sandbox.)
#
# Checks: the round completes through `docker-compose run --rm quarry run start ... --wait`,
# every candidate has M×T verdicts and no sandbox infrastructure error (so the socket worked),
# the dataset files are on the shared volume, the namespace has the search attributes, and the
# CI steering script (deploy/ci/steer-run.sh) starts, stops, waits for and fails runs through
# the published Temporal port.
# Prints `N passed, M failed`; removes its containers and volumes on exit.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
QUARRY_HOME="${QUARRY_HOME:-$repo/.quarry}"
export PATH="$QUARRY_HOME/bin:$PATH"
die() { echo "error: $*" >&2; exit 1; }

if docker compose version >/dev/null 2>&1; then compose=(docker compose); else
  command -v docker-compose >/dev/null || die "no docker compose: run deploy/compose/validate.sh (installs it)"
  compose=(docker-compose)
fi
for image in quarry-worker:latest quarry-temporal:1.29.1 quarry-postgres:15 quarry-sandbox-python:protocol-2; do
  docker image inspect "$image" >/dev/null 2>&1 || die "image $image missing: make worker-image temporal-images sandbox-image"
done
[[ -f "$QUARRY_HOME/models/tiny-test.gguf" ]] || die "tiny GGUF missing: make tiny-model"
work="$(mktemp -d "${TMPDIR:-/tmp}/quarry-compose-stack.XXXXXX")"
chmod 755 "$work"
project="quarry-smoke-$$"
mkdir -p "$work/models" "$work/runs"
# Readable by the worker user (uid 10001) whatever the checkout's permissions are.
install -m 0644 "$QUARRY_HOME/models/tiny-test.gguf" "$work/models/tiny-test.gguf"
chmod 755 "$work/models" "$work/runs"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

# The small round of the Java end-to-end test (EndToEndRunTest): K=2, M=2, T=2, 2 prompts.
cat >"$work/runs/smoke.yaml" <<'YAML'
seed: 11
promptsPerRound: 2
candidatesPerPrompt: 2
rolloutsPerCandidate: 2
testInputsPerCandidate: 2
maxConcurrentPrompts: 2
concepts: { fewShot: 0 }
roles:
  generator: { endpoint: "http://llm:8088/v1", model: tiny, maxTokens: 48, temperature: 0.8 }
  testWriter: { endpoint: "http://llm:8088/v1", model: tiny, maxTokens: 3000, temperature: 0.8 }
  solver: { endpoint: "http://llm:8088/v1", model: tiny, maxTokens: 48, temperature: 0.8 }
YAML
chmod 644 "$work/runs/smoke.yaml"

cat >"$work/override.yml" <<YAML
services:
  quarry:
    volumes:
      - ${work}/runs:/opt/quarry/runs:ro
YAML

cat >"$work/env" <<ENV
COMPOSE_PROFILES=embedded-llm
POSTGRES_PASSWORD=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
DOCKER_GID=$(stat -c %g /var/run/docker.sock)
TEMPORAL_PORT=${port}
QUARRY_MODELS_DIR=${work}/models
QUARRY_LLM_MODEL_FILE=tiny-test.gguf
ENV
dc() {
  env -i PATH="$PATH" HOME="$HOME" DOCKER_HOST="${DOCKER_HOST:-}" COMPOSE_PROFILES=embedded-llm \
    "${compose[@]}" -p "$project" --project-directory deploy/compose --env-file "$work/env" \
    -f deploy/compose/docker-compose.yml -f "$work/override.yml" "$@"
}
cleanup() {
  if [[ "${KEEP:-0}" != 1 ]]; then
    dc logs --no-color >"${TMPDIR:-/tmp}/$project.log" 2>&1 || true
    dc down -v --remove-orphans >/dev/null 2>&1 || true
    rm -rf "$work"
    echo "logs of the stack: ${TMPDIR:-/tmp}/$project.log"
  fi
}
trap cleanup EXIT

passed=0; failed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

dc up -d 2>&1 | grep -v -e '^Creating' -e '^$' || true
running="$(dc ps --services --filter status=running | sort | tr '\n' ' ')"
[[ "$running" == "llm postgresql temporal temporal-history temporal-matching temporal-worker worker-llm worker-sandbox worker-train worker-workflows " ]] \
  && pass "services running: $running" || fail "services running: $running"

# Workers exit when Temporal does not answer their first health check in time (as on a loaded
# machine) and compose restarts them (restart: unless-stopped): wait until all four poll.
ready=""
for _ in $(seq 1 120); do
  ready="$(dc logs --no-color worker-workflows worker-llm worker-sandbox worker-train 2>/dev/null \
    | grep -o 'worker polling on \[quarry-[a-z]*\]' | sort -u | wc -l || true)"
  [[ "$ready" == 4 ]] && break
  sleep 2
done
[[ "$ready" == 4 ]] && pass "all four workers polling" || fail "only $ready of 4 workers polling after 240 s"

# The CLI's own connection check can time out the same way: retry only that failure.
for attempt in 1 2 3; do
  if out="$(dc run --rm -T quarry run start --config runs/smoke.yaml --id smoke-run --wait 2>&1)"; then
    pass "the round completed through the compose stack (docker-compose run --rm quarry run start --wait)"
    break
  fi
  grep -q 'cannot reach the Temporal server' <<<"$out" && [[ "$attempt" -lt 3 ]] && { sleep 5; continue; }
  fail "run start --wait failed"
  break
done
grep -v -e '^Creating' -e '^$' <<<"$out" | tail -15

candidates="$(dc run --rm -T --entrypoint cat quarry /opt/quarry/.quarry/datasets/smoke-run/round-0.candidates.jsonl 2>/dev/null || true)"
if python3 - "$candidates" <<'PY'
import json, sys
rows = [json.loads(line) for line in sys.argv[1].splitlines() if line.strip()]
assert len(rows) == 4, f"{len(rows)} candidate rows, expected 4"
for row in rows:
    counts = row["verdictCounts"]
    assert sum(counts.values()) == 4, f"{row['key']}: {counts} is not M x T = 4 verdicts"
    assert "SANDBOX_ERROR" not in counts, f"{row['key']}: sandbox infrastructure error {counts}"
    assert row["valid"] or row["invalidReason"], f"{row['key']}: invalid without a reason"
print("verdicts per candidate:", [row["verdictCounts"] for row in rows])
PY
then pass "4 candidates on the shared volume, each with M×T=4 sandbox verdicts, no sandbox error"
else fail "candidate rows: $candidates"; fi

files="$(dc run --rm -T --entrypoint ls quarry /opt/quarry/.quarry/datasets/smoke-run 2>/dev/null || true)"
for f in round-0.jsonl round-0.candidates.jsonl round-0.rft.jsonl; do
  grep -qx "$f" <<<"$files" && pass "dataset file $f written" || fail "dataset file $f missing: $files"
done

attributes="$(dc run --rm -T --entrypoint temporal temporal-setup operator search-attribute list \
  --address temporal:7233 --namespace quarry 2>/dev/null || true)"
# As many as the registration script names (it gains attributes over time).
expected="$(grep -o 'Quarry[A-Z][A-Za-z]*' temporal-config/register-search-attributes.sh | sort -u | wc -l)"
[[ "$(grep -c '^ *Quarry' <<<"$attributes")" == "$expected" ]] \
  && pass "namespace quarry has the $expected search attributes of register-search-attributes.sh" \
  || fail "search attributes (expected $expected Quarry*): $attributes"

# The CI steering script (deploy/ci/steer-run.sh) from the host, through the published port,
# exactly as a CI job drives a remote cluster: start, stop after the first of 3 rounds, wait.
python3 - "$work/runs/smoke.yaml" >"$work/ci-input.json" <<'PY'
import json, sys, yaml
config = yaml.safe_load(open(sys.argv[1]))
config.update(seed=12, rounds=3)
print(json.dumps({"config": config}))
PY
echo '{"config": {"candidatesPerPrompt": 0}}' >"$work/ci-bad.json"
steer() { TEMPORAL_ADDRESS="127.0.0.1:${port}" TEMPORAL_NAMESPACE=quarry deploy/ci/steer-run.sh "$@"; }
if steer start ci-run "$work/ci-input.json" >/dev/null && steer signal ci-run stopAfterRound >/dev/null \
    && out="$(steer wait ci-run)" && grep -q 'completed: 1 round(s).*stopped early' <<<"$out"; then
  pass "steer-run.sh: start, stopAfterRound, wait -> completed after 1 of 3 rounds"
else
  fail "steer-run.sh start/signal/wait: ${out:-}"
fi
echo "${out:-}" | head -3
if steer start ci-run "$work/ci-input.json" >/dev/null 2>&1; then
  fail "steer-run.sh started a completed run id again"
else
  pass "steer-run.sh refuses to start a completed run id again"
fi
steer start ci-bad "$work/ci-bad.json" >/dev/null
if out="$(steer wait ci-bad 2>&1)"; then
  fail "steer-run.sh wait passed on a failed run: $out"
else
  grep -q 'ended FAILED' <<<"$out" && pass "steer-run.sh wait fails the job on a failed run" || fail "steer-run.sh wait: $out"
fi

echo "$passed passed, $failed failed"
[[ "$failed" == 0 ]]
