#!/usr/bin/env bash
# Starts a Temporal cluster for Quarry on this machine, the way the cluster check does, and
# leaves it running: PostgreSQL (Debian's package), the schema, the four Temporal services as
# separate processes from temporal-config/cluster/quarry.yaml, the `quarry` namespace with
# Quarry's search attributes, and SeaweedFS as the S3 store. Then prints the environment that
# workers (on any host that reaches these ports) and `./quarry` commands need.
# Workers are started by you, one per queue or several:
#   env $(scripts/cluster/up.sh --print-env) ./quarry worker --queues sandbox
# State: CLUSTER_HOME (.quarry/cluster); stop with scripts/cluster/down.sh.
# Ports: CLUSTER_PORT (7633, the frontend), CLUSTER_PG_PORT (7632), CLUSTER_S3_PORT (7680).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$PWD"
export QUARRY_HOME_SHARED="${QUARRY_HOME:-$repo/.quarry}"
export PATH="$QUARRY_HOME_SHARED/bin:$PATH"
cluster="${CLUSTER_HOME:-$QUARRY_HOME_SHARED/cluster}"
mkdir -p "$cluster"
cluster="$(cd "$cluster" && pwd)"
pids="$cluster/pids" logs="$cluster/logs"
mkdir -p "$pids" "$logs"
log() { echo "[cluster $(date +%H:%M:%S)] $*" >&2; }
die() { echo "cluster: $*" >&2; exit 1; }
source scripts/cluster/lib.sh
cluster_env
if [[ "${1:-}" == --print-env ]]; then
  echo "$(worker_env) AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY"
  exit 0
fi
scripts/ensure-temporal.sh >/dev/null
scripts/ensure-temporal-server.sh
scripts/ensure-seaweedfs.sh
start_postgres
setup_schema
for s in "${TEMPORAL_SERVICES[@]}"; do alive "temporal-$s" || start_service "$s"; done
wait_for temporal-frontend 120 cluster_ready
"$repo/temporal-config/setup-namespace.sh" "$CLUSTER_NAMESPACE" "$CLUSTER_ADDRESS" >&2
"$repo/temporal-config/register-search-attributes.sh" "$CLUSTER_NAMESPACE" "$CLUSTER_ADDRESS" >&2
alive s3 || start_s3
log "cluster up: frontend $CLUSTER_ADDRESS (namespace $CLUSTER_NAMESPACE), PostgreSQL 127.0.0.1:$CLUSTER_PG_PORT, S3 http://127.0.0.1:$CLUSTER_S3_PORT (bucket $CLUSTER_BUCKET); logs in $logs"
log "workers and ./quarry commands: env \$(scripts/cluster/up.sh --print-env) ./quarry ..."
