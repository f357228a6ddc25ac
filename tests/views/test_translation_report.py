"""Reporting a wrong translation: the language menu links to it, a report reaches the admins
and the log, bad input is refused on the form, and nothing is stored or set in a cookie."""

import logging

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db

# Written out: reverse() answers in the language the previous request left active.
URL = "/translations/report/"
REPORT = {
    "language": "ru",
    "page": "/ru/",
    "wrong": "цена ликвидации",
    "suggestion": "цена принудительной ликвидации",
}


def test_language_menu_links_the_report_form_with_the_page(client, settings, seeded):
    settings.TRANSLATION_REPORT_URL = ""
    page = client.get("/ru/platforms/").content.decode()
    assert 'href="/ru/translations/report/?page=/ru/platforms/"' in page


def test_language_menu_links_the_configured_tracker_instead(client, settings, seeded):
    settings.TRANSLATION_REPORT_URL = "https://example.org/issues/new"
    page = client.get("/ru/platforms/").content.decode()
    assert 'href="https://example.org/issues/new"' in page
    assert "/translations/report/?page" not in page


def test_form_starts_on_the_visitors_language_and_page(client):
    page = client.get("/uk/translations/report/?page=/uk/learn/").content.decode()
    assert '<option value="uk" selected>' in page
    assert 'value="/uk/learn/"' in page
    # the form is translated too
    assert "Повідомити" in page or "переклад" in page


def test_report_is_mailed_and_logged_then_thanks(client, settings, caplog):
    settings.ADMINS = [("", "team@example.org")]
    with caplog.at_level(logging.INFO, logger="underwater.translations"):
        response = client.post(URL, REPORT)
    assert response.status_code == 302
    assert response["Location"].endswith("?sent=1")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["team@example.org"]
    assert "цена принудительной ликвидации" in mail.outbox[0].body
    assert "цена ликвидации" in caplog.text
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you" in thanks
    assert not client.cookies


def test_report_without_admins_is_still_logged(client, settings, caplog):
    settings.ADMINS = []
    with caplog.at_level(logging.INFO, logger="underwater.translations"):
        response = client.post(URL, REPORT)
    assert response.status_code == 302
    assert mail.outbox == []
    assert "цена ликвидации" in caplog.text


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**REPORT, "wrong": ""}, "wrong"),
        ({**REPORT, "wrong": "x" * 501}, "wrong"),
        ({**REPORT, "language": "en"}, "language"),
        ({**REPORT, "language": "xx"}, "language"),
        ({**REPORT, "language": ""}, "language"),
        ({**REPORT, "page": "/" * 301}, "page"),
    ],
)
def test_bad_report_is_refused_on_the_form(client, settings, data, field):
    settings.ADMINS = [("", "team@example.org")]
    response = client.post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert 'class="error"' in response.content.decode()
    assert mail.outbox == []


def test_reports_are_rate_limited_but_not_the_form(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": (2, 3600)}
    statuses = [client.post(URL, REPORT).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    # reading the form again (after the thanks, say) counts for nothing
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 200]


def test_an_english_visitor_chooses_the_language(client):
    page = client.get(URL).content.decode()
    assert '<option value="" selected>—</option>' in page
