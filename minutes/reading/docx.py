"""Word minutes (.docx): paragraphs and tables in document order, with list numbers.

Agenda items in Word are often auto-numbered: the "5." that a person sees is not in
the text but computed by Word from numbering.xml. python-docx's ``paragraph.text``
drops it, and the parser then cannot find item 5. So we compute the numbers the
way Word does (per list, per level, with restarts) and write them out as
"5. Rubrik", lettered sub-items as "a) …" and bullets as "- …", matching what the
same minutes look like when read from PDF.

Headers and footers are left out (they are page furniture, as in pdf.py), as are
text boxes, whose text Word stores twice (modern and fallback drawing) and whose
place in the reading order is undefined.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from minutes.errors import CorruptDocument, DocumentTooLarge, EmptyDocument, EncryptedDocument

from .base import ExtractedText, Method, Page, ProgressCallback, ReadOptions
from .cleanup import clean_page_text, has_visible_text
from .sniff import DOCX_MIME, ZIP_MIME

# python-docx reads every part of the package into memory, so the declared
# uncompressed sizes are what a DOCX costs us; check them before it opens the file.
# (Python's zipfile never inflates a member past its declared size, so the
# declared sizes are a real bound, not a promise.)
MAX_UNCOMPRESSED_BYTES = 150 * 1024 * 1024
MAX_MEMBERS = 5_000
# Deflate tops out near 1030:1 and zip bombs live there; real XML parts compress
# 5–50:1. Only members big enough to matter are judged by ratio.
MAX_RATIO = 200
RATIO_CHECK_FROM_BYTES = 5 * 1024 * 1024
_MAX_MANIFEST_BYTES = 1024 * 1024

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


W_P, W_TBL, W_TR, W_TC, W_SDT, W_SDT_CONTENT = map(_w, ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
W_R, W_T, W_TAB, W_BR, W_CR = map(_w, ("r", "t", "tab", "br", "cr"))
W_NO_BREAK_HYPHEN, W_PPR, W_RPR, W_VAL = _w("noBreakHyphen"), _w("pPr"), _w("rPr"), _w("val")
_SKIPPED = frozenset(
    {
        _w("del"),  # tracked deletion: not in the document as it reads now
        _w("moveFrom"),
        _w("txbxContent"),
        f"{{{_MC}}}Fallback",  # the old-Word copy of a drawing that mc:Choice already holds
        _w("pPr"),
        _w("rPr"),
        _w("instrText"),  # field code ("PAGE \\* MERGEFORMAT"), not its result
        _w("delText"),
        _w("footnoteReference"),
        _w("endnoteReference"),
        _w("commentReference"),
    }
)
_BLOCK_CONTAINERS = frozenset({W_SDT_CONTENT, _w("customXml"), _w("ins"), _w("moveTo")})

_WORD_MARKERS = (
    "wordprocessingml.document.main+xml",
    "wordprocessingml.template.main+xml",
    "ms-word.document.macroEnabled.main+xml",
    "ms-word.template.macroEnabledTemplate.main+xml",
)


# -- package checks ------------------------------------------------------------------------


def check_package(path: Path) -> None:
    """Refuse a zip that is damaged, encrypted, a zip bomb or not a Word document."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise CorruptDocument("Word-filen är skadad eller ofullständig och kan inte läsas.") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise DocumentTooLarge(
                f"Filen innehåller för många delar ({len(infos)}) för att vara ett Word-dokument."
            )
        total = sum(info.file_size for info in infos)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise DocumentTooLarge(
                f"Word-filen blir {total // (1024 * 1024)} MB uppackad; högst "
                f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB kan läsas in."
            )
        for info in infos:
            if info.file_size >= RATIO_CHECK_FROM_BYTES and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise DocumentTooLarge(
                    "Word-filen packas upp orimligt mycket (misstänkt zip-bomb) och läses därför inte in."
                )
        if any(info.flag_bits & 0x1 for info in infos):
            raise EncryptedDocument("Word-filen är lösenordsskyddad och kan inte läsas.")
        manifest = ""
        names = {info.filename for info in infos}
        if "[Content_Types].xml" in names:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size <= _MAX_MANIFEST_BYTES:
                try:
                    manifest = archive.read(info).decode("utf-8", "replace")
                except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                    raise CorruptDocument("Word-filen är skadad och kan inte läsas.") from exc
        if not any(marker in manifest for marker in _WORD_MARKERS):
            if "word/document.xml" in names:
                raise CorruptDocument(
                    "Word-filen är skadad (innehållsförteckningen saknas) och kan inte läsas."
                )
            raise CorruptDocument(
                "Filen är ett zip-arkiv men inte ett Word-dokument (.docx). "
                "Ladda upp själva dokumentet som .docx, PDF eller .txt."
            )


# -- list numbering ---------------------------------------------------------------------------

_LETTER_FORMATS = frozenset({"lowerLetter", "upperLetter"})
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"))
_ROMAN += ((50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
_SIMPLE_LABEL = re.compile(r"^\(?%([1-9])[.):]?$")
_PLACEHOLDER = re.compile(r"%([1-9])")


@dataclass(frozen=True, slots=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    style: str | None = None  # a paragraph style bound to this level (w:pStyle in w:lvl)


def _roman(n: int) -> str:
    out = []
    for value, digits in _ROMAN:
        while n >= value:
            out.append(digits)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word's letter lists go a … z, aa … zz, aaa …
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = _letters(n)
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


def _int_attr(element: Any, tag: str) -> int | None:
    found = element.find(_w(tag)) if element is not None else None
    if found is None:
        return None
    try:
        return int(found.get(W_VAL))
    except (TypeError, ValueError):
        return None


def _str_attr(element: Any, tag: str) -> str | None:
    found = element.find(_w(tag)) if element is not None else None
    return None if found is None else found.get(W_VAL)


def _parse_level(lvl: Any) -> _Level:
    start = _int_attr(lvl, "start")
    text = _str_attr(lvl, "lvlText")
    return _Level(
        start=1 if start is None else start,
        fmt=_str_attr(lvl, "numFmt") or "decimal",
        text="" if text is None else text,
        style=_str_attr(lvl, "pStyle"),
    )


class _Numbering:
    """Word's list counters, replayed in document order.

    Counters belong to the abstract list: two w:num instances of one abstractNum
    continue each other (that is how Word's "continue numbering" works) unless
    the instance carries a startOverride, which restarts the level the first time
    the instance is used. Using a level resets all deeper levels.
    """

    def __init__(self, document: Any) -> None:
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self._style_numpr: dict[str, tuple[str | None, int | None]] = {}
        self._style_parent: dict[str, str] = {}
        self._counters: dict[str, list[int | None]] = {}
        self._used_nums: set[str] = set()
        self._load_styles(document)
        self._load_numbering(document)

    def _load_styles(self, document: Any) -> None:
        try:
            styles = document.styles.element
        except (KeyError, AttributeError, NotImplementedError):
            return
        for style in styles.iterchildren(_w("style")):
            style_id = style.get(_w("styleId"))
            if not style_id:
                continue
            parent = _str_attr(style, "basedOn")
            if parent:
                self._style_parent[style_id] = parent
            num_pr = style.find(f"{W_PPR}/{_w('numPr')}")
            if num_pr is not None:
                num_id = _str_attr(num_pr, "numId")
                self._style_numpr[style_id] = (num_id, _int_attr(num_pr, "ilvl"))

    def _load_numbering(self, document: Any) -> None:
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, AttributeError, NotImplementedError):
            return
        style_links: dict[str, str] = {}
        for abstract in numbering.iterchildren(_w("abstractNum")):
            abstract_id = abstract.get(_w("abstractNumId"))
            self._abstract[abstract_id] = {
                int(lvl.get(_w("ilvl"), "0")): _parse_level(lvl) for lvl in abstract.iterchildren(_w("lvl"))
            }
            link = _str_attr(abstract, "numStyleLink")
            if link:
                style_links[abstract_id] = link
        for num in numbering.iterchildren(_w("num")):
            abstract_id = _str_attr(num, "abstractNumId") or ""
            starts: dict[int, int] = {}
            levels: dict[int, _Level] = {}
            for override in num.iterchildren(_w("lvlOverride")):
                ilvl = int(override.get(_w("ilvl"), "0"))
                start = _int_attr(override, "startOverride")
                if start is not None:
                    starts[ilvl] = start
                lvl = override.find(_w("lvl"))
                if lvl is not None:
                    levels[ilvl] = _parse_level(lvl)
            self._nums[num.get(_w("numId"))] = (abstract_id, starts, levels)
        # An abstract list that only points at a numbering style borrows the levels
        # of the list that style uses.
        for abstract_id, style_id in style_links.items():
            num_id, _ = self._style_numpr.get(style_id, (None, None))
            target = self._nums.get(num_id or "")
            if target and not self._abstract.get(abstract_id):
                self._abstract[abstract_id] = self._abstract.get(target[0], {})

    def _style_chain(self, style_id: str | None) -> Iterator[str]:
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            yield style_id
            style_id = self._style_parent.get(style_id)

    def _level(self, num_id: str, ilvl: int) -> _Level:
        abstract_id, _, overrides = self._nums[num_id]
        return overrides.get(ilvl) or self._abstract.get(abstract_id, {}).get(ilvl) or _Level()

    def label(self, paragraph: Any) -> str | None:
        """Advance the counters for this paragraph and return its label, or None."""
        p_pr = paragraph.find(W_PPR)
        style_id = _str_attr(p_pr, "pStyle") if p_pr is not None else None
        num_pr = p_pr.find(_w("numPr")) if p_pr is not None else None
        num_id = _str_attr(num_pr, "numId") if num_pr is not None else None
        ilvl = _int_attr(num_pr, "ilvl") if num_pr is not None else None
        if num_id is None or ilvl is None:
            for sid in self._style_chain(style_id):
                style_num, style_lvl = self._style_numpr.get(sid, (None, None))
                if num_id is None and style_num is not None:
                    num_id = style_num
                if ilvl is None and style_lvl is not None:
                    ilvl = style_lvl
        if num_id is None or num_id == "0" or num_id not in self._nums:
            return None
        abstract_id, starts, _ = self._nums[num_id]
        if ilvl is None:  # a level may be bound to the paragraph's style instead
            levels = self._abstract.get(abstract_id, {})
            ilvl = next((i for i, lvl in levels.items() if style_id and lvl.style == style_id), 0)
        ilvl = max(0, min(8, ilvl))

        counters = self._counters.setdefault(abstract_id, [None] * 9)
        if num_id not in self._used_nums:
            self._used_nums.add(num_id)
            for level_index, start in starts.items():
                if 0 <= level_index < 9:
                    counters[level_index] = start - 1
                    for deeper in range(level_index + 1, 9):
                        counters[deeper] = None
        current = counters[ilvl]
        counters[ilvl] = self._level(num_id, ilvl).start if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        return self._render(num_id, ilvl, counters)

    def _render(self, num_id: str, ilvl: int, counters: list[int | None]) -> str:
        level = self._level(num_id, ilvl)
        if level.fmt == "bullet":
            return "-"
        value = counters[ilvl] or 0
        simple = _SIMPLE_LABEL.match(level.text.strip())
        if simple and int(simple.group(1)) == ilvl + 1:
            # One-number labels in one shape whatever the template says, so the
            # parser sees "3." for items and "b)" for sub-items as in typed minutes.
            number = format_number(value, level.fmt)
            if not number:
                return ""
            return f"{number})" if level.fmt in _LETTER_FORMATS else f"{number}."

        def substitute(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            lvl = self._level(num_id, index)
            count = counters[index]
            return format_number(lvl.start if count is None else count, lvl.fmt)

        return _PLACEHOLDER.sub(substitute, level.text).strip()


# -- text ---------------------------------------------------------------------------------------


def _hidden(run: Any) -> bool:
    r_pr = run.find(W_RPR)
    vanish = r_pr.find(_w("vanish")) if r_pr is not None else None
    return vanish is not None and vanish.get(W_VAL) not in ("0", "false", "off")


def _collect_text(element: Any, out: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == W_T:
            out.append(child.text or "")
        elif tag == W_TAB:
            out.append("\t")
        elif tag in (W_BR, W_CR):
            out.append("\n")
        elif tag == W_NO_BREAK_HYPHEN:
            out.append("-")
        elif tag == W_R and _hidden(child):
            continue
        else:
            _collect_text(child, out)


def paragraph_text(paragraph: Any) -> str:
    """The visible text of a w:p: runs, hyperlinks, fields' results, tracked insertions."""
    out: list[str] = []
    _collect_text(paragraph, out)
    return "".join(out)


class _BodyWalker:
    def __init__(self, numbering: _Numbering) -> None:
        self._numbering = numbering

    def lines(self, container: Any) -> Iterator[str]:
        for child in container.iterchildren():
            tag = child.tag
            if tag == W_P:
                yield from self._paragraph(child)
            elif tag == W_TBL:
                yield from self._table(child)
            elif tag == W_SDT:
                content = child.find(W_SDT_CONTENT)
                if content is not None:
                    yield from self.lines(content)
            elif tag in _BLOCK_CONTAINERS:
                yield from self.lines(child)

    def _paragraph(self, paragraph: Any) -> Iterator[str]:
        label = self._numbering.label(paragraph)  # advances counters even for empty items, as Word does
        text = paragraph_text(paragraph)
        if not text.strip():
            return
        if label:
            text = f"{label} {text.lstrip()}"
        yield from text.split("\n")

    def _table(self, table: Any) -> Iterator[str]:
        # One line per row, cells separated by a tab: an agenda table
        # ("§ 3 | Ekonomi") then reads like a typed heading ("§ 3<TAB>Ekonomi").
        for row in self._rows(table):
            cells: list[str] = []
            for cell in row.iterchildren(W_TC):
                text = " ".join(line.strip() for line in self.lines(cell) if line.strip())
                if text:
                    cells.append(text)
            if cells:
                yield "\t".join(cells)

    def _rows(self, container: Any) -> Iterator[Any]:
        """The rows of this table, also inside content controls; nested tables stay in their cell."""
        for child in container.iterchildren():
            if child.tag == W_TR:
                yield child
            elif child.tag == W_SDT:
                content = child.find(W_SDT_CONTENT)
                if content is not None:
                    yield from self._rows(content)
            elif child.tag in _BLOCK_CONTAINERS:
                yield from self._rows(child)


class DocxReader:
    """Reads .docx (and .docm/.dotx); also takes any other zip, to say clearly what it is not."""

    mime_types = (DOCX_MIME, ZIP_MIME)

    def score(self, path: Path, mime_type: str) -> int:
        if mime_type == DOCX_MIME:
            return 100
        return 1 if mime_type == ZIP_MIME else 0

    def read(
        self,
        path: Path,
        *,
        progress: ProgressCallback | None = None,
        options: ReadOptions | None = None,
    ) -> ExtractedText:
        check_package(path)
        try:
            document = docx.Document(str(path))
        except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
            raise CorruptDocument("Word-filen är skadad och kan inte läsas.") from exc
        walker = _BodyWalker(_Numbering(document))
        text = clean_page_text("\n".join(walker.lines(document.element.body)))
        if not has_visible_text(text):
            raise EmptyDocument("Word-dokumentet innehåller ingen text.")
        if progress is not None:
            progress(1, 1)
        return ExtractedText(
            pages=(Page(number=1, text=text, method=Method.DOCX),), method=Method.DOCX, mime_type=DOCX_MIME
        )
