#!/usr/bin/env bash
# The README's main command: set up the virtual environment once, then start the
# assistant on the embedded defaults (no token, no server, no network).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/cluster-assistant ] || [ pyproject.toml -nt .venv/.installed ] \
   || [ emulator/pyproject.toml -nt .venv/.installed ]; then
  python3 -m venv .venv
  .venv/bin/pip install -q --upgrade pip >/dev/null
  .venv/bin/pip install -q -e ./emulator -e .  # the sandbox composes the bot with the emulator
  touch .venv/.installed
fi
export CLUSTER_ASSISTANT_DATA_DIR="${CLUSTER_ASSISTANT_DATA_DIR:-$PWD/data}"
exec .venv/bin/cluster-assistant "${@:-sandbox}"
