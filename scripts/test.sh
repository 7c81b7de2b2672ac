#!/usr/bin/env bash
# Install everything the tests need into .venv/ and run the whole suite (lint included).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
# torch 2.13.0 is pinned because this machine image ships its CPU build locally;
# any newer release would be fetched as a multi-GB CUDA build.
.venv/bin/python -m pip install --quiet "torch==2.13.0" -e ".[test]"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest "$@"
