#!/usr/bin/env bash
# Starts (up) or stops (down) the scripted OpenAI-compatible server `quarry llm fake` on port 8089
# in the background, for the *-scripted examples. Idempotent: `up` does nothing if it answers.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
QUARRY_HOME="${QUARRY_HOME:-$here/.quarry}"
port="${QUARRY_FAKE_LLM_PORT:-8089}"
pidfile="$QUARRY_HOME/run/fake-llm.pid"
mkdir -p "$QUARRY_HOME/run" "$QUARRY_HOME/logs"
answers() { curl -sf "http://127.0.0.1:$port/v1/models" >/dev/null 2>&1; }
case "${1:-up}" in
  up)
    answers && exit 0
    setsid "$here/quarry" llm fake --port "$port" >>"$QUARRY_HOME/logs/fake-llm.log" 2>&1 </dev/null &
    echo $! >"$pidfile"
    for _ in $(seq 1 100); do answers && { echo "scripted LLM server on 127.0.0.1:$port" >&2; exit 0; }; sleep 0.2; done
    echo "the scripted LLM server did not start; see $QUARRY_HOME/logs/fake-llm.log" >&2; exit 1 ;;
  down)
    [[ -f "$pidfile" ]] && kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile" ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
