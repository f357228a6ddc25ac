"""The tier schedule used is always the one in the rules asked about, however often it is asked."""

from dataclasses import replace
from decimal import Decimal as D

import pytest

from engine import EngineInputError, Rules, Tier, maintenance_amounts_from_rates
from engine.tiers import band_index, bands_for

TIERS = maintenance_amounts_from_rates(
    tiers=(
        Tier(D(0), D(50_000), D("0.004")),
        Tier(D(50_000), None, D("0.005")),
    )
)


def test_the_same_rules_give_the_same_bands():
    rules = Rules(tiers=TIERS)
    assert bands_for(rules=rules) == bands_for(rules=rules)
    assert [band[2] for band in bands_for(rules=rules)] == [D("0.004"), D("0.005")]


def test_other_rules_right_after_give_their_own_bands():
    tiered = Rules(tiers=TIERS)
    flat = Rules(tiers=TIERS, maintenance_margin_rate=D("0.02"))
    from_leverage = Rules(tiers=TIERS, mmr_from_max_leverage=True, max_leverage=D(50))
    other_tiers = Rules(tiers=TIERS[:1])
    for _ in range(2):
        assert [band[2] for band in bands_for(rules=tiered)] == [D("0.004"), D("0.005")]
        assert [band[2] for band in bands_for(rules=flat)] == [D("0.02")]
        assert [band[2] for band in bands_for(rules=from_leverage)] == [D("0.01"), D("0.01")]
        assert len(bands_for(rules=other_tiers)) == 1


# Bitget, "Bitget to update maintenance margin calculation for classic account futures"
# (https://www.bitget.cloud/support/articles/12560603841952, 2025-11-07): "Maintenance margin =
# 200,000 × (0.40% + 0.06%) + (330,000 − 200,000) × (0.50% + 0.06%) = 920 + 728 = 1648 USDT",
# "0.06% represents the transaction fee rate". Tiers as published (0.40%, 0.50%).
BITGET = Rules(
    tiers=maintenance_amounts_from_rates(
        tiers=(Tier(D(0), D(200_000), D("0.004")), Tier(D(200_000), D(1_000_000), D("0.005")))
    ),
    taker_fee=D("0.0006"),
    taker_fee_in_maintenance=True,
)


def _maintenance(rules: Rules, notional: D) -> D:
    bands = bands_for(rules=rules)
    _floor, _cap, rate, amount, _lev = bands[band_index(bands, notional)]
    return notional * rate - amount


def test_a_taker_fee_counted_in_maintenance_gives_bitgets_worked_example():
    assert _maintenance(BITGET, D(330_000)) == D(1648)
    # the same tiers without the fee: 200,000 × 0.40% + 130,000 × 0.50%
    assert _maintenance(replace(BITGET, taker_fee_in_maintenance=False), D(330_000)) == D(1450)


def test_the_fee_follows_the_visitors_taker_fee_and_a_typed_rate():
    vip = replace(BITGET, taker_fee=D("0.0004"))
    assert [band[2] for band in bands_for(rules=vip)] == [D("0.0044"), D("0.0054")]
    flat = replace(BITGET, maintenance_margin_rate=D("0.01"))
    assert [band[2] for band in bands_for(rules=flat)] == [D("0.0106")]


def test_without_a_published_rate_the_fee_alone_is_no_maintenance():
    # no tiers and no rate: liquidation at bankruptcy, as for any line without a rate
    bare = Rules(taker_fee=D("0.0006"), taker_fee_in_maintenance=True)
    assert [band[2] for band in bands_for(rules=bare)] == [D(0)]


def test_a_fee_that_takes_a_rate_to_100_percent_is_refused_on_the_fee():
    steep = replace(BITGET, tiers=(Tier(D(0), None, D("0.6")),), taker_fee=D("0.5"))
    with pytest.raises(EngineInputError) as caught:
        bands_for(rules=steep)
    assert caught.value.field == "taker_fee"
