"""App configuration of the summits plugin."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SummitsConfig(AppConfig):
    name = "summits"
    verbose_name = _("Summits")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import revisions  # noqa: F401  (registers the models with django-reversion)
