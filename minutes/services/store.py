"""meeting_store: ParsedMinutes → a Meeting and its rows, merged with what is already stored.

The merge rules (design.md, "human edits are data"):

* Rows are matched to the new parse: items by number, decisions within an item by
  position and text similarity, assignments by decision and task similarity,
  attendance by person, sub-items by label, attachments by reference.
* A matched row takes every parsed value except in the fields listed in its
  ``edited_fields``; where the parse reads something else there, the human value
  stays and a ``Conflict`` is recorded (never resolved here).
* A row missing from the new parse is deleted unless a human owns it (non-empty
  ``edited_fields``, a finished assignment, an attachment with an uploaded file,
  or an item holding any of those).
"""

from __future__ import annotations

import datetime

from django.db import transaction

from minutes.errors import ParseError
from minutes.models import Meeting, SourceDocument
from minutes.parsing.header import body_name_from_title, slugify
from minutes.parsing.result import ParsedMinutes
from networks.models import Network

from .cleaning import clip, meeting_date, unique_items
from .merge import MeetingMerge
from .results import IngestResult


def meeting_store(
    *,
    parsed: ParsedMinutes,
    document: SourceDocument | None = None,
    network: Network | None = None,
    publish: bool = True,
) -> IngestResult:
    """Create or update the meeting ``parsed`` describes, keeping every human edit.

    ``network`` wins over the body the parser recognised; an unknown body is created
    (with a warning). Raises ParseError when there is no meeting date. Runs in one
    transaction: on any error nothing is saved.
    """
    with transaction.atomic():
        return store_parsed(parsed=parsed, document=document, network=network, publish=publish)


def store_parsed(
    *,
    parsed: ParsedMinutes,
    document: SourceDocument | None,
    network: Network | None,
    publish: bool,
    title_override: str | None = None,
) -> IngestResult:
    """meeting_store's work inside the caller's transaction."""
    warnings = list(parsed.warnings)
    when = meeting_date(parsed.date)
    items = unique_items(parsed.items, warnings)
    network, network_created = _resolve_network(parsed, network, warnings)
    meeting = _find_meeting(network, when)
    created = meeting is None
    if meeting is None:
        meeting = Meeting(network=network, date=when)
    meeting.network = network  # saves a query wherever the result is printed
    result = IngestResult(
        meeting=meeting,
        document=document,
        created=created,
        network_created=network_created,
        warnings=warnings,
    )
    merge = MeetingMerge(meeting=meeting, document=document, result=result)
    merge.store_meeting(parsed, when, publish=publish, title_override=title_override)
    persons = merge.store_attendance(parsed.attendees)
    merge.store_items(items, persons)
    return result


def _resolve_network(
    parsed: ParsedMinutes, network: Network | None, warnings: list[str]
) -> tuple[Network, bool]:
    if network is not None:
        if parsed.network and parsed.network != network.slug:
            named = parsed.network_name or parsed.network
            warnings.append(f"Texten verkar gälla {named}, men mötet lades under {network.name} som angavs.")
        return network, False
    name = parsed.network_name or body_name_from_title(parsed.title or "")
    slug = parsed.network or (slugify(name) if name else "")
    slug = slug[: Network._meta.get_field("slug").max_length or 100]
    if not slug:
        raise ParseError(
            "Det gick inte att avgöra vilket nätverk mötet hör till. Ange nätverket och försök igen."
        )
    found = Network.objects.filter(slug=slug).first()
    if found is not None:
        return found, False
    name = clip(name or slug, Network, "name")
    created = Network.objects.create(slug=slug, name=name)
    warnings.append(f"Nytt nätverk skapades: {name} ({slug}). Kontrollera namn och förkortning.")
    return created, True


def _find_meeting(network: Network, when: datetime.date) -> Meeting | None:
    meeting = Meeting.objects.select_for_update().filter(network=network, date=when).first()
    if meeting is not None:
        return meeting
    # A human may have corrected the date the parser read last time: the meeting then sits
    # at the human's date while its latest document still says this one.
    for candidate in Meeting.objects.select_for_update().filter(
        network=network, source_document__parsed_json__date=when.isoformat()
    ):
        if "date" in (candidate.edited_fields or []):
            return candidate
    return None
