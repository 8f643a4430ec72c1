"""The project's URLs without the write side: download links must then be plain text."""

from __future__ import annotations

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [p for p in project_urlpatterns if str(p.pattern) != "hantera/"] + [
    path("hantera/", include(([], "manage"))),
]
