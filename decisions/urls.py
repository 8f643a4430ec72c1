from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("beslut/", views.DecisionSearchView.as_view(), name="search"),
    path("beslut/export.csv", views.DecisionCsvExportView.as_view(), name="export_csv"),
    path("beslut/export.json", views.DecisionJsonExportView.as_view(), name="export_json"),
    path("uppdrag/", views.AssignmentListView.as_view(), name="assignments"),
]
