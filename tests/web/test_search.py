"""The decision search page and its CSV/JSON export: filters, ranking, paging, odd input, escaping."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from decisions.export import csv_safe
from decisions.models import Decision
from minutes.models import AgendaItem
from tests.factories import (
    AgendaItemFactory,
    AssignmentFactory,
    DecisionFactory,
    MeetingFactory,
    NetworkFactory,
    PersonFactory,
)
from tests.web.conftest import XSS

pytestmark = pytest.mark.django_db

SEARCH = reverse("decisions:search")
CSV = reverse("decisions:export_csv")
JSON = reverse("decisions:export_json")


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def streamed(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def archive(db):
    """Two networks, tillnyktringsplatser discussed in both, plus unrelated and unpublished decisions."""
    chefs = NetworkFactory(slug="chefs-t", name="Chefsnätverket T")
    vfr = NetworkFactory(slug="vfr-t", name="Välfärdsrådet T")
    march = MeetingFactory(network=chefs, date=datetime.date(2020, 3, 6))
    september = MeetingFactory(network=chefs, date=datetime.date(2020, 9, 4))
    council = MeetingFactory(network=vfr, date=datetime.date(2020, 3, 11))
    hidden = MeetingFactory(network=chefs, date=datetime.date(2020, 10, 1), is_published=False)
    group = PersonFactory(name="Styrgruppen", organization="")

    item_march = AgendaItemFactory(
        meeting=march, number="14", title="Utvärdering av avtal om tillnyktringsplatser"
    )
    refer = DecisionFactory(
        item=item_march, text="att hänskjuta utvärderingen till Välfärdsrådet", kind=Decision.Kind.REFER
    )
    item_sept = AgendaItemFactory(
        meeting=september, number="5", title="Förlängning av avtal om tillnyktringsplatser", status="tabled"
    )
    extend = DecisionFactory(
        item=item_sept, text="att förlänga avtalet om tillnyktringsplatser", kind=Decision.Kind.APPROVE
    )
    assign = DecisionFactory(
        item=item_sept,
        text="att ge Styrgruppen i uppdrag att ta fram finansieringsmodell",
        kind=Decision.Kind.ASSIGN,
    )
    AssignmentFactory(item=item_sept, decision=assign, task="ta fram finansieringsmodell", assignees=[group])
    item_council = AgendaItemFactory(meeting=council, number="5", title="Tillnyktringsplatser")
    council_decision = DecisionFactory(
        item=item_council,
        text="att godkänna redovisningen om tillnyktringsplatser",
        kind=Decision.Kind.APPROVE,
    )
    other = DecisionFactory(
        item=AgendaItemFactory(meeting=council, number="6", title="Kvinnofrid"),
        text="att lägga informationen om kvinnofrid till handlingarna",
        kind=Decision.Kind.FILE,
    )
    secret = DecisionFactory(
        item=AgendaItemFactory(meeting=hidden, number="1", title="Tillnyktringsplatser"),
        text="att hemligt förlänga tillnyktringsplatser",
    )
    return {
        "chefs": chefs,
        "vfr": vfr,
        "group": group,
        "refer": refer,
        "extend": extend,
        "assign": assign,
        "council": council_decision,
        "other": other,
        "secret": secret,
        "september": september,
    }


class TestSearchPage:
    def test_empty_form_lists_newest_decisions(self, reader_client, archive):
        html = page(reader_client.get(SEARCH))
        assert "5 beslut" in html  # the unpublished one is never shown
        assert archive["secret"].text not in html
        assert html.index(archive["extend"].text) < html.index(archive["refer"].text)

    def test_free_text_finds_ranks_and_highlights(self, reader_client, archive):
        html = page(reader_client.get(SEARCH, {"q": "tillnyktringsplatser"}))
        assert archive["extend"].text.split(" tillnyktringsplatser")[0] in html
        assert archive["council"].text.split(" tillnyktringsplatser")[0] in html
        assert archive["other"].text not in html
        assert archive["secret"].text not in html
        assert "<mark>" in html
        # Each result links to its meeting and item anchor.
        september = archive["september"]
        assert f'href="{september.get_absolute_url()}#punkt-5"' in html
        assert 'value="tillnyktringsplatser"' in html  # the query stays in the form (and URL)

    def test_filters_network_dates_kind_status_assignee(self, reader_client, archive):
        html = page(reader_client.get(SEARCH, {"q": "tillnyktringsplatser", "natverk": "vfr-t"}))
        assert "godkänna redovisningen" in html and "förlänga avtalet" not in html

        html = page(reader_client.get(SEARCH, {"fran": "2020-09-01", "till": "2020-12-31"}))
        assert "förlänga avtalet" in html and "hänskjuta utvärderingen" not in html

        html = page(reader_client.get(SEARCH, {"typ": "refer"}))
        assert "hänskjuta utvärderingen" in html and "förlänga avtalet" not in html

        html = page(reader_client.get(SEARCH, {"status": "tabled"}))
        assert "förlänga avtalet" in html and "godkänna redovisningen" not in html
        assert "Ärendet bordlades" in html

        html = page(reader_client.get(SEARCH, {"ansvarig": archive["group"].pk}))
        assert "ta fram finansieringsmodell" in html and "godkänna redovisningen" not in html

    def test_sort_oldest_first(self, reader_client, archive):
        html = page(reader_client.get(SEARCH, {"q": "tillnyktringsplatser", "sortering": "aldst"}))
        assert html.index("hänskjuta utvärderingen") < html.index("förlänga avtalet")

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"fran": "2020-13-45"}, "Fyll i ett giltigt datum"),
            ({"till": "igår"}, "Fyll i ett giltigt datum"),
            ({"fran": "2021-01-01", "till": "2020-01-01"}, "Till-datumet ligger före från-datumet"),
            ({"natverk": "finns-inte"}, "Välj ett giltigt alternativ"),
            ({"typ": "bogus"}, "Välj ett giltigt alternativ"),
            ({"ansvarig": "abc"}, "Välj ett giltigt alternativ"),
            ({"q": "x" * 5000}, "högst 500 tecken lång"),
        ],
    )
    def test_invalid_filters_give_a_friendly_message(self, reader_client, archive, params, message):
        html = page(reader_client.get(SEARCH, params))
        assert "Sökningen kunde inte göras" in html
        assert message in html
        assert 'aria-invalid="true"' in html

    @pytest.mark.parametrize(
        "query",
        [
            "' OR 1=1 --",
            '"; DROP TABLE decisions_decision; --',
            "tillnyktring & | ! :* <->",
            "%_%",
            "\\",
            "((((",
            "-",
            "och att i",
            "ÅÄÖ åäö 😀",
            "x" * 500,
            " ".join(["ord"] * 200)[:500],
        ],
    )
    def test_injection_like_and_nonsense_queries(self, reader_client, archive, query):
        assert reader_client.get(SEARCH, {"q": query}).status_code == 200
        assert Decision.objects.count() == 6

    def test_nul_byte_in_the_query(self, reader_client, archive):
        response = reader_client.get(SEARCH + "?q=till%00nyktring")
        assert response.status_code == 200

    @pytest.mark.parametrize("value", ["abc", "0", "-1", "99999", "9" * 30, "1.5"])
    def test_odd_page_numbers_show_a_page(self, reader_client, archive, value):
        assert reader_client.get(SEARCH, {"page": value}).status_code == 200

    def test_pagination_25_per_page_and_last_page_for_big_numbers(self, reader_client):
        item = AgendaItemFactory(meeting=MeetingFactory())
        for n in range(30):
            DecisionFactory(item=item, text=f"att anta plan nummer {n:02d}", order=n)
        html = page(reader_client.get(SEARCH))
        assert html.count('class="result-link"') == 25
        assert "Sida 1 av 2" in html and 'rel="next"' in html
        html = page(reader_client.get(SEARCH, {"page": "999"}))
        assert html.count('class="result-link"') == 5
        assert "Sida 2 av 2" in html

    def test_decision_text_is_escaped_in_results(self, reader_client):
        DecisionFactory(text=f"att godkänna {XSS} nu", item=AgendaItemFactory(title=XSS))
        for params in ({}, {"q": "godkänna"}):
            html = page(reader_client.get(SEARCH, params))
            assert "<script>alert" not in html
            assert "&lt;" in html and "alert" in html
        # Words inside the markup (found or not, depending on the database's text parser).
        for params in ({"q": "alert"}, {"q": "script"}):
            assert "<script>alert" not in page(reader_client.get(SEARCH, params))

    def test_query_is_escaped_when_echoed(self, reader_client, archive):
        html = page(reader_client.get(SEARCH, {"q": XSS}))
        assert XSS not in html


class TestExport:
    def test_csv_has_the_filtered_result_set(self, reader_client, archive):
        response = reader_client.get(CSV, {"q": "tillnyktringsplatser", "natverk": "chefs-t"})
        assert response["Content-Type"].startswith("text/csv")
        assert response["Content-Disposition"].startswith('attachment; filename="beslut-')
        rows = list(csv.reader(io.StringIO(streamed(response).lstrip("\ufeff")), delimiter=";"))
        header, body = rows[0], rows[1:]
        assert header[:3] == ["Id", "Datum", "Nätverk"]
        texts = {row[header.index("Beslut")] for row in body}
        assert archive["extend"].text in texts and archive["refer"].text in texts
        assert archive["council"].text not in texts and archive["secret"].text not in texts
        link = body[0][header.index("Länk")]
        assert link.startswith("http://testserver/moten/") and "#punkt-" in link

    def test_json_has_the_filtered_result_set(self, reader_client, archive):
        response = reader_client.get(JSON, {"typ": "approve"})
        assert response["Content-Type"].startswith("application/json")
        data = json.loads(streamed(response))
        assert data["filter"] == {"typ": "approve"}
        texts = {row["beslut"] for row in data["beslut"]}
        assert texts == {archive["extend"].text, archive["council"].text}
        row = data["beslut"][0]
        assert set(row) >= {"datum", "natverk", "punkt", "arende", "typ", "beslut", "lank"}

    def test_empty_result_set(self, reader_client, archive):
        assert json.loads(streamed(reader_client.get(JSON, {"q": "zzzzqqqq"})))["beslut"] == []
        rows = streamed(reader_client.get(CSV, {"q": "zzzzqqqq"})).strip().splitlines()
        assert len(rows) == 1  # the header only

    def test_invalid_filters_are_a_400_with_a_message(self, reader_client, archive):
        response = reader_client.get(CSV, {"fran": "inte-ett-datum"})
        assert response.status_code == 400
        assert "giltigt datum" in response.content.decode()

    def test_formula_injection_and_script_are_neutralised(self, reader_client):
        item = AgendaItemFactory(title='=HYPERLINK("http://evil")', number="1")
        DecisionFactory(item=item, text="=1+2", order=0)
        DecisionFactory(item=item, text="@SUM(A1)", order=1)
        DecisionFactory(item=item, text="-2+3", order=2)
        DecisionFactory(item=item, text="+cmd", order=3)
        DecisionFactory(item=item, text=f"att {XSS}", order=4)
        rows = list(csv.reader(io.StringIO(streamed(reader_client.get(CSV)).lstrip("\ufeff")), delimiter=";"))
        header = rows[0]
        texts = {row[header.index("Beslut")] for row in rows[1:]}
        assert {"'=1+2", "'@SUM(A1)", "'-2+3", "'+cmd"} <= texts
        assert all(row[header.index("Ärende")] == '\'=HYPERLINK("http://evil")' for row in rows[1:])
        # CSV is data, not HTML: the text is kept as written, served as an attachment that is never sniffed.
        assert f"att {XSS}" in texts

        response = reader_client.get(JSON)
        assert response["X-Content-Type-Options"] == "nosniff"
        raw = streamed(response)
        assert "<script>" not in raw and "\\u003cscript\\u003e" in raw
        assert f"att {XSS}" in {row["beslut"] for row in json.loads(raw)["beslut"]}

    def test_export_streams_large_sets(self, reader_client):
        item = AgendaItemFactory()
        Decision.objects.bulk_create(
            Decision(item=item, text=f"att anta plan {n}", order=n) for n in range(1200)
        )
        data = json.loads(streamed(reader_client.get(JSON)))
        assert len(data["beslut"]) == 1200


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=A1", "'=A1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("ok", "ok"),
        (None, ""),
        (3, "3"),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


def test_item_statuses_exist():
    assert {"tabled", "withdrawn", "referred"} <= set(AgendaItem.Status.values)
