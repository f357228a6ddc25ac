"""The admin's tier-table messages are shown only when they are true: a row with its own error
(here: a rate above 1) is not left out and then blamed on its neighbours."""

import pytest
from django.urls import reverse

from tests.platforms import factories
from tests.platforms.admin_forms import add_inline_row, form_data

pytestmark = pytest.mark.django_db

ROW = {"symbol": "BTCUSDT", "effective_date": "2021-03-18", "max_leverage": "100"}


def post_tiers(client, rows):
    line = factories.product_line(factories.platform())
    url = reverse("admin:platforms_productline_change", args=[line.pk])
    data = form_data(client.get(url))
    for row in rows:
        add_inline_row(data, "tiers", {**ROW, "maintenance_amount": "0", **row})
    response = client.post(url, data)
    assert response.status_code == 200  # refused
    return response.content.decode()


def test_a_bad_first_row_gets_its_own_message_not_the_first_tier_must_start_at_0(staff_client):
    html = post_tiers(
        staff_client,
        [
            {"notional_floor": "0", "notional_cap": "50000", "maintenance_margin_rate": "1.5"},
            {"notional_floor": "50000", "notional_cap": "", "maintenance_margin_rate": "0.005"},
        ],
    )
    assert "Ensure this value is less than or equal to 0.999999" in html
    assert "the first tier must start at a notional of 0" not in html


def test_a_table_that_really_starts_above_0_still_says_so(staff_client):
    html = post_tiers(
        staff_client,
        [
            {"notional_floor": "100", "notional_cap": "50000", "maintenance_margin_rate": "0.004"},
            {"notional_floor": "50000", "notional_cap": "", "maintenance_margin_rate": "0.005"},
        ],
    )
    assert "BTCUSDT: the first tier must start at a notional of 0." in html
