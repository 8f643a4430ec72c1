"""The document head: title, body (network), date, times, place, attendance, absent bodies."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from minutes.parsing.lines import Line, absent_rest, attendance_rest, is_structural
from minutes.parsing.result import ParsedAttendee
from minutes.parsing.text import (
    canonical_organization,
    collapse,
    find_dates,
    fix_ocr_name,
    fold,
    is_organization,
    join_lines,
    join_two,
    match_form,
    split_trailing_organization,
)


@dataclass(frozen=True, slots=True)
class KnownNetwork:
    slug: str
    name: str
    names: tuple[str, ...]  # every way it is written: name, short name, aliases


DEFAULT_NETWORKS: tuple[KnownNetwork, ...] = (
    KnownNetwork(
        "chefsnatverket",
        "Chefsnätverket",
        (
            "Chefsnätverket",
            "Chefsnätverk",
            "Länsnätverket för förvaltningschefer",
            "Länsnätverk förvaltningschefer inom hälsa och välfärd",
            "Länsnätverk förvaltningschefer",
        ),
    ),
    KnownNetwork("valfardsradet", "Välfärdsrådet", ("Välfärdsrådet", "Välfärdsråd", "VFR")),
    KnownNetwork("schnv", "Socialchefsnätverket", ("Socialchefsnätverket", "Socialchefsnätverk", "SCHNV")),
)


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens, as Django's slugify after folding å/ä→a, ö→o."""
    folded = fold(text)
    folded = re.sub(r"[^\w\s-]", "", folded, flags=re.ASCII)
    return re.sub(r"[-\s]+", "-", folded).strip("-_")


def recognise_network(texts: list[str], networks: tuple[KnownNetwork, ...]) -> KnownNetwork | None:
    """The known body named earliest in the first text that names one."""
    for text in texts:
        form = fold(text)
        best: tuple[int, KnownNetwork] | None = None
        for network in networks:
            for name in network.names:
                match = re.search(rf"(?<![\w-]){re.escape(fold(name))}(?![\w-])", form)
                if match and (best is None or match.start() < best[0]):
                    best = (match.start(), network)
        if best:
            return best[1]
    return None


_DOC_WORDS = re.compile(
    r"^(?:minnesanteckningar|minnesanteckning|anteckningar|motesanteckningar|protokoll|motesprotokoll"
    r"|dagordning|kallelse)\b(?:\s+(?:fran|for|vid)\b)?(?:\s+(?:motet|mote|sammantradet)\s+(?:med|i)\b)?",
)


def body_name_from_title(title: str) -> str | None:
    """ "Minnesanteckningar Länschefsnätverket (LCHNV)" → "Länschefsnätverket"."""
    text = re.sub(r"\([^)]*\)", " ", title)
    form = match_form(text)
    match = _DOC_WORDS.match(form.strip())
    if match:
        offset = len(text) - len(text.lstrip())
        text = text[offset + match.end() :]
    form = match_form(text)
    cut = len(text)
    for pattern in (
        r"\b\d{1,2}\s+[a-z]+\s+\d{4}",
        r"\b\d{4}-\d\d-\d\d",
        r"\b\d{6}\b",
        r"\bmote\b",
        r"\bkl\b",
    ):
        found = re.search(pattern, form)
        if found:
            cut = min(cut, found.start())
    text = collapse(text[:cut]).strip(" ,.:;-–")
    text = re.sub(r"\s+(?:i\s+)?Dalarna$", "", text)
    # An abbreviation whose brackets OCR lost ("Länschefsnätverket KEGRINNE") is not the name.
    words = text.split()
    while len(words) > 1 and re.fullmatch(r"[A-ZÅÄÖ]{2,}", words[-1]):
        words.pop()
    text = " ".join(words)
    return text or None


def nominative(subject: str) -> str:
    """ "Länschefsnätverkets" → "Länschefsnätverket" (a decision heading's genitive)."""
    if subject.endswith("s") and not subject.endswith("ss") and len(subject) > 4:
        return subject[:-1]
    return subject


# --- date, times, place -------------------------------------------------------------------


def meeting_date(header: list[Line]) -> date | None:
    dated = [line for line in header if line.form.startswith("datum")]
    for line in dated + header:
        found = find_dates(line.text)
        if found:
            return found[0][1]
    return None


_TIME_RANGE = re.compile(
    r"(?:\bk[li1|]\.?|\bklockan|\btid\b\s*:?)\s*(\d{1,2})(?:[.:](\d{2}))?\s*(?:-|–|—|till)\s*(\d{1,2})(?:[.:](\d{2}))?"
)
_BARE_RANGE = re.compile(r"\b(\d{1,2})[.:](\d{2})\s*(?:-|–|—)\s*(\d{1,2})[.:](\d{2})\b")


def meeting_times(header: list[Line]) -> tuple[str | None, str | None]:
    for pattern in (_TIME_RANGE, _BARE_RANGE):
        for line in header:
            match = pattern.search(line.form)
            if not match:
                continue
            h1, m1, h2, m2 = match.groups()
            if int(h1) > 23 or int(h2) > 23 or int(m1 or 0) > 59 or int(m2 or 0) > 59:
                continue
            return f"{int(h1):02d}:{int(m1 or 0):02d}", f"{int(h2):02d}:{int(m2 or 0):02d}"
    return None, None


def meeting_location(header: list[Line]) -> str | None:
    for line in header:
        match = re.match(r"^(?:plats|lokal|motesplats)\s*:\s*", line.form)
        if match:
            return line.text[match.end() :].strip() or None
    return None


# --- attendance ---------------------------------------------------------------------------


def _block_after(
    lines: list[Line], start: int, first_text: str, skip: set[int]
) -> tuple[list[str], set[int]]:
    """A list that starts on line ``start`` and wraps over the following lines."""
    texts = [first_text] if first_text else []
    used = {start}
    pos = start + 1
    gap = 0
    while pos < len(lines):
        line = lines[pos]
        if line.blank:
            gap += 1
            pos += 1
            continue
        if pos in skip or is_structural(line) or absent_rest(line) is not None:
            break
        joined = " ".join(texts).rstrip()
        listed = bool(texts) and _names_line(line.text)
        if gap and texts and not joined.endswith((",", " samt", " och", ":")) and not listed:
            break
        if gap > 1 and texts and not listed:
            break
        texts.append(line.text)
        used.add(pos)
        gap = 0
        pos += 1
    return texts, used


_GROUP_LINE = re.compile(r"^(?P<org>[^:,]{2,50}):\s*(?P<names>.*)$")
_NOT_A_NAME = re.compile(r"\b(?:foredragande|enligt nedan|ovan|m\.fl|med flera|sekreterare)\b")


def read_attendance(lines: list[Line], skip: set[int]) -> tuple[list[ParsedAttendee], set[int]]:
    for pos, line in enumerate(lines):
        rest = attendance_rest(line)
        if rest is None or pos in skip:
            continue
        texts, used = _block_after(lines, pos, rest, skip)
        return parse_attendees(texts), used
    return [], set()


def parse_attendees(texts: list[str]) -> list[ParsedAttendee]:
    texts = [t for t in texts if t.strip()]
    texts = [fix_ocr_name(t).lstrip(_JUNK_EDGES).rstrip(_JUNK_EDGES.replace(".", "")) for t in texts]
    texts = [t for t in texts if t]
    if any(_GROUP_LINE.match(t) for t in texts):
        return _grouped_attendees(texts)
    if len(texts) >= 2 and all(_one_entry(t) for t in texts):
        # One person per line ("Åsa Lindgren, Borlänge"): each line end separates entries.
        joined = ". ".join(t.rstrip(" .") for t in texts)
    else:
        joined = ""
        for text in texts:
            joined = join_two(joined, text)
    attendees: list[ParsedAttendee] = []
    for group in re.split(r"(?<=[a-zåäö\)])\.\s+", re.sub(r"\([^)]*\)", " ", joined)):
        attendees.extend(_attendee_group(group))
    return attendees


_JUNK_EDGES = " \"'”“»«|.;:"


def _names_line(text: str) -> bool:
    """A line that only lists people ("Linda Haglund, Tanja Mårtensson Region Dalarna") or one
    organisation's people ("Avesta: Anna Berg, Karl Holm"): an attendance list goes on after a blank."""
    text = text.strip(_JUNK_EDGES)
    group = _GROUP_LINE.match(text)
    if group:
        text = group["names"]
    parts = [p.strip(_JUNK_EDGES) for p in re.split(r",|\s+samt\s+", re.sub(r"\([^)]*\)", " ", text))]
    parts = [p for p in parts if p]
    if not parts or len(parts) > 15:
        return False
    return all(1 <= len(p.split()) <= 5 and all(w[:1].isupper() for w in p.split()) for p in parts)


def _one_entry(text: str) -> bool:
    """ "Åsa Lindgren, Borlänge" or "Anna Berg": one person, maybe with an organisation."""
    parts = [p.strip(" \"'”“»«") for p in text.rstrip(" .").split(",")]
    words = parts[0].split()
    if len(parts) > 2 or not 1 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return False
    return len(parts) == 1 or is_organization(parts[1])


def _grouped_attendees(texts: list[str]) -> list[ParsedAttendee]:
    """ "Region Dalarna: Ingrid Sandberg (ordf.), Per-Erik Lindqvist" — one organisation per line."""
    groups: list[tuple[str | None, str]] = []
    for text in texts:
        match = _GROUP_LINE.match(text)
        if match:
            groups.append((collapse(match["org"]).strip(_JUNK_EDGES), match["names"]))
        elif groups:
            org, names = groups[-1]
            groups[-1] = (org, join_two(names, text))
        else:
            groups.append((None, text))
    attendees = []
    for org, names in groups:
        for person in _attendee_group(re.sub(r"\([^)]*\)", " ", names)):
            person.organization = person.organization or org
            attendees.append(person)
    return attendees


def _attendee_group(text: str) -> list[ParsedAttendee]:
    people: list[ParsedAttendee] = []
    for part in re.split(r",|\s+samt\s+", text):
        part = fix_ocr_name(collapse(part)).strip(_JUNK_EDGES)
        part = re.sub(r"^(?:samt|och)\s+", "", part)
        if not part:
            continue
        if _NOT_A_NAME.search(match_form(part)) or not part[0].isupper():
            continue
        if is_organization(part):
            if people and not people[-1].organization:
                people[-1].organization = canonical_organization(part)
            continue
        name, org = split_trailing_organization(part)
        org = canonical_organization(org) if org else None
        if len(name.split()) > 5:
            continue
        people.append(ParsedAttendee(name, org))
    # "Linda Haglund, Tanja Mårtensson Region Dalarna": the organisation covers the names before it.
    carry: str | None = None
    for person in reversed(people):
        if person.organization:
            carry = person.organization
        elif carry:
            person.organization = carry
    return people


def read_absent(lines: list[Line], skip: set[int]) -> tuple[list[str], set[int]]:
    for pos, line in enumerate(lines):
        rest = absent_rest(line)
        if rest is None or pos in skip:
            continue
        texts, used = _block_after(lines, pos, rest, skip)
        text = join_lines(texts)
        text = text.split(". ", 1)[0]
        names = [collapse(p).strip(" .") for p in re.split(r",|\s+och\s+|\s+samt\s+", text)]
        return [n for n in names if n], used
    return [], set()
