"""The /healthz endpoint that load balancers poll."""

import os
from unittest import mock

import pytest
import redis


@pytest.mark.django_db
def test_healthz_answers_200_when_database_and_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_cache_when_it_is_down(client):
    with mock.patch("summits.views.cache.set", side_effect=ConnectionError("refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "error: ConnectionError"
    assert response.json()["database"] == "ok"


def redis_url():
    """The local Redis of the development and CI machines; skip (or fail in CI) when it is down."""
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        message = f"Redis is not reachable at {url}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.mark.django_db
def test_healthz_checks_a_shared_redis_cache(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url(),
        }
    }
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["cache"] == "ok"
