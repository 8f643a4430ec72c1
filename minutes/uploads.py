"""Uploads from the web: checking files, registering them, and running the processing in the background.

The flow (a view, a task, and these services between them)::

    UploadForm ──check_upload()──► spooled temp files (type sniffed from the bytes, size checked)
    UploadView ──upload_receive()──► SourceDocument (services.document_register; duplicate → existing)
                                     + on commit: tasks.process_document.enqueue(document.pk)
    process_document(pk) ──document_run()──► services.document_process(publish=False) → draft meeting
                                     + the upload's corrections and attachment files applied to it

A failure anywhere is recorded on the document in Swedish (``status=failed``), and
``document_retry()`` queues it again.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from .errors import (
    CorruptDocument,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedDocument,
    IngestError,
    ReadError,
    UnsupportedFileType,
)
from .models import Attachment, Meeting, SourceDocument
from .reading.docx import check_package
from .reading.registry import reader_for, sniff_mime_type
from .reading.sniff import (
    BINARY_MIME,
    DOCX_MIME,
    EMPTY_MIME,
    JPEG_MIME,
    PDF_MIME,
    PNG_MIME,
    PPTX_MIME,
    TIFF_MIME,
    XLSX_MIME,
)
from .reading.text import TEXT_MIME

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.core.files.uploadedfile import UploadedFile

    from networks.models import Network

    from .services.results import IngestResult

log = logging.getLogger(__name__)

MINUTES_TYPES = frozenset({TEXT_MIME, PDF_MIME, DOCX_MIME, PNG_MIME, JPEG_MIME, TIFF_MIME})
# Attachments are only stored and served (as downloads), never read, so spreadsheets and
# slides are fine too; executables and HTML are not.
ATTACHMENT_TYPES = MINUTES_TYPES | {XLSX_MIME, PPTX_MIME}
MAX_ATTACHMENTS = 30
ALLOWED_TEXT = "Tillåtna typer: .txt, .pdf, .docx, .png, .jpg, .tif."

# How the extension of a served file is chosen: from the sniffed type, never from the upload's name.
EXTENSIONS = {
    TEXT_MIME: ".txt",
    PDF_MIME: ".pdf",
    DOCX_MIME: ".docx",
    PNG_MIME: ".png",
    JPEG_MIME: ".jpg",
    TIFF_MIME: ".tif",
    XLSX_MIME: ".xlsx",
    PPTX_MIME: ".pptx",
}

UNEXPECTED_FAILURE = (
    "Ett oväntat fel inträffade när dokumentet lästes in. Försök igen; "
    "kvarstår felet, kontakta en administratör."
)
STALLED_AFTER = datetime.timedelta(minutes=30)


# --- checking an upload ------------------------------------------------------------


@dataclass(slots=True, eq=False)
class SpooledFile:
    """An uploaded file copied to a temporary path, with what we learned from its bytes."""

    path: Path
    original_name: str
    size: int
    sha256: str
    mime_type: str

    def remove(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            log.warning("Could not remove spooled upload %s", self.path)


def clean_filename(name: str, *, fallback: str = "fil") -> str:
    """A file name safe to store and to put in a Content-Disposition header.

    Directory parts, control characters, quotes and leading dots go; length is bounded.
    """
    name = unicodedata.normalize("NFC", os.path.basename(name.replace("\\", "/")))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'["<>:|?*;]+', "_", name).strip().lstrip(".")
    if not name:
        return fallback
    stem, dot, ext = name.rpartition(".")
    if dot and len(ext) <= 10:
        return f"{stem[: 200 - len(ext)]}.{ext}" if stem else f"{fallback}.{ext}"
    return name[:200]


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")
    return f"{max(1, size // 1024)} kB"


def _type_error(path: Path, mime_type: str, what: str, name: str) -> str:
    if mime_type == EMPTY_MIME:
        return f"{what} ”{name}” är tom (0 byte)."
    if mime_type == BINARY_MIME:
        return (
            f"{what} ”{name}” innehåller varken läsbar text eller ett känt dokumentformat – "
            f"filnamnet spelar ingen roll, innehållet avgör. {ALLOWED_TEXT}"
        )
    try:
        reader_for(path, mime_type)
    except UnsupportedFileType as exc:  # the reading layer's own Swedish explanation
        return f"{what} ”{name}”: {exc}"
    return f"{what} ”{name}” har en filtyp som inte tas emot här ({mime_type}). {ALLOWED_TEXT}"


def precheck(path: Path, mime_type: str) -> None:
    """The cheap checks that can refuse a file at once, before it is queued for reading.

    Zip bombs and encrypted Word files (from the zip directory), encrypted, damaged or too
    long PDFs (PDFium opens only the cross-reference table), images beyond Pillow's pixel
    limit (from the header). The readers make the same checks again; this only lets the
    form say so right away. Raises a ReadError with a Swedish message.
    """
    max_pages = settings.BESLUTSARKIVET_MAX_PAGES
    if mime_type == DOCX_MIME:
        check_package(path)
    elif mime_type == PDF_MIME:
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_c

        try:
            document = pdfium.PdfDocument(path)
        except pdfium.PdfiumError as exc:
            if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
                raise EncryptedDocument() from exc
            raise CorruptDocument(
                "PDF-filen är skadad, ofullständig eller saknar sidor och kan inte läsas."
            ) from exc
        try:
            pages = len(document)
        finally:
            document.close()
        if pages == 0:
            raise EmptyDocument("PDF-filen innehåller inga sidor.")
        if max_pages and pages > max_pages:
            raise DocumentTooLarge(f"Dokumentet har {pages} sidor; högst {max_pages} kan läsas in.")
    elif mime_type in (PNG_MIME, JPEG_MIME, TIFF_MIME):
        from PIL import Image, UnidentifiedImageError

        from .reading.ocr import MAX_IMAGE_PIXELS

        try:
            with Image.open(path) as image:
                width, height = image.size
                frames = getattr(image, "n_frames", 1)
        except Image.DecompressionBombError as exc:
            raise DocumentTooLarge(
                f"Bilden är för stor för att läsas (högst {MAX_IMAGE_PIXELS // 1_000_000} miljoner bildpunkter)."
            ) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise CorruptDocument("Bildfilen är skadad eller i ett format som inte kan läsas.") from exc
        if width * height > MAX_IMAGE_PIXELS:
            raise DocumentTooLarge(
                f"Bilden är för stor för att läsas ({width} × {height} bildpunkter; högst "
                f"{MAX_IMAGE_PIXELS // 1_000_000} miljoner)."
            )
        if max_pages and frames > max_pages:
            raise DocumentTooLarge(f"Bilden har {frames} sidor; högst {max_pages} kan läsas in.")


def check_upload(
    uploaded: UploadedFile, *, allowed: frozenset[str], what: str = "Filen", will_read: bool = False
) -> SpooledFile:
    """Copy the upload to a temporary file and check its size and (sniffed) type.

    A file that ``will_read`` (the minutes, not attachments) also gets ``precheck``.
    Raises ValidationError with a Swedish message; on success the caller owns the
    temporary file and must ``remove()`` it.
    """
    name = clean_filename(uploaded.name or "")
    limit = settings.BESLUTSARKIVET_UPLOAD_MAX_BYTES
    if not uploaded.size:
        raise ValidationError(f"{what} ”{name}” är tom (0 byte).", code="empty")
    if uploaded.size > limit:
        raise ValidationError(
            f"{what} ”{name}” är för stor ({_size_text(uploaded.size)}). "
            f"Största tillåtna storlek är {_size_text(limit)}.",
            code="too_big",
        )
    handle = tempfile.NamedTemporaryFile(prefix="beslutsarkivet-upload-", delete=False)  # noqa: SIM115
    path = Path(handle.name)
    digest = hashlib.sha256()
    size = 0
    try:
        with handle:
            for chunk in uploaded.chunks():
                size += len(chunk)
                if size > limit:  # the client's declared size may lie
                    raise ValidationError(f"{what} ”{name}” är för stor.", code="too_big")
                digest.update(chunk)
                handle.write(chunk)
        mime_type = sniff_mime_type(path)
        if mime_type not in allowed:
            raise ValidationError(_type_error(path, mime_type, what, name), code="type")
        if will_read:
            try:
                precheck(path, mime_type)
            except ReadError as exc:
                raise ValidationError(f"{what} ”{name}”: {exc}", code="unreadable") from exc
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return SpooledFile(
        path=path, original_name=name, size=size, sha256=digest.hexdigest(), mime_type=mime_type
    )


# --- receiving an upload --------------------------------------------------------------


@dataclass(slots=True)
class UploadOutcome:
    document: SourceDocument
    created: bool
    attachments_added: int = 0
    notes: list[str] = field(default_factory=list)


def _store_attachment_file(spooled: SpooledFile) -> dict[str, Any]:
    """Put an attachment file into storage (under a name we choose) and describe it."""
    ext = EXTENSIONS.get(spooled.mime_type, "")
    stem = Path(spooled.original_name).stem[:80] or "bilaga"
    with spooled.path.open("rb") as handle:
        name = default_storage.save(f"attachments/{timezone.now():%Y/%m}/{stem}{ext}", File(handle))
    return {
        "file": name,
        "original_name": spooled.original_name,
        "sha256": spooled.sha256,
        "mime_type": spooled.mime_type,
        "size": spooled.size,
    }


def upload_receive(
    *,
    minutes: SpooledFile,
    attachments: list[SpooledFile],
    network: Network,
    uploaded_by: AbstractBaseUser | None,
    meeting_date: datetime.date | None = None,
    title: str = "",
) -> UploadOutcome:
    """Register an uploaded minutes file and queue its processing.

    The same file (by SHA-256) uploaded again leads to the existing document: nothing
    new is registered or queued, but new attachment files are still added to it.
    """
    from . import services
    from .tasks import process_document

    with transaction.atomic():
        document, created = services.document_register(
            path=minutes.path,
            original_name=minutes.original_name,
            uploaded_by=uploaded_by if uploaded_by is not None and uploaded_by.is_authenticated else None,
            network=network,
        )
        document = SourceDocument.objects.select_for_update().get(pk=document.pk)
        outcome = UploadOutcome(document=document, created=created)
        options = dict(document.upload_options or {})
        if created:
            options["meeting_date"] = meeting_date.isoformat() if meeting_date else None
            options["title"] = title.strip()
        elif (meeting_date or title) and document.status == SourceDocument.Status.READY:
            outcome.notes.append("Filen fanns redan; rätta datum och rubrik på granskningssidan i stället.")
        stored = [_store_attachment_file(spooled) for spooled in attachments]
        outcome.attachments_added = len(stored)
        meeting = document.meetings.order_by("-pk").first()
        if meeting is not None and document.status == SourceDocument.Status.READY:
            _attach_files(meeting, stored)
        else:
            options["attachments"] = [*options.get("attachments", []), *stored]
        document.upload_options = options
        document.save(update_fields=["upload_options", "updated_at"])
        if created:
            transaction.on_commit(lambda: process_document.enqueue(document.pk))
    return outcome


def document_retry(*, document: SourceDocument) -> None:
    """Queue a failed (or stalled) document again."""
    from .tasks import process_document

    if not can_retry(document):
        raise ValidationError("Dokumentet kan inte försökas igen just nu.")
    with transaction.atomic():
        SourceDocument.objects.filter(pk=document.pk).update(
            status=SourceDocument.Status.PENDING,
            error_message="",
            pages_done=0,
            pages_total=0,
            updated_at=timezone.now(),
        )
        transaction.on_commit(lambda: process_document.enqueue(document.pk))
    document.refresh_from_db()


def can_retry(document: SourceDocument) -> bool:
    """Failed documents, and pending/processing ones that have not moved for a long time."""
    if document.trashed_at is not None:
        return False
    if document.status == SourceDocument.Status.FAILED:
        return True
    stalled = document.updated_at is not None and timezone.now() - document.updated_at > STALLED_AFTER
    return document.status in (SourceDocument.Status.PENDING, SourceDocument.Status.PROCESSING) and stalled


# --- processing (called by the task) -------------------------------------------------

_FILENAME_DATE = re.compile(r"(?<!\d)(20\d\d|19\d\d)[-_. ]?([01]\d)[-_. ]?([0-3]\d)(?!\d)")


def date_from_filename(name: str) -> datetime.date | None:
    """ "d1_valfardsradet_2019-11-20.pdf" → 2019-11-20; None when the name holds no valid date."""
    for match in _FILENAME_DATE.finditer(name or ""):
        try:
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
    return None


def _fail(document_id: int, message: str) -> None:
    SourceDocument.objects.filter(pk=document_id).exclude(status=SourceDocument.Status.FAILED).update(
        status=SourceDocument.Status.FAILED, error_message=message, updated_at=timezone.now()
    )


def document_run(*, document: SourceDocument) -> IngestResult:
    """Read, parse and store one uploaded document as a draft meeting (the task's body).

    The meeting date given in the upload form, or else a date in the file name, is passed
    to the parser as a hint (it warns when the text disagrees). A date typed in the form
    is a correction: it wins over the text and is marked as edited.
    Raises IngestError (recorded on the document by the service) or re-raises anything
    else after making sure a generic Swedish message is recorded.
    """
    from . import services

    options = document.upload_options or {}
    form_date = _parse_iso(options.get("meeting_date"))
    hint = form_date or date_from_filename(document.original_name)
    try:
        # The service marks the document processing, saves pages done/total as it reads
        # (at most once a second), and on failure marks it failed in Swedish and re-raises.
        result = services.document_process(
            document=document,
            network=document.network,
            meeting_date_hint=hint.isoformat() if hint else None,
            title_override=options.get("title") or None,
            publish=False,
        )
    except IngestError as exc:
        _fail(document.pk, str(exc))  # the service has recorded it already; this is the safety net
        raise
    except Exception:
        log.exception("Processing document %s failed unexpectedly", document.pk)
        _fail(document.pk, UNEXPECTED_FAILURE)  # unless the service recorded it already
        raise
    try:
        with transaction.atomic():
            _apply_upload_corrections(result.meeting, form_date)
            pending = options.get("attachments") or []
            if pending:
                _attach_files(result.meeting, pending)
                doc = SourceDocument.objects.select_for_update().get(pk=document.pk)
                left = [a for a in (doc.upload_options or {}).get("attachments", []) if a not in pending]
                doc.upload_options = {**(doc.upload_options or {}), "attachments": left}
                doc.save(update_fields=["upload_options", "updated_at"])
    except Exception:
        # The meeting itself is stored and complete; only the extras failed. Say so and go on.
        log.exception("Applying upload extras to meeting %s failed", result.meeting.pk)
    return result


def _parse_iso(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _apply_upload_corrections(meeting: Meeting, form_date: datetime.date | None) -> None:
    from .editing import meeting_update

    if form_date is None or meeting.date == form_date:
        return
    try:
        meeting_update(
            meeting=meeting,
            title=meeting.title,
            date=form_date,
            start_time=meeting.start_time,
            end_time=meeting.end_time,
            location=meeting.location,
        )
    except ValidationError:
        # Another meeting of the network holds that date: leave the text's date; the
        # review page shows the parser's warning about the disagreement.
        log.info("Meeting %s keeps its date: %s is taken", meeting.pk, form_date)


_REFERENCE = re.compile(r"\bbilaga\s*(\d+[a-z]?)\b", re.IGNORECASE)


def reference_from_filename(name: str) -> str | None:
    """ "Bilaga 16 budget.pdf" → "Bilaga 16"."""
    match = _REFERENCE.search(name.replace("_", " "))
    return f"Bilaga {match[1]}" if match else None


def _attach_files(meeting: Meeting, stored: list[dict[str, Any]]) -> int:
    """Create or fill Attachment rows for stored attachment files (a file already on the meeting is skipped).

    A file whose name says "Bilaga 16" fills the meeting's "Bilaga 16" row when the
    minutes refer to it; others wait, unlinked, for the secretary to link them.
    """
    added = 0
    for info in stored:
        if meeting.attachments.filter(sha256=info["sha256"]).exclude(file="").exists():
            continue
        reference = reference_from_filename(info["original_name"])
        target = None
        if reference:
            target = meeting.attachments.filter(reference__iexact=reference, file="").order_by("pk").first()
        if target is None:
            target = Attachment(meeting=meeting, reference=reference or "")
        target.file = info["file"]
        target.original_name = info["original_name"]
        target.sha256 = info["sha256"]
        target.mime_type = info["mime_type"]
        target._change_reason = "Bilaga uppladdad"
        target.save()
        added += 1
    return added
