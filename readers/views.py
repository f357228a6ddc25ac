"""The account page's two ways in: "Read an address" (a POST, so the address stays out of
links and access logs unless the visitor asks for a link) and "Paste from your exchange" (a
preview before anything is used). Both end on the account page with exactly the positions,
marks and balances found; no maths here."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from calculator.account_forms import PREFIX
from calculator.account_views import EXAMPLE, account_context
from config.ratelimit import rate_limited
from platforms.profiles import platform_list
from readers.forms import PasteForm, ReadForm
from readers.paste import FIELDS, ParsedPaste, parse
from readers.service import PLATFORMS, aave_enabled, read_account
from readers.types import RateLimited, ReadAccount, ReaderError, ReadLoan


def read_note(query: QueryDict | dict[str, Any]) -> dict[str, Any] | None:
    """ "Read from <platform> at <time>", carried by the account page's query after a reading
    (the time and the platform, never the address)."""
    platform, stamp = query.get("read_from"), query.get("read_at")
    if platform not in PLATFORMS or not isinstance(stamp, str):
        return None
    try:
        when = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    return {"platform": platform, "name": PLATFORMS[platform], "read_at": when, "stamp": stamp}


def entry_points(
    query: QueryDict | dict[str, Any], read_form: ReadForm | None = None
) -> dict[str, Any]:
    return {
        "read_form": read_form or ReadForm(),
        "reading_enabled": settings.ACCOUNT_READING_ENABLED,
        "aave_enabled": aave_enabled(),
        "read_note": read_note(query),
    }


def _account_page(
    request: HttpRequest,
    *,
    query: dict[str, str] | None = None,
    read_form: ReadForm | None = None,
    read: ReadAccount | ReadLoan | None = None,
    status: int = 200,
) -> HttpResponse:
    data: QueryDict | dict[str, str] = query if query is not None else QueryDict(urlencode(EXAMPLE))
    context = account_context(data)
    context.update(entry_points(data, read_form))
    context.update(read=read, read_open=read_form is not None and (read is None or read.empty))
    if isinstance(read, ReadLoan):
        context["read_empty"] = gettext(
            "This address has no debt on Aave (or no collateral): there is nothing to liquidate."
        )
    elif read is not None and read.empty:
        context["read_empty"] = gettext(
            "This address has no open positions on %(platform)s: there is nothing to liquidate."
        ) % {"platform": PLATFORMS[read.platform]}
    return render(request, "calculator/account.html", context, status=status)


# The read and paste forms change nothing on the server (they read a public account or parse the
# visitor's own text), so they need no CSRF token, whose cookie the public pages promise not to set.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited("calculator")
def read(request: HttpRequest) -> HttpResponse:
    """Read the account at an address and open the account page on it. A GET reads only a link
    the visitor asked for (the address in it); a bare GET goes to the form."""
    if request.method == "GET" and "address" not in request.GET:
        return redirect(f"{reverse('calculator:account')}#read-account")
    form = ReadForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return _account_page(request, read_form=form, status=400)
    data = form.cleaned_data
    if request.method == "POST" and data.get("share"):
        link = {"platform": data["platform"], "address": data["address"]}
        if data["subaccount"]:
            link["subaccount"] = str(data["subaccount"])
        return redirect(f"{reverse('readers:read')}?{urlencode(link)}")
    try:
        account = read_account(request, data["platform"], data["address"], data["subaccount"])
    except ReaderError as error:
        form.add_error(None, error.message)
        response = _account_page(request, read_form=form, status=error.status)
        if isinstance(error, RateLimited):
            response["Retry-After"] = str(error.wait)
        return response
    if account.empty:
        return _account_page(request, read_form=form, read=account)
    if isinstance(account, ReadLoan):
        # one loan of the whole collateral against the whole debt: the calculator's loan mode
        return redirect(f"{reverse('calculator:home')}?{urlencode(account.form_data())}")
    return _account_page(request, query=account.form_data(), read=account)


def _mapping(post: QueryDict) -> list[str] | None:
    """The visitor's own column mapping from the preview, when the columns are the same."""
    try:
        count = int(post.get("columns", ""))
    except ValueError:
        return None
    if count <= 0 or count > 100:
        return None
    mapping = [post.get(f"column-{i}", "") for i in range(count)]
    return [name if name in FIELDS else "" for name in mapping]


def open_query(parsed: ParsedPaste) -> list[tuple[str, str]]:
    """The hidden fields of "Open in the calculator": the positions, as the account form names
    them (the wallet and platform are the visitor's to give)."""
    fields = [
        (f"{PREFIX}-TOTAL_FORMS", str(len(parsed.positions))),
        (f"{PREFIX}-INITIAL_FORMS", "0"),
        ("position_mode", "one_way"),
    ]
    for index, position in enumerate(parsed.positions):
        fields += [(f"{PREFIX}-{index}-{k}", v) for k, v in position.fields().items()]
    return fields


@csrf_exempt
@require_http_methods(["GET", "POST"])
@rate_limited("calculator")
def paste(request: HttpRequest) -> HttpResponse:
    """Paste a positions table or JSON and see what was understood, line by line, before
    opening it in the calculator."""
    form = PasteForm(request.POST if request.method == "POST" else None)
    parsed = None
    if form.is_bound and form.is_valid():
        mapping = _mapping(request.POST) if "remap" in request.POST else None
        parsed = parse(form.cleaned_data["text"], mapping)
    context = {
        "form": form,
        "parsed": parsed,
        "fields": list(FIELDS.items()),
        "platforms": [(p.slug, p.name) for p in platform_list()],
        "hidden": open_query(parsed) if parsed and parsed.positions else [],
    }
    status = (
        400 if form.is_bound and (not form.is_valid() or (parsed and not parsed.positions)) else 200
    )
    return render(request, "readers/paste.html", context, status=status)
