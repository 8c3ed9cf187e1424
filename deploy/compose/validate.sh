#!/usr/bin/env bash
# shellcheck disable=SC2015  # pass/fail/die never fail, so `test && pass || fail` is if-then-else
# Validates deploy/compose/docker-compose.yml without starting anything and without a registry:
#   1. `docker compose config` (or docker-compose) parses and resolves it with every profile on;
#   2. the required secrets are enforced: without POSTGRES_PASSWORD it must refuse;
#   3. the resolved file has what Quarry needs: a worker service for each of the four task
#      queues, the shared state volume on every worker, the Docker socket on the sandbox worker
#      ONLY, the four Temporal services of the offline image reading temporal-config/, the schema
#      job, no secret value written in the file;
#   4. temporal-config/dynamic-config.yaml, which Temporal will read, has the right shape;
#   5. the run configs in deploy/compose/runs/ pass the quarry CLI's own validation (when the
#      quarry jar is built: `./quarry run start` checks a config and its seed file before it
#      connects, so pointed at a closed port it must get as far as the connection).
# Uses Docker's compose plugin when present, else docker-compose, else installs Debian's
# docker-compose package with apt-get (root only). Needs no .env: env.example plus placeholders.
# Prints `N passed, M failed`; exits non-zero on any failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
file="$here/docker-compose.yml"

die() { echo "error: $*" >&2; exit 1; }
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null; then
  compose=(docker-compose)
else
  [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null \
    || die "neither 'docker compose' nor docker-compose found: install Debian's docker-compose package"
  echo "installing docker-compose (Debian package)..." >&2
  apt-get install -y -q docker-compose >&2 || { apt-get update -q >&2 && apt-get install -y -q docker-compose >&2; } \
    || die "apt-get install docker-compose failed (see above)"
  compose=(docker-compose)
fi
command -v python3 >/dev/null || die "python3 is needed to inspect the resolved file"
python3 -c 'import yaml' 2>/dev/null || die "PyYAML is missing: apt-get install python3-yaml"
echo "using: ${compose[*]} ($("${compose[@]}" version --short 2>/dev/null || true))"

passed=0; failed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

work="$(mktemp -d "${TMPDIR:-/tmp}/quarry-compose-validate.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# env.example with placeholders for the values a user must choose. The placeholder password is
# looked for in the output below: it must reach the containers' environment, not the file.
sed -e 's/^POSTGRES_PASSWORD=$/POSTGRES_PASSWORD=placeholder-pw-4711/' -e 's/^DOCKER_GID=$/DOCKER_GID=999/' \
  -e 's/^COMPOSE_PROFILES=.*/COMPOSE_PROFILES=embedded-llm,vllm,cli,fake-llm,ui/' "$here/env.example" >"$work/env"
run_compose() {
  # A clean environment: no variable of the caller's shell may decide the outcome.
  env -i PATH="$PATH" HOME="$HOME" DOCKER_HOST="${DOCKER_HOST:-}" COMPOSE_PROFILES=embedded-llm,vllm,cli,fake-llm,ui \
    "${compose[@]}" --project-directory "$here" --env-file "$1" -f "$file" "${@:2}"
}

# 1. parse and resolve
if run_compose "$work/env" config >"$work/resolved.yml" 2>"$work/err"; then
  pass "compose file resolves with every profile"
else
  fail "compose config: $(cat "$work/err")"
fi

# 2. a missing password is refused with the message that says what to do
grep -v '^POSTGRES_PASSWORD=' "$work/env" >"$work/env-nopw"
if run_compose "$work/env-nopw" config >/dev/null 2>"$work/err"; then
  fail "resolved without POSTGRES_PASSWORD"
elif grep -q 'set POSTGRES_PASSWORD in deploy/compose/.env' "$work/err"; then
  pass "refuses to resolve without POSTGRES_PASSWORD"
else
  fail "without POSTGRES_PASSWORD, unexpected error: $(cat "$work/err")"
fi

# 3. what Quarry needs, checked on the resolved file
if [[ -s "$work/resolved.yml" ]]; then
  python3 - "$work/resolved.yml" "$repo" >"$work/checks" 2>&1 <<'PY' || true
import pathlib, re, sys, yaml

resolved = yaml.safe_load(pathlib.Path(sys.argv[1]).read_text())
repo = pathlib.Path(sys.argv[2])
services = resolved["services"]

def check(ok, what):
    print(("PASS " if ok else "FAIL ") + what)

def mounts(service):
    out = []
    for v in services[service].get("volumes", []):
        if isinstance(v, dict):
            out.append((str(v.get("source")), v.get("target")))
        else:
            parts = v.split(":")
            out.append((parts[0], parts[1]))
    return out

def queues(service):
    command = services[service].get("command") or []
    if isinstance(command, str):
        command = command.split()
    return command[command.index("--queues") + 1].split(",") if "--queues" in command else []

# Task queues as the worker CLI names them (WorkerCommand.Queue), from TaskQueues.java.
task_queues = re.findall(r'"quarry-([a-z]+)"', (repo / "workflows/src/main/java/dev/quarry/workflows/TaskQueues.java").read_text())
check(sorted(task_queues) == ["llm", "sandbox", "train", "workflows"], f"TaskQueues.java names {sorted(task_queues)}")
workers = [name for name in services if queues(name)]
served = sorted(q for name in workers for q in queues(name))
check(served == sorted(task_queues), f"one worker service per task queue: {served}")

for name in workers:
    check(any(t == "/opt/quarry/.quarry" and s.endswith("quarry-home") for s, t in mounts(name)), f"{name} mounts the shared state volume on /opt/quarry/.quarry")
    env = services[name].get("environment", {})
    check(env.get("QUARRY_TEMPORAL_ADDRESS") == "temporal:7233", f"{name} reaches Temporal at temporal:7233")

socket_users = sorted(n for n in services if any(t == "/var/run/docker.sock" for _, t in mounts(n)))
check(socket_users == [n for n in workers if "sandbox" in queues(n)],
      f"only the sandbox worker mounts the Docker socket: {socket_users}")
check(services["worker-sandbox"].get("group_add") == ["999"], "the sandbox worker joins the socket's group (DOCKER_GID)")

# Temporal: the four services as separate containers of the offline image, each reading the
# repository's temporal-config/ (the cluster config and the dynamic config) and PostgreSQL.
for name, service in (("temporal", "frontend"), ("temporal-history", "history"),
                      ("temporal-matching", "matching"), ("temporal-worker", "worker")):
    s = services.get(name, {})
    check(s.get("command") == ["service", service], f"{name} runs Temporal's {service} service")
    check(str(s.get("image", "")).startswith("quarry-temporal:"), f"{name} uses the offline quarry-temporal image")
    check(any(src.endswith("temporal-config") and t == "/opt/temporal/temporal-config" for src, t in mounts(name)),
          f"{name} reads the repository's temporal-config/ (cluster + dynamic config)")
    check(s.get("environment", {}).get("POSTGRES_SEEDS") == "postgresql", f"{name} persists to the postgresql service")
check(services.get("temporal-schema", {}).get("command") == ["setup-schema"], "a one-shot job sets up Temporal's schema")
check(str(services["postgresql"].get("image", "")).startswith("quarry-postgres:"), "PostgreSQL is the offline quarry-postgres image")
for name, ports in ((n, s.get("ports", [])) for n, s in services.items()):
    for p in ports:
        host_ip = p.get("host_ip") if isinstance(p, dict) else str(p).split(":")[0]
        check(host_ip == "127.0.0.1", f"{name} publishes {p} on loopback only")

check(services["vllm"].get("profiles") == ["vllm"], "vLLM is an optional profile")
raw = (repo / "deploy/compose/docker-compose.yml").read_text()
check("placeholder-pw-4711" not in raw, "no password written in the compose file")
PY
  cat "$work/checks"
  passed=$((passed + $(grep -c '^PASS' "$work/checks" || true)))
  failed=$((failed + $(grep -c '^FAIL' "$work/checks" || true)))
  # A crash of the checker (a traceback, no verdicts) must not pass.
  grep -q '^PASS' "$work/checks" || fail "resolved-file checks did not run"
fi

# 4. the dynamic config Temporal will read
if python3 "$repo/temporal-config/dev-server-flags.py" >/dev/null 2>"$work/err"; then
  pass "temporal-config/dynamic-config.yaml has dynamic-config shape"
else
  fail "dynamic-config.yaml: $(cat "$work/err")"
fi

# 5.
if [[ -f "$repo/workers/target/quarry-workers.jar" ]]; then
  for config in "$here"/runs/*.yaml; do
    # From the repository root, as the image's workers run from /opt/quarry (seeds/ beside them).
    # The endpoints are compose service names (llm:8088), which only the containers resolve.
    out="$(cd "$repo" && QUARRY_TEMPORAL_ADDRESS=127.0.0.1:1 timeout 120 ./quarry run start --skip-endpoint-check --config "$config" 2>&1 || true)"
    if grep -q 'cannot reach the Temporal server' <<<"$out"; then
      pass "runs/$(basename "$config") passes the quarry CLI's config validation"
    else
      fail "runs/$(basename "$config"): $out"
    fi
  done
else
  echo "SKIP run-config validation: quarry is not built (mvn -B -o -q -DskipTests package)"
fi

echo "$passed passed, $failed failed"
[[ "$failed" == 0 ]]
