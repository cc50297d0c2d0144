"""The anchoring workspace (issue 12, parts 1–3): passages found whatever their typography,
the context kept by the system, and each item's anchor state shown in its row, in place."""

import re

import pytest
from django.urls import reverse

from summits import services
from summits.choices import AnchorState, SummitStatus
from summits.models import Item, Summit
from tests import factories
from tests.admin_forms import add_inline_row, form_data, new_summit_data

pytestmark = pytest.mark.django_db

AGREEMENTS = "items"
ADD_URL = reverse("admin:summits_summit_add")
GERMAN = (
    "<p>Die Präsidenten sprachen vier Stunden lang in einer Villa am See.</p>"
    "<p>Biden nannte das Treffen „gut und konstruktiv“ – ohne Drohungen.</p>"
    "<p>Die Bot\u00adschafter sollen auf ihre Posten zurück\u00adkehren.</p>"
)


def change_url(summit):
    return reverse("admin:summits_summit_change", args=[summit.pk])


def errors(response):
    return " ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page(response), re.S))


def page(response):
    return response.content.decode()


def added(client, body, quote, **fields):
    """Posts a new summit with one agreement quoting `quote`."""
    data = new_summit_data(client, body=body, language="de")
    add_inline_row(data, AGREEMENTS, title="Item", quote=quote, status="announced", **fields)
    return client.post(ADD_URL, data)


@pytest.mark.parametrize(
    ("pasted", "stands"),
    [
        # Straight quotes and a hyphen for the article's „…“ and dash.
        ('"gut und konstruktiv" - ohne', "„gut und konstruktiv“ – ohne"),
        # English quotes and a non-breaking space.
        ("“gut und\u00a0konstruktiv”", "„gut und konstruktiv“"),
        # Without the article's soft hyphens.
        ("Die Botschafter sollen auf ihre Posten zurückkehren", None),
    ],
)
def test_a_pasted_passage_is_found_whatever_its_typography(editor_client, pasted, stands):
    response = added(editor_client, GERMAN, pasted)

    assert response.status_code == 302, errors(response)
    item = Item.objects.get()
    assert item.anchor_state == AnchorState.ANCHORED
    text = Summit.objects.get().body_text
    # The item holds the article's own characters, so its highlight is the article's words.
    assert item.quote == text[item.anchor_start : item.anchor_end]
    if stands is not None:
        assert item.quote == stands
    else:
        assert item.quote.replace("\u00ad", "") == pasted


def test_a_passage_not_found_says_where_the_nearest_words_are_and_what_differs(editor_client):
    response = added(editor_client, GERMAN, "Die Botschafter sollen auf ihre Posten zurückkerhen")

    assert response.status_code == 200
    message = errors(response)
    assert "This passage is not in the article" in message
    assert "paragraph 3" in message
    assert "zurückkehren" in message.replace("\u00ad", "")  # the nearest words, shown
    assert "“rh” where the article has “hr”" in message
    assert not Summit.objects.exists()


def test_an_invisible_character_that_differs_is_named(editor_client):
    response = added(editor_client, GERMAN, "sprachen vier\u200eStunden lang")

    # A left-to-right mark is no typography: it is named, since nobody can see it.
    assert "LEFT-TO-RIGHT MARK" in errors(response)


def test_the_context_is_hidden_kept_by_the_system_and_never_refuses_a_save(editor_client):
    summit = factories.SummitFactory()
    item = factories.ItemFactory(summit=summit, quote=factories.PASSAGES[0])
    response = editor_client.get(change_url(summit))
    html = page(response)
    assert re.search(rf'<input type="hidden" name="{AGREEMENTS}-0-quote_prefix"', html)
    assert re.search(rf'<input type="hidden" name="{AGREEMENTS}-0-quote_suffix"', html)
    # Their rows are hidden: the editor never types context.
    assert re.search(r'<div class="form-row[^"]* hidden field-quote_prefix', html)
    data = form_data(response)
    # A new passage, with context that fits none of the article (a stale one).
    data[f"{AGREEMENTS}-0-quote"] = factories.PASSAGES[1]
    data[f"{AGREEMENTS}-0-quote_prefix"] = "words from an old version"

    assert editor_client.post(change_url(summit), data).status_code == 302

    item.refresh_from_db()
    text = Summit.objects.get().body_text
    assert (item.quote, item.anchor_state) == (factories.PASSAGES[1], AnchorState.ANCHORED)
    assert text[: item.anchor_start].endswith(item.quote_prefix)
    assert text[item.anchor_end :].startswith(item.quote_suffix)


REPEATED = "<p>Before lunch the talks were short; after lunch the talks were long.</p>"


@pytest.mark.parametrize(
    "selection",
    [
        # What select-to-anchor.js sends: the context and the place of the selected words.
        {"quote_prefix": "short; after lunch ", "quote_suffix": " long.", "quote_start": "47"},
        # The context alone, the place a little off (a selection counted differently).
        {"quote_prefix": "after lunch ", "quote_suffix": " long.", "quote_start": "46"},
    ],
)
def test_a_selection_tells_the_places_of_a_repeated_passage_apart(editor_client, selection):
    response = added(editor_client, REPEATED, "the talks were", **selection)

    assert response.status_code == 302, errors(response)
    assert Item.objects.get().anchor_start == REPEATED.index("the talks were long") - len("<p>")


def test_a_repeated_passage_shows_its_context_on_the_row_and_a_unique_one_does_not(editor_client):
    summit = factories.SummitFactory(body=REPEATED + "<p>Nothing else.</p>")
    factories.ItemFactory(summit=summit, quote="the talks were", quote_suffix=" long.")
    factories.ItemFactory(summit=summit, quote="Nothing else.")

    html = page(editor_client.get(change_url(summit)))

    anchors = re.findall(r'<div class="anchor-state anchor-anchored".*?</div>', html, re.S)
    assert len(anchors) == 2
    assert "one of its places" in anchors[0] and "<mark>the talks were</mark> long." in anchors[0]
    assert "one of its places" not in anchors[1]


@pytest.fixture
def drifted(db):
    summit = factories.SummitFactory()
    item = factories.ItemFactory(summit=summit, quote="a dialogue on strategic stability")
    summit.body = summit.body.replace("strategic stability", "strategical stability")
    summit.save()
    services.reanchor_summit(summit)
    item.refresh_from_db()
    assert item.anchor_state == AnchorState.DRIFTED
    return summit, item


def test_a_drifted_row_shows_old_and_new_words_and_accepting_stays_on_the_page(
    editor_client, drifted
):
    summit, item = drifted
    response = editor_client.get(change_url(summit))
    html = page(response)
    state = re.search(r'<div class="anchor-state anchor-drifted".*?</div>', html, re.S).group(0)
    assert "<del>strategic</del>" in state and "<ins>strategical</ins>" in state
    accept = re.search(r'<button type="submit"[^>]*name="([^"]+)" value="on">', state)
    assert accept and accept.group(1) == f"{AGREEMENTS}-0-confirm_anchor"
    data = form_data(response)
    data[accept.group(1)] = "on"  # the button, as the browser sends it

    saved = editor_client.post(change_url(summit), data)

    assert saved.status_code == 302 and saved["Location"] == change_url(summit)
    item.refresh_from_db()
    assert item.anchor_state == AnchorState.ANCHORED
    assert item.quote == "a dialogue on strategical stability"


def test_accepting_a_drift_of_a_live_summit_anchors_it_in_the_working_draft(editor_client):
    summit = factories.PublishedSummitFactory()
    item = factories.ItemFactory(summit=summit, quote="a dialogue on strategic stability")
    Summit.objects.filter(pk=summit.pk).update(
        body=summit.body.replace("strategic stability", "strategical stability")
    )
    summit.refresh_from_db()
    summit.body_text = ""
    summit.save()
    services.reanchor_summit(summit)
    data = form_data(editor_client.get(change_url(summit)))
    data[f"{AGREEMENTS}-0-confirm_anchor"] = "on"

    assert editor_client.post(change_url(summit), data).status_code == 302

    copy = Summit.objects.get(draft_of=summit).items.get()
    assert (copy.anchor_state, copy.quote) == (
        AnchorState.ANCHORED,
        "a dialogue on strategical stability",
    )
    item.refresh_from_db()
    assert item.anchor_state == AnchorState.DRIFTED  # the live item waits for the publishing


def test_a_form_shown_again_shows_the_anchor_in_the_submitted_article_not_a_stale_badge(
    editor_client,
):
    summit = factories.SummitFactory()
    factories.ItemFactory(summit=summit, title="Cyber", quote=factories.PASSAGES[2])
    data = form_data(editor_client.get(change_url(summit)))
    data["body"] = factories.ARTICLE.replace("discuss cybersecurity", "talk")
    data["slug"] = ""  # an error elsewhere: the form comes back

    response = editor_client.post(change_url(summit), data)

    assert response.status_code == 200
    html = page(response)
    assert '<div class="anchor-state anchor-orphaned"' in html
    assert "✓ Anchored" not in html
    assert re.search(r"<del[^>]*>discuss cybersecurity</del>", html)


def test_a_live_summits_orphans_are_listed_first_naming_the_items_for_a_live_summit(
    editor_client,
):
    summit = factories.PublishedSummitFactory()
    item = factories.ItemFactory(summit=summit, title="Cyber", quote=factories.PASSAGES[2])
    data = form_data(editor_client.get(change_url(summit)))
    data["body"] = factories.ARTICLE.replace("discuss cybersecurity", "talk")

    response = editor_client.post(change_url(summit), data)

    assert response.status_code == 200
    html = page(response)
    label = item.reference_label
    problems = re.search(r'<div class="row-problems".*?</div>', html, re.S).group(0)
    assert f"A live summit cannot show an item whose passage is gone: “Cyber” ({label})" in problems
    assert "before publishing" not in problems
    # Right under the error banner, not below the article.
    assert html.index('class="row-problems"') < html.index('name="body"')


def test_each_row_with_an_error_is_listed_first_with_a_link_to_it(editor_client):
    summit = factories.SummitFactory()
    factories.ItemFactory(summit=summit, title="Ambassadors", quote=factories.PASSAGES[0])
    data = form_data(editor_client.get(change_url(summit)))
    data[f"{AGREEMENTS}-0-quote"] = "words nobody ever wrote"

    html = page(editor_client.post(change_url(summit), data))

    problems = re.search(r'<div class="row-problems".*?</div>', html, re.S).group(0)
    assert f'<a href="#{AGREEMENTS}-0">Agreement 1 “Ambassadors”</a>' in problems
    assert "This passage is not in the article" in problems


def test_an_orphan_is_re_anchored_to_words_given_with_their_context(editor_client):
    summit = factories.SummitFactory()
    item = factories.ItemFactory(summit=summit, quote=factories.PASSAGES[2])
    summit.body = factories.ARTICLE.replace("discuss cybersecurity", "talk about cyber threats")
    summit.save()
    services.reanchor_summit(summit)
    item.refresh_from_db()
    assert item.anchor_state == AnchorState.ORPHANED
    data = form_data(editor_client.get(change_url(summit)))
    data[f"{AGREEMENTS}-0-quote"] = "talk about cyber threats"
    data[f"{AGREEMENTS}-0-quote_prefix"] = "will meet to "

    assert editor_client.post(change_url(summit), data).status_code == 302

    item.refresh_from_db()
    assert (item.anchor_state, item.quote) == (AnchorState.ANCHORED, "talk about cyber threats")
    assert Summit.objects.get().status == SummitStatus.DRAFT
