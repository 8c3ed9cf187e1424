# Background processes of a script's private stack (chaos, multi-worker, scale): each started in
# its own session, known by a pid file in $pids, its output appended to $logs/NAME.log.
# The sourcing script sets $pids and $logs and defines die(); QUARRY_TEMPORAL_ADDRESS for
# temporal_ready.

start_bg() {  # name command...
  local name="$1"; shift
  setsid "$@" >>"$logs/$name.log" 2>&1 </dev/null &
  echo $! >"$pids/$name.pid"
  disown  # killing it is the script's business, not news for this shell's job table
}

pid_of() { cat "$pids/$1.pid" 2>/dev/null || true; }

alive() { local pid; pid="$(pid_of "$1")"; [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; }

kill9() {  # name: SIGKILL, and wait until it is gone
  local pid; pid="$(pid_of "$1")"
  [[ -n "$pid" ]] || return 0
  kill -9 "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$pids/$1.pid"
}

stop() {  # name: SIGTERM, then SIGKILL after 10 s
  local pid; pid="$(pid_of "$1")"
  [[ -n "$pid" ]] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pids/$1.pid"
}

wait_for() {  # name seconds test-command...: until the test passes; fail if the process dies
  local name="$1" seconds="$2"; shift 2
  for _ in $(seq 1 $((seconds * 2))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    alive "$name" || die "$name exited while starting; last lines of $logs/$name.log:
$(tail -n 20 "$logs/$name.log")"
    sleep 0.5
  done
  die "$name not ready within $seconds s; see $logs/$name.log"
}

temporal_ready() { temporal operator cluster health --address "$QUARRY_TEMPORAL_ADDRESS" | grep -q SERVING; }

start_temporal_dev() {  # db-file port ui-port: a private dev server on SQLite, ready when it returns
  # With Quarry's search attributes, the set temporal-config/register-search-attributes.sh
  # registers on a real cluster, so runs are found by them here too.
  start_bg temporal temporal server start-dev --headless --db-filename "$1" \
    --ip 127.0.0.1 --port "$2" --ui-port "$3" --log-level warn \
    --search-attribute QuarryGeneratorVersion=Keyword --search-attribute QuarryMethod=Keyword \
    --search-attribute QuarryRound=Int --search-attribute QuarryRunId=Keyword \
    --search-attribute QuarryStage=Keyword --search-attribute QuarryFailedPrompts=Int
  wait_for temporal 60 temporal_ready
}
