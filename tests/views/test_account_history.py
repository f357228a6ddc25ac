"""The account page's answer to htmx's history-restore request: the back button asks the server
for the address's account (the page keeps no copy of itself) and swaps in what the response's
history element holds: the form and the results, not the scripts after them."""

from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.django_db

QUERY = {
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
    "positions-1-mark_price": "3777",
}
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


def test_a_history_restore_gets_the_whole_page_with_the_addresss_account(client, seeded):
    html = client.get("/account/", QUERY, headers=RESTORE).content.decode()
    element = html.index("hx-history-elt")
    # the form, filled from the address, and the results inside the history element
    assert html.index('<form id="account-form"', element) > element
    assert 'value="3777"' in html[element:]
    assert html.index('id="answer"', element) > element
    # the scripts outside it, so a restore does not run them again
    assert html.index("js/account.js") > html.index("</main>")


def test_the_page_keeps_no_copy_of_itself_for_htmx(client, seeded):
    html = client.get("/account/?" + urlencode(QUERY)).content.decode()
    assert 'hx-history="false"' in html
    assert "historyCacheSize" not in html


def test_the_restore_and_the_redraw_share_an_address_so_caches_are_told_they_differ(client, seeded):
    redraw = client.get("/account/", QUERY, headers={"HX-Request": "true"})
    restore = client.get("/account/", QUERY, headers=RESTORE)
    assert 'id="account-form"' not in redraw.content.decode()  # the results alone
    for response in (redraw, restore):
        assert "HX-History-Restore-Request" in response["Vary"]
