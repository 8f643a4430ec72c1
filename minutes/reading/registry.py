"""The one entry point of the reading layer: a file in, ExtractedText or a ReadError out.

The registry sniffs the content, asks every reader for a score and lets the
highest one read (as Paperless does). Whatever goes wrong below, the caller gets
a ``minutes.errors.ReadError`` with a Swedish message it can show as it is: a
library's own exception escaping from here would reach the user as a 500 page.
"""

from __future__ import annotations

import logging
from pathlib import Path

from minutes.errors import (
    CorruptDocument,
    DocumentNotFound,
    DocumentTooLarge,
    EmptyDocument,
    ReadError,
    UnsupportedFileType,
)

from .base import ExtractedText, ProgressCallback, Reader, ReadOptions
from .docx import DocxReader
from .ocr import ImageReader
from .pdf import PdfReader
from .sniff import (
    BINARY_MIME,
    BMP_MIME,
    EMPTY_MIME,
    GIF_MIME,
    HTML_MIME,
    OLE_MIME,
    PPTX_MIME,
    RTF_MIME,
    WEBP_MIME,
    XLSX_MIME,
    sniff_mime_type,
)
from .text import TextReader

log = logging.getLogger(__name__)

READERS: tuple[Reader, ...] = (TextReader(), PdfReader(), DocxReader(), ImageReader())

_SAVE_AS = "Spara dokumentet som .docx, PDF eller .txt och ladda upp det igen."
_UNSUPPORTED_MESSAGES: dict[str, str] = {
    OLE_MIME: f"Filen är i ett äldre Office-format (.doc/.xls) eller är ett lösenordsskyddat Word-dokument. {_SAVE_AS}",
    XLSX_MIME: f"Filen är ett Excel-kalkylark, inte minnesanteckningar. {_SAVE_AS}",
    PPTX_MIME: f"Filen är en PowerPoint-presentation, inte minnesanteckningar. {_SAVE_AS}",
    RTF_MIME: f"RTF-filer stöds inte. {_SAVE_AS}",
    HTML_MIME: f"Webbsidor (HTML) stöds inte. {_SAVE_AS}",
    GIF_MIME: "GIF-bilder stöds inte. Skanna till PDF, PNG, JPG eller TIFF.",
    BMP_MIME: "BMP-bilder stöds inte. Skanna till PDF, PNG, JPG eller TIFF.",
    WEBP_MIME: "WebP-bilder stöds inte. Skanna till PDF, PNG, JPG eller TIFF.",
    BINARY_MIME: (
        "Filen innehåller varken läsbar text eller ett känt dokumentformat. "
        "Tillåtna typer: .txt, .pdf, .docx, .png, .jpg, .tif."
    ),
}

__all__ = ["READERS", "read_document", "reader_for", "sniff_mime_type"]


class _CallerError(Exception):
    """Carries an exception raised by the caller's progress callback through the readers."""

    def __init__(self, original: Exception) -> None:
        super().__init__(str(original))
        self.original = original


def _guarded(progress: ProgressCallback | None) -> ProgressCallback | None:
    """Let the callback's own errors (a cancelled task, say) reach the caller unchanged."""
    if progress is None:
        return None

    def call(done: int, total: int) -> None:
        try:
            progress(done, total)
        except Exception as exc:
            raise _CallerError(exc) from exc

    return call


def reader_for(path: Path, mime_type: str) -> Reader:
    """The reader with the highest score for this file; UnsupportedFileType if none fits."""
    best: Reader | None = None
    best_score = 0
    for reader in READERS:
        score = reader.score(path, mime_type)
        if score > best_score:
            best, best_score = reader, score
    if best is None:
        if mime_type.startswith("application/vnd.oasis.opendocument"):
            raise UnsupportedFileType(f"OpenDocument-filer (LibreOffice) stöds inte. {_SAVE_AS}")
        raise UnsupportedFileType(_UNSUPPORTED_MESSAGES.get(mime_type))
    return best


def read_document(
    path: Path,
    *,
    progress: ProgressCallback | None = None,
    ocr_workers: int | None = None,
    max_pages: int | None = None,
) -> ExtractedText:
    """Read the file at ``path`` into pages of text.

    ``progress(done, total)`` is called after each page (OCR pages may take
    seconds each); ``ocr_workers`` bounds the pages OCRed at once (default: one
    per CPU); more than ``max_pages`` pages raises DocumentTooLarge before any
    OCR starts. Raises only ``ReadError`` subclasses.
    """
    path = Path(path)
    try:
        if not path.is_file():
            raise DocumentNotFound(f"Filen {path.name} finns inte.")
        mime_type = sniff_mime_type(path)
    except OSError as exc:
        raise DocumentNotFound(f"Filen {path.name} kunde inte öppnas.") from exc
    if mime_type == EMPTY_MIME:
        raise EmptyDocument("Filen är tom (0 byte).")

    reader = reader_for(path, mime_type)
    options = ReadOptions(ocr_workers=ocr_workers, max_pages=max_pages)
    try:
        return reader.read(path, progress=_guarded(progress), options=options)
    except _CallerError as exc:
        raise exc.original from None
    except ReadError:
        raise
    except MemoryError as exc:
        raise DocumentTooLarge("Dokumentet är för stort för att läsas in.") from exc
    except OSError as exc:
        log.exception("I/O error while reading %s", path)
        raise ReadError(f"Filen kunde inte läsas: {exc.strerror or exc}.") from exc
    except Exception as exc:
        # A library failed in a way we did not foresee: keep the traceback in the
        # log for us, give the uploader a message instead of a 500.
        log.exception("Unexpected error from %s on %s", type(reader).__name__, path)
        raise CorruptDocument() from exc
