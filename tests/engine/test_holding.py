"""A month's holding cost at the current rates (engine/holding.py)."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from engine import Rules, Side
from engine.holding import HOURS_IN_A_MONTH, holding_cost

rates = st.decimals(min_value=Decimal("-0.01"), max_value=Decimal("0.01"), places=6)
fees = st.decimals(min_value=Decimal(0), max_value=Decimal("0.01"), places=5)
notionals = st.decimals(min_value=Decimal(1), max_value=Decimal("1e9"), places=2)
intervals = st.sampled_from([Decimal(1), Decimal(4), Decimal(8)])


@given(rates, fees, notionals, intervals)
def test_a_long_pays_what_a_short_receives_and_fees_are_a_round_trip(rate, fee, notional, hours):
    rules = Rules(funding_rate=rate, taker_fee=fee, funding_interval_hours=hours)
    long = holding_cost(rules=rules, side=Side.LONG, notional=notional)
    short = holding_cost(rules=rules, side=Side.SHORT, notional=notional)
    assert long.funding == -short.funding
    assert long.fees == short.fees == 2 * fee * notional
    assert long.funding == rate * HOURS_IN_A_MONTH / hours * notional
    assert long.total == long.funding + long.fees


def test_hourly_funding_of_a_hundredth_of_a_percent_for_a_month():
    # 0.01% an hour on $10,000 for 720 hours: $720; no fee
    rules = Rules(funding_rate=Decimal("0.0001"), funding_interval_hours=Decimal(1))
    cost = holding_cost(rules=rules, side=Side.LONG, notional=Decimal(10000))
    assert cost.funding == Decimal(720) and cost.fees == 0


def test_no_rate_costs_nothing():
    cost = holding_cost(rules=Rules(), side=Side.SHORT, notional=Decimal(5000))
    assert cost.funding == 0 and cost.fees == 0
