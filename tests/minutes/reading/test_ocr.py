"""OCR: the bounded pool and its guards run everywhere; real tesseract runs under the ``ocr`` marker.

Real OCR costs ~2.5 s a page, so only one multi-page scan and the PNG are OCRed.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytesseract
import pytest

from minutes.errors import CorruptDocument, DocumentTooLarge, OcrFailed, OcrUnavailable, ReadError
from minutes.reading import ocr
from minutes.reading.base import Method
from minutes.reading.ocr import OcrPage, PdfPageJob, dpi_for_page, mean_confidence, ocr_pdf_pages, run_bounded
from minutes.reading.registry import read_document

from .conftest import png_header_only

needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (poppler-utils)")


def test_mean_confidence_counts_words_only() -> None:
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "1\t1\t0\t0\t0\t0\t0\t0\t2481\t3509\t-1\t\n"
        "4\t1\t1\t1\t1\t0\t288\t284\t1538\t92\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t288\t284\t300\t92\t96.5\tMinnesanteckningar\n"
        '5\t1\t1\t1\t1\t2\t600\t284\t300\t92\t80.5\t"citat\n'
        "5\t1\t1\t1\t1\t3\t900\t284\t30\t92\t95\t \n"
    )

    assert mean_confidence(tsv) == 88.5
    assert mean_confidence(tsv.split("\n", 1)[0]) is None


def test_oversized_pages_are_rendered_at_a_lower_dpi() -> None:
    assert dpi_for_page(595, 842) == 300  # A4
    poster = dpi_for_page(2384, 3370)  # A0
    assert poster < 300
    assert (2384 / 72 * poster) * (3370 / 72 * poster) <= ocr.MAX_RENDER_PIXELS
    assert dpi_for_page(14400, 14400) >= 36


class _FakeWork:
    """Pretends to OCR job n: later jobs finish first, and it tracks concurrency."""

    def __init__(self, delays: list[float], fail_on: int | None = None) -> None:
        self.delays = delays
        self.fail_on = fail_on
        self.running = 0
        self.peak = 0
        self.started: list[int] = []
        self._lock = threading.Lock()

    def __call__(self, job: int, children) -> OcrPage:
        with self._lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
            self.started.append(job)
        try:
            time.sleep(self.delays[job])
            if job == self.fail_on:
                raise OcrFailed(f"sida {job}")
            return OcrPage(text=f"sida {job}", confidence=float(job))
        finally:
            with self._lock:
                self.running -= 1


def test_pool_keeps_page_order_and_never_runs_more_than_its_workers() -> None:
    work = _FakeWork(delays=[0.06, 0.01, 0.04, 0.0, 0.02, 0.0])
    done: list[int] = []

    results = run_bounded(list(range(6)), work, workers=2, on_done=lambda: done.append(1))

    assert [r.text for r in results] == [f"sida {n}" for n in range(6)]
    assert work.peak == 2
    assert len(done) == 6


def test_first_failure_stops_the_queue_and_is_raised() -> None:
    work = _FakeWork(delays=[0.0, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05], fail_on=0)

    with pytest.raises(OcrFailed):
        run_bounded(list(range(8)), work, workers=2)
    assert len(work.started) < 8


@needs_pdftoppm
def test_page_images_are_bounded_by_workers_and_deleted(samples: Path, monkeypatch) -> None:
    # Real pdftoppm renders, fake tesseract: at no time may more page images exist
    # than there are workers, and none may be left behind.
    seen: list[int] = []
    workdirs: set[Path] = set()
    lock = threading.Lock()

    def fake_tesseract(image: Path, children, *, what: str, dpi=None) -> OcrPage:
        with lock:
            workdirs.add(image.parent)
            seen.append(len(list(image.parent.glob("*.tif"))))
        time.sleep(0.05)
        return OcrPage(text=what, confidence=90.0)

    monkeypatch.setattr(ocr, "_tesseract", fake_tesseract)
    monkeypatch.setattr(ocr, "ensure_ocr_available", lambda **kwargs: None)
    jobs = [PdfPageJob(number=n, dpi=72) for n in range(1, 13)]

    results = ocr_pdf_pages(samples / "000_0be05afe03cae433.scan.pdf", jobs, workers=2)

    assert [r.text for r in results] == [f"sida {n}" for n in range(1, 13)]
    assert len(seen) == 12 and max(seen) <= 2
    assert all(not d.exists() for d in workdirs)


def test_missing_tesseract_is_ocr_unavailable(samples: Path, monkeypatch) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    monkeypatch.setattr(ocr, "_available", False)

    with pytest.raises(OcrUnavailable, match="tesseract"):
        read_document(samples / "d3_schnv_2021-09-17.scan.pdf")


def _fake_tesseract(tmp_path: Path, languages: str, recognise: str) -> str:
    script = tmp_path / "tesseract"
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "--list-langs" ]; then\n'
        f"  printf 'List of available languages in \"/x/\" (2):\\n{languages}\\n'; exit 0\n"
        "fi\n"
        f"{recognise}\n"
    )
    script.chmod(0o755)
    return str(script)


def test_missing_swedish_model_is_ocr_unavailable(samples: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(
        pytesseract.pytesseract, "tesseract_cmd", _fake_tesseract(tmp_path, "eng\\nosd", "exit 1")
    )
    monkeypatch.setattr(ocr, "_available", False)

    with pytest.raises(OcrUnavailable, match="svenska språkmodell"):
        read_document(samples / "000_0be05afe03cae433.scan.png")


def test_a_crashing_tesseract_is_ocr_failed(samples: Path, tmp_path: Path, monkeypatch) -> None:
    crash = "echo 'Segmentation fault' >&2; exit 139"
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", _fake_tesseract(tmp_path, "swe", crash))
    monkeypatch.setattr(ocr, "_available", False)

    with pytest.raises(OcrFailed, match="bild 1"):
        read_document(samples / "000_0be05afe03cae433.scan.png")


@pytest.mark.parametrize(("width", "height"), [(20_000, 20_000), (10_000, 9_000)])
def test_images_with_too_many_pixels_are_refused(tmp_path: Path, width: int, height: int) -> None:
    # 400 Mpx trips Pillow's DecompressionBombError; 90 Mpx our own bound.
    path = tmp_path / "affisch.png"
    path.write_bytes(png_header_only(width, height))

    with pytest.raises(DocumentTooLarge, match="för stor"):
        read_document(path)


@pytest.mark.ocr
def test_truncated_png_is_corrupt(samples: Path, tmp_path: Path) -> None:
    data = (samples / "000_0be05afe03cae433.scan.png").read_bytes()
    path = tmp_path / "avbruten.png"
    path.write_bytes(data[: len(data) // 3])

    with pytest.raises(CorruptDocument):
        read_document(path)


@pytest.mark.ocr
def test_scanned_pdf_is_ocred_page_by_page_in_order(samples: Path) -> None:
    calls: list[tuple[int, int]] = []

    result = read_document(
        samples / "d4_lanschefsnatverket_2021-06-11.scan.pdf",
        ocr_workers=2,
        progress=lambda done, total: calls.append((done, total)),
    )

    assert result.method == Method.OCR
    assert result.page_count == 3
    assert [page.number for page in result.pages] == [1, 2, 3]
    assert all(page.method == Method.OCR for page in result.pages)
    assert all(page.confidence is not None and page.confidence > 70 for page in result.pages)
    assert result.ocr_confidence is not None and result.ocr_confidence > 80
    assert calls == [(1, 3), (2, 3), (3, 3)]
    first, last = result.pages[0].text, result.pages[2].text
    assert "Mötets öppnande" in first
    assert "godkänna dagordningen" in first
    assert "Mötets avslutande" in last
    assert "Sida 3 (3)" not in last  # running footer removed from OCR pages too


@pytest.mark.ocr
def test_png_scan_is_ocred(samples: Path) -> None:
    result = read_document(samples / "000_0be05afe03cae433.scan.png")

    assert result.method == Method.OCR
    assert result.mime_type == "image/png"
    assert result.page_count == 1
    assert "Chefsnätverkets beslut" in result.text
    assert "1. Mötets öppnande" in result.text.splitlines()
    assert result.ocr_confidence is not None and result.ocr_confidence > 80


def test_errors_are_read_errors() -> None:
    assert issubclass(OcrUnavailable, ReadError) and issubclass(OcrFailed, ReadError)
