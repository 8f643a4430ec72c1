"""The project starts: system checks pass, migrations apply, the admin login renders."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.migrations.executor import MigrationExecutor


def test_system_checks_pass() -> None:
    call_command("check")


@pytest.mark.django_db
def test_migrations_are_applied() -> None:
    # pytest-django migrated the test database; nothing may be left to apply.
    from django.db import connection

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    assert plan == []


@pytest.mark.django_db
def test_admin_login_page_renders(client) -> None:
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b'name="username"' in response.content


@pytest.mark.django_db
@pytest.mark.postgres
def test_postgres_extensions_available() -> None:
    # The search migrations need unaccent and pg_trgm from the server's contrib set.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM pg_available_extensions WHERE name IN ('unaccent', 'pg_trgm') ORDER BY name"
        )
        assert [row[0] for row in cursor.fetchall()] == ["pg_trgm", "unaccent"]
