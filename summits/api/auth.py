"""Partner authentication (`Authorization: Api-Key <key>`) and per-key rate limits."""

import time

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, throttling
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.settings import api_settings

from .. import conf
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
        # An address past its rate of invalid keys gets 429 before its key is even checked.
        guesses = invalid_key_counter(request)
        if guesses.exhausted():
            raise exceptions.Throttled(wait=guesses.resets_in)
        partner_key = PartnerKey.objects.get_from_key(key)
        refusal = None
        if partner_key is None:
            refusal = _("Invalid API key.")
        elif partner_key.revoked_at is not None:
            refusal = _("This API key has been revoked.")
        elif not partner_key.is_usable:
            refusal = _("This API key has expired.")
        if refusal is not None:
            guesses.allow()  # counts this one
            raise exceptions.AuthenticationFailed(refusal)
        partner_key.touch()
        return Partner(partner_key), partner_key

    def authenticate_header(self, request):
        return KEYWORD


class IsPartner(permissions.BasePermission):
    # Without a key DRF answers 401 (not 403), because PartnerKeyAuthentication names a scheme.

    def has_permission(self, request, view):
        return isinstance(request.auth, PartnerKey)


class WindowCounter:
    """Requests counted in fixed windows of the rate's duration, with one atomic increment
    in the shared cache per request: app servers share the count, and parallel requests
    cannot all read the same old count and all pass (DRF's SimpleRateThrottle reads a list of
    timestamps, then writes it back). While the cache is unreachable nothing is counted and
    requests pass: keys are still checked against the database.
    """

    def __init__(self, scope, ident, rate):
        self.num_requests, self.duration = throttling.SimpleRateThrottle.parse_rate(None, rate)
        now = time.time()
        window = int(now // self.duration)
        self.key = f"summits:throttle:{scope}:{ident}:{self.duration}:{window}"
        self.resets_in = (window + 1) * self.duration - now

    def exhausted(self) -> bool:
        """Whether the window's requests are used up (without counting one)."""
        return (cache.get(self.key) or 0) >= self.num_requests

    def allow(self) -> bool:
        # The window's key expires with it (a second later, for clocks apart).
        cache.add(self.key, 0, timeout=self.duration + 1)
        try:
            count = cache.incr(self.key)
        except ValueError:  # evicted meanwhile, or the cache is unreachable
            return True
        return count <= self.num_requests


class PartnerRateThrottle(throttling.BaseThrottle):
    """Counts requests per key, at the key's own rate (or the partner scope's default)."""

    scope = "partner"

    def get_rate(self):
        # The rate depends on the key; this is the fallback, read from the settings now.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or DEFAULT_RATE

    def allow_request(self, request, view):
        partner_key = request.auth
        if not isinstance(partner_key, PartnerKey):
            return True  # unauthenticated requests are refused before they count
        self.counter = WindowCounter(
            self.scope, partner_key.pk, partner_key.rate_limit or self.get_rate()
        )
        return self.counter.allow()

    def wait(self):
        return self.counter.resets_in


def invalid_key_counter(request) -> WindowCounter:
    """The client address's requests with an invalid key (DRF's client address: REMOTE_ADDR,
    or X-Forwarded-For behind the NUM_PROXIES proxies the host declares)."""
    ident = throttling.BaseThrottle().get_ident(request)
    return WindowCounter("invalid-key", ident, conf.get("INVALID_KEY_RATE"))
