#!/usr/bin/env bash
# Creates the .venv of every Python tool in the demo workspace (today: tools/compound-interest) as a
# `--system-site-packages` venv over Debian's python3-fastapi and python3-uvicorn, the same way the Python test
# fixtures get theirs. Idempotent. The .venv folders are never committed (examples/demo-workspace/.gitignore).
#   scripts/setup-demo-venvs.sh [TOOLS_DIR]     default: examples/demo-workspace/tools
# Exit codes: 0 ready, 3 /usr/bin/python3 lacks fastapi/uvicorn (the message says what to install), 1 other failure.
# Elsewhere (no Debian packages) a tool's venv can be built from its pyproject.toml instead:
#   cd examples/demo-workspace/tools/compound-interest && uv sync
#   (or: python3 -m venv .venv && .venv/bin/pip install fastapi uvicorn python-dotenv)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec bash "$repo/test/fixtures/tools/setup-python-venvs.sh" "${1:-$repo/examples/demo-workspace/tools}"
