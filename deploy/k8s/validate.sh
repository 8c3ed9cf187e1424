#!/usr/bin/env bash
# Validates deploy/k8s/ offline, without a cluster:
#   1. check_manifests.py: YAML syntax (duplicate keys rejected) and what Quarry needs (a worker
#      per task queue, requests and limits, the shared volume, secrets only from Secrets, the
#      privileged engine only in the sandbox pod, KEDA triggers on the right queues);
#   2. temporal-helm-values.py turns temporal-config/dynamic-config.yaml into Helm values that
#      carry it unchanged;
#   3. schemas: every built-in kind against Kubernetes 1.29's OpenAPI schemas, strictly (unknown
#      fields are errors), with the PyPI package kubernetes-validate, which ships the schemas (no
#      network at validation time). Used when installed (on PATH or in
#      ${QUARRY_HOME:-.quarry}/venv/kubernetes-validate); `--install-schema-validator` installs
#      it there with pip (~150 MB). CRDs (KEDA's ScaledObject, Kustomization) have no schema
#      there: step 1 covers them.
# Prints `N passed, M failed` and exits non-zero on any failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
QUARRY_HOME="${QUARRY_HOME:-$repo/.quarry}"
venv="$QUARRY_HOME/venv/kubernetes-validate"
K8S_VERSION="${K8S_VERSION:-1.29.0}"

die() { echo "error: $*" >&2; exit 1; }
command -v python3 >/dev/null || die "python3 not found"
python3 -c 'import yaml' 2>/dev/null || die "PyYAML is missing: apt-get install python3-yaml"

if [[ "${1:-}" == "--install-schema-validator" ]]; then
  [[ -x "$venv/bin/kubernetes-validate" ]] || {
    python3 -m venv "$venv" && "$venv/bin/pip" install -q kubernetes-validate
  } || die "could not install kubernetes-validate into $venv"
fi

passed=0; failed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# 1.
out="$(python3 "$here/check_manifests.py" 2>&1)" || true
echo "$out"
passed=$((passed + $(grep -c '^PASS' <<<"$out" || true)))
failed=$((failed + $(grep -c '^FAIL' <<<"$out" || true)))
grep -q '^PASS' <<<"$out" || fail "check_manifests.py did not run"

# 2.
if python3 - "$here/temporal-helm-values.py" "$repo/temporal-config/dynamic-config.yaml" <<'PY'
import subprocess, sys, yaml
generated = yaml.safe_load(subprocess.run([sys.executable, sys.argv[1]], check=True, capture_output=True, text=True).stdout)
source = yaml.safe_load(open(sys.argv[2]))
assert generated == {"server": {"dynamicConfig": source}}, generated
PY
then pass "Helm values carry temporal-config/dynamic-config.yaml unchanged (server.dynamicConfig)"
else fail "temporal-helm-values.py output differs from dynamic-config.yaml"; fi

# 3.
validator=""
if command -v kubernetes-validate >/dev/null; then validator="kubernetes-validate";
elif [[ -x "$venv/bin/kubernetes-validate" ]]; then validator="$venv/bin/kubernetes-validate"; fi
if [[ -n "$validator" ]]; then
  mapfile -t manifests < <(cd "$here" && find . -name '*.yaml' ! -name kustomization.yaml | sort)
  if out="$(cd "$here" && "$validator" --strict --no-warn -k "$K8S_VERSION" "${manifests[@]}" 2>&1)"; then
    pass "schemas: $(grep -c 'passed' <<<"$out" || true) built-in resources valid against Kubernetes $K8S_VERSION (strict)"
  else
    fail "schemas (Kubernetes $K8S_VERSION, strict):"; echo "$out" | grep -v ' passed ' >&2
  fi
else
  echo "SKIP schema validation: kubernetes-validate not installed (deploy/k8s/validate.sh --install-schema-validator)"
fi

echo "$passed passed, $failed failed"
[[ "$failed" == 0 ]]
