"""The project's URLs with stand-in download views, to test links that exist only once the write side has them."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns


def _stub(request, pk):
    return HttpResponse(f"download {pk}")


manage_patterns = (
    [
        path("bilagor/<int:pk>/", _stub, name="attachment_download"),
        path("dokument/<int:pk>/", _stub, name="document_download"),
    ],
    "manage",
)

urlpatterns = [p for p in project_urlpatterns if str(p.pattern) != "hantera/"] + [
    path("hantera/", include(manage_patterns)),
]
