"""The platforms app stores the engine's words: every engine value is a stored choice."""

import engine
from platforms import choices


def test_the_stored_choices_speak_the_engines_vocabulary():
    assert set(choices.Contract.values) == {c.value for c in engine.Contract}
    assert set(choices.Party.values) == {p.value for p in engine.Party}
    assert set(choices.MaintenanceBasis.values) == {b.value for b in engine.MaintenanceBasis}
    # A profile may also describe portfolio accounts and products without a margin mode; the
    # engine prices the first as cross margin (calculator.example) and needs no mode for loans.
    assert set(choices.MarginMode.values) == {m.value for m in engine.MarginMode} | {
        "portfolio",
        "n/a",
    }
