"""The live server the browser tests drive, on the test database (SQLite and PostgreSQL)."""

import concurrent.futures
import urllib.request

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_test_database_is_one_each_thread_can_open_on_its_own():
    # Django shares an in-memory SQLite database's one connection between the test thread and
    # the live server's threads; the browser tests need a connection per thread.
    if connection.vendor != "sqlite":
        pytest.skip("an in-memory test database is SQLite's")
    assert not connection.is_in_memory_db()


def test_the_live_server_answers_requests_side_by_side_that_each_read_the_database(live_server):
    # A page loads scripts side by side, each request reading the session: with one shared
    # connection, sqlite3 failed some of them ("bad parameter or other API misuse": a 503).
    client = Client()
    client.force_login(get_user_model().objects.create_user("desk", is_staff=True))
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    def fetch(_):
        request = urllib.request.Request(f"{live_server.url}/admin/jsi18n/")
        request.add_header("Cookie", cookie)
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(fetch, range(80)))
    assert statuses == [200] * 80
