#!/usr/bin/env bash
# Install everything the tests need into .venv/ and run the whole suite (lint included).
# Starts a Chroma server on 127.0.0.1 for the server-mode tests and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
# torch 2.13.0 is pinned because this machine image ships its CPU build locally;
# any newer release would be fetched as a multi-GB CUDA build.
.venv/bin/python -m pip install --quiet "torch==2.13.0" -e ".[test]"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports --no-cache
.venv/bin/mypy

# The browser tests drive Debian's chromium; install it when missing (needs root, as in CI).
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

chroma_dir=$(mktemp -d)
chroma_port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
MALLOC_PERTURB_=255 .venv/bin/chroma run --path "$chroma_dir/data" --host 127.0.0.1 --port "$chroma_port" >"$chroma_dir/server.log" 2>&1 &
chroma_pid=$!
trap 'kill "$chroma_pid" 2>/dev/null || true; rm -rf "$chroma_dir"' EXIT
for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$chroma_port/api/v2/heartbeat" >/dev/null 2>&1 && break
    sleep 0.5
done
export AVG_TEST_CHROMA_URL="http://127.0.0.1:$chroma_port"
export AVG_TEST_CHROMA_DATA="$chroma_dir/data"  # the erasure test greps the server's own files

.venv/bin/python -m pytest "$@"
