"""One way to start the real browser for every browser test.

Debian's Chromium with its own chromedriver, both named explicitly: Selenium Manager is never
asked to download anything (this machine and CI cannot). Headless, no background networking
(the machine's closed network refuses it), a throwaway profile, Swedish as the language.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


@contextmanager
def headless_chromium(*, page_load_timeout: int = 30, window: str = "1280,1000") -> Iterator:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="beslutsarkivet-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--window-size={window}",
            "--lang=sv-SE",
            f"--user-data-dir={profile}",
        ):
            options.add_argument(argument)
        # Swedish Accept-Language, as the chiefs' browsers send it.
        options.add_experimental_option("prefs", {"intl.accept_languages": "sv-SE,sv"})
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        driver.implicitly_wait(0)
        driver.set_page_load_timeout(page_load_timeout)
        try:
            yield driver
        finally:
            driver.quit()
