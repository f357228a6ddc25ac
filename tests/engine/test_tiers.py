"""The tier schedule used is always the one in the rules asked about, however often it is asked."""

from decimal import Decimal as D

from calculator.engine import Rules, Tier, maintenance_amounts_from_rates
from calculator.engine.tiers import bands_for

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
