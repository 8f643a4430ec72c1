"""Small text clean-ups shared by every reader, so the parser sees one shape of text.

Only changes that cannot alter what a person reads belong here: line endings,
Unicode composition, invisible characters. Anything that changes wording
(dehyphenation, OCR repairs) is the parser's job, where it can keep provenance.
"""

from __future__ import annotations

import re
import unicodedata

# Soft hyphen and zero-width characters are invisible in every viewer; leaving them
# in would break word search ("beslut" vs "be\xadslut") without any visible trace.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
# C0/C1 controls other than tab and newline carry no text; \f is our page separator
# and must never appear inside a page.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+$", re.MULTILINE)


def normalize_newlines(text: str) -> str:
    """CRLF (Windows, pdfium) and lone CR (old Mac) become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_page_text(text: str) -> str:
    """Return the page text in the one shape every reader promises.

    NFC matters for Swedish: a decomposed "a" + combining ring looks like "å" but
    neither search nor the parser's keyword rules would match it.
    """
    text = normalize_newlines(text)
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_INVISIBLE)
    text = text.replace("\f", "\n").replace("\v", "\n")
    text = _CONTROL.sub("", text)
    text = _TRAILING_SPACE.sub("", text)
    return text.strip("\n")


def has_visible_text(text: str) -> bool:
    return any(not ch.isspace() for ch in text)
