"""Shared fixtures of the summits test suite."""

import os
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from summits.partners import PartnerKey
from tests import factories

BROWSER_TESTS = Path(__file__).parent / "browser"


def _runs_the_orm_beside_playwrights_loop(item) -> bool:
    """A browser test, or a test on a transactional database (which may run after them)."""
    if item.path.is_relative_to(BROWSER_TESTS):
        return True
    marker = item.get_closest_marker("django_db")
    return (
        "transactional_db" in item.fixturenames
        or "live_server" in item.fixturenames
        or (marker is not None and marker.kwargs.get("transaction", False))
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    # Sync Playwright keeps an asyncio loop running in the test thread from its start to the
    # end of the session, and Django refuses ORM calls under a running loop unless
    # DJANGO_ALLOW_ASYNC_UNSAFE is set. Set it around each browser test and each test on a
    # transactional database (setup and teardown included), and no longer: `manage.py check
    # --deploy`, run in a subprocess by tests/test_settings.py, fails on it (async.E001).
    if not _runs_the_orm_beside_playwrights_loop(item):
        return (yield)
    with mock.patch.dict(os.environ, {"DJANGO_ALLOW_ASYNC_UNSAFE": "true"}):
        return (yield)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    # On SQLite, the test database is a file, not Django's in-memory default. For an in-memory
    # database, Django hands the live server (the browser tests) the test thread's one
    # connection, and the server's threads use it at once when a page loads two scripts side
    # by side: sqlite3 answers "bad parameter or other API misuse", the session middleware's
    # query fails and the request gets the database outage's 503 (about one browser run in
    # five failed so, on "gettext is not defined"). With a file, each thread has a connection.
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        test = database.setdefault("TEST", {})
        if not test.get("NAME"):
            test["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Manifest storage needs collectstatic; tests/test_admin_assets.py covers the manifest case.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    # Each test's database starts empty and ids come round again, so nothing an earlier test
    # cached (a page, a throttle count) may stay.
    cache.clear()


@pytest.fixture
def reporter(db):
    return factories.reporter()


@pytest.fixture
def editor(db):
    return factories.editor()


@pytest.fixture
def reporter_client(reporter):
    client = Client()
    client.force_login(reporter)
    return client


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def partner_key(db):
    """A usable key record; its secret is on `partner_key.key` for the test's requests."""
    record, key = PartnerKey.objects.create_key("Partner Daily", rate_limit="10000/hour")
    record.key = key
    return record


@pytest.fixture
def api(partner_key):
    """A partner's client of the API, with its key."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {partner_key.key}")
    return client
