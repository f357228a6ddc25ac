"""Quotes copied from a source's table are shown as a table, not as pipes."""

import pytest

from platforms.templatetags.quotes import quote_parts

pytestmark = pytest.mark.django_db


def shown(quote: str) -> list:
    return [part.rows or part.text for part in quote_parts(quote)]


def test_plain_quote_is_one_paragraph():
    assert shown("Losing traders never owe more than the margin posted.") == [
        "Losing traders never owe more than the margin posted."
    ]


def test_rows_on_lines_become_one_table_and_single_cells_stay_text():
    quote = "BTCUSD COIN-M Futures Contracts | ||\nLeverage | Initial Margin Rate |\n125x | 0.8% |"
    assert shown(quote) == [
        "BTCUSD COIN-M Futures Contracts",
        [["Leverage", "Initial Margin Rate"], ["125x", "0.8%"]],
    ]


def test_rows_joined_by_semicolons_and_a_sentence_before_an_omission():
    # Binance's USDⓈ-M tier table as quoted in binance.json, and Deribit's fee notice
    assert shown("0–50,000 | 125x | 0.40%; 50,000–250,000 | 100x | 0.50%") == [
        [["0–50,000", "125x", "0.40%"], ["50,000–250,000", "100x", "0.50%"]]
    ]
    assert shown("Fees rise to 0.75%. ... BTC Liquidation fees | 0.5% | 0.75% |") == [
        "Fees rise to 0.75%. …",
        [["BTC Liquidation fees", "0.5%", "0.75%"]],
    ]


def test_profile_pages_show_no_pipes(client, seeded):
    for slug in ("binance", "deribit", "gate", "bitget"):
        page = client.get(f"/platforms/{slug}/").content.decode()
        quotes = page.split("<blockquote")[1:]
        assert quotes, slug
        assert all("|" not in quote.split("</blockquote>")[0] for quote in quotes), slug
