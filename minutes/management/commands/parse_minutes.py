"""Print the parsed-minutes JSON for files, without touching the database."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minutes.errors import IngestError
from minutes.parsing import parse_minutes
from minutes.reading.registry import read_document


def parse_file(path: Path) -> dict:
    """Read and parse one file into the interchange JSON object."""
    extracted = read_document(path)
    return parse_minutes(extracted.text, source=path.name).to_json()


class Command(BaseCommand):
    help = "Tolka minnesanteckningar (txt, pdf, docx, bild) och skriv ut JSON. Rör inte databasen."

    # Parsing needs no database: don't run the system checks that open a connection.
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--out",
            type=Path,
            metavar="DIR",
            help="Skriv DIR/<filnamn>.json för varje fil i stället för stdout.",
        )

    def handle(self, *args, files: list[Path], out: Path | None, **options):
        if out is None and len(files) > 1:
            raise CommandError("Utan --out kan bara en fil tolkas åt gången (without --out, give one FILE).")
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
        failures = 0
        for path in files:
            try:
                if not path.is_file():
                    raise IngestError(f"Filen finns inte: {path}")
                data = parse_file(path)
            except IngestError as error:
                failures += 1
                self.stderr.write(f"{path.name}: {error}")
                continue
            text = json.dumps(data, ensure_ascii=False, indent=2)
            if out is None:
                self.stdout.write(text)
            else:
                (out / f"{path.name}.json").write_text(text + "\n", encoding="utf-8")
        if failures:
            sys.stdout.flush()
            raise CommandError(f"{failures} av {len(files)} filer kunde inte tolkas.")
