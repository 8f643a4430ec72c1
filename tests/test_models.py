"""Constraints, QuerySet methods and history of the minutes and decisions models."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from decisions.models import Assignment, Decision
from minutes.models import AgendaItem, Meeting, SourceDocument
from minutes.parsing.result import DECISION_KINDS, ITEM_STATUSES
from minutes.reading.base import Method
from tests.factories import (
    AgendaItemFactory,
    AssignmentFactory,
    DecisionFactory,
    MeetingFactory,
    NetworkFactory,
    PersonFactory,
    SourceDocumentFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 5, 15)


def test_choices_match_the_parser_output() -> None:
    assert set(AgendaItem.Status.values) == set(ITEM_STATUSES)
    assert set(Decision.Kind.values) == set(DECISION_KINDS)
    methods = {Method.TEXT, Method.PDF_TEXT, Method.DOCX, Method.OCR, Method.MIXED}
    assert set(SourceDocument.ReadMethod.values) == methods


class TestConstraints:
    def test_one_meeting_per_network_and_date(self) -> None:
        meeting = MeetingFactory()

        with pytest.raises(IntegrityError), transaction.atomic():
            MeetingFactory(network=meeting.network, date=meeting.date)

        MeetingFactory(network=NetworkFactory(), date=meeting.date)  # another network may meet that day

    def test_item_number_unique_per_meeting(self) -> None:
        item = AgendaItemFactory(number="3")

        with pytest.raises(IntegrityError):
            AgendaItemFactory(meeting=item.meeting, number="3")

    def test_line_span_must_not_run_backwards(self) -> None:
        with pytest.raises(IntegrityError):
            DecisionFactory(line_start=10, line_end=4)

    def test_source_document_sha256_is_unique(self) -> None:
        document = SourceDocumentFactory()

        with pytest.raises(IntegrityError):
            SourceDocumentFactory(sha256=document.sha256)


class TestMeetingQuerySet:
    def test_published_visible_and_for_network(self) -> None:
        network = NetworkFactory()
        published = MeetingFactory(network=network)
        draft = MeetingFactory(network=network, is_published=False)
        trashed = MeetingFactory(network=network, trashed_at=timezone.now())
        elsewhere = MeetingFactory()

        assert set(Meeting.objects.published()) == {published, elsewhere}
        assert set(Meeting.objects.visible()) == {published, draft, elsewhere}
        assert set(Meeting.objects.for_network(network)) == {published, draft, trashed}
        assert list(Meeting.objects.for_network(network).published()) == [published]

    def test_source_documents_active(self) -> None:
        active = SourceDocumentFactory()
        SourceDocumentFactory(trashed_at=timezone.now())

        assert list(SourceDocument.objects.active()) == [active]


class TestDecisionQuerySet:
    def test_formal_inline_and_for_network(self) -> None:
        item = AgendaItemFactory()
        formal = DecisionFactory(item=item)
        inline = DecisionFactory(item=item, is_formal=False, text="Läggs till handlingarna.")
        other = DecisionFactory()

        assert set(Decision.objects.formal()) == {formal, other}
        assert list(Decision.objects.inline()) == [inline]
        assert set(Decision.objects.for_network(item.meeting.network)) == {formal, inline}


class TestAssignmentQuerySet:
    @pytest.fixture
    def assignments(self) -> dict[str, Assignment]:
        network = NetworkFactory()
        item = AgendaItemFactory(meeting=MeetingFactory(network=network))
        return {
            "late": AssignmentFactory(item=item, due_date=TODAY - datetime.timedelta(days=1)),
            "due_today": AssignmentFactory(item=item, due_date=TODAY),
            "no_date": AssignmentFactory(item=item),
            "done_late": AssignmentFactory(
                item=item,
                due_date=TODAY - datetime.timedelta(days=30),
                status=Assignment.Status.DONE,
                done_date=TODAY,
            ),
            "elsewhere": AssignmentFactory(due_date=TODAY - datetime.timedelta(days=3)),
        }

    def test_open_and_done(self, assignments: dict[str, Assignment]) -> None:
        assert set(Assignment.objects.open()) == {
            assignments[key] for key in ("late", "due_today", "no_date", "elsewhere")
        }
        assert list(Assignment.objects.done()) == [assignments["done_late"]]

    def test_overdue_is_open_and_due_before_today(self, assignments: dict[str, Assignment]) -> None:
        assert set(Assignment.objects.overdue(today=TODAY)) == {assignments["late"], assignments["elsewhere"]}

    def test_overdue_defaults_to_today(self) -> None:
        late = AssignmentFactory(due_date=timezone.localdate() - datetime.timedelta(days=1))
        AssignmentFactory(due_date=timezone.localdate())

        assert list(Assignment.objects.overdue()) == [late]

    def test_for_network(self, assignments: dict[str, Assignment]) -> None:
        network = assignments["late"].item.meeting.network

        assert set(Assignment.objects.for_network(network)) == {
            assignments[key] for key in ("late", "due_today", "no_date", "done_late")
        }
        assert set(Assignment.objects.for_network(network).overdue(today=TODAY)) == {assignments["late"]}

    def test_is_overdue(self) -> None:
        yesterday = timezone.localdate() - datetime.timedelta(days=1)

        assert AssignmentFactory.build(due_date=yesterday).is_overdue
        assert not AssignmentFactory.build(due_date=timezone.localdate()).is_overdue
        assert not AssignmentFactory.build(due_date=None).is_overdue
        assert not AssignmentFactory.build(due_date=yesterday, status=Assignment.Status.DONE).is_overdue

    def test_assignees_may_be_persons_and_groups(self) -> None:
        person = PersonFactory(name="Hanna Lundgren")
        group = PersonFactory(name="Styrgruppen", organization="")

        assignment = AssignmentFactory(
            assignees=[person, group], assignees_text="Hanna Lundgren, Styrgruppen"
        )

        assert set(assignment.assignees.all()) == {person, group}


class TestHistory:
    def test_decision_changes_are_recorded(self) -> None:
        decision = DecisionFactory(kind=Decision.Kind.OTHER)

        decision.kind = Decision.Kind.APPROVE
        decision.edited_fields = ["kind"]
        decision.save()

        records = list(decision.history.order_by("history_date"))
        assert [r.history_type for r in records] == ["+", "~"]
        assert records[0].kind == Decision.Kind.OTHER
        assert records[1].kind == Decision.Kind.APPROVE
        delta = records[1].diff_against(records[0])
        assert set(delta.changed_fields) >= {"kind", "edited_fields"}

    def test_meeting_deletion_is_recorded(self) -> None:
        meeting = MeetingFactory()
        pk = meeting.pk

        meeting.delete()

        assert Meeting.history.filter(id=pk, history_type="-").exists()


def test_str_of_every_model() -> None:
    assignment = AssignmentFactory(decision=DecisionFactory())
    item = assignment.item
    meeting = item.meeting

    assert str(meeting) == f"{meeting.network.name} {meeting.date.isoformat()}"
    assert str(item).startswith(f"§ {item.number} ")
    assert str(assignment).startswith("Styrgruppen: ")
    assert str(assignment.decision).startswith("att ")
    assert str(SourceDocumentFactory(original_name="a.pdf")) == "a.pdf"
