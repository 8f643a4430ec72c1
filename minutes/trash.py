"""The trash: deleting marks rows with ``trashed_at`` and keeps their files; only emptying destroys.

Trashing a document also trashes the meetings read from it (with the same timestamp), so
restoring the document brings exactly those back. Trashing a meeting leaves its document.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from .models import Attachment, Meeting, SourceDocument

log = logging.getLogger(__name__)


@transaction.atomic
def meeting_trash(*, meeting: Meeting) -> None:
    if meeting.trashed_at is None:
        meeting.trashed_at = timezone.now()
        meeting._change_reason = "Flyttat till papperskorgen"
        meeting.save(update_fields=["trashed_at", "updated_at"])


@transaction.atomic
def meeting_restore(*, meeting: Meeting) -> None:
    if meeting.trashed_at is not None:
        meeting.trashed_at = None
        meeting._change_reason = "Återställt från papperskorgen"
        meeting.save(update_fields=["trashed_at", "updated_at"])


@transaction.atomic
def document_trash(*, document: SourceDocument) -> None:
    """Trash the document and the meetings read from it that are not already in the trash."""
    if document.trashed_at is not None:
        return
    now = timezone.now()
    for meeting in document.meetings.filter(trashed_at__isnull=True):
        meeting.trashed_at = now
        meeting._change_reason = "Källdokumentet flyttades till papperskorgen"
        meeting.save(update_fields=["trashed_at", "updated_at"])
    document.trashed_at = now
    document.save(update_fields=["trashed_at", "updated_at"])


@transaction.atomic
def document_restore(*, document: SourceDocument) -> None:
    """Restore the document and the meetings that went to the trash with it."""
    if document.trashed_at is None:
        return
    for meeting in document.meetings.filter(trashed_at=document.trashed_at):
        meeting.trashed_at = None
        meeting._change_reason = "Återställt med källdokumentet"
        meeting.save(update_fields=["trashed_at", "updated_at"])
    document.trashed_at = None
    document.save(update_fields=["trashed_at", "updated_at"])


@dataclass(frozen=True, slots=True)
class EmptiedTrash:
    meetings: int
    documents: int
    files: int


def trash_contents() -> tuple[list[Meeting], list[SourceDocument]]:
    meetings = list(Meeting.objects.filter(trashed_at__isnull=False).select_related("network"))
    documents = list(SourceDocument.objects.trashed().select_related("network"))
    return meetings, documents


def trash_empty() -> EmptiedTrash:
    """Delete every trashed meeting (with its items, decisions, attachments) and document, and their files.

    The rows go in one transaction; the files are removed only after it commits, so a
    failed delete never leaves rows pointing at missing files.
    """
    with transaction.atomic():
        meetings = Meeting.objects.filter(trashed_at__isnull=False)
        documents = SourceDocument.objects.trashed()
        files = [
            *Attachment.objects.filter(meeting__in=meetings).exclude(file="").values_list("file", flat=True),
            *documents.exclude(file="").values_list("file", flat=True),
        ]
        # A file still used by a row that stays (the same upload linked twice) is kept.
        kept = set(
            Attachment.objects.exclude(meeting__in=meetings)
            .filter(file__in=files)
            .values_list("file", flat=True)
        ) | set(SourceDocument.objects.active().filter(file__in=files).values_list("file", flat=True))
        n_meetings = meetings.count()
        n_documents = documents.count()
        meetings.delete()
        documents.delete()
        doomed = sorted(set(files) - kept)
        transaction.on_commit(lambda: _delete_files(doomed))
    return EmptiedTrash(meetings=n_meetings, documents=n_documents, files=len(doomed))


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            log.exception("Could not delete %s from storage", name)
