"""Upload → "ready for review" time for scanned minutes, with one and with two db_worker processes.

    DATABASE_URL=postgres://… python bench/bench_upload.py      (what `make bench` does)
    python bench/bench_upload.py                                 (a temporary SQLite file instead)

Everything runs against a throwaway database (a new PostgreSQL database in the cluster of
DATABASE_URL, dropped at the end; or a temporary SQLite file) and a temporary media folder.
Uploads go through the real upload view (django.test.Client, signed in as an admin), which
registers the file and queues the task on commit; ``manage.py db_worker`` processes read
them. The clock runs from the upload POST until the document's status is "ready".

Scenarios, for 1 and 2 workers (workers are started and warmed up before the clock starts):
  single  – the smallest scan alone: the latency a secretary sees;
  pair    – the two smallest scans uploaded back to back: each one's latency and the makespan.
Tesseract threads per worker are cpu_count // workers (at least 1), so two workers do not
oversubscribe the CPUs more than one does; the figures say how many were used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES = REPO_ROOT / "fixtures" / "samples"
SCANS = [
    ("d3_schnv_2021-09-17.scan.pdf", "schnv"),
    ("d4_lanschefsnatverket_2021-06-11.scan.pdf", "chefsnatverket"),
]
WORKER_COUNTS = (1, 2)
TIMEOUT_S = float(os.environ.get("BENCH_UPLOAD_TIMEOUT", "600"))
CPUS = (os.process_cpu_count() if hasattr(os, "process_cpu_count") else os.cpu_count()) or 1


@dataclass
class Run:
    scenario: str
    workers: int
    ocr_threads: int
    latencies: list[float]
    makespan: float


# --- a throwaway database -----------------------------------------------------------------------


def _throwaway_database(work: Path) -> tuple[str, object]:
    """A DATABASE_URL of a fresh database, and a function that removes it."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        import psycopg2

        name = f"bench_upload_{uuid.uuid4().hex[:10]}"
        parts = urlsplit(base)
        admin = psycopg2.connect(_dsn(base))
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        admin.close()

        def drop() -> None:
            connection = psycopg2.connect(_dsn(base))
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.close()

        return urlunsplit(parts._replace(path=f"/{name}")), drop
    path = work / "bench.sqlite3"
    return f"sqlite:///{path}", lambda: None


def _dsn(url: str) -> str:
    import dj_database_url

    db = dj_database_url.parse(url)
    fields = {"dbname": db["NAME"], "user": db.get("USER"), "password": db.get("PASSWORD")}
    fields |= {"host": db.get("HOST"), "port": db.get("PORT")}
    return " ".join(f"{key}='{value}'" for key, value in fields.items() if value)


# --- workers ------------------------------------------------------------------------------------


def _start_workers(count: int, env: dict[str, str], logs: Path) -> list[subprocess.Popen]:
    threads = max(1, CPUS // count)
    workers = []
    for number in range(count):
        log = (logs / f"worker-{count}-{number}.log").open("w")
        workers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--no-startup-delay",
                    "--interval",
                    "0.1",
                    "--no-reload",
                    "--worker-id",
                    f"bench-{count}-{number}",
                ],
                cwd=REPO_ROOT,
                env={**env, "DJANGO_OCR_WORKERS": str(threads)},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    return workers


def _stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=15)


# --- the measurement ----------------------------------------------------------------------------


def _reset() -> None:
    from django_tasks_db.models import DBTaskResult

    from minutes.models import Meeting, SourceDocument

    Meeting.objects.all().delete()
    SourceDocument.objects.all().delete()
    DBTaskResult.objects.all().delete()


def _upload(client, name: str, network) -> tuple[int, float]:
    from django.urls import reverse

    from minutes.models import SourceDocument

    started = time.perf_counter()
    with (SAMPLES / name).open("rb") as handle:
        response = client.post(reverse("manage:upload"), {"file": handle, "network": network.pk})
    if response.status_code != 302:
        raise RuntimeError(f"upload of {name} failed: HTTP {response.status_code}")
    return SourceDocument.objects.get(original_name=name).pk, started


def _wait_ready(pending: dict[int, float]) -> dict[int, float]:
    from minutes.models import SourceDocument

    done: dict[int, float] = {}
    deadline = time.perf_counter() + TIMEOUT_S
    while len(done) < len(pending):
        if time.perf_counter() > deadline:
            raise RuntimeError(f"not ready after {TIMEOUT_S:.0f} s")
        rows = SourceDocument.objects.filter(pk__in=pending.keys() - done.keys()).values_list(
            "pk", "status", "error_message"
        )
        now = time.perf_counter()
        for pk, status, error in rows:
            if status == SourceDocument.Status.READY:
                done[pk] = now - pending[pk]
            elif status == SourceDocument.Status.FAILED:
                raise RuntimeError(f"document {pk} failed: {error}")
        time.sleep(0.1)
    return done


def _measure(client, networks: dict, scans: list[tuple[str, str]], scenario: str, workers: int) -> Run:
    _reset()
    pending: dict[int, float] = {}
    first = None
    for name, slug in scans:
        pk, started = _upload(client, name, networks[slug])
        pending[pk] = started
        first = started if first is None else first
    latencies = _wait_ready(pending)
    makespan = max(pending[pk] + latencies[pk] for pk in pending) - first
    return Run(scenario, workers, max(1, CPUS // workers), [latencies[pk] for pk in pending], makespan)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="bench-upload-"))
    url, drop = _throwaway_database(work)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_MEDIA_ROOT": str(work / "media"),
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("DJANGO_DEBUG", None)
    os.environ.update(env)
    (work / "static").mkdir()
    runs: list[Run] = []
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=REPO_ROOT,
            env=env,
            check=True,
        )
        sys.path.insert(0, str(REPO_ROOT))
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.test import Client

        from networks.models import Network

        admin = get_user_model().objects.create_superuser("bench", "bench@example.org", uuid.uuid4().hex)
        client = Client()
        client.force_login(admin)
        networks = {network.slug: network for network in Network.objects.all()}
        print(
            f"database: {django.db.connection.vendor}; CPUs: {CPUS}; scans: {', '.join(n for n, _ in SCANS)}"
        )
        for count in WORKER_COUNTS:
            workers = _start_workers(count, env, work)
            try:
                time.sleep(3)  # let them import Django and start polling: process start-up is not the upload
                if any(w.poll() is not None for w in workers):
                    raise RuntimeError(f"a db_worker exited at start; see {work}/worker-*.log")
                runs.append(_measure(client, networks, SCANS[:1], "single", count))
                runs.append(_measure(client, networks, SCANS, "pair", count))
            finally:
                _stop_workers(workers)
        from django.db import connections

        connections.close_all()
    finally:
        try:
            drop()
        finally:
            shutil.rmtree(work, ignore_errors=True)

    print()
    print(
        f"{'scenario':<8} {'workers':>7} {'OCR threads':>11}  {'upload → ready (s), per document':<34} {'makespan (s)':>12}"
    )
    for run in runs:
        each = ", ".join(f"{s:.1f}" for s in run.latencies)
        print(f"{run.scenario:<8} {run.workers:>7} {run.ocr_threads:>11}  {each:<34} {run.makespan:>12.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
