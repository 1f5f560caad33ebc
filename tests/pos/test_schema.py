"""The POS API's OpenAPI schema: served, checked in, and kept by the API itself, which
schemathesis tests against the schema with generated input, valid and not."""

from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from omni_plugin.pos.schema import schema_yaml
from tests.pos.factories import API, manchester_store, till_of

CHECKED_IN = Path(__file__).resolve().parents[2] / "docs" / "pos" / "openapi.yaml"
REGENERATE = "python sandbox/manage.py omni_pos_schema > docs/pos/openapi.yaml"


def test_the_checked_in_schema_is_the_generated_one():
    assert CHECKED_IN.read_text() == schema_yaml(), f"The schema changed: run {REGENERATE}"


def test_the_schema_is_served(client):
    response = client.get(API + "schema/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert response.content.decode() == CHECKED_IN.read_text()


@pytest.fixture
def connection_kept():
    """As Django's test client does, calls straight to the WSGI application must not close
    the connection that holds the test's transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def authorization(db, product, connection_kept):
    return {"Authorization": f"Bearer {till_of(manchester_store(pickup_enabled=True)).key}"}


schema = schemathesis.openapi.from_wsgi(API + "schema/", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_the_api_keeps_to_its_schema(case, authorization):
    case.call_and_validate(
        headers=authorization,
        checks=[
            not_a_server_error,
            response_schema_conformance,
            status_code_conformance,
            content_type_conformance,
        ],
    )
