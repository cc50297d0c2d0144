"""Pins the django-admin-sortable2 workarounds for Django 6.1, so an upgrade that changes them is noticed."""

import re

import pytest
from django import VERSION as DJANGO_VERSION
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse

from summits.admin import SORTABLE_DJANGO, ItemInline
from tests import factories

pytestmark = pytest.mark.django_db


def test_sortable2_still_lacks_files_for_this_django_so_the_workaround_is_needed():
    version = "{}.{}".format(*DJANGO_VERSION)
    shipped_template = f"adminsortable2/edit_inline/stacked-django-{version}.html"
    shipped_js = finders.find(f"adminsortable2/js/actions-{version}.js")
    if version == SORTABLE_DJANGO:
        get_template(shipped_template)
        assert shipped_js
    else:
        # When this fails, django-admin-sortable2 ships files for this Django: drop SORTABLE_DJANGO.
        with pytest.raises(TemplateDoesNotExist):
            get_template(shipped_template)
        assert shipped_js is None


def test_inline_template_exists():
    get_template(ItemInline.template)


def static_paths(response):
    """Paths below STATIC_URL of every script and stylesheet the page loads."""
    prefix = static("")
    urls = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', response.content.decode())
    return [url.removeprefix(prefix) for url in urls if url.startswith(prefix)]


def test_every_script_and_stylesheet_of_the_summit_pages_exists(editor_client):
    summit = factories.SummitFactory()
    factories.ItemFactory(summit=summit)
    change_form = static_paths(
        editor_client.get(reverse("admin:summits_summit_change", args=[summit.pk]))
    )
    changelist = static_paths(editor_client.get(reverse("admin:summits_summit_changelist")))

    missing = [path for path in change_form + changelist if not finders.find(path)]

    assert missing == []
    assert "adminsortable2/js/adminsortable2.min.js" in change_form
    assert any(path.startswith("django_prose_editor/") for path in change_form)
    assert any(path.startswith("adminsortable2/js/actions-") for path in changelist)


def test_summit_change_form_renders_under_manifest_static_storage(
    editor_client, settings, tmp_path
):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    summit = factories.SummitFactory()
    factories.ItemFactory(summit=summit)

    for url in (
        reverse("admin:summits_summit_change", args=[summit.pk]),
        reverse("admin:summits_summit_changelist"),
        reverse("admin:summits_summit_add"),
    ):
        assert editor_client.get(url).status_code == 200
