"""`Outcome.explanation` is written on first read; to its readers it is a plain attribute."""

import dataclasses
import pickle
from decimal import ROUND_UP, Context, localcontext
from decimal import Decimal as D

import pytest

from calculator.engine import (
    Contract,
    CoverageStep,
    Party,
    Position,
    Rules,
    Scenario,
    Side,
    evaluate,
)

POSITION = Position(
    contract=Contract.LINEAR,
    side=Side.LONG,
    entry_price=D(60000),
    margin=D(1000),
    leverage=D(20),
)
RULES = Rules(
    maintenance_margin_rate=D("0.004"),
    liquidation_fee=D("0.0125"),
    waterfall=(
        CoverageStep(Party.INSURANCE_FUND, D(100)),
        CoverageStep(Party.AUTO_DELEVERAGING),
    ),
)
# the engine's sentence for this case before it was made lazy (liquidation at 57,228.92)
SENTENCE = (
    "The price gapped 5% past your liquidation price to $54,367.47 and the position was "
    "liquidated there; your $1,000.00 margin is gone and the remaining $877.51 deficit is paid "
    "$100.00 by the insurance fund, $777.51 by auto-deleveraging of profitable traders, so you "
    "owe nothing."
)


def _outcome():
    return evaluate(position=POSITION, rules=RULES, scenario=Scenario(gap=D("0.05"))).outcome


def test_the_sentence_is_a_plain_string_attribute():
    outcome = _outcome()
    assert outcome.explanation == SENTENCE
    assert type(outcome.explanation) is str
    assert outcome.explanation is outcome.explanation  # written once, then kept
    assert "explanation" in outcome.__slots__
    assert "explanation" in {field.name for field in dataclasses.fields(outcome)}


def test_reading_it_outside_the_engine_context_gives_the_same_text():
    with localcontext(Context(prec=3, rounding=ROUND_UP)):
        assert _outcome().explanation == SENTENCE


def test_repr_equality_hash_pickle_and_replace_see_the_text():
    first, second = _outcome(), _outcome()
    assert SENTENCE in repr(first)
    assert first == second
    assert hash(first) == hash(second)
    assert pickle.loads(pickle.dumps(first)).explanation == SENTENCE
    assert dataclasses.replace(first, deficit=D(0)).explanation == SENTENCE
    assert dataclasses.asdict(first)["explanation"] == SENTENCE


def test_the_outcome_stays_frozen():
    outcome = _outcome()
    with pytest.raises(dataclasses.FrozenInstanceError):
        outcome.explanation = "something else"  # type: ignore[misc]
