#!/usr/bin/env bash
# `make run` after set-up: migrate, load the sample minutes, make sure there is a local
# admin, start one background task worker and serve on http://0.0.0.0:${PORT:-8000}/.
# Uses DATABASE_URL if set, otherwise the embedded SQLite database (db.sqlite3).
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"
PY="$REPO_ROOT/.venv/bin/python"
HOST=${HOST:-0.0.0.0}
PORT=${PORT:-8000}
export DJANGO_DEBUG=1
export DJANGO_SETTINGS_MODULE=config.settings

echo "==> migrate"
"$PY" manage.py migrate --noinput

echo "==> sample minutes (fixtures/seeds)"
if "$PY" manage.py help ingest_minutes >/dev/null 2>&1; then
    # Idempotent (keyed by sha256), so running it on every start is cheap and safe.
    "$PY" manage.py ingest_minutes fixtures/seeds/*.txt \
        || echo "note: ingest_minutes exited with $?; the app still starts, without (all) sample minutes"
else
    echo "note: 'manage.py ingest_minutes' does not exist yet; starting without sample minutes"
fi

echo "==> local admin"
"$PY" manage.py ensure_local_admin

echo "==> task worker"
"$PY" manage.py db_worker &
WORKER=$!
stop_worker() {
    if kill -0 "$WORKER" 2>/dev/null; then
        kill -TERM "$WORKER" 2>/dev/null || true
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$WORKER" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$WORKER" 2>/dev/null || true
    fi
    wait "$WORKER" 2>/dev/null || true
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
echo "task worker running (pid $WORKER)"

cat <<MSG

  Beslutsarkivet:  http://127.0.0.1:$PORT/
  Admin:           http://127.0.0.1:$PORT/admin/   (login printed above under "local admin")
  Stop with Ctrl-C (stops the task worker too).

MSG
"$PY" manage.py runserver "$HOST:$PORT"
