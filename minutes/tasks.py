"""Background work, run by a ``db_worker`` process (django-tasks-db) or, in tests, immediately.

Tasks are thin: they load a row by primary key and call a service. Arguments are
JSON-normalised by the framework, so only ids travel.
"""

from __future__ import annotations

from django.tasks import task

from .models import SourceDocument


@task
def process_document(document_id: int) -> dict[str, object]:
    """Read, parse and store one uploaded document as a draft meeting.

    Progress (pages read / total) is saved on the document as it goes; a failure is
    recorded there in Swedish by ``uploads.document_run`` and re-raised, so the task
    result shows it too.
    """
    from .uploads import document_run

    document = SourceDocument.objects.select_related("network").get(pk=document_id)
    if document.trashed_at is not None:
        return {"document": document_id, "skipped": "i papperskorgen"}
    result = document_run(document=document)
    return {
        "document": document_id,
        "meeting": result.meeting.pk,
        "outcome": result.outcome,
        "conflicts": len(result.conflicts),
    }
