"""/api/v1/summits/<slug>/annotations/: the items as a W3C Web Annotation collection."""

from summits.annotate import html_to_text
from tests import factories
from tests.api.conftest import full_summit


def test_annotations_are_a_w3c_collection_with_quote_and_position_selectors(api):
    summit = full_summit(slug="geneva")
    response = api.get("/api/v1/summits/geneva/annotations/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert 'profile="http://www.w3.org/ns/anno.jsonld"' in response["Content-Type"]
    collection = response.json()
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection"
    assert collection["id"] == "http://testserver/api/v1/summits/geneva/annotations/"
    assert collection["total"] == 2
    page = collection["first"]
    assert page["type"] == "AnnotationPage"
    agreement = page["items"][0]
    assert agreement["type"] == "Annotation"
    assert agreement["motivation"] == "commenting"
    assert agreement["target"]["source"] == "http://testserver/summits/geneva/"
    quote, position = agreement["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector"
    assert quote["exact"] == factories.PASSAGES[0]
    assert position["type"] == "TextPositionSelector"
    # The positions count characters of the article's text, where the quote is found.
    text = html_to_text(summit.body)
    assert text[position["start"] : position["end"]] == quote["exact"]
    assert text[: position["start"]].endswith(quote["prefix"])
    assert text[position["end"] :].startswith(quote["suffix"])
    purposes = {body["purpose"]: body["value"] for body in agreement["body"]}
    assert purposes["classifying"] == "agreement"
    assert purposes["describing"] == summit.items.get(kind="agreement").title


def test_annotations_of_a_draft_are_404(api):
    factories.SummitFactory(slug="draft")
    assert api.get("/api/v1/summits/draft/annotations/").status_code == 404
