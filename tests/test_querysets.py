"""Summit.objects.published(): the one definition of what a reader may see."""

import datetime

import pytest
from django.utils import timezone

from summits.choices import SummitStatus
from summits.models import Summit
from tests import factories

pytestmark = pytest.mark.django_db


def test_only_published_summits_whose_time_has_come_are_visible():
    now = timezone.now()
    live = factories.PublishedSummitFactory()
    factories.SummitFactory(status=SummitStatus.DRAFT)
    factories.SummitFactory(status=SummitStatus.REVIEW)
    factories.SummitFactory(
        status=SummitStatus.ARCHIVED, publish_at=now - datetime.timedelta(days=3)
    )
    scheduled = factories.SummitFactory(
        status=SummitStatus.PUBLISHED, publish_at=now + datetime.timedelta(hours=1)
    )

    assert list(Summit.objects.published()) == [live]
    assert list(Summit.objects.scheduled()) == [scheduled]


def test_scheduled_summit_is_hidden_until_publish_at(settings):
    publish_at = timezone.now() + datetime.timedelta(minutes=5)
    summit = factories.SummitFactory(status=SummitStatus.PUBLISHED, publish_at=publish_at)
    assert not Summit.objects.published().exists()
    summit.publish_at = timezone.now() - datetime.timedelta(seconds=1)
    summit.save()
    assert list(Summit.objects.published()) == [summit]
    assert summit.is_live


def test_for_readers_prefetches_what_a_page_needs(django_assert_num_queries):
    summit = factories.PublishedSummitFactory()
    summit.participants.add(factories.ParticipantFactory())
    dispute = factories.DisputeFactory(summit=summit)
    factories.StanceFactory(item=dispute)
    factories.ItemUpdateFactory(item=factories.ItemFactory(summit=summit))
    factories.CorrectionFactory(summit=summit)

    with django_assert_num_queries(8):
        loaded = Summit.objects.for_readers().get(pk=summit.pk)
        for item in loaded.items.all():
            [stance.participant.name for stance in item.stances.all()]
            list(item.updates.all())
            str(item.topic)
        list(loaded.participants.all()), list(loaded.topics.all()), list(loaded.corrections.all())
