"""Ingest time per document: read vs parse vs store, on the seed minutes.

    DATABASE_URL=postgres://… python bench/bench_ingest.py [REPEATS]

`make bench` runs this against a throwaway PostgreSQL cluster. Everything happens in
one transaction that is rolled back at the end, and uploaded copies go to a temp
directory, so the database and media folder are left as they were. Prints figures
only; no assertions on time.

Columns (milliseconds, median of REPEATS runs):
  read        minutes.reading.read_document (text files: encoding detection, clean-up)
  parse       parse_document with the database's networks
  store new   meeting_store into an empty meeting (every row created)
  store again meeting_store of the same parse over the stored meeting (the merge, no changes)
  ingest      meeting_ingest end to end for a new file: hash, copy, read, parse, store
  unchanged   meeting_ingest of the same file again (SHA-256 short cut)
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from minutes.parsing.document import parse_document  # noqa: E402
from minutes.reading.registry import read_document  # noqa: E402
from minutes.services import meeting_ingest, meeting_store, networks_for_parser  # noqa: E402

SEEDS = sorted((REPO_ROOT / "fixtures" / "seeds").glob("*.txt"))
COLUMNS = ("read", "parse", "store new", "store again", "ingest", "unchanged")


class _Rollback(Exception):
    pass


def timed[T](call: Callable[[], T]) -> tuple[T, float, int]:
    """Result, milliseconds, and number of queries of one call."""
    count = 0

    def counting(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        started = time.perf_counter()
        result = call()
        elapsed = (time.perf_counter() - started) * 1000
    return result, elapsed, count


def measure(path: Path, repeats: int) -> tuple[dict[str, float], dict[str, int]]:
    times: dict[str, list[float]] = {column: [] for column in COLUMNS}
    queries: dict[str, int] = {}

    def record(column: str, call: Callable[[], object]) -> object:
        result, ms, count = timed(call)
        times[column].append(ms)
        queries[column] = count
        return result

    for _ in range(repeats):
        extracted = record("read", partial(read_document, path))
        known = networks_for_parser()
        parsed = record(
            "parse",
            partial(parse_document, extracted.text, source=path.name, networks=known),  # type: ignore[attr-defined]
        )
        sid = transaction.savepoint()
        record("store new", partial(meeting_store, parsed=parsed))
        record("store again", partial(meeting_store, parsed=parsed))
        transaction.savepoint_rollback(sid)
        sid = transaction.savepoint()
        record("ingest", partial(meeting_ingest, path=path))
        record("unchanged", partial(meeting_ingest, path=path))
        transaction.savepoint_rollback(sid)
    del queries["read"], queries["parse"]
    return {column: statistics.median(values) for column, values in times.items()}, queries


def main(argv: list[str]) -> int:
    repeats = int(argv[0]) if argv else 5
    if not SEEDS:
        print("no fixtures/seeds/*.txt to ingest")
        return 0
    vendor = connection.vendor
    print(
        f"ingest of {len(SEEDS)} seed files on {vendor}, median of {repeats} runs (ms; queries in brackets)"
    )
    header = f"{'document':<40}" + "".join(f"{column:>16}" for column in COLUMNS)
    print(header)
    print("-" * len(header))
    medians: dict[str, list[float]] = {column: [] for column in COLUMNS}
    with tempfile.TemporaryDirectory(prefix="bench-ingest-media-") as media:
        storages = {
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": media},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        try:
            with override_settings(MEDIA_ROOT=media, STORAGES=storages), transaction.atomic():
                # Warm-up: imports, compiled regexes, content types, the connection itself.
                measure(SEEDS[0], 1)
                for path in SEEDS:
                    result, queries = measure(path, repeats)
                    cells = []
                    for column in COLUMNS:
                        medians[column].append(result[column])
                        count = f" ({queries[column]})" if column in queries else ""
                        cells.append(f"{result[column]:>9.1f}{count:>7}")
                    print(f"{path.name[:40]:<40}" + "".join(cells))
                raise _Rollback
        except _Rollback:
            pass
    print("-" * len(header))
    print(
        f"{'median over documents':<40}"
        + "".join(f"{statistics.median(medians[c]):>9.1f}{'':>7}" for c in COLUMNS)
    )
    total = [sum(medians[c][i] for c in ("read", "parse", "store new")) for i in range(len(SEEDS))]
    parse_share = statistics.median(
        medians["parse"][i] / total[i] * 100 for i in range(len(SEEDS)) if total[i]
    )
    print(
        f"read+parse+store per new document: median {statistics.median(total):.1f} ms "
        f"(parse {parse_share:.0f} % of it)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
