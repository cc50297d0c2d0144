"""Each key has its own rate limit; past it, 429 with Retry-After."""

from rest_framework.test import APIClient

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
