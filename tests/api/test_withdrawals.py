"""GET /api/v1/withdrawals/: summits partners must remove, even after a hard delete."""

import datetime

import pytest
from django.utils import timezone

from summits import services
from summits.choices import SummitStatus
from summits.models import Summit
from summits.partners import Withdrawal
from tests import factories
from tests.api.conftest import results, slugs

URL = "/api/v1/withdrawals/"


def withdrawn(api, **params):
    return [(row["slug"], row["reason"]) for row in results(api.get(URL, params))]


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (SummitStatus.DRAFT, "unpublished"),
        (SummitStatus.REVIEW, "unpublished"),
        (SummitStatus.ARCHIVED, "archived"),
    ],
)
def test_unpublished_or_archived_summit_is_withdrawn(api, status, reason):
    summit = factories.PublishedSummitFactory(slug="geneva", language="de")
    services.set_status(summit, status)
    (row,) = results(api.get(URL))
    assert row["id"] == summit.pk
    assert (row["slug"], row["language"], row["reason"]) == ("geneva", "de", reason)
    assert row["withdrawn_at"].endswith("Z")
    assert slugs(api.get("/api/v1/summits/")) == []


def test_deleted_summit_is_withdrawn_and_the_tombstone_outlives_it(api):
    summit = factories.PublishedSummitFactory(slug="geneva")
    pk = summit.pk
    summit.delete()
    assert not Summit.objects.filter(pk=pk).exists()
    (row,) = results(api.get(URL))
    assert (row["id"], row["slug"], row["reason"]) == (pk, "geneva", "deleted")


def test_summits_deleted_in_bulk_are_withdrawn(api):
    factories.PublishedSummitFactory(slug="a")
    factories.PublishedSummitFactory(slug="b")
    factories.SummitFactory(slug="draft")
    Summit.objects.all().delete()  # as the admin's "delete selected" does
    assert sorted(withdrawn(api)) == [("a", "deleted"), ("b", "deleted")]


def test_summit_moved_back_into_the_schedule_is_withdrawn(api):
    summit = factories.PublishedSummitFactory(slug="geneva")
    summit.publish_at = timezone.now() + datetime.timedelta(days=1)
    services.save_summit(summit)
    assert withdrawn(api) == [("geneva", "unpublished")]


def test_summits_that_were_never_live_leave_no_tombstone(api):
    draft = factories.SummitFactory(slug="draft")
    services.set_status(draft, SummitStatus.REVIEW)
    scheduled = factories.PublishedSummitFactory(
        slug="scheduled", publish_at=timezone.now() + datetime.timedelta(days=1)
    )
    services.set_status(scheduled, SummitStatus.DRAFT)
    draft.delete()
    assert withdrawn(api) == []
    assert not Withdrawal.objects.exists()


def test_republished_summit_leaves_the_withdrawals_and_returns_to_the_feed(api):
    summit = factories.PublishedSummitFactory(slug="geneva")
    services.set_status(summit, SummitStatus.DRAFT)
    withdrawn_at = results(api.get(URL))[0]["withdrawn_at"]
    services.publish(summit)
    assert withdrawn(api) == []
    (again,) = results(api.get("/api/v1/summits/", {"updated_since": withdrawn_at}))
    assert again["slug"] == "geneva"


def test_second_withdrawal_moves_the_tombstone_forward(api):
    summit = factories.PublishedSummitFactory(slug="geneva")
    services.set_status(summit, SummitStatus.DRAFT)
    first = results(api.get(URL))[0]["withdrawn_at"]
    services.publish(summit)
    services.set_status(summit, SummitStatus.ARCHIVED)
    rows = results(api.get(URL))
    assert [(row["slug"], row["reason"]) for row in rows] == [("geneva", "archived")]
    assert rows[0]["withdrawn_at"] > first
    assert Withdrawal.objects.count() == 1


def test_since_keeps_withdrawals_at_or_after(api):
    old, new = (
        factories.PublishedSummitFactory(slug="old"),
        factories.PublishedSummitFactory(slug="new"),
    )
    services.set_status(old, SummitStatus.DRAFT)
    Withdrawal.objects.filter(slug="old").update(
        withdrawn_at=timezone.now() - datetime.timedelta(days=2)
    )
    services.set_status(new, SummitStatus.DRAFT)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert withdrawn(api, since=since) == [("new", "unpublished")]
    assert withdrawn(api) == [("old", "unpublished"), ("new", "unpublished")]


def test_invalid_since_is_a_400_naming_it(api):
    response = api.get(URL, {"since": "last week"})
    assert response.status_code == 400
    assert list(response.json()) == ["since"]


def test_withdrawals_need_a_key(db):
    from rest_framework.test import APIClient

    assert APIClient().get(URL).status_code == 401


def test_withdrawals_are_cursor_paginated(api):
    summits = factories.PublishedSummitFactory.create_batch(5)
    for summit in summits:
        services.set_status(summit, SummitStatus.DRAFT)
    first = api.get(URL, {"page_size": 3}).json()
    second = api.get(first["next"]).json()
    assert [row["id"] for row in first["results"] + second["results"]] == [s.pk for s in summits]
    assert second["next"] is None


def test_saving_a_live_summit_records_nothing(db):
    summit = factories.PublishedSummitFactory()
    summit.title = "New headline"
    services.save_summit(summit)
    assert not Withdrawal.objects.exists()
