"""Unknown pages and refused actions answer in Swedish, inside the site's layout."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_unknown_page_is_a_swedish_404(client, settings):
    settings.DEBUG = False
    settings.BESLUTSARKIVET_PUBLIC_READ = True
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


def test_500_page_is_static_swedish():
    from django.template.loader import get_template

    html = get_template("500.html").render({})
    assert "Något gick fel" in html
    assert "{%" not in html
