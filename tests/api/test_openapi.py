"""The published API description matches what the API accepts."""

import pytest

from calculator.forms import ComparingForm
from tests.scenarios import BITMEX_INVERSE_GAP


def test_openapi_lists_every_form_field(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    properties = document["components"]["schemas"]["Request"]["properties"]
    assert set(properties) == set(ComparingForm.base_fields)
    assert properties["side"]["enum"] == ["long", "short"]
    assert properties["entry_price"]["exclusiveMinimum"] == 0
    assert set(document["paths"]["/api/v1/evaluate"]) == {"get", "post"}


@pytest.mark.django_db
def test_api_page_documents_fields_and_errors(client):
    page = client.get("/api/").content.decode()
    assert "/api/v1/openapi.json" in page
    assert "<code>insurance_fund_depleted</code>" in page
    assert "Unknown field." in page


@pytest.mark.django_db
def test_the_described_response_is_the_response_and_the_docs_name_its_outcome(client, seeded):
    document = client.get("/api/v1/openapi.json").json()
    schema = document["components"]["schemas"]["Evaluation"]
    body = client.get("/api/v1/evaluate", BITMEX_INVERSE_GAP).json()
    # `collateral` is there only when collateral assets were given, `loan_liquidation` only for
    # a loan with a scenario (tests/api/test_collateral.py)
    assert set(body) == set(schema["properties"]) - {"collateral", "loan_liquidation"}
    outcome_schema = schema["properties"]["outcome"]["properties"]
    assert set(body["outcome"]) == set(outcome_schema)
    page = client.get("/api/").content.decode()
    assert [key for key in outcome_schema if f"<code>{key}</code>" not in page] == []


@pytest.mark.django_db
def test_api_page_shows_code_in_descriptions_as_code_and_compare_as_slugs(client):
    page = client.get("/api/").content.decode()
    assert "Profile slug, e.g. <code>binance</code>." in page
    assert "`" not in page.split("<tbody>")[1].split("</tbody>")[0]
    row = page[page.index("<td><code>compare</code></td>") :].split("</tr>")[0]
    assert "platform slugs" in row and "<code>compare=bitmex,okx</code>" in row
    entry = page[page.index("<td><code>entry_price</code></td>") :].split("</tr>")[0]
    assert "<td>number, &gt; 0, ≤ 1,000,000,000,000</td>" in entry  # numbers stay numbers
    leverage = page[page.index("<td><code>leverage</code></td>") :].split("</tr>")[0]
    assert "<td>number, ≥ 0.01, ≤ 1,000</td>" in leverage  # not 0.0100
    pnl = page[page.index("<td><code>other_unrealized_pnl</code></td>") :].split("</tr>")[0]
    assert "≥ −10,000,000,000,000," in pnl


def test_code_spans_escape_and_leave_an_unpaired_backtick():
    from calculator.templatetags.display import code_spans

    assert code_spans("a `<b>` c") == "a <code>&lt;b&gt;</code> c"
    assert code_spans("it`s") == "it`s"


def test_descriptions_are_the_form_fields_help_text(client):
    from api.forms import StressForm
    from calculator.account_forms import AccountForm, PositionForm
    from incidents.forms import SimulationForm

    document = client.get("/api/v1/openapi.json").json()
    body = document["components"]["schemas"]["Request"]["properties"]
    for name, field in ComparingForm.base_fields.items():
        assert field.help_text, name  # every field is described
        assert body[name]["description"] == field.help_text
    for path, form in (("/api/v1/stress", StressForm), ("/api/v1/simulate", SimulationForm)):
        parameters = {p["name"]: p for p in document["paths"][path]["get"]["parameters"]}
        for name, field in form.base_fields.items():
            assert field.help_text, name
            assert parameters[name]["description"] == field.help_text
    account = document["components"]["schemas"]["AccountRequest"]["properties"]
    position = account["positions"]["items"]["properties"]
    for properties, form in ((account, AccountForm), (position, PositionForm)):
        for name, field in form.base_fields.items():
            assert field.help_text, name
            assert properties[name]["description"] == field.help_text


def test_stress_and_simulate_document_compare_and_every_answer(client):
    document = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/stress", "/api/v1/simulate"):
        get, post = document["paths"][path]["get"], document["paths"][path]["post"]
        assert "compare" in {p["name"] for p in get["parameters"]}
        assert set(get["responses"]) == {"200", "400", "429"}
        assert set(post["responses"]) == {"200", "400", "413", "429"}
        assert "$ref" in get["responses"]["200"]["content"]["application/json"]["schema"]
        assert "Retry-After" in get["responses"]["429"]["headers"]


@pytest.mark.django_db
def test_api_page_says_every_error_is_json(client):
    page = client.get("/api/").content.decode()
    assert "<code>429</code>" in page and "<code>500</code>) is JSON" in page
