"""GET /api/v1/summits/: published summits only, nested content, constant queries."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from summits import services
from summits.choices import SummitStatus
from summits.models import Item, ItemUpdate, Stance
from tests import factories
from tests.api.conftest import full_summit, results, slugs

URL = "/api/v1/summits/"


def hidden_summits():
    """One summit of every kind a reader must not see."""
    factories.SummitFactory(slug="draft")
    factories.SummitFactory(slug="in-review", status=SummitStatus.REVIEW)
    factories.SummitFactory(
        slug="archived",
        status=SummitStatus.ARCHIVED,
        publish_at=timezone.now() - datetime.timedelta(days=1),
    )
    factories.PublishedSummitFactory(
        slug="scheduled", publish_at=timezone.now() + datetime.timedelta(hours=1)
    )


def test_list_shows_only_published_summits(api):
    hidden_summits()
    factories.PublishedSummitFactory(slug="live")
    assert slugs(api.get(URL)) == ["live"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?language=en",
        "?country=CH",
        "?year=2021",
        "?q=ambassadors",
        "?updated_since=2000-01-01",
        "?published_since=2000-01-01",
        "?page_size=100",
    ],
)
def test_hidden_summits_stay_hidden_whatever_the_filters(api, query):
    hidden_summits()
    leader, topic = factories.ParticipantFactory(slug="leader"), factories.TopicFactory(slug="arms")
    for summit in factories.SummitFactory._meta.model.objects.all():
        summit.participants.add(leader)
        summit.topics.add(topic)
    assert slugs(api.get(URL + query)) == []
    assert slugs(api.get(URL + "?participant=leader")) == []
    assert slugs(api.get(URL + "?topic=arms")) == []


@pytest.mark.parametrize("slug", ["draft", "in-review", "archived", "scheduled"])
def test_hidden_summit_has_no_detail(api, slug):
    hidden_summits()
    response = api.get(f"{URL}{slug}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No published summit has this slug."}


def test_scheduled_summit_appears_when_its_time_comes(api):
    summit = factories.PublishedSummitFactory(
        slug="scheduled", publish_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert slugs(api.get(URL)) == []
    later = timezone.now() + datetime.timedelta(hours=1, seconds=1)
    # No write: the cached version of the published set ends when the summit goes live.
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert slugs(api.get(URL)) == [summit.slug]


def test_list_nests_items_with_anchor_stances_and_updates(api):
    full_summit(slug="geneva")
    (summit,) = results(api.get(URL))
    agreement, dispute = summit["items"]
    assert agreement["kind"] == "agreement"
    assert agreement["anchor"]["exact"] == factories.PASSAGES[0]
    assert agreement["anchor"]["state"] == "anchored"
    assert agreement["anchor"]["end"] - agreement["anchor"]["start"] == len(factories.PASSAGES[0])
    assert agreement["topic"]["slug"] == summit["topics"][0]["slug"]
    assert agreement["updates"][0]["status"] == "in_progress"
    assert dispute["kind"] == "dispute"
    assert [stance["participant"]["slug"] for stance in dispute["stances"]] == [
        participant["slug"] for participant in summit["participants"]
    ]
    assert summit["corrections"][0]["text"] == "An earlier version gave the wrong venue."


def test_times_are_given_in_utc(api):
    full_summit()
    (summit,) = results(api.get(URL))
    assert summit["updated_at"].endswith("Z")
    assert summit["first_published_at"].endswith("Z")
    assert summit["corrections"][0]["published_at"].endswith("Z")


def test_translations_link_published_family_members_only(api):
    original = factories.PublishedSummitFactory(slug="genf", language="de")
    factories.PublishedSummitFactory(slug="geneva", language="en", original=original)
    factories.PublishedSummitFactory(slug="geneve", language="fr", original=original)
    factories.SummitFactory(slug="ginevra", language="it", original=original)  # a draft
    data = {summit["slug"]: summit for summit in results(api.get(URL))}
    assert [t["slug"] for t in data["genf"]["translations"]] == ["geneva", "geneve"]
    assert [t["slug"] for t in data["geneva"]["translations"]] == ["genf", "geneve"]
    assert data["geneva"]["translations"][0] == {
        "id": original.pk,
        "language": "de",
        "slug": "genf",
        "url": "http://testserver/summits/genf/",
    }
    services.set_status(original, SummitStatus.DRAFT)
    detail = api.get(f"{URL}geneva/").json()
    assert [t["slug"] for t in detail["translations"]] == ["geneve"]


def test_detail_is_the_same_as_in_the_list(api):
    full_summit(slug="geneva")
    assert api.get(f"{URL}geneva/").json() == results(api.get(URL))[0]


def summits_with_items(count, items=15):
    """`count` published summits, each with `items` disputes with a stance and an update.

    Bulk inserts after the first item, which is anchored the usual way (the rest copy it).
    """
    leaders = [factories.ParticipantFactory() for _ in range(3)]
    topic = factories.TopicFactory()
    for _ in range(count):
        summit = factories.PublishedSummitFactory()
        summit.participants.set(leaders)
        summit.topics.set([topic])
        first = factories.DisputeFactory(
            summit=summit, position=1, topic=topic, quote=factories.PASSAGES[3]
        )
        others = Item.objects.bulk_create(
            Item(
                summit=summit,
                kind=first.kind,
                position=position,
                title=f"Dispute {position}",
                summary=first.summary,
                topic=topic,
                status=first.status,
                quote=first.quote,
                quote_prefix=first.quote_prefix,
                quote_suffix=first.quote_suffix,
                anchor_start=first.anchor_start,
                anchor_end=first.anchor_end,
                anchor_state=first.anchor_state,
            )
            for position in range(2, items + 1)
        )
        disputes = [first, *others]
        Stance.objects.bulk_create(
            Stance(item=dispute, participant=leaders[0], position="Firm.") for dispute in disputes
        )
        ItemUpdate.objects.bulk_create(
            ItemUpdate(item=dispute, date=datetime.date(2021, 7, 1), note="<p>Talks.</p>")
            for dispute in disputes
        )
        factories.CorrectionFactory(summit=summit)


# The key (and its last use, once a minute), the feed's version (newest change, latest
# withdrawal), the page, the summits' rows, and one query for each prefetched relation:
# participants, topics, items, the items' topics, stances, the stances' participants, updates,
# corrections, translations, originals and their translations; and the names in every
# language of the participants, the topics, the items' topics and the stances' participants.
QUERY_BUDGET = 19


@pytest.mark.parametrize("page_size", [1, 50])
def test_list_makes_a_constant_number_of_queries(api, django_assert_max_num_queries, page_size):
    summits_with_items(50)
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = api.get(f"{URL}?page_size={page_size}")
    assert len(results(response)) == page_size
    assert len(results(response)[0]["items"]) == 15


def test_detail_makes_a_constant_number_of_queries(api, django_assert_max_num_queries):
    summits_with_items(1)
    slug = factories.SummitFactory._meta.model.objects.get().slug
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = api.get(f"{URL}{slug}/")
    assert len(response.json()["items"]) == 15


def changed_at(api, slug):
    return api.get(f"{URL}{slug}/").json()["updated_at"]


def test_translations_are_marked_changed_when_a_family_member_comes_or_goes(api):
    original = factories.PublishedSummitFactory(slug="genf", language="de")
    factories.PublishedSummitFactory(slug="geneva", language="en", original=original)
    before = changed_at(api, "genf")
    french = factories.PublishedSummitFactory(slug="geneve", language="fr", original=original)
    after_publication = changed_at(api, "genf")
    assert after_publication > before
    assert [t["slug"] for t in api.get(f"{URL}genf/").json()["translations"]] == [
        "geneva",
        "geneve",
    ]
    services.set_status(french, SummitStatus.DRAFT)
    assert changed_at(api, "genf") > after_publication
    assert [t["slug"] for t in api.get(f"{URL}geneva/").json()["translations"]] == ["genf"]


def test_renaming_a_live_translation_marks_its_family_changed(api):
    original = factories.PublishedSummitFactory(slug="genf", language="de")
    english = factories.PublishedSummitFactory(slug="geneva", language="en", original=original)
    before = changed_at(api, "genf")
    english.slug = "geneva-2021"
    services.save_summit(english)
    assert changed_at(api, "genf") > before
    (translation,) = api.get(f"{URL}genf/").json()["translations"]
    assert translation["url"] == "http://testserver/summits/geneva-2021/"


def test_deleting_a_translation_marks_its_family_changed(api):
    original = factories.PublishedSummitFactory(slug="genf", language="de")
    english = factories.PublishedSummitFactory(slug="geneva", language="en", original=original)
    before = changed_at(api, "genf")
    english.delete()
    assert changed_at(api, "genf") > before
    assert api.get(f"{URL}genf/").json()["translations"] == []
