#!/usr/bin/env bash
# Builds the images of Quarry's compose stack that no registry is used for, OFFLINE:
#   quarry-server-base:bookworm  a minimal Debian bookworm (debootstrap, minbase) with Debian's
#                                postgresql package, tini and ca-certificates, `docker import`ed;
#                                the stripped rootfs is cached under ${QUARRY_HOME}/cache/server/,
#                                keyed by the hash of its recipe (debootstrapped once per recipe)
#   quarry-postgres:15           that base + deploy/images/postgres/ (initdb on first start)
#   quarry-temporal:VERSION      that base + the Temporal Server and SQL tool built from Go
#                                (scripts/ensure-temporal-server.sh), its schema files, the static
#                                `temporal` CLI (scripts/ensure-temporal.sh) and temporal-config/
#                                (the cluster config the cluster check runs); deploy/images/temporal/
# Idempotent: every image carries the sha256 of its inputs as a label and is left alone when it
# matches. Only the very first base build needs root and Debian's package mirror (the one apt
# uses, scripts/lib/debian-mirror.sh).
# Environment: QUARRY_HOME, TEMPORAL_SERVER_VERSION (as ensure-temporal-server.sh), DEBIAN_MIRROR,
# FORCE=1 rebuilds all three.
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "${SCRIPT_DIR}/../.." && pwd)"
QUARRY_HOME="${QUARRY_HOME:-${REPO}/.quarry}"
export QUARRY_HOME
VERSION="${TEMPORAL_SERVER_VERSION:-v1.29.1}"
BASE_IMAGE="quarry-server-base:bookworm"
PG_IMAGE="quarry-postgres:15"
TEMPORAL_IMAGE="quarry-temporal:${VERSION#v}"
CACHE_DIR="${QUARRY_HOME}/cache/server"
LABEL_KEY="dev.quarry.image.fingerprint"

die() { echo "error: $*" >&2; exit 1; }
label_of() { docker image inspect --format "{{ index .Config.Labels \"${LABEL_KEY}\" }}" "$1" 2>/dev/null || true; }
up_to_date() { [[ "$(label_of "$1")" == "$2" && "${FORCE:-0}" != 1 ]]; }
docker info >/dev/null 2>&1 || die "Docker engine not reachable; run scripts/ensure-docker.sh"

"${REPO}/scripts/ensure-temporal-server.sh"
"${REPO}/scripts/ensure-temporal.sh" >/dev/null
# The CLI on PATH may be a shim: the image needs the static binary itself.
temporal_cli="$(readlink -f "${QUARRY_HOME}/bin/temporal")"
file -b "${temporal_cli}" 2>/dev/null | grep -q 'statically linked' \
  || [[ "$(head -c 4 "${temporal_cli}" | od -An -c | tr -d ' ')" == '177ELF' ]] \
  || die "${temporal_cli} is not the temporal binary"

# The rootfs recipe; its own text is part of the cache key.
make_rootfs() {
  local dir="$1" mirror="$2"
  # postgresql (15 in bookworm) for quarry-postgres; its client tools (pg_isready) also serve the
  # schema job of quarry-temporal. tini: PID 1 forwarding SIGTERM. iproute2 is not needed:
  # `hostname -i` gives a container's address.
  debootstrap --variant=minbase --components=main --include=postgresql-15,tini,ca-certificates \
    bookworm "${dir}" "${mirror}" >&2
  find "${dir}/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete
  find "${dir}/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "${dir}"/usr/share/{man,info,locale,lintian,bash-completion,zsh} \
    "${dir}"/var/cache/apt/* "${dir}"/var/lib/apt/lists/* "${dir}"/var/cache/debconf/*-old \
    "${dir}"/var/log/* "${dir}"/tmp/* "${dir}"/var/tmp/*
  # The package's own cluster (main) is not used: quarry-postgres initialises its volume.
  rm -rf "${dir}"/var/lib/postgresql/15 "${dir}"/etc/postgresql/15
  mkdir -p "${dir}/tmp" && chmod 1777 "${dir}/tmp"
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/quarry-server-build.XXXXXX")"
cleanup() {
  for mount in proc sys dev/pts; do umount -l "${WORK}/rootfs/${mount}" 2>/dev/null || true; done
  rm -rf --one-file-system "${WORK}"
}
trap cleanup EXIT

# ---- the base ---------------------------------------------------------------------------------
RECIPE_HASH="$(declare -f make_rootfs | sha256sum | cut -c1-16)"
ROOTFS_TAR="${CACHE_DIR}/rootfs-bookworm-server-${RECIPE_HASH}.tar"
mkdir -p "${CACHE_DIR}"
if up_to_date "${BASE_IMAGE}" "${RECIPE_HASH}"; then
  echo "image ${BASE_IMAGE} is up to date (${RECIPE_HASH:0:12})" >&2
else
  if [[ ! -s "${ROOTFS_TAR}" ]]; then
    [[ "$(id -u)" == 0 ]] || die "debootstrap needs root (first build only); re-run with sudo"
    command -v debootstrap >/dev/null || apt-get install -y -q debootstrap >&2 \
      || { apt-get update -q >&2 && apt-get install -y -q debootstrap >&2; } || die "could not install debootstrap"
    mirror="${DEBIAN_MIRROR:-$("${REPO}/scripts/lib/debian-mirror.sh")}"
    echo "debootstrapping bookworm (minbase + postgresql-15) from ${mirror}; this runs once" >&2
    make_rootfs "${WORK}/rootfs" "${mirror}"
    tar --numeric-owner -C "${WORK}/rootfs" -cf "${ROOTFS_TAR}.partial" .
    mv "${ROOTFS_TAR}.partial" "${ROOTFS_TAR}"
    rm -rf --one-file-system "${WORK}/rootfs"
    find "${CACHE_DIR}" -name 'rootfs-bookworm-server-*.tar' ! -path "${ROOTFS_TAR}" -delete
  fi
  docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' -c 'ENV LANG=C.UTF-8' \
    -c "LABEL ${LABEL_KEY}=${RECIPE_HASH}" \
    -m "quarry server base (bookworm minbase, postgresql-15), recipe ${RECIPE_HASH:0:12}" \
    "${ROOTFS_TAR}" "${BASE_IMAGE}" >/dev/null
  echo "imported ${BASE_IMAGE}" >&2
fi

# ---- an image FROM the base, on a staged context -------------------------------------------------
build() {  # image context: build unless its label matches the hash of base + context
  local image="$1" ctx="$2" fingerprint previous
  fingerprint="$( (echo "${RECIPE_HASH}"; cd "${ctx}" && find . -type f -print0 | LC_ALL=C sort -z \
    | xargs -0 sha256sum) | sha256sum | cut -c1-64)"
  if up_to_date "${image}" "${fingerprint}"; then
    echo "image ${image} is up to date (${fingerprint:0:12})"
    return 0
  fi
  previous="$(docker image inspect --format '{{.Id}}' "${image}" 2>/dev/null || true)"
  # The classic builder takes FROM from the local image store and never asks a registry.
  DOCKER_BUILDKIT=0 docker build --quiet --build-arg "BASE_IMAGE=${BASE_IMAGE}" \
    --label "${LABEL_KEY}=${fingerprint}" -t "${image}" "${ctx}" >/dev/null \
    2> >(grep -v -i -e 'deprecated' -e 'legacy builder' -e 'buildx' -e 'BuildKit' -e 'environment-variable' -e '^ *$' >&2)
  if [[ -n "${previous}" && "${previous}" != "$(docker image inspect --format '{{.Id}}' "${image}")" ]]; then
    docker rmi "${previous}" >/dev/null 2>&1 || true
  fi
  docker image inspect --format '{{.Size}}' "${image}" | awk -v img="${image}" '{ printf "built %s (%.1f MB)\n", img, $1 / 1e6 }'
}

cp -r "${SCRIPT_DIR}/postgres" "${WORK}/postgres"
build "${PG_IMAGE}" "${WORK}/postgres"

ctx="${WORK}/temporal"
cp -r "${SCRIPT_DIR}/temporal" "${ctx}"
mkdir -p "${ctx}/bin"
install -m 0755 "${QUARRY_HOME}/bin/temporal-server" "${QUARRY_HOME}/bin/temporal-sql-tool" "${ctx}/bin/"
install -m 0755 "${temporal_cli}" "${ctx}/bin/temporal"
# The Go build keeps DWARF debug info (~40% of the binaries); the image does not need it. The
# symbol table stays, so a panic's stack trace still names functions.
if command -v strip >/dev/null; then strip --strip-debug "${ctx}"/bin/temporal-server "${ctx}"/bin/temporal-sql-tool; fi
cp -r "${QUARRY_HOME}/temporal-server/schema" "${ctx}/schema"
cp -r "${REPO}/temporal-config" "${ctx}/temporal-config"
build "${TEMPORAL_IMAGE}" "${ctx}"
