"""MeetingMerge: one parsed meeting written over the stored one, row by row, keeping human edits.

store.py explains the rules; this module applies them.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Prefetch
from simple_history.utils import bulk_create_with_history

from decisions.models import Assignment, Decision
from minutes.models import AgendaItem, Attachment, Attendance, Conflict, Meeting, SourceDocument, SubItem
from minutes.parsing.result import ParsedAttendee, ParsedItem, ParsedMinutes, Span
from networks.models import Person

from .cleaning import clip, parse_due, parse_time
from .matching import SAME_PLACE_TEXT, SAME_TEXT, pair_best, pair_items, text_similarity
from .results import IngestConflict, IngestResult, RowCounts

# Field names as a Swedish sentence refers to them: "Punkt 6: rubriken behölls …".
FIELD_LABELS = {
    "title": "rubriken",
    "date": "datumet",
    "start_time": "starttiden",
    "end_time": "sluttiden",
    "location": "platsen",
    "previous_minutes": "hänvisningarna till tidigare anteckningar",
    "number": "numret",
    "presenters": "föredragande",
    "status": "statusen",
    "body": "brödtexten",
    "text": "texten",
    "kind": "typen",
    "is_formal": "beslutsformen",
    "task": "uppdraget",
    "due_date": "slutdatumet",
    "assignees_text": "ansvariga (som skrivet)",
    "assignees": "ansvariga",
    "decision": "kopplingen till beslut",
    "attendees": "närvarolistan",
    "subitems": "underpunkterna",
}
# Position and provenance follow the parse; a human's value there is kept without a conflict.
QUIET_FIELDS = frozenset({"order", "line_start", "line_end"})

# The history reason of rows ingest deletes; any other removal was a person's.
INGEST_REMOVAL = "Saknas i ny version"


def _as_text(value: Any) -> str:
    """A value as Conflict stores it: machine-readable, so a UI can apply it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)  # "True"/"False": what BooleanField.to_python reads back
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return json.dumps(list(value), ensure_ascii=False)
    return str(value)


def _human_owned(row: models.Model) -> bool:
    if getattr(row, "edited_fields", None):
        return True
    if isinstance(row, Assignment):
        return row.status != Assignment.Status.OPEN or bool(row.done_date or row.done_comment)
    return False


def _meaningful(changed: list[str]) -> int:
    """1 if a change is more than position or line numbers (a reformatted file moves those)."""
    return int(any(name not in QUIET_FIELDS for name in changed))


def _span(span: Span | None) -> dict[str, int | None]:
    if span is None:
        return {"line_start": None, "line_end": None}
    return {"line_start": span.start, "line_end": max(span.start, span.end)}


@dataclass(slots=True)
class _WantedDecision:
    text: str
    kind: str
    is_formal: bool
    order: int
    span: Span | None


class MeetingMerge:
    def __init__(self, *, meeting: Meeting, document: SourceDocument | None, result: IngestResult) -> None:
        self.meeting = meeting
        self.document = document
        self.result = result
        self.counts = result.counts
        self.open_conflicts: dict[tuple[int, int, str, str, str], Conflict] = {}
        if meeting.pk is not None:
            for conflict in Conflict.objects.unresolved().filter(meeting=meeting):
                key = (
                    conflict.content_type_id,
                    conflict.object_id,
                    conflict.field_name,
                    conflict.human_value,
                    conflict.parsed_value,
                )
                self.open_conflicts[key] = conflict
        self.previous_texts: dict[tuple[type[models.Model], int], list[str]] = {}
        self.new_subitems: list[SubItem] = []
        self.removed: dict[tuple[type[models.Model], int], list[str]] = {}

    # writes, with a reason simple-history shows next to each version

    @property
    def reason(self) -> str:
        return f"Inläst från {self.document}" if self.document is not None else "Inläst"

    def create[M: models.Model](self, model: type[M], **values: Any) -> M:
        row = model(**values)
        row._change_reason = self.reason  # type: ignore[attr-defined]
        row.save(force_insert=True)
        return row

    def create_many[M: models.Model](self, model: type[M], rows: list[M], counts: RowCounts) -> None:
        """One INSERT for the rows and one for their history; only for models no signal watches."""
        if rows:
            bulk_create_with_history(rows, model, default_change_reason=self.reason)
            counts.created += len(rows)

    def save(self, row: models.Model, changed: list[str]) -> None:
        fields = list(changed)
        if any(f.name == "updated_at" for f in row._meta.concrete_fields):
            fields.append("updated_at")
        row._change_reason = self.reason  # type: ignore[attr-defined]
        row.save(update_fields=fields)

    def delete(self, row: models.Model) -> None:
        row._change_reason = f"{INGEST_REMOVAL} ({self.document})" if self.document else INGEST_REMOVAL  # type: ignore[attr-defined]
        row.delete()

    # generic field rule

    def apply(self, row: models.Model, values: dict[str, Any], *, where: str) -> list[str]:
        """Set each parsed value unless a human edited that field; return the names that changed."""
        edited = set(getattr(row, "edited_fields", None) or ())
        changed = []
        for name, value in values.items():
            current = getattr(row, name)
            if current == value:
                continue
            field = name.removesuffix("_id")
            if field in edited:
                if field not in QUIET_FIELDS:
                    self.conflict(row, field, current, value, where=where)
                continue
            setattr(row, name, value)
            changed.append(name)
        return changed

    def conflict(self, row: models.Model, field: str, human: Any, parsed: Any, *, where: str) -> None:
        label = FIELD_LABELS.get(field, field)
        content_type = ContentType.objects.get_for_model(row)
        key = (content_type.pk, row.pk, field, _as_text(human), _as_text(parsed))
        conflict = self.open_conflicts.get(key)
        if conflict is None:
            # An identical unresolved conflict is not stored twice (a third version, same text).
            conflict = Conflict.objects.create(
                meeting=self.meeting,
                source_document=self.document,
                content_type=content_type,
                object_id=row.pk,
                field_name=field,
                human_value=key[3],
                parsed_value=key[4],
            )
            self.open_conflicts[key] = conflict
        self.result.conflicts.append(IngestConflict(conflict=conflict, where=where, field_label=label))
        self.result.kept_human_edits.append(f"{where}: {label} behölls (ändrad av människa)")

    def kept(self, counts: RowCounts, where: str) -> None:
        counts.kept += 1
        self.result.kept_human_edits.append(
            f"{where} finns inte i den nya versionen men behölls (ändrad eller tillagd av människa)"
        )

    # the meeting

    def store_meeting(
        self, parsed: ParsedMinutes, when: datetime.date, *, publish: bool, title_override: str | None
    ) -> None:
        meeting, warnings = self.meeting, self.result.warnings
        title = clip(title_override or parsed.title, Meeting, "title")
        values: dict[str, Any] = {
            "title": title or f"Minnesanteckningar {meeting.network.name} {when.isoformat()}",
            "date": when,
            "start_time": parse_time(parsed.start_time, warnings),
            "end_time": parse_time(parsed.end_time, warnings),
            "location": clip(parsed.location, Meeting, "location"),
            "previous_minutes": list(parsed.previous_minutes),
        }
        if meeting.pk is None:
            for name, value in values.items():
                setattr(meeting, name, value)
            meeting.source_document = self.document
            meeting.is_published = publish
            meeting.edited_fields = ["title"] if title_override else []
            meeting._change_reason = self.reason  # type: ignore[attr-defined]
            meeting.save(force_insert=True)
            return
        changed = []
        if title_override:
            # The uploader named the meeting: a human value, kept by later re-ingests.
            values.pop("title")
            if meeting.title != title:
                meeting.title = title
                changed.append("title")
            if "title" not in meeting.edited_fields:
                meeting.edited_fields = [*meeting.edited_fields, "title"]
                changed.append("edited_fields")
        changed += self.apply(meeting, values, where="Mötet")
        if self.document is not None and meeting.source_document_id != self.document.pk:
            meeting.source_document = self.document
            changed.append("source_document")
        if not publish and meeting.is_published:
            # A new version of published minutes stays published: chiefs keep reading it while
            # the secretary settles the conflicts; human edits survive the merge either way.
            warnings.append("Mötet är redan publicerat: den nya versionen syns direkt för läsarna.")
        if meeting.trashed_at is not None:
            warnings.append("Mötet ligger i papperskorgen; det uppdaterades men ligger kvar där.")
        if changed:
            self.save(meeting, changed)
        self.result.meeting_updated = any(
            name not in {"source_document", "edited_fields"} for name in changed
        )

    # attendance

    def store_attendance(self, attendees: Sequence[ParsedAttendee]) -> dict[str, Person]:
        """Attendance by person; returns the attendees by folded name, for linking assignees."""
        counts = self.counts.attendance
        wanted: list[tuple[str, str]] = []
        for attendee in attendees:
            key = (clip(attendee.name, Person, "name"), clip(attendee.organization, Person, "organization"))
            if key[0] and key not in wanted:
                wanted.append(key)
        if "attendees" in (self.meeting.edited_fields or []):
            # A human curated the list: it stays as it is, a different reading is a conflict.
            current = list(self.meeting.attendances.select_related("person"))
            human = sorted(_attendee(row.person.name, row.organization) for row in current)
            parsed = sorted(_attendee(name, organization) for name, organization in wanted)
            if human != parsed:
                self.conflict(self.meeting, "attendees", human, parsed, where="Mötet")
            return {row.person.name.casefold(): row.person for row in current}
        persons = _persons(wanted)
        existing: dict[int, Attendance] = {}
        if not self.result.created:
            existing = {row.person_id: row for row in self.meeting.attendances.all()}
        by_name: dict[str, Person] = {}
        seen: set[int] = set()
        new: list[Attendance] = []
        for order, key in enumerate(wanted):
            person = persons[key]
            by_name.setdefault(key[0].casefold(), person)
            if person.pk in seen:
                continue
            seen.add(person.pk)
            row = existing.pop(person.pk, None)
            if row is None:
                new.append(Attendance(meeting=self.meeting, person=person, organization=key[1], order=order))
                continue
            changed = self.apply(row, {"organization": key[1], "order": order}, where=str(person))
            if changed:
                self.save(row, changed)
                counts.updated += _meaningful(changed)
        self.create_many(Attendance, new, counts)
        # Attendance has no edited_fields, so rows missing from the new version go.
        for row in existing.values():
            self.delete(row)
            counts.deleted += 1
        return by_name

    # items and what hangs under them

    def store_items(self, items: Sequence[ParsedItem], attendees: dict[str, Person]) -> None:
        counts = self.counts.items
        existing: list[AgendaItem] = []
        old_attachments: list[Attachment] = []
        if not self.result.created:
            existing = list(
                self.meeting.items.prefetch_related(
                    "decisions",
                    "subitems",
                    Prefetch("assignments", queryset=Assignment.objects.prefetch_related("assignees")),
                )
            )
            old_attachments = list(self.meeting.attachments.all())
            self._load_history(existing)
        assignees = _assignee_persons(
            {name for item in items for a in item.assignments for name in a.assignees}, attendees
        )
        matched, leftovers = pair_items(items, existing)
        old_ids = {row.pk for row in existing}
        wanted_attachments: list[tuple[AgendaItem, str]] = []
        for order, (parsed, row) in enumerate(zip(items, matched, strict=True)):
            values: dict[str, Any] = {
                "title": parsed.title or f"Punkt {parsed.number}",
                "presenters": list(parsed.presenters),
                "status": parsed.status if parsed.status in AgendaItem.Status.values else "handled",
                "body": parsed.body,
                "order": order,
                **_span(parsed.span),
            }
            if row is None:
                row = self.create(AgendaItem, meeting=self.meeting, number=parsed.number, **values)
                counts.created += 1
            else:
                changed = self.apply(row, {"number": parsed.number, **values}, where=f"Punkt {row.number}")
                if changed:
                    self.save(row, changed)
                    counts.updated += _meaningful(changed)
            self._store_item_content(row, parsed, assignees, new=row.pk not in old_ids)
            wanted_attachments += [(row, ref) for ref in parsed.attachments]
        self.create_many(SubItem, self.new_subitems, self.counts.subitems)
        self._store_attachments(wanted_attachments, old_attachments)
        for row in leftovers:
            if _human_owned(row) or any(map(_human_owned, [*row.decisions.all(), *row.assignments.all()])):
                self.kept(counts, f"Punkt {row.number}")
                self._store_item_content(row, ParsedItem(row.number, row.title), assignees, new=False)
                continue
            # Children one by one, so their history says why they went (not a human removal).
            for child in [*row.assignments.all(), *row.decisions.all()]:
                self.delete(child)
            self.counts.decisions.deleted += len(row.decisions.all())
            self.counts.assignments.deleted += len(row.assignments.all())
            self.counts.subitems.deleted += len(row.subitems.all())
            self.delete(row)
            counts.deleted += 1

    def _store_item_content(
        self, item: AgendaItem, parsed: ParsedItem, assignees: dict[str, Person], *, new: bool
    ) -> None:
        decisions, vanished = self._store_decisions(item, parsed, [] if new else list(item.decisions.all()))
        self._store_assignments(
            item, parsed, decisions, assignees, [] if new else list(item.assignments.all())
        )
        # Deleted only now: an assignment kept above may still have pointed at one of them.
        for row in vanished:
            self.delete(row)
            self.counts.decisions.deleted += 1
        self._store_subitems(item, parsed, [] if new else list(item.subitems.all()))

    def _store_decisions(
        self, item: AgendaItem, parsed: ParsedItem, existing: list[Decision]
    ) -> tuple[list[Decision | None], list[Decision]]:
        """Returns the rows of ``parsed.decisions`` in order (for assignments) and those to delete."""
        counts = self.counts.decisions
        wanted = [_WantedDecision(d.text, d.kind, True, i, d.span) for i, d in enumerate(parsed.decisions)]
        wanted += [
            _WantedDecision(d.text, d.kind, False, len(wanted) + i, d.span)
            for i, d in enumerate(parsed.inline_decisions)
        ]

        def score(_: int, w: _WantedDecision, row: Decision) -> float | None:
            similarity = text_similarity(w.text, [row.text, *self.previous_texts.get((Decision, row.pk), [])])
            same_place = row.order == w.order and row.is_formal == w.is_formal
            if similarity >= SAME_TEXT or (
                same_place and (similarity >= SAME_PLACE_TEXT or "text" in row.edited_fields)
            ):
                return similarity + (10 if same_place else 0)
            return None

        matched, leftovers = pair_best(wanted, existing, score)
        rows: list[Decision | None] = []
        for w, row in zip(wanted, matched, strict=True):
            where = f"Beslut {w.order + 1} i punkt {item.number}"
            if row is None and self.removed_by_human(Decision, item, w.text, where):
                rows.append(None)
                continue
            values: dict[str, Any] = {
                "text": w.text,
                "kind": w.kind if w.kind in Decision.Kind.values else Decision.Kind.OTHER,
                "is_formal": w.is_formal,
                "order": w.order,
                **_span(w.span),
            }
            if row is None:
                row = self.create(Decision, item=item, **values)
                counts.created += 1
            else:
                changed = self.apply(row, values, where=where)
                if changed:
                    self.save(row, changed)
                    counts.updated += _meaningful(changed)
            rows.append(row)
        vanished = []
        for row in leftovers:
            if _human_owned(row):
                self.kept(counts, f"Beslut {row.order + 1} i punkt {item.number}")
            else:
                vanished.append(row)
        return rows[: len(parsed.decisions)], vanished

    def _store_assignments(
        self,
        item: AgendaItem,
        parsed: ParsedItem,
        decisions: list[Decision | None],
        persons: dict[str, Person],
        existing: list[Assignment],
    ) -> None:
        counts = self.counts.assignments
        links = [
            decisions[a.decision_index]
            if a.decision_index is not None and 0 <= a.decision_index < len(decisions)
            else None
            for a in parsed.assignments
        ]

        def score(i: int, parsed_assignment: Any, row: Assignment) -> float | None:
            similarity = text_similarity(
                parsed_assignment.task, [row.task, *self.previous_texts.get((Assignment, row.pk), [])]
            )
            link = links[i]
            same_decision = link is not None and row.decision_id == link.pk
            if similarity >= SAME_TEXT or (
                same_decision and (similarity >= SAME_PLACE_TEXT or "task" in row.edited_fields)
            ):
                return similarity + (15 if same_decision else 0) + (5 if row.order == i else 0)
            return None

        matched, leftovers = pair_best(parsed.assignments, existing, score)
        for order, (wanted, row, decision) in enumerate(zip(parsed.assignments, matched, links, strict=True)):
            names = list(dict.fromkeys(n.strip() for n in wanted.assignees if n.strip()))
            who = [persons[name] for name in names if name in persons]
            values: dict[str, Any] = {
                "task": wanted.task,
                "due_date": parse_due(wanted.due),
                "assignees_text": clip(", ".join(names), Assignment, "assignees_text"),
                "decision_id": decision.pk if decision else None,
                "order": order,
                **_span(wanted.span),
            }
            where = f"Uppdrag {order + 1} i punkt {item.number}"
            if row is None and self.removed_by_human(Assignment, item, wanted.task, where):
                continue
            if row is None:
                row = self.create(Assignment, item=item, **values)
                if who:
                    row.assignees.set(who)
                counts.created += 1
                continue
            if "assignees" in row.edited_fields:
                del values["assignees_text"]  # the names go with the links: one conflict, below
            changed = self.apply(row, values, where=where)
            if changed:
                self.save(row, changed)
            current = sorted(row.assignees.all(), key=lambda p: p.pk)
            if [p.pk for p in current] != sorted({p.pk for p in who}):
                if "assignees" in row.edited_fields:
                    self.conflict(row, "assignees", [p.name for p in current], names, where=where)
                else:
                    row.assignees.set(who)
                    changed.append("assignees")
            counts.updated += _meaningful(changed)
        for row in leftovers:
            if _human_owned(row):
                self.kept(counts, f"Uppdrag {row.order + 1} i punkt {item.number}")
            else:
                self.delete(row)
                counts.deleted += 1

    def _store_subitems(self, item: AgendaItem, parsed: ParsedItem, existing: list[SubItem]) -> None:
        counts = self.counts.subitems
        if "subitems" in (item.edited_fields or []):
            human = [f"{row.label}) {row.title}" for row in sorted(existing, key=lambda row: row.order)]
            parsed_subitems = [f"{sub.label}) {sub.title}" for sub in parsed.subitems]
            if human != parsed_subitems:
                self.conflict(item, "subitems", human, parsed_subitems, where=f"Punkt {item.number}")
            return
        by_label: dict[str, SubItem] = {}
        for row in existing:
            by_label.setdefault(row.label, row)
        used: set[int] = set()
        for order, sub in enumerate(parsed.subitems):
            label = clip(sub.label, SubItem, "label")
            row = by_label.get(label)
            if row is None or row.pk in used:
                self.new_subitems.append(SubItem(item=item, label=label, title=sub.title, order=order))
                continue
            used.add(row.pk)
            changed = self.apply(
                row, {"title": sub.title, "order": order}, where=f"Punkt {item.number} {label})"
            )
            if changed:
                self.save(row, changed)
                counts.updated += _meaningful(changed)
        for row in existing:
            if row.pk not in used:
                self.delete(row)
                counts.deleted += 1

    def _store_attachments(self, wanted: list[tuple[AgendaItem, str]], existing: list[Attachment]) -> None:
        counts = self.counts.attachments
        stored = {(row.item_id, row.reference.casefold()): row for row in existing}
        keep: set[int] = set()
        new: dict[tuple[int, str], Attachment] = {}
        for item, reference in wanted:
            reference = clip(reference, Attachment, "reference")
            key = (item.pk, reference.casefold())
            if key in stored:
                keep.add(stored[key].pk)
            elif reference and key not in new:
                new[key] = Attachment(meeting=self.meeting, item=item, reference=reference)
        self.create_many(Attachment, list(new.values()), counts)
        for row in existing:
            if row.pk in keep:
                continue
            if row.file:  # someone uploaded the attachment itself: theirs to remove
                counts.kept += 1
                continue
            self.delete(row)
            counts.deleted += 1

    def _load_history(self, items: list[AgendaItem]) -> None:
        """From the history of the meeting's decisions and assignments: the earlier texts of rows
        a human rewrote (so the new parse still finds them), and the texts of rows a human
        deleted, merged away or moved to another item (so the new parse doesn't bring them back).
        """
        item_ids = [item.pk for item in items]
        for model, field, rows in (
            (Decision, "text", [d for i in items for d in i.decisions.all()]),
            (Assignment, "task", [a for i in items for a in i.assignments.all()]),
        ):
            current = {row.pk: row for row in rows}
            edited = {row.pk for row in rows if field in (row.edited_fields or [])}
            texts: dict[tuple[int, int], set[str]] = {}
            deleted_by: dict[int, tuple[str, bool]] = {}
            versions = model.history.filter(item_id__in=item_ids).values_list(  # type: ignore[attr-defined]
                "id", "item_id", field, "history_type", "history_change_reason", "history_user_id"
            )
            for pk, item_id, text, kind, reason, user_id in versions:
                if pk in edited:
                    self.previous_texts.setdefault((model, pk), []).append(text)
                texts.setdefault((pk, item_id), set()).add(text)
                if kind == "-":
                    deleted_by[pk] = (reason or "", user_id is not None)
            for (pk, item_id), found in texts.items():
                row = current.get(pk)
                if row is not None:
                    human = row.item_id != item_id  # moved away: only people move rows
                else:
                    reason, with_user = deleted_by.get(pk, ("", False))
                    # No reason and no user: a cascade (its item went) – not a decision about this row.
                    human = not reason.startswith(INGEST_REMOVAL) and bool(reason or with_user)
                if human:
                    self.removed.setdefault((model, item_id), []).extend(found)

    def removed_by_human(self, model: type[models.Model], item: AgendaItem, text: str, where: str) -> bool:
        removed = self.removed.get((model, item.pk))
        if not removed or text_similarity(text, removed) < SAME_TEXT:
            return False
        self.result.kept_human_edits.append(
            f"{where} skapades inte igen: borttaget, ihopslaget eller flyttat av människa"
        )
        return True


def _attendee(name: str, organization: str) -> str:
    return f"{name} ({organization})" if organization else name


def _persons(wanted: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Person]:
    """Person rows for (name, organization) pairs, created where missing (two queries at most)."""
    names = {name for name, _ in wanted}
    found = {(p.name, p.organization): p for p in Person.objects.filter(name__in=names)}
    missing = [Person(name=name, organization=org) for name, org in wanted if (name, org) not in found]
    if missing:
        # ignore_conflicts: a concurrent ingest may have added the same person meanwhile.
        Person.objects.bulk_create(missing, ignore_conflicts=True)
        found = {(p.name, p.organization): p for p in Person.objects.filter(name__in=names)}
    return found


def _assignee_persons(names: set[str], attendees: dict[str, Person]) -> dict[str, Person]:
    """An assignee is this meeting's attendee of that name, else the one person of that name,
    else a person (or group, such as "Styrgruppen") without organization."""
    result: dict[str, Person] = {}
    missing: dict[str, str] = {}  # as written (stripped) → as stored
    for raw in names:
        written, name = raw.strip(), clip(raw, Person, "name")
        if not name:
            continue
        if name.casefold() in attendees:
            result[written] = attendees[name.casefold()]
        else:
            missing[written] = name
    by_name: dict[str, list[Person]] = {}
    for person in Person.objects.filter(name__in=set(missing.values())):
        by_name.setdefault(person.name, []).append(person)
    groups = _persons([(name, "") for name in missing.values() if not by_name.get(name)])
    for written, name in missing.items():
        candidates = by_name.get(name, [])
        without_org = [p for p in candidates if not p.organization]
        if len(candidates) == 1:
            result[written] = candidates[0]
        elif without_org:
            result[written] = without_org[0]
        else:
            result[written] = groups[(name, "")]
    return result
