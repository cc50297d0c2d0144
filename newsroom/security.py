"""The admin login's lockout (django-axes): the client address it counts, the page it shows."""

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext


def forwarded_client_ip(request):
    """The client's address as the one trusted proxy in front of the site saw it.

    Used when BEHIND_PROXY is set: there REMOTE_ADDR is the proxy's, shared by every user, and
    only the last X-Forwarded-For entry, the one the proxy appended, is not the client's to forge.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The admin's page for a locked login, in the editor's language, saying how long to wait."""
    cool_off = get_cool_off(request)
    return render(
        request,
        "admin/locked_out.html",
        {
            "title": gettext("Login locked"),
            "minutes": max(1, round(cool_off.total_seconds() / 60)) if cool_off else None,
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
