#!/usr/bin/env bash
# The pipeline benchmark (make bench-pipeline, issue 16): how busy Quarry keeps an LLM endpoint.
# The endpoint is `quarry llm fake --delay-ms L --slots C`: every completion takes L ms and at
# most C are served at once, so it can answer at most C / L requests per second; its GET /stats
# says how many it served and when the first one arrived. Every requests/s below is requests
# served / the time from the first request's arrival to the end of the work: the run's close for
# Quarry (its last sandbox batches come after the last LLM answer), the last answer for distilabel
# (it does nothing after it). Start-up of either side is left out.
#
#   1. Sandbox capacity: a QueST round with Docker execution on and an instant endpoint, so the
#      sandbox stage is saturated; its capacity in candidates/s is sandbox slots / the mean
#      sandbox batch time (the worker's quarry_sandbox_batch_seconds from /metrics).
#   2. Docker on, C = 16 and 64: QueST's requests/s as a fraction of the bound, the smaller of
#      C / L and sandbox capacity × LLM requests per candidate (measured: served / candidates).
#   3. Execution scripted away (QUARRY_SANDBOX_MODE=scripted), C = 16 and 64: QueST's requests/s
#      and the same generate -> test inputs -> solve work in distilabel 1.5.3
#      (bench/distilabel_quest.py, its own venv: bench/ensure-distilabel.sh), side by side; and
#      the whole stack's CPU per LLM request (Temporal server + worker, user+system from /proc),
#      and from the run's histories (bench/history_costs.py) the history events, workflow tasks,
#      activity tasks and payload bytes per candidate that this CPU pays for.
# Last line: `pipeline: bound_c16=.. bound_c64=.. vs_distilabel=..` (vs_distilabel: the smaller
# of the two Quarry/distilabel ratios).
#
# Its own stack in a fresh QUARRY_HOME (.quarry/bench-pipeline/STAMP): a Temporal dev server on
# SQLite (own ports), one worker process on every queue (restarted per run: slots and sandbox
# mode are worker settings), a fresh fake endpoint per run. K=4, M=2, T=2.
# Environment: PIPE_L_MS (500), PIPE_SLOTS ("16 64"), PIPE_DOCKER_PROMPTS (12),
#   PIPE_PROMPTS_PER_SLOT (2: prompts of a scripted run = this × C), PIPE_SANDBOX_SLOTS (2),
#   PIPE_TEMPORAL_PORT (7591), PIPE_UI_PORT (8591), PIPE_HOME.
# Needs a built tree (make build), the Temporal CLI, Docker and the python sandbox image.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

latency_ms="${PIPE_L_MS:-500}"
slot_counts="${PIPE_SLOTS:-16 64}"
docker_prompts="${PIPE_DOCKER_PROMPTS:-12}"
prompts_per_slot="${PIPE_PROMPTS_PER_SLOT:-2}"
sandbox_slots="${PIPE_SANDBOX_SLOTS:-2}"
k=4 m=2 t=2
temporal_port="${PIPE_TEMPORAL_PORT:-7591}"
ui_port="${PIPE_UI_PORT:-8591}"
stamp="$(date +%Y%m%d-%H%M%S)"
home="${PIPE_HOME:-$root/.quarry/bench-pipeline/$stamp}"
shared_home="${QUARRY_HOME:-$root/.quarry}"   # where the distilabel venv is cached

mkdir -p "$home"
home="$(cd "$home" && pwd)"
export QUARRY_HOME="$home"
export QUARRY_TEMPORAL_ADDRESS="127.0.0.1:$temporal_port"
export QUARRY_TEMPORAL_UI_PORT="$ui_port"
export PATH="$root/.quarry/bin:$shared_home/bin:$PATH"
pids="$home/pids" logs="$home/logs" out="$home/results"
mkdir -p "$pids" "$logs" "$out"

log() { echo "[pipeline $(date +%H:%M:%S)] $*"; }
die() { echo "pipeline: FAILED: $*" >&2; exit 1; }

[[ -f workers/target/quarry-workers.jar ]] || die "not built: run 'make build' first"
command -v temporal >/dev/null || die "no Temporal CLI: run scripts/ensure-temporal.sh"
QUARRY_HOME="$shared_home" bench/ensure-distilabel.sh || die "could not set up distilabel (bench/ensure-distilabel.sh)"
python="$shared_home/distilabel-venv/bin/python"

source scripts/lib/processes.sh
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
worker_ready() { grep -q "Quarry worker polling" "$logs/worker.log"; }
llm_url=""
llm_ready() { llm_url="$(grep -o 'http://[0-9.]*:[0-9]*' "$logs/llm.log" | tail -n 1)"; [[ -n "$llm_url" ]] && curl -fsS "$llm_url/health"; }

cleanup() {
  local code=$?
  stop worker
  stop llm
  stop temporal
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cpu_seconds() {  # name -> user+system CPU seconds of that process so far
  local pid; pid="$(pid_of "$1")"
  [[ -n "$pid" ]] || { echo 0; return; }
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$pid/stat" 2>/dev/null || echo 0
}
stack_cpu() { echo "$(cpu_seconds temporal) $(cpu_seconds worker)"; }

start_llm() {  # slots delay-ms: a fresh endpoint, so its stats cover one run
  stop llm
  : >"$logs/llm.log"
  start_bg llm ./quarry llm fake --port 0 --slots "$1" --delay-ms "$2"
  wait_for llm 90 llm_ready
}

metrics_port=""
start_worker() {  # llm-slots sandbox-mode
  stop worker
  : >"$logs/worker.log"
  metrics_port="$(free_port)"
  QUARRY_LLM_SLOTS="$1" QUARRY_SANDBOX_SLOTS="$sandbox_slots" QUARRY_SANDBOX_MODE="$2" \
    QUARRY_METRICS_PORT="$metrics_port" start_bg worker ./quarry worker
  wait_for worker 180 worker_ready
}

status_of() {  # workflow id -> RUNNING, COMPLETED, FAILED, ... or nothing when unknown
  temporal workflow describe --address "$QUARRY_TEMPORAL_ADDRESS" -w "$1" -o json 2>/dev/null \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["workflowExecutionInfo"]["status"].replace("WORKFLOW_EXECUTION_STATUS_", ""))' 2>/dev/null || true
}

start_run() {  # config id: the CLI gives up after 4 s without the server; on a loaded machine, try again
  for attempt in 1 2 3 4 5; do
    ./quarry run start --config "$1" --id "$2" >>"$logs/runs.log" 2>&1 && return 0
    [[ -n "$(status_of "$2")" ]] && return 0  # it did start; only the answer was lost
    sleep 3
  done
  die "could not start $2 (see $logs/runs.log)"
}

await_run() {  # id: until the run closes; fail unless it completed
  local state t0=$SECONDS
  while true; do
    state="$(status_of "$1")"
    case "$state" in
      COMPLETED) return 0 ;;
      FAILED | TERMINATED | CANCELED | TIMED_OUT) die "run $1 ended $state" ;;
    esac
    (( SECONDS - t0 < 1800 )) || die "run $1 did not complete within 30 min"
    alive worker || die "the worker died (see $logs/worker.log)"
    sleep 2
  done
}

seed=100
quest_run() {  # name prompts concurrency -> results/NAME.json (the endpoint's stats, CPU, seconds)
  local name="$1" prompts="$2" concurrency="$3" config="$home/$1.yaml" before after t0
  seed=$((seed + 1))  # a new seed per run: the LLM response cache must not answer for the endpoint
  {
    echo "method: quest"
    echo "seed: $seed"
    echo "rounds: 1"
    echo "promptsPerRound: $prompts"
    echo "maxConcurrentPrompts: $concurrency"
    echo "candidatesPerPrompt: $k"
    echo "rolloutsPerCandidate: $m"
    echo "testInputsPerCandidate: $t"
    echo "outputDir: $home/datasets"
    echo "roles:"
    for role in generator testWriter solver; do
      echo "  $role: { endpoint: \"$llm_url/v1\", model: scripted, maxConcurrency: $concurrency }"
    done
  } >"$config"
  before="$(stack_cpu)"
  t0="$(date +%s.%N)"
  start_run "$config" "pipeline-$name-$stamp"
  await_run "pipeline-$name-$stamp"
  after="$(stack_cpu)"
  curl -fsS "$llm_url/stats" | python3 -c '
import json, sys
from datetime import datetime
s = json.load(sys.stdin)
# The run ends when its workflow closes (the sandbox may still work after the last LLM answer).
close = json.loads(sys.argv[5])["workflowExecutionInfo"]["closeTime"].replace("Z", "+00:00")
if "." in close:  # fromisoformat wants at most 6 fraction digits
    head, frac = close.split(".", 1)
    close = head + "." + frac[:frac.index("+")][:6] + frac[frac.index("+"):]
s["endMillis"] = int(datetime.fromisoformat(close).timestamp() * 1000)
before, after = [float(x) for x in sys.argv[1].split()], [float(x) for x in sys.argv[2].split()]
s["cpuTemporal"], s["cpuWorker"] = after[0] - before[0], after[1] - before[1]
s["wallSeconds"] = float(sys.argv[3])
s["candidates"] = int(sys.argv[4])
print(json.dumps(s))' "$before" "$after" "$(python3 -c "import sys; print(float(sys.argv[1]) - float(sys.argv[2]))" "$(date +%s.%N)" "$t0")" "$((prompts * k))" \
    "$(temporal workflow describe --address "$QUARRY_TEMPORAL_ADDRESS" -w "pipeline-$name-$stamp" -o json)" >"$out/$name.json"
  ./quarry run histories "pipeline-$name-$stamp" --json >"$out/$name.histories.json" 2>>"$logs/runs.log" || true
  # The worker's calls to the Temporal server (its SDK reports them every 10 s): per candidate.
  sleep 11
  curl -fsS "http://127.0.0.1:$metrics_port/metrics" >"$out/$name.metrics" || true
  summary "$name"
  rpcs "$name" "$((prompts * k))"
}

rpcs() {  # name candidates: the worker's Temporal RPCs per candidate, by operation
  python3 - "$out/$1.metrics" "$2" <<'PY'
import collections, re, sys
counts = collections.Counter()
for line in open(sys.argv[1]):
    m = re.match(r'temporal_(long_)?request_total\{.*operation="([^"]+)".*\} ([0-9.eE+]+)', line)
    if m: counts[m.group(2)] += float(m.group(3))
n = int(sys.argv[2])
if counts:
    print("  worker RPCs to the server per candidate: " + ", ".join(f"{op} {v / n:.2f}" for op, v in counts.most_common()))
PY
}

summary() {  # name: one line of figures from results/NAME.json
  python3 - "$out/$1.json" "$1" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
window = (max(s["lastAnswerMillis"], s.get("endMillis", 0)) - s["firstArrivalMillis"]) / 1000
rate = s["served"] / window if window > 0 else 0
cpu = s.get("cpuTemporal", 0) + s.get("cpuWorker", 0)
line = f"  {sys.argv[2]}: {s['served']} requests in {window:.1f} s = {rate:.2f} requests/s"
if s["slots"]:
    line += f"; endpoint busy {s['busySlotSeconds'] / (s['slots'] * window):.2f} of {s['slots']} slots, peak {s['peakInFlight']} in flight"
if "cpuWorker" in s:
    line += f"; CPU {1000 * cpu / max(1, s['served']):.0f} ms per request (Temporal {s['cpuTemporal']:.1f} s, worker {s['cpuWorker']:.1f} s)"
print(line)
PY
}

log "home $home; Temporal $QUARRY_TEMPORAL_ADDRESS; L=$latency_ms ms, C in ($slot_counts); K=$k M=$m T=$t"
log "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) (shared with other work: figures are noisy)"
start_temporal_dev "$home/temporal.db" "$temporal_port" "$ui_port"

# --- 1. the sandbox stage's capacity ------------------------------------------------------------
log "1. sandbox capacity: Docker on, instant endpoint, $docker_prompts prompts, $sandbox_slots sandbox slots"
start_worker 64 docker
start_llm 0 0
quest_run sandbox-capacity "$docker_prompts" 64
sandbox_cps="$(python3 - "$out/sandbox-capacity.metrics" "$sandbox_slots" <<'PY'
import sys
count = total = 0.0
for line in open(sys.argv[1]):
    if line.startswith("quarry_sandbox_batch_seconds_count"): count += float(line.split()[-1])
    if line.startswith("quarry_sandbox_batch_seconds_sum"): total += float(line.split()[-1])
if count == 0: sys.exit("no sandbox batches were measured")
print(f"{int(sys.argv[2]) * count / total:.3f}")
PY
)" || die "no sandbox batch times in the worker's metrics"
log "   sandbox capacity: $sandbox_cps candidates/s ($sandbox_slots slots / mean batch time)"

# --- 2. Docker on: requests/s against the bound -------------------------------------------------
for c in $slot_counts; do
  log "2. Docker on, C=$c, L=$latency_ms ms: $docker_prompts prompts"
  start_worker "$c" docker
  start_llm "$c" "$latency_ms"
  quest_run "docker-c$c" "$docker_prompts" "$c"
done

# --- 3. execution scripted away: Quarry and distilabel side by side -----------------------------
java -cp "workers/target/quarry-workers.jar:workers/target/lib/*" dev.quarry.workers.cli.llm.BenchPromptsMain "$t" >"$home/templates.json"
for c in $slot_counts; do
  prompts=$((prompts_per_slot * c))
  log "3. scripted sandbox, C=$c, L=$latency_ms ms: $prompts prompts, Quarry then distilabel"
  start_worker "$c" scripted
  start_llm "$c" "$latency_ms"
  quest_run "scripted-c$c" "$prompts" "$c"
  # Where the orchestration's CPU goes: events, workflow and activity tasks, payloads per candidate.
  python3 bench/history_costs.py "$QUARRY_TEMPORAL_ADDRESS" "pipeline-scripted-c$c-$stamp" "$((prompts * k))" \
    --json "$out/scripted-c$c.costs.json" || log "   (could not read the histories of scripted-c$c)"
  stop worker
  start_llm "$c" "$latency_ms"
  QUARRY_BENCH_TEMPLATES="$home/templates.json" "$python" bench/distilabel_quest.py --base-url "$llm_url/v1" \
    --prompts "$prompts" --k "$k" --m "$m" --concurrency "$c" --cache-dir "$home/distilabel-cache" \
    >"$out/distilabel-c$c.out" 2>"$logs/distilabel-c$c.log" || die "distilabel failed (see $logs/distilabel-c$c.log)"
  curl -fsS "$llm_url/stats" >"$out/distilabel-c$c.json"
  summary "distilabel-c$c"
done

# --- figures ------------------------------------------------------------------------------------
python3 - "$out" "$latency_ms" "$sandbox_cps" "$k" "$m" $slot_counts <<'PY'
import json, sys
out, latency, sandbox_cps, k, m = sys.argv[1], int(sys.argv[2]) / 1000, float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
slots = [int(c) for c in sys.argv[6:]]
def load(name):
    s = json.load(open(f"{out}/{name}.json"))
    s["window"] = (max(s["lastAnswerMillis"], s.get("endMillis", 0)) - s["firstArrivalMillis"]) / 1000
    s["rate"] = s["served"] / s["window"]
    return s
problems = []
print()
print(f"sandbox capacity {sandbox_cps:.2f} candidates/s; endpoint latency L = {latency:.3f} s")
print("| C | bound C/L | sandbox bound | Quarry, Docker on | fraction of bound | endpoint busy | Quarry, scripted | distilabel | Quarry/distilabel | CPU per request, scripted: Quarry (Temporal's part) | distilabel (with start-up) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
fractions, ratios = {}, {}
for c in slots:
    d, q, dl = load(f"docker-c{c}"), load(f"scripted-c{c}"), load(f"distilabel-c{c}")
    expected = json.load(open(f"{out}/distilabel-c{c}.out"))["requests"]
    if dl["served"] != expected:  # distilabel logs a failed request and goes on with an empty row
        problems.append(f"distilabel at C={c}: the endpoint served {dl['served']} of {expected} requests")
    per_candidate = d["served"] / d["candidates"]
    bound = min(c / latency, sandbox_cps * per_candidate)
    fractions[c] = d["rate"] / bound
    ratios[c] = q["rate"] / dl["rate"]
    cpu = 1000 * (q["cpuTemporal"] + q["cpuWorker"]) / q["served"]
    dcpu = json.load(open(f"{out}/distilabel-c{c}.out")).get("cpuSeconds")
    dcpu = f"{1000 * dcpu / dl['served']:.0f} ms" if dcpu is not None else "?"
    busy = d["busySlotSeconds"] / (c * d["window"])
    print(f"| {c} | {c / latency:.1f} | {sandbox_cps * per_candidate:.2f} ({per_candidate:.2f} requests/candidate) | {d['rate']:.2f} | {fractions[c]:.2f} | {busy:.2f} | {q['rate']:.2f} | {dl['rate']:.2f} | {ratios[c]:.2f} | {cpu:.0f} ms ({1000 * q['cpuTemporal'] / q['served']:.0f}) | {dcpu} |")
line = "pipeline: " + " ".join(f"bound_c{c}={fractions[c]:.2f}" for c in slots) + f" vs_distilabel={min(ratios.values()):.2f}"
print(f"results in {out}")
for p in problems: print("  " + p)
if problems: sys.exit("pipeline: FAILED: " + "; ".join(problems))
print(line)
PY
