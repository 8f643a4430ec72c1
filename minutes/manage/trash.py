"""Moving meetings and documents to the trash, restoring them, and (admins only) emptying it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.generic import TemplateView

from minutes import trash
from minutes.models import Meeting, SourceDocument
from minutes.permissions import AdminRoleMixin, UploadRoleMixin, editable_networks, is_admin

from .mixins import ServiceActionView, ServiceFormView


class MeetingTrashView(ServiceFormView):
    """GET asks, POST moves the meeting to the trash (its files stay)."""

    model = Meeting
    form_class = forms.Form
    template_name = "manage/confirm.html"
    heading = "Flytta mötet till papperskorgen"
    success_message = "Mötet ligger nu i papperskorgen och kan återställas därifrån."

    def perform(self, form: forms.Form) -> None:
        trash.meeting_trash(meeting=self.object)

    def get_success_url(self) -> str:
        return reverse("manage:trash")


class DocumentTrashView(ServiceFormView):
    model = SourceDocument
    form_class = forms.Form
    template_name = "manage/confirm.html"
    heading = "Flytta dokumentet till papperskorgen"
    success_message = "Dokumentet (och mötet som lästes ur det) ligger nu i papperskorgen."

    def perform(self, form: forms.Form) -> None:
        trash.document_trash(document=self.object)

    def get_success_url(self) -> str:
        return reverse("manage:trash")


class MeetingRestoreView(ServiceActionView):
    model = Meeting
    success_message = "Mötet är återställt."

    def perform(self) -> None:
        trash.meeting_restore(meeting=self.object)

    def get_success_url(self) -> str:
        return reverse("manage:trash")


class DocumentRestoreView(ServiceActionView):
    model = SourceDocument
    success_message = "Dokumentet är återställt."

    def perform(self) -> None:
        trash.document_restore(document=self.object)

    def get_success_url(self) -> str:
        return reverse("manage:trash")


class TrashView(UploadRoleMixin, TemplateView):
    """What is in the trash for the networks the user may change (everything, for an admin)."""

    template_name = "manage/trash.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meetings = Meeting.objects.filter(trashed_at__isnull=False).select_related("network")
        documents = SourceDocument.objects.trashed().select_related("network")
        if not is_admin(self.request.user):
            networks = editable_networks(self.request.user)
            meetings = meetings.filter(network__in=networks)
            documents = documents.filter(network__in=networks)
        context.update(
            meetings=meetings.order_by("-trashed_at"),
            documents=documents.order_by("-trashed_at"),
            may_empty=is_admin(self.request.user),
        )
        return context


class TrashEmptyView(AdminRoleMixin, TemplateView):
    """Admins only: a confirmation page listing everything, then POST deletes rows and files."""

    template_name = "manage/trash_empty.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["meetings"], context["documents"] = trash.trash_contents()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("confirm") != "ja":
            messages.error(request, "Kryssa i rutan för att bekräfta att allt i papperskorgen ska raderas.")
            return HttpResponseRedirect(reverse("manage:trash_empty"))
        emptied = trash.trash_empty()
        messages.success(
            request,
            f"Papperskorgen är tömd: {emptied.meetings} möten, {emptied.documents} dokument "
            f"och {emptied.files} filer raderades.",
        )
        return HttpResponseRedirect(reverse("manage:trash"))
