"""Lines of a minutes document: normalisation, page furniture, and what a line *is*.

Each recogniser is a small named rule about the genre (how Swedish minutes are written),
tolerant of OCR damage, and works on one line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from minutes.parsing.text import collapse, match_form, nfc

PAGE_BREAK = "\f"


@dataclass(slots=True)
class Line:
    index: int  # 0-based line number in the text as given
    text: str  # whitespace collapsed, as read
    form: str  # match_form(text)
    page_break: bool = False
    structural: bool | None = None  # memo for is_structural()
    heading: tuple[str | None, str] | bool | None = False  # memo for decision_heading(); False = not yet

    @property
    def blank(self) -> bool:
        return not self.text


# --- page furniture -----------------------------------------------------------------------

_FOOTER = re.compile(r"\bsida\s*\d+\s*(?:\(\s*\d+\s*\)|av\s*\d+)|^\s*\d+\s*\(\s*\d+\s*\)\s*$|^sida\s*\d+$")
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$")


def _is_footer(form: str) -> bool:
    return ("sida" in form or "(" in form) and bool(_FOOTER.search(form))


def _is_title_case_short(line: Line) -> bool:
    words = line.text.split()
    if not 1 <= len(words) <= 5 or line.text.endswith((".", ":", ",")):
        return False
    return all(w[0].isupper() or w[0].isdigit() for w in words)


_LEADING_JUNK = re.compile(r"^(?:[^\w\s\-–•*§(]+\s+|[»«|:.,;']+(?=[A-ZÅÄÖ0-9§])|[\"”“]+(?=\d))")
_TRAILING_JUNK = re.compile(r"(?:\s+[^\w\s(),\-–]+)+$|(?<=[.!?])\s+[A-ZÅÄÖ]{1,3}$")


def clean_ocr_noise(text: str) -> str:
    """Drop specks a scan leaves at line ends ("|", "»", "'", "EE" after a full stop)."""
    last = text[-1:]
    tidy_end = (last.isalnum() and not last.isupper()) or (last in ".,:;)?!" and text[-2:-1] not in (" ", ""))
    if not text or (text[0].isalnum() and tidy_end):
        return text
    previous = None
    while previous != text:
        previous = text
        text = _LEADING_JUNK.sub("", text)
        text = _TRAILING_JUNK.sub("", text).strip()
    return text


def read_lines(text: str) -> list[Line]:
    """Split on "\\n" (so line numbers match the stored text) and blank out page furniture."""
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\u00a0", " ").replace("\u00ad", "")
    lines: list[Line] = []
    for index, raw in enumerate(text.split("\n")):
        page_break = PAGE_BREAK in raw
        cleaned = collapse(raw.replace(PAGE_BREAK, " ") if page_break else raw)
        cleaned = clean_ocr_noise(cleaned)
        lines.append(Line(index, cleaned, match_form(cleaned), page_break))
    _blank_furniture(lines)
    return lines


def _blank(line: Line) -> None:
    line.text = ""
    line.form = ""
    line.structural = None
    line.heading = False


def _blank_furniture(lines: list[Line]) -> None:
    """Running headers, "Sida 3 (14)" footers and bare URLs belong to no field."""
    headers: set[str] = set()
    for i, line in enumerate(lines):
        if line.blank:
            continue
        if _URL_ONLY.match(line.form):
            _blank(line)
            continue
        if not _is_footer(line.form):
            continue
        # A short title-case line right next to a footer (blank lines between) is its running header.
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and lines[j].blank:
                j += step
            if 0 <= j < len(lines) and _is_title_case_short(lines[j]) and not is_structural(lines[j]):
                headers.add(lines[j].form)
        _blank(line)
    # Short lines that repeat three times or more and are not structure are running headers too.
    counts = Counter(line.form for line in lines if line.text and len(line.text.split()) <= 6)
    for form, count in counts.items():
        if count >= 3:
            sample = next(line for line in lines if line.form == form)
            if _is_title_case_short(sample) and not is_structural(sample):
                headers.add(form)
    if headers:
        for line in lines:
            if line.form in headers:
                _blank(line)


# --- recognisers --------------------------------------------------------------------------

_ITEM = re.compile(r"^(?:(?:§|\$|&)\s*(\d{1,3})\b\s*[.:]?|(\d{1,2})\s*[.),;:])\s*(.*)$")
# OCR reads "§ 6" as "8 6", "8.6" or "S 6"; and sometimes loses the full stop after "6".
_ITEM_OCR_SECTION = re.compile(r"^[8S]\s?[.,]?\s?(\d{1,2})\s+(\D.*)$")
_ITEM_BARE = re.compile(r"^(\d{1,2})\s+([A-ZÅÄÖ\"”].*)$")


def _heading_rest_ok(rest: str) -> bool:
    if not rest:
        return True
    first = rest[0]
    if not (first.isupper() or first.isdigit() or first in "\"”“«'(|"):
        return False
    return not (match_form(rest).startswith(("att ", "att:")) or rest.lower() == "att")


def item_heading(line: Line) -> tuple[int, str] | None:
    """ "1. Mötets öppnande", "10.Regeringens …", "§ 3 …", or a number alone ("5.") → (number, rest)."""
    match = _ITEM.match(line.text)
    if not match:
        return None
    number = int(match[1] or match[2])
    rest = match[3].strip()
    return (number, rest) if _heading_rest_ok(rest) else None


def item_heading_guesses(line: Line) -> list[tuple[int, str, bool]]:
    """Every reading of a line as an item heading: (number, rest, weak). Weak readings (OCR's
    "8 6" for "§ 6", a number that lost its full stop) count only where the sequence expects them."""
    if not line.text or not (line.text[0].isdigit() or line.text[0] in "§$&S"):
        return []
    guesses: list[tuple[int, str, bool]] = []
    for pattern in (_ITEM_OCR_SECTION, _ITEM_BARE):
        match = pattern.match(line.text)
        if match and _heading_rest_ok(match[2].strip()):
            guesses.append((int(match[1]), match[2].strip(), True))
    found = item_heading(line)
    if found:
        guesses.append((found[0], found[1], False))
    return guesses


_PRESENTER = re.compile(r"^f\S{0,2}redrag(?:ande|are|ande\s+var|ande\s+ar)\b\s*:?\s*")


def presenter_rest(line: Line) -> str | None:
    """The text after "Föredragande:" (OCR: "Foredragande", "F6redragande"), or None."""
    if not line.form.startswith("f"):
        return None
    match = _PRESENTER.match(line.form)
    if not match:
        return None
    return line.text[match.end() :].strip()


_VERBS = ("beslut", "beslutar", "beslutade", "beslot", "beslutades", "beslutat")


def _near(word: str, targets: tuple[str, ...]) -> bool:
    """Edit distance ≤ 1 to one of ``targets`` (OCR: "bes|ut", "beslnt")."""
    for target in targets:
        if word == target:
            return True
        if abs(len(word) - len(target)) > 1:
            continue
        if len(word) == len(target):
            if sum(a != b for a, b in zip(word, target, strict=True)) <= 1:
                return True
        else:
            short, long_ = (word, target) if len(word) < len(target) else (target, word)
            for k in range(len(long_)):
                if long_[:k] + long_[k + 1 :] == short:
                    return True
    return False


_HEADING_SPLIT = re.compile(r"^(?P<head>[^:]*?)\s*:?\s*(?P<tail>att\b.*)?$")
_NOT_A_BODY = ("forslag", "underlag", "forslagen", "styrgruppens forslag")


def decision_heading(line: Line) -> tuple[str | None, str] | None:
    """A decision heading on its own line → (subject as written or None, trailing clause text).

    "Chefsnätverkets beslut", "Välfärdsrådet beslutade:", "Socialchefsnätverket beslutar",
    an unseen body's "Länschefsnätverket beslutar", a bare "Beslut:", OCR's "Chefsnéatverkets beslut".
    A heading followed on the same line by "att …" only counts with a colon between.
    """
    if line.heading is False:
        line.heading = _decision_heading(line)
    return line.heading  # type: ignore[return-value]


def _decision_heading(line: Line) -> tuple[str | None, str] | None:
    if not line.form or line.form.count(" ") > 8 or len(line.form) > 90:
        return None  # headings are short; most prose lines leave here
    form = re.sub(r"(?:\s+\S)+$", "", line.form) if len(line.form.split()) > 2 else line.form
    if not form or form.endswith((".", ",")) or len(form) > 80:
        return None
    match = _HEADING_SPLIT.match(form)
    if not match:
        return None
    head, tail = match["head"], match["tail"] or ""
    if tail and ":" not in form[: match.start("tail")]:
        return None
    words = head.replace("|", "l").split()
    # "Välfärdsrådet beslutar följande:", "… beslutade enligt följande"
    while len(words) > 1 and words[-1] in ("foljande", "enligt", "sammanfattningsvis", "slutligen"):
        words.pop()
    if not words or len(words) > 4:
        return None
    if not _near(words[-1], _VERBS):
        return None
    subject_words = words[:-1]
    if any(any(c.isdigit() for c in w) for w in subject_words):
        return None
    subject_key = " ".join(subject_words)
    if subject_key.startswith(_NOT_A_BODY) or "forslag" in subject_key:
        return None
    if subject_words and subject_words[0] in {"att", "som", "och", "det", "inget", "ett", "fattat"}:
        return None
    subject = " ".join(line.text.split()[: len(subject_words)]) if subject_words else None
    tail_text = line.text[match.start("tail") :].strip() if tail else ""
    return subject, tail_text


_CLAUSE = re.compile(r"^(?:[-–•*]\s*|\d{1,2}\s*[.)]\s*|[^\w\s]{1,3}\s*)?att\b")


def fuzzy_clause_start(line: Line) -> bool:
    """Inside a decision block, OCR's "ratt", "alt", "aft" also open a clause."""
    first = line.form.split(" ", 1)[0]
    return first != "att" and 2 <= len(first) <= 4 and _near(first, ("att",))


def clause_start(line: Line) -> int | None:
    """Offset of "att" when the line opens a decision clause ("att …", "- att …", "1. att …")."""
    if "att" not in line.form[:10]:
        return None
    match = _CLAUSE.match(line.form)
    if not match:
        return None
    return match.end() - 3


_SUBITEM = re.compile(r"^([a-hA-H])\s*\)\s*(\S.*)$")


def subitem_start(line: Line) -> tuple[str, str] | None:
    if ")" not in line.text[1:4]:
        return None
    match = _SUBITEM.match(line.text)
    if not match:
        return None
    return match[1].lower(), match[2]


def is_bullet(line: Line) -> bool:
    return line.text[:1] in ("-", "–", "•", "*") and bool(_BULLET.match(line.text))


_BULLET = re.compile(r"^[-–•*]\s+\S")


_ATTENDANCE = re.compile(r"^(?:narvarande|deltagare|deltog|narvarande ledamoter)\b\s*:?\s*")
_ABSENT = re.compile(
    r"^(?:foljande (?:kommuner|organisationer|ledamoter)[^:]*?(?:inte|ej) (?:representerade|narvarande)"
    r"[^:]*|franvarande|ej narvarande|anmalt forhinder)\s*:?\s*"
)


def attendance_rest(line: Line) -> str | None:
    if not line.form.startswith(("narv", "delt")):
        return None
    match = _ATTENDANCE.match(line.form)
    return line.text[match.end() :].strip() if match else None


def absent_rest(line: Line) -> str | None:
    if not line.form.startswith(("foljande", "franvarande", "ej ", "anmalt")):
        return None
    match = _ABSENT.match(line.form)
    return line.text[match.end() :].strip() if match else None


def is_structural(line: Line) -> bool:
    """Lines that open a part of an item or of the document."""
    if line.structural is None:
        line.structural = _is_structural(line)
    return line.structural


def _is_structural(line: Line) -> bool:
    return bool(
        item_heading(line)
        or presenter_rest(line) is not None
        or decision_heading(line)
        or clause_start(line) is not None
        or subitem_start(line)
        or attendance_rest(line) is not None
    )
