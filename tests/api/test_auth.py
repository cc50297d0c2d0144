"""Partner keys: `Authorization: Api-Key <key>`; anything else is 401 with a JSON body."""

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from summits.partners import LAST_USED_RESOLUTION, PartnerKey

URL = "/api/v1/summits/"


def get_with(header=None):
    client = APIClient()
    if header is not None:
        client.credentials(HTTP_AUTHORIZATION=header)
    return client.get(URL)


def assert_refused(response, words):
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response["Content-Type"] == "application/json"
    assert words in response.json()["detail"]


def test_request_without_key_is_refused(db):
    assert_refused(get_with(None), "not provided")


def test_unknown_key_is_refused(partner_key):
    assert_refused(get_with(f"Api-Key {partner_key.prefix}.not-the-secret"), "Invalid API key")


def test_garbage_key_is_refused(db):
    assert_refused(get_with("Api-Key nonsense"), "Invalid API key")


def test_key_in_another_scheme_is_not_accepted(partner_key):
    assert_refused(get_with(f"Bearer {partner_key.key}"), "not provided")


def test_header_with_extra_words_is_refused(partner_key):
    assert_refused(get_with(f"Api-Key {partner_key.key} extra"), "Api-Key <key>")


def test_expired_key_is_refused(partner_key):
    PartnerKey.objects.filter(pk=partner_key.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert_refused(get_with(f"Api-Key {partner_key.key}"), "expired")


def test_revoked_key_is_refused(partner_key):
    partner_key.revoke()
    assert_refused(get_with(f"Api-Key {partner_key.key}"), "revoked")


def test_valid_key_is_accepted(partner_key):
    response = get_with(f"Api-Key {partner_key.key}")
    assert response.status_code == 200
    assert response.json() == {"next": None, "previous": None, "results": []}


def test_key_with_future_expiry_is_accepted(partner_key):
    PartnerKey.objects.filter(pk=partner_key.pk).update(
        expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert get_with(f"Api-Key {partner_key.key}").status_code == 200


def test_scheme_name_is_case_insensitive(partner_key):
    assert get_with(f"api-key {partner_key.key}").status_code == 200


def test_only_the_hash_of_the_key_is_stored(partner_key):
    stored = PartnerKey.objects.get(pk=partner_key.pk)
    secret = partner_key.key.partition(".")[2]
    assert secret not in stored.hashed_key
    assert len(stored.hashed_key) == 64


def test_last_used_is_written_at_most_once_a_minute(partner_key, django_assert_num_queries):
    get_with(f"Api-Key {partner_key.key}")
    first = PartnerKey.objects.get(pk=partner_key.pk).last_used_at
    assert first is not None
    get_with(f"Api-Key {partner_key.key}")
    assert PartnerKey.objects.get(pk=partner_key.pk).last_used_at == first
    with time_machine.travel(first + LAST_USED_RESOLUTION + datetime.timedelta(seconds=1)):
        get_with(f"Api-Key {partner_key.key}")
    assert PartnerKey.objects.get(pk=partner_key.pk).last_used_at > first


def test_create_partner_key_prints_a_working_key_once(db):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_partner_key", "Partner Daily", "--rate", "100/min", stdout=out, stderr=err)
    key = out.getvalue().strip()
    record = PartnerKey.objects.get()
    assert record.name == "Partner Daily"
    assert record.rate_limit == "100/min"
    assert record.expires_at is None
    assert "shown only this once" in err.getvalue()
    assert key not in err.getvalue()
    assert get_with(f"Api-Key {key}").status_code == 200


def test_create_partner_key_with_expiry(db):
    out = io.StringIO()
    call_command(
        "create_partner_key", "Partner", "--expires", "30", stdout=out, stderr=io.StringIO()
    )
    expires_at = PartnerKey.objects.get().expires_at
    assert expires_at - timezone.now() > datetime.timedelta(days=29)


@pytest.mark.parametrize(
    "args", [["--rate", "lots"], ["--rate", "0/hour"], ["--expires", "0"], [" "]]
)
def test_create_partner_key_refuses_bad_arguments(db, args):
    name = [] if args == [" "] else ["Partner"]
    with pytest.raises(CommandError):
        call_command("create_partner_key", *name, *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert not PartnerKey.objects.exists()


def test_each_request_is_logged_with_the_partners_name(partner_key, caplog):
    with caplog.at_level("INFO", logger="summits.api.views"):
        get_with(f"Api-Key {partner_key.key}")
    assert f"partner=Partner Daily GET {URL} 200" in caplog.text
