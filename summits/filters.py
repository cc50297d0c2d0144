"""FilterSets for the reader list and the tracker (contract names: year, country, participant, topic, q)."""

import django_filters as filters
from django import forms
from django.db import models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from parler import appsettings

from .choices import ItemKind
from .formrendering import plain_renderer
from .models import Item, Participant, Summit, Topic
from .querysets import is_published

MAX_QUERY_LENGTH = 200


class FilterForm(forms.Form):
    """Its selects offer every participant and topic of the published summits: written in
    Python (summits.formrendering), not one template include per option."""

    default_renderer = plain_renderer


def slug_filter(field_name, label, empty_label):
    """Choices by slug; each FilterSet sets them per request to what published summits have."""
    return filters.ChoiceFilter(
        label=label, field_name=f"{field_name}__slug", choices=[], empty_label=empty_label
    )


def with_published(model, links, field):
    """(slug, name) of the rows of `model` that a published summit links to through `links` (a
    queryset of rows with a `summit` and a `field` column), named in the active language as
    django-parler names them (its fallbacks, then any language, then the slug), with no model
    instance per option.

    Each row's first link to a live summit is looked up on its own (a subquery with LIMIT 1,
    on the links' index of `field`), which stops at the first: as EXISTS, PostgreSQL joined
    every link to every published summit (0.14 s at 100,000 summits for 61 participants).
    """
    translations = model._parler_meta.root_model.objects.filter(master=OuterRef("pk"))
    language = get_language()
    names = [
        Subquery(translations.filter(language_code=code).values("name")[:1])
        for code in [language, *appsettings.PARLER_LANGUAGES.get_fallback_languages(language)]
    ]
    first_live_link = links.filter(is_published("summit__"), **{field: OuterRef("pk")}).order_by()
    return list(
        model.objects.annotate(shown=Subquery(first_live_link.values("pk")[:1]))
        .filter(shown__isnull=False)
        .annotate(
            label=Coalesce(
                *names,
                Subquery(translations.values("name")[:1]),
                F("slug"),
                output_field=models.CharField(),
            )
        )
        .values_list("slug", "label")
    )


def participant_choices():
    """The participants of published summits, for the list's and the tracker's filter."""
    return with_published(Participant, Summit.participants.through.objects.all(), "participant")


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
    participant = slug_filter("participants", _("Participant"), _("All participants"))
    topic = slug_filter("topics", _("Topic"), _("All topics"))

    class Meta:
        model = Summit
        fields = ["q", "year", "country", "participant", "topic"]
        form = FilterForm

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
        self.filters["participant"].extra["choices"] = participant_choices()
        self.filters["topic"].extra["choices"] = with_published(
            Topic, Summit.topics.through.objects.all(), "topic"
        )

    def search(self, queryset, name, value):
        return queryset.search(value)


class TrackerFilter(filters.FilterSet):
    participant = slug_filter("summit__participants", _("Participant"), _("All participants"))
    topic = slug_filter("topic", _("Topic"), _("All topics"))

    class Meta:
        model = Item
        fields = ["participant", "topic"]
        form = FilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["participant"].extra["choices"] = participant_choices()
        # The tracker lists agreements: a topic only disputes have would find nothing.
        self.filters["topic"].extra["choices"] = with_published(
            Topic, Item.objects.filter(kind=ItemKind.AGREEMENT), "topic"
        )
