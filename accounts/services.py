"""Writes for accounts: creating users and giving them roles in networks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction

from networks.models import Membership, Network

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser


@transaction.atomic
def user_create(*, username: str, email: str, network: Network | None = None, role: str = "") -> AbstractUser:
    """A new account without a usable password (the person sets one through the reset e-mail)."""
    user = get_user_model().objects.create_user(username=username, email=email, password=None)
    if network is not None and role:
        membership_set(user=user, network=network, role=role)
    return user


@transaction.atomic
def membership_set(*, user: AbstractUser, network: Network, role: str) -> Membership | None:
    """Give ``user`` this role in ``network``; an empty role removes the membership."""
    if not role:
        Membership.objects.filter(user=user, network=network).delete()
        return None
    if role not in Membership.Role.values:
        raise ValueError(f"unknown role {role!r}")
    membership, _ = Membership.objects.update_or_create(user=user, network=network, defaults={"role": role})
    return membership
