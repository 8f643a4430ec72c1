"""Who may change what: the role rules of the write side, asked by every write view.

Roles come from ``networks.Membership``, one per user and network:

* reader – may read (the read rule itself lives in ``minutes.access``);
* secretary – may upload, review, correct, publish and trash minutes of *that* network;
* admin – everything in every network, emptying the trash, user management.
  A superuser counts as an admin; so does anyone with an admin membership in any network.

The views only ever ask these functions, so the rules are tested in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied

from minutes.access import can_read
from networks.models import Membership, Network

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponse

    from minutes.models import Attachment, Meeting, SourceDocument

    User = AbstractBaseUser | AnonymousUser

_EDITOR_ROLES = (Membership.Role.SECRETARY, Membership.Role.ADMIN)


def is_admin(user: User | None) -> bool:
    """Superusers and anyone holding the admin role in some network."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, role=Membership.Role.ADMIN).exists()


def editable_networks(user: User | None) -> QuerySet[Network]:
    """The networks whose minutes the user may upload and change (all of them for an admin)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Network.objects.none()
    if is_admin(user):
        return Network.objects.all()
    return Network.objects.filter(memberships__user=user, memberships__role__in=_EDITOR_ROLES).distinct()


def can_upload(user: User | None) -> bool:
    """Secretaries (of any network) and admins may upload."""
    return editable_networks(user).exists()


def can_edit_network(user: User | None, network: Network | int | None) -> bool:
    """May the user correct, publish and trash this network's minutes?

    A document whose network is not known yet (``None``) is editable by admins only:
    nobody else can be said to own it.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_admin(user):
        return True
    if network is None:
        return False
    network_id = network if isinstance(network, int) else network.pk
    return Membership.objects.filter(user=user, network_id=network_id, role__in=_EDITOR_ROLES).exists()


def can_edit_document(user: User | None, document: SourceDocument) -> bool:
    """The document's network decides; the uploader may always follow their own upload."""
    if can_edit_network(user, document.network_id):
        return True
    return bool(
        user is not None
        and user.is_authenticated
        and document.uploaded_by_id is not None
        and document.uploaded_by_id == user.pk
        and can_upload(user)
    )


def can_edit_meeting(user: User | None, meeting: Meeting) -> bool:
    return can_edit_network(user, meeting.network_id)


def can_read_meeting(user: User | None, meeting: Meeting) -> bool:
    """Readers see published meetings outside the trash; editors of the network see everything."""
    if can_edit_meeting(user, meeting):
        return True
    return can_read(user) and meeting.is_published and meeting.trashed_at is None


def can_read_document(user: User | None, document: SourceDocument) -> bool:
    """The file behind a published meeting is as readable as the meeting; drafts only for editors."""
    if can_edit_document(user, document):
        return True
    if not can_read(user) or document.trashed_at is not None:
        return False
    return document.meetings.published().exists()


def can_read_attachment(user: User | None, attachment: Attachment) -> bool:
    return can_read_meeting(user, attachment.meeting)


def default_upload_network(user: User | None) -> Network | None:
    """The network to preset on the upload form: the user's own when there is exactly one."""
    if user is None or not user.is_authenticated:
        return None
    own = Network.objects.filter(memberships__user=user, memberships__role__in=_EDITOR_ROLES).distinct()
    return own.first() if own.count() == 1 else None


class RoleRequiredMixin(AccessMixin):
    """Class-based write views: anonymous users go to the login page, others must pass ``has_role``.

    ``raise_exception`` stays False so that an anonymous user is redirected; a signed-in
    user without the role gets 403 (AccessMixin does exactly that split).
    """

    def has_role(self) -> bool:
        raise NotImplementedError

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.has_role():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class UploadRoleMixin(RoleRequiredMixin):
    def has_role(self) -> bool:
        return can_upload(self.request.user)


class AdminRoleMixin(RoleRequiredMixin):
    def has_role(self) -> bool:
        return is_admin(self.request.user)


def require_edit_network(user: User | None, network: Network | int | None) -> None:
    """Raise PermissionDenied (403) unless the user may change this network's minutes."""
    if not can_edit_network(user, network):
        raise PermissionDenied


def require_edit_meeting(user: User | None, meeting: Meeting) -> None:
    if not can_edit_meeting(user, meeting):
        raise PermissionDenied


def require_edit_document(user: User | None, document: SourceDocument) -> None:
    if not can_edit_document(user, document):
        raise PermissionDenied
