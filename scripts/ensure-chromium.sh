#!/usr/bin/env bash
# Makes sure headless Chromium is installed, for the run report's browser test
# (RunReportChromiumTest): Debian's `chromium` package, installed with apt-get (apt-get update
# only when the install fails: the lists may be fresh). Idempotent; installing needs root.
set -euo pipefail

for candidate in "${QUARRY_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
  if [[ -n "${candidate}" && -x "${candidate}" ]]; then
    echo "chromium present ($("${candidate}" --version 2>/dev/null | head -1))"
    exit 0
  fi
done

command -v apt-get >/dev/null || { echo "error: no chromium and no apt-get: install Chromium and set QUARRY_CHROMIUM" >&2; exit 1; }
[[ "$(id -u)" == 0 ]] || { echo "error: installing chromium needs root (apt-get install chromium)" >&2; exit 1; }
echo "installing chromium (headless browser for the report test)..."
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends chromium >/dev/null \
  || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends chromium >/dev/null; } \
  || { echo "error: apt-get install chromium failed" >&2; exit 1; }
echo "chromium installed ($(/usr/bin/chromium --version 2>/dev/null | head -1))"
