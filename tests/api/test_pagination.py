"""Cursor pagination on (updated_at, id): a partner walking the pages while editors work
sees every summit that stayed live at least once, and sees a summit twice only when it
changed after the partner had read it (then the second copy is the newer one)."""

import base64
import datetime
from collections import Counter
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from summits import services
from summits.choices import SummitStatus
from summits.models import Summit
from tests import factories
from tests.api.conftest import results

URL = "/api/v1/summits/"


def walk(api, url, between_pages=None):
    """Follows `next` to the end; calls between_pages(page_number) after each page."""
    seen, number = [], 0
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.content
        data = response.json()
        seen += [(summit["slug"], summit["updated_at"]) for summit in data["results"]]
        number += 1
        if between_pages:
            between_pages(number)
        url = data["next"]
    return seen


def test_default_page_size_is_20(api):
    factories.PublishedSummitFactory.create_batch(21)
    response = api.get(URL)
    assert len(results(response)) == 20
    assert response.json()["next"]


def test_pages_list_every_summit_once_in_order_of_change(api):
    summits = factories.PublishedSummitFactory.create_batch(7)
    seen = walk(api, f"{URL}?page_size=2")
    assert [slug for slug, _ in seen] == [summit.slug for summit in summits]


def test_summits_changed_at_the_same_moment_are_told_apart_by_id(api):
    summits = factories.PublishedSummitFactory.create_batch(7)
    moment = timezone.now() - datetime.timedelta(minutes=5)
    Summit.objects.update(updated_at=moment, publish_at=moment)
    seen = walk(api, f"{URL}?page_size=3")
    assert [slug for slug, _ in seen] == [summit.slug for summit in summits]


def test_walk_while_editors_work_skips_nothing_and_repeats_only_changed_summits(api):
    summits = factories.PublishedSummitFactory.create_batch(9)
    read_early, read_late = summits[1], summits[7]

    def editors_work(page_number):
        if page_number == 1:
            services.render_summit(read_early)  # an edit of a summit the partner has read
            services.render_summit(read_late)  # an edit of one it has not read yet
            factories.PublishedSummitFactory(slug="brand-new")

    seen = walk(api, f"{URL}?page_size=3", between_pages=editors_work)
    counts = Counter(slug for slug, _ in seen)
    assert set(counts) == {summit.slug for summit in summits} | {"brand-new"}
    assert counts[read_early.slug] == 2
    assert all(count == 1 for slug, count in counts.items() if slug != read_early.slug)
    first, second = [moment for slug, moment in seen if slug == read_early.slug]
    assert second > first
    assert [slug for slug, _ in seen][-3:] == [read_early.slug, read_late.slug, "brand-new"]


def test_withdrawing_the_summit_a_cursor_points_at_does_not_break_the_walk(api):
    summits = factories.PublishedSummitFactory.create_batch(6)

    def withdraw_last_read(page_number):
        if page_number == 1:
            services.set_status(summits[2], SummitStatus.DRAFT)

    seen = walk(api, f"{URL}?page_size=3", between_pages=withdraw_last_read)
    assert [slug for slug, _ in seen] == [summit.slug for summit in summits]


def test_filters_are_kept_in_the_next_link(api):
    factories.PublishedSummitFactory.create_batch(3, language="de")
    factories.PublishedSummitFactory.create_batch(3, language="en")
    first = api.get(URL, {"language": "de", "page_size": 2}).json()
    assert "language=de" in first["next"] and "page_size=2" in first["next"]
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert second["next"] is None


def test_previous_link_leads_back_to_the_page_before(api):
    summits = factories.PublishedSummitFactory.create_batch(5)
    first = api.get(URL, {"page_size": 2}).json()
    assert first["previous"] is None
    second = api.get(first["next"]).json()
    assert [s["slug"] for s in second["results"]] == [summits[2].slug, summits[3].slug]
    back = api.get(second["previous"]).json()
    assert back["results"] == first["results"]
    assert back["previous"] is None
    assert api.get(back["next"]).json()["results"] == second["results"]


def test_last_page_has_no_next_link(api):
    factories.PublishedSummitFactory.create_batch(2)
    data = api.get(URL, {"page_size": 2}).json()
    assert data["next"] is None


def crafted_cursor(position, reverse=False):
    tokens = {"p": position, **({"r": "1"} if reverse else {})}
    return base64.urlsafe_b64encode(urlencode(tokens).encode()).decode()


@pytest.mark.parametrize(
    "position",
    [
        "9999-12-31T23:59:59-23:59|1",  # past the calendar's end once in UTC
        "0001-01-01T00:00:00+14:00|1",  # before its start
        "2026-12-02T16:35:03|1",  # no offset
        "2026-12-02T16:35:03+00:00|\x00",
        "2026-12-02T16:35:03+00:00|99999999999999999999999",  # beyond a database id
        "2026-12-02T16:35:03+00:00|-1",
    ],
)
def test_a_crafted_cursor_is_a_400_naming_the_cursor(api, position):
    factories.PublishedSummitFactory.create_batch(2)

    response = api.get(URL, {"cursor": crafted_cursor(position)})

    assert response.status_code == 400, response.content
    assert "cursor" in response.json()


def test_a_cursor_with_an_offset_the_database_does_not_take_is_read_in_utc(api):
    # +23:59 is valid ISO 8601 but beyond PostgreSQL's offsets: it was a 500 there.
    factories.PublishedSummitFactory.create_batch(2)

    response = api.get(URL, {"cursor": crafted_cursor("2000-12-02T16:35:03+23:59|1")})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 2
