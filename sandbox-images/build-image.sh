#!/usr/bin/env bash
# Builds a sandbox image OFFLINE: no image registry is needed, only a Debian package mirror for
# the first run.
#
#   sandbox-images/build-image.sh python   # quarry-sandbox-python:protocol-2: Python 3 (stdlib only)
#   sandbox-images/build-image.sh cpp      # quarry-sandbox-cpp:protocol-2: g++ 12, plus the runner's Python
#
#   1. debootstrap a minimal Debian bookworm rootfs with the language's packages and strip it;
#      the result is cached as a tarball under ${QUARRY_HOME:-.quarry}/cache/, keyed by the hash
#      of the recipe below, so a runner change never debootstraps again;
#   2. append the runner (/opt/quarry/runner.py) to a copy of that tarball and `docker import` it.
#
# Idempotent: the image carries a label with the sha256 of the runner and of this script; when
# an image with the same label exists the script exits at once.
#
# Environment: QUARRY_HOME, QUARRY_SANDBOX_IMAGE / QUARRY_SANDBOX_CPP_IMAGE (the image names),
# DEBIAN_MIRROR (default: the mirror this machine's apt uses), FORCE=1 to rebuild the image anyway.
set -euo pipefail

LANGUAGE="${1:-python}"
case "${LANGUAGE}" in
  python) PACKAGES="python3"; IMAGE="${QUARRY_SANDBOX_IMAGE:-quarry-sandbox-python:protocol-2}" ;;
  cpp) PACKAGES="python3,g++"; IMAGE="${QUARRY_SANDBOX_CPP_IMAGE:-quarry-sandbox-cpp:protocol-2}" ;;
  *) echo "error: unknown language '${LANGUAGE}': use python or cpp" >&2; exit 2 ;;
esac

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUNNER="${SCRIPT_DIR}/runner/runner.py"
QUARRY_HOME="${QUARRY_HOME:-.quarry}"
CACHE_DIR="${QUARRY_HOME}/cache/sandbox"
MIRROR="${DEBIAN_MIRROR:-$("${SCRIPT_DIR}/../scripts/lib/debian-mirror.sh")}"
LABEL_KEY="dev.quarry.sandbox.fingerprint"
# Runner protocol (PROTOCOL in DockerSandboxExecutor): 2 = runner as root, one uid per execution.
PROTOCOL_LABEL="dev.quarry.sandbox.protocol"
PROTOCOL=2

die() { echo "error: $*" >&2; exit 1; }

[[ -f "${RUNNER}" ]] || die "runner not found at ${RUNNER}"
command -v docker >/dev/null || die "docker CLI not found; run scripts/ensure-docker.sh"
docker info >/dev/null 2>&1 || die "Docker engine not reachable; run scripts/ensure-docker.sh"

FINGERPRINT="$( (cat "${RUNNER}" "${BASH_SOURCE[0]}"; echo "${LANGUAGE}") | sha256sum | cut -c1-64)"
CURRENT="$(docker image inspect --format "{{ index .Config.Labels \"${LABEL_KEY}\" }}" \
  "${IMAGE}" 2>/dev/null || true)"
if [[ "${CURRENT}" == "${FINGERPRINT}" && "${FORCE:-0}" != 1 ]]; then
  echo "image ${IMAGE} is up to date (${FINGERPRINT:0:12})"
  exit 0
fi

# The rootfs recipe. Its own text is hashed into the cache key: editing it rebuilds the rootfs.
make_rootfs() {
  local dir="$1"
  # minbase + python3 (the full stdlib: solutions use collections, heapq, fractions, decimal...).
  # debootstrap installs Depends only, never Recommends.
  debootstrap --variant=minbase --include="${PACKAGES}" --components=main \
    bookworm "${dir}" "${MIRROR}" >&2
  # The image is read-only and never updated in place: drop the package manager's caches and
  # everything a program cannot use. Copyright files stay (license notices).
  chroot "${dir}" dpkg --purge --force-remove-essential --force-depends \
    apt libapt-pkg6.0 debian-archive-keyring gpgv >&2 || true
  find "${dir}/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete
  find "${dir}/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "${dir}"/usr/share/{man,info,locale,lintian,linda,bash-completion,zsh} \
    "${dir}"/var/cache/apt "${dir}"/var/lib/apt "${dir}"/var/cache/debconf/*-old \
    "${dir}"/var/log/* "${dir}"/tmp/* "${dir}"/var/tmp/* "${dir}"/usr/share/zoneinfo/right \
    "${dir}"/usr/lib/*-linux-gnu/gconv \
    "${dir}"/usr/share/python3/runtime.d "${dir}"/usr/share/python3/debpython
  # Startup speed: the root fs is read-only at run time, so every stdlib .pyc must exist now.
  chroot "${dir}" python3 -m compileall -q -j 1 /usr/lib/python3.11 >/dev/null 2>&1 || true
  # Programs and the runner live in /tmp (a tmpfs at run time); make sure the mount point exists.
  mkdir -p "${dir}/tmp" && chmod 1777 "${dir}/tmp"
}

RECIPE_HASH="$( (declare -f make_rootfs; echo "${MIRROR} ${PACKAGES}") | sha256sum | cut -c1-16)"
ROOTFS_TAR="${CACHE_DIR}/rootfs-bookworm-${LANGUAGE}-${RECIPE_HASH}.tar"
mkdir -p "${CACHE_DIR}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/quarry-sandbox-build.XXXXXX")"
cleanup() {
  # A failed debootstrap can leave its /proc and /sys mounted in the target: never descend.
  for mount in proc sys dev/pts; do
    umount -l "${WORK}/rootfs/${mount}" 2>/dev/null || true
  done
  rm -rf --one-file-system "${WORK}"
}
trap cleanup EXIT

if [[ ! -s "${ROOTFS_TAR}" ]]; then
  [[ "$(id -u)" == 0 ]] || die "debootstrap needs root (first build only); re-run with sudo"
  if ! command -v debootstrap >/dev/null; then
    # A fresh Debian machine lacks it; install it like ensure-docker.sh installs docker.io.
    command -v apt-get >/dev/null || die "debootstrap not found and no apt-get: install debootstrap"
    echo "installing debootstrap..." >&2
    apt-get install -y -q debootstrap >&2 || { apt-get update -q >&2 && apt-get install -y -q debootstrap >&2; } \
      || die "apt-get install debootstrap failed (see above)"
  fi
  echo "debootstrapping bookworm (minbase + ${PACKAGES}) from ${MIRROR}; this runs once" >&2
  make_rootfs "${WORK}/rootfs"
  # Write to a temp name then rename: an interrupted run never leaves a truncated cache entry.
  tar --numeric-owner -C "${WORK}/rootfs" -cf "${ROOTFS_TAR}.partial" .
  mv "${ROOTFS_TAR}.partial" "${ROOTFS_TAR}"
  rm -rf "${WORK}/rootfs"
  # Older recipes' tarballs are dead weight now.
  find "${CACHE_DIR}" -name "rootfs-bookworm-${LANGUAGE}-*.tar" ! -path "${ROOTFS_TAR}" -delete
else
  echo "using cached rootfs ${ROOTFS_TAR}" >&2
fi

# Layer the runner on a copy of the cached rootfs; root-owned and read-only for the sandbox user.
cp "${ROOTFS_TAR}" "${WORK}/image.tar"
mkdir -p "${WORK}/overlay/opt/quarry"
install -m 0444 "${RUNNER}" "${WORK}/overlay/opt/quarry/runner.py"
chmod 0555 "${WORK}/overlay/opt/quarry"
tar --numeric-owner --owner=0 --group=0 -C "${WORK}/overlay" -rf "${WORK}/image.tar" ./opt/quarry

PREVIOUS="$(docker image inspect --format '{{.Id}}' "${IMAGE}" 2>/dev/null || true)"
# The runner is root in the container (with a handful of capabilities, see DockerSandboxExecutor)
# and runs every program under a uid of its own; the protocol label tells the executor so: it
# refuses images whose runner would run programs as root.
docker import \
  -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c 'ENV LANG=C.UTF-8 HOME=/tmp QUARRY_SANDBOX=1' \
  -c 'USER 0:0' \
  -c "LABEL ${PROTOCOL_LABEL}=${PROTOCOL}" \
  -c 'WORKDIR /tmp' \
  -c "LABEL ${LABEL_KEY}=${FINGERPRINT}" \
  -c 'ENTRYPOINT ["python3", "-I", "/opt/quarry/runner.py"]' \
  -m "quarry sandbox (${LANGUAGE}), runner ${FINGERPRINT:0:12}" \
  "${WORK}/image.tar" "${IMAGE}" >/dev/null

# Drop the image this one replaces (if no container uses it), so rebuilds do not pile up.
if [[ -n "${PREVIOUS}" && "${PREVIOUS}" != "$(docker image inspect --format '{{.Id}}' "${IMAGE}")" ]]; then
  docker rmi "${PREVIOUS}" >/dev/null 2>&1 || true
fi
docker image inspect --format '{{.Size}}' "${IMAGE}" |
  awk -v img="${IMAGE}" '{ printf "built %s (%.1f MB)\n", img, $1 / 1e6 }'
