"""One write path: restores, item pages, bulk actions and shared content keep the form's promises.

Each test here is a defect of issue 11 as an editor, a reader or an attacker saw it.
"""

import datetime

import pytest
import reversion
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from summits import services
from summits.choices import SummitStatus
from summits.models import Item, Summit, Withdrawal
from tests import factories
from tests.admin_forms import add_inline_row, form_data

pytestmark = pytest.mark.django_db

AGREEMENTS = "items"


def change_url(summit):
    return reverse("admin:summits_summit_change", args=[summit.pk])


def revision_url(summit, version):
    return reverse("admin:summits_summit_revision", args=[summit.pk, version.pk])


def restore(client, summit, version):
    """Restores `version` as an editor does from the History page: open it, then confirm."""
    return confirm(client, revision_url(summit, version))


def confirm(client, url):
    page = client.get(url)
    # The page once was the change form filled from the revision, and restoring submitted it.
    data = form_data(page) if page.context and "adminform" in page.context else {}
    return client.post(url, {**data, "restore": "yes"})


def agreement_url(item):
    return reverse("admin:summits_agreement_change", args=[item.pk])


def saved_through_the_form(client, summit, **changes):
    data = form_data(client.get(change_url(summit)))
    data.update(changes)
    response = client.post(change_url(summit), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Version.objects.get_for_object(summit).order_by("-pk").first()


def live_summit_with_a_draft_revision(editor_client):
    """A summit saved once as a draft (revision 1), then published with a new headline."""
    summit = factories.SummitFactory(title="Draft headline")
    factories.ItemFactory(summit=summit, title="Ambassadors", quote=factories.PASSAGES[0])
    draft_revision = saved_through_the_form(editor_client, summit)
    saved_through_the_form(editor_client, summit, title="Live headline", _publish="Publish now")
    summit.refresh_from_db()
    assert summit.is_live
    return summit, draft_revision


def test_a_reporter_restoring_an_old_revision_of_a_live_summit_changes_nothing_live(
    editor_client, reporter_client, client
):
    summit, draft_revision = live_summit_with_a_draft_revision(editor_client)

    response = restore(reporter_client, summit, draft_revision)

    assert response.status_code == 302
    summit.refresh_from_db()
    assert summit.is_live and summit.title == "Live headline"
    assert "Live headline" in client.get(reverse("summits:list")).content.decode()
    # The old content waits in the working draft for an editor.
    assert summit.working_draft.title == "Draft headline"
    assert not Withdrawal.objects.exists()


def test_restoring_an_old_draft_revision_keeps_the_live_summit_live_and_readers_see_it(
    editor_client, client
):
    summit, draft_revision = live_summit_with_a_draft_revision(editor_client)
    assert "Live headline" in client.get(reverse("summits:list")).content.decode()

    response = restore(editor_client, summit, draft_revision)
    services.publish_changes(summit.working_draft, user=factories.editor())

    assert response.status_code == 302
    summit.refresh_from_db()
    # A restore brings back content, never an old state: the summit stays live.
    assert summit.status == SummitStatus.PUBLISHED and summit.is_live
    assert summit.title == "Draft headline"
    # The cached list renews at once: the change moved the published set's version.
    assert "Draft headline" in client.get(reverse("summits:list")).content.decode()
    assert not Withdrawal.objects.exists()


def test_a_restore_moves_the_version_forward_so_a_form_opened_long_ago_is_refused(editor_client):
    summit = factories.SummitFactory(title="First")
    old_form = form_data(editor_client.get(change_url(summit)))
    first_revision = saved_through_the_form(editor_client, summit, title="Second")
    saved_through_the_form(editor_client, summit, title="Third")
    version_before = Summit.objects.get(pk=summit.pk).version

    restore(editor_client, summit, first_revision)

    summit.refresh_from_db()
    assert summit.version > version_before
    # The form opened at the first version: accepted before, since the restore put it back.
    response = editor_client.post(change_url(summit), dict(old_form, title="Stale overwrite"))
    assert response.status_code == 200
    assert "Someone else saved this summit" in response.content.decode()
    summit.refresh_from_db()
    assert summit.title == "Second"


def test_a_restore_recomputes_the_rendered_article_instead_of_restoring_it(editor_client, client):
    summit = factories.SummitFactory(status=SummitStatus.REVIEW)
    item = factories.ItemFactory(summit=summit, title="Ambassadors", quote=factories.PASSAGES[0])
    old_revision = saved_through_the_form(editor_client, summit)
    # A later save labels the passage differently (a second agreement before it).
    data = form_data(editor_client.get(change_url(summit)))
    add_inline_row(
        data, AGREEMENTS, title="Dialogue", quote=factories.PASSAGES[1], status="announced"
    )
    editor_client.post(change_url(summit), data)
    assert Item.objects.filter(summit=summit).count() == 2

    restore(editor_client, summit, old_revision)
    services.publish(summit, user=factories.editor())

    summit.refresh_from_db()
    assert list(summit.items.values_list("pk", flat=True)) == [item.pk]
    # The stored article highlights what the summit holds now, one passage, not two.
    assert summit.body_html.count('class="passage ') == 1
    assert f'id="passage-{item.pk}"' in summit.body_html
    assert "Dialogue" not in summit.search_document
    page = client.get(summit.get_absolute_url()).content.decode()
    assert page.count('id="passage-') == 1


def test_a_restore_by_an_editor_is_itself_a_new_revision(editor_client):
    summit = factories.SummitFactory(title="First")
    first_revision = saved_through_the_form(editor_client, summit)
    saved_through_the_form(editor_client, summit, title="Second")

    restore(editor_client, summit, first_revision)

    versions = Version.objects.get_for_object(summit)
    assert versions.count() == 3
    assert "Restored" in versions.order_by("-pk").first().revision.get_comment()


def test_an_item_page_save_from_an_outdated_page_is_refused(editor_client):
    item = factories.ItemFactory(title="Original title")
    stale = form_data(editor_client.get(agreement_url(item)))
    summit_form = form_data(editor_client.get(change_url(item.summit)))
    summit_form[f"{AGREEMENTS}-0-title"] = "Renamed on the summit form"
    assert editor_client.post(change_url(item.summit), summit_form).status_code == 302

    response = editor_client.post(agreement_url(item), dict(stale, title="Item page title"))

    assert response.status_code == 200
    assert "Someone else saved" in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Renamed on the summit form"


def test_two_editors_on_one_item_page_cannot_both_win(editor_client):
    item = factories.ItemFactory(title="Original title")
    loaded = [form_data(editor_client.get(agreement_url(item))) for _ in range(8)]

    statuses = [
        editor_client.post(agreement_url(item), dict(data, title=f"Title {number}")).status_code
        for number, data in enumerate(loaded)
    ]

    assert statuses.count(302) == 1
    item.refresh_from_db()
    assert item.title == "Title 0"


def test_a_follow_up_on_the_item_page_does_not_refuse_the_same_editors_summit_form(editor_client):
    summit = factories.SummitFactory(title="Before")
    item = factories.ItemFactory(summit=summit)
    summit_form = form_data(editor_client.get(change_url(summit)))
    item_page = form_data(editor_client.get(agreement_url(item)))
    add_inline_row(item_page, "updates", date="2022-02-24", status="broken", note="<p>Over.</p>")
    assert editor_client.post(agreement_url(item), item_page).status_code == 302

    response = editor_client.post(change_url(summit), dict(summit_form, title="After"))

    assert response.status_code == 302
    summit.refresh_from_db()
    item.refresh_from_db()
    assert summit.title == "After"
    # The summit form did not write its older copy of the item back over the follow-up.
    assert item.status == "broken"


def test_two_editors_rewording_one_correction_cannot_both_win(editor_client):
    summit = factories.SummitFactory()
    correction = factories.CorrectionFactory(summit=summit, text="First wording.")
    loaded = [form_data(editor_client.get(change_url(summit))) for _ in range(2)]
    editor_client.post(change_url(summit), dict(loaded[0], **{"corrections-0-text": "Theirs."}))

    response = editor_client.post(
        change_url(summit), dict(loaded[1], **{"corrections-0-text": "Mine."})
    )

    assert response.status_code == 200
    assert "Someone else saved this correction" in response.content.decode()
    assert "Mine." in response.content.decode()  # the refused input is kept in the form
    correction.refresh_from_db()
    assert correction.text == "Theirs."


def test_a_correction_changed_meanwhile_is_kept_when_this_editor_left_it_alone(editor_client):
    summit = factories.SummitFactory(title="Before")
    correction = factories.CorrectionFactory(summit=summit, text="First wording.")
    loaded = [form_data(editor_client.get(change_url(summit))) for _ in range(2)]
    editor_client.post(change_url(summit), dict(loaded[0], **{"corrections-0-text": "Theirs."}))

    response = editor_client.post(change_url(summit), dict(loaded[1], title="After"))

    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.text == "Theirs."


@pytest.mark.parametrize(
    ("kind", "inline", "field", "factory"),
    [
        ("dispute", "stances", "position", "StanceFactory"),
        ("agreement", "updates", "note", "ItemUpdateFactory"),
    ],
)
def test_two_editors_on_one_stance_or_follow_up_cannot_both_win(
    editor_client, kind, inline, field, factory
):
    item = factories.DisputeFactory() if kind == "dispute" else factories.ItemFactory()
    row = getattr(factories, factory)(item=item)
    if inline == "stances":
        item.summit.participants.add(row.participant)
    url = reverse(f"admin:summits_{kind}_change", args=[item.pk])
    loaded = [form_data(editor_client.get(url)) for _ in range(2)]
    theirs = editor_client.post(url, dict(loaded[0], **{f"{inline}-0-{field}": "<p>Theirs.</p>"}))
    assert theirs.status_code == 302

    response = editor_client.post(url, dict(loaded[1], **{f"{inline}-0-{field}": "<p>Mine.</p>"}))

    assert response.status_code == 200
    assert "Someone else saved this" in response.content.decode()
    row.refresh_from_db()
    assert "Theirs." in getattr(row, field)


def test_publish_selected_publishes_now_whatever_publish_time_a_reporter_set(editor_client):
    now = timezone.now()
    backdated = factories.SummitFactory(
        status=SummitStatus.REVIEW, publish_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    )
    far_future = factories.SummitFactory(
        status=SummitStatus.REVIEW, publish_at=datetime.datetime(2098, 1, 1, tzinfo=datetime.UTC)
    )

    editor_client.post(
        reverse("admin:summits_summit_changelist"),
        {"action": "publish_selected", "_selected_action": [backdated.pk, far_future.pk]},
    )

    for summit in (backdated, far_future):
        summit.refresh_from_db()
        assert summit.is_live
        assert summit.publish_at >= now and summit.first_published_at >= now


def test_a_reporter_cannot_set_a_publish_time(reporter_client, reporter):
    summit = factories.SummitFactory(status=SummitStatus.DRAFT)
    data = form_data(reporter_client.get(change_url(summit)))
    data.update(publish_at_0="2000-01-01", publish_at_1="00:00:00", _submit="Submit for review")

    reporter_client.post(change_url(summit), data)

    summit.refresh_from_db()
    assert summit.status == SummitStatus.REVIEW
    assert summit.publish_at is None


def test_a_crafted_row_id_of_another_summits_item_is_a_form_error_not_a_500(editor):
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    summit = factories.SummitFactory()
    factories.ItemFactory(summit=summit, title="Ours")
    theirs = factories.ItemFactory(title="Theirs")
    data = form_data(client.get(change_url(summit)))
    data[f"{AGREEMENTS}-0-id"] = str(theirs.pk)

    response = client.post(change_url(summit), data)

    assert response.status_code in (200, 400)
    assert Item.objects.count() == 2
    theirs.refresh_from_db()
    assert theirs.title == "Theirs" and theirs.summit_id != summit.pk


@pytest.mark.parametrize("model", ["participant", "topic"])
def test_a_reporter_cannot_rename_a_participant_or_topic_shown_on_live_pages(
    model, reporter_client, editor_client
):
    factory = factories.ParticipantFactory if model == "participant" else factories.TopicFactory
    shown = factory(name="Joe Biden" if model == "participant" else "Diplomacy")
    url = reverse(f"admin:summits_{model}_change", args=[shown.pk])
    data = form_data(editor_client.get(url))
    name_field = next(key for key in data if key.startswith("name") or key == "name")
    data[name_field] = "Renamed by a reporter"

    response = reporter_client.post(url, data)

    assert response.status_code == 403
    shown.refresh_from_db()
    assert shown.safe_translation_getter("name", any_language=True) != "Renamed by a reporter"


def test_shared_content_change_by_an_editor_renews_cached_pages(editor_client, client):
    summit = factories.PublishedSummitFactory()
    biden = factories.ParticipantFactory(name="Joe Biden")
    summit.participants.add(biden)
    services.render_summit(summit)
    first = client.get(summit.get_absolute_url())
    assert "Joe Biden" in first.content.decode()
    url = reverse("admin:summits_participant_change", args=[biden.pk])
    data = form_data(editor_client.get(url))
    data["name"] = "Joseph R. Biden"

    assert editor_client.post(url, data).status_code == 302

    renewed = client.get(summit.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert renewed.status_code == 200 and "Joseph R. Biden" in renewed.content.decode()


def test_a_reporter_cannot_recover_a_deleted_live_summit_straight_onto_the_site(
    editor_client, reporter_client
):
    summit = factories.PublishedSummitFactory(title="Deleted by mistake")
    with reversion.create_revision():
        reversion.add_to_revision(summit)
    editor_client.post(reverse("admin:summits_summit_delete", args=[summit.pk]), {"post": "yes"})
    deleted = Version.objects.get_deleted(Summit).get()
    recover_url = reverse("admin:summits_summit_recover", args=[deleted.pk])

    confirm(reporter_client, recover_url)
    confirm(editor_client, recover_url)

    recovered = Summit.objects.get(pk=summit.pk)
    # Recovered as a draft, by whoever may: it goes live again only when an editor publishes.
    assert not Summit.objects.published().exists()
    assert recovered.status == SummitStatus.DRAFT
