#!/usr/bin/env bash
# make bench-adaptive: adaptive solver rollouts against the papers' fixed budget, on the same
# seeds, with a mixed-difficulty scripted solver (docs/adaptive-rollouts.md).
#
# One private stack in a fresh QUARRY_HOME (.quarry/bench-adaptive/STAMP, so no response cache is
# shared with anything else): a Temporal dev server on SQLite and free ports, `quarry llm fake`
# whose solver role is reached under /mode/mixed-difficulty (each problem solved with its own
# chance, 0, 0.1, ..., 1; rollout r of a request seeded s is seeded s + r, so waves and one request
# draw the same rollouts), and one worker for every queue with the scripted sandbox
# (QUARRY_SANDBOX_MODE=scripted: outputs from a hash of program and input, so QueST's programs
# agree exactly when they are the same program). No Docker, no model.
#
# For each method in ADAPTIVE_METHODS, two one-round runs of the same config and seed: rollouts
# fixed (the whole budget in one request), then adaptive (waves). For each it prints the solver's
# tokens (prompt + completion) per kept dataset row, and how many of the fixed run's kept rows
# the adaptive run also keeps (rows matched by prompt index). The last line pools every method:
#   adaptive: adaptive_tokens_saved=0.41 adaptive_rows_kept=0.97
# saved = 1 − (adaptive tokens per kept row) / (fixed tokens per kept row).
#
# Environment: ADAPTIVE_METHODS ("sparq scalequest quest"), ADAPTIVE_PROMPTS (48 per run),
#   ADAPTIVE_BUDGET (16: SPARQ's K, ScaleQuest's n, QueST's M), ADAPTIVE_FIRST_WAVE (4),
#   ADAPTIVE_WAVE (4), ADAPTIVE_Z (0: stop only when settled exactly), ADAPTIVE_WIDTH (0),
#   ADAPTIVE_HOME, ADAPTIVE_RUN_TIMEOUT (1800 s per run).
# Needs a built tree (make build) and the Temporal CLI (scripts/ensure-temporal.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

methods="${ADAPTIVE_METHODS:-sparq scalequest quest}"
prompts="${ADAPTIVE_PROMPTS:-48}"
budget="${ADAPTIVE_BUDGET:-16}"
first="${ADAPTIVE_FIRST_WAVE:-4}"
wave="${ADAPTIVE_WAVE:-4}"
z="${ADAPTIVE_Z:-0}"
width="${ADAPTIVE_WIDTH:-0}"
run_timeout="${ADAPTIVE_RUN_TIMEOUT:-1800}"
stamp="$(date +%Y%m%d-%H%M%S)"
home="${ADAPTIVE_HOME:-$root/.quarry/bench-adaptive/$stamp}"

# Tools (the Temporal CLI) come from the usual QUARRY_HOME; state goes to the private one.
tools="${QUARRY_HOME:-$root/.quarry}/bin"
mkdir -p "$home"
home="$(cd "$home" && pwd)"
export PATH="$tools:$root/.quarry/bin:$PATH"
export QUARRY_HOME="$home"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
temporal_port="$(free_port)" ui_port="$(free_port)" llm_port="$(free_port)"
export QUARRY_TEMPORAL_ADDRESS="127.0.0.1:$temporal_port"
export QUARRY_TEMPORAL_UI_PORT="$ui_port"
export QUARRY_METRICS_PORT=0
export QUARRY_SANDBOX_MODE=scripted
pids="$home/pids" logs="$home/logs" out="$home/results"
mkdir -p "$pids" "$logs" "$out"

log() { echo "[adaptive $(date +%H:%M:%S)] $*" >&2; }
die() { echo "adaptive: FAILED: $*" >&2; exit 1; }

[[ -f workers/target/quarry-workers.jar ]] || die "not built: run 'make build' first"
command -v temporal >/dev/null || die "no Temporal CLI: run scripts/ensure-temporal.sh"

source scripts/lib/processes.sh
llm_ready() { curl -fsS "http://127.0.0.1:$llm_port/health"; }
worker_ready() { grep -q "Quarry worker polling" "$logs/worker.log"; }
cleanup() {
  local code=$?
  stop worker
  stop llm
  stop temporal
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "home $home; Temporal $QUARRY_TEMPORAL_ADDRESS, fake LLM :$llm_port"
log "methods: $methods; $prompts prompts a run; budget $budget; waves $first then $wave; z=$z width=$width"
start_temporal_dev "$home/temporal.db" "$temporal_port" "$ui_port"
start_bg llm ./quarry llm fake --port "$llm_port"
wait_for llm 60 llm_ready
start_bg worker ./quarry worker
wait_for worker 120 worker_ready

config_for() {  # method mode(fixed|adaptive) -> config file
  local method="$1" mode="$2" file="$home/$1-$2.yaml" role roles
  case "$method" in
    quest) roles="generator testWriter" ;;
    scalequest) roles="generator judge rewardModel rewriter" ;;
    sparq) roles="generator skillTagger" ;;
    *) die "unknown method '$method' in ADAPTIVE_METHODS (quest, scalequest, sparq)" ;;
  esac
  {
    echo "method: $method"
    echo "seed: 7"
    echo "rounds: 1"
    echo "promptsPerRound: $prompts"
    echo "maxConcurrentPrompts: 8"
    echo "outputDir: $home/datasets-$method-$mode"
    echo "rollouts: { adaptive: $([[ $mode == adaptive ]] && echo true || echo false), firstWave: $first, waveSize: $wave, confidenceZ: $z, deltaWidth: $width }"
    case "$method" in
      quest) printf 'candidatesPerPrompt: 4\nrolloutsPerCandidate: %s\ntestInputsPerCandidate: 3\n' "$budget" ;;
      scalequest) printf 'scalequest: { solverSamples: %s }\n' "$budget" ;;
      sparq) printf 'seeds: { file: %s/seeds/math-seeds.jsonl, format: math }\nsparq: { rollouts: %s }\n' "$root" "$budget" ;;
    esac
    echo "roles:"
    for role in $roles; do
      echo "  $role: { endpoint: \"http://127.0.0.1:$llm_port/v1\", model: fake, maxTokens: 512 }"
    done
    echo "  solver: { endpoint: \"http://127.0.0.1:$llm_port/mode/mixed-difficulty/v1\", model: fake, maxTokens: 512 }"
  } >"$file"
  echo "$file"
}

run_one() {  # method mode -> writes $out/METHOD-MODE.status.json and .rows.jsonl
  local method="$1" mode="$2" id="bench-adaptive-$1-$2-$stamp" config
  config="$(config_for "$method" "$mode")"
  log "== $id"
  timeout "$run_timeout" ./quarry run start --config "$config" --id "$id" --wait >>"$logs/runs.log" 2>&1 \
    || die "run $id did not complete (see $logs/runs.log)"
  ./quarry run status "$id" --json >"$out/$method-$mode.status.json" 2>>"$logs/runs.log" \
    || die "no status for $id (see $logs/runs.log)"
  local rows
  rows="$(find "$home/datasets-$method-$mode" -name 'round-0.jsonl' | head -n 1)"
  [[ -n "$rows" ]] || die "run $id wrote no round-0.jsonl under $home/datasets-$method-$mode"
  cp "$rows" "$out/$method-$mode.rows.jsonl"
}

for method in $methods; do
  run_one "$method" fixed
  run_one "$method" adaptive
done

python3 - "$out" $methods <<'PY'
import json, sys
from collections import Counter
out, methods = sys.argv[1], sys.argv[2:]

def solver_tokens(method, mode):
    status = json.load(open(f"{out}/{method}-{mode}.status.json"))
    # A finished run's status is its summary; a running one's has it under "run".
    usage = status.get("usage") or status.get("run", {}).get("usage") or {}
    t = usage.get("solver", {})
    return t.get("promptTokens", 0) + t.get("completionTokens", 0)

def rows(method, mode):
    rows = [json.loads(l) for l in open(f"{out}/{method}-{mode}.rows.jsonl") if l.strip()]
    return rows

totals = {"fixed": [0, 0], "adaptive": [0, 0]}
kept_both = kept_fixed = 0
print(f"{'method':<11} {'mode':<9} {'rows':>5} {'solver tokens':>14} {'tokens/row':>11}  stop reasons")
for method in methods:
    keys = {}
    for mode in ("fixed", "adaptive"):
        r = rows(method, mode)
        tokens = solver_tokens(method, mode)
        keys[mode] = {row["promptIndex"] for row in r}
        totals[mode][0] += tokens
        totals[mode][1] += len(r)
        reasons = Counter(row.get("stopReason") for row in r)
        used = sum(row.get("rolloutsUsed", 0) or 0 for row in r)
        per_row = tokens / len(r) if r else float("nan")
        print(f"{method:<11} {mode:<9} {len(r):>5} {tokens:>14} {per_row:>11.1f}  "
              + ", ".join(f"{k}={v}" for k, v in sorted(reasons.items(), key=str))
              + f"; rollouts used by kept rows {used}")
    both = len(keys["fixed"] & keys["adaptive"])
    kept_both += both
    kept_fixed += len(keys["fixed"])
    f_tok, f_rows = solver_tokens(method, "fixed"), len(keys["fixed"])
    a_tok, a_rows = solver_tokens(method, "adaptive"), len(keys["adaptive"])
    saved = 1 - (a_tok / a_rows) / (f_tok / f_rows) if a_rows and f_rows and f_tok else float("nan")
    print(f"{method:<11} saved={saved:.2f} kept={both}/{len(keys['fixed'])}"
          f" (adaptive adds {len(keys['adaptive'] - keys['fixed'])} rows the fixed run did not keep)")
(f_tok, f_rows), (a_tok, a_rows) = totals["fixed"], totals["adaptive"]
if not (f_rows and a_rows and f_tok):
    print("adaptive: FAILED: no kept rows to compare")
    sys.exit(1)
saved = 1 - (a_tok / a_rows) / (f_tok / f_rows)
kept = kept_both / kept_fixed
print(f"adaptive: adaptive_tokens_saved={saved:.2f} adaptive_rows_kept={kept:.2f}")
PY
