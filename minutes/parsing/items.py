"""Agenda segmentation: where items start, their wrapped titles, and the parts of their body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from minutes.parsing.lines import (
    Line,
    clause_start,
    decision_heading,
    fuzzy_clause_start,
    is_bullet,
    is_structural,
    item_heading_guesses,
    presenter_rest,
    subitem_start,
)
from minutes.parsing.text import join_lines, join_two, match_form


@dataclass(slots=True)
class ItemBlock:
    number: int
    heading_line: int  # position in the lines list
    end: int  # exclusive position
    title_lines: list[Line] = field(default_factory=list)
    first_rest: str = ""


def find_items(lines: list[Line], skip: set[int]) -> list[ItemBlock]:
    """Agenda items are numbered in sequence; a numbered list inside an item restarts at 1,
    so a candidate is only an item when its number continues the sequence."""
    candidates: list[tuple[int, list[tuple[int, str, bool]]]] = []
    for pos, line in enumerate(lines):
        if line.blank or line.index in skip:
            continue
        guesses = item_heading_guesses(line)
        if guesses:
            candidates.append((pos, guesses))
    strong_after = [{n for n, _, weak in g if not weak} for _, g in candidates]
    accepted: list[tuple[int, int, str]] = []
    for k, (pos, guesses) in enumerate(candidates):
        later = set().union(*strong_after[k + 1 :]) if k + 1 < len(candidates) else set()
        expected = accepted[-1][1] + 1 if accepted else 1
        for number, rest, weak in guesses:
            if not rest and _next_text_line(lines, pos) is None:
                continue
            if not accepted and not weak and 1 not in later and number != 1:
                # No "1." heading anywhere: the agenda starts at the first numbered line.
                accepted.append((pos, number, rest))
                break
            if number == expected or (
                not weak and accepted and number == expected + 1 and expected not in later
            ):
                accepted.append((pos, number, rest))  # +1: an item number lost to OCR or a typo
                break
    accepted = _fill_lost_numbers(lines, accepted, skip)
    blocks = []
    for k, (pos, number, rest) in enumerate(accepted):
        end = accepted[k + 1][0] if k + 1 < len(accepted) else len(lines)
        blocks.append(ItemBlock(number=number, heading_line=pos, end=end, first_rest=rest))
    return blocks


_LOST_NUMBER = re.compile(r"^(?P<junk>\S{1,3})\s+(?P<title>[A-ZÅÄÖ]\S*(?:\s+\S+){0,14})$")
_SENTENCE_STARTERS = {
    "i",
    "pa",
    "en",
    "ett",
    "av",
    "att",
    "och",
    "om",
    "for",
    "det",
    "de",
    "vi",
    "man",
    "nar",
    "som",
    "ar",
    "sa",
    "nu",
    "da",
    "den",
    "vid",
    "med",
    "mot",
    "ur",
    "ut",
    "in",
    "-",
    "–",
    "•",
    "*",
}


def _fill_lost_numbers(
    lines: list[Line], accepted: list[tuple[int, int, str]], skip: set[int]
) -> list[tuple[int, int, str]]:
    """Between items N-1 and N+1, a heading whose number OCR turned into specks ("Er Godkännande
    av dagordning" for "2. Godkännande …") is item N."""
    filled = list(accepted)
    for k in range(len(accepted) - 1, 0, -1):
        (start, before, _), (end, after, _) = accepted[k - 1], accepted[k]
        if after != before + 2:
            continue
        for pos in range(start + 1, end):
            line = lines[pos]
            match = _LOST_NUMBER.match(line.text)
            if not match or line.index in skip or line.text.endswith((".", ",")):
                continue
            if match_form(match["junk"]) in _SENTENCE_STARTERS or match["junk"].isdigit():
                continue
            previous = pos - 1
            if previous >= 0 and not lines[previous].blank:
                continue  # a heading starts after a blank line
            filled.insert(k, (pos, before + 1, match["title"]))
            break
    return filled


def _next_text_line(lines: list[Line], pos: int, limit: int | None = None) -> int | None:
    end = len(lines) if limit is None else min(limit, len(lines))
    for j in range(pos + 1, end):
        if not lines[j].blank:
            return j
    return None


_FUNCTION_WORDS = {
    "och",
    "i",
    "av",
    "om",
    "för",
    "till",
    "med",
    "på",
    "inför",
    "mellan",
    "samt",
    "inom",
    "kring",
    "från",
    "vid",
    "mot",
    "under",
    "efter",
    "angående",
    "ang.",
    "avseende",
    "gällande",
    "rörande",
    "enligt",
    "den",
    "det",
    "de",
    "en",
    "ett",
    "att",
    "som",
    "eller",
    "utifrån",
    "hos",
    "-",
    "–",
}


def continues(previous: str, following: Line) -> bool:
    """Whether a heading line wrapped onto ``following``."""
    text = following.text
    if not text or is_structural(following) or is_bullet(following):
        return False
    first = text[0]
    if first.islower() or first.isdigit() or first in "\"”“«'(":
        return True
    prev = previous.rstrip()
    if prev.endswith((",", "-", "–", ":", "&")):
        return True
    last_word = prev.rsplit(" ", 1)[-1].lower()
    return last_word in _FUNCTION_WORDS


def read_title(lines: list[Line], block: ItemBlock) -> int:
    """Collect the item's (possibly wrapped) title; returns the position after it."""
    pos = block.heading_line
    rest = block.first_rest
    if not rest:
        nxt = _next_text_line(lines, pos, block.end)
        if nxt is None:
            return block.end
        pos = nxt
        block.title_lines.append(lines[pos])
    else:
        block.title_lines.append(Line(lines[pos].index, rest, match_form(rest)))
    title = block.title_lines[-1].text
    presenter_ahead = _presenter_ahead(lines, pos, block.end)
    while True:
        nxt = _next_text_line(lines, pos, block.end)
        if nxt is None or nxt - pos > 6:
            break
        line = lines[nxt]
        wrapped = continues(title, line) or (
            presenter_ahead is not None and nxt < presenter_ahead and not is_structural(line)
        )
        if not wrapped or len(block.title_lines) >= 6:
            break
        block.title_lines.append(line)
        title = join_two(title, line.text)
        pos = nxt
    return pos + 1


def _presenter_ahead(lines: list[Line], pos: int, end: int) -> int | None:
    """A "Föredragande:" line within three text lines, with only unfinished lines before it,
    means the lines in between still belong to the title."""
    seen = 0
    j = pos
    while seen < 3:
        nxt = _next_text_line(lines, j, end)
        if nxt is None:
            return None
        line = lines[nxt]
        if presenter_rest(line) is not None:
            return nxt
        if line.text.endswith((".", "?", "!")) or is_structural(line) or len(line.text) > 90:
            return None
        seen += 1
        j = nxt
    return None


def block_title(block: ItemBlock) -> str:
    return join_lines([line.text for line in block.title_lines])


# --- the body -----------------------------------------------------------------------------


@dataclass(slots=True)
class Clause:
    lines: list[Line]

    @property
    def text(self) -> str:
        return join_lines([line.text for line in self.lines])


@dataclass(slots=True)
class DecisionBlock:
    heading: Line
    subject: str | None
    clauses: list[Clause] = field(default_factory=list)


@dataclass(slots=True)
class Body:
    presenters_text: list[str] = field(default_factory=list)
    subitems: list[tuple[str, list[Line]]] = field(default_factory=list)
    decision_blocks: list[DecisionBlock] = field(default_factory=list)
    paragraphs: list[list[Line]] = field(default_factory=list)


_TERMINAL = (".", "!", "?")


def read_body(lines: list[Line], start: int, end: int, skip: set[int]) -> Body:
    """Walk an item's lines once, sorting them into presenters, sub-items, decision blocks and prose."""
    body = Body()
    paragraph: list[Line] = []
    blanks = 0
    clause: Clause | None = None
    block: DecisionBlock | None = None

    def flush_paragraph() -> None:
        nonlocal paragraph
        if paragraph:
            body.paragraphs.append(paragraph)
            paragraph = []

    pos = start
    while pos < end:
        line = lines[pos]
        if line.index in skip:
            pos += 1
            continue
        if line.blank:
            blanks += 1
            pos += 1
            continue
        gap = blanks
        blanks = 0

        opens_clause = clause_start(line) is not None or (block is not None and fuzzy_clause_start(line))
        if clause is not None:
            previous = clause.lines[-1].text
            if not opens_clause and _clause_continues(previous, line, gap):
                clause.lines.append(line)
                pos += 1
                continue
            clause = None

        if block is not None and opens_clause:
            clause = Clause([line])
            block.clauses.append(clause)
            pos += 1
            continue

        heading = decision_heading(line)
        if heading:
            flush_paragraph()
            subject, tail = heading
            block = DecisionBlock(heading=line, subject=subject)
            body.decision_blocks.append(block)
            if tail:
                clause = Clause([Line(line.index, tail, match_form(tail))])
                block.clauses.append(clause)
            pos += 1
            continue

        rest = presenter_rest(line)
        if rest is not None:
            flush_paragraph()
            block = None
            text = rest
            pos += 1
            # "Föredragande:" with the names on the next line, or names wrapped after "," / "och".
            while pos < end and (not text or text.rstrip().endswith((",", " och"))):
                nxt = _next_text_line(lines, pos - 1, end)
                if nxt is None or is_structural(lines[nxt]):
                    break
                text = join_two(text, lines[nxt].text)
                pos = nxt + 1
            body.presenters_text.append(text)
            continue

        sub = subitem_start(line)
        if sub:
            flush_paragraph()
            block = None
            label, text = sub
            sub_lines = [Line(line.index, text, match_form(text))]
            title = text
            pos += 1
            while True:
                nxt = _next_text_line(lines, pos - 1, end)
                if nxt is None or nxt - pos > 4 or not continues(title, lines[nxt]):
                    break
                sub_lines.append(lines[nxt])
                title = join_two(title, lines[nxt].text)
                pos = nxt + 1
            body.subitems.append((label, sub_lines))
            continue

        # Prose. A decision block ends at the first line that is not a clause.
        block = None
        if paragraph and _new_paragraph(paragraph[-1].text, line, gap):
            flush_paragraph()
        implicit = _implicit_heading(lines, pos, end)
        if implicit:
            flush_paragraph()
            block = DecisionBlock(heading=line, subject=None)
            body.decision_blocks.append(block)
            pos += 1
            continue
        glued = _glued_heading(lines, pos, end)
        if glued:
            # "… hade deltagit. Chefsnätverket beslutar" + "att …": a heading that lost its line.
            prose, heading_line, subject = glued
            paragraph.append(Line(line.index, prose, match_form(prose)))
            flush_paragraph()
            block = DecisionBlock(heading=heading_line, subject=subject)
            body.decision_blocks.append(block)
            pos += 1
            continue
        paragraph.append(line)
        pos += 1
    flush_paragraph()
    return body


_GLUED = re.compile(r"(?<=[.!?])\s+(?=\S+(?:\s+\S+){0,2}\s+\S+\s*:?\s*$)")


_PROPOSAL = re.compile(r"\bf\w{0,2}resl(?:ar|og|as|ag)\b|\bforslag\b|\byrkande|\byrkar\b")


def _implicit_heading(lines: list[Line], pos: int, end: int) -> bool:
    """A short line right before "att …" clauses is a decision heading OCR could not read
    ("Länschefsnätverket [FENA"), unless it introduces a proposal ("Styrgruppen föreslår:")."""
    line = lines[pos]
    words = line.text.split()
    if not 1 <= len(words) <= 4 or line.text.endswith((".", ",", "?", "!")) or not line.text[0].isupper():
        return False
    if words[-1].lower() in _FUNCTION_WORDS or _PROPOSAL.search(line.form):
        return False
    nxt = _next_text_line(lines, pos, end)
    if nxt is None or nxt - pos > 3 or clause_start(lines[nxt]) is None:
        return False
    # Decision clauses start with a lower-case "att"; "2. Att …" is a numbered proposal.
    return re.match(r"^[^\w]{0,3}\s*att\b", lines[nxt].text) is not None


def _glued_heading(lines: list[Line], pos: int, end: int) -> tuple[str, Line, str | None] | None:
    line = lines[pos]
    nxt = _next_text_line(lines, pos, end)
    if nxt is None or clause_start(lines[nxt]) is None:
        return None
    for match in _GLUED.finditer(line.text):
        tail = line.text[match.end() :]
        candidate = Line(line.index, tail, match_form(tail))
        heading = decision_heading(candidate)
        if heading and not heading[1]:
            return line.text[: match.start()], candidate, heading[0]
    return None


def _clause_continues(previous: str, line: Line, gap: int) -> bool:
    if is_structural(line):
        return False
    first = line.text[0]
    if first.islower() or first.isdigit() or first in '("”':
        return True
    if previous.rstrip().endswith(_TERMINAL):
        return False
    # A clause never ends mid-sentence, but two blank lines and a capital start new prose.
    return gap < 2


def _new_paragraph(previous: str, line: Line, gap: int) -> bool:
    if gap == 0:
        return is_bullet(line)
    if gap >= 2:
        return True
    return previous.rstrip().endswith((*_TERMINAL, ":")) or is_bullet(line)


_BILAGA = re.compile(
    r"\b(?P<word>bilaga|bil\.?)(?:(?P<sp>\s*)(?P<num>(?:\d|[li|](?=\d))[\dli|]*[a-z]?)\b|\s+(?P<letter>[A-Z])\b)",
    re.IGNORECASE,
)


def attachment_refs(text: str) -> list[str]:
    """ "Bilaga 16", "Bil 16a", "bilaga 5", "Bil C", OCR's "Bilagal6"; each once, as first written."""
    refs: list[str] = []
    seen: set[str] = set()
    for match in _BILAGA.finditer(text):
        if match["letter"] and not match["letter"].isupper():
            continue
        ref = match.group(0)
        word = match["word"].lower().rstrip(".")
        label = match["num"] or match["letter"]
        label = re.sub(r"(?<=\d)[li|]|[li|](?=\d)", "1", label)
        key = f"{word}{label.lower()}"
        if key in seen:
            continue
        seen.add(key)
        refs.append(ref.strip())
    return refs
