"""Writes imported readings: a fund's balance for the day (with its citation), a platform's
ADL rating. Every row goes through full_clean(); a reading no fund matches is reported, never
guessed onto another pool."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from platforms.models import Citation, Platform
from platforms.profiles import bump_profiles_version
from whopays.importers import AlertReading, BalanceReading, RiskReading
from whopays.models import AdlAlertReading, AdlRiskReading, FundBalance, InsuranceFund


@dataclass
class ImportReport:
    balances: list[str] = field(default_factory=list)
    ratings: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def fund_for(reading: BalanceReading) -> InsuranceFund | None:
    """The platform's pool in the reading's currency backing one of its symbols; a reading
    for all symbols goes to the platform's general pool (no symbols listed)."""
    for fund in InsuranceFund.objects.filter(platform__slug=reading.platform):
        if fund.currency.upper() != reading.currency:
            continue
        if reading.symbols and any(fund.backs(symbol) for symbol in reading.symbols):
            return fund
        if not reading.symbols and not fund.symbols.strip():
            return fund
    return None


@transaction.atomic
def store(
    balances: list[BalanceReading],
    risks: list[RiskReading],
    alerts: list[AlertReading] | tuple[AlertReading, ...] = (),
) -> ImportReport:
    report = ImportReport()
    for reading in balances:
        fund = fund_for(reading)
        if fund is None:
            report.unmatched.append(
                f"{reading.platform} {reading.currency} pool for "
                f"{', '.join(reading.symbols) or 'all symbols'}: no matching fund"
            )
            continue
        balance = FundBalance.objects.filter(fund=fund, as_of=reading.as_of.date()).first()
        balance = balance or FundBalance(fund=fund, as_of=reading.as_of.date())
        balance.amount = reading.amount
        balance.is_approximate = False
        balance.full_clean()
        balance.save()
        balance.citations.all().delete()  # the balance is replaced, and so is its source
        citation = Citation(
            subject=balance,
            field_name="amount",
            url=reading.url,
            title=reading.source[:200],
            quote=reading.quote,
            source_date=reading.as_of.date(),
            confidence="high",
            note="imported by import_whopays",
        )
        citation.full_clean()
        citation.save()
        report.balances.append(f"{fund}: {reading.amount} {fund.currency} on {balance.as_of}")
    slugs = {r.platform for r in risks} | {a.platform for a in alerts}
    platforms = {p.slug: p for p in Platform.objects.filter(slug__in=slugs)}
    for risk in risks:
        platform = platforms.get(risk.platform)
        if platform is None:
            report.unmatched.append(f"{risk.platform} {risk.symbol}: no such platform")
            continue
        row, _ = AdlRiskReading.objects.update_or_create(
            platform=platform,
            symbol=risk.symbol,
            as_of=risk.as_of,
            defaults={"rating": risk.rating, "source": risk.source[:300]},
        )
        row.full_clean()
        report.ratings.append(str(row))
    for alert in alerts:
        platform = platforms.get(alert.platform)
        if platform is None:
            report.unmatched.append(f"{alert.platform} {alert.symbol}: no such platform")
            continue
        row = AdlAlertReading.objects.filter(
            platform=platform, symbol=alert.symbol, as_of=alert.as_of
        ).first() or AdlAlertReading(platform=platform, symbol=alert.symbol, as_of=alert.as_of)
        row.coin, row.balance, row.pnl_ratio = alert.coin, alert.balance, alert.pnl_ratio
        row.trigger_ratio, row.trigger_balance = alert.trigger_ratio, alert.trigger_balance
        row.stop_ratio, row.source = alert.stop_ratio, alert.source[:300]
        row.full_clean()
        row.save()
        report.alerts.append(f"{row} ({row.get_state_display()})")
    if report.balances:
        bump_profiles_version()  # the calculator's fund lookups are memoised per version
    return report
