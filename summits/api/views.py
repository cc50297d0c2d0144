"""The partner API: published summits and the withdrawals partners must apply to their copies."""

import logging
import re

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer

from .. import caching
from ..models import Summit
from ..partners import PartnerKey, Withdrawal
from . import representations
from . import schema as openapi
from .annotations import MEDIA_TYPE as ANNOTATIONS_MEDIA_TYPE
from .annotations import collection as annotation_collection
from .auth import IsPartner, PartnerKeyAuthentication, PartnerRateThrottle
from .filters import SummitFilter, WithdrawalFilter
from .ninjs import summit_item as ninjs_item
from .pagination import KeysetPagination
from .serializers import SummitSerializer, WithdrawalSerializer

SLUG = re.compile(r"[-a-zA-Z0-9_]+")

logger = logging.getLogger(__name__)


class JSONOnly(BaseContentNegotiation):
    """JSON whatever the client asks; `?format=` is an unknown parameter like any other."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class PartnerAPIView:
    authentication_classes = [PartnerKeyAuthentication]
    permission_classes = [IsPartner]
    throttle_classes = [PartnerRateThrottle]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnly
    filter_backends = [DjangoFilterBackend]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.validate_query(request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # One line per request naming the partner, so that operators see who pulls what.
        partner = request.user if isinstance(request.auth, PartnerKey) else "-"
        logger.info(
            "partner=%s %s %s %s",
            partner,
            request.method,
            request.get_full_path(),
            response.status_code,
        )
        return response

    def validate_query(self, request):
        """Answers 400 naming each bad parameter before any cached or 304 answer is given.

        An unknown parameter is refused too: a misspelt filter (updated_after for
        updated_since) would otherwise silently answer with everything.
        """
        known = set()
        if self.action == "list":
            filterset = self.filterset_class(request.query_params)
            known |= set(filterset.filters)
            known |= {self.paginator.cursor_query_param, self.paginator.page_size_query_param}
        errors = {}
        for name, values in request.query_params.lists():
            if name not in known:
                errors[name] = [_("Unknown query parameter.")]
            elif len(values) > 1:
                errors[name] = [_("Give this parameter once.")]
            elif not values[0]:
                # An empty filter would silently answer with everything.
                errors[name] = [_("Give a value, or leave the parameter out.")]
        if self.action == "list":
            if not filterset.is_valid():
                errors = {**filterset.errors, **errors}
            for check in (self.paginator.get_page_size, self.paginator.decode_cursor):
                try:
                    check(request)
                except ValidationError as error:
                    errors.update(error.detail)
        if errors:
            raise ValidationError(errors)


class SummitPagination(KeysetPagination):
    ordering = ("changed_at", "id")


@extend_schema_view(
    list=extend_schema(
        summary="Published summits, oldest change first",
        description=(
            "Every published summit with its items, ordered by `updated_at` then `id`. "
            "Follow `next` to the end for a full copy; poll with `updated_since` for what "
            "changed, and read /api/v1/withdrawals/ for what to remove."
        ),
        parameters=openapi.CONDITIONAL_HEADERS,
        responses={
            200: SummitSerializer(many=True),
            304: openapi.NOT_MODIFIED,
            400: openapi.INVALID_PARAMETERS,
            401: openapi.UNAUTHORIZED,
            429: openapi.THROTTLED,
        },
    ),
    retrieve=extend_schema(
        summary="One published summit",
        parameters=openapi.CONDITIONAL_HEADERS,
        responses={
            200: SummitSerializer,
            **openapi.ONE_SUMMIT_OTHERWISE,
        },
    ),
)
class SummitViewSet(PartnerAPIView, viewsets.ReadOnlyModelViewSet):
    serializer_class = SummitSerializer
    filterset_class = SummitFilter
    pagination_class = SummitPagination
    lookup_field = "slug"
    # Any slug reaches the view, so that a malformed one is a JSON 404 like an unknown one.
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        # Keys only: the representations come from representations.summit_data().
        return representations.summit_keys()

    def list(self, request, *args, **kwargs):
        held = caching.versions()

        def page():
            summits = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
            data = representations.summit_data(request, summits, self.get_serializer_context())
            return self.get_paginated_response(data).data

        return representations.conditional_json(
            request,
            held.published.token,
            held.published.last_modified,
            page,
        )

    def retrieve(self, request, *args, **kwargs):
        return self.one_summit(request, kwargs["slug"], lambda data: data)

    @extend_schema(
        summary="One published summit as an IPTC ninjs 2.2 news item",
        responses={
            (200, "application/json"): openapi.NINJS,
            **openapi.ONE_SUMMIT_OTHERWISE,
        },
        parameters=openapi.CONDITIONAL_HEADERS,
    )
    @action(detail=True, url_path="ninjs")
    def ninjs(self, request, slug):
        return self.one_summit(request, slug, lambda data: ninjs_item(request, data))

    @extend_schema(
        summary="The summit's agreements and disputes as W3C Web Annotations",
        responses={
            (200, "application/ld+json"): openapi.ANNOTATION_COLLECTION,
            **openapi.ONE_SUMMIT_OTHERWISE,
        },
        parameters=openapi.CONDITIONAL_HEADERS,
    )
    @action(detail=True, url_path="annotations")
    def annotations(self, request, slug):
        return self.one_summit(
            request,
            slug,
            lambda data: annotation_collection(request, data),
            content_type=ANNOTATIONS_MEDIA_TYPE,
        )

    def one_summit(self, request, slug, represent, *, content_type=None):
        # Only a slug can name a summit; anything else (a NUL byte, which PostgreSQL refuses
        # in a query) is not looked up.
        held = caching.versions(slug) if SLUG.fullmatch(slug) else None
        summit = held.summit if held is not None else None
        if summit is None:
            raise NotFound(_("No published summit has this slug."))

        def build():
            found = representations.summit_data(request, [summit], self.get_serializer_context())
            if not found:  # withdrawn a moment ago
                raise NotFound(_("No published summit has this slug."))
            return represent(found[0])

        return representations.conditional_json(
            request,
            f"{summit.pk}-{summit.family_changed_at}",
            summit.family_changed_at,
            build,
            content_type=content_type,
        )


class WithdrawalPagination(KeysetPagination):
    ordering = ("withdrawn_at", "id")


@extend_schema_view(
    list=extend_schema(
        summary="Summits withdrawn from partners",
        description=(
            "Summits that were live and are not any more: unpublished, archived or deleted. "
            "Remove them from your copy. A summit published again leaves this list and "
            "comes back in /api/v1/summits/ with a new `updated_at`."
        ),
        responses={
            200: WithdrawalSerializer(many=True),
            400: openapi.INVALID_PARAMETERS,
            401: openapi.UNAUTHORIZED,
            429: openapi.THROTTLED,
        },
    )
)
class WithdrawalViewSet(PartnerAPIView, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = WithdrawalSerializer
    filterset_class = WithdrawalFilter
    pagination_class = WithdrawalPagination

    def get_queryset(self):
        return Withdrawal.objects.exclude(summit_id__in=Summit.objects.published().values("pk"))
