"""Filters of /api/v1/summits/: each one narrows the list; an invalid value is a 400 naming it."""

import datetime

import pytest
from django.utils import timezone

from summits import caching, services
from summits.models import Summit
from tests import factories
from tests.api.conftest import slugs

URL = "/api/v1/summits/"


def test_updated_since_keeps_summits_changed_at_or_after(api):
    old = factories.PublishedSummitFactory(slug="old")
    factories.PublishedSummitFactory(slug="new")
    Summit.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=2),
        publish_at=timezone.now() - datetime.timedelta(days=2),
    )
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert slugs(api.get(URL, {"updated_since": since})) == ["new"]


def test_updated_since_counts_a_scheduled_summit_from_when_it_went_live(api):
    summit = factories.PublishedSummitFactory(
        slug="scheduled", publish_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    before_it_went_live = timezone.now()
    # Its time comes without any save: updated_at stays where scheduling left it.
    Summit.objects.filter(pk=summit.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=1), publish_at=timezone.now()
    )
    data = api.get(URL, {"updated_since": before_it_went_live.isoformat()}).json()["results"]
    assert [row["slug"] for row in data] == ["scheduled"]
    assert data[0]["updated_at"] == summit_publish_at_z(summit)


def summit_publish_at_z(summit):
    summit.refresh_from_db()
    return summit.publish_at.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


@pytest.mark.parametrize(
    "value",
    [
        "2021-06-16T10:00:00Z",
        "2021-06-16T10:00:00+00:00",
        "2021-06-16T12:00:00+02:00",
        "2021-06-16T10:00:00",
    ],
)
def test_updated_since_accepts_iso_8601_and_reads_naive_times_as_utc(api, value):
    summit = factories.PublishedSummitFactory(slug="s")
    moment = datetime.datetime(2021, 6, 16, 10, 0, tzinfo=datetime.UTC)
    # Moments set around the write path, as a data migration would: the cache is told.
    Summit.objects.filter(pk=summit.pk).update(updated_at=moment, publish_at=moment)
    caching.content_changed()
    assert slugs(api.get(URL, {"updated_since": value})) == ["s"]
    later = Summit.objects.filter(pk=summit.pk)
    later.update(
        updated_at=moment - datetime.timedelta(microseconds=1),
        publish_at=moment - datetime.timedelta(microseconds=1),
    )
    caching.content_changed()
    assert slugs(api.get(URL, {"updated_since": value})) == []


def test_published_since_keeps_summits_first_published_at_or_after(api):
    factories.PublishedSummitFactory(
        slug="old", publish_at=timezone.now() - datetime.timedelta(days=3)
    )
    factories.PublishedSummitFactory(
        slug="new", publish_at=timezone.now() - datetime.timedelta(hours=1)
    )
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert slugs(api.get(URL, {"published_since": since})) == ["new"]


def test_country_filter_ignores_case(api):
    factories.PublishedSummitFactory(slug="geneva", country="CH")
    factories.PublishedSummitFactory(slug="helsinki", country="FI")
    assert slugs(api.get(URL, {"country": "FI"})) == ["helsinki"]
    assert slugs(api.get(URL, {"country": "fi"})) == ["helsinki"]


def test_participant_and_topic_filters_take_slugs(api):
    biden, putin = (
        factories.ParticipantFactory(slug="biden"),
        factories.ParticipantFactory(slug="putin"),
    )
    arms = factories.TopicFactory(slug="arms-control")
    geneva = factories.PublishedSummitFactory(slug="geneva")
    geneva.participants.set([biden, putin])
    geneva.topics.set([arms])
    other = factories.PublishedSummitFactory(slug="other")
    other.participants.set([biden])
    assert slugs(api.get(URL, {"participant": "putin"})) == ["geneva"]
    assert sorted(slugs(api.get(URL, {"participant": "biden"}))) == ["geneva", "other"]
    assert slugs(api.get(URL, {"topic": "arms-control"})) == ["geneva"]
    assert slugs(api.get(URL, {"participant": "biden", "topic": "arms-control"})) == ["geneva"]


def test_unknown_participant_or_topic_slug_is_an_empty_answer(api):
    factories.PublishedSummitFactory()
    assert slugs(api.get(URL, {"participant": "nobody"})) == []
    assert slugs(api.get(URL, {"topic": "nothing"})) == []


def test_year_filter_uses_the_start_date(api):
    factories.PublishedSummitFactory(slug="s2021", start_date=datetime.date(2021, 6, 16))
    factories.PublishedSummitFactory(slug="s2018", start_date=datetime.date(2018, 7, 16))
    assert slugs(api.get(URL, {"year": "2018"})) == ["s2018"]


def test_q_searches_the_summit_text(api):
    factories.PublishedSummitFactory(slug="found", title="Talks in the mountains")
    factories.PublishedSummitFactory(slug="other", title="Talks by the sea")
    for summit in Summit.objects.all():
        services.render_summit(summit)  # stores the search text, as every admin save does
    assert slugs(api.get(URL, {"q": "mountains"})) == ["found"]


def test_language_filter(api):
    factories.PublishedSummitFactory(slug="genf", language="de")
    factories.PublishedSummitFactory(slug="geneva", language="en")
    assert slugs(api.get(URL, {"language": "de"})) == ["genf"]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("updated_since", "yesterday"),
        ("updated_since", "2021-13-01"),
        ("updated_since", "2021-06-16T25:00:00Z"),
        ("published_since", "soon"),
        ("year", "abc"),
        ("year", "2021.5"),
        ("year", "99999999999999999999999"),
        ("year", "1066"),
        ("country", "XX"),
        ("country", "Switzerland"),
        ("participant", "x" * 5000),
        ("participant", "not a slug"),
        ("topic", "x" * 201),
        ("topic", "arms/control"),
        ("q", "word " * 100),
        ("q", "nul\x00byte"),
        ("language", "xx"),
        ("page_size", "0"),
        ("page_size", "101"),
        ("page_size", "ten"),
        ("cursor", "not-a-cursor"),
        ("cursor", "cD0yMDIxfDE="),  # base64 of "p=2021|1": no time zone
    ],
)
def test_invalid_value_is_a_400_naming_the_parameter(api, parameter, value):
    factories.PublishedSummitFactory()
    response = api.get(URL, {parameter: value})
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body) == [parameter]
    assert body[parameter] and all(isinstance(message, str) for message in body[parameter])


def test_several_invalid_values_are_all_named(api):
    response = api.get(URL, {"year": "abc", "updated_since": "yesterday", "country": "XX"})
    assert response.status_code == 400
    assert sorted(response.json()) == ["country", "updated_since", "year"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("updated_after=2021-01-01", "updated_after"),  # a misspelt filter
        ("updated_since=", "updated_since"),
        ("country=", "country"),
        ("year=2021&year=2022", "year"),
    ],
)
def test_unknown_empty_or_repeated_parameter_is_a_400_naming_it(api, query, parameter):
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_detail_takes_no_query_parameters(api):
    factories.PublishedSummitFactory(slug="geneva")
    response = api.get(f"{URL}geneva/?year=2021")
    assert response.status_code == 400
    assert list(response.json()) == ["year"]


def test_invalid_request_is_400_even_with_a_matching_if_none_match(api):
    factories.PublishedSummitFactory()
    response = api.get(URL, {"year": "abc"}, HTTP_IF_NONE_MATCH="*")
    assert response.status_code == 400
