#!/usr/bin/env bash
# The scale benchmark (make scale): how Quarry's orchestration holds up from 1,000 to 10,000
# candidates. It measures Temporal, the workers and the store, not a model or a sandbox:
#   - the LLM is `quarry llm fake` (instant scripted replies: an add-two-integers problem, JSON
#     test inputs, a Python program that is right in 3 rollouts of 4);
#   - the sandbox runs in `QUARRY_SANDBOX_MODE=scripted`: no program runs, each (program, input)
#     gets an output derived from the hash of both (the same program agrees with itself).
# It starts its own stack in a fresh QUARRY_HOME (.quarry/scale/STAMP): a Temporal dev server on
# SQLite (own ports), the fake LLM server, and one worker process per task queue. Then, in ONE
# invocation so the ratio is fair, one run per size in SCALE_SIZES (default "1000 10000"
# candidates; K=4, M=2, T=2, so N/4 prompts in one round), and for each prints:
#   candidates/s (run start to close, as the server records them), the peak RSS (VmHWM) of each
#   worker, VmRSS sampled every SCALE_SAMPLE_SECONDS (at quarters of the run, to show whether it
#   stays flat), the longest and largest history over all workflows of the run and the largest
#   payload in any of them (`quarry run histories`);
# then the ratios, and checks: every history < 10,240 events and < 10 MB, no payload > 256 KB.
# SCALE_METHODS (default "quest") runs each size for each method listed, on the same stack:
# for scalequest and sparq a size is a number of prompts (one question or problem per prompt);
# make scale-methods: SCALE_METHODS="quest scalequest sparq" SCALE_SIZES=2000 SCALE_K=1.
# The last line: `scale: OK` or `scale: FAILED (...)`; the exit status says the same.
#
# Environment: SCALE_SIZES ("1000 10000"), SCALE_K (4), SCALE_M (2), SCALE_T (2),
#   SCALE_CONCURRENCY (maxConcurrentPrompts, 32), SCALE_TEMPORAL_PORT (7491), SCALE_UI_PORT (8491),
#   SCALE_LLM_PORT (8492), SCALE_HOME (.quarry/scale/STAMP), SCALE_RUN_TIMEOUT (7200 s per run),
#   QUARRY_LLM_SLOTS (16), QUARRY_SANDBOX_SLOTS (8), QUARRY_JAVA_OPTS (the launcher's).
# Needs a built tree (make build) and the Temporal CLI (scripts/ensure-temporal.sh). No Docker.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

sizes="${SCALE_SIZES:-1000 10000}"
methods="${SCALE_METHODS:-quest}"
k="${SCALE_K:-4}" m="${SCALE_M:-2}" t="${SCALE_T:-2}"
concurrency="${SCALE_CONCURRENCY:-32}"
temporal_port="${SCALE_TEMPORAL_PORT:-7491}"
ui_port="${SCALE_UI_PORT:-8491}"
llm_port="${SCALE_LLM_PORT:-8492}"
sample_every="${SCALE_SAMPLE_SECONDS:-5}"
run_timeout="${SCALE_RUN_TIMEOUT:-7200}"
stamp="$(date +%Y%m%d-%H%M%S)"
home="${SCALE_HOME:-$root/.quarry/scale/$stamp}"
queues=(workflows llm sandbox train)

mkdir -p "$home"
home="$(cd "$home" && pwd)"
export QUARRY_HOME="$home"
export QUARRY_TEMPORAL_ADDRESS="127.0.0.1:$temporal_port"
export QUARRY_TEMPORAL_UI_PORT="$ui_port"
export QUARRY_METRICS_PORT=0
export QUARRY_SANDBOX_MODE=scripted
export QUARRY_LLM_SLOTS="${QUARRY_LLM_SLOTS:-16}"
export QUARRY_SANDBOX_SLOTS="${QUARRY_SANDBOX_SLOTS:-8}"
export PATH="$root/.quarry/bin:$PATH"
pids="$home/pids" logs="$home/logs" out="$home/results"
mkdir -p "$pids" "$logs" "$out"

log() { echo "[scale $(date +%H:%M:%S)] $*"; }
die() { echo "scale: FAILED: $*" >&2; exit 1; }

[[ -f workers/target/quarry-workers.jar ]] || die "not built: run 'make build' first"
command -v temporal >/dev/null || die "no Temporal CLI: run scripts/ensure-temporal.sh"

# --- processes of this benchmark: own session, pid files, logs ---------------------------------
source scripts/lib/processes.sh
llm_ready() { curl -fsS "http://127.0.0.1:$llm_port/health"; }
worker_ready() { grep -q "Quarry worker polling" "$logs/worker-$1.log"; }

cleanup() {
  local code=$?
  [[ -n "${sampler:-}" ]] && kill "$sampler" 2>/dev/null || true
  for queue in "${queues[@]}"; do stop "worker-$queue"; done
  stop llm
  stop temporal
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the stack ---------------------------------------------------------------------------------
log "home $home; Temporal $QUARRY_TEMPORAL_ADDRESS, fake LLM :$llm_port; sizes: $sizes candidates (K=$k M=$m T=$t, $concurrency prompts at once)"
log "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) (shared with other work: figures are noisy)"
start_temporal_dev "$home/temporal.db" "$temporal_port" "$ui_port"
start_bg llm ./quarry llm fake --port "$llm_port"
wait_for llm 60 llm_ready
for queue in "${queues[@]}"; do
  start_bg "worker-$queue" ./quarry worker --queues "$queue"
done
for queue in "${queues[@]}"; do wait_for "worker-$queue" 120 worker_ready "$queue"; done
log "stack up: workers $(for q in "${queues[@]}"; do printf '%s=%s ' "$q" "$(pid_of "worker-$q")"; done)"

# --- runs --------------------------------------------------------------------------------------
prompts_for() {  # method candidates -> prompts of the round
  if [[ "$1" == quest ]]; then echo $(($2 / k)); else echo "$2"; fi
}

config_for() {  # method candidates -> config file
  local method="$1" n="$2" file="$home/scale-$1-$2.yaml" role roles
  case "$method" in
    quest) roles="generator testWriter solver" ;;
    scalequest) roles="generator judge solver rewardModel rewriter" ;;
    sparq) roles="generator skillTagger solver" ;;
    *) die "unknown method '$method' in SCALE_METHODS (quest, scalequest, sparq)" ;;
  esac
  {
    echo "method: $method"
    echo "seed: 7"
    echo "rounds: 1"
    echo "promptsPerRound: $(prompts_for "$method" "$n")"
    echo "maxConcurrentPrompts: $concurrency"
    echo "outputDir: $home/datasets"
    case "$method" in
      quest) printf 'candidatesPerPrompt: %s\nrolloutsPerCandidate: %s\ntestInputsPerCandidate: %s\n' "$k" "$m" "$t" ;;
      *) printf 'seeds: { file: %s/seeds/math-seeds.jsonl, format: math }\n' "$root" ;;
    esac
    echo "roles:"
    for role in $roles; do
      echo "  $role: { endpoint: \"http://127.0.0.1:$llm_port/v1\", model: fake }"
    done
  } >"$file"
  echo "$file"
}

describe() {  # workflow id -> status start close (epoch seconds, float)
  temporal workflow describe --address "$QUARRY_TEMPORAL_ADDRESS" -w "$1" -o json 2>/dev/null | python3 -c '
import json, sys
from datetime import datetime
info = json.load(sys.stdin)["workflowExecutionInfo"]
def ts(v):
    if not v: return ""
    return "%.3f" % datetime.fromisoformat(v.replace("Z", "+00:00")[:26] + "+00:00" if "." in v else v.replace("Z", "+00:00")).timestamp()
print(info["status"].replace("WORKFLOW_EXECUTION_STATUS_", ""), ts(info.get("startTime")), ts(info.get("closeTime")))
' 2>/dev/null || echo "UNKNOWN"
}

sample_rss() {  # file: "elapsed queue vmrss_kb" every sample_every seconds, until killed
  local file="$1" t0=$SECONDS
  while true; do
    for queue in "${queues[@]}"; do
      local pid; pid="$(pid_of "worker-$queue")"
      [[ -n "$pid" ]] || continue
      echo "$((SECONDS - t0)) $queue $(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)"
    done >>"$file"
    sleep "$sample_every"
  done
}

cpu_seconds() {  # name -> user+system CPU seconds of that process so far
  local pid; pid="$(pid_of "$1")"
  [[ -n "$pid" ]] || { echo 0; return; }
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$pid/stat" 2>/dev/null || echo 0
}
cpu_all() {  # "name seconds" for every process of the stack
  for name in temporal llm "${queues[@]/#/worker-}"; do echo "$name $(cpu_seconds "$name")"; done
}

hwm() {  # queue -> VmHWM in kB
  awk '/^VmHWM/ {print $2}' "/proc/$(pid_of "worker-$1")/status" 2>/dev/null || echo 0
}

runs=()
for method in $methods; do
for n in $sizes; do
  id="scale-$method-$n-$stamp"
  runs+=("$method-$n")
  config="$(config_for "$method" "$n")"
  log "== $id: $method, $n candidates ($(prompts_for "$method" "$n") prompts)"
  # Peak RSS is per process lifetime: report each run's peak as the highest VmRSS sampled during
  # it, and VmHWM (the process's peak so far) after it.
  : >"$out/$id.rss"
  sample_rss "$out/$id.rss" &
  sampler=$!
  cpu_all >"$out/$id.cpu-before"
  ./quarry run start --config "$config" --id "$id" >>"$logs/runs.log" 2>&1 || die "could not start $id (see $logs/runs.log)"
  t0=$SECONDS
  while true; do
    read -r state start close < <(describe "$id") || true
    case "$state" in
      COMPLETED) break ;;
      FAILED | TERMINATED | CANCELED | TIMED_OUT) die "run $id ended $state" ;;
    esac
    (( SECONDS - t0 < run_timeout )) || die "run $id did not complete within $run_timeout s"
    for queue in "${queues[@]}"; do alive "worker-$queue" || die "worker-$queue died (see $logs/worker-$queue.log)"; done
    sleep 5
  done
  cpu_all >"$out/$id.cpu-after"
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  sampler=""
  log "$id completed in $((SECONDS - t0)) s (wall, polled every 5 s)"
  ./quarry run status "$id" >"$out/$id.status" 2>&1 || true
  for queue in "${queues[@]}"; do echo "$queue $(hwm "$queue")"; done >"$out/$id.hwm"
  log "reading every history of $id"
  ./quarry run histories "$id" --json >"$out/$id.histories.json" 2>>"$logs/runs.log" || true
  python3 - "$n" "$start" "$close" "$out/$id" "$method" "$(prompts_for "$method" "$n")" <<'PY' >"$out/$id.summary.json"
import json, sys
n, start, close, base = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
method, prompts = sys.argv[5], int(sys.argv[6])
samples = {}
for line in open(base + ".rss"):
    t, q, kb = line.split()
    samples.setdefault(q, []).append((int(t), int(kb)))
hwm = dict((q, int(kb)) for q, kb in (l.split() for l in open(base + ".hwm")))
hist = json.load(open(base + ".histories.json"))
before = dict((a, float(b)) for a, b in (l.split() for l in open(base + ".cpu-before")))
after = dict((a, float(b)) for a, b in (l.split() for l in open(base + ".cpu-after")))
cpu = {name: round(after[name] - before.get(name, 0), 1) for name in after}
def quarters(points):
    if not points: return []
    out = []
    for f in (0.25, 0.5, 0.75, 1.0):
        i = min(len(points) - 1, max(0, int(round(f * (len(points) - 1)))))
        out.append(round(points[i][1] / 1024))
    return out
seconds = close - start
print(json.dumps({
    "method": method, "prompts": prompts,
    "candidates": n, "seconds": round(seconds, 1), "candidatesPerSecond": round(n / seconds, 2),
    "peakRssMbDuringRun": {q: round(max(kb for _, kb in p) / 1024) for q, p in samples.items()},
    "vmHwmMb": {q: round(kb / 1024) for q, kb in hwm.items()},
    "rssMbAtQuarters": {q: quarters(p) for q, p in samples.items()},
    "cpuSeconds": cpu,
    "histories": hist,
}))
PY
  python3 - "$out/$id.summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); h = s["histories"]
print(f"  {s['method']}: {s['prompts']:,} prompts, {s['candidates']:,} candidates in {s['seconds']} s: {s['candidatesPerSecond']} candidates/s")
for q in s["vmHwmMb"]:
    print(f"  worker {q:9s} peak RSS in run {s['peakRssMbDuringRun'].get(q, 0)} MB, VmHWM {s['vmHwmMb'][q]} MB, RSS at 1/4..4/4 of run {s['rssMbAtQuarters'].get(q)} MB")
cpu = s["cpuSeconds"]
print(f"  CPU seconds during the run (user+system): " + ", ".join(f"{k} {v}" for k, v in cpu.items())
      + f"; {sum(cpu.values()) / s['seconds']:.2f} cores busy on average, {1000 * sum(cpu.values()) / s['candidates']:.0f} ms of CPU per candidate")
print(f"  {h['executions']} workflow executions {h['byType']}")
print(f"  most events {h['maxEvents']:,} ({h['maxEventsWorkflow']}), largest history {h['maxHistoryBytes']:,} B ({h['maxHistoryBytesWorkflow']}), largest payload {h['maxPayloadBytes']:,} B ({h['maxPayloadWorkflow']}, {h['maxPayloadEvent']}); read in {h['scanSeconds']} s")
PY
done
done

# --- comparison and checks ---------------------------------------------------------------------
python3 - "$out" "$stamp" "${runs[@]}" <<'PY'
import json, sys
out, stamp, names = sys.argv[1], sys.argv[2], sys.argv[3:]
runs = [json.load(open(f"{out}/scale-{name}-{stamp}.summary.json")) for name in names]
print()
print("| | " + " | ".join(f"{r['method']}: {r['prompts']:,} prompts, {r['candidates']:,} candidates" for r in runs) + " |")
print("| --- |" + " --- |" * len(runs))
row = lambda name, f: print(f"| {name} | " + " | ".join(f(r) for r in runs) + " |")
row("wall time (run start to close)", lambda r: f"{r['seconds']} s")
row("candidates/s", lambda r: f"{r['candidatesPerSecond']}")
for q in runs[0]["vmHwmMb"]:
    row(f"worker {q}: peak RSS during the run (VmHWM after)", lambda r, q=q: f"{r['peakRssMbDuringRun'].get(q, 0)} MB ({r['vmHwmMb'][q]} MB)")
row("CPU per candidate (stack total: Temporal, fake LLM, workers)", lambda r: f"{1000 * sum(r['cpuSeconds'].values()) / r['candidates']:.0f} ms")
row("workflow executions", lambda r: f"{r['histories']['executions']:,}")
row("most events in one history", lambda r: f"{r['histories']['maxEvents']:,}")
row("largest history", lambda r: f"{r['histories']['maxHistoryBytes'] / 1e6:.2f} MB")
row("largest payload", lambda r: f"{r['histories']['maxPayloadBytes'] / 1e3:.1f} KB")
if len(runs) >= 2 and len({r['method'] for r in runs}) == 1:
    a, b = runs[0], runs[-1]
    print()
    print(f"ratios {b['candidates']:,} vs {a['candidates']:,}: candidates/s {b['candidatesPerSecond'] / a['candidatesPerSecond']:.2f}, "
          + ", ".join(f"peak RSS {q} {b['peakRssMbDuringRun'][q] / max(1, a['peakRssMbDuringRun'][q]):.2f}" for q in a['peakRssMbDuringRun']))
problems = []
for r in runs:
    h = r["histories"]
    if not h["eventsOk"]: problems.append(f"{r['candidates']}: a history has {h['maxEvents']} events (>= 10,240)")
    if not h["bytesOk"]: problems.append(f"{r['candidates']}: a history has {h['maxHistoryBytes']} bytes (>= 10 MB)")
    if not h["payloadOk"]: problems.append(f"{r['candidates']}: a payload has {h['maxPayloadBytes']} bytes (> 256 KB)")
print()
print(f"checks: every history < 10,240 events and < 10 MB, no payload > 256 KB: {'yes' if not problems else 'NO'}")
for p in problems: print("  " + p)
print(f"results in {out}")
print("scale: OK" if not problems else f"scale: FAILED ({len(problems)} limit(s) passed)")
sys.exit(1 if problems else 0)
PY
