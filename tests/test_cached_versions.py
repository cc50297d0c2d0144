"""The versions cached pages and API answers depend on are held in the cache (summits.caching):
a cache hit costs no SQL, and nothing stale outlives a write, a schedule or VERSION_TIMEOUT."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from summits import caching, services
from summits.models import Summit
from summits.partners import PartnerKey
from tests import factories
from tests.test_views import annotated_summit

API = "/api/v1/summits/"

pytestmark = pytest.mark.django_db


def reader_urls(summit):
    return [
        summit.get_absolute_url(),
        reverse("summits:list"),
        reverse("summits:list") + "?q=summit",
        reverse("summits:tracker"),
    ]


def api_urls(summit):
    return [f"{API}{summit.slug}/", f"{API}?page_size=50", f"{API}{summit.slug}/annotations/"]


@pytest.mark.parametrize(
    ("client_fixture", "urls"), [("client", reader_urls), ("api", api_urls)], ids=["pages", "api"]
)
def test_cached_answers_and_their_304s_cost_no_query(
    request, django_assert_num_queries, client_fixture, urls
):
    client = request.getfixturevalue(client_fixture)
    summit = annotated_summit()
    first = {url: client.get(url) for url in urls(summit)}
    with django_assert_num_queries(0):
        for url, response in first.items():
            again = client.get(url)
            assert again.status_code == 200 and again.content == response.content
            assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


@pytest.mark.parametrize(
    ("client_fixture", "urls"), [("client", reader_urls), ("api", api_urls)], ids=["pages", "api"]
)
def test_an_empty_cache_gives_the_etags_it_gave_before(request, client_fixture, urls):
    # As another app server's own local-memory cache does, or one Redis lost: the ETag says
    # what the content is, not which cache filled it, so a client's copy stays good.
    client = request.getfixturevalue(client_fixture)
    summit = annotated_summit()
    first = {url: client.get(url)["ETag"] for url in urls(summit)}
    for url, etag in first.items():
        cache.clear()
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url


def test_a_key_revoked_while_its_record_is_cached_is_refused_at_once(api, partner_key):
    summit = annotated_summit()
    assert api.get(f"{API}{summit.slug}/").status_code == 200
    partner_key.revoke()
    assert api.get(f"{API}{summit.slug}/").status_code == 401


@pytest.mark.parametrize("how", ["revoke_selected", "delete"])
def test_keys_revoked_or_deleted_in_bulk_are_refused_at_once(api, partner_key, how):
    summit = annotated_summit()
    assert api.get(f"{API}{summit.slug}/").status_code == 200
    keys = PartnerKey.objects.filter(pk=partner_key.pk)
    keys.revoke() if how == "revoke_selected" else keys.delete()
    assert api.get(f"{API}{summit.slug}/").status_code == 401


def test_the_admin_action_revokes_through_the_queryset(editor_client, partner_key, api):
    from django.contrib.auth.models import Permission

    editor_client_user = editor_client.get(reverse("admin:index")).wsgi_request.user
    editor_client_user.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_partnerkey", "view_partnerkey"])
    )
    assert api.get(API).status_code == 200
    editor_client.post(
        reverse("admin:summits_partnerkey_changelist"),
        {"action": "revoke_selected", "_selected_action": [partner_key.pk]},
    )
    assert PartnerKey.objects.get(pk=partner_key.pk).revoked_at is not None
    assert api.get(API).status_code == 401


def test_a_version_read_inside_a_write_does_not_outlive_its_commit(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    # A request between the write and its commit reads the database as it was; what it stores
    # names the counter of then. The commit moves the counter again, so it is not trusted.
    summit = annotated_summit(title="Before")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        summit.title = "After"
        services.save_summit(summit)
        during = cache.get(caching.WRITES_KEY)
        caching.versions(summit.slug)  # stored under `during`
    assert cache.get(caching.WRITES_KEY) != during
    with django_assert_num_queries(1):  # the summit's version, read anew
        held = caching.versions(summit.slug)
    assert held.summit.writes == cache.get(caching.WRITES_KEY)


def test_an_evicted_write_counter_never_meets_a_number_an_entry_names(
    client, django_assert_num_queries
):
    summit = annotated_summit()
    client.get(summit.get_absolute_url())
    named = cache.get(caching.WRITES_KEY)
    cache.delete(caching.WRITES_KEY)
    caching.content_changed()  # starts again, from the clock
    assert cache.get(caching.WRITES_KEY) > named
    with django_assert_num_queries(1):
        client.get(summit.get_absolute_url())


def test_a_change_made_around_the_write_path_shows_within_version_timeout(client, settings):
    settings.SUMMITS = {"VERSION_TIMEOUT": 60}
    summit = annotated_summit(title="Before")
    assert "Before" in client.get(summit.get_absolute_url()).content.decode()
    # A data migration or a shell: no write path tells the cache.
    Summit.objects.filter(pk=summit.pk).update(title="After", updated_at=timezone.now())
    assert "Before" in client.get(summit.get_absolute_url()).content.decode()
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61)):
        assert "After" in client.get(summit.get_absolute_url()).content.decode()


def test_a_scheduled_summit_bounds_the_cached_versions_of_every_page(client):
    live = annotated_summit(title="Live one")
    scheduled = factories.PublishedSummitFactory(
        title="Goes live at ten past",
        publish_at=timezone.now() + datetime.timedelta(minutes=10),
        original=live,
        language="en" if live.language != "en" else "de",
    )
    client.get(live.get_absolute_url())
    client.get(reverse("summits:list"))
    held = caching.versions(live.slug).summit
    assert held.expires <= scheduled.publish_at.timestamp()
    with time_machine.travel(scheduled.publish_at + datetime.timedelta(seconds=1)):
        assert "Goes live at ten past" in client.get(reverse("summits:list")).content.decode()
        assert scheduled.get_absolute_url() in client.get(live.get_absolute_url()).content.decode()
