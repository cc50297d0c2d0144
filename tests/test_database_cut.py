"""A real cut of the network to PostgreSQL, through a TCP proxy the test starts (issue 13)."""

import time

import pytest
from django.core.cache import caches
from django.db import connections
from django.test import Client
from django.urls import reverse

from tests import factories


@pytest.fixture
def database_through_a_proxy(transactional_db):
    """The app's database connection through a TCP proxy this test can cut (PostgreSQL)."""
    from bench.tcpproxy import TCPProxy

    connection = connections["default"]
    if connection.vendor != "postgresql":
        pytest.skip("a cut of the network to the database is a PostgreSQL test")
    settings_dict = connection.settings_dict
    host, port = settings_dict["HOST"] or "127.0.0.1", int(settings_dict["PORT"] or 5432)
    proxy = TCPProxy(host, port)
    proxy.start()
    connection.close()
    original = dict(settings_dict)
    settings_dict.update(HOST="127.0.0.1", PORT=str(proxy.port))
    yield proxy
    connection.close()
    settings_dict.update(HOST=original["HOST"], PORT=original["PORT"])
    proxy.stop()


def test_a_cut_database_gives_503s_at_once_and_service_returns_within_5_s_of_it(
    database_through_a_proxy, api
):
    proxy = database_through_a_proxy
    summit = factories.PublishedSummitFactory()
    client = Client(raise_request_exception=False)
    api.raise_request_exception = False
    urls = [summit.get_absolute_url(), reverse("summits:list"), "/api/v1/summits/"]

    def statuses():
        caches["default"].clear()  # every answer from the database, not from the cache
        # What Django does at the start of each request (close_old_connections), and its test
        # client leaves out: a connection that failed is dropped, the next one is new.
        connections["default"].close_if_unusable_or_obsolete()
        return [(api if url.startswith("/api/") else client).get(url).status_code for url in urls]

    assert statuses() == [200, 200, 200]
    proxy.cut()
    started = time.monotonic()
    assert statuses() == [503, 503, 503]
    assert time.monotonic() - started < 5  # refused at once, no request waits on a timeout
    assert client.get("/healthz").status_code == 503

    proxy.restore()
    restored = time.monotonic()
    while statuses() != [200, 200, 200]:
        assert time.monotonic() - restored < 5, "service did not return within 5 s"
        time.sleep(0.1)
