"""Worked examples: a scenario as the calculator's query string, and the engine's answer to it.

An example's numbers come from its query alone, through `calculator.results.evaluate_form`: the
same path as the calculator page and the API, so the link under an example
opens exactly the scenario its numbers describe. Nothing here does maths; it only words numbers.

Every number a Learn page shows is tagged: an engine result as `<span class="fact">`, an input
of the example as `<span class="given">` (templates/learn/_fact.html and _given.html), each with
the raw value, so the tests can hold the prose to the engine and to the example's own link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from api.serializers import evaluation_dict
from calculator.explanation import explanation
from calculator.formatting import current, localize, money, pct, times
from calculator.forms import ScenarioForm
from calculator.results import evaluate_form
from engine import Evaluation, Rules, Scenario
from platforms.choices import Party
from platforms.profiles import ResolvedProfile

PARTY_LABELS = dict(Party.choices)

# How each engine number reads on the page: paths are those of the API's JSON.
_PERCENT = {"distance_to_liquidation", "maintenance_margin_rate"}
_TIMES = {"leverage"}
# How each input reads: form field names.
_INPUT_PERCENT = {"crash", "gap", "maintenance_margin_rate", "funding_rate"}
_INPUT_PLAIN = {"quantity", "holding_hours"}
_INPUT_WORDS = {
    "platform",
    "contract",
    "side",
    "margin_mode",
    "guaranteed_stop",
    "insurance_fund_depleted",
}


def _dollars(value: Decimal) -> str:
    """calculator.formatting.money, written as a sentence writes a whole amount: "$5,000",
    "5 000 $" in Russian (the cents dropped in the locale's own decimal mark)."""
    text = money(value)
    if value != value.to_integral_value():
        return text
    numbers = current()
    head, cents, tail = text.rpartition(f"{numbers.decimal if numbers else '.'}00")
    return head + tail if cents and not any(char.isdigit() for char in tail) else text


def format_value(path: str, raw: str | None) -> str:
    """The text a reader sees for an API value: "$45,180.72", "9.64%", "10×"."""
    if raw is None:
        return "—"
    value = Decimal(raw)
    if path in _PERCENT:
        return pct(value)
    if path in _TIMES:
        return times(value)
    return _dollars(value)


def format_input(name: str, raw: str) -> str:
    """An example's input as a reader writes it: "$5,000", "2×", "50%", "0.01%", "720"."""
    if name in _INPUT_PERCENT:
        return pct(Decimal(raw), 4)
    if name == "leverage":
        return times(Decimal(raw))
    if name in _INPUT_PLAIN:
        return localize(f"{Decimal(raw):f}")
    if name in _INPUT_WORDS:
        return raw
    return _dollars(Decimal(raw))


@dataclass(frozen=True)
class Fact:
    """One engine number on the page, tagged so a test can check it against the API."""

    example: str
    path: str
    raw: str | None

    @property
    def text(self) -> str:
        return format_value(self.path, self.raw)

    def __str__(self) -> SafeString:
        # Templates call str() before escaping, so the tagged HTML is the string form: prose
        # writes {{ w.f.liquidation_price }} (a plain variable, which translation can carry).
        return render_to_string("learn/_fact.html", {"fact": self})


@dataclass(frozen=True)
class Given:
    """One input of an example as prose states it, tagged so a test can find it in the link."""

    example: str
    name: str
    raw: str

    @property
    def text(self) -> str:
        return format_input(self.name, self.raw)

    def __str__(self) -> SafeString:
        return render_to_string("learn/_given.html", {"given": self})


@dataclass(frozen=True)
class Example:
    """A scenario as the calculator's query string (ordered, so links read naturally).

    `title` is a format string over the example's inputs and results ("{margin} at
    {leverage}, and a {crash} fall"), so a title states no number of its own; it is a lazy
    translation, so each language words the same placeholders its own way.
    """

    key: str
    title: Any
    query: tuple[tuple[str, str], ...]
    compare: tuple[str, ...] = ()

    @property
    def fields(self) -> dict[str, str]:
        return dict(self.query)

    @property
    def link(self) -> str:
        pairs = list(self.query) + [("compare", slug) for slug in self.compare]
        return f"{reverse('calculator:home')}?{urlencode(pairs)}"


class _Missing(dict):
    """Title placeholders of an example the engine could not work out read as a dash."""

    def __missing__(self, key: str) -> str:
        return "—"


@dataclass
class Worked:
    """An example with the engine's answer; `problem` says why there is none."""

    example: Example
    evaluation: Evaluation | None = None
    rules: Rules | None = None
    scenario: Scenario | None = None
    profile: ResolvedProfile | None = None
    values: dict[str, Any] = field(default_factory=dict)
    problem: str = ""

    @property
    def key(self) -> str:
        return self.example.key

    @property
    def link(self) -> str:
        return self.example.link

    @property
    def ok(self) -> bool:
        return self.evaluation is not None

    @property
    def f(self) -> dict[str, Fact]:
        """Engine numbers by API path: `w.f.liquidation_price`, `w.f.outcome__deficit`."""
        return {
            path.replace(".", "__"): Fact(self.key, path, raw)
            for path, raw in _flatten(self.values).items()
        }

    @property
    def given(self) -> dict[str, Given]:
        """The example's inputs as a reader writes them ("$5,000", "2×", "50%")."""
        return {name: Given(self.key, name, raw) for name, raw in self.example.query}

    @property
    def title(self) -> SafeString:
        words = _Missing(self.f)
        words.update(self.given)
        words["platform"] = self.profile.platform.name if self.profile else "—"
        # The format string is ours; the values are tagged, escaped HTML.
        return mark_safe(str(self.example.title).format_map(words))

    @property
    def explanation(self) -> str:
        """The engine's sentence about the move, in the visitor's language (as the calculator
        words it)."""
        if self.evaluation is None or self.evaluation.outcome is None:
            return ""
        return explanation(self.evaluation, self.scenario)

    @property
    def coverage(self) -> list[tuple[str, Fact]]:
        """Who pays the deficit, in the platform's order: (label, amount)."""
        outcome = self.values.get("outcome") or {}
        return [
            (
                PARTY_LABELS.get(part["party"], part["party"]),
                self.f[f"outcome__coverage__{part['party']}"],
            )
            for part in outcome.get("coverage", [])
        ]

    @property
    def payer(self) -> str:
        """The first party that actually pays a deficit, for one-line tables."""
        outcome = self.values.get("outcome") or {}
        for part in outcome.get("coverage", []):
            if Decimal(part["amount"]) > 0:
                return PARTY_LABELS.get(part["party"], part["party"])
        return _("nobody: there is no deficit")


def _flatten(values: dict[str, Any]) -> dict[str, str | None]:
    """API values by dotted path; coverage parts by party (`outcome.coverage.insurance_fund`)."""
    flat: dict[str, str | None] = {}
    for name, value in values.items():
        if name == "outcome" and value:
            for inner, raw in value.items():
                if inner == "coverage":
                    for part in raw:
                        flat[f"outcome.coverage.{part['party']}"] = part["amount"]
                elif isinstance(raw, str) or raw is None:
                    flat[f"outcome.{inner}"] = raw
        elif isinstance(value, str) or value is None:
            flat[name] = value
    return flat


def work(example: Example) -> Worked:
    """Run an example through the form and the engine, exactly as its link would."""
    evaluated = evaluate_form(ScenarioForm(example.fields))
    calculation, evaluation = evaluated.calculation, evaluated.evaluation
    if calculation is None or evaluation is None:
        errors = evaluated.form.errors.items()
        return Worked(
            example, problem="; ".join(f"{name}: {' '.join(map(str, e))}" for name, e in errors)
        )
    values = evaluation_dict(evaluation, calculation.profile)
    values.pop("warnings", None)
    values.pop("profile", None)
    return Worked(
        example,
        evaluation=evaluation,
        rules=calculation.rules,
        scenario=calculation.scenario,
        profile=calculation.profile,
        values=values,
    )
