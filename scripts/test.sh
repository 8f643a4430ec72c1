#!/usr/bin/env bash
# The whole check, as `make test` runs it (after set-up):
#   1. ruff check, ruff format --check
#   2. makemigrations --check --dry-run
#   3. the full pytest suite on a throwaway PostgreSQL cluster
#   4. a SQLite smoke run of the same suite minus the postgres/ocr/browser tests
# Every step runs even if an earlier one failed, so one run shows every problem;
# the exit status is non-zero if any failed. Extra arguments go to both pytest runs.
set -uo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"
VENV="$REPO_ROOT/.venv"
PY="$VENV/bin/python"
[ -x "$PY" ] || { echo "test: no $PY; run 'make test' (it sets up the venv)" >&2; exit 1; }

export DJANGO_SETTINGS_MODULE=config.settings
export PYTHONDONTWRITEBYTECODE=1
unset DJANGO_DEBUG DATABASE_URL
# A per-run key, so tests never depend on (or create) the developer's .local-secret-key.
DJANGO_SECRET_KEY="test-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export DJANGO_SECRET_KEY

WORK=$(mktemp -d "${TMPDIR:-/tmp}/beslutsarkivet-test.XXXXXX")
PG_URL=""
cleanup() {
    if [ -n "$PG_URL" ]; then
        "$REPO_ROOT/scripts/pg-test-cluster.sh" stop "$PG_URL" || true
        PG_URL=""
    fi
    rm -rf -- "$WORK"
}
trap cleanup EXIT
trap 'echo "test: interrupted" >&2; exit 130' INT TERM

T0=$(date +%s)
failed_steps=()
results=()
passed=0 failed=0 skipped=0

step() { printf '\n==> %s\n' "$*"; }
record() {  # record NAME STATUS [DETAIL]
    results+=("$(printf '  %-22s %s' "$1" "$2${3:+  $3}")")
    [ "$2" = ok ] || failed_steps+=("$1")
}
run_step() {  # run_step NAME CMD...
    local name=$1 t rc
    shift
    step "$name"
    t=$(date +%s)
    "$@"
    rc=$?
    if [ $rc -eq 0 ]; then record "$name" ok "($(( $(date +%s) - t ))s)"; else record "$name" "FAILED (exit $rc)"; fi
}

# Counts from pytest's JUnit XML: "passed failed skipped".
junit_counts() {
    "$PY" - "$1" <<'PY'
import sys
import xml.etree.ElementTree as ET

try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    print("0 0 0")
    sys.exit()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
n = {k: sum(int(s.get(k, 0)) for s in suites) for k in ("tests", "failures", "errors", "skipped")}
failed = n["failures"] + n["errors"]
print(n["tests"] - failed - n["skipped"], failed, n["skipped"])
PY
}

# run_pytest NAME EMPTY_OK PYTEST_ARGS...
# Exit 5 means pytest ran nothing. That is fine for the SQLite run when the marker
# expression deselects everything, but for the full run it means the suite vanished,
# which must not pass silently (CI would report a green run that tested nothing).
run_pytest() {
    local name=$1 empty_ok=$2 xml t rc p f s
    xml="$WORK/junit-$(echo "$1" | tr -c 'A-Za-z0-9\n' '-').xml"
    shift 2
    step "$name"
    t=$(date +%s)
    "$PY" -m pytest --junitxml="$xml" -o junit_family=xunit2 "$@"
    rc=$?
    read -r p f s < <(junit_counts "$xml")
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
    local counts="$p passed, $f failed, $s skipped ($(( $(date +%s) - t ))s)"
    case $rc in
        0) record "$name" ok "$counts" ;;
        5)
            if [ "$empty_ok" = yes ]; then
                echo "test: no tests selected for $name (marker selection is empty); that is fine"
                record "$name" ok "no tests selected"
            else
                echo "test: pytest collected no tests at all for $name; treating that as a failure" >&2
                record "$name" "FAILED (no tests collected)"
            fi
            ;;
        *) record "$name" "FAILED (exit $rc)" "$counts" ;;
    esac
}

run_step "ruff check" "$VENV/bin/ruff" check .
run_step "ruff format --check" "$VENV/bin/ruff" format --check .

step "start PostgreSQL"
if PG_URL=$("$REPO_ROOT/scripts/pg-test-cluster.sh" start); then
    record "postgresql cluster" ok
else
    PG_URL=""
    record "postgresql cluster" FAILED
fi

# makemigrations consults the database for history consistency; use the throwaway
# cluster (or a temp SQLite file) so nothing is written into the work tree.
run_step "makemigrations --check" env DATABASE_URL="${PG_URL:-sqlite:///$WORK/mig.sqlite3}" \
    "$PY" manage.py makemigrations --check --dry-run

if [ -n "$PG_URL" ]; then
    # BESLUTSARKIVET_REQUIRE_ALL: under make test every marked test must really run;
    # tests/conftest.py turns a would-be skip for a missing service into an error.
    DATABASE_URL="$PG_URL" BESLUTSARKIVET_REQUIRE_ALL=1 \
        run_pytest "pytest (PostgreSQL)" no "$@"
else
    record "pytest (PostgreSQL)" "FAILED (no cluster)"
fi
if [ -n "$PG_URL" ]; then
    step "stop PostgreSQL"
    "$REPO_ROOT/scripts/pg-test-cluster.sh" stop "$PG_URL" && PG_URL=""
fi

DATABASE_URL="sqlite:///$WORK/smoke.sqlite3" \
    run_pytest "pytest (SQLite smoke)" yes -m "not postgres and not ocr and not browser" "$@"

elapsed=$(( $(date +%s) - T0 ))
printf '\n==> summary\n'
printf '%s\n' "${results[@]}"
if [ ${#failed_steps[@]} -eq 0 ]; then
    echo "make test: OK in ${elapsed}s (test counts below add up both pytest runs)"
    status=0
else
    echo "make test: FAILED in ${elapsed}s: $(IFS=,; echo "${failed_steps[*]}" | sed 's/,/, /g')"
    status=1
fi
echo "summary: $passed passed, $failed failed, $skipped skipped"
exit $status
