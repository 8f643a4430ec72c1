"""Read minutes files into the database; idempotent per file (SHA-256), human edits survive."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from minutes.errors import IngestError
from minutes.services import IngestResult, RowCounts, meeting_ingest
from networks.models import Network


class Command(BaseCommand):
    help = (
        "Läs in minnesanteckningar (txt, pdf, docx, skannad bild) till registret. Samma fil två gånger "
        "ändrar ingenting; en ny version av ett möte uppdaterar det men behåller manuella ändringar."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--network",
            metavar="SLUG",
            help="Lägg mötena under detta nätverk (dess kortnamn i adresser) i stället för det som känns igen.",
        )
        parser.add_argument(
            "--draft", action="store_true", help="Publicera inte: nya möten sparas som utkast."
        )

    def handle(self, *args: Any, files: list[Path], network: str | None, draft: bool, **options: Any) -> None:
        target = None
        if network is not None:
            target = Network.objects.filter(slug=network).first()
            if target is None:
                known = ", ".join(Network.objects.order_by("slug").values_list("slug", flat=True)) or "inga"
                raise CommandError(f"Nätverket ”{network}” finns inte. Befintliga: {known}.")

        err: TextIO = self.stderr._out  # the bars draw on the raw stream
        failed = 0
        with tqdm(total=len(files), unit="fil", file=err, disable=len(files) < 2 or None, leave=False) as bar:
            for path in files:
                bar.set_postfix_str(path.name, refresh=False)
                pages = _PageBar(err)
                try:
                    result = meeting_ingest(path=path, network=target, publish=not draft, progress=pages)
                except IngestError as exc:
                    failed += 1
                    self._emit(self.stderr, f"{path.name}: FEL: {exc}")
                except Exception as exc:
                    if options.get("traceback"):
                        raise
                    failed += 1
                    self._emit(self.stderr, f"{path.name}: FEL: oväntat fel ({type(exc).__name__}: {exc})")
                else:
                    self._emit(self.stdout, "\n".join(_report(path, result)))
                finally:
                    pages.close()
                    bar.update()
        if failed:
            raise CommandError(f"{failed} av {len(files)} filer kunde inte läsas in.")

    def _emit(self, stream: Any, text: str) -> None:
        # tqdm.write clears the bars first, so report lines never end up inside a bar.
        tqdm.write(text, file=stream._out)


class _PageBar:
    """A page bar for long reads (OCR), drawn only once a document has more than one page."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.bar: tqdm | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < 2:
                return
            self.bar = tqdm(total=total, unit="sida", file=self.stream, leave=False, disable=None, position=1)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _report(path: Path, result: IngestResult) -> list[str]:
    meeting = result.meeting
    where = f"{meeting.network.name} {meeting.date.isoformat()}"
    if result.unchanged:
        return [f"{path.name}: {result.outcome} ({where})"]
    state = "" if meeting.is_published else ", ej publicerat"
    lines = [f"{path.name}: {result.outcome}: {where}{state}"]
    counts = result.counts
    lines.append(
        "  "
        + " · ".join(
            f"{label} {_counts(rows)}"
            for label, rows in (
                ("ärenden", counts.items),
                ("beslut", counts.decisions),
                ("uppdrag", counts.assignments),
            )
        )
    )
    lines += [f"  behöll manuell ändring: {text}" for text in result.kept_human_edits]
    lines += [f"  konflikt: {conflict}" for conflict in result.conflicts]
    lines += [f"  varning: {text}" for text in result.warnings]
    return lines


def _counts(rows: RowCounts) -> str:
    parts = [f"{rows.created} nya", f"{rows.updated} ändrade", f"{rows.deleted} borttagna"]
    if rows.kept:
        parts.append(f"{rows.kept} behållna")
    return ", ".join(parts)
