"""The whole write flow in a real browser: sign in, upload a scan, watch it being read, correct,
publish, sign out, and find the correction as a reader.

Headless Debian Chromium with its own chromedriver, both given explicitly (Selenium Manager is
never asked to download anything). On PostgreSQL a real ``db_worker`` process reads the upload
while the status page refreshes itself; on SQLite (whose test database lives in this process's
memory) the Immediate backend reads it inside the upload request instead.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from decisions.models import Decision
from minutes.models import Meeting, SourceDocument
from networks.models import Membership
from tests.browser import headless_chromium
from tests.factories import MembershipFactory, UserFactory

from .conftest import PASSWORD

SCAN = "d3_schnv_2021-09-17.scan.pdf"  # the smallest scanned sample (3 pages)
MARKER = "Zebrafinkrapporten"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.ocr,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    # With the Immediate backend the upload request itself does the OCR: allow it time.
    with headless_chromium(page_load_timeout=300, window="1280,1024") as driver:
        yield driver


def _click(browser: webdriver.Chrome, element) -> None:
    """Scroll the element to the middle first, at once (the site scrolls smoothly, which would move it mid-click)."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
    element.click()


def _log_in(browser: webdriver.Chrome, base: str, username: str) -> None:
    browser.get(f"{base}/konto/logga-in/")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    _click(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    WebDriverWait(browser, 30).until(ec.presence_of_element_located((By.CSS_SELECTOR, "form.nav-logout")))


def _log_out(browser: webdriver.Chrome) -> None:
    _click(browser, browser.find_element(By.CSS_SELECTOR, "form.nav-logout button"))
    WebDriverWait(browser, 30).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "a[href='/konto/logga-in/']"))
    )


def test_secretary_uploads_a_scan_corrects_publishes_and_a_reader_finds_it(
    request, live_server, browser, samples, schnv, settings
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.BESLUTSARKIVET_OCR_WORKERS = 1  # two shared vCPUs
    real_worker = connection.vendor == "postgresql"
    if real_worker:
        request.getfixturevalue("running_db_worker")
    MembershipFactory(user=UserFactory(username="sekr"), network=schnv, role=Membership.Role.SECRETARY)
    MembershipFactory(user=UserFactory(username="lasare"), network=schnv, role=Membership.Role.READER)
    base = live_server.url

    # The secretary signs in through the form and uploads the scan.
    _log_in(browser, base, "sekr")
    browser.get(f"{base}/hantera/ladda-upp/")
    browser.find_element(By.NAME, "file").send_keys(str(samples / SCAN))
    selected = browser.find_element(By.CSS_SELECTOR, "select[name=network] option:checked")
    assert selected.text == schnv.name  # preset from the membership
    _click(browser, browser.find_element(By.CSS_SELECTOR, "form.upload-form button[type=submit]"))

    # The status page refreshes itself until the document is ready for review.
    WebDriverWait(browser, 60).until(ec.presence_of_element_located((By.ID, "document-status")))
    first_status = browser.find_element(By.ID, "document-status").get_attribute("data-status")
    if real_worker:
        assert first_status in ("pending", "processing")  # OCR takes a while: we see it working
        assert browser.find_element(By.CSS_SELECTOR, "meta[http-equiv=refresh]")
    review_link = WebDriverWait(browser, 600, poll_frequency=1).until(
        ec.presence_of_element_located((By.ID, "review-link"))
    )
    document = SourceDocument.objects.get()
    assert document.status == SourceDocument.Status.READY
    assert document.pages_done == document.pages_total == 3
    _click(browser, review_link)

    # Correct the first decision's text.
    WebDriverWait(browser, 30).until(ec.presence_of_element_located((By.CSS_SELECTOR, ".review-decision")))
    assert browser.find_elements(By.CSS_SELECTOR, ".source-text li")  # the source text beside it
    decision = Decision.objects.filter(item__meeting__network=schnv).order_by("item__order", "order").first()
    _click(browser, browser.find_element(By.CSS_SELECTOR, f"#decision-{decision.pk} a[href$='/redigera/']"))
    text_box = WebDriverWait(browser, 30).until(ec.presence_of_element_located((By.NAME, "text")))
    corrected = f"att godkänna {MARKER} och lägga den till handlingarna"
    text_box.clear()
    text_box.send_keys(corrected)
    _click(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    WebDriverWait(browser, 30).until(
        ec.text_to_be_present_in_element((By.ID, f"decision-{decision.pk}"), MARKER)
    )
    decision.refresh_from_db()
    assert decision.text == corrected and "text" in decision.edited_fields

    # Publish, and sign out.
    _click(browser, browser.find_element(By.ID, "publish-button"))
    WebDriverWait(browser, 30).until(
        ec.text_to_be_present_in_element((By.CSS_SELECTOR, "main"), "Publicerat")
    )
    assert Meeting.objects.get().is_published
    _log_out(browser)

    # A reader signs in and finds the corrected text through the decision search.
    _log_in(browser, base, "lasare")
    browser.get(f"{base}/beslut/?q={MARKER}")
    WebDriverWait(browser, 30).until(ec.presence_of_element_located((By.CSS_SELECTOR, "main")))
    assert MARKER in browser.find_element(By.CSS_SELECTOR, "main").text
    # … and on the meeting page itself.
    browser.get(f"{base}/moten/{decision.item.meeting_id}/")
    assert MARKER in browser.find_element(By.CSS_SELECTOR, "main").text
