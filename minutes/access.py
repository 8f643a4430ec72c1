"""Who may read what. One place, so every read view asks the same question.

Reading requires login unless settings.BESLUTSARKIVET_PUBLIC_READ is on; readers only ever
see published meetings that are not in the trash. The write side (roles per network) builds on this.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login


def can_read(user) -> bool:
    return bool(settings.BESLUTSARKIVET_PUBLIC_READ or (user and user.is_authenticated))


class ReadAccessMixin(AccessMixin):
    """Class-based read views: send anonymous users to the login page unless reading is public."""

    def dispatch(self, request, *args, **kwargs):
        if not can_read(request.user):
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)


def read_access_required(view):
    """Function views: the same rule as ReadAccessMixin."""

    def wrapped(request, *args, **kwargs):
        if not can_read(request.user):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped
