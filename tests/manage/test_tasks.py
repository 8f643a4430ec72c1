"""The processing task: status page and progress, failures in Swedish, retry, and a real db_worker process."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from minutes import services, uploads
from minutes.errors import OcrFailed
from minutes.models import Meeting, SourceDocument
from minutes.tasks import process_document
from tests.factories import SourceDocumentFactory

from .conftest import start_db_worker, stop

pytestmark = pytest.mark.django_db


def _hej(tmp_path: Path) -> Path:
    """Text that reads fine but holds no meeting date: parsing fails with a Swedish message."""
    path = tmp_path / "anteckningar.txt"
    path.write_text("Hej hopp\n\nInget datum här, bara lite text.\n", encoding="utf-8")
    return path


def test_status_page_refreshes_and_shows_progress_while_busy(client, secretary, valfardsradet) -> None:
    document = SourceDocumentFactory(
        network=valfardsradet, status=SourceDocument.Status.PROCESSING, pages_done=2, pages_total=5
    )
    client.force_login(secretary)
    page = client.get(reverse("manage:document_status", kwargs={"pk": document.pk})).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "Sidor lästa: 2 av 5" in page
    assert "Försök igen" not in page
    data = client.get(
        reverse("manage:document_status", kwargs={"pk": document.pk}), {"format": "json"}
    ).json()
    assert data == {
        "status": "processing",
        "status_display": "bearbetas",
        "pages_done": 2,
        "pages_total": 5,
        "error_message": "",
        "review_url": None,
    }


def test_failure_is_shown_in_swedish_with_a_retry_button(
    client, upload, secretary, valfardsradet, tmp_path
) -> None:
    client.force_login(secretary)
    response = upload(_hej(tmp_path), network=valfardsradet)

    document = SourceDocument.objects.get()
    assert document.status == SourceDocument.Status.FAILED
    assert "datum" in document.error_message.lower()
    assert not Meeting.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Inläsningen misslyckades" in page
    assert document.error_message in page
    assert "Försök igen" in page
    assert 'http-equiv="refresh"' not in page


def test_retry_queues_again_and_can_succeed(
    client, secretary, valfardsradet, seeds, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    client.force_login(secretary)
    real = services.document_process
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OcrFailed("Textigenkänningen tog för lång tid.")
        return real(**kwargs)

    monkeypatch.setattr(services, "document_process", flaky)
    with (
        (seeds / "d1_valfardsradet_2019-11-20.txt").open("rb") as handle,
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(
            reverse("manage:upload"), {"file": handle, "network": valfardsradet.pk, "title": "Rättad"}
        )
    document = SourceDocument.objects.get()
    assert document.status == SourceDocument.Status.FAILED
    assert document.error_message == "Textigenkänningen tog för lång tid."

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("manage:document_retry", kwargs={"pk": document.pk}))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == SourceDocument.Status.READY
    assert len(calls) == 2
    assert calls[1]["title_override"] == "Rättad"  # the upload's corrections survive the retry
    assert calls[1]["publish"] is False
    assert Meeting.objects.get().title == "Rättad"


def test_retry_is_refused_for_a_ready_document(client, secretary, valfardsradet) -> None:
    document = SourceDocumentFactory(network=valfardsradet, status=SourceDocument.Status.READY)
    client.force_login(secretary)
    response = client.post(reverse("manage:document_retry", kwargs={"pk": document.pk}), follow=True)
    assert "kan inte försökas igen" in response.content.decode()


def test_unexpected_error_is_recorded_and_leaves_no_meeting(
    client, upload, secretary, valfardsradet, seeds, monkeypatch
) -> None:
    from minutes.services import documents

    def broken_store(**kwargs):
        Meeting.objects.create(network=valfardsradet, date="2019-11-20", title="halvfärdig")
        raise RuntimeError("boom")

    monkeypatch.setattr(documents, "store_parsed", broken_store)
    client.force_login(secretary)
    upload(seeds / "d1_valfardsradet_2019-11-20.txt", network=valfardsradet)

    document = SourceDocument.objects.get()
    assert document.status == SourceDocument.Status.FAILED
    assert "oväntat fel" in document.error_message
    assert "boom" not in document.error_message
    assert not Meeting.objects.exists()  # the half-made meeting was rolled back


def test_task_processes_a_registered_document_by_id(valfardsradet, seeds) -> None:
    document, _ = services.document_register(
        path=seeds / "d1_valfardsradet_2019-11-20.txt", network=valfardsradet
    )
    result = process_document.enqueue(document.pk)
    assert result.return_value["document"] == document.pk
    document.refresh_from_db()
    assert document.status == SourceDocument.Status.READY
    meeting = Meeting.objects.get(pk=result.return_value["meeting"])
    assert meeting.is_published is False


def test_task_skips_a_trashed_document(valfardsradet, seeds) -> None:
    document, _ = services.document_register(
        path=seeds / "d1_valfardsradet_2019-11-20.txt", network=valfardsradet
    )
    document.trashed_at = document.created_at
    document.save()
    assert process_document.enqueue(document.pk).return_value["skipped"]
    assert not Meeting.objects.exists()


def test_date_in_the_file_name_becomes_the_hint() -> None:
    assert str(uploads.date_from_filename("d1_valfardsradet_2019-11-20.pdf")) == "2019-11-20"
    assert str(uploads.date_from_filename("protokoll 20210917.docx")) == "2021-09-17"
    assert uploads.date_from_filename("protokoll-2021-13-45.pdf") is None
    assert uploads.date_from_filename("utan datum.pdf") is None


def test_date_typed_in_the_form_wins_and_is_marked_edited(
    client, upload, secretary, valfardsradet, seeds
) -> None:
    client.force_login(secretary)
    upload(seeds / "d1_valfardsradet_2019-11-20.txt", network=valfardsradet, meeting_date="2019-11-21")
    meeting = Meeting.objects.get()
    assert str(meeting.date) == "2019-11-21"
    assert "date" in meeting.edited_fields
    document = SourceDocument.objects.get()
    assert any("skiljer sig" in w for w in document.warnings)


# --- a real worker process ---------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_db_worker_process_reads_the_upload(client, secretary, valfardsradet, seeds, settings) -> None:
    """Upload with the database backend, then let `manage.py db_worker --batch` do the work."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    client.force_login(secretary)
    with (seeds / "d1_valfardsradet_2019-11-20.txt").open("rb") as handle:
        response = client.post(reverse("manage:upload"), {"file": handle, "network": valfardsradet.pk})
    assert response.status_code == 302
    document = SourceDocument.objects.get()
    assert document.status == SourceDocument.Status.PENDING  # queued, not run: nobody works yet
    assert DBTaskResult.objects.filter(task_path="minutes.tasks.process_document").count() == 1

    worker = start_db_worker(settings, "--batch")
    try:
        worker.wait(timeout=180)
    finally:
        output = stop(worker)  # killed if it is still running
    assert worker.returncode == 0, output

    document.refresh_from_db()
    assert document.status == SourceDocument.Status.READY, (document.error_message, output)
    assert Meeting.objects.get().is_published is False
    task_result = DBTaskResult.objects.get()
    assert task_result.status == "SUCCESSFUL", output
    # The status page now leads to the review.
    page = client.get(reverse("manage:document_status", kwargs={"pk": document.pk})).content.decode()
    assert reverse("manage:meeting_review", kwargs={"pk": Meeting.objects.get().pk}) in page


def test_requeue_documents_command(valfardsradet, seeds, django_capture_on_commit_callbacks) -> None:
    import datetime
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    document, _ = services.document_register(
        path=seeds / "d1_valfardsradet_2019-11-20.txt", network=valfardsradet
    )
    SourceDocument.objects.filter(pk=document.pk).update(
        status=SourceDocument.Status.PROCESSING, updated_at=timezone.now() - datetime.timedelta(hours=2)
    )
    out = StringIO()
    call_command("requeue_documents", stdout=out)
    assert "0 dokument köades om" in out.getvalue()  # stalled ones only with --stalled
    with django_capture_on_commit_callbacks(execute=True):
        call_command("requeue_documents", "--stalled", stdout=out)
    assert "1 dokument köades om" in out.getvalue()
    document.refresh_from_db()
    assert document.status == SourceDocument.Status.READY
