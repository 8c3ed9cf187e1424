#!/usr/bin/env bash
# Steers a Quarry run with the plain Temporal CLI, for CI jobs (deploy/ci/generation-round.yml)
# and shells without the quarry CLI. The CLI reads its connection from the environment:
# TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and, for Temporal Cloud or mTLS, TEMPORAL_API_KEY or
# TEMPORAL_TLS_CERT / TEMPORAL_TLS_KEY (keep those in CI secrets, never in the repository).
#
#   steer-run.sh start  RUN_ID INPUT_FILE   start GenerationRun (input as examples/temporal-input.json)
#   steer-run.sh signal RUN_ID NAME         pause | resume | stopAfterRound
#   steer-run.sh status RUN_ID              the run's progress (a workflow query), as JSON
#   steer-run.sh wait   RUN_ID [MIN_ROWS]   block until the run ends; exit 1 unless it COMPLETED,
#                                           and (MIN_ROWS > 0) wrote at least MIN_ROWS dataset rows
#
# `wait` follows the run across continue-as-new (GenerationRun continues-as-new after every
# round) and prints the summary: rounds, rows, invalid candidates and why, tokens. A failed,
# terminated, cancelled or timed-out run, or one the server cannot find, fails the job.
set -euo pipefail
temporal="${TEMPORAL_CLI:-temporal}"
usage() { sed -n '8,12p' "${BASH_SOURCE[0]}" | sed 's/^# *//' >&2; exit 2; }
die() { echo "error: $*" >&2; exit 1; }
command -v "$temporal" >/dev/null || die "Temporal CLI '$temporal' not found (scripts/ensure-temporal.sh installs it)"
[[ $# -ge 2 ]] || usage
action="$1"; run_id="$2"

case "$action" in
  start)
    input="${3:-}"; [[ -f "$input" ]] || die "input file '${input}' not found (see examples/temporal-input.json)"
    # Refuses an id that is running or has completed: a CI retry never starts a second copy of a
    # run. An id whose run failed or was terminated may be started again (LLM responses are
    # cached, so the re-run pays only for what the failed run had not done).
    "$temporal" workflow start --type GenerationRun --task-queue quarry-workflows \
      --workflow-id "$run_id" --input-file "$input" \
      --id-conflict-policy Fail --id-reuse-policy AllowDuplicateFailedOnly --fail-existing
    ;;
  signal)
    name="${3:-}"
    [[ "$name" =~ ^(pause|resume|stopAfterRound)$ ]] || die "signal must be pause, resume or stopAfterRound, not '$name'"
    "$temporal" workflow signal --workflow-id "$run_id" --name "$name"
    echo "sent $name to $run_id"
    ;;
  status)
    "$temporal" workflow query --workflow-id "$run_id" --type progress -o json
    ;;
  wait)
    min_rows="${3:-0}"
    [[ "$min_rows" =~ ^[0-9]+$ ]] || die "MIN_ROWS must be a number, not '$min_rows'"
    out="$(mktemp)"; trap 'rm -f "$out"' EXIT
    # `workflow result` blocks until the LAST run of the chain closes and exits non-zero unless
    # it completed; its JSON says how it ended either way.
    rc=0
    "$temporal" workflow result --workflow-id "$run_id" -o json >"$out" || rc=$?
    python3 - "$out" "$run_id" "$min_rows" "$rc" <<'PY'
import json, sys
path, run_id, min_rows, rc = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
try:
    outcome = json.load(open(path))
except ValueError:
    sys.exit(f"run {run_id}: no result from the server (exit code {rc}); see the error above")
status = outcome.get("status")
close = outcome.get("closeEvent", {})
if status != "COMPLETED":
    attributes = next((v for k, v in close.items() if k.endswith("EventAttributes")), {})
    failure = attributes.get("failure", {})
    reason = failure.get("message", "")
    cause = failure.get("cause", {}).get("message", "")
    sys.exit(f"run {run_id} ended {status}: {reason}" + (f" — {cause}" if cause else ""))
summary = close["workflowExecutionCompletedEventAttributes"]["result"][0]
print(f"run {run_id} completed: {summary['roundsCompleted']} round(s), {summary['rows']} dataset row(s), "
      f"{summary['invalidCandidates']} of {summary['candidates']} candidates invalid"
      + (f", stopped early: {summary['stopReason']}" if summary.get("stoppedEarly") else ""))
for r in summary["rounds"]:
    reasons = ", ".join(f"{n} x {why}" for why, n in (r.get("invalidReasons") or {}).items())
    print(f"  round {r['round']} ({r['generatorVersion']}): {r['shard']['rows']} rows -> {r['shard']['datasetFile']}"
          + (f"; invalid: {reasons}" if reasons else ""))
for role, use in (summary.get("usage") or {}).items():
    print(f"  tokens {role}: {use['promptTokens']} prompt + {use['completionTokens']} completion in {use['requests']} requests")
if summary["rows"] < min_rows:
    sys.exit(f"run {run_id} wrote {summary['rows']} dataset row(s), fewer than the {min_rows} required")
PY
    ;;
  *) usage ;;
esac
