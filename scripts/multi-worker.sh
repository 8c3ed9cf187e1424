#!/usr/bin/env bash
# Several workers (make multi-worker): three worker processes serve the same task queues of one
# stack; in one of two runs of the same config (after an unmeasured warm-up run), worker-1 is
# killed with SIGKILL mid-round. The activities it held show up afterwards as activities that
# needed a second attempt (counted from the histories; at least one is required). The other two must finish the round, with the same results as the
# undisturbed run, and the run may take at most
#     undisturbed time + heartbeat timeout + lost work (+ an allowance for noise)
# longer. Lost work: the activities the killed worker held are redone from scratch (each is one
# scripted LLM call of MULTI_LLM_DELAY_MS) after the 1 s first retry interval.
#
# The stack is its own (fresh QUARRY_HOME under .quarry/multi-worker/STAMP): a Temporal dev
# server on SQLite on its own ports, `quarry llm fake --delay-ms` (each answer takes
# MULTI_LLM_DELAY_MS, like a model, so that activities are held when the kill lands) and the
# scripted sandbox (QUARRY_SANDBOX_MODE=scripted: no Docker). No model, no Docker: CI-cheap.
# The LLM cache is emptied before each run, so both runs make every call.
#
# Environment: MULTI_PROMPTS (24), MULTI_K (2), MULTI_CONCURRENCY (6), MULTI_LLM_DELAY_MS (1500),
#   MULTI_KILL_AT (0.4: the fraction of the reference time after which the worker is killed),
#   MULTI_HEARTBEAT_SECONDS (30: must match ActivityStubs), MULTI_NOISE (0.15: allowance as a
#   fraction of the reference time, for a shared machine), MULTI_TEMPORAL_PORT (7493),
#   MULTI_UI_PORT (8493), MULTI_LLM_PORT (8494), MULTI_HOME.
# The last line: `multi-worker: OK ...` or `multi-worker: FAILED ...`.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

prompts="${MULTI_PROMPTS:-24}"
k="${MULTI_K:-2}"
concurrency="${MULTI_CONCURRENCY:-6}"
delay_ms="${MULTI_LLM_DELAY_MS:-1500}"
kill_at="${MULTI_KILL_AT:-0.4}"
heartbeat="${MULTI_HEARTBEAT_SECONDS:-30}"
noise="${MULTI_NOISE:-0.15}"
temporal_port="${MULTI_TEMPORAL_PORT:-7493}"
ui_port="${MULTI_UI_PORT:-8493}"
llm_port="${MULTI_LLM_PORT:-8494}"
stamp="$(date +%Y%m%d-%H%M%S)"
home="${MULTI_HOME:-$root/.quarry/multi-worker/$stamp}"
workers=(worker-1 worker-2 worker-3)

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

log() { echo "[multi-worker $(date +%H:%M:%S)] $*"; }
die() { echo "multi-worker: FAILED: $*" >&2; exit 1; }

[[ -f workers/target/quarry-workers.jar ]] || die "not built: run 'make build' first"
command -v temporal >/dev/null || die "no Temporal CLI: run scripts/ensure-temporal.sh"

source scripts/lib/processes.sh
llm_ready() { curl -fsS "http://127.0.0.1:$llm_port/health"; }
ready_count() { grep -c "Quarry worker polling" "$logs/$1.log" 2>/dev/null || true; }
worker_ready() { (( $(ready_count "$1") > 0 )); }

cleanup() {
  local code=$?
  for w in "${workers[@]}"; do stop "$w"; done
  stop llm
  stop temporal
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "home $home; Temporal $QUARRY_TEMPORAL_ADDRESS, fake LLM :$llm_port answering after $delay_ms ms; 3 workers on every queue"
log "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) (shared with other work: times are noisy)"
start_temporal_dev "$home/temporal.db" "$temporal_port" "$ui_port"
start_bg llm ./quarry llm fake --port "$llm_port" --delay-ms "$delay_ms"
wait_for llm 60 llm_ready
for w in "${workers[@]}"; do start_bg "$w" ./quarry worker; done
for w in "${workers[@]}"; do wait_for "$w" 120 worker_ready "$w"; done
log "stack up: $(for w in "${workers[@]}"; do printf '%s=%s ' "$w" "$(pid_of "$w")"; done)"

config="$home/multi-worker.yaml"
cat >"$config" <<EOF
seed: 5
rounds: 1
promptsPerRound: $prompts
candidatesPerPrompt: $k
rolloutsPerCandidate: 2
testInputsPerCandidate: 2
maxConcurrentPrompts: $concurrency
outputDir: $home/datasets
roles:
  generator: { endpoint: "http://127.0.0.1:$llm_port/v1", model: fake }
  testWriter: { endpoint: "http://127.0.0.1:$llm_port/v1", model: fake }
  solver: { endpoint: "http://127.0.0.1:$llm_port/v1", model: fake }
EOF

describe() {  # workflow id -> STATUS start close (epoch seconds)
  temporal workflow describe --address "$QUARRY_TEMPORAL_ADDRESS" -w "$1" -o json 2>/dev/null | python3 -c '
import json, sys
from datetime import datetime
info = json.load(sys.stdin)["workflowExecutionInfo"]
def ts(v):
    if not v: return "0"
    v = v.replace("Z", "")
    if "." in v:
        head, frac = v.split(".")
        v = head + "." + frac[:6]
    return "%.3f" % datetime.fromisoformat(v + "+00:00").timestamp()
print(info["status"].replace("WORKFLOW_EXECUTION_STATUS_", ""), ts(info.get("startTime")), ts(info.get("closeTime")))
' 2>/dev/null || echo "UNKNOWN 0 0"
}

wait_done() {  # run id -> prints "start close"
  local state start close t0=$SECONDS
  while true; do
    read -r state start close < <(describe "$1") || true
    case "$state" in
      COMPLETED) echo "$start $close"; return 0 ;;
      FAILED | TERMINATED | CANCELED | TIMED_OUT) die "run $1 ended $state" ;;
    esac
    (( SECONDS - t0 < 1800 )) || die "run $1 did not complete within 30 min"
    sleep 1
  done
}

# After a run: the activities that needed more than one attempt (ActivityTaskStarted records the
# attempt that completed) and the workflow tasks that timed out, over the run's prompt workflows.
# With one worker killed, these are the work it held when it died.
retried() {  # run id -> "activities workflow_tasks"
  temporal workflow list --address "$QUARRY_TEMPORAL_ADDRESS" --query "QuarryRunId='$1'" --limit 10000 -o json 2>/dev/null \
    | python3 -c 'import json,sys; [print(w["execution"]["workflowId"]) for w in (json.load(sys.stdin) or [])]' \
    | while read -r id; do
        temporal workflow show --address "$QUARRY_TEMPORAL_ADDRESS" -w "$id" -o json 2>/dev/null \
          | python3 -c '
import json, sys
events = json.load(sys.stdin).get("events", [])
acts = sum(1 for e in events if e.get("eventType", "").endswith("ACTIVITY_TASK_STARTED")
           and int(e.get("activityTaskStartedEventAttributes", {}).get("attempt", 1)) > 1)
tasks = sum(1 for e in events if e.get("eventType", "").endswith("WORKFLOW_TASK_TIMED_OUT"))
print(acts, tasks)'
      done | awk '{a += $1; t += $2} END {print a + 0, t + 0}'
}

fresh() { rm -rf "$home/cache/llm"; }

run() {  # run id
  ./quarry run start --config "$config" --id "$1" >>"$logs/runs.log" 2>&1 || die "could not start $1 (see $logs/runs.log)"
}

export_run() {
  ./quarry run export "$1" --out "$out/$1" >>"$logs/runs.log" 2>&1 || die "could not export $1"
}

# A short unmeasured run first, so both measured runs find warm JVMs.
warmup="mw-warmup-$stamp"
fresh
log "== warm-up run $warmup (not measured)"
sed -e "s/^promptsPerRound: .*/promptsPerRound: ${MULTI_WARMUP_PROMPTS:-6}/" "$config" >"$home/warmup.yaml"
./quarry run start --config "$home/warmup.yaml" --id "$warmup" >>"$logs/runs.log" 2>&1 || die "could not start $warmup"
wait_done "$warmup" >/dev/null

reference="mw-ref-$stamp"
fresh
log "== undisturbed run $reference ($prompts prompts × K=$k)"
run "$reference"
read -r r_start r_close < <(wait_done "$reference")
ref_seconds="$(python3 -c "print(round($r_close - $r_start, 1))")"
log "undisturbed: $ref_seconds s"
export_run "$reference"

disturbed="mw-kill-$stamp"
victim="worker-1"
fresh
log "== run $disturbed: SIGKILL of $victim after $(python3 -c "print(round($ref_seconds * $kill_at, 1))") s"
run "$disturbed"
sleep "$(python3 -c "print($ref_seconds * $kill_at)")"
read -r state d_start _ < <(describe "$disturbed")
[[ "$state" == RUNNING ]] || die "the run was $state before the kill: raise MULTI_PROMPTS or lower MULTI_KILL_AT"
killed_at="$(python3 -c "import time; print(round(time.time() - $d_start, 1))")"
log "kill -9 $victim (pid $(pid_of "$victim")), $killed_at s into the run"
kill -9 "$(pid_of "$victim")"
rm -f "$pids/$victim.pid"
read -r d_start d_close < <(wait_done "$disturbed")
disturbed_seconds="$(python3 -c "print(round($d_close - $d_start, 1))")"
log "disturbed: $disturbed_seconds s"
export_run "$disturbed"
read -r victim_count task_timeouts < <(retried "$disturbed")
read -r ref_retried _ < <(retried "$reference")
log "work the killed worker held: $victim_count activities retried, $task_timeouts workflow tasks timed out (undisturbed run: $ref_retried retried)"

verdict="$(python3 scripts/chaos/compare.py "$out/$reference" "$reference" "$out/$disturbed" "$disturbed")" || true
echo "$verdict" | tail -n 5
identical="$(python3 -c 'import json,sys; print(int(json.loads(sys.argv[1].splitlines()[-1])["identical"]))' "$verdict")"

python3 - "$ref_seconds" "$disturbed_seconds" "$heartbeat" "$delay_ms" "$noise" "$identical" "$victim_count" <<'PY'
import sys
ref, dist, hb, delay_ms, noise, identical, held = (float(a) for a in sys.argv[1:])
lost = delay_ms / 1000 + 1.0  # the held calls are redone (in parallel) after the 1 s first retry
allowance = noise * ref
bound = ref + hb + lost + allowance
print(f"undisturbed {ref:.1f} s, with a worker killed {dist:.1f} s: +{dist - ref:.1f} s")
print(f"bound: {ref:.1f} + heartbeat timeout {hb:.0f} + lost work {lost:.1f} + noise allowance {allowance:.1f} ({noise:.0%}) = {bound:.1f} s")
ok = dist <= bound and identical == 1 and held >= 1
if held < 1:
    print("the killed worker held no activity: the kill proved nothing (raise MULTI_LLM_DELAY_MS)")
print(f"results identical to the undisturbed run: {'yes' if identical == 1 else 'NO'}")
print(("multi-worker: OK" if ok else "multi-worker: FAILED")
      + f" (the killed worker held {held:.0f} activities, redone by the others; {dist:.1f} s <= {bound:.1f} s: {'yes' if dist <= bound else 'NO'})")
sys.exit(0 if ok else 1)
PY
