"""Partner authentication (`Authorization: Api-Key <key>`) and per-key rate limits."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, throttling
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.settings import api_settings

from ..partners import PartnerKey

KEYWORD = "Api-Key"
DEFAULT_RATE = "600/hour"


class Partner:
    """The user of a request made with a partner key: named after the partner, for logs."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False

    def __init__(self, partner_key: PartnerKey):
        self.partner_key = partner_key
        self.pk = partner_key.pk
        self.name = partner_key.name

    def __str__(self):
        return self.name


class PartnerKeyAuthentication(BaseAuthentication):
    """Missing, unknown, expired or revoked keys get 401 with `WWW-Authenticate: Api-Key`."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the header as `Authorization: Api-Key <key>`.")
            )
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid API key.")) from None
        partner_key = PartnerKey.objects.get_from_key(key)
        if partner_key is None:
            raise exceptions.AuthenticationFailed(_("Invalid API key."))
        if partner_key.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This API key has been revoked."))
        if not partner_key.is_usable:
            raise exceptions.AuthenticationFailed(_("This API key has expired."))
        partner_key.touch()
        return Partner(partner_key), partner_key

    def authenticate_header(self, request):
        return KEYWORD


class IsPartner(permissions.BasePermission):
    # Without a key DRF answers 401 (not 403), because PartnerKeyAuthentication names a scheme.

    def has_permission(self, request, view):
        return isinstance(request.auth, PartnerKey)


class PartnerRateThrottle(throttling.SimpleRateThrottle):
    """Counts requests per key, at the key's own rate (or the partner scope's default)."""

    scope = "partner"

    def get_rate(self):
        # The rate depends on the key, known only in allow_request(); this is the fallback,
        # read from the settings now (DRF's class attribute keeps the value of import time).
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or DEFAULT_RATE

    def allow_request(self, request, view):
        partner_key = request.auth
        if isinstance(partner_key, PartnerKey) and partner_key.rate_limit:
            self.rate = partner_key.rate_limit
            self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, PartnerKey):
            return None  # unauthenticated requests are refused before they count
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
