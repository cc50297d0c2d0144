"""OpenAPI pieces drf-spectacular cannot infer: the Api-Key scheme and the error responses."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

ERROR = inline_serializer("Error", fields={"detail": serializers.CharField()})

INVALID_PARAMETERS = OpenApiResponse(
    {
        "type": "object",
        "description": "Each invalid query parameter, with what is wrong with its value.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {
            "updated_since": ["Give an ISO 8601 date and time, such as 2026-11-25T08:00:00Z."]
        },
    },
    description="A query parameter has an invalid value; the body names it.",
)
UNAUTHORIZED = OpenApiResponse(
    ERROR, description="No API key, or an unknown, expired or revoked one."
)
NOT_FOUND = OpenApiResponse(ERROR, description="No published summit has this slug.")
THROTTLED = OpenApiResponse(
    ERROR,
    description="The key's rate limit is used up; the Retry-After header says for how long.",
)
NOT_MODIFIED = OpenApiResponse(
    description="Not modified: the ETag sent in If-None-Match is still current. No body."
)
# What else a request for one summit (its JSON, ninjs or annotations) may answer.
ONE_SUMMIT_OTHERWISE = {
    304: NOT_MODIFIED,
    401: UNAUTHORIZED,
    404: NOT_FOUND,
    429: THROTTLED,
}

NINJS = OpenApiResponse(
    {
        "type": "object",
        "description": (
            "An IPTC ninjs 2.2 news item (http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json); "
            "agreements and disputes are its associations."
        ),
        "required": ["uri"],
        "properties": {
            "uri": {"type": "string"},
            "type": {"type": "string"},
            "versioncreated": {"type": "string", "format": "date-time"},
            "headlines": {"type": "array", "items": {"type": "object"}},
            "bodies": {"type": "array", "items": {"type": "object"}},
            "associations": {"type": "array", "items": {"type": "object"}},
        },
    },
    description="The summit in ninjs.",
)
ANNOTATION_COLLECTION = OpenApiResponse(
    {
        "type": "object",
        "description": (
            "A W3C Web Annotation AnnotationCollection (JSON-LD) with one embedded "
            "AnnotationPage; each Annotation targets its passage with a TextQuoteSelector "
            "and a TextPositionSelector."
        ),
        "required": ["@context", "id", "type", "total", "first"],
        "properties": {
            "@context": {"type": "string"},
            "id": {"type": "string"},
            "type": {"type": "string", "enum": ["AnnotationCollection"]},
            "label": {"type": "string"},
            "total": {"type": "integer"},
            "first": {"type": "object"},
        },
    },
    description="The summit's annotations.",
)

CONDITIONAL_HEADERS = [
    OpenApiParameter(
        "If-None-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="The ETag of a copy you hold; answered with 304 while it is current.",
    ),
]


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "summits.api.auth.PartnerKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Send `Authorization: Api-Key <key>`; keys come from the newsroom.",
        }
