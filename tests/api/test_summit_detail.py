"""GET /api/v1/summits/<slug>/: one published summit, as the contract lists its fields."""

from summits.models import Item
from tests import factories
from tests.api.conftest import full_summit, results


def test_summit_has_the_contract_fields(api):
    summit = full_summit(slug="geneva-2021", lead_image_credit="Photo: X")
    response = api.get("/api/v1/summits/geneva-2021/")
    assert response.status_code == 200
    data = response.json()
    assert list(data) == [
        "id",
        "slug",
        "url",
        "language",
        "title",
        "teaser",
        "body",
        "place",
        "start_date",
        "end_date",
        "participants",
        "topics",
        "image",
        "credit_line",
        "items",
        "corrections",
        "translations",
        "first_published_at",
        "updated_at",
    ]
    assert data["id"] == summit.pk
    assert data["url"] == "http://testserver/summits/geneva-2021/"
    assert data["place"] == {"city": "Geneva", "venue": "Villa La Grange", "country": "CH"}


def test_names_of_participants_and_topics_are_in_the_summits_language(api):
    german = full_summit(slug="gipfel", language="de")
    english = full_summit(slug="summit", language="en")
    putin = factories.ParticipantFactory(name="Vladimir Putin", role="President of Russia")
    putin.create_translation("de", name="Wladimir Putin", role="Präsident Russlands")
    topic = factories.TopicFactory(name="Arms control")
    topic.create_translation("de", name="Rüstungskontrolle")
    for summit in (german, english):
        summit.participants.add(putin)
        summit.topics.add(topic)
        dispute = summit.items.disputes().get()
        Item.objects.filter(pk=dispute.pk).update(topic=topic)
        dispute.stances.all().delete()
        factories.StanceFactory(item=dispute, participant=putin)

    # One page holding both languages, asked for in neither.
    page = {
        summit["slug"]: summit
        for summit in results(api.get("/api/v1/summits/", HTTP_ACCEPT_LANGUAGE="fr"))
    }

    def names(summit):
        participant = next(p for p in summit["participants"] if p["slug"] == putin.slug)
        dispute = next(item for item in summit["items"] if item["kind"] == "dispute")
        return (
            participant["name"],
            participant["role"],
            [t["name"] for t in summit["topics"] if t["slug"] == topic.slug],
            dispute["topic"]["name"],
            {stance["participant"]["name"] for stance in dispute["stances"]},
        )

    assert names(page["gipfel"]) == (
        "Wladimir Putin",
        "Präsident Russlands",
        ["Rüstungskontrolle"],
        "Rüstungskontrolle",
        {"Wladimir Putin"},
    )
    assert names(page["summit"]) == (
        "Vladimir Putin",
        "President of Russia",
        ["Arms control"],
        "Arms control",
        {"Vladimir Putin"},
    )
    detail = api.get("/api/v1/summits/gipfel/").json()
    assert names(detail) == names(page["gipfel"])


def test_a_slug_with_a_nul_byte_or_other_junk_is_a_json_404(api):
    factories.PublishedSummitFactory(slug="geneva")
    api.raise_request_exception = False

    for slug in ("gen%00eva", "geneva%00", "%C3%A9t%C3%A9", "a b"):
        response = api.get(f"/api/v1/summits/{slug}/")
        assert response.status_code == 404, (slug, response.status_code)
        assert response["Content-Type"] == "application/json"
