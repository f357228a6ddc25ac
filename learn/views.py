"""The Learn section: plain answers to "can I lose more than I deposit?" with worked examples.

Each example is a query string with the calculator form's own field names. Its numbers come
from that query alone: `ScenarioForm(query)` → `form.calculation()` → `evaluate(...)`, the
same path as the calculator page and the API, so the link under an example opens exactly the
scenario its numbers describe. The templates only place the numbers; nothing here does maths.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET

from api.serializers import evaluation_dict
from calculator.formatting import money, pct, times
from calculator.forms import ScenarioForm
from engine import EngineInputError, Evaluation, evaluate
from platforms.choices import Party
from platforms.profiles import ResolvedProfile

PARTY_LABELS = dict(Party.choices)

# The lowest maintenance tier of the largest BTC markets (Binance BTCUSDT and OKX BTCUSD tier 1,
# docs/design.md, "Defaults"); typed into custom examples so their links state it.
BTC_TIER_1_MMR = "0.004"

# How each engine number reads on the page: paths are those of the API's JSON.
_PERCENT = {"distance_to_liquidation", "maintenance_margin_rate"}
_TIMES = {"leverage"}


def format_value(path: str, raw: str | None) -> str:
    """The text a reader sees for an API value: "$45,180.72", "9.64%", "10×"."""
    if raw is None:
        return "—"
    value = Decimal(raw)
    if path in _PERCENT:
        return pct(value)
    if path in _TIMES:
        return times(value)
    return money(value).removesuffix(".00")


def _whole_money(raw: str) -> str:
    """An input amount as typed in a sentence: "$5,000", "$49,500.50"."""
    return money(Decimal(raw)).removesuffix(".00")


@dataclass(frozen=True)
class Fact:
    """One engine number on the page, tagged so a test can check it against the API."""

    example: str
    path: str
    raw: str | None

    @property
    def text(self) -> str:
        return format_value(self.path, self.raw)

    def __str__(self) -> str:
        # Templates call str() before escaping, so the tagged HTML is the string form.
        return format_html(
            '<span class="fact" data-example="{}" data-fact="{}" data-value="{}">{}</span>',
            self.example,
            self.path,
            self.raw if self.raw is not None else "",
            self.text,
        )


@dataclass(frozen=True)
class Example:
    """A scenario as the calculator's query string (ordered, so links read naturally)."""

    key: str
    title: str
    query: tuple[tuple[str, str], ...]
    compare: tuple[str, ...] = ()

    @property
    def fields(self) -> dict[str, str]:
        return dict(self.query)

    @property
    def link(self) -> str:
        pairs = list(self.query) + [("compare", slug) for slug in self.compare]
        return f"{reverse('calculator:home')}?{urlencode(pairs)}"


@dataclass
class Worked:
    """An example with the engine's answer; `problem` says why there is none."""

    example: Example
    evaluation: Evaluation | None = None
    profile: ResolvedProfile | None = None
    values: dict[str, Any] = field(default_factory=dict)
    problem: str = ""

    @property
    def key(self) -> str:
        return self.example.key

    @property
    def title(self) -> str:
        return self.example.title

    @property
    def link(self) -> str:
        return self.example.link

    @property
    def ok(self) -> bool:
        return self.evaluation is not None

    @property
    def f(self) -> dict[str, Fact]:
        """Engine numbers by API path: `ex.f.liquidation_price`, `ex.f.outcome__deficit`."""
        facts = {
            path.replace(".", "__"): Fact(self.key, path, raw)
            for path, raw in _flatten(self.values).items()
        }
        return facts

    @property
    def given(self) -> dict[str, str]:
        """The example's inputs as a reader writes them ("$5,000", "2×", "50%")."""
        words: dict[str, str] = {}
        for name, raw in self.example.query:
            if name in {"crash", "gap", "maintenance_margin_rate", "funding_rate"}:
                words[name] = pct(Decimal(raw), 4)
            elif name == "leverage":
                words[name] = times(Decimal(raw))
            elif name in {"quantity", "holding_hours"}:
                words[name] = f"{Decimal(raw):f}"
            elif (
                name in {"platform", "contract", "side", "margin_mode", "guaranteed_stop"}
                or name == "insurance_fund_depleted"
            ):
                words[name] = raw
            else:
                words[name] = _whole_money(raw)
        return words

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
        return "nobody: there is no deficit"


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
    form = ScenarioForm(example.fields)
    if not form.is_valid():
        messages = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in form.errors.items())
        return Worked(example, problem=messages)
    calculation = form.calculation()
    try:
        evaluation = evaluate(
            position=calculation.position, rules=calculation.rules, scenario=calculation.scenario
        )
    except EngineInputError as error:
        return Worked(example, problem=error.message)
    values = evaluation_dict(evaluation, calculation.profile)
    values.pop("warnings", None)
    values.pop("profile", None)
    return Worked(example, evaluation=evaluation, profile=calculation.profile, values=values)


def _custom(*pairs: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    """Custom rules: no platform, the BTC tier-1 maintenance rate typed in."""
    return (*pairs, ("maintenance_margin_rate", BTC_TIER_1_MMR))


BTC = ("entry_price", "50000")

EXAMPLES: dict[str, Example] = {
    example.key: example
    for example in [
        # $5,000 at 2× long BTC from $50,000 and a 50% drop (a docs/design.md worked example).
        Example(
            "two_x_half_crash",
            "$5,000 at 2× long BTC, and the price halves",
            _custom(BTC, ("margin", "5000"), ("leverage", "2"), ("crash", "0.5")),
        ),
        Example(
            "two_x_sixty_crash",
            "The same position, and a 60% crash",
            _custom(BTC, ("margin", "5000"), ("leverage", "2"), ("crash", "0.6")),
        ),
        # $1,000 at 10× controls $10,000; a 5% gap past liquidation.
        Example(
            "ten_x_gap",
            "$1,000 at 10× controlling $10,000, and a 5% gap",
            _custom(BTC, ("margin", "1000"), ("leverage", "10"), ("gap", "0.05")),
        ),
        Example(
            "ten_x_gap_binance",
            "The same 10× position on Binance",
            (
                ("platform", "binance"),
                BTC,
                ("margin", "1000"),
                ("leverage", "10"),
                ("gap", "0.05"),
            ),
            compare=("offshore-broker-example",),
        ),
        Example(
            "ten_x_gap_offshore",
            "The same 10× position at a broker that promises nothing",
            (
                ("platform", "offshore-broker-example"),
                BTC,
                ("margin", "1000"),
                ("leverage", "10"),
                ("gap", "0.05"),
            ),
            compare=("binance",),
        ),
        # 50×: a 2% move is the whole deposit, and liquidation comes before it.
        Example(
            "fifty_x",
            "$1,000 at 50×, and a 3% fall",
            _custom(BTC, ("margin", "1000"), ("leverage", "50"), ("crash", "0.03")),
        ),
        Example(
            "fifty_x_two_percent",
            "$1,000 at 50×, and a 2% fall",
            _custom(BTC, ("margin", "1000"), ("leverage", "50"), ("crash", "0.02")),
        ),
        # A stop is an order, not a guarantee.
        Example(
            "stop_in_gap",
            "A stop at $45,000, and the price gaps to $40,000",
            _custom(
                BTC,
                ("margin", "5000"),
                ("leverage", "2"),
                ("stop_price", "45000"),
                ("fill_price", "40000"),
            ),
        ),
        Example(
            "guaranteed_stop",
            "The same gap with a guaranteed stop",
            _custom(
                BTC,
                ("margin", "5000"),
                ("leverage", "2"),
                ("stop_price", "45000"),
                ("fill_price", "40000"),
                ("guaranteed_stop", "true"),
            ),
        ),
        Example(
            "stop_past_bankruptcy",
            "A stop at $46,000 on a 10× position, and a gap to $40,000",
            _custom(
                BTC,
                ("margin", "1000"),
                ("leverage", "10"),
                ("stop_price", "46000"),
                ("fill_price", "40000"),
            ),
        ),
        # Isolated vs cross: the same 0.2 BTC, with $1,000 isolated or a $5,000 wallet.
        Example(
            "isolated_ten_percent",
            "Isolated: $1,000 behind 0.2 BTC, and a 10% fall",
            _custom(
                BTC,
                ("margin_mode", "isolated"),
                ("margin", "1000"),
                ("quantity", "0.2"),
                ("crash", "0.1"),
            ),
        ),
        Example(
            "cross_ten_percent",
            "Cross: a $5,000 wallet behind the same 0.2 BTC, and a 10% fall",
            _custom(
                BTC,
                ("margin_mode", "cross"),
                ("wallet_balance", "5000"),
                ("quantity", "0.2"),
                ("crash", "0.1"),
            ),
        ),
        Example(
            "cross_sixty_percent",
            "Cross: the same wallet, and a 60% crash",
            _custom(
                BTC,
                ("margin_mode", "cross"),
                ("wallet_balance", "5000"),
                ("quantity", "0.2"),
                ("crash", "0.6"),
            ),
        ),
        # Costs of holding move the liquidation price: 30 days at 0.01% funding per 8 hours.
        Example(
            "ten_x_held_a_month",
            "$1,000 at 10×, held for 30 days while paying funding",
            _custom(
                BTC,
                ("margin", "1000"),
                ("leverage", "10"),
                ("funding_rate", "0.0001"),
                ("holding_hours", "720"),
            ),
        ),
        # Insurance fund then ADL on Binance (the glossary's ADL example).
        Example(
            "binance_fund_depleted",
            "Binance, 2× and a 60% crash, with the insurance fund empty",
            (
                ("platform", "binance"),
                BTC,
                ("margin", "1000"),
                ("leverage", "2"),
                ("crash", "0.6"),
                ("insurance_fund_depleted", "true"),
            ),
        ),
    ]
}

# One leverage ladder: $1,000 from $50,000 at rising leverage, no move.
LEVERAGE_LADDER = ("2", "3", "5", "10", "20", "50", "100")
for _lev in LEVERAGE_LADDER:
    EXAMPLES[f"ladder_{_lev}x"] = Example(
        f"ladder_{_lev}x",
        f"$1,000 at {_lev}×",
        _custom(BTC, ("margin", "1000"), ("leverage", _lev)),
    )


# The same crash on platforms whose "protection" means different things
# (docs/design.md, "Negative balance protection is not one thing").
def protection_key(slug: str) -> str:
    return "protection_" + slug.replace("-", "_")


PROTECTION_PLATFORMS = (
    "esma-fca-retail-cfd",
    "bitmex",
    "kraken",
    "binance",
    "hyperliquid",
    "interactive-brokers",
    "offshore-broker-example",
)
for _slug in PROTECTION_PLATFORMS:
    EXAMPLES[protection_key(_slug)] = Example(
        protection_key(_slug),
        f"$1,000 at 2× on {_slug}, and a 60% crash",
        (("platform", _slug), BTC, ("margin", "1000"), ("leverage", "2"), ("crash", "0.6")),
    )


@dataclass(frozen=True)
class Source:
    """A platform fact from our research: our paraphrase, where it is from, when."""

    platform: str  # slug of the /platforms/<slug>/ profile
    name: str
    says: str
    url: str
    dated: str  # the source's own date, or "undated"
    inference: str = ""  # our reading of the source, shown marked as inference


# Read on 21 November 2026 from stored copies of the sources.
SOURCES_READ_ON = "21 November 2026"

PROTECTION_KINDS = [
    {
        "anchor": "regulatory-guarantee",
        "name": "A guarantee in law",
        "sources": [
            Source(
                "esma-fca-retail-cfd",
                "EU and UK retail CFD rules",
                "Brokers selling CFDs to retail clients must cap losses at the money in the "
                "account, per account, and limit crypto CFDs to 2× leverage. Professional "
                "clients are outside the rule.",
                "https://www.regulationtomorrow.com/eu/esma-renews-restriction-on-cfds-for-further-three-months-from-may/",
                "27 March 2019",
            ),
        ],
    },
    {
        "anchor": "contractual-promise",
        "name": "A promise in the platform's own words",
        "sources": [
            Source(
                "bitmex",
                "BitMEX",
                "Losing traders never owe more than the margin they posted; the insurance fund "
                "does not ask traders with negative balances to pay.",
                "https://blog.bitmex.com/bitmex-insurance-fund-your-questions-answered/",
                "about 23 March 2020",
            ),
            Source(
                "kraken",
                "Kraken Derivatives (outside the US)",
                "Your balance is never allowed to go below zero.",
                "https://support.kraken.com/hc/en-us/articles/360022835671-Equity-Protection-Process",
                "last updated 17 March 2026",
            ),
            Source(
                "deribit",
                "Deribit",
                "An account can go negative, but the insurance fund sets it back to zero; if the "
                "fund ran out, losses would be shared among that day's winners.",
                "https://insights.deribit.com/education/the-deribit-insurance-fund-and-socialised-loss-system",
                "undated",
            ),
        ],
    },
    {
        "anchor": "mechanism-only",
        "name": "Only a mechanism",
        "sources": [
            Source(
                "binance",
                "Binance futures",
                "Bankrupt positions are taken over by the futures insurance fund, then by "
                "auto-deleveraging; Binance says the fund is not insurance and does not "
                "guarantee users against losses.",
                "https://www.binance.com/en/support/faq/360033525371",
                "last updated 29 May 2024",
            ),
            Source(
                "bybit",
                "Bybit derivatives",
                "If a liquidation fills worse than the bankruptcy price the insurance fund "
                "covers the gap, and auto-deleveraging if the fund is not enough.",
                "https://www.bybit.com/en/help-center/article/Insurance-Fund",
                "4 May 2024",
            ),
            Source(
                "hyperliquid",
                "Hyperliquid",
                "Auto-deleveraging closes profitable opposite positions so the platform has no "
                "bad debt.",
                "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/auto-deleveraging",
                "undated",
                inference="An on-chain venue has no way to bill a trader, so the most you can "
                "lose is the collateral you put in.",
            ),
        ],
    },
    {
        "anchor": "borrowing",
        "name": "Borrowing: where you are liable",
        "sources": [
            Source(
                "bybit",
                "Bybit Unified Trading Account lending",
                "Automatic borrowing covers shortfalls, with interest, and you must repay both "
                "the interest and the principal.",
                "https://byhkbit.com/en-HK/help-center/article/Terms-and-Conditions-Unified-Trading-Account",
                "22 October 2024 (copy on a mirror domain)",
            ),
            Source(
                "okx",
                "OKX multi-currency and portfolio margin",
                "A currency whose balance falls below zero becomes a loan to you, with interest.",
                "https://www.okx.com/ar/learn/differences-in-trading-account-modes",
                "2025",
            ),
            Source(
                "binance",
                "Binance Portfolio Margin Pro",
                "At a unified maintenance margin ratio of 100% or less, Binance may make a "
                "claim against you for the loss.",
                "https://binance.com/en-IN/support/faq/binance-portfolio-margin-pro-maintenance-margin-ratio-calculation-5e33af8e6ac04d57a1d0a3398e0a0752",
                "undated",
            ),
            Source(
                "coinbase",
                "Coinbase US futures (a futures commission merchant)",
                "Losses can exceed everything you have on deposit, including money in your "
                "other Coinbase accounts.",
                "https://help.coinbase.com/en/coinbase/trading-and-funding/derivatives/futures-add-cash",
                "undated",
            ),
            Source(
                "interactive-brokers",
                "Interactive Brokers",
                "After the Swiss franc shock of 15 January 2015 the broker pursued clients for "
                "the debts their accounts were left with.",
                "https://www.sec.gov/Archives/edgar/data/1381197/000138119716000096/R17.htm",
                "2016 quarterly filing",
            ),
        ],
    },
]

# Binance's advice on keeping a buffer (liquidation protocols page).
MARGIN_RATIO_SOURCE = Source(
    "binance",
    "Binance futures liquidation protocols",
    "Liquidation starts when the margin ratio (maintenance margin ÷ margin balance) reaches "
    "100%; Binance recommends keeping it below 80%.",
    "https://www.binance.com/en-NZ/support/faq/binance-futures-liquidation-protocols-360033525271",
    "last updated 29 May 2024",
)


@dataclass(frozen=True)
class Topic:
    slug: str
    question: str
    short_answer: str
    examples: tuple[str, ...] = ()


TOPICS: dict[str, Topic] = {
    topic.slug: topic
    for topic in [
        Topic(
            "lose-more-than-you-invest",
            "Can you lose more than you invest?",
            "Yes, with leverage. Whether you have to pay it depends on the platform.",
            ("two_x_half_crash", "two_x_sixty_crash", "ten_x_gap"),
        ),
        Topic(
            "liquidation",
            "What is liquidation?",
            "The platform closes your position before your losses use up your deposit.",
            ("fifty_x", "fifty_x_two_percent", *(f"ladder_{lev}x" for lev in LEVERAGE_LADDER)),
        ),
        Topic(
            "negative-balance",
            "What is a negative balance?",
            "What is left to pay when a position closes below the price your deposit covers.",
            ("ten_x_gap", "ten_x_gap_binance", "ten_x_gap_offshore"),
        ),
        Topic(
            "do-exchanges-protect-you",
            "Do all exchanges protect you?",
            "No. “Protection” is a law, a promise or only a mechanism, and borrowing is "
            "where you are liable.",
            tuple(protection_key(slug) for slug in PROTECTION_PLATFORMS),
        ),
        Topic(
            "isolated-vs-cross",
            "Isolated or cross margin?",
            "Isolated risks one position's margin; cross puts your whole wallet behind it.",
            ("isolated_ten_percent", "cross_ten_percent", "cross_sixty_percent"),
        ),
        Topic(
            "how-to-avoid-it",
            "How do you avoid it?",
            "Less leverage, a margin buffer, and knowing what a stop and “protection” really "
            "promise.",
            (
                "stop_in_gap",
                "guaranteed_stop",
                "stop_past_bankruptcy",
                "ten_x_held_a_month",
                *(f"ladder_{lev}x" for lev in ("2", "5", "10", "50")),
            ),
        ),
        Topic(
            "glossary",
            "Glossary",
            "Liquidation and bankruptcy price, maintenance margin, insurance fund, "
            "auto-deleveraging, clawback, negative balance protection, isolated and cross.",
            ("ten_x_gap", "binance_fund_depleted"),
        ),
    ]
}

INDEX_EXAMPLES = ("ten_x_gap", "ten_x_gap_binance", "ten_x_gap_offshore")


def worked(keys: tuple[str, ...]) -> dict[str, Worked]:
    return {key: work(EXAMPLES[key]) for key in keys}


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "learn/index.html",
        {
            "topics": TOPICS.values(),
            "ex": worked(INDEX_EXAMPLES),
            "sources_read_on": SOURCES_READ_ON,
        },
    )


@require_GET
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    page = TOPICS.get(slug)
    if page is None:
        raise Http404("No such Learn page.")
    examples = worked(page.examples)
    context = {
        "topic": page,
        "topics": TOPICS.values(),
        "ex": examples,
        "ladder": [
            examples[f"ladder_{lev}x"] for lev in LEVERAGE_LADDER if f"ladder_{lev}x" in examples
        ],
        "protection_rows": [
            examples[protection_key(slug)]
            for slug in PROTECTION_PLATFORMS
            if protection_key(slug) in examples
        ],
        "kinds": PROTECTION_KINDS,
        "margin_ratio_source": MARGIN_RATIO_SOURCE,
        "sources_read_on": SOURCES_READ_ON,
    }
    return render(request, f"learn/{page.slug}.html", context)
