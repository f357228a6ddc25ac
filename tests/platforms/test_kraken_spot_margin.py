"""Kraken's spot margin from its seeded profile: the page and the API give Kraken's own figure.

Kraken Support, "Margin call level and margin liquidation level"
(https://support.kraken.com/hc/en-us/articles/203325763-Margin-call-level-and-margin-liquidation-level,
read on a stored copy, no date on the page): 1 BTC bought with 5:1 leverage at 20,000 USD, trade
balance 10,000 USD, "Used Margin - 4,000 USD", "Current Margin Level - 250%"; the margin call
price at 80% is "approximately 13,200 USD"; "The margin liquidation level is approximately 40%".
Kraken, "How leverage works in spot transactions on margin" (article 203053116): "margin level is
your equity divided by used margin". So liquidation at 40% is where
10,000 + (P − 20,000) = 0.40 × 4,000, P = 11,600 (the old assets / debt reading, 1.08, gave 10,800).
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from platforms.models import ProductLine
from tests.platforms import factories
from tests.platforms.admin_forms import form_data

EXAMPLE = {
    "platform": "kraken",
    "contract": "spot_margin",
    "side": "long",
    "entry_price": "20000",
    "quantity": "1",
    "margin": "10000",
}


@pytest.mark.django_db
def test_kraken_seed_stores_its_published_level_and_leverage(seeded):
    line = ProductLine.objects.get(platform__slug="kraken", contract="spot_margin")
    assert line.liquidation_margin_level == Decimal("0.40")
    assert line.used_margin_leverage == 5
    cited = set(line.citations.values_list("field_name", flat=True))
    assert {"liquidation_margin_level", "used_margin_leverage"} <= cited


@pytest.mark.django_db
def test_the_api_gives_krakens_liquidation_price(client, seeded):
    body = client.get("/api/v1/evaluate", EXAMPLE).json()
    assert Decimal(body["liquidation_price"]) == 11600
    assert Decimal(body["margin_level"]) == Decimal("2.5")  # Kraken's "250%"
    assert Decimal(body["notional"]) == 20000
    # equity 0 (the deposit gone) when 10,000 + (P − 20,000) = 0
    assert Decimal(body["bankruptcy_price"]) == 10000


@pytest.mark.django_db
def test_the_page_gives_krakens_liquidation_price(client, seeded):
    response = client.get("/", EXAMPLE)
    assert response.status_code == 200
    assert response.context["evaluation"].liquidation_price == 11600
    page = response.content.decode()
    assert '<dd data-testid="liquidation-price">$11,600.00</dd>' in page
    assert "margin level = equity / used margin; used margin = position cost / 5" in page
    assert "liquidated when margin level ≤ 40%" in page
    assert "at entry: 250%" in page


@pytest.mark.django_db
def test_a_typed_level_is_read_as_kraken_reads_it(client, seeded):
    # Same article: "for your margin level to drop to 80%, the price of BTC would have to fall
    # to approximately 13,200 USD": 10,000 + (P − 20,000) = 0.80 × 4,000.
    body = client.get("/api/v1/evaluate", {**EXAMPLE, "liquidation_margin_level": "0.8"}).json()
    assert Decimal(body["liquidation_price"]) == 13200


@pytest.mark.django_db
def test_below_one_is_refused_where_the_level_is_assets_over_debt(client, seeded):
    binance = {**EXAMPLE, "platform": "binance", "leverage": "3", "quantity": ""}
    response = client.get("/api/v1/evaluate", {**binance, "liquidation_margin_level": "0.8"})
    assert response.status_code == 400
    assert "must be more than 1" in response.json()["errors"]["liquidation_margin_level"][0]
    custom = {k: v for k, v in binance.items() if k != "platform"}
    response = client.get("/api/v1/evaluate", {**custom, "liquidation_margin_level": "1"})
    assert response.status_code == 400
    assert "must be more than 1" in response.json()["errors"]["liquidation_margin_level"][0]


@pytest.mark.django_db
def test_a_level_below_one_needs_a_used_margin_leverage():
    owner = factories.platform(slug="margin-co")
    line = factories.product_line(
        owner,
        save=False,
        slug="margin",
        contract="spot_margin",
        liquidation_margin_level=Decimal("0.4"),
    )
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert "must be above 1" in str(error.value.message_dict["liquidation_margin_level"])
    line.used_margin_leverage = Decimal(5)
    line.full_clean()


@pytest.mark.django_db
def test_the_admin_edits_the_used_margin_leverage(staff_client):
    line = factories.product_line(
        factories.platform(slug="margin-co"),
        slug="margin",
        contract="spot_margin",
        liquidation_margin_level=Decimal("1.1"),
    )
    url = reverse("admin:platforms_productline_change", args=[line.pk])
    data = form_data(staff_client.get(url))
    data["liquidation_margin_level"] = "0.4"
    refused = staff_client.post(url, data)
    assert refused.status_code == 200
    assert "must be above 1" in str(refused.context["adminform"].form.errors)
    data["used_margin_leverage"] = "5"
    assert staff_client.post(url, data).status_code == 302
    line.refresh_from_db()
    assert (line.liquidation_margin_level, line.used_margin_leverage) == (Decimal("0.4"), 5)
