"""End to end: parse every fixture and score it against its gold file with the project's scorer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from minutes.parsing import parse_minutes
from minutes.reading.registry import read_document
from minutes.scoring import Scorer

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def score(paths: list[Path]) -> dict:
    scorer = Scorer()
    for path in paths:
        gold = json.loads(
            (FIXTURES / "gold" / f"{path.name.split('.', 1)[0]}.json").read_text(encoding="utf-8")
        )
        parsed = parse_minutes(read_document(path).text, source=path.name)
        scorer.add(gold, parsed.to_json())
    return scorer.figures()


def assert_bars(figures: dict) -> None:
    assert figures["decisions"]["f1"] >= 0.98
    assert figures["items"]["f1"] >= 0.98
    assert figures["titles"]["f1"] >= 0.98
    assert figures["assignments"]["f1"] >= 0.90
    assert figures["attendees"]["f1"] >= 0.97
    for field in ("network", "date", "start_time", "end_time"):
        assert figures[field]["accuracy"] == 1.0, field


def test_text_seeds_reach_the_bars():
    assert_bars(score(sorted((FIXTURES / "seeds").glob("*.txt"))))


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_born_digital_samples_reach_the_bars(suffix):
    paths = sorted(p for p in (FIXTURES / "samples").glob(f"*{suffix}") if ".scan." not in p.name)
    assert paths
    assert_bars(score(paths))


@pytest.mark.ocr
@pytest.mark.slow
def test_scanned_sample_decisions():
    """One real scan through tesseract: decisions survive OCR damage (bar: F1 ≥ 0.95)."""
    figures = score([FIXTURES / "samples" / "d4_lanschefsnatverket_2021-06-11.scan.pdf"])
    assert figures["decisions"]["f1"] >= 0.95
    assert figures["date"]["accuracy"] == 1.0
