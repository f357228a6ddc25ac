"""Languages in the address: prefixes for the pages, none for the API and the widget; the
browser's Accept-Language only on arriving from elsewhere; the switch and hreflang keep the query."""

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

SCENARIO = "platform=binance&entry_price=50000&margin=1000&leverage=20"


def test_english_keeps_its_unprefixed_addresses(client, seeded):
    response = client.get("/?" + SCENARIO)
    assert response.status_code == 200
    assert '<html lang="en">' in response.text


@pytest.mark.parametrize("code", [code for code, _ in settings.LANGUAGES if code != "en"])
def test_every_language_has_its_prefix(client, seeded, code):
    response = client.get(f"/{code}/?" + SCENARIO)
    assert response.status_code == 200
    assert f'<html lang="{code}">' in response.text


def test_a_browser_asking_for_russian_lands_on_the_russian_page_with_its_scenario(client):
    response = client.get("/?" + SCENARIO, HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9,en;q=0.8")
    assert response.status_code == 302
    assert response["Location"] == "/ru/?" + SCENARIO
    assert "Accept-Language" in response["Vary"]


def test_a_regional_variant_finds_its_language(client):
    response = client.get("/learn/", HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.9")
    assert response["Location"] == "/pt-br/learn/"
    response = client.get("/learn/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert response["Location"] == "/zh-hans/learn/"


def test_choosing_english_on_our_own_site_is_respected(client, seeded):
    """The switch's English link carries our Referer: no redirect back to the browser's language."""
    response = client.get(
        "/?" + SCENARIO, HTTP_ACCEPT_LANGUAGE="ru", HTTP_REFERER="http://testserver/ru/?x=1"
    )
    assert response.status_code == 200
    assert '<html lang="en">' in response.text


def test_a_language_we_do_not_speak_stays_english(client, seeded):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ja,fr;q=0.5")
    assert response.status_code == 200


def test_the_api_has_one_address_and_stays_in_english(client):
    response = client.get("/api/v1/evaluate", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code != 302
    assert client.get("/ru/api/v1/evaluate").status_code == 404


def test_the_switch_and_hreflang_keep_the_scenario(client, seeded):
    html = client.get("/ru/?" + SCENARIO).text
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html))
    assert alternates["en"] == "http://testserver/?" + SCENARIO.replace("&", "&amp;")
    assert alternates["uk"] == "http://testserver/uk/?" + SCENARIO.replace("&", "&amp;")
    assert alternates["x-default"] == alternates["en"]
    assert len(alternates) == len(settings.LANGUAGES) + 1
    links = re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"[^>]*data-language-switch', html)
    assert ("/es/?" + SCENARIO.replace("&", "&amp;"), "es") in links


def test_the_widget_speaks_the_language_of_its_snippet(client, seeded):
    response = client.get("/embed/?lang=ru")
    assert '<html lang="ru">' in response.text
    assert 'name="lang" value="ru"' in response.text
    assert "Цена входа" in response.text and "Не финансовый совет." in response.text
    assert "На Binance" in response.text or "На " in response.text
    assert '<html lang="en">' in client.get("/embed/?lang=xx").text
