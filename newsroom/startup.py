"""Refusals at the start of an app server (newsroom.wsgi, newsroom.asgi), before any request."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def refuse_the_demo_key_in_production() -> None:
    """An app server with DEBUG off needs a SECRET_KEY of its own."""
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEMO_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: with DEBUG=False the site refuses to run on the public demo "
            'key. Set SECRET_KEY to a long random value (python -c "import secrets; '
            'print(secrets.token_urlsafe(50))").'
        )
