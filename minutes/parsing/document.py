"""Put the rules together: text → ParsedMinutes."""

from __future__ import annotations

import bisect
import re
from datetime import date

from minutes.errors import ParseError
from minutes.parsing.decisions import (
    FoundAssignment,
    decision_kind,
    find_assignments,
    read_sentence,
    same_assignment,
)
from minutes.parsing.header import (
    DEFAULT_NETWORKS,
    KnownNetwork,
    body_name_from_title,
    meeting_date,
    meeting_location,
    meeting_times,
    nominative,
    read_absent,
    read_attendance,
    recognise_network,
    slugify,
)
from minutes.parsing.items import (
    Body,
    ItemBlock,
    attachment_refs,
    block_title,
    find_items,
    read_body,
    read_title,
)
from minutes.parsing.lines import Line, read_lines
from minutes.parsing.result import (
    ParsedAssignment,
    ParsedDecision,
    ParsedInlineDecision,
    ParsedItem,
    ParsedMinutes,
    ParsedSubItem,
    Span,
)
from minutes.parsing.text import (
    collapse,
    fix_ocr_name,
    fold,
    is_organization,
    join_lines,
    join_two,
    match_form,
    split_sentences,
    yymmdd_to_date,
)


def parse_document(
    text: str,
    *,
    source: str = "",
    meeting_date_hint: str | None = None,
    networks: tuple[KnownNetwork, ...] | None = None,
) -> ParsedMinutes:
    from minutes.parsing import PARSER_VERSION

    if not text or not text.strip():
        raise ParseError("Dokumentet innehåller ingen text att tolka.")
    networks = networks or DEFAULT_NETWORKS
    lines = read_lines(text)
    warnings: list[str] = []

    attendees, attendance_lines = read_attendance(lines, set())
    absent, absent_lines = read_absent(lines, attendance_lines)
    skip = attendance_lines | absent_lines

    blocks = find_items(lines, skip)
    header_end = blocks[0].heading_line if blocks else min(len(lines), 40)
    header = [line for line in lines[:header_end] if not line.blank and line.index not in skip]

    title = _title(header)
    when = meeting_date(header)
    if when is None and meeting_date_hint:
        when = date.fromisoformat(meeting_date_hint)
        warnings.append("Inget mötesdatum hittades i texten; datumet togs från filnamnet eller formuläret.")
    elif when is None:
        warnings.append("Inget mötesdatum hittades i dokumentet.")
    elif meeting_date_hint and when.isoformat() != meeting_date_hint:
        warnings.append(
            f"Datumet i texten ({when.isoformat()}) skiljer sig från filnamnet eller formuläret ({meeting_date_hint})."
        )
    start_time, end_time = meeting_times(header)

    items: list[ParsedItem] = []
    bodies: list[Body] = []
    headings: list[str] = []
    for block in blocks:
        item, body, subjects = _item(lines, block, skip, when)
        items.append(item)
        bodies.append(body)
        headings.extend(subjects)
    if not blocks:
        warnings.append("Inga numrerade dagordningspunkter hittades.")

    network = recognise_network([title, *(line.text for line in header[:6])], networks)
    network_slug: str | None
    if network:
        network_slug, network_name = network.slug, network.name
    else:
        network = recognise_network([*headings, *(line.text for line in header)], networks)
        if network:
            network_slug, network_name = network.slug, network.name
        else:
            network_name = body_name_from_title(title) or (nominative(headings[0]) if headings else None)
            network_slug = slugify(network_name) if network_name else None
            warnings.append(
                f"Okänt nätverk: {network_name}." if network_name else "Nätverket kunde inte avgöras."
            )

    # Prose is read once the body is known: only its own decisions count as inline decisions.
    own = _own_names(network_name, networks, network_slug)
    for item, body in zip(items, bodies, strict=True):
        _prose(item, body, own, when)

    for item in items:
        if not item.title:
            warnings.append(f"Punkt {item.number} saknar rubrik.")

    return ParsedMinutes(
        source=source,
        network=network_slug,
        title=title,
        date=when.isoformat() if when else None,
        start_time=start_time,
        end_time=end_time,
        location=meeting_location(header),
        attendees=attendees,
        absent_organizations=absent,
        previous_minutes=_previous_minutes(items),
        items=items,
        network_name=network_name,
        warnings=warnings,
        parser_version=PARSER_VERSION,
    )


def _title(header: list[Line]) -> str:
    if not header:
        return ""
    title = header[0].text
    if fold(title) in {"minnesanteckningar", "protokoll", "anteckningar"} and len(header) > 1:
        title = f"{title} {header[1].text}"
    return title


def _own_names(name: str | None, networks: tuple[KnownNetwork, ...], slug: str | None) -> list[str]:
    names: set[str] = set()
    for network in networks:
        if network.slug == slug:
            names.update(fold(n) for n in network.names)
    if name:
        names.add(fold(name))
    return sorted(names, key=len, reverse=True)


# --- one item -----------------------------------------------------------------------------


def _item(
    lines: list[Line], block: ItemBlock, skip: set[int], when: date | None
) -> tuple[ParsedItem, Body, list[str]]:
    """Title, presenters, sub-items, formal decisions and their assignments, attachments.

    Prose is read later (``_prose``), once the body — and so which decisions are its own — is known."""
    body_start = read_title(lines, block)
    body = read_body(lines, body_start, block.end, skip)
    title = block_title(block)
    item = ParsedItem(number=str(block.number), title=title)
    last_line = block.end - 1
    while last_line > block.heading_line and lines[last_line].blank:
        last_line -= 1
    item.span = Span(lines[block.heading_line].index, lines[last_line].index)
    item.presenters = [p for text in body.presenters_text for p in parse_presenters(text)]
    item.subitems = [
        ParsedSubItem(label, join_lines([ln.text for ln in sub])) for label, sub in body.subitems
    ]

    subjects: list[str] = []
    for decision_block in body.decision_blocks:
        if decision_block.subject:
            subjects.append(decision_block.subject)
        for clause in decision_block.clauses:
            text = _clause_text(clause.text)
            item.decisions.append(
                ParsedDecision(text, decision_kind(text), Span(clause.lines[0].index, clause.lines[-1].index))
            )
            for found in find_assignments(text, reference=when):
                item.assignments.append(
                    ParsedAssignment(
                        found.assignees,
                        found.task,
                        found.due.isoformat() if found.due else None,
                        decision_index=len(item.decisions) - 1,
                        span=Span(clause.lines[0].index, clause.lines[-1].index),
                    )
                )
    texts = [title] + [ln.text for ln in lines[body_start : block.end] if ln.index not in skip]
    item.attachments = attachment_refs(join_lines(texts))
    item.body = "\n".join(ln.text for ln in lines[body_start : block.end] if ln.index not in skip).strip()
    if re.search(r"\butgar\b", match_form(title)):
        item.status = "withdrawn"
    return item, body, subjects


def _clause_text(text: str) -> str:
    """Drop a bullet or list number before "att"."""
    return re.sub(r"^(?:[-–•*]\s*|\d{1,2}\s*[.)]\s*)(?=att\b)", "", text, flags=re.IGNORECASE)


def _prose(item: ParsedItem, body: Body, own: list[str], when: date | None) -> None:
    """Decisions stated in prose, tasks given in prose, and what became of the item."""
    clause_assignments = [
        FoundAssignment(a.assignees, a.task, None, 0)
        for a in item.assignments
        if a.decision_index is not None
    ]
    fate: str | None = None
    prose_assignments: list[ParsedAssignment] = []
    item_recap = False
    for paragraph in body.paragraphs:
        text, offsets = _joined_with_offsets(paragraph)
        foreign = False
        for start, sentence in split_sentences(text):
            verdict = read_sentence(sentence, own_names=own, context_foreign=foreign, item_recap=item_recap)
            span = Span(_line_at(offsets, start), _line_at(offsets, start + len(sentence) - 1))
            if verdict.foreign:
                foreign = item_recap = True
            if verdict.inline:
                item.inline_decisions.append(ParsedInlineDecision(sentence, decision_kind(sentence), span))
                fate = fate or verdict.fate
                foreign = False  # this meeting speaks again: the retelling is over
            if foreign:
                continue
            for found in find_assignments(sentence, reference=when):
                if any(same_assignment(found, other) for other in clause_assignments):
                    continue
                prose_assignments.append(
                    ParsedAssignment(
                        found.assignees, found.task, found.due.isoformat() if found.due else None, span=span
                    )
                )
    item.assignments = sorted(
        prose_assignments + item.assignments, key=lambda a: a.span.start if a.span else 0
    )
    if item.status == "handled":
        kinds = {d.kind for d in item.decisions}
        if fate:
            item.status = fate
        elif "refer" in kinds:
            item.status = "referred"
        elif any(re.search(r"\bbordlagg", match_form(d.text)) for d in item.decisions):
            item.status = "tabled"


def _joined_with_offsets(paragraph: list[Line]) -> tuple[str, list[tuple[int, int]]]:
    text = ""
    offsets: list[tuple[int, int]] = []
    for line in paragraph:
        before = len(text)
        text = join_two(text, line.text)
        offsets.append((before, line.index))
    return text, offsets


def _line_at(offsets: list[tuple[int, int]], position: int) -> int:
    """The source line holding character ``position`` of a joined paragraph."""
    k = bisect.bisect_right(offsets, (position, float("inf"))) - 1
    return offsets[max(k, 0)][1]


# --- presenters, previous minutes ---------------------------------------------------------

_ROLE_SUFFIXES = (
    "chef",
    "ledare",
    "samordnare",
    "lakare",
    "sekreterare",
    "utredare",
    "handlaggare",
    "direktor",
    "ordforande",
    "strateg",
    "ansvarig",
    "koordinator",
    "konsult",
    "specialist",
    "radgivare",
    "utvecklare",
    "analytiker",
    "representant",
    "skoterska",
    "kurator",
    "psykolog",
    "controller",
    "centrum",
)
_NAME_PARTICLES = {"af", "von", "van", "de", "da", "du", "la"}


def parse_presenters(text: str) -> list[str]:
    """Names after "Föredragande:", without roles and organisations."""
    names = []
    for part in re.split(r",|\s+och\s+|\s+samt\s+|;", text):
        part = fix_ocr_name(collapse(part).strip(" .:"))
        if not part or is_organization(part):
            continue
        tokens = []
        for token in part.split():
            key = match_form(token).strip(".,")
            if key.endswith(_ROLE_SUFFIXES) or key in {"region", "regionen"}:
                break
            if not (token[0].isupper() or key in _NAME_PARTICLES):
                break
            tokens.append(token)
        if tokens and len(tokens) <= 4 and not is_organization(" ".join(tokens)):
            names.append(" ".join(tokens))
    return names


_PREVIOUS = re.compile(r"\bf\w{0,2}reg\w{1,3}ende\s+(?:minnesanteckning|protokoll|motes)|\bforra motets\b")


def _previous_minutes(items: list[ParsedItem]) -> list[str]:
    """YYMMDD references (200207 → 2020-02-07) under the "Föregående minnesanteckningar" item."""
    found: list[str] = []
    for item in items:
        if not _PREVIOUS.search(fold(item.title)):
            continue
        for token in re.findall(r"(?<![\d-])\d{6}(?![\d-])", f"{item.title} {item.body}"):
            value = yymmdd_to_date(token)
            if value and value.isoformat() not in found:
                found.append(value.isoformat())
    return found
