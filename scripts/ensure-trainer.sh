#!/usr/bin/env bash
# Creates the Python trainer worker's virtualenv at ${QUARRY_HOME:-.quarry}/trainer-venv with
# trainer/requirements.txt (torch, transformers, TRL, PEFT, temporalio, gguf). Idempotent: a stamp
# file holds the hash of the requirements and the Python version; a match skips the install.
# torch comes from PyPI, which serves the CUDA build: with its nvidia-* wheels the venv is 5.9 GB,
# and the same venv trains on CPU here and on a GPU machine unchanged. The packages are installed
# with uv (pinned, itself from PyPI), which downloads and unpacks in parallel: measured 33 s from
# nothing on 2 cores, against 2 min 27 s (idle) to 6 min (loaded) with pip. pip is the fallback.
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

UV_VERSION=0.13.8
echo "installing the trainer venv at ${VENV} (torch + CUDA wheels from PyPI: 5.9 GB)"
start=$(date +%s)
if [[ ! -x "${VENV}/bin/python" ]]; then
  "${PYTHON}" -m venv "${VENV}" || {
    echo "python3 -m venv failed; installing Debian's python3-venv" >&2
    apt-get install -y -q python3-venv >/dev/null
    "${PYTHON}" -m venv "${VENV}"
  }
fi
if "${VENV}/bin/pip" install --quiet --disable-pip-version-check "uv==${UV_VERSION}"; then
  "${VENV}/bin/uv" pip install --quiet --python "${VENV}/bin/python" -r "${REQ}"
else
  echo "uv is not installable here; installing with pip (slower)" >&2
  "${VENV}/bin/pip" install --quiet --disable-pip-version-check -r "${REQ}"
fi
"${VENV}/bin/python" -c 'import torch, transformers, trl, peft, temporalio, gguf' 
echo "${WANT}" > "${STAMP}"
echo "trainer venv ready in $(( $(date +%s) - start )) s: $(du -sh "${VENV}" | cut -f1)"
