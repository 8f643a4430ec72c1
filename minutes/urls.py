from django.urls import path

from . import views

app_name = "minutes"
urlpatterns = [
    path("moten/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("moten/<int:pk>/text/", views.SourceTextView.as_view(), name="source_text"),
]
