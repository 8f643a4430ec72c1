"""Score parsed minutes against gold annotations (the rules of spec/minutes-json.md).

Texts are compared after folding case, whitespace, quote styles and diacritics, so OCR output
is scored against clean gold. Counts are summed over documents (micro average). Plain Python:
``evaluate_parser`` uses it, and so can anyone with two folders of JSON.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rapidfuzz.fuzz import ratio as similarity

_QUOTES = dict.fromkeys(map(ord, "”“„«»‘’´`'"), '"')


def fold(text: str | None) -> str:
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text.lower()).strip().rstrip(" .,:;")


def item_key(number: Any) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(str(number)))


def attachment_key(ref: str) -> str:
    """ "Bilaga 16", "Bilaga16" and OCR's "Bilagal6" are the same reference."""
    match = re.match(r"(bilaga|bil)\.?\s*(.*)$", fold(ref))
    if not match:
        return re.sub(r"\s+", "", fold(ref))
    rest = re.sub(r"(?<=\d)[li|]|[li|](?=\d)", "1", re.sub(r"\s+", "", match.group(2)))
    return match.group(1) + rest


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, n_pred: int, n_gold: int) -> None:
        self.tp += tp
        self.fp += n_pred - tp
        self.fn += n_gold - tp

    def figures(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
        }


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += int(ok)
        self.total += 1

    def figures(self) -> dict[str, float | int]:
        return {
            "right": self.right,
            "total": self.total,
            "accuracy": round(self.right / self.total, 4) if self.total else 1.0,
        }


SETS = [
    "items",
    "titles",
    "decisions",
    "inline_decisions",
    "assignments",
    "assignment_tasks",
    "attendees",
    "presenters",
    "attachments",
    "subitems",
    "absent_organizations",
    "previous_minutes",
]
ACCURACIES = [
    "network",
    "date",
    "start_time",
    "end_time",
    "location",
    "item_status",
    "decision_kind",
    "assignment_due",
    "attendee_organization",
]

Same = Callable[[Any, Any], float | None]


def match(pred: list[Any], gold: list[Any], same: Same) -> list[tuple[int, int]]:
    """Greedy one-to-one pairing by best similarity."""
    scored = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            score = same(p, g)
            if score is not None:
                scored.append((score, i, j))
    scored.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, i, j in scored:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def fuzzy(threshold: float, key: Callable[[Any], str] = lambda x: x) -> Same:
    def same(p: Any, g: Any) -> float | None:
        score = similarity(fold(key(p)), fold(key(g)))
        return score if score >= threshold else None

    return same


def _names(values: Iterable[str] | None) -> list[str]:
    return [fold(v) for v in values or [] if fold(v)]


def _same_people(a: Iterable[str] | None, b: Iterable[str] | None) -> bool:
    left, right = _names(a), _names(b)
    return len(left) == len(right) and len(match(left, right, fuzzy(90))) == len(left)


class Scorer:
    """Accumulates figures over any number of (gold, prediction) document pairs."""

    def __init__(self) -> None:
        self.tallies: dict[str, Tally | Accuracy] = {name: Tally() for name in SETS}
        self.tallies.update({name: Accuracy() for name in ACCURACIES})

    def _set(self, name: str, pred: list[Any], gold: list[Any], threshold: float = 90, key=lambda x: x):
        pairs = match(pred, gold, fuzzy(threshold, key))
        self.tallies[name].add(len(pairs), len(pred), len(gold))  # type: ignore[call-arg]
        return pairs

    def add(self, gold: dict[str, Any], pred: dict[str, Any]) -> None:
        t = self.tallies
        for field in ("network", "date", "start_time", "end_time"):
            t[field].add((pred.get(field) or None) == (gold.get(field) or None))  # type: ignore[call-arg]
        gl, pl = fold(gold.get("location")), fold(pred.get("location"))
        t["location"].add(gl == pl or (bool(gl and pl) and similarity(gl, pl) >= 90))  # type: ignore[call-arg]

        g_att, p_att = gold.get("attendees", []), pred.get("attendees", [])
        for i, j in self._set("attendees", p_att, g_att, key=lambda a: a.get("name", "")):
            t["attendee_organization"].add(  # type: ignore[call-arg]
                fold(p_att[i].get("organization")) == fold(g_att[j].get("organization"))
            )
        self._set(
            "absent_organizations", pred.get("absent_organizations", []), gold.get("absent_organizations", [])
        )
        self._set("previous_minutes", pred.get("previous_minutes", []), gold.get("previous_minutes", []), 100)

        g_items = {item_key(i["number"]): i for i in gold.get("items", [])}
        p_items: dict[str, dict[str, Any]] = {}
        p_extra: list[dict[str, Any]] = []  # a second item with a number already seen is a false positive
        for item in pred.get("items", []):
            key = item_key(item.get("number", ""))
            if key in p_items:
                p_extra.append(item)
            else:
                p_items[key] = item
        n_pred = len(p_items) + len(p_extra)
        both = g_items.keys() & p_items.keys()
        t["items"].add(len(both), n_pred, len(g_items))  # type: ignore[call-arg]
        titled = sum(
            similarity(fold(p_items[k].get("title")), fold(g_items[k].get("title"))) >= 90 for k in both
        )
        t["titles"].add(titled, n_pred, len(g_items))  # type: ignore[call-arg]

        empty: dict[str, Any] = {}
        pairs = [
            (g_items.get(k, empty), p_items.get(k, empty), k in both) for k in g_items.keys() | p_items.keys()
        ]
        pairs += [(empty, extra, False) for extra in p_extra]
        for g, p, paired in pairs:
            self._item(g, p, paired)

    def _item(self, g: dict[str, Any], p: dict[str, Any], paired: bool) -> None:
        t = self.tallies
        if paired:
            t["item_status"].add(p.get("status", "handled") == g.get("status", "handled"))  # type: ignore[call-arg]
        g_dec, p_dec = g.get("decisions", []), p.get("decisions", [])
        for i, j in self._set("decisions", p_dec, g_dec, 90, key=lambda d: d.get("text", "")):
            t["decision_kind"].add(p_dec[i].get("kind") == g_dec[j].get("kind"))  # type: ignore[call-arg]
        self._set("inline_decisions", p.get("inline_decisions", []), g.get("inline_decisions", []), 85)
        g_as, p_as = g.get("assignments", []), p.get("assignments", [])
        whole = 0
        for i, j in self._set("assignment_tasks", p_as, g_as, 80, key=lambda a: a.get("task", "")):
            whole += _same_people(p_as[i].get("assignees"), g_as[j].get("assignees"))
            t["assignment_due"].add(  # type: ignore[call-arg]
                (p_as[i].get("due") or None) == (g_as[j].get("due") or None)
            )
        t["assignments"].add(whole, len(p_as), len(g_as))  # type: ignore[call-arg]
        self._set("presenters", p.get("presenters", []), g.get("presenters", []))
        self._set("attachments", p.get("attachments", []), g.get("attachments", []), 100, key=attachment_key)
        self._set(
            "subitems",
            p.get("subitems", []),
            g.get("subitems", []),
            90,
            key=lambda s: f"{s.get('label', '')} {s.get('title', '')}",
        )

    def figures(self) -> dict[str, dict[str, float | int]]:
        return {name: self.tallies[name].figures() for name in SETS + ACCURACIES}


def format_figures(figures: dict[str, dict[str, float | int]]) -> list[str]:
    """The report as lines, in the layout of the project's reference scorer."""
    lines = []
    for name in SETS:
        f = figures[name]
        lines.append(
            f"{name:22} P {f['precision']:.3f}  R {f['recall']:.3f}  F1 {f['f1']:.3f}"
            f"   (tp {f['tp']}, fp {f['fp']}, fn {f['fn']})"
        )
    for name in ACCURACIES:
        f = figures[name]
        lines.append(f"{name:22} accuracy {f['accuracy']:.3f}   ({f['right']}/{f['total']})")
    lines.append(f"decision F1 {figures['decisions']['f1']:.3f}")
    return lines
