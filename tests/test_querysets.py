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
    leader = factories.ParticipantFactory(name="Vladimir Putin")
    leader.create_translation("de", name="Wladimir Putin", role="Präsident")
    summit.participants.add(leader)
    topic = factories.TopicFactory(name="Arms control")
    topic.create_translation("de", name="Rüstungskontrolle")
    summit.topics.add(topic)
    dispute = factories.DisputeFactory(summit=summit, topic=topic)
    factories.StanceFactory(item=dispute, participant=leader)
    factories.ItemUpdateFactory(item=factories.ItemFactory(summit=summit, topic=topic))
    factories.CorrectionFactory(summit=summit)

    # The summit; its participants, topics, items, the items' topics, stances, the stances'
    # participants, updates and corrections; and the names of participants and topics, in
    # every language, for each of the four ways the page reaches them.
    with django_assert_num_queries(13):
        loaded = Summit.objects.for_readers().get(pk=summit.pk)
        names = set()
        for language in ("en", "de"):
            for participant in loaded.participants.all():
                participant.set_current_language(language)
                names |= {participant.name, participant.role}
            for item in loaded.items.all():
                item.topic.set_current_language(language)
                names.add(item.topic.name)
                for stance in item.stances.all():
                    stance.participant.set_current_language(language)
                    names.add(stance.participant.name)
                list(item.updates.all())
            for summit_topic in loaded.topics.all():
                summit_topic.set_current_language(language)
                names.add(summit_topic.name)
        list(loaded.corrections.all())
    assert {"Vladimir Putin", "Wladimir Putin", "Arms control", "Rüstungskontrolle"} <= names
