from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from minutes.errors import CorruptDocument, DocumentNotFound, EmptyDocument, ReadError, UnsupportedFileType
from minutes.reading import registry
from minutes.reading.base import Method, Reader
from minutes.reading.pdf import PdfReader
from minutes.reading.registry import READERS, read_document, reader_for, sniff_mime_type
from minutes.reading.sniff import DOCX_MIME


@pytest.mark.parametrize(
    ("name", "mime_type"),
    [
        ("000_0be05afe03cae433.pdf", "application/pdf"),
        ("000_0be05afe03cae433.scan.pdf", "application/pdf"),
        ("000_0be05afe03cae433.docx", DOCX_MIME),
        ("000_0be05afe03cae433.scan.png", "image/png"),
    ],
)
def test_samples_are_sniffed_by_content(samples: Path, name: str, mime_type: str) -> None:
    assert sniff_mime_type(samples / name) == mime_type


def test_the_name_does_not_choose_the_reader(samples: Path, tmp_path: Path) -> None:
    docx_named_pdf = tmp_path / "protokoll.pdf"
    shutil.copy(samples / "d3_schnv_2021-09-17.docx", docx_named_pdf)
    pdf_named_txt = tmp_path / "protokoll.txt"
    shutil.copy(samples / "d3_schnv_2021-09-17.pdf", pdf_named_txt)
    text_named_docx = tmp_path / "protokoll.docx"
    text_named_docx.write_text("1. Mötets öppnande", encoding="utf-8")

    assert read_document(docx_named_pdf).method == Method.DOCX
    assert read_document(pdf_named_txt).method == Method.PDF_TEXT
    assert read_document(text_named_docx).method == Method.TEXT


def test_every_reader_satisfies_the_protocol() -> None:
    assert all(isinstance(reader, Reader) for reader in READERS)


def test_missing_file_is_a_read_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentNotFound, match="finns inte"):
        read_document(tmp_path / "saknas.pdf")
    with pytest.raises(DocumentNotFound):
        read_document(tmp_path)  # a directory


def test_zero_byte_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "tom.pdf"
    path.touch()

    with pytest.raises(EmptyDocument, match="tom"):
        read_document(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "äldre Office-format"),
        (b"{\\rtf1\\ansi Minnesanteckningar}", "RTF"),
        (b"<!DOCTYPE html><html><body>Protokoll</body></html>", "HTML"),
        (b"GIF89a" + b"\0" * 100, "GIF"),
    ],
)
def test_unsupported_formats_get_a_message_that_says_what_to_do(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "protokoll.txt"
    path.write_bytes(content)

    with pytest.raises(UnsupportedFileType, match=message):
        read_document(path)


def test_other_office_packages_are_named(tmp_path: Path) -> None:
    xlsx = tmp_path / "lista.docx"
    with zipfile.ZipFile(xlsx, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
    odt = tmp_path / "protokoll.odt"
    with zipfile.ZipFile(odt, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")

    with pytest.raises(UnsupportedFileType, match="Excel"):
        read_document(xlsx)
    with pytest.raises(UnsupportedFileType, match="OpenDocument"):
        read_document(odt)


def test_reader_for_picks_the_highest_score(samples: Path) -> None:
    assert type(reader_for(samples / "x.zip", "application/zip")).__name__ == "DocxReader"
    with pytest.raises(UnsupportedFileType):
        reader_for(samples / "x", "application/octet-stream")


def test_an_unexpected_library_error_becomes_a_corrupt_document(samples: Path, monkeypatch) -> None:
    def explode(self, path, **kwargs):
        raise RuntimeError("pdfium exploded")

    monkeypatch.setattr(PdfReader, "read", explode)

    with pytest.raises(CorruptDocument) as raised:
        read_document(samples / "d3_schnv_2021-09-17.pdf")
    assert "pdfium" not in str(raised.value)  # the user sees Swedish, the log the traceback
    assert isinstance(raised.value, ReadError)


def test_an_error_from_the_progress_callback_reaches_the_caller_unchanged(samples: Path) -> None:
    class Cancelled(Exception):
        pass

    def progress(done: int, total: int) -> None:
        raise Cancelled()

    with pytest.raises(Cancelled):
        read_document(samples / "d3_schnv_2021-09-17.pdf", progress=progress)


def test_public_names() -> None:
    assert registry.read_document is read_document
    assert registry.sniff_mime_type is sniff_mime_type
