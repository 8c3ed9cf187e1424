#!/usr/bin/env bash
# Starts the Python trainer worker in the foreground (installs its venv first if needed).
# Environment: TEMPORAL_ADDRESS (default 127.0.0.1:7233), TEMPORAL_NAMESPACE (default),
# QUARRY_TRAINER_TASK_QUEUE (default quarry-train-python; must match trainer.python.taskQueue),
# QUARRY_HOME (the model registry is QUARRY_HOME/models/registry; the embedded LLM server of the
# same QUARRY_HOME serves what it writes). Extra arguments go to `python -m quarry_trainer`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export QUARRY_HOME="${QUARRY_HOME:-${ROOT}/.quarry}"
"${ROOT}/scripts/ensure-trainer.sh" >&2
export PYTHONPATH="${ROOT}/trainer${PYTHONPATH:+:${PYTHONPATH}}"
exec "${QUARRY_HOME}/trainer-venv/bin/python" -m quarry_trainer "$@"
