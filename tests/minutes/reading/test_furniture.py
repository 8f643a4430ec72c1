from __future__ import annotations

from minutes.reading.furniture import furniture_key, strip_running_furniture


def _page(number: int, body: list[str], *, total: int = 4) -> str:
    return "\n".join(
        [
            "Region Dalarna Anteckningar",
            *body,
            f"Central förvaltning 2020-03-0{number}  Sida {number} ({total})",
        ]
    )


BODIES = [
    ["1. Mötets öppnande", "Ordföranden hälsade alla välkomna.", "2. Dagordning"],
    ["Chefsnätverkets beslut", "att godkänna dagordningen.", "3. Ekonomi", "Budgeten redovisades."],
    ["4. Övriga frågor", "Inga övriga frågor anmäldes."],
    ["5. Nästa möte", "Nästa möte hålls den 3 april.", "6. Avslutning"],
]


def test_header_and_footer_repeated_on_most_pages_are_dropped() -> None:
    pages = [_page(n, body) for n, body in enumerate(BODIES, start=1)]

    result = strip_running_furniture(pages)

    assert result.pages == tuple("\n".join(body) for body in BODIES)
    assert set(result.removed) == {
        "Region Dalarna Anteckningar",
        "Central förvaltning 2020-03-01  Sida 1 (4)",
    }


def test_digits_may_change_but_words_may_not() -> None:
    assert furniture_key("Sida 3 (14)") == furniture_key("Sida  12 (14)") == "Sida # (#)"
    pages = [
        "\n".join([*body, f"Sida {n} ({'14' if n < 3 else 'fjorton'})"])
        for n, body in enumerate(BODIES, start=1)
    ]

    result = strip_running_furniture(pages)

    # "Sida # (fjorton)" is on 2 of 4 pages and "Sida # (#)" on 2 of 4: neither is "most".
    assert result.pages == tuple(pages)


def test_two_page_documents_are_left_alone() -> None:
    pages = [_page(1, BODIES[0], total=2), _page(2, BODIES[1], total=2)]

    assert strip_running_furniture(pages).pages == tuple(pages)


def test_repeats_outside_the_first_and_last_three_lines_stay() -> None:
    body = ["a", "b", "c", "Chefsnätverkets beslut", "d", "e", "f"]
    pages = ["\n".join(body) for _ in range(5)]

    # Each line is in a zone on every page except "Chefsnätverkets beslut", which is
    # in the middle; lines a–c and d–f are dropped as furniture, the middle kept.
    result = strip_running_furniture(pages)

    assert all(page == "Chefsnätverkets beslut" for page in result.pages)


def test_a_line_repeated_on_only_some_pages_stays() -> None:
    pages = [
        "Chefsnätverkets beslut\natt godkänna\nSida 1 (5)",
        "Chefsnätverkets beslut\natt lägga till handlingarna\nSida 2 (5)",
        "Övrigt\nSida 3 (5)",
        "Mötet avslutas\nSida 4 (5)",
        "Bilagor\nSida 5 (5)",
    ]

    result = strip_running_furniture(pages)

    assert result.pages[0] == "Chefsnätverkets beslut\natt godkänna"
    assert result.pages[1] == "Chefsnätverkets beslut\natt lägga till handlingarna"


def test_a_title_equal_to_the_running_header_survives_on_page_one() -> None:
    header = "Minnesanteckningar Länschefsnätverket (LCHNV)"
    bodies = ["Ekonomi\nBudget 2022", "Övrigt\nInga frågor", "Avslutning\nNästa möte"]
    pages = [f"{header}\n{header}\nDatum: 11 juni 2021\nNärvarande: alla"] + [
        f"{header}\n{b}" for b in bodies
    ]

    result = strip_running_furniture(pages)

    assert result.pages[0] == f"{header}\nDatum: 11 juni 2021\nNärvarande: alla"
    assert result.pages[1:] == tuple(bodies)
