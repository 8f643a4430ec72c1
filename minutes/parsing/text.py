"""Text helpers shared by the parsing rules: folding, OCR tolerance, line joining, dates.

Everything that matches keywords works on ``match_form(text)``, which is *length-preserving*
(one output character per input character), so a match position found in the folded text
can be used to cut the original text: stored text stays as read.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

# --- folding ------------------------------------------------------------------------------


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _fold_char(char: str) -> str:
    """One character lower-cased without its accent, or itself when that would change the length."""
    lowered = char.lower()
    if len(lowered) != 1:
        return char
    decomposed = unicodedata.normalize("NFKD", lowered)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base if len(base) == 1 else lowered


# Latin script and the usual punctuation, folded once; other characters pass through unchanged.
_FOLD_TABLE = {code: _fold_char(chr(code)) for code in range(0x300)}

# OCR of Swedish text turns å/ä/ö into other glyphs: "6" for ö, "&" for ä, "|" for I/l.
_OCR_LETTER_6 = re.compile(r"(?<=[a-z])6|6(?=[a-z]{2})")
_OCR_AMP = re.compile(r"(?<=[a-z])&(?=[a-z])")
_OCR_PIPE = re.compile(r"\|(?=[a-z])")


# The same folding for Latin-1 as a byte table: bytes.translate is far faster than str.translate.
_LATIN1_TABLE = bytes(ord(_FOLD_TABLE[code]) if ord(_FOLD_TABLE[code]) < 256 else code for code in range(256))


def match_form(text: str) -> str:
    """Lower-case, accents stripped and common OCR glyph swaps undone; same length as ``text``."""
    try:
        result = text.encode("latin-1").translate(_LATIN1_TABLE).decode("latin-1")
    except UnicodeEncodeError:
        result = text.translate(_FOLD_TABLE)
    if "6" in result:
        result = _OCR_LETTER_6.sub("o", result)
    if "&" in result:
        result = _OCR_AMP.sub("a", result)
    if "|" in result:
        result = _OCR_PIPE.sub("i", result)
    return result


def fold(text: str) -> str:
    """Comparison key: match form with whitespace collapsed."""
    return " ".join(match_form(text).split())


def collapse(text: str) -> str:
    return " ".join(text.split())


def fix_ocr_name(name: str) -> str:
    """A name read by OCR: "|rene" → "Irene"."""
    return re.sub(r"(?<![\w])\|(?=[a-zåäö])", "I", name)


# --- joining wrapped lines ----------------------------------------------------------------

_SHARED_ENDING_WORDS = ("och", "eller", "samt")


def join_two(left: str, right: str) -> str:
    """Join a wrapped line to the next one.

    A line ending in a hyphen after a letter joins without a space ("LVM-" + "vård"), except
    before "och"/"eller"/"samt", where the hyphen stands for a shared ending ("hälso- och").
    """
    left = left.rstrip()
    right = right.strip()
    if not left:
        return right
    if not right:
        return left
    if left.endswith(("-", "‐")) and len(left) >= 2 and left[-2].isalpha():
        first_word = right.split(" ", 1)[0].lower()
        if first_word not in _SHARED_ENDING_WORDS:
            return left + right
    return f"{left} {right}"


def join_lines(lines: list[str]) -> str:
    text = ""
    for line in lines:
        if line.strip():
            text = join_two(text, collapse(line))
    return text


# --- sentences ----------------------------------------------------------------------------

_ABBREVIATIONS = {
    "t.ex",
    "bl.a",
    "s.k",
    "dvs",
    "d.v.s",
    "ang",
    "p",
    "t.o.m",
    "fr.o.m",
    "f.d",
    "ca",
    "resp",
    "jfr",
    "nr",
    "kl",
    "st",
    "inkl",
    "exkl",
    "ordf",
    "f.n",
    "t.v",
    "mkr",
    "tkr",
    "sk",
    "enl",
    "tf",
    "bil",
}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"”“«]?[A-ZÅÄÖÉÜ|])")


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Split prose into sentences; returns (start offset, sentence) pairs."""
    sentences: list[tuple[int, str]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start : match.start()]
        last_word = candidate.rsplit(" ", 1)[-1].rstrip(".").lower()
        if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        if candidate.strip():
            sentences.append((start, candidate.strip()))
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append((start, tail))
    return sentences


# --- dates --------------------------------------------------------------------------------

MONTHS = {
    "januari": 1,
    "februari": 2,
    "mars": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "augusti": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
_MONTH_ABBREVIATIONS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MONTH_NUMBERS = {**MONTHS, **_MONTH_ABBREVIATIONS}
_MONTH_ALT = "|".join(MONTHS) + "|" + "|".join(rf"{m}\.?" for m in _MONTH_ABBREVIATIONS)
# Day, month name, optional year, in the match form (accents already folded).
TEXT_DATE = re.compile(rf"\b(\d{{1,2}})(?:\s*:e)?\s+({_MONTH_ALT})(?![a-z])(?:\s+(\d{{4}}))?")
ISO_DATE = re.compile(r"\b(20\d\d|19\d\d)-(\d\d)-(\d\d)\b")
YYMMDD = re.compile(r"(?<![\d-])(\d\d)(\d\d)(\d\d)(?![\d-])")


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def yymmdd_to_date(token: str) -> date | None:
    match = YYMMDD.fullmatch(token)
    if not match:
        return None
    yy, mm, dd = (int(g) for g in match.groups())
    return safe_date(2000 + yy, mm, dd)


def find_dates(text: str, *, reference: date | None = None) -> list[tuple[int, date]]:
    """Dates written in ``text`` ("3 april", "den 18 mars 2020", "2020-04-03"), in order.

    A date without a year takes the reference (meeting) year, or the next year when that
    would put it more than two months before the meeting.
    """
    form = match_form(text)
    found: list[tuple[int, date]] = []
    for match in ISO_DATE.finditer(form):
        value = safe_date(int(match[1]), int(match[2]), int(match[3]))
        if value:
            found.append((match.start(), value))
    for match in TEXT_DATE.finditer(form):
        day, month = int(match[1]), MONTH_NUMBERS[match[2].rstrip(".")]
        if match[3]:
            value = safe_date(int(match[3]), month, day)
        elif reference:
            value = safe_date(reference.year, month, day)
            if value and (reference - value).days > 60:
                value = safe_date(reference.year + 1, month, day)
        else:
            value = None
        if value:
            found.append((match.start(), value))
    found.sort(key=lambda pair: pair[0])
    return found


# --- organisations ------------------------------------------------------------------------

# The fifteen municipalities of Dalarna and the region: the organisations these networks' members
# come from. Used to tell "Sofia Jarl Region Dalarna" (person + organisation) from a name.
MUNICIPALITIES = (
    "Avesta",
    "Borlänge",
    "Falun",
    "Gagnef",
    "Hedemora",
    "Leksand",
    "Ludvika",
    "Malung-Sälen",
    "Mora",
    "Orsa",
    "Rättvik",
    "Smedjebacken",
    "Säter",
    "Vansbro",
    "Älvdalen",
)
_MUNICIPALITY_KEYS = [fold(m) for m in MUNICIPALITIES]
_MUNICIPALITY_FORMS = {fold(m) for m in MUNICIPALITIES} | {fold(m) + "s" for m in MUNICIPALITIES}
_ORG_HEAD_WORDS = {
    "region",
    "regionen",
    "landstinget",
    "lansstyrelsen",
    "skr",
    "kommunforbundet",
    "avdelningen",
    "forsakringskassan",
    "arbetsformedlingen",
    "polisen",
    "socialstyrelsen",
}
_ORG_TAIL_WORDS = {"kommun", "kommuner", "region", "lan", "kommunforbund"}


def canonical_organization(text: str) -> str:
    """A municipality misread by OCR ("Botlänge") in its proper spelling; anything else as given."""
    key = fold(text).strip(" .,")
    if key in _MUNICIPALITY_FORMS or len(key) < 4 or " " in key:
        return text
    from rapidfuzz import process
    from rapidfuzz.fuzz import ratio

    best = process.extractOne(key, _MUNICIPALITY_KEYS, scorer=ratio, score_cutoff=85)
    return MUNICIPALITIES[best[2]] if best else text


def is_organization(text: str) -> bool:
    """Whether ``text`` names an organisation rather than a person."""
    key = fold(text).strip(" .,")
    if not key:
        return False
    if key in _MUNICIPALITY_FORMS or canonical_organization(text) != text:
        return True
    words = key.split()
    if words[0] in _ORG_HEAD_WORDS:
        return True
    return len(words) == 2 and words[-1] in _ORG_TAIL_WORDS


def split_trailing_organization(text: str) -> tuple[str, str | None]:
    """ "Sofia Jarl Region Dalarna" → ("Sofia Jarl", "Region Dalarna")."""
    words = text.split()
    for cut in range(1, len(words)):
        tail = " ".join(words[cut:])
        if is_organization(tail):
            return " ".join(words[:cut]), tail
    return text, None
