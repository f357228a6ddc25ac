"""The account page's htmx redraw (issue #23): what it leaves out for speed, and that what it
leaves out still arrives, the same, when asked for."""

import re
from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from calculator import account_views, recent
from tests.views.test_account import BASE

pytestmark = pytest.mark.django_db

REDRAW = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "account-results"}


def redraw(client, query):
    return client.get("/account/?" + urlencode(query), **REDRAW)


def map_table(html: str) -> str:
    return re.search(r'<details class="chart-table" id="table-map".*?</details>', html, re.S)[0]


def test_a_valid_redraw_sends_no_error_slots_and_no_closed_table(client):
    html = redraw(client, {**BASE, "wallet_balance": "10001"}).content.decode()
    assert 'id="answer"' in html
    assert 'id="account-status" hx-swap-oob="innerHTML"' in html  # the status line still
    assert 'class="error"' not in html  # account.js empties the slots instead
    box = map_table(html)
    assert "<table" not in box and 'data-lazy-url="/account/table?' in box


def test_the_left_out_table_is_the_pages_own(client):
    query = {**BASE, "wallet_balance": "10002"}
    page = client.get("/account/?" + urlencode(query)).content.decode()
    html = redraw(client, query).content.decode()
    url = re.search(r'data-lazy-url="([^"]+)"', html)[1].replace("&amp;", "&")
    table = client.get(url, HTTP_HX_REQUEST="true")
    assert table.status_code == 200
    body = table.content.decode()
    assert body.count("<tr>") == 14  # the heading and 13 moves
    assert body.strip() in map_table(page)
    # without htmx: the account's page, at the table
    plain = client.get(url)
    assert plain.status_code == 302 and plain["Location"].endswith("#table-map")
    assert "figure=" not in plain["Location"]
    # an unknown figure or an account that does not add up: a message, never a 500
    unknown = client.get(url.replace("figure=map", "figure=nope"), HTTP_HX_REQUEST="true")
    assert unknown.status_code == 400
    broken = client.get(
        url.replace("positions-0-quantity=1", "positions-0-quantity=-1"), HTTP_HX_REQUEST="true"
    )
    assert broken.status_code == 400 and "cannot be worked out" in broken.content.decode()


def test_the_same_redraw_again_comes_from_memory(client, monkeypatch):
    query = {**BASE, "wallet_balance": "10003"}
    first = redraw(client, query)

    def never(query):
        raise AssertionError("worked out again")

    monkeypatch.setattr(account_views, "account_context", never)
    again = redraw(client, query)
    assert again.status_code == 200 and again.content == first.content


def test_bad_input_is_never_kept(client):
    query = {**BASE, "wallet_balance": "10004", "positions-0-quantity": "-1"}
    for _ in range(2):
        bad = redraw(client, query)
        assert bad["HX-Reswap"] == "none"
        assert "Quantity must be more than 0." in bad.content.decode()
    assert recent.get(account_views._recent_key(QueryDict(urlencode(query)))) is None
