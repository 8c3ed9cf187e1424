#!/usr/bin/env bash
# The compose check (make compose-check): deploy/compose/docker-compose.yml brought up for real
# with Debian's docker-compose, on images built offline here (no registry): quarry-postgres:15,
# quarry-temporal (the four Temporal services as separate containers, from the same
# temporal-config/cluster/quarry.yaml the cluster check runs, plus the schema and namespace jobs)
# and quarry-worker (one worker container per task queue). As in the cluster check, the LLM is
# the scripted fake (`quarry llm fake`, profile fake-llm) and the sandbox the scripted one
# (QUARRY_SANDBOX_MODE=scripted: no program runs). Unlike the cluster check, the workers share
# the compose file's state volume instead of an S3 store.
#
# A small QueST run (COMPOSE_PROMPTS prompts) is started from the host with
# `./quarry run start --wait` against the frontend, published on 127.0.0.1 on a free port; it must
# complete and its dataset on the shared volume must hold rows. Then `down -v`.
# The last line: `compose: run completed, N rows` (or `compose: FAILED (...)`).
#
# Environment: COMPOSE_PROMPTS (4), COMPOSE_KEEP=1 leaves the stack up (project name printed).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
export QUARRY_HOME="${QUARRY_HOME:-$repo/.quarry}"
prompts="${COMPOSE_PROMPTS:-4}"
t_start=$SECONDS
log() { echo "[compose-check $(date +%H:%M:%S) +$((SECONDS - t_start))s] $*"; }
die() { echo "compose-check: FAILED: $*" >&2; echo "compose: FAILED ($*)"; exit 1; }

[[ -f workers/target/quarry-workers.jar ]] || die "not built: run 'make build' first"
if ! command -v docker-compose >/dev/null; then
  [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null || die "docker-compose missing: install Debian's docker-compose package"
  log "installing docker-compose (Debian package)"
  apt-get install -y -q docker-compose >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q docker-compose >/dev/null; } \
    || die "apt-get install docker-compose failed"
fi
scripts/ensure-docker.sh >/dev/null

log "== images (offline; cached by the hash of their inputs)"
t_images=$SECONDS
deploy/images/build-temporal-images.sh || die "could not build the Temporal/PostgreSQL images"
deploy/images/build-worker-image.sh || die "could not build the worker image"
log "images ready in $((SECONDS - t_images)) s"

work="$(mktemp -d "${TMPDIR:-/tmp}/quarry-compose-check.XXXXXX")"
project="quarry-compose-check-$$"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cat >"$work/env" <<ENV
COMPOSE_PROFILES=fake-llm
POSTGRES_PASSWORD=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
DOCKER_GID=$(stat -c %g /var/run/docker.sock)
TEMPORAL_PORT=$port
QUARRY_SANDBOX_MODE=scripted
QUARRY_LLM_SLOTS=8
ENV
chmod 600 "$work/env"
# A run started from the host names its seed file by the host's absolute path (workers may run
# elsewhere, so the CLI resolves paths, and every worker must read it): the workers see the
# repository's seeds/ at that path. Compose merges these volumes with the file's by target.
{
  echo "services:"
  for w in worker-workflows worker-llm worker-sandbox worker-train; do
    printf '  %s:\n    volumes:\n      - %s/seeds:%s/seeds:ro\n' "$w" "$repo" "$repo"
  done
} >"$work/override.yml"
dc() {
  # A clean environment: nothing of the caller's shell decides what compose resolves.
  env -i PATH="$PATH" HOME="$HOME" DOCKER_HOST="${DOCKER_HOST:-}" \
    docker-compose -p "$project" --project-directory deploy/compose --env-file "$work/env" \
    -f deploy/compose/docker-compose.yml -f "$work/override.yml" "$@"
}
cleanup() {
  local code=$?
  if [[ "${COMPOSE_KEEP:-0}" == 1 ]]; then
    echo "stack left up: docker-compose -p $project --project-directory deploy/compose --env-file $work/env -f deploy/compose/docker-compose.yml -f $work/override.yml ..."
    exit "$code"
  fi
  dc logs --no-color >"${TMPDIR:-/tmp}/$project.log" 2>&1 || true
  dc down -v --remove-orphans >/dev/null 2>&1 || true
  rm -rf "$work"
  echo "logs of the stack: ${TMPDIR:-/tmp}/$project.log" >&2
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "== up: project $project, frontend on 127.0.0.1:$port"
t_up=$SECONDS
dc up -d 2>&1 | grep -v -e '^Creating' -e '^$' || true
# Workers exit when Temporal is not ready for them yet and compose restarts them: wait until
# all four poll.
polling() {
  dc logs --no-color worker-workflows worker-llm worker-sandbox worker-train 2>/dev/null \
    | grep -o 'worker polling on \[quarry-[a-z]*\]' | sort -u | wc -l
}
for _ in $(seq 1 300); do [[ "$(polling)" == 4 ]] && break; sleep 2; done
[[ "$(polling)" == 4 ]] || die "only $(polling) of 4 workers polling after 600 s"
running="$(dc ps --services --filter status=running | sort | tr '\n' ' ')"
log "stack up in $((SECONDS - t_up)) s; running: $running"
for s in postgresql temporal temporal-history temporal-matching temporal-worker llm-fake \
         worker-workflows worker-llm worker-sandbox worker-train; do
  grep -qw -- "$s" <<<"$running" || die "service $s is not running"
done
for job in temporal-schema temporal-setup; do
  code="$(docker inspect --format '{{.State.ExitCode}}' "$(dc ps -q "$job")")"
  [[ "$code" == 0 ]] || die "$job exited $code"
done

# The run: QueST on the fake LLM, from the host through the published port.
cat >"$work/quest.yaml" <<YAML
method: quest
seed: 11
rounds: 1
promptsPerRound: $prompts
candidatesPerPrompt: 2
rolloutsPerCandidate: 2
testInputsPerCandidate: 2
maxConcurrentPrompts: $prompts
# On the compose file's shared state volume, as the workers see it.
outputDir: /opt/quarry/.quarry/datasets
roles:
$(for role in generator testWriter solver judge rewardModel rewriter skillTagger; do
    echo "  $role: { endpoint: \"http://llm-fake:8089/v1\", model: fake }"
  done)
YAML
id="compose-check-$$"
log "== run $id: QueST, $prompts prompts, from the host"
t_run=$SECONDS
mkdir -p "$work/client"
ok=0
for attempt in 1 2 3; do
  # The endpoint names a compose service the host cannot resolve: only the workers call it.
  if QUARRY_HOME="$work/client" QUARRY_TEMPORAL_ADDRESS="127.0.0.1:$port" QUARRY_TEMPORAL_NAMESPACE=quarry \
      ./quarry run start --config "$work/quest.yaml" --id "$id" --skip-endpoint-check --wait >"$work/run.log" 2>&1; then
    ok=1; break
  fi
  # Only a start that never reached the server is tried again.
  grep -q 'cannot reach the Temporal server' "$work/run.log" || break
  log "the frontend did not answer in time (attempt $attempt); trying again"; sleep 5
done
tail -n 15 "$work/run.log"
[[ "$ok" == 1 ]] || die "run $id did not complete"
log "run completed in $((SECONDS - t_run)) s"

rows="$(dc exec -T worker-workflows cat "/opt/quarry/.quarry/datasets/$id/round-0.jsonl" 2>/dev/null | grep -c . || true)"
candidates="$(dc exec -T worker-workflows cat "/opt/quarry/.quarry/datasets/$id/round-0.candidates.jsonl" 2>/dev/null | grep -c . || true)"
log "dataset on the shared volume: $rows rows, $candidates candidate rows; total $((SECONDS - t_start)) s"
[[ "$candidates" == $((prompts * 2)) ]] || die "$candidates candidate rows, expected $((prompts * 2))"
[[ "$rows" -gt 0 ]] || die "the dataset has no rows"
echo "compose: run completed, $rows rows"
