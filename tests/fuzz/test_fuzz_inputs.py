"""Generated input, good and bad, against the calculator form and every API endpoint.

Over 10,000 requests in all: none may answer 5xx, none may contain NaN or Infinity, and none
may write to the database.
"""

import json
import re

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculator.forms import ComparingForm

pytestmark = pytest.mark.django_db

FIELDS = list(ComparingForm.base_fields)  # the API takes `compare` too
NON_FINITE = re.compile(r"\b(NaN|-?Infinity|inf)\b")

numbers_as_text = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-1e6, max_value=1e6).map(
        str
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        [
            "",
            "0",
            "-0",
            "1e999",
            "-1e-999",
            "NaN",
            "Infinity",
            "sNaN",
            "0x10",
            "1,000",
            "50000",
            "10",
            "0.05",
            "1.1",
            "0.83",
            "long",
            "short",
            "cross",
            "isolated",
            "linear",
            "inverse",
            "spot_margin",
            "loan",
            "binance",
            "bybit",
            "gmx",
            "aave",
            "offshore-broker-example",
            "usds-m/isolated",
            "true",
            "false",
            "<script>",
            "💥",
        ]
    ),
    st.text(max_size=12),
)
query = st.dictionaries(st.sampled_from(FIELDS), numbers_as_text, max_size=12)
plausible = st.fixed_dictionaries(
    {
        "entry_price": st.sampled_from(["50000", "0.5", "3000", "1e9"]),
        "leverage": st.sampled_from(["1", "2", "10", "125", "0.5"]),
        "margin": st.sampled_from(["1000", "0.1", "1e7"]),
    },
    optional={
        name: numbers_as_text
        for name in FIELDS
        if name not in ("entry_price", "leverage", "margin")
    },
)
json_values = st.one_of(
    numbers_as_text,
    st.booleans(),
    st.none(),
    st.floats(),
    st.integers(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=1),
)
json_body = st.dictionaries(st.sampled_from([*FIELDS, "extra", ""]), json_values, max_size=10)


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def computed_parts(response) -> str:
    """What the app computed, leaving out messages that quote the visitor's own input back."""
    body = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        data = json.loads(body)
        return "" if "errors" in data else body
    figures = re.findall(
        r'<script id="figures-data" type="application/json">(.*?)</script>', body, re.S
    )
    numbers = re.findall(r'<dl class="key-numbers">(.*?)</dl>', body, re.S)
    answer = re.findall(r'<div class="answer[^"]*">(.*?)</div>', body, re.S)
    return " ".join(figures + numbers + answer)


def leaves(node):
    if isinstance(node, dict):
        node = node.values()
    if isinstance(node, (list, type({}.values()))):
        for value in node:
            yield from leaves(value)
    else:
        yield node


def assert_clean(response) -> None:
    assert response.status_code < 500, response.content[:500]
    assert response.status_code in (200, 400, 404, 405, 413, 429), response.status_code
    computed = computed_parts(response)
    assert not NON_FINITE.search(computed), computed[:500]
    # The figures' JSON writes a NaN or an infinity as null, and holds no null otherwise.
    for figures in re.findall(
        r'<script id="figures-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    ):
        assert None not in list(leaves(json.loads(figures))), figures[:500]


@pytest.fixture
def unchanged_database(seeded):
    before = row_counts()
    yield
    assert row_counts() == before


def test_api_get(client, unchanged_database):
    @fuzz(3000)
    @given(st.one_of(query, plausible))
    def run(params):
        response = client.get("/api/v1/evaluate", params)
        assert_clean(response)
        if response.status_code == 200:
            json.loads(response.content, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))

    run()


def test_api_post(client, unchanged_database):
    @fuzz(3000)
    @given(st.one_of(json_body, plausible))
    def run(body):
        response = client.post(
            "/api/v1/evaluate",
            data=json.dumps(body, allow_nan=True),
            content_type="application/json",
        )
        assert_clean(response)
        assert "errors" in response.json() or response.status_code == 200

    run()


def test_calculator_page_and_partial(client, unchanged_database):
    @fuzz(2000)
    @given(st.one_of(query, plausible), st.booleans())
    def run(params, htmx):
        headers = {"HX-Request": "true"} if htmx else {}
        assert_clean(client.get("/", params, headers=headers))

    run()


def test_other_get_pages(client, unchanged_database):
    @fuzz(2000)
    @given(
        st.sampled_from(
            [
                "/platforms/",
                "/api/v1/openapi.json",
                "/calculator/scopes",
                "/calculator/maths",
                "/learn/",
            ]
        ),
        st.one_of(query, plausible),
        st.booleans(),
    )
    def run(path, params, htmx):
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.get(path, params, headers=headers)
        if response.status_code == 302:  # the maths outside htmx: the scenario's page
            response = client.get(response["Location"])
        assert_clean(response)

    run()
