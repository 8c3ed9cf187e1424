#!/usr/bin/env bash
# The crash and fault suite. Starts its own stack (Temporal dev server on SQLite, the embedded LLM
# server with the tiny test model and one slot for the generator, the scripted LLM server `quarry
# llm fake` for the test writer and solvers, one worker process per task queue), runs one
# undisturbed reference run, then CHAOS_RUNS runs of the same config and seed. Into each of those
# it injects, in a seeded random order at seeded random moments:
#   worker-<queue>  kill -9 of that queue's worker (every queue in turn), then a restart;
#   temporal        kill -9 of the Temporal dev server, then a restart on the same SQLite file;
#   docker          kill -9 of dockerd mid-batch, then scripts/ensure-docker.sh starts it again;
#   llm             both LLM servers killed and kept down for CHAOS_LLM_DOWN_SECONDS (30);
#   disk            the artifact store (a CHAOS_TMPFS_MB tmpfs) filled to the last byte for
#                   CHAOS_DISK_FULL_SECONDS, then freed.
# Each run must complete with a dataset and candidates file identical, key for key and byte for
# byte (run id aside), to the reference: nothing lost, nothing duplicated, and no SANDBOX_ERROR
# verdict anywhere. The tiny model's random weights write no working program, so the test writer
# and solvers are the scripted server's: with them candidates pass the sandbox and the dataset
# has rows to compare (a reference with an empty dataset fails the suite: it would prove nothing). The last line is `chaos: N/N runs identical, L lost, D duplicated`.
#
# Before each run the LLM response cache and the artifact store are emptied, so every LLM answer
# is generated again (the LLM outage is real; identity rests on seeded one-slot sampling) and
# every artifact is written again (the store is content-addressed: old files would make the full
# disk a no-op).
#
# Usage: scripts/chaos.sh            (make chaos CHAOS_RUNS=N)
# Environment: CHAOS_RUNS (5), CHAOS_SEED (1), CHAOS_FAULTS (all of the above; e.g.
#   "worker temporal llm disk" leaves dockerd alone), CHAOS_CONFIG (examples/chaos.yaml),
#   CHAOS_HOME (.quarry/chaos), CHAOS_TEMPORAL_PORT (7391), CHAOS_UI_PORT (8391),
#   CHAOS_LLM_PORT (8392), CHAOS_FAKE_LLM_PORT (8393), CHAOS_MAX_GAP (4 s between faults), CHAOS_DOCKER_FORCE (0: the docker
#   fault waits for, then skips, when containers that are not Quarry sandboxes run).
# Needs root (tmpfs mount, dockerd), a built tree (make build) and make setup's tools.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

runs="${CHAOS_RUNS:-5}"
chaos_seed="${CHAOS_SEED:-1}"
faults="${CHAOS_FAULTS:-worker temporal docker llm disk}"
config_src="${CHAOS_CONFIG:-examples/chaos.yaml}"
temporal_port="${CHAOS_TEMPORAL_PORT:-7391}"
ui_port="${CHAOS_UI_PORT:-8391}"
llm_port="${CHAOS_LLM_PORT:-8392}"
fake_port="${CHAOS_FAKE_LLM_PORT:-8393}"
max_gap="${CHAOS_MAX_GAP:-4}"
llm_down="${CHAOS_LLM_DOWN_SECONDS:-30}"
disk_full="${CHAOS_DISK_FULL_SECONDS:-20}"
tmpfs_mb="${CHAOS_TMPFS_MB:-32}"
run_timeout="${CHAOS_RUN_TIMEOUT:-1200}"
queues=(workflows llm sandbox train)

home="$(mkdir -p "${CHAOS_HOME:-$root/.quarry/chaos}" && cd "${CHAOS_HOME:-$root/.quarry/chaos}" && pwd)"
export QUARRY_HOME="$home"
export QUARRY_TEMPORAL_ADDRESS="127.0.0.1:$temporal_port"
export QUARRY_TEMPORAL_UI_PORT="$ui_port"
export QUARRY_LLM_PORT="$llm_port"
export QUARRY_LLM_MODEL="${QUARRY_LLM_MODEL:-$root/.quarry/models/tiny-test.gguf}"
export QUARRY_LLM_SLOTS=1        # one LLM activity at a time per worker: seeded text stays exact
export QUARRY_METRICS_PORT=0     # several workers on one machine: no port to fight over
export PATH="$root/.quarry/bin:$PATH"
artifacts="$home/artifacts"
pids="$home/pids"
logs="$home/logs"
stamp="$(date +%Y%m%d-%H%M%S)"
out="$home/results/$stamp"
mkdir -p "$pids" "$logs" "$out" "$artifacts"

log() { echo "[chaos $(date +%H:%M:%S)] $*"; }
die() { echo "chaos: FAILED: $*" >&2; exit 1; }

[[ "$(id -u)" == 0 ]] || die "needs root: it mounts a tmpfs over the artifact store and restarts dockerd"
[[ -f workers/target/quarry-workers.jar ]] || die "not built: run 'make build' first"
[[ -f "$QUARRY_LLM_MODEL" ]] || die "no model at $QUARRY_LLM_MODEL: run scripts/ensure-tiny-model.sh"
command -v temporal >/dev/null || die "no Temporal CLI: run scripts/ensure-temporal.sh"

# The run config, pointed at this suite's LLM port and dataset folder.
config="$home/chaos.yaml"
sed -e "s#127\.0\.0\.1:8392#127.0.0.1:$llm_port#g" \
    -e "s#127\.0\.0\.1:8393#127.0.0.1:$fake_port#g" \
    -e "s#^outputDir:.*#outputDir: $home/datasets#" "$config_src" >"$config"

# ---------------------------------------------------------------------------------------------
# Processes of this suite: started in their own session, known by pid file, logs appended.

source scripts/lib/processes.sh
llm_ready() { curl -fsS "http://127.0.0.1:$llm_port/health"; }
fake_ready() { curl -fsS "http://127.0.0.1:$fake_port/health"; }

start_temporal() {
  start_bg temporal temporal server start-dev --headless --db-filename "$home/temporal.db" \
    --ip 127.0.0.1 --port "$temporal_port" --ui-port "$ui_port" --log-level warn
  wait_for temporal 60 temporal_ready
}

start_llm() {
  start_bg llm ./quarry llm serve --model "$QUARRY_LLM_MODEL" --port "$llm_port" --slots 1
  wait_for llm 180 llm_ready
}

start_fake() {
  start_bg fake ./quarry llm fake --port "$fake_port"
  wait_for fake 60 fake_ready
}

ready_count() { grep -c "Quarry worker polling" "$logs/worker-$1.log" 2>/dev/null || true; }
worker_ready() { (( $(ready_count "$1") > $2 )); }  # queue, ready lines before the start

start_worker() {  # queue
  local queue="$1" before
  before="$(ready_count "$queue")"
  start_bg "worker-$queue" ./quarry worker --queues "$queue"
  wait_for "worker-$queue" 120 worker_ready "$queue" "${before:-0}"
}

docker_ready() { docker info >/dev/null 2>&1; }

mounted=0
cleanup() {
  local code=$?
  for queue in "${queues[@]}"; do kill9 "worker-$queue"; done
  kill9 llm
  kill9 fake
  kill9 temporal
  if [[ "$mounted" == 1 ]]; then
    rm -f "$artifacts/.chaos-fill"
    umount "$artifacts" 2>/dev/null || umount -l "$artifacts" 2>/dev/null || true
  fi
  docker_ready || scripts/ensure-docker.sh >/dev/null 2>&1 || true
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# Faults.

fault_worker() {  # queue
  log "fault: kill -9 worker-$1 (pid $(pid_of "worker-$1"))"
  kill9 "worker-$1"
  sleep 2
  start_worker "$1"
  log "worker-$1 back"
}

fault_temporal() {
  log "fault: kill -9 the Temporal dev server (pid $(pid_of temporal))"
  kill9 temporal
  sleep 3
  start_temporal
  log "Temporal back (same SQLite file)"
}

# Containers that are not this machine's Quarry sandboxes: restarting dockerd stops them.
foreign_containers() {
  docker ps --format '{{.Names}} {{.Label "quarry.sandbox"}}' 2>/dev/null | awk '$2 != "true" {print $1}'
}

docker_fault_done=0
docker_fault_skipped=0
fault_docker() {
  if [[ "${CHAOS_DOCKER_FORCE:-0}" != 1 ]]; then
    local others=""
    for _ in $(seq 1 30); do
      others="$(foreign_containers | tr '\n' ' ')"
      [[ -z "$others" ]] && break
      sleep 2
    done
    if [[ -n "$others" ]]; then
      log "fault: dockerd kill SKIPPED: other containers run on this engine ($others); CHAOS_DOCKER_FORCE=1 kills anyway"
      docker_fault_skipped=$((docker_fault_skipped + 1))
      return 0
    fi
  fi
  # Mid-batch: wait for a sandbox container to be running (batches of the tiny model's programs
  # last a second or two, so look often).
  for _ in $(seq 1 300); do
    [[ -n "$(docker ps -q --filter label=quarry.sandbox=true 2>/dev/null)" ]] && break
    sleep 0.2
  done
  local pid sandboxes
  sandboxes="$(docker ps -q --filter label=quarry.sandbox=true 2>/dev/null | wc -l)"
  pid="$(pgrep -x dockerd | head -n 1 || true)"
  [[ -n "$pid" ]] || die "no dockerd process to kill"
  log "fault: kill -9 dockerd (pid $pid, $sandboxes sandbox containers running)"
  kill -9 "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  sleep 2
  scripts/ensure-docker.sh >/dev/null
  docker_fault_done=$((docker_fault_done + 1))
  log "dockerd back"
}

fault_llm() {
  log "fault: LLM servers down for $llm_down s (kill -9 pids $(pid_of llm) $(pid_of fake))"
  kill9 llm
  kill9 fake
  sleep "$llm_down"
  start_llm
  start_fake
  log "LLM servers back"
}

fault_disk() {
  log "fault: artifact store disk full for $disk_full s"
  # dd stops at ENOSPC; the store now has not one byte to spare.
  dd if=/dev/zero of="$artifacts/.chaos-fill" bs=64k status=none 2>/dev/null || true
  log "artifact store: $(df -h --output=used,avail "$artifacts" | tail -n 1 | xargs) (used, free)"
  sleep "$disk_full"
  rm -f "$artifacts/.chaos-fill"
  log "artifact store freed"
}

# The faults of one run in a seeded random order, each after a seeded random gap: "delay fault arg".
plan() {  # run-number
  python3 - "$chaos_seed" "$1" "$max_gap" "$faults" "${queues[*]}" <<'PY'
import random, sys
seed, run, max_gap, kinds, queues = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].split(), sys.argv[5].split()
rng = random.Random(seed * 1000 + run)
steps = []
for kind in kinds:
    if kind == "worker":
        steps += [("worker", q) for q in queues]
    else:
        steps.append((kind, "-"))
rng.shuffle(steps)
for kind, arg in steps:
    print(rng.randint(1, max_gap), kind, arg)
PY
}

# ---------------------------------------------------------------------------------------------
# Runs.

run_state() {  # run id -> Running, Completed, Failed, ...
  temporal workflow describe --address "$QUARRY_TEMPORAL_ADDRESS" -w "$1" -o json 2>/dev/null \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["workflowExecutionInfo"]["status"].replace("WORKFLOW_EXECUTION_STATUS_","").title())' \
    2>/dev/null || echo Unknown
}

wait_done() {  # run id
  local state started=$SECONDS
  while (( SECONDS - started < run_timeout )); do
    state="$(run_state "$1")"
    case "$state" in
      Completed) return 0 ;;
      Failed | Terminated | Canceled | Timed_Out) die "run $1 ended $state" ;;
    esac
    sleep 3
  done
  die "run $1 did not complete within $run_timeout s (stuck?)"
}

fresh_state() {  # every run generates and stores everything again
  rm -rf "$home/cache/llm"
  find "$artifacts" -mindepth 1 -delete
}

start_run() {  # run id
  ./quarry run start --config "$config" --id "$1" >>"$logs/runs.log" 2>&1 || die "could not start run $1 (see $logs/runs.log)"
}

export_run() {  # run id: its export, and fingerprints of everything it generated
  ./quarry run export "$1" --out "$out/$1" >>"$logs/runs.log" 2>&1 || die "could not export run $1 (see $logs/runs.log)"
  # Every LLM answer (request and response, cached by request and seed) and every artifact
  # (problems, tests, rollouts, sandbox results; by content, run id aside): a seeded run must make
  # exactly the same ones, whatever happened on the way.
  (cd "$home/cache/llm" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >"$out/$1/llm-answers.sha256"
  python3 scripts/chaos/fingerprint.py "$artifacts" "$1" >"$out/$1/artifacts.list"
  cp -r "$artifacts" "$out/$1/artifacts"  # for a look when the lists differ
}

same_fingerprints() {  # reference id, run id
  local file ok=0
  for file in llm-answers.sha256 artifacts.list; do
    if ! diff -q "$out/$1/$file" "$out/$2/$file" >/dev/null; then
      echo "$file differs from the reference's: $(diff "$out/$1/$file" "$out/$2/$file" | grep -c '^[<>]') lines (diff $out/$1/$file $out/$2/$file)"
      ok=1
    fi
  done
  echo "$(wc -l <"$out/$2/llm-answers.sha256") LLM answers, $(wc -l <"$out/$2/artifacts.list") artifacts: $( ((ok == 0)) && echo same as the reference || echo NOT the same)"
  return "$ok"
}

log "home $home; Temporal $QUARRY_TEMPORAL_ADDRESS, LLM :$llm_port ($(basename "$QUARRY_LLM_MODEL")); $runs runs; faults: $faults"
docker_ready || scripts/ensure-docker.sh >/dev/null
# A fresh server: runs of an interrupted earlier suite would otherwise resume and write into
# this suite's cache and store.
rm -f "$home"/temporal.db*
mkdir -p "$artifacts"
mount -t tmpfs -o "size=${tmpfs_mb}m" chaos-artifacts "$artifacts"
mounted=1
start_temporal
start_llm
start_fake
for queue in "${queues[@]}"; do start_worker "$queue"; done
log "stack up"

reference="chaos-ref-$stamp"
fresh_state
log "== reference run $reference (undisturbed)"
t0=$SECONDS
start_run "$reference"
wait_done "$reference"
log "reference run took $((SECONDS - t0)) s"
export_run "$reference"
reference_rows="$(wc -l <"$out/$reference/dataset.jsonl")"
(( reference_rows > 0 )) || die "the reference run's dataset is empty: comparing it would prove nothing (see $out/$reference)"
log "reference dataset: $reference_rows rows, $(wc -l <"$out/$reference/candidates.jsonl") candidates"

identical=0 lost=0 duplicated=0
for run in $(seq 1 "$runs"); do
  id="chaos-$run-$stamp"
  fresh_state
  log "== run $run/$runs: $id"
  t0=$SECONDS
  start_run "$id"
  landed=0 total=0
  while read -r -u 3 delay kind arg; do
    sleep "$delay"
    total=$((total + 1))
    [[ "$(run_state "$id")" == Running ]] && landed=$((landed + 1))
    case "$kind" in
      worker) fault_worker "$arg" ;;
      *) "fault_$kind" ;;
    esac
  done 3< <(plan "$run")
  log "$landed of $total faults landed while the run was running"
  wait_done "$id"
  log "run $run took $((SECONDS - t0)) s"
  export_run "$id"
  verdict="$(python3 scripts/chaos/compare.py "$out/$reference" "$reference" "$out/$id" "$id")" || true
  echo "$verdict"
  read -r same run_lost run_dup < <(python3 -c 'import json,sys; v=json.loads(sys.argv[1].splitlines()[-1]); print(int(v["identical"]), v["lost"], v["duplicated"])' "$verdict")
  same_fingerprints "$reference" "$id" || same=0
  identical=$((identical + same)) lost=$((lost + run_lost)) duplicated=$((duplicated + run_dup))
done

if (( docker_fault_skipped > 0 )); then
  log "note: the dockerd fault was skipped $docker_fault_skipped time(s) (other containers on the engine)"
fi
log "results in $out"
echo "chaos: $identical/$runs runs identical, $lost lost, $duplicated duplicated"
(( identical == runs && lost == 0 && duplicated == 0 ))
