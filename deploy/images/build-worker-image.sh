#!/usr/bin/env bash
# Builds the Quarry worker image, quarry-worker:latest, OFFLINE: no image registry is needed,
# only Debian's package mirror (the one apt uses) for the very first run.
#
#   1. base: debootstrap a minimal Debian bookworm with openjdk-17-jre-headless, strip it and
#      `docker import` it as quarry-worker-base:bookworm-jre17. The stripped rootfs is cached as
#      a tarball under ${QUARRY_HOME:-.quarry}/cache/worker/, keyed by the hash of the recipe, so
#      it is debootstrapped once per recipe, not once per build;
#   2. app: `docker build` deploy/images/worker/Dockerfile FROM that local base, on a small
#      staged context holding only what the image needs: the `quarry` launcher,
#      workers/target/quarry-workers.jar and workers/target/lib/ (the layout the launcher expects),
#      seeds/ and examples/ (run configs name them by relative path).
#
# Idempotent: each image carries a label with the sha256 of its inputs; an image whose label
# matches is left alone. Build the jar first: `mvn -B -o -q -DskipTests package` (the script
# says so when it is missing).
#
# Environment: QUARRY_HOME, QUARRY_WORKER_IMAGE (default quarry-worker:latest),
# QUARRY_WORKER_BASE_IMAGE (default quarry-worker-base:bookworm-jre17),
# DEBIAN_MIRROR (default: the mirror this machine's apt uses), FORCE=1 to rebuild both images anyway.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "${SCRIPT_DIR}/../.." && pwd)"
IMAGE="${QUARRY_WORKER_IMAGE:-quarry-worker:latest}"
BASE_IMAGE="${QUARRY_WORKER_BASE_IMAGE:-quarry-worker-base:bookworm-jre17}"
QUARRY_HOME="${QUARRY_HOME:-${REPO}/.quarry}"
CACHE_DIR="${QUARRY_HOME}/cache/worker"
MIRROR="${DEBIAN_MIRROR:-$("${REPO}/scripts/lib/debian-mirror.sh")}"
DOCKERFILE="${SCRIPT_DIR}/worker/Dockerfile"
JAR="${REPO}/workers/target/quarry-workers.jar"
LIB="${REPO}/workers/target/lib"
LABEL_KEY="dev.quarry.worker.fingerprint"
BASE_LABEL_KEY="dev.quarry.worker-base.fingerprint"
# The uid the workers run as; the compose file and the k8s manifests use the same number.
QUARRY_UID=10001

die() { echo "error: $*" >&2; exit 1; }
label_of() { docker image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true; }

command -v docker >/dev/null || die "docker CLI not found; run scripts/ensure-docker.sh"
docker info >/dev/null 2>&1 || die "Docker engine not reachable; run scripts/ensure-docker.sh"
[[ -f "${JAR}" && -d "${LIB}" ]] \
  || die "${JAR} or ${LIB}/ is missing: build it first with 'mvn -B -o -q -DskipTests package' in ${REPO}"

# The rootfs recipe. Its own text is hashed into the cache key: editing it rebuilds the rootfs.
make_rootfs() {
  local dir="$1"
  # minbase + a headless JRE. libstdc++6 and libgomp1 are what java-llama.cpp's bundled native
  # library links against (`quarry llm serve` in the image); ca-certificates for hosted LLM APIs
  # over HTTPS; tini reaps children and forwards SIGTERM so the worker shuts down gracefully.
  debootstrap --variant=minbase --components=main \
    --include=openjdk-17-jre-headless,ca-certificates,libstdc++6,libgomp1,tini \
    bookworm "${dir}" "${MIRROR}" >&2
  # The worker's own unprivileged user. Its home is the state directory the volume mounts on.
  chroot "${dir}" useradd --uid "${QUARRY_UID}" --user-group \
    --home-dir /opt/quarry/.quarry --no-create-home --shell /usr/sbin/nologin quarry >&2
  # A named volume mounted here starts with this directory's owner: the worker user.
  install -d -o "${QUARRY_UID}" -g "${QUARRY_UID}" "${dir}/opt/quarry/.quarry"
  # Images are rebuilt, never updated in place: drop package caches, docs (copyright notices
  # stay), manuals and locales.
  find "${dir}/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete
  find "${dir}/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "${dir}"/usr/share/{man,info,locale,lintian,bash-completion,zsh} \
    "${dir}"/var/cache/apt/* "${dir}"/var/lib/apt/lists/* "${dir}"/var/cache/debconf/*-old \
    "${dir}"/var/log/* "${dir}"/tmp/* "${dir}"/var/tmp/*
  mkdir -p "${dir}/tmp" && chmod 1777 "${dir}/tmp"
}

# ---- 1. the base image ------------------------------------------------------------------------
RECIPE_HASH="$( (declare -f make_rootfs; echo "${MIRROR} ${QUARRY_UID}") | sha256sum | cut -c1-16)"
ROOTFS_TAR="${CACHE_DIR}/rootfs-bookworm-jre17-${RECIPE_HASH}.tar"
mkdir -p "${CACHE_DIR}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/quarry-worker-build.XXXXXX")"
cleanup() {
  # A failed debootstrap can leave its /proc and /sys mounted in the target: never descend.
  for mount in proc sys dev/pts; do
    umount -l "${WORK}/rootfs/${mount}" 2>/dev/null || true
  done
  rm -rf --one-file-system "${WORK}"
}
trap cleanup EXIT

if [[ "$(label_of "${BASE_IMAGE}" "${BASE_LABEL_KEY}")" == "${RECIPE_HASH}" && "${FORCE:-0}" != 1 ]]; then
  echo "base image ${BASE_IMAGE} is up to date (${RECIPE_HASH:0:12})" >&2
else
  if [[ ! -s "${ROOTFS_TAR}" ]]; then
    [[ "$(id -u)" == 0 ]] || die "debootstrap needs root (first build only); re-run with sudo"
    if ! command -v debootstrap >/dev/null; then
      command -v apt-get >/dev/null || die "debootstrap not found and no apt-get: install debootstrap"
      echo "installing debootstrap..." >&2
      apt-get install -y -q debootstrap >&2 || { apt-get update -q >&2 && apt-get install -y -q debootstrap >&2; } \
        || die "apt-get install debootstrap failed (see above)"
    fi
    echo "debootstrapping bookworm (minbase + openjdk-17-jre-headless) from ${MIRROR}; this runs once" >&2
    make_rootfs "${WORK}/rootfs"
    # Write to a temp name then rename: an interrupted run never leaves a truncated cache entry.
    tar --numeric-owner -C "${WORK}/rootfs" -cf "${ROOTFS_TAR}.partial" .
    mv "${ROOTFS_TAR}.partial" "${ROOTFS_TAR}"
    rm -rf --one-file-system "${WORK}/rootfs"
    # Older recipes' tarballs are dead weight now.
    find "${CACHE_DIR}" -name 'rootfs-bookworm-jre17-*.tar' ! -path "${ROOTFS_TAR}" -delete
  else
    echo "using cached rootfs ${ROOTFS_TAR}" >&2
  fi
  docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'ENV LANG=C.UTF-8' \
    -c "LABEL ${BASE_LABEL_KEY}=${RECIPE_HASH}" \
    -m "quarry worker base (bookworm, openjdk-17-jre-headless), recipe ${RECIPE_HASH:0:12}" \
    "${ROOTFS_TAR}" "${BASE_IMAGE}" >/dev/null
  echo "imported ${BASE_IMAGE}" >&2
  FORCE_APP=1
fi

# ---- 2. the application image -----------------------------------------------------------------
# Stage exactly what the image holds, so the fingerprint covers it and the build context stays
# small (the repository's .quarry/ alone holds hundreds of MB of models).
CTX="${WORK}/context"
mkdir -p "${CTX}/app/workers/target"
cp "${DOCKERFILE}" "${CTX}/Dockerfile"
cp "${REPO}/quarry" "${CTX}/app/quarry"
cp "${JAR}" "${CTX}/app/workers/target/quarry-workers.jar"
cp -r "${LIB}" "${CTX}/app/workers/target/lib"
cp -r "${REPO}/seeds" "${REPO}/examples" "${CTX}/app/"
FINGERPRINT="$( (echo "${RECIPE_HASH}"; cat "${BASH_SOURCE[0]}";
  cd "${CTX}" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-64)"
if [[ "$(label_of "${IMAGE}" "${LABEL_KEY}")" == "${FINGERPRINT}" && "${FORCE:-0}" != 1 && "${FORCE_APP:-0}" != 1 ]]; then
  echo "image ${IMAGE} is up to date (${FINGERPRINT:0:12})"
  exit 0
fi

PREVIOUS="$(docker image inspect --format '{{.Id}}' "${IMAGE}" 2>/dev/null || true)"
# The classic builder takes FROM from the local image store and never contacts a registry for
# it; BuildKit may try to resolve the base remotely. Set DOCKER_BUILDKIT=1 to choose BuildKit.
DOCKER_BUILDKIT="${DOCKER_BUILDKIT:-0}" docker build --quiet \
  --build-arg "BASE_IMAGE=${BASE_IMAGE}" \
  --build-arg "QUARRY_UID=${QUARRY_UID}" \
  --label "${LABEL_KEY}=${FINGERPRINT}" \
  -t "${IMAGE}" "${CTX}" >/dev/null \
  2> >(grep -v -i -e 'deprecated' -e 'legacy builder' -e 'buildx' -e 'BuildKit' -e 'environment-variable' -e '^ *$' >&2)

# Drop the image this one replaces (if no container uses it), so rebuilds do not pile up.
if [[ -n "${PREVIOUS}" && "${PREVIOUS}" != "$(docker image inspect --format '{{.Id}}' "${IMAGE}")" ]]; then
  docker rmi "${PREVIOUS}" >/dev/null 2>&1 || true
fi
docker image inspect --format '{{.Size}}' "${IMAGE}" |
  awk -v img="${IMAGE}" '{ printf "built %s (%.1f MB)\n", img, $1 / 1e6 }'
