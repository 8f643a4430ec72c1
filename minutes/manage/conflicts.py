"""A meeting's unresolved conflicts (human value vs newly parsed value) and settling them one by one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.generic import TemplateView, View

from minutes import editing
from minutes.forms import ConflictResolveForm
from minutes.models import Conflict, Meeting

from .mixins import EditObjectMixin

FIELD_LABELS = {
    "title": "Rubrik",
    "date": "Datum",
    "start_time": "Starttid",
    "end_time": "Sluttid",
    "location": "Plats",
    "number": "Nummer",
    "presenters": "Föredragande",
    "status": "Status",
    "text": "Beslutstext",
    "kind": "Typ",
    "is_formal": "Formellt beslut",
    "task": "Uppdrag",
    "due_date": "Klart senast",
    "assignees_text": "Ansvariga (som skrivet)",
    "assignees": "Ansvariga",
    "decision": "Kopplat beslut",
}


@dataclass(frozen=True, slots=True)
class ConflictRow:
    conflict: Conflict
    target: str
    field: str


def _describe(conflict: Conflict) -> str:
    target = conflict.content_object
    if target is None:
        return f"{conflict.content_type.name} (borttagen)"
    model = conflict.content_type.model
    if model == "decision":
        return f"Beslut i punkt {target.item.number}"
    if model == "assignment":
        return f"Uppdrag i punkt {target.item.number}"
    if model == "agendaitem":
        return f"Punkt {target.number}"
    if model == "meeting":
        return "Mötet"
    return str(target)


class MeetingConflictsView(EditObjectMixin, TemplateView):
    model = Meeting
    template_name = "manage/conflicts.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        conflicts = (
            self.object.conflicts.unresolved().select_related("content_type").order_by("created_at", "pk")
        )
        context["rows"] = [
            ConflictRow(c, _describe(c), FIELD_LABELS.get(c.field_name, c.field_name)) for c in conflicts
        ]
        return context

    def anchor(self) -> str:
        return ""


class ConflictResolveView(EditObjectMixin, View):
    model = Conflict
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ConflictResolveForm(request.POST)
        conflict: Conflict = self.object
        if not form.is_valid():
            messages.error(request, "Välj om det manuella eller det inlästa värdet ska gälla.")
        else:
            try:
                editing.conflict_resolve(conflict=conflict, take_parsed=form.take_parsed, user=request.user)
            except (ValidationError, ValueError) as exc:  # already settled, or a value that no longer fits
                reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                messages.error(request, f"Konflikten kunde inte lösas: {reason}")
            else:
                messages.success(
                    request,
                    "Det inlästa värdet gäller nu." if form.take_parsed else "Det manuella värdet behålls.",
                )
        return HttpResponseRedirect(reverse("manage:meeting_conflicts", kwargs={"pk": conflict.meeting_id}))
