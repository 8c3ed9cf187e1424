#!/usr/bin/env bash
# Puts the tiny random-weight test model at ${QUARRY_HOME:-.quarry}/models/tiny-test.gguf
# (used by the embedded LLM server and end-to-end tests). Idempotent and cached: it rebuilds
# only when the file is missing or make-tiny-gguf.py changed since it was written.
# Installs the Python packages `gguf` and `numpy` with pip when they are missing.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
QUARRY_HOME="${QUARRY_HOME:-.quarry}"
TARGET="${QUARRY_HOME}/models/tiny-test.gguf"
PYTHON="${PYTHON:-python3}"

STAMP="${TARGET}.sha256"
WANT="$(sha256sum "${SCRIPT_DIR}/make-tiny-gguf.py" | cut -d' ' -f1)"
if [[ -s "${TARGET}" && "$(cat "${STAMP}" 2>/dev/null)" == "${WANT}" ]]; then
  echo "tiny model present: ${TARGET}"
  exit 0
fi

if ! command -v "${PYTHON}" >/dev/null 2>&1; then
  echo "error: ${PYTHON} not found; install Python 3 with pip" >&2
  exit 1
fi

if ! "${PYTHON}" -c 'import gguf, numpy' >/dev/null 2>&1; then
  echo "installing Python packages gguf and numpy"
  "${PYTHON}" -m pip install --quiet gguf numpy
fi

mkdir -p "$(dirname "${TARGET}")"
"${PYTHON}" "${SCRIPT_DIR}/make-tiny-gguf.py" "${TARGET}"
echo "${WANT}" > "${STAMP}"
