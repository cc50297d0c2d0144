"""FilterSets for the reader list and the tracker (contract names: year, country, participant, topic, q)."""

import django_filters as filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .choices import ItemKind
from .models import Item, Participant, Summit, Topic

MAX_QUERY_LENGTH = 200


def slug_filter(model, field_name, label, empty_label):
    """Choices by slug; each FilterSet sets the queryset per request to what published summits have."""
    return filters.ModelChoiceFilter(
        label=label,
        field_name=field_name,
        to_field_name="slug",
        queryset=model.objects.none(),
        empty_label=empty_label,
    )


def with_published(model, links, field, published):
    """The rows of `model` that a published summit links to through `links` (a queryset of rows
    with a `summit` and a `field` column): one EXISTS test per row, no join and no DISTINCT."""
    return model.objects.filter(
        Exists(links.filter(**{field: OuterRef("pk")}, summit__in=published))
    ).prefetch_related("translations")  # each option shows a name


class SummitFilter(filters.FilterSet):
    q = filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    # A text box, not type="number": a junk value is echoed back, and must stay valid HTML.
    year = filters.NumberFilter(
        label=_("Year"),
        field_name="start_date",
        lookup_expr="year",
        min_value=1900,
        max_value=2200,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    # Its choices are set per request: the countries of published summits, not all 250.
    country = filters.ChoiceFilter(label=_("Country"), choices=[], empty_label=_("All countries"))
    participant = slug_filter(Participant, "participants", _("Participant"), _("All participants"))
    topic = slug_filter(Topic, "topics", _("Topic"), _("All topics"))

    class Meta:
        model = Summit
        fields = ["q", "year", "country", "participant", "topic"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only what published summits have, read when the request comes.
        published = Summit.objects.published()
        # order_by(): with the model's ordering, DISTINCT would keep one row per summit.
        codes = (
            published.exclude(country="").order_by().values_list("country", flat=True).distinct()
        )
        # Named and sorted in the language of the request.
        self.filters["country"].extra["choices"] = sorted(
            ((code, countries.name(code)) for code in codes), key=lambda choice: choice[1]
        )
        self.filters["participant"].queryset = with_published(
            Participant, Summit.participants.through.objects.all(), "participant", published
        )
        self.filters["topic"].queryset = with_published(
            Topic, Summit.topics.through.objects.all(), "topic", published
        )

    def search(self, queryset, name, value):
        return queryset.search(value)


class TrackerFilter(filters.FilterSet):
    participant = slug_filter(
        Participant, "summit__participants", _("Participant"), _("All participants")
    )
    topic = slug_filter(Topic, "topic", _("Topic"), _("All topics"))

    class Meta:
        model = Item
        fields = ["participant", "topic"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        published = Summit.objects.published()
        self.filters["participant"].queryset = with_published(
            Participant, Summit.participants.through.objects.all(), "participant", published
        )
        # The tracker lists agreements: a topic only disputes have would find nothing.
        self.filters["topic"].queryset = with_published(
            Topic, Item.objects.filter(kind=ItemKind.AGREEMENT), "topic", published
        )
