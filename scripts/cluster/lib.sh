# Quarry on a Temporal cluster, started by the project's own scripts (sourced by
# scripts/cluster/up.sh and scripts/cluster-check.sh): PostgreSQL, the schema, the four Temporal
# services as separate processes from temporal-config/cluster/quarry.yaml, SeaweedFS as the S3
# store, and Quarry's workers, one process per task queue, each with its own private home.
#
# The sourcing script sets $pids, $logs (scripts/lib/processes.sh is sourced here), $cluster
# (this cluster's state: database, S3 data, the workers' homes) and defines die() and log().
# Ports come from CLUSTER_PORT (the frontend's gRPC port; the other services use the next
# ones), CLUSTER_PG_PORT and CLUSTER_S3_PORT.

source "$(dirname "${BASH_SOURCE[0]}")/../lib/processes.sh"

CLUSTER_PORT="${CLUSTER_PORT:-7633}"
CLUSTER_PG_PORT="${CLUSTER_PG_PORT:-7632}"
CLUSTER_S3_PORT="${CLUSTER_S3_PORT:-7680}"
CLUSTER_NAMESPACE="${CLUSTER_NAMESPACE:-quarry}"
CLUSTER_BUCKET="${CLUSTER_BUCKET:-quarry}"
TEMPORAL_SERVICES=(history matching frontend worker)

cluster_env() {  # the environment of temporal-config/cluster/quarry.yaml, for this cluster's ports
  export POSTGRES_SEEDS=127.0.0.1 DB_PORT="$CLUSTER_PG_PORT" POSTGRES_USER=temporal
  export POSTGRES_PWD="${POSTGRES_PWD:-temporal}" SQL_PASSWORD="${POSTGRES_PWD:-temporal}"
  export FRONTEND_GRPC_PORT="$CLUSTER_PORT" HISTORY_GRPC_PORT=$((CLUSTER_PORT + 1))
  export MATCHING_GRPC_PORT=$((CLUSTER_PORT + 2)) WORKER_GRPC_PORT=$((CLUSTER_PORT + 3))
  export FRONTEND_HTTP_PORT=$((CLUSTER_PORT + 10))
  export BIND_ON_IP=127.0.0.1 BROADCAST_ADDRESS=127.0.0.1
  export DYNAMIC_CONFIG_FILE_PATH="$repo/temporal-config/dynamic-config.yaml"
  export CLUSTER_ADDRESS="127.0.0.1:$CLUSTER_PORT"
  # The S3 store's credentials: SeaweedFS is configured with this identity (s3-identities.json);
  # the workers pass them to the SDK through its standard environment variables.
  export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-quarry-cluster}"
  export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-quarry-cluster-secret}"
}

# --- PostgreSQL --------------------------------------------------------------------------------
postgres_pid() { head -n 1 "$cluster/pg/postmaster.pid" 2>/dev/null || true; }
start_postgres() {
  "$repo/scripts/ensure-postgres.sh" "$cluster/pg" "$CLUSTER_PG_PORT" >>"$logs/postgres.log" 2>&1 \
    || die "PostgreSQL did not start; see $logs/postgres.log"
}
kill9_postgres() {  # the postmaster; its backends see it gone and exit
  local pid; pid="$(postgres_pid)"
  [[ -n "$pid" ]] && kill -9 "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
}
stop_postgres() {
  [[ -f "$cluster/pg/PG_VERSION" ]] || return 0
  local bin; bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$cluster/pg" -m fast -w stop >/dev/null 2>&1 || true
  else
    "$bin/pg_ctl" -D "$cluster/pg" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

# --- schema: Temporal's SQL tool and the module's schema files ----------------------------------
setup_schema() {
  local tool="$QUARRY_HOME_SHARED/bin/temporal-sql-tool" schema="$QUARRY_HOME_SHARED/temporal-server/schema/postgresql/v12"
  local sql=("$tool" --plugin postgres12 --ep 127.0.0.1 -p "$CLUSTER_PG_PORT" -u temporal)
  local db dir
  for db in temporal temporal_visibility; do
    dir=temporal; [[ "$db" == temporal_visibility ]] && dir=visibility
    if "${sql[@]}" --db "$db" create-database >>"$logs/schema.log" 2>&1; then
      "${sql[@]}" --db "$db" setup-schema -v 0.0 >>"$logs/schema.log" 2>&1 || die "setup-schema $db failed; see $logs/schema.log"
    fi
    # Idempotent: applies the versioned steps the database does not have yet.
    "${sql[@]}" --db "$db" update-schema -d "$schema/$dir/versioned" >>"$logs/schema.log" 2>&1 \
      || die "update-schema $db failed; see $logs/schema.log"
  done
}

# --- the four Temporal services -----------------------------------------------------------------
service_port() {  # the membership port (gRPC + 1000): every service opens it once it has
  # started, the worker service has no gRPC listener of its own
  case "$1" in
    frontend) echo $((FRONTEND_GRPC_PORT + 1000)) ;; history) echo $((HISTORY_GRPC_PORT + 1000)) ;;
    matching) echo $((MATCHING_GRPC_PORT + 1000)) ;; worker) echo $((WORKER_GRPC_PORT + 1000)) ;;
  esac
}
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
start_service() {  # name: start it; a service that exits while joining (a race on cluster
  # metadata, a peer not up yet) is started again, up to 5 times
  local name="$1" attempt
  for attempt in 1 2 3 4 5; do
    start_bg "temporal-$name" "$QUARRY_HOME_SHARED/bin/temporal-server" --root "$repo" \
      --config temporal-config/cluster --env quarry --allow-no-auth start --service "$name"
    for _ in $(seq 1 120); do
      listening "$(service_port "$name")" && return 0
      alive "temporal-$name" || break
      sleep 0.5
    done
    log "temporal $name did not come up (attempt $attempt); starting it again: $(grep -v '"level":"info"' "$logs/temporal-$name.log" | tail -n 1 | cut -c1-200)"
    stop "temporal-$name"
    sleep 2
  done
  die "temporal $name did not start; see $logs/temporal-$name.log"
}
cluster_ready() { temporal operator cluster health --address "$CLUSTER_ADDRESS" | grep -q SERVING; }
namespace_ready() {
  temporal workflow list --address "$CLUSTER_ADDRESS" --namespace "$CLUSTER_NAMESPACE" --limit 1 >/dev/null
}
start_temporal_cluster() {
  local s
  for s in "${TEMPORAL_SERVICES[@]}"; do start_service "$s"; done
  wait_for temporal-frontend 120 cluster_ready
  "$repo/temporal-config/setup-namespace.sh" "$CLUSTER_NAMESPACE" "$CLUSTER_ADDRESS" >>"$logs/setup.log" 2>&1 \
    || die "could not create namespace $CLUSTER_NAMESPACE; see $logs/setup.log"
  wait_for temporal-frontend 120 namespace_ready
  "$repo/temporal-config/register-search-attributes.sh" "$CLUSTER_NAMESPACE" "$CLUSTER_ADDRESS" >>"$logs/setup.log" 2>&1 \
    || die "could not register search attributes; see $logs/setup.log"
}

# --- SeaweedFS in S3 mode ----------------------------------------------------------------------
s3_ready() { curl -s -o /dev/null "http://127.0.0.1:$CLUSTER_S3_PORT/"; }
start_s3() {
  mkdir -p "$cluster/s3"
  cat >"$cluster/s3-identities.json" <<JSON
{"identities": [{"name": "quarry", "credentials": [{"accessKey": "$AWS_ACCESS_KEY_ID", "secretKey": "$AWS_SECRET_ACCESS_KEY"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
JSON
  chmod 0600 "$cluster/s3-identities.json"
  local p=$((CLUSTER_S3_PORT + 1))
  start_bg s3 "$QUARRY_HOME_SHARED/bin/weed" server -ip=127.0.0.1 -ip.bind=127.0.0.1 -dir="$cluster/s3" \
    -master.port="$p" -master.port.grpc=$((p + 1)) -volume.port=$((p + 2)) -volume.port.grpc=$((p + 3)) \
    -filer -filer.port=$((p + 4)) -filer.port.grpc=$((p + 5)) \
    -volume.max=64 -master.volumeSizeLimitMB=64 -master.volumePreallocate=false \
    -s3 -s3.port="$CLUSTER_S3_PORT" -s3.port.grpc=$((p + 6)) -s3.config="$cluster/s3-identities.json"
  wait_for s3 120 s3_ready
}

# --- Quarry's workers: one process per task queue, each its own "host" with a private home -----
worker_env() {  # the environment of a worker process on a host of the cluster
  echo QUARRY_TEMPORAL_ADDRESS="$CLUSTER_ADDRESS" QUARRY_TEMPORAL_NAMESPACE="$CLUSTER_NAMESPACE" \
    QUARRY_STORE=s3 QUARRY_S3_ENDPOINT="http://127.0.0.1:$CLUSTER_S3_PORT" QUARRY_S3_BUCKET="$CLUSTER_BUCKET" \
    QUARRY_METRICS_PORT=0
}
worker_ready() { grep -q "Quarry worker polling" "$logs/worker-$1.log"; }
launch_worker() {  # name home queue env-assignment...: a worker process, started again (up to 3
  # times) when it exits before polling: on a loaded machine its first call to the server can
  # miss the client's deadline
  local name="$1" home="$2" queue="$3" attempt; shift 3
  mkdir -p "$home"
  # A restarted worker's readiness is read from a fresh log; the old one is kept beside it.
  [[ -f "$logs/worker-$name.log" ]] && cat "$logs/worker-$name.log" >>"$logs/worker-$name.before-restart.log"
  for attempt in 1 2 3; do
    : >"$logs/worker-$name.log"
    start_bg "worker-$name" env QUARRY_HOME="$home" "$@" "$repo/quarry" worker --queues "$queue"
    for _ in $(seq 1 360); do
      worker_ready "$name" && return 0
      alive "worker-$name" || break
      sleep 0.5
    done
    log "worker $name did not come up (attempt $attempt): $(tail -n 1 "$logs/worker-$name.log" | cut -c1-200)"
    cat "$logs/worker-$name.log" >>"$logs/worker-$name.before-restart.log"
    stop "worker-$name"
    sleep 3
  done
  die "worker $name did not start; see $logs/worker-$name.before-restart.log"
}
start_worker() {  # name queue: a worker process of the cluster with a home of its own (no shared disk)
  # shellcheck disable=SC2046
  launch_worker "$1" "$cluster/hosts/$1" "$2" $(worker_env)
}

# --- the Python trainer worker (trainer/, queue quarry-train-python) on a host of its own -------
# Run from the shared venv (scripts/ensure-trainer.sh; 5.9 GB, installed once per machine), with a
# private QUARRY_HOME like every other host; it reads the same connection settings as the Java
# workers (trainer/quarry_trainer/connection.py).
trainer_polling() {  # the cluster's frontend lists the trainer as a poller of its queue
  temporal task-queue describe --address "$CLUSTER_ADDRESS" --namespace "$CLUSTER_NAMESPACE" \
    --task-queue quarry-train-python --task-queue-type activity -o json 2>/dev/null | grep -q '"identity"'
}
start_trainer_worker() {
  local home="$cluster/hosts/train-python"
  QUARRY_HOME="$QUARRY_HOME_SHARED" "$repo/scripts/ensure-trainer.sh" >>"$logs/setup.log" 2>&1 || die "the trainer venv is missing and could not be installed; see $logs/setup.log"
  mkdir -p "$home"
  # shellcheck disable=SC2046
  start_bg worker-train-python env QUARRY_HOME="$home" $(worker_env) PYTHONPATH="$repo/trainer" \
    "$QUARRY_HOME_SHARED/trainer-venv/bin/python" -m quarry_trainer
  wait_for worker-train-python 300 grep -q "quarry trainer worker polling" "$logs/worker-train-python.log"
  wait_for worker-train-python 60 trainer_polling
}

# --- starting a run on a loaded machine --------------------------------------------------------
workflow_exists() {  # address namespace id
  temporal workflow describe --address "$1" --namespace "$2" -w "$3" -o json >/dev/null 2>&1
}
start_run() {  # address namespace id command...: `quarry run start`, again while the server does
  # not answer in time (its client gives up after a deadline on a loaded machine); a start that
  # reached the server is not repeated
  local address="$1" namespace="$2" id="$3" attempt; shift 3
  for attempt in 1 2 3 4 5; do
    "$@" >>"$logs/runs.log" 2>&1 && return 0
    workflow_exists "$address" "$namespace" "$id" && return 0
    log "could not start $id (attempt $attempt; see $logs/runs.log); trying again"
    sleep 5
  done
  return 1
}
retrying() {  # command...: an idempotent client command (an export, say), again while a loaded
  # server misses the client's deadline
  local attempt
  for attempt in 1 2 3 4 5; do
    "$@" && return 0
    echo "attempt $attempt failed; trying again in 5 s" >&2
    sleep 5
  done
  return 1
}
