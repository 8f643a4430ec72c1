"""Sign-in through the form (with django-axes counting failures), sign-out, password reset, users and roles."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from networks.models import Membership

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username: str, password: str, next_url: str = ""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def test_urls_have_the_swedish_names() -> None:
    assert reverse("login") == "/konto/logga-in/"
    assert reverse("logout") == "/konto/logga-ut/"
    assert reverse("password_reset") == "/konto/losenord/aterstall/"


def test_login_page_is_swedish_and_has_csrf(client) -> None:
    page = client.get(reverse("login")).content.decode()
    assert "Logga in" in page and "Användarnamn" in page and "Lösenord" in page
    assert "csrfmiddlewaretoken" in page


def test_login_through_the_form_follows_next(client, secretary) -> None:
    response = _login(client, "sekreterare", PASSWORD, next_url=reverse("manage:upload"))
    assert response.status_code == 302
    assert response["Location"] == reverse("manage:upload")
    assert client.get(reverse("manage:upload")).status_code == 200


def test_wrong_password_shows_a_swedish_error(client, secretary) -> None:
    response = _login(client, "sekreterare", "fel")
    assert response.status_code == 200
    assert "korrekt" in response.content.decode()  # Django's Swedish "Ange ett korrekt användarnamn …"
    assert "_auth_user_id" not in client.session


def test_sixth_wrong_password_is_refused_by_axes(client, secretary, settings) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    for attempt in range(1, 5):
        response = _login(client, "sekreterare", f"fel-{attempt}")
        assert response.status_code == 200, attempt
    fifth = _login(client, "sekreterare", "fel-5")
    assert fifth.status_code == 429  # the limit is reached: locked from here on

    sixth = _login(client, "sekreterare", "fel-6")
    assert sixth.status_code == 429
    assert "För många misslyckade inloggningsförsök" in sixth.content.decode()
    # Even the right password is refused while the lock holds.
    right = _login(client, "sekreterare", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client, secretary) -> None:
    client.force_login(secretary)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(client, secretary) -> None:
    response = client.post(reverse("password_reset"), {"email": secretary.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Välj lösenord" in message.subject
    assert "Ditt användarnamn är: sekreterare" in message.body
    link = re.search(r"https?://[^/]+(/konto/losenord/aterstall/\S+/)", message.body)[1]
    form_page = client.get(link, follow=True)
    assert "Välj nytt lösenord" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = client.post(
        set_url, {"new_password1": "Ett-nytt-långt-lösen-42", "new_password2": "Ett-nytt-långt-lösen-42"}
    )
    assert response.status_code == 302
    secretary.refresh_from_db()
    assert secretary.check_password("Ett-nytt-långt-lösen-42")


def test_admin_creates_user_who_gets_a_mail_to_choose_a_password(client, admin_user, valfardsradet) -> None:
    client.force_login(admin_user)
    response = client.post(
        reverse("accounts_user_create"),
        {"username": "ny", "email": "ny@example.org", "network": valfardsradet.pk, "role": "secretary"},
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="ny")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == Membership.Role.SECRETARY
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ny@example.org"]


def test_admin_sets_and_removes_a_role(client, admin_user, reader, valfardsradet) -> None:
    client.force_login(admin_user)
    url = reverse("accounts_membership_set", kwargs={"pk": reader.pk})
    client.post(url, {"network": valfardsradet.pk, "role": "secretary"})
    assert Membership.objects.get(user=reader).role == "secretary"
    client.post(url, {"network": valfardsradet.pk, "role": ""})
    assert not Membership.objects.filter(user=reader).exists()
