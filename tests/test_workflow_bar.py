"""The summit form's workflow bar: a button for each step a user may take now (issue 11)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from summits import services
from summits.choices import SummitStatus
from summits.models import Summit, Withdrawal
from tests import factories
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:summits_summit_changelist")
BUTTONS = re.compile(r'<input type="submit" name="(_[a-z_]+)"')


def change_url(summit):
    return reverse("admin:summits_summit_change", args=[summit.pk])


def buttons(client, summit=None):
    url = reverse("admin:summits_summit_add") if summit is None else change_url(summit)
    page = client.get(url).content.decode()
    bar = page.split('class="workflow-bar"', 1)
    # The bar ends where the admin's own row of save buttons begins.
    return BUTTONS.findall(bar[1].split('<div class="submit-row">', 1)[0]) if len(bar) == 2 else []


def press(client, summit, button, **fields):
    data = form_data(client.get(change_url(summit)))
    data.update(fields, **{button: "pressed"})
    return client.post(change_url(summit), data, follow=True)


def errors_of(response):
    context = response.context
    if context is None or "adminform" not in context:
        return ""
    form = context["adminform"].form
    return " ".join(str(error) for error in [*form.non_field_errors(), *form.errors.values()])


@pytest.mark.parametrize(
    ("status", "editor_sees", "reporter_sees"),
    [
        (SummitStatus.DRAFT, ["_submit", "_publish", "_schedule", "_archive"], ["_submit"]),
        (SummitStatus.REVIEW, ["_request_changes", "_publish", "_schedule", "_archive"], []),
        (SummitStatus.ARCHIVED, ["_unarchive"], []),
    ],
)
def test_the_bar_offers_the_steps_each_user_may_take_in_each_state(
    editor_client, reporter_client, status, editor_sees, reporter_sees
):
    summit = factories.SummitFactory(status=status)

    assert buttons(editor_client, summit) == editor_sees
    assert buttons(reporter_client, summit) == reporter_sees
    # No status dropdown anywhere: the state changes by these buttons only.
    assert 'name="status"' not in editor_client.get(change_url(summit)).content.decode()


def test_a_live_summit_offers_publishing_its_changes_unpublishing_and_archiving(
    editor_client, reporter_client
):
    live = factories.PublishedSummitFactory()

    assert buttons(editor_client, live) == ["_submit", "_publish_changes", "_unpublish", "_archive"]
    assert buttons(reporter_client, live) == ["_submit"]
    assert buttons(editor_client) == ["_submit", "_publish", "_schedule"]  # a new summit


def test_buttons_that_change_what_readers_see_ask_first(editor_client):
    page = editor_client.get(change_url(factories.PublishedSummitFactory())).content.decode()

    for button in ("_publish_changes", "_unpublish", "_archive"):
        assert re.search(rf'name="{button}"[^>]* data-confirm="[^"]+"', page), button


def test_scheduling_publishes_at_the_picked_time_and_the_list_says_when(editor_client):
    summit = factories.SummitFactory(title="Later summit")
    when = timezone.localtime() + datetime.timedelta(days=1)

    response = press(
        editor_client,
        summit,
        "_schedule",
        publish_at_0=when.strftime("%Y-%m-%d"),
        publish_at_1="12:00:00",
    )

    summit.refresh_from_db()
    assert summit.status == SummitStatus.PUBLISHED and not summit.is_live
    assert timezone.localtime(summit.publish_at).hour == 12
    assert not Summit.objects.published().filter(pk=summit.pk).exists()
    label = f"goes live {when.day} {when.strftime('%b')}, 12:00"
    assert label in response.content.decode()  # the form's header
    assert label in editor_client.get(CHANGELIST).content.decode()


def test_scheduling_in_the_past_or_without_a_time_is_a_form_error(editor_client):
    summit = factories.SummitFactory()

    without = press(editor_client, summit, "_schedule", publish_at_0="", publish_at_1="")
    past = press(editor_client, summit, "_schedule", publish_at_0="2001-01-01", publish_at_1="9:00")

    for response in (without, past):
        assert "Pick a date and time in the future" in errors_of(response)
    summit.refresh_from_db()
    assert (summit.status, summit.publish_at) == (SummitStatus.DRAFT, None)


def test_publish_now_publishes_at_once_whatever_time_the_picker_holds(editor_client):
    summit = factories.SummitFactory()

    press(editor_client, summit, "_publish", publish_at_0="2098-01-01", publish_at_1="9:00")

    summit.refresh_from_db()
    assert summit.is_live and summit.publish_at <= timezone.now()


def test_an_editor_sends_a_summit_back_with_a_note_the_reporter_reads(
    editor_client, reporter_client, reporter, editor
):
    summit = factories.SummitFactory(title="Needs work")
    press(reporter_client, summit, "_submit")
    summit.refresh_from_db()
    assert (summit.status, summit.submitted_by) == (SummitStatus.REVIEW, reporter)

    without_note = press(editor_client, summit, "_request_changes", change_request="  ")
    assert "Say what should change" in errors_of(without_note)
    press(editor_client, summit, "_request_changes", change_request="Name the second source.")

    summit.refresh_from_db()
    assert summit.status == SummitStatus.DRAFT
    assert (summit.review_note, summit.review_note_by) == ("Name the second source.", editor)
    page = reporter_client.get(change_url(summit)).content.decode()
    assert "asked for changes on" in page and "Name the second source." in page
    # Submitting again starts a new review: the old note is done with.
    press(reporter_client, summit, "_submit")
    summit.refresh_from_db()
    assert summit.status == SummitStatus.REVIEW and summit.review_note == ""
    assert "Name the second source." not in reporter_client.get(change_url(summit)).content.decode()


def test_unpublishing_takes_the_summit_off_the_site_and_keeps_its_unpublished_changes(
    editor_client, client
):
    live = factories.PublishedSummitFactory(title="Live headline", slug="geneva")
    services.start_working_draft(live)
    press(editor_client, live, "_continue", title="Headline in the draft")

    response = press(editor_client, live, "_unpublish")

    assert response.status_code == 200, errors_of(response)
    live.refresh_from_db()
    assert (live.status, live.title) == (SummitStatus.DRAFT, "Headline in the draft")
    assert not Summit.objects.filter(draft_of=live).exists()
    assert client.get("/summits/geneva/").status_code == 404
    assert list(Withdrawal.objects.values_list("slug", flat=True)) == ["geneva"]


def test_archiving_a_live_summit_withdraws_it_and_an_editor_can_bring_it_back(editor_client):
    live = factories.PublishedSummitFactory(slug="geneva")

    press(editor_client, live, "_archive")
    live.refresh_from_db()
    assert live.status == SummitStatus.ARCHIVED
    assert Withdrawal.objects.filter(slug="geneva").exists()

    press(editor_client, live, "_unarchive")
    live.refresh_from_db()
    assert live.status == SummitStatus.DRAFT


def test_a_step_no_longer_possible_since_the_page_was_loaded_is_refused(editor_client, editor):
    summit = factories.SummitFactory(title="Before")
    data = form_data(editor_client.get(change_url(summit)))
    services.set_status(summit, SummitStatus.ARCHIVED, user=editor)  # another editor, meanwhile

    response = editor_client.post(
        change_url(summit), {**data, "title": "After", "_publish": "x"}, follow=True
    )

    assert "“Publish now” is not possible for this summit as it is now (Archived)" in errors_of(
        response
    )
    summit.refresh_from_db()
    assert (summit.status, summit.title) == (SummitStatus.ARCHIVED, "Before")


def test_the_review_queue_lists_what_waits_for_an_editor_with_who_submitted_it_and_when(
    editor_client, reporter_client, reporter
):
    reporter.first_name, reporter.last_name = "Anna", "Berg"
    reporter.save()
    waiting = factories.SummitFactory(title="Waiting summit")
    press(reporter_client, waiting, "_submit")
    live = factories.PublishedSummitFactory(title="Live summit")
    press(reporter_client, live, "_submit", teaser="A reporter's teaser")
    factories.SummitFactory(title="Draft summit")

    response = editor_client.get(CHANGELIST, {"review": "waiting"})

    rows = response.context["cl"].result_list
    assert sorted(row.title for row in rows) == ["Live summit", "Waiting summit"]
    page = response.content.decode()
    assert page.count("submitted by Anna Berg") == 2
    assert "unpublished changes (In review · submitted by Anna Berg" in page


def test_the_review_queue_costs_the_same_queries_however_long_it_is(
    editor_client, reporter_client, django_assert_max_num_queries
):
    def submitted(count):
        for _ in range(count):
            press(reporter_client, factories.SummitFactory(), "_submit")
            press(reporter_client, factories.PublishedSummitFactory(), "_submit")

    submitted(1)
    editor_client.get(CHANGELIST, {"review": "waiting"})  # once-per-process lookups
    with django_assert_max_num_queries(30) as few:
        editor_client.get(CHANGELIST, {"review": "waiting"})
    budget = len(few.captured_queries)
    submitted(5)
    with django_assert_max_num_queries(budget):
        response = editor_client.get(CHANGELIST, {"review": "waiting"})
    assert response.context["cl"].result_count == 12


def test_unpublish_selected_on_the_list_keeps_a_working_drafts_changes_too(editor_client):
    live = factories.PublishedSummitFactory(title="Live headline", slug="geneva")
    press(editor_client, live, "_continue", title="Headline in the draft")

    editor_client.post(CHANGELIST, {"action": "unpublish_selected", "_selected_action": [live.pk]})

    live.refresh_from_db()
    assert (live.status, live.title) == (SummitStatus.DRAFT, "Headline in the draft")
    assert not Summit.objects.filter(draft_of=live).exists()
    assert Withdrawal.objects.filter(slug="geneva").exists()
