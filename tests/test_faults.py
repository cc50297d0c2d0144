"""The site under faults: Redis down or hung, the database away (issue 13).

Redis faults run against a redis-server each test starts on a port of its own and stops, or
against a port where nothing answers; the shared Redis is never touched.
"""

import logging
import os
import shutil
import socket
import subprocess
import threading
import time
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from newsroom import cache as cache_module
from newsroom.cache import ResilientRedisCache
from tests import factories

pytestmark = pytest.mark.django_db

REDIS_SERVER = shutil.which("redis-server")
SERVER_ARGS = ("--save", "", "--appendonly", "no")


@pytest.fixture(autouse=True)
def _each_test_its_own_redis_outages():
    # Reachability is kept per Redis address for the whole process; ports come round again.
    cache_module._reachability.clear()
    yield
    cache_module._reachability.clear()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own, on a free port, that the test may stop and start."""

    def __init__(self):
        if REDIS_SERVER is None:
            message = "redis-server is not installed (apt-get install redis-server)"
            if os.environ.get("CI") == "true":
                pytest.fail(message)
            pytest.skip(message)
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [REDIS_SERVER, *("--port", str(self.port), "--bind", "127.0.0.1"), *SERVER_ARGS],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


class SilentServer:
    """Accepts connections and never answers: a hung Redis."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.05)
        self.port = self.socket.getsockname()[1]
        self.accepted = []
        self.closing = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.closing.is_set():
            try:
                connection, _address = self.socket.accept()
            except TimeoutError:
                continue
            self.accepted.append(connection)

    def close(self):
        # No thread outlives the test: a later test forks (seed_bulk's workers).
        self.closing.set()
        self.thread.join(5)
        for connection in self.accepted:
            connection.close()
        self.socket.close()


def resilient_cache(url, **options):
    return ResilientRedisCache(url, {"OPTIONS": options})


def use_cache(settings, url, **options):
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": options,
        }
    }
    caches["default"].clear()  # a store this test owns


def test_with_nothing_listening_the_cache_answers_as_an_empty_one_and_logs_once(caplog):
    cache = resilient_cache(f"redis://127.0.0.1:{free_port()}/0", RETRY_AFTER=60)

    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        started = time.monotonic()
        for _ in range(50):
            cache.set("key", "value")
            assert cache.get("key", "missing") == "missing"
            assert cache.get_many(["a", "b"]) == {}
            assert cache.add("key", 1) is False
        elapsed = time.monotonic() - started

    # One failed attempt, then Redis is skipped until the retry: no timeout per call.
    assert elapsed < 1.0
    warnings = [record for record in caplog.records if record.name == "newsroom.cache"]
    assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage()
    with pytest.raises(ValueError):
        cache.incr("counter")  # as for a missing key, which callers handle


def test_the_threads_of_a_process_share_what_they_know_of_redis(caplog):
    # Django makes a cache object per thread (threaded workers, the health check's probes).
    silent = SilentServer()
    url = f"redis://127.0.0.1:{silent.port}/0"
    try:
        with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
            assert resilient_cache(url, RETRY_AFTER=60).get("key") is None  # waits, then knows
            started = time.monotonic()
            for _ in range(10):
                assert resilient_cache(url, RETRY_AFTER=60).get("key") is None
            elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert elapsed < 0.2  # none of them waited for the hung server again
    assert len([r for r in caplog.records if r.name == "newsroom.cache"]) == 1


def test_a_hung_redis_costs_one_short_timeout_per_retry_interval_not_one_per_call():
    silent = SilentServer()
    try:
        cache = resilient_cache(f"redis://127.0.0.1:{silent.port}/0", RETRY_AFTER=60)
        started = time.monotonic()
        for _ in range(20):
            assert cache.get("key") is None
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert elapsed < 1.5  # one socket timeout (0.25 s), then no wait at all
    assert cache.is_reachable is False


def test_the_cache_comes_back_by_itself_when_redis_returns(redis_server, caplog):
    cache = resilient_cache(redis_server.url, RETRY_AFTER=0.2)
    cache.set("key", "before")
    assert cache.get("key") == "before"

    redis_server.stop()
    assert cache.get("key") is None
    assert cache.is_reachable is False
    redis_server.start()
    time.sleep(0.3)  # the retry interval

    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        cache.set("key", "after")
        assert cache.get("key") == "after"
    assert cache.is_reachable
    assert any("answers again" in record.getMessage() for record in caplog.records)


def reader_and_partner_urls(summit):
    return [
        reverse("summits:list"),
        summit.get_absolute_url(),
        reverse("summits:tracker"),
        reverse("summits:feed"),
        "/sitemap.xml",
        "/sitemap-summits.xml",
        "/api/v1/summits/",
        f"/api/v1/summits/{summit.slug}/",
    ]


def test_pages_and_the_api_are_served_while_redis_is_stopped_and_cached_again_after(
    settings, redis_server, api
):
    use_cache(settings, redis_server.url, RETRY_AFTER=0.2)
    summit = factories.PublishedSummitFactory()
    factories.ItemFactory(summit=summit, quote=factories.PASSAGES[0])
    client = Client()
    urls = reader_and_partner_urls(summit)

    def statuses():
        return [(api if url.startswith("/api/") else client).get(url).status_code for url in urls]

    assert statuses() == [200] * len(urls)
    redis_server.stop()
    assert statuses() == [200] * len(urls)
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["cache"].startswith("unreachable")

    redis_server.start()
    time.sleep(0.3)
    assert statuses() == [200] * len(urls)
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_answers_within_a_second_when_the_database_hangs():
    released = threading.Event()

    def hang():
        released.wait(10)

    with mock.patch("newsroom.health._probe_database", side_effect=hang):
        started = time.monotonic()
        response = Client().get("/healthz")
        elapsed = time.monotonic() - started
        released.set()  # the probe's thread ends with the test

    assert elapsed < 1.0
    assert response.status_code == 503
    assert response.json()["database"].startswith("timeout")


def test_healthz_answers_within_a_second_and_200_when_redis_hangs(settings):
    silent = SilentServer()
    try:
        use_cache(settings, f"redis://127.0.0.1:{silent.port}/0", socket_timeout=5)
        started = time.monotonic()
        response = Client().get("/healthz")
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert elapsed < 1.0
    assert response.status_code == 200
    assert response.json()["database"] == "ok" and response.json()["status"] == "degraded"


def database_away(*args, **kwargs):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')


def test_readers_get_a_503_page_in_the_sites_style_while_the_database_is_away():
    client = Client(raise_request_exception=False)
    with mock.patch("summits.caching.published_version", side_effect=database_away):
        response = client.get(reverse("summits:list"))

    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Back in a moment" in page and "summits/summits.css" in page
    assert "text/html" in response["Content-Type"]


def test_partners_get_a_json_503_while_the_database_is_away(api):
    api.raise_request_exception = False
    with mock.patch("summits.caching.published_version", side_effect=database_away):
        response = api.get("/api/v1/summits/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "unavailable" in response.json()["detail"]
    assert response["Retry-After"].isdigit()


def test_other_server_errors_stay_500s():
    client = Client(raise_request_exception=False)
    with mock.patch("summits.caching.published_version", side_effect=KeyError("bug")):
        response = client.get(reverse("summits:list"))
    assert response.status_code == 500


def test_a_database_outage_is_logged_once_a_minute_not_once_a_request(settings):
    from newsroom.logfilters import DatabaseOutageOncePerInterval

    assert settings.LOGGING["loggers"]["django.request"]["filters"] == ["database_outage"]
    outages = DatabaseOutageOncePerInterval(interval=60)

    def record(error):
        return logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Service Unavailable: %s",
            ("/",),
            (type(error), error, None),
        )

    passed = [outages.filter(record(OperationalError("refused"))) for _ in range(20)]
    assert passed == [True] + [False] * 19
    assert outages.filter(record(KeyError("bug")))  # other errors are all logged
    outages.last -= 61  # a minute later: one more, saying how many were left out
    later = record(OperationalError("refused"))
    assert outages.filter(later) and "19 more like it" in later.getMessage()
