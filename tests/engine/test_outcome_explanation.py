"""`Outcome.explanation` is written on first read; to its readers it is a plain attribute."""

import dataclasses
import pickle
from decimal import ROUND_UP, Context, localcontext
from decimal import Decimal as D

import pytest

from engine import (
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


def test_an_inverse_sentence_states_margin_and_deficit_in_coin():
    """BitMEX XBTUSD (https://www.bitmex.com/app/inversePerpetualsGuide): "Margin and PNL are
    denominated in Bitcoin", PnL = contracts × 1 USD × (1/entry − 1/exit). 0.1 XBT at 20× from
    30,000 is 60,000 contracts; the deficit at the fill is 60,000 × (1/fill − 1/30,000) − 0.1."""
    position = Position(
        contract=Contract.INVERSE,
        side=Side.LONG,
        entry_price=D(30000),
        margin=D("0.1"),
        leverage=D(20),
    )
    rules = Rules(maintenance_margin_rate=D("0.004"))  # no protection: the trader owes it all
    outcome = evaluate(position=position, rules=rules, scenario=Scenario(gap=D("0.1"))).outcome
    in_coin = 60000 * (1 / outcome.fill_price - 1 / D(30000)) - D("0.1")
    coin_text = f"{in_coin.quantize(D('1e-8'))}".rstrip("0")
    dollars = f"${outcome.deficit:,.2f}"
    assert (
        f"your 0.1 coin margin is gone and the remaining {coin_text} coin ({dollars}) deficit "
        f"is paid by you, as a debt to the platform, so you owe {coin_text} coin ({dollars})."
    ) in outcome.explanation


def test_sentences_write_minus_as_the_page_does_and_never_on_a_rounded_zero():
    from engine.scenario import coin, money

    assert money(D("-1234.5")) == "−$1,234.50"
    assert money(D("-0.004")) == "$0.00"
    assert coin(D("-0.5")) == "−0.5 coin"
    assert coin(D("-0.000000001")) == "0 coin"


@pytest.mark.parametrize(
    ("fill", "sentence"),
    [
        # $1,000 at 20x long from $60,000 is 1/3 BTC: liquidated by $57,000, so a fill at
        # $50,000 is $3,333.33 of loss, $2,333.33 past the margin.
        (D(50000), "The price reached $50,000.00 and the position was liquidated there; "),
        # $59,400 is 1% down: 1/3 BTC x $600 = $200 lost, $800 left.
        (D(59400), "The price reached $59,400.00, your position is not liquidated and is worth"),
    ],
)
def test_an_exact_fill_price_reads_as_a_sentence(fill, sentence):
    outcome = evaluate(position=POSITION, rules=RULES, scenario=Scenario(fill_price=fill)).outcome
    assert outcome.explanation.startswith(sentence)


def test_an_uncovered_deficit_is_not_called_nothing_owed():
    # A waterfall that names nobody past the insurance fund's $100: the rest is not the
    # trader's debt by any rule, nor anyone's promise.
    rules = Rules(
        maintenance_margin_rate=D("0.004"),
        waterfall=(CoverageStep(Party.INSURANCE_FUND, D(100)), CoverageStep(Party.UNCOVERED)),
    )
    outcome = evaluate(position=POSITION, rules=rules, scenario=Scenario(gap=D("0.05"))).outcome
    assert outcome.trader_owes == 0
    assert outcome.explanation.endswith("may be claimed from you.")
    assert "so you owe nothing" not in outcome.explanation


def test_a_zero_gap_reads_as_reaching_the_liquidation_price():
    # Liquidated exactly at the liquidation price: 1/3 BTC there is $19,076.31, whose 1.25%
    # liquidation fee ($238.45) is more than the 0.4% maintenance left ($76.31): nothing remains.
    outcome = evaluate(position=POSITION, rules=RULES, scenario=Scenario(gap=D(0))).outcome
    assert outcome.explanation.startswith(
        "The price reached your liquidation price ($57,228.92) and the position was liquidated"
    )
    assert outcome.explanation.endswith("nothing is left of your margin, and you owe nothing.")
