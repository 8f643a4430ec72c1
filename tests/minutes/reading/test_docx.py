from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from minutes.errors import CorruptDocument, DocumentTooLarge, EmptyDocument, EncryptedDocument
from minutes.reading import docx as docx_module
from minutes.reading.base import Method
from minutes.reading.docx import DocxReader, format_number
from minutes.reading.registry import read_document

SAMPLE_NAMES = [
    "000_0be05afe03cae433",
    "001_f70928721afc9d4a",
    "003_1de41181fc83c445",
    "d1_valfardsradet_2019-11-20",
    "d3_schnv_2021-09-17",
    "d4_lanschefsnatverket_2021-06-11",
]


def _lines(path: Path) -> list[str]:
    return read_document(path).text.splitlines()


# -- the samples ------------------------------------------------------------------------------


def test_sample_docx_reads_as_one_page_in_order(samples: Path) -> None:
    result = read_document(samples / "000_0be05afe03cae433.docx")
    lines = result.text.splitlines()

    assert result.method == Method.DOCX
    assert result.mime_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert result.page_count == 1
    assert lines[0] == "Minnesanteckningar Länsnätverket för förvaltningschefer"
    assert lines.index("1. Mötets öppnande") < lines.index("2. Godkännande av dagordning")
    assert "Chefsnätverkets beslut" in lines


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_docx_and_pdf_of_the_same_minutes_say_the_same(samples: Path, name: str) -> None:
    # The PDFs were printed from these DOCX files: the same characters must come out,
    # only the line breaks differ (paragraphs vs printed lines).
    from_docx = read_document(samples / f"{name}.docx").text
    from_pdf = read_document(samples / f"{name}.pdf").text.replace("\f", "")

    assert "".join(from_docx.split()) == "".join(from_pdf.split())


def test_the_footer_field_codes_do_not_leak_into_the_text(samples: Path) -> None:
    text = read_document(samples / "d4_lanschefsnatverket_2021-06-11.docx").text

    assert "MERGEFORMAT" not in text
    assert "NUMPAGES" not in text


# -- auto-numbering -------------------------------------------------------------------------------

_ABSTRACT = f"""
<w:abstractNum {nsdecls("w")} w:abstractNumId="90">
  <w:multiLevelType w:val="hybridMultilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1)"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2."/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2.%3"/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="§ %4"/></w:lvl>
</w:abstractNum>
"""
_NUMS = [
    f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>',
    f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="90"/>'
    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>',
]


def _numbered_document() -> docx.document.Document:
    document = docx.Document()
    numbering = document.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    first_num.addprevious(parse_xml(_ABSTRACT))  # abstractNum before num, as the schema wants
    for num in _NUMS:
        numbering.append(parse_xml(num))
    return document


def _add(document, text: str, *, num_id: int | None = None, level: int = 0, style: str | None = None):
    paragraph = document.add_paragraph(text, style=style)
    if num_id is not None:
        paragraph._p.get_or_add_pPr().append(
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
            )
        )
    return paragraph


def test_list_number_style_paragraphs_get_running_numbers(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Minnesanteckningar Chefsnätverket")
    for title in ["Mötets öppnande", "Godkännande av dagordning", "Ekonomi"]:
        document.add_paragraph(title, style="List Number")
    document.add_paragraph("Fria anteckningar")
    document.add_paragraph("Punkt i punktlista", style="List Bullet")
    path = tmp_path / "stil.docx"
    document.save(path)

    assert _lines(path) == [
        "Minnesanteckningar Chefsnätverket",
        "1. Mötets öppnande",
        "2. Godkännande av dagordning",
        "3. Ekonomi",
        "Fria anteckningar",
        "- Punkt i punktlista",
    ]


def test_numpr_numbering_per_list_and_level(tmp_path: Path) -> None:
    document = _numbered_document()
    _add(document, "Mötets öppnande", num_id=90)
    _add(document, "Rapporter", num_id=90)
    _add(document, "Familjecentraler", num_id=90, level=1)
    _add(document, "Remissvar", num_id=90, level=1)
    _add(document, "Detalj", num_id=90, level=2)
    _add(document, "Beslutet gäller från 1 maj.")  # unnumbered prose does not break the list
    _add(document, "Ekonomi", num_id=90)
    _add(document, "Budget", num_id=90, level=1)  # a new item restarts its sub-letters
    _add(document, "", num_id=90)  # an empty item still takes number 4, as in Word
    _add(document, "Övrigt", num_id=90)
    _add(document, "Paragrafnumrerad", num_id=90, level=3)
    path = tmp_path / "numrerad.docx"
    document.save(path)

    assert _lines(path) == [
        "1. Mötets öppnande",
        "2. Rapporter",
        "a) Familjecentraler",
        "b) Remissvar",
        "2.b.1 Detalj",
        "Beslutet gäller från 1 maj.",
        "3. Ekonomi",
        "a) Budget",
        "5. Övrigt",
        "§ 1 Paragrafnumrerad",
    ]


def test_start_override_restarts_a_list(tmp_path: Path) -> None:
    document = _numbered_document()
    _add(document, "Första listan", num_id=90)
    _add(document, "Andra listan börjar på sju", num_id=91)
    _add(document, "och fortsätter", num_id=91)
    path = tmp_path / "omstart.docx"
    document.save(path)

    assert _lines(path) == ["1. Första listan", "7. Andra listan börjar på sju", "8. och fortsätter"]


def test_num_id_zero_switches_off_style_numbering(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Numrerad", style="List Number")
    _add(document, "Inte numrerad", num_id=0, style="List Number")
    path = tmp_path / "av.docx"
    document.save(path)

    assert _lines(path) == ["1. Numrerad", "Inte numrerad"]


@pytest.mark.parametrize(
    ("n", "fmt", "expected"),
    [(1, "lowerLetter", "a"), (27, "lowerLetter", "aa"), (4, "upperRoman", "IV"), (3, "decimalZero", "03")],
)
def test_number_formats(n: int, fmt: str, expected: str) -> None:
    assert format_number(n, fmt) == expected


# -- content ---------------------------------------------------------------------------------------


def test_tables_are_read_row_by_row_in_document_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Dagordning")
    table = document.add_table(rows=2, cols=2)
    for row, (number, title) in zip(
        table.rows, [("§ 1", "Mötets öppnande"), ("§ 2", "Dagordning")], strict=True
    ):
        row.cells[0].text = number
        row.cells[1].text = title
    document.add_paragraph("Efter tabellen")
    path = tmp_path / "tabell.docx"
    document.save(path)

    assert _lines(path) == ["Dagordning", "§ 1\tMötets öppnande", "§ 2\tDagordning", "Efter tabellen"]


def test_a_nested_table_stays_inside_its_cell(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Bilagor"
    inner_cell = table.rows[0].cells[1]
    inner_cell.text = "Lista:"
    inner = inner_cell.add_table(rows=2, cols=1)
    inner.rows[0].cells[0].text = "Bilaga 1 Budget"
    inner.rows[1].cells[0].text = "Bilaga 2 Plan"
    path = tmp_path / "nastlad.docx"
    document.save(path)

    assert _lines(path) == ["Bilagor\tLista: Bilaga 1 Budget Bilaga 2 Plan"]


def test_tracked_changes_read_as_accepted_and_hidden_text_is_left_out(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("att ")
    paragraph._p.append(
        parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="A"><w:r><w:t>godkänna</w:t></w:r></w:ins>')
    )
    paragraph._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="2" w:author="A"><w:r><w:delText>avslå</w:delText></w:r></w:del>'
        )
    )
    paragraph._p.append(
        parse_xml(f"<w:r {nsdecls('w')}><w:rPr><w:vanish/></w:rPr><w:t>dold kommentar</w:t></w:r>")
    )
    paragraph.add_run(" dagordningen.")
    path = tmp_path / "spara.docx"
    document.save(path)

    assert _lines(path) == ["att godkänna dagordningen."]


def test_line_breaks_inside_a_paragraph_become_lines(tmp_path: Path) -> None:
    document = docx.Document()
    run = document.add_paragraph().add_run("Närvarande:")
    run.add_break()
    run.add_text("Åsa Lindgren, Borlänge")
    path = tmp_path / "radbrytning.docx"
    document.save(path)

    assert _lines(path) == ["Närvarande:", "Åsa Lindgren, Borlänge"]


def test_document_without_text_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "tom.docx"
    docx.Document().save(path)

    with pytest.raises(EmptyDocument):
        read_document(path)


# -- bad packages ------------------------------------------------------------------------------------


def test_a_zip_that_is_not_a_docx_is_refused_in_swedish(tmp_path: Path) -> None:
    path = tmp_path / "protokoll.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("bilder/foto.txt", "inte ett Word-dokument")

    with pytest.raises(CorruptDocument, match="zip-arkiv men inte ett Word-dokument"):
        read_document(path)


def test_truncated_docx_is_corrupt(samples: Path, tmp_path: Path) -> None:
    data = (samples / "d3_schnv_2021-09-17.docx").read_bytes()
    path = tmp_path / "avbruten.docx"
    path.write_bytes(data[: len(data) // 2])

    with pytest.raises(CorruptDocument):
        read_document(path)


def test_zip_bomb_is_refused_before_python_docx_opens_it(samples: Path, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "bomb.docx"
    with (
        zipfile.ZipFile(samples / "d3_schnv_2021-09-17.docx") as source,
        zipfile.ZipFile(path, "w") as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item), compress_type=zipfile.ZIP_DEFLATED)
        target.writestr(
            "word/media/padding.bin", b"\0" * (8 * 1024 * 1024), compress_type=zipfile.ZIP_DEFLATED
        )
    opened: list[str] = []
    monkeypatch.setattr(docx_module.docx, "Document", lambda *args: opened.append("opened"))

    with pytest.raises(DocumentTooLarge, match="zip-bomb"):
        read_document(path)
    assert opened == []


def test_declared_size_over_the_limit_is_too_large(samples: Path, monkeypatch) -> None:
    monkeypatch.setattr(docx_module, "MAX_UNCOMPRESSED_BYTES", 10_000)

    with pytest.raises(DocumentTooLarge, match="MB"):
        DocxReader().read(samples / "d3_schnv_2021-09-17.docx")


def test_encrypted_zip_members_are_refused(tmp_path: Path, samples: Path) -> None:
    # zipfile cannot write encrypted members, so set the "encrypted" flag of
    # word/document.xml in the central directory by hand.
    data = bytearray((samples / "d3_schnv_2021-09-17.docx").read_bytes())
    entry = data.find(b"PK\x01\x02")
    while entry != -1:
        name_length = int.from_bytes(data[entry + 28 : entry + 30], "little")
        if data[entry + 46 : entry + 46 + name_length] == b"word/document.xml":
            data[entry + 8] |= 0x1
        entry = data.find(b"PK\x01\x02", entry + 46)
    path = tmp_path / "krypterad.docx"
    path.write_bytes(bytes(data))

    with pytest.raises(EncryptedDocument, match="lösenordsskyddad"):
        DocxReader().read(path)
