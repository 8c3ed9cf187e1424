#!/usr/bin/env bash
# Makes sure a Docker engine answers, for the sandbox.
#
#   - `docker info` answers            -> nothing to do;
#   - dockerd missing                   -> apt-get install -y docker.io (apt-get update only
#                                          when the install fails: the lists may be fresh);
#   - then start dockerd in the background, logs in ${QUARRY_HOME:-.quarry}/logs/dockerd.log,
#     and wait up to ${DOCKER_WAIT_SECONDS:-60} s for `docker info`.
#
# Idempotent. Starting or installing needs root; on a host where Docker is managed by systemd
# (or Docker Desktop), start it there instead and this script will only check it.
set -euo pipefail

QUARRY_HOME="${QUARRY_HOME:-.quarry}"
LOG_DIR="${QUARRY_HOME}/logs"
LOG_FILE="${LOG_DIR}/dockerd.log"
WAIT_SECONDS="${DOCKER_WAIT_SECONDS:-60}"

die() { echo "error: $*" >&2; exit 1; }

engine_answers() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

if engine_answers; then
  echo "docker engine is up ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
  exit 0
fi

if [[ -n "${DOCKER_HOST:-}" && "${DOCKER_HOST}" != unix://* ]]; then
  die "DOCKER_HOST=${DOCKER_HOST} does not answer; this script only starts a local engine"
fi

if [[ "$(id -u)" != 0 ]]; then
  die "docker engine not reachable and not root: start Docker (e.g. 'sudo systemctl start docker') or re-run this script with sudo"
fi

if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || die "dockerd not installed and no apt-get: install Docker Engine by hand"
  echo "installing docker.io" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q docker.io >&2; then
    echo "install failed; refreshing package lists and retrying" >&2
    apt-get update -q >&2 || die "apt-get update failed: check the network / the mirrors in /etc/apt/sources.list*"
    apt-get install -y -q docker.io >&2 || die "apt-get install docker.io failed (see above)"
  fi
fi

# A daemon may be starting already (another shell, a previous run): then only wait for it.
if pgrep -x dockerd >/dev/null 2>&1; then
  echo "dockerd is running but not answering yet; waiting" >&2
else
  mkdir -p "${LOG_DIR}"
  echo "starting dockerd (logs: ${LOG_FILE})" >&2
  # setsid + nohup: the daemon must outlive this script and the shell that ran it.
  setsid nohup dockerd >>"${LOG_FILE}" 2>&1 </dev/null &
fi

for ((i = 0; i < WAIT_SECONDS; i++)); do
  if engine_answers; then
    echo "docker engine is up ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
    exit 0
  fi
  if [[ -f "${LOG_FILE}" ]] && ! pgrep -x dockerd >/dev/null 2>&1; then
    echo "dockerd exited; last lines of ${LOG_FILE}:" >&2
    tail -n 20 "${LOG_FILE}" >&2
    die "dockerd failed to start"
  fi
  sleep 1
done
echo "last lines of ${LOG_FILE}:" >&2
tail -n 20 "${LOG_FILE}" >&2 2>/dev/null || true
die "docker engine did not answer within ${WAIT_SECONDS} s"
