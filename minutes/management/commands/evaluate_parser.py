"""Run the parser on files and score it against gold JSON (figures as spec/score_minutes.py)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minutes.errors import IngestError
from minutes.management.commands.parse_minutes import parse_file
from minutes.scoring import Scorer, format_figures


def gold_name(path: Path) -> str:
    """ "000_x.scan.pdf" and "000_x.txt" both score against gold "000_x.json"."""
    return path.name.split(".", 1)[0]


class Command(BaseCommand):
    help = "Utvärdera tolkningen mot facit: GOLD_DIR med <namn>.json, och filerna att tolka."

    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("gold_dir", type=Path, metavar="GOLD_DIR")
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument("--json", action="store_true", help="Skriv siffrorna som JSON.")

    def handle(self, *args, gold_dir: Path, files: list[Path], **options):
        if not gold_dir.is_dir():
            raise CommandError(f"Facitmappen finns inte: {gold_dir}")
        scorer = Scorer()
        missing: list[str] = []
        for path in files:
            gold_path = gold_dir / f"{gold_name(path)}.json"
            if not gold_path.is_file():
                missing.append(f"{path.name} (inget facit)")
                continue
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            try:
                pred = parse_file(path)
            except IngestError as error:
                missing.append(f"{path.name} ({error})")
                pred = {}
            scorer.add(gold, pred)
        figures = scorer.figures()
        if options["json"]:
            self.stdout.write(json.dumps({**figures, "missing": missing}, indent=2))
            return
        if missing:
            self.stderr.write("Ingen tolkning för: " + ", ".join(missing))
        for line in format_figures(figures):
            self.stdout.write(line)
