"""The account page without a browser: the shareable GET form, add and remove without
JavaScript, htmx redraws, field errors and never a 500."""

from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator.charts import unpacked

pytestmark = pytest.mark.django_db

BASE = {
    "wallet_balance": "10000",
    "positions-TOTAL_FORMS": "2",
    "positions-INITIAL_FORMS": "0",
    "positions-0-symbol": "BTCUSDT",
    "positions-0-quantity": "1",
    "positions-0-entry_price": "100000",
    "positions-1-symbol": "ETHUSDT",
    "positions-1-side": "short",
    "positions-1-quantity": "20",
    "positions-1-entry_price": "3500",
    "positions-1-mark_price": "3600",
}


def page(client, query, **headers):
    return client.get("/account/?" + urlencode(query), **headers)


def test_the_first_visit_shows_an_example_account(client):
    response = client.get("/account/")
    assert response.status_code == 200
    assert response.context["valid"]
    assert "from liquidation" in response.context["answer"]


def test_a_shared_address_shows_each_position_the_ratio_and_the_map(client):
    response = page(client, BASE)
    context = response.context
    assert context["answer"].startswith("Your ETHUSDT short leaves your BTCUSDT long 7.3%")
    html = response.content.decode()
    assert 'id="margin-ratio">8.6%<' in html
    assert html.count("<tr data-position=") == 2
    (figure,) = context["figures"]
    names = [trace["name"] for trace in figure.figure["data"]]
    assert names[:3] == ["Every mark moves", "Only BTCUSDT moves", "Only ETHUSDT moves"]
    moves = unpacked(figure.figure["data"][0]["x"])
    assert moves[0] == -90 and moves[-1] == 90 and len(moves) == 181
    assert figure.rows[0][0] == "-90%"
    # BTC alone falling 90%: 10,000 − 2,000 − 90,000 = −82,000
    assert (
        "If BTCUSDT alone falls 90%, the account is $82,000.00 below zero" in (context["who_pays"])
    )


def test_the_maps_summary_says_what_each_line_shows_in_words(client):
    # the example account is hedged: moving every mark together never liquidates it
    (example,) = client.get("/account/").context["figures"]
    assert example.summary.startswith(
        "Moving the marks, no move of all the marks together liquidates the account; a "
    )
    (figure,) = page(client, BASE).context["figures"]
    clauses = figure.summary.removeprefix("Moving the marks, ").removesuffix(".").split("; ")
    assert [clause.split(" ", 2)[2] for clause in clauses] == [
        "fall of every mark liquidates it",
        "fall of BTCUSDT alone liquidates it",
        "rise of ETHUSDT alone liquidates it",
    ]
    # the same distance as the answer's (BTC alone falling 7.3% leaves the account at zero)
    assert clauses[1].startswith("a 7.3% fall")


def test_an_address_without_the_formsets_bookkeeping_still_answers(client):
    # written by hand or shortened: no positions-TOTAL_FORMS / -INITIAL_FORMS
    bare = {k: v for k, v in BASE.items() if not k.endswith("_FORMS")}
    response = page(client, bare)
    html = response.content.decode()
    assert "ManagementForm data is missing" not in html and "(Hidden field" not in html
    assert response.context["valid"]
    assert response.context["answer"] == page(client, BASE).context["answer"]
    # only the count left out
    counted = {k: v for k, v in BASE.items() if k != "positions-TOTAL_FORMS"}
    assert page(client, counted).context["valid"]
    # "Add position" on such an address keeps the two it names and adds a third
    added = page(client, {**bare, "add": "1"})
    assert added.status_code == 302
    assert dict(parse_qsl(urlsplit(added.url).query))["positions-TOTAL_FORMS"] == "3"
    # no positions at all: the page's own message, not Django's
    empty = page(client, {"wallet_balance": "10000"}).content.decode()
    assert "ManagementForm data is missing" not in empty
    assert "Add at least one position." in empty


def test_add_and_remove_without_javascript_redirect_to_the_edited_address(client):
    added = page(client, {**BASE, "add": "1"})
    assert added.status_code == 302
    query = dict(parse_qsl(urlsplit(added["Location"]).query, keep_blank_values=True))
    assert query["positions-TOTAL_FORMS"] == "3" and "add" not in query
    shown = client.get(added["Location"])
    assert shown.content.decode().count('class="position-row') == 3
    assert shown.context["valid"]  # a new blank row is no error
    removed = page(client, {**BASE, "remove": "0"})
    query = dict(parse_qsl(urlsplit(removed["Location"]).query, keep_blank_values=True))
    assert query["positions-TOTAL_FORMS"] == "1"
    assert query["positions-0-symbol"] == "ETHUSDT"
    assert "positions-1-symbol" not in query


def test_htmx_add_renders_the_form_and_pushes_the_address(client):
    response = page(client, {**BASE, "add": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "positions-TOTAL_FORMS=3" in response["HX-Push-Url"]
    html = response.content.decode()
    assert 'data-focus-row="2"' in html and "Position 3 added." in html


def test_htmx_redraw_renders_the_results_and_bad_input_keeps_them(client):
    response = page(client, BASE, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="account-results")
    html = response.content.decode()
    assert 'id="answer"' in html and "<form" not in html
    bad = page(
        client,
        {**BASE, "positions-1-entry_price": "-3"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="account-results",
    )
    assert bad["HX-Reswap"] == "none"
    assert (
        'id="err-positions-1-entry_price" hx-swap-oob="true">Entry price must be more than 0.'
        in (bad.content.decode())
    )


def test_engine_errors_land_on_the_position_field(client):
    query = {
        **BASE,
        "positions-1-contract": "inverse",
        "positions-1-symbol": "BTCUSD",
        "positions-1-quantity": "1000",
    }
    response = page(client, query)
    assert not response.context["valid"]
    errors = response.context["formset"].forms[1].errors
    assert "one currency" in errors["contract"][0]


fields = st.sampled_from(
    [
        *("wallet_balance", "positions-TOTAL_FORMS", "positions-0-quantity", "positions-0-side"),
        *("positions-1-entry_price", "positions-1-mark_price", "positions-1-margin_mode", "add"),
        *("remove", "positions-0-margin", "positions-0-leverage", "platform", "position_mode"),
    ]
)
values = st.sampled_from(["", "0", "-1", "1e999", "NaN", "abc", "7", "51", "cross", "isolated"])


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(fields, values))
def test_never_a_500(changes):
    response = Client().get("/account/?" + urlencode({**BASE, **changes}))
    assert response.status_code in (200, 302)


def test_an_engine_error_after_a_blank_row_lands_on_its_own_row(client):
    query = {
        **BASE,
        "positions-TOTAL_FORMS": "3",
        "positions-0-mark_price": "100000",
        "positions-1-symbol": "",
        "positions-1-side": "short",
        "positions-1-quantity": "",
        "positions-1-entry_price": "",
        "positions-1-mark_price": "",
        "positions-2-symbol": "BTCUSDT",
        "positions-2-quantity": "1",
        "positions-2-entry_price": "100000",
        "positions-2-mark_price": "99000",
    }
    response = page(client, query)
    assert not response.context["valid"]
    forms = response.context["formset"].forms
    assert forms[1].errors == {}
    assert "one mark price" in forms[2].errors["mark_price"][0]


def test_an_isolated_position_stands_alone_beside_the_cross_ones(client):
    query = {
        **BASE,
        "positions-TOTAL_FORMS": "3",
        "positions-2-symbol": "SOLUSDT",
        "positions-2-margin_mode": "isolated",
        "positions-2-entry_price": "150",
        "positions-2-margin": "100",
        "positions-2-leverage": "10",
    }
    response = page(client, query)
    assert response.context["valid"]
    sol = response.context["evaluation"].positions[2]
    assert sol.margin_mode == "isolated"
    assert abs(sol.quantity - Decimal(20) / 3) < Decimal("1e-20")  # 100 × 10 / 150
    assert sol.bankruptcy_price == 135  # 150 − 100 / (1,000 / 150)
    assert "isolated</span>" in response.content.decode()
