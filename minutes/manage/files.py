"""Serving uploaded files: only through these views, only to those who may read them.

The type sent is the one sniffed at upload (never the client's), always as a download
(``Content-Disposition: attachment``) with ``nosniff``, so a file can never run as a page
of this site.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View

from minutes.access import can_read
from minutes.models import Attachment, SourceDocument
from minutes.permissions import can_read_attachment, can_read_document
from minutes.uploads import EXTENSIONS, clean_filename

SAFE_TYPES = frozenset(EXTENSIONS)
FALLBACK_TYPE = "application/octet-stream"


def file_response(field: Any, *, mime_type: str, original_name: str, fallback_name: str) -> FileResponse:
    if not field:
        raise Http404("Filen saknas.")
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("Filen finns inte i lagringen.") from exc
    content_type = mime_type if mime_type in SAFE_TYPES else FALLBACK_TYPE
    name = clean_filename(original_name or "", fallback=fallback_name)
    expected = EXTENSIONS.get(content_type)
    if (
        expected
        and not name.lower().endswith(expected)
        and not (expected == ".jpg" and name.lower().endswith(".jpeg"))
    ):
        name = f"{name.rsplit('.', 1)[0] if '.' in name else name}{expected}"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


class _DownloadView(View):
    http_method_names = ["get", "head"]

    def deny(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not can_read(request.user):
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied


class DocumentDownloadView(_DownloadView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = get_object_or_404(SourceDocument.objects.select_related("network"), pk=pk)
        if not can_read_document(request.user, document):
            return self.deny(request)
        return file_response(
            document.file,
            mime_type=document.mime_type,
            original_name=document.original_name,
            fallback_name="dokument",
        )


class AttachmentDownloadView(_DownloadView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        attachment = get_object_or_404(Attachment.objects.select_related("meeting"), pk=pk)
        if not can_read_attachment(request.user, attachment):
            return self.deny(request)
        return file_response(
            attachment.file,
            mime_type=attachment.mime_type,
            original_name=attachment.original_name,
            fallback_name="bilaga",
        )
