"""The answer in each language, with that locale's numbers; the API stays machine-formatted."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from calculator import recent
from markets.importers import IMPORTERS
from markets.models import ImportRun, Market, MarketQuote
from markets.services import apply_readings
from platforms.profiles import bump_profiles_version

pytestmark = pytest.mark.django_db

# 10× long on Binance from 50,000 with a 1,000 deposit, filled 5% past liquidation.
SCENARIO = "platform=binance&entry_price=50000&margin=1234.5&leverage=10&gap=0.05"
NBSP = "\u00a0"


def headline(page: str) -> str:
    match = re.search(r'<p class="answer-headline" id="answer">([^<]*)</p>', page)
    assert match, "no answer on the page"
    return html.unescape(match.group(1))


def test_english_is_unchanged(client, seeded):
    answer = headline(client.get("/?" + SCENARIO).text)
    assert answer.startswith("On Binance")
    assert "$1,234.50 deposit" in answer


@pytest.mark.parametrize(
    ("code", "words", "deposit"),
    [
        ("ru", "На Binance", f"1{NBSP}234,50{NBSP}$"),
        ("uk", "На Binance", f"1{NBSP}234,50{NBSP}USD"),
        ("zh-hans", "在 Binance", "US$1,234.50"),
        ("ko", "Binance에서", "US$1,234.50"),
        ("tr", "Binance üzerinde", "$1.234,50"),
        ("vi", "Trên Binance", f"1.234,50{NBSP}US$"),
        ("es", "En Binance", f"1.234,50{NBSP}US$"),
        ("pt-br", "Na Binance", f"US${NBSP}1.234,50"),
    ],
)
def test_the_answer_sentence_is_in_the_language_with_its_numbers(
    client, seeded, code, words, deposit
):
    page = client.get(f"/{code}/?" + SCENARIO).text
    answer = headline(page)
    assert answer.startswith(words), answer
    assert deposit in answer, answer
    assert "deposit" not in answer and "On Binance" not in answer


def test_key_numbers_use_the_locale(client, seeded):
    page = client.get("/ru/?" + SCENARIO).text
    price = re.search(r'data-testid="liquidation-price">([^<]*)<', page).group(1)
    assert re.fullmatch(rf"\d{{2}}{NBSP}\d{{3}},\d{{2}}{NBSP}\$", price), price
    assert "Цена ликвидации" in page


def test_the_redraw_is_cached_per_language(client, seeded):
    recent._entries.clear()
    english = client.get("/?" + SCENARIO, HTTP_HX_REQUEST="true").text
    russian = client.get("/ru/?" + SCENARIO, HTTP_HX_REQUEST="true").text
    assert "On Binance" in english
    assert "На Binance" in russian and "On Binance" not in russian
    assert len(recent._entries) == 2


def test_charts_carry_the_locale_separators_and_words(client, seeded):
    page = client.get("/ru/?" + SCENARIO).text
    assert '"separators":",\\u00a0"' in page or f'"separators":",{NBSP}"' in page
    assert "Капитал в зависимости от цены" in page


def test_form_errors_are_in_the_language(client, seeded):
    page = client.get("/es/?platform=binance&entry_price=abc&margin=1000&leverage=10").text
    assert "Introduce precio de entrada como número" in html.unescape(page)


def test_the_api_keeps_machine_formats_and_english(client, seeded):
    body = {"platform": "binance", "entry_price": "50000", "margin": "1234.5", "leverage": "10"}
    response = client.post(
        "/api/v1/evaluate", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 200
    assert "," not in response.json()["liquidation_price"]


def test_what_the_move_did_is_told_in_the_language(client, seeded):
    page = html.unescape(client.get("/ru/?" + SCENARIO).text)
    assert "Цена прошла гэпом на 5% за вашу цену ликвидации" in page
    assert "The price gapped" not in page
    english = html.unescape(client.get("/?" + SCENARIO).text)
    assert "The price gapped 5% past your liquidation price" in english


@pytest.fixture
def sol(seeded):
    """Hyperliquid's SOL from the recorded import, with a known mark and funding rate."""
    importer = IMPORTERS["hyperliquid"]()
    readings, sources = importer.from_recordings()
    wanted = [reading for reading in readings if reading.symbol == "SOL"]
    apply_readings("hyperliquid", wanted, sources=sources, mode=ImportRun.Mode.RECORDING)
    market = Market.objects.get(product_line__platform__slug="hyperliquid", symbol="SOL")
    Market.objects.filter(pk=market.pk).update(from_snapshot=False)
    MarketQuote.objects.update_or_create(
        market=market,
        defaults={
            "mark_price": Decimal("1150.5"),
            "funding_rate": Decimal("0.0001"),
            "source": "test quote",
            "read_at": dt.datetime(2026, 12, 6, 9, 30, tzinfo=dt.UTC),
        },
    )
    return market


def test_the_market_line_is_in_the_language_with_its_numbers(client, sol):
    page = html.unescape(client.get("/ru/", {"platform": "hyperliquid", "symbol": "SOL"}).text)
    assert f"SOL: цена маркировки 1{NBSP}150,50{NBSP}$, получена 6 Дек 2026" in page
    assert "Рынок" in page and "Market <" not in page
    holding = page.split('id="holding-cost"')[1].split("</p>")[0]
    assert "При удержании 30 дней по недавней ставке финансирования" in holding, holding
    assert "Held for" not in holding and "mark $" not in page


def test_the_collateral_numbers_are_in_the_language(client, seeded):
    call_command("seed_collateral", verbosity=0)
    assets = {
        "platform": "binance",
        "margin_mode": "cross",
        "entry_price": "60000",
        "quantity": "1",
        "collateral_assets": "BNB:2@500",
    }
    page = html.unescape(client.get("/ru/", assets).text)
    assert "Учтённый залог" in page and "Collateral counted" not in page
    assert f"из 1{NBSP}000,00{NBSP}$ (дисконт 50,00{NBSP}$)" in page
    loan = {
        "platform": "aave",
        "contract": "loan",
        "entry_price": "2000",
        "collateral": "5",
        "debt": "9000",
        "collateral_assets": "WBTC:0.1@30000",
        "fill_price": "1500",
    }
    page = html.unescape(client.get("/ru/", loan).text)
    assert "Ликвидация кредитором" in page
    assert f"1 вызов ликвидации погашает 4{NBSP}500,00{NBSP}$" in page
    assert "Отношение долга к залогу (LTV)" in page
    steps = page.split('id="maths"')[1].split("</details>")[0]
    assert "HF сейчас = " in steps and "HF now" not in steps, steps


def test_the_worked_steps_are_in_the_language_with_its_numbers(client, seeded):
    page = html.unescape(client.get("/ru/?" + SCENARIO).text)
    steps = page.split('id="maths"')[1].split("</details>")[0]
    assert "Маржа под риском" in steps and "Поддерживающая маржа" in steps, steps
    assert f"M = 1{NBSP}234,50{NBSP}$ (кредитное плечо 10×" in steps, steps
    assert "Дефицит после исполнения" in steps
    assert f"Q = 12{NBSP}345,00{NBSP}$ / 50{NBSP}000,00{NBSP}$ = 0,2469" in steps, steps
    assert "Margin at stake" not in steps and "from entry" not in steps


def test_the_law_where_you_trade_from_is_in_the_language(client, seeded):
    call_command("seed_whopays", verbosity=0)
    bump_profiles_version()
    page = html.unescape(client.get(f"/ru/?{SCENARIO}&platform=bybit&residence=au").text)
    card = page.split('id="jurisdiction"')[1].split("</section>")[0]
    assert "Эти правила обязательны для поставщиков с лицензией ASIC" in card, card
    assert "предел кредитного плеча 2:1" in card and "Не юридическая консультация." in card
    assert "These rules bind" not in card and "Not legal advice" not in card
    answer = page.split('id="answer"')[1].split("</section>")[0]
    assert "Для клиента категории «розничный» в регионе «Австралия»" in answer, answer


def test_the_account_page_headings_are_in_the_language(client, seeded):
    page = html.unescape(client.get("/ru/account/").text)
    assert "Весь ваш счёт: где ликвидируется каждая позиция?" in page
    assert "Позиция 1" in page and "Добавить позицию" in page and "Показать счёт" in page
    assert 'href="/ru/"' in page.split('class="lede"')[1].split("</p>")[0]
    assert "Your whole account" not in page and "Add position" not in page
