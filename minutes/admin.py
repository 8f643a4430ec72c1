from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from decisions.models import Decision

from .models import AgendaItem, Attachment, Attendance, Conflict, Meeting, SourceDocument, SubItem


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["person"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "number", "title", "status"]
    show_change_link = True


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["reference", "item", "file", "original_name"]


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    fields = ["order", "text", "kind", "is_formal"]
    show_change_link = True


class SubItemInline(admin.TabularInline):
    model = SubItem
    extra = 0


class MeetingConflictInline(admin.TabularInline):
    model = Conflict
    extra = 0
    fields = ["content_type", "object_id", "field_name", "human_value", "parsed_value", "resolution"]
    readonly_fields = ["content_type", "object_id", "field_name", "human_value", "parsed_value"]
    show_change_link = True


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 0
    fields = ["network", "date", "title"]
    readonly_fields = ["network", "date", "title"]
    show_change_link = True
    can_delete = False


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = [
        "original_name",
        "network",
        "status",
        "read_method",
        "page_count",
        "created_at",
        "trashed_at",
    ]
    list_filter = ["status", "read_method", "network", ("trashed_at", admin.EmptyFieldListFilter)]
    search_fields = ["original_name", "sha256", "extracted_text"]
    readonly_fields = ["sha256", "size", "mime_type", "created_at", "updated_at", "pages_done", "pages_total"]
    date_hierarchy = "created_at"
    inlines = [MeetingInline]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["date", "network", "title", "is_published", "trashed_at"]
    list_filter = ["network", "is_published", ("trashed_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "location", "network__name"]
    date_hierarchy = "date"
    readonly_fields = ["edited_fields", "created_at", "updated_at"]
    raw_id_fields = ["source_document"]
    inlines = [AttendanceInline, AgendaItemInline, AttachmentInline, MeetingConflictInline]


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ["person", "organization", "meeting", "order"]
    list_filter = ["meeting__network"]
    search_fields = ["person__name", "organization", "meeting__title"]
    autocomplete_fields = ["person"]
    raw_id_fields = ["meeting"]


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "meeting", "status"]
    list_filter = ["status", "meeting__network"]
    search_fields = ["title", "body", "number", "meeting__title"]
    readonly_fields = ["edited_fields"]
    raw_id_fields = ["meeting"]
    inlines = [SubItemInline, DecisionInline]


@admin.register(SubItem)
class SubItemAdmin(SimpleHistoryAdmin):
    list_display = ["label", "title", "item"]
    list_filter = ["item__meeting__network"]
    search_fields = ["title", "label", "item__title"]
    raw_id_fields = ["item"]


@admin.register(Attachment)
class AttachmentAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "meeting", "item", "original_name", "created_at"]
    list_filter = ["meeting__network", ("file", admin.EmptyFieldListFilter)]
    search_fields = ["reference", "original_name", "sha256", "meeting__title"]
    raw_id_fields = ["meeting", "item"]


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = [
        "meeting",
        "content_type",
        "object_id",
        "field_name",
        "created_at",
        "resolved_at",
        "resolution",
    ]
    list_filter = ["resolution", "content_type", ("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["field_name", "human_value", "parsed_value", "meeting__title"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["meeting", "source_document", "resolved_by"]
