"""The chance page answers a position the engine refuses only at the simulated prices."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_position_the_engine_cannot_close_is_explained_not_a_500(client, seeded):
    # a dust-sized loan: its outcome table has no price the engine can evaluate (the API's
    # contract test found the same in /api/v1/simulate)
    page = client.get(
        "/incidents/chance/",
        {
            "contract": "loan",
            "collateral": "1e-18",
            "debt": "1e-18",
            "entry_price": "1e-18",
            "liquidation_threshold": "1e-18",
        },
    )
    assert page.status_code == 200
    assert "results" not in page.context
    assert "Entry price: No closing price could be evaluated." in page.content.decode()
