"""PDF minutes: the text layer where there is one, OCR page by page where there is not.

Library choice, measured with bench/bench_reading.py on the six born-digital
samples (29 pages): pypdfium2 reads the text layer in ~2.2 ms/page, pdfplumber's
``extract_text`` in ~140–165 ms/page (60–75× slower) and poppler's pdftotext in
~4 ms/page (a process per file). After the fix below, every one of pypdfium2's 1055
lines appears, in the same order, in pdfplumber's output; pdftotext differs only
where it silently joins hyphenated line ends ("BBICsamordnare"). pdfplumber's
layout analysis buys nothing for single-column minutes, so we use pypdfium2.

The fix: when a line ends in a hyphen, PDFium joins it to the next line and marks
the join with U+FFFE ("BBIC\\ufffesamordnare"). We put the hyphen and the line break
back, which restores the printed lines exactly; whether "BBIC-" + "samordnare" is a
hyphenated word or a compound is for the parser to decide, not the reader.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from minutes.errors import (
    CorruptDocument,
    DocumentNotFound,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedDocument,
)

from .base import ExtractedText, Method, Page, ProgressCallback, ReadOptions
from .cleanup import clean_page_text, has_visible_text
from .furniture import strip_running_furniture
from .ocr import PdfPageJob, dpi_for_page, ocr_pdf_pages

log = logging.getLogger(__name__)

PDF_MIME = "application/pdf"

# PDFium is not thread-safe; Django may serve two uploads at once in one process.
# Text extraction is milliseconds per page, so one lock costs nothing; OCR runs
# outside it (it renders with pdftoppm, not PDFium).
_PDFIUM_LOCK = threading.Lock()

# A page whose text layer is mostly unmapped glyphs (fonts without a ToUnicode
# map give U+FFFD or private-use code points) is unreadable and goes to OCR.
_MAX_GARBAGE_RATIO = 0.3
# A page with only a stamp or a page number as text on top of a full-page image
# is a scan with a few added words; OCR reads both.
_SCAN_WITH_STAMP_MAX_CHARS = 200
_SCAN_IMAGE_COVERAGE = 0.5


@dataclass(frozen=True, slots=True)
class _LayerPage:
    number: int
    text: str | None  # None: the page needs OCR
    dpi: int


def _is_garbage(ch: str) -> bool:
    return ch == "\ufffd" or unicodedata.category(ch) in {"Co", "Cs", "Cn", "Cc"}


def _needs_ocr(text: str, page: pdfium.PdfPage) -> bool:
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        # A page with nothing drawn on it is blank, not a scan; OCR would only cost time.
        return pdfium_c.FPDFPage_CountObjects(page.raw) > 0
    if sum(map(_is_garbage, visible)) > len(visible) * _MAX_GARBAGE_RATIO:
        return True
    if len(visible) < _SCAN_WITH_STAMP_MAX_CHARS:
        width, height = page.get_size()
        for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
            left, bottom, right, top = image.get_bounds()
            if (right - left) * (top - bottom) >= width * height * _SCAN_IMAGE_COVERAGE:
                return True
    return False


def _page_text(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
    finally:
        textpage.close()
    text = text.replace("\r\n", "\n")
    return text.replace("\ufffe\n", "-\n").replace("\ufffe", "-\n")


def _declared_page_count(path: Path) -> int | None:
    """The /Count of the page tree, read with pdfminer, for a PDF that PDFium refused.

    PDFium refuses a valid PDF with zero pages with the same error as a damaged one;
    only the page tree tells "empty" from "broken".
    """
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    try:
        with path.open("rb") as handle:
            document = PDFDocument(PDFParser(handle))
            pages = resolve1(document.catalog.get("Pages"))
            return int(resolve1(pages.get("Count")))
    except Exception:  # any failure just means "not known to be empty"
        return None


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        code = exc.err_code
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise EncryptedDocument() from exc
        if code == pdfium_c.FPDF_ERR_FILE:
            raise DocumentNotFound("PDF-filen kunde inte öppnas.") from exc
        if _declared_page_count(path) == 0:
            raise EmptyDocument("PDF-filen innehåller inga sidor.") from exc
        raise CorruptDocument("PDF-filen är skadad eller ofullständig och kan inte läsas.") from exc


def _read_text_layer(path: Path, max_pages: int | None) -> list[_LayerPage]:
    with _PDFIUM_LOCK:
        document = _open(path)
        try:
            count = len(document)
            if count == 0:
                raise EmptyDocument("PDF-filen innehåller inga sidor.")
            if max_pages is not None and count > max_pages:
                raise DocumentTooLarge(f"PDF-filen har {count} sidor; högst {max_pages} sidor kan läsas in.")
            pages: list[_LayerPage] = []
            for index in range(count):
                try:
                    page = document[index]
                except pdfium.PdfiumError as exc:
                    raise CorruptDocument(
                        f"Sida {index + 1} i PDF-filen är skadad och kan inte läsas."
                    ) from exc
                try:
                    text = _page_text(page)
                    width, height = page.get_size()
                    needs_ocr = _needs_ocr(text, page)
                finally:
                    page.close()
                pages.append(
                    _LayerPage(
                        number=index + 1, text=None if needs_ocr else text, dpi=dpi_for_page(width, height)
                    )
                )
            return pages
        finally:
            document.close()


def _looks_truncated(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(0, 2)
        handle.seek(max(0, handle.tell() - 2048))
        return b"%%EOF" not in handle.read()


def _page_list(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers))


class PdfReader:
    """Reads PDFs: born-digital pages from the text layer, scanned pages with OCR."""

    mime_types = (PDF_MIME,)

    def score(self, path: Path, mime_type: str) -> int:
        return 100 if mime_type == PDF_MIME else 0

    def read(
        self,
        path: Path,
        *,
        progress: ProgressCallback | None = None,
        options: ReadOptions | None = None,
    ) -> ExtractedText:
        options = options or ReadOptions()
        layer = _read_text_layer(path, options.max_pages)
        total = len(layer)
        done = 0

        def page_done() -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done, total)

        for page in layer:
            if page.text is not None:
                page_done()

        scanned = [page for page in layer if page.text is None]
        ocr_results = ocr_pdf_pages(
            path,
            [PdfPageJob(number=page.number, dpi=page.dpi) for page in scanned],
            workers=options.ocr_workers,
            on_page_done=page_done,
        )
        ocr_by_number = {page.number: result for page, result in zip(scanned, ocr_results, strict=True)}

        raw_texts: list[str] = []
        for page in layer:
            raw = page.text if page.text is not None else ocr_by_number[page.number].text
            raw_texts.append(clean_page_text(raw))
        furniture = strip_running_furniture(raw_texts)

        pages = tuple(
            Page(
                number=page.number,
                text=text,
                method=Method.PDF_TEXT if page.text is not None else Method.OCR,
                confidence=ocr_by_number[page.number].confidence if page.number in ocr_by_number else None,
            )
            for page, text in zip(layer, furniture.pages, strict=True)
        )
        if not any(has_visible_text(page.text) for page in pages):
            raise EmptyDocument("PDF-filen innehåller ingen läsbar text.")

        if not scanned:
            method = Method.PDF_TEXT
        elif len(scanned) == len(layer):
            method = Method.OCR
        else:
            method = Method.MIXED

        warnings: list[str] = []
        if method == Method.MIXED:
            which = (
                f"Sida {scanned[0].number}"
                if len(scanned) == 1
                else f"Sidorna {_page_list([p.number for p in scanned])}"
            )
            warnings.append(
                f"{which} saknade textlager och lästes med textigenkänning (OCR); kontrollera extra noga."
            )
        if furniture.removed:
            shown = "; ".join(f"”{line}”" for line in furniture.removed)
            warnings.append(f"Sidhuvud/sidfot som upprepas på sidorna togs bort: {shown}.")
        if _looks_truncated(path):
            warnings.append(
                "PDF-filen saknar sitt avslut och kan vara ofullständig – kontrollera att alla sidor kom med."
            )
        return ExtractedText(pages=pages, method=method, mime_type=PDF_MIME, warnings=tuple(warnings))
