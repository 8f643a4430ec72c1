from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from networks.models import Network


@pytest.mark.django_db
def test_create_networks_migration_adds_the_three_networks() -> None:
    networks = {n.slug: n for n in Network.objects.all()}

    assert {"chefsnatverket", "valfardsradet", "schnv"} <= networks.keys()
    chefs = networks["chefsnatverket"]
    assert chefs.name == "Chefsnätverket"
    assert chefs.aliases == [
        "Länsnätverket för förvaltningschefer",
        "Länsnätverk förvaltningschefer inom hälsa och välfärd",
        "Chefsnätverket",
    ]
    assert networks["valfardsradet"].short_name == "VFR"
    assert networks["schnv"].short_name == "SCHNV"
    assert "SCHNV" in networks["schnv"].all_names()


@pytest.mark.django_db(transaction=True)
def test_create_networks_migration_is_reversible() -> None:
    # Transactional tests run after all others (pytest-django) and flush the tables afterwards,
    # so seeded networks are gone for later transactional tests, as with any data migration.
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("networks", "0001_initial")])
        old_apps = executor.loader.project_state([("networks", "0001_initial")]).apps
        assert not old_apps.get_model("networks", "Network").objects.exists()

        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    finally:
        # Leave the schema as the rest of the suite expects it.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert Network.objects.filter(slug__in=["chefsnatverket", "valfardsradet", "schnv"]).count() == 3
