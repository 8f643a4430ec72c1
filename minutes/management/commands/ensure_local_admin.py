"""Create a local superuser with a random password, unless one exists (used by `make run`)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Skapar ett lokalt administratörskonto med slumpat lösenord om inget finns "
        "(Creates a local superuser with a random password if none exists; DEBUG only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin", help="Name for the new account (default: admin).")

    def handle(self, *args, username: str, **options):
        # A printed password belongs on a developer's terminal, never in production logs.
        if not settings.DEBUG:
            raise CommandError("ensure_local_admin är bara för lokal utveckling (sätt DJANGO_DEBUG=1).")
        user_model = get_user_model()
        manager = user_model._default_manager
        existing = list(
            manager.filter(is_superuser=True).order_by("pk").values_list(user_model.USERNAME_FIELD, flat=True)
        )
        if existing:
            names = ", ".join(existing)
            self.stdout.write(
                f"Superuser already exists: {names}. Log in with its password "
                f"(forgot it? python manage.py changepassword {existing[0]})."
            )
            return

        name, n = username, 1
        while manager.filter(**{user_model.USERNAME_FIELD: name}).exists():
            n += 1
            name = f"{username}{n}"
        password = secrets.token_urlsafe(12)
        manager.create_superuser(**{user_model.USERNAME_FIELD: name, "email": "", "password": password})
        self.stdout.write(self.style.SUCCESS("Created a local superuser (this password is shown only once):"))
        self.stdout.write(f"  username: {name}\n  password: {password}")
