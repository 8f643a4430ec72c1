"""The write side under /hantera/: upload, status, review, corrections, history, trash, conflicts, files."""

from __future__ import annotations

from django.urls import path

from minutes.manage import conflicts, edit, files, history, review, trash, upload

app_name = "manage"

urlpatterns = [
    path("", upload.DashboardView.as_view(), name="index"),
    path("ladda-upp/", upload.UploadView.as_view(), name="upload"),
    # documents
    path("dokument/<int:pk>/", upload.DocumentStatusView.as_view(), name="document_status"),
    path("dokument/<int:pk>/forsok-igen/", upload.DocumentRetryView.as_view(), name="document_retry"),
    path("dokument/<int:pk>/fil/", files.DocumentDownloadView.as_view(), name="document_download"),
    path("dokument/<int:pk>/ta-bort/", trash.DocumentTrashView.as_view(), name="document_trash"),
    # meetings
    path("moten/<int:pk>/granska/", review.MeetingReviewView.as_view(), name="meeting_review"),
    path("moten/<int:pk>/publicera/", review.MeetingPublishView.as_view(), name="meeting_publish"),
    path("moten/<int:pk>/avpublicera/", review.MeetingUnpublishView.as_view(), name="meeting_unpublish"),
    path("moten/<int:pk>/redigera/", edit.MeetingEditView.as_view(), name="meeting_edit"),
    path("moten/<int:pk>/narvaro/ny/", edit.AttendanceAddView.as_view(), name="attendance_add"),
    path("moten/<int:pk>/historik/", history.MeetingHistoryView.as_view(), name="meeting_history"),
    path("moten/<int:pk>/konflikter/", conflicts.MeetingConflictsView.as_view(), name="meeting_conflicts"),
    path("moten/<int:pk>/ta-bort/", trash.MeetingTrashView.as_view(), name="meeting_trash"),
    path("narvaro/<int:pk>/ta-bort/", edit.AttendanceRemoveView.as_view(), name="attendance_remove"),
    # agenda items
    path("arenden/<int:pk>/redigera/", edit.ItemEditView.as_view(), name="item_edit"),
    path("arenden/<int:pk>/nytt-beslut/", edit.DecisionCreateView.as_view(), name="decision_create"),
    path("arenden/<int:pk>/historik/", history.ItemHistoryView.as_view(), name="item_history"),
    # decisions
    path("beslut/<int:pk>/redigera/", edit.DecisionEditView.as_view(), name="decision_edit"),
    path("beslut/<int:pk>/ta-bort/", edit.DecisionDeleteView.as_view(), name="decision_delete"),
    path("beslut/<int:pk>/dela/", edit.DecisionSplitView.as_view(), name="decision_split"),
    path("beslut/<int:pk>/sla-ihop/", edit.DecisionMergeView.as_view(), name="decision_merge"),
    path("beslut/<int:pk>/flytta/", edit.DecisionMoveView.as_view(), name="decision_move"),
    path("beslut/<int:pk>/historik/", history.DecisionHistoryView.as_view(), name="decision_history"),
    path(
        "beslut/<int:pk>/historik/<int:history_id>/aterstall/",
        history.DecisionRevertView.as_view(),
        name="decision_revert",
    ),
    # assignments
    path("uppdrag/<int:pk>/redigera/", edit.AssignmentEditView.as_view(), name="assignment_edit"),
    path("uppdrag/<int:pk>/klart/", edit.AssignmentDoneView.as_view(), name="assignment_done"),
    path("uppdrag/<int:pk>/oppna/", edit.AssignmentReopenView.as_view(), name="assignment_reopen"),
    path("uppdrag/<int:pk>/historik/", history.AssignmentHistoryView.as_view(), name="assignment_history"),
    path(
        "uppdrag/<int:pk>/historik/<int:history_id>/aterstall/",
        history.AssignmentRevertView.as_view(),
        name="assignment_revert",
    ),
    # attachments
    path("bilagor/<int:pk>/koppla/", edit.AttachmentLinkView.as_view(), name="attachment_link"),
    path("bilagor/<int:pk>/fil/", files.AttachmentDownloadView.as_view(), name="attachment_download"),
    # conflicts
    path("konflikter/<int:pk>/los/", conflicts.ConflictResolveView.as_view(), name="conflict_resolve"),
    # trash
    path("papperskorg/", trash.TrashView.as_view(), name="trash"),
    path("papperskorg/moten/<int:pk>/aterstall/", trash.MeetingRestoreView.as_view(), name="meeting_restore"),
    path(
        "papperskorg/dokument/<int:pk>/aterstall/",
        trash.DocumentRestoreView.as_view(),
        name="document_restore",
    ),
    path("papperskorg/tom/", trash.TrashEmptyView.as_view(), name="trash_empty"),
]
