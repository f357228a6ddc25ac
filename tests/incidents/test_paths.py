"""Incidents along their published price paths: every point cited, and the page's replay
(each platform closes where the path reaches its own liquidation price, and who pays)."""

from decimal import Decimal, localcontext

import pytest
from django.core.management import call_command

from calculator.charts import unpacked
from engine import CONTEXT
from incidents.models import Incident, PricePoint
from incidents.seed.loader import missing_citations

pytestmark = pytest.mark.django_db


def parts_total(outcome):
    """The coverage parts added in the engine's own precision (40 digits)."""
    with localcontext(CONTEXT):
        return sum((part.amount for part in outcome.coverage), Decimal(0))


LONG_10X = {
    "platform": "binance",
    "side": "long",
    "entry_price": "50000",
    "margin": "1000",
    "leverage": "10",
    "compare": ["bitmex", "offshore-broker-example"],
}


@pytest.fixture
def incidents(seeded):
    call_command("seed_incidents", verbosity=0)


def test_every_incident_has_a_cited_path_in_time_order(incidents):
    assert Incident.objects.count() == 10
    for incident in Incident.objects.all():
        points = list(incident.path.all())
        assert len(points) >= 2, incident.slug
        assert incident.path_note, incident.slug
        assert [p.minute for p in points] == sorted(p.minute for p in points)
        assert points[0].minute == 0
        for point in points:
            assert not missing_citations(point), str(point)
            assert all(c.url.startswith("http") and c.quote for c in point.citations.all())


def test_a_reset_seed_takes_the_paths_citations_with_it(incidents):
    before = PricePoint.objects.count()
    call_command("seed_incidents", reset=True, verbosity=0)
    assert PricePoint.objects.count() == before
    from platforms.models import Citation

    orphans = [c for c in Citation.objects.filter(field_name="price") if c.subject is None]
    assert not orphans


def _path_figure(response):
    import json

    figures = json.loads(response.context["figures_json"])
    return figures["path"]


def test_binance_may_2020_closes_where_the_path_was_then(client, incidents):
    # 9,535 → 8,100 (−15%): a 10x long is liquidated on the way down, at its own price
    response = client.get("/incidents/binance-may-2020/", LONG_10X)
    assert response.status_code == 200
    walked = response.context["walked"]
    binance = walked.rows[0]
    assert binance.liquidated and not binance.crossing.in_gap
    assert binance.evaluation.outcome.fill_price == binance.evaluation.liquidation_price
    bottom = Decimal(50000) * Decimal(8100) / Decimal(9535)
    assert binance.evaluation.outcome.fill_price > bottom + 1000
    assert binance.evaluation.outcome.deficit == 0
    figure = _path_figure(response)
    marks = [t for t in figure["data"] if t["name"].startswith("Closed on")]
    assert {t["name"] for t in marks} >= {"Closed on Binance"}
    close = next(t for t in marks if t["name"] == "Closed on Binance")
    on_path = float(binance.evaluation.liquidation_price) * 9535 / 50000
    assert (
        unpacked(close["y"])[0] == pytest.approx(on_path)
        if isinstance(close["y"], dict)
        else close["y"][0] == pytest.approx(on_path)
    )
    html = response.content.decode()
    assert "Your position along the crash as it unfolded" in html
    assert "The 2 published prices and their sources" in html
    assert "bravenewcoin.com/insights/binance-adds-30-million" in html
    # Binance's profile records partial liquidation: the page says the whole close is a bound
    assert binance.partial_liquidation
    assert "Binance liquidates in steps (partial liquidation)" in html


def test_a_jump_fills_past_bankruptcy_and_someone_pays(client, incidents):
    # EUR/CHF 1.20 → 0.85 with no trading on the way: every platform fills after the jump
    response = client.get("/incidents/eur-chf-2015/", LONG_10X)
    rows = response.context["walked"].rows
    assert all(row.crossing.in_gap for row in rows)
    for row in rows:
        outcome = row.evaluation.outcome
        assert outcome.deficit > 0
        assert parts_total(outcome) == outcome.deficit
    cfd = rows[2]
    assert cfd.evaluation.outcome.trader_owes > 0  # the illustrative broker bills the client
    assert "in the jump, min 5" in response.content.decode()


@pytest.mark.parametrize("side", ["long", "short"])
def test_nothing_is_lost_along_any_path(client, incidents, side):
    for incident in Incident.objects.all():
        response = client.get(incident.get_absolute_url(), {**LONG_10X, "side": side})
        assert response.status_code == 200
        for row in response.context["walked"].rows:
            assert not row.problem, (incident.slug, row.label, row.problem)
            outcome = row.evaluation.outcome
            assert parts_total(outcome) == outcome.deficit
            if row.crossing is None:
                assert not outcome.liquidated


def test_a_rise_does_not_hurt_a_long_and_the_page_says_so(client, incidents):
    response = client.get("/incidents/mango-markets-2022/", LONG_10X)
    assert not response.context["walked"].hurts
    assert "never moves against a long" in response.content.decode()
    short = client.get("/incidents/mango-markets-2022/", {**LONG_10X, "side": "short"})
    assert short.context["walked"].rows[0].liquidated


def test_bad_position_input_shows_no_path_and_no_error(client, incidents):
    response = client.get("/incidents/binance-may-2020/", {**LONG_10X, "leverage": "-3"})
    assert response.status_code == 200
    assert "walked" not in response.context
    assert "Fix the highlighted fields below" in response.content.decode()


def test_the_list_names_each_path(client, incidents):
    html = client.get("/incidents/").content.decode()
    assert html.count("published prices</span>") == 10
    assert "path: 5 published prices" in html  # BitMEX, Black Thursday


def test_a_first_visit_takes_the_side_the_crash_hurts(client, incidents):
    mango = client.get("/incidents/mango-markets-2022/")
    assert mango.context["walked"].hurts and mango.context["side_word"] == "short"
    binance = client.get("/incidents/binance-may-2020/")
    assert binance.context["side_word"] == "long"
    # a 10x short on 2 cents → 91 cents in 10 minutes goes within seconds: said in seconds
    assert mango.context["walked"].rows[0].when.endswith(" s in")
    chosen = client.get("/incidents/mango-markets-2022/", {**LONG_10X, "side": "long"})
    assert chosen.context["side_word"] == "long"  # the visitor's own choice wins


@pytest.mark.parametrize(
    "query",
    [
        {"platform": "aave"},
        {
            "platform": "binance",
            "contract": "inverse",
            "side": "short",
            "entry_price": "50000",
            "margin": "0.1",
            "leverage": "3",
        },
        {"platform": "binance", "margin_mode": "cross"},
        {"platform": "bitmex", "entry_price": "0.00000001", "margin": "1", "leverage": "100"},
        {
            "platform": "bybit",
            "entry_price": "1000000000000",
            "margin": "100000000",
            "leverage": "125",
            "side": "short",
        },
        {"platform": "hyperliquid", "side": "short", "leverage": "1", "margin": "1000"},
    ],
)
def test_odd_positions_walk_every_path_without_an_error(client, incidents, query):
    for incident in Incident.objects.all():
        response = client.get(incident.get_absolute_url(), query)
        assert response.status_code == 200, (incident.slug, query)
        body = response.content.decode()
        assert "NaN" not in body and "Infinity" not in body, (incident.slug, query)


def test_bitmexs_sourced_stall_is_stated_and_changes_no_fill_after_the_path(client, incidents):
    """BitMEX's DDoS outage of 13 March 2020 (02:16 UTC, about 25 minutes) is seeded with its
    sources; it starts after the path's last published price (02:00 UTC), and the page says so."""
    from incidents.models import EngineStall

    stall = EngineStall.objects.get(incident__slug="bitmex-black-thursday-2020")
    assert (stall.platform.slug, stall.start_minute, stall.minutes) == ("bitmex", 976, 25)
    assert {c.field_name for c in stall.citations.all()} >= {"start_minute", "minutes"}
    query = {**LONG_10X, "platform": "bitmex"}
    response = client.get("/incidents/bitmex-black-thursday-2020/", query)
    html = response.content.decode()
    assert "BitMEX's liquidation engine could not act from 13 Mar 2020 02:16 UTC" in html
    assert "This starts after the path's last published price, so it changes no fill here." in html
    assert "blog.bitmex.com/how-we-are-responding-to-last-weeks-ddos-attacks" in html
    assert not any(row.crossing and row.crossing.delayed for row in response.context["walked"].rows)
    body = client.get("/api/v1/stress", {**query, "incident": "bitmex-black-thursday-2020"}).json()
    (api_stall,) = body["path"]["engine_stalls"]
    assert api_stall["after_path"] is True and api_stall["minutes"] == "25"
    assert api_stall["start_minute"] == "976" and api_stall["sources"]


def test_a_liquidation_reached_during_a_stall_fills_when_the_engine_returns(client, incidents):
    """A stall inside the path (test data): the 10x long reached at minute 6.3 fills at minute
    8, where the path is lower, on the page and in the API alike."""
    from decimal import Decimal

    from incidents.models import EngineStall, Incident
    from platforms.models import Platform

    incident = Incident.objects.get(slug="binance-may-2020")
    EngineStall.objects.create(
        incident=incident,
        platform=Platform.objects.get(slug="binance"),
        start_minute=Decimal(5),
        minutes=Decimal(3),
        what="test",
    )
    response = client.get("/incidents/binance-may-2020/", LONG_10X)
    binance = response.context["walked"].rows[0]
    assert binance.crossing.delayed and binance.crossing.minute == 8
    # 9,535 → 8,100 over 10 minutes: at minute 8 the path is at 8,387, from the entry 43,981
    expected = Decimal(50000) * (Decimal(9535) - Decimal("0.8") * 1435) / Decimal(9535)
    assert abs(binance.evaluation.outcome.fill_price - expected) < Decimal("1e-20")
    assert binance.evaluation.outcome.fill_price < binance.evaluation.liquidation_price
    html = response.content.decode()
    assert "(when its liquidation engine acted again, after a stall)" in html
    assert "We assume a liquidation the path reaches meanwhile is filled when the engine" in html
    body = client.get("/api/v1/stress", {**LONG_10X, "incident": "binance-may-2020"}).json()
    api = body["path"]["platforms"][0]
    assert api["engine_delayed"] is True and api["liquidation_minute"].startswith("8")
    assert api["stalled_at_end"] is False
    # a stall that outlasts the path: reached, no known fill, said so
    EngineStall.objects.filter(incident=incident).update(minutes=Decimal(30))
    late = client.get("/incidents/binance-may-2020/", LONG_10X)
    row = late.context["walked"].rows[0]
    assert row.crossing is None and row.stalled_at_end
    assert "still stalled when the path ends" in late.content.decode()
