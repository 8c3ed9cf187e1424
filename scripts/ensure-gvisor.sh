#!/usr/bin/env bash
# Makes gVisor (runsc) available to the Docker engine as the runtime "runsc", for the sandbox's
# hardened mode (sandbox.runtime: runsc, or QUARRY_SANDBOX_RUNTIME=runsc). Optional: runc stays
# the default; docs/sandbox.md says what gVisor adds and costs.
#
#   - runsc missing             -> apt-get install -y runsc (Debian's package);
#   - runtime not registered    -> add it to /etc/docker/daemon.json ("runtimes") and send
#                                  dockerd SIGHUP (a reload: running containers are untouched);
#   - then run one container under runsc; exit 3 with the reason when this machine cannot.
#
# Flags the runtime gets, and why:
#   --platform=ptrace  gVisor's portable platform (kvm needs a usable /dev/kvm, which nested
#                      VMs often lack: GVISOR_PLATFORM=kvm to try it);
#   --network=none     the sandbox never has a network; gVisor then sets up no network stack;
#   --oci-seccomp      apply the container's seccomp profile (Quarry's) inside the sandbox too.
#
# Idempotent. Needs root for the install and the registration; a registered runtime is only
# checked. Environment: GVISOR_PLATFORM (ptrace), DOCKER_DAEMON_JSON (/etc/docker/daemon.json),
# QUARRY_SANDBOX_IMAGE (the image of the check run).
set -euo pipefail

PLATFORM="${GVISOR_PLATFORM:-ptrace}"
DAEMON_JSON="${DOCKER_DAEMON_JSON:-/etc/docker/daemon.json}"
IMAGE="${QUARRY_SANDBOX_IMAGE:-quarry-sandbox-python:protocol-2}"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

die() { echo "error: $*" >&2; exit 1; }
unsupported() { echo "gVisor unavailable on this machine: $*" >&2; exit 3; }

"${SCRIPT_DIR}/ensure-docker.sh" >/dev/null

registered() { docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q '"runsc"'; }

if ! registered; then
  [[ "$(id -u)" == 0 ]] || die "runsc is not registered with the Docker engine and this is not root: re-run with sudo"
  if ! command -v runsc >/dev/null 2>&1; then
    command -v apt-get >/dev/null 2>&1 || unsupported "runsc not installed and no apt-get"
    echo "installing runsc (gVisor)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q runsc >&2 || { apt-get update -q >&2 && apt-get install -y -q runsc >&2; } \
      || unsupported "apt-get install runsc failed (see above)"
  fi
  RUNSC="$(command -v runsc)"
  mkdir -p "$(dirname "${DAEMON_JSON}")"
  # Merge, never overwrite: the file may hold other settings of this host.
  python3 - "${DAEMON_JSON}" "${RUNSC}" "${PLATFORM}" <<'PY'
import json, os, sys
path, runsc, platform = sys.argv[1:]
config = {}
if os.path.exists(path) and os.path.getsize(path) > 0:
    with open(path) as f:
        config = json.load(f)
config.setdefault("runtimes", {})["runsc"] = {
    "path": runsc,
    "runtimeArgs": ["--platform=" + platform, "--network=none", "--oci-seccomp"],
}
with open(path + ".partial", "w") as f:
    json.dump(config, f, indent=2)
    f.write("\n")
os.replace(path + ".partial", path)
PY
  pid="$(pgrep -x dockerd | head -n 1 || true)"
  [[ -n "${pid}" ]] || die "dockerd is not running here (Docker Desktop or a remote engine?): register runsc there by hand"
  kill -HUP "${pid}"
  for _ in $(seq 1 20); do registered && break; sleep 0.5; done
  registered || die "dockerd did not pick up the runsc runtime from ${DAEMON_JSON}"
  echo "registered runsc (${PLATFORM} platform) with the Docker engine" >&2
fi

# One real container: the platform may still be unusable (no ptrace/KVM in this VM, an old
# kernel). Bounded, and removed whatever happens.
docker image inspect "${IMAGE}" >/dev/null 2>&1 || die "image ${IMAGE} missing: run sandbox-images/build-image.sh python"
name="quarry-gvisor-check-$$"
if ! out="$(timeout 60 docker run --rm --name "${name}" --runtime=runsc --network none \
    --entrypoint python3 "${IMAGE}" -c 'import os; print(os.uname().release)' 2>&1)"; then
  docker rm -f "${name}" >/dev/null 2>&1 || true
  unsupported "a test container failed under runsc: ${out}"
fi
echo "gVisor runsc works (guest kernel ${out})"
