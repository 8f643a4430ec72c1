from __future__ import annotations

import pytest
from django.db import IntegrityError

from tests.factories import MembershipFactory, NetworkFactory, PersonFactory


def test_all_names_lists_name_short_name_and_aliases_once() -> None:
    network = NetworkFactory.build(
        name="Socialchefsnätverket", short_name="SCHNV", aliases=["Socialchefsnätverket", "SCHNV Dalarna"]
    )

    assert network.all_names() == ["Socialchefsnätverket", "SCHNV", "SCHNV Dalarna"]


def test_all_names_skips_blank_short_name() -> None:
    assert NetworkFactory.build(name="Välfärdsrådet", short_name="", aliases=[]).all_names() == [
        "Välfärdsrådet"
    ]


@pytest.mark.django_db
def test_person_is_unique_per_name_and_organization() -> None:
    PersonFactory(name="Anna Andersson", organization="Falu kommun")
    PersonFactory.create(name="Anna Andersson", organization="")  # a different row: no organization

    with pytest.raises(IntegrityError):
        PersonFactory._meta.model.objects.create(name="Anna Andersson", organization="Falu kommun")


@pytest.mark.django_db
def test_membership_is_unique_per_user_and_network() -> None:
    membership = MembershipFactory()

    with pytest.raises(IntegrityError):
        MembershipFactory(user=membership.user, network=membership.network)
