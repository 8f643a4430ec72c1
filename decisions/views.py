"""Read side: the decision search with its CSV/JSON export, and the assignment list.

Filters live in decisions/filters.py; the free-text part is decisions.search (ranked, with
highlighted headlines). Every view is a read view and carries ReadAccessMixin.
"""

from __future__ import annotations

import logging

from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterMixin, FilterView

from minutes.access import ReadAccessMixin
from networks.views import (
    BoundFilterMixin,
    ForgivingPaginationMixin,
    assignment_list_queryset,
    decision_list_queryset,
)

from . import export
from .filters import AssignmentFilter, DecisionFilter, search_module

logger = logging.getLogger(__name__)

# How many hits the search counts at most; past that the page says "more than 1000".
SEARCH_COUNT_CAP = 1000


class CountedPaginator(Paginator):
    """A paginator told its count up front (the search counts cheaply, capped)."""

    def __init__(self, *args, count: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached_property


class DecisionSearchView(ReadAccessMixin, BoundFilterMixin, ForgivingPaginationMixin, FilterView):
    filterset_class = DecisionFilter
    template_name = "decisions/decision_search.html"
    context_object_name = "decisions"
    paginate_by = 25

    def get_queryset(self):
        return decision_list_queryset()

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        count = None
        filterset = self.filterset
        self.search_total = None
        if (
            filterset.search_query
            and filterset.unsearched_qs is not None
            and not filterset.search_unavailable
        ):
            search = search_module()
            self.search_total = search.search_count(
                filterset.search_query, filterset.unsearched_qs, cap=SEARCH_COUNT_CAP
            )
            # The search ranks only its newest CANDIDATES matches: the pages go through those.
            ranked = getattr(search, "CANDIDATES", None)
            count = min(int(self.search_total), ranked) if ranked else int(self.search_total)
        return CountedPaginator(
            queryset, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page, count=count
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        paginator = context["paginator"]
        total = self.search_total if getattr(self, "search_total", None) is not None else paginator.count
        export_query = self.request.GET.copy()
        export_query.pop("page", None)
        context.update(
            query=filterset.search_query,
            result_count=total,
            result_count_capped=bool(getattr(total, "more", False)),
            result_count_cut=paginator.count < total,
            shown_count=paginator.count,
            searched=any(
                value for key, value in self.request.GET.items() if key not in ("page", "sortering")
            ),
            export_query=export_query,
        )
        return context


class DecisionExportView(ReadAccessMixin, BoundFilterMixin, FilterMixin, View):
    """The current result set of the search (same GET parameters), streamed."""

    filterset_class = DecisionFilter
    content_type = ""
    extension = ""

    def get_queryset(self):
        return decision_list_queryset()

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset(self.get_filterset_class())
        filterset.search_candidates = None  # an export has every match, not only the ranked ones
        if not filterset.is_valid():
            problems = "; ".join(
                f"{filterset.form.fields[name].label}: {' '.join(errors)}"
                if name in filterset.form.fields
                else " ".join(errors)
                for name, errors in filterset.form.errors.items()
            )
            return HttpResponseBadRequest(
                _("Sökningen kunde inte exporteras: %(problems)s") % {"problems": problems},
                content_type="text/plain; charset=utf-8",
            )
        decisions = export.iterate(filterset.qs)
        response = StreamingHttpResponse(self.stream(decisions, filterset), content_type=self.content_type)
        filename = f"beslut-{timezone.localdate():%Y-%m-%d}.{self.extension}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def stream(self, decisions, filterset):
        raise NotImplementedError


class DecisionCsvExportView(DecisionExportView):
    content_type = "text/csv; charset=utf-8"
    extension = "csv"

    def stream(self, decisions, filterset):
        return export.csv_lines(decisions, absolute_url=self.request.build_absolute_uri)


class DecisionJsonExportView(DecisionExportView):
    content_type = "application/json; charset=utf-8"
    extension = "json"

    def stream(self, decisions, filterset):
        filters = {key: value for key, value in self.request.GET.items() if value and key != "page"}
        return export.json_chunks(decisions, filters=filters, absolute_url=self.request.build_absolute_uri)


class AssignmentListView(ReadAccessMixin, BoundFilterMixin, ForgivingPaginationMixin, FilterView):
    filterset_class = AssignmentFilter
    template_name = "decisions/assignment_list.html"
    context_object_name = "assignments"
    paginate_by = 50

    def get_queryset(self):
        return assignment_list_queryset()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            state_counts=self.filterset.state_counts(self.get_queryset()),
            today=timezone.localdate(),
            **kwargs,
        )
