"""Plain-text minutes: detect the encoding from the bytes, never guess from the name.

Swedish minutes arrive as UTF-8 (with or without BOM) from modern tools, as UTF-16
from Windows "Unicode" saves (sometimes without BOM), and as cp1252 from older
Windows editors. Each of these is tried strictly, so valid input is never decoded
with replacement characters; text that is valid in none of them is not text.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from minutes.errors import DocumentTooLarge, EmptyDocument, ReadError, UnsupportedFileType

from .base import ExtractedText, Method, Page, ProgressCallback, ReadOptions
from .cleanup import clean_page_text, has_visible_text

TEXT_MIME = "text/plain"

# A year of weekly minutes is well under 1 MB; 20 MB of "text" is a log file or an
# attack, and decoding it would hold several copies in memory.
MAX_TEXT_BYTES = 20 * 1024 * 1024

# How much of a file the sniffer looks at; detection on a prefix must agree with
# detection on the whole file for every encoding we accept, which it does because
# each test below is local (BOM, NUL pattern, byte validity).
SNIFF_BYTES = 64 * 1024

_BOMS: Sequence[tuple[bytes, str]] = (
    # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Control characters that real text files contain: tab, newlines, form feed (page
# break from pdftotext), and Ctrl-Z (the DOS end-of-file marker).
_TEXT_CONTROLS = frozenset("\t\n\r\f\x1a")
# Above this share of other control characters the "text" is binary data that
# happened to decode (cp1252 maps almost every byte to something).
_MAX_CONTROL_RATIO = 0.01

_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str
    lossy: bool = False  # True when invalid bytes were replaced (mixed-encoding files)


def _utf16_without_bom(sample: bytes) -> str | None:
    """Recognise BOM-less UTF-16 by its NUL bytes.

    Latin script in UTF-16 has a NUL in every high byte, so NULs pile up at odd
    offsets (little-endian) or even offsets (big-endian) and almost never at the
    other parity. Binary files have NULs scattered at both.
    """
    head = sample[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    nul_even = even.count(0) / len(even)
    nul_odd = odd.count(0) / len(odd)
    if nul_odd > 0.3 and nul_even < 0.05:
        return "utf-16-le"
    if nul_even > 0.3 and nul_odd < 0.05:
        return "utf-16-be"
    return None


def _decodes(data: bytes, encoding: str, *, complete: bool) -> str | None:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        return decoder.decode(data, final=complete)
    except UnicodeDecodeError:
        return None


def _looks_like_text(text: str) -> bool:
    if "\x00" in text:
        return False
    controls = sum(1 for ch in text if (ch < " " or "\x7f" <= ch <= "\x9f") and ch not in _TEXT_CONTROLS)
    return controls <= len(text) * _MAX_CONTROL_RATIO


def decode_text(data: bytes, *, complete: bool = True) -> DecodedText | None:
    """Decode bytes that are text; return None for anything that is not.

    ``complete=False`` is for a prefix of a file (the sniffer): a multi-byte
    character cut at the end of the prefix is then not an error.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _decodes(data, encoding, complete=complete)
            return DecodedText(text, encoding) if text is not None and _looks_like_text(text) else None

    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            return None
        if not complete and len(data) % 2:
            data = data[:-1]
        text = _decodes(data, encoding, complete=complete)
        return DecodedText(text, encoding) if text is not None and _looks_like_text(text) else None

    for encoding in ("utf-8", "cp1252"):
        text = _decodes(data, encoding, complete=complete)
        if text is not None and _looks_like_text(text):
            if encoding == "cp1252" and _mostly_utf8(data):
                break
            return DecodedText(text, encoding)

    # A UTF-8 file with a few stray bytes (two files pasted together, one of them
    # cp1252) reads far better as UTF-8 with a few replacements than as cp1252,
    # which would turn every å into "Ã¥". Reported as lossy so the caller can warn.
    if _mostly_utf8(data):
        text = data.decode("utf-8", errors="replace")
        if _looks_like_text(text):
            return DecodedText(text, "utf-8", lossy=True)
    return None


def _mostly_utf8(data: bytes) -> bool:
    multibyte = len(_UTF8_MULTIBYTE.findall(data))
    high = sum(1 for b in data if b >= 0x80)
    # Each multibyte sequence accounts for 2–4 high bytes; if they explain most of
    # the high bytes the file is UTF-8 with some damage.
    return multibyte >= 3 and 2 * multibyte >= 0.8 * high


class TextReader:
    """Reads .txt files; a form feed in the text (pdftotext output) starts a new page."""

    mime_types = (TEXT_MIME,)

    def score(self, path: Path, mime_type: str) -> int:
        return 100 if mime_type == TEXT_MIME else 0

    def read(
        self,
        path: Path,
        *,
        progress: ProgressCallback | None = None,
        options: ReadOptions | None = None,
    ) -> ExtractedText:
        options = options or ReadOptions()
        try:
            size = path.stat().st_size
            if size > MAX_TEXT_BYTES:
                raise DocumentTooLarge(
                    f"Textfilen är för stor ({size // (1024 * 1024)} MB; högst {MAX_TEXT_BYTES // (1024 * 1024)} MB)."
                )
            data = path.read_bytes()
        except OSError as exc:
            raise ReadError(f"Textfilen kunde inte läsas: {exc.strerror or exc}.") from exc

        if not data.strip():
            raise EmptyDocument()
        decoded = decode_text(data)
        if decoded is None:
            raise UnsupportedFileType(
                "Filen innehåller inte läsbar text – den ser ut att vara en binärfil. "
                "Tillåtna typer: .txt, .pdf, .docx, .png, .jpg, .tif."
            )

        raw_pages = decoded.text.rstrip("\x1a").split("\f")
        while len(raw_pages) > 1 and not has_visible_text(raw_pages[-1]):
            raw_pages.pop()  # pdftotext ends every page, the last one too, with \f
        if options.max_pages is not None and len(raw_pages) > options.max_pages:
            raise DocumentTooLarge(
                f"Dokumentet har {len(raw_pages)} sidor; högst {options.max_pages} sidor kan läsas in."
            )
        pages = tuple(
            Page(number=i, text=clean_page_text(raw), method=Method.TEXT)
            for i, raw in enumerate(raw_pages, start=1)
        )
        if not any(has_visible_text(p.text) for p in pages):
            raise EmptyDocument()

        warnings: tuple[str, ...] = ()
        if decoded.lossy:
            warnings = (
                "Textfilen innehöll tecken som inte är giltig UTF-8; de har ersatts med �. "
                "Kontrollera å, ä och ö i resultatet.",
            )
        if progress is not None:
            progress(len(pages), len(pages))
        return ExtractedText(pages=pages, method=Method.TEXT, mime_type=TEXT_MIME, warnings=warnings)
