"""An item's own admin page: follow-up updates, stances, and the editorial lock."""

import pytest
from django.urls import reverse

from summits import services
from summits.choices import SummitStatus
from summits.models import Item, Summit
from tests import factories
from tests.admin_forms import add_inline_row, form_data

pytestmark = pytest.mark.django_db


def agreement_url(item):
    return reverse("admin:summits_agreement_change", args=[item.pk])


def dispute_url(item):
    return reverse("admin:summits_dispute_change", args=[item.pk])


def test_follow_up_updates_move_the_agreement_status(editor_client):
    item = factories.ItemFactory()
    data = form_data(editor_client.get(agreement_url(item)))
    add_inline_row(
        data, "updates", date="2021-07-28", status="in_progress", note="<p>First round.</p>"
    )
    add_inline_row(data, "updates", date="2022-02-24", status="broken", note="<p>Suspended.</p>")

    response = editor_client.post(agreement_url(item), data)

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "broken"
    assert list(item.updates.values_list("status", flat=True)) == ["broken", "in_progress"]


def test_an_update_offers_only_the_statuses_of_its_item_kind(editor_client):
    item = factories.ItemFactory()
    data = form_data(editor_client.get(agreement_url(item)))
    add_inline_row(
        data, "updates", date="2021-07-28", status="escalated", note="<p>Wrong kind.</p>"
    )

    response = editor_client.post(agreement_url(item), data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not item.updates.exists()


def test_editor_records_each_participants_stance_on_a_dispute(editor_client):
    dispute = factories.DisputeFactory()
    biden, putin = (
        factories.ParticipantFactory(name="Joe Biden"),
        factories.ParticipantFactory(name="Vladimir Putin"),
    )
    dispute.summit.participants.add(biden, putin)
    data = form_data(editor_client.get(dispute_url(dispute)))
    add_inline_row(
        data, "stances", participant=biden.pk, position="Will keep raising human rights."
    )
    add_inline_row(data, "stances", participant=putin.pk, position="Calls it interference.")

    response = editor_client.post(dispute_url(dispute), data)

    assert response.status_code == 302
    assert sorted(dispute.stances.values_list("participant__translations__name", flat=True)) == [
        "Joe Biden",
        "Vladimir Putin",
    ]


def test_a_participant_has_one_stance_per_dispute(editor_client):
    dispute = factories.DisputeFactory()
    biden = factories.ParticipantFactory()
    dispute.summit.participants.add(biden)
    data = form_data(editor_client.get(dispute_url(dispute)))
    add_inline_row(data, "stances", participant=biden.pk, position="One.")
    add_inline_row(data, "stances", participant=biden.pk, position="Two.")

    response = editor_client.post(dispute_url(dispute), data)

    assert response.status_code == 200
    assert not dispute.stances.exists()


def test_a_stance_must_come_from_a_participant_of_the_summit(editor_client):
    dispute = factories.DisputeFactory()
    outsider = factories.ParticipantFactory()
    data = form_data(editor_client.get(dispute_url(dispute)))
    add_inline_row(data, "stances", participant=outsider.pk, position="Not at the table.")

    response = editor_client.post(dispute_url(dispute), data)

    assert response.status_code == 200
    assert not dispute.stances.exists()


def test_reporter_cannot_add_updates_to_an_item_of_a_published_summit(
    reporter_client, editor_client
):
    item = factories.ItemFactory(summit=factories.PublishedSummitFactory())
    data = form_data(editor_client.get(agreement_url(item)))
    add_inline_row(data, "updates", date="2021-07-28", status="fulfilled", note="<p>Done.</p>")

    response = reporter_client.post(agreement_url(item), data)

    assert response.status_code == 403
    assert not item.updates.exists()


def test_items_are_added_on_their_summit_page_only(editor_client):
    assert editor_client.get(reverse("admin:summits_agreement_add")).status_code == 403


def test_item_page_query_count_is_constant(editor_client, django_assert_max_num_queries):
    dispute = factories.DisputeFactory()
    stance = factories.StanceFactory(item=dispute)
    dispute.summit.participants.add(stance.participant)
    factories.ItemUpdateFactory(item=dispute, status="narrowed")
    editor_client.get(dispute_url(dispute))  # once-per-process lookups are not measured
    with django_assert_max_num_queries(30) as few:
        editor_client.get(dispute_url(dispute))
    for _ in range(10):
        stance = factories.StanceFactory(item=dispute)
        dispute.summit.participants.add(stance.participant)
        factories.ItemUpdateFactory(item=dispute, status="narrowed")
    with django_assert_max_num_queries(len(few.captured_queries)):
        editor_client.get(dispute_url(dispute))


def test_deleting_an_item_on_its_own_page_updates_the_article(editor_client):
    summit = factories.SummitFactory(status=SummitStatus.REVIEW)
    item = factories.ItemFactory(summit=summit, title="Soon gone")
    assert f'id="passage-{item.pk}"' in Summit.objects.get().body_html

    editor_client.post(reverse("admin:summits_agreement_delete", args=[item.pk]), {"post": "yes"})

    summit = Summit.objects.get()
    assert f'id="passage-{item.pk}"' not in summit.body_html
    assert "Soon gone" not in summit.search_document


def test_bulk_deleting_items_updates_their_articles(editor_client):
    summit = factories.SummitFactory(status=SummitStatus.REVIEW)
    item = factories.ItemFactory(summit=summit, title="Bulk gone")

    editor_client.post(
        reverse("admin:summits_agreement_changelist"),
        {"action": "delete_selected", "_selected_action": [item.pk], "post": "yes"},
    )

    assert not Item.objects.exists()
    assert "Bulk gone" not in Summit.objects.get().search_document


def test_a_live_summits_item_is_deleted_only_in_its_working_draft(editor_client, client):
    summit = factories.PublishedSummitFactory()
    item = factories.ItemFactory(summit=summit, title="Stays live")

    page = editor_client.post(
        reverse("admin:summits_agreement_delete", args=[item.pk]), {"post": "yes"}
    )
    editor_client.post(
        reverse("admin:summits_agreement_changelist"),
        {"action": "delete_selected", "_selected_action": [item.pk], "post": "yes"},
    )

    assert page.status_code == 403
    assert Item.objects.filter(pk=item.pk).exists()
    assert "Stays live" in client.get(summit.get_absolute_url()).content.decode()


def test_a_live_summits_item_page_opens_the_working_draft_to_edit_it(editor_client, client):
    summit = factories.PublishedSummitFactory()
    item = factories.ItemFactory(summit=summit, title="Live title")
    page = editor_client.get(agreement_url(item))
    assert "Edit in the working draft" in page.content.decode()

    response = editor_client.post(reverse("admin:summits_agreement_edit_in_draft", args=[item.pk]))

    copy = Item.objects.get(live_item=item)
    assert response.url == agreement_url(copy)
    data = form_data(editor_client.get(agreement_url(copy)))
    add_inline_row(data, "updates", date="2022-02-24", status="broken", note="<p>Over.</p>")
    assert (
        editor_client.post(agreement_url(copy), dict(data, title="Draft title")).status_code == 302
    )
    # Readers keep the live item until the changes are published; then it has its id still.
    assert "Draft title" not in client.get(summit.get_absolute_url()).content.decode()
    services.publish_changes(copy.summit, user=factories.editor())
    item.refresh_from_db()
    assert (item.title, item.status) == ("Draft title", "broken")
    assert "Draft title" in client.get(summit.get_absolute_url()).content.decode()
    # The live item's page now sends the editor to the draft only while one is open.
    assert editor_client.get(agreement_url(item)).status_code == 200


def test_a_summit_form_opened_before_an_item_edit_does_not_write_the_item_back(editor_client):
    summit = factories.SummitFactory()
    item = factories.ItemFactory(summit=summit, title="Original title")
    summit_url = reverse("admin:summits_summit_change", args=[summit.pk])
    stale_summit_form = form_data(editor_client.get(summit_url))
    data = form_data(editor_client.get(agreement_url(item)))
    data["title"] = "Title edited on the item's page"
    editor_client.post(agreement_url(item), data)

    response = editor_client.post(summit_url, stale_summit_form)

    # The summit form did not change the item, so it neither refuses nor writes it back.
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Title edited on the item's page"


def test_agreement_changelist_query_count_is_constant(editor_client, django_assert_max_num_queries):
    changelist = reverse("admin:summits_agreement_changelist")
    summit = factories.SummitFactory()
    factories.ItemFactory(summit=summit, topic=factories.TopicFactory())
    editor_client.get(changelist)  # once-per-process lookups are not measured
    with django_assert_max_num_queries(16) as few:
        editor_client.get(changelist)
    # Each with a topic of its own, shown by name (names per language in another table).
    for _ in range(20):
        factories.ItemFactory(summit=summit, topic=factories.TopicFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = editor_client.get(changelist)
    assert response.context["cl"].result_count == 21
