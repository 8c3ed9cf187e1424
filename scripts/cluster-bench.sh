#!/usr/bin/env bash
# The cluster benchmark (make cluster-bench; not in CI): candidates per second of the same QueST
# rounds on the dev server and on the cluster, side by side in one run on this machine, with the
# CPU each part spent, and how the cluster's rate grows with a second sandbox worker process.
#
# For each size N (BENCH_SIZES, default "1000 10000" candidates; K=4 M=2 T=2, so N/4 prompts):
#   dev         the dev server (SQLite, one process), one worker process per queue, file store
#   cluster     PostgreSQL, history/matching/frontend/worker as four processes, S3 store
#               (SeaweedFS), one worker process per queue, each with its own home
#   cluster+sb  the same cluster with a second sandbox worker process
# all on the scripted fake LLM (no delay) and the scripted sandbox (scripts/scale-run.sh's load:
# it measures Temporal, the workers and the store, not a model or a sandbox). The rate is
# candidates / (close - start) as the server records them. The CPU split is user+system seconds
# of each group's process trees, read from /proc before and after each run (scripts/cluster/cpu.py):
# Temporal (the dev server, or the four services), PostgreSQL (postmaster and backends), the S3
# server, Quarry's workers, and the fake LLM.
# Prints a Markdown table last (also in BENCH_HOME/bench.md) for docs/deploy-cluster.md.
#
# Environment: BENCH_SIZES, BENCH_SECOND_SANDBOX_SIZES (the sizes run again with a second sandbox
# worker; default all of BENCH_SIZES, "" for none), BENCH_CONCURRENCY (32 prompts at once), BENCH_HOME
# (.quarry/cluster-bench/STAMP), CLUSTER_PORT/CLUSTER_PG_PORT/CLUSTER_S3_PORT (7733/7732/7780),
# BENCH_DEV_PORT (7720), BENCH_LLM_PORT (7721), BENCH_RUN_TIMEOUT (7200 s a run).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
export QUARRY_HOME_SHARED="${QUARRY_HOME:-$repo/.quarry}"
export PATH="$QUARRY_HOME_SHARED/bin:$PATH"
sizes="${BENCH_SIZES:-1000 10000}"
second_sandbox_sizes="${BENCH_SECOND_SANDBOX_SIZES-$sizes}"
k=4 m=2 t=2
concurrency="${BENCH_CONCURRENCY:-32}"
dev_port="${BENCH_DEV_PORT:-7720}"
llm_port="${BENCH_LLM_PORT:-7721}"
run_timeout="${BENCH_RUN_TIMEOUT:-7200}"
export CLUSTER_PORT="${CLUSTER_PORT:-7733}" CLUSTER_PG_PORT="${CLUSTER_PG_PORT:-7732}" CLUSTER_S3_PORT="${CLUSTER_S3_PORT:-7780}"
stamp="$(date +%Y%m%d-%H%M%S)"
home="${BENCH_HOME:-$repo/.quarry/cluster-bench/$stamp}"
mkdir -p "$home"
home="$(cd "$home" && pwd)"
cluster="$home/cluster"
pids="$home/pids" logs="$home/logs" out="$home/results"
mkdir -p "$pids" "$logs" "$out" "$cluster"

log() { echo "[cluster-bench $(date +%H:%M:%S)] $*"; }
die() { echo "cluster-bench: FAILED: $*" >&2; exit 1; }
source scripts/cluster/lib.sh
cluster_env

[[ -f workers/target/quarry-workers.jar ]] || die "not built: run 'make build' first"
for n in $sizes; do
  [[ "$n" =~ ^[0-9]+$ ]] && (( n >= k )) || die "BENCH_SIZES: '$n' is not a number of candidates >= $k"
done
scripts/ensure-temporal.sh >/dev/null
scripts/ensure-temporal-server.sh
scripts/ensure-seaweedfs.sh

cleanup() {
  local code=$?
  local f
  for f in "$pids"/*.pid; do [[ -f "$f" ]] && stop "$(basename "$f" .pid)"; done
  stop_postgres
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export QUARRY_SANDBOX_MODE=scripted QUARRY_LLM_SLOTS="${QUARRY_LLM_SLOTS:-16}" QUARRY_SANDBOX_SLOTS="${QUARRY_SANDBOX_SLOTS:-8}"
export QUARRY_METRICS_PORT=0
queues=(workflows llm sandbox train)
log "home $home; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) (shared with other work: figures are noisy)"
log "sizes: $sizes candidates (QueST, K=$k M=$m T=$t, $concurrency prompts at once)"

config_for() {  # candidates -> config file
  local n="$1" file="$home/bench-$1.yaml" role
  {
    echo "method: quest"
    echo "seed: 7"
    echo "rounds: 1"
    echo "promptsPerRound: $((n / k))"
    echo "maxConcurrentPrompts: $concurrency"
    echo "outputDir: $home/client/datasets"
    printf 'candidatesPerPrompt: %s\nrolloutsPerCandidate: %s\ntestInputsPerCandidate: %s\n' "$k" "$m" "$t"
    echo "roles:"
    for role in generator testWriter solver; do
      echo "  $role: { endpoint: \"http://127.0.0.1:$llm_port/v1\", model: fake }"
    done
  } >"$file"
  echo "$file"
}

describe() {  # address namespace id -> status start close (epoch seconds)
  temporal workflow describe --address "$1" --namespace "$2" -w "$3" -o json 2>/dev/null | python3 -c '
import json, sys
from datetime import datetime
info = json.load(sys.stdin)["workflowExecutionInfo"]
def ts(v):
    if not v: return ""
    v = v.replace("Z", "")
    head, _, frac = v.partition(".")
    return "%.3f" % (datetime.fromisoformat(head + "+00:00").timestamp() + float("0." + (frac or "0")))
print(info["status"].replace("WORKFLOW_EXECUTION_STATUS_", ""), ts(info.get("startTime")), ts(info.get("closeTime")))
' 2>/dev/null || echo UNKNOWN
}

groups_now() {  # the process groups of the stack in use, as cpu.py arguments
  if [[ "$stack" == dev ]]; then
    echo "temporal=$(pid_of temporal)"
  else
    echo "temporal=$(for s in "${TEMPORAL_SERVICES[@]}"; do printf '%s,' "$(pid_of "temporal-$s")"; done)"
    echo "postgres=$(postgres_pid)"
    echo "s3=$(pid_of s3)"
  fi
  echo "workers=$(for f in "$pids"/worker-*.pid; do printf '%s,' "$(cat "$f")"; done)"
  echo "llm=$(pid_of llm)"
}

bench_run() {  # label address namespace n [env...]: one run; writes results/LABEL-N.json
  local label="$1" address="$2" namespace="$3" n="$4"; shift 4
  local id="bench-$label-$n-$stamp" state start close t0
  log "== $label: $n candidates ($((n / k)) prompts)"
  # The llm workers' response caches hold the answers of the runs before (the same seed): empty
  # them, so that every run makes every call.
  rm -rf "$home/dev/cache/llm" "$cluster/hosts/llm/cache/llm"
  # shellcheck disable=SC2046
  python3 scripts/cluster/cpu.py $(groups_now) >"$out/$label-$n.cpu-before"
  start_run "$address" "$namespace" "$id" env "$@" "$repo/quarry" run start --config "$(config_for "$n")" --id "$id" \
    || die "could not start $id; see $logs/runs.log"
  t0=$SECONDS
  while true; do
    read -r state start close < <(describe "$address" "$namespace" "$id") || true
    case "$state" in
      COMPLETED) break ;;
      FAILED | TERMINATED | CANCELED | TIMED_OUT) die "run $id ended $state" ;;
    esac
    (( SECONDS - t0 < run_timeout )) || die "run $id did not complete within $run_timeout s"
    local f
    for f in "$pids"/*.pid; do alive "$(basename "$f" .pid)" || die "$(basename "$f" .pid) died during $id (see $logs)"; done
    sleep 3
  done
  # shellcheck disable=SC2046
  python3 scripts/cluster/cpu.py $(groups_now) >"$out/$label-$n.cpu-after"
  python3 - "$label" "$n" "$start" "$close" "$out/$label-$n" >"$out/$label-$n.json" <<'PY'
import json, sys
label, n, start, close, base = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
def read(path):
    return {g: float(s) for g, s in (line.split() for line in open(path))}
before, after = read(base + ".cpu-before"), read(base + ".cpu-after")
seconds = close - start
print(json.dumps({"label": label, "candidates": n, "seconds": round(seconds, 1),
                  "candidatesPerSecond": round(n / seconds, 2),
                  "cpu": {g: round(after[g] - before.get(g, 0), 1) for g in after}}))
PY
  log "$label, $n candidates: $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["seconds"], "s,", r["candidatesPerSecond"], "candidates/s; CPU s", r["cpu"])' "$out/$label-$n.json")"
}

start_bg llm "$repo/quarry" llm fake --port "$llm_port"
wait_for llm 60 curl -fsS "http://127.0.0.1:$llm_port/health"

# --- the dev server ----------------------------------------------------------------------------
stack=dev
dev_address="127.0.0.1:$dev_port"
QUARRY_TEMPORAL_ADDRESS="$dev_address" start_temporal_dev "$home/dev-temporal.db" "$dev_port" $((dev_port + 2))
mkdir -p "$home/dev"
for q in "${queues[@]}"; do launch_worker "dev-$q" "$home/dev" "$q" QUARRY_TEMPORAL_ADDRESS="$dev_address"; done
for n in $sizes; do
  bench_run dev "$dev_address" default "$n" QUARRY_HOME="$home/dev" QUARRY_TEMPORAL_ADDRESS="$dev_address"
done
for q in "${queues[@]}"; do stop "worker-dev-$q"; done
stop temporal

# --- the cluster -------------------------------------------------------------------------------
stack=cluster
start_postgres
setup_schema
start_temporal_cluster
start_s3
for q in "${queues[@]}"; do start_worker "$q" "$q"; done
# shellcheck disable=SC2046
client_env=(QUARRY_HOME="$home/client" $(worker_env))
for n in $sizes; do
  bench_run cluster "$CLUSTER_ADDRESS" "$CLUSTER_NAMESPACE" "$n" "${client_env[@]}"
done
if [[ -n "$second_sandbox_sizes" ]]; then start_worker sandbox2 sandbox; fi
for n in $second_sandbox_sizes; do
  bench_run cluster-2sandbox "$CLUSTER_ADDRESS" "$CLUSTER_NAMESPACE" "$n" "${client_env[@]}"
done

# --- the table ---------------------------------------------------------------------------------
python3 - "$out" "$sizes" "$(nproc)" <<'PY' | tee "$home/bench.md"
import json, sys
out, sizes, cores = sys.argv[1], [int(s) for s in sys.argv[2].split()], sys.argv[3]
labels = [("dev", "dev server (SQLite)"), ("cluster", "cluster (PostgreSQL, 4 services, S3)"),
          ("cluster-2sandbox", "cluster, 2 sandbox workers")]
import os
rows = {(l, n): json.load(open(f"{out}/{l}-{n}.json")) for l, _ in labels for n in sizes
        if os.path.exists(f"{out}/{l}-{n}.json")}
NOT_RUN = {"seconds": "–", "candidatesPerSecond": "–", "cpu": {}, "candidates": 0}
print(f"| QueST, K=4 M=2 T=2, {cores} cores | " + " | ".join(f"{name}: {n:,} candidates" for n in sizes for _, name in labels) + " |")
print("| --- |" + " --- |" * (len(sizes) * len(labels)))
def row(title, f):
    print(f"| {title} | " + " | ".join(f(rows.get((l, n), NOT_RUN)) for n in sizes for l, _ in labels) + " |")
row("wall time (run start to close)", lambda r: f"{r['seconds']} s")
row("candidates/s", lambda r: f"**{r['candidatesPerSecond']}**")
for group, title in [("temporal", "CPU s: Temporal"), ("postgres", "CPU s: PostgreSQL"), ("s3", "CPU s: S3 (SeaweedFS)"),
                     ("workers", "CPU s: Quarry's workers"), ("llm", "CPU s: fake LLM")]:
    row(title, lambda r, g=group: f"{r['cpu'][g]}" if g in r["cpu"] else "–")
row("CPU per candidate (all)", lambda r: f"{1000 * sum(r['cpu'].values()) / r['candidates']:.0f} ms" if r["candidates"] else "–")
for n in sizes:
    d, c, c2 = rows[("dev", n)], rows[("cluster", n)], rows.get(("cluster-2sandbox", n))
    second = (f"{c2['candidatesPerSecond'] / c['candidatesPerSecond']:.2f}× the cluster's rate" if c2 else "not run")
    print(f"\n{n:,} candidates: cluster/dev {c['candidatesPerSecond'] / d['candidatesPerSecond']:.2f}×; "
          f"a second sandbox worker: {second}")
PY
