"""Human corrections of decisions and assignments: the only code that writes them outside ingest.

Every write names the fields it changed in the row's ``edited_fields``, so a re-ingest of
the same minutes keeps the human's value (and records a Conflict) instead of overwriting
it. django-simple-history records each save; ``_change_reason`` says what kind of edit it was.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Model

from minutes.models import AgendaItem
from networks.models import Person

from .models import Assignment, Decision

# What a revert restores: the content a person can see and correct, never the row's place
# (item/order are changed by move/split/merge, which have their own history entries).
DECISION_REVERT_FIELDS = ("text", "kind", "is_formal")
ASSIGNMENT_REVERT_FIELDS = ("assignees_text", "task", "due_date", "status", "done_date", "done_comment")


def mark_edited(obj: Decision | Assignment | AgendaItem, fields: Iterable[str]) -> None:
    """Add field names to ``obj.edited_fields`` (kept sorted and unique); does not save."""
    obj.edited_fields = sorted({*(obj.edited_fields or []), *fields})


def save_with_reason(obj: Model, reason: str, update_fields: Sequence[str] | None = None) -> None:
    """Save a human correction; simple-history records ``reason`` as the change reason."""
    obj._change_reason = reason  # type: ignore[attr-defined]  # read by simple-history
    if update_fields is None:
        obj.save()
        return
    extra = [name for name in ("edited_fields", "updated_at") if hasattr(obj, name)]
    obj.save(update_fields=[*update_fields, *extra])


def apply_values(obj: Model, values: dict[str, Any]) -> list[str]:
    """Set the values that differ; return the names of the fields that changed."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


# --- decisions ---------------------------------------------------------------


@transaction.atomic
def decision_update(*, decision: Decision, text: str, kind: str) -> list[str]:
    """Correct a decision's text and kind; returns the changed field names."""
    changed = apply_values(decision, {"text": text.strip(), "kind": kind})
    if changed:
        mark_edited(decision, changed)
        save_with_reason(decision, "Manuell rättelse", changed)
    return changed


def _next_order(item: AgendaItem) -> int:
    highest = item.decisions.aggregate(highest=Max("order"))["highest"]
    return 0 if highest is None else highest + 1


def _make_room(item: AgendaItem, after_order: int) -> None:
    """Shift the decisions after ``after_order`` one step down (a bulk update: no history noise)."""
    Decision.objects.filter(item=item, order__gt=after_order).update(order=F("order") + 1)


@transaction.atomic
def decision_create(*, item: AgendaItem, text: str, kind: str, is_formal: bool = True) -> Decision:
    """A decision the parser missed; all its content fields count as human-made."""
    decision = Decision(item=item, text=text.strip(), kind=kind, is_formal=is_formal, order=_next_order(item))
    mark_edited(decision, ["text", "kind", "is_formal"])
    save_with_reason(decision, "Tillagt manuellt")
    return decision


@transaction.atomic
def decision_delete(*, decision: Decision) -> None:
    """Delete a decision; its assignments stay on the item (their link is cleared by SET_NULL)."""
    decision._change_reason = "Borttaget manuellt"
    decision.delete()


@transaction.atomic
def decision_split(*, decision: Decision, position: int) -> tuple[Decision, Decision]:
    """Split one decision into two at character ``position`` of its text.

    The first part stays in the row (with its history and assignments); the second
    becomes a new decision right after it, with the same kind and source lines.
    """
    text = decision.text
    first_text, second_text = text[:position].strip(), text[position:].strip()
    if not 0 < position < len(text) or not first_text or not second_text:
        raise ValidationError("Välj en delningspunkt inne i texten, så att båda delarna får text.")
    _make_room(decision.item, decision.order)
    second = Decision(
        item=decision.item,
        order=decision.order + 1,
        text=second_text,
        kind=decision.kind,
        is_formal=decision.is_formal,
        line_start=decision.line_start,
        line_end=decision.line_end,
    )
    mark_edited(second, ["text", "kind", "is_formal"])
    save_with_reason(second, f"Delat från beslut {decision.pk}")
    decision.text = first_text
    mark_edited(decision, ["text"])
    save_with_reason(decision, "Delat i två beslut", ["text"])
    return decision, second


def _adjacent_next(decision: Decision) -> Decision | None:
    return (
        Decision.objects.filter(item_id=decision.item_id, order__gt=decision.order)
        .order_by("order", "pk")
        .first()
    )


@transaction.atomic
def decision_merge(*, first: Decision, second: Decision) -> Decision:
    """Merge ``second`` into ``first``; they must be neighbours in the same item.

    The texts are joined on a new line, the source spans united, the second's
    assignments move to the first, and the second row is deleted.
    """
    if first.item_id != second.item_id or _adjacent_next(first) != second:
        raise ValidationError("Bara två beslut som står efter varandra i samma ärende kan slås ihop.")
    first.text = f"{first.text.rstrip()}\n{second.text.lstrip()}"
    starts = [n for n in (first.line_start, second.line_start) if n is not None]
    ends = [n for n in (first.line_end, second.line_end) if n is not None]
    first.line_start = min(starts) if starts else None
    first.line_end = max(ends) if ends else None
    mark_edited(first, ["text"])
    for assignment in second.assignments.all():
        assignment.decision = first
        save_with_reason(assignment, f"Beslut {second.pk} slogs ihop med {first.pk}", ["decision"])
    second._change_reason = f"Ihopslaget med beslut {first.pk}"
    second.delete()
    save_with_reason(first, f"Ihopslaget med beslut {second.pk}", ["text", "line_start", "line_end"])
    return first


@transaction.atomic
def decision_move(*, decision: Decision, item: AgendaItem) -> Decision:
    """Move a decision (and the assignments it gave) to another item of the same meeting."""
    if item.meeting_id != decision.item.meeting_id:
        raise ValidationError("Ett beslut kan bara flyttas till ett annat ärende i samma möte.")
    if item.pk == decision.item_id:
        return decision
    decision.item = item
    decision.order = _next_order(item)
    mark_edited(decision, ["item"])
    save_with_reason(decision, f"Flyttat till § {item.number}", ["item", "order"])
    for assignment in decision.assignments.all():
        assignment.item = item
        mark_edited(assignment, ["item"])
        save_with_reason(assignment, f"Följde beslut {decision.pk} till § {item.number}", ["item"])
    return decision


@transaction.atomic
def decision_revert(*, decision: Decision, history_id: int) -> list[str]:
    """Restore text, kind and formality from an earlier version; the revert is itself a new version."""
    record = decision.history.get(history_id=history_id)
    changed = apply_values(decision, {name: getattr(record, name) for name in DECISION_REVERT_FIELDS})
    if changed:
        mark_edited(decision, changed)
        save_with_reason(
            decision, f"Återställt till versionen från {record.history_date:%Y-%m-%d %H:%M}", changed
        )
    return changed


# --- assignments -------------------------------------------------------------


def split_names(text: str) -> list[str]:
    """ "Anna Ek, Styrgruppen" → ["Anna Ek", "Styrgruppen"] (blank parts dropped, order kept)."""
    seen: list[str] = []
    for part in text.replace(";", ",").split(","):
        name = " ".join(part.split())
        if name and name not in seen:
            seen.append(name)
    return seen


def persons_for_names(names: Iterable[str]) -> list[Person]:
    """Existing persons by name (the one without organization first), else new group-like persons."""
    persons = []
    for name in names:
        person = Person.objects.filter(name__iexact=name).order_by("organization", "pk").first()
        if person is None:
            person, _ = Person.objects.get_or_create(name=name, organization="")
        persons.append(person)
    return persons


@transaction.atomic
def assignment_update(
    *, assignment: Assignment, assignees_text: str, task: str, due_date: datetime.date | None
) -> list[str]:
    """Correct who, what and by when; the assignee links follow the names."""
    names = split_names(assignees_text)
    changed = apply_values(
        assignment, {"assignees_text": ", ".join(names), "task": task.strip(), "due_date": due_date}
    )
    if changed:
        mark_edited(assignment, [*changed, *(["assignees"] if "assignees_text" in changed else [])])
        save_with_reason(assignment, "Manuell rättelse")
    if "assignees_text" in changed:
        # After the save, so the newest history version holds both the names and the links.
        assignment.assignees.set(persons_for_names(names))
    return changed


@transaction.atomic
def assignment_mark_done(*, assignment: Assignment, done_date: datetime.date, comment: str = "") -> list[str]:
    """Close a task with the date it was done and an optional comment."""
    changed = apply_values(
        assignment,
        {"status": Assignment.Status.DONE, "done_date": done_date, "done_comment": comment.strip()},
    )
    if changed:
        mark_edited(assignment, changed)
        save_with_reason(assignment, "Markerat som klart", changed)
    return changed


@transaction.atomic
def assignment_reopen(*, assignment: Assignment) -> list[str]:
    changed = apply_values(assignment, {"status": Assignment.Status.OPEN, "done_date": None})
    if changed:
        mark_edited(assignment, changed)
        save_with_reason(assignment, "Öppnat igen", changed)
    return changed


@transaction.atomic
def assignment_revert(*, assignment: Assignment, history_id: int) -> list[str]:
    """Restore an earlier version's content and assignees."""
    record = assignment.history.get(history_id=history_id)
    changed = apply_values(assignment, {name: getattr(record, name) for name in ASSIGNMENT_REVERT_FIELDS})
    old_people = {row.person_id for row in record.assignees.all()}
    if old_people != set(assignment.assignees.values_list("pk", flat=True)):
        changed.append("assignees")
    if changed:
        mark_edited(assignment, changed)
        save_with_reason(assignment, f"Återställt till versionen från {record.history_date:%Y-%m-%d %H:%M}")
        if "assignees" in changed:
            assignment.assignees.set(Person.objects.filter(pk__in=old_people))
    return changed
