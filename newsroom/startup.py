"""Refusals at the start of an app server (newsroom.wsgi, newsroom.asgi), before any request."""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.exceptions import ImproperlyConfigured


def refuse_to_start_misconfigured() -> None:
    refuse_the_demo_key_in_production()
    refuse_missing_static_files()


def refuse_the_demo_key_in_production() -> None:
    """An app server with DEBUG off needs a SECRET_KEY of its own."""
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEMO_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: with DEBUG=False the site refuses to run on the public demo "
            'key. Set SECRET_KEY to a long random value (python -c "import secrets; '
            'print(secrets.token_urlsafe(50))").'
        )


def refuse_missing_static_files() -> None:
    """Without `collectstatic`, manifest storage cannot name a single stylesheet: every page
    would answer 500 while /healthz said 200."""
    storage = staticfiles_storage  # a lazy object; isinstance() sees the configured class
    if isinstance(storage, ManifestFilesMixin) and not storage.manifest_storage.exists(
        storage.manifest_name
    ):
        raise ImproperlyConfigured(
            f"The static files are not collected in {settings.STATIC_ROOT}: run "
            "`manage.py collectstatic` first (make serve does)."
        )
