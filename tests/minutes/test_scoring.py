"""The project's scorer: folding, pairing and the figures it reports."""

from __future__ import annotations

import json
from pathlib import Path

from minutes.scoring import Scorer, attachment_key, fold, format_figures

GOLD = Path(__file__).resolve().parents[2] / "fixtures" / "gold"


def test_fold_ignores_case_quotes_diacritics_and_trailing_punctuation():
    assert fold("  Godkänna ”Kvinnofrid”. ") == fold('godkanna "kvinnofrid"')


def test_attachment_keys_read_ocr_ones():
    assert attachment_key("Bilagal6") == attachment_key("Bilaga 16") == attachment_key("bilaga16")
    assert attachment_key("Bil 16a") != attachment_key("Bilaga 16")


def test_gold_against_itself_is_perfect():
    scorer = Scorer()
    for path in GOLD.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        scorer.add(data, data)
    figures = scorer.figures()
    assert all(figures[name].get("f1", 1.0) == 1.0 for name in figures if "f1" in figures[name])
    assert figures["decisions"]["tp"] > 50


def test_duplicate_item_numbers_and_missing_items_count_against():
    gold = {
        "items": [
            {
                "number": "1",
                "title": "Öppnande",
                "decisions": [{"text": "att öppna mötet.", "kind": "procedural"}],
            }
        ]
    }
    pred = {
        "items": [
            {"number": "1", "title": "Öppnande", "decisions": [{"text": "att öppna mötet", "kind": "other"}]},
            {"number": "1", "title": "Igen", "decisions": [{"text": "att stänga", "kind": "other"}]},
        ]
    }
    scorer = Scorer()
    scorer.add(gold, pred)
    figures = scorer.figures()
    assert (figures["items"]["tp"], figures["items"]["fp"]) == (1, 1)
    assert (figures["decisions"]["tp"], figures["decisions"]["fp"]) == (1, 1)
    assert figures["decision_kind"]["accuracy"] == 0.0
    assert format_figures(figures)[-1] == "decision F1 0.667"


def test_empty_prediction_scores_zero_recall():
    data = json.loads((GOLD / "001_f70928721afc9d4a.json").read_text(encoding="utf-8"))
    scorer = Scorer()
    scorer.add(data, {})
    figures = scorer.figures()
    assert figures["decisions"]["recall"] == 0.0
    assert figures["network"]["accuracy"] == 0.0
