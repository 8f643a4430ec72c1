"""Read side: the start page, a network's page and the people pages.

Every view here is a read view and carries ReadAccessMixin. Query counts are constant
whatever the amount of data (tests/web/test_query_counts.py).
"""

from __future__ import annotations

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from decisions.models import Assignment, Decision
from minutes.access import ReadAccessMixin
from minutes.models import Attendance, Meeting

from . import charts
from .filters import PersonFilter
from .models import Network, Person

# Published meetings seen from a Network row (for annotations).
_PUBLISHED_MEETINGS = Q(meetings__is_published=True, meetings__trashed_at__isnull=True)


class ForgivingPaginationMixin:
    """Pagination that never errors: ``page=abc`` shows page 1, a page past the end the last page."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context.get("page_obj")
        if page is not None:
            context["page_range"] = page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            )
        return context


class BoundFilterMixin:
    """Always bind the FilterSet (also without GET parameters) so its defaults and ordering apply."""

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["data"] = self.request.GET
        return kwargs


def assignees_prefetch() -> Prefetch:
    return Prefetch("assignees", queryset=Person.objects.only("pk", "name", "organization"))


def assignment_list_queryset():
    """Published assignments with what a list row shows, in one query plus one for assignees."""
    return (
        Assignment.objects.published()
        .select_related("item__meeting__network")
        .prefetch_related(assignees_prefetch())
        .defer("item__body", "item__meeting__previous_minutes", "item__meeting__edited_fields")
    )


def decision_list_queryset():
    return (
        Decision.objects.published()
        .select_related("item__meeting__network")
        .defer("item__body", "item__meeting__previous_minutes", "item__meeting__edited_fields")
    )


class HomeView(ReadAccessMixin, TemplateView):
    template_name = "networks/home.html"
    newest_decisions = 8
    assignments_due = 8

    def get_context_data(self, **kwargs):
        latest = Meeting.objects.published().filter(network=OuterRef("pk")).order_by("-date")
        networks = Network.objects.annotate(
            meeting_count=Count("meetings", filter=_PUBLISHED_MEETINGS),
            latest_meeting_pk=Subquery(latest.values("pk")[:1]),
            latest_meeting_date=Subquery(latest.values("date")[:1]),
        ).order_by("name")
        # Procedural clauses ("godkänna dagordningen", "läggs till handlingarna") are noise here.
        decisions = (
            decision_list_queryset()
            .exclude(kind__in=[Decision.Kind.FILE, Decision.Kind.PROCEDURAL])
            .order_by("-item__meeting__date", "item__order", "order")[: self.newest_decisions]
        )
        assignments = (
            assignment_list_queryset()
            .open()
            .filter(due_date__isnull=False)
            .order_by("due_date", "-item__meeting__date")[: self.assignments_due]
        )
        return super().get_context_data(
            networks=networks,
            newest_decisions=decisions,
            assignments_due=assignments,
            today=timezone.localdate(),
            **kwargs,
        )


class NetworkDetailView(ReadAccessMixin, DetailView):
    model = Network
    template_name = "networks/network_detail.html"
    context_object_name = "network"

    def get_context_data(self, **kwargs):
        network = self.object
        meetings = list(
            Meeting.objects.published()
            .for_network(network)
            .annotate(decision_count=Count("items__decisions"))
            .only("pk", "date", "title", "location", "network_id")
            .order_by("-date")
        )
        today = timezone.localdate()
        counts = (
            Assignment.objects.published()
            .for_network(network)
            .aggregate(
                open=Count("pk", filter=Q(status=Assignment.Status.OPEN) & ~Q(due_date__lt=today)),
                overdue=Count("pk", filter=Q(status=Assignment.Status.OPEN, due_date__lt=today)),
                done=Count("pk", filter=Q(status=Assignment.Status.DONE)),
            )
        )
        status_bars = [
            charts.StatusBar("open", _("Öppna i tid"), counts["open"]),
            charts.StatusBar("overdue", _("Försenade"), counts["overdue"]),
            charts.StatusBar("done", _("Klara"), counts["done"]),
        ]
        return super().get_context_data(
            meetings=meetings,
            decision_total=sum(m.decision_count for m in meetings),
            decisions_chart=charts.decisions_per_meeting(
                [charts.MeetingPoint(m.date, m.decision_count) for m in meetings]
            ),
            assignment_bars=status_bars,
            assignments_chart=charts.assignment_status(status_bars),
            **kwargs,
        )


def _published_attendances():
    return Attendance.objects.filter(meeting__is_published=True, meeting__trashed_at__isnull=True)


def people_queryset():
    """Persons named in at least one published meeting, with their meeting and assignment counts."""
    attended = (
        _published_attendances()
        .filter(person=OuterRef("pk"))
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    assigned = (
        Assignment.objects.published()
        .filter(assignees=OuterRef("pk"))
        .order_by()
        .values("assignees")
        .annotate(n=Count("pk"))
        .values("n")
    )
    open_assigned = (
        Assignment.objects.published()
        .open()
        .filter(assignees=OuterRef("pk"))
        .order_by()
        .values("assignees")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Person.objects.annotate(
            meeting_count=Coalesce(Subquery(attended, output_field=IntegerField()), Value(0)),
            assignment_count=Coalesce(Subquery(assigned, output_field=IntegerField()), Value(0)),
            open_assignment_count=Coalesce(Subquery(open_assigned, output_field=IntegerField()), Value(0)),
        )
        .filter(Q(meeting_count__gt=0) | Q(assignment_count__gt=0))
        .order_by("name", "organization")
    )


class PersonListView(ReadAccessMixin, ForgivingPaginationMixin, FilterView):
    filterset_class = PersonFilter
    template_name = "networks/person_list.html"
    context_object_name = "people"
    paginate_by = 50

    def get_queryset(self):
        return people_queryset()


class PersonDetailView(ReadAccessMixin, DetailView):
    template_name = "networks/person_detail.html"
    context_object_name = "person"
    named_decisions = 50

    def get_queryset(self):
        # Only persons who appear in something published: a name from an unpublished
        # meeting is not shown to readers.
        return Person.objects.filter(
            Exists(_published_attendances().filter(person=OuterRef("pk")))
            | Exists(Assignment.objects.published().filter(assignees=OuterRef("pk")))
        )

    def get_context_data(self, **kwargs):
        person = self.object
        meetings = (
            Meeting.objects.published()
            .filter(attendances__person=person)
            .select_related("network")
            .only("pk", "date", "title", "network__name", "network__slug")
            .order_by("-date")
        )
        assignments = (
            assignment_list_queryset()
            .filter(assignees=person)
            .order_by(
                F("status").desc(),  # "open" sorts after "done" alphabetically: open first
                F("due_date").asc(nulls_last=True),
                "-item__meeting__date",
            )
        )
        decisions = (
            decision_list_queryset()
            .filter(text__icontains=person.name)
            .order_by("-item__meeting__date", "item__order", "order")[: self.named_decisions + 1]
        )
        decisions = list(decisions)
        return super().get_context_data(
            meetings=meetings,
            assignments=assignments,
            named_decisions=decisions[: self.named_decisions],
            named_decisions_more=len(decisions) > self.named_decisions,
            today=timezone.localdate(),
            **kwargs,
        )
