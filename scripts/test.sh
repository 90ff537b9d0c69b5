#!/usr/bin/env bash
# The README's test command: set up the virtual environment, check the code as a reviewer
# would (ruff, mypy --strict, both configured in pyproject.toml), then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e "./emulator[test]" -e ".[test]"
.venv/bin/ruff check
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
