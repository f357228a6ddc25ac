"""/api/v1/stress walks the position along the incident's published price path, with the
same function and the same answer as the incident's page (incidents.replay.walk_path)."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils.html import escape

from api.serializers import FRACTION_PLACES, decimal_str
from incidents.models import Incident

LONG_10X = {
    "platform": "binance",
    "side": "long",
    "entry_price": "50000",
    "margin": "1000",
    "leverage": "10",
}
COMPARE = ["bitmex", "offshore-broker-example"]


@pytest.fixture
def incidents(seeded):
    call_command("seed_incidents", verbosity=0)


def _api(client, incident, position, move=None):
    query = {**position, "incident": incident, "compare": ",".join(COMPARE)}
    if move is not None:
        query["move"] = move
    response = client.get("/api/v1/stress", query)
    assert response.status_code == 200, response.content
    return response.json()


def _page(client, incident, position):
    response = client.get(f"/incidents/{incident}/", {**position, "compare": COMPARE})
    assert response.status_code == 200
    return response


def _as_page_shows_it(row):
    """The page's walked row in the API's formats."""
    if row.evaluation is None:
        return {"platform": row.slug or None, "name": row.label, "error": row.problem}
    outcome, crossing = row.evaluation.outcome, row.crossing
    return {
        "platform": row.slug or None,
        "name": row.label,
        "liquidated": row.liquidated,
        "liquidation_minute": decimal_str(crossing.minute, FRACTION_PLACES) if crossing else None,
        "between_published_points": bool(crossing and crossing.interpolated),
        "in_gap": bool(crossing and crossing.in_gap),
        "engine_delayed": bool(crossing and crossing.delayed),
        "stalled_at_end": row.stalled_at_end,
        "liquidation_price": decimal_str(row.evaluation.liquidation_price),
        "liquidation_price_on_path": decimal_str(row.liquidation_on_path),
        "fill_price": decimal_str(outcome.fill_price),
        "bankruptcy_price": decimal_str(row.evaluation.bankruptcy_price),
        "deficit": decimal_str(outcome.deficit),
        "who_pays": [
            {"party": part.party.value, "amount": decimal_str(part.amount)} for part in row.payers
        ],
        "trader_result": decimal_str(outcome.trader_result),
        "trader_owes": decimal_str(outcome.trader_owes),
        "partial_liquidation": row.partial_liquidation,
        "partial_liquidation_note": row.partial_note or None,
        "closes": [
            {
                "minute": decimal_str(step.close.minute, FRACTION_PLACES),
                "price_on_path": decimal_str(step.incident_price),
                "fill_price": decimal_str(step.close.price),
                "quantity": decimal_str(step.close.quantity),
                "fee": decimal_str(step.close.fee),
                "partial": step.close.partial,
                "open_after": decimal_str(step.close.quantity_after),
                "equity_after": decimal_str(step.close.equity_after),
                "next_liquidation_price": decimal_str(step.close.next_liquidation),
            }
            for step in row.closes
        ],
        "open_at_end": decimal_str(row.stepped.remainder) if row.stepped else None,
        "trader_result_with_steps": decimal_str(row.stepped_result),
        "deficit_with_steps": (
            decimal_str(row.stepped_outcome.deficit)
            if row.stepped_outcome and not row.stepped_outcome.still_open
            else None
        ),
        "who_pays_with_steps": (
            [
                {"party": part.party.value, "amount": decimal_str(part.amount)}
                for part in row.stepped_payers
            ]
            if row.stepped_outcome and not row.stepped_outcome.still_open
            else None
        ),
    }


def test_binance_may_2020_fills_where_the_page_says(incidents, client):
    body = _api(client, "binance-may-2020", LONG_10X)
    path = body["path"]
    page = _page(client, "binance-may-2020", LONG_10X)
    walked = page.context["walked"]
    html = page.content.decode()
    binance, bitmex, _broker = path["platforms"]
    assert [p["platform"] for p in path["platforms"]] == ["binance", *COMPARE]
    # a 10x long is liquidated on the way down, near $45,180, not at the bottom, no deficit
    assert binance["liquidated"] and not binance["in_gap"]
    assert binance["between_published_points"]
    assert binance["fill_price"] == binance["liquidation_price"]
    assert Decimal("45180") < Decimal(binance["fill_price"]) < Decimal("45181")
    assert binance["deficit"] == "0" and binance["who_pays"] == []
    assert Decimal(binance["trader_result"]) >= 0 and binance["trader_owes"] == "0"
    # BitMEX's own liquidation price is reached earlier on the way down, and fills there
    assert Decimal(bitmex["liquidation_minute"]) < Decimal(binance["liquidation_minute"])
    assert bitmex["fill_price"] == bitmex["liquidation_price"]
    assert "45,180.72" in html  # the page's fill, the same number
    assert binance["partial_liquidation_note"]
    # the default position sits in Binance's first tier: the engine gives no steps
    assert binance["closes"] == [] and binance["trader_result_with_steps"] is None
    assert escape(binance["partial_liquidation_note"]) in html
    assert escape(path["assumptions"]) in html  # the notes the page shows, word for word
    assert path["granularity"] == Incident.objects.get(slug="binance-may-2020").path_note
    assert path["hurts_position"] is True
    # every platform's answer is the page's own
    assert path["platforms"] == [_as_page_shows_it(row) for row in walked.rows]
    # the published points with their sources, and the move from the visitor's entry
    first, low = path["points"]
    assert (first["minute"], first["price"], low["minute"], low["price"]) == (
        "0",
        "9535",
        "10",
        "8100",
    )
    assert first["position_price"] == "50000" and first["equity"] is not None
    assert low["equity"] is None  # closed on the way down
    assert low["position_price"] == decimal_str(Decimal(50000) * 8100 / 9535)
    assert all(s["url"].startswith("https://") and s["quote"] for s in low["sources"])
    assert low["sources"][0]["source_date"] == "2020-05-11"
    assert path["started_on"] == "2020-05-10"
    # the instant move's replay is still there, unchanged
    assert body["crash"] and body["evaluation"]["outcome"]["liquidated"]


@pytest.mark.parametrize("side", ["long", "short"])
def test_every_incidents_path_answers_as_its_page(incidents, client, side):
    position = {**LONG_10X, "side": side, "leverage": "50"}
    for incident in Incident.objects.all():
        # a move of our own: six incidents have none, and the path does not depend on it
        body = _api(client, incident.slug, position, move="-0.1")
        walked = _page(client, incident.slug, position).context["walked"]
        path = body["path"]
        assert path is not None, incident.slug
        assert path["platforms"] == [_as_page_shows_it(row) for row in walked.rows], incident.slug
        assert path["hurts_position"] == walked.hurts
        assert [p["equity"] for p in path["points"]] == [
            decimal_str(step.equity) for step in walked.steps
        ]
        assert [p["gap"] for p in path["points"]] == [step.point.gap for step in walked.steps]
        for platform in path["platforms"]:
            if "error" in platform:
                continue
            parts = sum(Decimal(part["amount"]) for part in platform["who_pays"])
            assert parts <= Decimal(platform["deficit"])


def test_an_incident_without_a_path_answers_null(incidents, client):
    incident = Incident.objects.get(slug="binance-may-2020")
    incident.path.all().delete()
    body = _api(client, incident.slug, LONG_10X)
    assert body["path"] is None
    assert body["evaluation"]["outcome"]["liquidated"]  # the instant replay still answers


def test_bad_input_is_still_a_400(incidents, client):
    cases = [
        ({**LONG_10X, "incident": "binance-may-2020", "entry_price": "-5"}, "entry_price"),
        ({**LONG_10X, "incident": "binance-may-2020", "leverage": "abc"}, "leverage"),
        ({**LONG_10X, "incident": "no-such-crash"}, "incident"),
    ]
    for query, field in cases:
        response = client.get("/api/v1/stress", query)
        assert response.status_code == 400, query
        assert field in response.json()["errors"], response.json()
        assert "path" not in response.json()


def test_the_documented_path_is_the_answer(incidents, client):
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert "path" in schemas["Stress"]["required"]
    described = schemas["StressPath"]
    path = _api(client, "binance-may-2020", LONG_10X)["path"]
    assert set(path) == set(described["properties"])
    assert set(path["points"][0]) == set(described["properties"]["points"]["items"]["properties"])
    platform = described["properties"]["platforms"]["items"]["properties"]
    assert set(path["platforms"][0]) == set(platform) - {"error"}
    page = client.get("/api/").content.decode()
    assert "<code>path</code>" in page and "<code>who_pays</code>" in page
    example = page.split('id="stress"')[1].split('href="')[2].split('"')[0]
    response = client.get(example.replace("&amp;", "&"))
    assert response.status_code == 200 and response.json()["path"]["platforms"]


def test_a_large_position_closes_in_steps_the_same_on_page_and_api(incidents, client):
    """A million dollars at 10x crosses Binance's tiers: the API's `closes` are the card's."""
    large = {**LONG_10X, "margin": "100000"}
    path = _api(client, "binance-may-2020", large)["path"]
    page = _page(client, "binance-may-2020", large)
    html = page.content.decode()
    binance = path["platforms"][0]
    assert len(binance["closes"]) > 1 and binance["closes"][0]["partial"]
    assert binance["partial_liquidation_note"] is None
    assert binance["open_at_end"] == "0"
    assert path["platforms"] == [_as_page_shows_it(row) for row in page.context["walked"].rows]
    assert "Closed in steps" in html
    for close in binance["closes"]:
        assert Decimal(close["price_on_path"]) < 9535  # on the way down from the first point


def test_an_incident_without_a_move_is_answered_by_its_path(incidents, client):
    """Six incidents did not move in one instant: `move` is null, `replayed` says the path
    answers, and the path is the page's own walk."""
    without = Incident.objects.filter(move_size__isnull=True)
    assert without.count() == 6
    for incident in without:
        body = _api(client, incident.slug, LONG_10X)
        assert body["move"] is None and body["move_source"] is None, incident.slug
        assert body["replayed"] == "path" and body["move_note"] == incident.move_note
        assert body["crash"] is None and body["evaluation"] is None
        assert body["hurts_position"] is False
        assert [row["platform"] for row in body["compared"]] == COMPARE
        assert all(row["evaluation"] is None for row in body["compared"] if "error" not in row)
        walked = _page(client, incident.slug, LONG_10X).context["walked"]
        assert body["path"]["platforms"] == [_as_page_shows_it(row) for row in walked.rows]


def test_incidents_with_a_move_answer_as_before(incidents, client):
    for incident in Incident.objects.filter(move_size__isnull=False):
        body = _api(client, incident.slug, LONG_10X)
        assert body["replayed"] == "move" and body["move_source"] == "incident"
        assert Decimal(body["move"]) == incident.move_size
    typed = _api(client, "eur-chf-2015", LONG_10X, move="-0.2")
    assert typed["replayed"] == "move" and typed["move_source"] == "request"
    assert typed["evaluation"]["outcome"]["liquidated"]


def test_no_move_and_no_path_is_a_400_on_move(incidents, client):
    incident = Incident.objects.get(slug="eur-chf-2015")
    incident.path.all().delete()
    response = client.get("/api/v1/stress", {**LONG_10X, "incident": incident.slug})
    assert response.status_code == 400
    assert "move" in response.json()["errors"]


def test_the_incident_listing_gives_each_move_or_null(incidents, client):
    response = client.get("/api/v1/incidents")
    assert response.status_code == 200
    listed = {item["slug"]: item for item in response.json()["incidents"]}
    assert len(listed) == Incident.objects.count() == 10
    for incident in Incident.objects.all():
        item = listed[incident.slug]
        if incident.move_size is None:
            assert item["move"] is None and item["replayed"] == "path"
        else:
            assert Decimal(item["move"]) == incident.move_size and item["replayed"] == "move"
        assert item["path_points"] == incident.path.count() >= 2
        # what the listing says a stress request without a move replays, it replays
        body = _api(client, incident.slug, LONG_10X)
        assert body["replayed"] == item["replayed"]
    assert listed["bitmex-black-thursday-2020"]["engine_stalls"] == 1
    described = client.get("/api/v1/openapi.json").json()
    schema = described["components"]["schemas"]["Incidents"]["properties"]["incidents"]["items"]
    assert set(listed["eur-chf-2015"]) == set(schema["properties"]) == set(schema["required"])
    assert client.post("/api/v1/incidents").status_code == 405
