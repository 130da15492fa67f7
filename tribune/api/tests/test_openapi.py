"""The OpenAPI document, its interactive page, and a fuzzing run of schemathesis against
it: generated requests to every operation (a bounded number each) get no 5xx and answers
that match the document. In-process against Django's WSGI handler; no network."""

import itertools
import json

import pytest
from django.contrib.staticfiles import finders
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode, openapi
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tribune.api.tests.conftest import ApiClient, person, token_for
from tribune.testing import factories

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 20  # per operation and mode: about 15 s in all
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def test_the_openapi_document_is_3_1_with_every_endpoint(anonymous):
    response = anonymous.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {
        "/api/v1/articles",
        "/api/v1/articles/{uuid}",
        "/api/v1/articles/{language}/{slug}",
        "/api/v1/topics",
        "/api/v1/authors",
        "/api/v1/me/articles",
        "/api/v1/me/articles/{uuid}",
        "/api/v1/me/articles/{uuid}/cover",
        "/api/v1/me/articles/{uuid}/submit",
        "/api/v1/me/articles/{uuid}/findings",
    }
    create = document["paths"]["/api/v1/me/articles"]["post"]
    assert create["security"] == [{"TokenAuth": []}]
    assert set(create["responses"]["422"]["content"]) == {"application/problem+json"}
    schemas = document["components"]["schemas"]
    assert schemas["DraftIn"]["properties"]["title"]["examples"]
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_the_interactive_page_runs_under_the_strict_csp(anonymous):
    response = anonymous.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp
    # Only script files from this site; no inline code, no third-party CDN.
    assert html.count("<script") == html.count('<script src="/static/') == 2
    assert "<style" not in html and " style=" not in html and "https://" not in html
    # Served by the site itself (whitenoise), from our app and django-ninja's.
    assert finders.find("api/docs.js") and finders.find("ninja/swagger-ui-bundle.js")


class InProcess:
    """Django behind a WSGI callable, without the request signals that would close the
    test's database connection (and its transaction) after each request."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ, start_response):
        response = self.handler.get_response(WSGIRequest(environ))
        headers = [*response.items()]
        headers += [("Set-Cookie", c.output(header="")) for c in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return [response.content]


@pytest.fixture
def django_settings(settings):
    return settings


def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_document(
    django_settings, committed
):
    django_settings.TRIBUNE_API_RATE_ANONYMOUS = 100_000
    django_settings.TRIBUNE_API_RATE_TOKEN = 100_000
    writer = person("fuzzer")
    topic = factories.topic("trains", en="Trains", de="Bahn")
    with committed():
        factories.article(title="Night trains are back", topics=(topic,), by=writer)
        factories.article(title="Nachtzüge", language="de", topics=(topic,))
    factories.article(title="A draft of mine", by=writer, published=False)
    headers = {"Authorization": f"Bearer {token_for(writer)}"}
    schema = openapi.from_wsgi("/api/openapi.json", InProcess())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 12
    # Valid requests, then invalid ones (wrong types, missing fields), which must be
    # refused with a documented 4xx, never a 5xx.
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    for operation, mode in itertools.product(operations, modes):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Unsatisfiable:
            # An operation without inputs (GET /topics) has no invalid request to make.
            assert mode == GenerationMode.NEGATIVE, operation.label


def test_the_document_is_stable_json(anonymous):
    # Clients cache it; the same code gives the same bytes (and so the same ETag).
    first = anonymous.get("/api/openapi.json")
    second = anonymous.get("/api/openapi.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 304
    assert json.loads(first.content)["info"]["title"] == "Tribune API"


def test_a_client_can_use_the_document_to_find_the_token_header(contributor):
    client = ApiClient(token_for(contributor))
    assert client.get("/api/v1/me/articles").status_code == 200
