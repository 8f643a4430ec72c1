"""Search on decisions: the `sv` text search configuration, the stored search document and its indexes.

PostgreSQL: extensions unaccent and pg_trgm, a configuration `sv` (Swedish stemmer after
unaccent), `search_text` (folded text) and `search_vector` (weighted tsvector) filled for the
existing rows with a GIN index on the vector, and the vocabulary `decisions_searchword` (every
word of every search_text) with a trigram GIN index, used to find similar words.

SQLite: only the two columns (filled in Python); the extensions, configuration, vocabulary
and GIN indexes are skipped. The indexes are not in Decision.Meta.indexes on purpose: SQLite
would try to build them whenever it rebuilds the table.
"""

import unicodedata

import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models

# Frozen copies: a migration must keep doing what it did when it was written.
CREATE_SV = """
CREATE TEXT SEARCH CONFIGURATION sv (COPY = swedish);
ALTER TEXT SEARCH CONFIGURATION sv
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, swedish_stem;
"""
DROP_SV = "DROP TEXT SEARCH CONFIGURATION IF EXISTS sv"

FILL_PG = """
UPDATE decisions_decision AS d
SET search_text = doc.search_text, search_vector = doc.search_vector
FROM (
    SELECT d2.id,
           lower(unaccent('unaccent', concat_ws(E'\\n', d2.text, i.title, td.tasks, ti.tasks))) AS search_text,
           setweight(to_tsvector('sv', d2.text), 'A')
           || setweight(to_tsvector('sv', i.title), 'B')
           || setweight(to_tsvector('sv', concat_ws(E'\\n', td.tasks, ti.tasks)), 'C') AS search_vector
    FROM decisions_decision AS d2
    JOIN minutes_agendaitem AS i ON i.id = d2.item_id
    LEFT JOIN LATERAL (
        SELECT string_agg(a.task, E'\\n' ORDER BY a."order", a.id) AS tasks
        FROM decisions_assignment AS a WHERE a.decision_id = d2.id
    ) AS td ON true
    LEFT JOIN LATERAL (
        SELECT string_agg(a.task, E'\\n' ORDER BY a."order", a.id) AS tasks
        FROM decisions_assignment AS a WHERE a.decision_id IS NULL AND a.item_id = d2.item_id
    ) AS ti ON true
) AS doc
WHERE doc.id = d.id
"""

FILL_VOCABULARY_PG = """
INSERT INTO decisions_searchword (word)
SELECT DISTINCT w FROM decisions_decision AS d, regexp_split_to_table(d.search_text, '[^[:alnum:]]+') AS w
WHERE length(w) BETWEEN 4 AND 40 AND w !~ '^[0-9]+$'
"""

CREATE_VOCABULARY = "CREATE TABLE decisions_searchword (word text PRIMARY KEY)"
DROP_VOCABULARY = "DROP TABLE IF EXISTS decisions_searchword"

# Built after the fill: much faster than growing a GIN index row by row.
CREATE_INDEXES = """
CREATE INDEX decisions_searchword_trgm ON decisions_searchword USING gin (word gin_trgm_ops);
CREATE INDEX decisions_decision_search_vector_gin ON decisions_decision USING gin (search_vector);
"""
DROP_INDEXES = """
DROP INDEX IF EXISTS decisions_decision_search_vector_gin;
DROP INDEX IF EXISTS decisions_searchword_trgm;
"""

_FOLD_EXTRA = str.maketrans({"æ": "ae", "ø": "o", "ß": "ss", "œ": "oe", "ð": "d", "þ": "th", "ł": "l", "đ": "d"})


def _fold(text):
    text = unicodedata.normalize("NFKD", text.lower().translate(_FOLD_EXTRA))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def create_sv(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'sv' AND pg_ts_config_is_visible(oid)")
        if cursor.fetchone() is None:
            cursor.execute(CREATE_SV)


def drop_sv(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SV)


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL_PG)
        schema_editor.execute(FILL_VOCABULARY_PG)
        return
    Decision = apps.get_model("decisions", "Decision")
    Assignment = apps.get_model("decisions", "Assignment")
    by_decision, by_item = {}, {}
    for a in Assignment.objects.order_by("order", "id").values("decision_id", "item_id", "task"):
        if a["decision_id"] is None:
            by_item.setdefault(a["item_id"], []).append(a["task"])
        else:
            by_decision.setdefault(a["decision_id"], []).append(a["task"])
    batch = []
    for d in Decision.objects.select_related("item").only("id", "text", "item__title").iterator():
        parts = [d.text, d.item.title, *by_decision.get(d.id, []), *by_item.get(d.item_id, [])]
        d.search_text = _fold("\n".join(parts))
        batch.append(d)
    Decision.objects.bulk_update(batch, ["search_text"], batch_size=500)


def create_vocabulary(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_VOCABULARY)


def drop_vocabulary(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_VOCABULARY)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEXES)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEXES)


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0001_initial"),
        ("minutes", "0001_initial"),
    ]

    operations = [
        # Both are no-ops on other databases than PostgreSQL.
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(create_sv, drop_sv, elidable=False),
        migrations.AddField(
            model_name="decision",
            name="search_text",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                help_text="Beslutstext, ärendets rubrik och uppdragen, i gemener och utan diakritiska tecken.",
                verbose_name="söktext",
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                blank=True, editable=False, null=True, verbose_name="sökvektor"
            ),
        ),
        migrations.RunPython(create_vocabulary, drop_vocabulary, elidable=False),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
