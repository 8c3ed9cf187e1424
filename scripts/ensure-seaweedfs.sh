#!/usr/bin/env bash
# Makes SeaweedFS's `weed` available (idempotent): an S3-compatible object server (Apache-2.0),
# built from its Go module at a pinned version with the machine's Go toolchain, cached as
# ${QUARRY_HOME}/bin/weed. The cluster check and the S3 store's test start it in S3 mode on
# loopback (scripts/cluster/seaweedfs.sh) as the artifact and dataset store of workers that share
# no filesystem.
set -euo pipefail
QUARRY_HOME="${QUARRY_HOME:-$(cd "$(dirname "$0")/.." && pwd)/.quarry}"
# SeaweedFS tags are not semantic versions, so the module is pinned by its pseudo-version.
VERSION="${SEAWEEDFS_VERSION:-v0.0.0-20261109003541-7506e5f91cd6}"
bin="$QUARRY_HOME/bin"
stamp="$QUARRY_HOME/.weed-built-$VERSION"
mkdir -p "$bin"
if [[ -f "$stamp" && -x "$bin/weed" ]]; then
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "Go is needed to build SeaweedFS: apt-get install golang-go" >&2; exit 1; }
export GOTOOLCHAIN="${GOTOOLCHAIN:-go1.27.3}"
echo "building SeaweedFS $VERSION from its Go module (several minutes, once)..." >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# `go install MODULE@VERSION` refuses modules whose go.mod has replace directives (SeaweedFS's
# has one, for a deleted dependency), so the module is fetched from the proxy and built as the
# main module, where its replace applies.
src="$(go mod download -json "github.com/seaweedfs/seaweedfs@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[[ -d "$src" ]] || { echo "go mod download found no source for seaweedfs@$VERSION" >&2; exit 1; }
cp -r "$src" "$work/src"
chmod -R u+w "$work/src"
(cd "$work/src" && go build -o "$work/weed" ./weed) >&2
install -m 0755 "$work/weed" "$bin/weed"
touch "$stamp"
"$bin/weed" version >&2 || true
