"""With the database down, pages answer the friendly 503 (with Retry-After), not a 500."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from platforms import profiles

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def test_the_calculator_answers_503_when_the_database_is_down(visitor):
    with mock.patch.object(
        profiles, "published_platforms", side_effect=OperationalError("connection refused")
    ):
        response = visitor.get("/")
    assert response.status_code == 503
    assert "We cannot reach our data just now" in response.content.decode()
    assert int(response["Retry-After"]) > 0


def test_a_bug_is_still_a_500(visitor):
    with mock.patch.object(profiles, "published_platforms", side_effect=KeyError("bug")):
        response = visitor.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
