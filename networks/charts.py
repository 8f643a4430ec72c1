"""Small charts drawn on the server as inline SVG: no JavaScript, readable by screen readers.

Each chart is ``role="img"`` with a ``<title>`` and a ``<desc>`` that states the figures in words;
the page also shows the numbers as a table. Everything from the database goes through
``format_html`` and is escaped.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True, slots=True)
class Chart:
    svg: SafeString
    title: str
    description: str


@dataclass(frozen=True, slots=True)
class MeetingPoint:
    date: datetime.date
    decisions: int


@dataclass(frozen=True, slots=True)
class StatusBar:
    key: str  # CSS modifier: open, overdue, done
    label: str
    value: int


def _long_date(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def _svg(*, chart_id: str, width: int, height: int, title: str, desc: str, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" focusable="false" preserveAspectRatio="xMinYMin meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        w=width,
        h=height,
        id=chart_id,
        title=title,
        desc=desc,
        body=body,
    )


def decisions_per_meeting(points: Sequence[MeetingPoint], *, chart_id: str = "chart-decisions") -> Chart:
    """A bar per meeting, oldest first, its height the number of decisions; year labels below."""
    title = _("Beslut per möte")
    if not points:
        desc = _("Inga publicerade möten ännu.")
        return Chart(
            svg=_svg(chart_id=chart_id, width=320, height=40, title=title, desc=desc, body=mark_safe("")),
            title=title,
            description=desc,
        )
    points = sorted(points, key=lambda p: p.date)
    peak = max(points, key=lambda p: p.decisions)
    total = sum(p.decisions for p in points)
    desc = " ".join(
        [
            ngettext(
                "%(count)d möte från %(first)s till %(last)s",
                "%(count)d möten från %(first)s till %(last)s",
                len(points),
            )
            % {"count": len(points), "first": _long_date(points[0].date), "last": _long_date(points[-1].date)}
            + ",",
            ngettext("%(total)d beslut totalt.", "%(total)d beslut totalt.", total) % {"total": total},
            _("Flest beslut, %(n)d, fattades %(date)s.")
            % {"n": peak.decisions, "date": _long_date(peak.date)},
        ]
    )

    left, right, top, bottom = 28, 8, 10, 24
    plot_h = 120
    slot = max(6, min(28, 560 // len(points)))
    bar_w = max(3, slot - max(2, slot // 4))
    width = left + slot * len(points) + right
    height = top + plot_h + bottom
    ceiling = max(1, peak.decisions)

    parts = [
        # Axis and the peak gridline with its label.
        format_html(
            '<line class="chart-axis" x1="{x}" y1="{y0}" x2="{x2}" y2="{y0}"/>'
            '<line class="chart-grid" x1="{x}" y1="{yt}" x2="{x2}" y2="{yt}"/>'
            '<text class="chart-label" x="{lx}" y="{ytl}" text-anchor="end">{peak}</text>'
            '<text class="chart-label" x="{lx}" y="{y0l}" text-anchor="end">0</text>',
            x=left,
            x2=width - right,
            y0=top + plot_h,
            yt=top,
            lx=left - 4,
            ytl=top + 4,
            y0l=top + plot_h + 4,
            peak=ceiling,
        )
    ]
    last_year = None
    for index, point in enumerate(points):
        x = left + index * slot + (slot - bar_w) // 2
        h = round(plot_h * point.decisions / ceiling)
        parts.append(
            format_html(
                '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}"></rect>',
                x,
                top + plot_h - h,
                bar_w,
                max(h, 1) if point.decisions else 0,
            )
        )
        if point.date.year != last_year:
            last_year = point.date.year
            parts.append(
                format_html(
                    '<text class="chart-label" x="{}" y="{}">{}</text>',
                    left + index * slot,
                    top + plot_h + 16,
                    point.date.year,
                )
            )
    svg = _svg(
        chart_id=chart_id,
        width=width,
        height=height,
        title=title,
        desc=desc,
        body=format_html_join("", "{}", ((p,) for p in parts)),
    )
    return Chart(svg=svg, title=title, description=desc)


def assignment_status(bars: Sequence[StatusBar], *, chart_id: str = "chart-assignments") -> Chart:
    """Horizontal bars, one per status, each labelled with its name and number (not colour alone)."""
    title = _("Uppdrag per status")
    desc = "; ".join(f"{bar.label}: {bar.value}" for bar in bars) + "."
    label_w, bar_max, row_h, gap = 110, 200, 22, 8
    width = label_w + bar_max + 48
    height = len(bars) * (row_h + gap) + gap
    ceiling = max([1, *(bar.value for bar in bars)])
    rows = []
    for index, bar in enumerate(bars):
        y = gap + index * (row_h + gap)
        w = round(bar_max * bar.value / ceiling)
        rows.append(
            format_html(
                '<text class="chart-label chart-label-strong" x="{lx}" y="{ty}" text-anchor="end">{label}</text>'
                '<rect class="chart-bar chart-bar-{key}" x="{x}" y="{y}" width="{w}" height="{h}"></rect>'
                '<text class="chart-label" x="{vx}" y="{ty}">{value}</text>',
                lx=label_w - 8,
                ty=y + row_h - 6,
                label=bar.label,
                key=bar.key,
                x=label_w,
                y=y,
                w=max(w, 2) if bar.value else 0,
                h=row_h,
                vx=label_w + max(w, 2) + 6,
                value=bar.value,
            )
        )
    svg = _svg(
        chart_id=chart_id,
        width=width,
        height=height,
        title=title,
        desc=desc,
        body=format_html_join("", "{}", ((r,) for r in rows)),
    )
    return Chart(svg=svg, title=title, description=desc)
