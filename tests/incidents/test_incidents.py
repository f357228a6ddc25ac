"""Incidents: model rules, admin, seed with a citation on every fact, pages, replay and API."""

import json
import math
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from incidents.models import Impact, Incident
from incidents.presets import presets
from incidents.seed.loader import missing_citations

pytestmark = pytest.mark.django_db

POSITION = {"platform": "binance", "entry_price": "50000", "margin": "1000", "leverage": "10"}


@pytest.fixture
def incidents(seeded):
    call_command("seed_incidents", verbosity=0)


def test_move_rules():
    incident = Incident(
        slug="x", name="X", started_on="2020-01-02", asset="BTC", what_happened="w", move_note="n"
    )
    for bad in ({"move_size": Decimal(-1)}, {"move_size": Decimal(0)}, {"move_minutes": 5}):
        for key, value in bad.items():
            setattr(incident, key, value)
        with pytest.raises(ValidationError):
            incident.full_clean()
        incident.move_size = incident.move_minutes = None
    incident.ended_on = "2020-01-01"
    with pytest.raises(ValidationError) as error:
        incident.full_clean()
    assert "ended_on" in error.value.message_dict


def test_a_hole_needs_its_currency_and_meaning(incidents):
    impact = Impact.objects.filter(hole_amount__isnull=False).first()
    impact.hole_currency = ""
    impact.hole_measures = ""
    with pytest.raises(ValidationError) as error:
        impact.full_clean()
    assert {"hole_currency", "hole_measures"} <= set(error.value.message_dict)


def test_seed_is_idempotent_and_every_fact_is_cited(incidents):
    assert Incident.objects.count() == 10
    call_command("seed_incidents", verbosity=0)
    assert Incident.objects.count() == 10
    for incident in Incident.objects.all():
        assert not missing_citations(incident), incident.slug
        for impact in incident.impacts.all():
            assert not missing_citations(impact), str(impact)
            assert all(c.url and c.quote for c in impact.citations.all())
    binance = Incident.objects.get(slug="binance-may-2020")
    assert binance.move_size == Decimal("-0.150498") and binance.move_minutes == 60
    assert Incident.objects.get(slug="dydx-yfi-2023").move_size == Decimal("-0.45")
    assert Incident.objects.get(slug="eur-chf-2015").move_size is None
    assert Incident.objects.get(slug="eur-chf-2015").impacts.count() == 4


def test_admin_shows_citations_inline_and_history(incidents, staff_client):
    incident = Incident.objects.get(slug="binance-may-2020")
    page = staff_client.get(f"/admin/incidents/incident/{incident.pk}/change/")
    assert page.status_code == 200
    assert b"citation" in page.content.lower()
    assert b"15.05%" in page.content or b"$9,535" in page.content
    history = staff_client.get(f"/admin/incidents/incident/{incident.pk}/history/")
    assert history.status_code == 200
    assert incident.history.count() >= 1
    impact = incident.impacts.first()
    assert staff_client.get(f"/admin/incidents/impact/{impact.pk}/change/").status_code == 200


def test_pages_render(incidents, client):
    listing = client.get("/incidents/")
    assert listing.status_code == 200 and b"Binance Futures" in listing.content
    for incident in Incident.objects.all():
        page = client.get(incident.get_absolute_url())
        assert page.status_code == 200, incident.slug
        assert b"NaN" not in page.content and b"Infinity" not in page.content
    no_move = client.get("/incidents/eur-chf-2015/")
    assert b"give no price move" in no_move.content


def test_a_rise_does_not_hurt_a_long(incidents, client):
    page = client.get("/incidents/hyperliquid-jelly-2025/", POSITION)
    assert b"does not hurt a long position" in page.content


def test_replay_equals_the_evaluate_api(incidents, client):
    page = client.get("/incidents/binance-may-2020/", {**POSITION, "compare": "bitmex"})
    rows = {row.label: row for row in page.context["rows"]}
    assert set(rows) == {"Binance", "BitMEX"}
    for label, slug in (("Binance", "binance"), ("BitMEX", "bitmex")):
        api = client.get(
            "/api/v1/evaluate", {**POSITION, "platform": slug, "crash": "0.150498"}
        ).json()
        outcome = rows[label].evaluation.outcome
        assert api["outcome"]["liquidated"] == outcome.liquidated
        assert Decimal(api["outcome"]["deficit"]) == outcome.deficit
        assert Decimal(api["outcome"]["trader_owes"]) == outcome.trader_owes
        assert Decimal(api["outcome"]["fill_price"]) == outcome.fill_price
    stress = client.get("/api/v1/stress", {**POSITION, "incident": "binance-may-2020"}).json()
    api = client.get("/api/v1/evaluate", {**POSITION, "crash": "0.150498"}).json()
    assert stress["evaluation"]["outcome"] == api["outcome"]
    assert [f.key for f in page.context["figures"]] == ["path", "replay"]


def test_stress_api_errors(incidents, client):
    cases = [
        ({**POSITION}, "incident"),
        ({**POSITION, "incident": "nope"}, "incident"),
        ({**POSITION, "incident": "eur-chf-2015", "move": "-2"}, "move"),
        ({**POSITION, "incident": "binance-may-2020", "entry_price": "x"}, "entry_price"),
        ({**POSITION, "incident": "binance-may-2020", "gap": "0.1"}, "gap"),
    ]
    for query, field in cases:
        response = client.get("/api/v1/stress", query)
        assert response.status_code == 400, query
        assert field in response.json()["errors"]
    ok = client.get("/api/v1/stress", {**POSITION, "incident": "eur-chf-2015", "move": "-0.3"})
    assert ok.status_code == 200 and ok.json()["crash"] == "0.3"
    # no move of its own: its published path answers (tests/api/test_stress_path.py)
    path_only = client.get("/api/v1/stress", {**POSITION, "incident": "eur-chf-2015"})
    assert path_only.status_code == 200 and path_only.json()["replayed"] == "path"


def test_simulate_api(incidents, client):
    query = {**POSITION, "paths": "5000", "seed": "5"}
    first = client.get("/api/v1/simulate", query)
    assert first.status_code == 200
    body = first.json()
    assert body == client.get("/api/v1/simulate", query).json()  # same seed, same numbers
    assert 0 < float(body["chance_liquidation"]) < 1
    for key, value in body.items():
        if key.startswith(("chance", "expected", "deficit", "owed")):
            assert math.isfinite(float(value)), key
    post = client.post("/api/v1/simulate", json.dumps(query), content_type="application/json")
    assert post.json() == body
    for bad, field in (
        ({"paths": "999999999"}, "paths"),
        ({"paths": "200000", "steps": "500"}, "steps"),
        ({"volatility": "nan"}, "volatility"),
        ({"volatility": "Infinity"}, "volatility"),
        ({"seed": "-1"}, "seed"),
        ({"crash": "0.2"}, "crash"),
    ):
        response = client.get("/api/v1/simulate", {**query, **bad})
        assert response.status_code == 400, bad
        assert field in response.json()["errors"]


def test_chance_page(incidents, client):
    page = client.get("/incidents/chance/", {**POSITION, "compare": "bitmex", "paths": "2000"})
    assert page.status_code == 200
    assert b"This is not a prediction" in page.content
    results = page.context["results"]
    assert [r.venue.label for r in results] == ["Binance", "BitMEX"]
    for r in results:
        assert math.isfinite(r.stress.expected_owed)
    assert page.context["figures"][0].key == "stress"
    bad = client.get("/incidents/chance/", {**POSITION, "paths": "1"})
    assert bad.status_code == 200 and "results" not in bad.context


def test_presets(incidents):
    found = dict(presets())
    assert found
    label = next(k for k in found if "Binance Futures" in k)
    assert found[label]["crash"] == "0.150498" and found[label]["side"] == "long"
    assert any(q["side"] == "short" for q in found.values())  # Mango, JELLY: rises hurt shorts


def test_openapi_documents_stress_and_simulate(client):
    document = client.get("/api/v1/openapi.json").json()
    assert set(document["paths"]) >= {"/api/v1/evaluate", "/api/v1/stress", "/api/v1/simulate"}
    simulate = {p["name"] for p in document["paths"]["/api/v1/simulate"]["get"]["parameters"]}
    assert {"volatility", "paths", "seed", "entry_price"} <= simulate
    stress = {p["name"] for p in document["paths"]["/api/v1/stress"]["get"]["parameters"]}
    assert {"incident", "move", "entry_price"} <= stress and "gap" not in stress


def test_chance_page_shows_the_assumptions_it_uses_when_left_empty(incidents, client):
    # The fields start empty and the simulation uses the defaults: each field shows its
    # default, or a visitor cannot tell what volatility the answer assumed.
    from incidents.forms import DEFAULT

    page = client.get("/incidents/chance/", {**POSITION, "paths": "2000"}).content.decode()
    for name in ("volatility", "jump_intensity", "horizon_days", "slippage"):
        field = re.search(rf'<input id="id_{name}"[^>]*>', page).group(0)
        assert f'placeholder="{getattr(DEFAULT, name)}"' in field


def test_the_chosen_platform_is_not_offered_again_to_compare_with(incidents, client):
    page = client.get("/incidents/chance/", {**POSITION, "paths": "2000"}).content.decode()
    chosen = POSITION["platform"]
    assert re.search(rf'<input type="checkbox" name="compare" value="{chosen}" disabled>', page)


def test_chance_table_gives_every_chance_as_a_percentage_and_shows_each_series(incidents, client):
    page = client.get("/incidents/chance/", {**POSITION, "compare": "bitmex", "paths": "2000"})
    html = page.content.decode()
    rows = re.findall(r'<th scope="row">(?:Binance|BitMEX)</th>(.*?)</tr>', html, re.S)
    assert len(rows) == 2
    for row in rows:
        cells = re.findall(r'<td class="num">(.*?)</td>', row, re.S)
        # liquidation price, then the chances of liquidation, of a deficit, and that you owe
        chances = [cells[1], cells[2], cells[5]]
        assert all(re.match(r"[\d.]+%", cell.strip()) for cell in chances), chances
        assert " of " not in row
    layout = page.context["figures"][0].figure["layout"]
    assert layout["barmode"] != "overlay"  # one platform's bars never hide another's
