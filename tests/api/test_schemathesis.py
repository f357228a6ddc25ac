"""The OpenAPI document is the API's contract: Schemathesis sends requests generated from it
(through WSGI, no network) and checks each answer against it.

Issue #17: a contract tester never reached a success, because the document let through what
the API refuses (an empty entry price, `compare` on stress and simulate, two scenarios at once).
Here every operation must answer schema-conformant JSON with a documented status, never a 500,
and a fair share of the generated requests must be answered 200.

Values that name stored data (a platform, an incident) are drawn from what the test database
holds, as a tester supplies existing ids: the document can only say they are slugs.
"""

from collections import Counter

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from incidents.models import Incident
from markets.models import Market
from platforms.models import Platform

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# 60 rather than 40 since the forms gained the "other positions' value" of KuCoin-style cross
# margin: with 40, the derandomized draw for GET /api/v1/stress fell to 6 successes (15%), most of
# them from the third of GET cases drawn from the parameters alone, which cannot state the rules.
EXAMPLES = 60
# Share of the generated requests each operation must answer 200 (measured with 40 examples:
# 37–80% when written, 20–80% once the forms gained the safety and residence questions, which
# change what the derandomized generator draws). The rest are 400s naming what the request got
# wrong: a rule between query parameters (which the document states only in the body's schema),
# or stored data (a scope the platform does not have, a platform without this product). The
# contract tester of issue #17 reached no success at all.
SUCCESS_SHARE = 0.2

OPERATIONS = [
    (path, method)
    for path in ("/api/v1/evaluate", "/api/v1/stress", "/api/v1/simulate")
    for method in ("GET", "POST")
]


@pytest.fixture
def schema(seeded):
    call_command("seed_incidents", verbosity=0)
    # a symbol is drawn from a platform's markets: a few, with a mark price, from a recording
    for platform in ("hyperliquid", "okx", "bybit"):
        call_command("import_markets", platform=platform, from_recording=True, verbosity=0)
    # As Django's test client does: the WSGI app would otherwise close the database connection
    # at the end of each request, and with it the test's transaction (on PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def as_query(body: dict) -> dict:
    """A JSON body's fields as a query string carries them."""
    query = {}
    for name, value in body.items():
        if isinstance(value, bool):
            query[name] = "true" if value else "false"
        elif isinstance(value, list):
            query[name] = value  # repeated: compare=a&compare=b
        else:
            query[name] = str(value)
    return query


def with_stored_data(
    fields: dict, platforms: list[str], incidents: list[str], incidents_with_a_move, markets, draw
) -> dict:
    fields = dict(fields)
    if "platform" in fields:
        fields["platform"] = draw(st.sampled_from(platforms))
    if isinstance(fields.get("compare"), list):
        fields["compare"] = draw(st.lists(st.sampled_from(platforms), max_size=3))
    elif "compare" in fields:
        fields["compare"] = ",".join(draw(st.lists(st.sampled_from(platforms), max_size=3)))
    if "symbol" in fields:  # a market of the platform drawn, where the test data holds one
        symbols = markets.get(fields.get("platform"), [])
        if symbols:
            fields["symbol"] = draw(st.sampled_from(symbols))
        else:
            del fields["symbol"]
    if "entry_price" not in fields and "symbol" not in fields:
        # The body's description: `entry_price` is required unless `symbol` names a market
        # (a rule stated in words, which the generator cannot read), so a tester gives one.
        fields["entry_price"] = draw(st.integers(1, 200_000))
    if "incident" in fields:
        # without a move of its own, the request needs an incident whose sources give one
        # (the 400 for one that gives none is tests/incidents' business)
        usable = incidents if fields.get("move") is not None else incidents_with_a_move
        fields["incident"] = draw(st.sampled_from(usable))
    return fields


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_the_api_keeps_its_documented_contract(schema, path, method):
    operation = schema[path][method]
    platforms = list(Platform.objects.order_by("slug").values_list("slug", flat=True))
    incidents = list(Incident.objects.order_by("slug").values_list("slug", flat=True))
    with_a_move = list(
        Incident.objects.exclude(move_size=None).order_by("slug").values_list("slug", flat=True)
    )
    markets: dict[str, list[str]] = {}
    for slug, symbol in Market.objects.values_list("product_line__platform__slug", "symbol"):
        markets.setdefault(slug, []).append(symbol)
    stored = (platforms, incidents, with_a_move, markets)
    # A query string's parameters are documented one by one, and cannot state the rules
    # between them: a GET case is drawn either from its parameters (a third of them) or from
    # the JSON body's schema, which states them, the same fields sent as a query string.
    body_cases = schema[path]["POST"].as_strategy()

    @st.composite
    def cases(draw):
        if method == "POST":
            case = draw(operation.as_strategy())
            if isinstance(case.body, dict):
                case.body = with_stored_data(case.body, *stored, draw)
            return case
        if draw(st.integers(0, 2)) == 0:  # a third from the parameters alone
            case = draw(operation.as_strategy())
            query = dict(case.query or {})
        else:
            query = as_query(draw(body_cases).body)
        return operation.Case(query=with_stored_data(query, *stored, draw))

    statuses: Counter[int] = Counter()
    refusals: Counter[str] = Counter()  # what the 400s say, for the failure message

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(case=cases())
    def run(case):
        response = case.call()
        case.validate_response(response, checks=CHECKS)
        statuses[response.status_code] += 1
        if response.status_code == 400:
            for field, messages in response.json()["errors"].items():
                refusals[f"{field}: {messages[0][:70]}"] += 1

    run()
    total = sum(statuses.values())
    assert set(statuses) <= {200, 400}, statuses
    assert statuses[200] >= SUCCESS_SHARE * total, (statuses, refusals.most_common(10))
