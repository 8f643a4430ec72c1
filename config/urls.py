from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Read side (part 2): start page, networks, meetings, decision search, assignments, people.
    path("", include("networks.urls")),
    path("", include("minutes.urls")),
    path("", include("decisions.urls")),
    # Write side (part 3): accounts, upload, review, corrections, trash.
    path("konto/", include("accounts.urls")),
    path("hantera/", include("minutes.urls_manage")),
]
