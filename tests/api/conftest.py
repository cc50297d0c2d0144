"""Fixtures of the partner API tests: summits with content (keys and the client: ../conftest.py)."""

import pytest
from django.core.cache import cache

from tests import factories


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters and cached responses must not leak from one test into the next.
    cache.clear()
    yield
    cache.clear()


def full_summit(**kwargs):
    """A published summit with participants, topics, an agreement, a dispute with stances and
    an update, and a correction."""
    summit = factories.PublishedSummitFactory(**kwargs)
    leaders = [factories.ParticipantFactory(), factories.ParticipantFactory(country="US")]
    topic = factories.TopicFactory()
    summit.participants.set(leaders)
    summit.topics.set([topic])
    agreement = factories.ItemFactory(
        summit=summit, position=1, quote=factories.PASSAGES[0], topic=topic
    )
    factories.ItemUpdateFactory(item=agreement)
    dispute = factories.DisputeFactory(summit=summit, position=1, quote=factories.PASSAGES[3])
    for leader in leaders:
        factories.StanceFactory(item=dispute, participant=leader)
    factories.CorrectionFactory(summit=summit)
    return summit


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def slugs(response):
    return [summit["slug"] for summit in results(response)]
