"""The incident pages, the account page and the who-pays section in each language, with the
locale's numbers (calculator/formatting.py) in the HTML and in the charts."""

import csv
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
NNBSP = "\u202f"  # CLDR writes "10 мая 2020 г." with a narrow no-break space
LANGUAGES = ["zh-hans", "ru", "ko", "tr", "vi", "es", "pt-br", "uk"]
# A short on Hyperliquid through the night of 10 October 2025 (the ADL section speaks to it).
SHORT = {
    "platform": "hyperliquid",
    "side": "short",
    "entry_price": "120000",
    "margin": "1000",
    "leverage": "10",
}
# A 10x long on Binance replaying the May 2020 fall, beside BitMEX.
LONG = {
    "platform": "binance",
    "entry_price": "50000",
    "margin": "1000",
    "leverage": "10",
    "compare": "bitmex",
}


@pytest.fixture
def incidents(seeded):
    call_command("seed_incidents", verbosity=0)


def text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.text)


def figures(page: str) -> dict:
    found = re.search(r'<script id="figures-data" type="application/json">(.*?)</script>', page)
    assert found, "no figures on the page"
    return json.loads(found.group(1))


def translated(code: str, message: str) -> str:
    with translation.override(code):
        return translation.gettext(message)


def test_the_incident_page_in_russian_with_russian_numbers(client, incidents):
    page = text(client.get("/ru/incidents/october-2025-crash/", SHORT))
    assert "Сторона победителей: автоматическое сокращение позиций (ADL)" in page
    assert "The winners' side" not in page and "Who was hit, and who paid" not in page
    # counts grouped with a no-break space, money with the rouble-style "$" after the number
    assert f"Из 2{NBSP}127 BTC-шортов в прибыли в данных 1{NBSP}598 (75%)" in page
    assert re.search(rf"примерно по 117{NBSP}107,14{NBSP}\$ на этом пути", page), page
    assert f"10 октября 2025{NNBSP}г." in page  # the date in words, in Russian
    assert "Ваша позиция на пути обвала" in page


def test_the_incident_list_in_russian(client, incidents):
    page = text(client.get("/ru/incidents/"))
    assert "Реальные обвалы и кто заплатил" in page
    assert f"10 мая 2020{NNBSP}г." in page and "-15% за 60 мин" in page
    assert "путь: 5 опубликованных цен" in page  # the plural form of 5
    assert "путь: 2 опубликованные цены" in page  # and of 2
    assert "Real crashes" not in page


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_language_gets_the_incident_page_in_it(client, incidents, code):
    page = text(client.get(f"/{code}/incidents/binance-may-2020/", LONG))
    for message in (
        "Who was hit, and who paid",
        "The same path from your entry price, on each platform",
        "What you end with after the replayed move",
    ):
        assert translated(code, message) != message
        assert translated(code, message) in page, (code, message)
        assert message not in page, (code, message)
    charts = figures(page)
    path = charts["path"]["layout"]
    assert path["xaxis"]["title"]["text"].replace("<br>", " ") == translated(
        code, "Minutes from the first price"
    )
    # the visitor's separators reach the chart's axes and hover text
    assert "separators" in path


def test_the_replay_sentence_and_chart_in_spanish(client, incidents):
    page = text(client.get("/es/incidents/binance-may-2020/", LONG))
    assert (
        "Tras una caída del 15,05%, no debes nada en ninguna de las plataformas mostradas." in page
    )
    assert "Una caída del 15,05% desde tu precio de entrada, en cada plataforma" in page
    replay = figures(page)["replay"]["layout"]
    assert replay["separators"] == ",."
    assert replay["yaxis"]["title"]["text"].replace("<br>", " ") == "Te queda (+) o debes (−), USD"


def test_a_replay_error_is_in_the_language(client, incidents):
    page = text(client.get("/es/incidents/binance-may-2020/", {**LONG, "move": "0"}))
    assert "Un movimiento de 0 no cambia nada: indica una caída o una subida." in page


def test_the_chance_page_in_spanish(client, seeded):
    page = text(client.get("/es/incidents/chance/", {**LONG, "paths": "1000", "steps": "50"}))
    assert "1.000 trayectorias en 7 días (50 pasos de 3,36 h), semilla 1" in page
    assert "Probabilidad de liquidación" in page and "Chance of liquidation" not in page
    assert "Cuántas trayectorias de precio (como máximo 200.000)." in page
    stress = figures(page)["stress"]["layout"]
    assert stress["yaxis"]["title"]["text"].replace("<br>", " ") == "Proporción de trayectorias (%)"


def test_the_account_answer_in_korean(client, seeded):
    page = text(client.get("/ko/account/"))
    answer = re.search(r'<p class="answer-headline" id="answer">([^<]*)</p>', page).group(1)
    assert answer.startswith("당신의 ETHUSDT 숏 때문에 BTCUSDT 롱은(는) 청산까지 5.4%"), answer
    assert "US$92,745.38" in answer
    assert "Your ETHUSDT" not in page and "Margin balance" not in page
    assert "증거금 잔고" in page  # the key numbers' headings
    account_map = figures(page)["map"]["layout"]
    assert account_map["xaxis"]["title"]["text"] == "마크 가격 변동"


def test_the_account_page_in_ukrainian_numbers_and_who_pays(client, seeded):
    page = text(client.get("/uk/account/"))
    answer = re.search(r'<p class="answer-headline" id="answer">([^<]*)</p>', page).group(1)
    assert answer.startswith("Позиція ETHUSDT шорт залишає позиції BTCUSDT лонг 5,4% до ліквідації")
    assert f"92{NBSP}745,38{NBSP}USD" in answer, answer
    who_pays = re.search(r'<p id="who-pays-line">([^<]*)</p>', page).group(1)
    assert who_pays.startswith("Якщо лише BTCUSDT впаде на 90%, рахунок опиниться на"), who_pays
    assert "as a debt" not in who_pays  # the payer named in Ukrainian too


def test_account_form_errors_and_announcements_are_in_the_language(client, seeded):
    query = {
        "positions-TOTAL_FORMS": "1",
        "positions-INITIAL_FORMS": "0",
        "positions-0-quantity": "1",
        "positions-0-entry_price": "100000",
    }
    page = text(client.get("/uk/account/", query))
    assert "Введіть баланс гаманця." in page
    added = client.get(
        "/ru/account/",
        {**query, "wallet_balance": "1000", "add": "1"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="account",
    )
    assert "Позиция 2 добавлена." in text(added)


def test_the_fund_history_in_russian(client, seeded):
    call_command("seed_whopays", verbosity=0)
    page = text(client.get("/ru/platforms/binance/"))
    fund = figures(page)["fund-usds-m-btcusdt"]
    assert fund["layout"]["separators"] == f",{NBSP}"
    assert f"21{NBSP}005{NBSP}925,00 USDT на 10 мая 2020{NNBSP}г." in page
    assert "Откуда каждый баланс" in page and "Where each balance" not in page
    # the ADL rule: our headings and the choice names we wrote, in Russian
    assert "Автоматическое сокращение позиций (ADL): кого закрывают первым" in page
    assert "Цена банкротства ликвидированного ордера" in page
    assert "When it triggers" not in page


# The trading terms in these pages' messages are the glossary's (locale/glossary.csv).
GLOSSARY_MESSAGES = {
    "Closed in steps (partial liquidation)": "partial_liquidation",
    "Slippage": "slippage",
    "The winners' side: auto-deleveraging on Hyperliquid that night": "auto_deleveraging",
    "The insurance fund cannot cover the loss": "insurance_fund",
    "Your bankruptcy price on this path": "bankruptcy_price",
    "Your liquidation price on this path": "liquidation_price",
    "Maintenance margin (every mark)": "maintenance_margin",
    "Negative balance protection required by law": "negative_balance_protection",
}


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_pages_terms_come_from_the_glossary(code):
    with (Path(settings.BASE_DIR) / "locale" / "glossary.csv").open(encoding="utf-8") as file:
        words = {(row["term"], row["language"]): row["translation"] for row in csv.DictReader(file)}
    for message, term in GLOSSARY_MESSAGES.items():
        expected = words[(term, code)].split(" (")[0].casefold().replace("\u0307", "")
        got = translated(code, message).casefold().replace("\u0307", "")
        assert expected in got, (code, message, got, expected)


@pytest.mark.parametrize("code", LANGUAGES)
def test_msgfmt_accepts_the_catalogue(code):
    """`make messages` compiles with GNU msgfmt, which refuses a translation whose format
    directives differ from its msgid's (a help text's "15% fall" once read as "% f")."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext is not installed")
    po = Path(settings.BASE_DIR) / "locale" / translation.to_locale(code) / "LC_MESSAGES"
    result = subprocess.run(
        [msgfmt, "--check", "-o", "/dev/null", str(po / "django.po")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
