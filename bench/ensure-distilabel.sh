#!/usr/bin/env bash
# The venv of the pipeline benchmark's distilabel side: distilabel 1.5.3, the OpenAI client and requests
# (distilabel.models imports it without declaring it),
# from the package index pip is configured with on this machine (pip.conf / PIP_* variables; no
# index is named here). Idempotent, cached at $QUARRY_HOME/distilabel-venv.
set -euo pipefail
QUARRY_HOME="${QUARRY_HOME:-$(cd "$(dirname "$0")/.." && pwd)/.quarry}"
venv="$QUARRY_HOME/distilabel-venv"
version="1.5.3"
if [[ -x "$venv/bin/python" ]] && "$venv/bin/python" -c "import distilabel, distilabel.models, openai, sys; sys.exit(distilabel.__version__ != '$version')" 2>/dev/null; then
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install -q "distilabel[openai]==$version" requests
"$venv/bin/python" -c "import distilabel; print('distilabel', distilabel.__version__, 'in $venv')"
