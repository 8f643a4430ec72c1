"""Running headers and footers ("page furniture") in paginated documents.

A PDF repeats its header and footer on every page ("Region Dalarna Anteckningar",
"Central förvaltning 2020-03-06  Sida 3 (14)"). Left in, they land in the middle of
agenda items that run over a page break. Removing them is the one place where the
reader drops text, so the rule is deliberately narrow:

* only lines among the first or last ``ZONE`` non-blank lines of a page,
* only exact repeats once digits are ignored (page numbers and dates change),
* only lines repeated in the same zone on most pages (and on at least 3),
* only in documents of at least ``MIN_PAGES`` pages, where a repeat means something,
* at most one line per repeated pattern and zone on each page, so a title that
  equals the running header still survives on page 1.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

ZONE = 3
MIN_PAGES = 3
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class FurnitureResult:
    pages: tuple[str, ...]
    removed: tuple[str, ...]  # one example line per removed pattern, for the warning


def furniture_key(line: str) -> str:
    """The identity of a furniture line: whitespace collapsed, every number as '#'."""
    return _DIGITS.sub("#", " ".join(line.split()))


def _zones(lines: Sequence[str]) -> tuple[list[int], list[int]]:
    """Indices of the top and bottom zone; on short pages the two never overlap."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    top = filled[: min(ZONE, (len(filled) + 1) // 2)]
    bottom = filled[max(len(top), len(filled) - ZONE) :]
    return top, bottom


def strip_running_furniture(pages: Sequence[str]) -> FurnitureResult:
    """Drop header/footer lines that repeat on most pages; see the module docstring."""
    if len(pages) < MIN_PAGES:
        return FurnitureResult(tuple(pages), ())

    split = [page.split("\n") for page in pages]
    top_counts: Counter[str] = Counter()
    bottom_counts: Counter[str] = Counter()
    for lines in split:
        top, bottom = _zones(lines)
        top_counts.update({furniture_key(lines[i]) for i in top})
        bottom_counts.update({furniture_key(lines[i]) for i in bottom})

    needed = max(MIN_PAGES, len(pages) // 2 + 1)
    top_keys = {key for key, count in top_counts.items() if count >= needed and key}
    bottom_keys = {key for key, count in bottom_counts.items() if count >= needed and key}
    if not top_keys and not bottom_keys:
        return FurnitureResult(tuple(pages), ())

    examples: dict[str, str] = {}
    result: list[str] = []
    for lines in split:
        top, bottom = _zones(lines)
        drop: set[int] = set()
        seen: set[str] = set()
        for i in top:  # header: the first occurrence from the top
            key = furniture_key(lines[i])
            if key in top_keys and key not in seen:
                seen.add(key)
                drop.add(i)
        seen = set()
        for i in reversed(bottom):  # footer: the first occurrence from the bottom
            key = furniture_key(lines[i])
            if key in bottom_keys and key not in seen:
                seen.add(key)
                drop.add(i)
        for i in sorted(drop):
            examples.setdefault(furniture_key(lines[i]), lines[i].strip())
        kept = [line for i, line in enumerate(lines) if i not in drop]
        result.append("\n".join(kept).strip("\n"))
    return FurnitureResult(tuple(result), tuple(examples.values()))
