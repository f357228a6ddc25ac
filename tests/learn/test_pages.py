"""The Learn pages: every number in a worked example is the engine's answer to its own link.

Each example's numbers are tagged `<span data-example data-fact data-value>` and its link
`<a data-example href="/?...">`. The tests open the link's query through the JSON API and
compare, so a page cannot show a number its link would not reproduce.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.conf import settings

from calculator.forms import ComparingForm
from learn.examples import format_value
from learn.topics import EXAMPLES, TOPICS

pytestmark = pytest.mark.django_db

PAGES = ["/learn/", *(f"/learn/{slug}/" for slug in TOPICS)]
LINK_FIELDS = set(ComparingForm.base_fields)


class LearnPage(HTMLParser):
    """Collects tagged facts, example links and headings."""

    def __init__(self) -> None:
        super().__init__()
        self.facts: list[dict[str, str]] = []
        self.links: dict[str, set[str]] = defaultdict(set)
        self.headings: list[int] = []
        self._fact: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "a" and "data-example" in attributes:
            self.links[attributes["data-example"]].add(attributes["href"])
        if tag == "span" and "data-fact" in attributes:
            self._fact = {
                "example": attributes["data-example"],
                "path": attributes["data-fact"],
                "value": attributes["data-value"],
                "text": "",
            }
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_data(self, data: str) -> None:
        if self._fact is not None:
            self._fact["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._fact is not None:
            self.facts.append(self._fact)
            self._fact = None


def parse(html: str) -> LearnPage:
    page = LearnPage()
    page.feed(html)
    return page


def api_value(body: dict, path: str) -> str | None:
    """A value of the API's answer by the page's path (coverage parts by party)."""
    if path.startswith("outcome.coverage."):
        party = path.removeprefix("outcome.coverage.")
        amounts = [p["amount"] for p in body["outcome"]["coverage"] if p["party"] == party]
        assert len(amounts) == 1, f"{party} appears {len(amounts)} times"
        return amounts[0]
    if path.startswith("outcome."):
        return body["outcome"][path.removeprefix("outcome.")]
    return body[path]


def link_fields(href: str) -> tuple[str, list[tuple[str, str]]]:
    parts = urlsplit(href)
    assert not parts.scheme and not parts.netloc and not parts.fragment, href
    return parts.path, parse_qsl(parts.query, keep_blank_values=True)


@pytest.mark.parametrize("path", PAGES)
def test_every_learn_page_renders(client, seeded, path):
    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot be worked out" not in html, "an example failed with seeded profiles"
    page = parse(html)
    assert page.facts, "a Learn page without a live number"
    # One h1, and no heading skips a level.
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, page.headings


@pytest.mark.parametrize("path", PAGES)
def test_each_number_is_what_the_engine_gives_for_its_link(client, seeded, path):
    """Parse each example's link, run its query through the API, compare every tagged number.

    The link goes to the calculator ("/") with the form's field names only, and opens there
    without errors. (One test per page: seeding the profiles is most of its cost.)
    """
    page = parse(client.get(path).content.decode())
    by_example: dict[str, list[dict[str, str]]] = defaultdict(list)
    for fact in page.facts:
        by_example[fact["example"]].append(fact)
    assert set(by_example) <= set(page.links), set(by_example) - set(page.links)

    for key, hrefs in page.links.items():
        assert len(hrefs) == 1, f"{key}: one example, one scenario: {hrefs}"
        href = next(iter(hrefs))
        target, fields = link_fields(href)
        assert target == "/", href
        names = {name for name, _ in fields}
        assert names <= LINK_FIELDS, (key, names - LINK_FIELDS)

        query = [(name, value) for name, value in fields if name != "compare"]
        response = client.get(f"/api/v1/evaluate?{urlencode(query)}")
        assert response.status_code == 200, (key, response.json())
        body = response.json()
        for fact in by_example[key]:
            expected = api_value(body, fact["path"])
            assert fact["value"] == (expected or ""), (key, fact["path"])
            assert fact["text"] == format_value(fact["path"], expected), (key, fact["path"])

        calculator = client.get(href)
        assert calculator.status_code == 200
        assert calculator.context["valid"], (key, calculator.context["form"].errors)


def test_a_worked_example_reads_as_the_brief_says(client, seeded):
    """$5,000 at 2× from $50,000 and a 50% drop: bankrupt at $25,000, nothing owed."""
    page = parse(client.get("/learn/lose-more-than-you-invest/").content.decode())
    facts = {f["path"]: f for f in page.facts if f["example"] == "two_x_half_crash"}

    assert facts["bankruptcy_price"]["value"] == "25000"
    assert facts["outcome.trader_result"]["value"] == "0"
    assert page.links["two_x_half_crash"] == {
        "/?entry_price=50000&margin=5000&leverage=2&crash=0.5&maintenance_margin_rate=0.004"
    }


def test_the_stop_fills_at_the_gap_and_the_guaranteed_stop_at_the_stop(client, seeded):
    page = parse(client.get("/learn/how-to-avoid-it/").content.decode())
    fills = {f["example"]: f["value"] for f in page.facts if f["path"] == "outcome.fill_price"}

    assert fills["stop_in_gap"] == "40000"
    assert fills["guaranteed_stop"] == "45000"


def test_every_example_appears_on_a_page(client, seeded):
    shown: set[str] = set()
    for path in PAGES:
        shown |= set(parse(client.get(path).content.decode()).links)

    assert set(EXAMPLES) <= shown, set(EXAMPLES) - shown


def test_an_unknown_learn_page_is_404(client):
    assert client.get("/learn/no-such-question/").status_code == 404


def test_without_profiles_platform_examples_say_so_instead_of_failing(client):
    response = client.get("/learn/do-exchanges-protect-you/")

    assert response.status_code == 200
    assert "Not available" in response.content.decode()


def test_the_nav_marks_learn_as_current(client, seeded):
    html = client.get("/learn/glossary/").content.decode()

    assert re.search(r'<a href="/learn/" aria-current="page">Learn</a>', html)


def test_glossary_terms_have_anchors(client, seeded):
    html = client.get("/learn/glossary/").content.decode()

    for anchor in (
        "liquidation-price",
        "bankruptcy-price",
        "maintenance-margin",
        "insurance-fund",
        "auto-deleveraging",
        "clawback",
        "negative-balance-protection",
        "isolated-margin",
        "cross-margin",
    ):
        assert f'id="{anchor}"' in html, anchor


def test_templates_type_no_dollar_amounts():
    """Money on Learn pages comes from the engine or the example's inputs, never the template."""
    folder = Path(settings.BASE_DIR) / "templates" / "learn"
    for template in folder.glob("*.html"):
        assert not re.search(r"\$\s?\d", template.read_text()), template.name
