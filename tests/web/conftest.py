"""Fixtures for the read-side web tests: a signed-in reader and meetings of any size."""

from __future__ import annotations

import datetime

import pytest

from minutes.models import AgendaItem, Attachment, Attendance, Meeting, SourceDocument, SubItem
from tests.factories import (
    AgendaItemFactory,
    AssignmentFactory,
    DecisionFactory,
    MeetingFactory,
    NetworkFactory,
    PersonFactory,
    SourceDocumentFactory,
    UserFactory,
)

XSS = "<script>alert(1)</script>"


@pytest.fixture
def reader(db):
    return UserFactory(username="lasare")


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


def build_meeting(
    *,
    network=None,
    date: datetime.date | None = None,
    items: int = 2,
    decisions_per_item: int = 2,
    assignments_per_item: int = 1,
    attendees: int = 3,
    subitems_per_item: int = 1,
    attachments_per_item: int = 1,
    previous_minutes: list[str] | None = None,
    decision_text: str = "att godkänna informationen och lägga den till handlingarna.",
    published: bool = True,
    source_lines: int = 40,
) -> Meeting:
    """A meeting with every kind of row the meeting page shows, ``n`` of each."""
    network = network or NetworkFactory()
    text = "\n".join(f"Rad {n} i minnesanteckningarna" for n in range(1, source_lines + 1))
    document = SourceDocumentFactory(network=network, extracted_text=text)
    meeting = MeetingFactory(
        network=network,
        source_document=document,
        is_published=published,
        previous_minutes=previous_minutes or [],
        location="Länshuset, Falun",
        **({"date": date} if date else {}),
    )
    people = [
        PersonFactory(name=f"Deltagare {meeting.pk}-{n}", organization="Falu kommun" if n % 2 else "")
        for n in range(attendees)
    ]
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, person=person, organization=person.organization, order=n)
        for n, person in enumerate(people)
    )
    group = PersonFactory(name="Styrgruppen", organization="")
    for index in range(items):
        item = AgendaItemFactory(
            meeting=meeting,
            number=str(index + 1),
            title=f"Ärende {index + 1}",
            order=index,
            presenters=["Anna Andersson"],
            status=AgendaItem.Status.TABLED if index == 1 else AgendaItem.Status.HANDLED,
            body="Diskussion fördes.",
            line_start=index * 2,
            line_end=index * 2 + 1,
        )
        SubItem.objects.bulk_create(
            SubItem(item=item, label=chr(ord("a") + n), title=f"Underpunkt {n}", order=n)
            for n in range(subitems_per_item)
        )
        decisions = [
            DecisionFactory(item=item, text=decision_text, order=n, is_formal=n % 2 == 0)
            for n in range(decisions_per_item)
        ]
        for n in range(assignments_per_item):
            AssignmentFactory(
                item=item,
                decision=decisions[0] if decisions else None,
                task=f"ta fram förslag {n}",
                due_date=datetime.date(2020, 6, 1) + datetime.timedelta(days=n),
                assignees=[group, *people[:1]],
                order=n,
            )
        Attachment.objects.bulk_create(
            Attachment(meeting=meeting, item=item, reference=f"Bilaga {index}-{n}")
            for n in range(attachments_per_item)
        )
    Attachment.objects.create(meeting=meeting, item=None, reference="Bilaga utan ärende")
    return meeting


@pytest.fixture
def meeting(db) -> Meeting:
    return build_meeting()


__all__ = ["XSS", "SourceDocument", "build_meeting"]
