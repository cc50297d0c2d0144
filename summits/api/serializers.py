"""Serializers of the partner API: explicit fields, read from prefetched rows only."""

import datetime

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Correction, Item, ItemUpdate, Participant, Stance, Summit, Topic
from ..partners import Withdrawal


def translated(obj, field, serializer):
    """A participant's or topic's `field` in the language of the summit being serialized.

    Names are kept per language (django-parler). The language comes from the context
    (SummitSerializer sets it), not from the object: one topic object serves every summit of
    a page that shows it, whatever its language. The default language's name stands in for
    a missing translation.
    """
    return obj.safe_translation_getter(
        field, language_code=serializer.context.get("language"), any_language=True
    )


def absolute_url(serializer, path):
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class UTCDateTimeField(serializers.DateTimeField):
    """Times in UTC (`Z`), whatever the newsroom's time zone."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default_timezone", datetime.UTC)
        super().__init__(*args, **kwargs)


class ModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UTCDateTimeField,
    }


class ParticipantSerializer(ModelSerializer):
    # Name and role are translated (django-parler): given in the summit's language.
    name = serializers.CharField(help_text="In the summit's language, where translated.")
    role = serializers.CharField(help_text="In the summit's language, where translated.")
    country = serializers.CharField(
        source="country.code", help_text="ISO 3166-1 alpha-2 code; empty when unknown."
    )

    class Meta:
        model = Participant
        fields = ["slug", "name", "role", "country", "wikidata_id"]

    def to_representation(self, participant):
        return {
            "slug": participant.slug,
            "name": translated(participant, "name", self),
            "role": translated(participant, "role", self),
            "country": participant.country.code,
            "wikidata_id": participant.wikidata_id,
        }


# The serializers below with a to_representation of their own are the ones a page of the list
# holds by the thousand (50 summits with 15 items: 750 items, their stances and updates). DRF's
# generic to_representation, field by field, was most of the time of a page served cold; these
# build the same dicts directly. Their declared fields stay the schema (drf-spectacular), and
# tests/api/test_serializers.py checks that each gives exactly what DRF's generic one gives.


class TopicSerializer(ModelSerializer):
    name = serializers.CharField(help_text="In the summit's language, where translated.")

    class Meta:
        model = Topic
        fields = ["slug", "name"]

    def to_representation(self, topic):
        return {"slug": topic.slug, "name": translated(topic, "name", self)}


class ParticipantRefSerializer(ModelSerializer):
    name = serializers.CharField(help_text="In the summit's language, where translated.")

    class Meta:
        model = Participant
        fields = ["slug", "name"]

    def to_representation(self, participant):
        return {"slug": participant.slug, "name": translated(participant, "name", self)}


class StanceSerializer(ModelSerializer):
    participant = ParticipantRefSerializer()

    class Meta:
        model = Stance
        fields = ["participant", "position", "quote", "source_name", "source_url"]

    def to_representation(self, stance):
        return {
            "participant": {
                "slug": stance.participant.slug,
                "name": translated(stance.participant, "name", self),
            },
            "position": stance.position,
            "quote": stance.quote,
            "source_name": stance.source_name,
            "source_url": stance.source_url,
        }


class ItemUpdateSerializer(ModelSerializer):
    class Meta:
        model = ItemUpdate
        fields = ["date", "status", "note", "source_name", "source_url"]
        extra_kwargs = {
            "status": {"help_text": "The item's new status; empty when the status did not change."},
            "note": {"help_text": "Sanitised HTML."},
        }

    def to_representation(self, update):
        return {
            "date": update.date.isoformat(),
            "status": update.status,
            "note": update.note,
            "source_name": update.source_name,
            "source_url": update.source_url,
        }


class AnchorSerializer(serializers.Serializer):
    """The passage an item comes from: a W3C TextQuoteSelector plus TextPositionSelector."""

    exact = serializers.CharField(source="quote", help_text="The quoted passage.")
    prefix = serializers.CharField(source="quote_prefix", help_text="Text just before it.")
    suffix = serializers.CharField(source="quote_suffix", help_text="Text just after it.")
    start = serializers.IntegerField(
        source="anchor_start",
        allow_null=True,
        help_text="Offset of the passage in the article's text content; null when orphaned.",
    )
    end = serializers.IntegerField(source="anchor_end", allow_null=True)
    state = serializers.ChoiceField(
        source="anchor_state",
        choices=Item._meta.get_field("anchor_state").choices,
        help_text="anchored: found as quoted; drifted: found reworded; orphaned: not found.",
    )

    def to_representation(self, item):
        return {
            "exact": item.quote,
            "prefix": item.quote_prefix,
            "suffix": item.quote_suffix,
            "start": item.anchor_start,
            "end": item.anchor_end,
            "state": item.anchor_state,
        }


class ItemSerializer(ModelSerializer):
    topic = TopicSerializer(allow_null=True)
    anchor = AnchorSerializer(source="*")
    # The prefetched lists of representations.summits_for_partners().
    stances = StanceSerializer(
        many=True, source="stance_list", help_text="Participants' positions (disputes only)."
    )
    updates = ItemUpdateSerializer(
        many=True, source="update_list", help_text="Dated follow-ups, newest first."
    )

    class Meta:
        model = Item
        fields = [
            "id",
            "kind",
            "position",
            "title",
            "summary",
            "topic",
            "status",
            "anchor",
            "stances",
            "updates",
        ]
        extra_kwargs = {"summary": {"help_text": "Sanitised HTML."}}

    def to_representation(self, item):
        fields = self.fields
        return {
            "id": item.pk,
            "kind": item.kind,
            "position": item.position,
            "title": item.title,
            "summary": item.summary,
            "topic": None if item.topic is None else fields["topic"].to_representation(item.topic),
            "status": item.status,
            "anchor": fields["anchor"].to_representation(item),
            "stances": fields["stances"].to_representation(item.stance_list),
            "updates": fields["updates"].to_representation(item.update_list),
        }


class CorrectionSerializer(ModelSerializer):
    class Meta:
        model = Correction
        fields = ["published_at", "text"]


class PlaceSerializer(serializers.Serializer):
    city = serializers.CharField()
    venue = serializers.CharField()
    country = serializers.CharField(
        source="country.code", help_text="ISO 3166-1 alpha-2 code; empty when unknown."
    )


class ImageSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField()
    alt = serializers.CharField(source="lead_image_alt")
    caption = serializers.CharField(source="lead_image_caption")
    credit = serializers.CharField(source="lead_image_credit")

    def get_url(self, summit) -> str:
        return absolute_url(self, summit.lead_image.url)


class TranslationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    language = serializers.CharField()
    slug = serializers.SlugField()
    url = serializers.SerializerMethodField()

    def get_url(self, summit) -> str:
        return absolute_url(self, summit.get_absolute_url())


class SummitSerializer(ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The summit's page for readers.")
    body = serializers.CharField(help_text="The article, sanitised HTML.")
    place = PlaceSerializer(source="*")
    # The prefetched lists of representations.summits_for_partners().
    participants = ParticipantSerializer(many=True, source="participant_list")
    topics = TopicSerializer(many=True, source="topic_list")
    image = serializers.SerializerMethodField()
    items = ItemSerializer(
        many=True, source="item_list", help_text="Agreements, then disputes, each in order."
    )
    corrections = CorrectionSerializer(
        many=True, source="correction_list", help_text="Newest first."
    )
    translations = serializers.SerializerMethodField(
        help_text="Published translations of this summit (or its original and their siblings)."
    )
    updated_at = UTCDateTimeField(
        source="changed_at",
        help_text=(
            "When the summit last changed for readers: an edit, or its publication. "
            "The list is ordered by it, and updated_since filters on it."
        ),
    )

    class Meta:
        model = Summit
        fields = [
            "id",
            "slug",
            "url",
            "language",
            "title",
            "teaser",
            "body",
            "place",
            "start_date",
            "end_date",
            "participants",
            "topics",
            "image",
            "credit_line",
            "items",
            "corrections",
            "translations",
            "first_published_at",
            "updated_at",
        ]

    def to_representation(self, summit):
        # Shared with the nested serializers: the names they give are in this summit's language.
        self.context["language"] = summit.language
        return super().to_representation(summit)

    def get_url(self, summit) -> str:
        return absolute_url(self, summit.get_absolute_url())

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_image(self, summit):
        if not summit.lead_image:
            return None
        return ImageSerializer(summit, context=self.context).data

    @extend_schema_field(TranslationSerializer(many=True))
    def get_translations(self, summit):
        # From prefetched rows (see views.summits_for_partners): no query per summit.
        if summit.original is None:
            family = summit.published_translations
        else:
            original = summit.original
            family = [original] if original.is_live else []
            family += [other for other in original.published_translations if other.pk != summit.pk]
        family = sorted(family, key=lambda other: other.language)
        return TranslationSerializer(family, many=True, context=self.context).data


class WithdrawalSerializer(ModelSerializer):
    id = serializers.IntegerField(source="summit_id", help_text="The summit's id.")

    class Meta:
        model = Withdrawal
        fields = ["id", "slug", "language", "withdrawn_at", "reason"]
