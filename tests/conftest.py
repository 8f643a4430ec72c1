"""Project-wide test plumbing: fixture paths, isolation, and skips for missing services.

Tests that need PostgreSQL, Tesseract (Swedish model) or Chromium carry the markers
``postgres``, ``ocr`` and ``browser``. Outside ``make test`` they are skipped with a
reason when the service is missing; under ``make test`` (BESLUTSARKIVET_REQUIRE_ALL=1)
a missing service is an error instead, because there every marked test must run.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES_DIR = REPO_ROOT / "fixtures"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """The repository's fixtures/ folder (sample minutes, seeds, gold JSON)."""
    return FIXTURES_DIR


@pytest.fixture(scope="session")
def seed_paths(fixtures_dir: Path) -> list[Path]:
    """The plain-text seed minutes, fixtures/seeds/*.txt, sorted."""
    return sorted((fixtures_dir / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def sample_paths(fixtures_dir: Path) -> list[Path]:
    """Every sample file in fixtures/samples/ (pdf, docx, scans), sorted."""
    return sorted(p for p in (fixtures_dir / "samples").iterdir() if p.is_file())


@pytest.fixture(scope="session")
def _static_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("static")


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path_factory: pytest.TempPathFactory, _static_root: Path) -> None:
    """Uploads go to a fresh temp dir, never into the repo; plain static files; tasks run now."""
    media = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(media)}},
    }
    # The manifest storage needs collectstatic, which tests don't run; an existing (empty)
    # STATIC_ROOT keeps whitenoise from warning about a missing directory.
    settings.STATIC_ROOT = _static_root
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Style guide: the Immediate backend in tests. A test about enqueueing itself can
    # override TASKS again with the `settings` fixture.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@functools.cache
def _missing_postgres() -> str | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return f"needs PostgreSQL (DATABASE_URL=postgres://…); the database here is {connection.vendor}"
    return None


@functools.cache
def _missing_ocr() -> str | None:
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return "needs tesseract (apt-get install tesseract-ocr tesseract-ocr-swe)"
    try:
        out = subprocess.run(
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"tesseract does not run: {exc}"
    if "swe" not in (out.stdout + out.stderr).split():
        return "needs tesseract's Swedish model (apt-get install tesseract-ocr-swe)"
    return None


@functools.cache
def _missing_browser() -> str | None:
    if not CHROMIUM.exists():
        return f"needs {CHROMIUM} (apt-get install chromium)"
    if shutil.which("chromedriver") is None:
        return "needs chromedriver (apt-get install chromium-driver)"
    return None


_REQUIREMENTS = {"postgres": _missing_postgres, "ocr": _missing_ocr, "browser": _missing_browser}


@pytest.hookimpl(trylast=True)  # after -m/-k deselection: only look at tests that will run
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    require_all = os.environ.get("BESLUTSARKIVET_REQUIRE_ALL") == "1"
    problems: dict[str, str] = {}
    for item in items:
        for marker, missing in _REQUIREMENTS.items():
            if item.get_closest_marker(marker) is None:
                continue
            reason = missing()
            if reason is None:
                continue
            if require_all:
                problems[marker] = reason
            else:
                item.add_marker(pytest.mark.skip(reason=f"[{marker}] {reason}"))
    if problems:
        details = "; ".join(f"{marker}: {reason}" for marker, reason in sorted(problems.items()))
        raise pytest.UsageError(
            f"make test runs every marked test, but a service is missing ({details}). "
            "Run scripts/system-deps.sh, or unset BESLUTSARKIVET_REQUIRE_ALL to skip them."
        )
