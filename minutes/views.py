"""Read side: one meeting's page and the text its minutes were read from.

Only published meetings that are not in the trash are found (404 otherwise). The meeting page
runs a fixed number of queries however many items, decisions and people it shows.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db.models import Prefetch, Q, Subquery
from django.utils import timezone
from django.views.generic import DetailView

from decisions.models import Assignment, Decision
from networks.views import assignees_prefetch

from .access import ReadAccessMixin
from .models import AgendaItem, Attachment, Attendance, Meeting, SubItem
from .templatetags.arkiv import display_line

_SPAN = re.compile(r"^\s*(\d{1,7})\s*(?:-\s*(\d{1,7}))?\s*$")


@dataclass(frozen=True, slots=True)
class AttendanceGroup:
    organization: str  # "" when the minutes did not say
    attendances: list[Attendance]


@dataclass(frozen=True, slots=True)
class MinutesReference:
    """A previous meeting the minutes refer to; ``meeting`` is None when it is not in the archive."""

    date: datetime.date
    meeting: Meeting | None


def group_attendances(attendances: list[Attendance]) -> list[AttendanceGroup]:
    """Attendees grouped by organisation as the minutes gave it that day, in order of appearance.

    People without a known organisation come last in a group of their own.
    """
    groups: dict[str, list[Attendance]] = {}
    for attendance in attendances:
        organization = attendance.organization or attendance.person.organization
        groups.setdefault(organization, []).append(attendance)
    ordered = sorted(groups.items(), key=lambda pair: pair[0] == "")  # stable: keeps first-seen order
    return [AttendanceGroup(org, people) for org, people in ordered]


def _iso_dates(values: object) -> list[datetime.date]:
    dates = []
    for value in values if isinstance(values, list) else []:
        try:
            dates.append(datetime.date.fromisoformat(str(value)))
        except ValueError:
            continue
    return dates


class MeetingDetailView(ReadAccessMixin, DetailView):
    template_name = "minutes/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self):
        items = AgendaItem.objects.order_by("order", "pk").prefetch_related(
            Prefetch("subitems", queryset=SubItem.objects.order_by("order", "pk")),
            Prefetch("decisions", queryset=Decision.objects.order_by("order", "pk")),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.order_by("order", "pk").prefetch_related(assignees_prefetch()),
            ),
            Prefetch("attachments", queryset=Attachment.objects.order_by("pk")),
        )
        return (
            Meeting.objects.published()
            .select_related("network", "source_document")
            # The extracted text can be megabytes; this page only links to it.
            .defer("source_document__extracted_text", "source_document__parsed_json")
            .prefetch_related(
                Prefetch(
                    "attendances",
                    queryset=Attendance.objects.select_related("person").order_by("order", "pk"),
                ),
                Prefetch("items", queryset=items),
                Prefetch(
                    "attachments",
                    queryset=Attachment.objects.filter(item__isnull=True).order_by("pk"),
                    to_attr="meeting_attachments",
                ),
            )
        )

    def get_context_data(self, **kwargs):
        meeting = self.object
        referred_dates = _iso_dates(meeting.previous_minutes)
        same_network = Meeting.objects.published().for_network(meeting.network_id)
        previous_date = same_network.filter(date__lt=meeting.date).order_by("-date").values("date")[:1]
        next_date = same_network.filter(date__gt=meeting.date).order_by("date").values("date")[:1]
        # One query for the neighbours and every referred-to meeting.
        related = {
            m.date: m
            for m in same_network.filter(
                Q(date__in=referred_dates) | Q(date=Subquery(previous_date)) | Q(date=Subquery(next_date))
            ).only("pk", "date", "title", "network_id")
        }
        earlier = [d for d in related if d < meeting.date]
        later = [d for d in related if d > meeting.date]
        return super().get_context_data(
            attendance_groups=group_attendances(list(meeting.attendances.all())),
            previous_meeting=related[max(earlier)] if earlier else None,
            next_meeting=related[min(later)] if later else None,
            minutes_references=[MinutesReference(d, related.get(d)) for d in referred_dates],
            today=timezone.localdate(),
            **kwargs,
        )


@dataclass(frozen=True, slots=True)
class SourceLine:
    number: int
    text: str
    marked: bool
    item: AgendaItem | None  # the agenda item that starts on this line


class SourceTextView(ReadAccessMixin, DetailView):
    """The extracted text with numbered lines (``#L12``); ``?rader=12-20`` marks a span."""

    template_name = "minutes/source_text.html"
    context_object_name = "meeting"

    def get_queryset(self):
        return (
            Meeting.objects.published()
            .select_related("network", "source_document")
            .defer("source_document__parsed_json")
            .prefetch_related(
                Prefetch(
                    "items",
                    queryset=AgendaItem.objects.order_by("order", "pk").only(
                        "pk", "meeting_id", "number", "title", "line_start", "line_end", "order"
                    ),
                )
            )
        )

    def marked_span(self) -> tuple[int, int] | None:
        match = _SPAN.match(self.request.GET.get("rader", ""))
        if not match:
            return None
        first = int(match.group(1))
        last = int(match.group(2) or first)
        return (min(first, last), max(first, last))

    def get_context_data(self, **kwargs):
        meeting = self.object
        document = meeting.source_document
        text = document.extracted_text if document else ""
        items = list(meeting.items.all())
        starts = {
            display_line(item.line_start): item for item in reversed(items) if item.line_start is not None
        }
        span = self.marked_span()
        lines = [
            SourceLine(
                number=number,
                text=raw.rstrip("\r"),
                marked=bool(span and span[0] <= number <= span[1]),
                item=starts.get(number),
            )
            for number, raw in enumerate(text.split("\n") if text else [], start=1)
        ]
        return super().get_context_data(
            document=document,
            lines=lines,
            items=items,
            marked_span=span if span and lines and span[0] <= len(lines) else None,
            **kwargs,
        )
