"""Parser rules, one genre convention per case, on small snippets (no Django database)."""

from __future__ import annotations

import pytest

from minutes.errors import ParseError
from minutes.parsing import parse_minutes
from minutes.parsing.decisions import decision_kind, find_assignments
from minutes.parsing.header import body_name_from_title, slugify
from minutes.parsing.items import attachment_refs
from minutes.parsing.lines import Line, decision_heading, item_heading, read_lines
from minutes.parsing.text import find_dates, join_two, match_form, split_sentences


def line(text: str) -> Line:
    return Line(0, text, match_form(text))


def doc(
    body: str, head: str = "Minnesanteckningar Chefsnätverket\n\nMöte 6 mars 2020 Kl. 09.30-14.\n\n"
) -> dict:
    return parse_minutes(head + body, source="snippet.txt").to_json()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chefsnätverkets beslut", "Chefsnätverkets"),
        ("Välfärdsrådet beslutade:", "Välfärdsrådet"),
        ("Socialchefsnätverket beslutar", "Socialchefsnätverket"),
        ("Länschefsnätverket beslutar", "Länschefsnätverket"),
        ("Chefsnéatverkets beslut", "Chefsnéatverkets"),  # OCR
        ("Chefsnätverkets bes|ut", "Chefsnätverkets"),  # OCR
        ("Beslut:", None),
    ],
)
def test_decision_headings(text, expected):
    found = decision_heading(line(text))
    assert found is not None
    assert found[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Styrgruppen föreslår:",
        "Regionens representanter medverkar inte beslutet.",
        "Chefsnätverket beslutar att Styrgruppen ska ta fram ett uppdrag",
        "Förslag till beslut",
        "Beslut fattas i Chefsnätverket.",
    ],
)
def test_not_decision_headings(text):
    assert decision_heading(line(text)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. Mötets öppnande", (1, "Mötets öppnande")),
        ("10.Regeringens äldresamordnare", (10, "Regeringens äldresamordnare")),
        ("§ 3 Föregående minnesanteckningar", (3, "Föregående minnesanteckningar")),
        ("5.", (5, "")),
        ("1. att godkänna justerat uppdragsdirektiv", None),
        ("1. Att Styrgruppen initierar en nomineringsprocess", None),
        ("2020 till 600 tkr.", None),
    ],
)
def test_item_headings(text, expected):
    assert item_heading(line(text)) == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("att godkänna informationen och lägga den till handlingarna.", "file"),
        ("att godkänna dagordningen.", "approve"),
        ("att inte godkänna Styrgruppen förslag p. 3.", "reject"),
        ("att ge Styrgrupp i uppdrag att ta fram förslag", "assign"),
        ("att Styrgruppen (för Chefsnätverket) får i uppdrag att anordna en dag", "assign"),
        ("att varje ledamot åtar sig att sprida annonsen", "assign"),
        ("att utse Annelie Granath till LPO Primärvårdsråd.", "appoint"),
        ("att hänskjuta frågan om budget 2022 till Välfärdsrådets möte", "refer"),
        ("att avvakta med beslut om finansiering", "postpone"),
        ("att rekommendera kommunerna att anta handlingsplanen", "recommend"),
        ("att öppna mötet.", "procedural"),
        ("att avsluta mötet.", "procedural"),
        ("att ett avtal tecknas mellan kommunerna och RSS", "other"),
        ("att lagga informationen till handlingarna.", "file"),  # OCR without diacritics
        ("att tillstyrka arbetsgruppens förslag om att avtalet förlängs", "approve"),
        ("att ställa sig positiv till förslaget", "approve"),
    ],
)
def test_decision_kinds(text, kind):
    assert decision_kind(text) == kind


def test_assignment_with_several_assignees_and_due_date():
    from datetime import date

    found = find_assignments(
        "att ge Ulrika Gärdsback, Malin Lindén Olsson och Tanja Mårtensson i uppdrag att förmedla "
        "ställningstagandet till nästa möte den 3 april.",
        reference=date(2020, 3, 6),
    )
    assert len(found) == 1
    assert found[0].assignees == ["Ulrika Gärdsback", "Malin Lindén Olsson", "Tanja Mårtensson"]
    assert found[0].task.startswith("förmedla ställningstagandet")
    assert not found[0].task.endswith(".")
    assert found[0].due == date(2020, 4, 3)


def test_assignment_subject_after_verb():
    found = find_assignments("Mot denna bakgrund får Styrgruppen i uppdrag att ordna en dag.", reference=None)
    assert [a.assignees for a in found] == [["Styrgruppen"]]


def test_due_date_without_year_rolls_to_next_year():
    from datetime import date

    assert find_dates("den 15 januari", reference=date(2020, 11, 20))[0][1] == date(2021, 1, 15)


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("LVM-", "vård", "LVM-vård"),
        ("hälso-", "och sjukvård", "hälso- och sjukvård"),
        ("Malung-", "Sälen", "Malung-Sälen"),
        ("under perioden 2021-", "2022.", "under perioden 2021- 2022."),
        ("Ylva", "Renström", "Ylva Renström"),
    ],
)
def test_hyphenated_line_joins(left, right, joined):
    assert join_two(left, right) == joined


def test_attachment_references_once_each_as_first_written():
    text = "se Bilaga16 och Bil 16a; sedan (Bilaga 16) och Bilagal2 samt Bil C, bilagan och PP-bilder"
    assert attachment_refs(text) == ["Bilaga16", "Bil 16a", "Bilagal2", "Bil C"]


def test_sentences_respect_abbreviations():
    sentences = [
        s for _, s in split_sentences("Vi ses t.ex. i Falun. Det gäller s.k. TN-platser m.m. Klart.")
    ]
    assert sentences == ["Vi ses t.ex. i Falun.", "Det gäller s.k. TN-platser m.m.", "Klart."]


def test_unknown_body_gets_slug_from_heading():
    assert body_name_from_title("Minnesanteckningar Länschefsnätverket (LCHNV)") == "Länschefsnätverket"
    assert slugify("Länsnätverket för äldreomsorg") == "lansnatverket-for-aldreomsorg"
    parsed = parse_minutes(
        "Minnesanteckningar Länsnätverket för äldreomsorg (LNÄ)\nDatum: 2021-05-03\n\n"
        "§ 1 Mötets öppnande\nLänsnätverket för äldreomsorg beslutar\natt öppna mötet.\n"
    )
    assert parsed.network == "lansnatverket-for-aldreomsorg"
    assert parsed.items[0].decisions[0].kind == "procedural"
    assert any("Okänt nätverk" in w for w in parsed.warnings)


def test_page_furniture_is_dropped_wherever_it_falls():
    data = doc(
        "1. Mötets öppnande\n\n2. Beslut om avtal\n\nChefsnätverkets beslut\n"
        "att ge Styrgruppen i uppdrag att ta fram ett förslag till gemensam\n\n"
        "Region Dalarna Anteckningar\n\nCentral förvaltning 2020-03-06  Sida 11 (14)\n\n"
        "kravspecifikation i samråd med kommunerna.\nhttp://www.regiondalarna.se/lansnatverk\n3. Övrigt\n"
    )
    decision = data["items"][1]["decisions"][0]["text"]
    assert decision == (
        "att ge Styrgruppen i uppdrag att ta fram ett förslag till gemensam kravspecifikation i samråd med kommunerna."
    )
    assert [i["number"] for i in data["items"]] == ["1", "2", "3"]


def test_numbered_proposals_inside_an_item_are_not_items():
    data = doc(
        "1. Öppnande\n\n2. Nomineringar\nStyrgruppen föreslår:\n1. Att Styrgruppen initierar en process\n"
        "2. Att kommunerna hanterar anmälningar\n3. Att Styrgruppen tar fram förslag\n\n"
        "Chefsnätverket beslutar\natt godkänna Styrgruppens förslag enligt p.1-3.\n\n3. Övrig fråga\n"
    )
    assert [i["number"] for i in data["items"]] == ["1", "2", "3"]
    assert data["items"][1]["decisions"] == [
        {"text": "att godkänna Styrgruppens förslag enligt p.1-3.", "kind": "approve"}
    ]


def test_wrapped_title_and_number_alone_on_its_line():
    data = doc(
        "1. Öppnande\n\n2.\n\nFörlängning av avtal om\ntillnyktringsplatser (TN-\nplatser)\n"
        "Föredragande: Jan Nordqvist, enhetschef Beroendecentrum\n\nÄrendet bordlades till nästa möte.\n"
    )
    item = data["items"][1]
    assert item["title"] == "Förlängning av avtal om tillnyktringsplatser (TN-platser)"
    assert item["presenters"] == ["Jan Nordqvist"]
    assert item["status"] == "tabled"
    assert item["inline_decisions"] == ["Ärendet bordlades till nästa möte."]


def test_informal_decisions_in_prose():
    data = doc(
        "1. Föregående minnesanteckningar 200207\n\nLäggs till handlingarna.\n\n"
        "2. Digital signering\n\nÄrendet utgår.\n\n"
        "3. Övriga frågor\nVid Chefsnätverkets möte 200207 beslutades att ge Styrgruppen i uppdrag att utreda.\n"
        "Chefsnätverket beslutar att en rutin ska tas fram. Styrgruppen får i uppdrag att sammankalla gruppen.\n"
    )
    one, two, three = data["items"]
    assert one["inline_decisions"] == ["Läggs till handlingarna."]
    assert data["previous_minutes"] == ["2020-02-07"]
    assert two["status"] == "withdrawn"
    assert three["inline_decisions"] == ["Chefsnätverket beslutar att en rutin ska tas fram."]
    # The recap of an earlier meeting gives no assignment; the task given today does.
    assert three["assignments"] == [
        {"assignees": ["Styrgruppen"], "task": "sammankalla gruppen", "due": None}
    ]


def test_ocr_damage():
    text = (
        "Region Dalarna Anteckningar\n\nMinnesanteckningar Länsnatverket för förvaltningschefer\n\n"
        "M6te 4 september 2020 Kl. 09.00-12.30\n\nNärvarande: Annika Wester, |rene\nSjoholm samt "
        "f6redragande enligt nedan.\n\n1. Motets öppnande\n\n2. Godk&nnande av dagordning\n\n"
        "Chefsnéatverkets beslut\natt godkanna dagordningen.\n\n3.\n\nRapporter, Bilagal2\n"
        "Chefsnatverkets beslut\natt lagga rapporterna till handlingarna.\n"
    )
    data = parse_minutes(text).to_json()
    assert data["network"] == "chefsnatverket"
    assert data["date"] == "2020-09-04"
    assert (data["start_time"], data["end_time"]) == ("09:00", "12:30")
    assert [a["name"] for a in data["attendees"]] == ["Annika Wester", "Irene Sjoholm"]
    assert [i["number"] for i in data["items"]] == ["1", "2", "3"]
    assert data["items"][1]["decisions"] == [{"text": "att godkanna dagordningen.", "kind": "approve"}]
    assert data["items"][2]["decisions"][0]["kind"] == "file"
    assert data["items"][2]["attachments"] == ["Bilagal2"]


def test_attendance_with_organisations_per_line_and_grouped():
    per_line = parse_minutes(
        "Minnesanteckningar Välfärdsrådet\nDatum: 2021-06-11\n\nNärvarande:\nÅsa Lindgren, Borlänge\n"
        "Ann-Christin Mård, Region Dalarna\n\n§ 1 Mötets öppnande\n"
    )
    assert [(a.name, a.organization) for a in per_line.attendees] == [
        ("Åsa Lindgren", "Borlänge"),
        ("Ann-Christin Mård", "Region Dalarna"),
    ]
    grouped = parse_minutes(
        "Minnesanteckningar Välfärdsrådet 20 november 2019\n\nNärvarande:\n"
        "Region Dalarna: Ingrid Sandberg (ordf.), Per-Erik Lindqvist, Helena\nStröm\nAvesta: Anna Berg\n\n"
        "Följande kommuner var inte representerade på mötet: Gagnef, Malung-\nSälen, Orsa.\n\n1. Öppnande\n"
    )
    assert [(a.name, a.organization) for a in grouped.attendees] == [
        ("Ingrid Sandberg", "Region Dalarna"),
        ("Per-Erik Lindqvist", "Region Dalarna"),
        ("Helena Ström", "Region Dalarna"),
        ("Anna Berg", "Avesta"),
    ]
    assert grouped.absent_organizations == ["Gagnef", "Malung-Sälen", "Orsa"]
    assert grouped.date == "2019-11-20"


def test_times_and_place():
    parsed = parse_minutes(
        "Socialchefsnätverket (SCHNV) Dalarna\nDatum: 19 mars 2021\nTid: 8-9.15\nPlats: Teams\n\n1. Öppnande\n"
    )
    assert (parsed.network, parsed.date, parsed.start_time, parsed.end_time, parsed.location) == (
        "schnv",
        "2021-03-19",
        "08:00",
        "09:15",
        "Teams",
    )


def test_missing_date_is_a_warning_not_a_crash():
    parsed = parse_minutes("Minnesanteckningar Välfärdsrådet\n\n1. Öppnande\n")
    assert parsed.date is None
    assert any("mötesdatum" in w for w in parsed.warnings)


def test_no_items_is_a_warning():
    parsed = parse_minutes("Minnesanteckningar Välfärdsrådet 11 mars 2020\n\nInget att rapportera.\n")
    assert parsed.items == []
    assert any("dagordningspunkter" in w for w in parsed.warnings)


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_empty_text_is_a_parse_error(text):
    with pytest.raises(ParseError):
        parse_minutes(text)


def test_line_numbers_point_into_the_given_text():
    lines = read_lines("a\n\fb\nc")
    assert [ln.index for ln in lines] == [0, 1, 2]
    parsed = parse_minutes(
        "Minnesanteckningar Välfärdsrådet 11 mars 2020\n\n1. Öppnande\nVälfärdsrådet beslutade\natt öppna mötet.\n"
    )
    assert parsed.items[0].span.start == 2
    assert parsed.items[0].decisions[0].span.start == 4


def test_an_older_protocol_in_another_layout():
    parsed = parse_minutes(
        "PROTOKOLL\nLänsnätverket för äldreomsorg (LNÄ)\n\nDatum: 30 aug. 2019\nTid: kl. 9.00 - 12.00\n\n"
        "Deltagare: Anna Svensson, Mora kommun, Bo Ek, Region Dalarna, Cecilia Holm\n\n"
        "§ 1. Dagordning\nDagordningen godkändes.\n\n"
        "§ 2. Hemtjänstens bemanning\nFöredragande: Bo Ek, utvecklingsledare\n"
        "Det beslutades att ge Anna Svensson i uppdrag att sammanställa\nunderlaget till den 27 september.\n\n"
        "Nätverket beslutar följande:\n- att lägga informationen till handlingarna.\n"
    )
    assert (parsed.network, parsed.date, parsed.start_time, parsed.end_time) == (
        "lansnatverket-for-aldreomsorg",
        "2019-08-30",
        "09:00",
        "12:00",
    )
    assert [(a.name, a.organization) for a in parsed.attendees] == [
        ("Anna Svensson", "Mora kommun"),
        ("Bo Ek", "Region Dalarna"),
        ("Cecilia Holm", None),
    ]
    first, second = parsed.items
    assert [d.text for d in first.inline_decisions] == ["Dagordningen godkändes."]
    assert [d.text for d in second.decisions] == ["att lägga informationen till handlingarna."]
    assert second.assignments[0].assignees == ["Anna Svensson"]
    assert second.assignments[0].due == "2019-09-27"
