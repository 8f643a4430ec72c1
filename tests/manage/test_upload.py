"""Upload end to end (Immediate task backend): document → draft meeting → review → publish → readers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from decisions.models import Decision
from minutes.models import Attachment, Meeting, SourceDocument

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("folder", "name"),
    [
        ("seeds", "d1_valfardsradet_2019-11-20.txt"),
        ("samples", "d1_valfardsradet_2019-11-20.docx"),
        ("samples", "d1_valfardsradet_2019-11-20.pdf"),
    ],
)
def test_upload_reads_file_into_a_draft_that_publishing_shows_to_readers(
    client, upload, fixtures_dir, secretary, reader, valfardsradet, folder, name
) -> None:
    client.force_login(secretary)

    response = upload(fixtures_dir / folder / name, network=valfardsradet)

    document = SourceDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("manage:document_status", kwargs={"pk": document.pk})
    assert document.status == SourceDocument.Status.READY, document.error_message
    assert document.uploaded_by == secretary
    assert document.pages_done == document.pages_total
    meeting = Meeting.objects.get()
    assert meeting.network == valfardsradet
    assert str(meeting.date) == "2019-11-20"
    assert meeting.is_published is False
    assert Decision.objects.filter(item__meeting=meeting).exists()

    status = client.get(response["Location"])
    assert status.status_code == 200
    review_url = reverse("manage:meeting_review", kwargs={"pk": meeting.pk})
    assert review_url.encode() in status.content
    assert b'http-equiv="refresh"' not in status.content  # ready: no more refreshing

    review = client.get(review_url)
    assert review.status_code == 200
    assert meeting.title.encode() in review.content
    assert b"source-text" in review.content
    assert "Publicera".encode() in review.content

    # A draft is invisible to readers …
    assert not Meeting.objects.published().exists()
    client.force_login(reader)
    assert client.get(reverse("manage:document_download", kwargs={"pk": document.pk})).status_code == 403

    # … until the secretary publishes it.
    client.force_login(secretary)
    assert client.post(reverse("manage:meeting_publish", kwargs={"pk": meeting.pk})).status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_published
    assert list(Meeting.objects.published()) == [meeting]
    client.force_login(reader)
    assert client.get(reverse("manage:document_download", kwargs={"pk": document.pk})).status_code == 200
