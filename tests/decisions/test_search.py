"""decisions.search: matching, ranking, headlines, odd input and the stored search document.

Every behavioural test runs on whichever database the suite runs on (PostgreSQL under
``make test``, SQLite in the smoke run); only what is about PostgreSQL itself (the ``sv``
configuration, extensions, indexes, the migration) is marked ``postgres``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils.safestring import SafeString

from decisions.models import Assignment, Decision
from decisions.search import (
    CappedCount,
    fold,
    highlight,
    search_count,
    search_decisions,
    search_documents_refresh,
    word_similarity,
)
from tests.factories import (
    AgendaItemFactory,
    AssignmentFactory,
    DecisionFactory,
    MeetingFactory,
    NetworkFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class Corpus:
    tn_approve: Decision
    tn_file: Decision
    ocr: Decision
    kvinnofrid: Decision
    plats: Decision
    platser: Decision
    styr: Decision
    budget_a: Decision
    budget_b: Decision
    script: Decision


@pytest.fixture
def corpus() -> Corpus:
    network = NetworkFactory(name="Chefsnätverket (test)", slug="chefsnatverket-test")
    autumn_2020 = MeetingFactory(network=network, date=datetime.date(2020, 9, 4))
    summer_2021 = MeetingFactory(network=network, date=datetime.date(2021, 6, 11))
    spring_2022 = MeetingFactory(network=network, date=datetime.date(2022, 3, 1))

    tn_item = AgendaItemFactory(
        meeting=autumn_2020, title="Förlängning av avtal om tillnyktringsplatser (TN-platser)"
    )
    agenda = AgendaItemFactory(meeting=autumn_2020, title="Godk&nnande av dagordning")  # OCR damage
    reports = AgendaItemFactory(meeting=summer_2021, title="Rapporter")
    premises = AgendaItemFactory(meeting=summer_2021, title="Lokalfrågor")
    short_stay = AgendaItemFactory(meeting=spring_2022, title="Korttidsboende")
    follow_up = AgendaItemFactory(meeting=spring_2022, title="Uppföljning")
    economy = AgendaItemFactory(meeting=spring_2022, title="Ekonomi")
    other = AgendaItemFactory(meeting=spring_2022, title="Övrigt")

    corpus = Corpus(
        tn_approve=DecisionFactory(item=tn_item, text="att godkänna förlängningen av avtalet."),
        tn_file=DecisionFactory(item=tn_item, text="Läggs till handlingarna.", is_formal=False),
        ocr=DecisionFactory(item=agenda, text="att godkanna dagordningen."),
        kvinnofrid=DecisionFactory(
            item=reports, text="att lägga rapporten om kvinnofridsarbetet till handlingarna."
        ),
        plats=DecisionFactory(item=premises, text="att en plats reserveras för Mora kommun."),
        platser=DecisionFactory(item=short_stay, text="att utöka antalet platser till fyra."),
        styr=DecisionFactory(item=follow_up, text="att ge Styrgruppen i uppdrag att återkomma."),
        budget_a=DecisionFactory(item=economy, text="att notera informationen."),
        budget_b=DecisionFactory(item=economy, text="att återkomma i frågan."),
        script=DecisionFactory(
            item=other, text="att <script>alert('x')</script> & <b>fet stil</b> undviks i protokollet."
        ),
    )
    AssignmentFactory(item=follow_up, decision=corpus.styr, task="utreda samverkansformerna med regionen")
    AssignmentFactory(item=economy, decision=None, task="ta fram en budget för 2022")
    return corpus


def found(query: str, **kwargs: object) -> set[int]:
    return {d.pk for d in search_decisions(query, **kwargs)}


def pks(*decisions: Decision) -> set[int]:
    return {d.pk for d in decisions}


class TestMatching:
    def test_without_diacritics_finds_with(self, corpus: Corpus) -> None:
        assert found("godkanna") == pks(corpus.tn_approve, corpus.ocr)

    def test_with_diacritics_finds_ocr_text_without(self, corpus: Corpus) -> None:
        assert found("godkänna") == pks(corpus.tn_approve, corpus.ocr)
        assert found("GODKÄNNA") == pks(corpus.tn_approve, corpus.ocr)

    def test_singular_finds_plural(self, corpus: Corpus) -> None:
        assert found("tillnyktringsplats") == pks(corpus.tn_approve, corpus.tn_file)

    def test_hyphenated_abbreviation(self, corpus: Corpus) -> None:
        assert found("TN-platser") == pks(corpus.tn_approve, corpus.tn_file)

    def test_first_part_of_a_compound(self, corpus: Corpus) -> None:
        assert found("kvinnofrid") == pks(corpus.kvinnofrid)

    def test_platser_finds_plats_and_plats_finds_platser(self, corpus: Corpus) -> None:
        # The Swedish stemmer keeps them apart (plats → plat, platser → plats).
        assert pks(corpus.plats, corpus.platser) <= found("platser")
        assert pks(corpus.plats, corpus.platser) <= found("plats")

    def test_misspelling(self, corpus: Corpus) -> None:
        assert found("tilnyktring") == pks(corpus.tn_approve, corpus.tn_file)
        assert found("tilnyktringsplatser") == pks(corpus.tn_approve, corpus.tn_file)

    def test_nonsense_finds_nothing(self, corpus: Corpus) -> None:
        assert found("xyzzyqwv") == set()
        assert found("flurbigaskt") == set()

    def test_item_title_hit_returns_the_items_decisions(self, corpus: Corpus) -> None:
        assert found("förlängning avtal") == pks(corpus.tn_approve, corpus.tn_file)
        assert found("dagordning") == pks(corpus.ocr)

    def test_assignment_task_hit_returns_its_decision(self, corpus: Corpus) -> None:
        assert found("samverkansformerna") == pks(corpus.styr)

    def test_task_of_an_assignment_without_decision_returns_the_items_decisions(self, corpus: Corpus) -> None:
        assert found("budget") == pks(corpus.budget_a, corpus.budget_b)

    def test_terms_are_anded(self, corpus: Corpus) -> None:
        assert found("Styrgruppen uppdrag") == pks(corpus.styr)
        assert found("Styrgruppen kvinnofrid") == set()

    def test_or_between_words(self, corpus: Corpus) -> None:
        expected = pks(corpus.kvinnofrid, corpus.styr)
        assert found("kvinnofrid OR samverkansformerna") == expected
        assert found("kvinnofrid eller samverkansformerna") == expected
        assert found("Styrgruppen uppdrag or kvinnofrid") == expected
        assert found("or kvinnofrid OR") == pks(corpus.kvinnofrid)
        assert found("handlingarna OR dagordningen -rapporten") == pks(corpus.tn_file, corpus.ocr)

    def test_minus_excludes(self, corpus: Corpus) -> None:
        assert found("handlingarna") == pks(corpus.tn_file, corpus.kvinnofrid)
        assert found("handlingarna -kvinnofrid") == pks(corpus.tn_file)

    def test_inline_and_formal_decisions(self, corpus: Corpus) -> None:
        results = list(search_decisions("handlingarna"))
        assert {d.is_formal for d in results} == {True, False}

    def test_queryset_filters_apply(self, corpus: Corpus) -> None:
        corpus.tn_file.item.meeting.is_published = False
        corpus.tn_file.item.meeting.save()
        assert found("tillnyktringsplatser", queryset=Decision.objects.published()) == set()
        assert found("handlingarna", queryset=Decision.objects.published()) == pks(corpus.kvinnofrid)
        assert found("handlingarna", queryset=Decision.objects.inline()) == pks(corpus.tn_file)


class TestRankingAndHeadline:
    def test_annotations(self, corpus: Corpus) -> None:
        (decision,) = search_decisions("kvinnofrid")
        assert isinstance(decision.search_rank, float)
        assert decision.search_rank > 0
        assert isinstance(decision.search_headline, SafeString)
        assert "<mark>kvinnofridsarbetet</mark>" in decision.search_headline

    def test_more_hits_rank_first_then_newest_meeting(self) -> None:
        old = MeetingFactory(date=datetime.date(2019, 1, 10))
        new = MeetingFactory(date=datetime.date(2023, 1, 10))
        twice = DecisionFactory(
            item=AgendaItemFactory(meeting=old, title="Samverkan"),
            text="att samverkan ska öka och att samverkan följs upp.",
        )
        once_old = DecisionFactory(
            item=AgendaItemFactory(meeting=old, title="Ekonomi"), text="att samverkan ökar."
        )
        once_new = DecisionFactory(
            item=AgendaItemFactory(meeting=new, title="Ekonomi"), text="att samverkan ökar."
        )

        results = list(search_decisions("samverkan"))

        assert [d.pk for d in results] == [twice.pk, once_new.pk, once_old.pk]
        assert results[0].search_rank > results[1].search_rank == results[2].search_rank

    def test_headline_escapes_html_in_the_decision_text(self, corpus: Corpus) -> None:
        (decision,) = search_decisions("protokollet")
        headline = decision.search_headline
        assert "<script" not in headline
        assert "&lt;script&gt;" in headline
        assert "&lt;b&gt;" in headline
        assert "&amp;" in headline
        assert "<mark>protokollet</mark>" in headline
        assert headline.replace("<mark>", "").replace("</mark>", "").count("<") == 0

    def test_script_tag_as_query(self, corpus: Corpus) -> None:
        for decision in search_decisions("<script>alert('x')</script>"):
            assert "<script" not in decision.search_headline

    def test_highlight_helper(self) -> None:
        html = highlight("Godkännande av <b>avtal</b> om TN-platser", "godkänna tn-platser")
        assert html == "<mark>Godkännande</mark> av &lt;b&gt;avtal&lt;/b&gt; om <mark>TN-platser</mark>"
        assert isinstance(html, SafeString)
        assert highlight("Plats för <i>", "") == "Plats för &lt;i&gt;"
        assert highlight("", "plats") == ""

    def test_highlight_marks_misspelt_and_compound_hits(self) -> None:
        html = highlight("Avtal om tillnyktringsplatser och kvinnofridsarbetet", "tilnyktring kvinnofrid")
        assert html == "Avtal om <mark>tillnyktringsplatser</mark> och <mark>kvinnofridsarbetet</mark>"

    def test_long_text_headline_is_a_window_around_the_hit(self) -> None:
        filler = " ".join(f"ord{i}" for i in range(200))
        DecisionFactory(text=f"{filler} tillnyktringsplatser {filler}")
        (decision,) = search_decisions("tillnyktringsplatser")
        assert "<mark>tillnyktringsplatser</mark>" in decision.search_headline
        assert len(decision.search_headline.split()) < 80


ODD_QUERIES = [
    '"',
    "'",
    "''",
    '""',
    "&|!:*()",
    "a & b | !c <-> d",
    ":*",
    "godkänna:*",
    "(((",
    "\\",
    "%",
    "_",
    "-",
    "--",
    "- -",
    "'; DROP TABLE decisions_decision; --",
    "1' OR '1'='1",
    "x\x00y",
    "\x00",
    "godkänna\x00",
    "\x1b[31m",
    "<script>",
    "🙂",
    "\u200b",
    "e\u0301",
    "ä" * 5000,
    "ord " * 1300,
    " ".join(f"ord{i}" for i in range(1000)),
    "tillnyktring'\"",
    "samverk*",
    "OR NOT AND",
    "OR",
    "or or or",
    "- OR -",
    "&amp;",
    '"nära vård"',
    "-godkänna",
]


class TestOddInput:
    @pytest.mark.parametrize("query", ODD_QUERIES)
    def test_never_raises(self, corpus: Corpus, query: str) -> None:
        results = list(search_decisions(query))
        for decision in results:
            assert "<script" not in getattr(decision, "search_headline", "")
        assert search_count(query) >= 0
        highlight("att <b>godkänna</b>", query)

    def test_injection_like_input_is_just_text(self, corpus: Corpus) -> None:
        assert found("'; DROP TABLE decisions_decision; --") == set()
        assert Decision.objects.count() == 10

    @pytest.mark.parametrize("query", ["", "   ", "\n\t", "&|!", "\x00"])
    def test_empty_query_returns_the_queryset_unchanged(self, corpus: Corpus, query: str) -> None:
        queryset = Decision.objects.published()
        assert search_decisions(query, queryset) is queryset
        assert len(search_decisions(query)) == 10
        assert search_count(query, queryset) == 10

    def test_empty_querysets(self, corpus: Corpus) -> None:
        assert found("handlingarna", queryset=Decision.objects.none()) == set()
        assert found("handlingarna", queryset=Decision.objects.filter(pk__in=[])) == set()
        assert search_count("handlingarna", Decision.objects.filter(pk__in=[])) == 0

    def test_stop_words_only_find_nothing(self, corpus: Corpus) -> None:
        assert found("och att") == set()
        assert search_count("och") == 0

    def test_nul_bytes_separate_words(self, corpus: Corpus) -> None:
        assert found("kvinnofrid\x00") == pks(corpus.kvinnofrid)
        assert found("kvinnofrid\x00handlingarna") == pks(corpus.kvinnofrid)
        assert found("kvinnofrid\x00avtalet") == set()


class TestCountAndCandidates:
    def test_search_count_caps(self, corpus: Corpus) -> None:
        count = search_count("handlingarna")
        assert count == 2
        assert isinstance(count, CappedCount)
        assert not count.more
        capped = search_count("handlingarna", cap=1)
        assert capped == 1
        assert capped.more

    def test_search_count_respects_the_queryset(self, corpus: Corpus) -> None:
        assert search_count("handlingarna", Decision.objects.inline()) == 1

    def test_only_the_newest_candidates_are_ranked(self, corpus: Corpus) -> None:
        # Without a bound both match; with a bound of 1 only the newer row (higher id) is kept.
        assert found("handlingarna", candidates=None) == pks(corpus.tn_file, corpus.kvinnofrid)
        assert found("handlingarna", candidates=1) == pks(corpus.kvinnofrid)

    def test_constant_number_of_queries(self) -> None:
        def queries_for(term: str, decisions: int) -> int:
            DecisionFactory.create_batch(decisions, text=f"att {term} enligt förslaget.")
            with CaptureQueriesContext(connection) as context:
                results = list(search_decisions(term))
                networks = {d.item.meeting.network.name for d in results}
            assert len(results) == decisions
            assert len(networks) == decisions
            return len(context.captured_queries)

        few = queries_for("bordlägga", 5)
        many = queries_for("fastställa", 50)
        assert few == many
        assert many <= 2  # PostgreSQL: similar words + the search; SQLite: the search


class TestSearchDocument:
    def test_contents(self, corpus: Corpus) -> None:
        corpus.styr.refresh_from_db()
        assert corpus.styr.search_text == (
            "att ge styrgruppen i uppdrag att aterkomma.\nuppfoljning\nutreda samverkansformerna med regionen"
        )

    def test_decision_text_change(self, corpus: Corpus) -> None:
        corpus.plats.text = "att en lokal hyrs i Mora."
        corpus.plats.save(update_fields=["text"])
        assert corpus.plats.pk in found("lokal")
        assert corpus.plats.pk not in found("plats")

    def test_other_field_changes_leave_the_document_alone(self, corpus: Corpus) -> None:
        corpus.plats.kind = Decision.Kind.APPROVE
        corpus.plats.save(update_fields=["kind"])
        assert corpus.plats.pk in found("plats")

    def test_item_title_change(self, corpus: Corpus) -> None:
        item = corpus.plats.item
        item.title = "Hyresavtal"
        item.save()
        assert found("hyresavtal") == pks(corpus.plats)
        assert found("lokalfrågor") == set()

    def test_assignment_added_changed_moved_deleted(self, corpus: Corpus) -> None:
        item = corpus.budget_a.item
        assignment = AssignmentFactory(item=item, decision=corpus.budget_a, task="kartlägga väntetiderna")
        assert found("väntetiderna") == pks(corpus.budget_a)

        assignment.task = "kartlägga kötiderna"
        assignment.save(update_fields=["task"])
        assert found("väntetiderna") == set()
        assert found("kötiderna") == pks(corpus.budget_a)

        assignment.decision = corpus.budget_b
        assignment.save()
        assert found("kötiderna") == pks(corpus.budget_b)

        assignment.item = corpus.styr.item
        assignment.decision = None
        assignment.save()
        assert found("kötiderna") == pks(corpus.styr)

        assignment.delete()
        assert found("kötiderna") == set()

    def test_deleted_decision_hands_its_assignments_to_the_item(self, corpus: Corpus) -> None:
        item = corpus.tn_approve.item
        AssignmentFactory(item=item, decision=corpus.tn_approve, task="följa upp beläggningen")
        assert found("beläggningen") == pks(corpus.tn_approve)

        corpus.tn_approve.delete()

        assert Assignment.objects.get(task="följa upp beläggningen").decision is None
        assert found("beläggningen") == pks(corpus.tn_file)

    def test_deleting_a_meeting_cascades_quietly(self, corpus: Corpus) -> None:
        corpus.styr.item.meeting.delete()
        assert found("samverkansformerna") == set()
        assert found("tillnyktringsplatser") == pks(corpus.tn_approve, corpus.tn_file)

    def test_bulk_writes_need_an_explicit_refresh(self, corpus: Corpus) -> None:
        item = AgendaItemFactory(title="Bulkimport")
        Decision.objects.bulk_create([Decision(item=item, text="att anta riktlinjerna.", order=1)])
        assert found("riktlinjerna") == set()

        search_documents_refresh(item_ids=[item.pk])
        assert len(found("riktlinjerna")) == 1

        Decision.objects.filter(item=item).update(text="att anta handlingsplanen.")
        search_documents_refresh()
        search_documents_refresh()  # twice in one transaction, and nothing to change the second time
        assert len(found("handlingsplanen")) == 1
        assert found("riktlinjerna") == set()

    def test_refresh_with_nothing_to_do(self, corpus: Corpus) -> None:
        search_documents_refresh(decision_ids=[], item_ids=[])
        search_documents_refresh(decision_ids=[corpus.plats.pk])
        assert corpus.plats.pk in found("plats")


class TestHelpers:
    def test_fold(self) -> None:
        assert fold("Godkänna ÅÄÖ Crème Ærø Straße") == "godkanna aao creme aero strasse"

    def test_word_similarity_is_pg_trgms(self) -> None:
        # The values PostgreSQL's word_similarity() gives for the same pairs.
        assert word_similarity("tilnyktring", "beslut om tillnyktringsplatser") == pytest.approx(
            0.714, abs=0.001
        )
        assert word_similarity("platser", "en plats") == pytest.approx(0.625, abs=0.001)
        assert word_similarity("word", "two words") == pytest.approx(0.8, abs=0.001)
        assert word_similarity("xyz", "") == 0.0


@pytest.mark.postgres
class TestPostgres:
    def test_sv_configuration_and_extensions_exist(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT extname FROM pg_extension WHERE extname IN ('unaccent', 'pg_trgm')")
            assert {row[0] for row in cursor.fetchall()} == {"unaccent", "pg_trgm"}
            cursor.execute("SELECT to_tsvector('sv', 'Godkänna tillnyktringsplatserna')::text")
            assert cursor.fetchone()[0] == "'godkan':1 'tillnyktringsplats':2"
            cursor.execute(
                "SELECT d.dictname FROM pg_ts_config_map m "
                "JOIN pg_ts_config c ON c.oid = m.mapcfg JOIN pg_ts_dict d ON d.oid = m.mapdict "
                "JOIN ts_token_type('default') t ON t.tokid = m.maptokentype "
                "WHERE c.cfgname = 'sv' AND t.alias = 'word' ORDER BY m.mapseqno"
            )
            assert [row[0] for row in cursor.fetchall()] == ["unaccent", "swedish_stem"]

    def test_migration_is_reversible(self) -> None:
        # PostgreSQL's DDL is transactional: the test's transaction undoes all of this.
        executor = MigrationExecutor(connection)
        leaves = executor.loader.graph.leaf_nodes()

        executor.migrate([("decisions", "0001_initial")])
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_ts_config WHERE cfgname = 'sv'")
            assert cursor.fetchone()[0] == 0
            cursor.execute("SELECT to_regclass('decisions_searchword')")
            assert cursor.fetchone()[0] is None

        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_ts_config WHERE cfgname = 'sv'")
            assert cursor.fetchone()[0] == 1

    def test_gin_index_is_used(self) -> None:
        item = AgendaItemFactory(title="Ekonomi")
        words = ["budget", "uppföljning", "rapport", "samverkan", "avtal", "handlingarna"]
        Decision.objects.bulk_create(
            Decision(item=item, order=n, text=f"att {words[n % 6]} {words[(n * 7) % 6]} nummer {n}.")
            for n in range(3000)
        )
        DecisionFactory(item=item, text="att utreda tillnyktringsplatserna.")
        search_documents_refresh(item_ids=[item.pk])
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE decisions_decision")
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = search_decisions("tillnyktringsplatser").explain()
        assert "Bitmap Index Scan on decisions_decision_search_vector_gin" in plan

    def test_similar_words_come_from_the_vocabulary(self, corpus: Corpus) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT word FROM decisions_searchword WHERE word LIKE 'tillnyktring%'")
            assert {row[0] for row in cursor.fetchall()} == {"tillnyktringsplatser"}
            cursor.execute("SELECT word FROM decisions_searchword WHERE word %> 'tilnyktring'")
            assert {row[0] for row in cursor.fetchall()} == {"tillnyktringsplatser"}
            # A few words only: make scanning them all as costly as it is with a real vocabulary.
            for setting in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
                cursor.execute(f"SET LOCAL {setting} = off")
            cursor.execute("SET LOCAL cpu_operator_cost = 1")
            cursor.execute("EXPLAIN SELECT word FROM decisions_searchword WHERE word %> 'tilnyktring'")
            assert "decisions_searchword_trgm" in "\n".join(row[0] for row in cursor.fetchall())
