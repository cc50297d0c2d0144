"""Shared fixtures of the summits test suite."""

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from summits.partners import PartnerKey
from tests import factories


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
