"""The engine's input errors reach a visitor in their language: every sentence the engine (and
the code that raises on its behalf) can write is catalogued, and a page or an API answer shows
the catalogue's sentence with the error's own values."""

import ast
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from calculator.engine_errors import TEMPLATES, engine_error_text
from engine import EngineInputError

BASE = Path(settings.BASE_DIR)
RAISERS = [*sorted((BASE / "engine").glob("*.py")), BASE / "collateral/valuation.py"]
RAISERS.append(BASE / "incidents/exposure.py")


def sentences(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):  # one sentence or another, by a condition
        return sentences(node.body) + sentences(node.orelse)
    # passing on a caught error's template is the only other form allowed
    assert ast.unparse(node) == "error.template", ast.unparse(node)
    return []


def raised_templates() -> set[str]:
    found: set[str] = set()
    for path in RAISERS:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "EngineInputError":
                assert len(node.args) >= 2, f"{path.name}:{node.lineno}"
                found.update(sentences(node.args[1]))
    return found


def test_every_sentence_raised_is_catalogued_and_none_more():
    raised = raised_templates()
    assert len(raised) >= 60
    assert raised - set(TEMPLATES) == set()
    assert set(TEMPLATES) - raised == set()


def test_in_english_the_text_is_the_engines_message():
    error = EngineInputError(
        "collateral_assets", "%(asset)s cannot be borrowed on this platform.", asset="DOGE"
    )
    assert error.message == "DOGE cannot be borrowed on this platform."
    with translation.override("en"):
        assert engine_error_text(error) == error.message
    # a number in full, as typed or not: no exponent ("6E+4"), no float tail ("1.0")
    marks = EngineInputError(
        "x",
        "%(symbol)s has one mark price: positions[%(first)s] gives %(mark)s.",
        symbol="BTCUSDT",
        first=0,
        mark=Decimal("6E+4"),
    )
    assert marks.message == "BTCUSDT has one mark price: positions[0] gives 60000."
    crashes = EngineInputError("crashes", "Must be a fraction between 0 and %(upper)s.", upper=1.0)
    assert crashes.message == "Must be a fraction between 0 and 1."


def test_in_russian_the_values_fill_the_translated_sentence():
    error = EngineInputError(
        "leverage", "Leverage must be above %(least)sx here.", least=Decimal(1)
    )
    with translation.override("ru"):
        assert engine_error_text(error) == "Здесь кредитное плечо должно быть выше 1x."
    with translation.override("zh-hans"):
        assert engine_error_text(error) == "此处杠杆必须高于 1 倍。"
    marks = EngineInputError(
        "positions[1].mark_price",
        "%(symbol)s has one mark price: positions[%(first)s] gives %(mark)s.",
        symbol="BTCUSDT",
        first=0,
        mark=Decimal("60000.5"),
    )
    with translation.override("ru"):
        assert engine_error_text(marks) == (
            "У BTCUSDT одна цена маркировки: positions[0] указывает 60000,5."
        )


@pytest.mark.django_db
def test_a_page_shows_the_engines_refusal_in_the_visitors_language(client, seeded):
    call_command("seed_collateral", verbosity=0)
    query = {
        "platform": "binance",
        "margin_mode": "cross",
        "entry_price": "60000",
        "quantity": "1",
        "collateral_assets": "DOGE:1@0.1",
    }
    english = client.get("/", query).content.decode()
    assert "DOGE is not accepted as collateral on this platform." in english
    russian = client.get("/ru/", query).content.decode()
    assert "DOGE не принимается этой платформой в качестве обеспечения." in russian
    assert "is not accepted as collateral" not in russian


ISOLATED = {
    "symbol": "BTCUSDT",
    "margin_mode": "isolated",
    "quantity": 1,
    "leverage": 10,
    "entry_price": 60000,
}


@pytest.mark.django_db
def test_the_account_api_answers_the_engines_refusal_in_the_asked_language(client):
    body = {
        "wallet_balance": 10000,
        "positions": [
            {**ISOLATED, "side": "long"},
            {**ISOLATED, "side": "short"},
        ],
    }
    answers = {}
    for language in ("en", "uk"):
        response = client.post(
            "/api/v1/account",
            json.dumps(body),
            content_type="application/json",
            headers={"accept-language": language},
        )
        assert response.status_code == 400, response.json()
        answers[language] = response.json()["errors"]
    assert answers["en"] == {
        "positions[1].side": [
            "In one-way mode a long and a short of BTCUSDT net into one position; isolated, "
            "choose hedge mode to hold both."
        ]
    }
    assert answers["uk"] == {
        "positions[1].side": [
            "В односторонньому режимі лонг і шорт BTCUSDT зводяться в одну позицію; щоб тримати "
            "обидві з ізольованою маржею, виберіть режим хеджування."
        ]
    }
