"""Comforts of the rich text editors in the admin: spell checking and a translated toolbar."""

from django import forms
from django.urls import path, reverse
from django.views.i18n import JavaScriptCatalog

# django-prose-editor translates its dialogs and a few titles with Django's `gettext` in the
# browser, from its own "djangojs" catalog, which the admin's jsi18n leaves out; the names of
# the toolbar buttons it leaves in English, and summits/static/summits/admin/editor-comforts.js
# translates them from the summits app's catalog.
EDITOR_CATALOG_PACKAGES = ["django_prose_editor", "summits"]


class EditorComfortsMixin:
    """Loads the editors' strings in the editor's language, and the script that applies them,
    on the change pages of a ModelAdmin with rich text fields.

    List it before ModelAdmin among the bases: ModelAdmin's own `media` does not call super().
    """

    @property
    def editor_strings_url_name(self):
        return f"{self.opts.app_label}_{self.opts.model_name}_editor_strings"

    @property
    def media(self):
        # A classic script: it runs while the page is parsed, before the editor's modules,
        # which read `window.gettext` once, when they load.
        catalog = reverse(f"{self.admin_site.name}:{self.editor_strings_url_name}")
        return super().media + forms.Media(js=[catalog, "summits/admin/editor-comforts.js"])

    def get_urls(self):
        catalog = JavaScriptCatalog.as_view(packages=EDITOR_CATALOG_PACKAGES)
        # Ahead of the admin's own URLs: its "<object_id>/" redirect would take this one.
        return [
            path(
                "editor-strings/",
                self.admin_site.admin_view(catalog, cacheable=True),
                name=self.editor_strings_url_name,
            ),
            *super().get_urls(),
        ]
