"""The Learn pages: each question, the worked examples it shows and the sources it cites.

The prose is in templates/learn/<slug>.html; this module only names what a page needs.
An example's title is a format string over its inputs and results (learn/examples.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from calculator.forms import DEFAULT_CUSTOM_MMR
from learn.examples import Example
from learn.sources import Source

# Custom examples type the calculator's default maintenance rate into their links, so each link
# states the rule its numbers use.
CUSTOM_MMR = str(DEFAULT_CUSTOM_MMR)


def _custom(*pairs: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    """Custom rules: no platform, the calculator's default maintenance rate typed in."""
    return (*pairs, ("maintenance_margin_rate", CUSTOM_MMR))


BTC = ("entry_price", "50000")
# The positions the examples share, each written once so "the same position" is the same.
TWO_X = (BTC, ("margin", "5000"), ("leverage", "2"))
TEN_X = (BTC, ("margin", "1000"), ("leverage", "10"))
TEN_X_GAP = (*TEN_X, ("gap", "0.05"))
FIFTY_X = (BTC, ("margin", "1000"), ("leverage", "50"))
TWO_X_SMALL = (BTC, ("margin", "1000"), ("leverage", "2"))
STOP_GAP = (("stop_price", "45000"), ("fill_price", "40000"))
CROSS_WALLET = (BTC, ("margin_mode", "cross"), ("wallet_balance", "5000"), ("quantity", "0.2"))

EXAMPLES: dict[str, Example] = {
    example.key: example
    for example in [
        # $5,000 at 2× long BTC from $50,000 and a 50% drop (docs/design.md, "Defaults and worked examples").
        Example(
            "two_x_half_crash",
            _("{margin} at {leverage} long BTC, and a {crash} fall"),
            _custom(*TWO_X, ("crash", "0.5")),
        ),
        Example(
            "two_x_sixty_crash",
            _("The same position, and a {crash} crash"),
            _custom(*TWO_X, ("crash", "0.6")),
        ),
        # $1,000 at 10× controls $10,000; a 5% gap past liquidation.
        Example(
            "ten_x_gap",
            _("{margin} at {leverage} controlling {notional}, and a {gap} gap"),
            _custom(*TEN_X_GAP),
        ),
        Example(
            "ten_x_gap_binance",
            _("The same position on {platform}"),
            (("platform", "binance"), *TEN_X_GAP),
            compare=("offshore-broker-example",),
        ),
        Example(
            "ten_x_gap_offshore",
            _("The same position at a broker that promises nothing"),
            (("platform", "offshore-broker-example"), *TEN_X_GAP),
            compare=("binance",),
        ),
        # 50×: a 2% move is the whole deposit, and liquidation comes before it.
        Example(
            "fifty_x",
            _("{margin} at {leverage}, and a {crash} fall"),
            _custom(*FIFTY_X, ("crash", "0.03")),
        ),
        Example(
            "fifty_x_two_percent",
            _("{margin} at {leverage}, and a {crash} fall"),
            _custom(*FIFTY_X, ("crash", "0.02")),
        ),
        # A stop is an order, not a guarantee.
        Example(
            "stop_in_gap",
            _("A stop at {stop_price}, and the price gaps to {fill_price}"),
            _custom(*TWO_X, *STOP_GAP),
        ),
        Example(
            "guaranteed_stop",
            _("The same gap with a guaranteed stop"),
            _custom(*TWO_X, *STOP_GAP, ("guaranteed_stop", "true")),
        ),
        Example(
            "stop_past_bankruptcy",
            _("A stop at {stop_price} on a {leverage} position, and a gap to {fill_price}"),
            _custom(*TEN_X, ("stop_price", "46000"), ("fill_price", "40000")),
        ),
        # Isolated vs cross: the same 0.2 BTC, with $1,000 isolated or a $5,000 wallet.
        Example(
            "isolated_ten_percent",
            _("Isolated: {margin} behind {quantity} BTC, and a {crash} fall"),
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
            _(
                "Cross: a {wallet_balance} wallet behind the same {quantity} BTC, and a {crash} fall"
            ),
            _custom(*CROSS_WALLET, ("crash", "0.1")),
        ),
        Example(
            "cross_sixty_percent",
            _("Cross: the same wallet, and a {crash} crash"),
            _custom(*CROSS_WALLET, ("crash", "0.6")),
        ),
        # Costs of holding move the liquidation price: 30 days at 0.01% funding per interval.
        Example(
            "ten_x_held_a_month",
            _("{margin} at {leverage}, held for {holding_hours} hours while paying funding"),
            _custom(*TEN_X, ("funding_rate", "0.0001"), ("holding_hours", "720")),
        ),
        # Insurance fund then ADL on Binance (the glossary's ADL example).
        Example(
            "binance_fund_depleted",
            _("{platform}, {leverage} and a {crash} crash, with the insurance fund empty"),
            (
                ("platform", "binance"),
                *TWO_X_SMALL,
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
        _("{margin} at {leverage}"),
        _custom(BTC, ("margin", "1000"), ("leverage", _lev)),
    )


# The same crash on platforms whose "protection" means different things (research §16).
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
        _("{margin} at {leverage} on {platform}, and a {crash} crash"),
        (("platform", _slug), *TWO_X_SMALL, ("crash", "0.6")),
    )


BINANCE_INSURANCE_FAQ = "https://www.binance.com/en/support/faq/360033525371"
BINANCE_LIQUIDATION_PROTOCOLS = (
    "https://www.binance.com/en-NZ/support/faq/binance-futures-liquidation-protocols-360033525271"
)
BYBIT_INSURANCE_FUND = "https://www.bybit.com/en/help-center/article/Insurance-Fund"
ESMA_CFD_RULES = "https://www.regulationtomorrow.com/eu/esma-renews-restriction-on-cfds-for-further-three-months-from-may/"
HYPERLIQUID_ADL = "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/auto-deleveraging"
IB_FILING = "https://www.sec.gov/Archives/edgar/data/1381197/000138119716000096/R17.htm"

# Each source is a Citation record the platform's profile (or an incident) shows.
SOURCES: dict[str, Source] = {
    "esma_protection": Source("esma-fca-retail-cfd", ESMA_CFD_RULES, "summary"),
    "esma_leverage": Source(
        "esma-fca-retail-cfd", ESMA_CFD_RULES, "max_leverage", on="crypto-cfds"
    ),
    "esma_professional": Source(
        "esma-fca-retail-cfd", ESMA_CFD_RULES, on="crypto-cfds/professional"
    ),
    "bitmex": Source(
        "bitmex",
        "https://blog.bitmex.com/bitmex-insurance-fund-your-questions-answered/",
        "summary",
    ),
    "kraken": Source(
        "kraken",
        "https://support.kraken.com/hc/en-us/articles/360022835671-Equity-Protection-Process",
        "summary",
    ),
    "deribit": Source(
        "deribit",
        "https://insights.deribit.com/education/the-deribit-insurance-fund-and-socialised-loss-system",
        "summary",
    ),
    "binance_insurance_fund": Source("binance", BINANCE_INSURANCE_FAQ, "summary"),
    "binance_no_promise": Source(
        "binance", BINANCE_INSURANCE_FAQ, "protection", on="usds-m/isolated"
    ),
    "binance_margin_ratio": Source(
        "binance", BINANCE_LIQUIDATION_PROTOCOLS, "liquidation_note", on="usds-m"
    ),
    "bybit_insurance_fund": Source("bybit", BYBIT_INSURANCE_FUND, on="derivatives-linear/isolated"),
    "bybit_settlement": Source(
        "bybit", BYBIT_INSURANCE_FUND, "settlement", on="derivatives-linear"
    ),
    "hyperliquid_adl": Source("hyperliquid", HYPERLIQUID_ADL, "summary"),
    "hyperliquid_reading": Source(
        "hyperliquid", HYPERLIQUID_ADL, "protection", on="perpetuals/isolated"
    ),
    "bybit_lending": Source(
        "bybit",
        "https://byhkbit.com/en-HK/help-center/article/Terms-and-Conditions-Unified-Trading-Account",
        "summary",
    ),
    "okx_liability": Source(
        "okx", "https://www.okx.com/ar/learn/differences-in-trading-account-modes", "summary"
    ),
    "binance_portfolio_margin": Source(
        "binance",
        "https://binance.com/en-IN/support/faq/binance-portfolio-margin-pro-maintenance-margin-ratio-calculation-5e33af8e6ac04d57a1d0a3398e0a0752",
        "summary",
    ),
    "coinbase": Source(
        "coinbase",
        "https://help.coinbase.com/en/coinbase/trading-and-funding/derivatives/futures-add-cash",
        "summary",
    ),
    "interactive_brokers": Source("interactive-brokers", IB_FILING, "summary"),
    "okex_clawback": Source(
        "okx", "https://uat.coindesk.com", "covered_by", incident="okex-clawback-2018"
    ),
}


@dataclass(frozen=True)
class Topic:
    slug: str
    question: str | Promise
    short_answer: str | Promise
    examples: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


TOPICS: dict[str, Topic] = {
    topic.slug: topic
    for topic in [
        Topic(
            "lose-more-than-you-invest",
            _("Can you lose more than you invest?"),
            _("Yes, with leverage. Whether you have to pay it depends on the platform."),
            ("two_x_half_crash", "two_x_sixty_crash", "ten_x_gap"),
        ),
        Topic(
            "liquidation",
            _("What is liquidation?"),
            _("The platform closes your position before your losses use up your deposit."),
            ("fifty_x", "fifty_x_two_percent", *(f"ladder_{lev}x" for lev in LEVERAGE_LADDER)),
            ("bybit_settlement",),
        ),
        Topic(
            "negative-balance",
            _("What is a negative balance?"),
            _("What is left to pay when a position closes below the price your deposit covers."),
            ("ten_x_gap", "ten_x_gap_binance", "ten_x_gap_offshore"),
            ("interactive_brokers",),
        ),
        Topic(
            "do-exchanges-protect-you",
            _("Do all exchanges protect you?"),
            _(
                "No. “Protection” is a law, a promise or only a mechanism, and borrowing is "
                "where you are liable."
            ),
            tuple(protection_key(slug) for slug in PROTECTION_PLATFORMS),
            (
                "esma_protection",
                "esma_leverage",
                "esma_professional",
                "bitmex",
                "kraken",
                "deribit",
                "binance_insurance_fund",
                "binance_no_promise",
                "bybit_insurance_fund",
                "hyperliquid_adl",
                "hyperliquid_reading",
                "bybit_lending",
                "okx_liability",
                "binance_portfolio_margin",
                "coinbase",
                "interactive_brokers",
            ),
        ),
        Topic(
            "isolated-vs-cross",
            _("Isolated or cross margin?"),
            _("Isolated risks one position's margin; cross puts your whole wallet behind it."),
            ("isolated_ten_percent", "cross_ten_percent", "cross_sixty_percent"),
        ),
        Topic(
            "how-to-avoid-it",
            _("How do you avoid it?"),
            _(
                "Less leverage, a margin buffer, and knowing what a stop and “protection” really "
                "promise."
            ),
            (
                "stop_in_gap",
                "guaranteed_stop",
                "stop_past_bankruptcy",
                "ten_x_held_a_month",
                *(f"ladder_{lev}x" for lev in ("2", "5", "10", "50")),
            ),
            ("binance_margin_ratio",),
        ),
        Topic(
            "glossary",
            _("Glossary"),
            _(
                "Liquidation and bankruptcy price, maintenance margin, insurance fund, "
                "auto-deleveraging, clawback, negative balance protection, isolated and cross."
            ),
            ("ten_x_gap", "binance_fund_depleted"),
            ("binance_insurance_fund", "okex_clawback"),
        ),
    ]
}

INDEX_EXAMPLES = ("ten_x_gap", "ten_x_gap_binance", "ten_x_gap_offshore")
