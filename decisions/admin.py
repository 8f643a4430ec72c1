from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assignment, Decision


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["order", "assignees_text", "task", "due_date", "status", "item"]
    raw_id_fields = ["item"]
    show_change_link = True


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "is_formal", "item", "created_at"]
    list_filter = ["kind", "is_formal", "item__meeting__network"]
    search_fields = ["text", "item__title", "item__meeting__title"]
    readonly_fields = ["edited_fields", "created_at", "updated_at"]
    raw_id_fields = ["item"]
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "due_date", "status", "done_date", "item"]
    list_filter = ["status", "item__meeting__network", "due_date"]
    search_fields = ["task", "assignees_text", "assignees__name", "item__title"]
    readonly_fields = ["edited_fields", "created_at", "updated_at"]
    raw_id_fields = ["item", "decision"]
    autocomplete_fields = ["assignees"]
    date_hierarchy = "due_date"
