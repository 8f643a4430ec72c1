"""Human corrections of meetings, attendance, agenda items and attachments; publishing; conflicts.

Like ``decisions.services``: keyword-only, one transaction each, and every changed field is
named in the row's ``edited_fields`` so a re-ingest keeps it. Attendance and sub-items have no
``edited_fields`` of their own: a change to them marks ``attendees`` on the meeting and
``subitems`` on the item.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from decisions.models import Assignment
from decisions.services import apply_values, mark_edited, persons_for_names, save_with_reason
from networks.models import Person

from .models import AgendaItem, Attachment, Attendance, Conflict, Meeting, SubItem

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

MEETING_FIELDS = ("title", "date", "start_time", "end_time", "location")


# --- meetings ----------------------------------------------------------------


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    title: str,
    date: datetime.date,
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
    location: str = "",
) -> list[str]:
    """Correct the meeting header; returns the changed field names."""
    if (
        date != meeting.date
        and Meeting.objects.filter(network_id=meeting.network_id, date=date).exclude(pk=meeting.pk).exists()
    ):
        raise ValidationError("Nätverket har redan ett möte det datumet.")
    changed = apply_values(
        meeting,
        {
            "title": title.strip(),
            "date": date,
            "start_time": start_time,
            "end_time": end_time,
            "location": location.strip(),
        },
    )
    if changed:
        mark_edited(meeting, changed)
        save_with_reason(meeting, "Manuell rättelse", changed)
    return changed


@transaction.atomic
def meeting_publish(*, meeting: Meeting) -> None:
    """Make a reviewed draft visible to readers."""
    if not meeting.is_published:
        meeting.is_published = True
        save_with_reason(meeting, "Publicerat", ["is_published"])


@transaction.atomic
def meeting_unpublish(*, meeting: Meeting) -> None:
    """Back to draft: readers no longer see it."""
    if meeting.is_published:
        meeting.is_published = False
        save_with_reason(meeting, "Avpublicerat", ["is_published"])


def _mark_meeting(meeting: Meeting, field: str, reason: str) -> None:
    if field not in (meeting.edited_fields or []):
        mark_edited(meeting, [field])
        save_with_reason(meeting, reason, [])


@transaction.atomic
def attendance_add(*, meeting: Meeting, name: str, organization: str = "") -> Attendance:
    """Add a person to the meeting's attendance (the person is found or created by name and organization)."""
    name, organization = " ".join(name.split()), " ".join(organization.split())
    if not name:
        raise ValidationError("Ange ett namn.")
    person, _ = Person.objects.get_or_create(name=name, organization=organization)
    if meeting.attendances.filter(person=person).exists():
        raise ValidationError(f"{person} finns redan med bland de närvarande.")
    highest = meeting.attendances.aggregate(highest=models.Max("order"))["highest"]
    attendance = Attendance(
        meeting=meeting, person=person, organization=organization, order=0 if highest is None else highest + 1
    )
    save_with_reason(attendance, "Tillagd manuellt")
    _mark_meeting(meeting, "attendees", "Närvaro ändrad")
    return attendance


@transaction.atomic
def attendance_remove(*, attendance: Attendance) -> None:
    meeting = attendance.meeting
    attendance._change_reason = "Borttagen manuellt"
    attendance.delete()
    _mark_meeting(meeting, "attendees", "Närvaro ändrad")


# --- agenda items ------------------------------------------------------------


def _clean_names(names: Iterable[str]) -> list[str]:
    result: list[str] = []
    for name in names:
        name = " ".join(name.split())
        if name and name not in result:
            result.append(name)
    return result


@transaction.atomic
def item_update(
    *,
    item: AgendaItem,
    title: str,
    status: str,
    presenters: Iterable[str],
    subitems: Sequence[tuple[str, str]] | None = None,
) -> list[str]:
    """Correct an agenda item; ``subitems`` (label, title) pairs replace the old ones when given."""
    changed = apply_values(
        item, {"title": title.strip(), "status": status, "presenters": _clean_names(presenters)}
    )
    if subitems is not None:
        old = list(item.subitems.order_by("order").values_list("label", "title"))
        new = [(label.strip(), sub_title.strip()) for label, sub_title in subitems]
        if old != new:
            _replace_subitems(item, new, "Ändrad manuellt")
            changed.append("subitems")
    if changed:
        mark_edited(item, changed)
        save_with_reason(item, "Manuell rättelse", [name for name in changed if name != "subitems"])
    return changed


def _replace_subitems(item: AgendaItem, pairs: Sequence[tuple[str, str]], reason: str) -> None:
    for subitem in item.subitems.all():
        subitem._change_reason = reason
        subitem.delete()
    for order, (label, sub_title) in enumerate(pairs):
        save_with_reason(SubItem(item=item, label=label, title=sub_title, order=order), reason)


def _replace_attendance(meeting: Meeting, pairs: Sequence[tuple[str, str]], reason: str) -> None:
    for attendance in meeting.attendances.all():
        attendance._change_reason = reason
        attendance.delete()
    seen: set[int] = set()
    for order, (name, organization) in enumerate(pairs):
        person, _ = Person.objects.get_or_create(name=name, organization=organization)
        if person.pk not in seen:
            seen.add(person.pk)
            save_with_reason(
                Attendance(meeting=meeting, person=person, organization=organization, order=order), reason
            )


_SUBITEM_TEXT = re.compile(r"^\s*(\S{1,20}?)\)\s*(.*)$")
_ATTENDEE_TEXT = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")


def _subitem_pairs(lines: list[str]) -> list[tuple[str, str]]:
    """["a) Drift", …] (as a Conflict stores sub-items) → [("a", "Drift"), …]."""
    pairs = []
    for line in lines:
        match = _SUBITEM_TEXT.match(line)
        pairs.append((match[1], match[2].strip()) if match else ("", line.strip()))
    return pairs


def _attendee_pairs(lines: list[str]) -> list[tuple[str, str]]:
    """["Anna Berg (Avesta)", "Styrgruppen"] → [("Anna Berg", "Avesta"), ("Styrgruppen", "")]."""
    pairs = []
    for line in lines:
        match = _ATTENDEE_TEXT.match(line)
        pairs.append((match[1].strip(), match[2].strip()) if match else (line.strip(), ""))
    return [(name, organization) for name, organization in pairs if name]


# --- attachments -------------------------------------------------------------


@transaction.atomic
def attachment_link(*, attachment: Attachment, reference: str) -> Attachment:
    """Link an uploaded attachment file to a reference in the minutes ("Bilaga 16").

    If the minutes already name that reference without a file, the file moves into that
    row (keeping its item) and the now empty upload row is deleted; otherwise the upload
    row simply takes the reference. Returns the row that holds the file afterwards.
    """
    reference = " ".join(reference.split())
    if not reference:
        raise ValidationError("Ange en hänvisning, t.ex. ”Bilaga 16”.")
    if not attachment.file:
        raise ValidationError("Bilagan har ingen fil att koppla.")
    target = (
        Attachment.objects.filter(meeting_id=attachment.meeting_id, reference__iexact=reference, file="")
        .exclude(pk=attachment.pk)
        .order_by("pk")
        .first()
    )
    if target is None:
        attachment.reference = reference
        save_with_reason(attachment, "Kopplad manuellt", ["reference"])
        return attachment
    for name in ("file", "original_name", "sha256", "mime_type"):
        setattr(target, name, getattr(attachment, name))
    save_with_reason(target, "Fil kopplad manuellt", ["file", "original_name", "sha256", "mime_type"])
    attachment._change_reason = f"Filen flyttad till {target.reference}"
    attachment.delete()
    return target


# --- conflicts ---------------------------------------------------------------


def _parse_value(obj: models.Model, field_name: str, raw: str) -> Any:
    """Turn a Conflict's stored text back into the field's value."""
    field = obj._meta.get_field(field_name)
    if isinstance(field, models.JSONField):
        try:
            return json.loads(raw)
        except ValueError:
            return [part.strip() for part in raw.split(",") if part.strip()]
    if isinstance(field, models.ForeignKey):
        return field.related_model._default_manager.get(pk=raw) if raw else None
    if raw == "" and field.null:
        return None
    return field.to_python(raw)


@transaction.atomic
def conflict_resolve(*, conflict: Conflict, take_parsed: bool, user: AbstractBaseUser | None = None) -> None:
    """Settle one conflict: keep the human value, or take the newly parsed one.

    Taking the parsed value writes it into the field and removes the field from
    ``edited_fields`` (it is the parser's again, so the next re-ingest may update it).
    """
    if conflict.resolved_at is not None:
        raise ValidationError("Konflikten är redan löst.")
    target = conflict.content_object
    if take_parsed and target is not None:
        name = conflict.field_name
        if name == "attendees" and isinstance(target, Meeting):
            lines = _parse_value(target, "edited_fields", conflict.parsed_value)
            _replace_attendance(target, _attendee_pairs(lines), "Konflikt löst: inläst närvaro")
            update = []
        elif name == "subitems" and isinstance(target, AgendaItem):
            lines = _parse_value(target, "edited_fields", conflict.parsed_value)
            _replace_subitems(target, _subitem_pairs(lines), "Konflikt löst: inlästa underpunkter")
            update = []
        elif name == "assignees" and isinstance(target, Assignment):
            names = _parse_value(target, "edited_fields", conflict.parsed_value)  # a JSON list of names
            target.assignees_text = ", ".join(names)
            target.assignees.set(persons_for_names(names))
            update = ["assignees_text"]
        elif name in {field.name for field in target._meta.concrete_fields}:
            setattr(target, name, _parse_value(target, name, conflict.parsed_value))
            update = [name]
        else:  # a field that no longer exists: only the marker goes
            update = []
        target.edited_fields = [f for f in (target.edited_fields or []) if f != name]
        save_with_reason(target, "Konflikt löst: inläst värde", update)
    conflict.resolved_at = timezone.now()
    conflict.resolved_by = user if user is not None and user.is_authenticated else None
    conflict.resolution = Conflict.Resolution.TOOK_PARSED if take_parsed else Conflict.Resolution.KEPT_HUMAN
    conflict.save(update_fields=["resolved_at", "resolved_by", "resolution"])
