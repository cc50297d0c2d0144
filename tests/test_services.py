"""Workflows across several rows: re-anchoring, ordering, publishing and follow-up updates."""

import datetime
import io

import pytest
from django.core.management import call_command

from summits import services
from summits.choices import AnchorState, SummitStatus
from summits.models import Item, Summit
from tests import factories

pytestmark = pytest.mark.django_db


def test_copy_edit_before_a_passage_keeps_it_anchored_at_its_new_offset():
    summit = factories.SummitFactory()
    item = factories.ItemFactory(summit=summit, quote="discuss cybersecurity")
    old_start = item.anchor_start
    summit.body = "<p>Breaking: a new first paragraph.</p>" + summit.body
    summit.save()

    report = services.reanchor_summit(summit)

    item.refresh_from_db()
    assert report.drifted == [] and report.orphaned == []
    assert item.anchor_state == AnchorState.ANCHORED
    assert item.anchor_start > old_start
    assert summit.body_text[item.anchor_start : item.anchor_end] == "discuss cybersecurity"


def test_reworded_passage_drifts_and_keeps_its_quote_until_an_editor_accepts():
    # The editor accepts in the summit form's row (tests/test_anchoring_workspace.py).
    summit = factories.SummitFactory()
    item = factories.ItemFactory(summit=summit, quote="ambassadors would return to their posts")
    summit.body = summit.body.replace("would return to their posts", "would go back to their posts")
    summit.save()

    report = services.reanchor_summit(summit)

    item.refresh_from_db()
    assert report.drifted == [item]
    assert item.anchor_state == AnchorState.DRIFTED
    assert 0.75 <= item.anchor_score < 1
    assert item.quote == "ambassadors would return to their posts"  # kept until an editor confirms


def test_deleted_passage_orphans_the_item_without_deleting_it():
    summit = factories.SummitFactory()
    item = factories.ItemFactory(summit=summit, quote="discuss cybersecurity")
    summit.body = "<p>Only the weather was discussed.</p>"
    summit.save()

    report = services.reanchor_summit(summit)

    assert report.orphaned == [item]
    item.refresh_from_db()
    assert (item.anchor_state, item.anchor_start, item.anchor_end) == (
        AnchorState.ORPHANED,
        None,
        None,
    )


def test_orphaned_item_comes_back_when_its_passage_is_restored():
    summit = factories.SummitFactory()
    item = factories.ItemFactory(summit=summit, quote="discuss cybersecurity")
    original_body = summit.body
    summit.body = "<p>Nothing.</p>"
    summit.save()
    services.reanchor_summit(summit)
    summit.body = original_body
    summit.save()

    services.reanchor_summit(summit)

    item.refresh_from_db()
    assert item.anchor_state == AnchorState.ANCHORED


def test_publish_refuses_a_summit_with_orphaned_items_and_names_them():
    summit = factories.SummitFactory()
    factories.ItemFactory(summit=summit, title="Lost one", quote="a sentence that is not there")

    with pytest.raises(services.PublishError, match="Lost one"):
        services.publish(summit)

    assert not Summit.objects.published().exists()


def test_publishing_a_working_draft_itself_is_refused_with_a_message_not_a_database_error():
    live = factories.PublishedSummitFactory()
    editor = factories.editor()
    draft = services.start_working_draft(live, user=editor)

    with pytest.raises(services.PublishError, match="Publish changes"):
        services.publish(draft, user=editor)

    draft.refresh_from_db()
    assert (draft.status, draft.draft_of) == (SummitStatus.DRAFT, live)


def test_publish_sets_publish_at_and_the_editor():
    summit = factories.SummitFactory()
    editor = factories.editor()

    services.publish(summit, user=editor)

    summit.refresh_from_db()
    assert summit.status == SummitStatus.PUBLISHED
    assert summit.publish_at is not None and summit.last_edited_by == editor
    assert Summit.objects.published().get() == summit


def test_save_items_in_order_swaps_and_renumbers_within_one_kind():
    summit = factories.SummitFactory()
    a, b, c = (factories.ItemFactory(summit=summit, position=n) for n in (1, 2, 3))

    services.save_items_in_order([c, a], deleted=[b])

    assert list(
        Item.objects.filter(summit=summit).order_by("position").values_list("pk", "position")
    ) == [
        (c.pk, 1),
        (a.pk, 2),
    ]


def test_record_item_update_moves_the_status_to_the_latest_update():
    item = factories.ItemFactory()
    services.record_item_update(
        item, date=datetime.date(2022, 2, 24), status="broken", note="<p>Suspended.</p>"
    )
    services.record_item_update(
        item, date=datetime.date(2021, 7, 28), status="in_progress", note="<p>Round one.</p>"
    )
    services.record_item_update(item, date=datetime.date(2022, 3, 1), note="<p>No change.</p>")

    item.refresh_from_db()
    assert (
        item.status == "broken"
    )  # the latest update that names a status wins, not the last entered
    assert item.updates.count() == 3


def test_record_item_update_refuses_a_status_of_the_other_kind():
    item = factories.ItemFactory()
    with pytest.raises(ValueError):
        services.record_item_update(
            item, date=datetime.date(2022, 1, 1), status="escalated", note="x"
        )
    assert not item.updates.exists()


def test_render_summits_command_renews_stored_articles():
    summit = factories.SummitFactory()
    factories.ItemFactory(summit=summit, quote="discuss cybersecurity")
    Summit.objects.filter(pk=summit.pk).update(body_html="stale")

    call_command("render_summits", stdout=io.StringIO())

    summit.refresh_from_db()
    assert "<mark" in summit.body_html and "stale" not in summit.body_html
