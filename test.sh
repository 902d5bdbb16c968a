#!/usr/bin/env bash
# Set everything up and run the whole test suite; extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/venv.sh
ensure_venv "[test]"
exec .venv/bin/python -m pytest "$@"
