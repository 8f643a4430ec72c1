"""From a file on disk to stored minutes: register the file, read it, parse it, store the meeting."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from minutes.errors import DocumentNotFound, IngestError
from minutes.models import Meeting, SourceDocument
from minutes.parsing import PARSER_VERSION
from minutes.parsing.document import parse_document
from minutes.parsing.header import KnownNetwork
from minutes.reading.base import ExtractedText, ProgressCallback
from minutes.reading.registry import read_document, sniff_mime_type
from networks.models import Network

from .results import IngestResult
from .store import store_parsed

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from minutes.parsing.result import ParsedMinutes

log = logging.getLogger(__name__)

UNEXPECTED_ERROR = (
    "Ett oväntat fel inträffade när dokumentet lästes in. Försök igen, eller kontakta en administratör."
)
# The document fields reading and parsing fill in (see _record_reading).
READING_FIELDS = [
    "extracted_text",
    "read_method",
    "mime_type",
    "ocr_confidence",
    "page_count",
    "pages_done",
    "pages_total",
    "parser_version",
    "parsed_json",
    "warnings",
]
# Pages done are written at most this often (seconds): a text file never writes any.
PROGRESS_SAVE_INTERVAL = 1.0


def networks_for_parser() -> tuple[KnownNetwork, ...]:
    """The networks in the database, in the shape the parser recognises bodies by."""
    return tuple(
        KnownNetwork(network.slug, network.name, tuple(network.all_names()))
        for network in Network.objects.order_by("pk")
    )


def document_register(
    *,
    path: Path | str,
    original_name: str | None = None,
    uploaded_by: AbstractBaseUser | None = None,
    network: Network | None = None,
) -> tuple[SourceDocument, bool]:
    """Copy the file into storage and record it, keyed by its SHA-256.

    Returns ``(document, created)``; a file whose content is already stored returns the
    existing document and copies nothing. Raises DocumentNotFound if the file can't be read.
    """
    path = Path(path)
    name = original_name or path.name
    try:
        digest, size = _sha256(path)
        mime_type = sniff_mime_type(path)
    except OSError as exc:
        raise DocumentNotFound(f"Filen {name} finns inte eller kunde inte öppnas.") from exc
    existing = SourceDocument.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing, False
    document = SourceDocument(
        original_name=name[: SourceDocument._meta.get_field("original_name").max_length or 255],
        sha256=digest,
        mime_type=mime_type[:100],
        size=size,
        network=network,
        uploaded_by=uploaded_by,
    )
    with path.open("rb") as handle:
        document.file.save(name, File(handle), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        # Someone registered the same content a moment ago: theirs is the row to use.
        document.file.delete(save=False)
        return SourceDocument.objects.get(sha256=digest), False
    except BaseException:
        document.file.delete(save=False)
        raise
    return document, True


def document_process(
    *,
    document: SourceDocument,
    progress: ProgressCallback | None = None,
    network: Network | None = None,
    meeting_date_hint: str | None = None,
    title_override: str | None = None,
    publish: bool = True,
    reprocess: bool = False,
    max_pages: int | None = None,
    ocr_workers: int | None = None,
) -> IngestResult:
    """Read, parse and store one registered document.

    A document that was already stored successfully is not read again (the result says
    ``unchanged``) unless ``reprocess`` is set, e.g. after a parser upgrade. Without
    ``meeting_date_hint`` an ISO date in the file name is the hint. ``max_pages`` and
    ``ocr_workers`` default to the DJANGO_MAX_PAGES and DJANGO_OCR_WORKERS settings.

    On an IngestError the document is marked failed with the Swedish message (in its own
    small transaction), nothing of the meeting is saved, and the error is re-raised.
    """
    if document.status == SourceDocument.Status.READY and not reprocess:
        unchanged = _unchanged_result(document)
        if unchanged is not None:
            return unchanged
    _document_update(document, status=SourceDocument.Status.PROCESSING, error_message="", pages_done=0)
    extracted: ExtractedText | None = None
    parsed: ParsedMinutes | None = None
    try:
        with _local_path(document) as path:
            extracted = read_document(
                path,
                progress=_ProgressRecorder(document, progress),
                ocr_workers=ocr_workers or settings.BESLUTSARKIVET_OCR_WORKERS,
                max_pages=max_pages or settings.BESLUTSARKIVET_MAX_PAGES,
            )
        parsed = parse_document(
            extracted.text,
            source=document.original_name,
            meeting_date_hint=meeting_date_hint or _date_in_name(document.original_name),
            networks=networks_for_parser() or None,
        )
        with transaction.atomic():
            result = store_parsed(
                parsed=parsed,
                document=document,
                network=network or document.network,
                publish=publish,
                title_override=(title_override or "").strip() or None,
            )
            result.warnings[:0] = list(extracted.warnings)
            _record_reading(document, extracted, parsed)
            document.warnings = list(result.warnings)
            document.network = result.meeting.network
            document.status = SourceDocument.Status.READY
            document.error_message = ""
            # Only what processing owns: an upload may add to upload_options meanwhile.
            document.save(update_fields=[*READING_FIELDS, "network", "status", "error_message", "updated_at"])
        return result
    except IngestError as exc:
        _document_failed(document, str(exc), extracted, parsed)
        raise
    except Exception:
        log.exception("Ingest of document %s failed unexpectedly", document.pk)
        _document_failed(document, UNEXPECTED_ERROR, extracted, parsed)
        raise


def meeting_ingest(
    *,
    path: Path | str,
    network: Network | None = None,
    uploaded_by: AbstractBaseUser | None = None,
    progress: ProgressCallback | None = None,
    publish: bool = True,
    original_name: str | None = None,
    meeting_date_hint: str | None = None,
    max_pages: int | None = None,
    ocr_workers: int | None = None,
) -> IngestResult:
    """Register and process one file: the one-call entry point (command, uploads, tasks).

    The same content twice gives ``unchanged``; a new version of a stored meeting is
    merged into it, keeping human edits (see minutes.services.store).
    """
    document, _ = document_register(
        path=path, original_name=original_name, uploaded_by=uploaded_by, network=network
    )
    return document_process(
        document=document,
        progress=progress,
        network=network,
        meeting_date_hint=meeting_date_hint,
        publish=publish,
        max_pages=max_pages,
        ocr_workers=ocr_workers,
    )


# --- helpers --------------------------------------------------------------------------------


def _sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _date_in_name(name: str) -> str | None:
    match = re.search(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)", name)
    if not match:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


@contextlib.contextmanager
def _local_path(document: SourceDocument) -> Iterator[Path]:
    """The stored file as a local path; a copy in a temp dir for storages without paths."""
    if not document.file:
        raise DocumentNotFound(f"Dokumentet {document} saknar fil.")
    try:
        local: Path | None = Path(document.file.path)
    except NotImplementedError:
        local = None
    if local is not None:
        yield local
        return
    suffix = Path(document.file.name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        try:
            with document.file.open("rb") as handle:
                shutil.copyfileobj(handle, copy)
        except OSError as exc:
            raise DocumentNotFound(f"Filen {document} kunde inte hämtas från lagringen.") from exc
        copy.flush()
        yield Path(copy.name)


def _unchanged_result(document: SourceDocument) -> IngestResult | None:
    meeting = document.meetings.select_related("network").first()
    if meeting is None and document.network_id and document.parsed_json:
        # A newer version has since become the meeting's source document.
        date = (document.parsed_json or {}).get("date")
        if date:
            meeting = (
                Meeting.objects.select_related("network")
                .filter(network=document.network_id, date=date)
                .first()
            )
    if meeting is None:
        return None  # its meeting was deleted: read the file again
    return IngestResult(meeting=meeting, document=document, unchanged=True, warnings=list(document.warnings))


def _record_reading(document: SourceDocument, extracted: ExtractedText, parsed: ParsedMinutes | None) -> None:
    document.extracted_text = extracted.text
    document.read_method = extracted.method
    document.mime_type = extracted.mime_type or document.mime_type
    document.ocr_confidence = extracted.ocr_confidence
    document.page_count = extracted.page_count
    document.pages_done = document.pages_total = extracted.page_count
    if parsed is not None:
        document.parser_version = parsed.parser_version or PARSER_VERSION
        document.parsed_json = parsed.to_json()


def _document_update(document: SourceDocument, **values: object) -> None:
    """A small UPDATE; it moves updated_at too, which tells a live document from a stalled one."""
    values["updated_at"] = timezone.now()
    for name, value in values.items():
        setattr(document, name, value)
    SourceDocument.objects.filter(pk=document.pk).update(**values)


def _document_failed(
    document: SourceDocument,
    message: str,
    extracted: ExtractedText | None,
    parsed: ParsedMinutes | None,
) -> None:
    """Record the failure on its own, keeping what was read so a human can see why."""
    document.status = SourceDocument.Status.FAILED
    document.error_message = message
    fields = ["status", "error_message", "updated_at"]
    if extracted is not None:
        _record_reading(document, extracted, parsed)
        document.warnings = [*extracted.warnings, *(parsed.warnings if parsed else [])]
        fields += READING_FIELDS
    with transaction.atomic():
        document.save(update_fields=fields)


class _ProgressRecorder:
    """Passes page progress on, and writes it to the document at most once a second."""

    def __init__(self, document: SourceDocument, callback: ProgressCallback | None) -> None:
        self.document = document
        self.callback = callback
        self.last_save = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last_save >= PROGRESS_SAVE_INTERVAL:
            self.last_save = now
            _document_update(self.document, pages_done=done, pages_total=total)
        if self.callback is not None:
            self.callback(done, total)
