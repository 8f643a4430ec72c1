"""The read-side pages: access rule, what each page shows, 404s and odd input."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from decisions.models import Assignment, Decision
from minutes.models import AgendaItem, Attachment, Meeting
from tests.factories import (
    AgendaItemFactory,
    AssignmentFactory,
    DecisionFactory,
    MeetingFactory,
    NetworkFactory,
    PersonFactory,
)
from tests.web.conftest import XSS, build_meeting

pytestmark = pytest.mark.django_db


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def read_urls(meeting: Meeting) -> list[str]:
    person = meeting.attendances.first().person
    return [
        reverse("networks:home"),
        reverse("networks:network_detail", kwargs={"slug": meeting.network.slug}),
        reverse("minutes:meeting_detail", kwargs={"pk": meeting.pk}),
        reverse("minutes:source_text", kwargs={"pk": meeting.pk}),
        reverse("decisions:search") + "?q=godkänna",
        reverse("decisions:export_csv"),
        reverse("decisions:export_json"),
        reverse("decisions:assignments"),
        reverse("networks:person_list"),
        reverse("networks:person_detail", kwargs={"pk": person.pk}),
    ]


class TestAccess:
    def test_anonymous_users_are_sent_to_login(self, client, meeting, settings):
        settings.BESLUTSARKIVET_PUBLIC_READ = False
        login = reverse("login")
        for url in read_urls(meeting):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(login), url

    def test_public_read_opens_every_page(self, client, meeting, settings):
        settings.BESLUTSARKIVET_PUBLIC_READ = True
        for url in read_urls(meeting):
            assert client.get(url).status_code == 200, url

    def test_signed_in_reader_sees_every_page(self, reader_client, meeting):
        for url in read_urls(meeting):
            assert reader_client.get(url).status_code == 200, url


class TestLayout:
    def test_landmarks_language_and_skip_link(self, reader_client, meeting):
        html = page(reader_client.get("/"))
        assert '<html lang="sv">' in html
        assert '<main id="main"' in html
        assert 'href="#main"' in html
        assert 'aria-label="Huvudmeny"' in html
        assert "<footer" in html
        # The write side's links (partials/nav_manage.html) stay in the header.
        assert 'aria-label="Konto och hantering"' in html

    def test_current_section_is_marked(self, reader_client, meeting):
        html = page(reader_client.get(reverse("decisions:assignments")))
        assert re.search(r'href="/uppdrag/" aria-current="page"', html)


class TestHome:
    def test_networks_newest_decisions_and_assignments_due(self, reader_client):
        network = NetworkFactory(name="Chefsnätverket test", slug="chefs-test")
        old = MeetingFactory(network=network, date=datetime.date(2020, 3, 6))
        new = MeetingFactory(network=network, date=datetime.date(2020, 9, 4))
        MeetingFactory(network=network, date=datetime.date(2021, 1, 1), is_published=False)
        DecisionFactory(
            item=AgendaItemFactory(meeting=new), text="att förlänga avtalet om TN-platser", kind="approve"
        )
        DecisionFactory(item=AgendaItemFactory(meeting=old), text="att lägga till handlingarna", kind="file")
        AssignmentFactory(
            item=AgendaItemFactory(meeting=new),
            task="utreda finansieringen",
            due_date=datetime.date(2030, 1, 1),
        )
        AssignmentFactory(item=AgendaItemFactory(meeting=new), task="utan datum", due_date=None)

        html = page(reader_client.get("/"))
        assert "Chefsnätverket test" in html
        assert "2 möten" in html  # the unpublished one is not counted
        assert f'href="{new.get_absolute_url()}"' in html
        assert "4 september 2020" in html
        assert "att förlänga avtalet om TN-platser" in html
        assert "att lägga till handlingarna" not in html  # procedural noise is left out here
        assert "Utreda finansieringen" in html
        assert "Utan datum" not in html
        assert 'action="/beslut/"' in html and 'name="q"' in html


class TestNetworkPage:
    def test_meetings_by_year_with_decision_counts_and_charts(self, reader_client):
        network = NetworkFactory(slug="schnv-test", name="Socialchefsnätverket test")
        m2020 = build_meeting(network=network, date=datetime.date(2020, 3, 11), items=2, decisions_per_item=3)
        build_meeting(network=network, date=datetime.date(2021, 9, 17), items=1, decisions_per_item=1)
        build_meeting(network=network, date=datetime.date(2022, 1, 1), published=False)
        html = page(reader_client.get(f"/natverk/{network.slug}/"))
        assert html.index(">2021<") < html.index(">2020<")  # newest year first
        assert "11 mars 2020" in html and "17 september 2021" in html
        assert "1 januari 2022" not in html
        assert "6 beslut" in html  # 2 items × 3 decisions on 11 March 2020
        assert m2020.get_absolute_url() in html
        # Accessible inline SVG charts with a text alternative.
        assert html.count('role="img"') == 2
        assert "<title id=" in html and "<desc id=" in html
        assert "2 möten från 11 mars 2020 till 17 september 2021" in html
        assert "Visa siffrorna som tabell" in html
        # No JavaScript draws them: the only script on the page is the optional link tidier.
        assert html.count("<script") == 1 and "clean-query.js" in html

    def test_unknown_network_is_404(self, reader_client):
        assert reader_client.get("/natverk/finns-inte/").status_code == 404

    def test_network_without_meetings(self, reader_client):
        network = NetworkFactory(slug="tomt")
        html = page(reader_client.get(f"/natverk/{network.slug}/"))
        assert "inga publicerade möten" in html


class TestMeetingPage:
    def test_everything_the_minutes_say(self, reader_client):
        meeting = build_meeting(date=datetime.date(2020, 3, 6), items=3, previous_minutes=["2020-02-07"])
        html = page(reader_client.get(meeting.get_absolute_url()))
        assert meeting.title in html
        assert "fredag 6 mars 2020" in html
        assert "09.30–14.00" in html
        assert "Länshuset, Falun" in html
        # Attendance grouped by organisation where known.
        assert "Falu kommun" in html and "Organisation ej angiven" in html
        # Items with anchors, statuses in words, presenters, sub-items, decisions with kinds.
        assert 'id="punkt-1"' in html and 'id="punkt-3"' in html
        assert "Bordlagd" in html
        assert "Föredragande:" in html and "Anna Andersson" in html
        assert "Underpunkt 0" in html
        assert "Läggs till handlingarna" in html
        assert "i löptext" in html
        # Assignments with assignees, due date and state.
        assert "Ta fram förslag 0" in html
        assert "Styrgruppen" in html
        assert "1 juni 2020" in html
        assert "Försenad" in html
        # Attachment references (no file: plain text) and the source text links.
        assert "Bilaga 0-0" in html and "Bilaga utan ärende" in html
        text_url = reverse("minutes:source_text", kwargs={"pk": meeting.pk})
        assert f'href="{text_url}?rader=1-2#L1"' in html
        # The referred-to minutes are not in the archive: the date is shown without a link.
        assert "7 februari 2020" in html and "finns inte i arkivet" in html

    def test_previous_next_and_referred_meetings(self, reader_client):
        network = NetworkFactory()
        first = MeetingFactory(network=network, date=datetime.date(2020, 2, 7))
        hidden = MeetingFactory(network=network, date=datetime.date(2020, 2, 20), is_published=False)
        middle = build_meeting(
            network=network, date=datetime.date(2020, 3, 6), previous_minutes=["2020-02-07", "junk"]
        )
        last = MeetingFactory(network=network, date=datetime.date(2020, 9, 4))
        MeetingFactory(date=datetime.date(2020, 4, 1))  # another network: not a neighbour
        html = page(reader_client.get(middle.get_absolute_url()))
        assert f'href="{first.get_absolute_url()}" rel="prev"' in html
        assert f'href="{last.get_absolute_url()}" rel="next"' in html
        assert hidden.get_absolute_url() not in html
        references = html[html.index("references-heading") :]
        assert f'href="{first.get_absolute_url()}">7 februari 2020' in references

    def test_unpublished_and_trashed_meetings_are_404(self, reader_client):
        unpublished = MeetingFactory(is_published=False)
        trashed = MeetingFactory(trashed_at=timezone.now())
        for meeting in (unpublished, trashed):
            assert reader_client.get(meeting.get_absolute_url()).status_code == 404
            assert reader_client.get(f"/moten/{meeting.pk}/text/").status_code == 404
        assert reader_client.get("/moten/999999/").status_code == 404

    def test_withdrawn_and_referred_items_say_so_in_words(self, reader_client):
        meeting = MeetingFactory()
        AgendaItemFactory(meeting=meeting, number="1", status=AgendaItem.Status.WITHDRAWN)
        AgendaItemFactory(meeting=meeting, number="2", status=AgendaItem.Status.REFERRED)
        html = page(reader_client.get(meeting.get_absolute_url()))
        assert "Utgår" in html and "Hänskjuten" in html

    def test_text_from_the_minutes_is_escaped(self, reader_client):
        meeting = build_meeting(decision_text=f"att {XSS} godkänna")
        AgendaItemFactory(meeting=meeting, number="99", title=XSS, presenters=[XSS], body=XSS)
        html = page(reader_client.get(meeting.get_absolute_url()))
        assert XSS not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    def test_download_links_only_when_a_file_and_the_url_exist(self, reader_client, settings):
        meeting = build_meeting(items=1, attachments_per_item=1)
        attachment = Attachment.objects.filter(item__isnull=False, meeting=meeting).first()
        attachment.file.save("bilaga.pdf", ContentFile(b"%PDF-1.4"), save=True)
        meeting.source_document.file.save("protokoll.txt", ContentFile(b"text"), save=True)

        settings.ROOT_URLCONF = "tests.web.urls_without_downloads"
        html = page(reader_client.get(meeting.get_absolute_url()))
        assert "/hantera/" not in html  # no download view: the reference as text
        assert "Bilaga 0-0" in html

        settings.ROOT_URLCONF = "tests.web.urls_with_downloads"
        html = page(reader_client.get(meeting.get_absolute_url()))
        assert f'href="/hantera/bilagor/{attachment.pk}/"' in html
        assert f'href="/hantera/dokument/{meeting.source_document.pk}/"' in html
        without_file = Attachment.objects.get(meeting=meeting, item__isnull=True)
        assert f"/hantera/bilagor/{without_file.pk}/" not in html


class TestSourceText:
    def test_numbered_lines_anchors_and_marked_span(self, reader_client):
        meeting = build_meeting(items=2, source_lines=30)
        html = page(reader_client.get(f"/moten/{meeting.pk}/text/?rader=3-4"))
        assert 'id="L1"' in html and 'id="L30"' in html and 'id="L31"' not in html
        assert re.search(r'<li id="L3" class="marked', html)
        assert re.search(r'<li id="L4" class="marked', html)
        assert not re.search(r'<li id="L5" class="marked', html)
        assert "Rad 3–4 är markerade" in html
        assert f'href="/moten/{meeting.pk}/text/?rader=3-4#L3"' in html  # item 2's span in the TOC
        assert "Rad 7 i minnesanteckningarna" in html

    @pytest.mark.parametrize("value", ["abc", "5-", "-5", "9" * 40, "1-2-3", "<script>"])
    def test_nonsense_span_is_ignored(self, reader_client, value):
        meeting = build_meeting(items=1)
        html = page(reader_client.get(f"/moten/{meeting.pk}/text/", {"rader": value}))
        assert "är markerade" not in html

    def test_meeting_without_text(self, reader_client):
        meeting = MeetingFactory(source_document=None)
        html = page(reader_client.get(f"/moten/{meeting.pk}/text/"))
        assert "ingen utläst text" in html

    def test_source_text_is_escaped(self, reader_client):
        meeting = build_meeting(items=1)
        meeting.source_document.extracted_text = f"rad ett\n{XSS}"
        meeting.source_document.save()
        html = page(reader_client.get(f"/moten/{meeting.pk}/text/"))
        assert XSS not in html and "&lt;script&gt;" in html


class TestAssignments:
    def test_tabs_sorting_and_links(self, reader_client):
        today = timezone.localdate()
        network = NetworkFactory(slug="n1")
        item = AgendaItemFactory(meeting=MeetingFactory(network=network), number="4")
        decision = DecisionFactory(item=item)
        group = PersonFactory(name="Styrgruppen", organization="")
        late = AssignmentFactory(
            item=item,
            decision=decision,
            task="Sen uppgift",
            due_date=today - datetime.timedelta(days=3),
            assignees=[group],
        )
        soon = AssignmentFactory(item=item, task="Snart klar", due_date=today + datetime.timedelta(days=3))
        undated = AssignmentFactory(item=item, task="Utan slutdatum", due_date=None, assignees=[group])
        done = AssignmentFactory(item=item, task="Redan klar", status=Assignment.Status.DONE, done_date=today)
        AssignmentFactory(
            item=AgendaItemFactory(meeting=MeetingFactory(is_published=False)), task="opublicerad"
        )

        html = page(reader_client.get("/uppdrag/"))
        assert html.index(late.task) < html.index(soon.task) < html.index(undated.task)  # nulls last
        assert done.task not in html and "opublicerad" not in html
        assert f"{item.meeting.get_absolute_url()}#punkt-4" in html
        assert 'Öppna <span class="count">(3)</span>' in html

        html = page(reader_client.get("/uppdrag/?status=forsenade"))
        assert late.task in html and soon.task not in html

        html = page(reader_client.get("/uppdrag/?status=klara"))
        assert done.task in html and late.task not in html

        html = page(reader_client.get(f"/uppdrag/?ansvarig={group.pk}"))
        assert late.task in html and undated.task in html and soon.task not in html

        html = page(reader_client.get("/uppdrag/?natverk=n1&status=alla"))
        assert done.task in html and late.task in html

    @pytest.mark.parametrize(
        "query",
        [
            "status=xyz",
            "ansvarig=abc",
            "ansvarig=999999",
            "natverk=finns-inte",
            "page=abc",
            "page=99999999999",
        ],
    )
    def test_bad_filters_give_a_message_not_an_error(self, reader_client, query):
        AssignmentFactory()
        response = reader_client.get(f"/uppdrag/?{query}")
        assert response.status_code == 200


class TestPeople:
    def test_list_and_detail(self, reader_client):
        meeting = build_meeting(
            date=datetime.date(2020, 3, 11), decision_text="att ge Styrgruppen i uppdrag att utreda"
        )
        person = meeting.attendances.first().person
        html = page(reader_client.get("/personer/"))
        assert person.name in html and "Styrgruppen" in html

        html = page(reader_client.get(f"/personer/{person.pk}/"))
        assert person.name in html
        assert "11 mars 2020" in html  # meetings attended
        assert "Ta fram förslag 0" in html  # assignments given

        group = meeting.items.first().assignments.first().assignees.get(name="Styrgruppen")
        html = page(reader_client.get(f"/personer/{group.pk}/"))
        assert "att ge Styrgruppen i uppdrag att utreda" in html  # named in decisions

    def test_search_in_the_list(self, reader_client):
        build_meeting()
        PersonFactory(name="Ingen Närvaro")  # in nothing published: not listed
        html = page(reader_client.get("/personer/?q=styrgrupp"))
        assert "Styrgruppen" in html and "Deltagare" not in html
        assert "Ingen Närvaro" not in page(reader_client.get("/personer/?q=ingen"))

    def test_people_only_in_unpublished_minutes_are_404(self, reader_client):
        meeting = build_meeting(published=False)
        person = meeting.attendances.first().person
        assert reader_client.get(f"/personer/{person.pk}/").status_code == 404
        assert reader_client.get("/personer/999999/").status_code == 404

    @pytest.mark.parametrize("query", ["page=abc", "page=-1", "page=99999", "q=" + "x" * 5000])
    def test_odd_input(self, reader_client, query):
        build_meeting()
        assert reader_client.get(f"/personer/?{query}").status_code == 200


def test_decision_kind_labels_are_swedish(reader_client):
    meeting = MeetingFactory()
    item = AgendaItemFactory(meeting=meeting)
    for kind in Decision.Kind:
        DecisionFactory(item=item, kind=kind, text=f"beslut {kind.value}")
    html = page(reader_client.get(meeting.get_absolute_url()))
    for kind in Decision.Kind:
        assert str(kind.label).capitalize() in html
