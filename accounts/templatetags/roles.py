"""Template filters for the role rules, so templates show only the links a user may follow.

The views check the same rules on the server; hiding a link is a courtesy, not the guard.
"""

from __future__ import annotations

from django import template

from minutes import permissions

register = template.Library()


@register.filter
def is_admin(user) -> bool:
    return permissions.is_admin(user)


@register.filter
def can_upload(user) -> bool:
    return permissions.can_upload(user)


@register.filter
def can_edit_network(user, network) -> bool:
    return permissions.can_edit_network(user, network)
