"""Shared data for the write-side tests: networks, one user per role, and an upload helper."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.urls import reverse

from networks.models import Membership, Network
from tests.factories import MembershipFactory, NetworkFactory, UserFactory

PASSWORD = "lösenord-för-test"
REPO_ROOT = Path(__file__).resolve().parents[2]


def subprocess_database_url() -> str:
    """DATABASE_URL of the test database, for a child process (PostgreSQL; SQLite's is in memory)."""
    from django.db import connection

    db = connection.settings_dict
    host = quote(db.get("HOST") or "", safe="")
    auth = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{quote(db['NAME'], safe='')}"


def start_db_worker(settings, *args: str) -> subprocess.Popen:
    """``manage.py db_worker`` against the test database and media folder; the caller must stop it."""
    env = {
        **os.environ,
        "DATABASE_URL": subprocess_database_url(),
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_OCR_WORKERS": str(settings.BESLUTSARKIVET_OCR_WORKERS),
    }
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--no-startup-delay",
        "--interval",
        "0.2",
        "--no-reload",
    ]
    # Output to a file, not a pipe: a pipe nobody reads can fill up and stall the worker.
    log = tempfile.TemporaryFile(mode="w+", prefix="db_worker-")  # noqa: SIM115 - closed by stop()
    process = subprocess.Popen(
        [*command, *args], cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    process.log = log  # type: ignore[attr-defined]
    return process


def stop(process: subprocess.Popen) -> str:
    """Stop a child process (it may have ended already) and return what it printed."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    log = process.log  # type: ignore[attr-defined]
    log.seek(0)
    output = log.read()
    log.close()
    return output


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    """Hashing with PBKDF2 costs a noticeable moment per user; these tests are not about hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def valfardsradet(db) -> Network:
    return NetworkFactory(name="Välfärdsrådet", slug="valfardsradet", short_name="VFR")


@pytest.fixture
def chefsnatverket(db) -> Network:
    return NetworkFactory(name="Chefsnätverket", slug="chefsnatverket")


@pytest.fixture
def schnv(db) -> Network:
    return NetworkFactory(name="Socialchefsnätverket", slug="schnv", short_name="SCHNV")


@pytest.fixture
def secretary(valfardsradet):
    """Secretary of Välfärdsrådet (and nothing else)."""
    return MembershipFactory(
        user=UserFactory(username="sekreterare"), network=valfardsradet, role=Membership.Role.SECRETARY
    ).user


@pytest.fixture
def chefs_secretary(chefsnatverket):
    return MembershipFactory(
        user=UserFactory(username="chefssekreterare"), network=chefsnatverket, role=Membership.Role.SECRETARY
    ).user


@pytest.fixture
def reader(valfardsradet):
    return MembershipFactory(
        user=UserFactory(username="lasare"), network=valfardsradet, role=Membership.Role.READER
    ).user


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    return user


@pytest.fixture
def network_admin(chefsnatverket):
    """An admin by membership (in one network) – an admin everywhere."""
    return MembershipFactory(
        user=UserFactory(username="natverksadmin"), network=chefsnatverket, role=Membership.Role.ADMIN
    ).user


@pytest.fixture
def secretary_client(client, secretary):
    client.force_login(secretary)
    return client


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks) -> Callable[..., Any]:
    """POST a file to the upload form as the client's user; the task runs (Immediate backend) on commit."""

    def post(path: Path, *, network: Network, attachments: list[Path] = (), **fields: Any):
        handles = [path.open("rb"), *(p.open("rb") for p in attachments)]
        try:
            data: dict[str, Any] = {"file": handles[0], "network": network.pk, **fields}
            if attachments:
                data["attachments"] = handles[1:]
            with django_capture_on_commit_callbacks(execute=True):
                return client.post(reverse("manage:upload"), data)
        finally:
            for handle in handles:
                handle.close()

    return post


@pytest.fixture
def running_db_worker(settings) -> Iterator[subprocess.Popen]:
    """A db_worker polling the test database for the whole test (PostgreSQL only), killed afterwards."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    worker = start_db_worker(settings)
    try:
        yield worker
    finally:
        stop(worker)


@pytest.fixture
def samples(fixtures_dir: Path) -> Path:
    return fixtures_dir / "samples"


@pytest.fixture
def seeds(fixtures_dir: Path) -> Path:
    return fixtures_dir / "seeds"
