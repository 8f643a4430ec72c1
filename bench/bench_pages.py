"""Requests per second for the read side's busiest pages, served by gunicorn, measured with wrk.

    DATABASE_URL=postgres://… python bench/bench_pages.py

Needs PostgreSQL (``make bench`` starts a throwaway cluster and sets DATABASE_URL). The script
creates its own database next to the given one, migrates it, ingests fixtures/seeds/*.txt,
starts gunicorn on a free loopback port with DJANGO_PUBLIC_READ=1 and runs
``wrk -t2 -c8 -d10s`` against the meeting page (the largest meeting), the decision search
("tillnyktringsplatser") and the start page. The server and the database are removed afterwards,
also on failure or Ctrl-C.

Environment: BENCH_PAGES_DURATION (default 10s), BENCH_PAGES_WORKERS (gunicorn workers,
default min(4, CPUs)).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
WRK = shutil.which("wrk") or "/usr/bin/wrk"
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
DURATION = os.environ.get("BENCH_PAGES_DURATION", "10s")
WORKERS = int(os.environ.get("BENCH_PAGES_WORKERS", min(4, os.cpu_count() or 1)))
DB_NAME = f"bench_pages_{os.getpid()}"


def log(message: str) -> None:
    print(message, flush=True)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@contextmanager
def throwaway_database(url: str):
    """A fresh database in the same PostgreSQL server, dropped on exit."""
    import psycopg2
    from dj_database_url import parse

    config = parse(url)
    admin = {
        "dbname": config["NAME"],
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
    }
    admin = {k: v for k, v in admin.items() if v}

    def execute(sql: str) -> None:
        with closing(psycopg2.connect(**admin)) as connection:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(sql)

    execute(f'CREATE DATABASE "{DB_NAME}"')
    try:
        yield _with_database(url, DB_NAME)
    finally:
        try:
            execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        except Exception as exc:  # pragma: no cover - best effort cleanup
            log(f"note: could not drop {DB_NAME}: {exc}")


def prepare(database_url: str) -> dict[str, str]:
    """Migrate, ingest the seeds and return the paths to measure."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count

    from minutes.models import Meeting
    from minutes.services import meeting_ingest

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    seeds = sorted((REPO_ROOT / "fixtures" / "seeds").glob("*.txt"))
    for path in seeds:
        meeting_ingest(path=path)
    meeting = Meeting.objects.published().annotate(n=Count("items__decisions")).order_by("-n").first()
    if meeting is None:
        raise SystemExit("no meetings after ingesting the seeds")
    log(
        f"prepared {DB_NAME}: migrated, {len(seeds)} seed files ingested, "
        f"{Meeting.objects.published().count()} meetings ({time.perf_counter() - started:.1f}s)"
    )
    from django.db import connections

    connections.close_all()
    return {
        f"meeting page ({meeting.network} {meeting.date}, {meeting.n} decisions)": meeting.get_absolute_url(),
        "search page (q=tillnyktringsplatser)": "/beslut/?q=" + quote("tillnyktringsplatser"),
        "start page": "/",
    }


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(database_url: str):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_PUBLIC_READ": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_LOG_LEVEL": "ERROR",
    }
    env.pop("DJANGO_DEBUG", None)
    command = [
        GUNICORN,
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--log-level",
        "warning",
        "--chdir",
        str(REPO_ROOT),
    ]
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {process.returncode}")
            try:
                with urllib.request.urlopen(base + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer within 30 s")
            time.sleep(0.2)
        log(f"gunicorn: {WORKERS} sync workers on {base} (pid {process.pid})")
        yield base
    finally:
        # Only the server we started: its own process group.
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def measure(base: str, path: str) -> dict[str, str]:
    with urllib.request.urlopen(base + path, timeout=10) as response:  # warm-up and sanity check
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status}")
        size = len(response.read())
    out = subprocess.run(
        [WRK, "-t2", "-c8", f"-d{DURATION}", "--latency", base + path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = {"bytes": str(size)}
    for key, pattern in (
        ("rps", r"Requests/sec:\s+([\d.]+)"),
        ("avg", r"Latency\s+([\d.]+\w+)"),
        ("p50", r"50%\s+([\d.]+\w+)"),
        ("p99", r"99%\s+([\d.]+\w+)"),
        ("errors", r"Non-2xx or 3xx responses:\s+(\d+)"),
    ):
        match = re.search(pattern, out)
        figures[key] = match.group(1) if match else ("0" if key == "errors" else "?")
    return figures


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        log("bench_pages: needs DATABASE_URL=postgres://… (make bench sets it); skipped")
        return 0
    if not Path(WRK).exists():
        log("bench_pages: wrk is not installed (apt-get install wrk); skipped")
        return 0
    with throwaway_database(url) as database_url:
        paths = prepare(database_url)
        with gunicorn(database_url) as base:
            log(f"wrk -t2 -c8 -d{DURATION}, DJANGO_PUBLIC_READ=1\n")
            log(f"  {'page':<58} {'req/s':>8} {'avg':>9} {'p50':>9} {'p99':>9} {'KiB':>6} {'errors':>6}")
            for label, path in paths.items():
                f = measure(base, path)
                log(
                    f"  {label:<58} {f['rps']:>8} {f['avg']:>9} {f['p50']:>9} {f['p99']:>9} "
                    f"{int(f['bytes']) / 1024:>6.0f} {f['errors']:>6}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
