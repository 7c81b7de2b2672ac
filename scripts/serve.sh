#!/usr/bin/env bash
# Create .venv/, install AVG-assistent and start the web UI on the embedded defaults.
# Extra arguments go to `avg-assistent serve` (e.g. --host 0.0.0.0 --port 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
exec .venv/bin/avg-assistent serve "$@"
