"""FilterSets for the reader list and the tracker (contract names: year, country, participant, topic, q)."""

import django_filters as filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import Item, Participant, Summit, Topic

MAX_QUERY_LENGTH = 200


# Choices by slug; each FilterSet sets the queryset per request to what published summits have.
def participant_filter(field_name):
    return filters.ModelChoiceFilter(
        label=_("Participant"),
        field_name=field_name,
        to_field_name="slug",
        queryset=Participant.objects.none(),
        empty_label=_("All participants"),
    )


def topic_filter(field_name):
    return filters.ModelChoiceFilter(
        label=_("Topic"),
        field_name=field_name,
        to_field_name="slug",
        queryset=Topic.objects.none(),
        empty_label=_("All topics"),
    )


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
    country = filters.ChoiceFilter(
        label=_("Country"), choices=countries, empty_label=_("All countries")
    )
    participant = participant_filter("participants")
    topic = topic_filter("topics")

    class Meta:
        model = Summit
        fields = ["q", "year", "country", "participant", "topic"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only what published summits have, read when the request comes.
        published = Summit.objects.published()
        self.filters["participant"].queryset = Participant.objects.filter(
            summits__in=published
        ).distinct()
        self.filters["topic"].queryset = Topic.objects.filter(summits__in=published).distinct()

    def search(self, queryset, name, value):
        return queryset.search(value)


class TrackerFilter(filters.FilterSet):
    participant = participant_filter("summit__participants")
    topic = topic_filter("topic")

    class Meta:
        model = Item
        fields = ["participant", "topic"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        published = Summit.objects.published()
        self.filters["participant"].queryset = Participant.objects.filter(
            summits__in=published
        ).distinct()
        self.filters["topic"].queryset = Topic.objects.filter(
            items__summit__in=published
        ).distinct()
