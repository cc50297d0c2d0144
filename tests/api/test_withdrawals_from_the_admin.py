"""Whatever way an editor takes a live summit away in the admin, partners are told."""

from django.urls import reverse

from summits.choices import SummitStatus
from summits.models import Summit
from summits.partners import Withdrawal
from tests import factories
from tests.admin_forms import form_data

CHANGELIST = reverse("admin:summits_summit_changelist")


def reasons():
    return sorted(Withdrawal.objects.values_list("slug", "reason"))


def test_unpublish_and_archive_actions_leave_tombstones(editor_client):
    first, second = (
        factories.PublishedSummitFactory(slug="a"),
        factories.PublishedSummitFactory(slug="b"),
    )
    editor_client.post(CHANGELIST, {"action": "unpublish_selected", "_selected_action": [first.pk]})
    editor_client.post(CHANGELIST, {"action": "archive_selected", "_selected_action": [second.pk]})
    assert reasons() == [("a", "unpublished"), ("b", "archived")]


def test_archiving_a_live_summit_leaves_a_tombstone(editor_client):
    factories.PublishedSummitFactory(slug="geneva")
    summit = Summit.objects.get()
    response = editor_client.post(
        CHANGELIST, {"action": "archive_selected", "_selected_action": [summit.pk]}
    )
    assert response.status_code == 302
    assert reasons() == [("geneva", "archived")]


def test_a_status_posted_on_a_live_summits_form_changes_nothing_live(editor_client):
    """A live summit's state changes by the workflow's actions; its form saves a draft."""
    summit = factories.PublishedSummitFactory(slug="geneva")
    url = reverse("admin:summits_summit_change", args=[summit.pk])
    data = form_data(editor_client.get(url))
    data["status"] = SummitStatus.ARCHIVED
    response = editor_client.post(url, data)
    assert response.status_code == 302
    summit.refresh_from_db()
    assert summit.is_live
    assert reasons() == []


def test_delete_from_the_summit_page_leaves_a_tombstone(editor_client):
    summit = factories.PublishedSummitFactory(slug="geneva")
    url = reverse("admin:summits_summit_delete", args=[summit.pk])
    response = editor_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert reasons() == [("geneva", "deleted")]


def test_delete_selected_leaves_tombstones(editor_client):
    summits = [factories.PublishedSummitFactory(slug=slug) for slug in ("a", "b")]
    factories.SummitFactory(slug="draft")
    response = editor_client.post(
        CHANGELIST,
        {"action": "delete_selected", "post": "yes", "_selected_action": [s.pk for s in summits]},
    )
    assert response.status_code == 302
    assert reasons() == [("a", "deleted"), ("b", "deleted")]
