"""Upload, the document status page (with retry), and the secretary's list of documents and drafts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from minutes import uploads
from minutes.forms import UploadForm
from minutes.models import Meeting, SourceDocument
from minutes.permissions import UploadRoleMixin, default_upload_network, editable_networks, is_admin

from .mixins import EditObjectMixin, ServiceActionView


class UploadView(UploadRoleMixin, FormView):
    """The minutes file plus attachments → a registered document, processed in the background."""

    template_name = "manage/upload.html"
    form_class = UploadForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["networks"] = editable_networks(self.request.user)
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"network": default_upload_network(self.request.user)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["max_size"] = UploadForm.max_size_text()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        try:
            if not form.is_valid():
                return self.form_invalid(form)
            return self.form_valid(form)
        finally:
            form.cleanup()  # the spooled temporary files, whatever happened

    def form_valid(self, form: UploadForm) -> HttpResponse:
        data = form.cleaned_data
        outcome = uploads.upload_receive(
            minutes=form.minutes_file,
            attachments=list(form.spooled_attachments),
            network=data["network"],
            uploaded_by=self.request.user,
            meeting_date=data.get("meeting_date"),
            title=data.get("title") or "",
        )
        document = outcome.document
        if outcome.created:
            messages.success(self.request, "Filen är uppladdad och läses nu in.")
        else:
            messages.info(
                self.request,
                "Den här filen är redan uppladdad – du har kommit till det befintliga dokumentet"
                + (" (det ligger i papperskorgen)." if document.trashed_at else "."),
            )
            if outcome.attachments_added:
                messages.info(self.request, f"{outcome.attachments_added} bilaga/bilagor lades till.")
        for note in outcome.notes:
            messages.info(self.request, note)
        return HttpResponseRedirect(reverse("manage:document_status", kwargs={"pk": document.pk}))


class DocumentStatusView(EditObjectMixin, TemplateView):
    """Progress while the document is read; the reason and a retry button if it failed."""

    model = SourceDocument
    template_name = "manage/document_status.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        document: SourceDocument = self.object
        busy = document.status in (SourceDocument.Status.PENDING, SourceDocument.Status.PROCESSING)
        context.update(
            document=document,
            busy=busy,
            refresh_seconds=2 if busy and not uploads.can_retry(document) else None,
            can_retry=uploads.can_retry(document),
            percent=_percent(document),
            pending_attachments=(document.upload_options or {}).get("attachments", []),
        )
        return context

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        document: SourceDocument = self.object
        if request.GET.get("format") == "json":
            return JsonResponse(
                {
                    "status": document.status,
                    "status_display": document.get_status_display(),
                    "pages_done": document.pages_done,
                    "pages_total": document.pages_total,
                    "error_message": document.error_message,
                    "review_url": _review_url(document),
                }
            )
        return super().get(request, *args, **kwargs)


def _percent(document: SourceDocument) -> int | None:
    if not document.pages_total:
        return None
    return min(100, round(100 * document.pages_done / document.pages_total))


def _review_url(document: SourceDocument) -> str | None:
    if document.status != SourceDocument.Status.READY:
        return None
    meeting = document.meetings.order_by("-pk").first()
    return reverse("manage:meeting_review", kwargs={"pk": meeting.pk}) if meeting else None


class DocumentRetryView(ServiceActionView):
    model = SourceDocument
    success_message = "Dokumentet läses in igen."

    def perform(self) -> None:
        uploads.document_retry(document=self.object)

    def get_success_url(self) -> str:
        return reverse("manage:document_status", kwargs={"pk": self.object.pk})


class DashboardView(UploadRoleMixin, TemplateView):
    """The documents and draft meetings of the networks the user may change."""

    template_name = "manage/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if is_admin(user):
            documents = SourceDocument.objects.active()
            drafts = Meeting.objects.visible().filter(is_published=False)
        else:
            networks = editable_networks(user)
            documents = SourceDocument.objects.active().filter(Q(network__in=networks) | Q(uploaded_by=user))
            drafts = Meeting.objects.visible().filter(is_published=False, network__in=networks)
        context["documents"] = documents.select_related("network", "uploaded_by").prefetch_related(
            "meetings"
        )[:100]
        context["drafts"] = drafts.select_related("network").order_by("-date")[:100]
        return context
