from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from minutes.errors import CorruptDocument, DocumentTooLarge, EmptyDocument, EncryptedDocument
from minutes.reading import pdf as pdf_module
from minutes.reading.base import PAGE_BREAK, Method
from minutes.reading.ocr import OcrPage
from minutes.reading.pdf import PdfReader
from minutes.reading.registry import read_document

TEXT_PDF = "000_0be05afe03cae433.pdf"


def test_born_digital_pdf_reads_every_page_from_the_text_layer(samples: Path) -> None:
    result = read_document(samples / TEXT_PDF)

    assert result.method == Method.PDF_TEXT
    assert result.mime_type == "application/pdf"
    assert result.page_count == 12
    assert [page.number for page in result.pages] == list(range(1, 13))
    assert all(page.method == Method.PDF_TEXT and page.confidence is None for page in result.pages)
    assert result.ocr_confidence is None
    lines = result.pages[0].text.splitlines()
    assert lines[0] == "Minnesanteckningar Länsnätverket för förvaltningschefer"
    assert "1. Mötets öppnande" in lines
    assert "Chefsnätverkets beslut" in result.text
    assert result.text.count(f"\n{PAGE_BREAK}\n") == 11


@pytest.mark.parametrize(
    ("name", "pages", "first_item"),
    [
        ("001_f70928721afc9d4a.pdf", 3, "1. Öppnande"),
        ("003_1de41181fc83c445.pdf", 5, "1. Mötets öppnande"),
        ("d1_valfardsradet_2019-11-20.pdf", 3, "1. Öppnande"),
        ("d3_schnv_2021-09-17.pdf", 3, "1. Mötets öppnande"),
        ("d4_lanschefsnatverket_2021-06-11.pdf", 3, "§ 1 Mötets öppnande"),
    ],
)
def test_every_text_sample_has_its_pages_and_first_item(
    samples: Path, name: str, pages: int, first_item: str
) -> None:
    result = read_document(samples / name)

    assert result.page_count == pages
    assert first_item in result.text.splitlines()


def test_lines_keep_their_order_and_words_are_not_glued(samples: Path) -> None:
    text = read_document(samples / TEXT_PDF).pages[0].text.splitlines()

    start = text.index("4. Rapporter och information")
    assert text[start + 1 : start + 3] == [
        "a) Rapport: Familjecentraler i Dalarna, En inventering hösten",
        "2019,",
    ]
    assert "Närvarande: Helene Kastemyr, Kristina Kumlin Bergenstråle, Ylva" in text


def test_line_end_hyphen_is_kept_as_printed(samples: Path) -> None:
    # PDFium joins "BBIC-" + "samordnare" with U+FFFE; the reader restores the printed lines.
    text = read_document(samples / "003_1de41181fc83c445.pdf").text

    assert "\ufffe" not in text
    assert "regional BBIC-\nsamordnare och kan därmed" in text


def test_running_footer_is_removed_from_every_page(samples: Path) -> None:
    result = read_document(samples / TEXT_PDF)

    assert not re.search(r"^Sida \d+ \(12\)$", result.text, re.MULTILINE)
    assert result.pages[0].text.splitlines()[-1] == "april."
    assert any("Sida 1 (12)" in warning for warning in result.warnings)


def test_encrypted_pdf_is_refused_with_a_swedish_message(encrypted_pdf: Path) -> None:
    # The fixture really is encrypted: it opens with its password.
    with pdfium.PdfDocument(encrypted_pdf, password="hemligt") as document:
        assert document[0].get_textpage().get_text_range().strip() == "Hemligt protokoll"

    with pytest.raises(EncryptedDocument, match="krypterad"):
        read_document(encrypted_pdf)


@pytest.mark.parametrize("fraction", [0.5, 0.9])
def test_truncated_pdf_is_corrupt(samples: Path, tmp_path: Path, fraction: float) -> None:
    data = (samples / TEXT_PDF).read_bytes()
    path = tmp_path / "avbruten.pdf"
    path.write_bytes(data[: int(len(data) * fraction)])

    with pytest.raises(CorruptDocument, match="skadad"):
        read_document(path)


def test_pdf_header_with_garbage_after_it_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "skrap.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)

    with pytest.raises(CorruptDocument):
        read_document(path)


def test_zero_page_pdf_is_empty(zero_page_pdf: Path) -> None:
    with pytest.raises(EmptyDocument, match="inga sidor"):
        read_document(zero_page_pdf)


def test_more_pages_than_allowed_is_too_large(samples: Path) -> None:
    with pytest.raises(DocumentTooLarge, match="12 sidor"):
        read_document(samples / TEXT_PDF, max_pages=10)


def test_progress_is_reported_after_every_page(samples: Path) -> None:
    calls: list[tuple[int, int]] = []

    read_document(
        samples / "d3_schnv_2021-09-17.pdf", progress=lambda done, total: calls.append((done, total))
    )

    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_scanned_pages_go_to_ocr_and_make_a_mixed_document(make_pdf, monkeypatch) -> None:
    # Page 1 born-digital, page 2 a scan: only page 2 may reach OCR. OCR itself is
    # faked here (the real thing is tested in test_ocr.py); the routing is the point.
    path = make_pdf([("d3_schnv_2021-09-17.pdf", [0]), ("d3_schnv_2021-09-17.scan.pdf", [1])])
    seen: list[list[int]] = []

    def fake_ocr(pdf, jobs, *, workers=None, on_page_done=None):
        seen.append([job.number for job in jobs])
        for _ in jobs:
            on_page_done()
        return [OcrPage(text="Socialchefsnätverket beslutade\natt tillstyrka", confidence=88.0) for _ in jobs]

    monkeypatch.setattr(pdf_module, "ocr_pdf_pages", fake_ocr)
    result = PdfReader().read(path)

    assert seen == [[2]]
    assert result.method == Method.MIXED
    assert [page.method for page in result.pages] == [Method.PDF_TEXT, Method.OCR]
    assert [page.confidence for page in result.pages] == [None, 88.0]
    assert result.ocr_confidence == 88.0
    assert result.pages[1].text.startswith("Socialchefsnätverket beslutade")
    assert any("2" in warning and "OCR" in warning for warning in result.warnings)


def test_a_blank_page_is_not_sent_to_ocr(tmp_path: Path, samples: Path, monkeypatch) -> None:
    document = pdfium.PdfDocument(samples / "d3_schnv_2021-09-17.pdf")
    document.new_page(595, 842)  # nothing drawn on it
    path = tmp_path / "med-tom-sida.pdf"
    document.save(path)
    document.close()

    def no_ocr(pdf, jobs, **kwargs):
        assert list(jobs) == []
        return []

    monkeypatch.setattr(pdf_module, "ocr_pdf_pages", no_ocr)
    result = PdfReader().read(path)

    assert result.page_count == 4
    assert result.pages[3].text == ""
    assert result.method == Method.PDF_TEXT
