"""ETag and Last-Modified on list and detail; If-None-Match gives 304 with no body."""

from django.utils.http import http_date

from summits import services
from summits.choices import SummitStatus
from tests import factories

URL = "/api/v1/summits/"


def test_detail_unchanged_is_304_without_body(api, django_assert_max_num_queries):
    factories.PublishedSummitFactory(slug="geneva")
    first = api.get(f"{URL}geneva/")
    assert first.status_code == 200
    etag = first["ETag"]
    assert first["Last-Modified"]
    with django_assert_max_num_queries(2):  # the key and the summit's version
        again = api.get(f"{URL}geneva/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


def test_detail_edited_is_200_with_a_new_etag(api):
    summit = factories.PublishedSummitFactory(slug="geneva")
    etag = api.get(f"{URL}geneva/")["ETag"]
    summit.title = "A new headline"
    services.save_summit(summit)
    response = api.get(f"{URL}geneva/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["title"] == "A new headline"
    assert response["ETag"] != etag


def test_list_unchanged_is_304(api):
    factories.PublishedSummitFactory.create_batch(3)
    etag = api.get(URL)["ETag"]
    response = api.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_list_changes_its_etag_with_any_change_of_the_published_set(api):
    summits = factories.PublishedSummitFactory.create_batch(3)
    etag = api.get(URL)["ETag"]
    services.render_summit(summits[0])  # an edit
    second = api.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert second.status_code == 200
    services.set_status(summits[1], SummitStatus.DRAFT)  # a withdrawal
    third = api.get(URL, HTTP_IF_NONE_MATCH=second["ETag"])
    assert third.status_code == 200
    assert len(third.json()["results"]) == 2


def test_each_page_and_filter_has_its_own_etag(api):
    factories.PublishedSummitFactory.create_batch(3)
    first_page = api.get(URL, {"page_size": 1})
    assert api.get(URL)["ETag"] != first_page["ETag"]
    assert api.get(first_page.json()["next"])["ETag"] != first_page["ETag"]


def test_if_modified_since_gives_304_on_detail(api):
    summit = factories.PublishedSummitFactory(slug="geneva")
    last_modified = api.get(f"{URL}geneva/")["Last-Modified"]
    assert api.get(f"{URL}geneva/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    summit.refresh_from_db()
    assert last_modified == http_date(int(summit.updated_at.timestamp()))


def test_responses_are_private_and_revalidated(api):
    factories.PublishedSummitFactory(slug="geneva")
    for response in (api.get(URL), api.get(f"{URL}geneva/")):
        assert "private" in response["Cache-Control"]
        assert "no-cache" in response["Cache-Control"]


def test_stale_etag_of_another_key_holder_still_works(api, db):
    """The representation is the same for every partner, so is its ETag."""
    from rest_framework.test import APIClient

    from summits.partners import PartnerKey

    factories.PublishedSummitFactory(slug="geneva")
    etag = api.get(f"{URL}geneva/")["ETag"]
    _record, key = PartnerKey.objects.create_key("Another partner")
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert other.get(f"{URL}geneva/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_conditional_request_without_key_is_still_401(api):
    factories.PublishedSummitFactory(slug="geneva")
    etag = api.get(f"{URL}geneva/")["ETag"]
    from rest_framework.test import APIClient

    assert APIClient().get(f"{URL}geneva/", HTTP_IF_NONE_MATCH=etag).status_code == 401
