"""The Learn pages in each of the nine languages: the words translated, the engine's numbers in
the locale's own format, and the owed amount still the engine's (#24)."""

from __future__ import annotations

import csv
import html
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from learn.examples import format_value, work
from learn.topics import EXAMPLES, TOPICS
from tests.learn.test_pages import parse

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
NBSP = "\u00a0"
CENT = Decimal("0.01")


def prefixed(code: str, path: str) -> str:
    return path if code == settings.LANGUAGE_CODE else f"/{code}{path}"


def h1(page: str) -> str:
    match = re.search(r"<h1>(.*?)</h1>", page, re.S)
    assert match, "no h1"
    return html.unescape(match.group(1)).strip()


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_learn_page_is_in_the_language_with_the_engines_numbers(client, seeded, code):
    """Each page answers in the language (its h1 is the translated question, the html says
    the language) and every tagged number reads as that locale writes the engine's value."""
    for slug, topic in TOPICS.items():
        response = client.get(prefixed(code, f"/learn/{slug}/"))
        assert response.status_code == 200, slug
        page = response.content.decode()
        assert f'<html lang="{code}"' in page, slug
        assert "cannot be worked out" not in page, slug
        with translation.override(code):
            assert h1(page) == str(topic.question), slug
            for fact in parse(page).facts:
                assert fact["text"] == format_value(fact["path"], fact["value"] or None), (
                    slug,
                    fact,
                )


# /learn/'s short answer ends in the ten_x_gap example's deficit; its table says what you owe.
TITLES = {
    "en": "Learn: can you lose more than you deposit?",
    "ru": "Учебник: можно ли потерять больше депозита?",
    "uk": "Довідник: чи можна втратити більше за депозит?",
    "zh-hans": "学习：你会亏损超过本金吗？",
    "ko": "배우기: 예치금보다 더 많이 잃을 수 있을까?",
    "tr": "Öğren: Yatırdığınızdan fazlasını kaybedebilir misiniz?",
    "vi": "Tìm hiểu: bạn có thể mất nhiều hơn số tiền đã nạp không?",
    "es": "Aprende: ¿puedes perder más de lo que depositas?",
    "pt-br": "Aprenda: dá para perder mais do que você depositou?",
}


@pytest.mark.parametrize(
    ("code", "owed"),
    [
        ("en", "$415.66"),
        ("ru", f"415,66{NBSP}$"),
        ("uk", f"415,66{NBSP}USD"),
        ("zh-hans", "US$415.66"),
        ("ko", "US$415.66"),
        ("tr", "$415,66"),
        ("vi", f"415,66{NBSP}US$"),
        ("es", f"415,66{NBSP}US$"),
        ("pt-br", f"US${NBSP}415,66"),
    ],
)
def test_the_index_says_what_you_owe_in_the_locales_format(client, seeded, code, owed):
    page = client.get(prefixed(code, "/learn/")).content.decode()
    assert h1(page) == TITLES[code]

    engine = work(EXAMPLES["ten_x_gap"]).evaluation
    assert engine is not None and engine.outcome is not None
    owes = [
        f
        for f in parse(page).facts
        if f["example"] == "ten_x_gap" and f["path"] == "outcome.trader_owes"
    ]
    assert owes, "the index shows no owed amount"
    for fact in owes:
        assert Decimal(fact["value"]).quantize(CENT) == engine.outcome.trader_owes.quantize(CENT)
        assert fact["text"] == owed
    with translation.override(code):
        assert format_value("outcome.trader_owes", str(engine.outcome.trader_owes)) == owed


@pytest.mark.parametrize(
    ("code", "source", "verified"),
    [
        ("ru", "Источник:", "проверено"),
        ("uk", "Джерело:", "перевірено"),
        ("zh-hans", "来源：", "核查于"),
        ("es", "Fuente:", "verificado"),
    ],
)
def test_citations_keep_their_words_and_translate_their_labels(
    client, seeded, code, source, verified
):
    page = client.get(prefixed(code, "/learn/do-exchanges-protect-you/")).content.decode()
    english = client.get("/learn/do-exchanges-protect-you/").content.decode()

    quotes = re.findall(r"<blockquote[^>]*>(.*?)</blockquote>", page, re.S)
    assert quotes and quotes == re.findall(r"<blockquote[^>]*>(.*?)</blockquote>", english, re.S)
    assert source in page and "Source:" not in page
    assert verified in page


# The Learn glossary's headings and locale/glossary.csv's words for the same terms.
GLOSSARY_HEADINGS = {
    "liquidation-price": "liquidation_price",
    "bankruptcy-price": "bankruptcy_price",
    "maintenance-margin": "maintenance_margin",
    "mark-price": "mark_price",
    "insurance-fund": "insurance_fund",
    "auto-deleveraging": "auto_deleveraging",
    "negative-balance-protection": "negative_balance_protection",
    "isolated-margin": "isolated_margin",
    "cross-margin": "cross_margin",
    "leverage": "leverage",
    "margin": "margin",
    "deficit": "deficit",
    "stop-loss": "stop_loss",
    "guaranteed-stop": "guaranteed_stop",
    "clawback": "socialized_loss",
}


def folded(text: str) -> str:
    """Case-blind, Turkish dotted capital İ included."""
    return text.casefold().replace("\u0307", "")


@pytest.mark.parametrize("code", [code for code in LANGUAGES if code != settings.LANGUAGE_CODE])
def test_the_learn_glossary_uses_the_glossarys_words(client, seeded, code):
    with (Path(settings.BASE_DIR) / "locale" / "glossary.csv").open(encoding="utf-8") as file:
        words = {(row["term"], row["language"]): row["translation"] for row in csv.DictReader(file)}
    page = client.get(prefixed(code, "/learn/glossary/")).content.decode()
    for anchor, term in GLOSSARY_HEADINGS.items():
        match = re.search(rf'<dt id="{anchor}">(.*?)</dt>', page)
        assert match, anchor
        heading = html.unescape(match.group(1))
        assert folded(words[(term, code)].split(" (")[0]) in folded(heading), (anchor, heading)


@pytest.mark.parametrize("code", [code for code in LANGUAGES if code != settings.LANGUAGE_CODE])
def test_every_example_title_and_question_is_translated(code):
    """A title or question left as a plain string would stay English on every page."""
    texts = [example.title for example in EXAMPLES.values()]
    texts += [text for topic in TOPICS.values() for text in (topic.question, topic.short_answer)]
    with translation.override(settings.LANGUAGE_CODE):
        english = [str(text) for text in texts]
    with translation.override(code):
        translated = [str(text) for text in texts]
    same = [text for text, other in zip(english, translated, strict=True) if text == other]
    assert same == [], same
