"""Parser speed: milliseconds per document over the fixture texts (no Django start-up).

    python bench/bench_parser.py [--repeat N]

Prints per-document medians (CPU time of this process, so other load on the machine
matters less) and the median over the fixtures. Target: under 20 ms for a 15-page text.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from minutes.parsing import parse_minutes  # noqa: E402  (plain Python: no django.setup())

PAGE_CHARS = 1800  # characters on a page of these minutes (000: 25,000 characters on 14 pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    seeds = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))
    medians = []
    print(f"{'document':45} {'chars':>7} {'~pages':>6} {'median ms':>10} {'min ms':>8}")
    for path in seeds:
        text = path.read_text(encoding="utf-8")
        parse_minutes(text)  # warm caches (regexes, folding tables)
        times = []
        for _ in range(args.repeat):
            start = time.process_time()
            parse_minutes(text)
            times.append((time.process_time() - start) * 1000)
        median = statistics.median(times)
        medians.append(median)
        pages = max(1, round(len(text) / PAGE_CHARS))
        print(f"{path.name:45} {len(text):7d} {pages:6d} {median:10.2f} {min(times):8.2f}")
    print(f"median over {len(seeds)} fixtures: {statistics.median(medians):.2f} ms per document")
    largest = max(seeds, key=lambda p: p.stat().st_size)
    print(
        f"largest fixture ({largest.name}): {medians[seeds.index(largest)]:.2f} ms (target < 20 ms for 15 pages)"
    )


if __name__ == "__main__":
    main()
