"""The privacy page and the footer that links to it: what the site keeps, and that it is not advice."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/",
    "/?platform=binance&entry_price=50000&margin=1000&leverage=10",
    "/platforms/",
    "/platforms/binance/",
    "/learn/",
    "/api/",
    "/embed/",
    "/embed/docs/",
    "/privacy/",
    "/translations/report/",
    "/account/",
    "/account/paste/",
]


def test_privacy_page_says_what_is_kept(client):
    response = client.get(reverse("privacy"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "nothing about you beyond the server" in page
    assert "not financial advice" in page


def test_every_page_footer_links_the_privacy_page_and_says_not_advice(client, seeded):
    for path in ("/", "/platforms/", "/learn/"):
        page = client.get(path).content.decode()
        assert f'href="{reverse("privacy")}"' in page, path
        assert "It is not financial advice." in page, path


def test_public_pages_set_no_cookie(client, seeded):
    # the privacy page promises it: a cookie here would make it untrue
    for path in PUBLIC:
        response = client.get(path)
        assert response.status_code == 200, path
        assert not response.cookies, (path, list(response.cookies))


def test_privacy_page_is_get_only(client):
    assert client.post(reverse("privacy")).status_code == 405
