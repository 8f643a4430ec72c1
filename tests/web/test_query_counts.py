"""Every read page runs a fixed number of queries, however much data it shows.

Each page is requested twice, over a small and a large archive, under the same
``django_assert_num_queries`` budget: the page's own queries plus those every page makes.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import NetworkFactory
from tests.web.conftest import build_meeting

pytestmark = pytest.mark.django_db

SMALL = {"items": 1, "decisions_per_item": 1, "assignments_per_item": 1, "attendees": 1}
LARGE = {"items": 12, "decisions_per_item": 4, "assignments_per_item": 3, "attendees": 25}


def archive(size: dict, *, meetings: int, slug: str) -> list:
    network = NetworkFactory(slug=slug)
    return [
        build_meeting(
            network=network,
            date=datetime.date(2020, 1, 1) + datetime.timedelta(days=30 * n),
            previous_minutes=["2019-12-01"],
            **size,
        )
        for n in range(meetings)
    ]


def pages(meetings: list) -> dict[str, str]:
    meeting = meetings[len(meetings) // 2]
    slug = meeting.network.slug
    person = meeting.attendances.order_by("order").first().person
    group = meeting.items.first().assignments.first().assignees.get(name="Styrgruppen")
    return {
        "home": reverse("networks:home"),
        "network": reverse("networks:network_detail", kwargs={"slug": slug}),
        "meeting": meeting.get_absolute_url(),
        "source_text": reverse("minutes:source_text", kwargs={"pk": meeting.pk}) + "?rader=2-3",
        "search": reverse("decisions:search"),
        "search_query": reverse("decisions:search") + f"?q=godkänna&natverk={slug}&fran=2019-01-01",
        "search_filters": reverse("decisions:search")
        + f"?typ=file&status=handled&ansvarig={group.pk}&page=2",
        "assignments": reverse("decisions:assignments"),
        "assignments_filtered": reverse("decisions:assignments")
        + f"?status=alla&ansvarig={group.pk}&natverk={slug}",
        "people": reverse("networks:person_list"),
        "people_query": reverse("networks:person_list") + "?q=deltagare",
        "person": reverse("networks:person_detail", kwargs={"pk": person.pk}),
        "group": reverse("networks:person_detail", kwargs={"pk": group.pk}),
    }


# The page's own queries, on top of what every page costs (see ``frame_queries``).
OWN_QUERIES = {
    "home": 4,  # networks with counts, newest decisions, assignments due, their assignees
    "network": 3,  # network, meetings with decision counts, assignment status counts
    # meeting, attendance+person, items, sub-items, decisions, assignments, assignees,
    # item attachments, meeting attachments, neighbours and referred-to meetings in one
    "meeting": 10,
    "source_text": 2,  # meeting+document, items
    "search": 4,  # count, page, network choices, assignee choices
    "search_query": 5,  # + the network lookup that validates natverk=
    "search_filters": 5,  # + the person lookup that validates ansvarig=
    "assignments": 6,  # tab counts, count, page, assignees, assignee and network choices
    "assignments_filtered": 8,  # + validating ansvarig= and natverk=
    "people": 2,  # count, page
    "people_query": 2,
    "person": 5,  # person, meetings, assignments, their assignees, decisions naming them
    "group": 5,
}


@pytest.fixture
def frame_queries(reader, rf) -> int:
    """Queries every signed-in page makes whatever it shows: session, user, and the write side's
    menu (partials/nav_manage.html, owned by part 3, which asks about the user's roles)."""
    request = rf.get("/")
    request.user = reader
    with CaptureQueriesContext(connection) as captured:
        render_to_string("partials/nav_manage.html", {"user": reader, "request": request})
    return 2 + len(captured.captured_queries)


# Pages that run a free-text search also run whatever queries decisions.search needs to plan
# it (none on SQLite, a vocabulary look-up per call on PostgreSQL): owned by the search module,
# constant, and allowed for here on top of the page's own queries.
SEARCH_PAGES = {"search_query"}
SEARCH_ALLOWANCE = 4


def test_query_count_is_constant(
    reader_client, django_assert_num_queries, django_assert_max_num_queries, frame_queries
):
    """The same number of queries for a page over a small and a large archive."""
    counts: dict[str, list[int]] = {name: [] for name in OWN_QUERIES}
    small = pages(archive(SMALL, meetings=2, slug="liten"))
    large = pages(archive(LARGE, meetings=5, slug="stor"))
    for size, urls in (("small", small), ("large", large)):
        for name, url in urls.items():
            budget = frame_queries + OWN_QUERIES[name]
            info = f"{name} page ({size}): {url}"
            if name in SEARCH_PAGES:
                assertion = django_assert_max_num_queries(budget + SEARCH_ALLOWANCE, info=info)
            else:
                assertion = django_assert_num_queries(budget, info=info)
            with assertion as captured:
                response = reader_client.get(url)
            assert response.status_code == 200, info
            counts[name].append(len(captured))
    for name, (small_count, large_count) in counts.items():
        assert small_count == large_count, f"{name}: {small_count} queries small, {large_count} large"
