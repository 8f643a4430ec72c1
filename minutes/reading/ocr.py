"""OCR with tesseract's Swedish model, one page at a time, with bounded memory.

Scanned minutes are long (50–100 pages is common for a year's binder) and OCR is
the slowest step by far (~2.5 s per page at 300 dpi on one core), so the design is:

* Pages are rendered one at a time (``pdftoppm`` to a grey TIFF, ~0.03 s/page; PNG
  would cost ~0.8 s/page in compression alone) only when a worker is free to OCR
  them, and each image is deleted right after its OCR. At most ``workers`` page
  images exist at any time, whatever the page count.
* Each tesseract gets one thread (``OMP_THREAD_LIMIT=1``): tesseract's own OpenMP
  threads fight over the same cores as our page-level parallelism and make both
  slower. Parallelism comes from running pages side by side instead.
* Workers are threads, not processes: the work happens in child processes
  (pdftoppm, tesseract), so the threads only wait and the GIL is no bottleneck.
* One tesseract call per page yields both the text and the per-word confidences
  (``txt`` and ``tsv`` outputs).

We call the tesseract binary ourselves (the one ``pytesseract`` is configured with)
rather than through ``pytesseract.run_and_get_multiple_output``: pytesseract cannot
pass an environment to the child, and setting ``OMP_THREAD_LIMIT`` in
``os.environ`` would change it for the whole Django process. Calling it directly
also lets us kill the running pages when one fails.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import os
import shutil
import subprocess
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import pytesseract
from PIL import Image, ImageOps, UnidentifiedImageError

from minutes.errors import (
    CorruptDocument,
    DocumentTooLarge,
    EmptyDocument,
    OcrFailed,
    OcrUnavailable,
)

from .base import ExtractedText, Method, Page, ProgressCallback, ReadOptions
from .cleanup import clean_page_text, has_visible_text

log = logging.getLogger(__name__)

OCR_LANGUAGE = "swe"
RENDER_DPI = 300
# A4 at 300 dpi is 8.7 Mpx; A3 at 300 dpi 17.4 Mpx. A page bigger than this (a
# poster, or a PDF with an absurd MediaBox) is rendered at a lower dpi rather than
# filling the disk and tesseract's memory.
MAX_RENDER_PIXELS = 40_000_000
# Pillow's guard against decompression bombs, set for the whole process on import
# because a lower bound than Pillow's default (~89 Mpx) would break nothing we do:
# A3 at 600 dpi is 70 Mpx. Larger images are refused with DocumentTooLarge.
MAX_IMAGE_PIXELS = 80_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
PAGE_TIMEOUT_SECONDS = 300

PNG_MIME = "image/png"
JPEG_MIME = "image/jpeg"
TIFF_MIME = "image/tiff"


@dataclass(frozen=True, slots=True)
class OcrPage:
    text: str
    confidence: float | None  # mean word confidence 0–100; None when no word was found


@dataclass(frozen=True, slots=True)
class PdfPageJob:
    number: int  # 1-based page number in the PDF
    dpi: int = RENDER_DPI


def default_workers() -> int:
    """One worker per CPU this process may run on (cgroup/affinity aware where possible)."""
    if hasattr(os, "process_cpu_count"):
        return os.process_cpu_count() or 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def dpi_for_page(width_pt: float, height_pt: float, *, dpi: int = RENDER_DPI) -> int:
    """The render dpi for a page of this size (points), lowered for oversized pages."""
    pixels = (width_pt / 72 * dpi) * (height_pt / 72 * dpi)
    if pixels <= MAX_RENDER_PIXELS:
        return dpi
    scale = (MAX_RENDER_PIXELS / pixels) ** 0.5
    return max(36, int(dpi * scale))


# -- availability ---------------------------------------------------------------

_available_lock = threading.Lock()
_available = False


def ensure_ocr_available(*, need_pdftoppm: bool = False) -> None:
    """Raise OcrUnavailable unless tesseract with the Swedish model (and pdftoppm) can run.

    Only a positive answer is cached, so installing tesseract fixes a running server.
    """
    global _available
    if need_pdftoppm and shutil.which("pdftoppm") is None:
        raise OcrUnavailable(
            "Programmet pdftoppm (poppler-utils) saknas, så skannade PDF-sidor kan inte läsas med textigenkänning."
        )
    with _available_lock:
        if _available:
            return
        command = _tesseract_command()
        if shutil.which(command) is None:
            raise OcrUnavailable(
                "Textigenkänning är inte installerad (programmet tesseract saknas), så skannade "
                "dokument och bilder kan inte läsas."
            )
        try:
            listed = subprocess.run(
                [command, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise OcrUnavailable() from exc
        languages = set((listed.stdout + listed.stderr).split())
        if OCR_LANGUAGE not in languages:
            raise OcrUnavailable(
                "Textigenkänningens svenska språkmodell saknas (paketet tesseract-ocr-swe), så skannade "
                "dokument och bilder kan inte läsas."
            )
        _available = True


def _tesseract_command() -> str:
    return str(pytesseract.pytesseract.tesseract_cmd)


# -- child processes that can be cancelled --------------------------------------


class _Children:
    """The child processes of one OCR run, so a failure or Ctrl-C can stop them all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[bytes]] = set()
        self.cancelled = threading.Event()

    def run(self, args: Sequence[str], *, timeout: float, what: str) -> subprocess.CompletedProcess[bytes]:
        if self.cancelled.is_set():
            raise _Cancelled()
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        try:
            process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        except FileNotFoundError as exc:
            raise OcrUnavailable(f"Programmet {args[0]} saknas, så textigenkänning kan inte köras.") from exc
        with self._lock:
            self._running.add(process)
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            process.kill()
            process.communicate()
            raise OcrFailed(f"Textigenkänningen tog för lång tid ({what}).") from exc
        finally:
            with self._lock:
                self._running.discard(process)
        if self.cancelled.is_set():
            raise _Cancelled()
        return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)

    def cancel(self) -> None:
        self.cancelled.set()
        with self._lock:
            for process in self._running:
                with contextlib.suppress(OSError):
                    process.kill()


class _Cancelled(Exception):
    """A page job stopped because another page failed; never leaves this module."""


# -- one page --------------------------------------------------------------------


def mean_confidence(tsv: str) -> float | None:
    """Mean confidence of the recognised words in tesseract's TSV output."""
    scores: list[float] = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5" or not (row.get("text") or "").strip():
            continue
        try:
            conf = float(row.get("conf") or -1)
        except ValueError:
            continue
        if conf >= 0:
            scores.append(conf)
    return round(sum(scores) / len(scores), 1) if scores else None


def _tesseract(image: Path, children: _Children, *, what: str, dpi: int | None = None) -> OcrPage:
    out_base = image.with_suffix("")
    args = [_tesseract_command(), str(image), str(out_base), "-l", OCR_LANGUAGE]
    if dpi:
        args += ["--dpi", str(dpi)]
    args += ["txt", "tsv"]
    txt, tsv = out_base.with_suffix(".txt"), out_base.with_suffix(".tsv")
    try:
        done = children.run(args, timeout=PAGE_TIMEOUT_SECONDS, what=what)
        if done.returncode != 0 or not txt.exists():
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            log.warning("tesseract failed on %s: %s", what, message[0])
            raise OcrFailed(f"Textigenkänningen misslyckades ({what}).")
        text = txt.read_text(encoding="utf-8", errors="replace").replace("\f", "")
        confidence = (
            mean_confidence(tsv.read_text(encoding="utf-8", errors="replace")) if tsv.exists() else None
        )
        return OcrPage(text=text, confidence=confidence)
    finally:
        txt.unlink(missing_ok=True)
        tsv.unlink(missing_ok=True)


def _ocr_pdf_page(pdf: Path, job: PdfPageJob, workdir: Path, children: _Children) -> OcrPage:
    base = workdir / f"page-{job.number:05d}"
    image = base.with_suffix(".tif")
    what = f"sida {job.number}"
    try:
        rendered = children.run(
            [
                "pdftoppm", "-f", str(job.number), "-l", str(job.number), "-r", str(job.dpi),
                "-gray", "-tiff", "-singlefile", str(pdf), str(base),
            ],
            timeout=PAGE_TIMEOUT_SECONDS,
            what=what,
        )  # fmt: skip
        if rendered.returncode != 0 or not image.exists():
            raise CorruptDocument(f"Sida {job.number} i PDF-filen kunde inte renderas för textigenkänning.")
        return _tesseract(image, children, what=what)
    finally:
        image.unlink(missing_ok=True)  # the page image is the memory we promise to bound


# -- the bounded pool ----------------------------------------------------------------


def run_bounded[J](
    jobs: Sequence[J],
    work: Callable[[J, _Children], OcrPage],
    *,
    workers: int | None,
    on_done: Callable[[], None] | None = None,
) -> list[OcrPage]:
    """Run ``work`` on every job with at most ``workers`` at a time; results in job order.

    A job is submitted only when a worker is free, so whatever a job creates (a
    rendered page image) exists for at most ``workers`` jobs at once. The first
    failure cancels the rest (running children are killed) and is re-raised.
    """
    workers = max(1, min(workers or default_workers(), len(jobs) or 1))
    results: dict[int, OcrPage] = {}
    children = _Children()
    pending: dict[Future[OcrPage], int] = {}
    queue: Iterator[tuple[int, J]] = iter(enumerate(jobs))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr") as pool:
        try:

            def submit_next() -> None:
                item = next(queue, None)
                if item is not None:
                    index, job = item
                    pending[pool.submit(work, job, children)] = index

            for _ in range(workers):
                submit_next()
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    index = pending.pop(future)
                    results[index] = future.result()  # re-raises the job's error here
                    if on_done is not None:
                        on_done()
                    submit_next()
        except BaseException:
            children.cancel()
            for future in pending:
                future.cancel()
            raise
    return [results[i] for i in range(len(jobs))]


def ocr_pdf_pages(
    pdf: Path,
    jobs: Sequence[PdfPageJob],
    *,
    workers: int | None = None,
    on_page_done: Callable[[], None] | None = None,
) -> list[OcrPage]:
    """OCR the given pages of a PDF; results in the order of ``jobs``."""
    if not jobs:
        return []
    ensure_ocr_available(need_pdftoppm=True)
    pdf = pdf.resolve()  # a relative name starting with "-" would read as an option
    with tempfile.TemporaryDirectory(prefix="beslutsarkivet-ocr-") as tmp:
        workdir = Path(tmp)
        return run_bounded(
            jobs,
            lambda job, children: _ocr_pdf_page(pdf, job, workdir, children),
            workers=workers,
            on_done=on_page_done,
        )


# -- image files -----------------------------------------------------------------------


def _image_dpi(image: Image.Image) -> int:
    """The scan resolution, from the file or, failing that, by assuming an A4 page.

    Tesseract needs it to size its character model; without it tesseract guesses
    70 dpi and recognises noticeably worse on 200–300 dpi scans.
    """
    dpi = image.info.get("dpi")
    if dpi:
        with contextlib.suppress(TypeError, ValueError, IndexError):
            value = round(float(dpi[0]))
            if 50 <= value <= 2400:
                return value
    return max(70, min(1200, round(max(image.size) / 11.69)))


def _open_image(path: Path) -> Image.Image:
    try:
        image = Image.open(path)
    except Image.DecompressionBombError as exc:
        raise DocumentTooLarge(
            f"Bilden är för stor för att läsas (högst {MAX_IMAGE_PIXELS // 1_000_000} miljoner bildpunkter)."
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise CorruptDocument("Bildfilen är skadad eller i ett format som inte kan läsas.") from exc
    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS:
        image.close()
        raise DocumentTooLarge(
            f"Bilden är för stor för att läsas ({width} × {height} bildpunkter; högst "
            f"{MAX_IMAGE_PIXELS // 1_000_000} miljoner)."
        )
    return image


def _ocr_image_frame(path: Path, frame: int, workdir: Path, children: _Children) -> OcrPage:
    target = workdir / f"frame-{frame:05d}.tif"
    try:
        with _open_image(path) as image:
            try:
                image.seek(frame)
                upright = ImageOps.exif_transpose(image)
                dpi = _image_dpi(image)
                grey = upright.convert("L")
                grey.save(target, format="TIFF", dpi=(dpi, dpi))
            except Image.DecompressionBombError as exc:
                raise DocumentTooLarge("Bilden är för stor för att läsas.") from exc
            except (OSError, SyntaxError, ValueError, EOFError) as exc:
                raise CorruptDocument("Bildfilen är skadad eller ofullständig och kan inte läsas.") from exc
        return _tesseract(target, children, what=f"bild {frame + 1}", dpi=dpi)
    finally:
        target.unlink(missing_ok=True)


class ImageReader:
    """Reads scanned pages delivered as images; a multi-page TIFF gives one page per frame."""

    mime_types = (PNG_MIME, JPEG_MIME, TIFF_MIME)

    def score(self, path: Path, mime_type: str) -> int:
        return 100 if mime_type in self.mime_types else 0

    def read(
        self,
        path: Path,
        *,
        progress: ProgressCallback | None = None,
        options: ReadOptions | None = None,
    ) -> ExtractedText:
        options = options or ReadOptions()
        # Pillow warns (and only errors at twice the bound); we refuse at the bound
        # ourselves, so its warning would only be noise in the logs.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = _open_image(path)
        with image:
            mime_type = Image.MIME.get(image.format or "", PNG_MIME)
            frames = int(getattr(image, "n_frames", 1) or 1)
        if options.max_pages is not None and frames > options.max_pages:
            raise DocumentTooLarge(
                f"Bildfilen har {frames} sidor; högst {options.max_pages} sidor kan läsas in."
            )
        ensure_ocr_available()
        done = 0

        def page_done() -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done, frames)

        with tempfile.TemporaryDirectory(prefix="beslutsarkivet-ocr-") as tmp:
            workdir = Path(tmp)
            results = run_bounded(
                list(range(frames)),
                lambda frame, children: _ocr_image_frame(path, frame, workdir, children),
                workers=options.ocr_workers,
                on_done=page_done,
            )
        pages = tuple(
            Page(number=i, text=clean_page_text(r.text), method=Method.OCR, confidence=r.confidence)
            for i, r in enumerate(results, start=1)
        )
        if not any(has_visible_text(p.text) for p in pages):
            raise EmptyDocument("Ingen text kunde läsas ur bilden.")
        return ExtractedText(pages=pages, method=Method.OCR, mime_type=mime_type)
