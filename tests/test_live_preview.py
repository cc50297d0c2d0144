"""The summit admin's live preview: the page as the form's unsaved edits would make it (issue 11)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from summits.choices import SummitStatus
from summits.models import Correction, Item, Summit
from tests import factories
from tests.admin_forms import add_inline_row, form_data, new_summit_data

pytestmark = pytest.mark.django_db

AGREEMENTS, DISPUTES, CORRECTIONS = "items", "items-2", "corrections"
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def change_url(summit):
    return reverse("admin:summits_summit_change", args=[summit.pk])


def preview_url(summit=None):
    args = [] if summit is None else [summit.pk]
    return reverse("admin:summits_summit_live_preview", args=args)


def notes(response):
    """(label, title) of each note below the article, in the page's order."""
    return re.findall(
        r'<h3 class="item-title"><span class="item-label">([^<]*)</span> ([^<]*)</h3>',
        response.content.decode(),
    )


def stored(summit):
    """What the database holds of the summit and everything its page shows."""
    row = Summit.objects.filter(pk=summit.pk).values().get()
    return {
        "summit": row,
        "items": list(Item.objects.filter(summit=summit).order_by("pk").values()),
        "corrections": list(Correction.objects.filter(summit=summit).order_by("pk").values()),
        "participants": list(summit.participants.order_by("pk").values_list("pk", flat=True)),
    }


def summit_with_agreements(*titles):
    summit = factories.SummitFactory(title="Stored headline")
    items = [
        factories.ItemFactory(
            summit=summit, position=number, title=title, quote=factories.PASSAGES[number - 1]
        )
        for number, title in enumerate(titles, start=1)
    ]
    return summit, items


def test_preview_shows_an_edited_headline_and_reworded_passage_before_saving(editor_client):
    summit = factories.SummitFactory(title="Stored headline")
    item = factories.ItemFactory(summit=summit, quote="a dialogue on strategic stability")
    data = form_data(editor_client.get(change_url(summit)))
    data["title"] = "Edited headline"
    data["body"] = summit.body.replace("strategic stability", "strategical stability")
    before = stored(summit)

    response = editor_client.post(preview_url(summit), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 id="summit-title">Edited headline</h1>' in page
    assert "Stored headline" not in page
    # The item is anchored to the reworded passage in memory, and its highlight links its note.
    highlighted = re.search(rf'<mark id="passage-{item.pk}"[^>]*>([^<]*)</mark>', page)
    assert highlighted and "strategical stability" in highlighted.group(1)
    assert f'href="#item-{item.pk}"' in page and f'id="item-{item.pk}"' in page
    assert stored(summit) == before
    assert "strategical" not in Summit.objects.get(pk=summit.pk).body_html


def test_preview_shows_a_reordered_an_added_and_no_deleted_item_while_the_database_keeps_its_own(
    editor_client,
):
    summit, [first, second, third] = summit_with_agreements(
        "Ambassadors return", "Stability dialogue", "Cyber experts"
    )
    data = form_data(editor_client.get(change_url(summit)))
    data[f"{AGREEMENTS}-0-position"], data[f"{AGREEMENTS}-1-position"] = "2", "1"
    data[f"{AGREEMENTS}-2-DELETE"] = "on"
    add_inline_row(
        data,
        AGREEMENTS,
        title="Human rights talks",
        quote="the two leaders remained far apart",
        status="announced",
    )
    before = stored(summit)

    response = editor_client.post(preview_url(summit), data)

    assert response.status_code == 200
    # Numbered as the save would number them: the added one after the others.
    assert notes(response) == [
        ("A1", "Stability dialogue"),
        ("A2", "Ambassadors return"),
        ("A3", "Human rights talks"),
    ]
    page = response.content.decode()
    assert "Cyber experts" not in page
    assert f'id="passage-{third.pk}"' not in page
    # The new item has no id yet: a temporary one links its passage and its note.
    assert 'id="item-new-1"' in page and 'href="#item-new-1"' in page
    assert '<mark id="passage-new-1"' in page
    assert stored(summit) == before
    assert list(summit.items.order_by("position").values_list("pk", flat=True)) == [
        first.pk,
        second.pk,
        third.pk,
    ]


def test_preview_writes_nothing(editor_client):
    summit, _items = summit_with_agreements("Ambassadors return", "Stability dialogue")
    factories.CorrectionFactory(summit=summit)
    summit.participants.add(factories.ParticipantFactory())
    data = form_data(editor_client.get(change_url(summit)))
    data.update(title="Edited headline", participants=[str(factories.ParticipantFactory().pk)])
    data[f"{AGREEMENTS}-0-position"], data[f"{AGREEMENTS}-1-position"] = "2", "1"
    data[f"{CORRECTIONS}-0-DELETE"] = "on"
    add_inline_row(
        data,
        DISPUTES,
        title="Human rights",
        quote="the two leaders remained far apart",
        status="open",
    )
    before = stored(summit)

    with CaptureQueriesContext(connection) as queries:
        response = editor_client.post(preview_url(summit), data)

    assert response.status_code == 200
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if WRITE.match(query["sql"]) and "django_session" not in query["sql"]
    ]
    assert writes == []
    assert stored(summit) == before


def test_preview_takes_participants_and_corrections_from_the_form_and_stances_from_the_database(
    editor_client,
):
    summit = factories.SummitFactory()
    summit.participants.add(factories.ParticipantFactory(name="Stored Leader"))
    chosen = factories.ParticipantFactory(name="Chosen Leader")
    dispute = factories.DisputeFactory(summit=summit, quote="the two leaders remained far apart")
    factories.StanceFactory(
        item=dispute,
        participant=factories.ParticipantFactory(name="Stance Holder"),
        position="Calls the matter an internal affair.",
    )
    agreement = factories.ItemFactory(summit=summit, quote=factories.PASSAGES[0])
    factories.ItemUpdateFactory(item=agreement, note="<p>Talks resumed in July.</p>")
    factories.CorrectionFactory(summit=summit, text="The stored correction.")
    data = form_data(editor_client.get(change_url(summit)))
    data["participants"] = [str(chosen.pk)]
    data[f"{CORRECTIONS}-0-DELETE"] = "on"
    add_inline_row(
        data,
        CORRECTIONS,
        published_at_0="2021-06-20",
        published_at_1="10:00:00",
        text="A correction not yet saved.",
    )
    before = stored(summit)

    page = editor_client.post(preview_url(summit), data).content.decode()

    assert "Chosen Leader" in page and "Stored Leader" not in page
    assert "Stance Holder" in page and "Calls the matter an internal affair." in page
    assert "Talks resumed in July." in page
    assert "A correction not yet saved." in page and "The stored correction." not in page
    assert stored(summit) == before


def test_preview_of_the_add_form_shows_a_summit_not_yet_in_the_database(editor_client):
    data = new_summit_data(editor_client)
    add_inline_row(
        data,
        AGREEMENTS,
        title="Ambassadors return",
        quote="ambassadors would return to their posts",
        status="announced",
    )
    add_inline_row(
        data,
        DISPUTES,
        title="Human rights",
        quote="the two leaders remained far apart",
        status="open",
    )

    response = editor_client.post(preview_url(), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 id="summit-title">Geneva talks</h1>' in page
    assert notes(response) == [("A1", "Ambassadors return"), ("D1", "Human rights")]
    assert '<mark id="passage-new-1"' in page and '<mark id="passage-new-2"' in page
    assert not Summit.objects.exists() and not Item.objects.exists()


def test_preview_is_marked_not_for_search_engines_in_the_summits_language_and_never_cached(
    editor_client,
):
    summit = factories.SummitFactory(language="de")
    data = form_data(editor_client.get(change_url(summit)))

    response = editor_client.post(preview_url(summit), data)

    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Content-Language"] == "de"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_preview_query_count_is_constant_whatever_the_number_of_items(
    editor_client, django_assert_max_num_queries
):
    summit = factories.SummitFactory()
    summit.participants.add(factories.ParticipantFactory())
    factories.CorrectionFactory(summit=summit)

    def add_items(count):
        for _ in range(count):
            agreement = factories.ItemFactory(summit=summit, quote=factories.PASSAGES[0])
            factories.ItemUpdateFactory(item=agreement)
            dispute = factories.DisputeFactory(summit=summit, quote=factories.PASSAGES[3])
            factories.StanceFactory(item=dispute)

    add_items(1)
    data = form_data(editor_client.get(change_url(summit)))
    editor_client.post(preview_url(summit), data)  # once-per-process lookups are not measured
    with django_assert_max_num_queries(60) as few:
        assert editor_client.post(preview_url(summit), data).status_code == 200
    # Read now: the next request empties the connection's query log.
    budget = len(few.captured_queries)
    add_items(4)
    data = form_data(editor_client.get(change_url(summit)))
    with django_assert_max_num_queries(budget):
        response = editor_client.post(preview_url(summit), data)
    assert len(notes(response)) == 10


def test_invalid_input_gives_a_page_naming_the_errors_not_a_server_error(editor_client):
    summit, _items = summit_with_agreements("Ambassadors return")
    data = form_data(editor_client.get(change_url(summit)))
    data["title"] = ""
    data[f"{AGREEMENTS}-0-quote"] = "words nobody ever wrote"

    response = editor_client.post(preview_url(summit), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "No preview yet" in page
    assert "<strong>Headline</strong>: This field is required." in page
    assert "<strong>Agreement 1, Passage</strong>: This passage is not in the article" in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert Summit.objects.get(pk=summit.pk).title == "Stored headline"


def test_article_markup_a_save_would_strip_never_reaches_the_preview(editor_client):
    summit = factories.SummitFactory()
    data = form_data(editor_client.get(change_url(summit)))
    data["body"] = '<p onclick="steal()">Hello</p><script>alert(1)</script>'

    page = editor_client.post(preview_url(summit), data).content.decode()

    assert "Hello" in page
    assert "alert(1)" not in page and "steal()" not in page


def test_anonymous_and_non_staff_users_get_no_preview(client):
    summit = factories.SummitFactory(title="Secret draft")
    visitor = factories.UserFactory(username="visitor", is_staff=False)
    for user in (None, visitor):
        if user is not None:
            client.force_login(user)
        response = client.post(preview_url(summit), {"title": "Secret draft"})
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_staff_without_permission_on_summits_is_refused(client):
    summit = factories.SummitFactory()
    client.force_login(factories.UserFactory(username="staff"))

    assert client.post(preview_url(summit), {}).status_code == 403
    assert client.post(preview_url(), {}).status_code == 403


def test_a_summit_that_does_not_exist_is_a_404(editor_client):
    assert (
        editor_client.post(reverse("admin:summits_summit_live_preview", args=[999])).status_code
        == 404
    )


def test_reporter_who_may_only_view_an_archived_summit_previews_what_is_stored(
    reporter_client, editor_client
):
    summit = factories.SummitFactory(status=SummitStatus.ARCHIVED, title="Archived headline")
    data = form_data(editor_client.get(change_url(summit)))
    data["title"] = "Rewritten by a reporter"

    response = reporter_client.post(preview_url(summit), data)

    assert response.status_code == 200
    assert '<h1 id="summit-title">Archived headline</h1>' in response.content.decode()


def test_preview_takes_only_posts_and_checks_the_csrf_token(editor):
    summit = factories.SummitFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    change_page = client.get(change_url(summit))
    data = form_data(change_page)

    assert client.get(preview_url(summit)).status_code == 405
    assert client.post(preview_url(summit), data).status_code == 403
    token = str(change_page.context["csrf_token"])
    assert (
        client.post(preview_url(summit), {**data, "csrfmiddlewaretoken": token}).status_code == 200
    )


def test_change_form_loads_the_preview_script_with_its_words(editor_client):
    summit = factories.SummitFactory()

    page = editor_client.get(change_url(summit)).content.decode()

    script = re.search(r'<script src="[^"]*summits/admin/live-preview\.js"[^>]*>', page)
    assert script and 'data-label-open="Preview unsaved changes"' in script.group(0)
    assert "summits/admin/live-preview.css" in page
