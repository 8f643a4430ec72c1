"""Correction forms: meeting header, attendance, items, decisions, assignments, attachment links.

Each view is a small form (or one POST button) whose data goes to one service; the
service marks the changed fields in ``edited_fields`` and simple-history records it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from decisions import services as decision_services
from decisions.models import Assignment, Decision
from minutes import editing
from minutes.forms import (
    AssignmentDoneForm,
    AssignmentForm,
    AttachmentLinkForm,
    AttendanceAddForm,
    DecisionForm,
    DecisionMoveForm,
    DecisionSplitForm,
    ItemForm,
    MeetingForm,
)
from minutes.models import AgendaItem, Attachment, Attendance, Meeting

from .mixins import ServiceActionView, ServiceFormView, review_url

# --- meeting -------------------------------------------------------------------------------------


class MeetingEditView(ServiceFormView):
    model = Meeting
    form_class = MeetingForm
    template_name = "manage/form.html"
    success_message = "Mötets uppgifter sparades."
    heading = "Rätta mötets uppgifter"

    def get_initial(self) -> dict[str, Any]:
        m = self.object
        return {
            "title": m.title,
            "date": m.date,
            "start_time": m.start_time,
            "end_time": m.end_time,
            "location": m.location,
        }

    def perform(self, form: MeetingForm) -> list[str]:
        return editing.meeting_update(meeting=self.object, **form.cleaned_data)

    def anchor(self) -> str:
        return "meeting-header"


class AttendanceAddView(ServiceFormView):
    model = Meeting
    form_class = AttendanceAddForm
    template_name = "manage/form.html"
    success_message = "Personen lades till bland de närvarande."
    heading = "Lägg till närvarande"

    def perform(self, form: AttendanceAddForm) -> Attendance:
        return editing.attendance_add(meeting=self.object, **form.cleaned_data)

    def anchor(self) -> str:
        return "attendance"


class AttendanceRemoveView(ServiceActionView):
    model = Attendance
    success_message = "Personen togs bort från de närvarande."

    def perform(self) -> None:
        editing.attendance_remove(attendance=self.object)

    def anchor(self) -> str:
        return "attendance"


# --- items ---------------------------------------------------------------------------------------


class ItemEditView(ServiceFormView):
    model = AgendaItem
    form_class = ItemForm
    template_name = "manage/form.html"
    success_message = "Ärendet sparades."

    @property
    def heading(self) -> str:
        return f"Rätta punkt {self.object.number}"

    def get_initial(self) -> dict[str, Any]:
        return ItemForm.initial_for(self.object)

    def perform(self, form: ItemForm) -> list[str]:
        data = form.cleaned_data
        return editing.item_update(
            item=self.object,
            title=data["title"],
            status=data["status"],
            presenters=data["presenters"],
            subitems=data["subitems"],
        )


class DecisionCreateView(ServiceFormView):
    model = AgendaItem
    form_class = DecisionForm
    template_name = "manage/form.html"
    success_message = "Beslutet lades till."

    @property
    def heading(self) -> str:
        return f"Nytt beslut i punkt {self.object.number}"

    def get_initial(self) -> dict[str, Any]:
        return {"kind": Decision.Kind.OTHER}

    def perform(self, form: DecisionForm) -> Decision:
        return decision_services.decision_create(item=self.object, **form.cleaned_data)


# --- decisions -----------------------------------------------------------------------------------


class DecisionEditView(ServiceFormView):
    model = Decision
    form_class = DecisionForm
    template_name = "manage/form.html"
    success_message = "Beslutet sparades."
    heading = "Rätta beslut"

    def get_initial(self) -> dict[str, Any]:
        return {"text": self.object.text, "kind": self.object.kind}

    def perform(self, form: DecisionForm) -> list[str]:
        return decision_services.decision_update(decision=self.object, **form.cleaned_data)


class DecisionDeleteView(ServiceFormView):
    """Deleting asks first (GET shows the decision, POST deletes); the history keeps the text."""

    model = Decision
    template_name = "manage/confirm.html"
    success_message = "Beslutet togs bort."
    heading = "Ta bort beslut"

    form_class = forms.Form

    def perform(self, form: Any) -> None:
        decision_services.decision_delete(decision=self.object)

    def anchor(self) -> str:
        return f"agendaitem-{self.object.item_id}"


class DecisionSplitView(ServiceFormView):
    model = Decision
    form_class = DecisionSplitForm
    template_name = "manage/decision_split.html"
    success_message = "Beslutet delades i två."
    heading = "Dela beslut i två"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "decision": self.object}

    def get_initial(self) -> dict[str, Any]:
        return {"position": _natural_split(self.object.text)}

    def perform(self, form: DecisionSplitForm) -> tuple[Decision, Decision]:
        return decision_services.decision_split(decision=self.object, position=form.cleaned_data["position"])


def _natural_split(text: str) -> int | None:
    """A suggested split point: the second "att" clause or sentence, if there is one."""
    for marker in ("\natt ", ", att ", "; att ", ". "):
        index = text.find(marker, 1)
        if 0 < index < len(text) - len(marker):
            return index + (1 if marker[0] in ",;." else 0)
    return None


class DecisionMergeView(ServiceActionView):
    """Merge the decision with the one right after it in the same item (POST)."""

    model = Decision
    success_message = "Besluten slogs ihop."

    def perform(self) -> None:
        following = (
            Decision.objects.filter(item_id=self.object.item_id, order__gt=self.object.order)
            .order_by("order", "pk")
            .first()
        )
        if following is None:
            raise ValidationError("Det finns inget beslut efter det här i samma ärende att slå ihop med.")
        decision_services.decision_merge(first=self.object, second=following)


class DecisionMoveView(ServiceFormView):
    model = Decision
    form_class = DecisionMoveForm
    template_name = "manage/form.html"
    success_message = "Beslutet flyttades."
    heading = "Flytta beslut till ett annat ärende"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "decision": self.object}

    def perform(self, form: DecisionMoveForm) -> Decision:
        return decision_services.decision_move(decision=self.object, item=form.cleaned_data["item"])


# --- assignments ---------------------------------------------------------------------------------


class AssignmentEditView(ServiceFormView):
    model = Assignment
    form_class = AssignmentForm
    template_name = "manage/form.html"
    success_message = "Uppdraget sparades."
    heading = "Rätta uppdrag"

    def get_initial(self) -> dict[str, Any]:
        a = self.object
        return {"assignees_text": a.assignees_text, "task": a.task, "due_date": a.due_date}

    def perform(self, form: AssignmentForm) -> list[str]:
        return decision_services.assignment_update(assignment=self.object, **form.cleaned_data)


class AssignmentDoneView(ServiceFormView):
    model = Assignment
    form_class = AssignmentDoneForm
    template_name = "manage/form.html"
    success_message = "Uppdraget markerades som klart."
    heading = "Markera uppdrag som klart"

    def get_initial(self) -> dict[str, Any]:
        return {"done_date": self.object.done_date or timezone.localdate()}

    def perform(self, form: AssignmentDoneForm) -> list[str]:
        return decision_services.assignment_mark_done(
            assignment=self.object,
            done_date=form.cleaned_data["done_date"],
            comment=form.cleaned_data.get("done_comment") or "",
        )


class AssignmentReopenView(ServiceActionView):
    model = Assignment
    success_message = "Uppdraget är öppet igen."

    def perform(self) -> None:
        decision_services.assignment_reopen(assignment=self.object)


# --- attachments ---------------------------------------------------------------------------------


class AttachmentLinkView(ServiceFormView):
    model = Attachment
    form_class = AttachmentLinkForm
    template_name = "manage/form.html"
    success_message = "Bilagan kopplades."
    heading = "Koppla bilagefil till hänvisning"

    def get_initial(self) -> dict[str, Any]:
        return {"reference": self.object.reference}

    def perform(self, form: AttachmentLinkForm) -> Attachment:
        return editing.attachment_link(attachment=self.object, reference=form.cleaned_data["reference"])

    def get_success_url(self) -> str:
        return review_url(self.object, f"attachment-{self.result.pk}")
