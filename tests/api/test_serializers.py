"""The written-out representations of the partner API give exactly what DRF's generic ones give."""

import datetime
from contextlib import ExitStack
from unittest import mock

import pytest
from django.test import RequestFactory
from rest_framework import serializers

from summits.api import serializers as api_serializers
from summits.api.representations import summits_for_partners
from summits.choices import AgreementStatus, AnchorState
from summits.models import Item
from tests import factories

from .conftest import full_summit

pytestmark = pytest.mark.django_db

# The serializers with a to_representation of their own (see summits/api/serializers.py).
WRITTEN_OUT = [
    api_serializers.ParticipantSerializer,
    api_serializers.TopicSerializer,
    api_serializers.ParticipantRefSerializer,
    api_serializers.StanceSerializer,
    api_serializers.ItemUpdateSerializer,
    api_serializers.AnchorSerializer,
    api_serializers.ItemSerializer,
]


def serialized(summits):
    request = RequestFactory().get("/api/v1/summits/", HTTP_HOST="localhost")
    rows = list(summits_for_partners().filter(pk__in=[summit.pk for summit in summits]))
    return api_serializers.SummitSerializer(rows, many=True, context={"request": request}).data


def test_every_written_out_serializer_overrides_to_representation():
    for serializer in WRITTEN_OUT:
        assert "to_representation" in vars(serializer), serializer.__name__


def test_written_out_representations_equal_drfs_generic_ones():
    summit = full_summit()
    # The edges: an item without a topic, an orphaned passage (no offsets), an update that
    # changes no status and has a source link, a stance with a link and no quote.
    orphan = factories.ItemFactory(summit=summit, position=2, topic=None, quote="never said")
    Item.objects.filter(pk=orphan.pk).update(
        anchor_state=AnchorState.ORPHANED, anchor_start=None, anchor_end=None
    )
    factories.ItemUpdateFactory(
        item=orphan,
        date=datetime.date(2022, 2, 24),
        status="",
        note="<p>Suspended.</p>",
        source_url="https://example.org/suspended",
    )
    factories.ItemUpdateFactory(item=orphan, status=AgreementStatus.STALLED)
    dispute = summit.items.disputes().get()
    factories.StanceFactory(
        item=dispute, quote="", source_url="https://example.org/stance", source_name=""
    )
    other = full_summit(title="Another summit")

    fast = serialized([summit, other])
    with ExitStack() as generic_representations:
        for cls in WRITTEN_OUT:
            generic_representations.enter_context(
                mock.patch.object(
                    cls, "to_representation", serializers.Serializer.to_representation
                )
            )
        generic = serialized([summit, other])

    assert fast == generic
    # The comparison saw every edge: there is something to compare.
    items = [item for entry in fast for item in entry["items"]]
    assert any(item["topic"] is None for item in items)
    assert any(item["anchor"]["start"] is None for item in items)
    assert any(update["status"] == "" for item in items for update in item["updates"])
    assert sum(len(item["stances"]) for item in items) >= 3
