"""A real browser on the read side: a chief's search-to-decision path, and the same by keyboard only.

Selenium drives Debian's Chromium through /usr/bin/chromedriver (never Selenium Manager: no
downloads) against pytest-django's live server, with the sample minutes in fixtures/seeds/
ingested through minutes.services.meeting_ingest and a signed-in reader. One browser per module.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings

from tests.browser import headless_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_S = 10


@pytest.fixture(scope="module")
def browser():
    with headless_chromium() as driver:
        yield driver


@pytest.fixture
def seeded(db, seed_paths: list[Path]) -> int:
    """The sample minutes, read and stored the way an upload would be."""
    from minutes.services import meeting_ingest

    for path in seed_paths:
        meeting_ingest(path=path)
    from minutes.models import Meeting

    count = Meeting.objects.published().count()
    assert count >= 5
    return count


@pytest.fixture
def signed_in(browser, live_server, client, reader):
    """The browser carries the session of a signed-in reader."""
    client.force_login(reader)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    browser.get(live_server.url + "/static/css/site.css")  # any page on the host, to set a cookie there
    browser.delete_all_cookies()
    browser.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": session, "path": "/"})
    return browser


def wait_for(driver, condition):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT_S).until(condition)


def loaded(driver, path_part: str):
    return wait_for(
        driver,
        lambda d: path_part in d.current_url and d.execute_script("return document.readyState") == "complete",
    )


def test_a_chief_finds_a_decision_and_follows_it_up(signed_in, live_server, seeded, client):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver = signed_in
    driver.get(live_server.url + "/")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Beslutsarkivet"

    # Search from the start page.
    box = driver.find_element(By.ID, "home-q")
    box.send_keys("tillnyktringsplatser")
    box.submit()
    loaded(driver, "/beslut/")
    assert parse_qs(urlsplit(driver.current_url).query)["q"] == ["tillnyktringsplatser"]
    results = driver.find_elements(By.CSS_SELECTOR, "#traffar .result")
    assert results, "no hits for tillnyktringsplatser"
    networks_found = {r.find_element(By.CSS_SELECTOR, ".result-meta span").text for r in results}
    assert "Chefsnätverket" in networks_found
    assert driver.find_elements(By.CSS_SELECTOR, "#traffar mark")

    # Narrow to one network with the filter form.
    driver.find_element(By.CSS_SELECTOR, "details.filters > summary").click()
    Select(driver.find_element(By.ID, "id_natverk")).select_by_visible_text("Chefsnätverket")
    driver.find_element(By.XPATH, "//button[normalize-space()='Visa beslut']").click()
    wait_for(driver, lambda d: "natverk=chefsnatverket" in d.current_url)
    # The shared link carries only the filters in use (static/js/clean-query.js).
    assert parse_qs(urlsplit(driver.current_url).query, keep_blank_values=True) == {
        "q": ["tillnyktringsplatser"],
        "natverk": ["chefsnatverket"],
    }
    filtered = driver.find_elements(By.CSS_SELECTOR, "#traffar .result")
    assert filtered and len(filtered) <= len(results)
    assert {r.find_element(By.CSS_SELECTOR, ".result-meta span").text for r in filtered} == {"Chefsnätverket"}
    # Swedish dates on the page.
    assert any(month in driver.page_source for month in (" mars 20", " september 20"))

    # Export the result set as CSV: the link carries the same filters.
    csv_href = driver.find_element(By.XPATH, "//a[starts-with(normalize-space(), 'CSV')]").get_attribute(
        "href"
    )
    exported = parse_qs(urlsplit(csv_href).query)
    assert exported["q"] == ["tillnyktringsplatser"] and exported["natverk"] == ["chefsnatverket"]
    response = client.get(urlsplit(csv_href).path + "?" + urlsplit(csv_href).query)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(body.strip().splitlines()) == len(filtered) + 1
    assert "Chefsnätverket" in body

    # Open the meeting of the first hit, at its agenda item.
    first = filtered[0].find_element(By.CSS_SELECTOR, "a.result-link")
    target = first.get_attribute("href")
    first.click()
    loaded(driver, "/moten/")
    anchor = urlsplit(target).fragment
    assert anchor.startswith("punkt-")
    item = driver.find_element(By.ID, anchor)
    assert item.tag_name == "article" and item.is_displayed()
    assert "Beslut" in item.text
    assert "Närvarande" in driver.page_source

    # From the assignment list to the decision that gave the assignment.
    driver.find_element(By.CSS_SELECTOR, ".main-nav a[href='/uppdrag/']").click()
    loaded(driver, "/uppdrag/")
    driver.find_element(By.PARTIAL_LINK_TEXT, "Alla").click()
    wait_for(driver, lambda d: "status=alla" in d.current_url)
    assignment = driver.find_elements(By.CSS_SELECTOR, "#uppdragslista .assignment")[0]
    task = assignment.find_element(By.CSS_SELECTOR, ".result-text").text
    link = assignment.find_element(By.CSS_SELECTOR, "a.result-link")
    anchor = urlsplit(link.get_attribute("href")).fragment
    link.click()
    loaded(driver, "/moten/")
    item = driver.find_element(By.ID, anchor)
    assert task in item.text  # the assignment sits under the item with its decision
    assert item.find_elements(By.CSS_SELECTOR, ".decision-list .decision, .assignment-list li")


def test_search_works_with_the_keyboard_only(signed_in, live_server, seeded):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = signed_in
    driver.get(live_server.url + "/")

    def active():
        return driver.switch_to.active_element

    def tab(times: int = 1):
        for _ in range(times):
            ActionChains(driver).send_keys(Keys.TAB).perform()

    # Tab from the top of the page to the search field (skip link, brand, menu, account links…).
    for _ in range(15):
        tab()
        if active().get_attribute("id") == "home-q":
            break
    else:
        pytest.fail("the search field could not be reached with Tab")
    # Focus is visible: the focused field gets an outline.
    assert driver.execute_script("return getComputedStyle(arguments[0]).outlineStyle", active()) != "none"

    ActionChains(driver).send_keys("tillnyktringsplatser").send_keys(Keys.ENTER).perform()
    loaded(driver, "/beslut/")

    # First Tab on the results page: the skip link straight to the hits.
    tab()
    assert active().text == "Hoppa till träffarna"
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait_for(driver, lambda d: d.switch_to.active_element.get_attribute("id") == "traffar")
    tab()
    first = active()
    assert "result-link" in (first.get_attribute("class") or "")
    assert first == driver.find_elements(By.CSS_SELECTOR, "#traffar a.result-link")[0]
    href = first.get_attribute("href")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    loaded(driver, "/moten/")
    assert driver.current_url == href
