"""The who-pays section of a platform's profile page: its ADL rule, its insurance funds with
their balances over time (charts from calculator.charts), and its terms by residence."""

from __future__ import annotations

from typing import Any

from calculator.charts import fund_history_figure
from calculator.results import figures_json
from platforms.models import Platform
from whopays.lookups import platform_facts
from whopays.models import AdlAlertReading, AdlRiskReading


def who_pays_context(platform: Platform) -> dict[str, Any]:
    facts = platform_facts(platform)
    funds, figures = [], []
    for fund in facts.funds:
        balances = sorted(fund.balances.all(), key=lambda balance: balance.as_of)
        figure = None
        if balances:
            figure = fund_history_figure(
                key=f"fund-{fund.slug}",
                name=fund.name,
                currency=fund.currency,
                dates=[balance.as_of.isoformat() for balance in balances],
                amounts=[float(balance.amount) for balance in balances],
            )
            figures.append(figure)
        funds.append({"fund": fund, "balances": balances[::-1], "figure": figure})
    latest: dict[str, AdlRiskReading] = {}
    for reading in AdlRiskReading.objects.filter(platform=platform).order_by("symbol", "-as_of"):
        latest.setdefault(reading.symbol, reading)
    alerts: dict[str, AdlAlertReading] = {}
    for alert in AdlAlertReading.objects.filter(platform=platform).order_by("symbol", "-as_of"):
        alerts.setdefault(alert.symbol, alert)
    return {
        "adl_rule": facts.adl_rule,
        "adl_ratings": list(latest.values())[:20],
        "adl_alerts": list(alerts.values())[:20],
        "who_pays_funds": funds,
        "residence_terms": sorted(facts.residences.values(), key=lambda term: term.residence),
        "who_pays_figures_json": figures_json({f.key: f.figure for f in figures})
        if figures
        else "",
    }
