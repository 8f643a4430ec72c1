"""The small helpers behind the pages: SVG charts, anchors, line spans, safe headlines."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils.safestring import SafeString

from minutes.templatetags.arkiv import (
    display_line,
    item_anchor_id,
    safe_headline,
    search_highlight,
    source_span_label,
    source_span_url,
)
from minutes.views import group_attendances
from networks import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse_svg(markup: str) -> ET.Element:
    # Inline SVG in HTML has no namespace declaration; add one to parse it as XML.
    return ET.fromstring(markup.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


class TestCharts:
    def test_decisions_per_meeting_is_accessible_svg(self):
        points = [
            charts.MeetingPoint(datetime.date(2021, 9, 17), 8),
            charts.MeetingPoint(datetime.date(2020, 3, 6), 12),
            charts.MeetingPoint(datetime.date(2020, 9, 4), 0),
        ]
        chart = charts.decisions_per_meeting(points, chart_id="c1")
        root = parse_svg(chart.svg)
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == "c1-title c1-desc"
        assert root.find(f"{SVG}title").text == "Beslut per möte"
        desc = root.find(f"{SVG}desc").text
        assert "3 möten från 6 mars 2020 till 17 september 2021" in desc
        assert "20 beslut totalt" in desc
        assert "Flest beslut, 12, fattades 6 mars 2020" in desc
        bars = root.findall(f"{SVG}rect")
        assert len(bars) == 3
        heights = [int(bar.get("height")) for bar in bars]
        assert heights[0] > heights[2] > heights[1] == 0  # oldest first; no bar for zero
        years = [t.text for t in root.findall(f"{SVG}text") if t.text and t.text.startswith("20")]
        assert years == ["2020", "2021"]

    def test_empty_chart(self):
        chart = charts.decisions_per_meeting([])
        assert "Inga publicerade möten" in chart.description
        parse_svg(chart.svg)

    def test_assignment_status_labels_every_bar_in_words(self):
        bars = [charts.StatusBar("open", "Öppna i tid", 3), charts.StatusBar("overdue", "Försenade", 0)]
        chart = charts.assignment_status(bars)
        root = parse_svg(chart.svg)
        texts = [t.text for t in root.findall(f"{SVG}text")]
        assert texts == ["Öppna i tid", "3", "Försenade", "0"]
        assert chart.description == "Öppna i tid: 3; Försenade: 0."

    def test_labels_are_escaped(self):
        chart = charts.assignment_status([charts.StatusBar("open", "<b>&", 1)])
        assert "<b>" not in chart.svg and "&lt;b&gt;&amp;" in chart.svg
        parse_svg(chart.svg)


class TestTemplateHelpers:
    @pytest.mark.parametrize(
        ("number", "anchor"), [("4", "punkt-4"), (" 4.1 ", "punkt-4.1"), ("12 a", "punkt-12-a")]
    )
    def test_item_anchor(self, number, anchor):
        assert item_anchor_id(number) == anchor

    def test_line_numbers_count_from_one(self):
        assert display_line(0) == 1 and display_line(None) is None
        assert source_span_url("/moten/1/text/", 11, 19) == "/moten/1/text/?rader=12-20#L12"
        assert source_span_url("/moten/1/text/", None, None) == "/moten/1/text/"
        assert source_span_label(4, 4) == "rad 5"
        assert source_span_label(4, 9) == "rad 5–10"

    @pytest.mark.parametrize(
        ("headline", "expected"),
        [
            ("att <mark>godkänna</mark> &lt;b&gt;", "att <mark>godkänna</mark> &lt;b&gt;"),
            ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
            # Anything but a bare <mark> tag: everything is escaped (the bare tags are dropped).
            ('<mark onclick="x">a</mark>', "&lt;mark onclick=&quot;x&quot;&gt;a"),
            ("<mark>a", "a"),
            ("", "fallback &amp;"),
            (None, "fallback &amp;"),
        ],
    )
    def test_safe_headline_only_lets_mark_through(self, headline, expected):
        result = safe_headline(headline, "fallback &")
        assert isinstance(result, SafeString)
        assert result == expected

    def test_search_highlight_escapes(self):
        assert search_highlight("<b>tillnyktring</b>", "") == "&lt;b&gt;tillnyktring&lt;/b&gt;"
        marked = search_highlight("<b>tillnyktring</b>", "tillnyktring")
        assert "<b>" not in marked and "<mark>" in marked


def test_attendance_grouped_by_organisation_unknown_last():
    class Person:
        def __init__(self, organization):
            self.organization = organization

    class Row:
        def __init__(self, written, person_org=""):
            self.organization = written
            self.person = Person(person_org)

    rows = [Row(""), Row("Falun"), Row("", "Borlänge"), Row("Falun")]
    groups = group_attendances(rows)
    assert [g.organization for g in groups] == ["Falun", "Borlänge", ""]
    assert len(groups[0].attendances) == 2
