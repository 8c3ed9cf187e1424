#!/usr/bin/env bash
# The entrypoint of quarry-postgres: on first start, a database cluster in $PGDATA whose
# superuser is $POSTGRES_USER (temporal: Temporal's SQL tool creates its own databases) with the
# password $POSTGRES_PASSWORD, reachable from the compose network with that password only; then
# PostgreSQL in the foreground (SIGTERM from tini = a fast, clean shutdown).
set -euo pipefail
user="${POSTGRES_USER:-temporal}"
if [[ ! -f "$PGDATA/PG_VERSION" ]]; then
  [[ -n "${POSTGRES_PASSWORD:-}" ]] || { echo "POSTGRES_PASSWORD is not set" >&2; exit 1; }
  pwfile="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  # Other containers connect over the network, always with the password.
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  cat >>"$PGDATA/postgresql.conf" <<CONF
# quarry-postgres (deploy/images/postgres/entrypoint.sh)
listen_addresses = '*'
max_connections = 200
shared_buffers = 128MB
CONF
  echo "initialised $PGDATA (superuser $user)"
fi
exec postgres -D "$PGDATA"
