"""App configuration of the summits plugin."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SummitsConfig(AppConfig):
    name = "summits"
    verbose_name = _("Summits")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import pre_save

        from . import revisions  # noqa: F401  (registers the models with django-reversion)
        from .xmlsafe import clean_before_save

        pre_save.connect(clean_before_save, dispatch_uid="summits.xmlsafe")
