"""Trash (restore, admin-only emptying after confirmation), conflict resolution, and protected downloads."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from decisions.models import Assignment, Decision
from minutes.models import AgendaItem, Attachment, Conflict, Meeting, SourceDocument
from tests.factories import (
    AgendaItemFactory,
    AssignmentFactory,
    DecisionFactory,
    MeetingFactory,
    PersonFactory,
    SourceDocumentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(valfardsradet):
    document = SourceDocumentFactory(
        network=valfardsradet, original_name="protokoll.pdf", mime_type="application/pdf"
    )
    document.file.save("protokoll.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return document


@pytest.fixture
def meeting(valfardsradet, document):
    return MeetingFactory(network=valfardsradet, source_document=document, is_published=True)


@pytest.fixture
def attachment(meeting):
    attachment = Attachment(
        meeting=meeting,
        reference="Bilaga 1",
        original_name='bil"aga\r\n1;.docx',
        mime_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    attachment.file.save("bilaga.docx", ContentFile(b"PK\x03\x04 docx"), save=True)
    return attachment


# --- trash --------------------------------------------------------------------------------------


def test_trash_and_restore_a_meeting(secretary_client, meeting) -> None:
    url = reverse("manage:meeting_trash", kwargs={"pk": meeting.pk})
    assert "papperskorgen" in secretary_client.get(url).content.decode()  # asks first
    meeting.refresh_from_db()
    assert meeting.trashed_at is None
    response = secretary_client.post(url)
    assert response["Location"] == reverse("manage:trash")
    meeting.refresh_from_db()
    assert meeting.trashed_at is not None
    assert not Meeting.objects.published().exists()
    assert f"trashed-meeting-{meeting.pk}" in secretary_client.get(reverse("manage:trash")).content.decode()

    secretary_client.post(reverse("manage:meeting_restore", kwargs={"pk": meeting.pk}))
    meeting.refresh_from_db()
    assert meeting.trashed_at is None
    assert list(Meeting.objects.published()) == [meeting]


def test_trashing_a_document_takes_its_meeting_and_keeps_the_file(
    secretary_client, document, meeting
) -> None:
    secretary_client.post(reverse("manage:document_trash", kwargs={"pk": document.pk}))
    document.refresh_from_db()
    meeting.refresh_from_db()
    assert document.trashed_at is not None and meeting.trashed_at == document.trashed_at
    assert default_storage.exists(document.file.name)
    secretary_client.post(reverse("manage:document_restore", kwargs={"pk": document.pk}))
    document.refresh_from_db()
    meeting.refresh_from_db()
    assert document.trashed_at is None and meeting.trashed_at is None


def test_only_an_admin_empties_the_trash_after_confirming(
    client, secretary, admin_user, document, meeting, attachment, django_capture_on_commit_callbacks
) -> None:
    item = AgendaItemFactory(meeting=meeting)
    DecisionFactory(item=item)
    client.force_login(secretary)
    client.post(reverse("manage:document_trash", kwargs={"pk": document.pk}))
    assert client.post(reverse("manage:trash_empty"), {"confirm": "ja"}).status_code == 403

    client.force_login(admin_user)
    page = client.get(reverse("manage:trash_empty")).content.decode()
    assert "protokoll.pdf" in page and "går inte att ångra" in page
    client.post(reverse("manage:trash_empty"))  # without the tick nothing happens
    assert SourceDocument.objects.filter(pk=document.pk).exists()

    files = [document.file.name, attachment.file.name]
    with django_capture_on_commit_callbacks(execute=True):  # files go once the rows are gone
        response = client.post(reverse("manage:trash_empty"), {"confirm": "ja"}, follow=True)
    assert "Papperskorgen är tömd: 1 möten, 1 dokument och 2 filer" in response.content.decode()
    assert not SourceDocument.objects.exists()
    assert not Meeting.objects.exists()
    assert not AgendaItem.objects.exists() and not Decision.objects.exists()
    for name in files:
        assert not default_storage.exists(name)


def test_other_networks_trash_is_not_listed_or_restorable(client, chefs_secretary, meeting) -> None:
    meeting.trashed_at = meeting.created_at
    meeting.save()
    client.force_login(chefs_secretary)
    assert f"trashed-meeting-{meeting.pk}" not in client.get(reverse("manage:trash")).content.decode()
    assert client.post(reverse("manage:meeting_restore", kwargs={"pk": meeting.pk})).status_code == 403


# --- conflicts ------------------------------------------------------------------------------------


def _conflict(meeting, obj, field, human, parsed):
    return Conflict.objects.create(
        meeting=meeting,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        field_name=field,
        human_value=human,
        parsed_value=parsed,
    )


def test_keep_the_human_value(secretary_client, secretary, meeting) -> None:
    decision = DecisionFactory(
        item=AgendaItemFactory(meeting=meeting), text="manuell", edited_fields=["text"]
    )
    conflict = _conflict(meeting, decision, "text", "manuell", "inläst")
    page = secretary_client.get(
        reverse("manage:meeting_conflicts", kwargs={"pk": meeting.pk})
    ).content.decode()
    assert "manuell" in page and "inläst" in page and "Behåll manuellt" in page

    secretary_client.post(reverse("manage:conflict_resolve", kwargs={"pk": conflict.pk}), {"choice": "keep"})
    conflict.refresh_from_db()
    decision.refresh_from_db()
    assert conflict.resolution == Conflict.Resolution.KEPT_HUMAN and conflict.resolved_by == secretary
    assert decision.text == "manuell" and decision.edited_fields == ["text"]
    page = secretary_client.get(
        reverse("manage:meeting_conflicts", kwargs={"pk": meeting.pk})
    ).content.decode()
    assert "Inga olösta konflikter" in page


def test_take_the_parsed_value_and_the_field_leaves_edited_fields(secretary_client, meeting) -> None:
    decision = DecisionFactory(
        item=AgendaItemFactory(meeting=meeting), text="manuell", kind="other", edited_fields=["kind", "text"]
    )
    text_conflict = _conflict(meeting, decision, "text", "manuell", "inläst text")
    secretary_client.post(
        reverse("manage:conflict_resolve", kwargs={"pk": text_conflict.pk}), {"choice": "take"}
    )
    decision.refresh_from_db()
    assert decision.text == "inläst text"
    assert decision.edited_fields == ["kind"]
    text_conflict.refresh_from_db()
    assert text_conflict.resolution == Conflict.Resolution.TOOK_PARSED

    meeting.edited_fields = ["date", "start_time"]
    meeting.save()
    date_conflict = _conflict(meeting, meeting, "date", "2020-01-01", "2020-01-02")
    secretary_client.post(
        reverse("manage:conflict_resolve", kwargs={"pk": date_conflict.pk}), {"choice": "take"}
    )
    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2020, 1, 2) and meeting.edited_fields == ["start_time"]

    item = AgendaItemFactory(meeting=meeting, presenters=["A"], edited_fields=["presenters"])
    presenters = _conflict(meeting, item, "presenters", '["A"]', '["B", "C"]')
    secretary_client.post(
        reverse("manage:conflict_resolve", kwargs={"pk": presenters.pk}), {"choice": "take"}
    )
    item.refresh_from_db()
    assert item.presenters == ["B", "C"] and item.edited_fields == []


def test_take_parsed_assignees(secretary_client, meeting) -> None:
    PersonFactory(name="Kansliet", organization="")
    assignment = AssignmentFactory(item=AgendaItemFactory(meeting=meeting), edited_fields=["assignees"])
    conflict = _conflict(meeting, assignment, "assignees", '["Styrgruppen"]', '["Kansliet"]')
    secretary_client.post(reverse("manage:conflict_resolve", kwargs={"pk": conflict.pk}), {"choice": "take"})
    assignment = Assignment.objects.get(pk=assignment.pk)
    assert [p.name for p in assignment.assignees.all()] == ["Kansliet"]
    assert assignment.assignees_text == "Kansliet" and "assignees" not in assignment.edited_fields


def test_a_resolved_conflict_cannot_be_resolved_again(secretary_client, meeting) -> None:
    decision = DecisionFactory(item=AgendaItemFactory(meeting=meeting), edited_fields=["text"])
    conflict = _conflict(meeting, decision, "text", "a", "b")
    url = reverse("manage:conflict_resolve", kwargs={"pk": conflict.pk})
    secretary_client.post(url, {"choice": "keep"})
    response = secretary_client.post(url, {"choice": "take"}, follow=True)
    assert "redan löst" in response.content.decode()
    decision.refresh_from_db()
    assert decision.text != "b"


def test_other_network_cannot_resolve(client, chefs_secretary, meeting) -> None:
    decision = DecisionFactory(item=AgendaItemFactory(meeting=meeting), edited_fields=["text"])
    conflict = _conflict(meeting, decision, "text", "a", "b")
    client.force_login(chefs_secretary)
    assert (
        client.post(
            reverse("manage:conflict_resolve", kwargs={"pk": conflict.pk}), {"choice": "take"}
        ).status_code
        == 403
    )


# --- downloads ------------------------------------------------------------------------------------


def test_download_headers(secretary_client, document) -> None:
    response = secretary_client.get(reverse("manage:document_download", kwargs={"pk": document.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="protokoll.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


def test_attachment_name_is_sanitised_and_type_comes_from_the_sniffed_type(
    client, reader, attachment
) -> None:
    client.force_login(reader)
    response = client.get(reverse("manage:attachment_download", kwargs={"pk": attachment.pk}))
    assert response.status_code == 200
    assert (
        response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition and '"bil"' not in disposition
    assert response["X-Content-Type-Options"] == "nosniff"


def test_unknown_stored_type_is_sent_as_octet_stream(secretary_client, document) -> None:
    document.mime_type = "text/html"
    document.original_name = "sida.html"
    document.save()
    response = secretary_client.get(reverse("manage:document_download", kwargs={"pk": document.pk}))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_download_permissions(
    client, secretary, chefs_secretary, reader, document, meeting, attachment
) -> None:
    document_url = reverse("manage:document_download", kwargs={"pk": document.pk})
    attachment_url = reverse("manage:attachment_download", kwargs={"pk": attachment.pk})
    # Anonymous: to the login page.
    for url in (document_url, attachment_url):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    # Published: every signed-in reader.
    client.force_login(reader)
    assert client.get(document_url).status_code == 200
    assert client.get(attachment_url).status_code == 200
    # A draft: only its network's editors.
    meeting.is_published = False
    meeting.save()
    assert client.get(document_url).status_code == 403
    assert client.get(attachment_url).status_code == 403
    client.force_login(chefs_secretary)
    assert client.get(attachment_url).status_code == 403
    client.force_login(secretary)
    assert client.get(attachment_url).status_code == 200
    # Trashed: not for readers, even when published.
    meeting.is_published = True
    meeting.trashed_at = meeting.created_at
    meeting.save()
    client.force_login(reader)
    assert client.get(attachment_url).status_code == 403
    assert client.get(reverse("manage:attachment_download", kwargs={"pk": 999999})).status_code == 404


def test_public_read_lets_anonymous_download_published_files(client, settings, document, meeting) -> None:
    settings.BESLUTSARKIVET_PUBLIC_READ = True
    assert client.get(reverse("manage:document_download", kwargs={"pk": document.pk})).status_code == 200
    meeting.is_published = False
    meeting.save()
    assert client.get(reverse("manage:document_download", kwargs={"pk": document.pk})).status_code == 403


def test_uploaded_files_are_not_under_the_static_root(settings) -> None:
    from pathlib import Path

    assert not Path(settings.MEDIA_ROOT).resolve().is_relative_to(Path(settings.STATIC_ROOT).resolve())


def test_take_parsed_attendance_and_subitems(secretary_client, meeting) -> None:
    from minutes.models import Attendance

    meeting.edited_fields = ["attendees"]
    meeting.save()
    Attendance.objects.create(meeting=meeting, person=PersonFactory(name="Manuell Person", organization=""))
    conflict = _conflict(
        meeting, meeting, "attendees", '["Manuell Person"]', '["Anna Berg (Avesta)", "Styrgruppen"]'
    )
    secretary_client.post(reverse("manage:conflict_resolve", kwargs={"pk": conflict.pk}), {"choice": "take"})
    rows = [(a.person.name, a.organization) for a in meeting.attendances.order_by("order")]
    assert rows == [("Anna Berg", "Avesta"), ("Styrgruppen", "")]
    meeting.refresh_from_db()
    assert "attendees" not in meeting.edited_fields

    item = AgendaItemFactory(meeting=meeting, edited_fields=["subitems"])
    conflict = _conflict(meeting, item, "subitems", '["a) Gammal"]', '["a) Drift", "b) Investeringar"]')
    secretary_client.post(reverse("manage:conflict_resolve", kwargs={"pk": conflict.pk}), {"choice": "take"})
    assert [(s.label, s.title) for s in item.subitems.order_by("order")] == [
        ("a", "Drift"),
        ("b", "Investeringar"),
    ]
    item.refresh_from_db()
    assert item.edited_fields == []


def test_a_new_version_keeps_the_human_text_and_lists_a_conflict(
    client, upload, seeds, samples, secretary, valfardsradet
) -> None:
    """Re-ingest end to end: the correction survives a new upload of the same meeting; the secretary decides."""
    client.force_login(secretary)
    upload(seeds / "d1_valfardsradet_2019-11-20.txt", network=valfardsradet)
    meeting = Meeting.objects.get()
    decision = Decision.objects.filter(item__meeting=meeting).order_by("item__order", "order").first()
    client.post(
        reverse("manage:decision_edit", kwargs={"pk": decision.pk}),
        {"text": "att rättat av människa", "kind": decision.kind},
    )
    client.post(reverse("manage:meeting_publish", kwargs={"pk": meeting.pk}))

    upload(samples / "d1_valfardsradet_2019-11-20.docx", network=valfardsradet)  # another file, same meeting

    assert Meeting.objects.count() == 1
    decision.refresh_from_db()
    assert decision.text == "att rättat av människa"
    conflict = Conflict.objects.unresolved().get(meeting=meeting, field_name="text", object_id=decision.pk)
    assert conflict.human_value == "att rättat av människa"
    page = client.get(reverse("manage:meeting_conflicts", kwargs={"pk": meeting.pk})).content.decode()
    assert "att rättat av människa" in page
    review = client.get(reverse("manage:meeting_review", kwargs={"pk": meeting.pk})).content.decode()
    assert "olöst konflikt" in review

    client.post(reverse("manage:conflict_resolve", kwargs={"pk": conflict.pk}), {"choice": "take"})
    decision.refresh_from_db()
    assert decision.text == conflict.parsed_value
    assert "text" not in decision.edited_fields
