"""parse_minutes and evaluate_parser: files in, JSON and figures out, clear errors, no database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEED = FIXTURES / "seeds" / "001_f70928721afc9d4a.txt"


def test_parse_one_file_to_stdout(capsys):
    call_command("parse_minutes", str(SEED))
    data = json.loads(capsys.readouterr().out)
    assert data["network"] == "valfardsradet"
    assert data["date"] == "2020-03-11"
    assert set(data) == {
        "source",
        "network",
        "title",
        "date",
        "start_time",
        "end_time",
        "location",
        "attendees",
        "absent_organizations",
        "previous_minutes",
        "items",
    }


def test_parse_many_files_to_a_folder_and_report_the_bad_one(tmp_path, capsys):
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(b"\x00\x01\x02\xff" * 100)
    docx = FIXTURES / "samples" / "d4_lanschefsnatverket_2021-06-11.docx"
    with pytest.raises(CommandError):
        call_command("parse_minutes", str(SEED), str(garbage), str(docx), "--out", str(tmp_path / "out"))
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["001_f70928721afc9d4a.txt.json", "d4_lanschefsnatverket_2021-06-11.docx.json"]
    assert "garbage.txt" in capsys.readouterr().err


def test_evaluate_parser_prints_the_figures(capsys):
    call_command(
        "evaluate_parser", str(FIXTURES / "gold"), *map(str, sorted((FIXTURES / "seeds").glob("*.txt")))
    )
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0].startswith("items")
    assert out[-1].startswith("decision F1 ")
    assert float(out[-1].split()[-1]) >= 0.98
