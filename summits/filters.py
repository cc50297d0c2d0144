"""FilterSets for the reader list and the tracker (contract names: year, country, participant, topic, q)."""

import django_filters as filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

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
    participant = slug_filter(Participant, "participants", _("Participant"), _("All participants"))
    topic = slug_filter(Topic, "topics", _("Topic"), _("All topics"))

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
        self.filters["participant"].queryset = Participant.objects.filter(
            summits__in=published
        ).distinct()
        self.filters["topic"].queryset = Topic.objects.filter(
            items__summit__in=published
        ).distinct()
