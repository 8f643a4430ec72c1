"""Which stored row is which parsed one: fuzzy text similarity and best-first pairing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from rapidfuzz import fuzz

from minutes.models import AgendaItem
from minutes.parsing.result import ParsedItem

# Similarity (rapidfuzz ratio, 0–100) at which two texts are the same row whatever their position,
# and the lower bar for rows that also sit at the same position.
SAME_TEXT = 75
SAME_PLACE_TEXT = 45


def normalized(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .;:")


def text_similarity(text: str, candidates: Iterable[str]) -> float:
    wanted = normalized(text)
    return max((fuzz.ratio(wanted, normalized(c)) for c in candidates if c), default=0.0)


def pair_best[W, E](
    wanted: Sequence[W], existing: Sequence[E], score: Callable[[int, W, E], float | None]
) -> tuple[list[E | None], list[E]]:
    """Best-first one-to-one pairing; ``score`` returns None for "not the same row"."""
    scored = []
    for i, w in enumerate(wanted):
        for j, row in enumerate(existing):
            value = score(i, w, row)
            if value is not None:
                scored.append((-value, abs(i - j), i, j))
    scored.sort()
    matched: list[E | None] = [None] * len(wanted)
    used: set[int] = set()
    for _, _, i, j in scored:
        if matched[i] is None and j not in used:
            matched[i] = existing[j]
            used.add(j)
    return matched, [row for j, row in enumerate(existing) if j not in used]


def pair_items(
    items: Sequence[ParsedItem], existing: list[AgendaItem]
) -> tuple[list[AgendaItem | None], list[AgendaItem]]:
    """By number; an item a human renumbered is found by its title instead."""
    by_number = {row.number: row for row in existing}
    matched: list[AgendaItem | None] = [by_number.pop(item.number, None) for item in items]
    renumbered = [row for row in by_number.values() if "number" in (row.edited_fields or [])]
    for i, item in enumerate(items):
        if matched[i] is not None or not renumbered:
            continue
        best = max(renumbered, key=lambda row: fuzz.ratio(normalized(item.title), normalized(row.title)))
        if fuzz.ratio(normalized(item.title), normalized(best.title)) >= 85:
            matched[i] = best
            renumbered.remove(best)
            by_number.pop(best.number)
    return matched, list(by_number.values())
