#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks.
#
#   scripts/pg-test-cluster.sh start          start one; prints its DATABASE_URL on stdout
#   scripts/pg-test-cluster.sh stop [URL|DIR] stop that one (default: every one this checkout started)
#   scripts/pg-test-cluster.sh status         list the clusters this checkout started
#
# The cluster lives in a fresh `mktemp -d` directory and listens only on a Unix socket
# in that directory (listen_addresses=''), so it never clashes with another cluster or
# a system PostgreSQL. Durability is switched off for speed. initdb/pg_ctl refuse to run
# as root, so as root they run as the `postgres` system user (created if missing).
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE_DIR="$REPO_ROOT/.pg/clusters"   # .pg/ is git-ignored
PREFIX="beslutsarkivet-pg."
PORT=5432                             # socket-only: the port just names the socket file
DB_NAME=beslutsarkivet

log() { echo "pg-test-cluster: $*" >&2; }
die() { log "$*"; exit 1; }

pg_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
    if command -v pg_config >/dev/null 2>&1; then
        d=$(pg_config --bindir 2>/dev/null || true)
        [ -n "$d" ] && [ -x "$d/initdb" ] && { echo "$d"; return 0; }
    fi
    command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
    return 1
}

# Run a PostgreSQL server binary as a non-root user.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

ensure_postgres_user() {
    [ "$(id -u)" -eq 0 ] || return 0
    id -u postgres >/dev/null 2>&1 && return 0
    log "creating system user 'postgres'"
    useradd --system --user-group --home-dir /var/lib/postgresql --no-create-home \
        --shell /usr/sbin/nologin postgres
}

pick_locale() {
    local l
    for l in C.UTF-8 C.utf8 en_US.UTF-8 en_US.utf8; do
        if locale -a 2>/dev/null | grep -qx "$l"; then echo "$l"; return; fi
    done
    echo C
}

start() {
    local bindir base data url loc
    bindir=$(pg_bindir) || die "no PostgreSQL server binaries (initdb, pg_ctl) found; run scripts/system-deps.sh"
    ensure_postgres_user
    base=$(mktemp -d "${TMPDIR:-/tmp}/${PREFIX}XXXXXX")
    data="$base/data"
    chmod 755 "$base"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$base"
    mkdir -p "$STATE_DIR"
    echo "$base" >"$STATE_DIR/$(basename "$base")"

    loc=$(pick_locale)
    if ! as_pg "$bindir/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 \
            --locale="$loc" --no-sync --no-instructions >"$base/initdb.log" 2>&1; then
        cat "$base/initdb.log" >&2
        stop_one "$base"
        die "initdb failed"
    fi
    cat >>"$data/postgresql.conf" <<CONF

# throwaway test cluster (scripts/pg-test-cluster.sh)
listen_addresses = ''
unix_socket_directories = '$base'
port = $PORT
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
CONF
    # The same settings also as -c flags, so they win over anything else.
    if ! as_pg "$bindir/pg_ctl" -D "$data" -l "$base/server.log" -w -t 60 \
            -o "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -k $base -p $PORT" \
            start >/dev/null; then
        cat "$base/server.log" >&2 || true
        stop_one "$base"
        die "pg_ctl start failed"
    fi
    as_pg "$bindir/createdb" -h "$base" -p "$PORT" -U postgres "$DB_NAME" \
        || { stop_one "$base"; die "createdb failed"; }

    # The socket directory goes into the host part, percent-encoded: dj-database-url
    # turns that into HOST/PORT (the ?host= query form works too, but lands in OPTIONS).
    url="postgres://postgres@${base//\//%2F}:$PORT/$DB_NAME"
    log "started PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') in $base"
    echo "$url"
}

# URL or directory -> cluster base directory
base_of() {
    local arg=$1 host
    case "$arg" in
        postgres://* | postgresql://*)
            if [[ "$arg" == *"host="* ]]; then
                host=${arg#*host=}; host=${host%%&*}
            else
                host=${arg#*://}; host=${host#*@}; host=${host%%/*}; host=${host%:*}
            fi
            echo "${host//%2F//}" | sed 's/%2f/\//g'
            ;;
        *) echo "${arg%/}" ;;
    esac
}

# True if the process exists and is not a zombie (a stopped postmaster can linger as
# a zombie until whoever inherited it reaps it; that one is gone already).
alive() {
    local st
    st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    [[ -n "$st" && "$st" != Z* ]]
}

stop_one() {
    local base=$1 bindir pid
    case "$(basename "$base")" in
        "$PREFIX"*) ;;
        *) log "refusing to touch $base (not a cluster directory made by this script)"; return 1 ;;
    esac
    if [ -f "$base/data/postmaster.pid" ]; then
        pid=$(head -n1 "$base/data/postmaster.pid")
        bindir=$(pg_bindir || true)
        if [ -n "$bindir" ]; then
            as_pg "$bindir/pg_ctl" -D "$base/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
        fi
        if [ -n "$pid" ] && alive "$pid"; then
            log "postmaster $pid did not stop; killing it"
            kill -QUIT "$pid" 2>/dev/null || true
            sleep 1
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -rf -- "$base"
    rm -f -- "$STATE_DIR/$(basename "$base")"
    log "stopped and removed $base"
}

stop() {
    local bases=() f
    if [ $# -gt 0 ] && [ -n "$1" ]; then
        bases+=("$(base_of "$1")")
    elif [ -d "$STATE_DIR" ]; then
        for f in "$STATE_DIR"/"$PREFIX"*; do
            [ -f "$f" ] && bases+=("$(cat "$f")")
        done
    fi
    [ ${#bases[@]} -gt 0 ] || { log "nothing to stop"; return 0; }
    local rc=0 b
    for b in "${bases[@]}"; do stop_one "$b" || rc=1; done
    return $rc
}

status() {
    local f b
    for f in "$STATE_DIR"/"$PREFIX"*; do
        [ -f "$f" ] || continue
        b=$(cat "$f")
        if [ -f "$b/data/postmaster.pid" ] && alive "$(head -n1 "$b/data/postmaster.pid")"; then
            echo "running  $b  postgres://postgres@${b//\//%2F}:$PORT/$DB_NAME"
        else
            echo "stale    $b"
        fi
    done
}

case "${1:-}" in
    start) start ;;
    stop) shift; stop "${1:-}" ;;
    status) status ;;
    *) echo "usage: $0 start | stop [DATABASE_URL|DIR] | status" >&2; exit 2 ;;
esac
