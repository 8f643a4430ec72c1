"""Search benchmark: 10 typical queries through decisions.search at 1,000,000 decisions on PostgreSQL.

    python bench/bench_search.py [--decisions 1000000] [--repeat 20] [--keep]

Needs DATABASE_URL=postgres://… (``make bench`` starts a throwaway cluster); on SQLite it
says so and exits 0. It creates its own database next to the one in DATABASE_URL
(``<name>_bench_search``), generates the corpus there and drops it at the end; ``--keep``
keeps it and reuses it on the next run when it already holds the requested number of rows.

The corpus is built from the vocabulary of fixtures/seeds/*.txt: decision clauses ("att
lägga informationen till handlingarna."), item titles and words drawn with their natural
frequencies, so "handlingarna" matches hundreds of thousands of rows and "kvinnofrid" a few
thousand. Rows are generated in Python and loaded with COPY; the search documents and the
vocabulary are then computed by ``search_documents_refresh()`` (the bulk-import path) and the
GIN indexes built afterwards. Each query runs
``list(search_decisions(q, Decision.objects.published())[:20])``; the script prints the exact
number of matches, median / p95 / max per query, search_count() time, and the overall
median and p95 — figures only, no assertions.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS = REPO_ROOT / "fixtures" / "seeds"
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

QUERIES = [
    "tillnyktringsplatser",
    "godkanna",
    "kvinnofrid",
    "handlingarna",
    "Styrgruppen uppdrag",
    "TN-platser",
    "samverk*",
    "budget 2022",
    "tilnyktring",
    '"nära vård"',
]
SEARCH_INDEXES = ("decisions_decision_search_vector_gin", "decisions_searchword_trgm")
DECISIONS_PER_ITEM = 4
ITEMS_PER_MEETING = 10
CHUNK = 50_000


def log(message: str) -> None:
    print(message, flush=True)


# --- vocabulary --------------------------------------------------------------


class Vocabulary:
    """Decision clauses, item titles, tasks and words (with their frequencies) from the seed minutes."""

    def __init__(self, seeds: Path) -> None:
        self.clauses: list[str] = []
        self.titles: list[str] = []
        self.words: list[str] = []
        for path in sorted(seeds.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            lines = [line.strip() for line in text.splitlines()]
            for index, line in enumerate(lines):
                if match := re.match(r"^(?:\d+\.\s*)?[Aa]tt\s", line):
                    clause = line[match.start() :]
                    clause = re.sub(r"^\d+\.\s*", "", clause)
                    following = index + 1
                    while not clause.endswith((".", ";")) and following < min(len(lines), index + 4):
                        if not lines[following]:
                            break
                        clause += " " + lines[following]
                        following += 1
                    self.clauses.append(self._clean(clause))
                if match := re.match(r"^\d{1,2}\.\s+([A-ZÅÄÖ].{3,})$", line):
                    self.titles.append(self._clean(match.group(1)))
            self.words += re.findall(r"[^\W\d_]{2,}(?:-[^\W\d_]+)*|\b(?:19|20)\d\d\b", text)
        self.tasks = [c for c in self.clauses if "uppdrag" in c] or self.clauses
        if not (self.clauses and self.titles and self.words):
            raise SystemExit(f"no usable vocabulary in {seeds}")

    @staticmethod
    def _clean(text: str) -> str:
        # COPY's text format: no tabs, newlines or backslashes in values.
        return " ".join(text.replace("\\", " ").split())


# --- corpus ------------------------------------------------------------------


def copy_lines(cursor, table: str, columns: str, lines: Iterator[str]) -> None:
    """COPY pre-formatted lines (text format: tab-separated, \\N for NULL) in chunks."""
    sql = f"COPY {table} ({columns}) FROM STDIN"
    raw = cursor.cursor
    chunk: list[str] = []

    def flush() -> None:
        data = "".join(chunk)
        if hasattr(raw, "copy_expert"):  # psycopg2
            raw.copy_expert(sql, io.StringIO(data))
        else:  # psycopg 3
            with raw.copy(sql) as copy:
                copy.write(data)
        chunk.clear()

    for line in lines:
        chunk.append(line)
        if len(chunk) == CHUNK:
            flush()
    if chunk:
        flush()


def generate(total: int, vocabulary: Vocabulary, rng: random.Random) -> None:
    import datetime

    from django.db import connection

    from decisions.search import search_documents_refresh

    items = -(-total // DECISIONS_PER_ITEM)
    meetings = -(-items // ITEMS_PER_MEETING)
    now = datetime.datetime.now(datetime.UTC).isoformat()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM networks_network ORDER BY id")
        networks = [row[0] for row in cursor.fetchall()]
        if not networks:
            cursor.execute(
                "INSERT INTO networks_network (name, slug, short_name, aliases, description) "
                "VALUES ('Benchnätverket', 'bench', '', '[]', '') RETURNING id"
            )
            networks = [cursor.fetchone()[0]]
        # The search indexes are built after loading: much faster than maintaining them row by row.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)", [list(SEARCH_INDEXES)]
        )
        index_definitions = cursor.fetchall()
        for name, _ in index_definitions:
            cursor.execute(f"DROP INDEX {name}")

        started = time.perf_counter()
        first_day = datetime.date(2026, 1, 1) - datetime.timedelta(days=meetings // len(networks) + 1)
        copy_lines(
            cursor,
            "minutes_meeting",
            "id, network_id, date, start_time, end_time, location, title, previous_minutes, "
            "is_published, edited_fields, created_at, updated_at",
            (
                f"{m}\t{networks[m % len(networks)]}\t{first_day + datetime.timedelta(days=m // len(networks))}"
                f"\t09:00\t12:00\tTeams\tMinnesanteckningar {m}\t[]\tt\t[]\t{now}\t{now}\n"
                for m in range(1, meetings + 1)
            ),
        )
        titles = vocabulary.titles
        copy_lines(
            cursor,
            "minutes_agendaitem",
            'id, meeting_id, number, title, presenters, status, body, "order", edited_fields',
            (
                f"{i}\t{(i - 1) // ITEMS_PER_MEETING + 1}\t{(i - 1) % ITEMS_PER_MEETING + 1}"
                f"\t{rng.choice(titles)}\t[]\thandled\t\t{(i - 1) % ITEMS_PER_MEETING}\t[]\n"
                for i in range(1, items + 1)
            ),
        )
        clauses, words = vocabulary.clauses, vocabulary.words

        def decision_text() -> str:
            clause = rng.choice(clauses)
            if rng.random() < 0.6:  # most decisions have some prose around the clause
                clause += " " + " ".join(rng.choices(words, k=rng.randint(3, 14)))
            return clause

        copy_lines(
            cursor,
            "decisions_decision",
            'id, item_id, "order", text, kind, is_formal, edited_fields, created_at, updated_at, search_text',
            (
                f"{d}\t{(d - 1) // DECISIONS_PER_ITEM + 1}\t{(d - 1) % DECISIONS_PER_ITEM}\t{decision_text()}"
                f"\tother\t{'t' if d % 5 else 'f'}\t[]\t{now}\t{now}\t\n"
                for d in range(1, total + 1)
            ),
        )
        # One assignment per 10 decisions; every fifth of them belongs to the item only.
        tasks = vocabulary.tasks
        copy_lines(
            cursor,
            "decisions_assignment",
            'id, decision_id, item_id, assignees_text, task, status, done_comment, "order", '
            "edited_fields, created_at, updated_at",
            (
                f"{a}\t{'\\N' if a % 5 == 0 else a * 10}\t{(a * 10 - 1) // DECISIONS_PER_ITEM + 1}"
                f"\tStyrgruppen\t{rng.choice(tasks)}\topen\t\t0\t[]\t{now}\t{now}\n"
                for a in range(1, total // 10 + 1)
            ),
        )
        for table in ("minutes_meeting", "minutes_agendaitem", "decisions_decision", "decisions_assignment"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        log(
            f"  COPY {total:,} decisions, {items:,} items, {meetings:,} meetings, {total // 10:,} assignments:"
            f" {time.perf_counter() - started:.1f} s"
        )

        started = time.perf_counter()
        search_documents_refresh()
        log(
            f"  search documents and vocabulary (search_documents_refresh()): {time.perf_counter() - started:.1f} s"
        )

        started = time.perf_counter()
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for _, definition in index_definitions:
            cursor.execute(definition)
        log(f"  GIN indexes: {time.perf_counter() - started:.1f} s")


# --- database ----------------------------------------------------------------


def admin_connection(url: str):
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    connection = psycopg2.connect(
        dbname=config["NAME"],
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    connection.autocommit = True
    return connection


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--keep", action="store_true", help="keep the bench database (and reuse it next time)"
    )
    args = parser.parse_args(argv)

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        log("bench_search: skipped — needs PostgreSQL (DATABASE_URL=postgres://…; `make bench` starts one).")
        return 0

    import dj_database_url

    bench_db = f"{dj_database_url.parse(url)['NAME']}_bench_search"
    admin = admin_connection(url)
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [bench_db])
        exists = cursor.fetchone() is not None
        if exists and not args.keep:
            cursor.execute(f'DROP DATABASE "{bench_db}"')
            exists = False
        if not exists:
            cursor.execute(f'CREATE DATABASE "{bench_db}"')
    os.environ["DATABASE_URL"] = with_database(url, bench_db)

    try:
        return run(args, reuse=exists)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{bench_db}"')
            log(f"dropped database {bench_db}")
        else:
            log(f"kept database {bench_db} (--keep)")
        admin.close()


def run(args: argparse.Namespace, *, reuse: bool) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from decisions.models import Decision
    from decisions.search import CANDIDATES, search_count, search_decisions

    call_command("migrate", verbosity=0)
    present = Decision.objects.count()
    if reuse and present == args.decisions:
        log(f"reusing {present:,} decisions in {connection.settings_dict['NAME']}")
    else:
        if present:
            raise SystemExit(
                f"database {connection.settings_dict['NAME']} already holds {present:,} decisions"
            )
        log(f"generating {args.decisions:,} decisions from {SEEDS.relative_to(REPO_ROOT)}/*.txt …")
        started = time.perf_counter()
        generate(args.decisions, Vocabulary(SEEDS), random.Random(20200904))
        step = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        log(f"  VACUUM ANALYZE: {time.perf_counter() - step:.1f} s")
        log(f"  generation total: {time.perf_counter() - started:.1f} s")

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('decisions_decision'))")
        log(f"decisions_decision with indexes: {cursor.fetchone()[0]}")
        for name in SEARCH_INDEXES:
            cursor.execute("SELECT pg_size_pretty(pg_relation_size(%s::regclass))", [name])
            log(f"  {name}: {cursor.fetchone()[0]}")

    published = Decision.objects.published()
    log(
        f"\n{args.repeat}× list(search_decisions(q, Decision.objects.published())[:20]) with "
        f"{CANDIDATES} ranked candidates, and 5× search_count(q) (cap 1000); times in ms"
    )
    log(
        f"{'query':<22} {'matches':>9} {'median':>7} {'p95':>7} {'max':>7} {'count()':>8}  "
        "best hit (headline)"
    )
    every: list[float] = []
    for query in QUERIES:
        list(search_decisions(query, published)[:20])  # warm-up (plans, caches)
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            hits = list(search_decisions(query, published)[:20])
            timings.append((time.perf_counter() - started) * 1000)
        every += timings
        count_timings = []
        for _ in range(5):
            started = time.perf_counter()
            search_count(query, published)
            count_timings.append((time.perf_counter() - started) * 1000)
        matches = published.filter(_condition(query, published)).count()  # exact, untimed
        first = re.sub(r"\s+", " ", hits[0].search_headline)[:50] if hits else "—"
        log(
            f"{query:<22} {matches:>9,} {statistics.median(timings):7.1f} {percentile(timings, 0.95):7.1f} "
            f"{max(timings):7.1f} {statistics.median(count_timings):8.1f}  {first}"
        )
    log(
        f"\noverall ({len(every)} searches): median {statistics.median(every):.1f} ms, "
        f"p95 {percentile(every, 0.95):.1f} ms, max {max(every):.1f} ms"
    )
    return 0


def _condition(query: str, queryset):
    """The WHERE condition search_decisions uses (to count every match once, for the table)."""
    from decisions import search

    return search._prepare(search._parse(query), queryset).condition


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
