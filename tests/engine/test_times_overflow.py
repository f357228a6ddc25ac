"""A leverage too large to show in cents is written whole, never a 500 (Schemathesis found
`margin=2.26787e-13` with `quantity=365` at `entry_price=1e12` on /api/v1/evaluate)."""

from decimal import Decimal

from engine.scenario import times


def test_a_leverage_beyond_the_context_is_written_whole():
    assert times(Decimal("1.6093E+27")) == "1,609,300,000,000,000,000,000,000,000x"


def test_ordinary_leverages_are_unchanged():
    assert [times(Decimal(v)) for v in ("10", "2.50", "50000", "100")] == [
        "10x",
        "2.5x",
        "50,000x",
        "100x",
    ]
