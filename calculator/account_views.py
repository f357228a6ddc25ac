"""The account page: a wallet and several positions sharing it. Views read the forms, call
the engine through `account_results`, build the chart and render; no maths here."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url, reswap

from calculator import recent
from calculator.account_forms import MAX_POSITIONS, PREFIX
from calculator.account_results import (
    account_answer,
    deepest_series,
    evaluate_account_query,
    nearest_to_liquidation,
    who_pays_words,
)
from calculator.charts import account_map_figure
from calculator.results import figures_json
from calculator.views import HtmxHttpRequest, chart_table
from config.ratelimit import rate_limited
from platforms.choices import Party

PARTY_LABELS = dict(Party.choices)

# The first visit: a BTC long whose room an ETH short at a loss cuts.
EXAMPLE = {
    "wallet_balance": "10000",
    "position_mode": "one_way",
    f"{PREFIX}-TOTAL_FORMS": "2",
    f"{PREFIX}-INITIAL_FORMS": "0",
    f"{PREFIX}-0-symbol": "BTCUSDT",
    f"{PREFIX}-0-side": "long",
    f"{PREFIX}-0-quantity": "0.5",
    f"{PREFIX}-0-entry_price": "100000",
    f"{PREFIX}-0-mark_price": "98000",
    f"{PREFIX}-1-symbol": "ETHUSDT",
    f"{PREFIX}-1-side": "short",
    f"{PREFIX}-1-quantity": "12",
    f"{PREFIX}-1-entry_price": "3400",
    f"{PREFIX}-1-mark_price": "3900",
}


def _total(query: QueryDict) -> int:
    try:
        return max(0, min(int(query.get(f"{PREFIX}-TOTAL_FORMS", "0")), MAX_POSITIONS))
    except ValueError:
        return 0


_POSITION_KEY = re.compile(rf"^{PREFIX}-(\d+)-")


def with_position_count(query: QueryDict) -> QueryDict:
    """An address written by hand (or shortened) may leave out the formset's bookkeeping
    (`positions-TOTAL_FORMS`, `positions-INITIAL_FORMS`): count the positions it names instead
    of answering with Django's "ManagementForm data is missing"."""
    total, initial = f"{PREFIX}-TOTAL_FORMS", f"{PREFIX}-INITIAL_FORMS"
    if total in query and initial in query:
        return query
    completed = query.copy()
    if total not in query:
        indices = [int(m[1]) for key in query if (m := _POSITION_KEY.match(key))]
        completed[total] = str(min(max(indices, default=-1) + 1, MAX_POSITIONS + 1))
    if initial not in query:
        completed[initial] = "0"  # every row may be left blank, as on the page
    return completed


def edited_query(query: QueryDict) -> tuple[QueryDict, str] | None:
    """The query after "Add position" or "Remove" (buttons of the GET form, so they work
    without JavaScript), and what to announce; None when neither was pressed."""
    if "add" not in query and "remove" not in query:
        return None
    total = _total(query)
    edited = query.copy()
    for name in ("add", "remove"):
        edited.pop(name, None)
    if "add" in query:
        if total >= MAX_POSITIONS:
            return edited, _("An account here holds at most %(count)s positions.") % {
                "count": MAX_POSITIONS
            }
        edited[f"{PREFIX}-TOTAL_FORMS"] = str(total + 1)
        return edited, _("Position %(number)s added.") % {"number": total + 1}
    try:
        removed = int(query.get("remove") or "")
    except ValueError:
        return edited, ""
    if not 0 <= removed < total:
        return edited, ""
    head = f"{PREFIX}-"
    for key in list(edited):
        if key.startswith(head) and key[len(head) :].split("-")[0].isdigit():
            del edited[key]
    kept = [index for index in range(total) if index != removed]
    for new, old in enumerate(kept):
        for key, values in query.lists():
            if key.startswith(f"{head}{old}-"):
                edited.setlist(f"{head}{new}-{key[len(f'{head}{old}-') :]}", values)
    edited[f"{PREFIX}-TOTAL_FORMS"] = str(len(kept))
    return edited, ngettext(
        "Position %(number)s removed; %(count)s left.",
        "Position %(number)s removed; %(count)s left.",
        len(kept),
    ) % {"number": removed + 1, "count": len(kept)}


def account_context(query: QueryDict | dict[str, Any]) -> dict[str, Any]:
    evaluated = evaluate_account_query(query)
    context: dict[str, Any] = {
        "form": evaluated.form,
        "formset": evaluated.formset,
        "valid": evaluated.evaluation is not None,
        "max_positions": MAX_POSITIONS,
    }
    evaluation = evaluated.evaluation
    if evaluation is None:
        return context
    figure = account_map_figure(evaluation)
    deepest = deepest_series(evaluation)
    shortfall = deepest.shortfall if deepest else None
    context.update(
        evaluation=evaluation,
        profile=evaluated.profile,
        platform_name=evaluated.platform_name,
        answer=account_answer(evaluation),
        nearest=nearest_to_liquidation(evaluation),
        who_pays=who_pays_words(evaluated),
        shortfall=shortfall,
        coverage=[
            (PARTY_LABELS.get(part.party.value, part.party.value), part.amount)
            for part in (shortfall.coverage if shortfall else ())
        ],
        currency=evaluation.currency,
        figures=[figure],
        figures_json=figures_json({figure.key: figure.figure}),
        compared=evaluated.compared,
        engine_rows=evaluated.rows,
        okx_level=(
            1 / evaluation.margin_ratio
            if evaluated.profile
            and evaluated.profile.platform.slug == "okx"
            and evaluation.margin_ratio
            else None
        ),
    )
    return context


@require_GET
@vary_on_headers("HX-Request", "HX-History-Restore-Request")  # the redraw, the back button
@rate_limited("calculator")
def account(request: HtmxHttpRequest) -> HttpResponse:
    """The page; with htmx, the results (after a field changes) or the whole form and results
    (after "Add position" or "Remove", which also move the focus and announce the change)."""
    query = with_position_count(request.GET) if request.GET else QueryDict(urlencode(EXAMPLE))
    edited = edited_query(query)
    if edited is not None:
        query, status = edited
        url = f"{reverse('calculator:account')}?{query.urlencode()}"
        if not request.htmx:
            return redirect(url)  # the shareable address of the edited account
        context = account_context(query)
        context.update(status=status, focus_row=_focus_row(request.GET, query))
        return push_url(render(request, "calculator/account.html#account", context), url)
    if request.htmx and not request.htmx.history_restore_request:
        if request.htmx.target == "account":
            return render(request, "calculator/account.html#account", account_context(query))
        return results_partial(request, query)
    context = account_context(query)
    from readers.views import entry_points  # the "Read an address" and "Paste" entry points

    return render(request, "calculator/account.html", {**context, **entry_points(query)})


def results_partial(request: HtmxHttpRequest, query: QueryDict) -> HttpResponse:
    """The redraw after a field changes. The same account on the same policy data renders the
    same HTML, so this process keeps the ones it rendered lately (calculator/recent.py), as the
    calculator's redraw does."""
    key = _recent_key(query)
    body = recent.get(key)
    if body is not None:
        return HttpResponse(body)
    context = account_context(query)
    if not context["valid"]:
        # keep the last good results and address; the field messages arrive out of band
        response = render(request, "calculator/account.html#error_slots", context)
        return push_url(reswap(response, "none"), False)
    # The map's data table is left out (closed unless opened, and a sixth of the partial's
    # nodes): its box fetches it from `account_table` when it is opened.
    context.update(
        redraw=True, table_url=f"{reverse('calculator:account_table')}?{query.urlencode()}&figure="
    )
    # Rendered without the request: the results show nothing from it (no CSRF token, no user),
    # so they can be kept, and the page's context processors are not run for them.
    rendered = render_to_string("calculator/account.html#results", context)
    recent.put(key, rendered.encode())
    return HttpResponse(rendered)


@require_GET
@vary_on_headers("HX-Request")
@rate_limited("calculator")
def account_table(request: HtmxHttpRequest) -> HttpResponse:
    """The map's numbers as a table, for the closed "Show the data as a table" box of a
    redraw, which arrives without them. Outside htmx, the account's page (which has them)."""
    return chart_table(
        request,
        page="calculator:account",
        cache_key=_recent_key(request.GET, part="account-table"),
        figures_for=lambda query: account_context(with_position_count(query)).get("figures", []),
        unavailable="calculator/account.html#table_unavailable",
    )


def _recent_key(query: QueryDict, part: str = "account") -> recent.Key:
    """recent.key_for's key, with every value of the query kept, empty ones too (the form sends
    every field, empty or not): the key is the query itself, whatever the forms make of an empty
    field."""
    version, language, _part, _items = recent.key_for(QueryDict(), part=part)
    items = tuple(sorted((name, value) for name, values in query.lists() for value in values))
    return version, language, part, items


def _focus_row(before: QueryDict, after: QueryDict) -> int:
    """Where the focus goes after an edit: the new row, or the row that took the removed one's
    place (the last, when the last was removed)."""
    total = _total(after)
    if "add" in before:
        return total - 1
    try:
        return min(int(before.get("remove") or ""), total - 1)
    except ValueError:
        return 0
