"""Decisions: kinds of clauses, decisions stated in prose, assignments, and an item's fate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from minutes.parsing.text import collapse, find_dates, fold, match_form

# --- kinds --------------------------------------------------------------------------------

# (kind, pattern on the match form). The earliest match in a clause decides ("when a clause
# does two things, the first verb decides"); anything put "till handlingarna" is "file".
_KIND_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "reject",
        re.compile(
            r"\b(?:inte|ej) (?:godkanna|godkanns|tillstyrka|bifalla|anta)\b|\bavsla\b|\bavstyrka\b|\bavslas\b"
        ),
    ),
    (
        "assign",
        re.compile(
            r"\bge\b.{1,120}?\bi uppdrag\b|\b(?:far|fick|ges)\b(?: \w+)? i uppdrag\b|\batar sig\b|\buppdra(?:r|s)? at\b"
        ),
    ),
    ("appoint", re.compile(r"\butse(?:s|r)?\b|\bvalja\b|\bvaljs\b|\butnamna\b")),
    ("refer", re.compile(r"\bhanskjut(?:a|s|er)\b|\baterta\b|\baterremittera\b|\boverlamna\b")),
    ("postpone", re.compile(r"\bavvakta\b|\bbordlagg(?:a|s|er)?\b|\bskjuta upp\b")),
    ("recommend", re.compile(r"\brekommendera(?:r|s)?\b")),
    (
        "procedural",
        re.compile(r"\b(?:oppna|avsluta|forklara) (?:motet|sammantradet)\b|\bmotet (?:oppnas|avslutas)\b"),
    ),
    (
        "approve",
        re.compile(
            r"\bgodkann(?:a|er|s)\b|\btillstyrk(?:a|er|s)\b|\bstalla sig (?:positiv|bakom)\b"
            r"|\bstaller sig (?:positiv|bakom)\b|\bfaststall(?:a|er|s)\b|\banta\b|\bbifalla\b"
        ),
    ),
]
_FILE = re.compile(r"\btill handling(?:arna|ar)\b")


def decision_kind(text: str) -> str:
    form = match_form(text)
    if _FILE.search(form):
        return "file"
    best: tuple[int, int, str] | None = None
    for kind, pattern in _KIND_PATTERNS:
        match = pattern.search(form)
        if match:
            candidate = (match.start(), -len(match.group(0)), kind)
            if best is None or candidate < best:
                best = candidate
    return best[2] if best else "other"


# --- assignments --------------------------------------------------------------------------


@dataclass(slots=True)
class FoundAssignment:
    assignees: list[str]
    task: str
    due: date | None
    start: int  # offset in the text it was found in


_ADVERBS = {"saledes", "darmed", "ocksa", "aven", "nu", "harmed", "vidare", "da", "dessutom", "darfor"}
_GIVE = re.compile(r"\bge(?:r|s)?\s+(?P<who>.{2,160}?)\s+i\s+uppdrag\s+att\s+")
_GET = re.compile(r"\b(?:far|fick)\b(?P<mid>(?:\s+\S+){0,6}?)\s+i\s+uppdrag\s+att\s+")
_UNDERTAKE = re.compile(r"\b(?:atar|atog)\s+sig\s+att\s+")
_COMMISSION = re.compile(r"\buppdra(?:r|s)?\s+at\s+(?P<who>.{2,120}?)\s+att\s+")


def _split_people(text: str) -> list[str]:
    text = re.sub(r"\([^)]*\)", " ", text)
    parts = re.split(r",|\s+och\s+|\s+samt\s+", text)
    return [collapse(p).strip(" .,:") for p in parts if collapse(p).strip(" .,:")]


def _subject_before(text: str, end: int) -> str:
    """The subject before a verb, without a leading adverbial ("Mot denna bakgrund …")."""
    subject = text[:end].strip()
    subject = re.sub(r"^(?:att|och|samt|men|därefter|sedan)\s+", "", subject, flags=re.IGNORECASE)
    return subject


def _task(text: str) -> str:
    task = collapse(text).strip()
    return task.rstrip(" .;")


def find_assignments(text: str, *, reference: date | None) -> list[FoundAssignment]:
    """ "ge X i uppdrag att Y", "X får i uppdrag att Y", "X åtar sig att Y", "uppdra åt X att Y"."""
    form = match_form(text)
    if "uppdra" not in form and " sig " not in form:
        return []
    found: list[FoundAssignment] = []
    for match in _GIVE.finditer(form):
        who = text[match.start("who") : match.end("who")]
        found.append(_assignment(text, who, match.end(), match.start(), reference))
    for match in _COMMISSION.finditer(form):
        who = text[match.start("who") : match.end("who")]
        found.append(_assignment(text, who, match.end(), match.start(), reference))
    for match in _GET.finditer(form):
        mid_words = [w for w in form[match.start("mid") : match.end("mid")].split() if w not in _ADVERBS]
        if mid_words:
            # "Mot denna bakgrund får Styrgruppen i uppdrag att …": the subject follows the verb.
            mid = text[match.start("mid") : match.end("mid")]
            who = " ".join(w for w in mid.split() if match_form(w) not in _ADVERBS)
        else:
            who = _subject_before(text, match.start())
        found.append(_assignment(text, who, match.end(), match.start(), reference))
    for match in _UNDERTAKE.finditer(form):
        who = _subject_before(text, match.start())
        found.append(_assignment(text, who, match.end(), match.start(), reference))
    return [a for a in found if a.assignees and a.task and len(" ".join(a.assignees).split()) <= 10]


def _assignment(text: str, who: str, task_start: int, start: int, reference: date | None) -> FoundAssignment:
    task = _task(text[task_start:])
    dates = find_dates(task, reference=reference)
    return FoundAssignment(_split_people(who), task, dates[0][1] if dates else None, start)


def same_assignment(a: FoundAssignment, b: FoundAssignment) -> bool:
    """Prose and a clause of the same item giving one task: same people, same first verb."""
    people_a = sorted(fold(p) for p in a.assignees)
    people_b = sorted(fold(p) for p in b.assignees)
    if len(people_a) != len(people_b):
        return False
    for x, y in zip(people_a, people_b, strict=True):
        if not (x.startswith(y) or y.startswith(x)):
            return False
    verb_a = fold(a.task).split(" ", 1)[0]
    verb_b = fold(b.task).split(" ", 1)[0]
    return verb_a == verb_b


# --- decisions in prose -------------------------------------------------------------------

_DECIDE = re.compile(r"\b(?:beslutar|beslutade|beslot|beslutat|beslutas|beslutades|beslots)\b")
_PASSIVE = re.compile(r"\b(?:beslutades|beslots|beslutas)\b\s+(?:\w+\s+)?att\b")
_FILED = re.compile(r"\b(?:laggs|lades|lagges|lagts)\b.{0,40}\btill handlingarna\b")
_BACKING = re.compile(r"\b(?:staller|stallde)\s+sig\s+(?:bakom|positiv)")
_FATE = re.compile(r"\b(?:bordlad(?:e|es)|bordlaggs|bordlagd|bordlagt|utgar|utgick|hanskjut(?:s|ts|es))\b")
_SETTLED = re.compile(
    r"^(?:\S+\s+){0,4}?(?:godkandes|godkanns|faststalldes|faststalls|antogs|beviljades|bifolls|biffolls)\b"
    r"(?:\s+\S+){0,5}[.!]?$"
)
_ITEM_SUBJECT = re.compile(r"^(?:arendet|punkten|fragan|amnet)\b")
_OTHER_POINT = re.compile(r"^(?:punkt(?:en)?|arende)\s+\d")
_RECAP = re.compile(
    r"\b(?:pa|vid|under|fran)\s+(?:\w+\s+){0,3}?(?:mote|motet|moten|sammantrade|sammantradet|sammantraden)\b"
    r"[^.]{0,40}?(?:\b\d{6}\b|\bden \d|\b\d{1,2} (?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)|\bi (?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)|\btidigare\b|\bforra\b|\bsenaste\b)"
    r"|\btidigare (?:mote|beslut)|\bhade (?:beslutat|fattat)|\bhar beslutat\b|\bbeslutade da\b|\bbeslutat om tidigare\b"
)


# Every rule below needs one of these words; most prose sentences have none.
_ANY_KEYWORD = re.compile(
    r"besl|handling|bordl|utg[ai]|hanskjut|stall|mote|sammantrad|tidigare|godk|faststall|antogs|bevilj|bifoll"
)
_FUTURE = re.compile(r"\b(?:nasta|kommande|nastkommande|till|inför|infor|framtida)\b")


def _is_recap(form: str) -> bool:
    """A sentence that retells an earlier meeting ("På Chefsnätverkets möte den 7 februari …")."""
    if not any(word in form for word in _RECAP_WORDS):
        return False
    return any(not _FUTURE.search(m.group(0)) for m in _RECAP.finditer(form))


_RECAP_WORDS = ("mote", "sammantrad", "tidigare", "hade ", "har beslutat", "beslutade da")


@dataclass(slots=True)
class ProseVerdict:
    inline: bool = False
    foreign: bool = False  # another body's decision or a recap: later sentences of the paragraph follow it
    fate: str | None = None  # tabled / withdrawn / referred for this item


def read_sentence(
    sentence: str, *, own_names: list[str], context_foreign: bool, item_recap: bool = False
) -> ProseVerdict:
    """Classify one prose sentence of an item.

    ``context_foreign``: an earlier sentence of the paragraph told another body's decision or an
    earlier meeting. ``item_recap``: the item has retold an earlier meeting; an unattributed
    "beslutades att …" after that belongs to the retelling.
    """
    form = fold(sentence)
    verdict = ProseVerdict()
    if not _ANY_KEYWORD.search(form):
        return verdict
    recap = _is_recap(form)

    if _FILED.search(form) and not recap:
        verdict.inline = True
        return verdict

    fate = _FATE.search(form)
    if (
        fate
        and fate.group(0).startswith("utg")
        and not (_ITEM_SUBJECT.match(form) or _OTHER_POINT.match(form))
    ):
        fate = None  # "Arbetet utgår från …" is no item's fate
    if fate and not recap:
        verdict.inline = True
        if _ITEM_SUBJECT.match(form) and not _OTHER_POINT.match(form):
            word = fate.group(0)
            verdict.fate = (
                "tabled"
                if word.startswith("bordl")
                else "withdrawn"
                if word.startswith("utg")
                else "referred"
            )
        return verdict

    decide = _DECIDE.search(form)
    if decide:
        window = form[: decide.start()] + " " + form[decide.end() : decide.end() + 60].split(" att ", 1)[0]
        ours = _mentions(window, own_names)
        passive = bool(_PASSIVE.search(form))
        if recap:
            verdict.foreign = True
            return verdict
        if ours or (passive and not context_foreign and not item_recap):
            verdict.inline = True
            if " hanskjut" in form[decide.end() :] and "till" in form:
                verdict.fate = "referred"
            return verdict
        # Another body decided, or an earlier meeting did: what follows in the paragraph is theirs.
        verdict.foreign = not passive or item_recap or context_foreign
        return verdict

    settled = _SETTLED.match(form)
    if settled and not recap and " av " not in form[settled.end() :]:
        verdict.inline = True  # "Dagordningen godkändes.", "Protokollet fastställs."
        return verdict

    backing = _BACKING.search(form)
    if backing and not recap and _mentions(form[: backing.start()], own_names):
        verdict.inline = True
        return verdict
    if recap:
        verdict.foreign = True
    return verdict


_GENERIC_OWN = ("natverket", "natverkets", "radet", "radets", "motet", "gruppen")


def _mentions(window: str, own_names: list[str]) -> bool:
    if any(re.search(rf"\b{re.escape(name)}s?\b", window) for name in own_names if name):
        return True
    return any(re.search(rf"\b{word}\b", window) for word in _GENERIC_OWN)
