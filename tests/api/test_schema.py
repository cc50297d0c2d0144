"""The OpenAPI schema at /api/schema/, the docs at /api/docs/, and responses agreeing with it."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from summits import services
from summits.choices import SummitStatus
from tests import factories
from tests.api.conftest import full_summit


def test_schema_is_public_and_describes_the_api_key(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["components"]["securitySchemes"]["ApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "Send `Authorization: Api-Key <key>`; keys come from the newsroom.",
    }
    assert set(schema["paths"]) == {
        "/api/v1/summits/",
        "/api/v1/summits/{slug}/",
        "/api/v1/summits/{slug}/ninjs/",
        "/api/v1/summits/{slug}/annotations/",
        "/api/v1/withdrawals/",
    }
    for path in schema["paths"].values():
        responses = path["get"]["responses"]
        assert path["get"]["security"] == [{"ApiKey": []}]
        assert {"200", "401", "429"} <= set(responses)
    assert "404" in schema["paths"]["/api/v1/summits/{slug}/"]["get"]["responses"]
    assert "400" in schema["paths"]["/api/v1/summits/"]["get"]["responses"]


def test_docs_are_served_from_our_own_static_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()


@pytest.fixture
def _keep_test_connection():
    # schemathesis calls the WSGI app directly; Django closes "old" connections after each
    # request, which on PostgreSQL would end the test's transaction. Its test Client does this.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, partner_key, _keep_test_connection):
    full_summit(slug="geneva-2021")
    original = full_summit(slug="genf-2021", language="de", country="US")
    full_summit(slug="geneva-2021-fr", language="en", original=original)
    services.set_status(factories.PublishedSummitFactory(slug="withdrawn"), SummitStatus.DRAFT)
    factories.SummitFactory(slug="a-draft")
    return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


# schemathesis 4.32.5's pytest plugin (schemathesis.pytest.from_fixture) sets
# `request.node._nodeid`, which pytest 9 no longer has; its Python API with Hypothesis
# runs the same generated cases and checks.
@pytest.mark.parametrize(
    ("path", "mode"),
    [
        ("/api/v1/summits/", GenerationMode.POSITIVE),
        ("/api/v1/summits/", GenerationMode.NEGATIVE),
        ("/api/v1/summits/{slug}/", GenerationMode.POSITIVE),
        ("/api/v1/summits/{slug}/ninjs/", GenerationMode.POSITIVE),
        ("/api/v1/summits/{slug}/annotations/", GenerationMode.POSITIVE),
        # No negative cases for the detail: any string is a slug the schema allows.
        ("/api/v1/withdrawals/", GenerationMode.POSITIVE),
        ("/api/v1/withdrawals/", GenerationMode.NEGATIVE),
    ],
)
def test_responses_agree_with_the_schema(api_schema, partner_key, path, mode):
    operation = api_schema[path]["GET"]

    class PartnerAuth:
        """Tells schemathesis which header is the real credential, so that its auth checks
        try the request without it (and expect 401) instead of taking it for generated."""

        def get(self, case, context):
            return partner_key.key

        def set(self, case, key, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Api-Key {key}"}

    api_schema.auth()(PartnerAuth)

    @given(case=operation.as_strategy(generation_mode=mode, auth_storage=api_schema.auth))
    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        if mode == GenerationMode.POSITIVE and case.query:
            # A cursor is opaque: only the API's own next/previous links hold valid ones
            # (tests/api/test_pagination.py); any other string is rightly refused with 400.
            case.query.pop("cursor", None)
        case.call_and_validate()

    check()
