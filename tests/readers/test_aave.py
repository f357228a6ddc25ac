"""Aave v3 accounts over JSON-RPC: the call is encoded as Aave's ABI says, and a real recorded
answer (readers/recordings/README.md: a Base-market account one block before it was liquidated)
is decoded, checked against its own health factor, and opened as one loan."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx

from readers import aave
from readers.types import AddressError, UpstreamRefused
from tests.readers.conftest import recording

pytestmark = pytest.mark.django_db
RPC_URL = "https://rpc.example.test/base"
# Aave v3's Base market Pool (bgd-labs/aave-address-book, src/AaveV3Base.sol, POOL)
BASE_POOL = "0xA238Dd80C259a72e81d7e4664a9801593F98d1c5"
# The account the recording was made for (asdv23/liquidation, backend/test/README.md)
ADDRESS = "0xe9526c721d489464079acb7568c1304af8687298"
# The calldata that project sent for it, as its README shows it
RECORDED_CALL = "0xbf92857c000000000000000000000000e9526c721d489464079acb7568c1304af8687298"
READ_AT = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)


@pytest.fixture
def aave_on(settings):
    settings.ACCOUNT_READING_ENABLED = True
    settings.AAVE_RPC_URL = RPC_URL
    settings.AAVE_POOL_ADDRESS = BASE_POOL
    return settings


@pytest.fixture
def rpc():
    with respx.mock(assert_all_mocked=True) as router:
        router.post(RPC_URL).respond(json=recording("aave_base_user_account_data.json"))
        yield router


def test_the_call_is_getuseraccountdata_as_abi_encoded_by_others():
    assert aave.call_data(ADDRESS) == RECORDED_CALL
    # checksummed (mixed-case) input encodes the same 20 bytes
    assert aave.call_data("0xE9526C721D489464079ACB7568C1304AF8687298") == RECORDED_CALL
    body = aave.request_body(BASE_POOL, ADDRESS)
    assert body["method"] == "eth_call" and body["params"][1] == "latest"
    assert body["params"][0] == {"to": BASE_POOL, "data": RECORDED_CALL}


def test_the_recorded_answer_decodes_to_the_figures_its_project_printed():
    loan = aave.parse(
        recording("aave_base_user_account_data.json"), ADDRESS, READ_AT, pool=BASE_POOL
    )
    # asdv23/liquidation's README prints these from the same bytes (ethers' AbiCoder)
    assert loan.collateral_value == Decimal("145.33942611")
    assert loan.debt == Decimal("120.84228335")
    assert loan.available_borrows == 0
    assert loan.liquidation_threshold == Decimal("0.83")
    assert loan.loan_to_value == Decimal("0.8")
    assert loan.health_factor == Decimal("0.998257566191544493")
    # Aave's health factor is collateral × weighted threshold ÷ debt: the figures agree
    assert abs(
        loan.collateral_value * loan.liquidation_threshold / loan.debt - loan.health_factor
    ) < Decimal("1e-9")
    assert not loan.empty


def test_no_debt_is_the_max_uint_health_factor_and_nothing_to_liquidate():
    # Aave returns type(uint256).max as the health factor of an account without debt; these
    # words are built here to test that rule (collateral only, no debt), not a recording.
    words = [10**10, 0, 8 * 10**9, 8300, 8000, 2**256 - 1]
    result = "0x" + "".join(f"{w:064x}" for w in words)
    loan = aave.parse(
        {"jsonrpc": "2.0", "id": 1, "result": result}, ADDRESS, READ_AT, pool=BASE_POOL
    )
    assert loan.health_factor is None and loan.empty


@pytest.mark.parametrize(
    "answer",
    [
        {"jsonrpc": "2.0", "id": 1, "result": "0x"},
        {"result": "0x1234"},
        {"error": {"code": -32000}},
        [],
    ],
)
def test_anything_but_six_words_is_refused(answer):
    with pytest.raises(UpstreamRefused):
        aave.parse(answer, ADDRESS, READ_AT, pool=BASE_POOL)


@pytest.mark.parametrize(
    "address", ["0x12", "e9526c721d489464079acb7568c1304af8687298", "0x" + "g" * 40]
)
def test_a_malformed_address_is_refused_before_anything_is_sent(address):
    with pytest.raises(AddressError):
        aave.clean_address(address)


def post(client, body):
    return client.post("/api/v1/account", data=json.dumps(body), content_type="application/json")


def test_the_api_reads_an_aave_account_as_one_loan(client, seeded, aave_on, rpc):
    response = post(
        client, {"source": {"platform": "aave", "address": ADDRESS}, "compare": ["binance"]}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    # the same loan on another platform's rules (Binance offers no such loan: it says so)
    assert [other["platform"] for other in body["compared"]] == ["binance"]
    source = body["source"]
    assert source["platform"] == "aave" and source["address"] == ADDRESS
    assert source["pool"] == BASE_POOL.lower() and source["read_at"].endswith("Z")
    assert source["balances"]["collateral_value"] == "145.33942611"
    assert source["balances"]["debt"] == "120.84228335"
    assert source["balances"]["health_factor"].startswith("0.99825")
    assert body["contract"] == "loan"
    loan = body["loan"]
    # the engine's loan on the read figures states the same health factor as Aave did
    assert loan["health_factor"].startswith("0.99825")
    # already below 1: liquidatable at the price it was read at, and the answer says so
    assert loan["liquidation_price"] == "145.33942611" and loan["distance_to_liquidation"] == "0"
    assert "liquidated_on_entry" in [w["code"] for w in loan["warnings"]]
    assert "below 1" in body["answer"]
    sent = json.loads(rpc.calls.last.request.content)
    assert sent["params"][0] == {"to": BASE_POOL, "data": RECORDED_CALL}


def test_aave_without_an_endpoint_is_a_503(client, seeded, settings):
    settings.ACCOUNT_READING_ENABLED = True
    settings.AAVE_RPC_URL = ""
    response = post(client, {"source": {"platform": "aave", "address": ADDRESS}})
    assert response.status_code == 503
    assert "Ethereum endpoint" in response.json()["errors"]["source"][0]


def test_an_endpoint_that_does_not_answer_in_time_is_a_504(client, seeded, aave_on):
    with respx.mock(assert_all_mocked=True) as router:
        router.post(RPC_URL).mock(side_effect=httpx.ReadTimeout("slow"))
        response = post(client, {"source": {"platform": "aave", "address": ADDRESS}})
    assert response.status_code == 504


def test_a_subaccount_is_a_field_error_for_aave(client, aave_on):
    response = post(client, {"source": {"platform": "aave", "address": ADDRESS, "subaccount": 1}})
    assert response.status_code == 400
    assert "source.subaccount" in response.json()["errors"]
    response = post(client, {"source": {"platform": "aave", "address": "0x12"}})
    assert response.status_code == 400
    assert "source.address" in response.json()["errors"]


def test_the_page_opens_the_calculator_on_the_loan_with_the_time_it_was_read(
    client, seeded, aave_on, rpc
):
    response = client.post("/account/read/", {"platform": "aave", "address": ADDRESS})
    assert response.status_code == 302
    link = urlsplit(response["Location"])
    query = parse_qs(link.query)
    assert ADDRESS not in response["Location"]
    assert query["contract"] == ["loan"] and query["platform"] == ["aave"]
    assert query["entry_price"] == ["145.33942611"] and query["debt"] == ["120.84228335"]
    assert query["liquidation_threshold"] == ["0.83"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="read-note"' in text and "Aave account read on" in text and "145.33942611" in text


def read_choices(client) -> str:
    page = client.get("/account/").content.decode()
    start = page.index('id="id_read_platform"')
    return page[start : page.index("</select>", start)]


def test_the_account_page_offers_aave_only_with_an_endpoint(client, seeded, settings):
    settings.ACCOUNT_READING_ENABLED = True
    settings.AAVE_RPC_URL = ""
    assert 'value="aave"' not in read_choices(client)
    settings.AAVE_RPC_URL = RPC_URL
    assert 'value="aave"' in read_choices(client)


def test_an_aave_account_without_debt_says_so_on_the_page(client, seeded, aave_on, monkeypatch):
    # the reading itself is replaced here (no recorded debt-free answer was found): this checks
    # what the page does with one, after the parse test above has checked the decoding rule
    from readers import views

    loan = aave.parse(
        {
            "result": "0x"
            + "".join(f"{w:064x}" for w in [10**10, 0, 8 * 10**9, 8300, 8000, 2**256 - 1])
        },
        ADDRESS,
        READ_AT,
        pool=BASE_POOL,
    )
    monkeypatch.setattr(views, "read_account", lambda *args: loan)
    response = client.post("/account/read/", {"platform": "aave", "address": ADDRESS})
    page = response.content.decode()
    assert response.status_code == 200
    assert "no debt on Aave" in page and 'id="read-empty"' in page
    assert "Total collateral" in page and "100.00" in page
