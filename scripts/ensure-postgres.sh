#!/usr/bin/env bash
# PostgreSQL for Quarry's Temporal cluster, from Debian's packages (idempotent):
#   scripts/ensure-postgres.sh [DATA_DIR] [PORT]
# installs the postgresql package if its binaries are missing, creates a database cluster in
# DATA_DIR (default: $QUARRY_HOME/postgres) owned by the `postgres` system user when run as root
# (PostgreSQL refuses to run as root), with a login role temporal/$POSTGRES_PWD (default
# `temporal`; the check's database listens on loopback only), and starts it on 127.0.0.1:PORT
# (default 5432) unless it already runs there. Returns once it accepts connections.
# The Temporal schema is set up by scripts/cluster/setup-schema.sh.
set -euo pipefail
QUARRY_HOME="${QUARRY_HOME:-$(cd "$(dirname "$0")/.." && pwd)/.quarry}"
data="${1:-$QUARRY_HOME/postgres}"
port="${2:-5432}"
password="${POSTGRES_PWD:-temporal}"

pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$dir" && -x "$dir/initdb" ]] && echo "$dir"
}
bin="$(pg_bin || true)"
if [[ -z "$bin" ]]; then
  echo "installing PostgreSQL from Debian's packages..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q postgresql >&2 || { apt-get update -q >&2 && apt-get install -y -q postgresql >&2; }
  # The package starts a cluster of its own on :5432; Quarry runs its own, so stop that one.
  command -v pg_ctlcluster >/dev/null && pg_ctlcluster --help >/dev/null 2>&1 && service postgresql stop >/dev/null 2>&1 || true
  bin="$(pg_bin)" || { echo "PostgreSQL installed but no initdb under /usr/lib/postgresql" >&2; exit 1; }
fi

as_owner() {  # run a PostgreSQL binary as the data directory's owner
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

mkdir -p "$data"
data="$(cd "$data" && pwd)"
if [[ "$(id -u)" == 0 ]]; then
  chown postgres:postgres "$data"
  chmod 0700 "$data"
  # The postgres user must reach the directory: let it traverse (not read) the parents.
  p="$(dirname "$data")"
  while [[ "$p" != / ]]; do chmod o+x "$p" 2>/dev/null || true; p="$(dirname "$p")"; done
fi

if [[ ! -f "$data/PG_VERSION" ]]; then
  pwfile="$(mktemp)"
  printf '%s\n' "$password" >"$pwfile"
  chmod 0644 "$pwfile"
  # The superuser is named temporal so that Temporal's SQL tool can create its databases.
  as_owner "$bin/initdb" -D "$data" -U temporal --pwfile="$pwfile" --auth-local=trust \
    --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  cat >>"$data/postgresql.conf" <<CONF
# Quarry's Temporal cluster (scripts/ensure-postgres.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$data'
max_connections = 200
shared_buffers = 128MB
fsync = on
CONF
fi

ready() { "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; }
if ready; then exit 0; fi
# After a kill -9 the old server's children may hold the shared memory for a moment: retry.
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  if as_owner "$bin/pg_ctl" -D "$data" -o "-p $port" -l "$data/server.log" -w -t 60 start >/dev/null 2>&1; then
    break
  fi
  sleep 1
done
for _ in $(seq 1 60); do ready && exit 0; sleep 0.5; done
echo "PostgreSQL did not start on 127.0.0.1:$port; last lines of $data/server.log:" >&2
tail -n 20 "$data/server.log" >&2
exit 1
