"""The engine's warnings reach the page in the visitor's language: every code the engine can
raise has a sentence in the catalogues, and in English that sentence is the engine's own."""

import importlib
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from calculator.warnings import SENTENCES, warning_text
from engine import Warning

ENGINE = Path(settings.BASE_DIR) / "engine"


def raised_codes() -> set[str]:
    """Every code written as a Warning's first argument anywhere in the engine."""
    source = "\n".join(path.read_text() for path in ENGINE.glob("*.py"))
    return set(re.findall(r'Warning\(\s*"([a-z_]+)"', source))


def test_every_engine_warning_has_a_sentence():
    codes = raised_codes()
    assert len(codes) >= 12
    assert codes - set(SENTENCES) == set()


def test_in_english_the_sentence_is_the_engines():
    # the module (engine.evaluate, as an attribute, is the function it defines)
    module = importlib.import_module("engine.evaluate")
    fixed = [w for w in vars(module).values() if isinstance(w, Warning)]
    assert len(fixed) >= 7
    with translation.override("en"):
        for warning in fixed:
            assert warning_text(warning) == warning.message


def test_a_warning_with_numbers_reads_them_in_the_locale():
    warning = Warning(
        "leverage_above_platform_max",
        "Leverage of 12.5× is above the platform's maximum of 3× for this size.",
        (("leverage", Decimal("12.5")), ("max_leverage", Decimal(3))),
    )
    with translation.override("en"):
        assert warning_text(warning) == warning.message
    with translation.override("ru"):
        assert warning_text(warning) == (
            "Кредитное плечо 12,5× выше максимума платформы 3× для такого размера."
        )


def test_an_unknown_code_keeps_the_engines_english():
    with translation.override("ru"):
        assert warning_text(Warning("new_code", "Something new.")) == "Something new."


@pytest.mark.django_db
def test_the_page_shows_the_warnings_in_russian(client, seeded):
    page = client.get(
        "/ru/?platform=binance&entry_price=50000&margin=1000000&leverage=100"
    ).content.decode()
    assert 'data-code="leverage_above_platform_max"' in page
    assert "Кредитное плечо 100× выше максимума платформы" in page
    assert "is above the platform" not in page
