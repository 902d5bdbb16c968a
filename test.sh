#!/usr/bin/env bash
# Set everything up and run the whole test suite; extra arguments go to pytest.
# With SOTRUONG_TEST_DATABASE_URL=postgresql://… set (as .ci/run does), the suite runs a second time
# on that PostgreSQL database (the browser tests, which serve their own SQLite demo school, run once).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/venv.sh
ensure_venv "[test]"
env -u SOTRUONG_TEST_DATABASE_URL .venv/bin/python -m pytest "$@"
if [ -n "${SOTRUONG_TEST_DATABASE_URL:-}" ]; then
  echo "=== the same suite on PostgreSQL ==="
  .venv/bin/python -m pytest --ignore=tests/e2e "$@"
fi
