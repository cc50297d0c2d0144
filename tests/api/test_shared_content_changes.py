"""A participant or topic edited in the admin is shown by many summits: partners refetch them."""

from django.urls import reverse
from django.utils import timezone

from summits.partners import mark_summits_showing
from tests import factories
from tests.admin_forms import form_data
from tests.api.conftest import full_summit, slugs

URL = "/api/v1/summits/"


def test_renamed_participant_brings_its_summits_back_into_updated_since(api, admin_client):
    summit = full_summit(slug="geneva")
    factories.PublishedSummitFactory(slug="unrelated")
    participant = summit.participants.first()
    mark = timezone.now().isoformat()
    url = reverse("admin:summits_participant_change", args=[participant.pk])
    data = form_data(admin_client.get(url))
    data["name"] = "A corrected name"
    assert admin_client.post(url, data).status_code == 302
    assert slugs(api.get(URL, {"updated_since": mark})) == ["geneva"]
    names = [p["name"] for p in api.get(f"{URL}geneva/").json()["participants"]]
    assert "A corrected name" in names


def test_summits_showing_a_participant_only_in_a_stance_are_marked_too(db):
    summit = factories.PublishedSummitFactory()
    stance = factories.StanceFactory(item=factories.DisputeFactory(summit=summit))
    before = summit.updated_at
    assert mark_summits_showing(stance.participant) == 1
    summit.refresh_from_db()
    assert summit.updated_at > before


def test_summits_showing_a_topic_on_an_item_are_marked(db):
    summit = factories.PublishedSummitFactory()
    topic = factories.TopicFactory()
    factories.ItemFactory(summit=summit, topic=topic)
    assert mark_summits_showing(topic) == 1
