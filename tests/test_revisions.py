"""Revisions: every admin save is a revision of the summit with its items; editors can restore."""

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from summits.choices import SummitStatus
from summits.models import Item, Summit
from tests import factories
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db


def change_url(summit):
    return reverse("admin:summits_summit_change", args=[summit.pk])


def test_an_admin_save_makes_one_revision_holding_the_summit_and_its_items(editor_client):
    summit = factories.SummitFactory()
    factories.ItemFactory.create_batch(2, summit=summit)
    factories.DisputeFactory(summit=summit)

    editor_client.post(change_url(summit), form_data(editor_client.get(change_url(summit))))

    versions = Version.objects.get_for_object(summit)
    assert versions.count() == 1
    revision = versions.get().revision
    assert revision.user.username == "editor"
    item_versions = revision.version_set.filter(content_type__model="item")
    assert item_versions.count() == 3


def test_reverting_restores_the_title_and_a_deleted_item(editor_client):
    summit = factories.SummitFactory(title="Original headline")
    keep = factories.ItemFactory(
        summit=summit, title="Kept", position=1, quote=factories.PASSAGES[0]
    )
    doomed = factories.ItemFactory(
        summit=summit, title="Doomed", position=2, quote=factories.PASSAGES[1]
    )
    editor_client.post(change_url(summit), form_data(editor_client.get(change_url(summit))))
    first = Version.objects.get_for_object(summit).get()

    data = form_data(editor_client.get(change_url(summit)))
    data["title"] = "Changed headline"
    data["items-1-DELETE"] = "on"
    editor_client.post(change_url(summit), data)
    assert not Item.objects.filter(pk=doomed.pk).exists()

    revision_url = reverse("admin:summits_summit_revision", args=[summit.pk, first.pk])
    assert editor_client.get(revision_url).status_code == 200
    response = editor_client.post(revision_url, {"restore": "yes"})

    assert response.status_code == 302
    summit.refresh_from_db()
    assert summit.title == "Original headline"
    assert set(summit.items.values_list("title", flat=True)) == {keep.title, doomed.title}


def test_a_deleted_summit_can_be_recovered_with_its_items(editor_client):
    summit = factories.SummitFactory(title="Deleted by mistake")
    factories.ItemFactory(summit=summit, title="Its agreement")
    with reversion.create_revision():
        reversion.add_to_revision(summit)
    pk = summit.pk
    editor_client.post(reverse("admin:summits_summit_delete", args=[pk]), {"post": "yes"})
    assert not Summit.objects.filter(pk=pk).exists()

    deleted = Version.objects.get_deleted(Summit).get()
    recover_url = reverse("admin:summits_summit_recover", args=[deleted.pk])
    assert editor_client.get(recover_url).status_code == 200
    response = editor_client.post(recover_url, {"restore": "yes"})

    assert response.status_code == 302
    recovered = Summit.objects.get(pk=pk)
    assert recovered.title == "Deleted by mistake"
    assert recovered.status == SummitStatus.DRAFT
    assert list(recovered.items.values_list("title", flat=True)) == ["Its agreement"]


def test_history_offers_a_comparison_of_two_versions(editor_client):
    summit = factories.SummitFactory(title="First")
    for title in ("Second", "Third"):
        data = form_data(editor_client.get(change_url(summit)))
        data["title"] = title
        editor_client.post(change_url(summit), data)
    first, second = Version.objects.get_for_object(summit).order_by("pk")[:2]

    history = editor_client.get(reverse("admin:summits_summit_history", args=[summit.pk]))
    assert history.status_code == 200
    response = editor_client.get(
        reverse("admin:summits_summit_compare", args=[summit.pk]),
        {"version_id1": first.pk, "version_id2": second.pk},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Second" in page and "Third" in page


def test_the_revision_holds_items_as_re_anchored_by_the_same_save(editor_client):
    summit = factories.SummitFactory()
    item = factories.ItemFactory(summit=summit, quote="a dialogue on strategic stability")
    data = form_data(editor_client.get(change_url(summit)))
    data["body"] = summit.body.replace("strategic stability", "strategical stability")

    editor_client.post(change_url(summit), data)

    revision = Version.objects.get_for_object(summit).get().revision
    stored = revision.version_set.get(content_type__model="item", object_id=str(item.pk))
    assert stored.field_dict["anchor_state"] == "drifted"
