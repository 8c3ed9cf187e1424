#!/usr/bin/env bash
# Puts the tiny random-weight test model at ${QUARRY_HOME:-.quarry}/models/tiny-test.gguf
# (used by the embedded LLM server tests). Idempotent: does nothing when the file exists.
# Installs the Python packages `gguf` and `numpy` with pip when they are missing.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
QUARRY_HOME="${QUARRY_HOME:-.quarry}"
TARGET="${QUARRY_HOME}/models/tiny-test.gguf"
PYTHON="${PYTHON:-python3}"

if [[ -s "${TARGET}" ]]; then
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
