#!/usr/bin/env bash
# The entrypoint of quarry-temporal (deploy/images/temporal/Dockerfile). One mode per container:
#   service NAME      run one Temporal service (frontend, history, matching or worker) from
#                     temporal-config/cluster/quarry.yaml; bound on all interfaces, announced to
#                     its peers at this container's own address
#   setup-schema      wait for PostgreSQL, create Temporal's two databases if missing and bring
#                     both schemas to the version this server needs (idempotent)
#   setup-namespace   wait for the frontend, create the namespace (30-day retention) and register
#                     Quarry's search attributes, with the repository's own scripts (idempotent)
# Environment: that of quarry.yaml (POSTGRES_SEEDS, DB_PORT, POSTGRES_USER, POSTGRES_PWD, ...),
# and for setup-namespace QUARRY_TEMPORAL_ADDRESS (temporal:7233), QUARRY_TEMPORAL_NAMESPACE (quarry).
set -euo pipefail
cd /opt/temporal
mode="${1:-}"
db_host="${POSTGRES_SEEDS:-postgresql}" db_port="${DB_PORT:-5432}" db_user="${POSTGRES_USER:-temporal}"
export SQL_PASSWORD="${POSTGRES_PWD:-}"

case "$mode" in
  service)
    name="${2:?usage: service frontend|history|matching|worker}"
    export BIND_ON_IP="${BIND_ON_IP:-0.0.0.0}"
    # Peers reach this service at the container's address on the compose network.
    export BROADCAST_ADDRESS="${BROADCAST_ADDRESS:-$(hostname -i | awk '{print $1}')}"
    exec temporal-server --root /opt/temporal --config temporal-config/cluster --env quarry \
      --allow-no-auth start --service "$name"
    ;;
  setup-schema)
    for _ in $(seq 1 120); do
      pg_isready -q -h "$db_host" -p "$db_port" -U "$db_user" && break
      echo "waiting for PostgreSQL at $db_host:$db_port..."; sleep 1
    done
    sql=(temporal-sql-tool --plugin postgres12 --ep "$db_host" -p "$db_port" -u "$db_user")
    for db in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
      name="${db%%:*}" dir="${db##*:}"
      # create-database fails when the database exists: then its schema is there too (or is
      # brought up to date below).
      if "${sql[@]}" --db "$name" create-database; then
        "${sql[@]}" --db "$name" setup-schema -v 0.0
      fi
      "${sql[@]}" --db "$name" update-schema -d "/opt/temporal/schema/postgresql/v12/$dir/versioned"
    done
    echo "schema ready"
    ;;
  setup-namespace)
    address="${QUARRY_TEMPORAL_ADDRESS:-temporal:7233}" namespace="${QUARRY_TEMPORAL_NAMESPACE:-quarry}"
    until temporal operator cluster health --address "$address" 2>/dev/null | grep -q SERVING; do
      echo "waiting for the Temporal frontend at $address..."; sleep 2
    done
    temporal-config/setup-namespace.sh "$namespace" "$address"
    # A new namespace reaches every frontend's cache within seconds: retry until it is there.
    for _ in $(seq 1 60); do
      temporal-config/register-search-attributes.sh "$namespace" "$address" && exit 0
      sleep 2
    done
    exit 1
    ;;
  *)
    exec "$@"
    ;;
esac
