"""The review page (parsed meeting beside its source text, with warnings) and publishing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.views.generic import TemplateView

from decisions.models import Assignment, Decision
from minutes import editing
from minutes.models import AgendaItem, Meeting, SourceDocument
from minutes.uploads import date_from_filename

from .mixins import EditObjectMixin, ServiceActionView

LOW_OCR_CONFIDENCE = 70
_DECISION_HEADING = re.compile(
    r"(\bbeslut(?:ar|ade|s)?\b[^.]*:\s*$)|(^\s*(?:förslag till )?beslut\s*:?\s*$)", re.IGNORECASE
)
_PAGE_BREAK = "\f"


@dataclass(frozen=True, slots=True)
class ReviewWarning:
    """Something a human should look at; ``anchor`` points into the page (an item, a line)."""

    message: str
    anchor: str = ""


def review_warnings(meeting: Meeting, items: list[AgendaItem], lines: list[str]) -> list[ReviewWarning]:
    """The document's own warnings plus checks on what was stored."""
    document: SourceDocument | None = meeting.source_document
    found: list[ReviewWarning] = []
    if document is not None:
        found += [ReviewWarning(str(message)) for message in document.warnings or []]
        confidence = document.ocr_confidence
        if confidence is not None and confidence < LOW_OCR_CONFIDENCE:
            found.append(
                ReviewWarning(
                    f"Textigenkänningen (OCR) var osäker: i genomsnitt {confidence:.0f} av 100. "
                    "Jämför texten noga med originalet."
                )
            )
        for number, page_confidence in _page_confidences(document):
            found.append(
                ReviewWarning(f"Sida {number} lästes med låg OCR-säkerhet ({page_confidence:.0f} av 100).")
            )
        parsed_network = (document.parsed_json or {}).get("network")
        if not parsed_network:
            found.append(
                ReviewWarning(
                    f"Nätverket kunde inte utläsas ur texten; mötet sparades under {meeting.network} "
                    "(valt vid uppladdningen)."
                )
            )
        elif parsed_network != meeting.network.slug:
            found.append(
                ReviewWarning(
                    f"Texten verkar gälla ett annat nätverk (”{parsed_network}”) än det mötet sparades under "
                    f"({meeting.network})."
                )
            )
        name_date = date_from_filename(document.original_name)
        if name_date is not None and name_date != meeting.date:
            found.append(
                ReviewWarning(
                    f"Mötesdatumet ({meeting.date:%Y-%m-%d}) skiljer sig från datumet i filnamnet "
                    f"({name_date:%Y-%m-%d})."
                )
            )
        typed = (document.upload_options or {}).get("meeting_date")
        if typed and typed != meeting.date.isoformat():
            found.append(
                ReviewWarning(
                    f"Mötesdatumet ({meeting.date:%Y-%m-%d}) skiljer sig från datumet i uppladdningsformuläret "
                    f"({typed}); ett annat möte har kanske redan det datumet."
                )
            )
    for item in items:
        anchor = f"agendaitem-{item.pk}"
        if not item.title.strip() or item.title.strip() == f"Punkt {item.number}":
            found.append(ReviewWarning(f"Punkt {item.number} saknar rubrik.", anchor))
        if not any(d.is_formal for d in item.decisions.all()) and _has_decision_heading(item, lines):
            found.append(
                ReviewWarning(
                    f"Punkt {item.number} har en beslutsrubrik men inga beslut (att-satser) lästes ut.",
                    anchor,
                )
            )
    for attachment in meeting.attachments.all():
        if attachment.file and not attachment.reference:
            found.append(
                ReviewWarning(
                    f"Bilagefilen ”{attachment.original_name}” är inte kopplad till någon hänvisning.",
                    f"attachment-{attachment.pk}",
                )
            )
    return _unique(found)


def _unique(warnings: list[ReviewWarning]) -> list[ReviewWarning]:
    seen: set[str] = set()
    result = []
    for warning in warnings:
        if warning.message not in seen:
            seen.add(warning.message)
            result.append(warning)
    return result


def _page_confidences(document: SourceDocument) -> list[tuple[int, float]]:
    """Low per-page confidences, where the ingest kept them (``parsed_json["page_confidences"]``)."""
    pages = (document.parsed_json or {}).get("page_confidences") or []
    low = []
    for number, value in enumerate(pages, start=1):
        if isinstance(value, int | float) and value < LOW_OCR_CONFIDENCE:
            low.append((number, float(value)))
    return low


def _has_decision_heading(item: AgendaItem, lines: list[str]) -> bool:
    if item.line_start is None or item.line_end is None:
        return False
    return any(_DECISION_HEADING.search(line) for line in lines[item.line_start : item.line_end + 1])


@dataclass(frozen=True, slots=True)
class SourceLine:
    number: int
    text: str
    page_break: bool
    owner: str  # anchor of the item whose span holds the line, or ""
    orphan: bool  # a line of text after the first item that no item took


def source_lines(text: str, items: list[AgendaItem]) -> list[SourceLine]:
    owners: dict[int, str] = {}
    for item in items:
        if item.line_start is not None and item.line_end is not None:
            for number in range(item.line_start, item.line_end + 1):
                owners.setdefault(number, f"agendaitem-{item.pk}")
    first = min(owners, default=None)
    lines = []
    for i, line in enumerate(text.split("\n")):
        page_break = line == _PAGE_BREAK
        owner = owners.get(i, "")
        orphan = first is not None and i > first and not owner and not page_break and bool(line.strip())
        lines.append(SourceLine(number=i, text=line, page_break=page_break, owner=owner, orphan=orphan))
    return lines


def orphan_warning(lines: list[SourceLine]) -> ReviewWarning | None:
    orphans = [line for line in lines if line.orphan]
    if not orphans:
        return None
    count = len(orphans)
    what = "rad" if count == 1 else "rader"
    return ReviewWarning(
        f"{count} {what} i källtexten hör inte till något ärende (markerade i källtexten); "
        "kontrollera att inget beslut har fallit bort.",
        f"L{orphans[0].number}",
    )


class MeetingReviewView(EditObjectMixin, TemplateView):
    model = Meeting
    template_name = "manage/meeting_review.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting: Meeting = self.object
        items = list(
            meeting.items.prefetch_related(
                Prefetch("decisions", queryset=Decision.objects.order_by("order", "pk")),
                Prefetch(
                    "assignments",
                    queryset=Assignment.objects.order_by("order", "pk").prefetch_related("assignees"),
                ),
                "subitems",
                "attachments",
            ).order_by("order", "pk")
        )
        document = meeting.source_document
        text = document.extracted_text if document is not None else ""
        lines = source_lines(text, items)
        warnings = review_warnings(meeting, items, [line.text for line in lines])
        if (orphans := orphan_warning(lines)) is not None:
            warnings.append(orphans)
        context.update(
            items=items,
            document=document,
            source=lines,
            warnings=warnings,
            attendances=meeting.attendances.select_related("person").order_by("order", "pk"),
            loose_attachments=meeting.attachments.filter(item__isnull=True).order_by("pk"),
            conflict_count=meeting.conflicts.unresolved().count(),
            wanted_references=list(
                meeting.attachments.filter(file="").order_by("reference").values_list("reference", flat=True)
            ),
        )
        return context


class MeetingPublishView(ServiceActionView):
    model = Meeting
    success_message = "Mötet är publicerat och syns nu för läsarna."

    def perform(self) -> None:
        editing.meeting_publish(meeting=self.object)

    def anchor(self) -> str:
        return ""


class MeetingUnpublishView(ServiceActionView):
    model = Meeting
    success_message = "Mötet är ett utkast igen och syns inte för läsarna."

    def perform(self) -> None:
        editing.meeting_unpublish(meeting=self.object)

    def anchor(self) -> str:
        return ""
