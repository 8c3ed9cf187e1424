#!/usr/bin/env bash
# Makes the Temporal Server and its SQL schema tool available (idempotent), built from the server's
# Go module at a pinned version with the machine's Go toolchain:
#   ${QUARRY_HOME}/bin/temporal-server      the four services (frontend, history, matching, worker)
#   ${QUARRY_HOME}/bin/temporal-sql-tool    schema set-up for PostgreSQL
#   ${QUARRY_HOME}/temporal-server/schema   the module's schema files the tool applies
# Used by the cluster check and by tests that need a server the dev server cannot be (TLS).
set -euo pipefail
QUARRY_HOME="${QUARRY_HOME:-$(cd "$(dirname "$0")/.." && pwd)/.quarry}"
VERSION="${TEMPORAL_SERVER_VERSION:-v1.29.1}"
bin="$QUARRY_HOME/bin"
home="$QUARRY_HOME/temporal-server"
stamp="$home/.built-$VERSION"
mkdir -p "$bin" "$home"
if [[ -f "$stamp" && -x "$bin/temporal-server" && -x "$bin/temporal-sql-tool" && -d "$home/schema" ]]; then
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "Go is needed to build the Temporal Server: apt-get install golang-go" >&2; exit 1; }
# Where the machine's Go is older than the module asks for, Go fetches the toolchain it names from
# the module proxy; pinned so every machine builds with the same one.
export GOTOOLCHAIN="${GOTOOLCHAIN:-go1.27.3}"
echo "building Temporal Server $VERSION from its Go module (a few minutes, once)..." >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
GOBIN="$work" go install "go.temporal.io/server/cmd/server@$VERSION" >&2
GOBIN="$work" go install "go.temporal.io/server/cmd/tools/sql@$VERSION" >&2
install -m 0755 "$work/server" "$bin/temporal-server"
install -m 0755 "$work/sql" "$bin/temporal-sql-tool"
# The schema and sample configs ship inside the module; copy them out of the module cache.
src="$(go env GOMODCACHE)/go.temporal.io/server@$VERSION"
rm -rf "$home/schema" "$home/config"
cp -r "$src/schema" "$home/schema"
cp -r "$src/config" "$home/config"
chmod -R u+w "$home/schema" "$home/config"
touch "$stamp"
"$bin/temporal-server" --version >&2 || true
