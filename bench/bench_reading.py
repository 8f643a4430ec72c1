"""Benchmark the reading layer: text-layer PDF libraries, OCR overhead and OCR memory.

    python bench/bench_reading.py           full run (~6 minutes on 2 vCPUs)
    python bench/bench_reading.py --quick   a few OCR pages only (~40 s)

Prints figures; asserts nothing about time (machines differ). Sections:

1. Text-layer PDFs: ms/page for pypdfium2 (what PdfReader uses), the whole
   PdfReader (pdfium + clean-up + furniture), pdfplumber and poppler's pdftotext,
   on the born-digital samples; plus how many lines each agrees on.
2. OCR: s/page for read_document with 1 and 2 workers against the plain
   ``tesseract`` command on the same pre-rendered page images (overhead %).
3. Memory: peak RSS of the OCR process plus its children (polled from /proc) and
   the most page images on disk at once, for a short and a 40-page scan built by
   concatenating the sample scan pages. Flat in the page count is the goal.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

import pdfplumber  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402

from minutes.reading.pdf import PdfReader, _page_text  # noqa: E402
from minutes.reading.registry import read_document  # noqa: E402

SAMPLES = REPO_ROOT / "fixtures" / "samples"
TEXT_PDFS = sorted(p for p in SAMPLES.glob("*.pdf") if not p.name.endswith(".scan.pdf"))
SCAN_PDFS = sorted(SAMPLES.glob("*.scan.pdf"))
OCR_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _norm_lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.replace("\f", "\n").splitlines() if line.strip()]


def _timed(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


# -- 1. text-layer PDFs ------------------------------------------------------------------------


def pdfium_texts(path: Path) -> list[str]:
    document = pdfium.PdfDocument(path)
    try:
        return [_page_text(document[i]) for i in range(len(document))]
    finally:
        document.close()


def pdfplumber_texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as document:
        return [page.extract_text() or "" for page in document.pages]


def pdftotext_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout


def bench_text_pdfs(repeats: int) -> None:
    pages = sum(len(pdfium.PdfDocument(p)) for p in TEXT_PDFS)
    print(
        f"\n## 1. Text-layer PDFs: {len(TEXT_PDFS)} born-digital samples, {pages} pages, median of {repeats}"
    )
    contenders = {
        "pypdfium2 get_text_range (chosen)": lambda: [pdfium_texts(p) for p in TEXT_PDFS],
        "PdfReader.read (pdfium + clean-up)": lambda: [PdfReader().read(p) for p in TEXT_PDFS],
        "pdfplumber extract_text": lambda: [pdfplumber_texts(p) for p in TEXT_PDFS],
        "pdftotext (subprocess)": lambda: [pdftotext_text(p) for p in TEXT_PDFS],
    }
    results = {}
    for name, fn in contenders.items():
        fn()  # warm up imports and caches
        results[name] = _timed(fn, repeats if "plumber" not in name else max(1, repeats // 2))
    base = results["pypdfium2 get_text_range (chosen)"]
    for name, seconds in results.items():
        print(f"  {name:<38} {seconds / pages * 1000:8.2f} ms/page   ({seconds / base:5.1f}× pypdfium2)")

    same_plumber = same_poppler = total = 0
    for path in TEXT_PDFS:
        ours = _norm_lines("\n".join(pdfium_texts(path)))
        total += len(ours)
        same_plumber += _matching_lines(ours, _norm_lines("\n".join(pdfplumber_texts(path))))
        same_poppler += _matching_lines(ours, _norm_lines(pdftotext_text(path)))
    print(
        f"  lines of pypdfium2's output found in the same order in: pdfplumber {same_plumber}/{total}, "
        f"pdftotext {same_poppler}/{total}"
    )


def _matching_lines(ours: list[str], other: list[str]) -> int:
    matcher = difflib.SequenceMatcher(None, ours, other, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks())


# -- 2. OCR speed ---------------------------------------------------------------------------------


def build_scan(pages: int, directory: Path, name: str) -> Path:
    """A scan of ``pages`` pages made by cycling through the sample scans' pages."""
    sources = [pdfium.PdfDocument(p) for p in SCAN_PDFS]
    flat = [(doc, i) for doc in sources for i in range(len(doc))]
    target = pdfium.PdfDocument.new()
    for n in range(pages):
        doc, index = flat[n % len(flat)]
        target.import_pages(doc, [index])
    path = directory / name
    target.save(path)
    target.close()
    for doc in sources:
        doc.close()
    return path


def plain_tesseract_seconds(pdf: Path, pages: int, directory: Path) -> tuple[float, float]:
    """Seconds to render the pages with pdftoppm, and for the bare `tesseract -l swe … txt tsv`
    on those grey TIFFs (one thread)."""
    images = []
    render_started = time.perf_counter()
    for n in range(1, pages + 1):
        base = directory / f"plain-{n}"
        subprocess.run(
            [
                "pdftoppm",
                "-f",
                str(n),
                "-l",
                str(n),
                "-r",
                "300",
                "-gray",
                "-tiff",
                "-singlefile",
                str(pdf),
                str(base),
            ],
            check=True,
        )
        images.append(base.with_suffix(".tif"))
    render = time.perf_counter() - render_started
    started = time.perf_counter()
    for image in images:
        subprocess.run(
            ["tesseract", str(image), str(image.with_suffix("")), "-l", "swe", "txt", "tsv"],
            env=OCR_ENV,
            check=True,
            capture_output=True,
        )
    elapsed = time.perf_counter() - started
    for image in images:
        for suffix in (".tif", ".txt", ".tsv"):
            image.with_suffix(suffix).unlink(missing_ok=True)
    return render, elapsed


def bench_ocr(pages: int, directory: Path, rounds: int) -> None:
    """Plain tesseract, 1 worker and 2 workers, interleaved ``rounds`` times; the best
    round of each counts, which filters out bursts of other work on a shared machine."""
    pdf = build_scan(pages, directory, f"ocr-{pages}.pdf")
    print(
        f"\n## 2. OCR speed: {pages} scanned pages (300 dpi grey, tesseract -l swe, one thread per page), "
        f"best of {rounds}"
    )
    renders, plains = [], []
    ours: dict[int, list[float]] = {1: [], 2: []}
    confidence = None
    for _ in range(rounds):
        render, plain = plain_tesseract_seconds(pdf, pages, directory)
        renders.append(render)
        plains.append(plain)
        for workers in (1, 2):
            started = time.perf_counter()
            confidence = read_document(pdf, ocr_workers=workers).ocr_confidence
            ours[workers].append(time.perf_counter() - started)
    render, plain = min(renders), min(plains)
    print(f"  pdftoppm render alone (300 dpi grey TIFF)  {render / pages:6.2f} s/page")
    print(f"  plain tesseract command, sequential        {plain / pages:6.2f} s/page")
    for workers, times in ours.items():
        best = min(times)
        print(
            f"  read_document, {workers} worker{'s' if workers > 1 else ' '}                   "
            f"{best / pages:6.2f} s/page   ({(best - plain) / plain * 100:+5.1f}% vs plain tesseract)"
        )
    print(
        f"  speed-up 2 workers vs 1: {min(ours[1]) / min(ours[2]):.2f}×  (mean word confidence {confidence})"
    )
    print(
        "  all rounds, s/page: "
        + "; ".join(
            f"{name} {', '.join(f'{t / pages:.2f}' for t in times)}"
            for name, times in (("plain", plains), ("1 worker", ours[1]), ("2 workers", ours[2]))
        )
    )
    paired = ", ".join(
        f"{(one - plain) / plain * 100:+.1f}%" for one, plain in zip(ours[1], plains, strict=True)
    )
    print(f"  1 worker vs plain tesseract of the same round: {paired}")
    pdf.unlink()


# -- 3. OCR memory ----------------------------------------------------------------------------------

# The OCR runs in a fresh process. Its own peak is VmHWM, not ru_maxrss: Linux
# carries the parent's maxrss over fork+exec, so ru_maxrss would report the bench
# process (pdfplumber and all) instead of the reader.
_CHILD = """
import json, re, resource, sys
from pathlib import Path
from minutes.reading.registry import read_document
result = read_document(Path(sys.argv[1]))
hwm = int(re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1))
print(json.dumps({
    "pages": result.page_count,
    "self_maxrss_kb": hwm,
    "children_maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
}))
"""


def _process_tree(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # the command name may contain spaces and parentheses: the ppid follows the last ")"
        parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, ppid in parents.items() if ppid in frontier]
        tree += frontier
    return tree


def _rss_kb(pid: int) -> int:
    try:
        match = re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return 0
    return int(match.group(1)) if match else 0


def measure_ocr_memory(pdf: Path) -> dict[str, float]:
    # A private TMPDIR so that only this run's page images are counted, not those
    # of another process OCRing at the same time.
    temp_root = pdf.parent / f"tmp-{pdf.stem}"
    temp_root.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "TMPDIR": str(temp_root)}
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(pdf)], stdout=subprocess.PIPE, text=True, env=env
    )
    peak_tree_kb = 0
    peak_images = 0
    stop = threading.Event()

    def poll() -> None:
        nonlocal peak_tree_kb, peak_images
        while not stop.is_set():
            peak_tree_kb = max(peak_tree_kb, sum(_rss_kb(pid) for pid in _process_tree(child.pid)))
            peak_images = max(peak_images, len(list(temp_root.glob("beslutsarkivet-ocr-*/*.tif"))))
            time.sleep(0.05)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    out, _ = child.communicate()
    stop.set()
    poller.join()
    report = json.loads(out.strip().splitlines()[-1])
    report.update(
        seconds=time.perf_counter() - started, peak_tree_mb=peak_tree_kb / 1024, peak_page_images=peak_images
    )
    return report


def bench_memory(page_counts: list[int], directory: Path) -> None:
    print(f"\n## 3. OCR memory: whole scans through read_document (default workers = {os.cpu_count()})")
    print(
        "  pages   s/page   peak RSS python+children   python peak (VmHWM)   largest child maxrss   page images at once"
    )
    for pages in page_counts:
        pdf = build_scan(pages, directory, f"memory-{pages}.pdf")
        report = measure_ocr_memory(pdf)
        pdf.unlink()
        print(
            f"  {report['pages']:5d}   {report['seconds'] / pages:6.2f}   {report['peak_tree_mb']:20.0f} MB"
            f"   {report['self_maxrss_kb'] / 1024:16.0f} MB   {report['children_maxrss_kb'] / 1024:17.0f} MB"
            f"   {report['peak_page_images']:19d}"
        )


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="OCR only a few pages")
    args = parser.parse_args()

    print(
        f"bench_reading: {'quick' if args.quick else 'full'} run, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    )
    print(f"load average before: {_load()} (other work on the machine skews the timings)")
    bench_text_pdfs(repeats=3 if args.quick else 10)
    with tempfile.TemporaryDirectory(prefix="bench-reading-") as tmp:
        directory = Path(tmp)
        bench_ocr(2 if args.quick else 6, directory, rounds=1 if args.quick else 2)
        bench_memory([4] if args.quick else [10, 40], directory)
    print(f"\nload average after: {_load()}")
    print(f"(bench process maxrss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
