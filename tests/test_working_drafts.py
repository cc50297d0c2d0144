"""Working drafts: a live summit's changes wait in a draft until an editor publishes them."""

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from summits import services
from summits.choices import SummitStatus
from summits.models import Item, Summit, Withdrawal
from tests import factories
from tests.admin_forms import add_inline_row, form_data
from tests.api.conftest import results
from tests.sitemaps import sitemap_entries

pytestmark = pytest.mark.django_db

AGREEMENTS = "items"
CHANGELIST = reverse("admin:summits_summit_changelist")


def change_url(summit):
    return reverse("admin:summits_summit_change", args=[summit.pk])


@pytest.fixture
def live(db):
    summit = factories.PublishedSummitFactory(title="Live headline", slug="geneva")
    factories.ItemFactory(
        summit=summit, title="Ambassadors", position=1, quote=factories.PASSAGES[0]
    )
    factories.ItemFactory(summit=summit, title="Dialogue", position=2, quote=factories.PASSAGES[1])
    factories.ItemFactory(
        summit=summit, title="Cyber talks", position=3, quote=factories.PASSAGES[2]
    )
    return Summit.objects.get(pk=summit.pk)


def edited_in_the_form(client, summit, **buttons):
    """Rewords the headline, deletes the third agreement, swaps the first two, adds one."""
    data = form_data(client.get(change_url(summit)))
    data["title"] = "Reworded headline"
    data[f"{AGREEMENTS}-0-position"], data[f"{AGREEMENTS}-1-position"] = "2", "1"
    data[f"{AGREEMENTS}-2-DELETE"] = "on"
    add_inline_row(
        data,
        AGREEMENTS,
        title="Human rights",
        quote=factories.PASSAGES[3],
        status="announced",
        position="4",
    )
    data.update(buttons)
    response = client.post(change_url(summit), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def reader_views(client, api, summit):
    return (
        client.get(summit.get_absolute_url()).content.decode(),
        api.get(f"/api/v1/summits/{summit.slug}/").json(),
        client.get(reverse("summits:feed")).content.decode(),
    )


def test_editing_a_live_summit_leaves_readers_and_partners_the_live_version(
    editor_client, client, api, live
):
    page, entry, feed = reader_views(client, api, live)
    version = live.version

    edited_in_the_form(editor_client, live)

    live.refresh_from_db()
    assert (live.title, live.version) == ("Live headline", version)
    assert reader_views(client, api, live) == (page, entry, feed)
    draft = live.working_draft
    assert (draft.title, draft.status) == ("Reworded headline", SummitStatus.DRAFT)
    assert [item.title for item in draft.items.order_by("position")] == [
        "Dialogue",
        "Ambassadors",
        "Human rights",
    ]
    # The draft is never a reader's: not listed, not found, not in the sitemap or search.
    assert not Summit.objects.published().filter(pk=draft.pk).exists()
    found = client.get(reverse("summits:list"), {"q": "Reworded"}).content.decode()
    assert "Reworded headline" not in found
    assert [entry["loc"] for entry in sitemap_entries(client)] == [
        f"http://testserver{live.get_absolute_url()}"
    ]
    assert [row["title"] for row in results(api.get("/api/v1/summits/"))] == ["Live headline"]


def test_publishing_the_changes_makes_them_live_at_once_with_the_same_item_ids(
    editor_client, client, api, live
):
    ambassadors, dialogue, cyber = live.items.order_by("position")
    poll_from = timezone.now().isoformat()
    edited_in_the_form(editor_client, live)
    assert results(api.get("/api/v1/summits/", {"updated_since": poll_from})) == []

    edited_again = form_data(editor_client.get(change_url(live)))
    edited_again["teaser"] = "A teaser written in the draft."
    editor_client.post(change_url(live), {**edited_again, "_publish_changes": "Publish"})

    live.refresh_from_db()
    assert not Summit.objects.filter(draft_of=live).exists()
    assert (live.title, live.teaser) == ("Reworded headline", "A teaser written in the draft.")
    items = list(live.items.order_by("position"))
    assert [(item.pk, item.title) for item in items[:2]] == [
        (dialogue.pk, "Dialogue"),
        (ambassadors.pk, "Ambassadors"),
    ]
    assert items[2].title == "Human rights" and items[2].pk not in {cyber.pk}
    assert not Item.objects.filter(pk=cyber.pk).exists()
    page, entry, feed = reader_views(client, api, live)
    assert "Reworded headline" in page and "Reworded headline" in feed
    assert f'id="item-{ambassadors.pk}"' in page and f'href="#item-{dialogue.pk}"' in page
    assert entry["title"] == "Reworded headline"
    assert [item["id"] for item in entry["items"] if item["kind"] == "agreement"] == [
        dialogue.pk,
        ambassadors.pk,
        items[2].pk,
    ]
    # The partner polling with updated_since sees one change, and nothing withdrawn.
    changed = results(api.get("/api/v1/summits/", {"updated_since": poll_from}))
    assert [row["slug"] for row in changed] == ["geneva"]
    assert not Withdrawal.objects.exists()
    assert live.is_live


def test_a_reporter_edits_the_draft_and_submits_it_but_cannot_publish_it(
    reporter_client, editor_client, client, live
):
    edited_in_the_form(reporter_client, live, _submit="Submit")
    draft = live.working_draft
    assert draft.status == SummitStatus.REVIEW

    data = form_data(reporter_client.get(change_url(live)))
    reporter_client.post(change_url(live), {**data, "_publish_changes": "Publish"})
    publish = services.publish_changes
    with pytest.raises(services.PermissionDenied):
        publish(draft, user=factories.reporter())

    live.refresh_from_db()
    assert live.title == "Live headline"
    assert "Reworded headline" not in client.get(live.get_absolute_url()).content.decode()
    changelist = editor_client.get(CHANGELIST).content.decode()
    assert "unpublished changes" in changelist
    assert changelist.count("Reworded headline") == 0


def test_discarding_the_draft_keeps_the_live_version(editor_client, client, live):
    edited_in_the_form(editor_client, live)
    url = reverse("admin:summits_summit_discard_draft", args=[live.pk])
    assert editor_client.get(url).status_code == 200

    response = editor_client.post(url)

    assert response.status_code == 302
    assert not Summit.objects.filter(draft_of=live).exists()
    assert Summit.objects.get().title == "Live headline"
    assert live.items.count() == 3
    form = editor_client.get(change_url(live)).context["adminform"].form
    assert form.instance == live


def test_the_change_page_edits_the_draft_once_it_is_open(editor_client, live):
    edited_in_the_form(editor_client, live)
    draft = live.working_draft

    page = editor_client.get(change_url(live))

    assert page.context["adminform"].form.instance == draft
    assert "You are editing the working draft of a live summit" in page.content.decode()
    # The draft's own address leads to its summit's.
    assert editor_client.get(change_url(draft)).url == change_url(live)


def test_the_preview_of_a_live_summit_shows_its_working_draft(editor_client, live):
    edited_in_the_form(editor_client, live)

    page = editor_client.get(reverse("summits:preview", args=[live.slug])).content.decode()

    assert "Reworded headline" in page and "Live headline" not in page


def test_compare_shows_the_draft_against_the_live_version_word_by_word(editor_client, live):
    edited_in_the_form(editor_client, live)

    page = editor_client.get(
        reverse("admin:summits_summit_compare_draft", args=[live.pk])
    ).content.decode()

    assert "<del>Live</del>" in page and "<ins>Reworded</ins>" in page
    assert "Human rights" in page and "Cyber talks" in page
    assert "body_html" not in page and "search_document" not in page


def test_publishing_a_draft_whose_address_another_summit_took_is_refused_clearly(
    editor_client, live
):
    edited_in_the_form(editor_client, live)
    factories.PublishedSummitFactory(slug="taken")
    draft = live.working_draft
    draft.slug = "taken"
    draft.save()

    with pytest.raises(services.PublishError, match="taken"):
        services.publish_changes(draft, user=factories.editor())

    live.refresh_from_db()
    assert live.slug == "geneva"


def test_a_draft_cannot_take_another_summits_address_in_the_form(editor_client, live):
    factories.PublishedSummitFactory(slug="taken")
    data = form_data(editor_client.get(change_url(live)))

    response = editor_client.post(change_url(live), {**data, "slug": "taken"})

    assert response.status_code == 200
    assert "Another summit has this address" in response.content.decode()
    assert not Summit.objects.filter(draft_of=live).exists()


def test_deleting_a_live_summit_deletes_its_draft_and_withdraws_it(editor_client, live):
    edited_in_the_form(editor_client, live)

    editor_client.post(reverse("admin:summits_summit_delete", args=[live.pk]), {"post": "yes"})

    assert not Summit.objects.exists()
    assert list(Withdrawal.objects.values_list("slug", "reason")) == [("geneva", "deleted")]


@pytest.mark.parametrize("view", ["change", "compare_draft", "discard_draft"])
def test_a_working_drafts_pages_make_a_constant_number_of_queries(
    view, editor_client, django_assert_max_num_queries
):
    summit = factories.PublishedSummitFactory()
    factories.ItemFactory(summit=summit, quote=factories.PASSAGES[0])
    factories.DisputeFactory(summit=summit)
    factories.CorrectionFactory(summit=summit)
    services.start_working_draft(summit)
    url = reverse(f"admin:summits_summit_{view}", args=[summit.pk])
    editor_client.get(url)  # once-per-process lookups (content types) are not what is measured
    with django_assert_max_num_queries(60) as few:
        assert editor_client.get(url).status_code == 200
    draft = Summit.objects.get(draft_of=summit)
    factories.ItemFactory.create_batch(12, summit=draft)
    factories.DisputeFactory.create_batch(8, summit=draft)
    factories.CorrectionFactory.create_batch(3, summit=draft)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert editor_client.get(url).status_code == 200


@pytest.mark.parametrize("close", ["_publish_changes", "discard"])
def test_a_closed_working_draft_is_no_deleted_summit_to_recover(
    editor_client, live, close, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edited_in_the_form(editor_client, live)
    draft = Summit.objects.get(draft_of=live)
    with django_capture_on_commit_callbacks(execute=True):
        if close == "discard":
            url = reverse("admin:summits_summit_discard_draft", args=[live.pk])
            editor_client.post(url, {"post": "yes"})
        else:
            data = form_data(editor_client.get(change_url(live)))
            editor_client.post(change_url(live), {**data, close: "on"})
    assert not Summit.objects.filter(draft_of=live).exists()

    assert not Version.objects.get_for_model(Summit).filter(object_id=str(draft.pk)).exists()
    recoverable = editor_client.get(reverse("admin:summits_summit_recoverlist"))
    assert list(recoverable.context["deleted"]) == []


def test_the_history_of_a_draft_is_its_summits_and_names_the_publishing(
    editor_client, live, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edited_in_the_form(editor_client, live)
    page = editor_client.get(change_url(live)).content.decode()
    history = reverse("admin:summits_summit_history", args=[live.pk])
    assert f'href="{history}" class="historylink"' in page

    data = form_data(editor_client.get(change_url(live)))
    editor_client.post(change_url(live), {**data, "_publish_changes": "on"})

    latest = Version.objects.get_for_object(live).first()
    assert latest.revision.get_comment().startswith("Publish changes.")
    assert latest.field_dict["title"] == "Reworded headline"
