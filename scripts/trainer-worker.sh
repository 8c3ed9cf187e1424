#!/usr/bin/env bash
# Starts the Python trainer worker in the foreground (installs its venv first if needed).
# Environment: the Java workers' connection settings (QUARRY_TEMPORAL_ADDRESS, default
# 127.0.0.1:7233; QUARRY_TEMPORAL_NAMESPACE, default `default`; QUARRY_TEMPORAL_TLS,
# QUARRY_TEMPORAL_TLS_SERVER_CA/_CLIENT_CERT/_CLIENT_KEY/_SERVER_NAME, QUARRY_TEMPORAL_API_KEY:
# trainer/quarry_trainer/connection.py; TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE are read too),
# QUARRY_TRAINER_TASK_QUEUE (default quarry-train-python; must match trainer.python.taskQueue),
# QUARRY_HOME (the model registry is QUARRY_HOME/models/registry; the embedded LLM server of the
# same QUARRY_HOME serves what it writes). Extra arguments go to `python -m quarry_trainer`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export QUARRY_HOME="${QUARRY_HOME:-${ROOT}/.quarry}"
"${ROOT}/scripts/ensure-trainer.sh" >&2
export PYTHONPATH="${ROOT}/trainer${PYTHONPATH:+:${PYTHONPATH}}"
exec "${QUARRY_HOME}/trainer-venv/bin/python" -m quarry_trainer "$@"
