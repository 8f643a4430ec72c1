"""Shared data for the write-side tests: networks, one user per role, and an upload helper."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from networks.models import Membership, Network
from tests.factories import MembershipFactory, NetworkFactory, UserFactory

PASSWORD = "lösenord-för-test"


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
def samples(fixtures_dir: Path) -> Path:
    return fixtures_dir / "samples"


@pytest.fixture
def seeds(fixtures_dir: Path) -> Path:
    return fixtures_dir / "seeds"
