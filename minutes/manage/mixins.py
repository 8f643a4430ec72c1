"""Shared pieces of the write views: object lookup with a role check, and service-backed forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import FormView, View

from decisions.models import Assignment, Decision
from minutes.models import AgendaItem, Attachment, Attendance, Conflict, Meeting, SourceDocument
from minutes.permissions import can_edit_document, can_edit_network


def meeting_of(obj: models.Model) -> Meeting | None:
    """The meeting an editable object belongs to (None for a document without one)."""
    if isinstance(obj, Meeting):
        return obj
    if isinstance(obj, AgendaItem | Attendance | Attachment | Conflict):
        return obj.meeting
    if isinstance(obj, Decision | Assignment):
        return obj.item.meeting
    if isinstance(obj, SourceDocument):
        return obj.meetings.order_by("-pk").first()
    raise TypeError(type(obj))


def review_url(obj: models.Model, anchor: str = "") -> str:
    meeting = meeting_of(obj)
    if meeting is None:
        return reverse("manage:index")
    url = reverse("manage:meeting_review", kwargs={"pk": meeting.pk})
    return f"{url}#{anchor}" if anchor else url


_SELECT_RELATED: dict[type[models.Model], tuple[str, ...]] = {
    Meeting: ("network", "source_document"),
    AgendaItem: ("meeting__network",),
    Decision: ("item__meeting__network",),
    Assignment: ("item__meeting__network",),
    Attendance: ("meeting", "person"),
    Attachment: ("meeting", "item"),
    Conflict: ("meeting", "content_type"),
    SourceDocument: ("network", "uploaded_by"),
}


class EditObjectMixin:
    """Look the object up by ``pk`` and require the right to change its network's minutes.

    Anonymous → login page; no role → 403; missing → 404. The object is ``self.object``.
    """

    model: type[models.Model]
    request: HttpRequest
    kwargs: dict[str, Any]
    object: Any

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        queryset = self.model._default_manager.select_related(*_SELECT_RELATED.get(self.model, ()))
        self.object = get_object_or_404(queryset, pk=kwargs["pk"])
        if not self.may_edit(self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def may_edit(self, obj: models.Model) -> bool:
        if isinstance(obj, SourceDocument):
            return can_edit_document(self.request.user, obj)
        meeting = meeting_of(obj)
        return meeting is not None and can_edit_network(self.request.user, meeting.network_id)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["object"] = self.object
        meeting = meeting_of(self.object)
        context["meeting"] = meeting
        context["back_url"] = review_url(self.object, self.anchor())
        context["heading"] = getattr(self, "heading", "")
        return context

    def anchor(self) -> str:
        name = self.model._meta.model_name
        return f"{name}-{self.object.pk}"


class ServiceFormView(EditObjectMixin, FormView):
    """A small form whose valid data goes to one service call (``perform``).

    A ValidationError from the service is shown on the form, like a field error.
    """

    success_message = ""

    def perform(self, form: Any) -> Any:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.result = self.perform(form)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self) -> str:
        return review_url(self.object, self.anchor())


class ServiceActionView(EditObjectMixin, View):
    """A POST-only button (publish, restore, merge …) that calls one service."""

    http_method_names = ["post"]
    success_message = ""

    def perform(self) -> Any:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self.perform()
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            if self.success_message:
                messages.success(request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self) -> str:
        return review_url(self.object, self.anchor())
