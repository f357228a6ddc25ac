"""The catalogues are complete, compiled and use the glossary's words; no gettext needed.

A string marked in code or a template without a translation in every language fails here
(extracted the way makemessages does, config/messages.py), as does a fuzzy or empty entry or
a compiled .mo that is older than its .po.
"""

import csv
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils.translation import to_locale

from config.messages import marked_messages

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def catalogue(code: str, kind: str = "po"):
    path = LOCALE_DIR / to_locale(code) / "LC_MESSAGES" / f"django.{kind}"
    with path.open("rb") as file:
        return read_po(file) if kind == "po" else read_mo(file)


def key(message) -> tuple:
    return message.context, message.id if isinstance(message.id, str) else tuple(message.id)


def strings(message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string)


@pytest.fixture(scope="module")
def marked():
    return marked_messages(Path(settings.BASE_DIR))


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(code):
    problems = [
        message.id
        for message in catalogue(code)
        if message.id and (message.fuzzy or not all(strings(message)))
    ]
    assert problems == [], f"{code}: {len(problems)} untranslated or fuzzy, e.g. {problems[:3]}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_marked_string_has_a_translation(code, marked):
    translated = {
        (message.context, message.id if isinstance(message.id, str) else message.id[0])
        for message in catalogue(code)
        if message.id and all(strings(message))
    }
    missing = sorted(marked - translated, key=str)
    assert missing == [], f"{code}: run `make messages` and translate {missing[:5]}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(code):
    compiled = {key(m): tuple(strings(m)) for m in catalogue(code, "mo") if m.id}
    source = {key(m): tuple(strings(m)) for m in catalogue(code) if m.id}
    assert compiled == source, f"{code}: recompile with `make messages`"


def glossary() -> dict[tuple[str, str], str]:
    with (LOCALE_DIR / "glossary.csv").open(encoding="utf-8") as file:
        return {(row["term"], row["language"]): row["translation"] for row in csv.DictReader(file)}


def test_the_glossary_has_every_term_in_every_language_with_a_source():
    with (LOCALE_DIR / "glossary.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    terms = {row["term"] for row in rows}
    assert len(terms) >= 12
    for row in rows:
        assert row["source"] and row["read"], row
    assert {(term, code) for term in terms for code in LANGUAGES} == {
        (row["term"], row["language"]) for row in rows
    }


# The catalogue's words for these terms are the glossary's.
GLOSSARY_MESSAGES = {
    "Liquidation price": "liquidation_price",
    "Bankruptcy price": "bankruptcy_price",
    "Insurance fund": "insurance_fund",
    "Leverage": "leverage",
    "Margin": "margin",
}


def folded(text: str) -> str:
    """Case-blind, Turkish dotted capital İ included."""
    return text.casefold().replace("\u0307", "")


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_terms_come_from_the_glossary(code):
    words = glossary()
    messages = {message.id: message.string for message in catalogue(code) if message.id}
    for msgid, term in GLOSSARY_MESSAGES.items():
        expected = folded(words[(term, code)].split(" (")[0])
        assert expected in folded(messages[msgid]), (code, msgid, messages[msgid], expected)
