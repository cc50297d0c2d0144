"""Each key has its own rate limit; past it, 429 with Retry-After."""

import contextlib
import threading
from types import SimpleNamespace
from unittest import mock

from django.core.cache.backends.locmem import LocMemCache
from rest_framework.test import APIClient

from summits.api.auth import PartnerRateThrottle
from summits.partners import PartnerKey

URL = "/api/v1/summits/"


def client_for(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def test_key_over_its_rate_gets_429_with_retry_after(db):
    _record, key = PartnerKey.objects.create_key("Slow partner", rate_limit="3/min")
    client = client_for(key)
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(URL)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in response.json()["detail"]


def test_rate_limits_are_counted_per_key(db):
    _record, slow = PartnerKey.objects.create_key("Slow partner", rate_limit="1/min")
    _record, other = PartnerKey.objects.create_key("Other partner", rate_limit="1/min")
    assert client_for(slow).get(URL).status_code == 200
    assert client_for(slow).get(URL).status_code == 429
    assert client_for(other).get(URL).status_code == 200


def test_key_without_own_rate_gets_the_default_rate(db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"partner": "2/hour"},
    }
    _record, key = PartnerKey.objects.create_key("Default partner")
    client = client_for(key)
    statuses = [client.get(URL).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert int(client.get(URL)["Retry-After"]) > 60


def test_refused_requests_do_not_count_against_a_key(partner_key):
    PartnerKey.objects.filter(pk=partner_key.pk).update(rate_limit="1/min")
    for _ in range(3):
        assert APIClient().get(URL).status_code == 401
    assert client_for(partner_key.key).get(URL).status_code == 200


def test_parallel_requests_on_one_key_pass_no_more_than_its_rate(db):
    """Fifty requests at once on a key allowed 10 a minute: 10 pass. DRF's throttle read the
    key's history, then wrote it back; requests that all read before any wrote all passed
    (10 to 15 got through under load). The barrier makes every read happen before any write."""
    record, _key = PartnerKey.objects.create_key("Busy partner", rate_limit="10/min")
    request = SimpleNamespace(auth=record)
    reads = threading.Barrier(50, timeout=2)
    original_get = LocMemCache.get

    def get_after_every_read(self, *args, **kwargs):
        value = original_get(self, *args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            reads.wait()
        return value

    allowed = []
    with mock.patch.object(LocMemCache, "get", get_after_every_read):
        threads = [
            threading.Thread(
                target=lambda: allowed.append(PartnerRateThrottle().allow_request(request, None))
            )
            for _ in range(50)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)

    assert allowed.count(True) == 10 and len(allowed) == 50


def test_an_address_guessing_keys_is_throttled_before_its_guesses_are_checked(
    db, settings, partner_key
):
    settings.SUMMITS = {**settings.SUMMITS, "INVALID_KEY_RATE": "3/min"}
    guesser = APIClient(REMOTE_ADDR="203.0.113.7")
    guesser.credentials(HTTP_AUTHORIZATION="Api-Key not.a-key")

    assert [guesser.get(URL).status_code for _ in range(3)] == [401, 401, 401]
    with mock.patch.object(PartnerKey.objects, "get_from_key") as lookup:
        refused = guesser.get(URL)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    lookup.assert_not_called()
    # Other addresses, and partners with their keys, are not held up.
    other = APIClient(REMOTE_ADDR="198.51.100.2")
    other.credentials(HTTP_AUTHORIZATION="Api-Key not.a-key")
    assert other.get(URL).status_code == 401
    assert client_for(partner_key.key).get(URL).status_code == 200
