#!/usr/bin/env bash
# The cluster check (make cluster-check): Quarry on a real Temporal cluster, started by the
# project's own scripts (scripts/cluster/lib.sh), against the same runs on the dev server.
#   1. The S3 store's test against a real S3 server (SeaweedFS; never skipped here).
#   2. Reference: a QueST, a ScaleQuest and a SPARQ run of CLUSTER_PROMPTS prompts each on a
#      private dev server (SQLite) with one worker process, on the scripted fake LLM
#      (`quarry llm fake`) and the scripted sandbox (QUARRY_SANDBOX_MODE=scripted, as
#      scripts/scale-run.sh: no program runs; outputs are hashes of program and input).
#   3. The cluster: PostgreSQL (Debian's package), Temporal's schema set up with its SQL tool,
#      history, matching, frontend and worker as four processes from temporal-config/cluster/,
#      Quarry's search attributes, SeaweedFS as the S3 store, and one Quarry worker process per
#      task queue (workflows, llm, sandbox, train) and the Python trainer worker
#      (quarry-train-python; it must be seen polling), each with its own private home: they share
#      no disk, so artifacts, records and datasets must go through S3 (QUARRY_STORE=s3).
#   4. Failover: the same three runs on the cluster at once, each followed by
#      `quarry run start --wait`; while they run, kill -9 history, then matching, then frontend,
#      then PostgreSQL (each restarted), then the workflows and llm workers' hosts (restarted with
#      EMPTY homes: a replaced host). Every run must have been running at every fault, complete,
#      and be exported (from S3) identical to its dev-server twin; every follower must ride out
#      the outage (exit 0, having said the server was unavailable). No worker home and no local
#      outputDir may hold artifacts, records or datasets afterwards.
#   CLUSTER_UNDISTURBED=1 also runs the three on the cluster without faults before step 4.
# The last line: `cluster: N/N runs identical`; the exit status is 0 only if all are.
#
# Environment: CLUSTER_PROMPTS (200), CLUSTER_K (2), CLUSTER_CONCURRENCY (16),
#   CLUSTER_FAILOVER_LLM_DELAY_MS (the fake LLM's delay during failover: 120000/prompts, at least
#   500), CLUSTER_UNDISTURBED (0), CLUSTER_PORT
#   (7633: the frontend; the next three for the other services), CLUSTER_PG_PORT (7632),
#   CLUSTER_S3_PORT (7680), CLUSTER_DEV_PORT (7620), CLUSTER_LLM_PORT (7621), CLUSTER_HOME
#   (.quarry/cluster-check/STAMP), CLUSTER_KEEP=1 leaves the stack running at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
export QUARRY_HOME_SHARED="${QUARRY_HOME:-$repo/.quarry}"
export PATH="$QUARRY_HOME_SHARED/bin:$PATH"
prompts="${CLUSTER_PROMPTS:-200}"
k="${CLUSTER_K:-2}"
concurrency="${CLUSTER_CONCURRENCY:-16}"
dev_port="${CLUSTER_DEV_PORT:-7620}"
llm_port="${CLUSTER_LLM_PORT:-7621}"
stamp="$(date +%Y%m%d-%H%M%S)"
home="${CLUSTER_HOME:-$repo/.quarry/cluster-check/$stamp}"
mkdir -p "$home"
home="$(cd "$home" && pwd)"
cluster="$home/cluster"
pids="$home/pids" logs="$home/logs" out="$home/exports"
mkdir -p "$pids" "$logs" "$out" "$cluster"
t_start=$SECONDS

log() { echo "[cluster-check $(date +%H:%M:%S) +$((SECONDS - t_start))s] $*"; }
die() { echo "cluster-check: FAILED: $*" >&2; echo "cluster: FAILED ($*)"; exit 1; }
source scripts/cluster/lib.sh
cluster_env

[[ -f workers/target/quarry-workers.jar ]] || die "not built: run 'make build' first"
scripts/ensure-temporal.sh >/dev/null
scripts/ensure-temporal-server.sh
scripts/ensure-seaweedfs.sh

cleanup() {
  local code=$?
  if [[ "${CLUSTER_KEEP:-0}" == 1 ]]; then exit "$code"; fi
  local f
  for f in "$pids"/*.pid; do [[ -f "$f" ]] && stop "$(basename "$f" .pid)"; done
  stop_postgres
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "home $home; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# --- 1. the S3 store against a real S3 server ---------------------------------------------------
log "== S3 store test against SeaweedFS (activities: S3BlobStoreTest)"
QUARRY_HOME="$QUARRY_HOME_SHARED" mvn -B -o -q -pl activities surefire:test -Dtest=S3BlobStoreTest \
  -Dsurefire.failIfNoSpecifiedTests=false >"$logs/s3-test.log" 2>&1 || die "S3BlobStoreTest failed; see $logs/s3-test.log"
report="activities/target/surefire-reports/TEST-dev.quarry.activities.store.S3BlobStoreTest.xml"
grep -q 'tests="4"' "$report" && grep -q 'skipped="0"' "$report" && grep -q 'failures="0"' "$report" \
  && grep -q 'errors="0"' "$report" || die "S3BlobStoreTest did not run all 4 tests green; see $report"
log "S3 store: 4/4 tests passed against SeaweedFS"

# --- the runs ----------------------------------------------------------------------------------
llm="http://127.0.0.1:$llm_port/v1"
config_for() {  # method -> config file (the same for dev server and cluster)
  local method="$1" file="$home/$1.yaml"
  {
    echo "method: $method"
    echo "seed: 11"
    echo "rounds: 1"
    echo "promptsPerRound: $prompts"
    echo "maxConcurrentPrompts: $concurrency"
    echo "outputDir: $home/client/datasets"
    case "$method" in
      quest) printf 'candidatesPerPrompt: %s\nrolloutsPerCandidate: 2\ntestInputsPerCandidate: 2\n' "$k" ;;
      scalequest) printf 'scalequest:\n  solverSamples: 2\n  responseSamples: 2\n' ;;
      sparq) printf 'seeds:\n  file: seeds/math-seeds.jsonl\n  format: math\nsparq:\n  rollouts: 2\n' ;;
    esac
    echo "roles:"
    for role in generator testWriter solver judge rewardModel rewriter skillTagger; do
      echo "  $role: { endpoint: \"$llm\", model: fake }"
    done
  } >"$file"
  echo "$file"
}
methods=(quest scalequest sparq)

state_of() {  # address namespace id -> status
  temporal workflow describe --address "$1" --namespace "$2" -w "$3" -o json 2>/dev/null \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["workflowExecutionInfo"]["status"].replace("WORKFLOW_EXECUTION_STATUS_",""))' 2>/dev/null \
    || echo UNKNOWN
}
wait_done() {  # address namespace id
  local state t0=$SECONDS
  while true; do
    state="$(state_of "$1" "$2" "$3")"
    case "$state" in
      COMPLETED) return 0 ;;
      FAILED | TERMINATED | CANCELED | TIMED_OUT) die "run $3 ended $state" ;;
    esac
    (( SECONDS - t0 < 1800 )) || die "run $3 did not complete within 30 min"
    sleep 2
  done
}

# --- 2. reference runs on the dev server --------------------------------------------------------
start_bg llm "$repo/quarry" llm fake --port "$llm_port"
wait_for llm 60 curl -fsS "http://127.0.0.1:$llm_port/health"

export QUARRY_SANDBOX_MODE=scripted QUARRY_LLM_SLOTS="${QUARRY_LLM_SLOTS:-16}" QUARRY_SANDBOX_SLOTS="${QUARRY_SANDBOX_SLOTS:-8}"
export QUARRY_METRICS_PORT=0
dev_address="127.0.0.1:$dev_port"
log "== reference: dev server (SQLite) at $dev_address, one worker; ${methods[*]} × $prompts prompts"
(
  export QUARRY_TEMPORAL_ADDRESS="$dev_address" QUARRY_HOME="$home/dev"
  start_temporal_dev "$home/dev-temporal.db" "$dev_port" $((dev_port + 2))
)
mkdir -p "$home/dev"
launch_worker dev "$home/dev" workflows,llm,sandbox,train QUARRY_TEMPORAL_ADDRESS="$dev_address"
t_dev=$SECONDS
for m in "${methods[@]}"; do
  start_run "$dev_address" default "cc-$m-dev" env QUARRY_HOME="$home/dev" QUARRY_TEMPORAL_ADDRESS="$dev_address" \
    "$repo/quarry" run start --config "$(config_for "$m")" --id "cc-$m-dev" || die "could not start cc-$m-dev; see $logs/runs.log"
done
for m in "${methods[@]}"; do wait_done "$dev_address" default "cc-$m-dev"; done
log "dev server: 3 runs in $((SECONDS - t_dev)) s"
for m in "${methods[@]}"; do
  retrying env QUARRY_HOME="$home/dev" QUARRY_TEMPORAL_ADDRESS="$dev_address" "$repo/quarry" run export "cc-$m-dev" \
    --out "$out/cc-$m-dev" >>"$logs/runs.log" 2>&1 || die "could not export cc-$m-dev"
done
stop worker-dev
stop temporal

# --- 3. the cluster ----------------------------------------------------------------------------
log "== cluster: PostgreSQL :$CLUSTER_PG_PORT, Temporal frontend $CLUSTER_ADDRESS (history, matching, worker beside it), S3 :$CLUSTER_S3_PORT"
start_postgres
setup_schema
start_temporal_cluster
start_s3
hosts=(workflows llm sandbox train)
for q in "${hosts[@]}"; do start_worker "$q" "$q"; done
start_trainer_worker
log "Python trainer worker polling quarry-train-python on the cluster (pid $(pid_of worker-train-python))"
log "cluster up: $(for s in "${TEMPORAL_SERVICES[@]}"; do printf 'temporal-%s=%s ' "$s" "$(pid_of "temporal-$s")"; done)postgres=$(postgres_pid) s3=$(pid_of s3) $(for q in "${hosts[@]}"; do printf 'worker-%s=%s ' "$q" "$(pid_of "worker-$q")"; done)"

on_cluster() { env QUARRY_HOME="$home/client" $(worker_env) "$@"; }
results=()
compare() {  # method id: compare the cluster run's export with its dev-server twin
  local m="$1" id="$2" verdict
  retrying on_cluster "$repo/quarry" run export "$id" --out "$out/$id" >>"$logs/runs.log" 2>&1 || die "could not export $id (from S3)"
  verdict="$(python3 scripts/chaos/compare.py "$out/cc-$m-dev" "cc-$m-dev" "$out/$id" "$id" | tail -n 1)" || true
  log "$id vs cc-$m-dev: $verdict"
  results+=("$id:$(python3 -c 'import json,sys; print(int(json.loads(sys.argv[1])["identical"]))' "$verdict" 2>/dev/null || echo 0)")
}

# Optional (CLUSTER_UNDISTURBED=1): the three runs on the cluster without faults first.
if [[ "${CLUSTER_UNDISTURBED:-0}" == 1 ]]; then
  t_cluster=$SECONDS
  for m in "${methods[@]}"; do
    start_run "$CLUSTER_ADDRESS" "$CLUSTER_NAMESPACE" "cc-$m-cluster" on_cluster "$repo/quarry" run start \
      --config "$home/$m.yaml" --id "cc-$m-cluster" || die "could not start cc-$m-cluster; see $logs/runs.log"
  done
  for m in "${methods[@]}"; do wait_done "$CLUSTER_ADDRESS" "$CLUSTER_NAMESPACE" "cc-$m-cluster"; done
  log "cluster, undisturbed: 3 runs in $((SECONDS - t_cluster)) s"
  for m in "${methods[@]}"; do compare "$m" "cc-$m-cluster"; done
  # Its answers are in the llm worker's response cache (its own disk): empty it, so that the
  # failover runs make every call again.
  rm -rf "$cluster/hosts/llm/cache/llm"
fi

# --- 4. failover -------------------------------------------------------------------------------
# The three runs at once, each followed by `run start --wait`, through kill -9 of each part.
# The same fake LLM (same port, same answers), now answering after a delay, so that every run is
# still going when the last fault lands: the fault sequence takes two to four minutes whatever
# the size, so the delay shrinks as the runs grow (7.5 s at 16 prompts, 0.6 s at 200). Measured
# on 2 loaded cores: at 16 prompts and 15 s, the runs lasted 875 s and the faults 130 s; at 200
# prompts and 1.2 s, 926 s and 218 s.
delay_ms="${CLUSTER_FAILOVER_LLM_DELAY_MS:-$(( prompts >= 240 ? 500 : 120000 / prompts ))}"
log "== failover: ${methods[*]} at once, the fake LLM answering after $delay_ms ms; kill -9 history, matching, frontend, PostgreSQL, worker hosts"
stop llm
start_bg llm "$repo/quarry" llm fake --port "$llm_port" --delay-ms "$delay_ms"
wait_for llm 60 curl -fsS "http://127.0.0.1:$llm_port/health"
failover=("${methods[@]}")
t_failover=$SECONDS
start_follower() {  # method: `run start --wait`; started again if it exits before its run
  # exists (on a loaded machine the first call can miss the client's deadline)
  local m="$1" attempt
  for attempt in 1 2 3; do
    start_bg "follow-$m" env QUARRY_HOME="$home/client" $(worker_env) "$repo/quarry" run start \
      --config "$home/$m.yaml" --id "cc-$m-failover" --wait
    for _ in $(seq 1 240); do
      workflow_exists "$CLUSTER_ADDRESS" "$CLUSTER_NAMESPACE" "cc-$m-failover" && return 0
      alive "follow-$m" || break
      sleep 0.5
    done
    alive "follow-$m" && die "run start --wait for cc-$m-failover started no run within 2 min; see $logs/follow-$m.log"
    log "run start --wait for cc-$m-failover exited before its run existed (attempt $attempt): $(tail -n 1 "$logs/follow-$m.log" | cut -c1-160)"
    mv "$logs/follow-$m.log" "$logs/follow-$m.attempt-$attempt.log"
  done
  die "could not start cc-$m-failover; see $logs/follow-$m.attempt-*.log"
}
for m in "${failover[@]}"; do start_follower "$m"; done
running() {
  local m
  for m in "${failover[@]}"; do
    [[ "$(state_of "$CLUSTER_ADDRESS" "$CLUSTER_NAMESPACE" "cc-$m-failover")" == RUNNING ]] || return 1
  done
}
wait_for "follow-${failover[0]}" 120 running
still_running() {  # fault name: every run must still be running, or the fault proved nothing
  local state m
  for m in "${failover[@]}"; do
    state="$(state_of "$CLUSTER_ADDRESS" "$CLUSTER_NAMESPACE" "cc-$m-failover")"
    [[ "$state" == RUNNING || "$state" == UNKNOWN ]] \
      || die "cc-$m-failover was $state before the $1 fault: raise CLUSTER_FAILOVER_LLM_DELAY_MS (was $delay_ms)"
  done
}
sleep 5
for s in history matching frontend; do
  still_running "$s"
  log "kill -9 temporal $s (pid $(pid_of "temporal-$s"))"
  kill9 "temporal-$s"
  sleep 3
  start_service "$s"
  log "temporal $s restarted (pid $(pid_of "temporal-$s"))"
  sleep 4
done
wait_for temporal-frontend 120 cluster_ready
still_running postgres
log "kill -9 PostgreSQL (postmaster $(postgres_pid))"
kill9_postgres
sleep 3
start_postgres
log "PostgreSQL restarted (postmaster $(postgres_pid))"
sleep 5
still_running "worker host"
for q in workflows llm; do
  log "kill -9 worker host $q (pid $(pid_of "worker-$q")); replaced by a host with an empty home"
  kill9 "worker-$q"
  rm -rf "$cluster/hosts/$q"
done
for q in workflows llm; do start_worker "$q" "$q"; done
log "worker hosts replaced; every run went through every fault ($((SECONDS - t_failover)) s)"
for m in "${failover[@]}"; do
  wait_done "$CLUSTER_ADDRESS" "$CLUSTER_NAMESPACE" "cc-$m-failover"
  log "cc-$m-failover completed ($((SECONDS - t_failover)) s after the start)"
done
for m in "${failover[@]}"; do
  for _ in $(seq 1 120); do alive "follow-$m" || break; sleep 1; done
  alive "follow-$m" && die "run start --wait for cc-$m-failover still follows a completed run"
  grep -q "is unavailable" "$logs/follow-$m.log" || die "the follower of cc-$m-failover never said the server was unavailable; see $logs/follow-$m.log"
  grep -q "Exception" "$logs/follow-$m.log" && die "the follower of cc-$m-failover printed a stack trace; see $logs/follow-$m.log"
  grep -q "exported\|rows\|dataset" "$logs/follow-$m.log" || die "the follower of cc-$m-failover printed no summary; see $logs/follow-$m.log"
  log "follower of cc-$m-failover: $(grep -c "is unavailable" "$logs/follow-$m.log") outage(s) ridden out, summary printed"
  compare "$m" "cc-$m-failover"
done
# No worker may have kept anything of a run on its own disk but caches: the homes hold no
# artifacts, records or datasets, and the client's outputDir holds no dataset.
for q in "${hosts[@]}"; do
  for d in artifacts records datasets; do
    [[ ! -e "$cluster/hosts/$q/$d" ]] || die "worker $q wrote $d to its own disk ($cluster/hosts/$q/$d): not through the S3 store"
  done
done
for m in "${methods[@]}"; do
  for id in "cc-$m-cluster" "cc-$m-failover"; do
    [[ ! -e "$home/client/datasets/$id" ]] || die "$id's datasets were written to the local outputDir, not to S3"
  done
done

same=0
for r in "${results[@]}"; do [[ "${r##*:}" == 1 ]] && same=$((same + 1)); done
log "done in $((SECONDS - t_start)) s; $(for r in "${results[@]}"; do printf '%s=%s ' "${r%%:*}" "$([[ ${r##*:} == 1 ]] && echo identical || echo DIFFERENT)"; done)"
echo "cluster: $same/${#results[@]} runs identical"
(( same == ${#results[@]} ))
