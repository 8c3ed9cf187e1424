#!/usr/bin/env bash
# Creates the Python trainer worker's virtualenv at ${QUARRY_HOME:-.quarry}/trainer-venv with
# trainer/requirements.txt (torch, transformers, TRL, PEFT, temporalio, gguf). Idempotent: a stamp
# file holds the hash of the requirements and the Python version; a match skips the install.
# torch comes from PyPI, which serves the CUDA build: with its nvidia-* wheels it is ~4.5 GB
# installed (measured: 2 min 27 s at ~100 MB/s on 2 cores), and the same venv trains on CPU here
# and on a GPU machine unchanged.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QUARRY_HOME="${QUARRY_HOME:-${ROOT}/.quarry}"
VENV="${QUARRY_HOME}/trainer-venv"
REQ="${ROOT}/trainer/requirements.txt"
PYTHON="${PYTHON:-python3}"

if ! command -v "${PYTHON}" >/dev/null 2>&1; then
  echo "error: ${PYTHON} not found; install Python 3.10+ with venv" >&2
  exit 1
fi
WANT="$( (cat "${REQ}"; "${PYTHON}" -c 'import sys; print(sys.version)') | sha256sum | cut -d' ' -f1)"
STAMP="${VENV}/.quarry-requirements.sha256"
if [[ -x "${VENV}/bin/python" && "$(cat "${STAMP}" 2>/dev/null)" == "${WANT}" ]]; then
  echo "trainer venv present: ${VENV}"
  exit 0
fi

echo "installing the trainer venv at ${VENV} (torch + CUDA wheels from PyPI: ~4.5 GB, a few minutes)"
start=$(date +%s)
if [[ ! -x "${VENV}/bin/python" ]]; then
  "${PYTHON}" -m venv "${VENV}" || {
    echo "python3 -m venv failed; installing Debian's python3-venv" >&2
    apt-get install -y -q python3-venv >/dev/null
    "${PYTHON}" -m venv "${VENV}"
  }
fi
"${VENV}/bin/pip" install --quiet --disable-pip-version-check -r "${REQ}"
"${VENV}/bin/python" -c 'import torch, transformers, trl, peft, temporalio, gguf' 
echo "${WANT}" > "${STAMP}"
echo "trainer venv ready in $(( $(date +%s) - start )) s: $(du -sh "${VENV}" | cut -f1)"
