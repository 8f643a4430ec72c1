from __future__ import annotations

from django.contrib import admin

from .models import Membership, Network, Person


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "slug"]
    list_filter = ["short_name"]
    search_fields = ["name", "short_name", "slug", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "organization"]
    list_filter = ["organization"]
    search_fields = ["name", "organization"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "network", "role", "created_at"]
    list_filter = ["role", "network"]
    search_fields = ["user__username", "user__email", "network__name"]
    autocomplete_fields = ["user", "network"]
