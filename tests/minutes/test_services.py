"""The ingest services: register, process, store, and the re-ingest rules that keep human edits."""

from __future__ import annotations

import datetime
import json
import random
import shutil
from pathlib import Path

import pytest
from django.apps import apps

from decisions.models import Assignment, Decision
from minutes import services
from minutes.errors import EmptyDocument, IngestError, ParseError, UnsupportedFileType
from minutes.models import AgendaItem, Attachment, Attendance, Conflict, Meeting, SourceDocument
from minutes.parsing.result import (
    ParsedAssignment,
    ParsedAttendee,
    ParsedDecision,
    ParsedInlineDecision,
    ParsedItem,
    ParsedMinutes,
    ParsedSubItem,
    Span,
)
from minutes.services import (
    document_process,
    document_register,
    meeting_ingest,
    meeting_store,
    networks_for_parser,
)
from networks.models import Network, Person
from tests.factories import (
    DecisionFactory,
    NetworkFactory,
    SourceDocumentFactory,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
D4 = "d4_lanschefsnatverket_2021-06-11"

pytestmark = pytest.mark.django_db


def gold(stem: str) -> dict:
    return json.loads((FIXTURES / "gold" / f"{stem}.json").read_text(encoding="utf-8"))


def table_counts() -> dict[str, int]:
    """Rows in every table the project knows (history, conflicts, persons, tasks …)."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def minutes(**changes: object) -> ParsedMinutes:
    """A small, hand-made parse of one meeting of the "testnat" network."""
    parsed = ParsedMinutes(
        source="test.txt",
        network="testnat",
        title="Minnesanteckningar Testnätverket",
        date="2024-05-02",
        start_time="09:00",
        end_time="12:00",
        location="Falun",
        attendees=[ParsedAttendee("Anna Berg", "Falun"), ParsedAttendee("Per Ek", "Mora")],
        items=[
            ParsedItem("1", "Mötets öppnande"),
            ParsedItem(
                "2",
                "Godkännande av dagordning",
                decisions=[ParsedDecision("att godkänna dagordningen.", "approve")],
            ),
            ParsedItem(
                "3",
                "Uppföljning av handlingsplanen",
                presenters=["Anna Berg"],
                decisions=[
                    ParsedDecision(
                        "att uppdra åt Styrgruppen och Anna Berg att ta fram en ny handlingsplan.", "assign"
                    ),
                    ParsedDecision("att lägga informationen till handlingarna.", "file"),
                ],
                inline_decisions=[ParsedInlineDecision("Nätverket ställer sig bakom förslaget.", "approve")],
                assignments=[
                    ParsedAssignment(
                        ["Styrgruppen", "Anna Berg"],
                        "ta fram en ny handlingsplan",
                        "2024-06-01",
                        decision_index=0,
                    )
                ],
                attachments=["Bilaga 1"],
                subitems=[ParsedSubItem("a", "Nuläget"), ParsedSubItem("b", "Nästa steg")],
            ),
            ParsedItem(
                "4",
                "Information från regionen",
                decisions=[ParsedDecision("att notera informationen.", "file")],
                assignments=[ParsedAssignment(["Per Ek"], "återkomma med statistik", None)],
            ),
        ],
    )
    for name, value in changes.items():
        setattr(parsed, name, value)
    return parsed


@pytest.fixture
def testnat() -> Network:
    return NetworkFactory(slug="testnat", name="Testnätverket")


def item(meeting: Meeting, number: str) -> AgendaItem:
    return meeting.items.get(number=number)


# --- reading and parsing real files ------------------------------------------------------------


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_ingest_matches_gold_counts(path: Path) -> None:
    expected = gold(path.stem)

    result = meeting_ingest(path=path)

    meeting = result.meeting
    assert result.created and not result.unchanged
    assert (meeting.network.slug, meeting.date.isoformat()) == (expected["network"], expected["date"])
    decisions = Decision.objects.filter(item__meeting=meeting)
    assert meeting.items.count() == len(expected["items"])
    assert decisions.formal().count() == sum(len(i["decisions"]) for i in expected["items"])
    assert Assignment.objects.filter(item__meeting=meeting).count() == sum(
        len(i["assignments"]) for i in expected["items"]
    )
    assert meeting.attendances.count() == len(expected["attendees"])
    # Inline decisions: stored as the parser read them (the parser misses some in 003).
    document = result.document
    assert decisions.inline().count() == sum(
        len(i["inline_decisions"]) for i in document.parsed_json["items"]
    )
    assert result.counts.items.created == meeting.items.count()
    assert meeting.source_document == document
    assert document.status == SourceDocument.Status.READY
    assert document.read_method == SourceDocument.ReadMethod.TEXT
    assert document.page_count == document.pages_total == document.pages_done == 1
    assert document.parser_version and document.extracted_text
    assert document.network == meeting.network


def test_d4_creates_the_new_network() -> None:
    assert not Network.objects.filter(slug="lanschefsnatverket").exists()

    result = meeting_ingest(path=FIXTURES / "seeds" / f"{D4}.txt")

    network = Network.objects.get(slug="lanschefsnatverket")
    assert network.name == "Länschefsnätverket"
    assert result.network_created and result.meeting.network == network
    assert any("Nytt nätverk" in warning for warning in result.warnings)
    # Known from now on: the parser gets it from the database.
    assert "lanschefsnatverket" in {known.slug for known in networks_for_parser()}
    second = meeting_ingest(path=FIXTURES / "samples" / f"{D4}.docx")
    assert not second.network_created and second.meeting == result.meeting


def test_networks_for_parser_uses_names_short_names_and_aliases() -> None:
    NetworkFactory(slug="nv", name="Nätverket", short_name="NV", aliases=["Länsnätverket"])

    known = {network.slug: network for network in networks_for_parser()}

    assert known["nv"].names == ("Nätverket", "NV", "Länsnätverket")
    assert known["schnv"].name == "Socialchefsnätverket"  # from the data migration


@pytest.mark.parametrize(
    ("sample", "method"),
    [
        (f"{D4}.docx", SourceDocument.ReadMethod.DOCX),
        ("001_f70928721afc9d4a.pdf", SourceDocument.ReadMethod.PDF),
    ],
)
def test_docx_and_text_pdf_samples(sample: str, method: str) -> None:
    expected = gold(sample.split(".")[0])

    result = meeting_ingest(path=FIXTURES / "samples" / sample)

    assert result.document.read_method == method
    assert result.meeting.date.isoformat() == expected["date"]
    assert result.meeting.items.count() == len(expected["items"])
    assert Decision.objects.filter(item__meeting=result.meeting).formal().count() == sum(
        len(i["decisions"]) for i in expected["items"]
    )


def test_progress_is_passed_on_and_recorded() -> None:
    calls: list[tuple[int, int]] = []

    result = meeting_ingest(
        path=FIXTURES / "samples" / f"{D4}.pdf", progress=lambda done, total: calls.append((done, total))
    )

    assert calls[-1] == (3, 3)
    result.document.refresh_from_db()
    assert (result.document.pages_done, result.document.pages_total, result.document.page_count) == (3, 3, 3)


@pytest.mark.ocr
@pytest.mark.slow
def test_scanned_pdf_is_read_with_ocr() -> None:
    result = meeting_ingest(path=FIXTURES / "samples" / f"{D4}.scan.pdf")

    document = result.document
    assert document.read_method == SourceDocument.ReadMethod.OCR
    assert document.ocr_confidence is not None and document.ocr_confidence > 50
    assert document.page_count == 3
    assert result.meeting.network.slug == "lanschefsnatverket"
    assert result.meeting.date == datetime.date(2021, 6, 11)
    assert result.meeting.items.count() == len(gold(D4)["items"])


# --- registering files ---------------------------------------------------------------------------


def test_register_stores_the_file_once_by_content(tmp_path: Path) -> None:
    source = FIXTURES / "seeds" / f"{D4}.txt"
    copy = tmp_path / "samma-innehåll.txt"
    shutil.copy(source, copy)

    document, created = document_register(path=source)
    again, created_again = document_register(path=copy, original_name="annat namn.txt")

    assert created and not created_again and again == document
    assert SourceDocument.objects.count() == 1
    assert document.original_name == source.name
    assert document.mime_type == "text/plain"
    assert document.size == source.stat().st_size
    assert document.status == SourceDocument.Status.PENDING
    with document.file.open("rb") as handle:
        assert handle.read() == source.read_bytes()


def test_register_missing_file_is_an_ingest_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="finns inte"):
        document_register(path=tmp_path / "saknas.txt")
    assert SourceDocument.objects.count() == 0


# --- re-ingest ----------------------------------------------------------------------------------


def test_same_file_again_changes_nothing(tmp_path: Path, django_assert_max_num_queries) -> None:
    path = FIXTURES / "seeds" / f"{D4}.txt"
    first = meeting_ingest(path=path)
    renamed = tmp_path / "kopia.txt"
    shutil.copy(path, renamed)
    before = table_counts()

    with django_assert_max_num_queries(4):
        again = meeting_ingest(path=renamed)

    assert again.unchanged and not again.created
    assert again.meeting == first.meeting and again.document == first.document
    assert again.outcome == "oförändrad: samma fil har redan lästs in"
    assert not again.counts.changed and not again.conflicts
    assert table_counts() == before


def test_new_version_updates_fields_nobody_edited(testnat: Network) -> None:
    first = meeting_store(parsed=minutes(), document=SourceDocumentFactory())
    meeting = first.meeting
    decision = item(meeting, "3").decisions.get(order=1)
    new = minutes(location="Borlänge", start_time="09:30")
    new.items[2].title = "Uppföljning av den regionala handlingsplanen"
    new.items[2].decisions[1].text = "att lägga informationen till handlingarna och sprida den."
    new.items[2].assignments[0].due = "2024-09-01"
    document = SourceDocumentFactory()

    result = meeting_store(parsed=new, document=document)

    assert not result.created and result.meeting == meeting
    meeting.refresh_from_db()
    assert (meeting.location, meeting.start_time) == ("Borlänge", datetime.time(9, 30))
    assert meeting.source_document == document
    assert item(meeting, "3").title == "Uppföljning av den regionala handlingsplanen"
    decision.refresh_from_db()  # matched by position and similarity: the same row, updated
    assert decision.text == "att lägga informationen till handlingarna och sprida den."
    assert Assignment.objects.get(item__meeting=meeting, decision__isnull=False).due_date == datetime.date(
        2024, 9, 1
    )
    assert (
        result.counts.items.updated,
        result.counts.decisions.updated,
        result.counts.assignments.updated,
    ) == (
        1,
        1,
        1,
    )
    assert result.counts.items.created == result.counts.decisions.created == 0
    assert not result.conflicts and not result.kept_human_edits


def test_human_edited_decision_text_survives_with_a_conflict(testnat: Network) -> None:
    meeting = meeting_store(parsed=minutes(), document=SourceDocumentFactory()).meeting
    decision = item(meeting, "2").decisions.get()
    decision.text = "att godkänna dagordningen med tillägg av en punkt om lokaler."
    decision.edited_fields = ["text"]
    decision.save()
    new = minutes()
    new.items[1].decisions[0] = ParsedDecision("att godkänna dagordningen i sin helhet.", "procedural")
    document = SourceDocumentFactory()

    result = meeting_store(parsed=new, document=document)

    decision.refresh_from_db()
    assert decision.text == "att godkänna dagordningen med tillägg av en punkt om lokaler."
    assert decision.kind == "procedural"  # not edited by a human: follows the new parse
    conflict = Conflict.objects.get()
    assert conflict.content_object == decision
    assert (conflict.meeting, conflict.source_document, conflict.field_name) == (meeting, document, "text")
    assert conflict.human_value == "att godkänna dagordningen med tillägg av en punkt om lokaler."
    assert conflict.parsed_value == "att godkänna dagordningen i sin helhet."
    assert [c.conflict for c in result.conflicts] == [conflict]
    assert result.kept_human_edits == ["Beslut 1 i punkt 2: texten behölls (ändrad av människa)"]
    assert "Beslut 1 i punkt 2, texten" in str(result.conflicts[0])

    # The same reading once more: the open conflict is not stored twice.
    meeting_store(parsed=new, document=SourceDocumentFactory())
    assert Conflict.objects.count() == 1


def test_rewritten_decision_is_still_found_when_a_new_one_comes_first(testnat: Network) -> None:
    meeting = meeting_store(parsed=minutes()).meeting
    decision = item(meeting, "3").decisions.get(order=1)
    decision.text = "Helt omskriven av sekreteraren."
    decision.edited_fields = ["text"]
    decision.save()
    new = minutes()
    new.items[2].decisions.insert(0, ParsedDecision("att tacka för dragningen.", "other"))
    new.items[2].assignments[0].decision_index = 1

    result = meeting_store(parsed=new)

    decision.refresh_from_db()
    # Found through its history (the earlier parsed text), now third in the item.
    assert decision.text == "Helt omskriven av sekreteraren." and decision.order == 2
    assert result.counts.decisions.created == 1 and result.counts.decisions.deleted == 0
    assert Conflict.objects.get().parsed_value == "att lägga informationen till handlingarna."


def test_human_added_decision_is_never_deleted(testnat: Network) -> None:
    meeting = meeting_store(parsed=minutes()).meeting
    added = DecisionFactory(
        item=item(meeting, "1"),
        order=5,
        text="att välja Per Ek till justerare.",
        edited_fields=["text", "kind"],
    )

    result = meeting_store(parsed=minutes())

    assert Decision.objects.filter(pk=added.pk).exists()
    assert result.counts.decisions.kept == 1 and result.counts.decisions.deleted == 0
    assert result.kept_human_edits == [
        "Beslut 6 i punkt 1 finns inte i den nya versionen men behölls (ändrad eller tillagd av människa)"
    ]


def test_rows_nobody_touched_that_vanished_are_deleted(testnat: Network) -> None:
    meeting = meeting_store(parsed=minutes()).meeting
    new = minutes()
    del new.items[3]  # item 4 with its decision and assignment
    new.items[2].decisions.pop()  # "att lägga informationen till handlingarna."
    new.items[2].inline_decisions = []
    new.items[2].subitems.pop()
    new.items[2].attachments = []
    new.attendees.pop()

    result = meeting_store(parsed=new)

    assert not meeting.items.filter(number="4").exists()
    assert list(item(meeting, "3").decisions.values_list("text", flat=True)) == [
        "att uppdra åt Styrgruppen och Anna Berg att ta fram en ny handlingsplan."
    ]
    assert list(item(meeting, "3").subitems.values_list("label", flat=True)) == ["a"]
    assert not Attachment.objects.filter(meeting=meeting).exists()
    assert list(meeting.attendances.values_list("person__name", flat=True)) == ["Anna Berg"]
    counts = result.counts
    assert (counts.items.deleted, counts.decisions.deleted, counts.assignments.deleted) == (1, 3, 1)
    assert (counts.subitems.deleted, counts.attachments.deleted, counts.attendance.deleted) == (1, 1, 1)


def test_vanished_item_with_a_human_edit_below_it_is_kept(testnat: Network) -> None:
    meeting = meeting_store(parsed=minutes()).meeting
    edited = Decision.objects.get(item__meeting=meeting, item__number="4")
    edited.text, edited.edited_fields = "att notera informationen och bjuda in regionen igen.", ["text"]
    edited.save()
    untouched = Assignment.objects.get(item__number="4", item__meeting=meeting)
    new = minutes()
    del new.items[3]

    result = meeting_store(parsed=new)

    assert meeting.items.filter(number="4").exists()
    assert Decision.objects.filter(pk=edited.pk).exists()
    assert not Assignment.objects.filter(pk=untouched.pk).exists()
    assert result.counts.items.kept == 1 and result.counts.decisions.kept == 1
    assert result.counts.assignments.deleted == 1


def test_finished_assignment_is_kept_when_it_vanishes(testnat: Network) -> None:
    meeting = meeting_store(parsed=minutes()).meeting
    task = Assignment.objects.get(item__meeting=meeting, item__number="4")
    task.status, task.done_date = Assignment.Status.DONE, datetime.date(2024, 6, 1)
    task.save()
    new = minutes()
    new.items[3].assignments = []

    result = meeting_store(parsed=new)

    assert Assignment.objects.filter(pk=task.pk).exists()
    assert result.counts.assignments.kept == 1


def test_human_edited_meeting_fields_are_kept(testnat: Network) -> None:
    meeting = meeting_store(parsed=minutes()).meeting
    meeting.location, meeting.edited_fields = "Stora salen, Falun", ["location"]
    meeting.save()

    result = meeting_store(parsed=minutes(location="Mora", title="Minnesanteckningar Testnätverket maj"))

    meeting.refresh_from_db()
    assert meeting.location == "Stora salen, Falun"
    assert meeting.title == "Minnesanteckningar Testnätverket maj"
    assert result.kept_human_edits == ["Mötet: platsen behölls (ändrad av människa)"]
    conflict = Conflict.objects.get()
    assert (conflict.field_name, conflict.human_value, conflict.parsed_value) == (
        "location",
        "Stora salen, Falun",
        "Mora",
    )


def test_meeting_whose_date_a_human_corrected_is_found_again(testnat: Network) -> None:
    document = SourceDocumentFactory(parsed_json={"date": "2024-05-02"})
    meeting = meeting_store(parsed=minutes(), document=document).meeting
    meeting.date, meeting.edited_fields = datetime.date(2024, 5, 3), ["date"]
    meeting.save()

    result = meeting_store(parsed=minutes(), document=SourceDocumentFactory())

    assert result.meeting == meeting and not result.created
    assert Meeting.objects.count() == 1
    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2024, 5, 3)
    assert Conflict.objects.get().field_name == "date"


def test_human_edited_assignees_are_kept(testnat: Network) -> None:
    meeting = meeting_store(parsed=minutes()).meeting
    task = Assignment.objects.get(item__meeting=meeting, item__number="4")
    someone = Person.objects.create(name="Eva Ny", organization="Leksand")
    task.assignees.set([someone])
    task.edited_fields = ["assignees"]
    task.save()

    result = meeting_store(parsed=minutes())

    assert list(task.assignees.all()) == [someone]
    assert [c.conflict.field_name for c in result.conflicts] == ["assignees"]
    assert json.loads(result.conflicts[0].conflict.parsed_value) == ["Per Ek"]


# --- what a first store builds --------------------------------------------------------------------


def test_store_builds_every_row_with_links_and_spans(testnat: Network) -> None:
    parsed = minutes()
    parsed.items[2].span = Span(10, 20)
    parsed.items[2].decisions[0].span = Span(14, 15)

    result = meeting_store(parsed=parsed)

    meeting = result.meeting
    assert result.created and meeting.is_published and meeting.network == testnat
    assert (meeting.start_time, meeting.end_time) == (datetime.time(9), datetime.time(12))
    three = item(meeting, "3")
    assert (three.line_start, three.line_end, three.presenters) == (10, 20, ["Anna Berg"])
    formal, _filed, inline = three.decisions.order_by("order")
    assert (formal.is_formal, formal.kind, formal.line_start, formal.line_end) == (True, "assign", 14, 15)
    assert (inline.is_formal, inline.kind, inline.order) == (False, "approve", 2)
    task = Assignment.objects.get(decision=formal)
    assert task.due_date == datetime.date(2024, 6, 1) and task.assignees_text == "Styrgruppen, Anna Berg"
    anna = Attendance.objects.get(meeting=meeting, person__name="Anna Berg").person
    assert set(task.assignees.all()) == {anna, Person.objects.get(name="Styrgruppen", organization="")}
    assert list(three.subitems.values_list("label", "title")) == [("a", "Nuläget"), ("b", "Nästa steg")]
    assert Attachment.objects.get(meeting=meeting).item == three
    assert Assignment.objects.get(item__number="4", item__meeting=meeting).decision is None


def test_gold_json_stores_exactly_the_gold_counts() -> None:
    for path in sorted((FIXTURES / "gold").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        meeting = meeting_store(parsed=ParsedMinutes.from_json(data)).meeting
        decisions = Decision.objects.filter(item__meeting=meeting)
        assert meeting.items.count() == len(data["items"]), path.name
        assert decisions.formal().count() == sum(len(i["decisions"]) for i in data["items"]), path.name
        assert decisions.inline().count() == sum(len(i["inline_decisions"]) for i in data["items"]), path.name
        assert Assignment.objects.filter(item__meeting=meeting).count() == sum(
            len(i["assignments"]) for i in data["items"]
        ), path.name
        assert meeting.attendances.count() == len(data["attendees"]), path.name


def test_repeated_item_number_joins_the_first(testnat: Network) -> None:
    parsed = minutes()
    parsed.items.append(
        ParsedItem(
            "2",
            "Dagordningen igen",
            decisions=[ParsedDecision("att lägga till en punkt.", "approve")],
            assignments=[ParsedAssignment(["Per Ek"], "skicka ut dagordningen", None, decision_index=0)],
        )
    )

    result = meeting_store(parsed=parsed)

    two = item(result.meeting, "2")
    assert two.title == "Godkännande av dagordning"
    assert list(two.decisions.values_list("text", flat=True)) == [
        "att godkänna dagordningen.",
        "att lägga till en punkt.",
    ]
    assert two.assignments.get().decision.text == "att lägga till en punkt."
    assert any("Punkt 2 förekommer mer än en gång" in warning for warning in result.warnings)


def test_explicit_network_wins_and_draft_is_unpublished(testnat: Network) -> None:
    other = NetworkFactory(slug="annat", name="Annat nätverk")

    result = meeting_store(parsed=minutes(), network=other, publish=False)

    assert result.meeting.network == other and not result.meeting.is_published
    assert "Texten verkar gälla testnat, men mötet lades under Annat nätverk som angavs." in result.warnings


def test_new_version_of_published_minutes_stays_published(testnat: Network) -> None:
    published = meeting_store(parsed=minutes(), publish=True).meeting
    assert published.is_published

    result = meeting_store(parsed=minutes(location="Borlänge"), publish=False)

    result.meeting.refresh_from_db()
    assert result.meeting.pk == published.pk
    assert result.meeting.is_published and result.meeting.location == "Borlänge"
    assert any("redan publicerat" in warning for warning in result.warnings)


def test_missing_date_is_a_parse_error_and_saves_nothing(testnat: Network) -> None:
    before = table_counts()

    with pytest.raises(ParseError, match=r"^Inget mötesdatum hittades"):
        meeting_store(parsed=minutes(date=None, network="helt-nytt", network_name="Helt nytt"))

    assert table_counts() == before


# --- failures ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "error", "message"),
    [
        ("tom.txt", b"", EmptyDocument, "Filen är tom"),
        ("skrap.txt", random.Random(1).randbytes(4096), UnsupportedFileType, "varken läsbar text"),
        (
            "utan-datum.txt",
            "Minnesanteckningar Chefsnätverket\n\n1. Mötets öppnande\nOrdföranden öppnade mötet.\n".encode(),
            ParseError,
            "Inget mötesdatum hittades",
        ),
    ],
)
def test_failed_file_leaves_the_database_as_it_was(
    tmp_path: Path, name: str, content: bytes, error: type[IngestError], message: str
) -> None:
    meeting_ingest(path=FIXTURES / "seeds" / f"{D4}.txt")
    path = tmp_path / name
    path.write_bytes(content)
    before = table_counts()

    with pytest.raises(error) as raised:
        meeting_ingest(path=path)

    after = table_counts()
    assert after.pop("minutes.SourceDocument") == before.pop("minutes.SourceDocument") + 1
    assert after == before
    document = SourceDocument.objects.get(original_name=name)
    assert document.status == SourceDocument.Status.FAILED
    assert message in document.error_message and document.error_message == str(raised.value)


def test_failure_halfway_through_a_new_version_rolls_the_meeting_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = meeting_ingest(path=FIXTURES / "seeds" / f"{D4}.txt")
    snapshot = (
        list(AgendaItem.objects.values_list("id", "title", "body", "line_start").order_by("id")),
        list(Decision.objects.values_list("id", "text", "line_start").order_by("id")),
    )
    before = table_counts()

    def boom(*args: object, **kwargs: object) -> None:
        raise ParseError("Något gick fel mitt i.")

    monkeypatch.setattr(services.merge.MeetingMerge, "_store_attachments", boom)
    with pytest.raises(ParseError):
        meeting_ingest(path=FIXTURES / "samples" / f"{D4}.docx")

    after = table_counts()
    assert after.pop("minutes.SourceDocument") == before.pop("minutes.SourceDocument") + 1
    assert after == before
    assert snapshot == (
        list(AgendaItem.objects.values_list("id", "title", "body", "line_start").order_by("id")),
        list(Decision.objects.values_list("id", "text", "line_start").order_by("id")),
    )
    first.meeting.refresh_from_db()
    assert first.meeting.source_document == first.document
    failed = SourceDocument.objects.get(status=SourceDocument.Status.FAILED)
    assert failed.error_message == "Något gick fel mitt i."
    assert failed.extracted_text  # what was read is kept, to show why it failed


def test_failed_document_is_tried_again(tmp_path: Path) -> None:
    path = tmp_path / "protokoll.txt"
    path.write_bytes(b"")
    with pytest.raises(EmptyDocument):
        meeting_ingest(path=path)
    with pytest.raises(EmptyDocument):
        meeting_ingest(path=path)
    assert SourceDocument.objects.get().status == SourceDocument.Status.FAILED


def test_date_in_the_file_name_is_the_hint(tmp_path: Path) -> None:
    path = tmp_path / "chefsnatverket_2024-02-09.txt"
    path.write_text(
        "Minnesanteckningar Chefsnätverket\n\n1. Mötets öppnande\nOrdföranden öppnade mötet.\n",
        encoding="utf-8",
    )

    result = meeting_ingest(path=path)

    assert result.meeting.date == datetime.date(2024, 2, 9)
    assert result.meeting.network.slug == "chefsnatverket"


def test_reprocess_and_title_override(testnat: Network) -> None:
    first = meeting_ingest(path=FIXTURES / "seeds" / f"{D4}.txt")

    again = document_process(document=first.document, reprocess=True, title_override="Länschefer juni")

    assert not again.unchanged and not again.created
    assert not again.counts.changed
    first.meeting.refresh_from_db()
    assert first.meeting.title == "Länschefer juni" and "title" in first.meeting.edited_fields
    assert Meeting.objects.count() == 1


def test_attendance_a_human_curated_is_left_alone(testnat: Network) -> None:
    meeting = meeting_store(parsed=minutes()).meeting
    meeting.attendances.get(person__name="Per Ek").delete()
    meeting.edited_fields = ["attendees"]
    meeting.save()

    result = meeting_store(parsed=minutes())

    assert list(meeting.attendances.values_list("person__name", flat=True)) == ["Anna Berg"]
    conflict = Conflict.objects.get(field_name="attendees")
    assert json.loads(conflict.human_value) == ["Anna Berg (Falun)"]
    assert json.loads(conflict.parsed_value) == ["Anna Berg (Falun)", "Per Ek (Mora)"]
    assert result.kept_human_edits == ["Mötet: närvarolistan behölls (ändrad av människa)"]


def test_subitems_a_human_edited_are_left_alone(testnat: Network) -> None:
    meeting = meeting_store(parsed=minutes()).meeting
    three = item(meeting, "3")
    three.subitems.filter(label="b").update(title="Nästa steg och tidplan")
    three.edited_fields = ["subitems"]
    three.save()

    meeting_store(parsed=minutes())

    assert list(three.subitems.values_list("title", flat=True)) == ["Nuläget", "Nästa steg och tidplan"]
    assert Conflict.objects.get().field_name == "subitems"


def test_decision_a_human_deleted_is_not_brought_back(testnat: Network) -> None:
    meeting = meeting_store(parsed=minutes()).meeting
    decision = item(meeting, "3").decisions.get(order=1)
    decision._change_reason = "Borttaget manuellt"  # as decisions.services.decision_delete does
    decision.delete()

    result = meeting_store(parsed=minutes(), document=SourceDocumentFactory())

    assert not item(meeting, "3").decisions.filter(text="att lägga informationen till handlingarna.").exists()
    assert result.counts.decisions.created == 0
    assert result.kept_human_edits == [
        "Beslut 2 i punkt 3 skapades inte igen: borttaget, ihopslaget eller flyttat av människa"
    ]


def test_decision_a_human_moved_is_not_duplicated(testnat: Network) -> None:
    meeting = meeting_store(parsed=minutes()).meeting
    decision = item(meeting, "4").decisions.get()
    decision.item, decision.order, decision.edited_fields = item(meeting, "3"), 9, ["item"]
    decision.save()

    result = meeting_store(parsed=minutes())

    assert Decision.objects.filter(item__meeting=meeting, text="att notera informationen.").count() == 1
    assert result.counts.decisions.created == 0 and result.counts.decisions.kept == 1


def test_decision_that_vanished_from_one_version_returns_with_the_next(testnat: Network) -> None:
    meeting = meeting_store(parsed=minutes()).meeting
    without = minutes()
    without.items[2].decisions.pop()
    meeting_store(parsed=without)
    assert item(meeting, "3").decisions.count() == 2

    result = meeting_store(parsed=minutes())

    assert result.counts.decisions.created == 1
    assert item(meeting, "3").decisions.filter(text="att lägga informationen till handlingarna.").exists()


def test_item_that_vanished_and_returns_gets_its_decisions_back(testnat: Network) -> None:
    meeting = meeting_store(parsed=minutes()).meeting
    without = minutes()
    del without.items[3]
    meeting_store(parsed=without)

    result = meeting_store(parsed=minutes())

    assert (result.counts.items.created, result.counts.decisions.created) == (1, 1)
    assert result.counts.assignments.created == 1
    assert item(meeting, "4").decisions.get().text == "att notera informationen."


def test_slow_reads_save_pages_done_as_they_go(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services.documents, "PROGRESS_SAVE_INTERVAL", 0)
    seen: list[tuple[str, int, int]] = []

    def progress(done: int, total: int) -> None:
        document = SourceDocument.objects.get()
        seen.append((document.status, document.pages_done, document.pages_total))

    meeting_ingest(path=FIXTURES / "samples" / f"{D4}.pdf", progress=progress)

    assert seen == [("processing", 1, 3), ("processing", 2, 3), ("processing", 3, 3)]
