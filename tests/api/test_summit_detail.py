"""GET /api/v1/summits/<slug>/: one published summit, as the contract lists its fields."""

from tests.api.conftest import full_summit


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
