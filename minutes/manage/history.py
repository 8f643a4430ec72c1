"""History pages (who changed what, when: before → after) and reverting to an earlier version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import models
from django.http import Http404
from django.views.generic import TemplateView

from decisions import services as decision_services
from decisions.models import Assignment, Decision
from minutes.models import AgendaItem, Meeting
from networks.models import Person

from .mixins import EditObjectMixin, ServiceActionView

# Bookkeeping columns: they change with every save and say nothing to a reader of the history.
HIDDEN_FIELDS = frozenset(
    {"updated_at", "created_at", "edited_fields", "order", "line_start", "line_end", "body"}
)


@dataclass(frozen=True, slots=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Entry:
    record: Any
    kind: str
    changes: list[Change]
    can_revert: bool
    first: bool


# simple-history's own labels are English only.
HISTORY_TYPES = {"+": "Skapad", "~": "Ändrad", "-": "Borttagen"}


def _display(model: type[models.Model], name: str, value: Any, persons: dict[int, str]) -> str:
    if value is None or value == "":
        return "–"
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # an m2m or a removed field: show the raw value
        field = None
    if isinstance(value, list) and value and isinstance(value[0], dict) and "person" in value[0]:
        return ", ".join(persons.get(row["person"], f"#{row['person']}") for row in value) or "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return str(value)


def history_entries(obj: models.Model, *, revertable: bool) -> list[Entry]:
    """Every version of ``obj``, newest first, with what changed against the one before."""
    model = type(obj)
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id"))
    person_ids: set[int] = set()
    diffs = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        delta = record.diff_against(previous) if previous is not None else None
        diffs.append(delta)
        for change in delta.changes if delta else []:
            for value in (change.old, change.new):
                if isinstance(value, list):
                    person_ids.update(
                        row["person"] for row in value if isinstance(row, dict) and "person" in row
                    )
    persons = dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "name"))
    entries = []
    for index, (record, delta) in enumerate(zip(records, diffs, strict=True)):
        changes = []
        if delta is not None:
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                label = _label(model, change.field)
                changes.append(
                    Change(
                        label,
                        _display(model, change.field, change.old, persons),
                        _display(model, change.field, change.new, persons),
                    )
                )
        entries.append(
            Entry(
                record=record,
                kind=HISTORY_TYPES.get(record.history_type, record.history_type),
                changes=changes,
                can_revert=revertable and index > 0 and record.history_type != "-",
                first=delta is None,
            )
        )
    return entries


def _label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


class HistoryView(EditObjectMixin, TemplateView):
    template_name = "manage/history.html"
    revertable = False
    revert_url_name = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["entries"] = history_entries(self.object, revertable=self.revertable)
        context["revert_url_name"] = self.revert_url_name
        context["object_label"] = self.object_label()
        return context

    def object_label(self) -> str:
        return str(self.object)


class MeetingHistoryView(HistoryView):
    model = Meeting

    def anchor(self) -> str:
        return ""

    def object_label(self) -> str:
        return f"Mötet {self.object}"


class ItemHistoryView(HistoryView):
    model = AgendaItem

    def object_label(self) -> str:
        return f"Punkt {self.object.number}: {self.object.title}"


class DecisionHistoryView(HistoryView):
    model = Decision
    revertable = True
    revert_url_name = "manage:decision_revert"

    def object_label(self) -> str:
        return f"Beslut i punkt {self.object.item.number}"


class AssignmentHistoryView(HistoryView):
    model = Assignment
    revertable = True
    revert_url_name = "manage:assignment_revert"

    def object_label(self) -> str:
        return f"Uppdrag i punkt {self.object.item.number}"


class _RevertView(ServiceActionView):
    success_message = "Den tidigare versionen är återställd."

    def revert(self, history_id: int) -> list[str]:
        raise NotImplementedError

    def perform(self) -> None:
        try:
            changed = self.revert(int(self.kwargs["history_id"]))
        except ObjectDoesNotExist as exc:
            raise Http404("Versionen finns inte.") from exc
        if not changed:
            raise ValidationError("Den versionen är likadan som den nuvarande; inget ändrades.")


class DecisionRevertView(_RevertView):
    model = Decision

    def revert(self, history_id: int) -> list[str]:
        return decision_services.decision_revert(decision=self.object, history_id=history_id)


class AssignmentRevertView(_RevertView):
    model = Assignment

    def revert(self, history_id: int) -> list[str]:
        return decision_services.assignment_revert(assignment=self.object, history_id=history_id)
