#!/usr/bin/env bash
# `make bench` after set-up: start a throwaway PostgreSQL cluster (some benchmarks need
# it), migrate it, run every bench/bench_*.py via bench/run_all.py, stop the cluster.
# Arguments are passed to bench/run_all.py (e.g. names of benchmarks to run).
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"
PY="$REPO_ROOT/.venv/bin/python"
export DJANGO_SETTINGS_MODULE=config.settings
unset DJANGO_DEBUG

DATABASE_URL=""
cleanup() { [ -z "$DATABASE_URL" ] || "$REPO_ROOT/scripts/pg-test-cluster.sh" stop "$DATABASE_URL" || true; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

DATABASE_URL=$("$REPO_ROOT/scripts/pg-test-cluster.sh" start)
export DATABASE_URL
echo "bench: DATABASE_URL=$DATABASE_URL"
"$PY" manage.py migrate --noinput -v 0
"$PY" bench/run_all.py "$@"
