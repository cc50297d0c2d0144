"""FilterSets of the partner API (contract names: updated_since, published_since, country, ...).

An invalid value is answered with 400 and a message under the parameter's name; an unknown
participant or topic slug is a valid question with an empty answer.
"""

import datetime

import django_filters as filters
from django import forms
from django.conf import settings
from django.core.validators import validate_slug
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ..filters import MAX_QUERY_LENGTH
from ..models import Summit
from ..partners import Withdrawal

SLUG_MAX_LENGTH = 200


class IsoDateTimeField(forms.DateTimeField):
    """ISO 8601, with an offset or `Z`; a time without one is taken as UTC, a date as midnight UTC."""

    default_error_messages = {
        "invalid": _("Give an ISO 8601 date and time, such as 2026-11-25T08:00:00Z."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=datetime.UTC)
        try:
            return parsed.astimezone(datetime.UTC)
        except OverflowError:  # e.g. 9999-12-31T23:59-10:00 is past the last datetime
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


@extend_schema_field(OpenApiTypes.DATETIME)
class IsoDateTimeFilter(filters.Filter):
    field_class = IsoDateTimeField


@extend_schema_field(
    {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "maxLength": SLUG_MAX_LENGTH}
)
class SlugFilter(filters.CharFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", SLUG_MAX_LENGTH)
        kwargs.setdefault("validators", [validate_slug])
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1900, "maximum": 2200})
class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField


class CountryField(forms.CharField):
    """An ISO 3166-1 alpha-2 code, in either case.

    Not a ChoiceField: that would translate and sort some 250 country names per request.
    """

    default_error_messages = {"invalid": _("Give an ISO 3166-1 alpha-2 code, such as CH.")}

    def to_python(self, value):
        value = super().to_python(value).upper()
        if value and value not in countries.countries:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


@extend_schema_field(
    {"type": "string", "enum": list(countries.countries), "description": "ISO 3166-1 alpha-2"}
)
class CountryFilter(filters.CharFilter):
    field_class = CountryField


@extend_schema_field(
    {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH, "pattern": "^[^\\x00]*$"}
)
class SearchFilter(filters.CharFilter):
    pass


class SummitFilter(filters.FilterSet):
    updated_since = IsoDateTimeFilter(
        field_name="changed_at",
        lookup_expr="gte",
        label=_("Summits changed (edited or published) at or after this time (ISO 8601)."),
    )
    published_since = IsoDateTimeFilter(
        field_name="first_published_at",
        lookup_expr="gte",
        label=_("Summits first published at or after this time (ISO 8601)."),
    )
    country = CountryFilter(label=_("Country of the summit, ISO 3166-1 alpha-2 (e.g. CH)."))
    participant = SlugFilter(
        field_name="participants__slug", label=_("Slug of a participant, e.g. joe-biden.")
    )
    topic = SlugFilter(field_name="topics__slug", label=_("Slug of a topic, e.g. arms-control."))
    year = YearFilter(
        field_name="start_date",
        lookup_expr="year",
        min_value=1900,
        max_value=2200,
        label=_("Year the summit started."),
    )
    q = SearchFilter(
        method="search",
        max_length=MAX_QUERY_LENGTH,
        label=_("Search words (headline, teaser, article, items)."),
    )
    language = filters.ChoiceFilter(
        choices=settings.LANGUAGES, label=_("Language of the article (ISO 639-1).")
    )

    class Meta:
        model = Summit
        fields = [
            "updated_since",
            "published_since",
            "country",
            "participant",
            "topic",
            "year",
            "q",
            "language",
        ]

    def search(self, queryset, name, value):
        return queryset.search(value)


class WithdrawalFilter(filters.FilterSet):
    since = IsoDateTimeFilter(
        field_name="withdrawn_at",
        lookup_expr="gte",
        label=_("Withdrawals at or after this time (ISO 8601)."),
    )

    class Meta:
        model = Withdrawal
        fields = ["since"]
