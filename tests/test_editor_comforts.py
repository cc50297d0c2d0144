"""Comforts editors expect (issue 12, part 8): spell checking in the summit's language, the
editor's toolbar in German, popups on the summit's language tab, "View on site" for drafts."""

import datetime
import html
import json
import re

import pytest
from django.contrib.admin.options import IS_POPUP_VAR
from django.urls import reverse
from django.utils import timezone

from summits import previews, services
from summits.choices import SummitStatus
from summits.models import Participant
from summits.richtext import ARTICLE_EXTENSIONS, SUMMARY_EXTENSIONS
from tests import factories

pytestmark = pytest.mark.django_db

CATALOG = reverse("admin:summits_summit_editor_strings")


def change_page(client, summit, **headers):
    response = client.get(reverse("admin:summits_summit_change", args=[summit.pk]), **headers)
    assert response.status_code == 200
    return response.content.decode()


def view_on_site_href(page):
    link = re.search(r'<a href="([^"]+)" class="viewsitelink">', page)
    assert link, "no View on site link"
    return html.unescape(link.group(1))


def catalog(client, language):
    response = client.get(CATALOG, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    found = re.search(r"const newcatalog = (\{.*?\});", response.content.decode(), re.S)
    return json.loads(found.group(1)) if found else {}


# "View on site"


def test_view_on_site_of_a_live_summit_is_its_page(editor_client):
    summit = factories.PublishedSummitFactory()

    assert view_on_site_href(change_page(editor_client, summit)) == summit.get_absolute_url()


@pytest.mark.parametrize(
    "summit_factory",
    [
        lambda: factories.SummitFactory(status=SummitStatus.DRAFT),
        lambda: factories.SummitFactory(status=SummitStatus.REVIEW),
        lambda: factories.PublishedSummitFactory(
            publish_at=timezone.now() + datetime.timedelta(days=2)
        ),
        lambda: factories.SummitFactory(status=SummitStatus.ARCHIVED),
    ],
    ids=["draft", "review", "scheduled", "archived"],
)
def test_view_on_site_of_a_summit_readers_do_not_see_opens_its_signed_preview(
    editor_client, client, summit_factory
):
    summit = summit_factory()

    href = view_on_site_href(change_page(editor_client, summit))

    token = href.removeprefix(reverse("summits:signed_preview", args=["-"]).removesuffix("-/"))
    assert previews.summit_pk(token.rstrip("/")) == str(summit.pk)
    # The readers' page is not there; the preview opens without a login, as a reviewer's does.
    assert client.get(summit.get_absolute_url()).status_code == 404
    preview = client.get(href)
    assert preview.status_code == 200
    assert summit.title in preview.content.decode()


def test_view_on_site_of_a_live_summit_with_a_working_draft_is_the_live_page(editor, editor_client):
    live = factories.PublishedSummitFactory(title="Live headline")
    draft = services.start_working_draft(live, user=editor)
    draft.title = "Draft headline"
    draft.save()

    page = change_page(editor_client, live)

    assert "You are editing the working draft of a live summit." in page
    assert view_on_site_href(page) == live.get_absolute_url()


# Spell checking


def test_the_rich_text_fields_leave_the_spell_checking_on():
    # django-prose-editor adds its NoSpellCheck (spellcheck="false") unless it is switched off.
    assert ARTICLE_EXTENSIONS["NoSpellCheck"] is False
    assert SUMMARY_EXTENSIONS["NoSpellCheck"] is False


def test_the_editors_config_on_the_summit_page_has_no_spell_check_switch_off(editor_client):
    summit = factories.SummitFactory()
    factories.ItemFactory(summit=summit)

    page = change_page(editor_client, summit)

    configs = re.findall(r'data-django-prose-editor-configurable="([^"]+)"', page)
    assert len(configs) >= 2  # the article and the item's summary
    for config in configs:
        assert "NoSpellCheck" not in json.loads(html.unescape(config))["extensions"]


# The toolbar's words


def test_the_summit_page_loads_the_editor_strings_before_the_editor(editor_client):
    summit = factories.SummitFactory()

    page = change_page(editor_client, summit)

    catalog_at = page.index(f'<script src="{CATALOG}"')
    script_at = page.index("summits/admin/editor-comforts.js")
    # Classic scripts, run as the page is parsed; the editor's modules run after them.
    assert catalog_at < script_at
    assert re.search(
        r'<script src="/static/django_prose_editor/configurable\.js"[^>]* type="module">', page
    )
    tag = re.search(rf'<script src="{re.escape(CATALOG)}"[^>]*>', page).group(0)
    assert "nonce=" in tag and "type=" not in tag


def test_the_editor_strings_in_german_are_django_prose_editors_own(editor_client):
    german = catalog(editor_client, "de")

    assert german["Edit Link"] == "Link bearbeiten"
    assert german["Title"] == "Titel"
    assert german["Update"] == "Aktualisieren"
    assert german["Cancel"] == "Abbrechen"
    assert german["List properties"] == "Listen-Einstellungen"


def test_the_editor_strings_in_english_are_the_editors_words_as_they_are(editor_client):
    assert "Edit Link" not in catalog(editor_client, "en")


def test_the_item_page_loads_the_editor_strings_too(editor_client):
    item = factories.ItemFactory()

    response = editor_client.get(reverse("admin:summits_agreement_change", args=[item.pk]))

    page = response.content.decode()
    assert reverse("admin:summits_agreement_editor_strings") in page
    assert "summits/admin/editor-comforts.js" in page


def test_the_editor_strings_are_for_staff_only(client):
    response = client.get(CATALOG)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# The participant popup


def test_the_summit_page_has_the_participant_add_link_the_script_sets_the_language_on(
    editor_client,
):
    summit = factories.SummitFactory(language="de")

    page = change_page(editor_client, summit)

    wrapper = re.search(
        r'<div class="related-widget-wrapper"[^>]*data-model-ref="participant".*?</div>',
        page,
        re.S,
    ).group(0)
    assert 'id="id_participants"' in wrapper
    add = re.search(r'<a class="related-widget-wrapper-link add-related"[^>]*>', wrapper).group(0)
    assert 'data-popup="yes"' in add
    assert reverse("admin:summits_participant_add") in add
    assert re.search(r'<select name="language"[^>]*id="id_language"', page)
    assert '<option value="de" selected>' in page


def test_the_participant_popup_opened_with_the_summits_language_adds_the_german_name(
    editor_client,
):
    url = reverse("admin:summits_participant_add") + f"?_to_field=id&{IS_POPUP_VAR}=1&language=de"

    form = editor_client.get(url)

    assert form.status_code == 200
    assert [tab[2] for tab in form.context["language_tabs"] if tab[3] == "current"] == ["de"]
    response = editor_client.post(
        url,
        {
            "name": "Wladimir Putin",
            "role": "Präsident Russlands",
            "slug": "putin",
            "country": "RU",
            "wikidata_id": "",
            IS_POPUP_VAR: "1",
        },
    )
    # The popup's answer hands the new participant to the summit form that opened it.
    assert response.status_code == 200
    assert "data-popup-response" in response.content.decode()
    putin = Participant.objects.get(slug="putin")
    assert putin.safe_translation_getter("name", language_code="de") == "Wladimir Putin"
    assert not putin.has_translation("en")


def test_the_toolbars_words_in_german_are_the_plugins(editor_client):
    german = catalog(editor_client, "de")

    # The script asks with pgettext("rich text editor", …): Django keys those "context\x04word".
    assert german["rich text editor\x04bold"] == "fett"
    assert german["rich text editor\x04Heading %(level)s"] == "Überschrift %(level)s"
