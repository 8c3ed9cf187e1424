#!/usr/bin/env bash
# Crash survival, shown on the real stack: a run whose worker is killed with SIGKILL mid-round
# and restarted must finish with exactly the dataset keys of an undisturbed run with the same
# seed. Prints `crash-survival: identical keys (...)` and exits 0, or explains the difference.
#
# Usage: scripts/crash-survival.sh [CONFIG]   (default examples/crash.yaml)
set -euo pipefail
cd "$(dirname "$0")/.."
config="${1:-examples/crash.yaml}"
export QUARRY_HOME="${QUARRY_HOME:-$PWD/.quarry}"
stamp="$(date +%Y%m%d-%H%M%S)"
crashed="crash-killed-$stamp"
reference="crash-reference-$stamp"

./quarry dev up

keys() {  # the dataset keys of a run, without the run id prefix, sorted
  local run="$1" file="$2"
  python3 -c '
import json, sys
run, path = sys.argv[1], sys.argv[2]
for line in open(path):
    if line.strip():
        print(json.loads(line)["key"][len(run):])' "$run" "$file" | sort
}

echo "== run $crashed: kill -9 the worker once it is mid-round"
./quarry run start --config "$config" --id "$crashed"
for _ in $(seq 1 600); do
  # Kill once at least one prompt finished and at least one is still open: mid-round for sure.
  if ./quarry run status "$crashed" --json 2>/dev/null | python3 -c '
import json, sys
s = json.load(sys.stdin)
r = s.get("round") if isinstance(s, dict) else None
sys.exit(0 if r and 0 < r["promptsDone"] < r["promptsTotal"] else 1)' 2>/dev/null; then
    break
  fi
  sleep 1
done
pid="$(cat "$QUARRY_HOME/pids/worker.pid")"
echo "killing worker pid $pid with SIGKILL"
kill -9 "$pid"
sleep 2
echo "restarting the worker"
./quarry dev up
./quarry run start --config "$config" --id "$reference" >/dev/null 2>&1 || true  # queued behind it
wait_done() {
  for _ in $(seq 1 1800); do
    if ./quarry run status "$1" 2>/dev/null | grep -q "completed:"; then return 0; fi
    sleep 2
  done
  echo "run $1 did not complete" >&2; return 1
}
wait_done "$crashed"
echo "== run $reference: undisturbed, same seed"
wait_done "$reference"

out="$QUARRY_HOME/crash-survival/$stamp"
mkdir -p "$out"
./quarry run export "$crashed" --out "$out/crashed" >/dev/null
./quarry run export "$reference" --out "$out/reference" >/dev/null
for kind in dataset candidates; do
  keys "$crashed" "$out/crashed/$kind.jsonl" >"$out/crashed.$kind.keys"
  keys "$reference" "$out/reference/$kind.jsonl" >"$out/reference.$kind.keys"
  if ! diff -u "$out/reference.$kind.keys" "$out/crashed.$kind.keys"; then
    echo "crash-survival: FAILED, $kind keys differ (see $out)" >&2
    exit 1
  fi
done
rows=$(wc -l <"$out/crashed.dataset.keys")
candidates=$(wc -l <"$out/crashed.candidates.keys")
echo "crash-survival: identical keys ($rows dataset rows, $candidates candidates; worker killed once)"
