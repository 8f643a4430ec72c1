"""FilterSets for the decision search (and its exports) and the assignment list.

Parameter names are Swedish and short because they end up in shared links:
``/beslut/?q=tillnyktring&natverk=chefsnatverket&fran=2020-01-01``.
"""

from __future__ import annotations

import logging

import django_filters
from django import forms
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minutes.models import AgendaItem
from networks.models import Network, Person

from .models import Assignment, Decision

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 500
DEFAULT_CANDIDATES = object()  # "whatever decisions.search ranks by default"


def search_module():
    # Imported when a search runs, so a missing or broken search module breaks the free-text
    # search only, not every page (the URLconf imports the views).
    from decisions import search

    return search


def _assignee_choices(request=None):
    # Persons and groups that were ever given a task: the only sensible choices.
    return Person.objects.filter(Exists(Assignment.objects.filter(assignees=OuterRef("pk")))).order_by(
        "name", "organization"
    )


class FilterForm(forms.Form):
    """Filter forms: labels without the trailing colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DateRangeForm(FilterForm):
    """The filter form, plus the one rule that spans two fields: från must not be after till."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("fran"), cleaned.get("till")
        if start and end and start > end:
            self.add_error("till", _("Till-datumet ligger före från-datumet."))
        return cleaned


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DecisionFilter(django_filters.FilterSet):
    """The decision search. Free text goes to ``decisions.search``; the rest are plain filters."""

    class Sort:
        # Empty (the default): best match first when there is a query, otherwise newest first.
        RELEVANCE = ""
        NEWEST = "nyast"
        OLDEST = "aldst"
        CHOICES = [
            (NEWEST, _("Nyast först")),
            (OLDEST, _("Äldst först")),
        ]

    q = django_filters.CharFilter(
        label=_("Sökord"),
        method="filter_nothing",  # the search runs last, in filter_queryset
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _("Sökningen får vara högst %(limit_value)d tecken lång (den är %(show_value)d).")
        },
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )
    natverk = django_filters.ModelChoiceFilter(
        label=_("Nätverk"),
        field_name="item__meeting__network",
        to_field_name="slug",
        queryset=Network.objects.order_by("name"),
        empty_label=_("Alla nätverk"),
    )
    fran = django_filters.DateFilter(
        label=_("Från och med"),
        field_name="item__meeting__date",
        lookup_expr="gte",
        widget=_date_widget(),
    )
    till = django_filters.DateFilter(
        label=_("Till och med"),
        field_name="item__meeting__date",
        lookup_expr="lte",
        widget=_date_widget(),
    )
    typ = django_filters.ChoiceFilter(
        label=_("Typ av beslut"),
        field_name="kind",
        choices=Decision.Kind.choices,
        empty_label=_("Alla typer"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Ärendets status"),
        field_name="item__status",
        choices=AgendaItem.Status.choices,
        empty_label=_("Alla"),
    )
    ansvarig = django_filters.ModelChoiceFilter(
        label=_("Ansvarig för uppdrag"),
        queryset=_assignee_choices,
        method="filter_assignee",
        empty_label=_("Alla"),
    )
    sortering = django_filters.ChoiceFilter(
        label=_("Sortering"),
        choices=Sort.CHOICES,
        method="filter_nothing",
        empty_label=_("Bäst träff först"),
    )

    class Meta:
        model = Decision
        fields: list[str] = []
        form = DateRangeForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set by filter_queryset: the filtered queryset before the free-text search, for counting.
        self.unsearched_qs = None
        self.search_unavailable = False
        # How many of the newest matches the search ranks; None ranks all (exports want all).
        self.search_candidates: int | object | None = DEFAULT_CANDIDATES

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_assignee(self, queryset, name, person):
        # A decision "gives" the task when the assignment points at it, or (for tasks read from
        # the item's prose) when it sits under the same agenda item.
        return queryset.filter(
            Exists(Assignment.objects.filter(assignees=person, decision=OuterRef("pk")))
            | Exists(
                Assignment.objects.filter(assignees=person, decision__isnull=True, item=OuterRef("item"))
            )
        )

    @property
    def search_query(self) -> str:
        if not self.is_bound or not self.is_valid():
            return ""
        return self.form.cleaned_data.get("q") or ""

    @property
    def sort(self) -> str:
        chosen = self.form.cleaned_data.get("sortering") if self.is_bound and self.is_valid() else ""
        if chosen in (self.Sort.NEWEST, self.Sort.OLDEST):
            return chosen
        return self.Sort.RELEVANCE if self.search_query else self.Sort.NEWEST

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        self.unsearched_qs = queryset
        query = self.search_query
        if query:
            try:
                search = search_module()
            except ImportError:
                logger.exception("decisions.search is missing; free-text search is off")
                self.search_unavailable = True
                return queryset.none()
            options = (
                {} if self.search_candidates is DEFAULT_CANDIDATES else {"candidates": self.search_candidates}
            )
            queryset = search.search_decisions(query, queryset, **options)
        sort = self.sort
        # A query of stop words or punctuation only is not searched (no rank to order by).
        if sort == self.Sort.RELEVANCE and "search_rank" in queryset.query.annotations:
            return queryset.order_by("-search_rank", "-item__meeting__date", "item__order", "order")
        if sort == self.Sort.OLDEST:
            return queryset.order_by("item__meeting__date", "item__order", "order")
        return queryset.order_by("-item__meeting__date", "item__order", "order")


class AssignmentFilter(django_filters.FilterSet):
    """Assignments by state (open is the default tab), assignee and network; due date first."""

    class State:
        OPEN = "oppna"
        OVERDUE = "forsenade"
        DONE = "klara"
        ALL = "alla"
        CHOICES = [
            (OPEN, _("Öppna")),
            (OVERDUE, _("Försenade")),
            (DONE, _("Klara")),
            (ALL, _("Alla")),
        ]

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=State.CHOICES, method="filter_state", empty_label=None
    )
    ansvarig = django_filters.ModelChoiceFilter(
        label=_("Ansvarig"),
        field_name="assignees",
        queryset=_assignee_choices,
        empty_label=_("Alla"),
    )
    natverk = django_filters.ModelChoiceFilter(
        label=_("Nätverk"),
        field_name="item__meeting__network",
        to_field_name="slug",
        queryset=Network.objects.order_by("name"),
        empty_label=_("Alla nätverk"),
    )

    class Meta:
        model = Assignment
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("status"):
            data = data.copy()
            data["status"] = self.State.OPEN
        super().__init__(data, *args, **kwargs)

    @property
    def state(self) -> str:
        if self.is_bound and self.is_valid():
            return self.form.cleaned_data.get("status") or self.State.OPEN
        return self.State.OPEN

    def filter_state(self, queryset, name, value):
        if value == self.State.OPEN:
            return queryset.open()
        if value == self.State.OVERDUE:
            return queryset.overdue()
        if value == self.State.DONE:
            return queryset.done()
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.state == self.State.DONE:
            return queryset.order_by(F("done_date").desc(nulls_last=True), "-item__meeting__date", "order")
        return queryset.order_by(F("due_date").asc(nulls_last=True), "-item__meeting__date", "order")

    def state_counts(self, queryset) -> dict[str, int]:
        """How many assignments each tab would show with the other filters as they are."""
        if not (self.is_bound and self.is_valid()):
            return {}
        for name in ("ansvarig", "natverk"):
            value = self.form.cleaned_data.get(name)
            if value not in (None, "", [], ()):
                queryset = self.filters[name].filter(queryset, value)
        today = timezone.localdate()
        return queryset.aggregate(
            oppna=Count("pk", filter=Q(status=Assignment.Status.OPEN)),
            forsenade=Count("pk", filter=Q(status=Assignment.Status.OPEN, due_date__lt=today)),
            klara=Count("pk", filter=Q(status=Assignment.Status.DONE)),
            alla=Count("pk"),
        )
