"""Search in decisions: what chiefs type ("tillnyktringsplatser", "godkanna", "kvinnofrid") → decisions.

Public API: :func:`search_decisions` (a QuerySet, ranked, with safe headlines),
:func:`search_count` (capped count), :func:`highlight` (for item titles and the like) and
:func:`search_documents_refresh` (for writers that bypass signals).

Each decision carries a stored search document (``Decision.search_text`` and, on PostgreSQL,
``Decision.search_vector``) made of its own text (weight A), its agenda item's title (B) and
the tasks of its assignments (C) — an assignment without a decision belongs to every decision
of its item. ``decisions.signals`` keeps the document current.

Matching, per query term (terms are AND-ed; ``-term`` excludes):

* PostgreSQL: the text search configuration ``sv`` (unaccent, then the Swedish stemmer; see
  migration 0002) over ``search_vector`` (GIN index). Before searching, one query reads the
  vocabulary (``decisions_searchword``: every word of every ``search_text``, with a pg_trgm
  GIN index) for the words that start with the term's crudely de-inflected root and the words
  similar to it (``word_similarity``, the ``%>`` operator). So "godkanna" finds "godkänna",
  "kvinnofrid" finds "kvinnofridsarbetet", "platser" finds "plats" (which the Swedish stemmer
  keeps apart: plats → plat, platser → plats) and "tillnyktringsplatser", and the misspelling
  "tilnyktring" finds "tillnyktringsplatser". Trigram similarity runs on the vocabulary
  rather than on each decision's text: at 100,000 decisions ``search_text %> 'tilnyktring'``
  already took 0.4 s (1.9 s for "handlingarna"), the vocabulary lookup takes ~2 ms.
* SQLite: substring match of the folded root on the folded ``search_text``, or the same
  word-similarity measure computed in Python (functions registered on each connection).

Ranking and cost: ranking every match of a broad term ("handlingarna": a third of a million
rows at 1M decisions) costs ~0.5 s. So :func:`search_decisions` takes a *bounded candidate
set* — the newest ``candidates`` matches (highest id; see :func:`_newest`) — and ranks only
those. The trade-off: for a term with more matches than that, older matches are not
returned at all; :func:`search_count` tells the UI how many there are (capped) so that it
can ask for a narrower query or a filter (network, period), which applies *before* the cut.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import ExpressionWrapper, F, FloatField, Func, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.safestring import SafeString, mark_safe

from .models import Decision

__all__ = [
    "CANDIDATES",
    "CappedCount",
    "fold",
    "highlight",
    "register_sqlite_functions",
    "search_count",
    "search_decisions",
    "search_documents_refresh",
]

#: How many of the newest matches are ranked (see the module docstring for the trade-off).
CANDIDATES = 300
#: A query is cut to this many terms (and excluded terms), each to this many characters.
MAX_TERMS = 8
MAX_TERM_LENGTH = 60
#: Terms at least this long (folded, one word) also match similar words (trigram word similarity).
FUZZY_MIN_LENGTH = 6
#: pg_trgm's default ``word_similarity_threshold``; the Python twin uses the same value.
FUZZY_THRESHOLD = 0.6

# Swedish plural/definite endings stripped from terms longer than 5 characters (at most twice:
# "handlingarna" → "handlingar" → "handling").
_ENDINGS = ("er", "ar", "or", "na", "en", "et")
# PostgreSQL's Swedish stop words (tsearch_data/swedish.stop): dropped on both backends, so a
# query means the same everywhere.
_STOP_WORDS_TEXT = """och det att i en jag hon som han på den med var sig för så till är men ett om hade de av
    icke mig du henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde något
    från ut när efter upp vi dem vara vad över än dig kan sina här ha mot alla under någon eller
    allt mycket sedan ju denna själv detta åt utan varit hur ingen mitt ni bli blev oss din dessa
    några deras blir mina samma vilken er sådan vår blivit dess inom mellan sådant varför varje
    vilka ditt vem vilket sitta sådana vart dina vars vårt våra ert era vilkas"""
_STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
# Between words, these make an OR (like websearch_to_tsquery's "or").
_OR_WORDS = frozenset({"or", "eller"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# Characters beyond what NFKD takes apart, folded the way PostgreSQL's unaccent does.
_FOLD_EXTRA = str.maketrans(
    {"æ": "ae", "ø": "o", "ß": "ss", "œ": "oe", "ð": "d", "þ": "th", "ł": "l", "đ": "d"}
)

# Headline placeholders: ts_headline (and the SQLite twin) mark hits with START/STOP and see
# "<"/">" as LT/GT, so that nothing in the decision text is taken for a tag; the text is
# HTML-escaped in Python afterwards and the placeholders become <mark>, </mark>, &lt;, &gt;.
_START, _STOP, _LT, _GT = "\x02", "\x03", "\x04", "\x05"
_PLACEHOLDERS = _START + _STOP + _LT + _GT
_HEADLINE_WORDS = 35


def fold(text: str) -> str:
    """Lower-case without diacritics ("Godkänna" → "godkanna"), like PostgreSQL's unaccent + lower."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_FOLD_EXTRA))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _root(term: str) -> str:
    """Crude Swedish de-inflection: strip a plural/definite ending (twice at most) from long terms."""
    for _ in range(2):
        if len(term) <= 5 or not term.endswith(_ENDINGS):
            break
        term = term[:-2]
    return term


@dataclass(frozen=True, slots=True)
class _Term:
    word: str  # as typed, lower-case ("tn-platser", "godkänna")
    folded: str  # "godkanna"
    root: str  # folded, de-inflected: "godkan"

    @property
    def fuzzy(self) -> bool:
        return len(self.folded) >= FUZZY_MIN_LENGTH and "-" not in self.folded


@dataclass(frozen=True, slots=True)
class _Query:
    text: str  # the cleaned query string
    groups: tuple[tuple[_Term, ...], ...]  # "a b OR c" → ((a, b), (c,)): OR of ANDs
    excluded: tuple[_Term, ...]
    only_stop_words: bool

    @property
    def terms(self) -> tuple[_Term, ...]:
        """Every term once, whatever its group."""
        unique = {term.folded: term for group in self.groups for term in group}
        return tuple(unique.values())


def _term(word: str) -> _Term:
    word = word.lower()[:MAX_TERM_LENGTH]
    folded = fold(word)
    return _Term(word=word, folded=folded, root=_root(folded))


@lru_cache(maxsize=256)
def _parse(query: str) -> _Query:
    """Words of the query: AND-ed, "OR"/"eller" between them, "-word" excludes.

    Everything else (quotes, operators, NUL bytes, …) only separates words.
    """
    text = " ".join(_CONTROL.sub(" ", query[: MAX_TERMS * (MAX_TERM_LENGTH + 2) * 4]).split())
    groups: list[dict[str, _Term]] = [{}]
    excluded: dict[str, _Term] = {}
    saw_stop_word = False
    for chunk in text.split(" "):
        if chunk.lower() in _OR_WORDS:
            if groups[-1]:
                groups.append({})
            continue
        negated = chunk.startswith("-")
        for word in _WORD.findall(chunk):
            if word.lower() in _STOP_WORDS:
                saw_stop_word = True
                continue
            term = _term(word)
            if negated and len(excluded) < MAX_TERMS // 2:
                excluded.setdefault(term.folded, term)
            elif not negated and sum(map(len, groups)) < MAX_TERMS:
                groups[-1].setdefault(term.folded, term)
    kept = tuple(tuple(group.values()) for group in groups if group)
    return _Query(
        text=text, groups=kept, excluded=tuple(excluded.values()), only_stop_words=saw_stop_word and not kept
    )


# --- highlighting ------------------------------------------------------------


def _trigrams(word: str) -> list[str]:
    padded = f"  {word} "
    return [padded[i : i + 3] for i in range(len(padded) - 2)]


def word_similarity(term: str, text: str) -> float:
    """pg_trgm's ``word_similarity(term, text)`` for one-word terms, on folded strings.

    The best |T(term) ∩ E| / |T(term) ∪ E| over every contiguous run E of one word's trigrams
    (PostgreSQL also lets a run cross word boundaries; for a one-word term that rarely matters).
    """
    wanted = set(_trigrams(term))
    if not wanted:
        return 0.0
    best = 0.0
    for word in set(re.findall(r"[^\W_]+", text)):
        sequence = _trigrams(word)
        if len(wanted.intersection(sequence)) / len(wanted) <= best:
            continue  # the intersection bounds every run's similarity from above
        for start in range(len(sequence)):
            run: set[str] = set()
            common = 0
            for trigram in sequence[start:]:
                if trigram not in run:
                    run.add(trigram)
                    common += trigram in wanted
                best = max(best, common / (len(wanted) + len(run) - common))
    return best


def _mark(text: str, query: _Query) -> str:
    """Text (a window of it when long) with hits between the START/STOP placeholders, unescaped."""
    text = text.translate({ord(c): None for c in _PLACEHOLDERS})
    pieces = re.split(r"([^\W_]+(?:-[^\W_]+)*)", text)  # odd indexes are words
    hits: list[int] = []
    for index in range(1, len(pieces), 2):
        folded = fold(pieces[index])
        for term in query.terms:
            if term.root in folded or (
                term.fuzzy and len(folded) >= 3 and word_similarity(term.folded, folded) >= FUZZY_THRESHOLD
            ):
                pieces[index] = f"{_START}{pieces[index]}{_STOP}"
                hits.append(index)
                break
    words = len(pieces) // 2
    if words > _HEADLINE_WORDS:
        first = hits[0] if hits else 1
        start = max(1, first - 2 * (_HEADLINE_WORDS // 3))
        end = min(len(pieces), start + 2 * _HEADLINE_WORDS - 1)
        pieces = pieces[start:end]
    return "".join(pieces).strip()


def _to_html(marked: str) -> SafeString:
    escaped = html.escape(marked, quote=True)
    for placeholder, markup in ((_START, "<mark>"), (_STOP, "</mark>"), (_LT, "&lt;"), (_GT, "&gt;")):
        escaped = escaped.replace(placeholder, markup)
    return mark_safe(escaped)  # all but our own <mark> is escaped above


def highlight(text: str, query: str) -> SafeString:
    """``text`` HTML-escaped, with the words that match ``query`` wrapped in ``<mark>…</mark>``.

    Long texts are cut to a window of about 35 words around the first hit. Use it for item
    titles and other strings shown beside a search result.
    """
    if not text:
        return mark_safe("")
    return _to_html(_mark(text, _parse(query or "")))


class _HeadlineField(TextField):
    """Output field of the headline annotation: turns the placeholder form into safe HTML."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> SafeString | None:
        if value is None:
            return None
        return _to_html(value)


# --- SQLite twins of the PostgreSQL functions -----------------------------------


def _sqlite_similarity(text: str | None, term: str | None) -> float:
    if not text or not term:
        return 0.0
    return word_similarity(term, text)


def _sqlite_mark(text: str | None, query: str | None) -> str:
    return _mark(text or "", _parse(query or ""))


def _sqlite_rank(search_text: str | None, query: str | None) -> float:
    if not search_text:
        return 0.0
    rank = 0.0
    for term in _parse(query or "").terms:
        hits = search_text.count(term.root)
        rank += hits if hits else (word_similarity(term.folded, search_text) if term.fuzzy else 0.0)
    return rank


def register_sqlite_functions(connection: Any) -> None:
    """Register the search functions on a SQLite connection (``connection_created`` calls this)."""
    if connection.vendor != "sqlite" or connection.connection is None:
        return
    raw = connection.connection
    raw.create_function("beslut_similarity", 2, _sqlite_similarity, deterministic=True)
    raw.create_function("beslut_mark", 2, _sqlite_mark, deterministic=True)
    raw.create_function("beslut_rank", 2, _sqlite_rank, deterministic=True)


# --- search ------------------------------------------------------------------

# One round trip before a search on PostgreSQL: the highest decision id (for the candidate
# windows) and words from the vocabulary (decisions_searchword: every word of every
# search_text) — those that start with a term's root ("godkan" → godkanna, godkannande,
# godkanner, …) and those similar to it, best first ("tilnyktring" → tillnyktringsplatser, …;
# "platser" → tillnyktringsplatser). The search then looks up exact lexemes, which the GIN
# index answers quickly and the planner estimates well, instead of prefixes.
_PREPARE_SQL = """
SELECT 'max', NULL, NULL, (SELECT max(id) FROM decisions_decision)
UNION ALL
SELECT 'prefix', t.root, w.word, NULL
FROM unnest(%s::text[]) AS t(root)
CROSS JOIN LATERAL (
    SELECT v.word FROM decisions_searchword AS v
    WHERE v.word LIKE t.root || '%%'
    ORDER BY length(v.word), v.word
    LIMIT %s
) AS w
UNION ALL
SELECT 'similar', t.term, w.word, NULL
FROM unnest(%s::text[]) AS t(term)
CROSS JOIN LATERAL (
    SELECT v.word FROM decisions_searchword AS v
    WHERE v.word %%> t.term
    ORDER BY word_similarity(t.term, v.word) DESC, length(v.word), v.word
    LIMIT %s
) AS w
"""
#: At most this many words starting with a term are looked up; beyond that a prefix search.
PREFIX_WORDS = 32
#: At most this many similar words are added per query term.
SIMILAR_WORDS = 12
_SAFE_WORD = re.compile(r"^[^\W_]+(?:-[^\W_]+)*$")
# Candidate windows: the newest 10,000 ids, the 40,000 before them, then 200,000, … (x5).
_FIRST_WINDOW = 10_000
_WINDOW_GROWTH = 5

_Window = tuple[int | None, int | None]  # (low, high]: ids above low, up to high


@dataclass(frozen=True, slots=True)
class _Search:
    """One query, prepared for one database: the WHERE condition, rank, headline and id windows."""

    condition: Q
    rank: Any
    headline: Any
    windows: tuple[_Window, ...] = ((None, None),)


def _windows(max_id: int | None) -> tuple[_Window, ...]:
    """Id ranges from the newest down: (max-10k, ∞), (max-50k, max-10k], …, (−∞, lowest bound]."""
    windows: list[_Window] = []
    high, size = None, _FIRST_WINDOW
    while max_id is not None and max_id - size > 0:
        windows.append((max_id - size, high))
        high, size = max_id - size, size * _WINDOW_GROWTH
    windows.append((None, high))
    return tuple(windows)


def _newest(matching: QuerySet[Decision], search: _Search, limit: int) -> RawSQL:
    """Ids of the newest ``limit`` matches, found window by window.

    One query: ``(window 1 … LIMIT n) UNION ALL (window 2 … LIMIT n) … LIMIT n``. PostgreSQL
    runs the parts in order and stops as soon as it has ``n`` rows, so a broad term is done
    within the newest ids, while a rare term goes on through every window, each cheap through
    the GIN index. Each part has constant bounds, so the planner picks a plan per window (walk
    the primary key backwards, or a bitmap from the GIN index) from real row estimates —
    the single unbounded query it replaces was at the mercy of the estimate for the whole
    table, which is far off for phrases ("TN-platser": 400 estimated, 37,000 real). The
    parts meet in a plain Append (a part may run in parallel inside, behind its own LIMIT), so
    they come out newest window first. The matching query is compiled once and wrapped per
    window (PostgreSQL pushes the bounds into it).
    """
    base = matching.order_by().annotate(search_id=F("pk")).values("search_id")
    sql, params = base.query.get_compiler(using=matching.db).as_sql()
    if len(search.windows) == 1:
        return RawSQL(
            f"SELECT w.search_id FROM ({sql}) AS w ORDER BY w.search_id DESC LIMIT %s", (*params, limit)
        )
    parts, all_params = [], []
    for low, high in search.windows:
        bounds, bound_params = [], []
        if low is not None:
            bounds.append("w.search_id > %s")
            bound_params.append(low)
        if high is not None:
            bounds.append("w.search_id <= %s")
            bound_params.append(high)
        where = f"WHERE {' AND '.join(bounds)}" if bounds else ""
        parts.append(f"(SELECT w.search_id FROM ({sql}) AS w {where} ORDER BY w.search_id DESC LIMIT %s)")
        all_params += [*params, *bound_params, limit]
    return RawSQL(f"{' UNION ALL '.join(parts)} LIMIT %s", (*all_params, limit))


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    max_id: int | None
    prefixed: dict[str, list[str]]  # root → words starting with it (PREFIX_WORDS + 1 at most)
    similar: dict[str, list[str]]  # folded term → similar words


def _postgres_prepare(query: _Query, connection: Any) -> _Vocabulary:
    roots = sorted({t.root for t in query.terms if "-" not in t.root})
    fuzzy = sorted({t.folded for t in query.terms if t.fuzzy})
    with connection.cursor() as cursor:
        cursor.execute(_PREPARE_SQL, [roots, PREFIX_WORDS + 1, fuzzy, SIMILAR_WORDS])
        rows = cursor.fetchall()
    vocabulary = _Vocabulary(max_id=None, prefixed={}, similar={})
    for kind, key, word, highest in rows:
        if kind == "max":
            vocabulary = _Vocabulary(highest, vocabulary.prefixed, vocabulary.similar)
        elif _SAFE_WORD.match(word):
            (vocabulary.prefixed if kind == "prefix" else vocabulary.similar).setdefault(key, []).append(word)
    return vocabulary


def _tsquery(query: _Query, vocabulary: _Vocabulary) -> SearchQuery:
    """``('godkänna' | 'godkanna' | 'godkannande' | …) & ('tn-platser':* | 'tn-plats':*) & !'budget':*``.

    Per term, in the ``sv`` configuration (so each word is stemmed): the term as typed, the
    vocabulary's words that start with its root and its similar words. A prefix (``:*``)
    only where the vocabulary cannot help: hyphenated terms, and roots with more than
    PREFIX_WORDS words. Terms and vocabulary words hold only letters, digits and inner
    hyphens (checked again on the way in), so the quoting cannot be broken out of.
    """

    def alternatives(term: _Term) -> str:
        if "-" in term.root:
            words = [f"'{term.word}':*", f"'{term.root}':*"]
        else:
            prefixed = vocabulary.prefixed.get(term.root, [])
            words = [f"'{term.word}'"]
            words += [f"'{word}'" for word in prefixed[:PREFIX_WORDS]]
            if len(prefixed) > PREFIX_WORDS:
                words.append(f"'{term.root}':*")
            words += [f"'{word}'" for word in vocabulary.similar.get(term.folded, [])]
        return f"({' | '.join(dict.fromkeys(words))})"

    groups = [" & ".join(alternatives(term) for term in group) for group in query.groups]
    parts = [f"({' | '.join(f'({group})' for group in groups)})"]
    parts += [f"!'{term.word}':*" for term in query.excluded]
    return SearchQuery(" & ".join(parts), search_type="raw", config="sv")


def _postgres_search(query: _Query, connection: Any) -> _Search:
    vocabulary = _postgres_prepare(query, connection)
    tsquery = _tsquery(query, vocabulary)
    # Exact (stemmed) hits and phrases count twice: once in the broad query, once here.
    exact = SearchQuery(query.text, search_type="websearch", config="sv")
    document = Func(F("text"), Value("<>" + _PLACEHOLDERS), Value(_LT + _GT), function="translate")
    return _Search(
        condition=Q(search_vector=tsquery),
        rank=SearchRank(F("search_vector"), tsquery) + SearchRank(F("search_vector"), exact),
        headline=SearchHeadline(
            document,
            tsquery,
            config="sv",
            start_sel=_START,
            stop_sel=_STOP,
            max_words=_HEADLINE_WORDS,
            min_words=15,
        ),
        windows=_windows(vocabulary.max_id),
    )


def _sqlite_search(query: _Query, connection: Any) -> _Search:
    connection.ensure_connection()
    register_sqlite_functions(connection)

    def matches(term: _Term) -> Q:
        found = Q(search_text__contains=term.root)
        if term.fuzzy:
            similarity = Func(
                F("search_text"), Value(term.folded), function="beslut_similarity", output_field=FloatField()
            )
            found |= Q(GreaterThanOrEqual(similarity, FUZZY_THRESHOLD))
        return found

    condition = Q()
    for group in query.groups:
        all_of = Q()
        for term in group:
            all_of &= matches(term)
        condition |= all_of
    for term in query.excluded:
        condition &= ~Q(search_text__contains=term.folded)
    return _Search(
        condition=condition,
        rank=Func(F("search_text"), Value(query.text), function="beslut_rank", output_field=FloatField()),
        headline=Func(F("text"), Value(query.text), function="beslut_mark", output_field=TextField()),
    )


def _prepare(query: _Query, queryset: QuerySet[Decision]) -> _Search:
    connection = connections[queryset.db]
    if connection.vendor == "postgresql":
        return _postgres_search(query, connection)
    return _sqlite_search(query, connection)


def search_decisions(
    query: str, queryset: QuerySet[Decision] | None = None, *, candidates: int | None = CANDIDATES
) -> QuerySet[Decision]:
    """Decisions in ``queryset`` (default: all) whose text, item title or assignment tasks match ``query``.

    Annotated with ``search_rank`` (float, higher is better) and ``search_headline`` (safe
    HTML: the decision text, escaped, hits in ``<mark>``), ordered by rank, then meeting date
    (newest first), with item, meeting and network loaded (``select_related``).

    Bounded ranking: only the newest ``candidates`` matches (highest id) are ranked and
    returned, so a broad term costs about as much as a rare one. For a term with more matches,
    older ones are left out and pagination ends there; :func:`search_count` says how many there
    are, so the UI can ask for a narrower query or a filter (filters on ``queryset`` apply
    before the cut), or offer "older hits": the same call on ``queryset.filter(pk__lt=<lowest
    id shown>)`` ranks the next batch. ``candidates=None`` ranks every match: exact, but slow
    for broad terms on a large archive (about 0.5 s per 300,000 matches).

    An empty query returns ``queryset`` unchanged; a query of stop words only returns nothing.
    Never raises on odd input: quotes, operators, NUL bytes and overlong strings are dropped
    or cut. On PostgreSQL it reads the vocabulary once (for similar words) when called.
    """
    if queryset is None:
        queryset = Decision.objects.all()
    parsed = _parse(query or "")
    if not parsed.terms:
        return queryset.none() if parsed.only_stop_words else queryset

    search = _prepare(parsed, queryset)
    matching = queryset.filter(search.condition)
    if candidates is not None:
        try:
            results = queryset.filter(pk__in=_newest(matching, search, max(1, candidates)))
        except EmptyResultSet:  # e.g. queryset.none() or filter(pk__in=[])
            return queryset.none()
    else:
        results = matching
    return (
        results.annotate(
            search_rank=ExpressionWrapper(search.rank, output_field=FloatField()),
            search_headline=ExpressionWrapper(search.headline, output_field=_HeadlineField()),
        )
        .select_related("item__meeting__network")
        .defer("search_text", "search_vector")
        .order_by("-search_rank", "-item__meeting__date", "item__order", "order", "pk")
    )


class CappedCount(int):
    """A count cut at ``cap``; ``more`` says there were more ("fler än 1000 träffar")."""

    more: bool

    def __new__(cls, value: int, *, more: bool = False) -> CappedCount:
        count = super().__new__(cls, value)
        count.more = more
        return count


def search_count(query: str, queryset: QuerySet[Decision] | None = None, cap: int = 1000) -> CappedCount:
    """How many decisions match, at most ``cap`` (counting stops at cap + 1: cheap for broad terms).

    Returns ``min(count, cap)`` as an int whose ``more`` attribute is true when there are more.
    An empty query counts ``queryset``, a query of stop words only counts nothing.
    """
    if queryset is None:
        queryset = Decision.objects.all()
    parsed = _parse(query or "")
    if parsed.only_stop_words:
        return CappedCount(0)
    if parsed.terms:
        search = _prepare(parsed, queryset)
        try:
            newest = _newest(queryset.filter(search.condition), search, cap + 1)
        except EmptyResultSet:
            return CappedCount(0)
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({newest.sql}) AS found", newest.params)
            found = cursor.fetchone()[0]
    else:
        found = queryset.order_by().values("pk")[: cap + 1].count()
    return CappedCount(min(found, cap), more=found > cap)


# --- keeping the search document current ----------------------------------------

# The document of decision ``d``: its text (weight A), its item's title (``i``, with the title's
# vector precomputed once per item: B) and the tasks of its own (``td``) and of its item's
# decision-less (``ti``) assignments (C). ``search_text`` is the same text folded for SQLite-
# style matching and the vocabulary.
_DOCUMENT_COLUMNS = """
    lower(unaccent('unaccent', concat_ws(E'\\n', d.text, i.title, td.tasks, ti.tasks))) AS search_text,
    setweight(to_tsvector('sv', d.text), 'A') || i.vector
    || setweight(to_tsvector('sv', concat_ws(E'\\n', td.tasks, ti.tasks)), 'C') AS search_vector"""
_TASKS = """string_agg(a.task, E'\\n' ORDER BY a."order", a.id) AS tasks"""
_ITEM_VECTOR = "setweight(to_tsvector('sv', i.title), 'B') AS vector"
# Words worth suggesting as similar words: 4–40 characters, not just digits.
_VOCABULARY_WORDS = "length(w) BETWEEN 4 AND 40 AND w !~ '^[0-9]+$'"

# Some decisions: one statement that computes their documents, writes the rows whose document
# changed and adds the words of those to the vocabulary.
_REFRESH_SOME_PG = f"""
WITH d AS MATERIALIZED (
    SELECT d.id, d.item_id, d.text FROM decisions_decision AS d WHERE {{where}}
), i AS MATERIALIZED (
    SELECT i.id, i.title, {_ITEM_VECTOR}
    FROM minutes_agendaitem AS i WHERE i.id IN (SELECT item_id FROM d)
), td AS (
    SELECT a.decision_id, {_TASKS} FROM decisions_assignment AS a
    WHERE a.decision_id IN (SELECT id FROM d) GROUP BY a.decision_id
), ti AS (
    SELECT a.item_id, {_TASKS} FROM decisions_assignment AS a
    WHERE a.decision_id IS NULL AND a.item_id IN (SELECT id FROM i) GROUP BY a.item_id
), doc AS MATERIALIZED (
    SELECT d.id, {_DOCUMENT_COLUMNS}
    FROM d
    JOIN i ON i.id = d.item_id
    LEFT JOIN td ON td.decision_id = d.id
    LEFT JOIN ti ON ti.item_id = d.item_id
), changed AS (
    UPDATE decisions_decision AS target
    SET search_text = doc.search_text, search_vector = doc.search_vector
    FROM doc
    WHERE target.id = doc.id
      AND (target.search_text IS DISTINCT FROM doc.search_text
           OR target.search_vector IS DISTINCT FROM doc.search_vector)
    RETURNING doc.search_text
)
INSERT INTO decisions_searchword (word)
SELECT DISTINCT w FROM changed, regexp_split_to_table(changed.search_text, '[^[:alnum:]]+') AS w
WHERE {_VOCABULARY_WORDS}
ON CONFLICT DO NOTHING
"""

# Every decision (after a bulk import): the documents are computed by one (parallel) query
# into a temporary table, then written, then the vocabulary is rebuilt from scratch.
_REFRESH_ALL_PG = [
    "SET LOCAL work_mem = '256MB'",
    "SET LOCAL jit = off",  # compiling these expressions costs more than it saves
    "DROP TABLE IF EXISTS pg_temp.search_documents",  # a second full refresh in one transaction
    f"""
    CREATE TEMPORARY TABLE search_documents ON COMMIT DROP AS
    SELECT d.id, {_DOCUMENT_COLUMNS}
    FROM decisions_decision AS d
    JOIN (SELECT i.id, i.title, {_ITEM_VECTOR} FROM minutes_agendaitem AS i) AS i ON i.id = d.item_id
    LEFT JOIN (
        SELECT a.decision_id, {_TASKS} FROM decisions_assignment AS a
        WHERE a.decision_id IS NOT NULL GROUP BY a.decision_id
    ) AS td ON td.decision_id = d.id
    LEFT JOIN (
        SELECT a.item_id, {_TASKS} FROM decisions_assignment AS a
        WHERE a.decision_id IS NULL GROUP BY a.item_id
    ) AS ti ON ti.item_id = d.item_id
    """,
    """
    UPDATE decisions_decision AS target
    SET search_text = doc.search_text, search_vector = doc.search_vector
    FROM search_documents AS doc
    WHERE target.id = doc.id
      AND (target.search_text IS DISTINCT FROM doc.search_text
           OR target.search_vector IS DISTINCT FROM doc.search_vector)
    """,
    "DELETE FROM decisions_searchword",
    f"""
    INSERT INTO decisions_searchword (word)
    SELECT DISTINCT w FROM decisions_decision AS d, regexp_split_to_table(d.search_text, '[^[:alnum:]]+') AS w
    WHERE {_VOCABULARY_WORDS}
    """,
]


def search_documents_refresh(
    *,
    decision_ids: Iterable[int] | None = None,
    item_ids: Iterable[int] | None = None,
    using: str = "default",
) -> None:
    """Recompute the search document of the given decisions and of every decision of the given items.

    With neither argument, every decision (e.g. after a bulk import), and the vocabulary of
    similar words is rebuilt. The signal handlers call this after each save; code that
    bypasses signals (``bulk_create``, ``QuerySet.update``) calls it itself. On PostgreSQL
    rows whose document did not change are not written; on SQLite it runs in Python.
    """
    decision_list = None if decision_ids is None else sorted({int(pk) for pk in decision_ids})
    item_list = None if item_ids is None else sorted({int(pk) for pk in item_ids})
    everything = decision_list is None and item_list is None
    if not everything and not decision_list and not item_list:
        return
    connection = connections[using]
    if connection.vendor != "postgresql":
        _refresh_in_python(decision_list, item_list, using)
        return
    if everything:
        # One transaction: SET LOCAL and the ON COMMIT DROP table live until its end.
        with transaction.atomic(using=using), connection.cursor() as cursor:
            for statement in _REFRESH_ALL_PG:
                cursor.execute(statement)
        return
    clauses, params = [], []
    if decision_list:
        clauses.append("d.id = ANY(%s)")
        params.append(decision_list)
    if item_list:
        clauses.append("d.item_id = ANY(%s)")
        params.append(item_list)
    with connection.cursor() as cursor:
        cursor.execute(_REFRESH_SOME_PG.format(where=" OR ".join(clauses)), params)


def _refresh_in_python(decision_ids: list[int] | None, item_ids: list[int] | None, using: str) -> None:
    """The SQLite twin of the PostgreSQL statements: same text, folded in Python (no vector)."""
    from .models import Assignment

    decisions = Decision.objects.using(using).select_related("item")
    assignments = Assignment.objects.using(using)
    if decision_ids is not None or item_ids is not None:
        decisions = decisions.filter(Q(pk__in=decision_ids or []) | Q(item_id__in=item_ids or []))
    rows = list(decisions.only("id", "text", "search_text", "item_id", "item__title"))
    if not rows:
        return
    if decision_ids is not None or item_ids is not None:
        assignments = assignments.filter(
            Q(decision__in=[d.pk for d in rows])
            | Q(decision__isnull=True, item__in={d.item_id for d in rows})
        )
    by_decision: dict[int, list[str]] = {}
    by_item: dict[int, list[str]] = {}
    for row in assignments.order_by("order", "pk").values("decision_id", "item_id", "task"):
        if row["decision_id"] is None:
            by_item.setdefault(row["item_id"], []).append(row["task"])
        else:
            by_decision.setdefault(row["decision_id"], []).append(row["task"])
    changed = []
    for decision in rows:
        parts = [decision.text, decision.item.title]
        parts += by_decision.get(decision.pk, []) + by_item.get(decision.item_id, [])
        search_text = fold("\n".join(parts))
        if search_text != decision.search_text:
            decision.search_text = search_text
            changed.append(decision)
    Decision.objects.using(using).bulk_update(changed, ["search_text"], batch_size=500)
