"""Every number in Learn prose comes from the engine or from the example it describes (#23).

The pages tag each engine result `<span class="fact">` and each input of an example
`<span class="given">`; tests/learn/test_pages.py holds every fact to the API's answer for the
example's link. Here: no other amount, percentage or leverage is typed into the prose, each
input is the one the example's link carries, and each result the prose states is also shown in
a worked example (card or table) on the same page, so a reader never meets a number in a
sentence that the example beside it contradicts ("/learn/ says $450 is owed where the worked
example just below it computes $415.66").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest

from calculator.forms import DEFAULT_CUSTOM_MMR
from learn.examples import format_input
from learn.topics import TOPICS

pytestmark = pytest.mark.django_db

PAGES = ["/learn/", *(f"/learn/{slug}/" for slug in TOPICS)]

# An amount of money, a percentage or a leverage: what the engine computes or an example sets.
NUMBER = re.compile(r"[$€£]\s?\d|\d[\d,.]*\s?(?:%|×|x\b)")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Words that are not ours: a source's quote, and the engine's own sentence under an example.
QUOTED = {"blockquote"}
QUOTED_CLASSES = {"citation", "citation-meta", "example-sentence"}
WORKED_CLASSES = {"example", "learn-table"}


@dataclass
class Tagged:
    kind: str  # "fact" or "given"
    example: str
    name: str
    value: str
    text: str = ""
    worked: bool = False  # inside a worked example's card or table


class Prose(HTMLParser):
    """The article of a Learn page: tagged numbers, untagged prose text, example links."""

    def __init__(self) -> None:
        super().__init__()
        self.tagged: list[Tagged] = []
        self.untagged: list[str] = []
        self.links: dict[str, str] = {}
        self._stack: list[tuple[str, set[str]]] = []
        self._in_article = 0
        self._current: Tagged | None = None

    def _inside(self, classes: set[str], tags: set[str] = frozenset()) -> bool:
        return any(tag in tags or classes & names for tag, names in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        classes = set(attributes.get("class", "").split())
        if tag == "article" and "learn-main" in classes:
            self._in_article += 1
        if tag == "a" and "data-example" in attributes:
            self.links[attributes["data-example"]] = attributes["href"]
        if tag == "span" and classes & {"fact", "given"}:
            kind = "fact" if "fact" in classes else "given"
            self._current = Tagged(
                kind,
                attributes["data-example"],
                attributes[f"data-{'fact' if kind == 'fact' else 'input'}"],
                attributes["data-value"],
                worked=self._inside(WORKED_CLASSES),
            )
        if tag not in VOID:
            self._stack.append((tag, classes))

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._current is not None:
            self.tagged.append(self._current)
            self._current = None
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                if tag == "article" and "learn-main" in self._stack[index][1]:
                    self._in_article -= 1
                del self._stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.text += data
        elif self._in_article and not self._inside(QUOTED_CLASSES, QUOTED):
            self.untagged.append(data)


def read(client, path: str) -> Prose:
    response = client.get(path)
    assert response.status_code == 200
    prose = Prose()
    prose.feed(response.content.decode())
    assert prose.tagged, path
    return prose


@pytest.mark.parametrize("path", PAGES)
def test_the_prose_types_no_amount_percentage_or_leverage_of_its_own(client, seeded, path):
    prose = read(client, path)

    typed = [match for text in prose.untagged for match in NUMBER.findall(text)]

    assert typed == [], [t for t in prose.untagged if NUMBER.search(t)]


@pytest.mark.parametrize("path", PAGES)
def test_each_input_the_prose_states_is_the_one_its_example_link_carries(client, seeded, path):
    prose = read(client, path)

    for given in (t for t in prose.tagged if t.kind == "given"):
        if given.example == "":  # the rule every example without a platform uses
            assert given.name == "maintenance_margin_rate"
            assert given.value == str(DEFAULT_CUSTOM_MMR)
        else:
            query = dict(parse_qsl(urlsplit(prose.links[given.example]).query))
            assert query[given.name] == given.value, (given.example, given.name)
        assert given.text == format_input(given.name, given.value)


@pytest.mark.parametrize("path", PAGES)
def test_each_result_in_a_sentence_is_shown_by_a_worked_example_on_the_page(client, seeded, path):
    prose = read(client, path)
    facts = [t for t in prose.tagged if t.kind == "fact"]
    shown = {(t.example, t.name): t.value for t in facts if t.worked}

    for fact in (t for t in facts if not t.worked):
        assert (fact.example, fact.name) in shown, (fact.example, fact.name)
        assert shown[fact.example, fact.name] == fact.value


def test_the_index_debt_is_the_debt_its_table_shows(client, seeded):
    """#23: the broker that promises nothing leaves a bigger debt than the custom example
    (it has no maintenance margin, so it closes at the bankruptcy price); both are shown."""
    prose = read(client, "/learn/")
    owed = {
        (t.example, t.worked): t.value
        for t in prose.tagged
        if t.kind == "fact" and t.name == "outcome.trader_owes"
    }

    assert owed["ten_x_gap_offshore", False] == owed["ten_x_gap_offshore", True] == "450"
    assert owed["ten_x_gap", True] == "415.6626506"
