"""Values that are not numbers at all reach the engine as an EngineInputError, never a crash."""

from decimal import Decimal

import pytest

from engine import EngineInputError, Position, Rules, evaluate


@pytest.mark.parametrize("rate", [Decimal("sNaN"), Decimal("NaN"), Decimal("Infinity")])
def test_non_finite_maintenance_rate_is_an_input_error(rate):
    position = Position(
        contract="linear",
        side="long",
        entry_price=Decimal(1),
        quantity=Decimal(1),
        leverage=Decimal(1),
    )
    with pytest.raises(EngineInputError):
        evaluate(position=position, rules=Rules(maintenance_margin_rate=rate))
