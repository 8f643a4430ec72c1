"""What every reader returns, and the Protocol a reader implements.

Readers turn a file into pages of text; they never parse and never touch the ORM.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

# Pages are joined with a line holding only a form feed, so that line numbers in the
# joined text are stable and the parser can see page breaks.
PAGE_BREAK = "\f"


class Method:
    TEXT = "text"
    PDF_TEXT = "pdf"
    DOCX = "docx"
    OCR = "ocr"
    MIXED = "mixed"  # a PDF where some pages had a text layer and others were OCRed


@dataclass(frozen=True, slots=True)
class Page:
    number: int  # 1-based
    text: str
    method: str
    confidence: float | None = None  # mean tesseract word confidence 0–100, OCR pages only


@dataclass(frozen=True, slots=True)
class ExtractedText:
    pages: tuple[Page, ...]
    method: str
    mime_type: str
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        return f"\n{PAGE_BREAK}\n".join(page.text.rstrip("\n") for page in self.pages)

    @property
    def ocr_confidence(self) -> float | None:
        scores = [p.confidence for p in self.pages if p.confidence is not None]
        return round(sum(scores) / len(scores), 1) if scores else None

    @property
    def page_count(self) -> int:
        return len(self.pages)


# progress(done_pages, total_pages) – used by the command's progress bar and the task status page.
type ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Caller policy for one read, handed to the reader as a value (like Paperless' ParserContext).

    The limits are the caller's choice, not the reader's: a management command may
    accept a 600-page scan that a web upload should refuse.
    """

    ocr_workers: int | None = None  # None: one per CPU
    max_pages: int | None = None  # None: no limit


@runtime_checkable
class Reader(Protocol):
    """Reads one kind of file. The registry picks the reader with the highest score()."""

    mime_types: tuple[str, ...]

    def score(self, path: Path, mime_type: str) -> int:
        """0 = cannot read; higher wins."""
        ...

    def read(
        self,
        path: Path,
        *,
        progress: ProgressCallback | None = None,
        options: ReadOptions | None = None,
    ) -> ExtractedText:
        """Return the text page by page, or raise a minutes.errors.ReadError."""
        ...
