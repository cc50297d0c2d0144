"""/api/v1/summits/<slug>/ninjs/: the summit as an IPTC ninjs 2.2 item, valid against its schema."""

import json
from pathlib import Path

import jsonschema
import pytest

from tests import factories
from tests.api.conftest import full_summit

SCHEMA = json.loads((Path(__file__).parent / "ninjs" / "ninjs-schema_2.2.json").read_text())


def validate(document):
    jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(document)


def test_the_vendored_schema_is_ninjs_2_2():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["title"] == "IPTC ninjs - News in JSON - version 2.2"


def test_schema_refuses_what_is_not_ninjs():
    with pytest.raises(jsonschema.ValidationError):
        validate({"uri": "tag:x,2026:1", "headline": "not a ninjs property"})
    with pytest.raises(jsonschema.ValidationError):
        validate({"type": "text"})  # no uri


def test_summit_in_ninjs_is_valid(api):
    original = full_summit(slug="genf", language="de", credit_line="dpa, Reuters")
    participant = original.participants.first()
    participant.wikidata_id = "Q6279"
    participant.save()
    factories.PublishedSummitFactory(slug="geneva", language="en", original=original)
    response = api.get("/api/v1/summits/genf/ninjs/")
    assert response.status_code == 200
    item = response.json()
    validate(item)
    assert item["uri"] == f"tag:testserver,2026:summits/{original.pk}"
    assert item["headlines"][0]["value"] == original.title
    assert item["bodies"][0]["contenttype"] == "text/html"
    assert item["language"] == "de"
    assert item["by"] == "dpa, Reuters"
    assert {"uri": "http://www.wikidata.org/entity/Q6279"}.items() <= item["people"][0].items()
    assert [a["name"] for a in item["associations"]] == ["agreement-1", "dispute-1"]
    assert item["renditions"][0]["href"] == "http://testserver/summits/genf/"


def test_minimal_summit_in_ninjs_is_valid(api):
    factories.PublishedSummitFactory(slug="bare", teaser="", city="", venue="", country="")
    item = api.get("/api/v1/summits/bare/ninjs/").json()
    validate(item)
    assert "descriptions" not in item
    assert "places" not in item


def test_ninjs_of_a_draft_is_404(api):
    factories.SummitFactory(slug="draft")
    assert api.get("/api/v1/summits/draft/ninjs/").status_code == 404


def test_ninjs_answers_conditional_requests(api):
    factories.PublishedSummitFactory(slug="geneva")
    first = api.get("/api/v1/summits/geneva/ninjs/")
    assert first["ETag"] != api.get("/api/v1/summits/geneva/")["ETag"]
    assert (
        api.get("/api/v1/summits/geneva/ninjs/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 304
    )
