"""Role checks: the helpers, and every kind of write view refusing the wrong user on the server."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minutes import permissions
from minutes.models import Meeting
from networks.models import Network
from tests.factories import (
    AgendaItemFactory,
    AssignmentFactory,
    DecisionFactory,
    MeetingFactory,
    SourceDocumentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


class TestPermissionHelpers:
    def test_superuser_and_admin_membership_are_admins(
        self, admin_user, network_admin, secretary, reader
    ) -> None:
        assert permissions.is_admin(admin_user)
        assert permissions.is_admin(network_admin)
        assert not permissions.is_admin(secretary)
        assert not permissions.is_admin(reader)

    def test_secretary_edits_only_own_network(self, secretary, valfardsradet, chefsnatverket) -> None:
        assert permissions.can_upload(secretary)
        assert permissions.can_edit_network(secretary, valfardsradet)
        assert permissions.can_edit_network(secretary, valfardsradet.pk)
        assert not permissions.can_edit_network(secretary, chefsnatverket)
        assert list(permissions.editable_networks(secretary)) == [valfardsradet]

    def test_admin_edits_every_network(self, network_admin, valfardsradet, chefsnatverket) -> None:
        assert permissions.can_edit_network(network_admin, valfardsradet)
        assert permissions.can_edit_network(network_admin, chefsnatverket)
        assert set(permissions.editable_networks(network_admin)) == set(Network.objects.all())

    def test_reader_and_anonymous_may_not_upload_or_edit(self, reader, valfardsradet) -> None:
        from django.contrib.auth.models import AnonymousUser

        for user in (reader, AnonymousUser(), None):
            assert not permissions.can_upload(user)
            assert not permissions.can_edit_network(user, valfardsradet)
            assert not permissions.is_admin(user)

    def test_inactive_secretary_has_no_rights(self, secretary, valfardsradet) -> None:
        secretary.is_active = False
        secretary.save()
        assert not permissions.can_edit_network(secretary, valfardsradet)

    def test_drafts_are_readable_by_editors_only(
        self, secretary, chefs_secretary, reader, valfardsradet
    ) -> None:
        draft = MeetingFactory(network=valfardsradet, is_published=False)
        assert permissions.can_read_meeting(secretary, draft)
        assert not permissions.can_read_meeting(reader, draft)
        assert not permissions.can_read_meeting(chefs_secretary, draft)
        draft.is_published = True
        assert permissions.can_read_meeting(reader, draft)
        assert permissions.can_read_meeting(chefs_secretary, draft)

    def test_upload_network_is_preset_only_when_unambiguous(
        self, secretary, valfardsradet, admin_user
    ) -> None:
        assert permissions.default_upload_network(secretary) == valfardsradet
        assert permissions.default_upload_network(admin_user) is None


def _chefs_objects(chefsnatverket):
    meeting = MeetingFactory(network=chefsnatverket, is_published=False)
    item = AgendaItemFactory(meeting=meeting)
    decision = DecisionFactory(item=item)
    DecisionFactory(item=item, order=decision.order + 1)
    assignment = AssignmentFactory(item=item)
    document = SourceDocumentFactory(network=chefsnatverket)
    return meeting, item, decision, assignment, document


def _write_requests(meeting, item, decision, assignment, document):
    """(method, url, data) for one request of every kind of write view."""
    r = reverse
    return [
        ("get", r("manage:meeting_review", kwargs={"pk": meeting.pk}), None),
        ("post", r("manage:meeting_publish", kwargs={"pk": meeting.pk}), {}),
        (
            "post",
            r("manage:meeting_edit", kwargs={"pk": meeting.pk}),
            {"title": "Hackat", "date": "2020-01-01"},
        ),
        ("post", r("manage:attendance_add", kwargs={"pk": meeting.pk}), {"name": "X"}),
        ("post", r("manage:meeting_trash", kwargs={"pk": meeting.pk}), {}),
        ("get", r("manage:meeting_conflicts", kwargs={"pk": meeting.pk}), None),
        ("post", r("manage:item_edit", kwargs={"pk": item.pk}), {"title": "Hackat", "status": "handled"}),
        ("post", r("manage:decision_create", kwargs={"pk": item.pk}), {"text": "att x", "kind": "other"}),
        ("post", r("manage:decision_edit", kwargs={"pk": decision.pk}), {"text": "Hackat", "kind": "other"}),
        ("post", r("manage:decision_split", kwargs={"pk": decision.pk}), {"position": 5}),
        ("post", r("manage:decision_merge", kwargs={"pk": decision.pk}), {}),
        ("post", r("manage:decision_delete", kwargs={"pk": decision.pk}), {}),
        ("get", r("manage:decision_history", kwargs={"pk": decision.pk}), None),
        ("post", r("manage:assignment_edit", kwargs={"pk": assignment.pk}), {"task": "Hackat"}),
        ("post", r("manage:assignment_done", kwargs={"pk": assignment.pk}), {"done_date": "2020-01-01"}),
        ("get", r("manage:document_status", kwargs={"pk": document.pk}), None),
        ("post", r("manage:document_trash", kwargs={"pk": document.pk}), {}),
        ("get", r("manage:document_download", kwargs={"pk": document.pk}), None),
    ]


def test_valfardsradet_secretary_cannot_change_chefsnatverkets_minutes(
    client, secretary, chefsnatverket
) -> None:
    objects = _chefs_objects(chefsnatverket)
    client.force_login(secretary)

    for method, url, data in _write_requests(*objects):
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code == 403, (method, url, response.status_code)

    meeting, _, decision, _, document = objects
    meeting.refresh_from_db()
    decision.refresh_from_db()
    document.refresh_from_db()
    assert meeting.title != "Hackat" and not meeting.is_published and meeting.trashed_at is None
    assert decision.text != "Hackat" and decision.edited_fields == []
    assert document.trashed_at is None


def test_chefsnatverkets_own_secretary_and_an_admin_may(
    client, chefs_secretary, admin_user, chefsnatverket
) -> None:
    meeting, _, decision, _, _ = _chefs_objects(chefsnatverket)
    for user in (chefs_secretary, admin_user):
        client.force_login(user)
        assert client.get(reverse("manage:meeting_review", kwargs={"pk": meeting.pk})).status_code == 200
        response = client.post(
            reverse("manage:decision_edit", kwargs={"pk": decision.pk}),
            {"text": f"att {user}", "kind": "other"},
        )
        assert response.status_code == 302


def test_reader_cannot_upload(client, reader, valfardsradet, seeds) -> None:
    client.force_login(reader)
    assert client.get(reverse("manage:upload")).status_code == 403
    with (seeds / "d1_valfardsradet_2019-11-20.txt").open("rb") as handle:
        response = client.post(reverse("manage:upload"), {"file": handle, "network": valfardsradet.pk})
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_secretary_cannot_upload_to_another_network(client, secretary, chefsnatverket, seeds) -> None:
    client.force_login(secretary)
    with (seeds / "d1_valfardsradet_2019-11-20.txt").open("rb") as handle:
        response = client.post(reverse("manage:upload"), {"file": handle, "network": chefsnatverket.pk})
    assert response.status_code == 200  # the form refuses the choice
    assert "network" in response.context["form"].errors


def test_anonymous_is_redirected_to_login(client, chefsnatverket) -> None:
    objects = _chefs_objects(chefsnatverket)
    login = reverse("login")
    urls = [reverse("manage:upload"), reverse("manage:index"), reverse("manage:trash")]
    urls += [url for _, url, _ in _write_requests(*objects)]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{login}?next="), url
    response = client.post(reverse("manage:meeting_publish", kwargs={"pk": objects[0].pk}))
    assert response.status_code == 302 and response["Location"].startswith(login)
    objects[0].refresh_from_db()
    assert not objects[0].is_published


def test_only_admins_empty_the_trash_or_manage_users(client, secretary, network_admin) -> None:
    client.force_login(secretary)
    assert client.get(reverse("manage:trash")).status_code == 200
    assert client.get(reverse("manage:trash_empty")).status_code == 403
    assert client.post(reverse("manage:trash_empty"), {"confirm": "ja"}).status_code == 403
    assert client.get(reverse("accounts_users")).status_code == 403
    client.force_login(network_admin)
    assert client.get(reverse("manage:trash_empty")).status_code == 200
    assert client.get(reverse("accounts_users")).status_code == 200


def test_nav_shows_links_by_role(client, secretary, reader, admin_user) -> None:
    client.force_login(reader)
    page = client.get(reverse("password_change")).content.decode()  # any page with the nav
    assert reverse("manage:upload") not in page
    assert reverse("logout") in page and 'method="post"' in page
    client.force_login(secretary)
    page = client.get(reverse("password_change")).content.decode()
    assert reverse("manage:upload") in page
    assert reverse("accounts_users") not in page
    client.force_login(admin_user)
    page = client.get(reverse("password_change")).content.decode()
    assert reverse("accounts_users") in page and reverse("admin:index") in page
    client.logout()
    page = client.get(reverse("login")).content.decode()
    assert reverse("logout") not in page


def test_user_without_membership_is_a_plain_reader(client) -> None:
    client.force_login(UserFactory())
    assert client.get(reverse("manage:upload")).status_code == 403
