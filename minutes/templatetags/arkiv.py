"""Template helpers for the read side: anchors, source-line links, optional URLs, safe headlines.

Load with ``{% load arkiv %}``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import cache

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_urlconf, reverse
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Line spans are stored as the parser counted them: 0-based indexes into the extracted text split
# on "\n" (minutes.parsing.result). People read line numbers from 1, so the page shows index + 1.
STORED_LINE_BASE = 0

# Item statuses in words (colour only supports them). "Handled" is the normal case: no badge.
ITEM_STATUS_SHORT = {"tabled": _("Bordlagd"), "withdrawn": _("Utgår"), "referred": _("Hänskjuten")}
ITEM_STATUS_LONG = {
    "tabled": _("Ärendet bordlades"),
    "withdrawn": _("Ärendet utgick"),
    "referred": _("Ärendet hänsköts"),
}

_SPACE = re.compile(r"\s+")
_MARK_TAGS = re.compile(r"</?mark>")


def item_anchor_id(number: object) -> str:
    """The HTML id of an agenda item on the meeting page: ``punkt-<number>`` ("punkt-4", "punkt-4.1")."""
    return "punkt-" + _SPACE.sub("-", str(number).strip())


@register.filter
def item_anchor(number: object) -> str:
    return item_anchor_id(number)


def display_line(stored: int | None) -> int | None:
    """The 1-based line number people see for a stored line index."""
    if stored is None:
        return None
    return int(stored) - STORED_LINE_BASE + 1


@register.filter
def source_line(stored: int | None) -> int | None:
    return display_line(stored)


@register.simple_tag
def source_span_url(meeting_text_url: str, line_start: int | None, line_end: int | None) -> str:
    """Link to a span on the source-text page: ``…/text/?rader=12-20#L12`` (the page marks the span)."""
    first = display_line(line_start)
    if first is None:
        return meeting_text_url
    last = display_line(line_end) if line_end is not None else first
    return f"{meeting_text_url}?rader={first}-{last}#L{first}"


@register.simple_tag
def source_span_label(line_start: int | None, line_end: int | None) -> str:
    """ "rad 13" or "rad 13–20", as people count lines."""
    first = display_line(line_start)
    if first is None:
        return ""
    last = display_line(line_end) if line_end is not None else first
    if last <= first:
        return gettext("rad %(first)d") % {"first": first}
    return gettext("rad %(first)d–%(last)d") % {"first": first, "last": last}


@register.filter
def search_highlight(text: object, query: object) -> SafeString:
    """``text`` escaped, with the words matching ``query`` marked by decisions.search.highlight."""
    text = "" if text is None else str(text)
    if not query:
        return escape(text)
    try:
        from decisions.search import highlight
    except ImportError:
        return escape(text)
    return safe_headline(highlight(text, str(query)), text)


@register.filter
def item_status_badge(status: str, style: str = "") -> SafeString:
    """``<span class="status status-tabled">Bordlagd</span>``; nothing for handled items.

    A filter rather than an included template: it runs once per row of long lists.
    """
    labels = ITEM_STATUS_LONG if style == "long" else ITEM_STATUS_SHORT
    label = labels.get(status)
    if label is None:
        return mark_safe("")
    return format_html('<span class="status status-{}">{}</span>', status, label)


@register.simple_tag
def assignment_status_badge(assignment, today) -> SafeString:
    """Klar (with the date it was done), Försenad or Öppen, as a badge in words."""
    if assignment.status == "done":
        badge = format_html('<span class="status status-done">{}</span>', gettext("Klar"))
        if assignment.done_date:
            badge += format_html(
                ' <time datetime="{}">{}</time>',
                assignment.done_date.isoformat(),
                date_format(assignment.done_date, "j F Y"),
            )
        return badge
    if assignment.due_date and today and assignment.due_date < today:
        return format_html('<span class="status status-overdue">{}</span>', gettext("Försenad"))
    return format_html('<span class="status status-open">{}</span>', gettext("Öppen"))


@register.simple_tag
def source_lines(lines: Iterable, label: str) -> SafeString:
    """The numbered lines of the source-text page as ``<li id="L12">`` items.

    Built in Python rather than with a template loop: an OCR'd document can have tens of
    thousands of lines, and this is some twenty times faster. Every line is escaped.
    """
    label = html.escape(str(label))
    parts = []
    for line in lines:
        n = line.number
        classes = ("marked " if line.marked else "") + ("item-start" if line.item else "")
        attribute = f' class="{classes.strip()}"' if classes else ""
        parts.append(
            f'<li id="L{n}"{attribute}><a class="ln" href="#L{n}" aria-label="{label} {n}">{n}</a>'
            f'<span class="lt">{html.escape(line.text, quote=False)}</span></li>'
        )
    return mark_safe("".join(parts))  # numbers are ints, the label and every line are escaped


@cache
def _url_name_exists(name: str, urlconf: str) -> bool:
    try:
        reverse(name, kwargs={"pk": 1}, urlconf=urlconf)
    except NoReverseMatch:
        return False
    return True


@register.simple_tag
def optional_url(name: str, **kwargs: object) -> str:
    """``reverse(name, kwargs=…)``, or "" while that URL does not exist (another part owns it)."""
    if not _url_name_exists(name, str(get_urlconf() or settings.ROOT_URLCONF)):
        return ""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


@register.filter
def safe_headline(headline: object, fallback: object = "") -> SafeString:
    """A search headline that may only contain ``<mark>`` tags; anything else is shown escaped.

    The search module promises an HTML-escaped string with ``<mark>`` around matches. We still
    check: if any other markup is present the headline is escaped wholesale, so text from the
    minutes can never become markup here.
    """
    text = "" if headline is None else str(headline)
    if not text:
        return escape(fallback)
    without_marks = _MARK_TAGS.sub("", text)
    if "<" in without_marks or ">" in without_marks:
        return escape(without_marks)
    # Unmatched or nested <mark> would be harmless, but keep the output well formed.
    if text.count("<mark>") != text.count("</mark>"):
        return escape(without_marks)
    # Checked above: only <mark> tags remain; everything else was escaped by the search module.
    return mark_safe(text)
