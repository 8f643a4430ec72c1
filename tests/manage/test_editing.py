"""Corrections through the in-app forms: each write marks edited_fields and leaves a history entry by the user."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from decisions.models import Assignment, Decision
from minutes.models import Attachment, Attendance
from networks.models import Person
from tests.factories import (
    AgendaItemFactory,
    AssignmentFactory,
    DecisionFactory,
    MeetingFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(valfardsradet):
    return MeetingFactory(network=valfardsradet, is_published=False, date=datetime.date(2019, 11, 20))


@pytest.fixture
def item(meeting):
    return AgendaItemFactory(meeting=meeting, number="3", title="Budget", order=0)


@pytest.fixture
def decisions(item):
    return [
        DecisionFactory(
            item=item, order=0, text="att godkänna budgeten, att uppdra åt kansliet att följa upp"
        ),
        DecisionFactory(item=item, order=1, text="att lägga rapporten till handlingarna", kind="file"),
    ]


def _latest(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


def test_meeting_header_correction(secretary_client, secretary, meeting) -> None:
    url = reverse("manage:meeting_edit", kwargs={"pk": meeting.pk})
    assert secretary_client.get(url).status_code == 200
    response = secretary_client.post(
        url,
        {
            "title": "Välfärdsrådet 20 november",
            "date": "2019-11-20",
            "start_time": "09:30",
            "end_time": "12:00",
            "location": "Leksand",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Välfärdsrådet 20 november"
    assert meeting.location == "Leksand"
    assert sorted(meeting.edited_fields) == ["end_time", "location", "title"]  # start_time and date unchanged
    record = _latest(meeting)
    assert record.history_user == secretary
    assert record.history_change_reason == "Manuell rättelse"


def test_meeting_header_refuses_end_before_start_and_a_taken_date(
    secretary_client, meeting, valfardsradet
) -> None:
    MeetingFactory(network=valfardsradet, date=datetime.date(2019, 12, 1))
    url = reverse("manage:meeting_edit", kwargs={"pk": meeting.pk})
    response = secretary_client.post(
        url, {"title": "X", "date": "2019-11-20", "start_time": "12:00", "end_time": "09:00"}
    )
    assert "Sluttiden" in response.content.decode()
    response = secretary_client.post(url, {"title": "X", "date": "2019-12-01"})
    assert "redan ett möte" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.edited_fields == []


def test_attendance_add_and_remove(secretary_client, meeting) -> None:
    response = secretary_client.post(
        reverse("manage:attendance_add", kwargs={"pk": meeting.pk}),
        {"name": "Anna Berg", "organization": "Avesta"},
    )
    assert response.status_code == 302
    attendance = Attendance.objects.get(meeting=meeting)
    assert attendance.person == Person.objects.get(name="Anna Berg", organization="Avesta")
    meeting.refresh_from_db()
    assert meeting.edited_fields == ["attendees"]
    again = secretary_client.post(
        reverse("manage:attendance_add", kwargs={"pk": meeting.pk}),
        {"name": "Anna Berg", "organization": "Avesta"},
    )
    assert "finns redan" in again.content.decode()

    secretary_client.post(reverse("manage:attendance_remove", kwargs={"pk": attendance.pk}))
    assert not Attendance.objects.filter(meeting=meeting).exists()
    assert Attendance.history.filter(history_type="-").count() == 1


def test_item_correction_with_presenters_and_subitems(secretary_client, item) -> None:
    response = secretary_client.post(
        reverse("manage:item_edit", kwargs={"pk": item.pk}),
        {
            "title": "Budget 2020",
            "status": "tabled",
            "presenters": "Anna Berg\nKarl Holm\n",
            "subitems": "a) Drift\nb) Investeringar",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Budget 2020" and item.status == "tabled"
    assert item.presenters == ["Anna Berg", "Karl Holm"]
    assert [(s.label, s.title) for s in item.subitems.order_by("order")] == [
        ("a", "Drift"),
        ("b", "Investeringar"),
    ]
    assert sorted(item.edited_fields) == ["presenters", "status", "subitems", "title"]
    bad = secretary_client.post(
        reverse("manage:item_edit", kwargs={"pk": item.pk}),
        {"title": "X", "status": "handled", "subitems": "utan etikett"},
    )
    assert "Rad 1" in bad.content.decode()


def test_decision_text_and_kind(secretary_client, secretary, decisions) -> None:
    decision = decisions[0]
    url = reverse("manage:decision_edit", kwargs={"pk": decision.pk})
    assert decision.text in secretary_client.get(url).content.decode()
    secretary_client.post(url, {"text": "att godkänna budgeten", "kind": decision.kind})
    decision.refresh_from_db()
    assert decision.text == "att godkänna budgeten"
    assert decision.edited_fields == ["text"]
    secretary_client.post(url, {"text": "att godkänna budgeten", "kind": "approve"})
    decision.refresh_from_db()
    assert decision.edited_fields == ["kind", "text"]
    assert _latest(decision).history_user == secretary
    bad = secretary_client.post(url, {"text": "", "kind": "nonsense"})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_add_and_delete_a_decision(secretary_client, item, decisions) -> None:
    secretary_client.post(
        reverse("manage:decision_create", kwargs={"pk": item.pk}),
        {"text": "att utse Anna Berg", "kind": "appoint"},
    )
    added = Decision.objects.get(text="att utse Anna Berg")
    assert added.order == 2 and added.item == item
    assert sorted(added.edited_fields) == ["is_formal", "kind", "text"]

    delete_url = reverse("manage:decision_delete", kwargs={"pk": added.pk})
    assert "Ta bort beslut" in secretary_client.get(delete_url).content.decode()  # asks first
    assert Decision.objects.filter(pk=added.pk).exists()
    secretary_client.post(delete_url)
    assert not Decision.objects.filter(pk=added.pk).exists()
    assert Decision.history.filter(id=added.pk, history_type="-").exists()  # the text stays in the history


def test_split_a_decision_in_two(secretary_client, item, decisions) -> None:
    first = decisions[0]
    text = first.text
    position = text.index(", att uppdra") + 1
    page = secretary_client.get(reverse("manage:decision_split", kwargs={"pk": first.pk}))
    assert page.context["form"].initial["position"] == position  # the form suggests the second clause
    secretary_client.post(reverse("manage:decision_split", kwargs={"pk": first.pk}), {"position": position})

    rows = list(item.decisions.order_by("order"))
    assert [d.text for d in rows] == [
        "att godkänna budgeten,",
        "att uppdra åt kansliet att följa upp",
        "att lägga rapporten till handlingarna",
    ]
    assert [d.order for d in rows] == [0, 1, 2]
    assert rows[0].pk == first.pk and rows[0].edited_fields == ["text"]
    assert "text" in rows[1].edited_fields
    bad = secretary_client.post(reverse("manage:decision_split", kwargs={"pk": first.pk}), {"position": 999})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_merge_two_adjacent_decisions(secretary_client, item, decisions) -> None:
    first, second = decisions
    assignment = AssignmentFactory(item=item, decision=second)
    secretary_client.post(reverse("manage:decision_merge", kwargs={"pk": first.pk}))

    first.refresh_from_db()
    assert not Decision.objects.filter(pk=second.pk).exists()
    assert first.text.endswith("\natt lägga rapporten till handlingarna")
    assert first.edited_fields == ["text"]
    assignment.refresh_from_db()
    assert assignment.decision == first

    response = secretary_client.post(reverse("manage:decision_merge", kwargs={"pk": first.pk}), follow=True)
    assert "inget beslut efter" in response.content.decode()  # the last one has no neighbour


def test_move_a_decision_with_its_assignments(secretary_client, meeting, item, decisions) -> None:
    other = AgendaItemFactory(meeting=meeting, number="4", order=1)
    foreign = AgendaItemFactory(number="9")  # another meeting
    decision = decisions[1]
    assignment = AssignmentFactory(item=item, decision=decision)
    url = reverse("manage:decision_move", kwargs={"pk": decision.pk})
    choices = list(secretary_client.get(url).context["form"].fields["item"].queryset)
    assert choices == [other]

    bad = secretary_client.post(url, {"item": foreign.pk})
    assert bad.status_code == 200 and "item" in bad.context["form"].errors
    secretary_client.post(url, {"item": other.pk})
    decision.refresh_from_db()
    assignment.refresh_from_db()
    assert decision.item == other and "item" in decision.edited_fields
    assert assignment.item == other


def test_assignment_correction_and_done(secretary_client, item) -> None:
    anna = PersonFactory(name="Anna Berg", organization="Avesta")
    assignment = AssignmentFactory(item=item, assignees_text="Styrgruppen", task="ta fram förslag")
    url = reverse("manage:assignment_edit", kwargs={"pk": assignment.pk})
    secretary_client.post(
        url, {"assignees_text": "Anna Berg, Kansliet", "task": "ta fram förslag", "due_date": "2020-03-01"}
    )
    assignment.refresh_from_db()
    assert assignment.assignees_text == "Anna Berg, Kansliet"
    assert set(assignment.assignees.all()) == {anna, Person.objects.get(name="Kansliet")}
    assert sorted(assignment.edited_fields) == ["assignees", "assignees_text", "due_date"]

    done_url = reverse("manage:assignment_done", kwargs={"pk": assignment.pk})
    secretary_client.post(done_url, {"done_date": "2020-02-15", "done_comment": "Redovisat i mars."})
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.DONE
    assert assignment.done_date == datetime.date(2020, 2, 15)
    assert assignment.done_comment == "Redovisat i mars."
    assert {"status", "done_date", "done_comment"} <= set(assignment.edited_fields)
    future = secretary_client.post(done_url, {"done_date": "2999-01-01"})
    assert "framtiden" in future.content.decode()

    secretary_client.post(reverse("manage:assignment_reopen", kwargs={"pk": assignment.pk}))
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.OPEN and assignment.done_date is None


def test_link_an_uploaded_file_to_a_reference(secretary_client, meeting, item) -> None:
    wanted = Attachment.objects.create(meeting=meeting, item=item, reference="Bilaga 16")
    uploaded = Attachment.objects.create(
        meeting=meeting,
        reference="",
        file="attachments/2019/11/x.pdf",
        original_name="x.pdf",
        sha256="a" * 64,
        mime_type="application/pdf",
    )
    review = secretary_client.get(
        reverse("manage:meeting_review", kwargs={"pk": meeting.pk})
    ).content.decode()
    assert "x.pdf" in review and "inte kopplad" in review

    secretary_client.post(
        reverse("manage:attachment_link", kwargs={"pk": uploaded.pk}), {"reference": "bilaga 16"}
    )
    wanted.refresh_from_db()
    assert wanted.file.name == "attachments/2019/11/x.pdf" and wanted.original_name == "x.pdf"
    assert wanted.item == item
    assert not Attachment.objects.filter(pk=uploaded.pk).exists()

    other = Attachment.objects.create(
        meeting=meeting, reference="", file="attachments/y.pdf", original_name="y.pdf"
    )
    secretary_client.post(
        reverse("manage:attachment_link", kwargs={"pk": other.pk}), {"reference": "Bilaga 17"}
    )
    other.refresh_from_db()
    assert other.reference == "Bilaga 17"


# --- history and revert ---------------------------------------------------------------------------


def test_decision_history_shows_who_when_and_before_after(secretary_client, secretary, decisions) -> None:
    decision = decisions[1]
    secretary_client.post(
        reverse("manage:decision_edit", kwargs={"pk": decision.pk}),
        {"text": "att lägga den till handlingarna", "kind": "file"},
    )
    page = secretary_client.get(
        reverse("manage:decision_history", kwargs={"pk": decision.pk})
    ).content.decode()
    assert "sekreterare" in page and "Ändrad" in page and "första versionen" in page
    assert "<del>att lägga rapporten till handlingarna</del>" in page
    assert "<ins>att lägga den till handlingarna</ins>" in page
    assert "Återställ den här versionen" in page


def test_revert_a_decision_to_an_earlier_version(secretary_client, decisions) -> None:
    decision = decisions[1]
    original = decision.history.get().history_id
    url = reverse("manage:decision_edit", kwargs={"pk": decision.pk})
    secretary_client.post(url, {"text": "fel text", "kind": "other"})
    secretary_client.post(url, {"text": "ännu felare", "kind": "other"})

    response = secretary_client.post(
        reverse("manage:decision_revert", kwargs={"pk": decision.pk, "history_id": original})
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.text == "att lägga rapporten till handlingarna"
    assert decision.kind == "file"
    assert _latest(decision).history_change_reason.startswith("Återställt")
    assert decision.history.count() == 4  # the revert is a new version; nothing is lost

    missing = secretary_client.post(
        reverse("manage:decision_revert", kwargs={"pk": decision.pk, "history_id": 999999})
    )
    assert missing.status_code == 404


def test_revert_needs_the_role(client, chefs_secretary, decisions) -> None:
    decision = decisions[1]
    client.force_login(chefs_secretary)
    record = decision.history.get().history_id
    url = reverse("manage:decision_revert", kwargs={"pk": decision.pk, "history_id": record})
    assert client.post(url).status_code == 403
    assert client.get(url).status_code in (403, 405)


def test_revert_an_assignment_with_its_assignees(secretary_client, item) -> None:
    anna = PersonFactory(name="Anna Berg", organization="")
    assignment = AssignmentFactory(
        item=item, assignees_text="Anna Berg", task="ta fram förslag", assignees=[anna]
    )
    first = _latest(assignment).history_id
    secretary_client.post(
        reverse("manage:assignment_edit", kwargs={"pk": assignment.pk}),
        {"assignees_text": "Kansliet", "task": "något annat"},
    )
    assignment.refresh_from_db()
    assert [p.name for p in assignment.assignees.all()] == ["Kansliet"]

    secretary_client.post(
        reverse("manage:assignment_revert", kwargs={"pk": assignment.pk, "history_id": first})
    )
    assignment.refresh_from_db()
    assert assignment.task == "ta fram förslag"
    assert assignment.assignees_text == "Anna Berg"
    assert list(assignment.assignees.all()) == [anna]
    page = secretary_client.get(
        reverse("manage:assignment_history", kwargs={"pk": assignment.pk})
    ).content.decode()
    assert "Kansliet" in page and "Anna Berg" in page


def test_item_and_meeting_history_pages(secretary_client, meeting, item) -> None:
    secretary_client.post(
        reverse("manage:item_edit", kwargs={"pk": item.pk}), {"title": "Ny rubrik", "status": "handled"}
    )
    page = secretary_client.get(reverse("manage:item_history", kwargs={"pk": item.pk})).content.decode()
    assert "<del>Budget</del>" in page and "<ins>Ny rubrik</ins>" in page
    assert (
        secretary_client.get(reverse("manage:meeting_history", kwargs={"pk": meeting.pk})).status_code == 200
    )


def test_review_page_lists_warnings(secretary_client, meeting, valfardsradet) -> None:
    from tests.factories import SourceDocumentFactory

    document = SourceDocumentFactory(
        network=valfardsradet,
        original_name="vfr_2019-11-21.pdf",
        warnings=["Punkt 7 saknar rubrik."],
        ocr_confidence=55.0,
        parsed_json={"network": None},
        extracted_text="Rubrik\n\n1. Budget\nVälfärdsrådet beslutar:\n\n2. Övrigt\nLös rad",
    )
    meeting.source_document = document
    meeting.save()
    AgendaItemFactory(meeting=meeting, number="1", title="Budget", line_start=2, line_end=4)
    AgendaItemFactory(meeting=meeting, number="2", title="", line_start=5, line_end=5)
    page = secretary_client.get(reverse("manage:meeting_review", kwargs={"pk": meeting.pk})).content.decode()
    assert "Punkt 7 saknar rubrik." in page  # the parser's own warning
    assert "Punkt 2 saknar rubrik." in page  # an item stored without a title
    assert "Punkt 1 har en beslutsrubrik men inga beslut" in page
    assert "OCR" in page and "55 av 100" in page
    assert "Nätverket kunde inte utläsas" in page
    assert "skiljer sig från datumet i filnamnet (2019-11-21)" in page
    assert 'id="L3"' in page and "Välfärdsrådet beslutar:" in page
    assert "1 rad i källtexten hör inte till något ärende" in page
    assert 'id="L6" class="orphan"' in page
