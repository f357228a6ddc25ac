"""Who pays, completely, on the page, in the widget and in the API: ADL from the winner's side,
the insurance fund beside the deficit, and the law where the visitor trades from."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from whopays.models import AdlRule, FundBalance

pytestmark = pytest.mark.django_db

POSITION = {"entry_price": "50000", "margin": "1000", "leverage": "10", "gap": "0.05"}


def evaluate(client, **query):
    response = client.get("/api/v1/evaluate", {**POSITION, **query})
    assert response.status_code == 200, response.content
    return response.json()


def test_adl_keeps_and_costs_add_up_and_the_rank_is_not_guessed(client, who_pays):
    body = evaluate(client, platform="bybit")
    adl = body["adl"]
    assert adl["rank"] is None and "does not publish" in adl["rank_note"]
    assert adl["score"] is None and adl["scored_by_formula"] is False  # Bybit's formula: not ours
    for side in ("yours", "other_side"):
        close = {k: D(v) for k, v in adl[side].items() if k not in ("side",)}
        assert close["kept"] + close["cost"] == close["profit"]
        assert min(close["kept"], close["cost"], close["profit"]) >= 0
    # the trader opposite the visitor's loss gives up exactly the deficit: ADL at the
    # visitor's bankruptcy price (Bybit), market at the visitor's fill
    assert D(adl["other_side"]["cost"]) == D(body["outcome"]["deficit"])
    assert adl["other_side"]["close_price"] == body["bankruptcy_price"]
    assert f"leave you ${D(adl['yours']['kept']):,.2f}" in adl["sentence"]
    assert adl["citations"] and all(c["quote"] for c in adl["citations"])


def test_bitmex_score_is_its_published_formula(client, who_pays):
    adl = evaluate(client, platform="bitmex", contract="linear")["adl"]
    assert adl["scored_by_formula"] is True
    pnl, leverage = D(adl["pnl_fraction"]), D(adl["effective_leverage"])
    assert abs(D(adl["score"]) - pnl * leverage) < D("0.00001")


def test_mark_price_adl_keeps_the_profit_so_far(client, who_pays):
    adl = evaluate(client, platform="okx")["adl"]
    assert adl["close_price_rule"] == "mark_price"
    assert adl["yours"]["cost"] == "0" and "position is gone" in adl["sentence"]


def test_hyperliquid_rank_could_be_computed_but_is_not(client, who_pays):
    adl = evaluate(client, platform="hyperliquid")["adl"]
    assert adl["rank"] is None and "public on-chain" in adl["rank_note"]


def test_no_adl_for_loans_or_custom_rules(client, who_pays):
    assert evaluate(client)["adl"] is None  # custom rules: no platform
    loan = client.get(
        "/api/v1/evaluate",
        {
            "platform": "aave",
            "contract": "loan",
            "entry_price": "3000",
            "collateral": "10",
            "debt": "10000",
            "crash": "0.5",
        },
    ).json()
    assert loan["adl"] is None


def test_fund_counts_deficits_like_yours_and_names_the_next_step(client, who_pays):
    body = evaluate(client, platform="binance")
    fund = body["insurance_fund"]
    newest = FundBalance.objects.filter(fund__platform__slug="binance").first()
    deficit = D(body["outcome"]["deficit"])
    assert fund["deficits_covered"] == int(newest.amount // deficit)
    assert fund["balance_as_of"] == newest.as_of.isoformat()
    # a year or more before today: said to be old (the newest seeded balance is October 2025)
    assert fund["balance_is_old"] is (timezone.localdate() - newest.as_of > dt.timedelta(days=365))
    assert fund["next_step"] == "Auto-deleveraging of profitable traders"
    assert ("it is old" in fund["sentence"]) is fund["balance_is_old"]


def test_fund_in_coin_is_not_divided_by_dollars(client, who_pays):
    fund = evaluate(client, platform="bitmex", contract="linear")["insurance_fund"]
    assert fund["currency"] == "BTC" and fund["deficits_covered"] is None


def test_jurisdiction_only_when_asked_and_named_with_its_uncertainty(client, who_pays):
    assert evaluate(client, platform="bybit")["jurisdiction"] is None
    law = evaluate(client, platform="bybit", residence="eu")["jurisdiction"]
    assert law["protection"] == "likely" and law["leverage_cap"] == "2"
    assert law["margin_close_out"] == "0.5" and law["uncertainty"]
    assert law["applies"] is False  # an offshore exchange's account: not ESMA's protection
    assert "ESMA" in law["headline"]
    dates = {c["source_date"] for c in law["citations"]}
    assert "2026-02-24" in dates


def test_a_regulated_retail_cfd_account_is_protected_in_the_eu(client, who_pays):
    law = evaluate(
        client,
        platform="esma-fca-retail-cfd",
        margin_mode="cross",
        wallet_balance="1000",
        margin="",
        residence="eu",
    )["jurisdiction"]
    assert law["applies"] is True


def test_a_platform_that_excludes_us_residents_says_so(client, who_pays):
    law = evaluate(client, platform="bitmex", contract="linear", residence="us")["jurisdiction"]
    assert law["platform_serves"] is False
    assert any("exclude" in s for s in law["sentences"])
    assert "zero out negative balances" in law["headline"]


def test_uk_retail_is_banned_and_professional_is_not(client, who_pays):
    retail = evaluate(client, platform="bybit", residence="uk")["jurisdiction"]
    assert retail["protection"] == "banned" and retail["in_force_from"] == "2021-01-06"
    pro = evaluate(client, platform="bybit", residence="uk", client_class="professional")
    assert pro["jurisdiction"]["protection"] == "not_required"


@pytest.mark.parametrize(
    "field, value", [("residence", "mars"), ("client_class", "whale"), ("residence", "EU ")]
)
def test_bad_choices_are_field_errors(client, who_pays, field, value):
    response = client.get("/api/v1/evaluate", {**POSITION, "platform": "bybit", field: value})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_page_shows_the_cards_and_the_selects(client, who_pays):
    page = client.get("/", {**POSITION, "platform": "bybit", "residence": "eu"})
    html = page.content.decode()
    assert page.status_code == 200
    for anchor in ('id="adl"', 'id="jurisdiction"', 'id="insurance-fund"', 'id="id_residence"'):
        assert anchor in html
    assert '<option value="eu" selected>' in html
    story = page.context["who_pays_in_full"]
    assert story.adl.sentence in html.replace("&#x27;", "'")


def test_widget_has_one_adl_line(client, who_pays):
    html = client.get("/embed/", {**POSITION, "platform": "bybit"}).content.decode()
    assert html.count('id="uw-adl"') == 1


def test_editing_a_rule_in_the_admin_reaches_the_answer(client, who_pays):
    before = evaluate(client, platform="bitmex", contract="linear")["adl"]["sentence"]
    rule = AdlRule.objects.get(platform__slug="bitmex")
    rule.close_price = "mark_price"
    rule.full_clean()
    rule.save()
    after = evaluate(client, platform="bitmex", contract="linear")["adl"]
    assert after["close_price_rule"] == "mark_price" and after["sentence"] != before


@pytest.mark.parametrize(
    "query",
    [
        {
            "platform": "hyperliquid",
            "entry_price": "0.0001",
            "margin": "1",
            "leverage": "50",
            "crash": "1",
        },
        {
            "platform": "bybit",
            "entry_price": "50000",
            "margin": "1000",
            "leverage": "1",
            "gap": "0.05",
        },
        {
            "platform": "bybit",
            "entry_price": "50000",
            "margin": "1000",
            "leverage": "0.5",
            "crash": "0.9",
        },
        {
            "platform": "bitmex",
            "contract": "inverse",
            "entry_price": "50000",
            "margin": "0.02",
            "leverage": "1",
            "side": "short",
            "crash": "0.5",
        },
        {
            "platform": "bybit",
            "entry_price": "50000",
            "margin": "1000",
            "leverage": "100",
            "side": "short",
            "crash": "50",
        },
        {
            "platform": "okx",
            "entry_price": "50000",
            "margin": "1000",
            "leverage": "10",
            "fill_price": "60000",
            "residence": "other",
        },
    ],
)
def test_edge_positions_answer_without_a_server_error(client, who_pays, query):
    response = client.get("/api/v1/evaluate", query)
    assert response.status_code == 200, response.content[:300]
    adl = response.json()["adl"]
    for side in ("yours", "other_side"):
        if adl and adl[side]:
            close = adl[side]
            assert D(close["kept"]) + D(close["cost"]) == D(close["profit"])


def test_the_answer_names_the_protection_where_you_live(client, who_pays):
    regulated = client.get(
        "/",
        {
            "platform": "esma-fca-retail-cfd",
            "margin_mode": "cross",
            "wallet_balance": "1000",
            "leverage": "2",
            "entry_price": "50000",
            "gap": "0.05",
            "residence": "eu",
        },
    )
    line = regulated.context["answer"].details[-1]
    assert "cannot lose more than your deposit: ESMA, 2018" in line
    offshore = client.get("/", {**POSITION, "platform": "bybit", "residence": "eu"})
    assert "does not protect you here" in offshore.context["answer"].details[-1]
    excluded = evaluate(client, platform="bitmex", contract="linear", residence="us")
    assert "exclude clients living in United States" in excluded["jurisdiction"]["summary"]
    unsaid = client.get("/", {**POSITION, "platform": "bybit"}).context["answer"].details
    assert not any("deposit: ESMA" in d or "protect you here" in d for d in unsaid)
