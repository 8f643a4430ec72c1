"""`manage.py ingest_minutes`: output, exit status, and one bad file not stopping the others."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from minutes.management.commands.ingest_minutes import Command
from minutes.models import Meeting, SourceDocument
from tests.factories import NetworkFactory

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
D4 = FIXTURES / "seeds" / "d4_lanschefsnatverket_2021-06-11.txt"
D1 = FIXTURES / "seeds" / "d1_valfardsradet_2019-11-20.txt"

pytestmark = pytest.mark.django_db


def ingest(*args: object) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest_minutes", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def bad_files(tmp_path: Path) -> list[Path]:
    empty = tmp_path / "tom.txt"
    empty.write_bytes(b"")
    garbage = tmp_path / "skrap.txt"
    garbage.write_bytes(random.Random(7).randbytes(2048))
    return [empty, garbage]


def test_good_files_report_what_was_stored() -> None:
    out, err = ingest(D4, D1)

    assert "d4_lanschefsnatverket_2021-06-11.txt: nytt möte: Länschefsnätverket 2021-06-11" in out
    assert "d1_valfardsradet_2019-11-20.txt: nytt möte: Välfärdsrådet 2019-11-20" in out
    assert "ärenden 9 nya, 0 ändrade, 0 borttagna · beslut 9 nya" in out
    assert "varning: Nytt nätverk skapades: Länschefsnätverket (lanschefsnatverket)" in out
    assert err == ""
    assert Meeting.objects.count() == 2


def test_same_files_again_are_unchanged() -> None:
    ingest(D4, D1)

    out, _ = ingest(D4, D1)

    assert out.splitlines() == [
        "d4_lanschefsnatverket_2021-06-11.txt: oförändrad: samma fil har redan lästs in "
        "(Länschefsnätverket 2021-06-11)",
        "d1_valfardsradet_2019-11-20.txt: oförändrad: samma fil har redan lästs in (Välfärdsrådet 2019-11-20)",
    ]


def test_a_new_version_reports_kept_edits_and_conflicts() -> None:
    ingest(D4)
    decision = Meeting.objects.get().items.get(number="2").decisions.get()
    decision.text, decision.edited_fields = "att godkänna dagordningen med en extra punkt.", ["text"]
    decision.save()

    out, _ = ingest(FIXTURES / "samples" / "d4_lanschefsnatverket_2021-06-11.docx")

    assert "d4_lanschefsnatverket_2021-06-11.docx: uppdaterat möte: Länschefsnätverket 2021-06-11" in out
    assert "behöll manuell ändring: Beslut 1 i punkt 2: texten behölls (ändrad av människa)" in out
    assert (
        "konflikt: Beslut 1 i punkt 2, texten: manuellt ”att godkänna dagordningen med en extra punkt.”, "
        "inläst ”att godkänna dagordningen.”" in out
    )


def test_bad_files_fail_one_by_one_with_a_swedish_line(bad_files: list[Path]) -> None:
    empty, garbage = bad_files
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match=r"^2 av 3 filer kunde inte läsas in\.$"):
        call_command("ingest_minutes", str(empty), str(D4), str(garbage), stdout=out, stderr=err)

    assert err.getvalue().splitlines() == [
        "tom.txt: FEL: Filen är tom (0 byte).",
        "skrap.txt: FEL: Filen innehåller varken läsbar text eller ett känt dokumentformat. "
        "Tillåtna typer: .txt, .pdf, .docx, .png, .jpg, .tif.",
    ]
    assert "nytt möte: Länschefsnätverket" in out.getvalue()  # the good file in between was stored
    assert Meeting.objects.count() == 1
    assert SourceDocument.objects.filter(status=SourceDocument.Status.FAILED).count() == 2


def test_missing_file_is_a_failure_not_a_traceback(tmp_path: Path) -> None:
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("ingest_minutes", str(tmp_path / "finns-inte.txt"), stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == "finns-inte.txt: FEL: Filen finns-inte.txt finns inte eller kunde inte öppnas.\n"


def test_exit_status_and_no_traceback_from_the_command_line(
    bad_files: list[Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # run_from_argv closes the connections when done; the test's transaction needs this one.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "ingest_minutes", str(bad_files[0]), str(D4)])

    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert "tom.txt: FEL: Filen är tom (0 byte)." in captured.err
    assert "CommandError: 1 av 2 filer kunde inte läsas in." in captured.err
    assert "Traceback" not in captured.err
    assert "nytt möte" in captured.out


def test_good_run_exits_zero_from_the_command_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)

    Command().run_from_argv(["manage.py", "ingest_minutes", str(D4)])  # no SystemExit: status 0

    assert "nytt möte" in capsys.readouterr().out


def test_network_option_must_name_an_existing_network() -> None:
    with pytest.raises(CommandError, match=r"Nätverket ”finns-inte” finns inte\. Befintliga: chefsnatverket"):
        ingest("--network", "finns-inte", D4)
    assert not SourceDocument.objects.exists()


def test_network_option_puts_the_meeting_there_and_draft_leaves_it_unpublished() -> None:
    network = NetworkFactory(slug="lanschefer", name="Länschefer")

    out, _ = ingest("--network", "lanschefer", "--draft", D4)

    meeting = Meeting.objects.get()
    assert meeting.network == network and not meeting.is_published
    assert "nytt möte: Länschefer 2021-06-11, ej publicerat" in out
