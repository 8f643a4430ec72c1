from __future__ import annotations

import random
from pathlib import Path

import pytest

from minutes.errors import EmptyDocument, ReadError, UnsupportedFileType
from minutes.reading.base import Method, ReadOptions
from minutes.reading.registry import read_document
from minutes.reading.text import TextReader, decode_text

SWEDISH = "Chefsnätverkets beslut\natt godkänna dagordningen för Åsa Öberg – “citat” € 5\n"


@pytest.mark.parametrize(
    ("encoding", "expected_codec"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),  # with BOM
        ("utf-16-le", "utf-16-le"),  # no BOM: found by the NUL pattern
        ("utf-16-be", "utf-16-be"),
        ("utf-32", "utf-32"),
        ("cp1252", "cp1252"),
    ],
)
def test_every_encoding_is_detected_and_never_mangled(
    tmp_path: Path, encoding: str, expected_codec: str
) -> None:
    path = tmp_path / "minnesanteckningar.txt"
    path.write_bytes(SWEDISH.encode(encoding))

    decoded = decode_text(path.read_bytes())
    result = read_document(path)

    assert decoded is not None and decoded.encoding == expected_codec
    assert result.text == SWEDISH.rstrip("\n")
    assert "\ufffd" not in result.text
    assert result.method == Method.TEXT
    assert result.mime_type == "text/plain"
    assert result.warnings == ()


def test_cp1252_without_typographic_characters_is_not_taken_for_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gammal.txt"
    path.write_bytes("Närvarande: Åsa, Örjan och Kärstin".encode("cp1252"))

    assert read_document(path).text == "Närvarande: Åsa, Örjan och Kärstin"


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_endings_become_newlines(tmp_path: Path, newline: str) -> None:
    path = tmp_path / "rader.txt"
    path.write_bytes(newline.join(["1. Mötets öppnande", "", "2. Dagordning"]).encode())

    assert read_document(path).text == "1. Mötets öppnande\n\n2. Dagordning"


def test_form_feed_starts_a_new_page_like_pdftotext_output(tmp_path: Path) -> None:
    path = tmp_path / "sidor.txt"
    path.write_text("Sida ett\fSida två\f", encoding="utf-8")

    result = read_document(path)

    assert [page.text for page in result.pages] == ["Sida ett", "Sida två"]
    assert [page.number for page in result.pages] == [1, 2]


def test_seed_minutes_read_as_one_page(seeds: Path) -> None:
    result = read_document(seeds / "000_0be05afe03cae433.txt")

    assert result.page_count == 1
    assert "Chefsnätverkets beslut" in result.text
    assert "1. Mötets öppnande" in result.text


def test_mixed_utf8_with_a_stray_cp1252_byte_warns_instead_of_mojibake(tmp_path: Path) -> None:
    path = tmp_path / "blandad.txt"
    path.write_bytes(SWEDISH.encode("utf-8") * 3 + "fortsättning".encode("cp1252"))

    result = read_document(path)

    assert "Chefsnätverkets beslut" in result.text  # not "ChefsnÃ¤tverkets"
    assert "fortsätt" not in result.text.rsplit("\n", 1)[-1]
    assert result.warnings and "UTF-8" in result.warnings[0]


@pytest.mark.parametrize("content", [b"", b"   \n\r\n\t  \n"])
def test_empty_or_whitespace_only_is_an_empty_document(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "tom.txt"
    path.write_bytes(content)

    with pytest.raises(EmptyDocument) as raised:
        read_document(path)
    assert str(raised.value)  # a message to show, in Swedish


def test_binary_garbage_named_txt_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "minnesanteckningar.txt"
    path.write_bytes(random.Random(7).randbytes(20_000))

    with pytest.raises(UnsupportedFileType) as raised:
        read_document(path)
    assert "Tillåtna typer" in str(raised.value)


def test_control_characters_without_nul_are_not_text(tmp_path: Path) -> None:
    path = tmp_path / "styrtecken.txt"
    path.write_bytes(bytes(range(1, 32)) * 200 + b"lite text")

    with pytest.raises(UnsupportedFileType):
        read_document(path)


def test_text_reader_refuses_binary_even_when_called_directly(tmp_path: Path) -> None:
    path = tmp_path / "binar.txt"
    path.write_bytes(b"\x00\x01\x02\x03\xff\xfe\x00\x10" * 500)

    with pytest.raises(ReadError):
        TextReader().read(path)


def test_max_pages_applies_to_form_feed_pages(tmp_path: Path) -> None:
    path = tmp_path / "lang.txt"
    path.write_text("\f".join(f"sida {n}" for n in range(5)), encoding="utf-8")

    with pytest.raises(ReadError, match="högst 3 sidor"):
        TextReader().read(path, options=ReadOptions(max_pages=3))
