#!/usr/bin/env bash
# Set everything up and run the whole test suite; extra arguments go to pytest.
# With SOTRUONG_TEST_DATABASE_URL=postgresql://… set (as .ci/run does), the suite runs a second time
# on that PostgreSQL database (the browser tests, which serve their own SQLite demo school, run once).
# The SQLite run spreads the tests over the machine's cores (pytest-xdist; TEST_WORKERS=0 runs them in
# one process); tests sharing one costly set-up stay together (tests/conftest.py, SHARED_SETUP_GROUPS).
# The PostgreSQL run is spread the same way: each worker creates and uses its own database
# (<name>_gw0, …; the role needs CREATEDB, which .ci/run grants).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/venv.sh
ensure_venv "[test]"
workers=(-n "${TEST_WORKERS:-auto}" --dist loadgroup)
env -u SOTRUONG_TEST_DATABASE_URL .venv/bin/python -m pytest "${workers[@]}" "$@"
if [ -n "${SOTRUONG_TEST_DATABASE_URL:-}" ]; then
  echo "=== the same suite on PostgreSQL ==="
  .venv/bin/python -m pytest "${workers[@]}" --ignore=tests/e2e "$@"
fi
