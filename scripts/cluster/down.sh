#!/usr/bin/env bash
# Stops what scripts/cluster/up.sh started (by its pid files) and its PostgreSQL. Data stays in
# CLUSTER_HOME; up.sh starts the same cluster again.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$PWD"
export QUARRY_HOME_SHARED="${QUARRY_HOME:-$repo/.quarry}"
cluster="${CLUSTER_HOME:-$QUARRY_HOME_SHARED/cluster}"
[[ -d "$cluster" ]] || exit 0
cluster="$(cd "$cluster" && pwd)"
pids="$cluster/pids" logs="$cluster/logs"
die() { echo "cluster: $*" >&2; exit 1; }
source scripts/cluster/lib.sh
for f in "$pids"/*.pid; do [[ -f "$f" ]] && stop "$(basename "$f" .pid)"; done
stop_postgres
echo "cluster stopped (data kept in $cluster)"
