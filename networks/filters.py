"""Filters for the people list."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Person


class FilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Namn eller organisation"),
        method="filter_name",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    class Meta:
        model = Person
        fields: list[str] = []
        form = FilterForm

    def filter_name(self, queryset, name, value):
        for word in value.split()[:8]:
            queryset = queryset.filter(Q(name__icontains=word) | Q(organization__icontains=word))
        return queryset
