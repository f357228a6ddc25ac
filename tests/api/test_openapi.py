"""The published API description matches what the API accepts."""

import pytest

from calculator.forms import ScenarioForm


def test_openapi_lists_every_form_field(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    properties = document["components"]["schemas"]["Request"]["properties"]
    assert set(properties) == set(ScenarioForm.base_fields)
    assert properties["side"]["enum"] == ["long", "short"]
    assert properties["entry_price"]["exclusiveMinimum"] == 0
    assert set(document["paths"]["/api/v1/evaluate"]) == {"get", "post"}


@pytest.mark.django_db
def test_api_page_documents_fields_and_errors(client):
    page = client.get("/api/").content.decode()
    assert "/api/v1/openapi.json" in page
    assert "<code>insurance_fund_depleted</code>" in page
    assert "Unknown field." in page
