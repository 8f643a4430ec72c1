"""CSV and JSON export of a decision search: the same filters, streamed row by row.

CSV is written for Swedish spreadsheet programs (semicolon, UTF-8 with BOM) and is safe against
formula injection: a cell that starts with ``= + - @`` (or a tab or carriage return) gets a
leading apostrophe so it is shown as text, never evaluated. JSON escapes ``< > &`` so that no
text from the minutes can turn into markup even if the file is opened in a browser.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from minutes.templatetags.arkiv import item_anchor_id

from .models import Decision

CHUNK_SIZE = 500
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def csv_safe(value: object) -> str:
    """The cell as text, with a leading ``'`` if a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


def decision_row(decision: Decision, *, absolute_url: Callable[[str], str]) -> dict[str, Any]:
    item = decision.item
    meeting = item.meeting
    return {
        "id": decision.pk,
        "datum": meeting.date.isoformat(),
        "natverk": meeting.network.name,
        "mote": meeting.title,
        "punkt": item.number,
        "arende": item.title,
        "arendestatus": item.get_status_display(),
        "typ": decision.get_kind_display(),
        "formellt": decision.is_formal,
        "beslut": decision.text,
        "lank": absolute_url(f"{meeting.get_absolute_url()}#{item_anchor_id(item.number)}"),
    }


def _header() -> dict[str, str]:
    return {
        "id": _("Id"),
        "datum": _("Datum"),
        "natverk": _("Nätverk"),
        "mote": _("Möte"),
        "punkt": _("Punkt"),
        "arende": _("Ärende"),
        "arendestatus": _("Ärendets status"),
        "typ": _("Typ"),
        "formellt": _("Formellt beslut"),
        "beslut": _("Beslut"),
        "lank": _("Länk"),
    }


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(decisions: Iterable[Decision], *, absolute_url: Callable[[str], str]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield "\ufeff"  # BOM: Excel then reads the file as UTF-8
    yield writer.writerow([csv_safe(v) for v in _header().values()])
    yes, no = _("ja"), _("nej")
    for decision in decisions:
        row = decision_row(decision, absolute_url=absolute_url)
        row["formellt"] = yes if row["formellt"] else no
        yield writer.writerow([csv_safe(v) for v in row.values()])


def _json(value: object) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)


def json_chunks(
    decisions: Iterable[Decision], *, filters: dict[str, str], absolute_url: Callable[[str], str]
) -> Iterator[str]:
    """``{"filter": {...}, "beslut": [ {...}, ... ]}``, one decision per chunk."""
    yield '{"filter": ' + _json(filters) + ', "beslut": ['
    first = True
    for decision in decisions:
        yield ("\n" if first else ",\n") + _json(decision_row(decision, absolute_url=absolute_url))
        first = False
    yield "\n]}\n"


def iterate(queryset) -> Iterator[Decision]:
    """Rows in chunks, so a big export never holds the whole result in memory."""
    return queryset.iterator(chunk_size=CHUNK_SIZE)
